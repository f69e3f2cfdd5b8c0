"""Fixtures: the stand-in in a thread, staff group chats, the bot on long polling, and a
guard on what the bot logs: no ERROR (other than PTB's note on a 429 it passes on to the
outbox), and never the token or a phone number."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.rules import KNOWLEDGE_DIR
from bot.core.search import ensure_index
from tests.e2e_handoff.support import STAFF, TOKEN, RunningBot, Staff, User, running_bot
from tests.support.botapi_server import BotAPIServer, Driver

PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")


# PTB logs these at ERROR when a test injects a 429 or a 502; the outbox retries them.
PTB_NOTES_ON_INJECTED_FAULTS = (
    "Rate limit hit after maximum of 0 retries",
    "Can not load invalid JSON data",
)


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        # ERROR records a test provokes on purpose (a poison update set aside), by text.
        self.expected: list[str] = []

    def messages(self, level: int = logging.INFO) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level]

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def log_guard() -> Iterator[Records]:
    handler = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    httpx = logging.getLogger("httpx")
    httpx_level = httpx.level
    httpx.setLevel(logging.WARNING)  # as ``python -m bot`` sets it: its URLs hold the token
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        httpx.setLevel(httpx_level)
    for record in handler.records:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += repr(record.exc_info[1])
        assert TOKEN not in text, f"the token was logged: {record.name}"
        assert not PHONE.search(text), f"a phone number was logged: {record.name}: {text}"
        injected = any(note in text for note in (*PTB_NOTES_ON_INJECTED_FAULTS, *handler.expected))
        assert record.levelno < logging.ERROR or injected, f"{record.name}: {text}"


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kb") / "knowledge.sqlite3"
    ensure_index(path, KNOWLEDGE_DIR)
    return path


@pytest.fixture
def server() -> Iterator[BotAPIServer]:
    with BotAPIServer(token=TOKEN) as running:
        for chat_id in STAFF.values():
            running.api.add_chat(chat_id, "supergroup")
        yield running


@pytest.fixture
def settings(server: BotAPIServer, tmp_path: Path, kb_path: Path) -> Settings:
    return Settings(
        token=TOKEN,
        api_url=server.base_url,
        db_path=tmp_path / "bot.sqlite3",
        kb_path=kb_path,
        staff_chats=dict(STAFF),
    )


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[RunningBot]:
    async with running_bot(settings) as running:
        yield running


@pytest.fixture
def driver(server: BotAPIServer) -> Driver:
    return Driver(server, timeout=8.0, settle=0.12)


@pytest.fixture
def dongguan(driver: Driver) -> Staff:
    return Staff(driver, STAFF["dongguan"])


@pytest.fixture
def hk(driver: Driver) -> Staff:
    return Staff(driver, STAFF["hk"])


@pytest.fixture
def shenzhen(driver: Driver) -> Staff:
    return Staff(driver, STAFF["shenzhen"])


async def new_user(driver: Driver, user_id: int, language_code: str = "en") -> User:
    user = User(driver, user_id, language_code)
    await user.start()
    return user
