"""``python -m bot run``: the bot on Telegram, by long polling (or a webhook).

The process ends with a clear message, and a status a supervisor acts on, when it cannot
do its job: a second process on the same ``BOT_DB`` (refused before it touches anything),
a database that cannot be opened, or one that has refused every write for
``DB_UNWRITABLE_EXIT_SECONDS`` (full disk, file-size limit, lost permissions).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import sys

from telegram import Update
from telegram.ext import Application

from bot.app import Services, build_application, build_services, publish_commands
from bot.config import Settings
from bot.delivery import supervise

log = logging.getLogger(__name__)
# The exit status when the database stayed unwritable (EX_IOERR of sysexits.h).
EXIT_UNWRITABLE = 74
WATCH_SECONDS = 5.0


def run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        print(
            "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and run:\n"
            "  TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot run\n"
            "(or try the console: python -m bot chat)",
            file=sys.stderr,
        )
        return 2
    services = build_services(settings)  # ConfigError (bad BOT_DB, locked): one line, exit 2
    app = build_application(services)
    previous, shutdown = app.post_init, app.post_shutdown
    verdict: dict[str, int] = {}
    watching: list[asyncio.Task[None]] = []

    async def post_init(application: Application) -> None:
        if previous is not None:
            await previous(application)
        await publish_commands(application)
        # What start-up built (places, rules, catalogs, the search index: ~160,000
        # objects) lives as long as the process. Left to the collector, every full
        # collection walks all of it, a ~60 ms stall of every chat; frozen, it is skipped.
        gc.freeze()
        watch = asyncio.get_running_loop().create_task(
            watch_writes(application, services, verdict), name="write watchdog"
        )
        supervise(watch)
        watching.append(watch)

    async def post_shutdown(application: Application) -> None:
        for task in watching:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if shutdown is not None:
            await shutdown(application)

    app.post_init = post_init
    app.post_shutdown = post_shutdown
    try:
        if args.command == "webhook":
            # Stored before the webhook answers 200, as polling stores before it confirms.
            app.bot_data["inbox_queue"].storing = True
            app.run_webhook(
                listen=args.listen,
                port=args.port,
                webhook_url=args.url,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        services.store.close()
    if "status" in verdict:
        print(
            f"BOT_DB {settings.db_path}: no write has succeeded for "
            f"{settings.db_unwritable_exit:.0f} s ({services.store.last_error}); exiting",
            file=sys.stderr,
        )
    return verdict.get("status", 0)


async def watch_writes(app: Application, services: Services, verdict: dict[str, int]) -> None:
    """End the process when the database has refused every write for too long: a live
    process that answers nobody is worse than a restart."""
    limit = services.settings.db_unwritable_exit
    while True:
        await asyncio.sleep(min(WATCH_SECONDS, limit / 4))
        failing = services.store.failing_for()
        if failing >= limit:
            log.critical(
                "no database write has succeeded for %.0f s (%s); stopping so a supervisor "
                "restarts the bot",
                failing,
                services.store.last_error,
            )
            verdict["status"] = EXIT_UNWRITABLE
            app.stop_running()
            return
