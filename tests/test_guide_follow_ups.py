"""Typed references to a result list ("第二個打開睇吓", "open 2") and follow-up topics
("油墨方面呢") after a search (bot.core.flows.guides); eleventh trial, c06."""

from __future__ import annotations

import pytest

from bot.core.flows.guides import _ORDINAL, _ORDINAL_NUMBERS
from bot.core.textnorm import fold


def number_of(text: str) -> int | None:
    match = _ORDINAL.match(fold(text).strip())
    if match is None:
        return None
    word = match.group(1) or match.group(2)
    return int(word) if word.isdigit() else _ORDINAL_NUMBERS[word]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("第二個打開睇吓", 2),
        ("打開第三個", 3),
        ("打开第3个", 3),
        ("2", 2),
        ("第一個", 1),
        ("open 2", 2),
        ("open the second one", 2),
        ("the 3rd one please", 3),
        ("no. 2", 2),
        ("#1", 1),
    ],
)
def test_a_result_named_by_its_number(text: str, number: int) -> None:
    assert number_of(text) == number


@pytest.mark.parametrize(
    "text",
    ["我哋有2條電鍍線", "2萬", "second hand machines", "第二期有咩資助", "HK$2", "20"],
)
def test_other_numbers_are_no_result(text: str) -> None:
    assert number_of(text) is None
