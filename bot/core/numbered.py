"""Numbered questions in one message, and one of them asked for again.

A long first message often numbers its questions ("第一…第二…第三…", "1. … 2. …",
"first… second…"). When the user then says the bot missed one ("第三个问题你还没回答",
"you didn't answer question 3"), that question is answered again as if typed alone.

>>> question_asked_again("第三个问题你还没回答", ["想问：第一，能申请吗？第二，电子行业算不算？第三，核证有没有补贴？"])
'核证有没有补贴？'
>>> question_asked_again("what about q2?", ["1. can we apply? 2. how much for 500k?"])
'how much for 500k?'
>>> question_asked_again("第三个问题你还没回答", ["能申请吗？"]) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.textnorm import fold

_NUMBERS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
}  # fmt: skip


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBERS.get(word.lower())


# "第三个问题你还没回答", "you didn't answer the third question", "what about q2?"
_ASKED_AGAIN = re.compile(
    r"第([一二三四五六1-6])(?:个|個|条|條|项|項)?(?:问题|問題)"
    r"|\b(?:the )?(first|second|third|fourth|fifth|sixth) (?:question|point|one i asked)\b"
    r"|\b(?:question|q)\s*#?([1-6])\b"
)
# …with a word saying it is asked for again ("你还没回答", "what about q2?", "q3?" alone)
_AGAIN_CUE = re.compile(
    r"回答|答|呢|未|\bagain\b|\banswer|\bwhat about\b|\bhow about\b|\band\b|\bmissed\b|\bskipped\b"
    r"|^\W*(?:the )?(?:q|question)\s*#?\d\W*$|^\W*第\S{1,3}(?:问题|問題)\W*$"
)
# The markers that number questions inside a message
_MARKERS = re.compile(
    r"第([一二三四五六])(?:个问题|個問題|点|點|条|條)?\s*[，,、:：.]"
    r"|(?:^|[\s。？?！!；;，,：:])\(?([1-6])\s*[.)）、:：]\s*(?!\d)"
    r"|(?:^|[\s。？?！!；;，,：:])（([1-6])）"
    r"|\b(first|second|third|fourth|fifth|sixth)(?:ly)?\s*[,:]"
)


def numbered_questions(text: str) -> dict[int, str]:
    """The questions a message numbers, by their number; {} when fewer than two."""
    found = []
    for match in _MARKERS.finditer(text):
        word = next(g for g in match.groups() if g)
        number = _number(word)
        if number is not None:
            found.append((number, match.start(), match.end()))
    if len(found) < 2 or [n for n, _, _ in found] != list(range(1, len(found) + 1)):
        return {}  # numbered 1, 2, 3… in order, or not a list of questions
    parts = {}
    for index, (number, _start, end) in enumerate(found):
        stop = found[index + 1][1] if index + 1 < len(found) else len(text)
        part = text[end:stop].strip(" ，,、；;")
        if part:
            parts[number] = part
    return parts


def question_asked_again(text: str, earlier: Iterable[str]) -> str | None:
    """The numbered question of an earlier message that ``text`` asks for again, or None.
    ``earlier`` holds the user's earlier messages, oldest first."""
    folded = fold(text)
    if len(folded) > 40:
        return None
    asked = _ASKED_AGAIN.search(folded)
    if asked is None or not _AGAIN_CUE.search(folded):
        return None
    number = _number(next(g for g in asked.groups() if g))
    for message in reversed(list(earlier)):
        parts = numbered_questions(message)
        if parts:
            return parts.get(number) if number is not None else None
    return None
