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
import html
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import LinkPreviewOptions, Update  # noqa: E402
from telegram.constants import ParseMode  # noqa: E402
from telegram.ext import (  # noqa: E402
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app import PerChatUpdateProcessor  # noqa: E402

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
