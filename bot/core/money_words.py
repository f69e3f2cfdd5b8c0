"""Amounts written in English words: "five hundred thousand HKD", "half a million",
"two million dollars". Only a phrase with a scale word (thousand, million) beside a
currency or a money word is read, so "two hundred workers" stays no amount.

>>> [(str(a.value), a.currency) for a in word_amounts("about five hundred thousand HKD")]
[('500000', 'HKD')]
>>> word_amounts("we have two thousand workers")
[]
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.money import Amount

_SMALL = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_FRACTIONS = {"half": Decimal("0.5"), "quarter": Decimal("0.25")}
_WORD = "|".join(sorted([*_SMALL, *_SCALES, *_FRACTIONS, "and", "point"], key=len, reverse=True))
# Word edges are Latin letters only: "大概five hundred thousand" holds a phrase too.
_PHRASE = re.compile(rf"(?<![a-z])(?:(?:{_WORD})(?![a-z])(?:[\s-]+|$)?)+", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"\s*(?P<cur>hkd|hk\s?dollars?|hong kong dollars?|dollars?|bucks|rmb|yuan|renminbi|usd)\b",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?P<cur>hk\$|hkd|rmb|usd|\$)\s*$", re.IGNORECASE)
_MONEY_WORDS = re.compile(
    r"\b(?:cost|costs|costing|budget|quote|quoted|price|spend|spent|worth|invest\w*|project"
    r"|subsidy|grant|pay|paid)\b",
    re.IGNORECASE,
)
# What may stand around an amount given alone: "about two million", "it's around half a million".
_HEDGES = frozenset(
    [
        "about",
        "around",
        "roughly",
        "approx",
        "approximately",
        "maybe",
        "like",
        "some",
        "it's",
        "its",
        "it",
        "is",
        "was",
        "total",
        "in",
        "all",
        "so",
        "ok",
        "okay",
        "um",
        "er",
    ]
)
_VAGUE_BEFORE = re.compile(r"\b(?:few|several|some|many|of)\s*$", re.IGNORECASE)
_CURRENCIES = {
    "hkd": "HKD",
    "hk$": "HKD",
    "rmb": "RMB",
    "yuan": "RMB",
    "renminbi": "RMB",
    "usd": "USD",
}


def _value(words: list[str]) -> Decimal | None:
    """ "five hundred thousand" → 500000; "half a million" → 500000; None without a scale."""
    total, current = Decimal(0), Decimal(0)
    fraction: Decimal | None = None
    scaled = False
    decimals: int | None = None  # digits after "point": "one point five million"
    for word in words:
        if word == "and":
            continue
        if word == "point":
            if decimals is not None:
                return None
            decimals = 0
            continue
        if (
            decimals is not None
            and word in _SMALL
            and _SMALL[word] < 10
            and word not in ("a", "an")
        ):
            decimals += 1
            current += Decimal(_SMALL[word]) / Decimal(10) ** decimals
            continue
        if decimals is not None and word not in _SCALES:
            return None  # "one point twenty": no number a person writes
        if word in _FRACTIONS:
            fraction = _FRACTIONS[word]
        elif word in _SMALL:
            current += _SMALL[word] if word not in ("a", "an") or current == 0 else 0
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            if current == 0 and fraction is None and total > 0:
                return None  # "million thousand million": no number a person means
            scaled = True
            base = current or Decimal(1)
            if fraction is not None:
                base, fraction = fraction, None
            total += base * _SCALES[word]
            current = Decimal(0)
    return total + current if scaled and total + current > 0 else None


def word_amounts(text: str) -> list[Amount]:
    """A phrase that is the whole message but for hedges ("one point five million", "about
    two million") needs no money word: it answers "how much?"."""
    from bot.core.money import Amount

    found = []
    money_said = bool(_MONEY_WORDS.search(text))
    for match in _PHRASE.finditer(text[:2000]):
        words = [w.lower() for w in re.split(r"[\s-]+", match.group(0).strip()) if w]
        while words and words[-1] in ("and", "a", "an"):
            words.pop()
        value = _value(words)
        if value is None or value < 1000:
            continue
        start = match.start()
        end = start + len(match.group(0).rstrip())
        if _VAGUE_BEFORE.search(text[max(0, start - 12) : start]):
            continue  # "a few hundred thousand": no figure to read

        after = _CURRENCY_AFTER.match(text, end)
        before = _CURRENCY_BEFORE.search(text[max(0, start - 6) : start])
        currency_word = (
            (after or before).group("cur").lower().replace(" ", "") if (after or before) else None
        )
        rest = re.findall(r"[a-z']+", (text[:start] + " " + text[end:]).lower())
        hedged = all(word in _HEDGES for word in rest)
        if currency_word is None and not money_said and not hedged:
            continue  # "two thousand workers": no money said
        currency = next(
            (c for k, c in _CURRENCIES.items() if currency_word and currency_word.startswith(k)),
            None,
        )
        if currency_word in ("hkdollar", "hkdollars", "hongkongdollar", "hongkongdollars"):
            currency = "HKD"
        if after is not None:
            end = after.end()
        if before is not None:
            start -= len(text[max(0, start - 6) : start]) - before.start()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        found.append(
            Amount(value=value, currency=currency, text=text[start:end], span=(start, end))
        )
    return found
