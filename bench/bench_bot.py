"""The whole bot under load, against a plain PTB echo bot run the same way.

    python bench/bench_bot.py [--users 1000] [--concurrency 100] [--limited on] [--write]

What runs: the Bot API stand-in (``python -m tests.support.botapi_server``) in its own process;
the bot (``python -m bot run``) or the echo bot (``bench/echo_bot.py``) in another, long polling
it through PTB's real HTTP stack; and this process, which plays 1,000 users through the stand-in's
control endpoint. Each user (a Telegram user id with a language code) follows a script drawn
from a realistic mix in three languages: eligibility questions, subsidy estimates, guide
searches, /start and /help, and hand-offs to staff (button taps, the five questions, confirm,
then a message relayed to the staff chat; ``STAFF_CHATS`` is set). ``--concurrency`` users talk
at once; each waits for the whole answer to a message before sending the next.

Both bots get the same workload of user messages (the echo bot's button taps become texts, as
its messages have no buttons) and the same PTB settings. How many messages make one answer is
learned first by playing every script through the same Application in-process
(``tests.support.app_harness.AppHarness``); a message's answer is complete when that many bot events arrived.

Printed (and with ``--write`` saved to bench/RESULTS.md), ratios first:

* throughput: user messages answered per second, and bot / echo;
* latency p50 / p99: from the control call that injects the update to the arrival at the
  stand-in of the answer's last message, and bot / echo;
* peak resident memory (``VmHWM``) and CPU milliseconds per message of each bot process;
* cold start: process start to the first reply arriving, for a message already waiting
  (median of three starts, real commands, search index already built);
* in-process cost of ``Dialogue.handle`` + ``render_text`` per message, p50 / p99.

Rate limiter: the bot always runs ``AIORateLimiter`` (Telegram's ~30 messages/s overall). The
main table runs both bots WITHOUT it (the bot through ``--serve-bot``, which is ``python -m bot
run`` with ``build_application(rate_limit=False)``), so the table measures the bots, not the
limiter. ``--limited on`` adds a shorter run of both bots WITH the limiter: both should sit
near 30 messages/s.

``--profile-bot FILE`` runs the bot under cProfile with a CPU-time clock during the main run
and writes the stats to FILE (read them with ``python -m pstats FILE``, ``sort tottime``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import itertools
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.botapi_server import AsyncControlClient, ServerProcess  # noqa: E402

TOKEN = "123456:BENCH"
STAFF_CHATS = {"hk": -1001, "dongguan": -1002, "shenzhen": -1003}
RULES_DATE = "2014-06-02"
FIRST_USER = 100_000
COLD_CHAT = 99
GOALS = {"throughput": 0.8, "p99": 2.0, "cold_start_s": 2.0, "rss_mb": 150.0}
RESULTS = REPO / "bench" / "RESULTS.md"
_DB_NUMBERS = itertools.count(1)

# --- the workload ---------------------------------------------------------------------------

LANGS = {"en": "en", "zh_Hant_HK": "zh-hk", "zh_Hans_CN": "zh-hans"}

SINGLE: dict[str, dict[str, list[str]]] = {
    "eligibility": {
        "en": [
            "My factory is in Huizhou, can I apply?",
            "We have a plant in Dongguan Chang'an, are we eligible?",
            "Is a factory in Zhaoqing covered?",
            "Our factory is in Shenzhen Bao'an district",
        ],
        "zh_Hant_HK": [
            "我喺東莞有間廠，可唔可以申請？",
            "我間廠喺清遠得唔得",
            "惠州嘅廠符唔符合資格？",
            "我哋喺深圳寶安有廠房，可以申請嗎",
        ],
        "zh_Hans_CN": [
            "我的工厂在深圳宝安，可以申请吗？",
            "工厂在中山小榄，符合条件吗",
            "我们在江门有个厂，能参加吗",
            "佛山顺德的工厂可以申请吗？",
        ],
    },
    "subsidy": {
        "en": [
            "Demonstration project costing HK$600,000, how much is the subsidy?",
            "An on-site assessment costs 40000 dollars, how much will the government pay?",
            "verification costs HK$50k, what is the subsidy",
        ],
        "zh_Hant_HK": [
            "示範項目成本40萬，政府資助幾多？",
            "核證服務費用五萬，資助幾多",
            "實地評估要三萬蚊，政府俾幾多",
        ],
        "zh_Hans_CN": [
            "评估费用要8万港币，政府资助多少？",
            "示范项目投资50万港元，能资助多少",
            "核证费用4万港元，补贴多少",
        ],
    },
    "search": {
        "en": [
            "how to save energy on compressed air",
            "how can we reduce wastewater from dyeing",
            "our spray booth smells of solvent, what can we do",
            "LED lighting retrofit in the workshop",
        ],
        "zh_Hant_HK": [
            "噴油房點樣減少VOC",
            "印花廠廢水點樣回用",
            "冷氣機好食電點算",
            "點樣申請",
        ],
        "zh_Hans_CN": [
            "空压机经常漏气怎么办",
            "锅炉烧油黑烟很多",
            "印染废水怎么回用",
            "怎样申请资助",
        ],
    },
    "menu": {
        "en": ["/start", "/help", "hello"],
        "zh_Hant_HK": ["/start", "你好"],
        "zh_Hans_CN": ["/start", "您好"],
    },
}

HANDOFF: dict[str, list[str]] = {
    "en": [
        "I want to talk to a person",
        "@tap:handoff|leave",
        "Chan Tai Man",
        "Tai Man Metal Works",
        "+852 9123 4567",
        "Dongguan",
        "How do we apply for a demonstration project?",
        "@tap:confirm|send",
        "We also run two electroplating lines.",
    ],
    "zh_Hant_HK": [
        "我想搵真人",
        "@tap:handoff|leave",
        "陳大文",
        "大文五金廠",
        "91234567",
        "東莞",
        "想問示範項目點樣申請",
        "@tap:confirm|send",
        "補充：我哋有兩條電鍍線",
    ],
    "zh_Hans_CN": [
        "我想找人工客服",
        "@tap:handoff|leave",
        "李小明",
        "小明塑胶厂",
        "13800138000",
        "深圳",
        "想了解示范项目怎么申请",
        "@tap:confirm|send",
        "补充：我们有两条喷涂线",
    ],
}
MIX = (("eligibility", 0.30), ("subsidy", 0.25), ("search", 0.30), ("menu", 0.15))
HANDOFF_SHARE = 0.10  # of users, who leave an enquiry after their questions


@dataclass
class Script:
    user_id: int
    locale: str
    steps: list[str]

    @property
    def language_code(self) -> str:
        return LANGS[self.locale]


def build_workload(users: int, seed: int = 2012) -> list[Script]:
    """Every user asks two to five questions; one in ten then hands off to staff."""
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    scripts = []
    for n in range(users):
        locale = rng.choice(list(LANGS))
        steps = []
        for _ in range(rng.randint(2, 5)):
            kind = rng.choices(kinds, weights)[0]
            # One question in ten is asked in another of the three languages (mixed users).
            asked_in = rng.choice(list(LANGS)) if rng.random() < 0.1 else locale
            steps.append(rng.choice(SINGLE[kind][asked_in]))
        if rng.random() < HANDOFF_SHARE:
            steps += HANDOFF[locale]
        scripts.append(Script(FIRST_USER + n, locale, steps))
    return scripts


def tap_suffix(step: str) -> str | None:
    return step.removeprefix("@tap:") if step.startswith("@tap:") else None


def find_callback(messages: list[dict[str, Any]], suffix: str) -> tuple[int, str] | None:
    """The newest bot message with a button whose data ends in ``|suffix``."""
    for message in reversed(messages):
        markup = message.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if data.endswith("|" + suffix):
                    return message["message_id"], data
    return None


# --- settings and processes -----------------------------------------------------------------


def fresh_db(work: Path) -> Path:
    """A new database per bot process started: update ids restart with each stand-in, and
    a database that has seen update 1 would rightly ignore the next stand-in's update 1."""
    return work / f"bot-{next(_DB_NUMBERS)}.sqlite3"


def bot_env(base_url: str, work: Path, pool: int = 0) -> dict[str, str]:
    staff = ",".join(f"{desk}={chat}" for desk, chat in STAFF_CHATS.items())
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": base_url,
        "BOT_DB": str(fresh_db(work)),
        "KB_DB": str(work / "kb.sqlite3"),
        "STAFF_CHATS": staff,
        "RULES_DATE": RULES_DATE,
        "PYTHONUNBUFFERED": "1",
        "BENCH_POOL": str(pool or ""),
    }


def local_settings(work: Path, db_name: str) -> Any:
    from bot.config import Settings

    return Settings(
        token=TOKEN,
        db_path=work / db_name,
        kb_path=work / "kb.sqlite3",
        staff_chats=dict(STAFF_CHATS),
        rules_date=date.fromisoformat(RULES_DATE),
    )


def bot_command(
    kind: str, rate_limit: bool, profile: Path | None = None, pool: int = 0
) -> list[str]:
    if kind == "echo":
        return [
            sys.executable,
            str(REPO / "bench" / "echo_bot.py"),
            "--rate-limit",
            "on" if rate_limit else "off",
        ]
    if rate_limit and profile is None and not pool:
        return [sys.executable, "-m", "bot", "run"]
    command = [
        str(Path(__file__).resolve()),
        "--serve-bot",
        "--rate-limit",
        "on" if rate_limit else "off",
    ]
    return [sys.executable, *command]


def serve_bot(rate_limit: bool) -> int:
    """``python -m bot run`` with the rate limiter switched as asked (nothing else changed)."""
    import bot.telegram_main as telegram_main
    from bot.__main__ import main

    original = telegram_main.build_application

    pool = int(os.environ.get("BENCH_POOL") or 0)

    def build(services: Any, *args: Any, **kwargs: Any) -> Any:
        if pool:  # the connection-pool experiment (--pool): sends through a smaller pool
            from telegram.request import HTTPXRequest

            kwargs["request"] = HTTPXRequest(connection_pool_size=pool)
            kwargs["get_updates_request"] = HTTPXRequest(connection_pool_size=1)
        return original(services, *args, **{**kwargs, "rate_limit": rate_limit})

    telegram_main.build_application = build
    profile_path = os.environ.get("BENCH_CPU_PROFILE")
    if not profile_path:
        return main(["run"])
    # CPU time only (process_time), so waiting on the network does not show as cost.
    profiler = cProfile.Profile(time.process_time)
    try:
        return profiler.runcall(main, ["run"])
    finally:
        profiler.dump_stats(profile_path)


def proc_status(pid: int) -> dict[str, str]:
    status = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            status[key] = value.strip()
    return status


def peak_rss_mb(pid: int) -> float:
    value = proc_status(pid).get("VmHWM", "0 kB").split()[0]
    return int(value) / 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


# --- calibration and in-process cost ---------------------------------------------------------


async def calibrate(scripts: list[Script], work: Path) -> list[list[int]]:
    """Bot events per step of every script, from the same Application run in-process."""
    from bot.store import Store
    from tests.support.app_harness import AppHarness

    settings = local_settings(work, "calibrate.sqlite3")
    bot = await AppHarness.start(settings, Store(settings.db_path))
    for chat in STAFF_CHATS.values():
        bot.api.add_chat(chat, "supergroup")
    expected: list[list[int]] = []
    try:
        for script in scripts:
            counts = []
            user = {
                "id": script.user_id,
                "first_name": "Bench",
                "language_code": script.language_code,
            }
            for step in script.steps:
                before = bot.api.event_count(script.user_id)
                suffix = tap_suffix(step)
                if suffix is None:
                    action = bot.api.user_sends_text(script.user_id, step, user=user)
                else:
                    found = find_callback(bot.api.sent(script.user_id), suffix)
                    if found is None:
                        raise RuntimeError(f"user {script.user_id}: no button {suffix}")
                    action = bot.api.user_taps(script.user_id, *found)
                await bot.feed(action)
                counts.append(bot.api.event_count(script.user_id) - before)
            expected.append(counts)
    finally:
        await bot.stop()
    return expected


def core_cost(scripts: list[Script], work: Path) -> list[float]:
    """Milliseconds of Dialogue.handle + render_text (HTML) per message, state carried over."""
    from bot.app import build_services
    from bot.core.dialogue import CommandIn, Tap, TextIn
    from bot.core.session import Session
    from bot.i18n import check_locale
    from bot.render import render_text

    services = build_services(local_settings(work, "core.sqlite3"))
    samples = []
    for script in scripts:
        session = Session(
            chat_id=script.user_id,
            user_id=script.user_id,
            telegram_language_code=script.language_code,
        )
        last: list[Any] = []
        for step in script.steps:
            suffix = tap_suffix(step)
            if suffix is not None:
                datas = [b.data for r in last for row in r.buttons for b in row if b.data]
                event: Any = Tap(next(d for d in datas if d.endswith("|" + suffix)))
            elif step.startswith("/"):
                name, _, args = step[1:].partition(" ")
                event = CommandIn(name, args)
            else:
                event = TextIn(step)
            with services.store.transaction():
                started = time.perf_counter()
                last = services.dialogue.handle(session, event)
                for reply in last:
                    render_text(
                        reply, check_locale(reply.locale or session.reply_locale(None)), True
                    )
                samples.append((time.perf_counter() - started) * 1000)
    services.store.close()
    return samples


# --- one run over HTTP -----------------------------------------------------------------------


@dataclass
class Run:
    kind: str
    rate_limit: bool
    messages: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    parts: list[int] = field(default_factory=list)  # messages in each answer, as latencies_ms
    cold_start_s: float = 0.0
    rss_mb: float = 0.0
    cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    timeouts: int = 0
    mismatches: int = 0

    @property
    def throughput(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def cpu_ms_per_message(self) -> float:
        return 1000 * self.cpu_s / self.messages if self.messages else 0.0


def pooled(runs: list[Run]) -> Run:
    """Several runs of one bot as one: messages, seconds and CPU added up, latencies put
    together (so p99 is over every sample), the highest memory. One run on a shared
    2-core machine moves by ±10 %; the rounds alternate the bots, so drift hits both."""
    first = runs[0]
    return Run(
        kind=first.kind,
        rate_limit=first.rate_limit,
        messages=sum(r.messages for r in runs),
        seconds=sum(r.seconds for r in runs),
        latencies_ms=[ms for r in runs for ms in r.latencies_ms],
        parts=[n for r in runs for n in r.parts],
        cold_start_s=statistics.median(r.cold_start_s for r in runs),
        rss_mb=max(r.rss_mb for r in runs),
        cpu_s=sum(r.cpu_s for r in runs),
        server_cpu_s=sum(r.server_cpu_s for r in runs),
        timeouts=sum(r.timeouts for r in runs),
        mismatches=sum(r.mismatches for r in runs),
    )


def round_ratios(bots: list[Run], echoes: list[Run]) -> str:
    """Each round's CPU and p99 ratios, so the spread behind the pooled figures shows."""
    return ", ".join(
        f"{b.cpu_ms_per_message / e.cpu_ms_per_message:.2f}× CPU, "
        f"{b.percentile(0.99) / e.percentile(0.99):.2f}× p99"
        for b, e in zip(bots, echoes, strict=True)
    )


def alternating(rounds: int) -> list[str]:
    """echo, bot, bot, echo, echo, bot, ...: neither bot always runs first."""
    order = []
    for number in range(rounds):
        order += ["echo", "bot"] if number % 2 == 0 else ["bot", "echo"]
    return order


async def play(
    control: AsyncControlClient,
    script: Script,
    expected: list[int],
    as_echo: bool,
    run: Run,
    step_timeout: float,
    pace: asyncio.Queue[float] | None = None,
) -> None:
    user = {"id": script.user_id, "first_name": "Bench", "language_code": script.language_code}
    seen = 0
    messages: list[dict[str, Any]] = []
    for step, count in zip(script.steps, expected, strict=True):
        suffix = tap_suffix(step)
        if as_echo:
            count = 1
        started = time.time()
        if pace is not None:
            # The steady schedule says when the next message is due; a wait for a free
            # user counts in its latency.
            started = await pace.get()
        if suffix is None or as_echo:
            await control.call(
                "user_sends_text",
                chat_id=script.user_id,
                user=user,
                text=step if suffix is None else "ok",
            )
        else:
            found = find_callback(messages, suffix)
            if found is None:
                run.mismatches += 1
                return
            await control.call(
                "user_taps", chat_id=script.user_id, message_id=found[0], callback_data=found[1]
            )
        try:
            events = await control.call(
                "wait_for_events",
                chat_id=script.user_id,
                n=seen + count,
                since=seen,
                timeout=step_timeout,
            )
        except TimeoutError:
            run.timeouts += 1
            events = await control.call("events", chat_id=script.user_id, since=seen)
        run.messages += 1
        seen += len(events)
        arrived = [e for e in events if e["kind"] in ("message", "edit")]
        messages += [e["message"] for e in arrived]
        if arrived:
            run.latencies_ms.append((arrived[-1]["time"] - started) * 1000)
            run.parts.append(len(arrived))


async def drive(
    url: str,
    scripts: list[Script],
    expected: list[list[int]],
    as_echo: bool,
    concurrency: int,
    run: Run,
    step_timeout: float,
    rate: float = 0.0,
) -> None:
    """``concurrency`` users talk at once, each waiting for its answer. With ``rate``, the
    messages also arrive at that steady rate (an open schedule: a message due while every
    user still waits for an answer goes as soon as one is free, and counts its wait)."""
    control = AsyncControlClient(url, concurrency + 8, timeout=120)
    queue = list(zip(scripts, expected, strict=True))
    queue.reverse()
    pace: asyncio.Queue[float] | None = asyncio.Queue() if rate else None

    async def worker() -> None:
        while queue:
            script, counts = queue.pop()
            await play(control, script, counts, as_echo, run, step_timeout, pace)

    async def pacer(total: int) -> None:
        assert pace is not None
        loop = asyncio.get_running_loop()
        due = loop.time()
        for _ in range(total):
            await asyncio.sleep(max(0.0, due - loop.time()))
            pace.put_nowait(time.time())
            due += 1.0 / rate

    started = time.time()
    tasks = [worker() for _ in range(concurrency)]
    if rate:
        timer = asyncio.ensure_future(pacer(sum(len(s.steps) for s in scripts)))
    await asyncio.gather(*tasks)
    if rate:
        timer.cancel()
    run.seconds = time.time() - started
    await control.close()


def wait_first_reply(control: Any, chat_id: int, timeout: float) -> float:
    """Seconds since the epoch at which the first bot event arrived in ``chat_id``."""
    [event] = control.call("wait_for_events", chat_id=chat_id, n=1, timeout=timeout)[:1]
    return float(event["time"])


def measure_http(
    kind: str,
    rate_limit: bool,
    scripts: list[Script],
    expected: list[list[int]],
    concurrency: int,
    work: Path,
    profile: Path | None = None,
    step_timeout: float = 60.0,
    pool: int = 0,
    rate: float = 0.0,
) -> Run:
    run = Run(kind, rate_limit)
    log = open(work / f"{kind}-{'limited' if rate_limit else 'free'}.log", "wb")  # noqa: SIM115
    with ServerProcess(token=TOKEN) as server:
        control = server.control
        for chat in STAFF_CHATS.values():
            control.call("add_chat", chat_id=chat, chat_type="supergroup")
        control.call("user_sends_text", chat_id=COLD_CHAT, text="/start")
        started = time.time()
        env = bot_env(server.base_url, work, pool)
        if profile is not None:
            env["BENCH_CPU_PROFILE"] = str(profile)
        process = subprocess.Popen(
            bot_command(kind, rate_limit, profile, pool),
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            run.cold_start_s = wait_first_reply(control, COLD_CHAT, 60) - started
            cpu_before = cpu_seconds(process.pid)
            server_before = cpu_seconds(server.process.pid)
            asyncio.run(
                drive(
                    server.url + "/control",
                    scripts,
                    expected,
                    kind == "echo",
                    concurrency,
                    run,
                    step_timeout,
                    rate,
                )
            )
            run.cpu_s = cpu_seconds(process.pid) - cpu_before
            run.server_cpu_s = cpu_seconds(server.process.pid) - server_before
            run.rss_mb = peak_rss_mb(process.pid)
        finally:
            stop(process)
            log.close()
    return run


def cold_start(kind: str, work: Path) -> float:
    """Process start to first reply with the real command (limiter on, index built)."""
    with ServerProcess(token=TOKEN) as server:
        server.control.call("user_sends_text", chat_id=COLD_CHAT, text="/start")
        started = time.time()
        process = subprocess.Popen(
            bot_command(kind, True),
            cwd=REPO,
            env=bot_env(server.base_url, work),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            return wait_first_reply(server.control, COLD_CHAT, 60) - started
        finally:
            stop(process)


# --- report ---------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"nproc {os.cpu_count()}, {model}, Python {platform.python_version()}"


def row(
    name: str,
    ratio: float,
    goal: str,
    met: bool | None,
    bot: float,
    echo: float,
    *,
    bold: bool = False,
    digits: int = 0,
) -> str:
    shown = f"**{ratio:.2f}×**" if bold else f"{ratio:.2f}×"
    status = "" if met is None else verdict(met)
    return f"| {name} | {shown} | {goal} | {status} | {bot:.{digits}f} | {echo:.{digits}f} |"


def report(
    bot: Run,
    echo: Run,
    colds: dict[str, list[float]],
    core: list[float],
    limited: tuple[Run, Run] | None,
    args: argparse.Namespace,
    steps: int,
    users: int,
) -> str:
    tput = bot.throughput / echo.throughput
    p50 = bot.percentile(0.5) / echo.percentile(0.5)
    p99 = bot.percentile(0.99) / echo.percentile(0.99)
    cold_bot = statistics.median(colds["bot"])
    cold_echo = statistics.median(colds["echo"])
    lines = [
        f"Date: {date.today().isoformat()} · machine: {machine()}",
        f"Command: `python bench/bench_bot.py --users {users} --concurrency {args.concurrency}"
        f"{' --limited on' if limited else ''}"
        f"{f' --steady {args.steady:g} --steady-users {args.steady_users}' if args.steady else ''}"
        f"{f' --rounds {args.rounds}' if args.rounds > 1 else ''}`",
        f"Workload: {users} users, {steps} user messages, {args.concurrency} users talking at once; "
        "rate limiter OFF for both bots in the main table (see below)"
        f"{f'; {args.rounds} rounds of each bot, alternating, pooled' if args.rounds > 1 else ''}.",
        "",
        "| measure | ratio bot/echo | goal | | bot | echo bot |",
        "|---|---|---|---|---|---|",
        row(
            "throughput, messages/s",
            tput,
            f"≥ {GOALS['throughput']}×",
            tput >= GOALS["throughput"],
            bot.throughput,
            echo.throughput,
            bold=True,
        ),
        row(
            "latency p99, ms",
            p99,
            f"≤ {GOALS['p99']}×",
            p99 <= GOALS["p99"],
            bot.percentile(0.99),
            echo.percentile(0.99),
            bold=True,
        ),
        row("latency p50, ms", p50, "", None, bot.percentile(0.5), echo.percentile(0.5)),
        row(
            f"cold start, s (median of {len(colds['bot'])})",
            cold_bot / cold_echo,
            f"≤ {GOALS['cold_start_s']} s",
            cold_bot <= GOALS["cold_start_s"],
            cold_bot,
            cold_echo,
            digits=2,
        ),
        row(
            "peak RSS, MB",
            bot.rss_mb / echo.rss_mb,
            f"≤ {GOALS['rss_mb']:.0f} MB",
            bot.rss_mb <= GOALS["rss_mb"],
            bot.rss_mb,
            echo.rss_mb,
        ),
        row(
            "bot process CPU per message, ms",
            bot.cpu_ms_per_message / echo.cpu_ms_per_message,
            "",
            None,
            bot.cpu_ms_per_message,
            echo.cpu_ms_per_message,
            digits=2,
        ),
        row(
            "stand-in CPU per message, ms",
            bot.server_cpu_s / echo.server_cpu_s * echo.messages / bot.messages,
            "",
            None,
            1000 * bot.server_cpu_s / bot.messages,
            1000 * echo.server_cpu_s / echo.messages,
            digits=2,
        ),
        "",
        f"In-process Dialogue.handle + render_text per message (same workload, {len(core)} "
        f"messages): p50 {percentile(core, 0.5):.2f} ms, p99 {percentile(core, 0.99):.2f} ms, "
        f"max {max(core):.1f} ms.",
        f"Cold starts, s: bot {', '.join(f'{c:.2f}' for c in colds['bot'])}; "
        f"echo {', '.join(f'{c:.2f}' for c in colds['echo'])}.",
        f"Answers that timed out: bot {bot.timeouts}, echo {echo.timeouts}; scripts that lost "
        f"their button: bot {bot.mismatches}.",
    ]
    if limited:
        lbot, lecho = limited
        lines += [
            "",
            f"With AIORateLimiter on both ({lbot.messages} messages each): bot "
            f"{lbot.throughput:.1f} msg/s, p50 {lbot.percentile(0.5):.0f} ms, p99 "
            f"{lbot.percentile(0.99):.0f} ms; echo {lecho.throughput:.1f} msg/s, p50 "
            f"{lecho.percentile(0.5):.0f} ms, p99 {lecho.percentile(0.99):.0f} ms "
            f"(throughput ratio {lbot.throughput / lecho.throughput:.2f}×). Bot API calls, not "
            "user messages, are limited: the bot makes more calls per message (staff cards, "
            "callback answers, split texts).",
        ]
    return "\n".join(lines)


# Issue 13's goals, for both bots as `run` ships them (the steady table).
STEADY_GOALS = {"throughput": 0.99, "p99": 1.5, "cpu": 1.5}


def steady_report(bot: Run, echo: Run, rate: float, rounds: int = 1) -> str:
    """Both bots as ``run`` ships them (AIORateLimiter on), messages arriving steadily."""
    rows = [
        ("throughput, messages/s", bot.throughput, echo.throughput, 1, "equal", "throughput"),
        ("latency p50, ms", bot.percentile(0.5), echo.percentile(0.5), 0, "", ""),
        ("latency p99, ms", bot.percentile(0.99), echo.percentile(0.99), 0, "≤ 1.5×", "p99"),
        (
            "bot process CPU per message, ms",
            bot.cpu_ms_per_message,
            echo.cpu_ms_per_message,
            2,
            "≤ 1.5×",
            "cpu",
        ),
    ]
    pooled_note = f" ({rounds} rounds of each bot, pooled)" if rounds > 1 else ""
    lines = [
        f"Steady load: {bot.messages} user messages{pooled_note} arriving at {rate:g} per "
        "second, AIORateLimiter on for both bots (as `python -m bot run` ships):",
        "",
        "| measure | ratio bot/echo | goal | | bot | echo bot |",
        "|---|---|---|---|---|---|",
    ]
    for name, mine, theirs, digits, goal, key in rows:
        ratio = mine / theirs if theirs else float("nan")
        status = ""
        if key == "throughput":
            status = verdict(ratio >= STEADY_GOALS[key])
        elif key:
            status = verdict(ratio <= STEADY_GOALS[key])
        lines.append(
            f"| {name} | {ratio:.2f}× | {goal} | {status} | {mine:.{digits}f} | "
            f"{theirs:.{digits}f} |"
        )
    lines.append(
        f"Answers that timed out: bot {bot.timeouts}, echo {echo.timeouts}; scripts that lost "
        f"their button: bot {bot.mismatches}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument(
        "--limited",
        choices=["on", "off"],
        default="off",
        help="also run both bots with AIORateLimiter (slow: ~30 msg/s)",
    )
    parser.add_argument("--limited-users", type=int, default=120)
    parser.add_argument(
        "--steady",
        type=float,
        default=0.0,
        metavar="RATE",
        help="also run both bots WITH the rate limiter `run` ships, messages arriving at RATE "
        "per second (issue 13's latency goal is at 20)",
    )
    parser.add_argument("--steady-users", type=int, default=300)
    parser.add_argument("--cold-starts", type=int, default=3)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run each bot this many times, alternating, and report the runs pooled",
    )
    parser.add_argument("--profile-bot", type=Path, default=None)
    parser.add_argument(
        "--pool",
        type=int,
        default=0,
        help="HTTP connection pool for both bots' sends (default: PTB's 256)",
    )
    parser.add_argument("--write", action="store_true", help="save the table to bench/RESULTS.md")
    parser.add_argument("--serve-bot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rate-limit", choices=["on", "off"], default="on", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bot:
        return serve_bot(args.rate_limit == "on")

    with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp:
        work = Path(tmp)
        from bot.core.knowledge_base import KnowledgeBase

        KnowledgeBase.open(work / "kb.sqlite3")  # build the search index once, outside timings
        scripts = build_workload(args.users)
        steps = sum(len(s.steps) for s in scripts)
        print(
            f"workload: {len(scripts)} users, {steps} messages; calibrating in-process...",
            flush=True,
        )
        expected = asyncio.run(calibrate(scripts, work))
        core = core_cost(scripts, work)
        print(
            f"in-process handle+render: p50 {percentile(core, 0.5):.2f} ms, "
            f"p99 {percentile(core, 0.99):.2f} ms",
            flush=True,
        )
        rounds: dict[str, list[Run]] = {"bot": [], "echo": []}
        for kind in alternating(args.rounds):
            profile = args.profile_bot if kind == "bot" else None
            r = measure_http(
                kind, False, scripts, expected, args.concurrency, work, profile, pool=args.pool
            )
            rounds[kind].append(r)
            print(
                f"{kind}: {r.throughput:.0f} msg/s, p50 {r.percentile(0.5):.0f} ms, "
                f"p99 {r.percentile(0.99):.0f} ms, rss {r.rss_mb:.0f} MB, "
                f"cpu {r.cpu_ms_per_message:.2f} ms/msg (stand-in "
                f"{1000 * r.server_cpu_s / max(r.messages, 1):.2f}), cold {r.cold_start_s:.2f} s, "
                f"timeouts {r.timeouts}",
                flush=True,
            )
        runs = {kind: pooled(taken) for kind, taken in rounds.items()}
        colds: dict[str, list[float]] = {"bot": [], "echo": []}
        for kind in ("bot", "echo"):
            for _ in range(args.cold_starts):
                colds[kind].append(cold_start(kind, work))
        limited = None
        if args.limited == "on":
            few = scripts[: args.limited_users]
            limited = tuple(
                measure_http(
                    kind, True, few, expected[: len(few)], args.concurrency, work, pool=args.pool
                )
                for kind in ("bot", "echo")
            )
        steady = None
        if args.steady:
            few = scripts[: args.steady_users]
            steady_rounds: dict[str, list[Run]] = {"bot": [], "echo": []}
            for kind in alternating(args.rounds):
                r = measure_http(
                    kind,
                    True,
                    few,
                    expected[: len(few)],
                    args.concurrency,
                    work,
                    pool=args.pool,
                    rate=args.steady,
                )
                steady_rounds[kind].append(r)
                print(
                    f"steady {args.steady:g}/s {r.kind}: {r.throughput:.1f} msg/s, p50 "
                    f"{r.percentile(0.5):.0f} ms, p99 {r.percentile(0.99):.0f} ms, cpu "
                    f"{r.cpu_ms_per_message:.2f} ms/msg",
                    flush=True,
                )
            steady = (pooled(steady_rounds["bot"]), pooled(steady_rounds["echo"]))
        text = report(runs["bot"], runs["echo"], colds, core, limited, args, steps, len(scripts))
        if args.rounds > 1:
            text += "\nRounds, bot / echo: " + round_ratios(rounds["bot"], rounds["echo"]) + "."
        if steady:
            text += "\n\n" + steady_report(*steady, args.steady, args.rounds)
            if args.rounds > 1:
                text += (
                    "\nRounds, bot / echo: "
                    + round_ratios(steady_rounds["bot"], steady_rounds["echo"])
                    + "."
                )
    print()
    print(text)
    if args.write:
        # The hand-written findings below the table survive a re-run.
        previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        kept = previous[previous.find(FINDINGS) :] if FINDINGS in previous else ""
        RESULTS.write_text(
            "# Whole-bot benchmark\n\n" + text + "\n\n" + RESULTS_NOTES + "\n" + kept,
            encoding="utf-8",
        )
    return 0


FINDINGS = "## Profile and findings"
RESULTS_NOTES = """\
How to read it: see bench/README.md. Latency runs from the injecting control call to the
arrival of the answer's last message at the stand-in, under the full load, so it includes
queueing behind the other users' messages; both bots are measured the same way on the same
machine, with the stand-in and the load generator sharing its two cores.
"""


if __name__ == "__main__":
    sys.exit(main())
