"""Issue 14, end to end through PTB's HTTP stack and the Bot API stand-in, on the inbox
side: updates that cannot be parsed or handled, update ids Telegram reuses, one user
flooding the bot, and the database locked by another process mid-send."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from dataclasses import replace
from typing import Any

import pytest

from bot.config import Settings
from bot.outbox import Inbox
from bot.store import Store
from tests.e2e_handoff.conftest import Records, new_user
from tests.e2e_handoff.support import STAFF, call, running_bot, wait_for
from tests.e2e_handoff.test_relay import ANSWERS
from tests.support.botapi_server import BotAPIServer, Driver

DONGGUAN = STAFF["dongguan"]
SECRET = "call me on 91234567"  # what must never reach a log line
# A message whose chat has no type: PTB's Chat() raises TypeError on it.
POISON = {
    "message": {
        "message_id": 1,
        "date": 1700000000,
        "chat": {"id": 4242},
        "from": {"id": 4242, "is_bot": False, "first_name": "X"},
        "text": SECRET,
    }
}


def dead_updates(path: Any) -> list[dict[str, Any]]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM dead_updates ORDER BY id")]


def count_calls(server: BotAPIServer, method: str) -> list[float]:
    """Times of every call of ``method`` the stand-in answers from now on."""
    seen: list[float] = []
    original = server.api.request

    async def counting(name: str, params: Any = None) -> Any:
        if name.lower() == method.lower():
            seen.append(time.monotonic())
        return await original(name, params)

    server.api.request = counting  # type: ignore[method-assign]
    return seen


def no_secret_logged(log_guard: Records) -> None:
    for record in log_guard.records:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += repr(record.exc_info[1])
        assert SECRET not in text and "91234567" not in text, record.name


# --- 3. poison updates -------------------------------------------------------------------------


async def test_an_update_that_cannot_be_parsed_is_set_aside(
    bot: Any, driver: Driver, server: BotAPIServer, settings: Settings, log_guard: Records
) -> None:
    log_guard.expected.append("set aside")
    polls = count_calls(server, "getUpdates")
    poison = server.api.inject_update(POISON)
    user = await new_user(driver, 9101)
    [answer] = (await user.say("/help"))[-1:]
    assert answer["text"], "the bot still answers"
    started = time.monotonic()
    await asyncio.sleep(2.0)
    recent = [t for t in polls if t >= started]
    assert len(recent) <= 6, f"polling spins: {len(recent)} getUpdates in 2 s"
    [dead] = dead_updates(settings.db_path)
    assert dead["update_id"] == poison["update_id"] and "TypeError" in dead["reason"]
    assert SECRET not in dead["reason"]
    set_aside = [m for m in log_guard.messages() if "set aside" in m]
    assert len(set_aside) == 1, set_aside
    no_secret_logged(log_guard)


async def test_a_poison_stored_before_a_crash_does_not_stop_the_restart(
    server: BotAPIServer, settings: Settings, driver: Driver, log_guard: Records
) -> None:
    """The update was stored, then the process died before handling it: the restart
    replays it, and must set it aside rather than crash."""
    log_guard.expected.append("set aside")
    store = Store(settings.db_path)
    Inbox(store).keep([{"update_id": 900, **POISON}])
    store.close()
    async with running_bot(settings):
        user = await new_user(driver, 9201)
        assert await user.say("/help")
    [dead] = dead_updates(settings.db_path)
    assert dead["update_id"] == 900
    no_secret_logged(log_guard)


async def test_an_update_whose_handling_always_fails_is_set_aside_after_three_tries(
    bot: Any, driver: Driver, settings: Settings, log_guard: Records
) -> None:
    log_guard.expected.append("(set aside)")
    dialogue = bot.services.dialogue
    original = dialogue.handle
    tries: list[int] = []

    def handle(session: Any, event: Any) -> Any:
        if getattr(event, "text", None) == "boom":
            tries.append(session.chat_id)
            raise RuntimeError(f"cannot read {event.text} or {SECRET}")
        return original(session, event)

    dialogue.handle = handle
    user = await new_user(driver, 9301)
    other = await new_user(driver, 9302)
    sorry = await driver.say(user.id, "boom", timeout=15)
    assert any("Sorry" in m["text"] for m in sorry)
    assert await other.say("/help"), "other chats go on"
    assert [m["text"] for m in await user.say("/help")], "the same chat goes on afterwards"
    assert tries == [user.id] * 3
    [dead] = dead_updates(settings.db_path)
    assert dead["tries"] == 3 and "RuntimeError" in dead["reason"]
    said = [m["text"] for m in await call(driver, "sent", chat_id=user.id)]
    assert sum("Sorry" in t for t in said) == 1, "told once, not at every try"
    no_secret_logged(log_guard)


# --- 12. update ids reused after a week without updates ---------------------------------------


async def test_update_ids_reused_by_telegram_are_answered(
    bot: Any, driver: Driver, server: BotAPIServer, settings: Settings
) -> None:
    user = await new_user(driver, 9401)
    first = server.api.snapshot()["next_update_id"]
    for n in range(10):
        assert await user.say(f"/help {n}")
    # A week passes without updates (the bot's records age), then Telegram numbers the
    # next updates from a random id that happens to repeat the ones above.
    week = 8 * 86400
    with sqlite3.connect(settings.db_path) as conn:
        conn.execute("UPDATE inbox SET received_at = received_at - ?", (week,))
        conn.execute("UPDATE outbox SET created_at = created_at - ?", (week,))
    server.api.set_next_update_id(first)
    answered = 0
    for n in range(10):
        if await user.say(f"hotline number? {n}"):
            answered += 1
    assert answered == 10


# --- 6. fairness: one user's flood holds up nobody else ------------------------------------------


async def test_one_users_flood_does_not_hold_up_others_and_gets_one_notice(
    bot: Any, driver: Driver, server: BotAPIServer
) -> None:
    flooder = await new_user(driver, 9501)
    calm = await new_user(driver, 9502)
    for n in range(600):
        server.api.user_sends_text(flooder.id, f"spam {n}")
    started = time.monotonic()
    assert await driver.say(calm.id, "hotline number?", timeout=10)
    waited = time.monotonic() - started
    assert waited < 3.0, f"another user waited {waited:.1f} s behind the flood"

    services = bot.services

    async def drained() -> bool:
        with services.store.lock:
            row = services.store.conn.execute(
                "SELECT COUNT(*) FROM inbox WHERE state != 'done'"
            ).fetchone()
        return row[0] == 0 and services.outbox.pending_count() == 0

    await wait_for(drained, timeout=30)
    said = [m["text"] for m in await call(driver, "sent", chat_id=flooder.id)]
    notices = [t for t in said if "faster than I can read" in t]
    assert len(notices) == 1, notices
    assert len(said) < 100, f"the excess was answered: {len(said)} replies"


# --- 1. the database locked by another process while a card is being sent -----------------------


@pytest.mark.slow
async def test_a_locked_database_mid_send_does_not_freeze_the_staff_chat(
    server: BotAPIServer, settings: Settings, driver: Driver, log_guard: Records
) -> None:
    """Another process holds the write lock longer than the busy timeout while a card is
    on its way: the card's "sent" mark fails, and is written once the lock goes; the next
    enquiry's card follows, and the first is not sent twice."""
    async with running_bot(replace(settings, db_unwritable_exit=600)) as running:
        services = running.services
        ada = await new_user(driver, 9601)
        bob = await new_user(driver, 9602)
        locker = sqlite3.connect(settings.db_path, isolation_level=None, timeout=10)
        # The card's request takes a second at "Telegram": the lock is taken meanwhile.
        server.api.fail_network("sendMessage", mode="delay", delay=1.0, chat_id=DONGGUAN)
        ref_a, _ = await ada.leave_enquiry("talk to a person", ANSWERS["en"])
        locker.execute("BEGIN IMMEDIATE")
        await asyncio.sleep(6.5)  # longer than the bot's 5 s busy timeout
        locker.execute("COMMIT")
        ref_b, _ = await bob.leave_enquiry("talk to a person", {**ANSWERS["en"], "name": "Bob"})

        async def both() -> bool:
            texts = [m["text"] for m in await call(driver, "sent", chat_id=DONGGUAN)]
            return any(ref_a in t for t in texts) and any(ref_b in t for t in texts)

        await wait_for(both, timeout=30)
        texts = [m["text"] for m in await call(driver, "sent", chat_id=DONGGUAN)]
        assert sum(ref_a in t and "Wing Fat" in t for t in texts) == 1
        await wait_for(lambda: _async(services.outbox.pending_count() == 0), timeout=10)
        assert services.store.failing_for() == 0
    retried = [m for m in log_guard.messages(logging.WARNING) if "could not record" in m]
    assert retried, "the failed write was seen and retried"
    json.dumps(retried)


async def _async(value: bool) -> bool:
    return value
