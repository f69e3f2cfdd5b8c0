"""Staff chats (``STAFF_CHATS``): replies to a ticket's messages go to its user; ticket
buttons claim, close, reopen and transfer; /tickets lists the open ones. Anything from a
chat that is not a staff chat is ignored here on purpose."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.reply import Local, Reply, T, Verbatim, title
from bot.handlers.common import services_of
from bot.render import render_text

GROUPS = filters.ChatType.GROUPS


def _staff_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "staff"
    return user.full_name or (user.username or str(user.id))


async def _say(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, key: str) -> None:
    services = services_of(context)
    tickets = services.tickets
    locale = tickets.desks.default.languages[0]
    with services.store.transaction() as conn:
        services.outbox.enqueue(
            conn, chat_id, "sendMessage",
            {"chat_id": chat_id, "text": render_text(reply, locale, True), "parse_mode": "HTML"},
            key,
        )
    await services.flush(chat_id)


async def on_staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not services.tickets.is_staff_chat(chat.id):
        return
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return  # staff talking among themselves
    tickets = services.tickets
    with services.store.transaction():
        if services.store.already_handled(update.update_id):
            return
        ticket = tickets.ticket_for_staff_message(chat.id, replied.message_id)
        outcome = None
        if ticket is not None and tickets.may_act(chat.id, ticket):
            outcome = tickets.staff_reply(chat.id, message.message_id, message.text or message.caption or "", ticket)
        services.store.mark_handled(update.update_id)
    if ticket is None or outcome is None:
        return
    if outcome != "sent":
        note = {
            "closed": T("{ref} is closed; reopen it to reply.", ref=Verbatim(ticket.ref)),
            "forgotten": T("{ref}: the user asked to be forgotten; replies cannot reach them.", ref=Verbatim(ticket.ref)),
        }[outcome]
        await _say(context, chat.id, Reply("handoff").add(note), f"note:{update.update_id}")
        return
    if ticket.chat_id is not None:
        await services.flush(ticket.chat_id)


async def on_ticket_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    query = update.callback_query
    chat = update.effective_chat
    await query.answer()
    if chat is None or not services.tickets.is_staff_chat(chat.id):
        return
    parts = (query.data or "").split("|")
    fields = parts[3].split(":") if len(parts) == 4 else []
    if len(fields) < 2 or not fields[1].isdigit():
        return
    action, ticket_id, arg = fields[0], int(fields[1]), (fields[2] if len(fields) > 2 else "")
    with services.store.transaction():
        outcome = services.tickets.act(chat.id, ticket_id, action, _staff_name(update), arg)
    await _say(context, chat.id, Reply("handoff").add(outcome), f"act:{update.update_id}")
    await services.flush()


async def on_tickets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    chat = update.effective_chat
    if chat is None or not services.tickets.is_staff_chat(chat.id):
        return
    tickets = services.tickets.open_tickets(chat.id)
    reply = Reply("handoff").add(title("Open enquiries: {count}", count=len(tickets)))
    for ticket in tickets[:40]:
        reply.add(T("{ref} · {desk} · {status} · {name} · {topic}",
                    ref=Verbatim(ticket.ref), desk=Local(ticket.desk.name),
                    status=Verbatim(ticket.status + (f" ({ticket.claimed_by})" if ticket.claimed_by else "")),
                    name=Verbatim(ticket.details.get("name", "")),
                    topic=Verbatim(ticket.details.get("topic", "")[:60])))
    await _say(context, chat.id, reply, f"list:{update.update_id}")


async def remind_unclaimed(context: ContextTypes.DEFAULT_TYPE) -> None:
    services = context.application.bot_data["services"]
    minutes = services.settings.unclaimed_reminder_minutes
    if services.tickets.remind_unclaimed(minutes * 60):
        await services.flush()


def register(app: Application) -> None:
    app.add_handler(CommandHandler("tickets", on_tickets, filters=GROUPS))
    app.add_handler(CallbackQueryHandler(on_ticket_button, pattern=r"^v1\|0\|ticket\|"))
    app.add_handler(MessageHandler(GROUPS & filters.REPLY & ~filters.COMMAND, on_staff_message))
    if app.job_queue is not None:
        app.job_queue.run_repeating(remind_unclaimed, interval=60, first=60, name="unclaimed")


