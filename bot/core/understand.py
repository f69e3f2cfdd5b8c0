"""What a message says: the signals in it (``knowledge/intents.yaml``), the place, the
amounts, the funding item, the kind of premises and processes, a date, the language.

``understand(text)`` extracts; ``primary_intent(u)`` decides what to answer first.
No answer is built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from bot.core import language, money, places
from bot.core.rules import ITEMS, KNOWLEDGE_DIR
from bot.core.textnorm import fold
from bot.core.yamlio import load_yaml

_LATIN = re.compile(r"[a-z0-9]")


_END = ""  # trie key of the entries that end at a node: {signal: word length}


@dataclass(frozen=True)
class SignalTable:
    """The signal words of ``knowledge/intents.yaml`` in one character trie.

    Per signal, matches are leftmost and longest and do not overlap, as a regular
    expression of the signal's words would find them; Latin words match whole words only
    ("demo" is not in "democratic"). One pass over the text finds every signal, which is
    many times faster than a pattern per signal.
    """

    trie: dict[str, Any]

    def spans(self, folded: str) -> list[tuple[str, int, int]]:
        """Every signal word in the text: (signal, start, end), in text order."""
        found: list[tuple[str, int, int]] = []
        covered: dict[str, int] = {}
        trie = self.trie
        n = len(folded)
        for start in range(n):
            char = folded[start]
            if start and _is_latin_letter(char) and _is_latin_letter(folded[start - 1]):
                continue  # inside a Latin word: no whole word starts here
            node = trie.get(char)
            if node is None:
                continue
            longest: dict[str, int] = {}
            end = start + 1
            while True:
                ends = node.get(_END)
                if ends:
                    for name, latin in ends.items():
                        if latin and (
                            (start > 0 and _is_latin_letter(folded[start - 1]))
                            or (end < n and _is_latin_letter(folded[end]))
                        ):
                            continue
                        longest[name] = end
                if end >= n:
                    break
                node = node.get(folded[end])
                if node is None:
                    break
                end += 1
            for name, stop in longest.items():
                if start >= covered.get(name, 0):
                    covered[name] = stop
                    found.append((name, start, stop))
        if any(name.startswith(_NOT) for name in covered):
            found = _without_shadowed(found)
        return sorted(found, key=lambda s: (s[1], -s[2]))

    def found(self, folded: str) -> set[str]:
        return {name for name, _, _ in self.spans(folded)}


# "not.<signal>" words cancel the signal's words inside them: "處理大" holds no "理大"
# (PolyU), "科大訊飛" is no Hong Kong university, "中大型" no CUHK.
_NOT = "not."


def _without_shadowed(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    shadows = [(name[len(_NOT) :], s, e) for name, s, e in found if name.startswith(_NOT)]
    return [
        (name, s, e)
        for name, s, e in found
        if not name.startswith(_NOT)
        and not any(name == n and ss <= s and e <= se for n, ss, se in shadows)
    ]


def _is_latin_letter(char: str) -> bool:
    return "a" <= char <= "z"


def _trie(data: dict[str, list[str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for name, words in data.items():
        for word in {fold(w) for w in words}:
            if not word:
                continue
            node = root
            for char in word:
                node = node.setdefault(char, {})
            node.setdefault(_END, {})[name] = bool(_LATIN.match(word))
    return root


@cache
def signal_table(knowledge_dir: Path = KNOWLEDGE_DIR) -> SignalTable:
    data = load_yaml((knowledge_dir / "intents.yaml").read_text(encoding="utf-8"))
    return SignalTable(_trie(data))


_FULL_DATE = re.compile(r"(20\d\d)\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})")
_YEAR_MONTH = re.compile(r"(20\d\d)\s*(?:年|-|/)\s*(\d{1,2})\s*月?")
_YEAR = re.compile(
    # not a sum or a count: "2000万的货", "2000件", "2000 workers"
    r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)(?!\s*(?:万|萬|千|百|亿|億|元|蚊|块|件|个|人|%|k\b|m\b))\s*(?:年)?"
)


@dataclass(frozen=True)
class DateMention:
    day: date
    precision: str  # "day" | "month" | "year"
    until: date | None = None  # the last day of a month named, or of a month range


_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_WORD = "|".join([*_MONTH_NAMES, *(m[:3] for m in _MONTH_NAMES), "sept"])
_EN_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_WORD})\.?,?\s+(20\d\d)\b")
_EN_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORD})\.?,?\s+(?:of\s+)?(20\d\d)\b")
# "March 15, 2013"; "2013 March", "2013 January 10" (year first, as in 2013年3月)
_EN_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(20\d\d)\b"
)
# "Mar '09", "march ’14": a month and a two-digit year
_EN_MONTH_SHORT_YEAR = re.compile(rf"\b({_MONTH_WORD})\.?\s*['’‘](\d{{2}})\b")
_EN_YEAR_MONTH = re.compile(
    rf"\b(20\d\d),?\s+({_MONTH_WORD})\b\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?\b)?"
)


_MONTH_RANGE_END = re.compile(r"\s*(?:到|至|－|-|~|–|to)\s*(\d{1,2})\s*月")


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(_MONTH_NAMES, start=1) if m.startswith(name[:3]))


# A financial year: "FY2013/14", "fy 2013-14", "2013/14年度", "2013/14 financial year"
_FINANCIAL_YEAR = re.compile(
    r"\bfy\s*(20\d\d)\s*[/-]\s*(\d\d|20\d\d)\b"
    r"|(?<!\d)(20\d\d)\s*/\s*(\d\d|20\d\d)(?!\d)\s*(?:年度|财政年度|财年|\s(?:financial|fiscal) year)"
)
# "CP2024-0012", "ref-2023-118": a reference number, whose digits are no year.
_REFERENCE = re.compile(r"(?<![a-z0-9])[a-z]{1,5}-?\d{4}(?:[-/]\d+)+|(?<![a-z0-9])[a-z]{1,5}\d{4,}")


def without_references(folded: str) -> str:
    """The message with reference numbers blanked (same length, so spans still hold)."""
    return _REFERENCE.sub(lambda m: " " * len(m.group(0)), folded)


def _a_day(year: int | str, month: int, day: int | str) -> DateMention | None:
    """That day, or None when there is no such day ("30 February")."""
    try:
        return DateMention(date(int(year), month, int(day)), "day")
    except ValueError:
        return None


# A date in Chinese numerals: "二零一三年二月", "二〇一五年五月十五日"
_CN_DIGITS = {
    "零": "0",
    "〇": "0",
    "○": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_CN_YEAR = re.compile(r"([零〇○一二三四五六七八九]{4})\s*年")
_CN_MONTH = re.compile(r"(?<=年)\s*(十[一二]?|[一二三四五六七八九])\s*月")
_CN_DAY = re.compile(
    r"(?<=月)\s*(三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])\s*(?=日|号)"
)


def _cn_number(text: str) -> str:
    """ "十二" 12, "二十五" 25, "三十" 30, "五" 5 (one to thirty-one)."""
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _CN_DIGITS[text]
    return str((int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0))


def arabic_dates(folded: str) -> str:
    """A date written in Chinese numerals, in digits ("二零一三年二月" "2013年2月").

    >>> arabic_dates("我想喺二零一三年二月申请")
    '我想喺2013年2月申请'
    >>> arabic_dates("二〇一五年十二月二十五日")
    '2015年12月25日'
    """
    if not _CN_YEAR.search(folded):
        return folded
    folded = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + "年", folded)
    folded = _CN_MONTH.sub(lambda m: _cn_number(m.group(1)) + "月", folded)
    return _CN_DAY.sub(lambda m: _cn_number(m.group(1)), folded)


def find_date(folded: str) -> DateMention | None:
    """The day a message names: "2014年3月1日", "2013-02", "February 2013", "2012".

    >>> find_date("can i apply in february 2013?")
    DateMention(day=datetime.date(2013, 2, 1), precision='month', until=datetime.date(2013, 2, 28))
    >>> find_date("我個申請編號係cp2024-0012") is None
    True
    >>> find_date("二零一三年二月")
    DateMention(day=datetime.date(2013, 2, 1), precision='month', until=datetime.date(2013, 2, 28))
    """
    # before references are blanked: "fy2013/14" reads like one
    for match in _FINANCIAL_YEAR.finditer(arabic_dates(folded)):
        # "FY2013/14", "2013/14年度": Hong Kong's financial year, April to March
        year, second = int(match.group(1) or match.group(3)), match.group(2) or match.group(4)
        if int(second) in (year + 1, (year + 1) % 100):
            return DateMention(date(year, 4, 1), "month", date(year + 1, 3, 31))
    folded = arabic_dates(without_references(folded))
    match = _EN_DAY_MONTH_YEAR.search(folded)
    found = match and _a_day(match.group(3), _month_number(match.group(2)), match.group(1))
    if found:
        return found
    match = _EN_MONTH_DAY_YEAR.search(folded)
    found = match and _a_day(match.group(3), _month_number(match.group(1)), match.group(2))
    if found:
        return found
    match = _EN_MONTH_YEAR.search(folded)
    if match:
        year, month = int(match.group(2)), _month_number(match.group(1))
        return DateMention(date(year, month, 1), "month", _month_end(year, month))
    match = _EN_MONTH_SHORT_YEAR.search(folded)
    if match:
        short = int(match.group(2))  # "'09" 2009, "'99" 1999
        year, month = (2000 if short < 50 else 1900) + short, _month_number(match.group(1))
        return DateMention(date(year, month, 1), "month", _month_end(year, month))
    match = _EN_YEAR_MONTH.search(folded)
    if match and not (match.group(2) == "may" and match.group(3) is None):  # "2013 may we…"
        year, month = int(match.group(1)), _month_number(match.group(2))
        found = match.group(3) is not None and _a_day(year, month, match.group(3))
        if found:
            return found
        return DateMention(date(year, month, 1), "month", _month_end(year, month))
    for pattern, precision in ((_FULL_DATE, "day"), (_YEAR_MONTH, "month")):
        match = pattern.search(folded)
        if match:
            parts = [int(g) for g in match.groups()]
            try:
                day = date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
            except ValueError:
                continue
            if precision == "day":
                return DateMention(day, precision)
            # "2013年1月到3月": the months up to the last one named
            last = _MONTH_RANGE_END.match(folded, match.end())
            end_month = (
                int(last.group(1)) if last and parts[1] < int(last.group(1)) <= 12 else parts[1]
            )
            return DateMention(day, precision, _month_end(parts[0], end_month))
    match = _YEAR.search(folded)
    if match:
        year = int(match.group(1))
        return DateMention(date(year, 1, 1), "year", date(year, 12, 31))
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
    # The signal words of the folded text (not rewritten by synonyms), with offsets.
    spans: list[tuple[str, int, int]] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        return not self.signals.isdisjoint(names)


def understand(
    text: str,
    last_locale: str | None = None,
    telegram_language_code: str | None = None,
    place_context: Any = None,
    with_place: bool = True,
) -> Understanding:
    text = text[:4096]
    folded = language.normalise(text)
    plain = fold(text)
    plain_spans = signal_table().spans(plain)
    signals = {name for name, _, _ in plain_spans}
    if folded != plain:  # most messages have no synonym to rewrite: one pass is enough
        signals |= signal_table().found(folded)
    # Amounts and dates are read from the folded text without synonym rewriting.
    mention = find_date(plain)
    amounts = [a for a in money.find_amounts(text) if not _is_year(a, mention)]
    u = Understanding(
        text=text,
        folded=folded,
        locale=language.detect_locale(text, last_locale, telegram_language_code),
        signals=signals,
        place=_place_outside_amounts(text, amounts, place_context) if with_place else None,
        amounts=amounts,
        date=mention,
        spans=plain_spans,
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
_CURRENCY_WORDS = re.compile(r"(?i)\bhk\s?\$|\bhkd\b|港幣|港币|港元(?!朗)|港紙|港纸")


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
