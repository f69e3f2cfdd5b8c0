"""The one path every user update takes: event in, dialogue, state and replies committed
together, then delivered through the outbox."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.dialogue import Event
from bot.core.reply import Reply
from bot.handlers.telegram_format import send_message_params
from bot.i18n import check_locale
from bot.render import render_text

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
    store = services.store
    if store.already_handled(update.update_id):
        # Telegram delivered this update again after a restart; its replies are already
        # in the outbox (sent, or about to be).
        await services.flush(chat.id)
        return
    # A failure rolls the whole transaction back; the error handler (bot.handlers.errors)
    # then has the update tried again or set aside, and the user told once.
    session, rendered, chosen_before = _answer(services, update, event, services.dialogue.handle)
    for observe in services.observers:
        observe(chat.id, rendered)
    await services.flush(chat.id)
    if session.locale_choice and session.locale_choice != chosen_before:
        await publish_chat_commands(context, chat.id, session.locale_choice)


def _answer(services: Services, update: Update, event: Event, answer: Any) -> tuple[Any, list[tuple[Reply, str]], Any]:
    """One transaction: the session, the replies' outbox rows and the handled mark."""
    store = services.store
    chat = update.effective_chat
    assert chat is not None
    user = update.effective_user
    with store.transaction() as conn:
        session = store.load_session(chat.id)
        chosen_before = session.locale_choice
        if user is not None and user.language_code:
            session.telegram_language_code = user.language_code
        session.user_id = user.id if user else None
        replies = answer(session, event)
        rendered: list[tuple[Reply, str]] = []
        n = 0
        for reply in replies:
            locale = check_locale(reply.locale or session.reply_locale(None))
            rendered.append((reply, locale))
            for params in send_message_params(chat.id, reply, locale):
                services.outbox.enqueue(conn, chat.id, "sendMessage", params, f"u{update.update_id}:{n}")
                n += 1
        for reply, locale in rendered:
            session.remember("bot", render_text(reply, locale)[:300])
        store.save_session(session, conn)
        store.mark_handled(update.update_id, conn)
    return session, rendered, chosen_before


async def publish_chat_commands(context: ContextTypes.DEFAULT_TYPE, chat_id: int, locale: str) -> None:
    """After /lang, this chat's command menu follows the choice: Telegram has one ``zh``
    code for both scripts, so the per-language menus cannot tell them apart."""
    from telegram import BotCommandScopeChat

    from bot.app import command_list

    try:
        await context.bot.set_my_commands(command_list(locale), scope=BotCommandScopeChat(chat_id))
    except Exception:  # the menu is a nicety; the chat works without it
        log.warning("could not set the command menu of a chat", exc_info=True)
