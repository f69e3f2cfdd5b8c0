"""Text folding shared by every matcher: one canonical form for comparing text.

Folding is for matching only; replies never show folded text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import opencc

# hk2s: Traditional with Hong Kong usage -> Simplified. Matching runs on Simplified
# because Traditional -> Simplified is many-to-one and safe, the reverse is lossy.
_HK2S = opencc.OpenCC("hk2s.json")


# "site:cleanerproduction.hk", "www.epd.gov.hk", "https://...", an e-mail: an address,
# neither a place (".hk") nor words to search for.
WEB_ADDRESS = re.compile(
    r"(?:https?://|www\.|site:)\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:hk|com|org|net|gov|cn|edu)\b\S*",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    return _HK2S.convert(text)


# Japanese forms and variants some input methods give for a Chinese character ("順徳" for
# 順德, "恵州" for 惠州, "仏山" for 佛山): the Simplified character, one for one, so spans
# still fit
_VARIANTS = str.maketrans(
    {
        "徳": "德",
        "恵": "惠",
        "仏": "佛",
        "広": "广",
        "県": "县",
        "関": "关",
        "亜": "亚",
        "両": "两",
        "沢": "泽",
        "鉄": "铁",
        "栄": "荣",
        "営": "营",
        "浜": "滨",
        "塩": "盐",
        "団": "团",
        "図": "图",
        "発": "发",
        "売": "卖",
        "渓": "溪",
        "満": "满",
        "辺": "边",
        "黒": "黑",
        "斉": "齐",
    }
)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, Traditional folded to Simplified.

    >>> fold("ＨＫ＄４０萬 東莞")
    'hk$40万 东莞'
    """
    # Cached: one message is folded by several readers (signals, places, facts, money).
    # "……" stays one character a dot (NFKC makes it three), so that spans found in the
    # text fit the folded text ("我在东莞有工厂……不对，是在贵港").
    text = unicodedata.normalize("NFKC", text.replace("\u2026", ".")).casefold()
    if text.isascii() or not _has_cjk(text):
        return text
    return to_simplified(text.translate(_VARIANTS))


def _has_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


def fold_aligned(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, its offset in ``text``.

    >>> fold_aligned("ＨＫ廠")
    ('hk厂', [0, 1, 2])
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        parts.append(f)
        offsets.extend([i] * len(f))
    return "".join(parts), offsets


def words_pattern(words: Iterable[str], word_chars: str = "a-z") -> str:
    """A regex source matching any of ``words`` (already folded), the longest first.

    Words that start with a Latin letter or digit match whole words only (no
    ``word_chars`` on either side: "demo" is not in "democratic"); the others, Chinese
    above all, match anywhere. The words become one prefix tree, so the engine checks one
    branch per character instead of trying every word at every position: with a
    look-behind in front of each word it could not skip ahead at all.

    >>> re.findall(words_pattern(["hk", "hk company", "香港", "香港人"]), "hk company 香港人 hkd")
    ['hk company', '香港人']
    """
    latin: list[str] = []
    other: list[str] = []
    for word in set(words):
        if word:
            (latin if word[0].isascii() and word[0].isalnum() else other).append(word)
    alternatives = []
    if latin:
        alternatives.append(rf"(?<![{word_chars}])(?:{_tree_pattern(latin)})(?![{word_chars}])")
    if other:
        alternatives.append(_tree_pattern(other))
    return "|".join(alternatives)


def _tree_pattern(words: Iterable[str]) -> str:
    # Siblings start with different characters, so at most one branch can match, and
    # the greedy "?" makes the longest word win.
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(tree)


def _node_pattern(node: dict[str, dict]) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class Recalled:
    """A compiled pattern that remembers its search of the last text it was given.

    Reading asks some patterns the same question of the same message several times
    (``_PERCENT`` about six times a message, in as many rules); each answer after the
    first is a lookup. The text is compared by identity, so only the very same string
    is answered from memory. Everything else is the pattern's own.

    >>> p = Recalled(re.compile(r"\\d+%"))
    >>> text = "占 50% 股份"
    >>> p.search(text) is p.search(text)
    True
    >>> [m.group() for m in p.finditer(text)]
    ['50%']
    >>> p.pattern
    '\\\\d+%'
    """

    __slots__ = ("_compiled", "_memo")

    def __init__(self, compiled: re.Pattern[str]) -> None:
        self._compiled = compiled
        # (text, its first match, all its matches or None): one tuple, read and replaced
        # whole, so a thread never pairs one text with another's answer
        self._memo: tuple[str | None, re.Match[str] | None, list[re.Match[str]] | None] = (
            None,
            None,
            None,
        )

    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        if bounds:  # a part of the text: asked afresh
            return self._compiled.search(text, *bounds)
        memo = self._memo
        if memo[0] is text:
            return memo[1]
        found = self._compiled.search(text)
        self._memo = (text, found, None)
        return found

    def finditer(self, text: str, *bounds: int) -> Iterable[re.Match[str]]:
        if bounds:
            return self._compiled.finditer(text, *bounds)
        memo = self._memo
        if memo[0] is not text:
            memo = (text, self._compiled.search(text), None)
        if memo[2] is None:
            memo = (text, memo[1], list(self._compiled.finditer(text)) if memo[1] else [])
            self._memo = memo
        return iter(memo[2])

    def __getattr__(self, name: str) -> object:
        return getattr(self._compiled, name)
