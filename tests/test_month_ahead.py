"""A month said without a year, of a plan, in a conversation that named no year: its next
coming from the bot's day (eleventh trial p09, tenth trial e13, p19). A month of something
done, or one with no plan in the words, is not read this way."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.reading import read


def day_of(text: str, today: date) -> dict[str, str] | None:
    found = [f.value for f in read(text, today=today).facts if f.kind == "day"]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("text", "today", "first"),
    [
        ("如果我们2月再报呢", date(2013, 1, 10), "2013-02-01"),
        ("ok, if we apply in April, how much?", date(2013, 2, 15), "2013-04-01"),
        ("如果4月先申請，資助幾多？", date(2013, 3, 10), "2013-04-01"),
        # a month already gone this year: next year's
        ("if we apply in February?", date(2013, 3, 10), "2014-02-01"),
        # this month counts
        ("如果三月申请呢", date(2013, 3, 10), "2013-03-01"),
        ("what if we wait until April?", date(2020, 2, 1), "2020-04-01"),
    ],
)
def test_a_month_of_a_plan_is_its_next_coming(text: str, today: date, first: str) -> None:
    value = day_of(text, today)
    assert value is not None and value["day"] == first


@pytest.mark.parametrize(
    "text",
    [
        "我哋4月做過評估",  # something done
        "we applied in April",
        "4月份好忙",  # no plan said
    ],
)
def test_a_month_of_something_done_is_no_day_asked(text: str) -> None:
    assert day_of(text, date(2013, 2, 15)) is None
