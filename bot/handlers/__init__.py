"""Telegram handlers: thin adapters from updates to the core's dialogue.

Order matters: staff chats and inline queries first, then private-chat commands, buttons
and messages. Updates of other kinds (channel posts, group chatter, member changes) match
no handler and are ignored on purpose.
"""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    from bot.handlers import buttons, commands, errors, inline, messages, staff

    staff.register(app)
    inline.register(app)
    commands.register(app)
    buttons.register(app)
    messages.register(app)
    errors.register(app)
