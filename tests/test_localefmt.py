"""Money, dates, numbers and percentage ranges in all three reply locales."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.localefmt import (
    babel_locale,
    format_date,
    format_money,
    format_number,
    format_percent_range,
)

LOCALES = ("en", "zh_Hant_HK", "zh_Hans_CN")


@pytest.mark.parametrize(
    ("amount", "locale", "expected"),
    [
        (300000, "en", "HK$300,000"),
        (300000, "zh_Hant_HK", "港幣300,000元"),
        (300000, "zh_Hans_CN", "港币300,000元"),
        (Decimal("25000.00"), "en", "HK$25,000"),
        (Decimal("15000.5"), "en", "HK$15,000.50"),
        (Decimal("15000.5"), "zh_Hant_HK", "港幣15,000.50元"),
        (Decimal("15000.5"), "zh_Hans_CN", "港币15,000.50元"),
        (Decimal("0.005"), "en", "HK$0.01"),  # rounded half up to the cent
        (Decimal("99.994"), "zh_Hant_HK", "港幣99.99元"),
        (0, "en", "HK$0"),
        (50_000_000, "zh_Hans_CN", "港币50,000,000元"),
        (999, "zh_Hant_HK", "港幣999元"),
    ],
)
def test_format_money(amount: Decimal | int, locale: str, expected: str) -> None:
    assert format_money(amount, locale) == expected


@pytest.mark.parametrize("bad", [1.5, "300", True])
def test_format_money_rejects_floats_and_strings(bad: object) -> None:
    with pytest.raises(TypeError):
        format_money(bad, "en")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "locale", "expected"),
    [
        (date(2015, 3, 31), "en", "31 March 2015"),
        (date(2015, 3, 31), "zh_Hant_HK", "2015年3月31日"),
        (date(2015, 3, 31), "zh_Hans_CN", "2015年3月31日"),
        (date(2013, 4, 1), "en", "1 April 2013"),
        (date(2013, 1, 20), "zh_Hant_HK", "2013年1月20日"),
        (date(2012, 11, 26), "zh_Hans_CN", "2012年11月26日"),
    ],
)
def test_format_date(day: date, locale: str, expected: str) -> None:
    assert format_date(day, locale) == expected


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234567, "1,234,567"), (Decimal("1234.5"), "1,234.5"), (250, "250"), (0, "0")],
)
def test_format_number(value: Decimal | int, locale: str, expected: str) -> None:
    assert format_number(value, locale) == expected


@pytest.mark.parametrize(
    ("low", "high", "locale", "expected"),
    [
        (30, 90, "en", "30–90%"),
        (30, 90, "zh_Hant_HK", "30%至90%"),
        (30, 90, "zh_Hans_CN", "30%至90%"),
        (10, 80, "en", "10–80%"),
        (Decimal("12.5"), 80, "en", "12.5–80%"),
        (Decimal("12.5"), 80, "zh_Hant_HK", "12.5%至80%"),
        (0, 100, "zh_Hans_CN", "0%至100%"),
    ],
)
def test_format_percent_range(
    low: Decimal | int, high: Decimal | int, locale: str, expected: str
) -> None:
    assert format_percent_range(low, high, locale) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda loc: format_money(1, loc),
        lambda loc: format_date(date(2015, 1, 1), loc),
        lambda loc: format_number(1, loc),
        lambda loc: format_percent_range(1, 2, loc),
    ],
)
@pytest.mark.parametrize("locale", ["fr", "zh", "zh_Hant_TW", ""])
def test_unknown_locale_is_an_error(call, locale: str) -> None:
    with pytest.raises(ValueError, match="unknown reply locale"):
        call(locale)


def test_babel_locale() -> None:
    assert [babel_locale(loc) for loc in LOCALES] == ["en_HK", "zh_Hant_HK", "zh_Hans_CN"]
