"""The one formatter: a ``Reply`` as Bot API ``sendMessage`` parameters (HTML text split
to fit, inline keyboards, reply keyboards for sharing a location or a phone number), and
the Telegram side of the ticket desk's notices (the staff buttons and their data, the
marks on the parts of a long staff message), which ``bot.handlers.postbox`` queues."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from bot.core.notices import TicketAction
from bot.core.reply import Reply
from bot.render import button_text, render_text, value_text

# Telegram's limit is 4,096 characters; leave room for entities counted differently.
MAX_TEXT = 3900
NO_PREVIEW = {"is_disabled": True}


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at paragraph breaks, then line breaks, then spaces; tags never span blocks."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(block) > limit:
            cut = max(block.rfind("\n", 0, limit), block.rfind(" ", 0, limit))
            cut = cut if cut > limit // 2 else limit
            # Never cut inside an HTML entity such as &amp;
            amp = block.rfind("&", 0, cut)
            if amp != -1 and ";" not in block[amp:cut]:
                cut = amp
            chunks.append(block[:cut].rstrip())
            block = block[cut:].lstrip()
        current = block
    if current:
        chunks.append(current)
    return chunks


def keyboard_markup(reply: Reply, locale: str) -> dict[str, Any] | None:
    """The reply keyboard (share location / phone number) to show, or its removal."""
    if reply.keyboard:
        return {
            "keyboard": [
                [
                    {"text": button_text(b, locale), f"request_{b.request}": True}
                    if b.request
                    else {"text": button_text(b, locale)}
                    for b in row
                ]
                for row in reply.keyboard
            ],
            "resize_keyboard": True,
            "one_time_keyboard": True,
        }
    if reply.remove_keyboard:
        return {"remove_keyboard": True}
    return None


def inline_markup(reply: Reply, locale: str) -> dict[str, Any] | None:
    if not reply.buttons:
        return None
    return {
        "inline_keyboard": [
            [
                {"text": button_text(b, locale), "url": b.url}
                if b.url
                else {"text": button_text(b, locale), "callback_data": b.data}
                for b in row
            ]
            for row in reply.buttons
        ]
    }


def reply_markup(reply: Reply, locale: str) -> dict[str, Any] | None:
    """The one markup of a single message: the reply keyboard, else the inline buttons."""
    return keyboard_markup(reply, locale) or inline_markup(reply, locale)


def _room_for_two_markups(chunks: list[str], reply: Reply, locale: str) -> list[str] | None:
    """A message carries one markup, so a reply with inline buttons and a reply-keyboard
    change needs two messages: the first paragraph takes the keyboard, the rest keeps the
    buttons. A one-paragraph reply gets a message before it, the keyboard's own label.
    None when there is nothing to put the change on (a lone removal)."""
    if len(chunks) > 1:
        return chunks
    head, _, tail = chunks[0].partition("\n\n")
    if tail:
        return [head, tail]
    labels = [button_text(b, locale) for row in reply.keyboard for b in row]
    return [html.escape(" · ".join(labels), quote=False), chunks[0]] if labels else None


def send_message_params(chat_id: int, reply: Reply, locale: str) -> list[dict[str, Any]]:
    chunks = split_text(render_text(reply, locale, as_html=True)) or [""]
    inline, keyboard = inline_markup(reply, locale), keyboard_markup(reply, locale)
    if inline and keyboard:
        both = _room_for_two_markups(chunks, reply, locale)
        if both is None:
            keyboard = None
        else:
            chunks = both
    params = [
        {
            "chat_id": chat_id,
            "text": chunk,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        for chunk in chunks
    ]
    if inline and keyboard:
        params[-2]["reply_markup"] = keyboard
        params[-1]["reply_markup"] = inline
    elif inline or keyboard:
        params[-1]["reply_markup"] = inline or keyboard
    return params


# --- the ticket desk's notices ----------------------------------------------------------


def ticket_button_data(action: TicketAction) -> str:
    """The callback data of a ticket button; ``bot.handlers.staff`` reads it back."""
    return f"v1|0|ticket|{action.action}:{action.ticket_id}" + (
        f":{action.arg}" if action.arg else ""
    )


def read_ticket_button(data: str) -> tuple[str, str, str] | None:
    """(action, ticket id as written, argument) from a ticket button's data; None when it
    is not one. The id is checked by the staff flow, which refuses odd ones politely.

    >>> read_ticket_button("v1|0|ticket|transfer:12:hk")
    ('transfer', '12', 'hk')
    >>> read_ticket_button("v1|0|ticket|claim") is None
    True
    """
    parts = data.split("|")
    fields = parts[3].split(":") if len(parts) == 4 else []
    if len(fields) < 2:
        return None
    return fields[0], fields[1], fields[2] if len(fields) > 2 else ""


def ticket_keyboard(rows: tuple[tuple[TicketAction, ...], ...], locale: str) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [
                {"text": value_text(a.label, locale), "callback_data": ticket_button_data(a)}
                for a in row
            ]
            for row in rows
        ]
    }


def part_label(ref: str | None) -> Callable[[int, int], str]:
    """What marks the parts of a long message: the first says how many follow; the
    others carry the ticket's reference, so staff can tell whose they are."""
    mark = f"<b>{html.escape(ref)}</b> " if ref else ""

    def label(index: int, count: int) -> str:
        return f"\n\n({index}/{count})" if index == 1 else f"{mark}({index}/{count})\n"

    return label
