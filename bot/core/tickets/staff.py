"""The staff side as events: what happens in a desk's staff chat, or to a ticket's user,
that the desk must act on. ``StaffFlow.handle`` runs one event in the caller's open
transaction and says what it has to say as notices; ``bot.engine.handle_event`` gives it
the same transaction and handled mark as a user's message.

Only the configured staff chats act as staff: an event from any other chat does nothing.

>>> from bot.core.tickets.staff import StaffCommand
>>> StaffCommand(-100, "close", ("CP-ABCDE",), None, "May").action
'close'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.notices import Notice
from bot.core.reply import Local, Msg, Reply, T, Verbatim, title
from bot.core.tickets.desk import TicketDesk
from bot.core.tickets.records import Ticket
from bot.core.tickets.wording import STATUS_NAMES, blocked_line

ACTIONS = ("claim", "close", "reopen", "transfer")
# Ticket ids in button data: plain ASCII digits of a size SQLite can hold ("²" is a digit
# to str.isdigit, and int() refuses it; 23 digits overflow).
TICKET_ID = re.compile(r"[0-9]{1,15}")
LISTED = 40  # tickets shown in one list; Telegram's message length bounds the rest


@dataclass(frozen=True)
class StaffReply:
    """A message in a staff chat; ``replied_to`` is the bot's message it answers, if any."""

    chat_id: int
    message_id: int
    replied_to: int | None
    text: str


@dataclass(frozen=True)
class StaffEdit:
    """Staff edited a message; ``text`` is None when a caption or media changed."""

    chat_id: int
    message_id: int
    replied_to: int | None
    text: str | None


@dataclass(frozen=True)
class StaffCommand:
    """/claim, /close, /reopen, /transfer <desk>: as a reply to a ticket's message
    (``replied_to``), or with the ticket's reference first."""

    chat_id: int
    action: str
    args: tuple[str, ...]
    replied_to: int | None
    staff_name: str


@dataclass(frozen=True)
class StaffTap:
    """A ticket button (``bot.handlers.postbox.ticket_button_data``), read back."""

    chat_id: int
    action: str
    ticket_id: str
    arg: str
    staff_name: str


@dataclass(frozen=True)
class TicketList:
    """/tickets: the chat's open enquiries."""

    chat_id: int


@dataclass(frozen=True)
class ChatMoved:
    """Telegram upgraded a group to a supergroup."""

    old: int
    new: int


@dataclass(frozen=True)
class UserBlocked:
    chat_id: int


@dataclass(frozen=True)
class UserBack:
    """A user whose tickets were marked blocked unblocked the bot, or wrote again."""

    chat_id: int


@dataclass(frozen=True)
class RemindUnclaimed:
    """The periodic check for tickets nobody has claimed for ``older_than`` seconds."""

    older_than: float
    now: float | None = None


StaffEvent = (
    StaffReply
    | StaffEdit
    | StaffCommand
    | StaffTap
    | TicketList
    | ChatMoved
    | UserBlocked
    | UserBack
    | RemindUnclaimed
)
STAFF_EVENTS = StaffEvent.__args__  # type: ignore[attr-defined]


class StaffFlow:
    """Staff events on a ticket desk. ``key`` (the update's) makes each notice once."""

    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk

    def handle(self, event: StaffEvent, key: str) -> bool:
        """Act on one event in the caller's transaction; whether anything was said."""
        desk = self.desk
        if isinstance(event, ChatMoved):
            desk.migrate_chat(desk.store.conn, event.old, event.new)
            return True
        if isinstance(event, UserBlocked):
            return desk.mark_blocked(event.chat_id) > 0
        if isinstance(event, UserBack):
            return desk.mark_unblocked(event.chat_id) > 0
        if isinstance(event, RemindUnclaimed):
            return desk.remind(event.older_than, event.now) > 0
        if not desk.is_staff_chat(event.chat_id):
            return False  # not a staff chat: nobody here answers tickets
        if isinstance(event, StaffReply):
            return self._reply(event, key)
        if isinstance(event, StaffEdit):
            return self._edit(event, key)
        if isinstance(event, TicketList):
            self._note(event.chat_id, self._list(event.chat_id), f"list:{key}")
            return True
        if isinstance(event, StaffTap):
            if event.action not in ACTIONS:
                return False
            found = desk.get(int(event.ticket_id)) if TICKET_ID.fullmatch(event.ticket_id) else None
            return self._act(event.chat_id, found, event.action, event.arg, event.staff_name, key)
        return self._command(event, key)

    # --- replies and edits -------------------------------------------------------------------

    def _replied(self, chat_id: int, replied_to: int | None) -> Ticket | None:
        if replied_to is None:
            return None
        return self.desk.ticket_for_staff_message(chat_id, replied_to)

    def _reply(self, event: StaffReply, key: str) -> bool:
        ticket = self._replied(event.chat_id, event.replied_to)
        if ticket is None:
            return False  # staff talking among themselves
        outcome = self.desk.staff_reply(event.chat_id, event.message_id, event.text, ticket)
        if outcome != "sent":
            self._note(
                event.chat_id, Reply("handoff").add(reply_note(outcome, ticket)), f"note:{key}"
            )
        return True

    def _edit(self, event: StaffEdit, key: str) -> bool:
        ticket = self._replied(event.chat_id, event.replied_to)
        if ticket is None:
            return False
        outcome = self.desk.staff_edit(
            event.chat_id, event.message_id, event.text, ticket, f"staffedit:{key}"
        )
        if outcome == "pending":
            return False  # the copy not yet sent will carry the edit
        if outcome != "sent":
            self._note(
                event.chat_id, Reply("handoff").add(reply_note(outcome, ticket)), f"note:{key}"
            )
        return True

    # --- actions -----------------------------------------------------------------------------

    def _command(self, event: StaffCommand, key: str) -> bool:
        if event.action not in ACTIONS:
            return False
        args = list(event.args)
        ticket = self._replied(event.chat_id, event.replied_to)
        if args and args[0].upper().startswith("CP-"):
            ticket = self.desk.by_ref(args.pop(0))
        arg = args[0].lower() if args else ""
        if event.action == "transfer" and self.desk.desks.get(arg) is None:
            names = "|".join(d.id for d in self.desk.desks.desks)
            choose = Reply("handoff").add(
                T("Choose another desk."), Verbatim(f"/transfer CP-XXXXX <{names}>")
            )
            self._note(event.chat_id, choose, f"act:{key}")
            return True
        return self._act(event.chat_id, ticket, event.action, arg, event.staff_name, key)

    def _act(
        self, chat_id: int, ticket: Ticket | None, action: str, arg: str, who: str, key: str
    ) -> bool:
        if ticket is None:
            said = T("That ticket is not handled in this chat.")
        else:
            said = self.desk.act(chat_id, ticket.id, action, who, arg)
        self._note(chat_id, Reply("handoff").add(said), f"act:{key}")
        return True

    # --- the list ----------------------------------------------------------------------------

    def _list(self, chat_id: int) -> Reply:
        tickets = self.desk.open_tickets(chat_id)
        reply = Reply("handoff").add(title("Open enquiries: {count}", count=len(tickets)))
        for ticket in tickets[:LISTED]:
            reply.add(
                T(
                    "{ref} · {desk} · {status} · {name} · {topic}",
                    ref=Verbatim(ticket.ref),
                    desk=Local(ticket.desk.name),
                    status=status_of(ticket),
                    name=Verbatim(ticket.details.get("name", "")),
                    topic=Verbatim(ticket.details.get("topic", "")[:60]),
                )
            )
        return reply

    def _note(self, chat_id: int, reply: Reply, key: str) -> None:
        """A note to a staff chat, in its desk's first language."""
        self.desk.postbox.post(
            self.desk.store.conn, Notice(chat_id, key, self.desk.chat_locale(chat_id), reply)
        )


def reply_note(outcome: str, ticket: Ticket) -> Msg:
    """Why a staff reply did not go to the user."""
    ref = Verbatim(ticket.ref)
    if outcome == "closed":
        return T("{ref} is closed; reopen it to reply.", ref=ref)
    if outcome == "forgotten":
        return T("{ref}: the user asked to be forgotten; replies cannot reach them.", ref=ref)
    if outcome == "blocked":
        return blocked_line(ticket)
    return T("That ticket is not handled in this chat.")


def status_of(ticket: Ticket) -> Msg | Verbatim:
    """The status in the desk's language, with who claimed it."""
    name = STATUS_NAMES.get(ticket.status, Verbatim(ticket.status))
    if not ticket.claimed_by:
        return name
    return T("{status} ({who})", status=name, who=Verbatim(ticket.claimed_by))
