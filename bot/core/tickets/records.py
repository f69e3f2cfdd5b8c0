"""Tickets as stored: the model, its tables and the queries on them. Every write runs
in the caller's open transaction."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from bot.core.desks import Desk, DeskBook
from bot.core.reply import Msg

# What the hand-off's phone step keeps when the user gives an e-mail address instead.
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def is_email(contact: str) -> bool:
    """Whether the kept contact is an e-mail address rather than a phone number.

    >>> is_email("peter@abc.com"), is_email("9123 4567")
    (True, False)
    """
    return bool(EMAIL_ADDRESS.fullmatch(contact.strip()))


SCHEMA = """
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT NOT NULL UNIQUE,
    chat_id INTEGER,              -- the user's chat; NULL once the user asked to be forgotten
    desk TEXT NOT NULL,
    status TEXT NOT NULL,         -- open | claimed | closed
    locale TEXT NOT NULL,
    details TEXT NOT NULL,        -- name, company, phone, place, topic (JSON)
    context TEXT NOT NULL,        -- outcomes and last messages (JSON)
    claimed_by TEXT,
    user_blocked INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    reminded_at REAL
);
CREATE INDEX IF NOT EXISTS tickets_chat ON tickets (chat_id, status);
CREATE TABLE IF NOT EXISTS ticket_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    direction TEXT NOT NULL,      -- user | staff | system
    text TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_messages (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    PRIMARY KEY (chat_id, message_id)
);
CREATE TABLE IF NOT EXISTS chat_migrations (  -- groups Telegram upgraded to supergroups
    old_chat_id INTEGER PRIMARY KEY,
    new_chat_id INTEGER NOT NULL,
    migrated_at REAL NOT NULL
);
"""
# Unambiguous on a phone keypad or read aloud: no 0/O, 1/I/L.
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Ticket:
    id: int
    ref: str
    chat_id: int | None
    desk: Desk
    status: str
    locale: str
    details: dict[str, Any]
    context: dict[str, Any]
    claimed_by: str | None
    created_at: float
    user_blocked: bool = False
    expectation: Msg | None = None


class TicketRecords:
    """The ticket tables of one store; ``desks`` gives each ticket its desk."""

    def __init__(self, store: Any, desks: DeskBook) -> None:
        self.store = store
        self.desks = desks
        store.migrate(SCHEMA)

    def _create(
        self,
        chat_id: int,
        desk: Desk,
        locale: str,
        details: dict[str, Any],
        context: dict[str, Any],
    ) -> int:
        """A new open ticket with a fresh reference; its id."""
        now = time.time()
        cursor = self.store.conn.execute(
            "INSERT INTO tickets (ref, chat_id, desk, status, locale, details, context, "
            "created_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)",
            (
                self._new_ref(),
                chat_id,
                desk.id,
                locale,
                json.dumps(details, ensure_ascii=False),
                json.dumps(context, ensure_ascii=False, default=str),
                now,
                now,
            ),
        )
        return int(cursor.lastrowid or 0)

    def get(self, ticket_id: int) -> Ticket | None:
        row = self.store.conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        return self._ticket(row) if row else None

    def by_ref(self, ref: str) -> Ticket | None:
        row = self.store.conn.execute(
            "SELECT * FROM tickets WHERE ref = ?", (ref.strip().upper(),)
        ).fetchone()
        return self._ticket(row) if row else None

    def messages(self, ticket_id: int) -> list[tuple[str, str]]:
        """A ticket's log: (direction, text), oldest first."""
        rows = self.store.conn.execute(
            "SELECT direction, text FROM ticket_messages WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        ).fetchall()
        return [(r["direction"], r["text"]) for r in rows]

    def open_ticket_of(self, chat_id: int) -> Ticket | None:
        row = self.store.conn.execute(
            "SELECT * FROM tickets WHERE chat_id = ? AND status != 'closed' ORDER BY id DESC LIMIT 1",
            (chat_id,),
        ).fetchone()
        return self._ticket(row) if row else None

    def ticket_for_staff_message(self, chat_id: int, message_id: int) -> Ticket | None:
        row = self.store.conn.execute(
            "SELECT t.* FROM staff_messages s JOIN tickets t ON t.id = s.ticket_id "
            "WHERE s.chat_id = ? AND s.message_id = ?",
            (chat_id, message_id),
        ).fetchone()
        return self._ticket(row) if row else None

    def _ticket(self, row: Any) -> Ticket:
        return Ticket(
            id=row["id"],
            ref=row["ref"],
            chat_id=row["chat_id"],
            desk=self.desks.get(row["desk"]) or self.desks.default,
            status=row["status"],
            locale=row["locale"],
            details=json.loads(row["details"]),
            context=json.loads(row["context"]),
            claimed_by=row["claimed_by"],
            created_at=row["created_at"],
            user_blocked=bool(row["user_blocked"]),
        )

    def _new_ref(self) -> str:
        while True:
            ref = "CP-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(5))
            if not self.store.conn.execute(
                "SELECT 1 FROM tickets WHERE ref = ?", (ref,)
            ).fetchone():
                return ref

    def _log(self, ticket_id: int, direction: str, text: str) -> int:
        cursor = self.store.conn.execute(
            "INSERT INTO ticket_messages (ticket_id, direction, text, created_at) VALUES (?, ?, ?, ?)",
            (ticket_id, direction, text, time.time()),
        )
        return int(cursor.lastrowid or 0)

    def _set_status(self, ticket_id: int, status: str) -> None:
        self.store.conn.execute(
            "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?",
            (status, time.time(), ticket_id),
        )
