"""The outbox: everything that must reach someone is a row here before it is sent.

A row is a Bot API call (method and parameters, plain JSON) for one chat. Rows are
written in the same transaction as the state that produced them, so a crash either
loses both or keeps both; a sender claims rows, sends them in order per chat, and marks
them sent, retried later, or dead (a user who blocked the bot). ``dedupe_key`` makes
enqueueing idempotent: handling the same update twice enqueues its replies once.

A chat's rows go one at a time, oldest first, except that rows enqueued with a higher
``priority`` (a new enquiry's card for a staff chat) go before the chat's queued ones.

>>> from bot.store import Store
>>> box = Outbox(Store(":memory:"))
>>> with box.store.transaction() as conn:
...     box.enqueue(conn, 42, "sendMessage", {"chat_id": 42, "text": "hi"}, "u1:0")
...     box.enqueue(conn, 42, "sendMessage", {"chat_id": 42, "text": "hi"}, "u1:0")
1
1
>>> [row.id for row in box.claim(42)]
[1]
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot import jsontext
from bot.store import INBOX_COLUMNS, INBOX_SCHEMA

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    method TEXT NOT NULL,
    params TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | dead
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    sent_at REAL,
    message_id INTEGER,
    error TEXT,
    ticket_id INTEGER,
    context TEXT
);
DROP INDEX IF EXISTS outbox_pending;
"""
OUTBOX_COLUMNS = {
    "priority": "INTEGER NOT NULL DEFAULT 0",  # higher goes first within a chat
    "wait": "REAL NOT NULL DEFAULT 0",  # the delay behind not_before, to clamp it on load
}
OUTBOX_INDEX = "CREATE INDEX IF NOT EXISTS outbox_queue ON outbox (state, chat_id, priority, id);"

# A backlog of one ticket's messages to a staff chat goes as one message (Telegram allows
# about 20 messages a minute in a group), up to this many rows and characters.
MAX_FOLDED = 30
MAX_FOLDED_TEXT = 3800
# Telegram takes 4,096 characters of text (UTF-16 units, after entities are parsed); the
# HTML source is never shorter than what it shows, so a source this long always fits.
MAX_TEXT = 3900

# Telegram keeps an update at most 24 hours and redelivers only what was not confirmed,
# so an update id handled more than two days ago can never be a redelivery. After a week
# without updates Telegram picks the next id at random (Bot API, Update.update_id): such
# an id may equal an old one, and the old one is then at least a week old. Entries older
# than LEDGER_WINDOW are therefore forgotten, and the ids of a batch that matches one are
# first cleared of every stale entry (``Inbox.keep``).
LEDGER_WINDOW = 2 * 86400.0
SPENT_KEEP = 7 * 86400.0  # sent and dead outbox rows, kept this long for a look afterwards
DEAD_KEEP = 30 * 86400.0  # updates set aside, kept for an operator this long
# Handling that raises is tried this many times in all (bot.delivery.InboxGuard).
MAX_HANDLING_TRIES = 3
# Processes that died while handling the same update: this many in a row, and it is taken
# for what kills them. Far more than the tries above: processes are also killed from
# outside, and a good update must not be set aside for that. The kill soak (a SIGKILL every
# 2-6 s on a starved machine) interrupted 20 of 20,000 updates three times in a row.
MAX_INTERRUPTIONS = 10


class Clock:
    """Wall-clock seconds that never step: read from ``time.time`` once, then advanced by
    the monotonic clock. A clock set back (NTP, a restored VM) cannot make a retry wait
    for the size of the jump; persisted times are clamped when a process starts instead."""

    def __init__(self) -> None:
        self.wall = time.time()
        self.mono = time.monotonic()

    def __call__(self) -> float:
        return self.wall + (time.monotonic() - self.mono)


CLOCK = Clock()


@dataclass(frozen=True)
class OutboxRow:
    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    attempts: int
    ticket_id: int | None
    context: dict[str, Any]
    not_before: float = 0.0
    folded: tuple[int, ...] = ()  # later rows sent as part of this one

    @property
    def ids(self) -> tuple[int, ...]:
        return (self.id, *self.folded)


def _row(raw: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=raw["id"],
        chat_id=raw["chat_id"],
        method=raw["method"],
        params=jsontext.loads(raw["params"]),
        attempts=raw["attempts"],
        ticket_id=raw["ticket_id"],
        context=jsontext.loads(raw["context"] or "{}"),
        not_before=raw["not_before"],
    )


class Outbox:
    def __init__(self, store: Any) -> None:
        self.store = store
        # Chats given rows by this process since the sender last asked: a hint of whom
        # to wake the delivery loop for. The table stays the truth.
        self._queued_chats: set[int] = set()
        store.migrate(SCHEMA)
        store.add_columns("outbox", OUTBOX_COLUMNS)
        store.migrate(OUTBOX_INDEX)
        now = CLOCK()
        with store.transaction() as conn:
            # Rows a killed process left half-sent go back to the queue. Telegram may already
            # have them (it has no idempotency key): this is the one window where a message
            # can arrive twice. Everything else is delivered exactly once.
            conn.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")
            # Waits were set on another process's clock: no row waits longer than it was
            # asked to from now, whatever the clock did in between.
            conn.execute(
                "UPDATE outbox SET not_before = ? + wait "
                "WHERE state = 'pending' AND not_before > ? + wait",
                (now, now),
            )

    def enqueue(
        self,
        conn: sqlite3.Connection,
        chat_id: int,
        method: str,
        params: dict[str, Any],
        dedupe_key: str | None = None,
        ticket_id: int | None = None,
        context: dict[str, Any] | None = None,
        priority: int = 0,
    ) -> int:
        """Add a call inside the caller's transaction; the same ``dedupe_key`` adds it once.

        ``context["group"]`` lets rows of one kind (a ticket's relayed messages) that are
        queued for one chat go as a single message; ``context["body"]`` is what such a row
        adds to the message it is folded into.
        """
        cursor = conn.execute(
            "INSERT INTO outbox (chat_id, method, params, dedupe_key, created_at, ticket_id, "
            "context, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(dedupe_key) DO NOTHING",
            (
                chat_id,
                method,
                jsontext.dumps(params),
                dedupe_key,
                CLOCK(),
                ticket_id,
                jsontext.dumps(context or {}),
                priority,
            ),
        )
        self._queued_chats.add(chat_id)
        if cursor.rowcount:
            return int(cursor.lastrowid or 0)
        found = conn.execute("SELECT id FROM outbox WHERE dedupe_key = ?", (dedupe_key,)).fetchone()
        return int(found[0])

    def enqueue_text(
        self,
        conn: sqlite3.Connection,
        chat_id: int,
        params: dict[str, Any],
        dedupe_key: str | None = None,
        ticket_id: int | None = None,
        context: dict[str, Any] | None = None,
        priority: int = 0,
        label: Callable[[int, int], str] | None = None,
    ) -> list[int]:
        """``sendMessage`` with HTML text of any length: several rows, cut at line breaks or
        spaces outside tags and entities, never shortened. ``label(i, n)`` is added to each
        part of a text that needed more than one; the reply markup goes on the first."""
        text = str(params.get("text", ""))
        reserve = 60 if label else 0
        parts = split_html(text, MAX_TEXT - reserve)
        ids = []
        for index, part in enumerate(parts, 1):
            if len(parts) > 1 and label is not None:
                part = label(index, len(parts)) + part if index > 1 else part + label(1, len(parts))
            row_params = {**params, "text": part}
            if index > 1:
                row_params.pop("reply_markup", None)
            key = dedupe_key if index == 1 or dedupe_key is None else f"{dedupe_key}#{index}"
            ids.append(
                self.enqueue(
                    conn, chat_id, "sendMessage", row_params, key, ticket_id, context, priority
                )
            )
        return ids

    def take_queued_chats(self) -> set[int]:
        """The chats given rows since the last call (see ``_queued_chats``)."""
        chats, self._queued_chats = self._queued_chats, set()
        return chats

    def claim(self, chat_id: int | None = None, limit: int = 20) -> list[OutboxRow]:
        """Take due rows to send: one per chat, its head (highest priority, then oldest),
        and none of a chat with a row still being sent, so order holds per chat.

        A backlog of groupable rows behind a chat's head is folded into it.
        """
        now = CLOCK()
        if not self._any_due(chat_id, now):
            return []  # most claims find nothing: a read, not a write transaction
        with self.store.transaction() as conn:
            return self.claim_in(conn, chat_id, limit, now)

    def claim_in(
        self,
        conn: sqlite3.Connection,
        chat_id: int | None = None,
        limit: int = 20,
        now: float | None = None,
    ) -> list[OutboxRow]:
        """``claim`` inside the caller's transaction: an answer's first row is taken for
        sending as the answer commits. The caller must hand the rows to the sender at
        once; a row left claimed waits for the next start (as after a crash mid-send)."""
        now = CLOCK() if now is None else now
        query = (
            "SELECT o.* FROM outbox o WHERE o.state = 'pending' AND o.not_before <= ? "
            "AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.state = 'sending' "
            "AND s.chat_id = o.chat_id) "
            "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' "
            "AND e.chat_id = o.chat_id AND (e.priority > o.priority "
            "OR (e.priority = o.priority AND e.id < o.id)))"
        )
        args: list[Any] = [now]
        if chat_id is not None:
            query += " AND o.chat_id = ?"
            args.append(chat_id)
        query += " ORDER BY o.priority DESC, o.id LIMIT ?"
        args.append(limit)
        rows = [self._fold(conn, _row(r), now) for r in conn.execute(query, args).fetchall()]
        conn.executemany(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
            [(row_id,) for row in rows for row_id in row.ids],
        )
        return rows

    def _any_due(self, chat_id: int | None, now: float) -> bool:
        query = "SELECT 1 FROM outbox WHERE state = 'pending' AND not_before <= ?"
        args: list[Any] = [now]
        if chat_id is not None:
            query += " AND chat_id = ?"
            args.append(chat_id)
        with self.store.lock:
            return self.store.conn.execute(query + " LIMIT 1", args).fetchone() is not None

    def _fold(self, conn: sqlite3.Connection, head: OutboxRow, now: float) -> OutboxRow:
        """The ticket's later relays, queued behind the head, ride along with it. Other
        tickets' rows in between are passed over (their order relative to this ticket's
        means nothing); a row of the same ticket that cannot be folded ends the run, so the
        ticket's own order holds."""
        group = head.context.get("group")
        if not group or head.method != "sendMessage" or "reply_markup" in head.params:
            return head
        # Only this ticket's rows (or this group's): the others are passed over.
        following = conn.execute(
            "SELECT * FROM outbox WHERE chat_id = ? AND id > ? AND state = 'pending' "
            "AND (ticket_id = ? OR json_extract(context, '$.group') = ?) ORDER BY id LIMIT ?",
            (head.chat_id, head.id, head.ticket_id, group, MAX_FOLDED + 1),
        ).fetchall()
        text = str(head.params.get("text", ""))
        folded: list[int] = []
        for raw in following:
            row = _row(raw)
            body = row.context.get("body")
            if (
                row.context.get("group") != group
                or body is None
                or row.not_before > now
                or len(text) + len(body) + 2 > MAX_FOLDED_TEXT
            ):
                break
            text += "\n\n" + body
            folded.append(row.id)
            if len(folded) >= MAX_FOLDED:
                break
        if not folded:
            return head
        return replace(head, params={**head.params, "text": text}, folded=tuple(folded))

    def sent(
        self,
        row: OutboxRow,
        message_id: int | None,
        then: Callable[[sqlite3.Connection, OutboxRow, int | None], None] | None = None,
    ) -> None:
        """Mark a row (and what was folded into it) sent; ``then`` records what the sent
        message means in the same transaction, so a crash cannot keep one without the other.
        A sent row's parameters and context are dropped: they are personal data no longer
        needed (the kind of row stays)."""
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, error = NULL, "
                "params = '{}', context = json_object('kind', json_extract(context, '$.kind')) "
                "WHERE id = ?",
                [(CLOCK(), message_id, row_id) for row_id in row.ids],
            )
            if then is not None:
                then(conn, row, message_id)

    def retry(self, row: OutboxRow, delay: float, error: str) -> None:
        """Back to the queue after ``delay`` seconds. Network errors and flood limits pass,
        so a row is never given up for them: that would lose an enquiry."""
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET state = 'pending', not_before = ?, wait = ?, error = ? "
                "WHERE id = ?",
                [(CLOCK() + delay, delay, error[:300], row_id) for row_id in row.ids],
            )

    def dead(self, row: OutboxRow, error: str) -> None:
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET state = 'dead', error = ? WHERE id = ?",
                [(error[:300], row_id) for row_id in row.ids],
            )

    def drop_chat(self, chat_id: int, error: str) -> int:
        """A chat that cannot receive (blocked bot): its queued rows will never go."""
        return int(
            self.store.write(
                "UPDATE outbox SET state = 'dead', error = ? WHERE chat_id = ? "
                "AND state IN ('pending', 'sending')",
                (error[:300], chat_id),
            )
        )

    def migrated(
        self,
        row: OutboxRow,
        old: int,
        new: int,
        then: Callable[[sqlite3.Connection, int, int], None] | None = None,
    ) -> None:
        """``row`` met a chat upgraded to a supergroup: the chat's queued rows and this one
        go to its new id, and ``then`` records the move, all in one transaction."""
        with self.store.transaction() as conn:
            move_chat(conn, old, new)
            conn.executemany(
                "UPDATE outbox SET state = 'pending', not_before = 0, wait = 0, chat_id = ?, "
                "params = json_set(params, '$.chat_id', ?) WHERE id = ? AND chat_id = ?",
                [(new, new, row_id, old) for row_id in row.ids],
            )
            conn.executemany(
                "UPDATE outbox SET state = 'pending' WHERE id = ? AND state = 'sending'",
                [(row_id,) for row_id in row.ids],
            )
            if then is not None:
                then(conn, old, new)

    def scrub(self, conn: sqlite3.Connection, chat_id: int, ticket_ids: list[int]) -> int:
        """Forget what rows to or about a user said (``/forget``): queued ones are not sent."""
        marks = ",".join("?" * len(ticket_ids)) or "NULL"
        cursor = conn.execute(
            "UPDATE outbox SET params = '{}', context = '{}', "
            "state = CASE WHEN state IN ('pending', 'sending') THEN 'dead' ELSE state END, "
            "error = CASE WHEN state IN ('pending', 'sending') THEN 'forgotten' ELSE error END "
            f"WHERE chat_id = ? OR ticket_id IN ({marks}) "
            "OR (method = 'copyMessage' AND json_extract(params, '$.from_chat_id') = ?)",
            [chat_id, *ticket_ids, chat_id],
        )
        return cursor.rowcount

    def pending_count(self) -> int:
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
            ).fetchone()
        return int(row[0])

    def next_due(self) -> float | None:
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT MIN(not_before) FROM outbox WHERE state = 'pending'"
            ).fetchone()
        return row[0]

    def message_ids(self, row_ids: list[int]) -> dict[int, int | None]:
        if not row_ids:
            return {}
        marks = ",".join("?" * len(row_ids))
        with self.store.lock:
            rows = self.store.conn.execute(
                f"SELECT id, message_id FROM outbox WHERE id IN ({marks})", row_ids
            ).fetchall()
        return {r["id"]: r["message_id"] for r in rows}


def move_chat(conn: sqlite3.Connection, old: int, new: int) -> int:
    """Queued rows for ``old`` go to ``new`` (a group upgraded to a supergroup). Rows being
    sent stay: the send in flight settles them."""
    cursor = conn.execute(
        "UPDATE outbox SET chat_id = ?, params = json_set(params, '$.chat_id', ?) "
        "WHERE chat_id = ? AND state = 'pending'",
        (new, new, old),
    )
    return cursor.rowcount


def prune(store: Any, now: float | None = None) -> dict[str, int]:
    """Forget what no longer serves (see LEDGER_WINDOW): finished inbox rows (the ledger
    of handled updates), dedupe keys past the redelivery window, spent outbox rows, old dead letters."""
    now = CLOCK() if now is None else now
    with store.transaction() as conn:
        return _prune(conn, now)


def _prune(conn: sqlite3.Connection, now: float) -> dict[str, int]:
    stale = now - LEDGER_WINDOW
    statements = {  # what: (table, statement, time)
        "inbox": ("inbox", "DELETE FROM inbox WHERE state = 'done' AND received_at < ?", stale),
        "keys": (
            "outbox",
            "UPDATE outbox SET dedupe_key = NULL WHERE dedupe_key IS NOT NULL AND created_at < ?",
            stale,
        ),
        "outbox": (
            "outbox",
            "DELETE FROM outbox WHERE state IN ('sent', 'dead') AND created_at < ?",
            now - SPENT_KEEP,
        ),
        "dead_updates": (
            "dead_updates",
            "DELETE FROM dead_updates WHERE failed_at < ?",
            now - DEAD_KEEP,
        ),
    }
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {
        what: conn.execute(sql, (arg,)).rowcount
        for what, (table, sql, arg) in statements.items()
        if table in tables  # an inbox without an outbox (tests)
    }


class Inbox:
    """Updates as received, kept until handled, so none is lost to a crash.

    Telegram forgets an update once the next ``getUpdates`` confirms it, and the bot asks
    again before it has handled what it got; a process killed in between would lose those
    updates. They are stored here first (``keep``), claimed once by whichever copy comes
    first (``claim``: a stored copy replayed after a restart, or Telegram's redelivery),
    and marked ``done`` when handled, their content dropped then (it is personal data).

    An update that cannot be parsed, or whose handling failed too often, is ``set_aside``
    in ``dead_updates`` with its reason, and counts as done.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        # Updates this process stored and claimed at once (``keep(claim=True)``): the
        # first ``claim`` of each needs no transaction of its own.
        self._claimed_when_kept: set[int] = set()
        store.migrate(INBOX_SCHEMA)
        store.add_columns("inbox", INBOX_COLUMNS)
        for update_id, tries in self._interrupted():
            # Processes died handling this one again and again: it kills whoever handles it.
            self.set_aside(update_id, f"the process stopped while handling it {tries} times")
        # Whatever a killed process was handling is to be handled again.
        store.write("UPDATE inbox SET state = 'new' WHERE state = 'handling'")

    def _interrupted(self) -> list[tuple[int, int]]:
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT update_id, attempts FROM inbox WHERE state = 'handling' AND attempts >= ?",
                (MAX_INTERRUPTIONS,),
            ).fetchall()
        return [(r["update_id"], r["attempts"]) for r in rows]

    def keep(self, updates: list[dict[str, Any]], claim: bool = False) -> int:
        """Store raw updates (Bot API JSON) not seen before; how many were new.

        ``claim``: the new ones are also claimed for handling (``state = 'handling'``, one
        attempt), as the process that polled them is about to handle them: one transaction
        instead of two for each update. Only rows this call inserted are claimed, so an
        update counts one attempt for being stored, however often it is redelivered; one a
        crash left unhandled is replayed and claimed as usual."""
        now = CLOCK()
        state, attempts = ("handling", 1) if claim else ("new", 0)
        new_ids: list[int] = []
        with self.store.transaction() as conn:
            if _reuses_an_old_id(conn, [int(u["update_id"]) for u in updates], now):
                _prune(conn, now)
            for update in updates:
                update_id = int(update["update_id"])
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO inbox (update_id, chat_id, data, received_at, "
                    "state, attempts) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        update_id,
                        _chat_of(update),
                        jsontext.dumps(update),
                        now,
                        state,
                        attempts,
                    ),
                )
                if cursor.rowcount:
                    new_ids.append(update_id)
        if claim:
            self._claimed_when_kept.update(new_ids)
        return len(new_ids)

    def unfinished(self) -> list[dict[str, Any]]:
        """Updates stored but not handled (to replay after a restart), oldest first. One
        whose stored text is not JSON any more is set aside here."""
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT update_id, data FROM inbox WHERE state = 'new' ORDER BY update_id"
            ).fetchall()
        updates = []
        for row in rows:
            try:
                data = jsontext.loads(row["data"])
            except ValueError:
                self.set_aside(row["update_id"], "the stored update is not JSON")
                continue
            if not isinstance(data, dict) or data.get("update_id") != row["update_id"]:
                self.done(row["update_id"])  # its content was forgotten (/forget)
                continue
            updates.append(data)
        return updates

    def claim(self, update_id: int, again: bool = False) -> bool:
        """Whether this copy of an update should be handled: unknown updates (not received
        through the inbox) are; a stored one only the first time, or ``again`` by the
        process already handling it (a retry)."""
        if update_id in self._claimed_when_kept:
            self._claimed_when_kept.discard(update_id)
            return True  # claimed when it was stored, a moment ago
        with self.store.transaction() as conn:
            known = conn.execute(
                "SELECT state FROM inbox WHERE update_id = ?", (update_id,)
            ).fetchone()
            if known is None:
                return True
            if known["state"] == "handling" and again:
                return True
            if known["state"] != "new":
                return False
            conn.execute(
                "UPDATE inbox SET state = 'handling', attempts = attempts + 1 WHERE update_id = ?",
                (update_id,),
            )
        return True

    def done(self, update_id: int) -> None:
        self.store.write(
            "UPDATE inbox SET state = 'done', data = '{}', chat_id = NULL WHERE update_id = ?",
            (update_id,),
        )

    def set_aside(
        self,
        update_id: int,
        reason: str,
        data: dict[str, Any] | None = None,
        tries: int | None = None,
    ) -> None:
        """Dead-letter an update: its data and the reason go to ``dead_updates``; the inbox
        keeps its id as done, so a redelivered copy is recognised and not tried again."""
        now = CLOCK()
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT chat_id, data, attempts FROM inbox WHERE update_id = ?", (update_id,)
            ).fetchone()
            raw = jsontext.dumps(data) if data is not None else None
            if row is None:
                chat_id = _chat_of(data) if isinstance(data, dict) else None
                conn.execute(
                    "INSERT INTO inbox (update_id, chat_id, data, state, received_at) "
                    "VALUES (?, NULL, '{}', 'done', ?)",
                    (update_id, now),
                )
            else:
                chat_id, raw = row["chat_id"], raw or row["data"]
            conn.execute(
                "INSERT INTO dead_updates (update_id, chat_id, data, reason, tries, failed_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    update_id,
                    chat_id,
                    raw or "{}",
                    reason[:300],
                    tries if tries is not None else (row["attempts"] if row else 0),
                    now,
                ),
            )
            conn.execute(
                "UPDATE inbox SET state = 'done', data = '{}', chat_id = NULL WHERE update_id = ?",
                (update_id,),
            )

    def prune(self) -> dict[str, int]:
        """Drop what the ledger no longer needs (``prune``); at start and on a schedule."""
        return prune(self.store)

    def forget_chat(self, conn: sqlite3.Connection, chat_id: int) -> None:
        """``/forget``: stored updates of the chat lose their content (the ids stay, so a
        redelivered copy is still recognised)."""
        forget_updates(conn, chat_id)


def _reuses_an_old_id(conn: sqlite3.Connection, update_ids: list[int], now: float) -> bool:
    """Whether one of these ids matches a ledger entry older than the redelivery window:
    then it is a new update whose id Telegram picked at random, not a redelivery."""
    if not update_ids:
        return False
    marks = ",".join("?" * len(update_ids))
    stale = now - LEDGER_WINDOW
    found = conn.execute(
        f"SELECT 1 FROM inbox WHERE update_id IN ({marks}) AND received_at < ? LIMIT 1",
        [*update_ids, stale],
    ).fetchone()
    return found is not None


def forget_updates(conn: sqlite3.Connection, chat_id: int) -> None:
    conn.execute(
        "UPDATE inbox SET data = '{}', chat_id = NULL, "
        "state = CASE WHEN state = 'new' THEN 'done' ELSE state END WHERE chat_id = ?",
        (chat_id,),
    )
    conn.execute(
        "UPDATE dead_updates SET data = '{}', chat_id = NULL WHERE chat_id = ?", (chat_id,)
    )


def _chat_of(update: dict[str, Any]) -> int | None:
    for value in update.values():
        if isinstance(value, dict):
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


# --- splitting long HTML texts -------------------------------------------------------------

_TOKENS = re.compile(r"<[^<>]*>|&#?\w+;|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w-]*)")


def _units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def split_html(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Telegram HTML cut into parts of at most ``limit`` units that join back into the
    same text: cuts fall after a line break where one is in the second half of a part,
    else after a space, else between characters, never inside a tag or an entity; tags
    open at a cut are closed at the end of the part and opened again in the next."""
    if _units(text) <= limit:
        return [text]
    parts: list[str] = []
    stack: list[tuple[str, str]] = []  # open tags: (name, the opening tag as written)
    prefix = ""  # tags reopened at the start of the current part
    tokens: list[str] = []
    size = 0
    cuts: dict[str, tuple[int, int, tuple[tuple[str, str], ...]]] = {}
    for token in _TOKENS.findall(text):
        closing = sum(len(name) + 3 for name, _ in stack)
        if tokens and size + _units(token) + closing > limit:
            good = [cuts[m] for m in ("\n", " ") if m in cuts and cuts[m][1] > limit // 2]
            at = good[0] if good else (len(tokens), size, tuple(stack))
            count, _, open_tags = at
            close = "".join(f"</{name}>" for name, _ in reversed(open_tags))
            parts.append(prefix + "".join(tokens[:count]) + close)
            prefix = "".join(tag for _, tag in open_tags)
            tokens = tokens[count:]
            size = _units(prefix) + sum(_units(t) for t in tokens)
            cuts = {}
        tokens.append(token)
        size += _units(token)
        if token.startswith("<") and len(token) > 2:
            match = _TAG_NAME.match(token)
            name = match.group(1).lower() if match else ""
            if token.startswith("</"):
                if stack and stack[-1][0] == name:
                    stack.pop()
            elif not token.endswith("/>"):
                stack.append((name, token))
        elif token in ("\n", " "):
            cuts[token] = (len(tokens), size, tuple(stack))
    if tokens:
        parts.append(prefix + "".join(tokens))
    return parts
