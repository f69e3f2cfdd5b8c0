"""``python -m bot webhook``: an update is in the inbox before the webhook answers 200,
and one a crashed process stored but never handled is answered after the restart."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import TOKEN
from tests.e2e.test_run_command import ROOT, bot_environment
from tests.support.botapi_server import ServerProcess

CHAT = 8301


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebhookBot:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "webhook", "--url", "https://bot.example.org/hook",
                 "--listen", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
            )
        self.log = log

    def wait_listening(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise TimeoutError(self.log.read_text())

    def post(self, update: dict[str, Any]) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/",
            data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            return int(response.status)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(token=TOKEN, state_path=tmp_path / "telegram.json") as process:
        yield process


def wait_for(predicate: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise TimeoutError("condition not reached")


def inbox_ids(db: Path) -> set[int]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT update_id FROM inbox")}


def test_webhook_stores_before_answering_and_replays_after_a_crash(
    stand_in: ServerProcess, tmp_path: Path, kb_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    env = bot_environment(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=stand_in.base_url,
        BOT_DB=str(db), KB_DB=str(kb_path),
    )
    api = stand_in.control
    bot = WebhookBot(env, tmp_path / "bot.log")
    try:
        bot.wait_listening()
        assert api.call("webhook")["url"] == "https://bot.example.org/hook"
        first = api.call("user_sends_text", chat_id=CHAT, text="我間廠喺東莞，可唔可以申請？")
        assert bot.post(first["update"]) == 200
        assert first["update"]["update_id"] in inbox_ids(db), "stored before the 200"
        # The answer may go in several messages: wait for the one that names the place.
        wait_for(lambda: any("東莞" in m.get("text", "") for m in api.call("sent", chat_id=CHAT)))
    finally:
        bot.kill()

    # A crash between the 200 and the answer: the update is in the inbox, unhandled.
    second = api.call("user_sends_text", chat_id=CHAT, text="How much for a demonstration project?")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO inbox (update_id, chat_id, data, state, received_at) "
            "VALUES (?, ?, ?, 'new', ?)",
            (second["update"]["update_id"], CHAT, json.dumps(second["update"]), time.time()),
        )
    before = len(api.call("sent", chat_id=CHAT))
    restarted = WebhookBot(env, tmp_path / "bot.log")
    try:
        restarted.wait_listening()
        # What the first answer still had queued may go first; the replayed one follows.
        wait_for(
            lambda: any(
                "demonstration" in m.get("text", "").lower()
                for m in api.call("sent", chat_id=CHAT)[before:]
            )
        )
    finally:
        restarted.kill()
