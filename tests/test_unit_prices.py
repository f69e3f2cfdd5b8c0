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
