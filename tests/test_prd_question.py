""" "Is Shaoguan in the PRD?", "江门算不算珠三角": whether a place is one of the nine Pearl
River Delta cities (para 3, footnote 3), and what that decides on the day asked (fifteenth
trial en_multi1: the verdict was repeated and the question left unanswered). One row per
reading, then one per place and day."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core import places
from bot.core.dialogue import Dialogue
from bot.core.flows.eligibility import prd_cities, prd_membership
from bot.core.reading import read
from bot.render import render_text


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Is Shaoguan in the PRD?", True),
        ("is that in the pearl river delta?", True),
        ("Is Jiangmen one of the PRD cities?", True),
        ("韶關係咪珠三角？", True),
        ("江门算不算珠三角", True),
        ("惠州喺唔喺珠三角？", True),
        ("清远在珠三角吗？", True),
        ("我間廠喺珠三角，可唔可以申請？", False),  # where the factory is, then a verdict
        ("Our factory is in the PRD, can we apply?", False),
        ("Which are the nine PRD cities?", False),  # the list: the FAQ answers it
        ("珠三角以外的工厂可以申请吗？", False),
    ],
)
def test_a_prd_question_is_read(text: str, asked: bool) -> None:
    assert ("prd" in read(text).asks) is asked


def test_the_nine_cities_are_the_footnotes() -> None:
    assert sorted(p.name["en"] for p in prd_cities()) == sorted(
        ["Guangzhou", "Shenzhen", "Dongguan", "Foshan", "Huizhou"]
        + ["Zhaoqing", "Jiangmen", "Zhongshan", "Zhuhai"]
    )


@pytest.mark.parametrize(
    ("place", "day", "said", "not_said"),
    [
        # outside the nine, today: it no longer decides anything
        (
            "cn-gd-shaoguan",
            date(2026, 11, 28),
            ["not in the Pearl River Delta", "anywhere in Guangdong", "1 April 2013"],
            ["is in the Pearl River Delta:"],
        ),
        (
            "cn-gd-jiangmen",
            date(2026, 11, 28),
            ["is in the Pearl River Delta", "anywhere in Guangdong"],
            ["not in the Pearl"],
        ),
        # in the original programme the nine cities were the limit
        (
            "cn-gd-shaoguan",
            date(2012, 6, 1),
            ["not in the Pearl River Delta", "covered only factories in these nine cities"],
            ["anywhere in Guangdong"],
        ),
        # outside Guangdong: not in the delta either
        ("cn-gx", date(2026, 11, 28), ["is not in the Pearl River Delta"], ["is in Guangdong"]),
        # between the phases (21 January to 31 March 2013) no phase says what it decides
        (
            "cn-gd-shaoguan",
            date(2013, 2, 1),
            ["not in the Pearl River Delta"],
            ["anywhere in Guangdong", "covered only"],
        ),
    ],
)
def test_membership_and_what_it_decides(
    place: str, day: date, said: list[str], not_said: list[str]
) -> None:
    text = render_text(prd_membership(Dialogue.default(), [places.get(place)], day), "en")
    for words in said:
        assert words in text
    for words in not_said:
        assert words not in text
