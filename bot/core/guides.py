"""Practical guides and FAQ entries: loaded from knowledge/, validated, and cut into search units.

Layout of a knowledge folder:
  guides/<id>.yaml   one guide per file (kind: guide), with sections
  faq.yaml           a list of FAQ entries (kind: faq)
  vocabulary.yaml    the allowed tags, grouped (a copy of the shared knowledge vocabulary)

Every problem raises `KnowledgeError`, whose message names the file and the offending key
(e.g. ``guides/industry-textiles.yaml: sections[1].title.zh_Hans_CN: missing locale``),
so a content writer can fix it without reading this code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.filememo import by_files
from bot.core.locales import LOCALES
from bot.core.yamlio import KnowledgeError, load_yaml

FUNDING_ITEMS: frozenset[str] = frozenset({"assessment", "demonstration", "verification"})

GUIDE_KEYS_REQUIRED = frozenset({"id", "kind", "tags", "title", "summary", "sections"})
GUIDE_KEYS_OPTIONAL = frozenset({"items", "citations"})
SECTION_KEYS_REQUIRED = frozenset({"id", "title", "body"})
SECTION_KEYS_OPTIONAL = frozenset({"tags", "citations", "keywords"})
FAQ_KEYS_REQUIRED = frozenset({"id", "kind", "tags", "question", "answer"})
FAQ_KEYS_OPTIONAL = frozenset(
    {"citations", "guideline_detail", "keywords", "ask", "unknown", "how_much"}
)

# A locale's text: {"en": "...", "zh_Hant_HK": "...", "zh_Hans_CN": "..."}.
LocalText = Mapping[str, str]
# Extra search words per locale; every locale optional.
Keywords = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Section:
    id: str
    title: LocalText
    body: LocalText
    tags: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    keywords: Keywords | None = None


@dataclass(frozen=True)
class Guide:
    id: str
    tags: tuple[str, ...]
    title: LocalText
    summary: LocalText
    sections: tuple[Section, ...]
    items: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class FaqEntry:
    id: str
    tags: tuple[str, ...]
    question: LocalText
    answer: LocalText
    citations: tuple[str, ...] = ()
    guideline_detail: bool = False
    keywords: Keywords | None = None
    source: str = ""
    # How owners ask this as a plain fact question (bot.core.fact_questions reads them).
    ask: tuple[str, ...] = ()
    # True when our sources are silent on what the question asks: the answer says so.
    unknown: bool = False
    # The entry that answers "how much was it?" asked right after this one.
    how_much: str = ""


@dataclass(frozen=True)
class SearchUnit:
    """One thing search can return: a guide section or an FAQ entry.

    `doc_id` is ``<guide id>#<section id>`` for a section and the entry id for an FAQ.
    `title` is what a hit shows as its title: the guide's title for a section, the question
    for an FAQ; `section_title` is the section's own title (None for an FAQ).
    """

    doc_id: str
    kind: str  # "guide" or "faq"
    title: LocalText
    section_title: LocalText | None
    body: LocalText
    context: LocalText  # text around the unit (guide title and summary); empty for an FAQ
    tags: tuple[str, ...]
    keywords: Keywords
    citations: tuple[str, ...]
    guide_id: str | None = None


@dataclass(frozen=True)
class GuideLibrary:
    """Every practical guide and FAQ entry of ``knowledge/``, validated against the tag
    vocabulary; what the search index is built from."""

    guides: tuple[Guide, ...]
    faq: tuple[FaqEntry, ...]
    vocabulary: frozenset[str]

    def units(self) -> list[SearchUnit]:
        return [*guide_units(self.guides), *faq_units(self.faq)]


# ---------------------------------------------------------------- reading files


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeError.at(path, "", f"not valid YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise KnowledgeError.at(path, "", "not UTF-8 text") from exc


def load_vocabulary(path: Path) -> frozenset[str]:
    """The allowed tags: every string listed under any group of vocabulary.yaml."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise KnowledgeError.at(path, "", "expected a mapping of group name to a list of tags")
    tags: set[str] = set()
    for group, listed in data.items():
        if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
            raise KnowledgeError.at(path, str(group), "expected a list of tag strings")
        tags.update(listed)
    return frozenset(tags)


def guide_files(knowledge_dir: Path) -> list[Path]:
    return sorted((Path(knowledge_dir) / "guides").glob("*.yaml"))


@by_files(lambda knowledge_dir: sorted(Path(knowledge_dir).rglob("*.yaml")))
def load_knowledge(knowledge_dir: Path | str) -> GuideLibrary:
    """Load and validate every guide and the FAQ; ids are unique across both."""
    root = Path(knowledge_dir)
    vocabulary = load_vocabulary(root / "vocabulary.yaml")
    seen: dict[str, str] = {}  # id -> file that defined it
    guides = []
    for path in guide_files(root):
        guide = parse_guide(_read_yaml(path), path, vocabulary)
        _claim_id(seen, guide.id, path, "id")
        guides.append(guide)
    faq: list[FaqEntry] = []
    faq_path = root / "faq.yaml"
    if faq_path.exists():
        data = _read_yaml(faq_path)
        if data is None:
            data = []
        if not isinstance(data, list):
            raise KnowledgeError(faq_path, "", "expected a list of FAQ entries")
        for index, raw in enumerate(data):
            entry = parse_faq_entry(raw, faq_path, f"[{index}]", vocabulary)
            _claim_id(seen, entry.id, faq_path, f"[{index}].id")
            faq.append(entry)
    return GuideLibrary(guides=tuple(guides), faq=tuple(faq), vocabulary=vocabulary)


def _claim_id(seen: dict[str, str], doc_id: str, path: Path, key: str) -> None:
    if doc_id in seen:
        raise KnowledgeError.at(path, key, f"duplicate id {doc_id!r} (also in {seen[doc_id]})")
    seen[doc_id] = str(path)


# ---------------------------------------------------------------- validation


class _Checker:
    """Validates one mapping of a file; every error carries the file and the key path."""

    def __init__(self, path: Path, prefix: str, vocabulary: frozenset[str]) -> None:
        self.path = path
        self.prefix = prefix
        self.vocabulary = vocabulary

    def key(self, name: str) -> str:
        if not self.prefix:
            return name
        return f"{self.prefix}{name}" if name.startswith("[") else f"{self.prefix}.{name}"

    def fail(self, name: str, problem: str) -> KnowledgeError:
        return KnowledgeError.at(self.path, self.key(name), problem)

    def mapping(self, raw: Any, required: frozenset[str], optional: frozenset[str]) -> dict:
        if not isinstance(raw, dict):
            raise KnowledgeError.at(self.path, self.prefix or "", "expected a mapping")
        for name in sorted(required - raw.keys()):
            raise self.fail(name, "missing key")
        for name in sorted(set(raw) - required - optional, key=str):
            raise self.fail(str(name), "unknown key")
        return raw

    def text(self, raw: dict, name: str) -> str:
        value = raw[name]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "expected a non-empty string")
        return value

    def identifier(self, raw: dict, name: str = "id") -> str:
        value = self.text(raw, name)
        if value != value.strip() or any(ch.isspace() or ch == "#" for ch in value):
            raise self.fail(name, f"id {value!r} must not contain spaces or '#'")
        return value

    def kind(self, raw: dict, expected: str) -> None:
        if raw["kind"] != expected:
            raise self.fail("kind", f"expected {expected!r}, got {raw['kind']!r}")

    def local_text(self, raw: dict, name: str) -> dict[str, str]:
        value = raw[name]
        if not isinstance(value, dict):
            raise self.fail(name, f"expected a mapping with locales {', '.join(LOCALES)}")
        for locale in LOCALES:
            text = value.get(locale)
            if text is None:
                raise self.fail(f"{name}.{locale}", "missing locale")
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{name}.{locale}", "expected non-empty text")
        for locale in value:
            if locale not in LOCALES:
                raise self.fail(f"{name}.{locale}", "unknown locale")
        return {locale: value[locale].strip() for locale in LOCALES}

    def strings(self, raw: dict, name: str) -> tuple[str, ...]:
        value = raw.get(name, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(name, "expected a list of strings")
        return tuple(value)

    def tags(self, raw: dict, name: str = "tags") -> tuple[str, ...]:
        tags = self.strings(raw, name)
        for index, tag in enumerate(tags):
            if tag not in self.vocabulary:
                raise self.fail(f"{name}[{index}]", f"unknown tag {tag!r}")
        return tags

    def items(self, raw: dict) -> tuple[str, ...]:
        items = self.strings(raw, "items")
        for index, item in enumerate(items):
            if item not in FUNDING_ITEMS:
                raise self.fail(f"items[{index}]", f"unknown funding item {item!r}")
        return items

    def keywords(self, raw: dict) -> dict[str, tuple[str, ...]] | None:
        value = raw.get("keywords")
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail("keywords", "expected a mapping of locale to a list of words")
        result = {}
        for locale in value:
            if locale not in LOCALES:
                raise self.fail(f"keywords.{locale}", "unknown locale")
            result[locale] = _Checker(self.path, self.key("keywords"), self.vocabulary).strings(
                value, locale
            )
        return result


def parse_guide(raw: Any, path: Path, vocabulary: frozenset[str]) -> Guide:
    check = _Checker(path, "", vocabulary)
    raw = check.mapping(raw, GUIDE_KEYS_REQUIRED, GUIDE_KEYS_OPTIONAL)
    check.kind(raw, "guide")
    guide_id = check.identifier(raw)
    if guide_id != path.stem:
        raise check.fail("id", f"id {guide_id!r} must match the file name {path.name!r}")
    sections_raw = raw["sections"]
    if not isinstance(sections_raw, list) or not sections_raw:
        raise check.fail("sections", "expected a non-empty list of sections")
    sections = []
    seen: set[str] = set()
    for index, section_raw in enumerate(sections_raw):
        section = parse_section(section_raw, path, f"sections[{index}]", vocabulary)
        if section.id in seen:
            raise KnowledgeError.at(path, f"sections[{index}].id", f"duplicate id {section.id!r}")
        seen.add(section.id)
        sections.append(section)
    return Guide(
        id=guide_id,
        tags=check.tags(raw),
        title=check.local_text(raw, "title"),
        summary=check.local_text(raw, "summary"),
        sections=tuple(sections),
        items=check.items(raw),
        citations=check.strings(raw, "citations"),
        source=str(path),
    )


def parse_section(raw: Any, path: Path, prefix: str, vocabulary: frozenset[str]) -> Section:
    check = _Checker(path, prefix, vocabulary)
    raw = check.mapping(raw, SECTION_KEYS_REQUIRED, SECTION_KEYS_OPTIONAL)
    return Section(
        id=check.identifier(raw),
        title=check.local_text(raw, "title"),
        body=check.local_text(raw, "body"),
        tags=check.tags(raw),
        citations=check.strings(raw, "citations"),
        keywords=check.keywords(raw),
    )


def parse_faq_entry(raw: Any, path: Path, prefix: str, vocabulary: frozenset[str]) -> FaqEntry:
    check = _Checker(path, prefix, vocabulary)
    raw = check.mapping(raw, FAQ_KEYS_REQUIRED, FAQ_KEYS_OPTIONAL)
    check.kind(raw, "faq")
    detail = raw.get("guideline_detail", False)
    if not isinstance(detail, bool):
        raise check.fail("guideline_detail", "expected true or false")
    unknown = raw.get("unknown", False)
    if not isinstance(unknown, bool):
        raise check.fail("unknown", "expected true or false")
    return FaqEntry(
        id=check.identifier(raw),
        tags=check.tags(raw),
        question=check.local_text(raw, "question"),
        answer=check.local_text(raw, "answer"),
        citations=check.strings(raw, "citations"),
        guideline_detail=detail,
        keywords=check.keywords(raw),
        source=str(path),
        ask=check.strings(raw, "ask"),
        unknown=unknown,
        how_much=str(raw.get("how_much", "")),
    )


# ---------------------------------------------------------------- search units


def _join_local(*texts: LocalText) -> dict[str, str]:
    return {loc: "\n".join(t[loc] for t in texts if t.get(loc)) for loc in LOCALES}


def guide_units(guides: Iterable[Guide]) -> list[SearchUnit]:
    units = []
    for guide in guides:
        for section in guide.sections:
            units.append(
                SearchUnit(
                    doc_id=f"{guide.id}#{section.id}",
                    kind="guide",
                    title=guide.title,
                    section_title=section.title,
                    body=section.body,
                    context=_join_local(guide.title, guide.summary),
                    # A section's own tags say what it is about; the guide's are the fallback.
                    tags=section.tags or guide.tags,
                    keywords=section.keywords or {},
                    citations=section.citations or guide.citations,
                    guide_id=guide.id,
                )
            )
    return units


def faq_units(entries: Iterable[FaqEntry]) -> list[SearchUnit]:
    empty = dict.fromkeys(LOCALES, "")
    return [
        SearchUnit(
            doc_id=entry.id,
            kind="faq",
            title=entry.question,
            section_title=None,
            body=entry.answer,
            context=empty,
            tags=entry.tags,
            keywords=entry.keywords or {},
            citations=entry.citations,
        )
        for entry in entries
    ]
