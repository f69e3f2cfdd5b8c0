"""A project and its cost, said without a question (bot.core.reading): an estimate is
asked for, even when the project's name holds a "how to" word ("處理", treatment). A "how
to" question with a number in it is still a search. One row per form."""

from __future__ import annotations

import pytest

from bot.core.case import Case
from bot.core.flows.case import merge
from bot.core.reading import read


@pytest.mark.parametrize(
    "text",
    [
        "我哋東莞廠想做個VOC處理項目，大概50萬",
        "我们东莞工厂想做一个VOC处理项目，大概50万",
        "We plan a VOC treatment project at our Dongguan plant, about HK$500k",
        "wastewater treatment project, 800k",
    ],
)
def test_a_project_with_its_cost_asks_for_an_estimate(text: str) -> None:
    assert "estimate" in read(text).asks


@pytest.mark.parametrize(
    "text", ["點樣處理300ppm嘅VOC廢氣？", "how to treat wastewater with 50 mg/L COD"]
)
def test_a_how_to_question_with_a_number_is_a_search(text: str) -> None:
    asks = read(text).asks
    assert "estimate" not in asks and "guides" in asks


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("RMB or HKD? 是港币", "HKD"),  # fourteenth trial mix02: the question echoed first
        ("港幣定人民幣？係人民幣", "RMB"),
        ("唔係人民幣，係港幣", "HKD"),
        ("是港币", "HKD"),
    ],
)
def test_the_currency_answered_is_the_last_one_said(text: str, currency: str) -> None:
    """Fourteenth trial mix02."""
    assert [f.value for f in read(text).facts if f.kind == "currency"] == [currency]


@pytest.mark.parametrize("text", ["Is that HKD or RMB?", "係港幣定人民幣？", "是港币还是人民币？"])
def test_a_currency_question_says_no_currency(text: str) -> None:
    """Fifteenth trial en_side3: "Is that HKD or RMB?" about the bot's own estimate was read
    as renminbi."""
    assert not [f for f in read(text).facts if f.kind == "currency"]


@pytest.mark.parametrize(
    ("lines", "item", "amount"),
    [
        # seventeenth trial c04: the same project's cost, asked as that phase's item
        (
            ["我哋想搞個新技術項目，成本50萬", "咁如果係2014年嘅示範項目呢？"],
            "demonstration",
            "500000",
        ),
        (
            ["new technology project HK$1.2m", "what if it was a demonstration project in 2014?"],
            "demonstration",
            "1200000",
        ),
        # another kind of item is not the project's cost: asked, not borrowed
        (
            ["new technology project HK$1.2m", "what if it was an on-site assessment?"],
            "technology",
            "1200000",
        ),
        # a correction moves the cost to the item named
        (["demo project 400k", "sorry, it's an assessment, not a demo"], "assessment", "400000"),
    ],
)
def test_a_cost_follows_the_item_asked_as_a_what_if(
    lines: list[str], item: str, amount: str
) -> None:
    case = Case([])
    for turn, line in enumerate(lines, start=1):
        case.turn = turn
        merge(case, read(line, turn=turn))
    cost = case.current("cost")
    assert (cost["item"], cost["amount"]) == (item, amount)


@pytest.mark.parametrize(
    ("cost_item", "item", "another"),
    [
        ("technology", "assessment", True),  # eighteenth trial p17: a project's cost
        ("demonstration", "verification", True),
        ("assessment", "demonstration", True),
        ("technology", "demonstration", False),  # a project priced as another phase's
        ("demonstration", "technology", False),
        ("assessment", "assessment", False),
        (None, "assessment", False),  # a cost said with no item: the item talked about
    ],
)
def test_a_cost_said_for_another_kind_of_item_is_not_used(
    cost_item: str | None, item: str, another: bool
) -> None:
    from bot.core.flows.case import _another_items_cost

    cost = {"amount": "2000000", "currency": None, "text": "200萬"}
    if cost_item:
        cost["item"] = cost_item
    assert _another_items_cost(cost, item) is another
