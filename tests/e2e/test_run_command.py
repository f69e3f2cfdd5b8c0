"""``python -m bot run`` as operators start it: a separate process with the contract's
environment, talking HTTP to a stand-in Bot API that runs in a process of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import TOKEN, Person, assert_language
from tests.support.botapi_server import Driver, ServerProcess

ROOT = Path(__file__).resolve().parents[2]


def bot_environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "STAFF_"))}
    env.update(values)
    return env


class BotProcess:
    """``python -m bot run`` in a child process; stopped with SIGTERM or killed outright."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=ROOT,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        """A crash: no shutdown hooks, nothing flushed."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)

    def terminate(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(token=TOKEN, state_path=tmp_path / "telegram.json") as process:
        yield process


async def test_run_completes_the_flows_and_survives_a_crash(
    stand_in: ServerProcess, tmp_path: Path, kb_path: Path
) -> None:
    env = bot_environment(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=stand_in.base_url,
        BOT_DB=str(tmp_path / "bot.sqlite3"),
        KB_DB=str(kb_path),
        RULES_DATE="2014-06-01",
    )
    log = tmp_path / "bot.log"
    user = Person(Driver(stand_in.control, timeout=20.0, settle=0.1), 8101)
    bot = BotProcess(env, log).start()
    try:
        # The first answer waits for the process to start; later ones are quick.
        menu = await user.say("/start", timeout=30.0)
        assert menu.buttons
        verdict = await user.say("我間廠喺東莞厚街")
        assert ("owner", "show") in verdict.actions()
        assert_language(verdict.text, "zh_Hant_HK")
        await user.tap("menu", "subsidy")
        await user.tap("step", "item:demonstration")
        bot.kill()  # mid-flow, waiting for the cost
        bot = BotProcess(env, log).start()
        breakdown = await user.say("40萬", timeout=30.0)
        assert all(f in breakdown.text for f in ("400,000", "200,000")), breakdown.text
        assert_language(breakdown.text, "zh_Hant_HK")
        # The command menu was published for both languages.
        assert stand_in.control.call("commands", language_code="zh")
        assert bot.terminate() == 0
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.process.kill()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert TOKEN not in output, "the token never appears in the log"
    assert " ERROR " not in output, output


def test_run_without_a_token_exits_with_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=bot_environment(BOT_DB=str(tmp_path / "bot.sqlite3")),
        timeout=60,
    )
    assert result.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
