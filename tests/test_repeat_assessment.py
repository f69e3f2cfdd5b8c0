"""Another funded assessment after an earlier one, and the year a piece of work began.

The rule on repeat assessments (W5, stated for the 2015–2020 phase only) is decided by the
estimator (rows in tests/cases/estimates.yaml). These rows test the reading: which year is
the earlier assessment's, which the day asked about, and when another one is asked for.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.core.case import Case
from bot.core.flows import case as case_flow
from bot.core.reading import read

TODAY = date(2016, 6, 1)


def facts(text: str) -> dict[str, Any]:
    reading = read(text, today=TODAY)
    return {
        f.kind: f.value for f in reading.facts if f.kind in ("last_assessment", "repeat", "day")
    }


def year(value: int) -> dict[str, str]:
    return {"day": f"{value}-01-01", "precision": "year", "until": f"{value}-12-31"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the earlier year is the one done, the later the one asked about
        (
            "2015年做過評估，2016年想再做一次評估",
            {"last_assessment": {"year": 2015}, "repeat": "assessment", "day": year(2016)},
        ),
        (
            "We had an assessment in 2015. Can we do another assessment in 2019?",
            {"last_assessment": {"year": 2015}, "repeat": "assessment", "day": year(2019)},
        ),
        # one year, said of the earlier assessment, beside "again": no day asked
        (
            "我们2012年做过评估，现在还能再做评估吗",
            {"last_assessment": {"year": 2012}, "repeat": "assessment"},
        ),
        # "last year" counts from the day of the conversation
        (
            "我哋去年做過評估，今年可唔可以再做評估？",
            {"last_assessment": {"year": 2015}, "repeat": "assessment"},
        ),
        # another one asked, the earlier one's year not said
        ("can we do a second assessment?", {"repeat": "assessment"}),
        ("可唔可以再做多次評估？", {"repeat": "assessment"}),
        # an assessment done, nothing asked again yet: its year stays the day read
        (
            "Our factory had a funded assessment in 2015",
            {"last_assessment": {"year": 2015}, "day": year(2015)},
        ),
        # no assessment named: nothing about repeats (2015 is when it was done, no day)
        ("We did a demonstration project in 2015, can we do another?", {}),
    ],
)
def test_the_earlier_assessment_and_another_one_asked(text: str, want: dict[str, Any]) -> None:
    assert facts(text) == want


def test_the_year_of_the_earlier_assessment_is_not_the_day_once_another_is_asked() -> None:
    case = Case()
    for turn, text in enumerate(
        ["Our Dongguan factory had a funded assessment in 2015", "can we get another assessment?"],
        start=1,
    ):
        case.turn = turn
        case_flow.merge(case, read(text, today=TODAY, turn=turn))
    assert case.current("last_assessment") == {"year": 2015}
    assert case.current("repeat") == "assessment"
    assert case.current("day") is None  # the conversation's day, not 2015


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("started a demonstration project in 2012 and finished it in March 2013", 2012),
        ("我哋2012年開始做示範項目，2013年3月做完", 2012),
        ("我们2012年开工做示范项目，2013年3月完成", 2012),
    ],
)
def test_work_that_ran_over_two_years_is_dated_by_its_start(text: str, want: int) -> None:
    assert facts(text)["day"] == year(want)


def test_a_finish_date_alone_is_the_day() -> None:
    assert facts("we finished the project in March 2013")["day"] == {
        "day": "2013-03-01",
        "precision": "month",
        "until": "2013-03-31",
    }


def test_a_day_before_the_last_assessment_states_the_rule_only() -> None:
    # seventeenth trial p17: "那2016年的规定呢？" after a 2019 assessment said "not yet,
    # earliest 2024"; in 2016 the 2019 assessment had not happened
    from datetime import date

    from bot.core.estimate import _repeat_terms
    from bot.core.rules import load_rulebook

    phase = load_rulebook().phase_at(date(2016, 6, 1))
    assert phase is not None
    assert _repeat_terms(phase, date(2016, 6, 1), 2019)["repeat"] == "conditions"
    assert _repeat_terms(phase, date(2017, 6, 1), 2015)["repeat"] == "too_soon"
    assert _repeat_terms(phase, date(2020, 1, 1), 2015)["repeat"] == "conditions"


@pytest.mark.parametrize(
    "text",
    ["上一次评估是2019年做的", "上次評估係2019年做嘅", "our last assessment was in 2019"],
)
def test_the_last_assessments_year_is_no_rules_date(text: str) -> None:
    facts = read(text).facts
    assert [f.value for f in facts if f.kind == "last_assessment"] == [{"year": 2019}]
    assert not [f for f in facts if f.kind == "day"]  # trial 43 c83: a 2019 estimate followed


@pytest.mark.parametrize(
    ("text", "last_year", "day"),
    [
        ("佢係2009年做嘅", 2009, None),  # trial 45 c132: the year of the one before
        ("it was done in 2009", 2009, None),
        ("是2009年做的", 2009, None),
        ("2009年呢？", None, 2009),  # the rules of that year asked: a day
        ("what about in 2014?", None, 2014),
    ],
)
def test_a_year_said_alone_after_an_earlier_assessment(
    text: str, last_year: int | None, day: int | None
) -> None:
    case = Case()
    case.add(case_flow.Fact("place", "cn-gd-jiangmen-taishan", turn=1))
    case.add(case_flow.Fact("item", "assessment", turn=1))
    case.add(case_flow.Fact("last_assessment", {"year": None}, turn=1))
    case.add(case_flow.Fact("repeat", "assessment", turn=1))
    case.turn = 2
    case_flow.merge(case, read(text, turn=2, today=TODAY))
    assert (case.current("last_assessment") or {}).get("year") == last_year
    said = case.current("day")
    assert (int(said["day"][:4]) if said else None) == day
