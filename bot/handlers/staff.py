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
import re

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
from bot.core.notices import Notice
from bot.core.reply import Local, Msg, Reply, T, Verbatim, title
from bot.core.tickets import STATUS_NAMES, Ticket
from bot.handlers.common import run_dialogue, services_of

log = logging.getLogger(__name__)
GROUPS = filters.ChatType.GROUPS
ACTIONS = ("claim", "close", "reopen", "transfer")
REMINDER_CHECK_SECONDS = 60.0
# Ticket ids in button data: plain ASCII digits of a size SQLite can hold ("²" is a digit
# to str.isdigit, and int() refuses it; 23 digits overflow).
TICKET_ID = re.compile(r"[0-9]{1,15}")


def _staff_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "staff"
    return user.full_name or (user.username or str(user.id))


def _chat_locale(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> str:
    tickets = services_of(context).tickets
    desks = sorted(tickets.desks_of_chat(chat_id))
    desk = tickets.desks.get(desks[0]) if desks else None
    return (desk or tickets.desks.default).languages[0]


async def _say(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, key: str) -> None:
    """A note to a staff chat, a notice like any other."""
    services = services_of(context)
    notice = Notice(chat_id, key, _chat_locale(context, chat_id), reply)
    with services.store.transaction() as conn:
        services.tickets.postbox.post(conn, notice)
    await services.flush(chat_id)


def _replied_ticket(context: ContextTypes.DEFAULT_TYPE, message: Message) -> Ticket | None:
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return services_of(context).tickets.ticket_for_staff_message(
        message.chat_id, replied.message_id
    )


def _reply_note(outcome: str, ticket: Ticket) -> Msg:
    ref = Verbatim(ticket.ref)
    if outcome == "closed":
        return T("{ref} is closed; reopen it to reply.", ref=ref)
    if outcome == "forgotten":
        return T("{ref}: the user asked to be forgotten; replies cannot reach them.", ref=ref)
    if outcome == "blocked":
        return T(
            "{ref}: the user has blocked the bot; replies cannot reach them. Phone: {phone}",
            ref=ref,
            phone=Verbatim(ticket.details.get("phone", "")),
        )
    return T("That ticket is not handled in this chat.")


async def on_staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply in a staff chat to one of a ticket's messages is copied to that ticket's user."""
    services = services_of(context)
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not services.tickets.is_staff_chat(chat.id):
        return  # not a staff chat: nobody here answers tickets
    with services.store.transaction():
        if services.store.already_handled(update.update_id):
            return
        ticket = _replied_ticket(context, message)
        outcome = None
        if ticket is not None:
            text = message.text or message.caption or ""
            outcome = services.tickets.staff_reply(chat.id, message.message_id, text, ticket)
        services.store.mark_handled(update.update_id)
    if ticket is None or outcome is None:
        return  # staff talking among themselves
    if outcome != "sent":
        note = Reply("handoff").add(_reply_note(outcome, ticket))
        await _say(context, chat.id, note, f"note:{update.update_id}")
        return
    if ticket.chat_id is not None:
        await services.flush(ticket.chat_id)


async def on_staff_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Staff edited a reply that went to a user: the user gets the correction."""
    services = services_of(context)
    message = update.edited_message
    chat = update.effective_chat
    if message is None or chat is None or not services.tickets.is_staff_chat(chat.id):
        return
    with services.store.transaction():
        if services.store.already_handled(update.update_id):
            return
        ticket = _replied_ticket(context, message)
        outcome = None
        if ticket is not None:
            text = message.text if message.text is not None else None
            outcome = services.tickets.staff_edit(
                chat.id, message.message_id, text, ticket, f"staffedit:{update.update_id}"
            )
        services.store.mark_handled(update.update_id)
    if ticket is None or outcome in (None, "pending"):
        return
    if outcome != "sent":
        note = Reply("handoff").add(_reply_note(outcome, ticket))
        await _say(context, chat.id, note, f"note:{update.update_id}")
        return
    if ticket.chat_id is not None:
        await services.flush(ticket.chat_id)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram upgraded a group to a supergroup: the service message in the old group
    (``migrate_to_chat_id``) or in the new one (``migrate_from_chat_id``). A staff chat's
    routing and recognition follow it (``TicketDesk.migrate_chat``)."""
    services = services_of(context)
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    with services.store.transaction() as conn:
        services.tickets.migrate_chat(conn, old, new)
        services.store.mark_handled(update.update_id, conn)
    await services.flush()


async def on_member_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A user blocked the bot (staff of their open tickets are told at once) or unblocked
    it (replies reach them again)."""
    services = services_of(context)
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    if status == "kicked":
        services.tickets.on_blocked(change.chat.id)
    elif status == "member" and services.tickets.has_blocked(change.chat.id):
        services.tickets.on_unblocked(change.chat.id)
    await services.flush()


async def on_user_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before the handlers: a user whose tickets were marked blocked wrote again, so they
    unblocked the bot (Telegram tells a bot nothing else when the update is missed)."""
    services = services_of(context)
    chat = update.effective_chat
    if chat is None or chat.type != "private" or update.my_chat_member is not None:
        return
    if services.tickets.has_blocked(chat.id):
        services.tickets.on_unblocked(chat.id)
        await services.flush()


async def _act(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ticket: Ticket | None, action: str, arg: str
) -> None:
    services = services_of(context)
    chat = update.effective_chat
    assert chat is not None
    with services.store.transaction():
        if services.store.already_handled(update.update_id):
            return
        if ticket is None:
            outcome = T("That ticket is not handled in this chat.")
        else:
            outcome = services.tickets.act(chat.id, ticket.id, action, _staff_name(update), arg)
        services.store.mark_handled(update.update_id)
    await _say(context, chat.id, Reply("handoff").add(outcome), f"act:{update.update_id}")
    await services.flush()


async def on_ticket_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    query = update.callback_query
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        # Forged or misplaced staff data: the same "menu expired" any stale button gets.
        await _answer(update)
        await run_dialogue(update, context, Tap(query.data or ""))
        return
    await _answer(update)
    if chat is None or not services.tickets.is_staff_chat(chat.id):
        return
    parts = (query.data or "").split("|")
    fields = parts[3].split(":") if len(parts) == 4 else []
    if len(fields) < 2 or fields[0] not in ACTIONS:
        return
    action, arg = fields[0], (fields[2] if len(fields) > 2 else "")
    # An odd id is no ticket of this chat: said politely, like any other.
    ticket = services.tickets.get(int(fields[1])) if TICKET_ID.fullmatch(fields[1]) else None
    await _act(update, context, ticket, action, arg)


async def _answer(update: Update) -> None:
    try:
        await update.callback_query.answer()
    except TelegramError as error:  # an old query can no longer be answered: carry on
        log.info("callback answer failed: %s", type(error).__name__)


async def on_staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/claim, /close, /reopen, /transfer <desk>: as a reply to a ticket's message, or with
    the ticket's reference first (``/close CP-ABCDE``)."""
    services = services_of(context)
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not services.tickets.is_staff_chat(chat.id):
        return
    action = (message.text or "").split()[0].lstrip("/").split("@")[0].lower()
    args = list(context.args or [])
    ticket = _replied_ticket(context, message)
    if args and args[0].upper().startswith("CP-"):
        ticket = services.tickets.by_ref(args.pop(0))
    arg = args[0].lower() if args else ""
    if action == "transfer" and services.tickets.desks.get(arg) is None:
        desks = ", ".join(d.id for d in services.tickets.desks.desks)
        note = T("Choose another desk.")
        reply = Reply("handoff").add(
            note, Verbatim(f"/transfer CP-XXXXX <{desks.replace(', ', '|')}>")
        )
        await _say(context, chat.id, reply, f"act:{update.update_id}")
        return
    await _act(update, context, ticket, action, arg)


async def on_tickets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    chat = update.effective_chat
    if chat is None or not services.tickets.is_staff_chat(chat.id):
        return
    tickets = services.tickets.open_tickets(chat.id)
    reply = Reply("handoff").add(title("Open enquiries: {count}", count=len(tickets)))
    for ticket in tickets[:40]:
        reply.add(
            T(
                "{ref} · {desk} · {status} · {name} · {topic}",
                ref=Verbatim(ticket.ref),
                desk=Local(ticket.desk.name),
                status=_status(ticket),
                name=Verbatim(ticket.details.get("name", "")),
                topic=Verbatim(ticket.details.get("topic", "")[:60]),
            )
        )
    await _say(context, chat.id, reply, f"list:{update.update_id}")


def _status(ticket: Ticket) -> Msg | Verbatim:
    """The status in the desk's language, with who claimed it."""
    name = STATUS_NAMES.get(ticket.status, Verbatim(ticket.status))
    if not ticket.claimed_by:
        return name
    return T("{status} ({who})", status=name, who=Verbatim(ticket.claimed_by))


async def remind_unclaimed(context: ContextTypes.DEFAULT_TYPE) -> None:
    services = context.application.bot_data["services"]
    seconds = services.settings.unclaimed_reminder_minutes * 60
    if seconds > 0 and services.tickets.remind_unclaimed(seconds):
        await services.flush()


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
