"""Months named in a message (bot.core.understand.find_date): the first day, and the last
day the answer must cover. One row per form."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.understand import find_date


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2013年1月到3月嗰陣有冇得申請", date(2013, 1, 1), date(2013, 3, 31)),
        ("2013年1月至3月", date(2013, 1, 1), date(2013, 3, 31)),
        ("2013年2月可唔可以申請", date(2013, 2, 1), date(2013, 2, 28)),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29)),  # a leap year
        ("can i apply in december 2014?", date(2014, 12, 1), date(2014, 12, 31)),
        ("2013年3月到1月", date(2013, 3, 1), date(2013, 3, 31)),  # backwards: the month alone
    ],
)
def test_a_month_or_months_cover_to_their_last_day(text: str, first: date, last: date) -> None:
    mention = find_date(text)
    assert mention is not None and (mention.day, mention.until) == (first, last)


@pytest.mark.parametrize("text", ["2014年3月1日", "1 march 2014"])
def test_a_day_has_no_last_day(text: str) -> None:
    mention = find_date(text)
    assert mention is not None and mention.precision == "day" and mention.until is None


def test_a_year_covers_to_its_last_day() -> None:
    # "2013年可唔可以申請？": the original phase, no phase, then the extension (para 11)
    mention = find_date("2013")
    assert mention is not None and (mention.day, mention.until) == (
        date(2013, 1, 1),
        date(2013, 12, 31),
    )


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("去年想申請，可以嗎？", 2025),
        ("明年仲有冇得申請", 2027),
        ("last year, could we apply?", 2025),
    ],
)
def test_last_and_next_year_count_from_today(text: str, year: int) -> None:
    from bot.core.reading import read

    days = [f.value for f in read(text, today=date(2026, 11, 27)).facts if f.kind == "day"]
    if year is None:  # "仲有冇" asks about now, whenever the year
        assert days == []
    else:
        assert days == [{"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"}]


def test_a_year_something_happened_is_not_the_year_asked_about() -> None:
    from bot.core.reading import read

    text = "We moved our plant to Meizhou last year. Can we still join?"
    assert not [f for f in read(text, today=date(2026, 11, 27)).facts if f.kind == "day"]


def context_day(text: str, year: int | None) -> dict[str, str] | None:
    from bot.core.reading import read

    days = [f.value for f in read(text, today=date(2026, 11, 27), context_year=year).facts
            if f.kind == "day"]  # fmt: skip
    return days[-1] if days else None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("咁2月尾呢？", {"day": "2013-02-28", "precision": "day"}),
        ("那二月底呢", {"day": "2013-02-28", "precision": "day"}),
        ("and at the end of February?", {"day": "2013-02-28", "precision": "day"}),
        ("4月初呢？", {"day": "2013-04-01", "precision": "day"}),
        ("mid-March?", {"day": "2013-03-15", "precision": "day"}),
        ("咁4月之後呢？", {"day": "2013-04-01", "precision": "day"}),
        ("3月份呢", {"day": "2013-03-01", "precision": "month", "until": "2013-03-31"}),
    ],
)
def test_a_month_without_a_year_takes_the_year_the_conversation_named(
    text: str, want: dict[str, str]
) -> None:
    assert context_day(text, 2013) == want


@pytest.mark.parametrize(
    "text",
    [
        "咁2月尾呢？",  # no year named before: not guessed
        "3個月內要完成嗎",  # a duration, not a month
        "may I apply?",  # "may" is no month
    ],
)
def test_no_month_is_read_without_a_named_year_or_a_month(text: str) -> None:
    year = None if text.startswith("咁") else 2013
    assert context_day(text, year) is None


@pytest.mark.parametrize(
    "text", ["我個申請編號係cp2024-0012", "my reference is cp-2023-118", "ref2019"]
)
def test_a_reference_number_names_no_year(text: str) -> None:
    """Fourteenth trial yue18: "CP2024-0012" decided the 2020–2025 phase."""
    assert find_date(text) is None


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        # twenty-eighth trial c37: a year first in English was read as the whole year, so
        # "In 2013 March" got the extension's "Yes" when no phase was open
        ("in 2013 march, factory in shenzhen", date(2013, 3, 1), "month"),
        ("2013 mar", date(2013, 3, 1), "month"),
        ("2013, april", date(2013, 4, 1), "month"),
        ("2013 january 10?", date(2013, 1, 10), "day"),
        ("march 15, 2013", date(2013, 3, 15), "day"),
        ("jan 2nd 2014", date(2014, 1, 2), "day"),
        ("2013 may we apply", date(2013, 1, 1), "year"),  # "may" the verb: the year alone
    ],
)
def test_english_dates_in_either_order(text: str, day: date, precision: str) -> None:
    mention = find_date(text)
    assert mention is not None and (mention.day, mention.precision) == (day, precision)
