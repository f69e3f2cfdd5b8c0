"""A rendered ``Reply`` as Bot API ``sendMessage`` parameters: HTML text split to fit,
inline keyboards, reply keyboards for sharing a location or a phone number."""

from __future__ import annotations

import html
from typing import Any

from bot.core.reply import Reply
from bot.render import button_text, render_text

# Telegram's limit is 4,096 characters; leave room for entities counted differently.
MAX_TEXT = 3900


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
