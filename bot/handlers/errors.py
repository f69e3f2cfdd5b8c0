"""The error handler: log with context (never the token, a phone number or what the user
wrote), and decide with the inbox what becomes of the update (``InboxGuard.failed``):
tried again in a moment, in its chat's order, or set aside after a bounded number of
tries. Only then is the user told politely, in their language; nothing leaks."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.core.reply import T
from bot.delivery import describe
from bot.render import value_text

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    assert error is not None
    if update is None and isinstance(error, TelegramError) and not isinstance(error, Conflict):
        # getUpdates failed (network, Telegram's 5xx): PTB backs off and polls again.
        log.warning("polling: %s", describe(error))
        return
    where = "no update"
    if isinstance(update, Update):
        chat = update.effective_chat
        where = f"update {update.update_id} chat {chat.id if chat else '-'}"
    guard = context.application.bot_data.get("inbox_guard")
    verdict = "final"
    if isinstance(update, Update) and guard is not None:
        verdict = await guard.failed(update, error)
    if verdict == "retry":
        log.warning("error handling %s: %s; trying it again", where, describe(error))
        raise ApplicationHandlerStop  # not done: the update processor runs it again
    # The traceback's frames say where; its message may quote the user, so it stays out.
    log.error(
        "error handling %s%s: %s\n%s",
        where,
        " (set aside)" if verdict == "dead" else "",
        describe(error),
        "".join(traceback.format_tb(error.__traceback__)).rstrip(),
    )
    if isinstance(update, Update):
        await _apologise(update, context)
    if verdict == "dead":
        raise ApplicationHandlerStop  # set aside, which counts as done


async def _apologise(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat is None or update.effective_chat.type != "private":
        return
    services = context.application.bot_data.get("services")
    text = value_text(
        T("Sorry, something went wrong on my side. Please try again, or tap /start for the menu."),
        "en",
    )
    if services is not None:
        try:
            # The dialogue's apology: in the message's language, with the hotline.
            from bot.core.dialogue import TextIn
            from bot.engine import apology
            from bot.render import render_text

            message = update.effective_message
            event = TextIn(message.text or "") if message is not None and message.text else None
            ((reply, locale),) = apology(services, update.effective_chat.id, event)
            text = render_text(reply, locale)
        except Exception:  # the store itself may be what failed
            log.warning("could not read the session for the error reply")
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except Exception as send_error:
        log.warning("could not tell the user about the error: %s", type(send_error).__name__)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
