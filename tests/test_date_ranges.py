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


@pytest.mark.parametrize("text", ["2014年3月1日", "1 March 2014", "2013"])
def test_a_day_or_a_year_has_no_last_day(text: str) -> None:
    mention = find_date(text)
    assert mention is not None and mention.until is None
