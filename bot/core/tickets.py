"""Enquiries handed to hotline staff: tickets, their messages, routing to desks, and the
relay between a user and a desk's staff chat.

Everything here writes inside the caller's open transaction (the handler's), so a ticket,
its messages and the outbox rows that carry them are committed together, or not at all.
Staff-side texts are rendered in the desk's first language.
"""

from __future__ import annotations

import html
import json
import logging
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from bot.core.desks import Desk, DeskBook
from bot.core.outbox import (
    INBOX_SCHEMA,
    MAX_TEXT,
    Outbox,
    OutboxRow,
    forget_updates,
    move_chat,
    split_html,
)
from bot.core.reply import Day, Local, Money, Msg, Reply, T, Verbatim, title
from bot.core.session import Session

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
log = logging.getLogger(__name__)
# A new enquiry's card goes before what is queued for its staff chat (relays, notes).
CARD_PRIORITY = 1
# Unambiguous on a phone keypad or read aloud: no 0/O, 1/I/L.
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LANGUAGE_NAMES = {"en": "English", "zh_Hant_HK": "繁體中文", "zh_Hans_CN": "简体中文"}
STATUS_NAMES = {"open": T("open"), "claimed": T("claimed"), "closed": T("closed")}


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


@dataclass(frozen=True)
class StaffPost:
    """A message for a staff chat: the text as a Reply, rendered in the desk's language."""

    chat_id: int
    reply: Reply
    locale: str


class TicketDesk:
    def __init__(
        self,
        store: Any,
        outbox: Outbox,
        desks: DeskBook,
        staff_chats: dict[str, int],
        *,
        render: Callable[[Reply, str, bool], str],
        label: Callable[[Any, str], str],
    ) -> None:
        """``render`` words a reply for a locale (as HTML when asked) and ``label`` a
        button's text: the renderer lives outside the core (bot.render), passed in."""
        self.store = store
        self.outbox = outbox
        self.desks = desks
        self.staff_chats = dict(staff_chats)
        store.migrate(SCHEMA)
        store.migrate(INBOX_SCHEMA)  # /forget clears stored updates too
        self._follow_migrations()
        self.render = render
        self.label = label

    # --- routing --------------------------------------------------------------------------

    def chat_for(self, desk: Desk) -> int | None:
        """A desk's staff chat; a desk without one falls back to the Hong Kong desk's."""
        return self.staff_chats.get(desk.id) or self.staff_chats.get(self.desks.default.id)

    def is_staff_chat(self, chat_id: int) -> bool:
        return chat_id in self.staff_chats.values()

    def desks_of_chat(self, chat_id: int) -> set[str]:
        return {d.id for d in self.desks.desks if self.chat_for(d) == chat_id}

    def _follow_migrations(self) -> None:
        """``STAFF_CHATS`` may still name a group Telegram has since upgraded to a
        supergroup: the new id is used, and the operator told to update the setting."""
        with self.store.lock:
            moved = dict(
                self.store.conn.execute("SELECT old_chat_id, new_chat_id FROM chat_migrations")
            )
        for desk, chat in list(self.staff_chats.items()):
            current, seen = chat, {chat}
            while current in moved and moved[current] not in seen:
                current = moved[current]
                seen.add(current)
            if current != chat:
                log.warning(
                    "STAFF_CHATS gives chat %s for desk %s, which became supergroup chat %s: "
                    "using chat %s; please update STAFF_CHATS",
                    chat,
                    desk,
                    current,
                    current,
                )
                self.staff_chats[desk] = current

    def migrate_chat(self, conn: sqlite3.Connection, old: int, new: int) -> None:
        """A group was upgraded to a supergroup (``migrate_to_chat_id``): in the caller's
        transaction, record it, move what is queued for it, and post again the cards of its
        open tickets (replies must quote a message in the new chat); routing and staff
        recognition follow once the transaction commits."""
        known = conn.execute(
            "SELECT new_chat_id FROM chat_migrations WHERE old_chat_id = ?", (old,)
        ).fetchone()
        if known is not None and known[0] == new:
            move_chat(conn, old, new)
            return
        conn.execute(
            "INSERT INTO chat_migrations (old_chat_id, new_chat_id, migrated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(old_chat_id) DO UPDATE SET new_chat_id = excluded.new_chat_id",
            (old, new, time.time()),
        )
        move_chat(conn, old, new)
        desks = sorted(desk for desk, chat in self.staff_chats.items() if chat == old)
        if not desks:
            return
        answered = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT s.ticket_id FROM staff_messages s JOIN tickets t "
                "ON t.id = s.ticket_id WHERE s.chat_id = ? AND t.status != 'closed' "
                "AND t.chat_id IS NOT NULL ORDER BY s.ticket_id",
                (old,),
            )
        ]
        for ticket_id in answered:
            ticket = self.get(ticket_id)
            if ticket is not None:
                self._post(new, ticket_card(ticket), ticket, f"card:{ticket.id}:to:{new}", True)

        def route() -> None:
            for desk in desks:
                self.staff_chats[desk] = new
            log.warning(
                "staff chat %s (desk %s) was upgraded to a supergroup: now chat %s. Enquiries "
                "go there; please update STAFF_CHATS",
                old,
                ",".join(desks),
                new,
            )

        self.store.after_commit(route)

    # --- the user side ---------------------------------------------------------------------

    def open_ticket(self, session: Session, details: dict[str, Any]) -> Ticket:
        """Store an enquiry and queue its card for the desk's staff chat (if there is one),
        in the caller's transaction."""
        from bot.core import places

        # A place typed during the hand-off wins over one established earlier.
        place_id = session.handoff.get("place_id") or session.facts.get("place")
        place = places.get(place_id) if place_id else None
        desk = self.desks.for_place(place)
        locale = session.reply_locale(None)
        context = {
            "outcomes": session.outcomes,
            "history": session.history[-8:],
            "telegram_user": session.user_id,
        }
        now = time.time()
        cursor = self.store.conn.execute(
            "INSERT INTO tickets (ref, chat_id, desk, status, locale, details, context, "
            "created_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)",
            (
                self._new_ref(),
                session.chat_id,
                desk.id,
                locale,
                json.dumps(details, ensure_ascii=False),
                json.dumps(context, ensure_ascii=False, default=str),
                now,
                now,
            ),
        )
        ticket_id = int(cursor.lastrowid or 0)
        self._log(ticket_id, "user", details.get("topic", ""))
        ticket = self.get(ticket_id)
        assert ticket is not None
        self._post_card(ticket, f"card:{ticket_id}")
        return replace(ticket, expectation=self.expectation(desk))

    def reaches_staff(self, ticket: Ticket) -> bool:
        """Whether staff can answer in the chat (some staff chat is configured)."""
        return self.chat_for(ticket.desk) is not None

    def user_message(self, session: Session, text: str) -> bool:
        """Relay a user's message to their open ticket's staff chat; False without one.

        The text is quoted under the ticket's reference, so no text can pass for a card;
        a long one goes in several parts, whole. Messages queued back to back for one
        ticket go to staff as one message."""
        ticket = self.open_ticket_of(session.chat_id)
        if ticket is None:
            return False
        message_id = self._log(ticket.id, "user", text)
        staff = self.chat_for(ticket.desk)
        if staff is None:
            return True
        locale = self._staff_locale(ticket)
        header = self.render(
            Reply("handoff").add(
                title(
                    "{ref} · {name}",
                    ref=Verbatim(ticket.ref),
                    name=Verbatim(ticket.details.get("name", "")),
                )
            ),
            locale,
            True,
        )
        pieces = split_html(html.escape(text, quote=False), MAX_TEXT - len(header) - 60)
        for index, piece in enumerate(pieces, 1):
            quote = f"<blockquote>{piece}</blockquote>"
            mark = f" ({index}/{len(pieces)})" if len(pieces) > 1 else ""
            self.outbox.enqueue(
                self.store.conn,
                staff,
                "sendMessage",
                {
                    "chat_id": staff,
                    "text": f"{header}{mark}\n{quote}",
                    "parse_mode": "HTML",
                    "link_preview_options": {"is_disabled": True},
                },
                f"umsg:{message_id}" + (f"#{index}" if index > 1 else ""),
                ticket_id=ticket.id,
                context={"kind": "staff", "group": f"ticket:{ticket.id}", "body": quote},
            )
        return True

    def close_by_user(self, session: Session) -> Ticket | None:
        ticket = self.open_ticket_of(session.chat_id)
        if ticket is None:
            return None
        self._set_status(ticket.id, "closed")
        event = self._log(ticket.id, "system", "closed by the user")
        staff = self.chat_for(ticket.desk)
        if staff is not None:
            note_ = T("{ref}: the user closed the enquiry.", ref=Verbatim(ticket.ref))
            self._post(staff, Reply("handoff").add(note_), ticket, f"uclose:{event}")
        return ticket

    def forget(self, session: Session) -> int:
        """Delete a user's personal data (PDPO): tickets stay, anonymised and closed; what
        is queued for or about them is not sent; stored updates lose their content. Staff
        of a ticket still open are told, without the data."""
        conn = self.store.conn
        # What the conversation kept besides the hand-off (the flow clears the rest).
        session.estimate, session.search = {}, {}
        rows = conn.execute(
            "SELECT * FROM tickets WHERE chat_id = ?", (session.chat_id,)
        ).fetchall()
        tickets = [self._ticket(row) for row in rows]
        self.outbox.scrub(conn, session.chat_id, [t.id for t in tickets])
        forget_updates(conn, session.chat_id)
        for ticket in tickets:
            conn.execute(
                "UPDATE tickets SET chat_id = NULL, details = '{}', context = '{}', "
                "status = 'closed', user_blocked = 0, claimed_by = NULL, updated_at = ? "
                "WHERE id = ?",
                (time.time(), ticket.id),
            )
            conn.execute("UPDATE ticket_messages SET text = '' WHERE ticket_id = ?", (ticket.id,))
            staff = self.chat_for(ticket.desk)
            if ticket.status != "closed" and staff is not None:
                gone = T(
                    "{ref}: the user asked to be forgotten; replies cannot reach them.",
                    ref=Verbatim(ticket.ref),
                )
                self._post(
                    staff, Reply("handoff").add(gone), None, f"forgot:{ticket.id}", desk=ticket.desk
                )
        # Old copies of the rows live on in the write-ahead log until a checkpoint.
        self.store.after_commit(self.store.checkpoint)
        return len(tickets)

    def open_ticket_of(self, chat_id: int) -> Ticket | None:
        row = self.store.conn.execute(
            "SELECT * FROM tickets WHERE chat_id = ? AND status != 'closed' ORDER BY id DESC LIMIT 1",
            (chat_id,),
        ).fetchone()
        return self._ticket(row) if row else None

    # --- the staff side ---------------------------------------------------------------------

    def ticket_for_staff_message(self, chat_id: int, message_id: int) -> Ticket | None:
        row = self.store.conn.execute(
            "SELECT t.* FROM staff_messages s JOIN tickets t ON t.id = s.ticket_id "
            "WHERE s.chat_id = ? AND s.message_id = ?",
            (chat_id, message_id),
        ).fetchone()
        return self._ticket(row) if row else None

    def may_act(self, chat_id: int, ticket: Ticket) -> bool:
        """Only the staff chat a ticket is routed to can read, answer or change it."""
        return self.is_staff_chat(chat_id) and self.chat_for(ticket.desk) == chat_id

    def staff_reply(self, chat_id: int, message_id: int, text: str, ticket: Ticket) -> str:
        """Relay a staff reply to the ticket's user (a copy, not a forward): ``sent``,
        ``closed``, ``forgotten``, ``blocked`` or ``refused`` (not this chat's ticket)."""
        outcome = self._reply_allowed(chat_id, ticket)
        if outcome != "sent":
            return outcome
        assert ticket.chat_id is not None
        self._log(ticket.id, "staff", text)
        self.outbox.enqueue(
            self.store.conn,
            ticket.chat_id,
            "copyMessage",
            {"chat_id": ticket.chat_id, "from_chat_id": chat_id, "message_id": message_id},
            f"staff:{chat_id}:{message_id}",
            ticket_id=ticket.id,
            context={"kind": "relay"},
        )
        return "sent"

    def staff_edit(
        self, chat_id: int, message_id: int, text: str | None, ticket: Ticket, key: str
    ) -> str:
        """Staff edited a reply: the user gets the new version as a correction, quoting
        the copy they have. Outcomes as ``staff_reply``; ``pending`` when the reply has not
        gone yet (its copy will carry the edit)."""
        outcome = self._reply_allowed(chat_id, ticket)
        if outcome != "sent":
            return outcome
        assert ticket.chat_id is not None
        original = self.store.conn.execute(
            "SELECT state, message_id FROM outbox WHERE dedupe_key = ?",
            (f"staff:{chat_id}:{message_id}",),
        ).fetchone()
        if original is not None and original["state"] == "pending":
            return "pending"
        self._log(ticket.id, "staff", f"(edited) {text or ''}")
        params: dict[str, Any] = {"chat_id": ticket.chat_id}
        earlier = original["message_id"] if original is not None else None
        if earlier is not None:
            params["reply_parameters"] = {
                "message_id": earlier,
                "allow_sending_without_reply": True,
            }
        if text is None:  # a caption or media changed: the copy shows the new version
            method = "copyMessage"
            params.update(from_chat_id=chat_id, message_id=message_id)
        else:
            method = "sendMessage"
            correction = Reply("handoff").add(T("Staff corrected their message:"), Verbatim(text))
            params.update(text=self.render(correction, ticket.locale, True), parse_mode="HTML")
        self.outbox.enqueue(
            self.store.conn,
            ticket.chat_id,
            method,
            params,
            key,
            ticket_id=ticket.id,
            context={"kind": "relay"},
        )
        return "sent"

    def _reply_allowed(self, chat_id: int, ticket: Ticket) -> str:
        if not self.may_act(chat_id, ticket):
            return "refused"
        if ticket.chat_id is None:
            return "forgotten"
        if ticket.status == "closed":
            return "closed"
        if ticket.user_blocked:
            return "blocked"
        return "sent"

    def act(self, chat_id: int, ticket_id: int, action: str, staff_name: str, arg: str = "") -> Msg:
        """A staff action on a ticket (claim, close, reopen, transfer:<desk>), in the caller's
        transaction; what to tell the staff chat."""
        ticket = self.get(ticket_id)
        if ticket is None or not self.may_act(chat_id, ticket):
            return T("That ticket is not handled in this chat.")
        ref = Verbatim(ticket.ref)
        name = staff_name[:80]
        if action == "claim":
            if ticket.status == "closed":
                return T("{ref} is closed; reopen it first.", ref=ref)
            self.store.conn.execute(
                "UPDATE tickets SET status = 'claimed', claimed_by = ?, updated_at = ? WHERE id = ?",
                (name, time.time(), ticket.id),
            )
            self._log(ticket.id, "system", f"claimed by {name}")
            return T("{ref} claimed by {name}.", ref=ref, name=Verbatim(name))
        if action == "close":
            if ticket.status == "closed":
                return T("{ref} closed.", ref=ref)
            self._set_status(ticket.id, "closed")
            event = self._log(ticket.id, "system", f"closed by {name}")
            if ticket.chat_id is not None and not ticket.user_blocked:
                self._to_user(
                    ticket,
                    T(
                        "Staff have closed your enquiry {ref}. Thank you for contacting the programme.",
                        ref=ref,
                    ),
                    f"close:{event}",
                )
            return T("{ref} closed.", ref=ref)
        if action == "reopen":
            if ticket.chat_id is None:
                return T(
                    "{ref}: the user asked to be forgotten; replies cannot reach them.", ref=ref
                )
            if ticket.status != "closed":
                return T("{ref} reopened.", ref=ref)
            other = self.open_ticket_of(ticket.chat_id)
            if other is not None:  # a user has one open enquiry at a time: their messages go there
                return T("{ref} is closed; reopen it first.", ref=Verbatim(other.ref))
            self._set_status(ticket.id, "open")
            self._log(ticket.id, "system", f"reopened by {name}")
            return T("{ref} reopened.", ref=ref)
        if action == "transfer":
            target = self.desks.get(arg)
            if target is None or target.id == ticket.desk.id:
                return T("Choose another desk.")
            self.store.conn.execute(
                "UPDATE tickets SET desk = ?, status = CASE WHEN status = 'closed' THEN status "
                "ELSE 'open' END, claimed_by = NULL, updated_at = ? WHERE id = ?",
                (target.id, time.time(), ticket.id),
            )
            event = self._log(ticket.id, "system", f"transferred to {target.id} by {name}")
            moved = self.get(ticket.id)
            assert moved is not None
            self._post_card(moved, f"card:{ticket.id}:{event}")
            return T("{ref} transferred to {desk}.", ref=ref, desk=Local(target.name))
        return T("Unknown action.")

    def open_tickets(self, chat_id: int) -> list[Ticket]:
        desks = self.desks_of_chat(chat_id)
        if not desks:
            return []
        marks = ",".join("?" * len(desks))
        rows = self.store.conn.execute(
            f"SELECT * FROM tickets WHERE status != 'closed' AND desk IN ({marks}) ORDER BY id",
            sorted(desks),
        ).fetchall()
        return [self._ticket(r) for r in rows]

    def remind_unclaimed(self, older_than: float, now: float | None = None) -> int:
        """One grouped reminder per staff chat for tickets nobody has claimed for
        ``older_than`` seconds (again every ``older_than`` seconds); how many were listed."""
        now = time.time() if now is None else now
        due = now - older_than
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM tickets WHERE status = 'open' AND chat_id IS NOT NULL "
                "AND created_at <= ? AND (reminded_at IS NULL OR reminded_at <= ?) ORDER BY id",
                (due, due),
            ).fetchall()
            by_chat: dict[int, list[Ticket]] = {}
            for row in rows:
                ticket = self._ticket(row)
                chat = self.chat_for(ticket.desk)
                if chat is not None:
                    by_chat.setdefault(chat, []).append(ticket)
            for chat, tickets in by_chat.items():
                reply = Reply("handoff").add(title("Unclaimed enquiries"))
                for ticket in tickets[:40]:
                    reply.add(
                        T(
                            "{ref} · {desk} · waiting since {since}",
                            ref=Verbatim(ticket.ref),
                            desk=Local(ticket.desk.name),
                            since=Verbatim(_clock(ticket.created_at, ticket.desk)),
                        )
                    )
                self._post(chat, reply, None, f"remind:{chat}:{int(now)}", desk=tickets[0].desk)
                conn.executemany(
                    "UPDATE tickets SET reminded_at = ? WHERE id = ?",
                    [(now, t.id) for t in tickets],
                )
        return sum(len(t) for t in by_chat.values())

    # --- delivery callbacks ----------------------------------------------------------------

    def on_sent(self, conn: Any, row: OutboxRow, message_id: int | None) -> None:
        """A message in a staff chat about a ticket: staff may reply to it. Runs in the
        outbox's 'sent' transaction."""
        if row.ticket_id is None or message_id is None or row.context.get("kind") != "staff":
            return
        conn.execute(
            "INSERT OR IGNORE INTO staff_messages (chat_id, message_id, ticket_id) VALUES (?, ?, ?)",
            (row.chat_id, message_id, row.ticket_id),
        )

    def on_blocked(self, chat_id: int) -> None:
        """The user blocked the bot: their open tickets are marked and staff are told (so
        they can phone instead)."""
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM tickets WHERE chat_id = ? AND status != 'closed' AND user_blocked = 0",
                (chat_id,),
            ).fetchall()
            for row in rows:
                ticket = self._ticket(row)
                conn.execute("UPDATE tickets SET user_blocked = 1 WHERE id = ?", (ticket.id,))
                staff = self.chat_for(ticket.desk)
                if staff is not None:
                    self._post(
                        staff,
                        Reply("handoff").add(
                            T(
                                "{ref}: the user has blocked the bot; replies cannot reach them. Phone: {phone}",
                                ref=Verbatim(ticket.ref),
                                phone=Verbatim(ticket.details.get("phone", "")),
                            )
                        ),
                        ticket,
                        f"blocked:{ticket.id}:{int(time.time())}",
                    )

    def has_blocked(self, chat_id: int) -> bool:
        """Whether this user's tickets are marked as unreachable (they blocked the bot)."""
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT 1 FROM tickets WHERE chat_id = ? AND user_blocked = 1 LIMIT 1", (chat_id,)
            ).fetchone()
        return row is not None

    def on_unblocked(self, chat_id: int) -> int:
        """The user is back (unblocked the bot, or wrote again): replies reach them again,
        and the staff of their open tickets are told so. How many tickets were marked."""
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM tickets WHERE chat_id = ? AND user_blocked = 1", (chat_id,)
            ).fetchall()
            for row in rows:
                ticket = self._ticket(row)
                conn.execute("UPDATE tickets SET user_blocked = 0 WHERE id = ?", (ticket.id,))
                event = self._log(ticket.id, "system", "the user unblocked the bot")
                staff = self.chat_for(ticket.desk)
                if staff is not None and ticket.status != "closed":
                    back = T(
                        "{ref}: the user can receive replies again.", ref=Verbatim(ticket.ref)
                    )
                    self._post(staff, Reply("handoff").add(back), ticket, f"unblocked:{event}")
        return len(rows)

    # --- expectations ----------------------------------------------------------------------

    def expectation(self, desk: Desk, now: datetime | None = None) -> Msg | None:
        """When to expect a reply, from the office hours an operator set (``hours`` in
        desks.yaml) and the desk's public holidays, in its time zone. Without office hours
        nothing is said: no source gives the desks' hours or reply times."""
        hours = office_hours(desk)
        if not hours:
            return None
        zone = ZoneInfo(desk.time_zone)
        local = (now or datetime.now(zone)).astimezone(zone)
        calendar = holidays.country_holidays(desk.holidays, years=[local.year, local.year + 1])
        return _expect_in_hours(local, hours, calendar)

    # --- internals ---------------------------------------------------------------------------

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

    def _staff_locale(self, ticket: Ticket | None, desk: Desk | None = None) -> str:
        return (desk or (ticket.desk if ticket else self.desks.default)).languages[0]

    def _post_card(self, ticket: Ticket, key: str) -> None:
        staff = self.chat_for(ticket.desk)
        if staff is None:
            return
        self._post(staff, ticket_card(ticket), ticket, key, buttons=True)

    def _label(self, ticket: Ticket | None) -> Any:
        """What marks the parts of a long message: the first says how many follow; the
        others carry the ticket's reference, so staff can tell whose they are."""
        ref = f"<b>{html.escape(ticket.ref)}</b> " if ticket is not None else ""

        def label(index: int, count: int) -> str:
            return f"\n\n({index}/{count})" if index == 1 else f"{ref}({index}/{count})\n"

        return label

    def _post(
        self,
        chat_id: int,
        reply: Reply,
        ticket: Ticket | None,
        key: str,
        buttons: bool = False,
        desk: Desk | None = None,
    ) -> None:
        """Queue a message for a staff chat, worded in the desk's first language. With a
        ticket, staff can reply to it; ``desk`` words a message not tied to one."""
        locale = self._staff_locale(ticket, desk)
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "text": self.render(reply, locale, True),
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if buttons and ticket is not None:
            params["reply_markup"] = staff_buttons(ticket, self.desks, locale, self.label)
        self.outbox.enqueue_text(
            self.store.conn,
            chat_id,
            params,
            key,
            ticket_id=ticket.id if ticket else None,
            context={"kind": "staff"},
            priority=CARD_PRIORITY if buttons else 0,
            label=self._label(ticket),
        )

    def _to_user(self, ticket: Ticket, message: Msg, key: str) -> None:
        assert ticket.chat_id is not None
        params = {
            "chat_id": ticket.chat_id,
            "text": self.render(Reply("handoff").add(message), ticket.locale, True),
            "parse_mode": "HTML",
        }
        self.outbox.enqueue_text(
            self.store.conn, ticket.chat_id, params, key, ticket.id, {"kind": "user"}
        )


def office_hours(desk: Desk) -> dict[int, tuple[dt_time, dt_time]]:
    """``hours`` of desks.yaml as weekday -> (opens, closes). Keys are day names or ranges
    (``mon-fri``, ``sat``), values ``HH:MM-HH:MM``; days not listed are closed."""
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    table: dict[int, tuple[dt_time, dt_time]] = {}
    for key, value in desk.hours.items():
        first, _, last = str(key).lower().partition("-")
        start, end = days.index(first), days.index(last or first)
        opens, _, closes = str(value).partition("-")
        span = (dt_time.fromisoformat(opens.strip()), dt_time.fromisoformat(closes.strip()))
        for weekday in range(start, end + 1):
            table[weekday] = span
    return table


def _expect_in_hours(
    local: datetime, hours: dict[int, tuple[dt_time, dt_time]], calendar: Any
) -> Msg:
    today = hours.get(local.weekday())
    if today and local.date() not in calendar and today[0] <= local.time() < today[1]:
        return T(
            "The desk is open now, until {time} ({zone}).",
            time=Verbatim(today[1].strftime("%H:%M")),
            zone=Verbatim(_utc_offset(local)),
        )
    day = local.date()
    if today and local.time() < today[0] and day not in calendar:
        opening = (day, today[0])
    else:
        following = day + timedelta(days=1)
        for _ in range(30):
            if following.weekday() in hours and following not in calendar:
                break
            following += timedelta(days=1)
        opening = (following, hours.get(following.weekday(), next(iter(hours.values())))[0])
    return T(
        "The desk opens again on {day} at {time} ({zone}); expect a reply then.",
        day=Day(opening[0]),
        time=Verbatim(opening[1].strftime("%H:%M")),
        zone=Verbatim(_utc_offset(local)),
    )


def _utc_offset(local: datetime) -> str:
    offset = local.utcoffset() or timedelta(0)
    hours, minutes = divmod(int(offset.total_seconds()) // 60, 60)
    return f"UTC{'+' if offset >= timedelta(0) else '-'}{abs(hours)}" + (
        f":{minutes:02d}" if minutes else ""
    )


def _clock(timestamp: float, desk: Desk) -> str:
    return datetime.fromtimestamp(timestamp, ZoneInfo(desk.time_zone)).strftime("%Y-%m-%d %H:%M")


VERDICT_NAMES = {
    "eligible": T("eligible"),
    "demonstration_only": T("demonstration projects only"),
    "not_eligible": T("not eligible"),
    "need_more_info": T("more information needed"),
}
ITEM_NAMES = {
    "assessment": T("on-site assessment"),
    "demonstration": T("demonstration project"),
    "verification": T("verification"),
}


def _outcome_place(outcome: dict[str, Any]) -> Local | Verbatim:
    from bot.core import places

    try:
        return Local(places.get(outcome["place_id"]).name)
    except (KeyError, TypeError):
        place = outcome.get("place") or {}
        return Verbatim(place.get("city") or place.get("province") or "-")


def _outcome_phase(outcome: dict[str, Any]) -> Local | Verbatim:
    if outcome.get("phase_name"):
        return Local(outcome["phase_name"])
    return Verbatim(str(outcome.get("phase") or "-"))


def ticket_card(ticket: Ticket) -> Reply:
    d = ticket.details
    reply = Reply("handoff").add(
        title("New enquiry {ref} · {desk}", ref=Verbatim(ticket.ref), desk=Local(ticket.desk.name)),
        T(
            "Language: {language}",
            language=Verbatim(LANGUAGE_NAMES.get(ticket.locale, ticket.locale)),
        ),
        T("Name: {value}", value=Verbatim(d.get("name", ""))),
        T("Company: {value}", value=Verbatim(d.get("company", ""))),
        T("Phone: {value}", value=Verbatim(d.get("phone", ""))),
        T("Place: {value}", value=Verbatim(d.get("place", ""))),
    )
    outcomes = ticket.context.get("outcomes", {})
    if outcomes.get("eligibility"):
        e = outcomes["eligibility"]
        reply.add(
            T(
                "Eligibility worked out: {status} ({place}; {phase})",
                status=VERDICT_NAMES.get(e.get("status", ""), Verbatim(e.get("status", ""))),
                place=_outcome_place(e),
                phase=_outcome_phase(e),
            )
        )
    if outcomes.get("subsidy"):
        s = outcomes["subsidy"]
        reply.add(
            T(
                "Estimate worked out: {item}, cost {cost}, government {government}, factory {factory} ({phase})",
                item=ITEM_NAMES.get(s.get("item", ""), Verbatim(s.get("item", ""))),
                cost=Money(Decimal(str(s.get("cost", 0)))),
                government=Money(Decimal(str(s.get("government", 0)))),
                factory=Money(Decimal(str(s.get("factory", 0)))),
                phase=_outcome_phase(s),
            )
        )
    history = ticket.context.get("history", [])
    if history:
        lines = "\n".join(
            f"{'›' if h['who'] == 'user' else '‹'} {h['text'][:160]}" for h in history[-6:]
        )
        reply.add(T("Last messages:"), Verbatim(lines))
    reply.add(T("Enquiry:"), Verbatim(d.get("topic", "")))
    reply.add(T("Reply to any message of this ticket to answer the user."))
    return reply


def staff_buttons(
    ticket: Ticket, desks: DeskBook, locale: str, value_text: Callable[[Any, str], str]
) -> dict[str, Any]:
    def data(action: str, arg: str = "") -> str:
        return f"v1|0|ticket|{action}:{ticket.id}" + (f":{arg}" if arg else "")

    rows = [
        [
            {"text": value_text(T("Claim"), locale), "callback_data": data("claim")},
            {"text": value_text(T("Close"), locale), "callback_data": data("close")},
            {"text": value_text(T("Reopen"), locale), "callback_data": data("reopen")},
        ]
    ]
    others = [d for d in desks.desks if d.id != ticket.desk.id]
    rows.append(
        [
            {
                "text": value_text(T("To {desk}", desk=Local(d.name)), locale),
                "callback_data": data("transfer", d.id),
            }
            for d in others
        ]
    )
    return {"inline_keyboard": rows}
