"""After the offer of a person, which messages are a name that starts the enquiry
(``bot.core.flows.handoff._given_name``): one row per outcome."""

from __future__ import annotations

import pytest

from bot.core.flows.handoff import _given_name
from bot.core.reading import read


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("陳大文", "陳大文"),
        ("我叫王明", "王明"),
        ("Chan Tai Man", "Chan Tai Man"),  # also a guess at a place (Changtai): still a name
        ("I'm Mary Lee.", "Mary Lee"),
        ("my name is Wong", "Wong"),
    ],
)
def test_a_name_alone_is_taken(text: str, name: str) -> None:
    assert _given_name(read(text)) == name


@pytest.mark.parametrize(
    "text",
    [
        "東莞",  # a place: the factory's
        "Dongguan",
        "thanks",  # small talk
        "no",  # a reply to the offer, not a name
        "later",
        "ok",
        "唔該",
        "熱線幾號？",  # a question
        "can we apply",
        "13912345678",  # a phone number
        "預算80萬",  # an amount
        "我哋間廠喺惠州",  # a fact of the case
        "I want to leave an enquiry about spray painting in my workshop",  # a sentence
    ],
)
def test_anything_else_is_read_as_usual(text: str) -> None:
    assert _given_name(read(text)) is None
