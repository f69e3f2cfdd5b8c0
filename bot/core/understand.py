"""What a message says: the signals in it (``knowledge/intents.yaml``), the place, the
amounts, the funding item, the kind of premises and processes, a date, the language.

``understand(text)`` extracts; ``primary_intent(u)`` decides what to answer first.
No answer is built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from bot.core import language, money, places
from bot.core.rules import ITEMS, KNOWLEDGE_DIR
from bot.core.textnorm import fold
from bot.core.yamlio import load_yaml

_LATIN = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class SignalTable:
    patterns: dict[str, re.Pattern[str]]

    def found(self, folded: str) -> set[str]:
        return {name for name, pattern in self.patterns.items() if pattern.search(folded)}


def _pattern(words: list[str]) -> re.Pattern[str]:
    alternatives = []
    for word in sorted({fold(w) for w in words}, key=len, reverse=True):
        escaped = re.escape(word)
        # Latin words match whole words only ("demo" is not in "democratic").
        alternatives.append(rf"(?<![a-z]){escaped}(?![a-z])" if _LATIN.match(word) else escaped)
    return re.compile("|".join(alternatives))


@cache
def signal_table(knowledge_dir: Path = KNOWLEDGE_DIR) -> SignalTable:
    data = load_yaml((knowledge_dir / "intents.yaml").read_text(encoding="utf-8"))
    return SignalTable({name: _pattern(words) for name, words in data.items()})


_FULL_DATE = re.compile(r"(20\d\d)\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})")
_YEAR_MONTH = re.compile(r"(20\d\d)\s*(?:年|-|/)\s*(\d{1,2})\s*月?")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)\s*(?:年)?")


@dataclass(frozen=True)
class DateMention:
    day: date
    precision: str  # "day" | "month" | "year"


def find_date(folded: str) -> DateMention | None:
    for pattern, precision in ((_FULL_DATE, "day"), (_YEAR_MONTH, "month")):
        match = pattern.search(folded)
        if match:
            parts = [int(g) for g in match.groups()]
            try:
                return DateMention(date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1), precision)
            except ValueError:
                continue
    match = _YEAR.search(folded)
    if match:
        return DateMention(date(int(match.group(1)), 1, 1), "year")
    return None


@dataclass
class Understanding:
    text: str
    folded: str
    locale: str
    signals: set[str] = field(default_factory=set)
    place: places.PlaceMatch | None = None
    amounts: list[money.Amount] = field(default_factory=list)
    item: str | None = None
    premises: str | None = None
    processes: frozenset[str] = frozenset()
    hk_owned: bool | None = None
    date: DateMention | None = None

    def has(self, *names: str) -> bool:
        return any(name in self.signals for name in names)


def understand(
    text: str,
    last_locale: str | None = None,
    telegram_language_code: str | None = None,
    place_context: Any = None,
) -> Understanding:
    text = text[:4096]
    folded = language.normalise(text)
    plain = fold(text)
    signals = signal_table().found(folded) | signal_table().found(plain)
    # Amounts and dates are read from the folded text without synonym rewriting.
    mention = find_date(plain)
    amounts = [a for a in money.find_amounts(text) if not _is_year(a, mention)]
    u = Understanding(
        text=text,
        folded=folded,
        locale=language.detect_locale(text, last_locale, telegram_language_code),
        signals=signals,
        place=_place_outside_amounts(text, amounts, place_context),
        amounts=amounts,
        date=mention,
    )
    items = [item for item in ITEMS if f"item.{item}" in signals]
    u.item = items[0] if len(items) == 1 else None
    if "premises.workshop" in signals:
        u.premises = "workshop"
    elif "premises.factory" in signals:
        u.premises = "factory"
    u.processes = frozenset(
        name.removeprefix("process.") for name in signals if name.startswith("process.")
    )
    if "owner.not_hk" in signals:  # "唔係港資" holds "港資": the negation wins
        u.hk_owned = False
    elif "owner.hk" in signals:
        u.hk_owned = True
    return u


# Currency names that hold a place name: "HK$", "HKD", "港幣", "港元" are no Hong Kong.
_CURRENCY_WORDS = re.compile(r"(?i)\bhk\s?\$|\bhkd\b|港幣|港币|港元|港紙|港纸")


def _place_outside_amounts(
    text: str, amounts: list[money.Amount], context: Any
) -> places.PlaceMatch | None:
    """The place mentioned, not counting currency words ("HK$80k" is no Hong Kong)."""
    for amount in amounts:
        start, end = amount.span
        text = text[:start] + " " * (end - start) + text[end:]
    text = _CURRENCY_WORDS.sub(lambda m: " " * len(m.group(0)), text)
    return places.find_place(text, context=context)


def _is_year(amount: money.Amount, mention: DateMention | None) -> bool:
    return mention is not None and amount.value == mention.day.year and amount.currency is None


def primary_intent(u: Understanding) -> str:
    """What to answer first, most specific signal first."""
    if u.has("handoff"):
        return "handoff"
    if u.amounts and (u.item or u.has("subsidy", "cap")):
        return "subsidy"
    if u.place is not None:
        return "eligibility"
    if u.premises == "workshop" and u.processes:
        return "eligibility"
    if u.has("hotline"):
        return "hotline"
    if u.item and u.has("cap", "subsidy") and not u.has("howto"):
        return "subsidy"
    if u.has("estimate") and not u.has("howto"):
        return "subsidy"
    if u.has("cap") and not u.has("howto") and (u.has("subsidy") or len(u.folded) <= 24):
        return "subsidy"
    if u.has("eligibility") and not u.has("howto"):
        return "eligibility"
    if u.amounts and not u.has("howto"):
        return "subsidy"
    if u.has("help") and len(u.folded) <= 40:
        return "help"
    if u.has("greeting") and len(u.folded) <= 24:
        return "greeting"
    return "search"
