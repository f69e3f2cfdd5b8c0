"""Which item a cost belongs to (trial 25 c02, c28): an item the bot assumed is corrected by
a short "是评估"; a project's cost said after an assessment was asked is no assessment fee."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.core.dialogue import Dialogue, TextIn
from bot.core.flows.case import load
from bot.core.session import Session


def cost_item_after(lines: list[str]) -> str | None:
    dialogue, session = Dialogue.default(), Session(chat_id=1)
    for line in lines:
        dialogue.handle(session, TextIn(line))
    cost = load(session).current("cost")
    return cost.get("item") if isinstance(cost, dict) else None


@pytest.mark.parametrize(
    ("lines", "item"),
    [
        (["三十五万的项目政府给多少", "是评估"], "assessment"),  # the assumed item corrected
        (["HK$350k project, how much?", "it's an assessment"], "assessment"),
        (["三十五万的项目政府给多少", "那评估的上限是多少？我们还想另外做评估"], "technology"),
        # a project, no fee: the phase's project, which the estimate then names
        (["咁做評估得唔得？", "換水性漆大約35萬，資助幾多"], "technology"),
        (
            ["can we get an assessment?", "switching to waterborne paint costs 350k, how much?"],
            "technology",
        ),
        (["咁做評估得唔得？", "評估大約5萬，資助幾多"], "assessment"),  # the fee
    ],
)
def test_the_item_a_cost_belongs_to(lines: list[str], item: str | None) -> None:
    assert cost_item_after(lines) == item


@pytest.mark.parametrize(
    ("text", "paired"),
    [
        ("那两家厂都做新技术项目，各50万，补贴多少", 2),  # trial 25 c36
        ("兩間廠都做新技術項目，各50萬，資助幾多？", 2),
        ("both factories would do a project, 500k each, how much?", 2),
        ("做个50万的项目，补贴多少", 0),  # one cost, no "each": the case's estimate
    ],
)
def test_one_cost_said_of_each_factory(text: str, paired: int) -> None:
    from bot.core.case import Case, Fact
    from bot.core.flows.answer import _costs_by_factory
    from bot.core.reading import read

    case = Case(
        [Fact("place", "cn-gd-dongguan-humen", turn=1), Fact("place", "cn-gx-yulin", turn=1)]
    )
    assert len(_costs_by_factory(case, read(text))) == paired


@pytest.mark.parametrize(
    ("text", "factory"),
    [
        ("厂在惠州和湛江各一个，另外湛江那边项目大概五十万港币，能补多少？", "cn-gd-zhanjiang"),
        ("the Huizhou project is about HK$500k, how much?", "cn-gd-huizhou"),
        ("项目大概五十万，能补多少？", None),  # no factory named with it
    ],
)
def test_the_factory_a_cost_is_said_of(text: str, factory: str | None) -> None:
    from bot.core.case import Case, Fact
    from bot.core.flows.answer import _factory_of_cost
    from bot.core.reading import read

    case = Case([Fact("place", "cn-gd-huizhou", turn=1), Fact("place", "cn-gd-zhanjiang", turn=1)])
    assert _factory_of_cost(case, read(text)) == factory


@pytest.mark.parametrize(
    ("item", "unsaid"),
    [("assessment", True), ("verification", True), ("demonstration", False), ("technology", False)],
)
def test_an_item_the_phase_leaves_unsaid_needs_no_owner_first(item: str, unsaid: bool) -> None:
    # twenty-eighth trial c03, c66: "那评估补多少？" while the owner question waited got the
    # owner question again, even after 取消; the 2025-2027 sources say nothing of
    # assessments, whoever owns the factory
    from bot.core.estimate import unsaid_whoever_owns
    from bot.core.rules import load_rulebook
    from bot.core.verdict import Reason, Verdict

    rulebook = load_rulebook()
    phase = rulebook.phase_at(date(2026, 11, 28))
    waiting = Verdict(
        "need_more_info", (), phase, None, Reason("ownership_resident", ()), "share_mainland"
    )
    assert unsaid_whoever_owns(phase, item, waiting) is unsaid
    place_waits = replace(waiting, missing="place")
    assert not unsaid_whoever_owns(phase, item, place_waits)  # a workshop's items differ


def _costs(text: str) -> list[tuple[str, str | None]]:
    from bot.core.reading import read

    return [(f.value["amount"], f.value.get("item")) for f in read(text).of("cost")]


@pytest.mark.parametrize(
    ("text", "costs"),
    [
        # trial 45 c005: the amount denied is no cost
        ("sorry i meant 1.5m not 350k", [("1500000", None)]),
        ("唔好意思，係150萬唔係35萬", [("1500000", None)]),
        ("不是35万，是150万", [("1500000", None)]),
        # trial 45 c139: the fee paid for an earlier assessment, and the total of the two
        # projects, are no costs; the earlier assessment names no item for them
        (
            "之前2011年都做過個評估，嗰陣個顧問收咗三萬幾蚊，個鍋爐換天然氣大概要八十幾萬，"
            "另外污水回用又要五十萬，總共百三萬左右",
            [("800000", None), ("500000", None)],
        ),
        (
            "we had an assessment in 2015, the consultant charged 30k; now a new boiler 800k "
            "and water reuse 500k, total 1.3m",
            [("800000", None), ("500000", None)],
        ),
        ("實地評估6萬，示範項目50萬", [("60000", "assessment"), ("500000", "demonstration")]),
    ],
)
def test_amounts_that_are_no_cost(text: str, costs: list[tuple[str, str | None]]) -> None:
    assert _costs(text) == costs
