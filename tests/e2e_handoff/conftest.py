"""Fixtures: the stand-in in a thread, staff group chats, the bot on long polling."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.rules import KNOWLEDGE_DIR
from bot.core.search import ensure_index
from tests.e2e_handoff.support import STAFF, TOKEN, RunningBot, Staff, User, running_bot
from tests.support.botapi_server import BotAPIServer, Driver


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
    return Driver(server, timeout=8.0, settle=0.2)


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
