"""Notices: what the core asks to be said to a chat, in its own terms.

The core knows no message format. A ticket desk says *what* must reach a chat (words as a
``Reply`` in a locale, a person's own words quoted, a staff member's message copied as it
is, the actions staff can take) and hands the notice to a ``Postbox``. The postbox in
``bot.handlers.postbox`` turns it into Bot API calls and queues them in the outbox, in the
caller's transaction, so the notice is stored with the state that produced it.

>>> from bot.core.reply import Reply, T
>>> notice = Notice(42, "note:1", "en", Reply("handoff").add(T("Unknown action.")))
>>> (notice.chat_id, notice.audience, notice.actions)
(42, 'staff', ())
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Protocol

from bot.core.reply import Msg, Reply


@dataclass(frozen=True)
class TicketAction:
    """A button staff can tap on a ticket's card: ``claim``, ``close``, ``reopen`` or
    ``transfer`` (to the desk ``arg``)."""

    action: str
    ticket_id: int
    label: Msg
    arg: str = ""


@dataclass(frozen=True)
class Notice:
    """One thing to tell one chat.

    ``audience`` is who reads it: ``staff`` (a desk's chat: staff may reply to it, so its
    message ids are kept), ``user`` (the person who asked) or ``relay`` (staff's words on
    their way to the user). ``quote`` is a person's own words, shown as written under the
    reply; notices with the same ``group`` queued back to back may go as one message.
    ``copy_of`` is a message (chat, message id) sent on as it is, not reworded;
    ``answers`` the message in this chat it follows up. ``ticket_ref`` marks each part of
    a notice too long for one message. ``urgent`` goes before what the chat has queued.
    """

    chat_id: int
    key: str
    locale: str
    reply: Reply | None = None
    audience: str = "staff"
    ticket_id: int | None = None
    ticket_ref: str | None = None
    quote: str | None = None
    group: str | None = None
    actions: tuple[tuple[TicketAction, ...], ...] = ()
    copy_of: tuple[int, int] | None = None
    answers: int | None = None
    urgent: bool = False


@dataclass(frozen=True)
class Delivery:
    """How far a notice got: ``pending``, ``sending``, ``sent`` or ``dead``, and the id
    of the message it became once sent."""

    state: str
    message_id: int | None


class Postbox(Protocol):
    """Where notices go; every method writes in the caller's open transaction."""

    def post(self, conn: sqlite3.Connection, notice: Notice) -> None: ...

    def delivery(self, conn: sqlite3.Connection, key: str) -> Delivery | None: ...

    def forget_chat(self, conn: sqlite3.Connection, chat_id: int, ticket_ids: list[int]) -> None:
        """Nothing queued for or about this chat is sent; its stored updates lose their
        content (a user asked to be forgotten)."""
        ...

    def move_chat(self, conn: sqlite3.Connection, old: int, new: int) -> None:
        """What is queued for ``old`` goes to ``new`` (a group became a supergroup)."""
        ...
