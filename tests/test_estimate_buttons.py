"""The buttons under an estimate: "Another item" only where the phase funds more than one
kind of project (trial 43 c114: in the 2025–2027 phase it gave the same estimate again)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.dialogue import Dialogue, TextIn
from bot.core.session import Session


def _button_data(text: str, day: date) -> list[str]:
    dialogue = Dialogue.default()
    dialogue.rules_date = day
    session = Session(chat_id=1)
    replies = dialogue.handle(session, TextIn(text))
    return [b.data for r in replies for row in r.buttons for b in row]


@pytest.mark.parametrize(
    ("text", "day", "another_item"),
    [
        ("新技術項目三萬五，資助幾多？", date(2026, 11, 29), False),  # W9: one kind of project
        ("technology project costing HK$350k, how much?", date(2026, 11, 29), False),
        ("實地評估三萬五，資助幾多？", date(2016, 5, 1), True),  # W4: assessments and demos
        ("on-site assessment HK$35,000, subsidy?", date(2013, 6, 1), True),  # para 12
    ],
)
def test_another_item_only_where_there_is_one(text: str, day: date, another_item: bool) -> None:
    data = _button_data(text, day)
    assert any(d.endswith("|again|cost") for d in data)
    assert any(d.endswith("|again|item") for d in data) is another_item
