"""The trade a user names and the priority sector it is usually counted in.

``knowledge/sectors.yaml`` lists the eight priority sectors (W1, W12, W9) and, beside
each, the words for trades usually counted within it; ``other_trades`` lists trades none
of the eight names. A trade is language data, not a programme rule: the answer says
"usually counted among" and leaves the decision to the project management committee.

>>> trade_named("我哋做陶瓷嘅，算唔算重點行業？").sector
'non_metallic_minerals'
>>> trade_named("is electronics one?").sector is None
True
>>> trade_named("幾時截止申請？") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.core.locales import LOCALES
from bot.core.rules import KNOWLEDGE_DIR
from bot.core.textnorm import fold, words_pattern
from bot.core.yamlio import KnowledgeError, load_yaml


@dataclass(frozen=True)
class Trade:
    said: str  # the words as the user wrote them
    sector: str | None  # a priority sector's id, or None: not one of the eight by name


@dataclass(frozen=True)
class Sectors:
    names: dict[str, dict[str, str]]  # sector id -> {locale: name}
    citations: tuple[str, ...]
    pattern: re.Pattern[str]
    sector_of: dict[str, str | None]  # folded word -> sector id (None: other trades)


@cache
def load_sectors(knowledge_dir: Path | None = None) -> Sectors:
    path = (knowledge_dir or KNOWLEDGE_DIR) / "sectors.yaml"
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    names: dict[str, dict[str, str]] = {}
    sector_of: dict[str, str | None] = {}
    for sector, row in (data.get("sectors") or {}).items():
        name = row.get("name") or {}
        if set(name) != set(LOCALES):
            raise KnowledgeError.at(path.name, sector, f"name needs {', '.join(LOCALES)}")
        names[sector] = dict(name)
        for word in row.get("words") or []:
            sector_of[fold(str(word))] = sector
    for word in data.get("other_trades") or []:
        sector_of.setdefault(fold(str(word)), None)
    if not names or not sector_of:
        raise KnowledgeError.at(path.name, "sectors", "no sectors or words")
    pattern = re.compile(words_pattern(sector_of))
    return Sectors(names, tuple(data.get("citations") or ()), pattern, sector_of)


def trade_named(text: str) -> Trade | None:
    """The first trade the message names, with its sector, or None."""
    sectors = load_sectors()
    folded = fold(text)
    match = sectors.pattern.search(folded)
    if match is None:
        return None
    start, end = match.span()
    following = sectors.pattern.match(folded, end + 1) if folded[end : end + 1] == " " else None
    if following is not None:  # "plastic toys": one trade in two of its words
        end = following.end()
    # NFKC and folding keep one character per character here, so the span fits the text
    said = text[start:end] if len(folded) == len(text) else folded[start:end]
    return Trade(said, sectors.sector_of[match.group(0)])
