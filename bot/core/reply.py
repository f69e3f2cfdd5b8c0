"""A reply as data: what to say (message ids and values), which buttons, and the facts
behind it. One renderer words it for a locale (``bot.render``), so the console, ``ask``
and Telegram show the same words.

Message ids are English source strings marked with ``T(...)`` so ``pybabel extract -k T``
finds them; the values are typed (money, dates, trilingual names) and formatted per
locale at render time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Msg:
    """A message to translate, with named values for its ``{placeholders}``."""

    msgid: str
    values: dict[str, Any] = field(default_factory=dict)
    style: str = ""  # "" | "title" (bold) | "note" (italic) | "quote" (user text block)


def T(msgid: str, /, **values: Any) -> Msg:  # noqa: N802 - gettext-style marker
    return Msg(msgid, values)


def title(msgid: str, /, **values: Any) -> Msg:
    return Msg(msgid, values, "title")


def note(msgid: str, /, **values: Any) -> Msg:
    return Msg(msgid, values, "note")


@dataclass(frozen=True)
class Money:
    amount: Decimal | int
    currency: str = "HKD"


@dataclass(frozen=True)
class Day:
    value: date


@dataclass(frozen=True)
class Lines:
    """Short lines shown as one block (a figure table: cost, government, your part)."""

    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Year:
    """A year on its own: "2027" / "2027年"."""

    value: int


@dataclass(frozen=True)
class Share:
    """A cost share from the rules (a ``Fraction``): "half", "a third", "全數"."""

    value: Any


@dataclass(frozen=True)
class Local:
    """Text that already exists in every locale (knowledge data: names, guide text)."""

    texts: dict[str, str]


@dataclass(frozen=True)
class Verbatim:
    """Text shown exactly as given (user input, phone numbers); escaped, never translated."""

    text: str


@dataclass(frozen=True)
class SourceEntries:
    """The full entries of the sources behind these citations, one line each: words the
    renderer builds from the source registry, in the reader's language."""

    citations: tuple[str, ...]
    with_ids: bool = False  # each entry led by the id the answers cite it by ("W9")


@dataclass(frozen=True)
class Joined:
    """A list of values joined for the locale ("a, b and c" / "a、b及c")."""

    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Button:
    label: Msg | Local | Verbatim
    data: str = ""  # callback data for an inline button
    url: str = ""  # or a link (tel: links are not allowed by Telegram; see Phone)
    request: str = ""  # "contact" | "location": a reply-keyboard button


@dataclass
class Reply:
    """What to say: message parts, buttons, and the facts behind it (the contract's
    ``ask --json`` fields)."""

    intent: str
    parts: list[Msg | Local | Verbatim | SourceEntries] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)
    keyboard: list[list[Button]] = field(default_factory=list)  # reply keyboard (share contact)
    remove_keyboard: bool = False
    # The buttons just tapped are used up ("Send to staff"): the message they sit on
    # loses them, so a second tap cannot be tried
    spent_buttons: bool = False
    phase: str | None = None
    eligibility: dict[str, Any] | None = None
    subsidy: dict[str, Any] | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    handoff: bool = False
    citations: list[str] = field(default_factory=list)
    # Where the user's language could not be told from the message, the renderer
    # uses the session's; set when a flow must answer in a fixed locale.
    locale: str | None = None

    def add(self, *parts: Msg | Local | Verbatim | SourceEntries) -> Reply:
        self.parts.extend(parts)
        return self

    def add_once(self, part: Msg) -> bool:
        """Add a line unless one of the same wording is already there (a note two
        estimates of one reply would each give); True when added."""
        if any(getattr(p, "msgid", None) == part.msgid for p in self.parts):
            return False
        self.parts.append(part)
        return True

    def cite(self, *citations: str) -> Reply:
        for citation in citations:
            if citation not in self.citations:
                self.citations.append(citation)
        return self

    def row(self, *buttons: Button) -> Reply:
        self.buttons.append(list(buttons))
        return self
