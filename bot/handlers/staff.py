"""Staff chats (``STAFF_CHATS``): replies to a ticket's messages go to its user; ticket
buttons and commands (/claim, /close, /reopen, /transfer <desk>, each as a reply to a
ticket's message or with its reference) act on it; /tickets lists the open ones; a job
reminds each chat of unclaimed tickets.

Only the configured staff chats act as staff. A staff-ticket button tapped anywhere else
(forged data in a private chat) is read like any other stale button; replies and commands
in other groups are ignored.
"""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core.dialogue import Tap
from bot.core.tickets.staff import (
    ACTIONS,
    ChatMoved,
    RemindUnclaimed,
    StaffCommand,
    StaffEdit,
    StaffEvent,
    StaffReply,
    StaffTap,
    TicketList,
    UserBack,
    UserBlocked,
)
from bot.engine import ChatRef, handle_event
from bot.handlers.common import run_dialogue, services_of
from bot.handlers.telegram_format import read_ticket_button

log = logging.getLogger(__name__)
GROUPS = filters.ChatType.GROUPS
REMINDER_CHECK_SECONDS = 60.0


def _staff_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "staff"
    return user.full_name or (user.username or str(user.id))


def _replied_to(context: ContextTypes.DEFAULT_TYPE, message: Message) -> int | None:
    """The bot's message this one answers: only those can belong to a ticket."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return replied.message_id


async def _run(
    update: Update | None, context: ContextTypes.DEFAULT_TYPE, event: StaffEvent
) -> None:
    """The event through the one path (``bot.engine``), then its notices out."""
    services = services_of(context)
    update_id = update.update_id if update is not None else None
    chat = update.effective_chat if update is not None else None
    handled = handle_event(services, ChatRef(chat.id if chat else 0), event, update_id)
    if handled.acted or update_id is not None:
        await services.flush()


async def on_staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply in a staff chat to one of a ticket's messages is copied to that ticket's user."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or not services_of(context).tickets.is_staff_chat(chat.id):
        return  # not a staff chat: nobody here answers tickets
    text = message.text or message.caption or ""
    replied = _replied_to(context, message)
    await _run(update, context, StaffReply(chat.id, message.message_id, replied, text))


async def on_staff_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Staff edited a reply that went to a user: the user gets the correction."""
    message, chat = update.edited_message, update.effective_chat
    if message is None or chat is None or not services_of(context).tickets.is_staff_chat(chat.id):
        return
    replied = _replied_to(context, message)
    await _run(update, context, StaffEdit(chat.id, message.message_id, replied, message.text))


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram upgraded a group to a supergroup: the service message in the old group
    (``migrate_to_chat_id``) or in the new one (``migrate_from_chat_id``)."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await _run(update, context, ChatMoved(message.chat_id, message.migrate_to_chat_id))
    elif message.migrate_from_chat_id:
        await _run(update, context, ChatMoved(message.migrate_from_chat_id, message.chat_id))


async def on_member_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A user blocked the bot (staff of their open tickets are told at once) or unblocked
    it (replies reach them again)."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    if status == "kicked":
        await _run(update, context, UserBlocked(change.chat.id))
    elif status == "member":
        await _run(update, context, UserBack(change.chat.id))


async def on_user_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before the handlers: a user whose tickets were marked blocked wrote again, so they
    unblocked the bot (Telegram tells a bot nothing else when the update is missed). The
    update itself is answered by the handlers after this one, so it is not marked here."""
    chat = update.effective_chat
    if chat is None or chat.type != "private" or update.my_chat_member is not None:
        return
    if services_of(context).tickets.has_blocked(chat.id):
        await _run(None, context, UserBack(chat.id))


async def on_ticket_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    chat = update.effective_chat
    await _answer(update)
    if chat is not None and chat.type == "private":
        # Forged or misplaced staff data: the same "menu expired" any stale button gets.
        await run_dialogue(update, context, Tap(query.data or ""))
        return
    if chat is None:
        return
    button = read_ticket_button(query.data or "")
    if button is None:
        return
    action, ticket_id, arg = button
    await _run(update, context, StaffTap(chat.id, action, ticket_id, arg, _staff_name(update)))


async def _answer(update: Update) -> None:
    try:
        await update.callback_query.answer()
    except TelegramError as error:  # an old query can no longer be answered: carry on
        log.info("callback answer failed: %s", type(error).__name__)


async def on_staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/claim, /close, /reopen, /transfer <desk>: as a reply to a ticket's message, or with
    the ticket's reference first (``/close CP-ABCDE``)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    action = (message.text or "").split()[0].lstrip("/").split("@")[0].lower()
    replied = _replied_to(context, message)
    command = StaffCommand(chat.id, action, tuple(context.args or ()), replied, _staff_name(update))
    await _run(update, context, command)


async def on_tickets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is not None:
        await _run(update, context, TicketList(chat.id))


async def remind_unclaimed(context: ContextTypes.DEFAULT_TYPE) -> None:
    seconds = services_of(context).settings.unclaimed_reminder_minutes * 60
    if seconds > 0:
        await _run(None, context, RemindUnclaimed(seconds))


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, on_user_back), group=-80)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    app.add_handler(
        ChatMemberHandler(on_member_change, ChatMemberHandler.MY_CHAT_MEMBER, chat_id=None)
    )
    app.add_handler(
        MessageHandler(GROUPS & filters.UpdateType.EDITED_MESSAGE & filters.REPLY, on_staff_edit)
    )
    app.add_handler(CommandHandler("tickets", on_tickets, filters=GROUPS))
    app.add_handler(CommandHandler(list(ACTIONS), on_staff_command, filters=GROUPS))
    app.add_handler(CallbackQueryHandler(on_ticket_button, pattern=r"^v1\|\d+\|ticket\|"))
    app.add_handler(
        MessageHandler(
            GROUPS & filters.UpdateType.MESSAGE & filters.REPLY & ~filters.COMMAND,
            on_staff_message,
        )
    )
    if app.job_queue is not None:
        services = app.bot_data.get("services")
        minutes = services.settings.unclaimed_reminder_minutes if services else 30
        every = max(1.0, min(REMINDER_CHECK_SECONDS, minutes * 60 / 2))
        app.job_queue.run_repeating(remind_unclaimed, interval=every, first=every, name="unclaimed")
