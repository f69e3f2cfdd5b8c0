"""The error handler: log with context (never the token or a phone number), tell the
user politely in their language, leak nothing."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.core.reply import T
from bot.i18n import check_locale
from bot.render import value_text

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    where = "no update"
    if isinstance(update, Update):
        chat = update.effective_chat
        where = f"update {update.update_id} chat {chat.id if chat else '-'}"
    log.error("error handling %s: %r", where, context.error, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    services = context.application.bot_data.get("services")
    locale = "en"
    if services is not None:
        try:
            session = services.store.load_session(update.effective_chat.id)
            locale = check_locale(session.reply_locale(None))
        except Exception:  # the store itself may be what failed
            log.exception("could not read the session for the error reply")
    text = value_text(
        T("Sorry, something went wrong on my side. Please try again, or tap /start for the menu."),
        locale,
    )
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except Exception:
        log.exception("could not tell the user about the error")


def register(app: Application) -> None:
    app.add_error_handler(on_error)
