"""``python -m bot run``: the bot on Telegram, by long polling (or a webhook)."""

from __future__ import annotations

import argparse
import sys

from telegram import Update

from bot.app import build_application, build_services, publish_commands
from bot.config import Settings


def run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        print(
            "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and run:\n"
            "  TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot run\n"
            "(or try the console: python -m bot chat)",
            file=sys.stderr,
        )
        return 2
    services = build_services(settings)
    app = build_application(services)
    previous = app.post_init

    async def post_init(application) -> None:  # type: ignore[no-untyped-def]
        if previous is not None:
            await previous(application)
        await publish_commands(application)

    app.post_init = post_init
    if args.command == "webhook":
        app.run_webhook(
            listen=args.listen, port=args.port, webhook_url=args.url,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
