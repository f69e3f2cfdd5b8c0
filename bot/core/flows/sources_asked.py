"""Questions about the bot's sources themselves: "what are your sources?", "W9是什么",
"那W7呢", "2012年那份文件是谁写的". The answer lists those sources (or all of them) by the
ids the answers cite them by (knowledge/sources.yaml)."""

from __future__ import annotations

import re

# "W9是什么", "what is W7?", "那W7呢": a source named by the id the answers cite
_SOURCE_ID = re.compile(r"(?<![a-z0-9])(w1[0-3]|w[1-9]|lc2012)(?![a-z0-9])")
_WHAT_OR_ABOUT = re.compile(
    r"\bwhat(?:'s| is| are)\b|\bwhich (?:is|one)\b|\bwho\b|\bmeans?\b|\bstands? for\b|系咩|是什么|是甚么"
    r"|乜嘢嚟|咩嚟|指咩|指什么|边个|谁"
)
# "那W7呢": the id alone, with a particle
_ID_ALONE = re.compile(r"^\s*(?:那|咁|and|what about|how about)?\s*\w{2,6}\s*(?:呢|嘅|的)?\s*[?？]?\s*$")
# "2012年那份文件是谁写的": the paper itself asked about
_PAPER_ITSELF = re.compile(
    r"谁写|边个写|谁出|边个出|谁拟|边个拟|作者|\bwho (?:wrote|prepared|issued|published|made)\b"
    r"|(?:是|系)(?:什么|咩)文件|\bwhat is (?:the|that) (?:2012 )?(?:paper|document)\b"
)
# "2012年那份文件是谁写的", "who wrote the 2012 paper?": the LegCo paper
_THE_2012_PAPER = re.compile(r"2012.{0,8}(?:文件|paper|document|legco)|立法会文件|\blegco paper\b")
# "你们的信息来源是什么", "what are your sources?": the sources as a whole
_ALL_SOURCES = re.compile(
    r"(?:你们|你哋|你地|你|bot)?(?:的|嘅)?(?:信息|资料|数据|消息)(?:来源|出处)(?:系|是)?(?:咩|什么|乜嘢|边度|哪里)"
    r"|(?:你们|你哋|你)(?:的|嘅)?(?:来源|出处)|\b(?:what|which) (?:are )?(?:your|the bot's) sources\b"
    r"|\bwhere (?:does|do) (?:your|the bot's) (?:info|information|answers|data) come from\b"
    r"|\bwhat (?:is|are) your (?:info|information )?sources?\b"
)


def sources_named(folded: str) -> list[str] | None:
    """The source ids a short message asks about ([] for all of them), or None."""
    if len(folded) > 40:
        return None
    ids = [found.upper() for found in _SOURCE_ID.findall(folded)]
    rest = _SOURCE_ID.sub(" ", folded)
    if ids and (_WHAT_OR_ABOUT.search(rest) and len(rest.strip()) <= 16 or _ID_ALONE.match(folded)):
        return list(dict.fromkeys(ids))
    if _THE_2012_PAPER.search(folded) and _PAPER_ITSELF.search(folded):
        return ["LC2012"]
    if _ALL_SOURCES.search(folded):
        return []
    return None
