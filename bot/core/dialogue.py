"""The conversation: one function from (session, event) to replies, for every transport.

Telegram handlers, the console and ``ask`` turn what arrived into an ``Event`` and call
``Dialogue.handle``; it updates the ``Session`` and returns ``Reply`` objects. It knows
nothing of Telegram.

A text message is read into facts and questions (``bot.core.reading``); the facts join the
conversation's case (``bot.core.case``); the reply answers every part of what was asked,
in a fixed order — small talk, the verdict, the estimate, the programme facts, how to
apply, a person — and ends with at most one question: the deciding fact still missing.

    >>> from bot.core.dialogue import Dialogue, TextIn
    >>> from bot.core.session import Session
    >>> d = Dialogue.default()
    >>> [r.intent for r in d.handle(Session(chat_id=1), TextIn("我的工厂在广西梧州"))]
    ['eligibility']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.core import buttons
from bot.core.desks import DeskBook, load_desks
from bot.core.numbered import numbered_questions, question_asked_again
from bot.core.reading import Reading, read
from bot.core.reply import Reply, Verbatim, title
from bot.core.rules import Contacts, Rulebook, load_contacts, load_rulebook
from bot.core.session import Session

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def is_blank(text: str) -> bool:
    """Nothing readable: only spaces, control or zero-width characters."""
    return all(unicodedata.category(ch)[0] in "CZ" for ch in text)


def today_in_hong_kong() -> date:
    return datetime.now(HONG_KONG).date()


def _fact_matcher() -> Callable[[str, str], Any]:
    from bot.core.fact_questions import match_fact_question

    return match_fact_question


# --- what can arrive ------------------------------------------------------------------


@dataclass(frozen=True)
class TextIn:
    text: str


@dataclass(frozen=True)
class Tap:
    data: str
    # The message the button sat on, when the transport knows it: a reply that spends
    # that message's buttons (Reply.spent_buttons) has them taken off it
    message_id: int | None = None


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


class GuideSearch(Protocol):
    """Search over the guides and FAQ (``bot.core.knowledge_base.KnowledgeBase``)."""

    def search(self, query: str, locale: str, limit: int = 5, offset: int = 0) -> Any: ...

    def unit(self, doc_id: str) -> Any: ...


class HandoffDesk(Protocol):
    """The ticket side of a hand-off (``bot.core.tickets``), as the dialogue needs it."""

    def open_ticket(self, session: Session, details: dict[str, Any]) -> Any: ...

    def open_ticket_of(self, chat_id: int) -> Any: ...

    def user_message(self, session: Session, text: str) -> bool: ...

    def close_by_user(self, session: Session) -> Any: ...

    def forget(self, session: Session) -> int: ...


# A year in a question: "2013", "2016年"
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _several_years(parts: Iterable[str]) -> bool:
    """Whether the numbered questions name two or more years between them."""
    return len({year for part in parts for year in _YEAR.findall(part)}) >= 2


@dataclass
class Dialogue:
    rulebook: Rulebook
    desks: DeskBook
    # The day whose rules apply when the user names none: RULES_DATE or --date, else
    # today in Hong Kong, read at each message (a bot runs across midnight).
    rules_date: date | None = None
    kb: GuideSearch | None = None
    tickets: HandoffDesk | None = None
    contacts: Contacts = field(default_factory=load_contacts)
    clock: Callable[[], date] = today_in_hong_kong
    # Plain programme questions ("幾時截止？"): a callable (text, locale) -> match or None.
    fact_questions: Callable[..., Any] | None = field(default_factory=_fact_matcher)

    @classmethod
    def default(cls, day: date | None = None, kb: GuideSearch | None = None) -> Dialogue:
        return cls(load_rulebook(), load_desks(), day, kb)

    def apology(self, session: Session, event: Event | None = None) -> list[Reply]:
        """What a user is told when answering their message failed (the caller has rolled
        back whatever the failed attempt wrote): sorry, and the hotline, in their language."""
        from bot.core.flows import menu
        from bot.core.language import detect_locale

        if isinstance(event, TextIn) and not session.locale_choice:
            session.locale = detect_locale(
                event.text[:4096], session.locale, session.telegram_language_code
            )
        return [menu.apology(self, session)]

    def default_day(self) -> date:
        return self.rules_date or self.clock()

    # --- entry point --------------------------------------------------------------------

    def handle(self, session: Session, event: Event) -> list[Reply]:
        replies = self._handle(session, event)
        for reply in replies:
            if reply.citations:
                session.last_citations = list(reply.citations)
            # Close a reply keyboard only if one is open: a removal costs a message.
            if reply.keyboard:
                session.keyboard_open = True
            elif reply.remove_keyboard:
                reply.remove_keyboard = session.keyboard_open
                session.keyboard_open = False
            elif (
                session.keyboard_open
                and session.flow != "handoff"
                and session.step not in ("place", "phone")
            ):
                reply.remove_keyboard = True
                session.keyboard_open = False
        return replies

    def _handle(self, session: Session, event: Event) -> list[Reply]:
        from bot.core.flows import answer, handoff, menu

        if isinstance(event, TextIn):
            return self._text(session, event.text)
        if isinstance(event, Tap):
            return self._tap(session, event.data)
        if isinstance(event, LocationIn):
            return [answer.on_location(self, session, event.latitude, event.longitude)]
        if isinstance(event, ContactIn):
            return [handoff.on_contact(self, session, event)]
        if isinstance(event, CommandIn):
            return self._command(session, event)
        return [menu.unsupported(self, session, event.kind)]

    def read(self, session: Session, text: str, turn: int) -> Reading:
        from bot.core.flows.case import (
            known_places,
            load,
            named_day,
            named_time,
            named_year,
            primary_place,
        )

        case = load(session)
        return read(
            text,
            last_locale=session.locale_choice or session.locale,
            telegram_language_code=session.telegram_language_code,
            context_place=primary_place(case),
            turn=turn,
            today=self.default_day(),
            context_year=named_year(case),
            context_day=named_day(case),
            context_time=named_time(case),
            known_places=known_places(case),
        )

    def _text(self, session: Session, text: str) -> list[Reply]:
        from bot.core.flows import answer, handoff, menu

        if is_blank(text):
            return [menu.empty(self, session)]
        said = text
        if session.flow != "handoff":
            # "第三个问题你还没回答": that question of an earlier numbered list, answered now
            earlier = [h["text"] for h in session.history if h.get("who") == "user"]
            said = question_asked_again(text, earlier) or text
        reading = self.read(session, said, turn=int(session.case.get("turn", 0)) + 1)
        in_form = session.flow == "handoff" and session.step not in (None, "open", "offered")
        if not session.locale_choice and (not in_form or _script_switch(session, reading)):
            # A name or company typed in a form ("Human Touch Garments Ltd") does not
            # change the conversation's language; one in the other Chinese script ("张伟"
            # after "我要留言") says which script the user reads.
            session.locale = reading.locale
        session.remember("user", text)
        if session.flow is None and "person" not in reading.asks and self._open_ticket(session):
            # An open enquiry keeps its thread: once the user leaves a menu flow, what they
            # type goes to staff again, until /cancel_request or staff close it.
            session.flow, session.step = "handoff", "open"
        if session.flow == "handoff":
            return [handoff.on_text(self, session, reading)]
        if session.flow is None and reading.has("enquiry.addition"):
            added = handoff.add_to_enquiry(self, session, text)
            if added is not None:
                return [added]
        parts = numbered_questions(text) if session.flow is None and session.step is None else {}
        if len(parts) >= 2 and _several_years(parts.values()):
            # "(1) phase on 1 Mar 2013? (2) demo cap on 1 Jul 2016?": questions of different
            # days in one message, each answered as if asked alone, in order
            return self._numbered(session, text, parts)
        return [answer.respond(self, session, reading)]

    def _numbered(self, session: Session, text: str, parts: dict[int, str]) -> list[Reply]:
        from bot.core.flows import answer

        first = min(parts)
        preamble = text[: text.find(parts[first])]
        replies: list[Reply] = []
        for number, part in sorted(parts.items()):
            said = f"{preamble} {part}" if number == first else part
            reading = self.read(session, said, turn=int(session.case.get("turn", 0)) + 1)
            reply = answer.respond(self, session, reading)
            reply.parts.insert(0, title("Question {number}", number=Verbatim(str(number))))
            replies.append(reply)
        return replies

    def _open_ticket(self, session: Session) -> bool:
        """An open enquiry that staff can answer here; one that reaches no staff chat
        does not capture what the user types next."""
        if self.tickets is None:
            return False
        ticket = self.tickets.open_ticket_of(session.chat_id)
        if ticket is None:
            return False
        if not getattr(self.tickets, "reaches_staff", lambda _: True)(ticket):
            return False
        session.handoff = {**session.handoff, "ref": ticket.ref}
        return True

    def _tap(self, session: Session, data: str) -> list[Reply]:
        from bot.core.flows import answer, guides, handoff, menu

        tapped = buttons.decode(data)
        if tapped is None or (not tapped.timeless and tapped.generation != session.generation):
            return [menu.expired(self, session)]
        routes = {
            "menu": menu.on_menu,
            "lang": menu.on_language,
            "step": answer.on_step,
            "owner": answer.on_owner,
            "sources": answer.on_sources,
            "again": answer.on_again,
            "open": guides.on_tap,
            "more": guides.on_tap,
            "call": handoff.on_tap,
            "handoff": handoff.on_tap,
            "confirm": handoff.on_tap,
            "edit": handoff.on_tap,
            "skip": handoff.on_tap,
            "cancel": menu.on_cancel,
            "ticket": handoff.on_tap,
        }
        route = routes.get(tapped.action)
        reply = route(self, session, tapped) if route is not None else None
        return [reply] if reply is not None else [menu.expired(self, session)]

    def _command(self, session: Session, command: CommandIn) -> list[Reply]:
        from bot.core.flows import answer, handoff, menu

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
            return [answer.caps_command(self, session, command.args)]
        if name == "calc":
            return [answer.calc_command(self, session, command.args)]
        if name == "place":
            return [answer.place_command(self, session, command.args)]
        if name == "new":
            return [answer.new_case(self, session)]
        if name in ("cancel_request", "forget", "privacy", "hotline"):
            return [handoff.command(self, session, name)]
        if name in ("staff", "human", "person", "contact"):
            return [handoff.offer(self, session)]  # "/staff": as "Talk to a person"
        return [menu.unknown_command(self, session)]


def _script_switch(session: Session, reading: Any) -> bool:
    """Traditional to Simplified or back, never to or from English."""
    chinese = ("zh_Hant_HK", "zh_Hans_CN")
    return session.locale in chinese and reading.locale in chinese
