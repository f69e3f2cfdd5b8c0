"""Issue 14, in process on a real SQLite file: the outbox and inbox when the database fails
for a while, a staff group migrated to a supergroup (found by a send), clock steps, the
handled-update ledger, splitting long texts, and the per-user rate.

The database is made to fail the way another process makes it fail: a second connection
holds the write lock, and the bot's busy timeout is shortened so a test need not wait 5 s.
"""

from __future__ import annotations

import asyncio
import gc
import html
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram.error import ChatMigrated, RetryAfter

import bot.outbox as outbox_module
from bot.core.desks import load_desks
from bot.core.session import Session
from bot.core.tickets import TicketDesk
from bot.delivery import InboxGuard, RateLimit, Sender
from bot.handlers.postbox import OutboxPostbox, on_sent_notice
from bot.outbox import (
    CLOCK,
    LEDGER_WINDOW,
    MAX_TEXT,
    Clock,
    Inbox,
    Outbox,
    _units,
    prune,
    split_html,
)
from bot.store import Store
from tests.support.local_api import parse_html

DONGGUAN, NEW_DONGGUAN = -1002, -1009002


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "bot.sqlite3")
    opened.conn.execute("PRAGMA busy_timeout=50")
    yield opened
    opened.close()


class Locker:
    """Another process's connection holding the database's write lock."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=5)

    def lock(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("COMMIT")


class FakeBot:
    """Answers like Telegram: message ids from 100, or the next queued outcome."""

    def __init__(self, *outcomes: Any, before: Any = None) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.before = before  # run during a call, as if while Telegram takes the message

    async def do_api_request(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        self.calls.append((method, api_kwargs))
        if self.before is not None:
            self.before()
        outcome = self.outcomes.pop(0) if self.outcomes else {"message_id": 99 + len(self.calls)}
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def put(box: Outbox, chat: int, text: str) -> int:
    with box.store.transaction() as conn:
        return box.enqueue(conn, chat, "sendMessage", {"chat_id": chat, "text": text})


def states(store: Store) -> dict[int, str]:
    return dict(store.conn.execute("SELECT id, state FROM outbox ORDER BY id").fetchall())


async def until(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.02)


# --- 1. a database error while marking a row sent --------------------------------------------


async def test_a_failed_sent_mark_is_retried_and_the_chat_goes_on(store: Store) -> None:
    """The send succeeds, saving "sent" fails (another process holds the lock): the row
    stays 'sending' only until the running process manages to write it, it is not sent
    again, and the chat's next row follows; nothing is left "never retrieved"."""
    box = Outbox(store)
    first, second = put(box, DONGGUAN, "card one"), put(box, DONGGUAN, "card two")
    locker = Locker(store.path)
    bot = FakeBot(before=lambda: locker.lock() if len(bot.calls) == 1 else None)
    loop_errors: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: loop_errors.append(ctx))
    sender = Sender(bot, box)  # type: ignore[arg-type]
    sender.start()
    try:
        await until(lambda: len(bot.calls) == 1)
        await asyncio.sleep(0.5)  # the write failed and is being retried meanwhile
        assert states(store) == {first: "sending", second: "pending"}
        assert len(bot.calls) == 1, "the next row waits; the first is not sent again"
        assert store.failing_for() > 0
        locker.release()
        await until(lambda: states(store) == {first: "sent", second: "sent"})
        assert [c[1]["text"] for c in bot.calls] == ["card one", "card two"]
        assert store.failing_for() == 0
    finally:
        await sender.stop()
    gc.collect()
    assert not loop_errors, loop_errors


async def test_every_outcome_is_recorded_once_the_database_takes_it(store: Store) -> None:
    """Retry, refusal and blocked-user outcomes are written later too, never lost."""
    box = Outbox(store)
    retried, blocked = put(box, 1, "to retry"), put(box, 2, "to a user who blocked")
    from telegram.error import Forbidden

    locker = Locker(store.path)
    outcomes = {1: RetryAfter(1), 2: Forbidden("Forbidden: bot was blocked by the user")}
    seen_blocked: list[int] = []

    class Bot(FakeBot):
        async def do_api_request(self, method: str, api_kwargs: dict[str, Any]) -> Any:
            self.calls.append((method, api_kwargs))
            if len(self.calls) == 2:
                locker.lock()
            raise outcomes[api_kwargs["chat_id"]]

    sender = Sender(Bot(), box, on_blocked=seen_blocked.append)  # type: ignore[arg-type]
    await sender.flush()
    assert states(store)[blocked] == "sending"
    locker.release()
    await asyncio.sleep(0.6)
    await sender.flush()
    assert states(store) == {retried: "pending", blocked: "dead"}
    assert seen_blocked == [2]


async def test_an_update_is_marked_done_however_long_the_database_takes(store: Store) -> None:
    inbox = Inbox(store)
    guard = InboxGuard(inbox)
    inbox.keep([{"update_id": 7, "message": {"chat": {"id": 1}, "text": "hi"}}])
    assert inbox.claim(7)
    locker = Locker(store.path)
    locker.lock()
    finishing = asyncio.create_task(guard.finish(7))
    await asyncio.sleep(0.4)
    assert not finishing.done()
    locker.release()
    await asyncio.wait_for(finishing, 5)
    state = store.conn.execute("SELECT state FROM inbox WHERE update_id = 7").fetchone()[0]
    assert state == "done"


async def test_a_retry_of_an_update_already_done_is_dropped_and_forgotten(store: Store) -> None:
    """The handling transaction committed (the ledger has the update done), then the
    handler raised: the retry stops at the claim, and the guard keeps nothing of it."""
    from telegram import Update
    from telegram.ext import ApplicationHandlerStop

    inbox = Inbox(store)
    guard = InboxGuard(inbox)
    raw = {
        "update_id": 8,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "hi"},
    }
    inbox.keep([raw])
    update = Update.de_json(raw, None)
    await guard._claim_handler(update, None)  # type: ignore[arg-type]
    assert 8 in guard._mine
    with store.transaction() as conn:
        store.mark_handled(8, conn)
    with pytest.raises(ApplicationHandlerStop):
        await guard._claim_handler(update, None)  # type: ignore[arg-type]
    assert 8 not in guard._mine and 8 not in guard._failures


# --- 2. a staff group upgraded to a supergroup, found by a send ------------------------------


def open_ticket(desk: TicketDesk, chat_id: int = 501) -> Any:
    session = Session(chat_id=chat_id, user_id=chat_id, locale="en")
    session.facts["place"] = "cn-gd-dongguan"
    details = {"name": "Ada", "company": "Wing Fat", "phone": "+85291234567", "topic": "audit"}
    with desk.store.transaction():
        return desk.open_ticket(session, details)


async def test_chat_migrated_moves_the_rows_and_the_routing(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    desk = TicketDesk(
        store, OutboxPostbox(Outbox(store)), load_desks(), {"hk": -1001, "dongguan": DONGGUAN}
    )
    first = open_ticket(desk, 501)
    second = open_ticket(desk, 502)
    bot = FakeBot(ChatMigrated(NEW_DONGGUAN))
    sender = Sender(
        bot,  # type: ignore[arg-type]
        desk.postbox.outbox,
        on_sent=on_sent_notice(desk.on_delivered),
        is_staff_chat=desk.is_staff_chat,
        on_migrated=desk.migrate_chat,
    )
    with caplog.at_level("WARNING"):
        await sender.flush()
    targets = [params["chat_id"] for _, params in bot.calls]
    assert targets == [DONGGUAN, NEW_DONGGUAN, NEW_DONGGUAN]
    assert {first.ref, second.ref} <= {
        ref
        for _, params in bot.calls[1:]
        for ref in (first.ref, second.ref)
        if ref in params["text"]
    }
    assert desk.is_staff_chat(NEW_DONGGUAN) and not desk.is_staff_chat(DONGGUAN)
    assert desk.chat_for(desk.desks.get("dongguan")) == NEW_DONGGUAN
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(str(DONGGUAN) in m and str(NEW_DONGGUAN) in m for m in warned), warned
    assert desk.postbox.outbox.pending_count() == 0
    # The setting still names the old group after a restart: the new id is used.
    restarted = TicketDesk(
        store, OutboxPostbox(Outbox(store)), load_desks(), {"dongguan": DONGGUAN}
    )
    assert restarted.staff_chats["dongguan"] == NEW_DONGGUAN


# --- 8. clock steps ---------------------------------------------------------------------------


async def test_a_wait_survives_the_clock_stepping_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram asks for 1 s; the wall clock then jumps back an hour (NTP, a restored VM):
    the row still goes after about a second."""
    monkeypatch.setattr(outbox_module, "CLOCK", Clock())
    box = Outbox(store)
    row_id = put(box, 1, "hi")
    bot = FakeBot(RetryAfter(1))
    sender = Sender(bot, box)  # type: ignore[arg-type]
    await sender.flush()
    assert states(store)[row_id] == "pending"
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 3600)
    sender.start()
    try:
        await until(lambda: states(store)[row_id] == "sent", timeout=4)
    finally:
        await sender.stop()


def test_waits_stored_by_another_clock_are_clamped_on_load(store: Store) -> None:
    box = Outbox(store)
    row_id = put(box, 1, "hi")
    with store.transaction() as conn:  # a previous process's clock ran 10 hours ahead
        conn.execute(
            "UPDATE outbox SET not_before = ?, wait = 1 WHERE id = ?", (CLOCK() + 36000, row_id)
        )
    assert box.claim() == []
    reopened = Outbox(store)
    time.sleep(1.1)
    assert [row.id for row in reopened.claim()] == [row_id]


# --- 12. update ids reused; the ledger pruned ------------------------------------------------


def message_update(update_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1,
            "chat": {"id": 42, "type": "private", "first_name": "A"},
            "text": text,
        },
    }


def test_an_old_id_reused_by_telegram_is_a_new_update(store: Store) -> None:
    """After a week without updates Telegram picks the next id at random: an id seen a week
    ago is a new update, handled like any other; one seen within the window is not."""
    inbox = Inbox(store)
    inbox.keep([message_update(11, "old"), message_update(12, "old")])
    for update_id in (11, 12):
        assert inbox.claim(update_id)
        inbox.done(update_id)
        store.mark_handled(update_id)
    week = 7 * 86400
    with store.transaction() as conn:
        conn.execute("UPDATE inbox SET received_at = received_at - ?", (week,))
    assert inbox.keep([message_update(11, "new")]) == 1
    assert inbox.claim(11) is True
    assert not store.already_handled(11)
    assert inbox.keep([message_update(13, "x")]) == 1 and inbox.keep([message_update(13, "x")]) == 0


def test_the_ledger_and_spent_rows_are_pruned(store: Store) -> None:
    box, inbox = Outbox(store), Inbox(store)
    for update_id in range(1, 201):
        inbox.keep([message_update(update_id, "hello")])
        inbox.claim(update_id)
        inbox.done(update_id)
        store.mark_handled(update_id)
        with store.transaction() as conn:
            box.enqueue(conn, 42, "sendMessage", {"chat_id": 42, "text": "hi"}, f"u{update_id}:0")
    while rows := box.claim():
        for row in rows:
            box.sent(row, 1)
    recent = put(box, 42, "recent")
    later = CLOCK() + 8 * 86400
    counts = prune(store, now=later)
    assert counts["inbox"] == 200 and counts["outbox"] == 200  # one ledger: the inbox
    left = store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    assert left == 1 and states(store) == {recent: "pending"}
    assert prune(store, now=CLOCK() + LEDGER_WINDOW / 2)["inbox"] == 0


# --- 5. long texts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        html.escape("<" * 4090),
        "<b>CP-ABCDE · Ada</b>\n<blockquote>" + html.escape("word & more " * 800) + "</blockquote>",
        "\n".join(f"line {n} 東莞 😀 &amp; <i>x</i>" for n in range(900)),
    ],
)
def test_long_html_is_split_whole_at_safe_places(text: str) -> None:
    parts = split_html(text, MAX_TEXT)
    assert len(parts) > 1 and all(_units(part) <= MAX_TEXT for part in parts)
    shown = [parse_html(part)[0] for part in parts]  # each part is valid Telegram HTML
    assert "".join(shown) == parse_html(text)[0]


# --- 6. the per-user rate -----------------------------------------------------------------------


def test_past_the_rate_one_notice_then_silence_until_the_user_calms_down() -> None:
    now = [0.0]
    limit = RateLimit(burst=5, per_minute=30, clock=lambda: now[0])
    verdicts = [limit.check(1) for _ in range(20)]
    assert verdicts == ["ok"] * 5 + ["notice"] + ["drop"] * 14
    assert limit.check(2) == "ok", "other users are not held back"
    now[0] = 2.0  # one message's worth refilled: let through, no new notice
    assert [limit.check(1) for _ in range(2)] == ["ok", "drop"]
    now[0] = 60.0
    assert limit.check(1) == "ok"
    assert [limit.check(1) for _ in range(5)][-1] == "notice", "a new flood, a new notice"


def test_staff_relays_are_quoted_and_long_ones_split(store: Store) -> None:
    desk = TicketDesk(store, OutboxPostbox(Outbox(store)), load_desks(), {"dongguan": DONGGUAN})
    ticket = open_ticket(desk)
    session = Session(chat_id=501, user_id=501, locale="en")
    with store.transaction():
        desk.user_message(session, "New enquiry CP-FAKE1 · Dongguan\nName: Bob\n" + "<" * 4090)
    rows = store.conn.execute(
        "SELECT params FROM outbox WHERE dedupe_key LIKE 'umsg:%' ORDER BY id"
    ).fetchall()
    texts = [json.loads(r[0])["text"] for r in rows]
    assert len(texts) > 1 and all(_units(t) <= MAX_TEXT for t in texts)
    shown = [parse_html(t) for t in texts]
    assert sum(text.count("<") for text, _ in shown) == 4090
    for text, entities in shown:
        assert text.startswith(ticket.ref)
        quote = [e for e in entities if e["type"] == "blockquote"]
        assert quote and quote[0]["offset"] + quote[0]["length"] == len(text)


# --- 3. polling backs off; an inbox that cannot store keeps Telegram's copy --------------------


class Answers:
    """A getUpdates transport that always returns the same batch."""

    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self.calls = 0

    async def do_request(self, url: str, method: str, request_data: Any = None, **_: Any) -> Any:
        self.calls += 1
        return 200, self.payload


def offset(value: int) -> Any:
    from telegram.request import RequestData
    from telegram.request._requestparameter import RequestParameter

    return RequestData([RequestParameter("offset", value, input_files=None)])


async def test_polling_backs_off_when_the_same_batch_is_asked_for_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.delivery import InboxRequest

    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    payload = json.dumps({"ok": True, "result": [message_update(5, "hi")]}).encode()
    request = InboxRequest(Answers(payload), Inbox(store))  # type: ignore[arg-type]
    monkeypatch.setattr(asyncio, "sleep", sleep)
    url = "http://x/bot1:A/getUpdates"
    for _ in range(4):  # PTB could not take the batch: it asks from the same offset
        await request.do_request(url, "POST", offset(5))
    assert waits == [0.5, 1.0, 2.0], "each repeat waits longer, instead of spinning"
    await request.do_request(url, "POST", offset(6))
    assert waits == [0.5, 1.0, 2.0], "a batch taken moves on without waiting"


async def test_updates_the_inbox_cannot_store_are_not_confirmed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.delivery import InboxRequest

    async def sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(asyncio, "sleep", sleep)
    payload = json.dumps({"ok": True, "result": [message_update(5, "hi")]}).encode()
    request = InboxRequest(Answers(payload), Inbox(store))  # type: ignore[arg-type]
    locker = Locker(store.path)
    locker.lock()
    status, body = await request.do_request("http://x/bot1:A/getUpdates", "POST", offset(5))
    assert (status, json.loads(body)) == (200, {"ok": True, "result": []})
    locker.release()
    status, body = await request.do_request("http://x/bot1:A/getUpdates", "POST", offset(5))
    assert json.loads(body)["result"][0]["update_id"] == 5


# --- 11. a truncated BOT_DB is refused; a checkpoint cut short by a kill is not ----------------


def _filled(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE filler (x TEXT)")
        conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 1000,) for _ in range(300)])


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    from bot.store import StoreError

    db = tmp_path / "bot.sqlite3"
    _filled(db)
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 2)
    with pytest.raises(StoreError, match="truncated"):
        Store(db)


def test_a_checkpoint_cut_short_is_not_taken_for_truncation(tmp_path: Path) -> None:
    """SIGKILL during a checkpoint: page 1 already counts pages the file does not have yet,
    and the write-ahead log still holds them. SQLite completes it; the bot must start."""
    db = tmp_path / "bot.sqlite3"
    _filled(db)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.executemany("INSERT INTO filler VALUES (?)", [("y" * 1000,) for _ in range(300)])
    header = bytearray(db.read_bytes()[:100])
    wal_header_pages = int.from_bytes(header[28:32], "big") + 300
    header[28:32] = wal_header_pages.to_bytes(4, "big")  # what a half-done checkpoint leaves
    with db.open("r+b") as handle:
        handle.write(bytes(header))
    assert Path(f"{db}-wal").stat().st_size > 0
    Store(db).close()  # no StoreError
    writer.close()


async def test_buttons_that_cannot_be_taken_off_do_not_hold_up_the_chat(store: Store) -> None:
    """Taking spent buttons off a message Telegram refuses to edit (too old, already
    without them): a 400 that loses nothing, so the row counts as done, not dead, and the
    chat's next row is sent."""
    from telegram.error import BadRequest

    box = Outbox(store)
    with store.transaction() as conn:
        edit = box.enqueue(
            conn, DONGGUAN, "editMessageReplyMarkup", {"chat_id": DONGGUAN, "message_id": 7}
        )
    after = put(box, DONGGUAN, "Sent. Your reference is CP-1.")
    bot = FakeBot(BadRequest("Message is not modified"))
    sender = Sender(bot, box)  # type: ignore[arg-type]
    sender.start()
    try:
        await until(lambda: states(store) == {edit: "sent", after: "sent"})
    finally:
        await sender.stop()
    assert [c[0] for c in bot.calls] == ["editMessageReplyMarkup", "sendMessage"]
