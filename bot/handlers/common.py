"""Telegram's side of the one event path: an update becomes a ``bot.engine`` event, the
engine commits the answer, and the outbox delivers it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.dialogue import Event
from bot.engine import ChatRef, handle_event

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


async def run_dialogue(update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event) -> None:
    services = services_of(context)
    chat = update.effective_chat
    if chat is None:
        return
    # A failure rolls the whole transaction back; the error handler (bot.handlers.errors)
    # then has the update tried again or set aside, and the user told once.
    user = update.effective_user
    who = ChatRef(chat.id, user.id if user else None, user.language_code if user else None)
    # The answer's first row is claimed as it commits, when a sender is there to send it.
    handled = handle_event(services, who, event, update.update_id, services.sender is not None)
    await services.flush(chat.id, handled.claimed)
    if handled.repeated:
        # Telegram delivered this update again after a restart; its replies were queued
        # the first time (sent, or about to be: the flush above sends what is left).
        return
    choice = handled.session.locale_choice
    if choice and choice != handled.chosen_before:
        await publish_chat_commands(context, chat.id, choice)


async def publish_chat_commands(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, locale: str
) -> None:
    """After /lang, this chat's command menu follows the choice: Telegram has one ``zh``
    code for both scripts, so the per-language menus cannot tell them apart."""
    from telegram import BotCommandScopeChat

    from bot.app import command_list

    try:
        await context.bot.set_my_commands(command_list(locale), scope=BotCommandScopeChat(chat_id))
    except Exception:  # the menu is a nicety; the chat works without it
        log.warning("could not set the command menu of a chat", exc_info=True)
