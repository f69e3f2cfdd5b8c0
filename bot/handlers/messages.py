"""Messages in private chats: text, shared locations and contacts, and everything the
bot cannot read (stickers, voice, photos, documents...), which gets a polite note unless
it comes with a caption, which is read as text."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.core.dialogue import ContactIn, LocationIn, OtherIn, TextIn
from bot.handlers.common import run_dialogue

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_dialogue(update, context, TextIn(update.effective_message.text or ""))


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    location = update.effective_message.location
    await run_dialogue(update, context, LocationIn(location.latitude, location.longitude))


async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    contact = update.effective_message.contact
    user = update.effective_user
    own = contact.user_id is not None and user is not None and contact.user_id == user.id
    name = " ".join(filter(None, (contact.first_name, contact.last_name)))
    await run_dialogue(update, context, ContactIn(contact.phone_number, name, own))


def kind_of(update: Update) -> str:
    message = update.effective_message
    for kind in (
        "voice",
        "video_note",
        "audio",
        "sticker",
        "photo",
        "video",
        "animation",
        "document",
        "poll",
        "dice",
        "game",
        "venue",
        "story",
    ):
        if message is not None and getattr(message, kind, None):
            return kind
    return "other"


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    caption = message.caption if message is not None else None
    if caption and caption.strip():
        # A photo of the factory with the question as its caption: the caption is text.
        await run_dialogue(update, context, TextIn(caption))
        return
    await run_dialogue(update, context, OtherIn(kind_of(update)))


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message is read as a new message: the user corrected what they meant."""
    message = update.edited_message
    if message is not None and message.text:
        await run_dialogue(update, context, TextIn(message.text))


def register(app: Application) -> None:
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_unknown_command))
    app.add_handler(MessageHandler(PRIVATE & filters.LOCATION & ~filters.VENUE, on_location))
    app.add_handler(MessageHandler(PRIVATE & filters.CONTACT, on_contact))
    app.add_handler(MessageHandler(PRIVATE, on_other))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE, on_edited)
    )


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.core.dialogue import CommandIn

    text = update.effective_message.text or ""
    await run_dialogue(update, context, CommandIn(text.split()[0].lstrip("/")[:32], ""))
