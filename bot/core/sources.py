"""The sources that rules and figures are cited to (``knowledge/sources.yaml``).

A citation is a string: a paragraph of the 2012 LegCo paper ("para 12(b)", "footnote 3",
"annex"), "fact sheet", or a source id ("W4"). ``source_of`` tells which source a
citation belongs to and the reference inside it, so answers can name the source in the
user's language.

>>> book = load_sources()
>>> source, ref = book.source_of("para 12(b)")
>>> (source.id, ref)
('LC2012', 'para 12(b)')
>>> book.source_of("W4")[0].short["en"]
'GovHK programme page'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.core.locales import LOCALES
from bot.core.rules import KNOWLEDGE_DIR, KnowledgeError
from bot.core.yamlio import load_yaml

KINDS = ("gov", "secretariat", "third-party")


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    date: str | None
    address: str
    short: dict[str, str]
    full: dict[str, str]  # the whole entry, behind the Sources button
    cites: tuple[str, ...] = ()  # citation prefixes that belong to this source


@dataclass(frozen=True)
class SourceBook:
    sources: tuple[Source, ...]

    def get(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def source_of(self, citation: str) -> tuple[Source, str]:
        """The source a citation names and the reference within it ("" for the whole)."""
        text = citation.strip()
        direct = self.get(text)
        if direct is not None:
            return direct, ""
        for source in self.sources:
            for prefix in source.cites:
                if text == prefix:
                    return source, ""
                if text.startswith(prefix + " ") or text.startswith(prefix + "s "):
                    return source, text
        raise KnowledgeError(f"citation {citation!r} names no source in sources.yaml")


def _locales(path: Path, entry: str, key: str, raw: object) -> dict[str, str]:
    if not isinstance(raw, dict) or any(not raw.get(loc) for loc in LOCALES):
        raise KnowledgeError(f"{path.name}: {entry}: {key}: needs {', '.join(LOCALES)}")
    return {loc: str(raw[loc]) for loc in LOCALES}


def load_sources_from(path: Path) -> SourceBook:
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise KnowledgeError(f"{path.name}: expected a list of sources")
    sources = []
    for raw in data:
        if not isinstance(raw, dict) or not raw.get("id"):
            raise KnowledgeError(f"{path.name}: every source needs an id")
        entry = str(raw["id"])
        if raw.get("kind") not in KINDS:
            raise KnowledgeError(f"{path.name}: {entry}: kind: expected one of {KINDS}")
        sources.append(
            Source(
                id=entry,
                kind=raw["kind"],
                date=None if raw.get("date") is None else str(raw["date"]),
                address=str(raw.get("address") or ""),
                short=_locales(path, entry, "short", raw.get("short")),
                full=_locales(path, entry, "full", raw.get("full")),
                cites=tuple(raw.get("cites") or ()),
            )
        )
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise KnowledgeError(f"{path.name}: duplicate source id")
    return SourceBook(tuple(sources))


@cache
def load_sources(knowledge_dir: Path = KNOWLEDGE_DIR) -> SourceBook:
    return load_sources_from(knowledge_dir / "sources.yaml")
