"""Which phase is open on the bot's day, and whether it takes applications yet (W4, W5:
applications for 2015–2020 invited from 15 June 2015). One row per day and outcome; the
bot's day is the one it runs with (``--date``, ``BOT_TODAY``), not the real present."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.knowledge_base import KnowledgeBase
from bot.core.rules import load_rulebook
from bot.core.session import Session
from bot.render import render_text


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase.open(tmp_path_factory.mktemp("kb") / "kb.sqlite3")


def answer(day: date, text: str, kb: KnowledgeBase) -> str:
    dialogue = Dialogue(load_rulebook(), load_desks(), day, kb=kb)
    (reply,) = dialogue.handle(Session(chat_id=1), TextIn(text))
    return render_text(reply, "en")


@pytest.mark.parametrize(
    ("day", "wanted", "unwanted"),
    [
        (date(2010, 5, 1), "the original programme", "2025–2027"),
        (date(2014, 5, 1), "the extended programme", "2025–2027"),
        (date(2013, 2, 10), "No phase of the programme is open on that day", "2025–2027"),
        (date(2015, 5, 1), "It invites applications from 15 June 2015", "2025–2027"),
        (date(2022, 8, 1), "the 2020–2025 phase", "2025–2027"),
        # the latest phase in the sources: the entry written for it
        (date(2026, 11, 28), "2025–2027", "2020–2025 phase (1 April"),
    ],
)
def test_which_phase_is_open_on_the_bots_day(
    day: date, wanted: str, unwanted: str, kb: KnowledgeBase
) -> None:
    text = answer(day, "is the programme still running?", kb)
    assert wanted in text and unwanted not in text


@pytest.mark.parametrize(
    ("day", "wanted", "unwanted"),
    [
        # before the phase takes applications: covered, but not yet
        (date(2015, 5, 1), "open only on 15 June 2015", "Yes —"),
        (date(2015, 6, 15), "Yes —", "open only on"),
        (date(2016, 1, 1), "Yes —", "open only on"),
    ],
)
def test_can_we_apply_now_before_applications_open(
    day: date, wanted: str, unwanted: str, kb: KnowledgeBase
) -> None:
    text = answer(day, "can we apply now for our Huizhou factory?", kb)
    assert wanted in text and unwanted not in text


@pytest.mark.parametrize(
    ("text", "said", "not_said"),
    [
        # sixteenth trial m09: a year's applications, not a request for the factory's place
        ("2017年的申请从什么时候开始？", ["2015–2020 phase", "15 June 2015"], ["Where is the factory"]),
        (
            "when did applications open in 2022?",
            ["2020–2025 phase", "1 April 2020"],
            ["Where is the factory"],
        ),
        # the new phase's start day is not in the sources: its year only
        ("when can we apply in 2026?", ["began in 2025"], ["1 April 2025"]),
        ("2014年幾時開始接受申請？", ["extended programme", "1 April 2013"], ["Where is the factory"]),
    ],
)
def test_applications_in_a_year(
    text: str, said: list[str], not_said: list[str], kb: KnowledgeBase
) -> None:
    reply = answer(date(2026, 11, 28), text, kb)
    for words in said:
        assert words in reply
    for words in not_said:
        assert words not in reply
