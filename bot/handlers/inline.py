"""Inline mode: staff type ``@bot 示範項目上限`` in any chat and pick a card."""

from __future__ import annotations

import hashlib

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, InlineQueryHandler

from bot.core.flows.inline import InlineQueryIn
from bot.engine import ChatRef, handle_event
from bot.handlers.common import services_of
from bot.handlers.telegram_format import split_text
from bot.render import render_text, value_text


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    services = services_of(context)
    user = query.from_user
    hint = None
    if user is not None and user.language_code:
        from bot.core.language import detect_locale

        hint = detect_locale("", None, user.language_code)
    chat = ChatRef(user.id if user else 0, user.id if user else None)
    handled = handle_event(services, chat, InlineQueryIn(query.query or "", hint))
    assert handled.cards is not None
    locale, found = handled.cards
    results = []
    for card in found:
        text = split_text(render_text(card.reply, locale, as_html=True))[0]
        key = hashlib.sha1(f"{card.id}|{locale}|{query.query}".encode()).hexdigest()[:32]
        results.append(
            InlineQueryResultArticle(
                id=key,
                title=value_text(card.title, locale)[:100] or "-",
                description=value_text(card.description, locale)[:200],
                input_message_content=InputTextMessageContent(text, parse_mode=ParseMode.HTML),
            )
        )
    # Personal: where the text is written alike in both scripts ("上限"), the user's own
    # language picks the cards, so one user's cached answer must not reach another.
    await query.answer(results, cache_time=60, is_personal=True)


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(on_inline))
