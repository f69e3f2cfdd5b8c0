"""Soak: many users talking while ``python -m bot run`` is SIGKILLed and restarted at random.

The Bot API stand-in runs in its own process and outlives every bot process; the bot
restarts on the same ``BOT_DB``. The bot and the reference run use a snapshot of the code and
data taken when the test starts, so edits to the checkout during a long soak change nothing. Each user follows a script (eligibility, estimates, searches,
menus, and for some a hand-off to staff with a message relayed afterwards), waiting for each
answer before the next message. The answers every chat should get come from playing the same
scripts through the same Application in-process without kills (``tests.support.app_harness.AppHarness``).

Checked afterwards:

* every user message got its answer: each chat's messages equal the reference, in order
  (ticket references normalised), so nothing was lost;
* nothing arrived twice, except where the outbox shows the one window it documents: a row
  that was being sent when the process died (Telegram got it, the "sent" mark did not
  commit), which is sent again after the restart. Such duplicates are counted and printed;
* every hand-off's card reached its staff chat exactly once, and every relayed message once
  (staff chats are groups, held to 20 messages a minute: their backlog is waited for);
* the outbox and inbox are drained, and ``PRAGMA integrity_check`` passes.

The default run is a small version (a dozen users, two kills); ``pytest -m slow`` runs
20,000 updates from 1,000 users with a kill every few seconds.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core.rules import KNOWLEDGE_DIR
from bot.core.search import ensure_index
from bot.store import Store
from tests.support.app_harness import AppHarness
from tests.support.botapi_server import AsyncControlClient, ServerProcess

REPO = Path(__file__).resolve().parents[2]
TOKEN = "123456:SOAK"
STAFF = {"hk": -1001, "dongguan": -1002, "shenzhen": -1003}
RULES_DATE = "2014-06-02"
FIRST_USER = 200_000
REF = re.compile(r"CP-[2-9A-HJ-KM-NP-Z]{5}")

QUESTIONS = {
    "en": [
        "My factory is in Huizhou, can I apply?",
        "Demonstration project costing HK$600,000, how much is the subsidy?",
        "how to save energy on compressed air",
        "our spray booth smells of solvent, what can we do",
        "hello",
        "/help",
        "hotline number?",
    ],
    "zh_Hant_HK": [
        "我喺東莞有間廠，可唔可以申請？",
        "示範項目成本40萬，政府資助幾多？",
        "噴油房點樣減少VOC",
        "冷氣機好食電點算",
        "/start",
        "點樣申請",
        "核證服務費用五萬，資助幾多",
    ],
    "zh_Hans_CN": [
        "我的工厂在深圳宝安，可以申请吗？",
        "评估费用要8万港币，政府资助多少？",
        "空压机经常漏气怎么办",
        "锅炉烧油黑烟很多",
        "您好",
        "怎样申请资助",
        "工厂在中山小榄，符合条件吗",
    ],
}
HANDOFF = {
    "en": [
        "I want to talk to a person",
        "@tap:handoff|leave",
        "Chan Tai Man",
        "Tai Man Metal",
        "+852 9123 4567",
        "Kwun Tong",
        "How do we apply?",
        "@tap:confirm|send",
    ],
    "zh_Hant_HK": [
        "我想搵真人",
        "@tap:handoff|leave",
        "陳大文",
        "大文五金廠",
        "91234567",
        "東莞",
        "想問點樣申請",
        "@tap:confirm|send",
    ],
    "zh_Hans_CN": [
        "我想找人工客服",
        "@tap:handoff|leave",
        "李小明",
        "小明塑胶厂",
        "13800138000",
        "深圳",
        "想了解怎么申请",
        "@tap:confirm|send",
    ],
}
LANGUAGE_CODES = {"en": "en", "zh_Hant_HK": "zh-hk", "zh_Hans_CN": "zh-hans"}


@dataclass
class Script:
    user_id: int
    locale: str
    steps: list[str]
    relays: list[str] = field(default_factory=list)  # texts that must reach staff once


def scripts_for(users: int, updates: int, handoff_share: float, seed: int) -> list[Script]:
    """``updates`` messages spread over ``users``; a hand-off (then a tagged message for
    staff) ends the script of ``handoff_share`` of them: after it, all text goes to staff."""
    rng = random.Random(seed)
    per_user = max(1, updates // users)
    scripts = []
    for n in range(users):
        locale = rng.choice(list(QUESTIONS))
        user_id = FIRST_USER + n
        tail: list[str] = []
        relays: list[str] = []
        if rng.random() < handoff_share and per_user > len(HANDOFF[locale]) + 1:
            relays = [f"note #{user_id}: we run two coating lines"]
            tail = HANDOFF[locale] + relays
        questions = [rng.choice(QUESTIONS[locale]) for _ in range(per_user - len(tail))]
        scripts.append(Script(user_id, locale, questions + tail, relays))
    return scripts


def tap_of(step: str) -> str | None:
    return step.removeprefix("@tap:") if step.startswith("@tap:") else None


def find_button(messages: list[dict[str, Any]], suffix: str) -> tuple[int, str] | None:
    for message in reversed(messages):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").endswith("|" + suffix):
                    return message["message_id"], button["callback_data"]
    return None


def normalised(text: str) -> str:
    return REF.sub("CP-?????", text)


def user_of(script: Script) -> dict[str, Any]:
    code = LANGUAGE_CODES[script.locale]
    return {"id": script.user_id, "first_name": "Soak", "language_code": code}


# --- the reference: the same scripts in-process, no kills ------------------------------------


@dataclass
class Reference:
    counts: dict[int, list[int]]  # messages per step, per user
    texts: dict[int, list[str]]  # every message of the chat, normalised


async def reference_run(scripts: list[Script], settings: Settings) -> Reference:
    bot = await AppHarness.start(settings, Store(settings.db_path))
    for chat in STAFF.values():
        bot.api.add_chat(chat, "supergroup")
    counts: dict[int, list[int]] = {}
    try:
        for script in scripts:
            steps = []
            for step in script.steps:
                before = bot.api.sent_count(script.user_id)
                suffix = tap_of(step)
                if suffix is None:
                    action = bot.api.user_sends_text(script.user_id, step, user=user_of(script))
                else:
                    found = find_button(bot.api.sent(script.user_id), suffix)
                    assert found, f"the reference run found no {suffix} button"
                    action = bot.api.user_taps(script.user_id, *found)
                await bot.feed(action)
                steps.append(bot.api.sent_count(script.user_id) - before)
            counts[script.user_id] = steps
        texts = {
            s.user_id: [normalised(m["text"]) for m in bot.api.sent(s.user_id)] for s in scripts
        }
    finally:
        await bot.stop()
    return Reference(counts, texts)


def reference_main(argv: list[str]) -> None:
    """``python -c ... users updates handoff_share seed kb_path db_path out.json``: the
    reference run, in the snapshot's code (see ``snapshot``); also builds the search index."""
    users, updates, share, seed = int(argv[0]), int(argv[1]), float(argv[2]), int(argv[3])
    kb_path, db_path, out = Path(argv[4]), Path(argv[5]), Path(argv[6])
    ensure_index(kb_path, KNOWLEDGE_DIR)
    settings = Settings(
        token=TOKEN,
        kb_path=kb_path,
        db_path=db_path,
        staff_chats=dict(STAFF),
        rules_date=date.fromisoformat(RULES_DATE),
    )
    reference = asyncio.run(reference_run(scripts_for(users, updates, share, seed), settings))
    out.write_text(json.dumps({"counts": reference.counts, "texts": reference.texts}))


def reference_in_snapshot(snapshot: Path, work: Path, args: list[Any]) -> Reference:
    out = work / "reference.json"
    code = (
        "import sys; from tests.reliability.test_soak import reference_main as m; m(sys.argv[1:])"
    )
    command = [
        sys.executable,
        "-c",
        code,
        *map(str, args),
        str(work / "reference.sqlite3"),
        str(out),
    ]
    env = {**os.environ, "PYTHONPATH": str(snapshot)}
    subprocess.run(command, cwd=snapshot, env=env, check=True, timeout=3000)
    data = json.loads(out.read_text())
    return Reference(
        {int(k): v for k, v in data["counts"].items()},
        {int(k): v for k, v in data["texts"].items()},
    )


# --- the bot process, killed and restarted ---------------------------------------------------


class BotProcess:
    """``python -m bot run`` on one database, restartable; only its own pid is ever signalled."""

    def __init__(self, env: dict[str, str], log: Path, code: Path) -> None:
        self.env = {**env, "PYTHONPATH": str(code)}
        self.log = log
        self.code = code
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.code,
                env=self.env,
                stdout=out,
                stderr=out,
            )
        self.starts += 1

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Outcome:
    timeouts: list[tuple[int, int]] = field(default_factory=list)  # (user, step)
    lost_buttons: list[tuple[int, str]] = field(default_factory=list)


async def play(
    control: AsyncControlClient, script: Script, counts: list[int], outcome: Outcome, timeout: float
) -> None:
    sent: list[dict[str, Any]] = []
    for number, (step, count) in enumerate(zip(script.steps, counts, strict=True)):
        suffix = tap_of(step)
        if suffix is None:
            await control.call(
                "user_sends_text", chat_id=script.user_id, text=step, user=user_of(script)
            )
        else:
            found = find_button(sent, suffix)
            while found is None:  # a duplicate made the last wait end early: the button follows
                try:
                    sent = await control.call(
                        "wait_for_messages",
                        chat_id=script.user_id,
                        n=len(sent) + 1,
                        timeout=timeout,
                    )
                except TimeoutError:
                    outcome.lost_buttons.append((script.user_id, suffix))
                    return
                found = find_button(sent, suffix)
            await control.call(
                "user_taps", chat_id=script.user_id, message_id=found[0], callback_data=found[1]
            )
        try:
            sent = await control.call(
                "wait_for_messages", chat_id=script.user_id, n=len(sent) + count, timeout=timeout
            )
        except TimeoutError:
            outcome.timeouts.append((script.user_id, number))
            sent = await control.call("sent", chat_id=script.user_id)


async def soak(
    url: str,
    scripts: list[Script],
    reference: Reference,
    bot: BotProcess,
    concurrency: int,
    kill_every: tuple[float, float],
    seed: int,
    timeout: float,
    max_kills: int,
) -> Outcome:
    control = AsyncControlClient(url, concurrency + 4, timeout=300)
    outcome = Outcome()
    queue = list(reversed(scripts))
    rng = random.Random(seed)
    finished = asyncio.Event()

    async def user_worker() -> None:
        while queue:
            script = queue.pop()
            await play(control, script, reference.counts[script.user_id], outcome, timeout)

    async def killer() -> None:
        while not finished.is_set() and bot.kills < max_kills:
            try:
                await asyncio.wait_for(finished.wait(), rng.uniform(*kill_every))
            except TimeoutError:
                bot.kill()
                await asyncio.sleep(rng.uniform(0.0, 0.3))
                bot.start()

    killing = asyncio.create_task(killer())
    try:
        await asyncio.gather(*(user_worker() for _ in range(concurrency)))
    finally:
        finished.set()
        await killing
        await control.close()
    return outcome


# --- checks -----------------------------------------------------------------------------------


@dataclass
class Findings:
    lost: dict[int, list[str]] = field(default_factory=dict)
    extra: dict[int, list[str]] = field(default_factory=dict)
    unexplained: dict[int, list[str]] = field(default_factory=dict)
    resent: int = 0

    def summary(self) -> str:
        extra = sum(len(v) for v in self.extra.values())
        return (
            f"lost {sum(len(v) for v in self.lost.values())} messages in {len(self.lost)} "
            f"chats; {extra} duplicates in {len(self.extra)} chats, "
            f"{sum(len(v) for v in self.unexplained.values())} of them unexplained by the "
            f"outbox's sending window; {self.resent} repeated sending attempts"
        )


def resent_rows(db: Path) -> collections.Counter[int]:
    """Extra sending attempts of rows per chat: a row claimed again after its process died
    while it was 'sending' may have reached Telegram each time (a row whose process died
    twice, both times with the answer not yet committed, arrives three times). These are
    the only copies the outbox can send more than once. (A sent row's parameters are
    cleared, so counts per chat are what can be checked.)"""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT chat_id, SUM(attempts - 1) FROM outbox WHERE state = 'sent' "
            "AND attempts > 1 GROUP BY chat_id"
        ).fetchall()
    return collections.Counter({int(chat): int(n) for chat, n in rows})


def compare(
    actual: dict[int, list[str]], reference: Reference, resent: collections.Counter[int]
) -> Findings:
    findings = Findings(resent=sum(resent.values()))
    for chat, expected in reference.texts.items():
        got = collections.Counter(actual.get(chat, []))
        want = collections.Counter(expected)
        if lost := list((want - got).elements()):
            findings.lost[chat] = lost
        if extra := list((got - want).elements()):
            findings.extra[chat] = extra
            if len(extra) > resent[chat]:
                findings.unexplained[chat] = extra
    return findings


def staff_deliveries(
    control: Any, db: Path, scripts: list[Script], resent: collections.Counter[int]
) -> tuple[dict[int, int], dict[str, int], list[str]]:
    """Cards per ticket (found by their Claim button) and copies of each relayed text in the
    staff chats; and, per staff chat, copies beyond one that resent rows do not explain."""
    with sqlite3.connect(db) as conn:
        tickets = [row[0] for row in conn.execute("SELECT id FROM tickets")]
    relayed = [text for script in scripts for text in script.relays]

    def buttons(message: dict[str, Any]) -> set[str]:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return {b.get("callback_data", "") for row in rows for b in row}

    cards = dict.fromkeys(tickets, 0)
    relays = dict.fromkeys(relayed, 0)
    unexplained: list[str] = []
    for chat in STAFF.values():
        sent = control.call("sent", chat_id=chat)
        here = {t: sum(f"v1|0|ticket|claim:{t}" in buttons(m) for m in sent) for t in tickets}
        copies = {text: sum(m.get("text", "").count(text) for m in sent) for text in relayed}
        for ticket, n in here.items():
            cards[ticket] += n
        for text, n in copies.items():
            relays[text] += n
        beyond_one = sum(max(0, n - 1) for n in [*here.values(), *copies.values()])
        if beyond_one > resent[chat]:
            unexplained.append(
                f"staff chat {chat}: {beyond_one} extra copies, {resent[chat]} resent"
            )
    return cards, relays, unexplained


def wait_for_outbox(db: Path, timeout: float) -> float:
    """Seconds until nothing is left to send. Staff chats are groups, which Telegram (and
    AIORateLimiter) hold to 20 messages a minute each, so their backlog drains after the
    users are done."""
    started = time.time()
    while time.time() - started < timeout:
        with sqlite3.connect(db) as conn:
            (left,) = conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
            ).fetchone()
        if left == 0:
            break
        time.sleep(1.0)
    return time.time() - started


def check_database(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        states = dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
        inbox = {}
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'inbox'").fetchone():
            inbox = dict(
                conn.execute("SELECT state, COUNT(*) FROM inbox GROUP BY state").fetchall()
            )
    return {"integrity": integrity, "outbox": states, "inbox": inbox}


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The code and data as they are now, copied: the bot is restarted many times during a
    soak, and every process, like the reference run, must run the same code even while the
    checkout is being edited."""
    root = tmp_path_factory.mktemp("snapshot")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("bot", "knowledge", "i18n", "tests/support", "tests/reliability"):
        shutil.copytree(REPO / name, root / name, ignore=skip)
    (root / "tests" / "__init__.py").touch()
    return root


@pytest.fixture
def stand_in() -> Iterator[ServerProcess]:
    with ServerProcess(token=TOKEN) as server:
        for chat in STAFF.values():
            server.control.call("add_chat", chat_id=chat, chat_type="supergroup")
        yield server


def run_soak(
    stand_in: ServerProcess,
    tmp_path: Path,
    snapshot: Path,
    *,
    users: int,
    updates: int,
    concurrency: int,
    kill_every: tuple[float, float],
    handoff_share: float,
    timeout: float,
    max_kills: int = 10**6,
    drain_timeout: float = 30.0,
) -> None:
    seed = users * 7 + updates
    scripts = scripts_for(users, updates, handoff_share, seed=seed)
    staff = ",".join(f"{desk}={chat}" for desk, chat in STAFF.items())
    kb_path = tmp_path / "kb.sqlite3"
    reference = reference_in_snapshot(
        snapshot, tmp_path, [users, updates, handoff_share, seed, str(kb_path)]
    )
    db = tmp_path / "bot.sqlite3"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": stand_in.base_url,
        "BOT_DB": str(db),
        "KB_DB": str(kb_path),
        "STAFF_CHATS": staff,
        "RULES_DATE": RULES_DATE,
    }
    bot = BotProcess(env, tmp_path / "bot.log", snapshot)
    bot.start()
    started = time.time()
    try:
        outcome = asyncio.run(
            soak(
                stand_in.url + "/control",
                scripts,
                reference,
                bot,
                concurrency,
                kill_every,
                seed=updates,
                timeout=timeout,
                max_kills=max_kills,
            )
        )
        drained = wait_for_outbox(db, drain_timeout)
        time.sleep(1.5)  # a restarted process may still send what the last one left
    finally:
        bot.stop()
    seconds = time.time() - started
    control = stand_in.control
    actual = {
        s.user_id: [normalised(m["text"]) for m in control.call("sent", chat_id=s.user_id)]
        for s in scripts
    }
    resent = resent_rows(db)
    findings = compare(actual, reference, resent)
    cards, relays, staff_unexplained = staff_deliveries(control, db, scripts, resent)
    database = check_database(db)
    total = sum(len(s.steps) for s in scripts)
    print(
        f"\nsoak: {total} updates from {len(scripts)} users in {seconds:.0f} s, "
        f"{bot.kills} SIGKILLs, {bot.starts} starts; {findings.summary()}; "
        f"{len(cards)} tickets, {sum(cards.values())} cards, {sum(relays.values())} relays "
        f"for {len(relays)}; staff backlog drained in {drained:.0f} s; database {database}"
    )
    errors = [
        line
        for line in (tmp_path / "bot.log").read_text(errors="replace").splitlines()
        if " ERROR " in line
    ]

    assert bot.kills >= 2, "the soak must actually kill the bot"
    assert not outcome.lost_buttons, outcome.lost_buttons[:5]
    assert not outcome.timeouts, outcome.timeouts[:10]
    assert not findings.lost, {c: t[:3] for c, t in list(findings.lost.items())[:5]}
    assert not findings.unexplained, [
        (chat, resent[chat], [t[:60] for t in texts])
        for chat, texts in list(findings.unexplained.items())[:3]
    ]
    handoffs = sum(1 for s in scripts if s.relays)
    assert len(cards) == handoffs, f"{len(cards)} tickets for {handoffs} hand-offs"
    assert all(n >= 1 for n in cards.values()), f"tickets without a card: {cards}"
    assert all(n >= 1 for n in relays.values()), f"relays that never reached staff: {relays}"
    assert not staff_unexplained, staff_unexplained[:5]
    assert database["integrity"] == "ok"
    assert set(database["outbox"]) <= {"sent"}, database["outbox"]
    assert set(database["inbox"]) <= {"done"}, database["inbox"]
    assert not errors, errors[:5]


def test_soak_small_with_kills(stand_in: ServerProcess, tmp_path: Path, snapshot: Path) -> None:
    run_soak(
        stand_in,
        tmp_path,
        snapshot,
        users=12,
        updates=120,
        concurrency=12,
        kill_every=(0.9, 1.5),
        handoff_share=0.5,
        timeout=30,
        max_kills=3,
    )


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_soak_20000_updates_1000_users(
    stand_in: ServerProcess, tmp_path: Path, snapshot: Path
) -> None:
    run_soak(
        stand_in,
        tmp_path,
        snapshot,
        users=1000,
        updates=20_000,
        concurrency=100,
        kill_every=(2.0, 6.0),
        handoff_share=0.1,
        timeout=120,
        drain_timeout=900,
    )
