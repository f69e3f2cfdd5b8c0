"""Questions about the bot's sources themselves (bot.core.flows.sources_asked.sources_named):
one row per wording and the sources it names ([] for all of them, None for no such
question). Trial 45 c169."""

from __future__ import annotations

import pytest

from bot.core.flows.sources_asked import sources_named
from bot.core.textnorm import fold


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("W9是什么", ["W9"]),
        ("那W7呢", ["W7"]),
        ("what is W10?", ["W10"]),
        ("邊個係W4？", ["W4"]),
        ("2012年那份文件是谁写的", ["LC2012"]),
        ("who wrote the 2012 paper?", ["LC2012"]),
        ("你们的信息来源是什么", []),
        ("what are your sources", []),
        # a question about what a source says is the programme's, not the source's
        ("2012年的文件怎么说作坊？", None),
        ("what does W9 say about workshops?", None),
        ("W9 says the cap is 650k, right?", None),
    ],
)
def test_sources_named(text: str, ids: list[str] | None) -> None:
    assert sources_named(fold(text)) == ids
