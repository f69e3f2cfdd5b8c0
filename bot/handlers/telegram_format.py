"""A rendered ``Reply`` as Bot API ``sendMessage`` parameters: HTML text split to fit,
inline keyboards, reply keyboards for sharing a location or a phone number."""

from __future__ import annotations

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


def reply_markup(reply: Reply, locale: str) -> dict[str, Any] | None:
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
    if reply.buttons:
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
    if reply.remove_keyboard:
        return {"remove_keyboard": True}
    return None


def send_message_params(chat_id: int, reply: Reply, locale: str) -> list[dict[str, Any]]:
    chunks = split_text(render_text(reply, locale, as_html=True)) or [""]
    params = [
        {
            "chat_id": chat_id,
            "text": chunk,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        for chunk in chunks
    ]
    markup = reply_markup(reply, locale)
    if markup:
        params[-1]["reply_markup"] = markup
    return params
