"""Telegram misbehaving during a hand-off: flood limits (429), network errors, a user who
blocked the bot. Everything is delivered after a retry, once, and nothing stalls."""

from __future__ import annotations

import asyncio

from tests.e2e_handoff.conftest import new_user
from tests.e2e_handoff.support import STAFF, Staff, call, staff_words, wait_for
from tests.e2e_handoff.test_relay import ANSWERS
from tests.support.botapi_server import BotAPIServer, Driver


async def count_in(driver: Driver, chat_id: int, text: str) -> int:
    return sum(text in m.get("text", "") for m in await call(driver, "sent", chat_id=chat_id))


async def test_flood_limit_on_the_card_is_waited_out(
    bot: object, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    server.api.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=STAFF["dongguan"])
    user = await new_user(driver, 6101)
    loop = asyncio.get_running_loop()
    started = loop.time()
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    await dongguan.wait_for(ref)
    assert loop.time() - started >= 1.0, "the card went before Telegram's retry_after"
    await asyncio.sleep(0.3)
    assert await count_in(driver, STAFF["dongguan"], ref) == 1


async def test_network_errors_on_a_staff_reply_are_retried(
    bot: object, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    user = await new_user(driver, 6201)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    card = await dongguan.wait_for(ref)
    server.api.fail_network("copyMessage", mode="drop")
    server.api.fail_network("copyMessage", mode="bad_gateway")
    server.api.fail_next("copyMessage", error_code=429, retry_after=1)
    await dongguan.reply(card, "we will phone you")

    async def arrived() -> bool:
        return await count_in(driver, user.id, "we will phone you") >= 1

    await wait_for(arrived, timeout=10)
    await asyncio.sleep(0.3)
    assert await count_in(driver, user.id, "we will phone you") == 1


async def test_a_backlog_for_a_staff_group_goes_as_one_message(
    bot: object, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    user = await new_user(driver, 6301)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    await dongguan.wait_for(ref)
    before = len(await dongguan.sent())
    server.api.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=STAFF["dongguan"])
    lines = [f"detail number {n}" for n in range(1, 6)]
    for line in lines:
        await user.say(line)

    async def all_there() -> list[dict]:
        new = (await dongguan.sent())[before:]
        text = "\n".join(m["text"] for m in new)
        return new if all(line in text for line in lines) else []

    new = await wait_for(all_there, timeout=10)
    assert len(new) < len(lines), "the backlog was sent message by message"
    grouped = new[-1]
    assert ref in grouped["text"]
    positions = [grouped["text"].find(line) for line in lines if line in grouped["text"]]
    assert positions == sorted(positions), "grouped in the order the user wrote"
    await dongguan.reply(grouped, "got all five")
    await wait_for(lambda: count_in(driver, user.id, "got all five"))


async def test_a_user_who_blocked_the_bot_does_not_stall_others(
    bot: object, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    ada = await new_user(driver, 6401)
    bob = await new_user(driver, 6402)
    ref_a, _ = await ada.leave_enquiry("talk to a person", ANSWERS["en"])
    ref_b, _ = await bob.leave_enquiry("talk to a person", {**ANSWERS["en"], "name": "Bob"})
    card_a = await dongguan.wait_for(ref_a)
    card_b = await dongguan.wait_for(ref_b)
    server.api.block_user(ada.id)
    await dongguan.reply(card_a, "are you there, Ada?")
    await dongguan.reply(card_b, "hello Bob")
    await wait_for(lambda: count_in(driver, bob.id, "hello Bob"))
    blocked = staff_words(
        "{ref}: the user has blocked the bot; replies cannot reach them. Phone: {phone}",
        ref=ref_a,
        phone=ANSWERS["en"]["phone"],
    )
    await dongguan.wait_for(blocked)
    services = bot.services  # type: ignore[attr-defined]
    assert services.tickets.by_ref(ref_a).user_blocked

    async def drained() -> bool:
        return services.outbox.pending_count() == 0

    # nothing stays queued; the last rows may still be on their way on a busy machine
    await wait_for(drained)
