"""Sends the outbox through python-telegram-bot, with Telegram's failure modes handled.

- 429 (``RetryAfter``): the row waits as long as Telegram asks, then goes again.
- network errors and time-outs: exponential back-off, then again.
- 403 (``Forbidden``, the user blocked the bot): the chat's queued rows are dropped and
  ``on_blocked`` tells the ticket side; the rest of the outbox does not stall.
- 400 (``BadRequest``): the row can never succeed; it is marked dead and logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBUserWarning

from bot.core.outbox import Outbox, OutboxRow

log = logging.getLogger(__name__)
# Rows are stored as raw Bot API calls, so they go through do_api_request on purpose.
warnings.filterwarnings("ignore", message="Please use 'Bot", category=PTBUserWarning)


def backoff(attempts: int) -> float:
    return min(60.0, 0.5 * 2 ** max(0, attempts - 1))


def _seconds(retry_after: Any) -> float:
    return float(getattr(retry_after, "total_seconds", lambda: retry_after)())


class Sender:
    def __init__(
        self,
        bot: Bot,
        outbox: Outbox,
        on_sent: Callable[[OutboxRow, int | None], None] | None = None,
        on_blocked: Callable[[int], None] | None = None,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.on_sent = on_sent
        self.on_blocked = on_blocked
        self.wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def flush(self, chat_id: int | None = None) -> None:
        """Send every due row (of one chat, or all), in order per chat."""
        while rows := self.outbox.claim(chat_id):
            for row in rows:
                await self.send(row)

    async def send(self, row: OutboxRow) -> None:
        try:
            result = await self.bot.do_api_request(row.method, api_kwargs=row.params)
        except RetryAfter as error:
            self.outbox.retry(row, _seconds(error.retry_after), f"429: {error}")
            self.kick()
        except Forbidden as error:
            log.info("chat %s cannot receive: %s", row.chat_id, error)
            self.outbox.drop_chat(row.chat_id, f"403: {error}")
            if self.on_blocked:
                self.on_blocked(row.chat_id)
        except BadRequest as error:
            log.error("outbox row %s (%s) refused: %s", row.id, row.method, error)
            self.outbox.dead(row.id, f"400: {error}")
        except (TimedOut, NetworkError) as error:
            self.outbox.retry(row, backoff(row.attempts), f"network: {error}")
            self.kick()
        else:
            message_id = result.get("message_id") if isinstance(result, dict) else None
            self.outbox.sent(row.id, message_id)
            if self.on_sent:
                self.on_sent(row, message_id)

    def kick(self) -> None:
        self.wake.set()

    async def run(self) -> None:
        """Deliver forever: at start (what a crash left), whenever kicked, and when due."""
        while True:
            try:
                await self.flush()
            except Exception:  # a broken row must not stop deliveries for everyone
                log.exception("outbox flush failed")
            due = self.outbox.next_due()
            timeout = 5.0 if due is None else max(0.05, min(5.0, due - _now()))
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


def _now() -> float:
    import time

    return time.time()
