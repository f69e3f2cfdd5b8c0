"""Knowledge may quote figures, never invent them.

Every number written in a text of a YAML file under ``knowledge/`` (except the place
gazetteer and the synonym list, whose digits are codes, not programme facts) must occur
in the source documents in ``../shared/source/`` or in the small, reasoned allowlist
below. The FAQ is also checked for structure: ids, locales, tags and citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
SHARED_DIR = REPO_ROOT.parent / "shared"
SOURCE_DIR = SHARED_DIR / "source"
VOCABULARY_FILE = SHARED_DIR / "knowledge-vocabulary.md"
FAQ_FILE = KNOWLEDGE_DIR / "faq.yaml"

LOCALES = ("en", "zh_Hant_HK", "zh_Hans_CN")
# Keys whose values are references or identifiers, not text a user reads. `ask` holds an
# FAQ entry's question patterns for bot.core.fact_questions ("2015 2020" is two years to
# find in a message, not a phone number or a figure to quote).
NON_TEXT_KEYS = frozenset({"id", "citations", "citation", "tags", "kind", "ask"})
SKIPPED_DIRS = ("places",)
SKIPPED_FILES = ("synonyms.yaml",)

# Numbers accepted although the sources do not spell them out, each with its reason.
ALLOWLIST: dict[Decimal, str] = {
    Decimal(0): "zero, e.g. 'HK$0' when an item costs the factory nothing",
}

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_NUMERAL_RUN = re.compile(r"[零〇一二兩三四五六七八九十]+")
TENS = re.compile(r"([一二兩三四五六七八九]?)十([一二三四五六七八九]?)")
# An Arabic number: digits with optional thousands separators and decimals.
ARABIC_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
# A source number followed by a Chinese multiplier, e.g. 9,306萬 or 7億.
SCALED_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*([萬万億亿])")
SCALES = {
    "萬": Decimal(10) ** 4,
    "万": Decimal(10) ** 4,
    "億": Decimal(10) ** 8,
    "亿": Decimal(10) ** 8,
}
MILLION = Decimal(10) ** 6
# Eight-digit Hong Kong phone numbers, written with or without a space.
PHONE_NUMBER = re.compile(r"(?<!\d)(?<!\d[,.])(\d{4}) ?(\d{4})(?!\d)(?![,.]\d)")
# Paragraph labels ("12. ..." at a line start) and the fact sheet's references to them
# ("para 11, 23, 29", "footnote 3") number the paper; they are not facts to quote.
PARAGRAPH_LABEL = re.compile(r"^\s*\d+\s?\.\s", re.MULTILINE)
PARAGRAPH_REFERENCE = re.compile(
    r"\b(?:paras?|footnote)\s+\d+(?:\([a-z]\))?(?:\s*(?:,|–|-|and)\s*\d+(?:\([a-z]\))?)*"
)


def to_decimal(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", "")).normalize()
    except InvalidOperation:
        return None


def close_digit_gaps(text: str) -> str:
    """Undo the extraction's spacing inside numbers ('2 056', '15 1', '25 ,000')."""
    text = re.sub(r"(?<=\d)\s*,\s*(?=\d)", ",", text)
    return re.sub(r"(?<=\d) {1,2}(?=\d)", "", text)


def chinese_numeral_values(run: str) -> set[Decimal]:
    """Values a run of Chinese numerals can stand for in the paper.

    Dates are read digit by digit (二零一三 → 2013) and counts with 十 positionally
    (三十一 → 31); single digits are always included so that runs like 十二五 yield
    both 12 and 5.
    """
    values = {Decimal(CHINESE_DIGITS[char]) for char in run if char in CHINESE_DIGITS}
    if "十" not in run and len(run) > 1:
        values.add(Decimal("".join(str(CHINESE_DIGITS[char]) for char in run)))
    for tens, units in TENS.findall(run):
        values.add(Decimal(CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(units, 0)))
    return values


def source_numbers(texts: list[str]) -> set[Decimal]:
    numbers: set[Decimal] = set()
    # Read each text as written and with the extraction's digit gaps closed, so that
    # both '2788 5588' (two groups) and '2 056' (one number) are understood.
    variants = [variant for raw in texts for variant in (raw, close_digit_gaps(raw))]
    for variant in variants:
        text = PARAGRAPH_REFERENCE.sub("", PARAGRAPH_LABEL.sub("", variant))
        for token in ARABIC_NUMBER.findall(text):
            if (value := to_decimal(token)) is not None:
                numbers.add(value)
        # 9,306萬元 may be quoted as 93,060,000 or as 93.06 (million).
        for token, unit in SCALED_NUMBER.findall(text):
            if (value := to_decimal(token)) is not None:
                absolute = value * SCALES[unit]
                numbers.add(absolute.normalize())
                numbers.add((absolute / MILLION).normalize())
        for run in CHINESE_NUMERAL_RUN.findall(text):
            numbers |= chinese_numeral_values(run)
    return numbers


def source_phone_numbers(texts: list[str]) -> set[str]:
    return {a + b for text in texts for a, b in PHONE_NUMBER.findall(text)}


def text_values(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every user-facing string in a YAML document, with where it sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key) not in NON_TEXT_KEYS:
                yield from text_values(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            # Name list entries by their id when they have one, e.g. [faq-hotlines].
            label = value.get("id", index) if isinstance(value, dict) else index
            yield from text_values(value, f"{path}[{label}]")
    elif isinstance(node, str):
        yield path, node


# References to the paper inside a text ("(para 18)", "（第12(c)段）", "footnote 3") point at
# a paragraph; like the citations field they are not figures.
TEXT_REFERENCE = re.compile(
    r"\b(?:paras?|paragraphs?|footnotes?)\s+\d+(?:\([a-z]\))?"
    r"(?:\s*(?:,|–|-|and|&)\s*\d+(?:\([a-z]\))?)*"
    r"|第\s*\d+(?:\s*\([a-z]\))?\s*段|[腳脚]註?注?\s*\d+",
    re.IGNORECASE,
)


def unsupported_numbers(text: str, known: set[Decimal], phones: set[str]) -> list[str]:
    text = TEXT_REFERENCE.sub(" ", text)
    bad = [
        token
        for token in ARABIC_NUMBER.findall(text)
        if (value := to_decimal(token)) is not None
        and value not in known
        and value not in ALLOWLIST
    ]
    bad += [a + " " + b for a, b in PHONE_NUMBER.findall(text) if a + b not in phones]
    return bad


def knowledge_files() -> list[Path]:
    files = []
    for path in sorted(KNOWLEDGE_DIR.rglob("*.y*ml")):
        relative = path.relative_to(KNOWLEDGE_DIR)
        if relative.parts[0] in SKIPPED_DIRS or path.name in SKIPPED_FILES:
            continue
        files.append(path)
    return files


@pytest.fixture(scope="module")
def source_texts() -> list[str]:
    if not SOURCE_DIR.is_dir():
        pytest.skip(
            f"source documents not found at {SOURCE_DIR} (shared/ must sit beside the repo)"
        )
    return [
        path.read_text(encoding="utf-8") for path in sorted(SOURCE_DIR.iterdir()) if path.is_file()
    ]


@pytest.fixture(scope="module")
def faq_entries() -> list[dict[str, Any]]:
    entries = yaml.safe_load(FAQ_FILE.read_text(encoding="utf-8"))
    assert isinstance(entries, list), "faq.yaml must be a YAML list"
    return entries


@pytest.fixture(scope="module")
def vocabulary() -> set[str]:
    if not VOCABULARY_FILE.is_file():
        pytest.skip(f"tag vocabulary not found at {VOCABULARY_FILE}")
    return set(re.findall(r"`([a-z0-9-]+)`", VOCABULARY_FILE.read_text(encoding="utf-8")))


def test_source_reading_finds_known_figures(source_texts: list[str]) -> None:
    # Guards the reader itself: figures written in each of the sources' styles.
    known = source_numbers(source_texts)
    for figure in (
        "2056",
        "25000",
        "300000",
        "160000",
        "93.06",
        "93060000",
        "6.2",
        "700",
        "2013",
        "31",
    ):
        assert Decimal(figure).normalize() in known, figure
    assert Decimal(23) not in known  # only a paragraph label in the paper
    assert "27885588" in source_phone_numbers(source_texts)


def test_reader_rejects_invented_figures(source_texts: list[str]) -> None:
    known = source_numbers(source_texts)
    phones = source_phone_numbers(source_texts)
    assert unsupported_numbers("cap HK$35,000 from 1 May 2013", known, phones) == ["35,000"]
    assert unsupported_numbers("call (852) 2788 5599, or", known, phones) == ["5599", "2788 5599"]
    assert unsupported_numbers("call 2788 2013.", known, phones) == ["2788 2013"]
    assert unsupported_numbers("上限為25,000元，熱線2788 5588", known, phones) == []
    # Paragraph references are not figures; the same number as a count is.
    # (19 is no figure of the sources; 18 is, since later-phases.md gives 18 April 2008.)
    assert unsupported_numbers("(para 19; paras 12(c) and 13) 見第19段、腳註3", known, phones) == []
    assert unsupported_numbers("19 workshops joined", known, phones) == ["19"]


@pytest.mark.parametrize("path", knowledge_files(), ids=lambda p: str(p.relative_to(KNOWLEDGE_DIR)))
def test_knowledge_numbers_come_from_sources(path: Path, source_texts: list[str]) -> None:
    known = source_numbers(source_texts)
    phones = source_phone_numbers(source_texts)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = [
        f"{where}: {', '.join(bad)}"
        for where, text in text_values(document)
        if (bad := unsupported_numbers(text, known, phones))
    ]
    assert not problems, "numbers not found in the sources:\n" + "\n".join(problems)


def test_faq_ids_unique_and_well_formed(faq_entries: list[dict[str, Any]]) -> None:
    ids = [entry.get("id") for entry in faq_entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"
    malformed = [
        i
        for i in ids
        if not isinstance(i, str) or not re.fullmatch(r"faq-[a-z0-9]+(-[a-z0-9]+)*", i)
    ]
    assert not malformed, f"ids must be kebab-case starting with faq-: {malformed}"
    assert all(entry.get("kind") == "faq" for entry in faq_entries)


def test_faq_has_all_locales(faq_entries: list[dict[str, Any]]) -> None:
    missing = [
        f"{entry.get('id')}.{field}.{locale}"
        for entry in faq_entries
        for field in ("question", "answer")
        for locale in LOCALES
        if not str((entry.get(field) or {}).get(locale) or "").strip()
    ]
    assert not missing, f"empty or missing texts: {missing}"


def test_faq_tags_in_vocabulary(faq_entries: list[dict[str, Any]], vocabulary: set[str]) -> None:
    unknown = {
        f"{entry.get('id')}: {tag}"
        for entry in faq_entries
        for tag in entry.get("tags") or []
        if tag not in vocabulary
    }
    assert not unknown, f"tags not in knowledge-vocabulary.md: {sorted(unknown)}"
    untagged = [entry.get("id") for entry in faq_entries if not entry.get("tags")]
    assert not untagged, f"entries without tags: {untagged}"


def test_faq_cites_sources(faq_entries: list[dict[str, Any]]) -> None:
    uncited = [
        entry.get("id")
        for entry in faq_entries
        if not [c for c in entry.get("citations") or [] if isinstance(c, str) and c.strip()]
    ]
    assert not uncited, f"entries without citations: {uncited}"


def test_guideline_details_say_so(faq_entries: list[dict[str, Any]]) -> None:
    # Facts from the later guidelines must be flagged and must tell the reader so.
    for entry in faq_entries:
        assert isinstance(entry.get("guideline_detail"), bool), entry.get("id")
        if entry["guideline_detail"]:
            assert "fact sheet" in entry["citations"], entry["id"]
            assert "guidelines" in entry["answer"]["en"], entry["id"]
            assert "指引" in entry["answer"]["zh_Hant_HK"], entry["id"]
            assert "指引" in entry["answer"]["zh_Hans_CN"], entry["id"]


SECRETARIAT_PHONE = "(852) 2788 5588"
WEBSITE = "www.cleanerproduction.hk"
# How each locale says that our sources are silent.
SILENCE = {"en": "our sources", "zh_Hant_HK": "我們的資料", "zh_Hans_CN": "我们的资料"}


def test_unknown_entries_say_so_and_give_the_secretariat(faq_entries: list[dict[str, Any]]) -> None:
    # An entry marked `unknown: true` answers a question our sources are silent on: in
    # every locale it says so and gives the secretariat's number and the website.
    unknown = [entry for entry in faq_entries if entry.get("unknown")]
    assert len(unknown) >= 10
    problems = [
        f"{entry['id']}.{locale}"
        for entry in unknown
        for locale in LOCALES
        if SECRETARIAT_PHONE not in entry["answer"][locale]
        or WEBSITE not in entry["answer"][locale]
        or SILENCE[locale] not in entry["answer"][locale].casefold()
    ]
    assert not problems, f"unknown entries must name the gap and give phone and website: {problems}"
    assert all(isinstance(entry.get("unknown", False), bool) for entry in faq_entries)


def test_faq_cites_only_known_sources(faq_entries: list[dict[str, Any]], source_texts: list[str]) -> None:
    # A citation is a paper paragraph, the annex, the fact sheet, or a source id that
    # later-phases.md lists.
    source_ids = set(re.findall(r"^\| (W\d+) \|", "\n".join(source_texts), re.MULTILINE))
    assert {"W1", "W9", "W13"} <= source_ids
    paper = re.compile(r"(?:para \d+(?:\([a-z]\))?|footnote \d|annex|fact sheet)")
    bad = sorted(
        {
            f"{entry['id']}: {citation}"
            for entry in faq_entries
            for citation in entry.get("citations") or []
            if not (citation in source_ids or paper.fullmatch(citation))
        }
    )
    assert not bad, f"citations that name no source: {bad}"


# Figures that appear in the catalogs only as examples of how to type an amount or a date
# ("Type it as you like: 400000, HK$400k, 40萬"; "/calc 示範 40萬 2014-01-01"): no fact.
TYPING_EXAMPLES = {Decimal(400000), Decimal(40), Decimal(2014)}
_EXAMPLE_CUES = ("e.g.", "例如", "as you like", "可隨意", "可随意")


def _catalog_texts() -> Iterator[tuple[str, str]]:
    from babel.messages.pofile import read_po

    for locale in LOCALES:
        path = REPO_ROOT / "i18n" / locale / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if not message.id:
                    continue
                for text in (message.id, message.string):
                    if isinstance(text, str) and text:
                        yield f"{locale}: {message.id[:60]!r}", text


def test_catalog_numbers_come_from_sources(source_texts: list[str]) -> None:
    """Every figure of a message the bot words (all three catalogs) is in the sources,
    or is an example of how to type an amount."""
    known = source_numbers(source_texts)
    phones = source_phone_numbers(source_texts)
    problems = []
    for where, text in _catalog_texts():
        bad = unsupported_numbers(text, known, phones)
        if any(cue in text for cue in _EXAMPLE_CUES):
            bad = [b for b in bad if to_decimal(b) not in TYPING_EXAMPLES]
        if bad:
            problems.append(f"{where}: {', '.join(bad)}")
    assert not problems, "numbers not found in the sources:\n  " + "\n  ".join(problems)
