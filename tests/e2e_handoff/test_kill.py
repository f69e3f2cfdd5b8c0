"""The bot process killed with SIGKILL between receiving and delivering, then restarted:
every enquiry and message reaches staff and the user, none is lost and none is doubled.

Both sides are real processes: the Bot API stand-in keeps Telegram's state in a file and
outlives the bot; ``python -m bot run`` is started, killed and started again on the same
``BOT_DB``. Faults held in the stand-in pin the bot at the moment to kill it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e_handoff.support import (
    STAFF,
    STAFF_MEMBER,
    TOKEN,
    BotProcess,
    User,
    callback,
    wait_for,
)
from tests.e2e_handoff.test_relay import ANSWERS
from tests.support.botapi_server import ControlClient, Driver, ServerProcess

DONGGUAN = STAFF["dongguan"]


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(token=TOKEN, state_path=tmp_path / "telegram.json") as process:
        for chat_id in STAFF.values():
            process.control.call("add_chat", chat_id=chat_id, chat_type="supergroup")
        yield process


@pytest.fixture
def bot_process(stand_in: ServerProcess, tmp_path: Path, kb_path: Path) -> Iterator[BotProcess]:
    bot = BotProcess(stand_in.base_url, tmp_path / "bot.sqlite3", kb_path, tmp_path / "bot.log")
    try:
        yield bot
    finally:
        bot.stop()
        log = (tmp_path / "bot.log").read_text(errors="replace")
        assert TOKEN not in log, "the token was logged"
        for answers in ANSWERS.values():
            assert answers["phone"] not in log, "a phone number was logged"
            assert answers["phone"].lstrip("+") not in log, "a phone number was logged"


def texts(control: ControlClient, chat_id: int) -> list[str]:
    return [m.get("text", "") for m in control.call("sent", chat_id=chat_id)]


def count(control: ControlClient, chat_id: int, part: str) -> int:
    return sum(part in text for text in texts(control, chat_id))


async def confirmed(control: ControlClient, update_id: int) -> None:
    """Wait until the bot has fetched ``update_id`` and asked again, which tells Telegram
    it has the update: from then on only the bot's own storage can keep it."""

    async def gone() -> bool:
        pending = await control.acall("pending_updates")
        return all(u["update_id"] != update_id for u in pending)

    await wait_for(gone, timeout=10)
    await asyncio.sleep(0.3)


async def start(bot: BotProcess, user: User) -> None:
    """Start the bot and wait until it answers (imports and polling take a moment)."""
    bot.start()
    await user.driver.say(user.id, "/help", timeout=30)


async def enquiry_up_to_the_summary(user: User) -> dict:
    [offer] = await user.say("talk to a person")
    screen = await user.tap(offer, "handoff", "leave")
    answers = ANSWERS["en"]
    for field in ("name", "company"):
        screen = await user.say(answers[field])
    screen = await user.share_phone(answers["phone"])
    for field in ("place", "topic"):
        screen = await user.say(answers[field])
    summary = screen[-1]
    callback(summary, "confirm", "send")
    return summary


async def test_killed_between_receiving_and_delivering(
    stand_in: ServerProcess, bot_process: BotProcess
) -> None:
    control = stand_in.control
    user = User(Driver(control, timeout=15.0, settle=0.3), 7101)
    await user.start()
    await start(bot_process, user)
    summary = await enquiry_up_to_the_summary(user)

    # 1. The tap that sends the enquiry is fetched (and so confirmed to Telegram), but the
    # bot is held before handling it: answering the button waits on the network.
    control.call("fail_network", method="answerCallbackQuery", mode="delay", delay=4)
    tap = control.call(
        "user_taps",
        chat_id=user.id,
        message_id=summary["message_id"],
        callback_data=callback(summary, "confirm", "send"),
    )
    await confirmed(control, tap["update"]["update_id"])
    assert not any("CP-" in t for t in texts(control, user.id)), "handled before the kill"
    bot_process.kill()
    control.call("clear_faults")
    await start(bot_process, user)

    async def acknowledged() -> str | None:
        found = [t for t in texts(control, user.id) if "CP-" in t]
        return found[0] if found else None

    ref = re.search(r"CP-[2-9A-Z]{5}", await wait_for(acknowledged, timeout=15)).group(0)
    await wait_for(lambda: _async(count(control, DONGGUAN, ref) >= 1), timeout=15)

    # 2. Handled and committed, deliveries to staff still queued: the staff group's
    # requests never reach Telegram while the user writes on.
    control.call("fail_network", method="sendMessage", mode="drop", count=None, chat_id=DONGGUAN)
    for line in ("first detail", "second detail"):
        [passed] = await user.say(line)
        assert ref in passed["text"]
    bot_process.kill()
    control.call("clear_faults")
    await start(bot_process, user)
    await wait_for(lambda: _async(count(control, DONGGUAN, "second detail") >= 1), timeout=15)

    # 3. A staff reply arrives while the bot is down: it waits at Telegram, then goes.
    card = next(m for m in control.call("sent", chat_id=DONGGUAN) if ref in m["text"])
    bot_process.kill()
    control.call(
        "user_sends_text",
        chat_id=DONGGUAN,
        text="we will phone you at three",
        user=STAFF_MEMBER,
        chat_type="supergroup",
        reply_to_message_id=card["message_id"],
    )
    await start(bot_process, user)
    await wait_for(
        lambda: _async(count(control, user.id, "we will phone you at three") >= 1), timeout=15
    )

    await asyncio.sleep(1.0)  # anything doubled would have arrived by now
    cards = [t for t in texts(control, DONGGUAN) if ref in t and "Wing Fat Printing" in t]
    assert len(cards) == 1, cards
    assert count(control, DONGGUAN, "first detail") == 1
    assert count(control, DONGGUAN, "second detail") == 1
    assert count(control, user.id, "we will phone you at three") == 1
    said = texts(control, user.id)
    assert sum(t.startswith(f"Sent. Your reference is {ref}") for t in said) == 1, said
    assert sum(t.startswith("Passed to staff") for t in said) == 2, said


@pytest.mark.slow
async def test_killed_with_a_send_in_flight_delivers_after_restart(
    stand_in: ServerProcess, bot_process: BotProcess
) -> None:
    """Telegram has no idempotency key: a send the bot was killed waiting on may have
    arrived, and is sent again. The bound: it arrives, at most twice; nothing else doubles."""
    control = stand_in.control
    user = User(Driver(control, timeout=15.0, settle=0.3), 7201)
    await user.start()
    await start(bot_process, user)
    summary = await enquiry_up_to_the_summary(user)
    done = await user.tap(summary, "confirm", "send")
    ref = re.search(r"CP-[2-9A-Z]{5}", "\n".join(m["text"] for m in done)).group(0)
    await wait_for(lambda: _async(count(control, DONGGUAN, ref) >= 1), timeout=15)
    card = next(m for m in control.call("sent", chat_id=DONGGUAN) if ref in m["text"])

    control.call("fail_network", method="copyMessage", mode="delay", delay=2)
    reply = control.call(
        "user_sends_text",
        chat_id=DONGGUAN,
        text="in flight",
        user=STAFF_MEMBER,
        chat_type="supergroup",
        reply_to_message_id=card["message_id"],
    )
    await confirmed(control, reply["update"]["update_id"])
    bot_process.kill()
    await start(bot_process, user)
    await wait_for(lambda: _async(count(control, user.id, "in flight") >= 1), timeout=15)
    await asyncio.sleep(3.0)
    copies = count(control, user.id, "in flight")
    assert 1 <= copies <= 2
    assert len([t for t in texts(control, DONGGUAN) if ref in t and "Wing Fat" in t]) == 1


async def _async(value: bool) -> bool:
    return value
