"""Money, dates, numbers and percentages written the way each reply locale reads them.

Babel does the grouping, digits and calendar words; this module only picks the Babel locale
and the few wordings Babel has no pattern for (港幣…元, 30%至90%).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal, format_percent

from bot.core.locales import EN, ZH_HANS_CN, ZH_HANT_HK

# The reply locale "en" is Hong Kong English: day before month, HK$ for the currency.
_BABEL_LOCALES = {EN: "en_HK", ZH_HANT_HK: "zh_Hant_HK", ZH_HANS_CN: "zh_Hans_CN"}

# Chinese amounts read "港幣300,000元"; Babel's currency patterns only give "HK$300,000".
_CHINESE_MONEY = {ZH_HANT_HK: ("港幣", "元"), ZH_HANS_CN: ("港币", "元")}

_CENT = Decimal("0.01")


def babel_locale(locale: str) -> str:
    """The Babel locale behind a reply locale; raises ValueError for anything else."""
    try:
        return _BABEL_LOCALES[locale]
    except KeyError:
        raise ValueError(f"unknown reply locale {locale!r}") from None


def _to_decimal(amount: Decimal | int) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"expected Decimal or int, got {type(amount).__name__}")
    return Decimal(amount)


@lru_cache(maxsize=4096)
def format_money(amount: Decimal | int, locale: str) -> str:
    """An amount in Hong Kong dollars: "HK$300,000", "港幣300,000元", "港币300,000元".

    Cents are shown only when the amount has some (rounded half up to the cent).
    """
    value = _to_decimal(amount)
    # an amount beyond the default context's 28 digits ("100000000000000000000000000 上限")
    # is written in a context wide enough for it (Babel rounds in the current one), not refused
    with localcontext() as wide:
        wide.prec = max(28, value.adjusted() + 4) if value.is_finite() else 28
        value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
        pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
        babel = babel_locale(locale)
        if locale in _CHINESE_MONEY:
            prefix, suffix = _CHINESE_MONEY[locale]
            return f"{prefix}{format_decimal(value, format=pattern, locale=babel)}{suffix}"
        return format_currency(
            value, "HKD", format="¤" + pattern, locale=babel, currency_digits=False
        )


@lru_cache(maxsize=1024)
def format_date(d: date, locale: str) -> str:
    """A calendar date: "31 March 2015" (en) or "2015年3月31日" (Chinese)."""
    return babel_format_date(d, format="long", locale=babel_locale(locale))


def format_number(value: Decimal | int | float, locale: str) -> str:
    """A number with the locale's grouping and decimal signs: "1,234.5"."""
    return format_decimal(value, locale=babel_locale(locale))


def _percent(value: Decimal | int | float, babel: str) -> str:
    return format_percent(Decimal(str(value)) / 100, format="#,##0.##%", locale=babel)


def format_percent_range(
    low: Decimal | int | float, high: Decimal | int | float, locale: str
) -> str:
    """A range of percentages given as 0-100: "30–90%" (en) or "30%至90%" (Chinese)."""
    babel = babel_locale(locale)
    if locale == EN:
        return f"{format_decimal(low, locale=babel)}–{_percent(high, babel)}"
    return f"{_percent(low, babel)}至{_percent(high, babel)}"
