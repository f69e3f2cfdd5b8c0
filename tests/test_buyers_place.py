"""A place named for the buyers ("香港的客户", "customers in Hong Kong", "we sell to Hong
Kong") is not the factory's (bot.core.reading). One row per form; the factory's own place
in the same message is still read."""

from __future__ import annotations

import pytest

from bot.core.reading import read


def places(text: str) -> tuple[list[str], bool]:
    reading = read(text)
    return [f.value for f in reading.facts if f.kind == "place"], reading.buyers_place


@pytest.mark.parametrize(
    "text",
    [
        "我们有香港的客户",
        "我哋有香港嘅客戶，有冇影響？",
        "我哋啲客戶喺香港",
        "我哋啲客喺香港",  # "客" alone, after "啲"
        "客户主要在香港",
        "我们的产品卖到香港",
        "Our customers are in Hong Kong",
        "we have clients mainly in Hong Kong",
        "we sell most of our products to Hong Kong",
        "Hong Kong buyers",
    ],
)
def test_the_buyers_place_is_no_factory_place(text: str) -> None:
    assert places(text) == ([], True)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("我哋東莞廠有香港客戶", ["cn-gd-dongguan"]),
        ("our factory in Dongguan, customers mainly in Hong Kong", ["cn-gd-dongguan"]),
    ],
)
def test_the_factory_place_beside_the_buyers_is_read(text: str, want: list[str]) -> None:
    assert places(text)[0] == want


@pytest.mark.parametrize(
    "text", ["我哋喺香港有間廠", "工厂在香港", "the factory in Hong Kong sells to Europe"]
)
def test_a_factory_in_hong_kong_is_still_in_hong_kong(text: str) -> None:
    assert places(text) == (["hk"], False)
