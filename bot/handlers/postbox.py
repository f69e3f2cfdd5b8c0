"""Notices become Bot API calls here. ``OutboxPostbox`` is the core's ``Postbox``: it
words each notice in its locale, lays it out as ``bot.handlers.telegram_format`` says
Telegram shows it (HTML, the staff buttons, long texts in labelled parts), and queues
the calls in the outbox in the caller's transaction.

>>> from bot.core.notices import Notice
>>> from bot.core.reply import Reply, T
>>> from bot.outbox import Outbox
>>> from bot.store import Store
>>> postbox = OutboxPostbox(Outbox(Store(":memory:")))
>>> with postbox.outbox.store.transaction() as conn:
...     postbox.post(conn, Notice(7, "n:1", "en", Reply("handoff").add(T("Unknown action."))))
>>> [(row.method, row.params["text"]) for row in postbox.outbox.claim(7)]
[('sendMessage', 'Unknown action.')]
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from typing import Any

from bot.core.notices import Delivery, Notice
from bot.core.reply import Reply
from bot.handlers.telegram_format import NO_PREVIEW, part_label, ticket_keyboard
from bot.outbox import (
    MAX_TEXT,
    Outbox,
    OutboxRow,
    forget_updates,
    move_chat,
    split_html,
)
from bot.render import render_text

# A new enquiry's card goes before what is queued for its staff chat (relays, notes).
URGENT_PRIORITY = 1


class OutboxPostbox:
    """The core's notices, queued in the outbox as Bot API calls."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def post(self, conn: sqlite3.Connection, notice: Notice) -> None:
        context: dict[str, Any] = {"kind": notice.audience}
        params: dict[str, Any] = {"chat_id": notice.chat_id}
        if notice.answers is not None:
            params["reply_parameters"] = {
                "message_id": notice.answers,
                "allow_sending_without_reply": True,
            }
        if notice.copy_of is not None:
            params.update(from_chat_id=notice.copy_of[0], message_id=notice.copy_of[1])
            self.outbox.enqueue(
                conn, notice.chat_id, "copyMessage", params, notice.key, notice.ticket_id, context
            )
            return
        text = render_text(notice.reply or Reply(), notice.locale, True)
        params.update(text=text, parse_mode="HTML")
        if notice.audience == "staff":
            params["link_preview_options"] = NO_PREVIEW
        if notice.quote is not None:
            self._post_quoted(conn, notice, params, context)
            return
        if notice.actions:
            params["reply_markup"] = ticket_keyboard(notice.actions, notice.locale)
        self.outbox.enqueue_text(
            conn,
            notice.chat_id,
            params,
            notice.key,
            ticket_id=notice.ticket_id,
            context=context,
            priority=URGENT_PRIORITY if notice.urgent else 0,
            label=part_label(notice.ticket_ref) if notice.audience == "staff" else None,
        )

    def _post_quoted(
        self,
        conn: sqlite3.Connection,
        notice: Notice,
        params: dict[str, Any],
        context: dict[str, Any],
    ) -> None:
        """A person's words under a header, whole: a long text goes in numbered parts, and
        each part can be folded with the group's other queued parts into one message."""
        header = params["text"]
        quoted = html.escape(notice.quote or "", quote=False)
        pieces = split_html(quoted, MAX_TEXT - len(header) - 60)
        for index, piece in enumerate(pieces, 1):
            quote = f"<blockquote>{piece}</blockquote>"
            mark = f" ({index}/{len(pieces)})" if len(pieces) > 1 else ""
            self.outbox.enqueue(
                conn,
                notice.chat_id,
                "sendMessage",
                {**params, "text": f"{header}{mark}\n{quote}"},
                notice.key + (f"#{index}" if index > 1 else ""),
                ticket_id=notice.ticket_id,
                context={**context, "group": notice.group, "body": quote},
            )

    def delivery(self, conn: sqlite3.Connection, key: str) -> Delivery | None:
        row = conn.execute(
            "SELECT state, message_id FROM outbox WHERE dedupe_key = ?", (key,)
        ).fetchone()
        return None if row is None else Delivery(row["state"], row["message_id"])

    def forget_chat(self, conn: sqlite3.Connection, chat_id: int, ticket_ids: list[int]) -> None:
        self.outbox.scrub(conn, chat_id, ticket_ids)
        forget_updates(conn, chat_id)

    def move_chat(self, conn: sqlite3.Connection, old: int, new: int) -> None:
        move_chat(conn, old, new)


def on_sent_notice(
    delivered: Callable[[sqlite3.Connection, int, int, int, str], None],
) -> Callable[[sqlite3.Connection, OutboxRow, int | None], None]:
    """The outbox's 'sent' hook, told in notice terms: (chat, message id, ticket,
    audience) of a sent row that belongs to a ticket."""

    def on_sent(conn: sqlite3.Connection, row: OutboxRow, message_id: int | None) -> None:
        if row.ticket_id is not None and message_id is not None:
            delivered(conn, row.chat_id, message_id, row.ticket_id, row.context.get("kind", ""))

    return on_sent
