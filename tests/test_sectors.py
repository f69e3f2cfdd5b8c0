"""The trade a user names and the priority sector it is usually counted in (W1, W12, W9)."""

from __future__ import annotations

import pytest

from bot.core.sectors import load_sectors, trade_named


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("陶瓷算唔算重點行業", "non_metallic_minerals"),
        ("we make glass bottles, are we a priority sector?", "non_metallic_minerals"),
        ("我哋做五金嘅", "metal"),
        ("电镀厂算不算重点行业", "metal"),
        ("漂染廠有冇份？", "textiles"),
        ("紙箱廠算唔算", "paper"),
        ("we're a furniture maker", "furniture"),
        ("食品廠得唔得", "food"),
        ("printing factory, priority?", "printing"),
        ("化工厂呢", "chemical"),
    ],
)
def test_a_trade_within_a_priority_sector(text: str, sector: str) -> None:
    trade = trade_named(text)
    assert trade is not None and trade.sector == sector


@pytest.mark.parametrize(
    "text", ["灯饰算哪个行业", "is electronics one?", "玩具廠算唔算", "we make leather shoes"]
)
def test_a_trade_none_of_the_eight_names(text: str) -> None:
    trade = trade_named(text)
    assert trade is not None and trade.sector is None


@pytest.mark.parametrize(
    "text", ["幾時截止申請？", "the 2012 paper says what?", "which stone do you mean"]
)
def test_no_trade_named(text: str) -> None:
    assert trade_named(text) is None


def test_each_sector_has_its_three_names_and_the_sources() -> None:
    sectors = load_sectors()
    assert len(sectors.names) == 8
    assert set(sectors.citations) == {"W1", "W12", "W9"}
