"""Readings fixed after the twenty-first trial: a cost given as a range, a question about
the link a company needs, and a year of something done (the slip running into a town is in
test_places_nearmiss.py)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.reading import read


def costs_of(text: str) -> list[tuple[str, str | None]]:
    return [(f.value["amount"], f.value.get("low")) for f in read(text).facts if f.kind == "cost"]


@pytest.mark.parametrize(
    ("text", "high", "low"),
    [
        ("示範項目大概30-40萬", "400000", "300000"),
        ("示范项目30至40万", "400000", "300000"),
        ("between 300k and 400k", "400000", "300000"),
        ("300k to 400k for the demo", "400000", "300000"),
        ("50萬或者80萬", "800000", "500000"),
    ],
)
def test_a_range_is_one_cost_with_its_lower_end(text: str, high: str, low: str) -> None:
    assert costs_of(text) == [(high, low)]


@pytest.mark.parametrize(
    ("text", "costs"),
    [
        ("實地評估6萬，示範項目50萬", [("60000", None), ("500000", None)]),
        ("60k and 400k", [("60000", None), ("400000", None)]),  # no "between": two costs
        ("80萬或者50萬", [("800000", None), ("500000", None)]),  # the first not lower
    ],
)
def test_two_costs_are_no_range(text: str, costs: list[tuple[str, str | None]]) -> None:
    assert costs_of(text) == costs


@pytest.mark.parametrize(
    "text",
    [
        "香港公司同工廠要咩關係？",
        "咁要點樣連住間廠？",
        "how must my HK company be linked to the factory?",
        "what kind of relationship do we need with the factory?",
        "香港公司和工厂需要什么关系？",
    ],
)
def test_the_link_asked_states_no_owner(text: str) -> None:
    reading = read(text)
    assert not reading.of("ownership")
    assert not reading.of("premises")
    assert "verdict" not in reading.asks


@pytest.mark.parametrize(
    "text", ["我哋同間廠係三來一補關係，得唔得？", "our HK company owns the factory"]
)
def test_a_link_stated_is_still_read(text: str) -> None:
    assert read(text).of("ownership")


TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "text",
    ["舊年買咗部新機，示範項目30萬", "we moved there last year, demo 300k", "去年开了新厂"],
)
def test_a_year_of_something_done_is_no_rules_date(text: str) -> None:
    assert not read(text, today=TODAY).of("day")


@pytest.mark.parametrize("text", ["去年可唔可以申請？", "what were the rules last year?"])
def test_last_year_asked_is_the_rules_date(text: str) -> None:
    (day,) = read(text, today=TODAY).of("day")
    assert day.value["day"] == "2025-01-01"
