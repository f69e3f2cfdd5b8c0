"""Inline button taps. The data is checked by the core (forged or stale data gets the
"menu expired" reply); the query is always answered so the button stops spinning."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.core.dialogue import Tap
from bot.handlers.common import run_dialogue

log = logging.getLogger(__name__)


async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    try:
        await query.answer()
    except TelegramError as error:  # an old query can no longer be answered: carry on
        log.info("callback answer failed: %s", error)
    if update.effective_chat is None or update.effective_chat.type != "private":
        return  # staff buttons are handled in bot.handlers.staff
    message_id = query.message.message_id if query.message is not None else None
    await run_dialogue(update, context, Tap(query.data or "", message_id))


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(on_tap))
