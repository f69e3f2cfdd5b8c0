"""A python-telegram-bot request backend answered in-process by a :class:`LocalBotAPI`.

:class:`LocalRequest` implements :class:`telegram.request.BaseRequest.do_request`: it takes the
method name from the URL PTB builds (``.../bot<token>/<method>``), hands PTB's parameters (already
plain Python values) to :meth:`LocalBotAPI.request`, and returns ``(status, JSON bytes)`` exactly
as Telegram would, so PTB parses results and raises its usual exceptions itself: ``RetryAfter``
(429 with ``retry_after``), ``Forbidden`` (403), ``BadRequest`` (400), ``Conflict`` (409),
``NetworkError`` (502, or an injected dropped connection), ``TimedOut`` (an injected delay longer
than the read timeout). No sockets, no threads.

Example (runnable)::

    import asyncio
    from telegram import Update
    from telegram.ext import Application, MessageHandler, filters
    from tests.support.local_api import LocalBotAPI
    from tests.support.local_request import use_local_api

    async def echo(update: Update, context) -> None:
        await update.message.reply_text(update.message.text)

    async def main() -> None:
        api = LocalBotAPI()
        app = use_local_api(Application.builder().token("123:LOCAL"), api).build()
        app.add_handler(MessageHandler(filters.TEXT, echo))
        async with app:  # initialize() calls getMe on the emulator
            action = api.user_sends_text(42, "hello")
            await app.process_update(Update.de_json(action.update, app.bot))
        print(api.sent(42)[-1]["text"])  # -> hello

    asyncio.run(main())

For long polling use ``await app.updater.start_polling(poll_interval=0)`` then
``await app.start()`` as usual: ``getUpdates`` waits on the emulator until a user-side action
queues an update.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, TypeVar

from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, RequestData

from tests.support.local_api import InjectedNetworkFault, LocalBotAPI

_BAD_GATEWAY_BODY = b"<html><head><title>502 Bad Gateway</title></head></html>"

BuilderT = TypeVar("BuilderT", bound=ApplicationBuilder)  # type: ignore[type-arg]


class LocalRequest(BaseRequest):
    """Answer PTB's Bot API requests from ``api`` in the same process."""

    def __init__(self, api: LocalBotAPI, *, read_timeout: float | None = 5.0) -> None:
        self.api = api
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        # PTB adds getUpdates' long-poll timeout to this for the getUpdates call.
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: the emulator lives in this process."""

    async def shutdown(self) -> None:
        """Nothing to close."""

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
        api_method = _method_from_url(url)
        if api_method is None:
            # File downloads (GET .../file/bot<token>/<path>) have nothing to serve here.
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        params = request_data.parameters if request_data else {}
        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        try:
            async with asyncio.timeout(timeout):
                status, envelope = await self.api.request(api_method, params)
        except TimeoutError as error:
            raise TimedOut(f"LocalBotAPI did not answer {api_method} within {timeout} s") from error
        except InjectedNetworkFault as fault:
            if fault.mode == "bad_gateway":
                return 502, _BAD_GATEWAY_BODY
            raise NetworkError(
                f"Connection dropped (injected {fault.mode} on {api_method})"
            ) from fault
        return status, json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def _method_from_url(url: str) -> str | None:
    """``https://api.telegram.org/bot123:ABC/sendMessage`` -> ``sendMessage``."""
    head, _, method = url.rpartition("/")
    if not method or "/bot" not in head or "/file/bot" in head:
        return None
    return method


def use_local_api(builder: BuilderT, api: LocalBotAPI, *, read_timeout: float = 5.0) -> BuilderT:
    """Point an ``ApplicationBuilder`` at ``api`` for both regular calls and getUpdates."""
    builder.request(LocalRequest(api, read_timeout=read_timeout))
    builder.get_updates_request(LocalRequest(api, read_timeout=read_timeout))
    return builder
