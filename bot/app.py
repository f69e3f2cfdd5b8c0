"""Builds the python-telegram-bot ``Application`` that every entry runs: Telegram (real
HTTP), the console chat and ``ask`` (an in-process Bot API). Only the request backend
differs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    ContextTypes,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue
from bot.core.reply import Reply, T
from bot.core.rules import load_rulebook
from bot.delivery import (
    SEND_POOL,
    InboxBot,
    InboxGuard,
    InboxQueue,
    InboxRequest,
    JsonRequest,
    RateLimit,
    Sender,
    replay_inbox,
    supervise,
)
from bot.handlers.postbox import OutboxPostbox, on_sent_notice
from bot.i18n import check_locale
from bot.outbox import Inbox, Outbox, OutboxRow, prune
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
    staff: Any = None  # bot.core.tickets.staff.StaffFlow
    sender: Sender | None = None
    observers: list[Observer] = field(default_factory=list)

    async def flush(self, chat_id: int | None = None, claimed: Sequence[OutboxRow] = ()) -> None:
        if self.sender is not None:
            await self.sender.flush(chat_id, claimed)


def open_knowledge(settings: Settings) -> Any:
    from bot.core.knowledge_base import KnowledgeBase

    return KnowledgeBase.open(settings.kb_path)


def build_services(settings: Settings, store: Store | None = None) -> Services:
    # The bot's own database is held by one process at a time (bot.store).
    store = store or Store(settings.db_path, exclusive=True, busy_timeout=settings.db_busy_timeout)
    rulebook = load_rulebook()
    desks = load_desks().with_phones(settings.desk_phones)
    kb = open_knowledge(settings)
    dialogue = Dialogue(rulebook, desks, settings.rules_date, kb)
    services = Services(settings, store, Outbox(store), dialogue, kb)
    from bot.core.tickets import TicketDesk
    from bot.core.tickets.staff import StaffFlow

    services.tickets = TicketDesk(
        store, OutboxPostbox(services.outbox), desks, settings.staff_chats
    )
    services.staff = StaffFlow(services.tickets)
    dialogue.tickets = services.tickets
    warm_up(services)
    return services


def ticket_sender(bot: Any, services: Services) -> Sender:
    """The sender of the outbox's calls through ``bot``, telling the ticket desk what
    reached staff (in the transaction that marks it sent), which staff group moved (in
    the one that moves its rows), and who blocked the bot (an event like any other)."""
    from bot.core.tickets.staff import UserBlocked
    from bot.engine import ChatRef, handle_event

    return Sender(
        bot,
        services.outbox,
        on_sent=on_sent_notice(services.tickets.on_delivered),
        on_blocked=lambda chat_id: handle_event(services, ChatRef(chat_id), UserBlocked(chat_id)),
        is_staff_chat=services.tickets.is_staff_chat,
        on_migrated=services.tickets.migrate_chat,
    )


# One message of each kind, in the three languages, answered once at start and thrown away.
WARM_UP_MESSAGES = (
    "hello",
    "我喺東莞有間廠，可唔可以申請？",
    "Demonstration project costing HK$600,000",
    "空压机经常漏气怎么办",
)


class _ThrowAway(Exception):
    """Rolls the warm-up's transaction back."""


def warm_up(services: Services) -> None:
    """Load lazily built tables now, so the first user does not wait for them: the first
    answers after a start took up to 250 ms more (the FAQ matcher, the synonyms, the
    owner and country tables, modules imported on first use)."""
    from bot.core import places
    from bot.core.dialogue import TextIn
    from bot.core.session import Session
    from bot.core.understand import signal_table
    from bot.i18n import LOCALES, catalog
    from bot.render import render_text

    places.find_place("東莞")
    signal_table()
    for locale in LOCALES:
        catalog(locale)
    if services.kb is not None:
        services.kb.unit("")
    with contextlib.suppress(_ThrowAway), services.store.transaction():
        for text in WARM_UP_MESSAGES:
            session = Session(chat_id=0)
            for reply in services.dialogue.handle(session, TextIn(text)):
                render_text(reply, check_locale(reply.locale or session.reply_locale(None)), True)
        raise _ThrowAway


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of one chat in order; different chats concurrently, and fairly.

    PTB's own limit is taken before this runs, so it is set far above anything reached
    (``UNBOUNDED``): a chat's backlog waits on its chat's lock without holding a slot, and
    the slots (``max_concurrent``) are taken only by updates whose turn has come. One user
    sending a thousand messages holds one slot, not all of them.

    An update whose handling failed and that the inbox wants tried again
    (``InboxGuard.retry_after``) is run again here, after a pause, still holding its chat's
    lock: the chat's later updates wait for it, other chats do not."""

    UNBOUNDED = 1_000_000

    def __init__(self, max_concurrent: int = 64) -> None:
        super().__init__(self.UNBOUNDED)
        self._slots = asyncio.Semaphore(max_concurrent)
        self._locks: dict[object, asyncio.Lock] = {}
        self.app: Application | None = None
        self.guard: InboxGuard | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _order_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                async with self._slots:
                    await coroutine
                await self._retries(update)
        finally:
            if not lock.locked() and not getattr(lock, "_waiters", None):
                self._locks.pop(key, None)

    async def _retries(self, update: object) -> None:
        if self.guard is None or self.app is None or not isinstance(update, Update):
            return
        while (delay := self.guard.retry_after.pop(update.update_id, None)) is not None:
            await asyncio.sleep(delay)
            async with self._slots:
                await self.app.process_update(update)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _order_key(update: object) -> object:
    """Whose updates must keep their order: the chat's; without a chat (inline queries),
    the user's; without either, one shared queue."""
    chat = getattr(update, "effective_chat", None)
    if chat is not None:
        return chat.id
    user = getattr(update, "effective_user", None)
    return ("user", user.id) if user is not None else 0


# Past this rate a user's messages are not read (ARCHITECTURE.md, "Fairness").
USER_BURST = 30
USER_PER_MINUTE = 30.0
FLOOD_NOTICE = T(
    "You are sending messages faster than I can read them, so I skipped the last ones. "
    "Please wait a minute, then send again what you need."
)


def flood_gate(services: Services, guard: InboxGuard, limit: RateLimit) -> TypeHandler:
    """Before the handlers: a private chat over its rate gets one notice, through the
    outbox, and its excess updates are marked done unanswered."""

    # An update run again after a database error keeps the verdict it had.
    noticing: set[int] = set()

    async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if not limit.enabled or chat is None or chat.type != "private":
            return
        if not (update.message or update.edited_message or update.callback_query):
            return
        verdict = "notice" if update.update_id in noticing else limit.check(chat.id)
        if verdict == "ok":
            return
        if verdict == "notice":
            log.info("chat %s is over the message rate; its excess is not read", chat.id)
            noticing.add(update.update_id)
            session = services.store.load_session(chat.id)
            text = value_text(FLOOD_NOTICE, check_locale(session.reply_locale(None)))
            with services.store.transaction() as conn:
                services.outbox.enqueue(
                    conn,
                    chat.id,
                    "sendMessage",
                    {"chat_id": chat.id, "text": text},
                    f"flood:{update.update_id}",
                )
                services.store.mark_handled(update.update_id, conn)
            noticing.discard(update.update_id)
            await services.flush(chat.id)
        await guard.finish(update.update_id)
        raise ApplicationHandlerStop

    return TypeHandler(Update, gate)


async def housekeeping(services: Services, every: float = 3600.0) -> None:
    """Prune the update ledger and spent rows (bot.outbox.prune) on a schedule."""
    while True:
        await asyncio.sleep(every)
        try:
            pruned = prune(services.store)
        except sqlite3.Error as error:
            log.warning("housekeeping: could not prune (%s)", error)
        else:
            log.info("housekeeping: pruned %s", pruned)


COMMANDS = (
    ("start", T("Main menu")),
    ("help", T("What I can do")),
    ("lang", T("Language")),
    ("caps", T("Subsidy caps")),
    ("hotline", T("Hotline numbers")),
    ("staff", T("Talk to a person")),
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
    # Updates are committed to the inbox before Telegram can forget them (bot.delivery).
    inbox = Inbox(services.store)
    guard = InboxGuard(inbox)
    polling = InboxRequest(
        get_updates_request or request or JsonRequest(connection_pool_size=1), inbox
    )
    bot = InboxBot(
        token=settings.token or "0:LOCAL",
        base_url=settings.api_url,
        request=request or JsonRequest(connection_pool_size=SEND_POOL),
        get_updates_request=polling,
        rate_limiter=AIORateLimiter(max_retries=0) if rate_limit else None,
        inbox_request=polling,
        guard=guard,
    )
    processor = PerChatUpdateProcessor()
    user_rate = RateLimit(USER_BURST, USER_PER_MINUTE)
    queue = InboxQueue(inbox)
    builder: ApplicationBuilder = (
        Application.builder().bot(bot).concurrent_updates(processor).update_queue(queue)
    )
    background: list[asyncio.Task[None]] = []

    async def post_init(app: Application) -> None:
        services.sender = ticket_sender(app.bot, services)
        # Polling runs updates through the processor, which can try one again in order;
        # Telegram's users are held to a rate (the console's one user is not).
        guard.retrying = user_rate.enabled = True
        await replay_inbox(app, inbox, guard)
        services.store.checkpoint_in_background()
        services.sender.start()
        task = asyncio.get_running_loop().create_task(housekeeping(services), name="housekeeping")
        supervise(task)
        background.append(task)

    async def post_shutdown(app: Application) -> None:
        for task in background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if services.sender is not None:
            await services.sender.stop()
        services.store.stop_background_checkpoint()

    builder = builder.post_init(post_init).post_shutdown(post_shutdown)
    app = builder.build()
    processor.app, processor.guard = app, guard
    app.bot_data["services"] = services
    app.bot_data["inbox_guard"] = guard
    app.bot_data["inbox_queue"] = queue
    handlers.register(app)
    guard.register(app)
    app.add_handler(flood_gate(services, guard, user_rate), -90)
    return app
