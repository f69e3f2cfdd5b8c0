"""``handle_event``: the one path every event takes, whatever brought it (Telegram,
the console chat, ``ask``, a timer). A user's event loads the chat's session, runs the
dialogue, and writes the new session, the replies' outbox rows and the handled mark in
one transaction. A staff event (``bot.core.tickets.staff``: a reply or action in a staff
chat, a user who blocked or came back, a moved group, the reminder check) runs the
ticket desk's staff flow in the same kind of transaction, its notices queued with it. An
inline query is answered with cards and stores nothing.
Delivery is the caller's: a ``Sender`` takes the rows from the outbox.

    >>> from bot.app import build_services
    >>> from bot.config import Settings
    >>> from bot.core.dialogue import TextIn
    >>> from bot.store import Store
    >>> services = build_services(Settings.from_env(), Store(":memory:"))
    >>> handled = handle_event(services, ChatRef(1), TextIn("Hi"))
    >>> handled.rendered[0][1]
    'en'
    >>> [row.chat_id for row in services.outbox.claim(1, limit=5)]
    [1]
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.dialogue import Event, Tap
from bot.core.flows.inline import Card, InlineQueryIn, cards
from bot.core.reply import Reply
from bot.core.session import Session
from bot.core.tickets.staff import STAFF_EVENTS, StaffEvent
from bot.handlers.telegram_format import send_message_params
from bot.i18n import check_locale
from bot.render import render_text

if TYPE_CHECKING:
    from bot.app import Services
    from bot.outbox import OutboxRow


@dataclass(frozen=True)
class ChatRef:
    """Who an event comes from: the chat, and the person in it when known."""

    chat_id: int
    user_id: int | None = None
    language_code: str | None = None


@dataclass
class Handled:
    """What one event did: the chat's session after it, and each reply with its locale."""

    session: Session | None  # None for a staff event: no user's conversation moved
    rendered: list[tuple[Reply, str]]
    chosen_before: str | None
    acted: bool = True  # a staff event that did something (said or changed)
    cards: tuple[str, list[Card]] | None = None  # an inline query's locale and cards
    # The update was handled before (a redelivered copy): nothing was done again.
    repeated: bool = False
    # The answer's first row, taken for sending as it committed (``claim=True``).
    claimed: list[OutboxRow] = field(default_factory=list)


def handle_event(
    services: Services,
    chat: ChatRef,
    event: Event | StaffEvent | InlineQueryIn,
    update_id: int | None = None,
    claim: bool = False,
) -> Handled:
    """Answer one event. ``update_id`` (Telegram's) makes the rows idempotent and marks
    the update handled in the same transaction; without it (the console, a timer)
    nothing is marked. A failure rolls everything back: the caller apologises or retries.

    ``claim``: the chat's next row is also taken for sending in that transaction, saving
    the sender one of its own; the caller must then pass ``Handled.claimed`` to
    ``Sender.flush`` at once."""
    if isinstance(event, STAFF_EVENTS):
        return _staff_event(services, event, update_id)
    if isinstance(event, InlineQueryIn):
        # Read-only: the cards come from a fresh case, and Telegram wants them at once.
        found = cards(services.dialogue, event.text, event.locale)
        return Handled(None, [], None, cards=(check_locale(found[0]), found[1]))
    store = services.store
    key = f"u{update_id}" if update_id is not None else None
    with store.transaction() as conn:
        if update_id is not None and not store.mark_handled_if_new(update_id, conn):
            return Handled(None, [], None, acted=False, repeated=True)
        session = store.load_session(chat.chat_id)
        chosen_before = session.locale_choice
        if chat.language_code:
            session.telegram_language_code = chat.language_code
        session.user_id = chat.user_id
        replies = services.dialogue.handle(session, event)
        rendered: list[tuple[Reply, str]] = []
        n = 0
        spent = event.message_id if isinstance(event, Tap) else None
        if spent is not None and any(reply.spent_buttons for reply in replies):
            # "Send to staff" tapped: that message's buttons are taken off, first
            params = {"chat_id": chat.chat_id, "message_id": spent}  # no markup: none left
            dedupe = f"{key}:spent" if key else None
            services.outbox.enqueue(conn, chat.chat_id, "editMessageReplyMarkup", params, dedupe)
        for reply in replies:
            locale = check_locale(reply.locale or session.reply_locale(None))
            rendered.append((reply, locale))
            for params in send_message_params(chat.chat_id, reply, locale):
                dedupe = f"{key}:{n}" if key else None
                services.outbox.enqueue(conn, chat.chat_id, "sendMessage", params, dedupe)
                n += 1
        for reply, locale in rendered:
            session.remember("bot", render_text(reply, locale, limit=300)[:300])
        store.save_session(session, conn)
        claimed = services.outbox.claim_in(conn, chat.chat_id) if claim else []
    for observe in services.observers:
        observe(chat.chat_id, rendered)
    return Handled(session, rendered, chosen_before, claimed=claimed)


def _staff_event(services: Services, event: StaffEvent, update_id: int | None) -> Handled:
    store = services.store
    # Without an update (a timer, a delivery failure) the key is the moment: each
    # reminder or block is its own, and the desk's own marks keep them from repeating.
    key = f"u{update_id}" if update_id is not None else f"t{time.time_ns()}"
    with store.transaction() as conn:
        if update_id is not None and not store.mark_handled_if_new(update_id, conn):
            return Handled(None, [], None, acted=False, repeated=True)
        acted = services.staff.handle(event, key)
    return Handled(None, [], None, acted=acted)


def apology(services: Services, chat_id: int, event: Event | None) -> list[tuple[Reply, str]]:
    """The reply to an event whose answer failed: in the chat's language, with the
    hotline. Reads the session without writing it: the store may be what failed."""
    session = services.store.load_session(chat_id)
    replies = services.dialogue.apology(session, event)
    return [(reply, check_locale(session.reply_locale(None))) for reply in replies]
