"""The ticket desk: routing enquiries to desks, the relay between a user and a desk's
staff chat, and what staff do with a ticket.

Everything here writes inside the caller's open transaction (the handler's), so a ticket,
its messages and the notices that carry them are committed together, or not at all.
What must reach a chat goes to the ``Postbox`` as a ``Notice``; staff-side notices are
worded in the desk's first language.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.core.desks import Desk, DeskBook
from bot.core.notices import Notice, Postbox
from bot.core.reply import Local, Msg, Reply, T, Verbatim, title
from bot.core.session import Session
from bot.core.tickets.hours import clock, expectation
from bot.core.tickets.records import Ticket, TicketRecords
from bot.core.tickets.wording import blocked_line, ticket_actions, ticket_card

log = logging.getLogger(__name__)


class TicketDesk(TicketRecords):
    """Routing to desks, the relay between a user and a staff chat, and staff actions."""

    def __init__(
        self, store: Any, postbox: Postbox, desks: DeskBook, staff_chats: dict[str, int]
    ) -> None:
        """``postbox`` takes the notices (``bot.handlers.postbox``): the core says what
        must reach a chat, never how it looks there."""
        super().__init__(store, desks)
        self.postbox = postbox
        self.staff_chats = dict(staff_chats)
        self._follow_migrations()

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
            self.postbox.move_chat(conn, old, new)
            return
        conn.execute(
            "INSERT INTO chat_migrations (old_chat_id, new_chat_id, migrated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(old_chat_id) DO UPDATE SET new_chat_id = excluded.new_chat_id",
            (old, new, time.time()),
        )
        self.postbox.move_chat(conn, old, new)
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
        ticket_id = self._create(session.chat_id, desk, locale, details, context)
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
        header = Reply("handoff").add(
            title(
                "{ref} · {name}",
                ref=Verbatim(ticket.ref),
                name=Verbatim(ticket.details.get("name", "")),
            )
        )
        self.postbox.post(
            self.store.conn,
            Notice(
                staff,
                f"umsg:{message_id}",
                self._staff_locale(ticket),
                header,
                ticket_id=ticket.id,
                quote=text,
                group=f"ticket:{ticket.id}",
            ),
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
        self.postbox.forget_chat(conn, session.chat_id, [t.id for t in tickets])
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

    # --- the staff side ---------------------------------------------------------------------

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
        self.postbox.post(
            self.store.conn,
            Notice(
                ticket.chat_id,
                f"staff:{chat_id}:{message_id}",
                ticket.locale,
                audience="relay",
                ticket_id=ticket.id,
                copy_of=(chat_id, message_id),
            ),
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
        original = self.postbox.delivery(self.store.conn, f"staff:{chat_id}:{message_id}")
        if original is not None and original.state == "pending":
            return "pending"
        self._log(ticket.id, "staff", f"(edited) {text or ''}")
        earlier = original.message_id if original is not None else None
        if text is None:  # a caption or media changed: the copy shows the new version
            notice = Notice(ticket.chat_id, key, ticket.locale, copy_of=(chat_id, message_id))
        else:
            correction = Reply("handoff").add(T("Staff corrected their message:"), Verbatim(text))
            notice = Notice(ticket.chat_id, key, ticket.locale, correction)
        self.postbox.post(
            self.store.conn,
            replace(notice, audience="relay", ticket_id=ticket.id, answers=earlier),
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

    def remind(self, older_than: float, now: float | None = None) -> int:
        """One grouped reminder per staff chat for tickets nobody has claimed for
        ``older_than`` seconds (again every ``older_than`` seconds), in the caller's
        transaction; how many were listed."""
        now = time.time() if now is None else now
        due = now - older_than
        conn = self.store.conn
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
                        since=Verbatim(clock(ticket.created_at, ticket.desk)),
                    )
                )
            self._post(chat, reply, None, f"remind:{chat}:{int(now)}", desk=tickets[0].desk)
            conn.executemany(
                "UPDATE tickets SET reminded_at = ? WHERE id = ?",
                [(now, t.id) for t in tickets],
            )
        return sum(len(t) for t in by_chat.values())

    # --- delivery callbacks ----------------------------------------------------------------

    def on_delivered(
        self, conn: sqlite3.Connection, chat_id: int, message_id: int, ticket_id: int, audience: str
    ) -> None:
        """A notice about a ticket reached a staff chat: staff may reply to it. Runs in the
        transaction that marks it sent."""
        if audience != "staff":
            return
        conn.execute(
            "INSERT OR IGNORE INTO staff_messages (chat_id, message_id, ticket_id) VALUES (?, ?, ?)",
            (chat_id, message_id, ticket_id),
        )

    def mark_blocked(self, chat_id: int) -> int:
        """The user blocked the bot: their open tickets are marked and staff are told (so
        they can phone instead), in the caller's transaction. How many were marked."""
        conn = self.store.conn
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
                    Reply("handoff").add(blocked_line(ticket)),
                    ticket,
                    f"blocked:{ticket.id}:{int(time.time())}",
                )
        return len(rows)

    def has_blocked(self, chat_id: int) -> bool:
        """Whether this user's tickets are marked as unreachable (they blocked the bot)."""
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT 1 FROM tickets WHERE chat_id = ? AND user_blocked = 1 LIMIT 1", (chat_id,)
            ).fetchone()
        return row is not None

    def mark_unblocked(self, chat_id: int) -> int:
        """The user is back (unblocked the bot, or wrote again): replies reach them again,
        and the staff of their open tickets are told so, in the caller's transaction. How
        many tickets were marked."""
        conn = self.store.conn
        rows = conn.execute(
            "SELECT * FROM tickets WHERE chat_id = ? AND user_blocked = 1", (chat_id,)
        ).fetchall()
        for row in rows:
            ticket = self._ticket(row)
            conn.execute("UPDATE tickets SET user_blocked = 0 WHERE id = ?", (ticket.id,))
            event = self._log(ticket.id, "system", "the user unblocked the bot")
            staff = self.chat_for(ticket.desk)
            if staff is not None and ticket.status != "closed":
                back = T("{ref}: the user can receive replies again.", ref=Verbatim(ticket.ref))
                self._post(staff, Reply("handoff").add(back), ticket, f"unblocked:{event}")
        return len(rows)

    # --- expectations ----------------------------------------------------------------------

    def expectation(self, desk: Desk, now: datetime | None = None) -> Msg | None:
        """When to expect a reply, from the office hours an operator set (``hours`` in
        desks.yaml) and the desk's public holidays, in its time zone. Without office hours
        nothing is said: no source gives the desks' hours or reply times."""
        return expectation(desk, now)

    # --- internals ---------------------------------------------------------------------------

    def chat_locale(self, chat_id: int) -> str:
        """The language staff notes in this chat are worded in: its first desk's."""
        desks = sorted(self.desks_of_chat(chat_id))
        desk = self.desks.get(desks[0]) if desks else None
        return (desk or self.desks.default).languages[0]

    def _staff_locale(self, ticket: Ticket | None, desk: Desk | None = None) -> str:
        return (desk or (ticket.desk if ticket else self.desks.default)).languages[0]

    def _post_card(self, ticket: Ticket, key: str) -> None:
        staff = self.chat_for(ticket.desk)
        if staff is None:
            return
        self._post(staff, ticket_card(ticket), ticket, key, buttons=True)

    def _post(
        self,
        chat_id: int,
        reply: Reply,
        ticket: Ticket | None,
        key: str,
        buttons: bool = False,
        desk: Desk | None = None,
    ) -> None:
        """Tell a staff chat, in the desk's first language. With a ticket, staff can reply
        to it; ``desk`` words a notice not tied to one. A card (``buttons``) carries the
        ticket's actions and goes before what the chat has queued."""
        self.postbox.post(
            self.store.conn,
            Notice(
                chat_id,
                key,
                self._staff_locale(ticket, desk),
                reply,
                ticket_id=ticket.id if ticket else None,
                ticket_ref=ticket.ref if ticket else None,
                actions=ticket_actions(ticket, self.desks) if buttons and ticket else (),
                urgent=buttons,
            ),
        )

    def _to_user(self, ticket: Ticket, message: Msg, key: str) -> None:
        assert ticket.chat_id is not None
        self.postbox.post(
            self.store.conn,
            Notice(
                ticket.chat_id,
                key,
                ticket.locale,
                Reply("handoff").add(message),
                audience="user",
                ticket_id=ticket.id,
            ),
        )
