"""The baseline of bench/bench_bot.py: a plain python-telegram-bot echo bot, run like the bot.

    TELEGRAM_BOT_TOKEN=123:ABC TELEGRAM_API_URL=http://127.0.0.1:PORT/bot \
        python bench/echo_bot.py [--rate-limit on|off]

Same PTB settings as ``python -m bot run`` where they apply: the same builder, base URL,
per-chat ordered update processor, ``AIORateLimiter(max_retries=0)`` when the limiter is on,
long polling with ``allowed_updates=Update.ALL_TYPES``, INFO logging with httpx quiet, and the
same ``sendMessage`` shape (HTML parse mode, link previews off). It answers every private text
with the text itself (escaped), and every button tap with an answer plus one message.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
import os
import sys
from collections.abc import Awaitable
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """The bot's update processor (bot.app), restated so the echo bot imports nothing of
    the bot: updates of one chat in order, different chats concurrently."""

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


NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    await context.bot.send_message(
        message.chat_id,
        html.escape(message.text or "", quote=False) or "-",
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
    )


async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    await context.bot.send_message(
        update.effective_chat.id,
        html.escape(query.data or "", quote=False) or "-",
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
    )


def build(token: str, base_url: str, rate_limit: bool) -> Application:
    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=0))
    pool = int(os.environ.get("BENCH_POOL") or 0)
    if pool:  # bench_bot.py --pool: the same connection-pool size as the bot under test
        builder = builder.connection_pool_size(pool)
    app = builder.build()
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(tapped))
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate-limit", choices=["on", "off"], default="on")
    args = parser.parse_args(argv)
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    base_url = os.environ.get("TELEGRAM_API_URL") or "https://api.telegram.org/bot"
    build(token, base_url, args.rate_limit == "on").run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
