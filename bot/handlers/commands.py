"""Slash commands: /start (with deep links), /help, /lang, /menu, /cancel, and the staff
lookups /caps, /calc, /place; the hand-off and privacy commands."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.core.dialogue import CommandIn
from bot.handlers.common import run_dialogue

USER_COMMANDS = (
    "start",
    "help",
    "lang",
    "menu",
    "cancel",
    "caps",
    "calc",
    "place",
    "hotline",
    "cancel_request",
    "forget",
    "privacy",
)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split()[0].lstrip("/").split("@")[0]
    args = " ".join(context.args or [])
    await run_dialogue(update, context, CommandIn(name, args))


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler(list(USER_COMMANDS), on_command, filters=filters.ChatType.PRIVATE)
    )
