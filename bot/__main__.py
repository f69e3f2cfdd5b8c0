"""The command line of ../shared/contract.md: ``run``, ``chat``, ``ask``; and ``build-kb``.

python -m bot chat                      # console chat (the default)
python -m bot ask --json "示範項目成本40萬，政府資助幾多？"
python -m bot run                       # Telegram, long polling; needs TELEGRAM_BOT_TOKEN
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import date

from bot.config import ConfigError, Settings


class RedactingFilter(logging.Filter):
    """No token and no phone number reaches a log line, whatever logged it."""

    TOKEN = re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}\b")
    PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d ()-]{6,}\d(?![\w.])")

    # Ids the logs need for debugging are named: "update 123456789", "chat -100123...".
    NAMED_IDS = ("update ", "chat ", "ticket ", "row ", "id ", "-", "=")

    def _phone(self, match: re.Match[str]) -> str:
        before = match.string[max(0, match.start() - 7) : match.start()]
        return match.group(0) if before.endswith(self.NAMED_IDS) else "[number]"

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.PHONE.sub(self._phone, self.TOKEN.sub("[token]", message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def _date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None
    return text


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command")
    commands.add_parser("run", help="run the Telegram bot (long polling)")
    webhook = commands.add_parser("webhook", help="run the Telegram bot behind an HTTPS webhook")
    webhook.add_argument("--url", required=True, help="public HTTPS URL Telegram posts to")
    webhook.add_argument("--port", type=int, default=8443)
    webhook.add_argument("--listen", default="0.0.0.0")
    chat = commands.add_parser("chat", help="console chat with the same handlers (default)")
    chat.add_argument("--json", action="store_true", help="one JSON object per input line")
    chat.add_argument("--date", type=_date, help="the day whose rules apply (YYYY-MM-DD)")
    ask = commands.add_parser("ask", help="answer messages, each as a fresh conversation")
    ask.add_argument("--json", action="store_true", help="one JSON object per reply")
    ask.add_argument("--date", type=_date, help="the day whose rules apply (YYYY-MM-DD)")
    ask.add_argument("--lang", choices=["en", "zh-Hant", "zh-Hans"], help="reply language")
    ask.add_argument(
        "text", nargs="*", help="the message; without it, one message per line of stdin"
    )
    commands.add_parser("build-kb", help="rebuild the search index of knowledge/")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.command in ("run", "webhook") else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # The outbox retries 429s itself; the rate limiter's own report of each is noise.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    try:
        if args.command == "ask":
            from bot.console import run_ask

            run_ask(args.text or None, args.date, args.lang, args.json)
        elif args.command == "build-kb":
            from bot.core.rules import KNOWLEDGE_DIR
            from bot.core.search import build_index

            settings = Settings.from_env()
            settings.kb_path.parent.mkdir(parents=True, exist_ok=True)
            build_index(settings.kb_path, KNOWLEDGE_DIR)
            print(f"search index written to {settings.kb_path}")
        elif args.command in ("run", "webhook"):
            from bot.telegram_main import run

            return run(Settings.from_env(), args)
        else:
            from bot.console import run_chat

            run_chat(getattr(args, "json", False), getattr(args, "date", None))
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
