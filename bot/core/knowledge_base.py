"""The practical guides and FAQ as the dialogue uses them: search (``bot.core.search``)
plus reading one unit in full, in every locale."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.core.guides import GuideLibrary, load_knowledge
from bot.core.rules import KNOWLEDGE_DIR
from bot.core.search import SearchIndex, SearchPage, ensure_index


@dataclass(frozen=True)
class UnitView:
    id: str
    kind: str  # "guide" | "faq"
    title: dict[str, str]
    body: dict[str, str]
    citations: tuple[str, ...]
    tags: tuple[str, ...]


def _views(knowledge: GuideLibrary) -> dict[str, UnitView]:
    """Every readable unit; a guide section cites only its own paragraphs."""
    views: dict[str, UnitView] = {}
    for guide in knowledge.guides:
        for section in guide.sections:
            doc_id = f"{guide.id}#{section.id}"
            title = {loc: f"{guide.title[loc]} · {section.title[loc]}" for loc in guide.title}
            views[doc_id] = UnitView(
                doc_id,
                "guide",
                title,
                dict(section.body),
                tuple(section.citations),
                tuple(section.tags or guide.tags),
            )
    for entry in knowledge.faq:
        views[entry.id] = UnitView(
            entry.id,
            "faq",
            dict(entry.question),
            dict(entry.answer),
            tuple(entry.citations),
            tuple(entry.tags),
        )
    return views


class KnowledgeBase:
    def __init__(self, index: SearchIndex, knowledge_dir: Path = KNOWLEDGE_DIR) -> None:
        self.index = index
        self.knowledge_dir = knowledge_dir

    @classmethod
    def open(cls, db_path: Path | str, knowledge_dir: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
        """Open the search index, rebuilding it first if ``knowledge/`` changed."""
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        ensure_index(db_path, knowledge_dir)
        return cls(SearchIndex(db_path), knowledge_dir)

    def search(self, query: str, locale: str, limit: int = 5, offset: int = 0) -> SearchPage:
        return self.index.search(query, locale, limit=limit, offset=offset)

    @cached_property
    def _units(self) -> dict[str, UnitView]:
        return _views(load_knowledge(self.knowledge_dir))

    def unit(self, doc_id: str) -> UnitView | None:
        return self._units.get(doc_id)
