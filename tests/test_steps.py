"""Each question of the steps table (``bot.core.flows.steps``), asked and answered through
the core (``Dialogue.handle``), one test per question and outcome: the middle tier
between the unit tests and the end-to-end tests over HTTP.

Day: 1 January 2014, in the extension (para 17: all Guangdong; para 18: Hong Kong
workshops with polluting processes, demonstration projects only).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, Tap, TextIn
from bot.core.flows.case import load
from bot.core.flows.steps import STEPS
from bot.core.reply import Reply
from bot.core.rules import load_rulebook
from bot.core.session import Session

DAY = date(2014, 1, 1)
BOOK = load_rulebook()


def start(*lines: str) -> tuple[Dialogue, Session, Reply]:
    """The lines said in a fresh chat; a first line "@YYYY-MM-DD" sets another day."""
    day = DAY
    if lines and lines[0].startswith("@"):
        day, lines = date.fromisoformat(lines[0][1:]), lines[1:]
    dialogue = Dialogue(BOOK, load_desks(), day)
    session = Session(chat_id=1)
    reply = None
    for line in lines:
        (reply,) = dialogue.handle(session, TextIn(line))
    assert reply is not None
    return dialogue, session, reply


def tap(dialogue: Dialogue, session: Session, reply: Reply, arg: str) -> Reply:
    data = {b.data.split("|", 3)[3]: b.data for row in reply.buttons for b in row if b.data}
    assert arg in data, f"no {arg!r} among {sorted(data)}"
    (answer,) = dialogue.handle(session, Tap(data[arg]))
    return answer


def asked(session: Session) -> str | None:
    return session.step if session.flow == "case" else None


def status(reply: Reply) -> tuple[Any, Any]:
    e = reply.eligibility or {}
    return e.get("status"), e.get("reason")


# Where each question is asked: the lines that lead to it.
ASKED_BY = {
    "place": ("可唔可以申請？",),
    "place_choice": ("廠喺沙田",),
    "premises": ("我喺觀塘，可唔可以申請？",),
    "process": ("我喺觀塘有個工場，可唔可以申請？",),
    "own_factory": ("我哋係貿易公司，可唔可以申請？",),
    "ownership": ("外資企業，廠喺東莞，可唔可以申請？",),
    # Link 1(d), stated for 2020–2025 and 2025–2027 (W7, W9): the resident's shares.
    "share_mainland": ("@2026-11-27", "我係香港人，喺東莞有間內地企業，可唔可以申請？"),
    "share_hk_company": (
        "@2026-11-27",
        "老闆係香港人，佢持有內地企業60%，廠喺東莞，可唔可以申請？",
    ),
    "item": ("我想估算資助",),
    "cost": ("示範項目資助幾多？",),
    "currency": ("示範項目10萬元，資助幾多？",),
}


def test_every_step_is_tested() -> None:
    assert set(ASKED_BY) == set(STEPS)


@pytest.mark.parametrize("step", sorted(ASKED_BY))
def test_each_question_is_asked_with_a_cancel_button(step: str) -> None:
    dialogue, session, reply = start(*ASKED_BY[step])
    assert asked(session) == step
    labels = [b.data for row in reply.buttons for b in row]
    assert any(d.endswith("|cancel|case") for d in labels), "every question can be left"


@pytest.mark.parametrize("step", sorted(ASKED_BY))
def test_cancel_leaves_the_question_and_keeps_the_case(step: str) -> None:
    dialogue, session, reply = start(*ASKED_BY[step])
    facts = dict(session.case)
    left = tap(dialogue, session, reply, "case")
    assert asked(session) is None and left.intent == "greeting"
    assert session.case.get("facts") == facts.get("facts")


# (step, choice or typed answer, expected status, reason, next question)
OUTCOMES = [
    ("place", "text:東莞", "eligible", "guangdong_all", None),
    ("place", "text:廣西梧州", "not_eligible", "outside_guangdong", None),
    ("place", "text:唔知", None, None, "place"),
    ("place_choice", "place_choice:hk-sha-tin", "eligible", "hk_factory", None),  # 廠: a factory
    ("place_choice", "place_choice:cn-gd-dongguan-shatian", "eligible", "guangdong_all", None),
    ("place_choice", "place_choice:none", None, None, "place"),
    ("premises", "premises:factory", "eligible", "hk_factory", None),
    ("premises", "premises:workshop", "need_more_info", "need_process", "process"),
    ("premises", "premises:none", "need_more_info", "need_own_factory", "own_factory"),
    ("premises", "text:係工廠", "eligible", "hk_factory", None),
    ("process", "process:spray", "demonstration_only", "hk_workshop", None),
    ("process", "process:solvent", "demonstration_only", "hk_workshop", None),
    ("process", "process:engine", "demonstration_only", "hk_workshop", None),
    ("process", "process:other", "need_more_info", "hk_workshop_other", None),
    ("process", "process:none", "not_eligible", "hk_workshop_clean", None),
    ("process", "text:我哋做噴油", "demonstration_only", "hk_workshop", None),
    ("own_factory", "own_factory:gd", "eligible", "guangdong_all", None),
    ("own_factory", "own_factory:hk", "eligible", "hk_factory", None),
    ("own_factory", "own_factory:workshop", "need_more_info", "need_process", "process"),
    ("own_factory", "own_factory:no", "not_eligible", "no_factory", None),
    ("own_factory", "text:有，在东莞", "eligible", "guangdong_all", None),
    ("ownership", "ownership:yes", "eligible", "guangdong_all", None),
    ("ownership", "ownership:no", "not_eligible", "not_hk_owned", None),
    ("ownership", "ownership:unsure", "need_more_info", "ownership_unsure", None),
    ("ownership", "text:香港公司", "eligible", "guangdong_all", None),
    ("share_mainland", "text:七成", "need_more_info", "ownership_resident", "share_hk_company"),
    ("share_mainland", "text:50%", "not_eligible", "resident_share_short", None),  # not over half
    ("share_mainland", "text:唔知", "need_more_info", "ownership_unsure", None),  # staff check
    ("share_hk_company", "text:40%", "eligible", "guangdong_all", None),
    ("share_hk_company", "text:百分之二十", "not_eligible", "resident_share_short", None),
]


@pytest.mark.parametrize(
    ("step", "answer", "want", "reason", "then"), OUTCOMES, ids=[f"{o[0]}-{o[1]}" for o in OUTCOMES]
)
def test_verdict_steps(
    step: str, answer: str, want: str | None, reason: str | None, then: str | None
) -> None:
    dialogue, session, reply = start(*ASKED_BY[step])
    kind, _, value = answer.partition(":")
    if kind == "text":
        (reply,) = dialogue.handle(session, TextIn(value))
    else:
        reply = tap(dialogue, session, reply, answer)
    if want is not None:
        assert status(reply) == (want, reason)
    assert asked(session) == then


# (step, choice or typed answer, expected item, government, next question)
ESTIMATES = [
    ("item", "item:assessment", None, None, "cost"),
    ("item", "item:demonstration", None, None, "cost"),
    ("item", "item:verification", None, None, None),  # free: no cost needed (para 12(d))
    ("item", "text:示範項目", None, None, "cost"),
    ("cost", "text:40萬", "demonstration", 200000, None),
    ("cost", "text:HK$0.8m", "demonstration", 300000, None),
    ("cost", "text:唔知呀", None, None, "cost"),
    ("cost", "text:人民幣80萬", None, None, "currency"),
    ("currency", "currency:hkd", "demonstration", 50000, None),
    ("currency", "text:港幣12萬", "demonstration", 60000, None),
]


@pytest.mark.parametrize(
    ("step", "answer", "item", "government", "then"),
    ESTIMATES,
    ids=[f"{e[0]}-{e[1]}" for e in ESTIMATES],
)
def test_estimate_steps(
    step: str, answer: str, item: str | None, government: int | None, then: str | None
) -> None:
    dialogue, session, reply = start(*ASKED_BY[step])
    kind, _, value = answer.partition(":")
    if kind == "text":
        (reply,) = dialogue.handle(session, TextIn(value))
    else:
        reply = tap(dialogue, session, reply, answer)
    if item is not None:
        assert reply.subsidy is not None and (
            reply.subsidy["item"],
            reply.subsidy["government"],
        ) == (item, government)
    assert asked(session) == then


def test_a_fact_question_at_a_prompt_is_answered_and_the_prompt_offered_again(kb_path: Any) -> None:
    from bot.core.knowledge_base import KnowledgeBase

    dialogue, session, _ = start("示範項目資助幾多？")
    dialogue.kb = KnowledgeBase.open(kb_path)
    (reply,) = dialogue.handle(session, TextIn("幾時截止申請？"))
    assert reply.results and reply.results[0]["id"] == "faq-application-deadline"
    assert asked(session) == "cost", "the amount is asked again"


def test_a_stale_choice_is_refused() -> None:
    dialogue, session, reply = start("我喺觀塘，可唔可以申請？")
    data = next(b.data for row in reply.buttons for b in row if b.data.endswith("premises:factory"))
    dialogue.handle(session, Tap(data))
    (again,) = dialogue.handle(session, Tap(data))
    assert again.intent == "help"  # "That menu has expired."


@pytest.mark.parametrize(
    ("answer", "taken"), [("yes", True), ("係", True), ("是的", True), ("no", False)]
)
def test_a_typed_yes_takes_the_one_place_suggested(answer: str, taken: bool) -> None:
    # seventeenth trial x03: "Did you mean Shenzhen?" answered by typing
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28))
    session = Session(chat_id=1)
    dialogue.handle(session, TextIn("shenzen factory ok?"))
    dialogue.handle(session, TextIn(answer))
    assert (load(session).places() == ["cn-gd-shenzhen"]) is taken
