"""Fixtures: one search index built per test session; one stand-in and one bot on long
polling shared by the tests that only talk to it (each test is a new user, so a new chat
and a new conversation); a fresh stand-in, database and bot for the tests that restart or
inspect the whole bot; and a guard that fails any test in which the bot logged an ERROR
(the error handler, a refused outbox row, a crashed task).

Every test here runs in the session's event loop, so the shared bot can serve them all."""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from pytest_asyncio import is_async_test

from bot.config import Settings
from bot.core.rules import KNOWLEDGE_DIR
from bot.core.search import ensure_index
from tests.e2e.helpers import TOKEN, Person, RunningBot, running_bot, settings_for
from tests.support.botapi_server import BotAPIServer, Driver


class ErrorRecords(logging.Handler):
    """Keeps every ERROR (and worse) record logged anywhere while a test runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" for r in self.records]


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search index, built once and shared read-only by every test of the session."""
    path = tmp_path_factory.mktemp("knowledge") / "knowledge.sqlite3"
    ensure_index(path, KNOWLEDGE_DIR)
    return path


@pytest.fixture(autouse=True)
def logged_errors(request: pytest.FixtureRequest) -> Iterator[ErrorRecords]:
    handler = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    if not request.node.get_closest_marker("errors_expected"):
        assert not handler.records, f"the bot logged errors: {handler.describe()}"


@pytest.fixture
def server() -> Iterator[BotAPIServer]:
    with BotAPIServer(token=TOKEN) as running:
        yield running


@pytest.fixture
def settings(server: BotAPIServer, tmp_path: Path, kb_path: Path) -> Settings:
    return settings_for(server.base_url, tmp_path / "bot.sqlite3", kb_path)


@pytest_asyncio.fixture(loop_scope="session")
async def bot(settings: Settings, logged_errors: ErrorRecords) -> AsyncIterator[RunningBot]:
    """A bot of its own for this test, on ``server`` and a new database."""
    async with running_bot(settings) as running:
        yield running


def make_driver(server: BotAPIServer, settle: float = 0.08) -> Driver:
    """``settle``: how long a chat must stay quiet before a reply counts as complete."""
    return Driver(server, timeout=8.0, settle=settle)


@pytest.fixture
def driver(server: BotAPIServer) -> Driver:
    return make_driver(server)


@pytest.fixture(scope="session")
def shared_server() -> Iterator[BotAPIServer]:
    with BotAPIServer(token=TOKEN) as running:
        yield running


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def shared_bot(
    shared_server: BotAPIServer, tmp_path_factory: pytest.TempPathFactory, kb_path: Path
) -> AsyncIterator[RunningBot]:
    db_path = tmp_path_factory.mktemp("shared") / "bot.sqlite3"
    async with running_bot(settings_for(shared_server.base_url, db_path, kb_path)) as running:
        yield running


_user_ids = itertools.count(5001)


@pytest.fixture
def person(shared_server: BotAPIServer, shared_bot: RunningBot) -> Person:
    """A new user of the shared bot, with no Telegram language set, so the text alone
    decides the language."""
    # The drained outbox tells when a reply is complete, so a short quiet spell will do.
    driver = make_driver(shared_server, settle=0.02)
    return Person(driver, next(_user_ids), outbox=shared_bot.services.outbox)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "errors_expected: the test provokes errors the bot logs on purpose"
    )
    # The outbox sends stored Bot API calls through do_api_request on purpose.
    config.addinivalue_line(
        "filterwarnings", "ignore:Please use 'Bot:telegram.warnings.PTBUserWarning"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item) and here in Path(str(item.path)).parents:
            item.add_marker(session_loop, append=False)
