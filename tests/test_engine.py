"""``handle_event``: one transaction per event, whatever brought it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.app import Services, build_services
from bot.config import Settings
from bot.core.dialogue import CommandIn, TextIn
from bot.core.flows.inline import InlineQueryIn
from bot.engine import ChatRef, apology, handle_event
from bot.render import render_text
from bot.store import Store


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return build_services(Settings(db_path=tmp_path / "b.sqlite3"), Store(tmp_path / "b.sqlite3"))


def rows(services: Services, chat_id: int) -> list[Any]:
    """Every row queued for the chat (a claim would give only its first)."""
    query = "SELECT params FROM outbox WHERE chat_id = ? ORDER BY id"
    return [json.loads(p) for (p,) in services.store.conn.execute(query, (chat_id,))]


def test_an_event_writes_session_rows_and_handled_mark_together(services: Services) -> None:
    handled = handle_event(services, ChatRef(5, 5, "zh-hant"), TextIn("我間廠喺東莞"), update_id=41)
    assert handled.rendered and handled.rendered[0][1] == "zh_Hant_HK"
    assert services.store.already_handled(41)
    session = services.store.load_session(5)
    assert session.telegram_language_code == "zh-hant" and session.user_id == 5
    assert session.history, "the exchange is remembered"
    [row] = rows(services, 5)
    assert "東莞" in row["text"]


def test_the_same_update_twice_queues_its_replies_once(services: Services) -> None:
    handle_event(services, ChatRef(6), TextIn("hello"), update_id=7)
    history = services.store.load_session(6).history
    again = handle_event(services, ChatRef(6), TextIn("hello"), update_id=7)
    assert again.repeated and again.rendered == []
    assert len(rows(services, 6)) == 1
    assert services.store.load_session(6).history == history, "the conversation moved once"


def test_without_an_update_id_nothing_is_marked(services: Services) -> None:
    before = services.store.last_handled_update()
    handle_event(services, ChatRef(8), CommandIn("start"))
    handle_event(services, ChatRef(8), CommandIn("start"))
    assert services.store.last_handled_update() == before
    assert len(rows(services, 8)) == 2, "console events are never taken for repeats"


def test_a_failure_leaves_nothing_behind(services: Services) -> None:
    def fails(session: Any, event: Any) -> Any:
        services.store.conn.execute(
            "INSERT INTO sessions (chat_id, data, updated_at) VALUES (?, ?, 0)", (99, "{}")
        )
        raise RuntimeError("a bug")

    services.dialogue.handle = fails  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        handle_event(services, ChatRef(9), TextIn("hi"), update_id=12)
    assert not services.store.already_handled(12)
    assert rows(services, 9) == []
    assert (
        services.store.conn.execute("SELECT count(*) FROM sessions WHERE chat_id = 99").fetchone()[
            0
        ]
        == 0
    )


def test_observers_see_each_answer(services: Services) -> None:
    seen: list[int] = []
    services.observers.append(lambda chat_id, rendered: seen.append(chat_id))
    handle_event(services, ChatRef(3), TextIn("hi"))
    assert seen == [3]


def test_the_apology_is_in_the_chat_language_with_the_hotline(services: Services) -> None:
    handle_event(services, ChatRef(4), TextIn("我间工厂在深圳，可以申请吗？"))
    [(reply, locale)] = apology(services, 4, None)
    assert locale == "zh_Hans_CN"
    assert "2788 5588" in render_text(reply, locale)


@pytest.mark.parametrize(
    ("text", "hint", "locale", "card"),
    [
        ("示範項目成本40萬", None, "zh_Hant_HK", "estimate"),
        ("demonstration project HK$400,000", "en", "en", "estimate"),
        ("", "zh_Hans_CN", "zh_Hans_CN", None),
    ],
)
def test_an_inline_query_gets_cards_and_stores_nothing(
    services: Services, text: str, hint: str | None, locale: str, card: str | None
) -> None:
    handled = handle_event(services, ChatRef(11, 11), InlineQueryIn(text, hint))
    assert handled.cards is not None and handled.cards[0] == locale
    assert [c.id for c in handled.cards[1]][:1] == ([card] if card else [])
    assert rows(services, 11) == [] and handled.session is None
    assert services.store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def states(services: Services, chat_id: int) -> list[str]:
    query = "SELECT state FROM outbox WHERE chat_id = ? ORDER BY id"
    return [state for (state,) in services.store.conn.execute(query, (chat_id,))]


def test_claim_takes_the_answers_first_row_for_sending_as_it_commits(services: Services) -> None:
    handled = handle_event(services, ChatRef(9), TextIn("我間廠喺東莞"), update_id=90, claim=True)
    [row] = handled.claimed
    assert "東莞" in row.params["text"]
    assert states(services, 9)[0] == "sending"
    assert services.outbox.claim(9) == [], "the chat's row is already being sent"


def test_claim_keeps_the_chats_order_behind_a_row_not_yet_sent(services: Services) -> None:
    with services.store.transaction() as conn:
        older = services.outbox.enqueue(conn, 10, "sendMessage", {"chat_id": 10, "text": "older"})
    handled = handle_event(services, ChatRef(10), TextIn("hello"), update_id=91, claim=True)
    assert [row.id for row in handled.claimed] == [older]
    assert states(services, 10) == ["sending", "pending"]


def test_without_claim_every_row_waits_for_the_sender(services: Services) -> None:
    handled = handle_event(services, ChatRef(11), TextIn("hello"), update_id=92)
    assert handled.claimed == []
    assert set(states(services, 11)) == {"pending"}


WARMED = """
import sys
from bot.app import build_services
from bot.config import Settings
from bot.core.fact_questions import default_matcher
services = build_services(Settings(db_path=sys.argv[1]))
conn = services.store.conn
rows = sum(
    conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    for table in ("sessions", "outbox", "tickets", "inbox")
)
print(default_matcher.cache_info().currsize, rows)
"""


def test_a_new_process_has_answered_once_before_the_first_user_and_kept_nothing(
    tmp_path: Path,
) -> None:
    """build_services answers WARM_UP_MESSAGES and rolls them back: the tables a first
    answer loads (the FAQ matcher among them) are loaded, and no row is left. A fresh
    process, as the caches of this one are warm already."""
    done = subprocess.run(
        [sys.executable, "-c", WARMED, str(tmp_path / "b.sqlite3")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "0"]
