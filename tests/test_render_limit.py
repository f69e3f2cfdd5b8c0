"""render_text with a limit: the start of the reply, unchanged, without rendering what
would be cut (the chat's history keeps 300 characters of each reply)."""

from __future__ import annotations

import pytest

from bot.core.reply import Reply, Verbatim
from bot.render import render_text


def reply_of(*parts: str, citations: tuple[str, ...] = ()) -> Reply:
    reply = Reply("help")
    for part in parts:
        reply.add(Verbatim(part))
    reply.cite(*citations)
    return reply


@pytest.mark.parametrize(
    "parts",
    [
        ("short",),
        ("a" * 299,),
        ("a" * 298, "b" * 10),
        ("a" * 150, "b" * 150, "c" * 150),
        ("x" * 1000,),
        ("one", "two", "three"),
    ],
)
@pytest.mark.parametrize("citations", [(), ("para 12(b)",)])
def test_the_start_is_the_same_as_the_whole_cut(parts: tuple[str, ...], citations: tuple[str, ...]) -> None:
    reply = reply_of(*parts, citations=citations)
    for locale in ("en", "zh_Hant_HK"):
        whole = render_text(reply, locale)
        assert render_text(reply, locale, limit=300)[:300] == whole[:300]


def test_parts_past_the_limit_are_not_rendered() -> None:
    class Exploding:
        def __str__(self) -> str:
            raise AssertionError("rendered past the limit")

    reply = reply_of("a" * 400)
    reply.parts.append(Exploding())  # type: ignore[arg-type]
    assert render_text(reply, "en", limit=300).startswith("a" * 300)
