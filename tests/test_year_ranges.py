"""Years written as a range (trial 52 h12): never an amount, and a phase when they are its
first and last years ("2020-25", "2008-2013", "2013-15"); "after 2027" is the year after."""

from __future__ import annotations

import pytest

from bot.core.money import find_amounts, year_ranges
from bot.core.reading import read


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("budget of 2020-25 phase", [(2020, 2025)]),
        ("assessment cap in the original programme 2008-2013?", [(2008, 2013)]),
        ("2013至15年", [(2013, 2015)]),
        ("20-25萬", []),  # an amount's range
        ("2000-2500元", []),
        ("2015-2013", []),  # backwards: no range
    ],
)
def test_year_ranges(text: str, years: list[tuple[int, int]]) -> None:
    assert [(first, last) for _s, _e, first, last in year_ranges(text)] == years


def test_a_year_range_is_no_amount() -> None:
    assert find_amounts("budget of 2020-25 phase") == []
    assert [a.value for a in find_amounts("20-25萬")] == [200000, 250000]


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("demo cap 2020-25?", "2020-2025"),
        ("assessment cap in the original programme 2008-2013?", "2008-original"),
        ("2013-15 caps?", "2013-extension"),
        ("what items could factories apply for in the 2013 extension", "2013-extension"),
        ("onsite assessment cap original phase?", "2008-original"),
    ],
)
def test_a_phase_named_by_its_years(text: str, phase: str) -> None:
    reading = read(text)
    assert [f.value for f in reading.of("phase")] == [phase]
    assert not reading.of("day") and not reading.of("cost")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("what if we apply again after 2027?", "2028-01-01"),
        ("2027年之後仲可唔可以申請？", "2028-01-01"),
        ("in 2027 can we apply?", "2027-01-01"),
    ],
)
def test_after_a_year_is_the_year_after(text: str, day: str) -> None:
    assert [f.value["day"] for f in read(text).of("day")] == [day]
