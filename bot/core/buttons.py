"""Callback data of inline buttons: ``v1|<generation>|<action>|<arg>``, at most 64 bytes.

The generation ties a flow's buttons to the flow that sent them: after the user starts
something else, an old button is stale and gets a polite "menu expired" instead of acting.
Menu and language buttons are valid at any time. Anything that does not parse, forged
or from an older version of the bot, is treated as stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.reply import Button, Local, Msg, Verbatim

VERSION = "v1"
MAX_BYTES = 64
# Actions that mean the same whenever they are tapped.
TIMELESS = frozenset({"menu", "lang", "call", "cancel"})
ACTIONS = TIMELESS | frozenset(
    {
        "step",
        "owner",
        "sources",
        "again",
        "open",
        "more",
        "handoff",
        "confirm",
        "edit",
        "skip",
        "ticket",
    }
)


@dataclass(frozen=True)
class Tapped:
    generation: int
    action: str
    arg: str

    @property
    def timeless(self) -> bool:
        return self.action in TIMELESS


def encode(generation: int, action: str, arg: str = "") -> str:
    if action not in ACTIONS or "|" in arg:
        raise ValueError(f"bad button {action}|{arg}")
    data = f"{VERSION}|{generation}|{action}|{arg}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button data too long: {data}")
    return data


def decode(data: str) -> Tapped | None:
    if not isinstance(data, str) or len(data.encode(errors="replace")) > MAX_BYTES:
        return None
    parts = data.split("|")
    if len(parts) != 4 or parts[0] != VERSION or parts[2] not in ACTIONS:
        return None
    # ASCII only: str.isdigit() accepts '²' and '٣', which int() refuses or reads.
    if not (parts[1].isascii() and parts[1].isdigit()) or len(parts[1]) > 9:
        return None
    return Tapped(int(parts[1]), parts[2], parts[3])


def button(label: Msg | Local | Verbatim, generation: int, action: str, arg: str = "") -> Button:
    return Button(label, encode(generation, action, arg))
