""" "當時", "上次那個", "back then": the dated time the conversation named before, not today
(fourteenth trial cmn12: a 2014 demonstration project was estimated on the new phase's
terms). One row per reading, then the decision day it gives."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.case import STATED, Case, Fact
from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue
from bot.core.flows.case import decision_day
from bot.core.reading import read
from bot.core.rules import load_rulebook

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("上次那个示范项目当时花了50万，补了多少？", True),
        ("嗰陣時用咗40萬，資助咗幾多？", True),
        ("back then it cost 500k, how much did we get?", True),
        ("当时2016年花了50万", False),  # a year said: that year, not the one before
        ("现在想再申请一个新技术项目", False),
        ("項目50萬，資助幾多？", False),
    ],
)
def test_back_then_is_read(text: str, back: bool) -> None:
    phases = [f.value for f in read(text, today=TODAY).facts if f.kind == "phase"]
    assert ("back_then" in phases) is back


def _day(year: int, turn: int) -> Fact:
    value = {"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"}
    return Fact("day", value, STATED, turn)


@pytest.mark.parametrize(
    ("facts", "day"),
    [
        # 2014 said, then "now", then "back then": the extension's terms again
        (
            [
                _day(2014, 1),
                Fact("phase", "today", STATED, 2),
                Fact("phase", "back_then", STATED, 4),
            ],
            date(2014, 1, 1),
        ),
        # nothing dated before: today
        ([Fact("phase", "back_then", STATED, 1)], TODAY),
        # the latest of two years said before
        ([_day(2010, 1), _day(2016, 2), Fact("phase", "back_then", STATED, 3)], date(2016, 1, 1)),
    ],
)
def test_back_then_decides_on_the_day_said_before(facts: list[Fact], day: date) -> None:
    dialogue = Dialogue(load_rulebook(), load_desks(), TODAY)
    assert decision_day(dialogue, Case(facts, 5)) == day
