"""Builds the python-telegram-bot ``Application`` that every entry runs: Telegram (real
HTTP), the console chat and ``ask`` (an in-process Bot API). Only the request backend
differs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings
from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue
from bot.core.outbox import Inbox, Outbox
from bot.core.reply import Reply, T
from bot.core.rules import load_rulebook
from bot.delivery import InboxRequest, Sender, register_inbox, replay_inbox
from bot.render import value_text
from bot.store import Store

log = logging.getLogger(__name__)

Observer = Callable[[int, list[tuple[Reply, str]]], None]


@dataclass
class Services:
    """What the handlers share: the core and its storage. Built once per process."""

    settings: Settings
    store: Store
    outbox: Outbox
    dialogue: Dialogue
    kb: Any = None
    tickets: Any = None
    sender: Sender | None = None
    observers: list[Observer] = field(default_factory=list)

    async def flush(self, chat_id: int | None = None) -> None:
        if self.sender is not None:
            await self.sender.flush(chat_id)


def open_knowledge(settings: Settings) -> Any:
    from bot.core.knowledge_base import KnowledgeBase

    return KnowledgeBase.open(settings.kb_path)


def build_services(settings: Settings, store: Store | None = None) -> Services:
    store = store or Store(settings.db_path)
    rulebook = load_rulebook()
    desks = load_desks().with_phones(settings.desk_phones)
    kb = open_knowledge(settings)
    dialogue = Dialogue(rulebook, desks, settings.rules_date, kb)
    services = Services(settings, store, Outbox(store), dialogue, kb)
    from bot.core.tickets import TicketDesk

    services.tickets = TicketDesk(store, services.outbox, desks, settings.staff_chats)
    dialogue.tickets = services.tickets
    warm_up(services)
    return services


def warm_up(services: Services) -> None:
    """Load lazily built tables now, so the first user does not wait for them."""
    from bot.core import places
    from bot.core.understand import signal_table
    from bot.i18n import LOCALES, catalog

    places.find_place("東莞")
    signal_table()
    for locale in LOCALES:
        catalog(locale)
    if services.kb is not None:
        services.kb.unit("")


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of one chat in order; different chats concurrently."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = getattr(update, "effective_chat", None)
        key = chat.id if chat is not None else 0
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                await coroutine
        finally:
            if not lock.locked() and not getattr(lock, "_waiters", None):
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


COMMANDS = (
    ("start", T("Main menu")),
    ("help", T("What I can do")),
    ("lang", T("Language")),
    ("caps", T("Subsidy caps")),
    ("hotline", T("Hotline numbers")),
    ("cancel", T("Stop what we are doing")),
    ("cancel_request", T("Close my enquiry")),
    ("privacy", T("What data I keep")),
    ("forget", T("Delete my personal data")),
)


def command_list(locale: str) -> list[BotCommand]:
    return [BotCommand(name, value_text(description, locale)) for name, description in COMMANDS]


async def publish_commands(app: Application) -> None:
    """The command menu per language: Telegram has one ``zh`` code for both scripts, so
    ``zh`` gets Traditional and chats that chose Simplified get theirs per chat."""
    try:
        await app.bot.set_my_commands(command_list("en"), scope=BotCommandScopeDefault())
        await app.bot.set_my_commands(command_list("zh_Hant_HK"), language_code="zh")
    except Exception:  # the menu is a nicety; the bot works without it
        log.warning("could not publish the command menu", exc_info=True)


def build_application(
    services: Services,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> Application:
    from bot import handlers

    settings = services.settings
    builder: ApplicationBuilder = (
        Application.builder()
        .token(settings.token or "0:LOCAL")
        .base_url(settings.api_url)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if request is not None:
        builder = builder.request(request)
    # Updates are committed to the inbox before Telegram can forget them (bot.delivery).
    inbox = Inbox(services.store)
    polling = get_updates_request or request or HTTPXRequest(connection_pool_size=1)
    builder = builder.get_updates_request(InboxRequest(polling, inbox))
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=0))

    async def post_init(app: Application) -> None:
        services.sender = Sender(
            app.bot, services.outbox, on_sent=services.tickets.on_sent,
            on_blocked=services.tickets.on_blocked, is_staff_chat=services.tickets.is_staff_chat,
        )
        await replay_inbox(app, inbox)
        services.sender.start()

    async def post_shutdown(app: Application) -> None:
        if services.sender is not None:
            await services.sender.stop()

    builder = builder.post_init(post_init).post_shutdown(post_shutdown)
    app = builder.build()
    app.bot_data["services"] = services
    handlers.register(app)
    register_inbox(app, inbox)
    return app
