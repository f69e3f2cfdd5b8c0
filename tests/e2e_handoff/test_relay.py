"""Hand-off end to end through PTB's HTTP stack and the Bot API stand-in: a user leaves an
enquiry, the desk's staff group gets the card, replies go back as copies, only to their
own ticket's user, and only from the staff chats."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e_handoff.conftest import new_user
from tests.e2e_handoff.support import STAFF, Staff, call, staff_words, wait_for
from tests.support.botapi_server import BotAPIServer, Driver

ANSWERS = {
    "en": {
        "name": "Ada Wong",
        "company": "Wing Fat Printing",
        "phone": "+85291234567",
        "place": "Dongguan",
        "topic": "Can we still apply for a compressed air audit?",
    },
    "zh_Hant_HK": {
        "name": "黃小姐",
        "company": "永發印刷",
        "phone": "+85291234568",
        "place": "東莞長安",
        "topic": "我哋想問壓縮空氣審核仲可唔可以申請？",
    },
    "zh_Hans_CN": {
        "name": "王先生",
        "company": "永发印刷",
        "phone": "+8613800138000",
        "place": "东莞长安",
        "topic": "我们想问空压机审核还能申请吗？",
    },
}
TRIGGERS = {"en": "talk to a person", "zh_Hant_HK": "我想搵真人", "zh_Hans_CN": "转人工"}
LANGUAGE_CODES = {"en": "en", "zh_Hant_HK": "zh-hk", "zh_Hans_CN": "zh-hans"}
LANGUAGE_NAMES = {"en": "English", "zh_Hant_HK": "繁體中文", "zh_Hans_CN": "简体中文"}


async def user_texts(driver: Driver, user_id: int) -> list[str]:
    return [m.get("text", "") for m in await call(driver, "sent", chat_id=user_id)]


@pytest.mark.parametrize("locale", ["en", "zh_Hant_HK", "zh_Hans_CN"])
async def test_user_to_staff_to_user_in_three_languages(
    bot: object, driver: Driver, dongguan: Staff, locale: str
) -> None:
    answers = ANSWERS[locale]
    user = await new_user(driver, 5100, LANGUAGE_CODES[locale])
    ref, done = await user.leave_enquiry(TRIGGERS[locale], answers)

    card = await dongguan.wait_for(ref)
    assert LANGUAGE_NAMES[locale] in card["text"]
    for field in ("name", "company", "phone", "topic"):
        assert answers[field] in card["text"], field
    assert any(name in card["text"] for name in ("Dongguan", "東莞", "东莞")), "the place, as typed"

    staff_answer = {
        "en": "Yes, we will call you tomorrow.",
        "zh_Hant_HK": "可以，我哋聽日打俾你。",
        "zh_Hans_CN": "可以，我们明天给您打电话。",
    }[locale]
    before = len(await user.sent())
    await dongguan.reply(card, staff_answer)
    copied = await wait_for(lambda: _new_with(driver, user.id, before, staff_answer))
    assert "forward_origin" not in copied, "a copy, not a forward"

    follow_up = {
        "en": "Thanks, after 3pm please.",
        "zh_Hant_HK": "唔該，三點之後啦。",
        "zh_Hans_CN": "谢谢，三点以后吧。",
    }[locale]
    [passed] = await user.say(follow_up)
    assert ref in passed["text"]
    relayed = await dongguan.wait_for(follow_up)
    assert ref in relayed["text"]
    before = len(await user.sent())
    await dongguan.reply(relayed, "OK")
    await wait_for(lambda: _new_with(driver, user.id, before, "OK"))


async def _new_with(driver: Driver, chat_id: int, before: int, text: str) -> dict | None:
    messages = await call(driver, "sent", chat_id=chat_id)
    return next((m for m in messages[before:] if m.get("text") == text), None)


async def test_replies_reach_only_their_own_tickets_user(
    bot: object, driver: Driver, dongguan: Staff
) -> None:
    ada = await new_user(driver, 5201)
    bob = await new_user(driver, 5202)
    ref_a, _ = await ada.leave_enquiry("talk to a person", ANSWERS["en"])
    ref_b, _ = await bob.leave_enquiry("call me back", {**ANSWERS["en"], "name": "Bob Lee"})
    card_a = await dongguan.wait_for(ref_a)
    card_b = await dongguan.wait_for(ref_b)
    await dongguan.reply(card_b, "for Bob only")
    await dongguan.reply(card_a, "for Ada only")
    await wait_for(lambda: _new_with(driver, ada.id, 0, "for Ada only"))
    await wait_for(lambda: _new_with(driver, bob.id, 0, "for Bob only"))
    await asyncio.sleep(0.3)
    assert "for Bob only" not in await user_texts(driver, ada.id)
    assert "for Ada only" not in await user_texts(driver, bob.id)


async def test_only_staff_chats_act_as_staff(
    bot: object, driver: Driver, server: BotAPIServer, dongguan: Staff, shenzhen: Staff
) -> None:
    user = await new_user(driver, 5301)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    card = await dongguan.wait_for(ref)
    before = await user_texts(driver, user.id)

    # A group that is not a staff chat, with a message at the same id as the card.
    stranger = Staff(driver, -1009)
    await stranger.open()
    for n in range(card["message_id"]):
        await call(
            driver,
            "user_sends_text",
            chat_id=-1009,
            text=f"chatter {n}",
            user={"id": 777, "first_name": "Eve"},
            chat_type="supergroup",
        )
    await call(
        driver,
        "user_sends_text",
        chat_id=-1009,
        text="/tickets",
        user={"id": 777, "first_name": "Eve"},
        chat_type="supergroup",
    )
    server.api.user_sends_text(
        -1009,
        "I answer you",
        user={"id": 777, "first_name": "Eve"},
        chat_type="supergroup",
        reply_to_message_id=card["message_id"],
    )
    # Another desk's staff chat cannot answer this desk's ticket either.
    await shenzhen.command("/close " + ref)
    await shenzhen.wait_for(staff_words("That ticket is not handled in this chat."))
    await asyncio.sleep(0.5)
    assert await user_texts(driver, user.id) == before
    assert await call(driver, "sent", chat_id=-1009) == []
    assert bot.services.tickets.by_ref(ref).status == "open"  # type: ignore[attr-defined]


async def test_forged_staff_button_in_a_private_chat_gets_menu_expired(
    bot: object, driver: Driver, server: BotAPIServer
) -> None:
    user = await new_user(driver, 5401)
    [offer] = await user.say("talk to a person")
    forged = "v1|0|ticket|close:1"
    # A modified client sends data the bot never put on this message.
    with server.api._lock:
        server.api._replace_message(
            {
                **offer,
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": forged}]]},
            }
        )
    since = server.api.event_count(user.id)
    tap = server.api.user_taps(user.id, offer["message_id"], forged)
    texts: list[str] = []
    for _attempt in range(20):  # the callback's answer may come first; wait for the text
        events = await driver._collect(user.id, since, None, None, any_kind=True)
        texts = [e["message"]["text"] for e in events if e["kind"] == "message"]
        if texts:
            break
    assert texts and any("expired" in t.lower() or "menu" in t.lower() for t in texts), texts
    assert server.api.callback_answer(tap.update["callback_query"]["id"]) is not None


async def test_claim_close_reopen_transfer_and_list(
    bot: object, driver: Driver, dongguan: Staff, shenzhen: Staff
) -> None:
    user = await new_user(driver, 5501)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    card = await dongguan.wait_for(ref)
    await dongguan.tap(card, "ticket", f"claim:{_ticket_id(card)}")
    await dongguan.wait_for(staff_words("{ref} claimed by {name}.", ref=ref, name="May Chan"))
    await dongguan.command("/tickets")
    listing = await dongguan.wait_for(staff_words("Open enquiries: {count}", count="1"))
    status = staff_words("{status} ({who})", status=staff_words("claimed"), who="May Chan")
    assert ref in listing["text"] and status in listing["text"], "the status in the desk's words"

    await dongguan.command("/transfer shenzhen", reply_to=card)
    moved = await shenzhen.wait_for(ref)
    assert "第三條查詢熱線" in moved["text"] or "Enquiry hotline 3" in moved["text"]
    await dongguan.reply(card, "too late")  # the old desk no longer answers it
    await dongguan.wait_for(staff_words("That ticket is not handled in this chat."))

    await shenzhen.tap(moved, "ticket", f"close:{_ticket_id(moved)}")
    closing = await wait_for(lambda: _new_with_part(driver, user.id, "closed your enquiry"))
    assert ref in closing["text"]
    await shenzhen.reply(moved, "after close")
    await shenzhen.wait_for(staff_words("{ref} is closed; reopen it to reply.", ref=ref))
    await shenzhen.command(f"/reopen {ref}")
    await shenzhen.wait_for(staff_words("{ref} reopened.", ref=ref))
    await shenzhen.reply(moved, "after reopen")
    await wait_for(lambda: _new_with(driver, user.id, 0, "after reopen"))
    assert "after close" not in await user_texts(driver, user.id)


async def _new_with_part(driver: Driver, chat_id: int, part: str) -> dict | None:
    messages = await call(driver, "sent", chat_id=chat_id)
    return next((m for m in messages if part in m.get("text", "")), None)


def _ticket_id(card: dict) -> str:
    for row in card["reply_markup"]["inline_keyboard"]:
        for button in row:
            action = button["callback_data"].split("|")[3]
            if action.startswith("claim:"):
                return action.split(":")[1]
    raise AssertionError("no claim button")


async def test_cancel_request_and_forget(bot: object, driver: Driver, dongguan: Staff) -> None:
    user = await new_user(driver, 5601)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    await dongguan.wait_for(ref)
    [closed] = await user.say("/cancel_request")
    assert ref in closed["text"]
    await dongguan.wait_for(staff_words("{ref}: the user closed the enquiry.", ref=ref))
    ref2, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    await dongguan.wait_for(ref2)
    await user.say("/forget")
    await dongguan.wait_for(
        staff_words("{ref}: the user asked to be forgotten; replies cannot reach them.", ref=ref2)
    )
    services = bot.services  # type: ignore[attr-defined]
    phone = ANSWERS["en"]["phone"]
    with services.store.lock:
        dump = "\n".join(services.store.conn.iterdump())
    assert phone not in dump and "Wing Fat" not in dump
    assert services.tickets.by_ref(ref2).chat_id is None


async def test_no_staff_chat_for_the_desk_falls_back_to_hong_kong(
    settings: object, server: BotAPIServer, driver: Driver, hk: Staff
) -> None:
    from dataclasses import replace

    from tests.e2e_handoff.support import running_bot

    only_hk = replace(settings, staff_chats={"hk": STAFF["hk"]})  # type: ignore[type-var]
    async with running_bot(only_hk):
        user = await new_user(driver, 5701)
        ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
        card = await hk.wait_for(ref)
        assert "Dongguan" in card["text"]
        await hk.reply(card, "HK here")
        await wait_for(lambda: _new_with(driver, user.id, 0, "HK here"))


async def test_without_staff_chats_the_enquiry_is_kept_and_the_numbers_given(
    settings: object, driver: Driver
) -> None:
    from dataclasses import replace

    from tests.e2e_handoff.support import running_bot

    async with running_bot(replace(settings, staff_chats={})) as running:  # type: ignore[type-var]
        user = await new_user(driver, 5801)
        ref, done = await user.leave_enquiry("talk to a person", ANSWERS["en"])
        text = "\n".join(m["text"] for m in done)
        assert "(852) 2788 5588" in text and "will reply in this chat" not in text
        assert running.services.tickets.by_ref(ref).status == "open"


async def test_messages_still_reach_staff_after_the_user_opens_the_menu(
    bot: object, driver: Driver, dongguan: Staff
) -> None:
    user = await new_user(driver, 5901)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    await dongguan.wait_for(ref)
    await user.say("/start")
    await user.say("one more thing about the boiler")
    await dongguan.wait_for("one more thing about the boiler", timeout=2)
