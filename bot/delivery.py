"""Delivery in both directions, through python-telegram-bot, surviving crashes and a
database that fails for a while.

Out (``Sender``): the outbox is sent with Telegram's failure modes handled.

- 429 (``RetryAfter``): the row waits as long as Telegram asks, then goes again.
- network errors, time-outs, anything unexpected: exponential back-off, then again.
  A row is never given up for a passing error: it may carry an enquiry.
- 403 (``Forbidden``) from a user (they blocked the bot): the chat's queued rows are dropped
  and ``on_blocked`` tells the ticket side; the rest of the outbox does not stall.
  From a staff chat (the bot was removed), the rows wait and are tried again later.
- a group upgraded to a supergroup (``ChatMigrated``): the chat's rows move to the new id
  and ``on_migrated`` tells the ticket side, which routes to it from then on.
- 400 (``BadRequest``): the row can never succeed; it is marked dead and logged.

Whatever happened is then written to the outbox ("settled"). A write that fails (the
database locked by another process, a full disk) is kept and tried again by the running
process until it succeeds: the row stays ``sending`` meanwhile, which holds back only its
own chat, and is never sent twice for it.

In (``InboxRequest``, ``InboxBot``, ``InboxGuard``): every update ``getUpdates`` returns is
stored before PTB sees it, claimed by the first copy handled, marked done after, and
replayed after a restart if the process died before handling it (``bot.outbox.Inbox``).
An update PTB cannot parse is set aside at once; one whose handlers fail is tried again a
bounded number of times, in its chat's order, then set aside.

Logs name rows, chats and methods, never message text or parameters: those hold phone
numbers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import select
import socket
import sqlite3
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx
from telegram import Bot, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, ExtBot, TypeHandler
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.warnings import PTBUserWarning

from bot import jsontext
from bot.outbox import CLOCK, MAX_HANDLING_TRIES, Inbox, Outbox, OutboxRow

log = logging.getLogger(__name__)
# Rows are stored as raw Bot API calls, so they go through do_api_request on purpose.
warnings.filterwarnings("ignore", message="Please use 'Bot", category=PTBUserWarning)

# How long rows for a staff chat that refuses the bot wait before the next try.
STAFF_CHAT_RETRY = 300.0
MAX_BACKOFF = 300.0
# Sends the background loop has going at once (different chats). A send may wait in the
# rate limiter (a busy staff group) without holding a connection, so this is more than
# the pool: a chat held back must not hold back everyone else's replies.
MAX_IN_FLIGHT = 16
# HTTP requests at once, and connections, for every Bot API call but polling: the loop's
# sends, the handlers' (an answer's parts, callback and inline answers, menus). Telegram
# takes about 30 messages a second in all; 8 connections carry that at 250 ms a call.
# More would only lengthen httpcore's scan of its pool on every request.
SEND_POOL = 8
# Writes the database refused are tried again after these many seconds, at most.
MAX_WRITE_BACKOFF = 30.0
# An outcome whose record keeps failing for a reason other than the database (a bug in
# a callback) is recorded without the callback after this many tries, so its chat goes on.
MAX_SETTLE_TRIES = 3
# Pauses before a failed update is handled again (its second and third tries).
HANDLING_RETRY_DELAYS = (1.0, 5.0)

OnSent = Callable[[Any, OutboxRow, int | None], None]
OnMigrated = Callable[[sqlite3.Connection, int, int], None]
Write = Callable[[], None]


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF, 0.5 * 2 ** max(0, attempts - 1))


def write_backoff(tries: int) -> float:
    return min(MAX_WRITE_BACKOFF, 0.5 * 2 ** max(0, tries - 1))


def _seconds(error: RetryAfter) -> float:
    # ``retry_after`` is an int until PTB makes it a timedelta; read whichever is there
    # without the deprecation warning (AIORateLimiter reads it the same way).
    value = getattr(error, "_retry_after", None) or error.retry_after
    return float(getattr(value, "total_seconds", lambda: value)())


def _error_text(error: BaseException) -> str:
    """An error for the outbox's ``error`` column: its type and Telegram's description."""
    return f"{type(error).__name__}: {getattr(error, 'message', '')}"[:300]


def describe(error: BaseException) -> str:
    """An error's type and the line that raised it, without its message: a message may
    quote what a user wrote (``int('...')``), and these go to logs and dead letters."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    where = "/".join(last.filename.replace("\\", "/").split("/")[-2:])
    return f"{type(error).__name__} at {where}:{last.lineno} in {last.name}"


def supervise(task: asyncio.Task[Any]) -> None:
    """Log a background task's failure when it ends, instead of asyncio's "Task exception
    was never retrieved" at garbage collection."""

    def report(done: asyncio.Task[Any]) -> None:
        if not done.cancelled() and done.exception() is not None:
            error = done.exception()
            assert error is not None
            log.error("background task %s failed: %s", done.get_name(), describe(error))

    task.add_done_callback(report)


async def keep_trying(write: Write, what: str) -> None:
    """Run ``write`` until the database takes it: the running process owns the outcome and
    must record it; a database that stays unwritable ends the process (bot.telegram_main)."""
    tries = 0
    while True:
        try:
            write()
        except sqlite3.Error as error:
            tries += 1
            if tries == 1:
                log.warning("%s: the database refused a write (%s); retrying", what, error)
            await asyncio.sleep(write_backoff(tries))
        else:
            if tries:
                log.info("%s: written after %d retries", what, tries)
            return


@dataclass
class _Unsettled:
    row: OutboxRow
    write: Write
    fallback: Write | None
    what: str
    tries: int = 1
    due: float = 0.0


class Sender:
    def __init__(
        self,
        bot: Bot,
        outbox: Outbox,
        on_sent: OnSent | None = None,
        on_blocked: Callable[[int], None] | None = None,
        is_staff_chat: Callable[[int], bool] = lambda chat_id: False,
        on_migrated: OnMigrated | None = None,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.on_sent = on_sent
        self.on_blocked = on_blocked
        self.is_staff_chat = is_staff_chat
        self.on_migrated = on_migrated
        self.wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()
        self._unsettled: dict[int, _Unsettled] = {}
        self._claim_failures = 0
        self._stopping = False

    async def flush(self, chat_id: int | None = None, claimed: Sequence[OutboxRow] = ()) -> None:
        """Send every due row (of one chat, or all), in order per chat, starting with
        ``claimed`` (rows the caller already claimed for this chat). A flush for one
        chat wakes the background loop when there is more for it to do: rows queued for
        other chats (a user's message relayed to a staff chat), or a row of this chat
        that did not go (its retry must be timed)."""
        self._settle_due()
        if chat_id is None and self._task is not None and not claimed:
            self.kick()  # the background loop sends everything, chats side by side
            return
        all_sent = True
        rows = list(claimed) or self._claim(chat_id, 20)
        while rows:
            for row in rows:
                all_sent = await self.send(row) == "sent" and all_sent
            rows = self._claim(chat_id, 20)
        if chat_id is None:
            return
        # Waking the loop for nothing costs as much as a small answer (bench/RESULTS.md);
        # the loop also wakes by itself within seconds, so a missed hint only delays.
        others = self.outbox.take_queued_chats() - {chat_id}
        if others or not all_sent or self._unsettled:
            self.kick()

    def _claim(self, chat_id: int | None, limit: int) -> list[OutboxRow]:
        try:
            rows = self.outbox.claim(chat_id, limit=limit)
        except sqlite3.Error as error:  # nothing changed: the rows are still pending
            self._claim_failures += 1
            if self._claim_failures == 1:
                log.warning("outbox: cannot claim rows (%s); retrying", error)
            return []
        if self._claim_failures:
            log.info("outbox: claiming rows again after %d failures", self._claim_failures)
            self._claim_failures = 0
        return rows

    def _dispatch(self) -> None:
        """Start sending every due row, each chat in its own task: a chat held back by a
        flood limit (a busy staff group) must not hold back everyone else's replies. The
        claim gives at most one row per chat, so each chat's order is kept."""
        self.outbox.take_queued_chats()  # a claim of every chat covers them
        while (room := MAX_IN_FLIGHT - len(self._sending)) > 0:
            rows = self._claim(None, room)
            if not rows:
                return
            for row in rows:
                task = asyncio.get_running_loop().create_task(
                    self._send_then_wake(row), name=f"outbox row {row.id}"
                )
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)
                supervise(task)

    async def _send_then_wake(self, row: OutboxRow) -> None:
        await self.send(row)
        self.kick()  # the chat's next row, if any, is due now

    async def send(self, row: OutboxRow) -> str:
        """Send one row and record the outcome: "sent", "retried", "refused", "moved" or
        "dead"."""
        write, fallback, what = await self._attempt(row)
        self._settle(row, write, fallback, what)
        return what

    async def _attempt(self, row: OutboxRow) -> tuple[Write, Write | None, str]:
        """Send one row; what to write about it (and a fallback without callbacks)."""
        try:
            result = await self.bot.do_api_request(row.method, api_kwargs=row.params)
        except RetryAfter as error:
            wait, text = _seconds(error), f"429: {error.message}"
            return lambda: self.outbox.retry(row, wait, text), None, "retried"
        except Forbidden as error:
            return self._refused(row, error), None, "refused"
        except ChatMigrated as error:
            return self._migrated(row, error.new_chat_id), None, "moved"
        except BadRequest as error:
            if "chat not found" in error.message.lower() and self.is_staff_chat(row.chat_id):
                return self._refused(row, error), None, "refused"
            if row.method == "editMessageReplyMarkup":
                # buttons already gone, or the message too old to edit: nothing is lost
                log.info("outbox row %s: buttons not taken off: %s", row.id, error.message)
                return lambda: self.outbox.sent(row, None, None), None, "sent"
            log.error("outbox row %s (%s) refused: %s", row.id, row.method, _error_text(error))
            text = f"400: {error.message}"
            return lambda: self.outbox.dead(row, text), None, "dead"
        except TelegramError as error:  # network errors, time-outs, 5xx
            log.info(
                "outbox row %s (%s) will be retried: %s", row.id, row.method, type(error).__name__
            )
            delay, text = backoff(row.attempts), _error_text(error)
            return lambda: self.outbox.retry(row, delay, text), None, "retried"
        except Exception as error:  # a bug must not leave the row 'sending' and stall its chat
            log.exception("outbox row %s (%s) failed", row.id, row.method)
            delay, text = backoff(row.attempts), _error_text(error)
            return lambda: self.outbox.retry(row, delay, text), None, "retried"
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return (
            lambda: self.outbox.sent(row, message_id, self.on_sent),
            lambda: self.outbox.sent(row, message_id, None),
            "sent",
        )

    def _refused(self, row: OutboxRow, error: TelegramError) -> Write:
        text = _error_text(error)
        if self.is_staff_chat(row.chat_id):
            # Staff must get every enquiry: wait for an operator to add the bot back.
            log.error("staff chat %s refuses the bot (%s); retrying", row.chat_id, text)
            return lambda: self.outbox.retry(row, STAFF_CHAT_RETRY, text)
        log.info("chat %s cannot receive: %s", row.chat_id, type(error).__name__)

        def drop() -> None:
            # Both steps are idempotent, so a retry after the first succeeded is harmless.
            self.outbox.drop_chat(row.chat_id, text)
            if self.on_blocked:
                self.on_blocked(row.chat_id)

        return drop

    def _migrated(self, row: OutboxRow, new: int) -> Write:
        old = row.chat_id
        if old > 0:
            # A private chat never migrates: the group the row copies from did, and its
            # message has another id in the supergroup, so the copy cannot be remade.
            log.error("outbox row %s copies from a group that migrated; dropped", row.id)
            return lambda: self.outbox.dead(row, "source chat migrated")
        if self.on_migrated is None:
            log.warning("chat %s was upgraded to a supergroup: chat %s; following it", old, new)
        return lambda: self.outbox.migrated(row, old, new, self.on_migrated)

    def _settle(self, row: OutboxRow, write: Write, fallback: Write | None, what: str) -> None:
        try:
            write()
        except Exception as error:
            log.warning(
                "outbox row %s: could not record it %s (%s); retrying",
                row.id,
                what,
                type(error).__name__,
            )
            self._unsettled[row.id] = _Unsettled(
                row, write, fallback, what, due=time.monotonic() + write_backoff(1)
            )
            self.kick()

    def _settle_due(self) -> None:
        """Try again the records that failed; each success frees its chat's next row."""
        now = time.monotonic()
        for row_id, item in list(self._unsettled.items()):
            if item.due > now:
                continue
            try:
                item.write()
            except Exception as error:
                item.tries += 1
                item.due = now + write_backoff(item.tries)
                if (
                    not isinstance(error, sqlite3.Error)
                    and item.fallback is not None
                    and item.tries > MAX_SETTLE_TRIES
                ):
                    log.error(
                        "outbox row %s: recording it %s keeps failing (%s); recorded without "
                        "its follow-up",
                        row_id,
                        item.what,
                        describe(error),
                    )
                    item.write, item.fallback = item.fallback, None
                continue
            del self._unsettled[row_id]
            log.info("outbox row %s: recorded %s after %d tries", row_id, item.what, item.tries)
            self.kick()

    def _next_settle(self) -> float | None:
        return min((item.due for item in self._unsettled.values()), default=None)

    def kick(self) -> None:
        self.wake.set()

    async def run(self) -> None:
        """Deliver until stopped: at start (what a crash left), whenever kicked, and when
        due."""
        while not self._stopping:
            timeout = 5.0
            try:
                self._settle_due()
                self._dispatch()
                due = self.outbox.next_due()
                if due is not None:
                    timeout = min(timeout, due - CLOCK())
                settle = self._next_settle()
                if settle is not None:
                    timeout = min(timeout, settle - time.monotonic())
            except Exception as error:  # a broken row or database must not stop deliveries
                log.warning("outbox loop: %s; trying again shortly", describe(error))
            self.wake.clear()
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that
            # arrives as the event is set, and stop() would then wait forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.05, timeout)):
                    await self.wake.wait()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="outbox")
            supervise(self._task)

    async def stop(self) -> None:
        if self._task is not None:
            self._stopping = True
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            self._stopping = False
        if self._sending:  # let sends in flight finish, so their rows are marked
            await asyncio.wait(set(self._sending), timeout=5)
        self._settle_due()


# --- in: updates are stored before Telegram forgets them ---------------------------------


class _SocketKeepingStream(httpcore.AsyncNetworkStream):
    """A connection that keeps its socket at hand. Before every request, httpcore asks
    each idle connection in the pool whether its socket is readable (closed by the
    server); through anyio, each ask rebuilds a table of socket attributes, with a
    system call. Here it is one ``poll``.

    It also sends a request whole: httpcore writes a request's head and its body
    separately, two system calls (and two packets) where one does; a head that announces
    a body is held until the body comes, which httpcore writes next."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")
        self._head = b""

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self._head:
            buffer, self._head = self._head + buffer, b""
        elif _announces_body(buffer):
            self._head = buffer
            return
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        self._head = b""
        await self._inner.aclose()

    async def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _SocketKeepingStream(await self._inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


def _announces_body(buffer: bytes) -> bool:
    """Whether ``buffer`` is a whole request head with a body of known, non-zero length
    to follow (h11 frames a body of known length as exactly that many bytes)."""
    if not (buffer.startswith((b"POST ", b"PUT ", b"PATCH ")) and buffer.endswith(b"\r\n\r\n")):
        return False
    at = buffer.lower().find(b"\r\ncontent-length:")
    if at < 0:
        return False
    length = buffer[at + 17 : buffer.find(b"\r\n", at + 2)].strip()
    return length.isdigit() and int(length) > 0


def _readable(sock: socket.socket) -> bool:
    """Whether reading would not block: data, or the end of a closed connection."""
    if sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class _SocketKeepingBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _SocketKeepingStream(await self._inner.connect_tcp(*args, **kwargs))

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _SocketKeepingStream(await self._inner.connect_unix_socket(*args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class SocketKeepingTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over connections that keep their socket at hand (above). httpx
    has no setting for httpcore's network backend, so its pool is built again with one;
    if a later httpx keeps its pool elsewhere, this is httpx's own transport unchanged."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        if type(getattr(self, "_pool", None)) is httpcore.AsyncConnectionPool:
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=httpx.create_ssl_context(),
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=_SocketKeepingBackend(),
            )

    @property
    def keeps_sockets(self) -> bool:
        return isinstance(getattr(self._pool, "_network_backend", None), _SocketKeepingBackend)


class JsonRequest(HTTPXRequest):
    """PTB's HTTP request, with a call's parameters sent as one JSON body rather than a
    form. The Bot API takes both; a form percent-encodes each CJK character of an answer
    to nine bytes, and encoding those was a measurable share of the bot's CPU (bench/).
    Calls that carry files still go as PTB sends them, in a multipart form.

    At most as many requests go at once as the pool has connections: the others wait
    here, in a plain queue, not in httpcore's, which every request scans whole."""

    def __init__(self, connection_pool_size: int, **kwargs: Any) -> None:
        transport = SocketKeepingTransport(
            limits=httpx.Limits(max_connections=connection_pool_size)
        )
        super().__init__(
            connection_pool_size=connection_pool_size,
            httpx_kwargs={"transport": transport},
            **kwargs,
        )
        self._free = asyncio.Semaphore(connection_pool_size)

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
        async with self._free:
            if request_data is None or request_data.contains_files or self._client.is_closed:
                return await super().do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout,
                    pool_timeout,
                )  # fmt: skip
            default = self._client.timeout
            timeout = httpx.Timeout(
                connect=_given(connect_timeout, default.connect),
                read=_given(read_timeout, default.read),
                write=_given(write_timeout, default.write),
                pool=_given(pool_timeout, default.pool),
            )
            # The parameters as JSON values, UTF-8 as is: PTB's own payload escapes each
            # CJK character to six bytes and sends every value as a string.
            body = jsontext.dumps_bytes(request_data.parameters)
            return await self._post_json(url, method, body, timeout)

    async def _post_json(
        self, url: str, method: str, body: bytes, timeout: httpx.Timeout
    ) -> tuple[int, bytes]:
        headers = {"User-Agent": self.USER_AGENT, "Content-Type": "application/json"}
        try:
            response = await self._client.request(
                method=method, url=url, headers=headers, timeout=timeout, content=body
            )
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.PoolTimeout):
                raise TimedOut("Pool timeout: the request was not sent") from error
            raise TimedOut from error
        except httpx.HTTPError as error:  # as PTB maps it: the base class comes last
            raise NetworkError(f"httpx.{error.__class__.__name__}: {error}") from error
        return response.status_code, response.content

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Each answer read by orjson (several times faster than PTB's ``json``)."""
        return jsontext.answer_of(payload, HTTPXRequest.parse_json_payload)  # type: ignore[no-any-return]


def _given(value: Any, default: float | None) -> float | None:
    """A timeout the caller gave, or the client's own when it gave none."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


class InboxRequest(BaseRequest):
    """Wraps the request used for ``getUpdates``: the updates of each answer are committed
    to the inbox before PTB gets them, so before the next call confirms them to Telegram.

    If they cannot be committed, PTB gets an empty answer after a pause: it asks again from
    the same offset, so Telegram keeps them. If PTB asks again for the batch it was just
    given (it could not take it), the next answer waits, longer each time, instead of
    spinning on the same batch."""

    def __init__(self, inner: BaseRequest, inbox: Inbox) -> None:
        self.inner = inner
        self.inbox = inbox
        self.last_updates: list[dict[str, Any]] = []
        self._last_offset: object = None
        self._stalls = 0
        self._store_failures = 0

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        return jsontext.answer_of(payload, BaseRequest.parse_json_payload)  # type: ignore[no-any-return]

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
        polling = url.rsplit("/", 1)[-1].lower() == "getupdates"
        if polling:
            await self._pause_if_stalled(request_data)
        status, payload = await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if status == 200 and polling:
            updates = _updates_in(payload)
            self.last_updates = updates
            if updates and not await self._stored(updates):
                self.last_updates = []
                return 200, b'{"ok":true,"result":[]}'
        return status, payload

    async def _stored(self, updates: list[dict[str, Any]]) -> bool:
        try:
            self.inbox.keep(updates, claim=True)
        except sqlite3.Error as error:
            self._store_failures += 1
            if self._store_failures == 1:
                log.warning("inbox: cannot store updates (%s); Telegram keeps them", error)
            await asyncio.sleep(write_backoff(self._store_failures))
            return False
        if self._store_failures:
            log.info("inbox: storing updates again after %d failures", self._store_failures)
            self._store_failures = 0
        return True

    async def _pause_if_stalled(self, request_data: RequestData | None) -> None:
        offset = (request_data.parameters if request_data else {}).get("offset")
        if self.last_updates and offset == self._last_offset:
            self._stalls += 1
            if self._stalls == 1:
                log.warning("polling: the last batch of updates was not taken; backing off")
            await asyncio.sleep(min(30.0, 0.5 * 2 ** (self._stalls - 1)))
        else:
            self._stalls = 0
        self._last_offset = offset


def _updates_in(payload: bytes) -> list[dict[str, Any]]:
    try:
        envelope = jsontext.loads(payload)
    except ValueError:
        return []
    result = envelope.get("result") if isinstance(envelope, dict) else None
    if not isinstance(result, list):
        return []
    return [u for u in result if isinstance(u, dict) and isinstance(u.get("update_id"), int)]


class _WithholdRawUpdates(logging.Filter):
    """PTB logs a batch it cannot parse in full ("Received data was [...]"): users' words
    and phone numbers. ``InboxBot`` logs each update it sets aside instead, by id."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates!")


_WITHHOLD_RAW_UPDATES = _WithholdRawUpdates()


class InboxBot(ExtBot):
    """PTB's bot, except that ``getUpdates`` survives an update PTB cannot parse: PTB would
    drop the whole batch, log it, and ask for the same batch again at once, forever (and a
    restart would fail replaying it). The batch is parsed one update at a time instead;
    each one that fails is set aside and passed on as an empty update with its id, so the
    offset moves past it."""

    def __init__(self, *args: Any, inbox_request: InboxRequest, guard: InboxGuard, **kwargs: Any):
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self._inbox_request = inbox_request
            self._guard = guard
        if _WITHHOLD_RAW_UPDATES not in self._LOGGER.filters:
            self._LOGGER.addFilter(_WITHHOLD_RAW_UPDATES)

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            return await super().get_updates(*args, **kwargs)
        except TelegramError:
            raise
        except Exception:
            raw = self._inbox_request.last_updates
            updates = []
            for data in raw:
                update, _ = self._guard.parse(data, self)
                self.insert_callback_data(update)
                updates.append(update)
            return tuple(updates)


class InboxQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The Application's update queue. With ``storing`` on (webhook mode), each update is
    committed to the inbox before it is queued: PTB's webhook answers Telegram only after
    ``put`` returns, so an update Telegram was told we have is on disk, and replayed after
    a crash. If the database refuses it, ``put`` raises, the webhook answers 500, and
    Telegram sends the update again. Polling stores in ``InboxRequest`` instead."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox
        self.storing = False

    async def put(self, item: Any) -> None:
        if self.storing and isinstance(item, Update):
            try:
                self.inbox.keep([item.to_dict()], claim=True)
            except sqlite3.Error as error:
                log.warning(
                    "webhook: update %s not stored (%s); Telegram will resend it",
                    item.update_id,
                    error,
                )
                raise
        await super().put(item)


class InboxGuard:
    """The inbox around PTB's handlers: ``claim`` first (group -100), ``done`` last (group
    100); ``failed`` when a handler raised (from the error handler), which asks the update
    processor to run the update again after a pause, or sets it aside.

    Retries happen only where the processor runs them (``retrying``, set for polling):
    elsewhere (the console) a failure is final, as before."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.retrying = False
        self.retry_after: dict[int, float] = {}
        self._mine: set[int] = set()  # claimed by this process, not yet done
        self._failures: dict[int, int] = {}
        self._store_tries: dict[int, int] = {}

    def register(self, app: Application) -> None:
        app.add_handler(TypeHandler(Update, self._claim_handler), group=-100)
        app.add_handler(TypeHandler(Update, self._done_handler), group=100)

    async def _claim_handler(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id
        try:
            claimed = self.inbox.claim(update_id, again=update_id in self._mine)
        except sqlite3.Error as error:
            self._store_failed(update_id, error)
            raise ApplicationHandlerStop from None
        if not claimed:
            # Another copy of this update is (or was) handled; or this is a retry of one
            # whose handling transaction had committed (the ledger has it done): forget it.
            self._forget(update_id)
            raise ApplicationHandlerStop
        self._mine.add(update_id)

    async def _done_handler(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.finish(update.update_id)

    async def finish(self, update_id: int) -> None:
        """Mark an update done, however long the database takes to accept it. Most were
        marked done already, by the transaction that handled them (the one ledger): a
        read then spares a write."""
        store = self.inbox.store
        try:
            done = store.take_marked_here(update_id) or store.already_handled(update_id)
        except sqlite3.Error:
            done = False  # the write below says so, and waits for the database
        if not done:
            await keep_trying(lambda: self.inbox.done(update_id), f"update {update_id}")
        self._forget(update_id)

    def _forget(self, update_id: int) -> None:
        self._mine.discard(update_id)
        self._failures.pop(update_id, None)
        self._store_tries.pop(update_id, None)

    def _store_failed(self, update_id: int, error: sqlite3.Error) -> None:
        """The database failed, not the update: try again, as long as it takes."""
        tries = self._store_tries[update_id] = self._store_tries.get(update_id, 0) + 1
        if self.retrying:
            self.retry_after[update_id] = write_backoff(tries)
        if tries == 1:
            log.warning("update %s: the database failed (%s); trying again", update_id, error)

    async def failed(self, update: Update, error: BaseException) -> str:
        """A handler raised: ``retry`` (the processor runs the update again), ``dead`` (set
        aside now), or ``final`` (no retries here: the update counts as handled)."""
        update_id = update.update_id
        if not self.retrying:
            return "final"
        if isinstance(error, sqlite3.Error):
            self._store_failed(update_id, error)
            return "retry"
        tries = self._failures[update_id] = self._failures.get(update_id, 0) + 1
        if tries < MAX_HANDLING_TRIES:
            self.retry_after[update_id] = HANDLING_RETRY_DELAYS[
                min(tries, len(HANDLING_RETRY_DELAYS)) - 1
            ]
            return "retry"
        reason = describe(error)
        await keep_trying(
            lambda: self.inbox.set_aside(update_id, reason, tries=tries), f"update {update_id}"
        )
        self._forget(update_id)
        return "dead"

    def parse(self, data: dict[str, Any], bot: Bot | None) -> tuple[Update, bool]:
        """An update from its JSON, and whether it could be read; one PTB cannot read is
        set aside (logged once, without its content) and becomes an empty update with the
        same id."""
        update_id = int(data["update_id"])
        try:
            return Update.de_json(data, bot), True
        except Exception as error:
            reason = describe(error)
            try:
                self.inbox.set_aside(update_id, f"cannot be parsed: {reason}", data=data, tries=1)
            except sqlite3.Error as store_error:
                # PTB must not move past it unrecorded: ask Telegram again, after a pause.
                raise NetworkError("an unreadable update could not be set aside") from store_error
            log.error("update %s set aside: cannot be parsed (%s)", update_id, reason)
            return Update(update_id=update_id), False


async def replay_inbox(app: Application, inbox: Inbox, guard: InboxGuard | None = None) -> int:
    """Queue the updates a killed process received but never handled (call before start).
    One that cannot be parsed is set aside: it must not stop the bot from starting."""
    guard = guard or InboxGuard(inbox)
    inbox.prune()
    updates = inbox.unfinished()
    replayed = 0
    for data in updates:
        update, readable = guard.parse(data, app.bot)
        if readable:
            await app.update_queue.put(update)
        replayed += 1
    if replayed:
        log.info("replaying %d update(s) received before a restart", replayed)
    return replayed


# --- fairness: a per-chat rate --------------------------------------------------------------


class RateLimit:
    """A token bucket per chat: ``burst`` messages at once, then ``per_minute``. Past it a
    chat's updates are not read; ``check`` says ``notice`` once per flood (the bucket has
    to fill to half before another flood earns another notice)."""

    def __init__(
        self,
        burst: int = 20,
        per_minute: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = float(burst)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.enabled = False
        self._buckets: dict[int, tuple[float, float, bool]] = {}  # tokens, at, noticed

    def check(self, chat_id: int) -> str:
        """``ok``, ``notice`` (over the rate, first time this flood) or ``drop``."""
        now = self.clock()
        tokens, at, noticed = self._buckets.get(chat_id, (self.burst, now, False))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        if noticed and tokens >= self.burst / 2:
            noticed = False
        if tokens >= 1.0:
            verdict, tokens = "ok", tokens - 1.0
        else:
            verdict, noticed = ("drop" if noticed else "notice"), True
        self._buckets[chat_id] = (tokens, now, noticed)
        if len(self._buckets) > 10_000:
            self._sweep(now)
        return verdict

    def _sweep(self, now: float) -> None:
        """Forget chats whose bucket is full again: they are as good as new."""
        full = [
            chat
            for chat, (tokens, at, _) in self._buckets.items()
            if tokens + (now - at) * self.rate >= self.burst
        ]
        for chat in full:
            del self._buckets[chat]
