"""The conversation: one function from (session, event) to replies, for every transport.

Telegram handlers, the console and ``ask`` turn what arrived into an ``Event`` and call
``Dialogue.handle``; it updates the ``Session`` and returns ``Reply`` objects. It knows
nothing of Telegram.

    >>> from bot.core.dialogue import Dialogue, TextIn
    >>> from bot.core.session import Session
    >>> d = Dialogue.default()
    >>> [r.intent for r in d.handle(Session(chat_id=1), TextIn("我的工厂在广西梧州"))]
    ['eligibility']
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from bot.core import buttons
from bot.core.desks import DeskBook, load_desks
from bot.core.reply import Reply
from bot.core.rules import Rulebook, load_rulebook
from bot.core.session import Session
from bot.core.understand import Understanding, primary_intent, understand


def is_blank(text: str) -> bool:
    """Nothing readable: only spaces, control or zero-width characters."""
    return all(unicodedata.category(ch)[0] in "CZ" for ch in text)


# --- what can arrive ------------------------------------------------------------------


@dataclass(frozen=True)
class TextIn:
    text: str


@dataclass(frozen=True)
class Tap:
    data: str


@dataclass(frozen=True)
class LocationIn:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ContactIn:
    phone: str
    name: str = ""
    own: bool = True  # the contact is the sender's own


@dataclass(frozen=True)
class CommandIn:
    name: str
    args: str = ""


@dataclass(frozen=True)
class OtherIn:
    """Something the bot does not read: a sticker, voice, photo, document..."""

    kind: str


Event = TextIn | Tap | LocationIn | ContactIn | CommandIn | OtherIn


class KnowledgeSearch(Protocol):
    def search(self, query: str, locale: str, limit: int = 5, offset: int = 0) -> Any: ...

    def unit(self, doc_id: str) -> Any: ...


class HandoffDesk(Protocol):
    """The ticket side of a hand-off (``bot.core.tickets``), as the dialogue needs it."""

    def open_ticket(self, session: Session, details: dict[str, Any]) -> Any: ...

    def open_ticket_of(self, chat_id: int) -> Any: ...

    def user_message(self, session: Session, text: str) -> bool: ...

    def close_by_user(self, session: Session) -> Any: ...

    def forget(self, session: Session) -> int: ...


@dataclass
class Dialogue:
    rulebook: Rulebook
    desks: DeskBook
    default_day: date
    kb: KnowledgeSearch | None = None
    tickets: HandoffDesk | None = None

    @classmethod
    def default(cls, day: date | None = None, kb: KnowledgeSearch | None = None) -> Dialogue:
        rulebook = load_rulebook()
        return cls(rulebook, load_desks(), day or rulebook.default_day(), kb)

    # --- entry point --------------------------------------------------------------------

    def handle(self, session: Session, event: Event) -> list[Reply]:
        replies = self._handle(session, event)
        for reply in replies:
            # Close a reply keyboard only if one is open: a removal costs a message.
            if reply.keyboard:
                session.keyboard_open = True
            elif reply.remove_keyboard:
                reply.remove_keyboard = session.keyboard_open
                session.keyboard_open = False
        return replies

    def _handle(self, session: Session, event: Event) -> list[Reply]:
        from bot.core.flows import eligibility, handoff, menu

        if isinstance(event, TextIn):
            return self._text(session, event.text)
        if isinstance(event, Tap):
            return self._tap(session, event.data)
        if isinstance(event, LocationIn):
            return [eligibility.on_location(self, session, event.latitude, event.longitude)]
        if isinstance(event, ContactIn):
            return [handoff.on_contact(self, session, event)]
        if isinstance(event, CommandIn):
            return self._command(session, event)
        return [menu.unsupported(self, session, event.kind)]

    def _text(self, session: Session, text: str) -> list[Reply]:
        from bot.core.flows import eligibility, guides, handoff, menu, subsidy

        if is_blank(text):
            return [menu.empty(self, session)]
        u = understand(
            text,
            last_locale=session.locale_choice or session.locale,
            telegram_language_code=session.telegram_language_code,
            place_context=eligibility.current_place(session),
        )
        if not session.locale_choice:
            session.locale = u.locale
        session.remember("user", text)
        intent = primary_intent(u)
        if session.flow is None and intent != "handoff" and self._open_ticket(session):
            # An open enquiry keeps its thread: once the user leaves a menu flow, what they
            # type goes to staff again, until /cancel_request or staff close it.
            session.flow, session.step = "handoff", "open"
        if session.flow == "handoff" and (intent != "handoff" or session.step == "open"):
            return [handoff.on_text(self, session, u)]
        if intent not in ("handoff",) and (answer := self._answers_question(session, u)):
            return [answer]
        if intent == "handoff":
            return [handoff.start(self, session, u)]
        if intent == "subsidy":
            return [subsidy.from_text(self, session, u)]
        if intent == "eligibility":
            return [eligibility.from_text(self, session, u)]
        if intent == "hotline":
            return [handoff.hotline(self, session)]
        if intent == "help":
            return [menu.help_reply(self, session)]
        if intent == "greeting":
            return [menu.welcome(self, session)]
        return [guides.search_reply(self, session, u)]

    def _open_ticket(self, session: Session) -> bool:
        if self.tickets is None:
            return False
        ticket = self.tickets.open_ticket_of(session.chat_id)
        if ticket is None:
            return False
        session.handoff = {**session.handoff, "ref": ticket.ref}
        return True

    def _answers_question(self, session: Session, u: Understanding) -> Reply | None:
        """The message answers the question the bot is waiting on."""
        from bot.core.flows import eligibility, subsidy

        if session.flow == "eligibility":
            return eligibility.answer(self, session, u)
        if session.flow == "subsidy":
            return subsidy.answer(self, session, u)
        return None

    def _tap(self, session: Session, data: str) -> list[Reply]:
        from bot.core.flows import eligibility, guides, handoff, menu, subsidy

        tapped = buttons.decode(data)
        if tapped is None or (not tapped.timeless and tapped.generation != session.generation):
            return [menu.expired(self, session)]
        routes = {
            "menu": menu.on_menu,
            "lang": menu.on_language,
            "place": eligibility.on_tap,
            "premises": eligibility.on_tap,
            "process": eligibility.on_tap,
            "owner": eligibility.on_tap,
            "item": subsidy.on_tap,
            "again": subsidy.on_tap,
            "currency": subsidy.on_tap,
            "open": guides.on_tap,
            "more": guides.on_tap,
            "call": handoff.on_tap,
            "handoff": handoff.on_tap,
            "confirm": handoff.on_tap,
            "edit": handoff.on_tap,
            "skip": handoff.on_tap,
            "cancel": handoff.on_tap,
            "ticket": handoff.on_tap,
        }
        reply = routes[tapped.action](self, session, tapped)
        return [reply] if reply is not None else [menu.expired(self, session)]

    def _command(self, session: Session, command: CommandIn) -> list[Reply]:
        from bot.core.flows import eligibility, handoff, menu, subsidy

        name = command.name.lower()
        if name == "start":
            return [menu.on_start(self, session, command.args)]
        if name == "help":
            return [menu.help_reply(self, session)]
        if name in ("menu", "cancel"):
            session.start(None)
            return [menu.welcome(self, session, cancelled=name == "cancel")]
        if name == "lang":
            return [menu.language_choice(self, session, command.args)]
        if name == "caps":
            return [subsidy.caps_command(self, session, command.args)]
        if name == "calc":
            return [subsidy.calc_command(self, session, command.args)]
        if name == "place":
            return [eligibility.place_command(self, session, command.args)]
        if name in ("cancel_request", "forget", "privacy", "hotline"):
            return [handoff.command(self, session, name)]
        return [menu.unknown_command(self, session)]
