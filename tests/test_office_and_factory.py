""" "Only an office" beside a factory in one message (bot.core.reading): which premises the
case keeps. One row per outcome; the wrong "eligible" for someone else's factory is the
outcome that must never happen."""

from __future__ import annotations

import pytest

from bot.core.reading import read


def premises(text: str) -> list[str]:
    return [f.value for f in read(text).facts if f.kind == "premises" and f.polarity == "stated"]


@pytest.mark.parametrize(
    "text",
    [
        "我哋喺香港只有寫字樓，廠喺潮州，係香港公司全資擁有",
        "我们在香港只有办公室，工厂在东莞，由香港公司全资拥有",
        "We only have an office in Hong Kong; our factory is in Chaozhou, wholly owned by our HK company.",
    ],
)
def test_an_office_in_hong_kong_and_an_owned_factory_is_a_factory(text: str) -> None:
    assert premises(text) == ["factory"]


@pytest.mark.parametrize(
    "text",
    [
        # someone else's factory
        "我哋係香港公司，喺香港只有寫字樓，供應商嘅廠喺東莞",
        "We only have an office in Hong Kong, the factory in Dongguan is our supplier's; we are a HK company",
        # no owner said: "only an office" stands, the bot asks
        "我哋喺香港只有寫字樓，廠喺潮州",
        # "only an office", not said of Hong Kong
        "我哋係香港公司，只有寫字樓，廠喺東莞",
    ],
)
def test_otherwise_only_an_office_stands(text: str) -> None:
    assert premises(text) == ["none"]


@pytest.mark.parametrize(
    "text",
    [
        "我哋冇廠喺大陸㗎",
        "我們在大陸沒有工廠",
        "我们在内地没有工厂",
        "we have no factory in the mainland",
        "we don't have any factory in China",
    ],
)
def test_no_factory_on_the_mainland_says_nothing_of_the_premises(text: str) -> None:
    """A Hong Kong workshop's owner saying so (thirteenth trial yue02) has premises still."""
    assert not [f for f in read(text).facts if f.kind == "premises"]


@pytest.mark.parametrize("text", ["我哋冇廠", "we have no factory", "我们没有工厂"])
def test_no_factory_at_all_is_no_premises(text: str) -> None:
    assert "none" in premises(text)
