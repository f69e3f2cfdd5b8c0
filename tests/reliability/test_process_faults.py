"""Issue 14, ``python -m bot run`` as a process: a second instance on the same database,
a ``BOT_DB`` that cannot be used at start, and one that stops taking writes while the bot
runs. Each must end in a clear message and an exit status, not a traceback or a live
process that answers nobody."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e_handoff.support import ROOT, STAFF, TOKEN, BotProcess
from tests.support.botapi_server import ServerProcess

USER = 4401


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(token=TOKEN, state_path=tmp_path / "telegram.json") as process:
        for chat_id in STAFF.values():
            process.control.call("add_chat", chat_id=chat_id, chat_type="supergroup")
        process.control.call("add_user", user_id=USER, first_name="Ada", language_code="en")
        yield process


def run_once(env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def answered(stand_in: ServerProcess, text: str, timeout: float = 30) -> bool:
    control = stand_in.control
    before = control.call("sent_count", chat_id=USER)
    control.call("user_sends_text", chat_id=USER, text=text)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if control.call("sent_count", chat_id=USER) > before:
            return True
        time.sleep(0.2)
    return False


def fingerprint(db: Path) -> dict[str, str]:
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


def quiet_fingerprint(db: Path, timeout: float = 15) -> dict[str, str]:
    """The files once the running bot has stopped changing them: its last answer's rows
    are written and its write-ahead log copied (a thread does that about every second)."""
    deadline = time.monotonic() + timeout
    previous = fingerprint(db)
    while time.monotonic() < deadline:
        time.sleep(1.5)
        current = fingerprint(db)
        if current == previous:
            return current
        previous = current
    raise AssertionError("the running bot kept changing its database")


# --- 9. one instance per database ----------------------------------------------------------------


def test_a_second_instance_on_the_same_database_exits_at_once_touching_nothing(
    stand_in: ServerProcess, tmp_path: Path, kb_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    first = BotProcess(stand_in.base_url, db, kb_path, tmp_path / "first.log").start()
    try:
        assert answered(stand_in, "/help"), "the first instance answers"
        before = quiet_fingerprint(db)
        started = time.monotonic()
        second = run_once(first.env, timeout=20)
        assert time.monotonic() - started < 10, "the second instance did not exit at once"
        assert second.returncode != 0
        assert "another bot process is already running" in second.stderr
        assert "Traceback" not in second.stderr + second.stdout
        assert fingerprint(db) == before, "the second instance touched the database"
        assert answered(stand_in, "/help"), "the first instance still answers"
    finally:
        first.stop()
    log = (tmp_path / "first.log").read_text(errors="replace")
    assert "Conflict" not in log, "two pollers fought over getUpdates"


# --- 11. a database that cannot be used ----------------------------------------------------------


def _garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database, just some text\n" * 100)


def _truncated(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE filler (x TEXT)")
        conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 1000,) for _ in range(300)])
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 2)


def _directory(db: Path) -> None:
    db.mkdir()


@pytest.mark.parametrize("spoil", [_garbage, _truncated, _directory])
def test_a_bad_bot_db_at_start_is_one_clear_line(
    stand_in: ServerProcess, tmp_path: Path, kb_path: Path, spoil: object
) -> None:
    db = tmp_path / "bot.sqlite3"
    spoil(db)  # type: ignore[operator]
    env = BotProcess(stand_in.base_url, db, kb_path, tmp_path / "bot.log").env
    result = run_once(env)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "BOT_DB" in lines[0] and str(db) in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_bot_db_at_start_is_one_clear_line(
    stand_in: ServerProcess, tmp_path: Path, kb_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    sqlite3.connect(db).close()
    db.chmod(0o444)
    result = run_once(BotProcess(stand_in.base_url, db, kb_path, tmp_path / "bot.log").env)
    assert result.returncode == 2 and "BOT_DB" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_stops_taking_writes_ends_the_process(
    stand_in: ServerProcess, tmp_path: Path, kb_path: Path
) -> None:
    """Another process takes the write lock and keeps it: the bot's writes all fail. It
    exits non-zero within its bound, saying why, so a supervisor restarts it."""
    db = tmp_path / "bot.sqlite3"
    bot = BotProcess(stand_in.base_url, db, kb_path, tmp_path / "bot.log")
    bot.env["DB_UNWRITABLE_EXIT_SECONDS"] = "3"
    bot.env["DB_BUSY_TIMEOUT_SECONDS"] = "0.5"  # each blocked write holds the loop this long
    bot.start()
    holder = None
    try:
        assert answered(stand_in, "/help")
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        stand_in.control.call("user_sends_text", chat_id=USER, text="hello")
        assert bot.process is not None
        status = bot.process.wait(timeout=40)
    finally:
        if holder is not None:
            holder.close()
        bot.stop()
    assert status == 74
    log = (tmp_path / "bot.log").read_text(errors="replace")
    assert "no write has succeeded" in log and "database is locked" in log
