"""The outbox and the inbox on a real SQLite file: order per chat, idempotent enqueueing,
folding a backlog, retries, crash recovery, /forget; and the Sender's handling of
Telegram's errors."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery import InboxRequest, Sender, _updates_in
from bot.outbox import CLOCK, Inbox, Outbox, OutboxRow
from bot.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "bot.sqlite3")


@pytest.fixture
def box(store: Store) -> Outbox:
    return Outbox(store)


def put(box: Outbox, chat: int, text: str, key: str | None = None, **context: Any) -> int:
    with box.store.transaction() as conn:
        return box.enqueue(
            conn, chat, "sendMessage", {"chat_id": chat, "text": text}, key, context=context
        )


def state(box: Outbox, row_id: int) -> str:
    return box.store.conn.execute("SELECT state FROM outbox WHERE id = ?", (row_id,)).fetchone()[0]


def test_one_row_per_chat_at_a_time_in_order(box: Outbox) -> None:
    a1, b1, a2 = put(box, 1, "a1"), put(box, 2, "b1"), put(box, 1, "a2")
    assert [r.id for r in box.claim()] == [a1, b1]
    assert box.claim() == [], "a2 waits while a1 is being sent"
    box.sent(box_row(box, a1), 11)
    assert [r.id for r in box.claim()] == [a2]


def test_a_claim_that_finds_nothing_due_does_not_wait_for_the_write_lock(
    tmp_path: Path,
) -> None:
    """Most claims find nothing (the loop's, a flush after the last part): they read
    rather than open a write transaction, so another writer holding the lock cannot stall
    them, and they change nothing."""
    store = Store(tmp_path / "bot.sqlite3", busy_timeout=5.0)
    box = Outbox(store)
    other_chat = put(box, 2, "for chat 2")
    with box.store.transaction() as conn:  # a retry, not due for a minute
        later = box.enqueue(conn, 3, "sendMessage", {"chat_id": 3, "text": "later"})
        conn.execute("UPDATE outbox SET not_before = ? WHERE id = ?", (CLOCK() + 60, later))
    writer = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        changes = store.conn.total_changes
        started = time.monotonic()
        assert box.claim(1) == [] and box.claim(3) == []
        assert time.monotonic() - started < 1.0, "waited for the other writer"
        assert store.conn.total_changes == changes
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert [row.id for row in box.claim()] == [other_chat]


def box_row(box: Outbox, row_id: int) -> OutboxRow:
    return OutboxRow(row_id, 0, "sendMessage", {}, 1, None, {})


def test_the_same_key_is_queued_once(box: Outbox) -> None:
    first = put(box, 1, "hi", "u5:0")
    assert put(box, 1, "hi again", "u5:0") == first
    assert box.pending_count() == 1


def test_a_crash_while_sending_puts_the_row_back(store: Store, box: Outbox) -> None:
    row_id = put(box, 1, "hi")
    [row] = box.claim()
    assert state(box, row.id) == "sending"
    Outbox(store)  # the restarted process
    assert state(box, row_id) == "pending"
    assert [r.id for r in box.claim()] == [row_id]


def test_a_backlog_of_one_group_is_folded_into_one_message(box: Outbox) -> None:
    first = put(box, -5, "<b>T</b>\none", group="t:1", body="one")
    put(box, -5, "<b>T</b>\ntwo", group="t:1", body="two")
    put(box, -5, "<b>T</b>\nthree", group="t:1", body="three")
    other = put(box, -5, "<b>U</b>\nfour", group="t:2", body="four")
    [row] = box.claim()
    assert row.id == first and len(row.ids) == 3
    assert row.params["text"] == "<b>T</b>\none\n\ntwo\n\nthree"
    box.sent(row, 77)
    assert [state(box, i) for i in row.ids] == ["sent"] * 3
    assert [r.id for r in box.claim()] == [other], "another ticket's message is not folded in"


def test_folding_stops_at_the_size_limit(box: Outbox) -> None:
    for n in range(3):
        put(box, -5, "x" * 1500, group="t:1", body=f"{n}" * 1500)
    [row] = box.claim()
    assert len(row.ids) == 2 and len(row.params["text"]) <= 4096


def test_retry_waits_and_never_gives_up(box: Outbox) -> None:
    row_id = put(box, 1, "hi")
    for _ in range(50):
        [row] = box.claim()
        box.retry(row, 0, "network")
    assert state(box, row_id) == "pending"
    [row] = box.claim()
    box.retry(row, 60, "429")
    assert box.claim() == [] and box.next_due() > 0


def test_sent_records_the_meaning_in_the_same_transaction(box: Outbox) -> None:
    put(box, 1, "hi")
    [row] = box.claim()

    def then(conn: Any, sent: OutboxRow, message_id: int | None) -> None:
        raise RuntimeError("the callback failed")

    with pytest.raises(RuntimeError):
        box.sent(row, 9, then)
    assert state(box, row.id) == "sending", "not marked sent without its record"


def test_sent_rows_drop_their_text(box: Outbox) -> None:
    put(box, 1, "my phone is 91234567")
    [row] = box.claim()
    box.sent(row, 3)
    params = box.store.conn.execute("SELECT params FROM outbox").fetchone()[0]
    assert "9123" not in params and box.message_ids([row.id]) == {row.id: 3}


def test_scrub_forgets_queued_and_sent_rows_of_a_user(box: Outbox) -> None:
    sent = put(box, 1, "sent one")
    [row] = box.claim()
    box.sent(row, 1)
    queued = put(box, 1, "queued one")
    with box.store.transaction() as conn:
        staff = box.enqueue(conn, -5, "sendMessage", {"text": "about ticket"}, ticket_id=8)
        other = box.enqueue(conn, 2, "sendMessage", {"text": "someone else"})
        box.scrub(conn, 1, [8])
    assert state(box, queued) == "dead" and state(box, staff) == "dead"
    assert state(box, sent) == "sent" and state(box, other) == "pending"
    dump = "\n".join(box.store.conn.iterdump())
    assert "queued one" not in dump and "about ticket" not in dump and "someone else" in dump


# --- the inbox ----------------------------------------------------------------------------


def update(update_id: int, chat: int = 42, text: str = "hi") -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {"message_id": 1, "chat": {"id": chat}, "text": text},
    }


def test_inbox_hands_each_update_to_one_copy(store: Store) -> None:
    inbox = Inbox(store)
    assert inbox.keep([update(1), update(2)]) == 2
    assert inbox.keep([update(2)]) == 0
    assert inbox.claim(1) is True
    assert inbox.claim(1) is False, "a second copy (Telegram's redelivery) is skipped"
    assert inbox.claim(99) is True, "updates that did not come through the inbox pass"
    inbox.done(1)
    assert inbox.claim(1) is False
    assert [u["update_id"] for u in inbox.unfinished()] == [2]


def test_inbox_replays_what_a_killed_process_was_handling(store: Store) -> None:
    inbox = Inbox(store)
    inbox.keep([update(1), update(2)])
    inbox.claim(1)
    restarted = Inbox(store)
    assert [u["update_id"] for u in restarted.unfinished()] == [1, 2]
    assert restarted.claim(1) is True


def test_inbox_drops_content_when_done_and_on_forget(store: Store) -> None:
    inbox = Inbox(store)
    inbox.keep([update(1, text="call 91234567"), update(2, chat=7, text="mine 98765432")])
    inbox.claim(1)
    inbox.done(1)
    with store.transaction() as conn:
        inbox.forget_chat(conn, 7)
    dump = "\n".join(store.conn.iterdump())
    assert "91234567" not in dump and "98765432" not in dump
    assert inbox.unfinished() == [] and inbox.claim(2) is False


class FakeRequest:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    async def do_request(self, url: str, method: str, request_data: Any = None, **_: Any) -> Any:
        return 200, self.payload


async def test_inbox_request_keeps_updates_before_ptb_sees_them(store: Store) -> None:
    inbox = Inbox(store)
    payload = b'{"ok": true, "result": [{"update_id": 5, "message": {"chat": {"id": 1}}}]}'
    request = InboxRequest(FakeRequest(payload), inbox)  # type: ignore[arg-type]
    assert await request.do_request("http://x/bot1:A/sendMessage", "POST") == (200, payload)
    assert inbox.unfinished() == []
    await request.do_request("http://x/bot1:A/getUpdates", "POST")
    # Stored, and claimed for this process in the same transaction: one attempt counted.
    row = store.conn.execute("SELECT state, attempts FROM inbox WHERE update_id = 5").fetchone()
    assert (row["state"], row["attempts"]) == ("handling", 1)
    assert _updates_in(b"<html>502</html>") == []
    # A process that stops before handling it leaves it to the next one, which replays it.
    assert [u["update_id"] for u in Inbox(store).unfinished()] == [5]


def test_an_update_claimed_when_kept_is_handled_once(store: Store) -> None:
    inbox = Inbox(store)
    assert inbox.keep([update(1)], claim=True) == 1
    assert inbox.claim(1) is True  # the claim made when it was stored
    assert inbox.claim(1) is False  # another copy: it is being handled
    assert inbox.keep([update(1)], claim=True) == 0  # redelivered: not stored, not claimed
    assert inbox.claim(1) is False
    attempts = store.conn.execute("SELECT attempts FROM inbox WHERE update_id = 1").fetchone()
    assert attempts[0] == 1


def test_an_update_claimed_when_kept_counts_one_interruption_per_process(store: Store) -> None:
    # Stored and claimed, then the process died before handling it: the next process
    # replays it and claims it again; the attempts count the processes, as before.
    Inbox(store).keep([update(1)], claim=True)
    inbox = Inbox(store)
    assert [u["update_id"] for u in inbox.unfinished()] == [1]
    assert inbox.claim(1) is True
    attempts = store.conn.execute("SELECT attempts FROM inbox WHERE update_id = 1").fetchone()
    assert attempts[0] == 2


# --- the sender ---------------------------------------------------------------------------


class FakeBot:
    def __init__(self, *outcomes: Any) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def do_api_request(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        self.calls.append((method, api_kwargs))
        outcome = self.outcomes.pop(0) if self.outcomes else {"message_id": len(self.calls)}
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def error_of(box: Outbox, row_id: int) -> tuple[str, str, float]:
    row = box.store.conn.execute(
        "SELECT state, error, not_before FROM outbox WHERE id = ?", (row_id,)
    ).fetchone()
    return row[0], row[1] or "", row[2]


@pytest.mark.parametrize(
    "failure",
    [
        RetryAfter(dt.timedelta(seconds=30)),
        NetworkError("connection reset"),
        TimedOut(),
        RuntimeError("a bug"),
    ],
)
async def test_passing_failures_are_retried(box: Outbox, failure: Exception) -> None:
    row_id = put(box, 1, "hi")
    bot = FakeBot(failure)
    await Sender(bot, box).flush()  # type: ignore[arg-type]
    state_, error, not_before = error_of(box, row_id)
    assert state_ == "pending" and error and not_before > 0
    if isinstance(failure, RetryAfter):
        import time

        assert not_before >= time.time() + 25, "waits as long as Telegram asks"


async def test_a_blocked_user_drops_their_rows_and_does_not_stall_others(box: Outbox) -> None:
    mine, theirs, mine_too = put(box, 1, "a"), put(box, 2, "b"), put(box, 1, "c")
    blocked: list[int] = []
    bot = FakeBot(Forbidden("Forbidden: bot was blocked by the user"))
    await Sender(bot, box, on_blocked=blocked.append).flush()  # type: ignore[arg-type]
    assert blocked == [1]
    assert state(box, mine) == "dead" and state(box, mine_too) == "dead"
    assert state(box, theirs) == "sent"


async def test_a_staff_chat_that_refuses_the_bot_keeps_its_rows(box: Outbox) -> None:
    row_id = put(box, -5, "card")
    bot = FakeBot(Forbidden("Forbidden: bot was kicked from the supergroup chat"))
    sender = Sender(bot, box, on_blocked=lambda chat: None, is_staff_chat=lambda c: c == -5)  # type: ignore[arg-type]
    await sender.flush()
    assert state(box, row_id) == "pending"


async def test_a_bad_request_is_dead_and_the_chat_goes_on(box: Outbox) -> None:
    bad, good = put(box, 1, "<b"), put(box, 1, "ok")
    await Sender(FakeBot(BadRequest("Can't parse entities")), box).flush()  # type: ignore[arg-type]
    assert state(box, bad) == "dead" and state(box, good) == "sent"


async def test_on_sent_gets_the_message_id(box: Outbox) -> None:
    put(box, -5, "card")
    seen: list[tuple[int, int | None]] = []
    bot = FakeBot({"message_id": 321})
    sender = Sender(bot, box, on_sent=lambda conn, row, mid: seen.append((row.chat_id, mid)))  # type: ignore[arg-type]
    await sender.flush()
    assert seen == [(-5, 321)]


def test_a_replay_skips_updates_whose_content_was_forgotten(store: Store) -> None:
    inbox = Inbox(store)
    inbox.keep([update(1, chat=7), update(2, chat=8)])
    inbox.claim(1)  # /forget was being handled when the process died
    with store.transaction() as conn:
        inbox.forget_chat(conn, 7)
    restarted = Inbox(store)
    assert [u["update_id"] for u in restarted.unfinished()] == [2]
    assert restarted.claim(1) is False


def test_an_update_that_keeps_killing_the_process_is_set_aside(store: Store) -> None:
    inbox = Inbox(store)
    inbox.keep([update(1), update(2)])
    for _ in range(10):  # each process dies while handling it
        inbox = Inbox(store)
        assert inbox.claim(1)
    inbox = Inbox(store)
    assert [u["update_id"] for u in inbox.unfinished()] == [2]
    [reason] = store.conn.execute("SELECT reason FROM dead_updates WHERE update_id = 1").fetchone()
    assert "stopped while handling it 10 times" in reason


async def test_a_chat_flush_wakes_the_loop_only_when_there_is_more_to_do(box: Outbox) -> None:
    """A user's own answer, all sent: nothing for the loop. A row queued for another
    chat (a relay to staff) or a row of this chat that did not go: the loop is woken."""
    sender = Sender(FakeBot(), box)  # type: ignore[arg-type]
    put(box, 1, "answer")
    await sender.flush(1)
    assert not sender.wake.is_set()

    put(box, 1, "answer")
    put(box, -5, "relayed to staff")
    await sender.flush(1)
    assert sender.wake.is_set(), "the staff chat's row is the loop's to send"
    assert box.pending_count() == 1

    sender.wake.clear()
    box.take_queued_chats()
    retried = Sender(FakeBot(NetworkError("down")), box)  # type: ignore[arg-type]
    put(box, 2, "answer")
    await retried.flush(2)
    assert retried.wake.is_set(), "the retry must be timed by the loop"
