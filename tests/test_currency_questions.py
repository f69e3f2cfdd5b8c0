"""Questions about the currency and the part above a cap, which name a currency or an
amount but give no cost (sixteenth trial m02, y19: a renminbi cost relabelled as Hong Kong
dollars when a conversion was asked; e09: "the extra 3k" taken as a cost)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.money import asks_who_pays_above_the_cap
from bot.core.reading import read
from bot.core.rules import load_rulebook
from bot.core.session import Session
from bot.core.textnorm import fold
from bot.render import render_text


@pytest.mark.parametrize(
    ("text", "asks", "currency"),
    [
        ("按港币算是多少？", {"convert"}, None),
        ("咁即係港幣幾多？", {"convert"}, None),
        ("how much is that in HKD?", {"convert"}, None),
        ("係港幣", set(), "HKD"),  # an answer: the cost was in Hong Kong dollars
        ("是人民币", set(), "RMB"),
        ("Is that HKD or RMB?", {"currency"}, None),
    ],
)
def test_a_conversion_asked_is_no_currency_said(
    text: str, asks: set[str], currency: str | None
) -> None:
    reading = read(text)
    assert reading.asks & {"convert", "currency"} == asks
    assert [f.value for f in reading.facts if f.kind == "currency"] == (
        [currency] if currency else []
    )


@pytest.mark.parametrize(
    ("text", "above"),
    [
        ("who pays the extra 3k?", True),
        ("who covers the remaining HK$3,000?", True),
        ("咁超出嗰1萬邊個俾？", True),
        ("剩低嗰3千邊個俾？", True),
        ("verification costs 3k, who pays?", False),
        ("the extra equipment costs 30k", False),
    ],
)
def test_the_part_above_the_cap_is_no_cost(text: str, above: bool) -> None:
    assert asks_who_pays_above_the_cap(fold(text)) is above
    if above:  # its amount is the part above the cap, no cost to estimate
        assert not read(text).of("cost")


@pytest.mark.parametrize(
    ("text", "claimed", "cost"),
    [
        # sixteenth trial e12: a cap the user remembers, asked about, is no cost
        ("isn't the demo cap 300k?", "300000", None),
        ("示範項目上限唔係30萬咩？", "300000", None),
        ("the cap is 650k right?", "650000", None),
        ("demo project 400k, how much?", None, "400000"),
        ("項目50萬，上限幾多？", None, "500000"),
        # thirty-first trial c40: a subsidy heard of, to check, is no cost either
        ("啱啱上網睇到有個計劃資助45萬，係咪真？", "450000", None),
        ("听说资助最多有75万，是真的吗？", "750000", None),
        ("I read online the subsidy is 450k, is that true?", "450000", None),
        ("政府資助50萬嘅項目，我要出幾多？", None, "500000"),
        ("subsidy for a 450k project?", None, "450000"),
    ],
)
def test_an_amount_said_as_the_cap_is_no_cost(
    text: str, claimed: str | None, cost: str | None
) -> None:
    reading = read(text)
    assert [f.value for f in reading.of("cap_claimed")] == ([claimed] if claimed else [])
    assert [f.value["amount"] for f in reading.of("cost")] == ([cost] if cost else [])


def _estimate_shown(cost: str) -> str:
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28))
    session = Session(chat_id=1)
    (reply,) = dialogue.handle(
        session, TextIn(f"Dongguan factory owned by our HK company, new technology project {cost}")
    )
    return render_text(reply, "en")


@pytest.mark.parametrize(
    ("cost", "noted"),
    [("$3.5", True), ("HK$800", True), ("HK$5000", False), ("50萬", False)],
)
def test_a_tiny_cost_is_estimated_and_queried(cost: str, noted: bool) -> None:
    # sixteenth trial x04: "成本係$3.5" gave HK$1.75 with no word on the amount
    assert ("very small for a project" in _estimate_shown(cost)) is noted


@pytest.mark.parametrize(
    ("cost", "noted"),
    [
        ("三十五万", True),  # Simplified, no currency: a Mainland owner may mean renminbi
        ("35万", True),
        ("三十五萬", False),  # Traditional: Hong Kong usage, Hong Kong dollars
        ("港币三十五万", False),  # the currency said
        ("350k", False),
    ],
)
def test_a_bare_wan_cost_is_said_to_be_taken_as_hkd(cost: str, noted: bool) -> None:
    # Putonghua "三十五万" was estimated as HK$350,000 with no word that it was taken so
    assert ("as Hong Kong dollars. If it is in renminbi" in _estimate_shown(cost)) is noted


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("人民币不是港币", "RMB"),
        ("it's RMB, not HKD", "RMB"),
        ("唔係人民幣，係港幣", "HKD"),
        ("RMB or HKD? 是港币", "HKD"),
    ],
)
def test_a_currency_denied_is_not_the_one_said(text: str, currency: str) -> None:
    assert [f.value for f in read(text).of("currency")] == [currency]
