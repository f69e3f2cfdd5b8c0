"""At a hand-off form step, which answers decline the question
(``bot.core.flows.handoff._declines``), and what the form does then: one row per outcome."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.flows.handoff import NOT_GIVEN, _declines
from bot.core.reading import read
from bot.core.rules import load_rulebook
from bot.core.session import Session


@pytest.mark.parametrize(
    "text",
    [
        "唔講公司得唔得？",
        "我不想留公司名",
        "唔想講",
        "不方便透露",
        "保密",
        "skip",
        "I'd rather not say",
        "I don't want to give my phone number",
        "prefer not to say",
        "不填",  # twentieth trial c18 in Putonghua
        "唔填",
    ],
)
def test_a_refusal_declines(text: str) -> None:
    assert _declines(text)


@pytest.mark.parametrize(
    "text",
    [
        "陳大文",
        "ABC塑膠製品有限公司",
        "Rather Good Ltd",  # "rather" alone is no refusal
        "98765432",
        "東莞",
        "Can we apply for a demonstration project?",
        # A long message is an enquiry, whatever words it has.
        "我哋唔想講太多，但係想知道噴油工場可唔可以申請評估，同埋要準備啲乜嘢文件",
    ],
)
def test_an_answer_does_not_decline(text: str) -> None:
    assert not _declines(text)


def form_at(step_lines: list[str]) -> tuple[Dialogue, Session]:
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 27))
    session = Session(chat_id=1)
    dialogue.handle(session, TextIn("I want to talk to a person"))
    from bot.core.flows.handoff import begin_form

    begin_form(dialogue, session)
    for line in step_lines:
        dialogue.handle(session, TextIn(line))
    return dialogue, session


@pytest.mark.parametrize(
    ("before", "step"),
    [([], "name"), (["Peter Chan"], "company"), (["Peter Chan", "-", "98765432"], "place")],
)
def test_a_declined_answer_is_left_out_and_the_next_asked(before: list[str], step: str) -> None:
    dialogue, session = form_at(before)
    assert session.step == step
    dialogue.handle(session, TextIn("I'd rather not say"))
    assert session.handoff["details"][step] == NOT_GIVEN
    assert session.step != step
    assert NOT_GIVEN not in session.handoff.get("known", {}).values()


def test_the_phone_is_asked_again_when_no_staff_chat_can_answer() -> None:
    dialogue, session = form_at(["Peter Chan", "Chan Printing"])
    assert session.step == "phone"
    (reply,) = dialogue.handle(session, TextIn("唔想留電話"))
    assert session.step == "phone"
    assert "phone" not in session.handoff["details"]
    assert reply.handoff


@pytest.mark.parametrize("text", ["remove it, no company", "none", "n/a", "冇公司", "個人名義"])
def test_no_company_is_an_answer_left_out(text: str) -> None:
    assert _declines(text)


def test_a_phone_number_typed_at_the_place_step_is_the_phone() -> None:
    dialogue, session = form_at(["Peter Chan", "skip"])
    session.handoff["details"]["phone"] = NOT_GIVEN  # left out, as a staff chat allows
    session.step = "place"
    dialogue.handle(session, TextIn("+852 9123 4567"))
    assert session.handoff["details"]["phone"] == "+852 9123 4567"
    assert session.step == "place"


def test_a_question_naming_a_place_does_not_fill_the_place() -> None:
    dialogue, session = form_at(["Peter Chan", "skip"])
    session.handoff["details"]["phone"] = "98765432"
    session.step = "place"
    dialogue.handle(session, TextIn("does the programme cover Hong Kong workshops?"))
    assert "place" not in session.handoff["details"]
    assert "Hong Kong workshops" in session.handoff["details"]["topic"]


@pytest.mark.parametrize(
    ("text", "leaves"),
    [
        ("算啦，唔搞住", True),
        ("不用了，我自己打电话吧", True),
        ("ok i'll call myself", True),
        ("nvm", True),
        # an answer or a question, not a way of leaving
        ("我想問下點申請", False),
        ("Chan Kee Metal Ltd", False),
    ],
)
def test_ways_of_leaving_the_form(text: str, leaves: bool) -> None:
    from bot.core.flows.handoff import _is_exit

    assert _is_exit(text) is leaves


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        # seventeenth trial p14: the enquiry given up in words, at any step
        ("算了，不留言了", {"exit"}),
        ("不用联系工作人员了，谢谢", {"exit"}),
        ("唔使搵同事啦", {"exit"}),
        ("no need to contact staff, thanks", {"exit"}),
        # a person asked for, or one answer declined: no exit
        ("我要转人工", {"person"}),
        ("我不想留电话", set()),
    ],
)
def test_an_enquiry_given_up_in_words(text: str, asks: set[str]) -> None:
    assert read(text).asks & {"exit", "person"} == asks


@pytest.mark.parametrize(
    "line", ["算了，不留言了", "不用联系工作人员了，谢谢", "no need to contact staff, thanks"]
)
def test_giving_up_in_words_ends_the_form(line: str) -> None:
    dialogue, session = form_at(["王芳"])
    dialogue.handle(session, TextIn(line))
    assert session.flow != "handoff"
