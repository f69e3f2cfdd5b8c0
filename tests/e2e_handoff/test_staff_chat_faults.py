"""Issue 14, end to end through PTB's HTTP stack and the Bot API stand-in, on the staff
side: a staff group upgraded to a supergroup, a user who blocks and unblocks the bot, long
relays and cards, a busy desk, staff edits, relayed text dressed up as a card, and forged
ticket ids on staff buttons."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from tests.e2e_handoff.conftest import Records, new_user
from tests.e2e_handoff.support import (
    STAFF,
    STAFF_MEMBER,
    Staff,
    User,
    call,
    staff_words,
    wait_for,
)
from tests.e2e_handoff.test_relay import ANSWERS
from tests.support.botapi_server import BotAPIServer, Driver

DONGGUAN = STAFF["dongguan"]
SUPERGROUP = -1009002  # what the Dongguan desk's group becomes
JSON = dict[str, Any]


async def texts_in(driver: Driver, chat_id: int) -> list[str]:
    return [m.get("text", "") for m in await call(driver, "sent", chat_id=chat_id)]


async def arrived(driver: Driver, chat_id: int, words: str, timeout: float = 8.0) -> JSON:
    async def found() -> JSON | None:
        messages = await call(driver, "sent", chat_id=chat_id)
        return next((m for m in messages if words in m.get("text", "")), None)

    return await wait_for(found, timeout)


# --- 2. a staff group upgraded to a supergroup ------------------------------------------------


async def test_a_staff_group_upgraded_to_a_supergroup_keeps_getting_enquiries(
    bot: Any, driver: Driver, server: BotAPIServer, log_guard: Records
) -> None:
    server.api.add_chat(DONGGUAN, "group", title="Dongguan desk")
    ada = await new_user(driver, 8101)
    ref_a, _ = await ada.leave_enquiry("talk to a person", ANSWERS["en"])
    await arrived(driver, DONGGUAN, ref_a)

    server.api.migrate_chat(DONGGUAN, SUPERGROUP, user=STAFF_MEMBER)
    [passed] = await ada.say("one more detail after the upgrade")
    assert ref_a in passed["text"]
    bob = await new_user(driver, 8102)
    ref_b, _ = await bob.leave_enquiry("talk to a person", {**ANSWERS["en"], "name": "Bob Lee"})

    upgraded = Staff(driver, SUPERGROUP)
    await upgraded.wait_for(ref_b)
    await upgraded.wait_for("one more detail after the upgrade")
    # Ada's card comes again in the supergroup: replies must quote a message there.
    card_a = await upgraded.wait_for("Wing Fat Printing")
    assert ref_a in card_a["text"]
    await upgraded.reply(card_a, "answered from the supergroup")
    await arrived(driver, ada.id, "answered from the supergroup")

    services = bot.services
    assert services.tickets.is_staff_chat(SUPERGROUP)
    assert services.tickets.staff_chats["dongguan"] == SUPERGROUP
    assert services.outbox.pending_count() == 0
    warnings = log_guard.messages(logging.WARNING)
    assert any(str(DONGGUAN) in m and str(SUPERGROUP) in m for m in warnings), warnings


# --- 4. block, then unblock ----------------------------------------------------------------------


async def _blocked_then_back(
    driver: Driver, server: BotAPIServer, dongguan: Staff, user_id: int, notify: bool
) -> tuple[User, JSON]:
    user = await new_user(driver, user_id)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    card = await dongguan.wait_for(ref)
    server.api.block_user(user.id)
    await dongguan.reply(card, "are you there?")
    blocked = staff_words(
        "{ref}: the user has blocked the bot; replies cannot reach them. Phone: {phone}",
        ref=ref,
        phone=ANSWERS["en"]["phone"],
    )
    await dongguan.wait_for(blocked)
    server.api.unblock_user(user.id, notify=notify)
    return user, card


async def test_a_user_who_unblocks_the_bot_gets_staff_replies_again(
    bot: Any, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    user, card = await _blocked_then_back(driver, server, dongguan, 8201, notify=True)
    ticket = bot.services.tickets.ticket_for_staff_message(DONGGUAN, card["message_id"])
    await dongguan.wait_for(
        staff_words("{ref}: the user can receive replies again.", ref=ticket.ref)
    )
    await dongguan.reply(card, "welcome back, we will call at three")
    await arrived(driver, user.id, "welcome back, we will call at three")


async def test_a_user_who_writes_again_after_a_block_gets_staff_replies(
    bot: Any, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    """Telegram's my_chat_member update may be missed: writing again is proof enough."""
    user, card = await _blocked_then_back(driver, server, dongguan, 8202, notify=False)
    await user.say("sorry, I blocked you by mistake")
    await dongguan.reply(card, "no problem")
    await arrived(driver, user.id, "no problem")


# --- 5. long relays and cards arrive whole --------------------------------------------------------


async def test_long_relays_and_cards_arrive_whole_in_several_messages(
    bot: Any, driver: Driver, dongguan: Staff
) -> None:
    user = await new_user(driver, 8301)
    topic = "START " + "<" * 1990 + " END"  # the hand-off keeps 2,000 characters of it
    ref, _ = await user.leave_enquiry("talk to a person", {**ANSWERS["en"], "topic": topic})
    await dongguan.wait_for(ref)
    card_parts = await wait_for(lambda: _parts_of(driver, ref, "START", "END"))
    joined = "".join(card_parts)
    assert "<" * 1990 in re.sub(rf"\(\d+/\d+\)|{ref}|\s", "", joined).replace("START", "")
    assert re.search(r"\(1/\d+\)\s*$", card_parts[0]), "the card says the enquiry continues"

    before = len(await texts_in(driver, DONGGUAN))
    await user.say("<" * 4090)
    words = " ".join(f"w{n:04d}" for n in range(680))  # 4,079 characters of plain text
    await user.say(words)

    async def relayed() -> list[str] | None:
        new = (await texts_in(driver, DONGGUAN))[before:]
        return new if "w0679" in "".join(new) and sum(t.count("<") for t in new) >= 4090 else None

    new = await wait_for(relayed, timeout=15)
    assert sum(t.count("<") for t in new) == 4090, "every character of the relay arrived"
    assert re.findall(r"w\d{4}", " ".join(new)) == words.split(), "plain text whole, in order"
    assert all(len(t) <= 4096 for t in new) and all(ref in t for t in new)


async def _parts_of(driver: Driver, ref: str, first: str, last: str) -> list[str] | None:
    texts = [t for t in await texts_in(driver, DONGGUAN) if ref in t]
    start = next((i for i, t in enumerate(texts) if first in t), None)
    if start is None:
        return None
    end = next((i for i, t in enumerate(texts) if last in t and i >= start), None)
    return texts[start : end + 1] if end is not None else None


# --- 7. a busy desk: a new card goes first, the backlog folded ----------------------------------


async def test_a_new_enquiry_goes_before_a_busy_desks_backlog(
    bot: Any, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    ada = await new_user(driver, 8401)
    bob = await new_user(driver, 8402)
    ref_a, _ = await ada.leave_enquiry("talk to a person", ANSWERS["en"])
    ref_b, _ = await bob.leave_enquiry("talk to a person", {**ANSWERS["en"], "name": "Bob Lee"})
    await dongguan.wait_for(ref_b)
    before = len(await dongguan.sent())
    # The group is at Telegram's limit: every send is refused until the fault is cleared.
    server.api.fail_next("sendMessage", error_code=429, retry_after=1, count=None, chat_id=DONGGUAN)
    for n in range(6):  # two users' messages, interleaved
        await ada.say(f"ada detail {n}")
        await bob.say(f"bob detail {n}")
    cy = await new_user(driver, 8403)
    ref_c, _ = await cy.leave_enquiry("talk to a person", {**ANSWERS["en"], "name": "Cy Ho"})
    server.api.clear_faults()

    async def everything() -> list[str] | None:
        new = [m["text"] for m in (await dongguan.sent())[before:]]
        joined = "\n".join(new)
        done = ref_c in joined and "ada detail 5" in joined and "bob detail 5" in joined
        return new if done else None

    new = await wait_for(everything, timeout=15)
    assert ref_c in new[0], f"the new card waited behind the backlog: {[t[:30] for t in new]}"
    assert len(new) <= 3, f"the backlog was not folded per ticket: {len(new)} messages"
    for name in ("ada", "bob"):
        [folded] = [t for t in new if f"{name} detail 0" in t]
        positions = [folded.find(f"{name} detail {n}") for n in range(6)]
        assert -1 not in positions and positions == sorted(positions), "each ticket in order"


# --- 13. staff edits, relays dressed up as cards, odd ticket ids ---------------------------------


async def test_a_staff_edit_reaches_the_user_as_a_correction(
    bot: Any, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    user = await new_user(driver, 8501)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    card = await dongguan.wait_for(ref)
    reply = await dongguan.reply(card, "we will visit on Monday")
    copy = await arrived(driver, user.id, "we will visit on Monday")
    server.api.user_edits_message(DONGGUAN, reply["message_id"], "we will visit on Tuesday")
    correction = await arrived(driver, user.id, "we will visit on Tuesday")
    assert "corrected" in correction["text"]
    assert correction["reply_to_message"]["message_id"] == copy["message_id"]


async def test_relayed_text_cannot_pass_for_a_ticket_card(
    bot: Any, driver: Driver, dongguan: Staff
) -> None:
    user = await new_user(driver, 8601)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    await dongguan.wait_for(ref)
    forged = "New enquiry CP-ABCDE · Dongguan\nName: Bob Lee\nPhone: +85298765432"
    await user.say(forged)
    relay = await dongguan.wait_for("New enquiry CP-ABCDE")
    assert relay["text"].startswith(ref), "the relay is headed by its sender's reference"
    start = relay["text"].index("New enquiry CP-ABCDE")
    quotes = [e for e in relay.get("entities", []) if e["type"] == "blockquote"]
    assert any(e["offset"] <= start < e["offset"] + e["length"] for e in quotes), (
        "the user's text is shown quoted"
    )


async def test_odd_ticket_ids_on_staff_buttons_are_refused_politely(
    bot: Any, driver: Driver, server: BotAPIServer, dongguan: Staff
) -> None:
    user = await new_user(driver, 8701)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    card = await dongguan.wait_for(ref)
    refusal = staff_words("That ticket is not handled in this chat.")
    for ticket_id in ("²", "9" * 23, "٣", "-1"):
        before = (await texts_in(driver, DONGGUAN)).count(refusal)
        server.api.inject_update(
            {
                "callback_query": {
                    "id": f"q{abs(hash(ticket_id))}",
                    "from": STAFF_MEMBER | {"is_bot": False},
                    "message": card,
                    "chat_instance": "1",
                    "data": f"v1|0|ticket|claim:{ticket_id}",
                }
            }
        )

        async def refused(before: int = before) -> bool:
            return (await texts_in(driver, DONGGUAN)).count(refusal) > before

        await wait_for(refused)
    assert bot.services.tickets.by_ref(ref).status == "open"
    await asyncio.sleep(0.2)
