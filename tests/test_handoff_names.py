"""After the offer of a person, which messages are a name that starts the enquiry
(``bot.core.flows.handoff._given_name``), and a name or an answer to change typed later in
the form: one row per outcome."""

from __future__ import annotations

import pytest

from bot.core.flows.handoff import _field_to_change, _given_name, _name_corrected
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


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("其實我個名係李志明", "李志明"),
        ("sorry, my name is Peter Wong", "Peter Wong"),
        ("我的名字是张伟，不好意思", "张伟"),
        ("actually my name is Chan Tai Man", "Chan Tai Man"),
        # twenty-fifth trial c63, c25: "actually" after the label; the name changed to
        ("sorry my name is actually Peter Chen", "Peter Chen"),
        ("改一下名字，叫张伟", "张伟"),
        ("改個名做陳大文", "陳大文"),
        ("change my name to Peter Chen", "Peter Chen"),
        # more than a name: a question or a sentence, not a correction
        ("my name is Peter Wong and I want to ask about VOC", None),
        ("我叫陳大文，想問下點申請", None),
        ("Wong Kee Plastics Ltd", None),
    ],
)
def test_a_name_corrected_at_a_later_step(text: str, name: str | None) -> None:
    assert _name_corrected(text) == name


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("phone", "phone"),
        ("電話", "phone"),
        ("the phone number", "phone"),
        ("公司", "company"),
        ("name", "name"),
        ("我想改電話", "phone"),
        ("change the address", "place"),
        ("hello", None),
        ("the phone is fine, send it", None),
    ],
)
def test_the_answer_to_change_typed_at_the_summary(text: str, field: str | None) -> None:
    assert _field_to_change(text) == field
