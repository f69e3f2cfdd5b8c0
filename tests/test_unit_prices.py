"""A price said for one of several units is multiplied by the units bought (twelfth
trial yue02, en18); a price said for the whole, or with no count, is left as said."""

from __future__ import annotations

import pytest

from bot.core.reading import read


def cost_of(text: str) -> str | None:
    costs = [f.value["amount"] for f in read(text).facts if f.kind == "cost"]
    return costs[0] if costs else None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1萬2千蚊一部機，買20部", "240000"),
        ("換20部機，每部1萬2", "240000"),
        ("每台5万，买三台", "150000"),
        ("每台5万，买十二台", "600000"),
        ("8 heat pumps at HK$45k each", "360000"),
        ("3 sets at 50k each", "150000"),
        ("50k per unit, 4 units", "200000"),
    ],
)
def test_a_unit_price_times_the_units(text: str, amount: str) -> None:
    assert cost_of(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("示範項目50萬", "500000"),
        ("2部機共10萬", "100000"),  # the whole price of two
        ("项目大概80万，分3期", "800000"),
        ("HK$45k each", "45000"),  # no count said
    ],
)
def test_a_whole_price_is_left_as_said(text: str, amount: str) -> None:
    assert cost_of(text) == amount


# Thirteenth trial (yue09): a new count alone, after a unit price, is the units bought now.
@pytest.mark.parametrize(
    ("text", "units"),
    [("如果買15部呢", 15), ("what if we buy 12?", 12), ("那买20台呢", 20), ("15部呢", 15)],
)
def test_a_count_alone_is_read_as_units(text: str, units: int) -> None:
    assert [f.value for f in read(text).facts if f.kind == "units"] == [units]


@pytest.mark.parametrize("text", ["我有2个厂呢", "我們有3間廠", "2 factories?"])
def test_a_count_of_factories_is_no_units(text: str) -> None:
    assert not [f for f in read(text).facts if f.kind == "units"]


# Thirteenth trial (zh16): an exchange rate the user gives, as HK dollars for one renminbi.
@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("按汇率1人民币=1.08港币算呢", "27/25"),
        ("use 1 RMB = 1.1 HKD", "11/10"),
        ("1港币=0.92人民币", "25/23"),
        ("匯率1.1計啦", "11/10"),
        ("exchange rate of 0.9", "10/9"),
    ],
)
def test_an_exchange_rate_is_no_cost(text: str, rate: str) -> None:
    facts = read(text).facts
    assert [f.value for f in facts if f.kind == "rate"] == [rate]
    assert not [f for f in facts if f.kind == "cost"]


@pytest.mark.parametrize("text", ["汇率 50", "1人民币=999港币"])
def test_an_absurd_rate_is_not_taken_nor_its_figures_as_a_cost(text: str) -> None:
    facts = read(text).facts
    assert not [f for f in facts if f.kind in ("rate", "cost")]


@pytest.mark.parametrize(
    ("text", "amount", "projects"),
    [
        # fourteenth trial cmn11: two projects of 30萬 each, not one of 60萬
        ("那如果分成两个项目申请呢？每个30万", "300000", 2),
        ("what if we split it into two projects of 300k each?", "300000", 2),
        ("分開三次申請，每次20萬", "200000", 3),
        # machines bought, not projects: the whole cost
        ("8部熱泵，每部4萬5", "360000", None),
        ("一個項目50萬", "500000", None),
    ],
)
def test_several_projects_each_at_a_cost(text: str, amount: str, projects: int | None) -> None:
    (cost,) = [f.value for f in read(text).facts if f.kind == "cost"]
    assert (cost["amount"], cost.get("projects")) == (amount, projects)


# Twenty-third trial c51: "each" before the price ("2 machines, each 45萬").
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("how much for 2 machines, each 45萬", "900000"),
        ("buying 3 units, each HK$200k", "600000"),
        ("each machine is 45萬, 2 machines", "900000"),
        ("per unit 20萬, 3 units", "600000"),
        ("新技術項目，兩部機，每部45萬", "900000"),  # the count after a clause's comma
    ],
)
def test_each_before_the_price(text: str, amount: str) -> None:
    assert cost_of(text) == amount
