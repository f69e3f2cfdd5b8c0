"""Answers typed to "Is the factory owned by a company registered in Hong Kong?"
(bot.core.flows.case.take_answer). One row per answer: "Hong Kong" beside customers, a
person or an office is no Hong Kong owner; said alone, or of a company, it is."""

from __future__ import annotations

import pytest

from bot.core.case import Case, Fact
from bot.core.flows.case import merge, take_answer
from bot.core.reading import read


def owner_after(answer: str) -> tuple[str | None, str | None]:
    case = Case()
    case.add(Fact("place", "cn-gd-dongguan", turn=1))
    case.add(Fact("ownership", "mainland", turn=1))
    case.turn = 2
    reading = read(answer, turn=2)
    take_answer(case, reading, "ownership")
    merge(case, reading)
    return case.current("ownership"), case.current("hk_company")


@pytest.mark.parametrize(
    "answer", ["香港的", "係香港公司", "HK", "a hong kong company", "香港公司嘅"]
)
def test_a_hong_kong_company_said_is_the_owner(answer: str) -> None:
    assert owner_after(answer)[0] == "hk"


@pytest.mark.parametrize(
    "answer",
    [
        "我们有香港的客户",
        "我哋啲客喺香港",
        "our customers are in HK",
        "我在香港也开了公司",  # a company of the user's, whose link is still to be said
        "I also have a company in Hong Kong",
        "我哋喺香港有個辦事處",
        # twenty-fifth trial c58: Hong Kong dollars are no Hong Kong owner
        "資助 HK$2m 幾多",
        "港币200万补贴多少",
        "how much for 2 million HKD?",
        # c33, c68: Hong Kong denied
        "母公司不在香港",
        "母公司唔喺香港，喺台北",
        "our parent company is not in Hong Kong",
    ],
)
def test_hong_kong_beside_something_else_is_no_owner(answer: str) -> None:
    assert owner_after(answer)[0] != "hk"


@pytest.mark.parametrize(
    "answer", ["我係香港人", "I'm from Hong Kong", "the boss lives in Hong Kong"]
)
def test_a_hong_kong_person_is_a_resident_whose_shares_decide(answer: str) -> None:
    assert owner_after(answer)[0] == "hk_resident"
