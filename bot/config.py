"""Settings from the environment: the contract's variables (../shared/contract.md) and
a few of our own, documented in the README."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DEFAULT_API_URL = "https://api.telegram.org/bot"


class ConfigError(ValueError):
    """A setting is malformed; the message names the variable."""


def _staff_chats(raw: str) -> dict[str, int]:
    chats: dict[str, int] = {}
    for pair in filter(None, (p.strip() for p in raw.split(","))):
        desk, sep, chat = pair.partition("=")
        try:
            if not sep:
                raise ValueError
            chats[desk.strip()] = int(chat.strip())
        except ValueError:
            raise ConfigError(f"STAFF_CHATS: expected desk=chat_id pairs, got {pair!r}") from None
    return chats


def _desk_phones(raw: str) -> dict[str, str]:
    phones: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in raw.split(","))):
        desk, sep, phone = pair.partition("=")
        if not sep:
            raise ConfigError(f"DESK_PHONES: expected desk=number pairs, got {pair!r}")
        phones[desk.strip()] = phone.strip()
    return phones


def _day(name: str, raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}: expected YYYY-MM-DD, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    api_url: str = DEFAULT_API_URL
    db_path: Path = Path("data/bot.sqlite3")
    kb_path: Path = Path("data/knowledge.sqlite3")
    staff_chats: dict[str, int] = field(default_factory=dict)
    desk_phones: dict[str, str] = field(default_factory=dict)
    rules_date: date | None = None
    unclaimed_reminder_minutes: int = 30
    # A process whose database refuses every write this long exits (bot.telegram_main).
    db_unwritable_exit: float = 120.0
    # How long a write waits for a lock another process holds (a backup, a shell) before
    # it fails; the event loop waits with it, so it stays short.
    db_busy_timeout: float = 5.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        try:
            reminder = int(env.get("UNCLAIMED_REMINDER_MINUTES", "30"))
        except ValueError:
            raise ConfigError("UNCLAIMED_REMINDER_MINUTES: expected whole minutes") from None
        try:
            unwritable = float(env.get("DB_UNWRITABLE_EXIT_SECONDS", "120"))
        except ValueError:
            raise ConfigError("DB_UNWRITABLE_EXIT_SECONDS: expected seconds") from None
        if not unwritable > 0:
            raise ConfigError("DB_UNWRITABLE_EXIT_SECONDS: expected a positive number")
        try:
            busy = float(env.get("DB_BUSY_TIMEOUT_SECONDS", "5"))
        except ValueError:
            raise ConfigError("DB_BUSY_TIMEOUT_SECONDS: expected seconds") from None
        if not 0 <= busy <= 60:
            raise ConfigError("DB_BUSY_TIMEOUT_SECONDS: expected 0 to 60 seconds")
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_url=env.get("TELEGRAM_API_URL") or DEFAULT_API_URL,
            db_path=Path(env.get("BOT_DB") or "data/bot.sqlite3"),
            kb_path=Path(env.get("KB_DB") or "data/knowledge.sqlite3"),
            staff_chats=_staff_chats(env.get("STAFF_CHATS", "")),
            desk_phones=_desk_phones(env.get("DESK_PHONES", "")),
            rules_date=_day("RULES_DATE", env.get("RULES_DATE")),
            unclaimed_reminder_minutes=reminder,
            db_unwritable_exit=unwritable,
            db_busy_timeout=busy,
        )
