"""Delivery in both directions, through python-telegram-bot, surviving crashes.

Out (``Sender``): the outbox is sent with Telegram's failure modes handled.

- 429 (``RetryAfter``): the row waits as long as Telegram asks, then goes again.
- network errors, time-outs, anything unexpected: exponential back-off, then again.
  A row is never given up for a passing error: it may carry an enquiry.
- 403 (``Forbidden``) from a user (they blocked the bot): the chat's queued rows are dropped
  and ``on_blocked`` tells the ticket side; the rest of the outbox does not stall.
  From a staff chat (the bot was removed), the rows wait and are tried again later.
- 400 (``BadRequest``): the row can never succeed; it is marked dead and logged.

In (``InboxRequest`` and ``register_inbox``): every update ``getUpdates`` returns is stored
before PTB sees it, claimed by the first copy handled, and replayed after a restart if the
process died before handling it (see ``bot.core.outbox.Inbox``).

Logs name rows, chats and methods, never message text or parameters: those hold phone
numbers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData
from telegram.warnings import PTBUserWarning

from bot.core.outbox import Inbox, Outbox, OutboxRow

log = logging.getLogger(__name__)
# Rows are stored as raw Bot API calls, so they go through do_api_request on purpose.
warnings.filterwarnings("ignore", message="Please use 'Bot", category=PTBUserWarning)

# How long rows for a staff chat that refuses the bot wait before the next try.
STAFF_CHAT_RETRY = 300.0
MAX_BACKOFF = 300.0
# Sends in flight at once from the background loop (different chats).
MAX_IN_FLIGHT = 32

OnSent = Callable[[Any, OutboxRow, int | None], None]


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF, 0.5 * 2 ** max(0, attempts - 1))


def _seconds(error: RetryAfter) -> float:
    # ``retry_after`` is an int until PTB makes it a timedelta; read whichever is there
    # without the deprecation warning (AIORateLimiter reads it the same way).
    value = getattr(error, "_retry_after", None) or error.retry_after
    return float(getattr(value, "total_seconds", lambda: value)())


def _error_text(error: BaseException) -> str:
    """An error for the outbox's ``error`` column: its type and Telegram's description."""
    return f"{type(error).__name__}: {getattr(error, 'message', '')}"[:300]


class Sender:
    def __init__(
        self,
        bot: Bot,
        outbox: Outbox,
        on_sent: OnSent | None = None,
        on_blocked: Callable[[int], None] | None = None,
        is_staff_chat: Callable[[int], bool] = lambda chat_id: False,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.on_sent = on_sent
        self.on_blocked = on_blocked
        self.is_staff_chat = is_staff_chat
        self.wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()

    async def flush(self, chat_id: int | None = None) -> None:
        """Send every due row (of one chat, or all), in order per chat. A flush for one
        chat wakes the background loop too: the same update may have queued rows for
        others (a user's message relayed to a staff chat)."""
        if chat_id is None and self._task is not None:
            self.kick()  # the background loop sends everything, chats side by side
            return
        while rows := self.outbox.claim(chat_id):
            for row in rows:
                await self.send(row)
        if chat_id is not None:
            self.kick()

    def _dispatch(self) -> None:
        """Start sending every due row, each chat in its own task: a chat held back by a
        flood limit (a busy staff group) must not hold back everyone else's replies. The
        claim gives at most one row per chat, so each chat's order is kept."""
        while (room := MAX_IN_FLIGHT - len(self._sending)) > 0:
            rows = self.outbox.claim(None, limit=room)
            if not rows:
                return
            for row in rows:
                task = asyncio.get_running_loop().create_task(self._send_then_wake(row))
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)

    async def _send_then_wake(self, row: OutboxRow) -> None:
        await self.send(row)
        self.kick()  # the chat's next row, if any, is due now

    async def send(self, row: OutboxRow) -> None:
        try:
            result = await self.bot.do_api_request(row.method, api_kwargs=row.params)
        except RetryAfter as error:
            self.outbox.retry(row, _seconds(error), f"429: {error.message}")
            self.kick()
        except Forbidden as error:
            self._refused(row, error)
        except BadRequest as error:
            if "chat not found" in error.message.lower() and self.is_staff_chat(row.chat_id):
                self._refused(row, error)
                return
            log.error("outbox row %s (%s) refused: %s", row.id, row.method, _error_text(error))
            self.outbox.dead(row, f"400: {error.message}")
        except TelegramError as error:  # network errors, time-outs, 5xx, chat migrated
            log.info(
                "outbox row %s (%s) will be retried: %s", row.id, row.method, type(error).__name__
            )
            self.outbox.retry(row, backoff(row.attempts), _error_text(error))
            self.kick()
        except Exception as error:  # a bug must not leave the row 'sending' and stall its chat
            log.exception("outbox row %s (%s) failed", row.id, row.method)
            self.outbox.retry(row, backoff(row.attempts), _error_text(error))
        else:
            message_id = result.get("message_id") if isinstance(result, dict) else None
            self.outbox.sent(row, message_id, self.on_sent)

    def _refused(self, row: OutboxRow, error: TelegramError) -> None:
        if self.is_staff_chat(row.chat_id):
            # Staff must get every enquiry: wait for an operator to add the bot back.
            log.error(
                "staff chat %s refuses the bot (%s); retrying", row.chat_id, _error_text(error)
            )
            self.outbox.retry(row, STAFF_CHAT_RETRY, _error_text(error))
            return
        log.info("chat %s cannot receive: %s", row.chat_id, type(error).__name__)
        self.outbox.drop_chat(row.chat_id, _error_text(error))
        if self.on_blocked:
            self.on_blocked(row.chat_id)

    def kick(self) -> None:
        self.wake.set()

    async def run(self) -> None:
        """Deliver forever: at start (what a crash left), whenever kicked, and when due."""
        while True:
            try:
                self._dispatch()
            except Exception:  # a broken row must not stop deliveries for everyone
                log.exception("outbox flush failed")
            due = self.outbox.next_due()
            timeout = 5.0 if due is None else max(0.05, min(5.0, due - time.time()))
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._sending:  # let sends in flight finish, so their rows are marked
            await asyncio.wait(set(self._sending), timeout=5)


# --- in: updates are stored before Telegram forgets them ---------------------------------


class InboxRequest(BaseRequest):
    """Wraps the request used for ``getUpdates``: the updates of each answer are committed
    to the inbox before PTB gets them, so before the next call confirms them to Telegram."""

    def __init__(self, inner: BaseRequest, inbox: Inbox) -> None:
        self.inner = inner
        self.inbox = inbox

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, payload = await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if status == 200 and url.rsplit("/", 1)[-1].lower() == "getupdates":
            updates = _updates_in(payload)
            if updates:
                self.inbox.keep(updates)
        return status, payload


def _updates_in(payload: bytes) -> list[dict[str, Any]]:
    try:
        envelope = json.loads(payload)
    except ValueError:
        return []
    result = envelope.get("result") if isinstance(envelope, dict) else None
    if not isinstance(result, list):
        return []
    return [u for u in result if isinstance(u, dict) and isinstance(u.get("update_id"), int)]


def register_inbox(app: Application, inbox: Inbox) -> None:
    """First and last handler groups: each stored update is handled once, then marked done."""

    async def claim(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not inbox.claim(update.update_id):
            raise ApplicationHandlerStop  # another copy of this update is (or was) handled

    async def done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inbox.done(update.update_id)

    app.add_handler(TypeHandler(Update, claim), group=-100)
    app.add_handler(TypeHandler(Update, done), group=100)


async def replay_inbox(app: Application, inbox: Inbox) -> int:
    """Queue the updates a killed process received but never handled (call before start)."""
    inbox.prune()
    updates = inbox.unfinished()
    for data in updates:
        update = Update.de_json(data, app.bot)
        if update is not None:
            await app.update_queue.put(update)
    if updates:
        log.info("replaying %d update(s) received before a restart", len(updates))
    return len(updates)
