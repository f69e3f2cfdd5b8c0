"""LocalBotAPI (the in-memory Bot API) and LocalRequest (PTB answered in-process)."""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
import time
from pathlib import Path

import pytest
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from tests.support.local_api import BotAPIError, LocalBotAPI, parse_html
from tests.support.local_request import LocalRequest, use_local_api

USER = 42
KEYBOARD = {
    "inline_keyboard": [
        [{"text": "Yes", "callback_data": "yes"}, {"text": "No", "callback_data": "no"}]
    ]
}


@pytest.fixture
def api() -> LocalBotAPI:
    return LocalBotAPI()


async def started_chat(api: LocalBotAPI, chat_id: int = USER) -> None:
    """The user opens the chat and the bot confirms that update, as a running bot would."""
    api.user_sends_text(chat_id, "/start")
    updates = await api.call("getUpdates")
    await api.call("getUpdates", offset=updates[-1]["update_id"] + 1, timeout=0)


# --- getUpdates ---------------------------------------------------------------------------


async def test_get_updates_offset_confirms_and_limit_caps(api: LocalBotAPI) -> None:
    for text in ("one", "two", "three"):
        api.user_sends_text(USER, text)
    first = await api.call("getUpdates", limit=2)
    assert [u["message"]["text"] for u in first] == ["one", "two"]
    again = await api.call("getUpdates")
    assert len(again) == 3, "updates stay until an offset confirms them"
    rest = await api.call("getUpdates", offset=first[-1]["update_id"] + 1)
    assert [u["message"]["text"] for u in rest] == ["three"]
    assert await api.call("getUpdates", offset=rest[-1]["update_id"] + 1, timeout=0) == []


async def test_get_updates_negative_offset_keeps_only_the_last(api: LocalBotAPI) -> None:
    for text in ("a", "b", "c"):
        api.user_sends_text(USER, text)
    assert [u["message"]["text"] for u in await api.call("getUpdates", offset=-1)] == ["c"]


async def test_long_poll_wakes_on_update_and_times_out_empty(api: LocalBotAPI) -> None:
    started = time.monotonic()
    assert await api.call("getUpdates", timeout=1) == []
    assert time.monotonic() - started >= 0.95

    poll = asyncio.create_task(api.call("getUpdates", timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    api.user_sends_text(USER, "wake up")
    updates = await asyncio.wait_for(poll, 1)
    assert updates[0]["message"]["text"] == "wake up"


async def test_long_poll_is_woken_from_another_thread(api: LocalBotAPI) -> None:
    poll = asyncio.create_task(api.call("getUpdates", timeout=10))
    await asyncio.sleep(0.02)
    sent_at = time.monotonic()
    threading.Thread(target=api.user_sends_text, args=(USER, "from a thread")).start()
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0]["message"]["text"] == "from a thread"
    assert time.monotonic() - sent_at < 0.5


async def test_second_poll_terminates_the_first_with_conflict(api: LocalBotAPI) -> None:
    first = asyncio.create_task(api.request("getUpdates", {"timeout": 10}))
    await asyncio.sleep(0.02)
    second = asyncio.create_task(api.request("getUpdates", {"timeout": 10}))
    status, envelope = await asyncio.wait_for(first, 1)
    assert status == 409 and "terminated by other getUpdates" in envelope["description"]
    api.user_sends_text(USER, "hi")
    status, envelope = await asyncio.wait_for(second, 1)
    assert status == 200 and envelope["result"][0]["message"]["text"] == "hi"


async def test_allowed_updates_filters_new_updates(api: LocalBotAPI) -> None:
    await api.call("getUpdates", allowed_updates=["callback_query"], timeout=0)
    api.user_sends_text(USER, "ignored")
    assert await api.call("getUpdates", timeout=0) == []
    await api.call("getUpdates", allowed_updates=[], timeout=0)  # back to the default set
    api.user_sends_text(USER, "kept")
    assert len(await api.call("getUpdates", timeout=0)) == 1


async def test_webhook_blocks_get_updates_until_deleted(api: LocalBotAPI) -> None:
    await api.call("setWebhook", url="https://example.invalid/hook")
    assert api.webhook()["url"] == "https://example.invalid/hook"
    with pytest.raises(BotAPIError) as error:
        await api.call("getUpdates")
    assert error.value.error_code == 409
    api.user_sends_text(USER, "pending")
    await api.call("deleteWebhook", drop_pending_updates=True)
    assert await api.call("getUpdates", timeout=0) == []


# --- sending and validation -----------------------------------------------------------------


async def test_html_message_is_parsed_into_entities_and_recorded(api: LocalBotAPI) -> None:
    await started_chat(api)
    result = await api.call(
        "sendMessage",
        chat_id=USER,
        text='<b>粗體</b> &amp; <a href="https://www.example.org">link</a>',
        parse_mode="HTML",
        reply_markup=KEYBOARD,
        disable_notification=True,
    )
    assert result["text"] == "粗體 & link"
    assert result["entities"] == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "offset": 5, "length": 4, "url": "https://www.example.org"},
    ]
    assert result["from"]["is_bot"] and result["reply_markup"] == KEYBOARD
    [event] = api.events(USER)
    assert event["kind"] == "message" and event["disable_notification"] is True
    assert api.sent(USER) == [result]


def test_html_offsets_count_utf16_units() -> None:
    text, entities = parse_html("😀 <i>x</i>")
    assert text == "😀 x" and entities == [{"type": "italic", "offset": 3, "length": 1}]


@pytest.mark.parametrize(
    ("text", "parse_mode", "reason"),
    [
        ("x" * 4097, None, "message is too long"),
        ("", None, "message text is empty"),
        ("   \n ", None, "message text is empty"),
        ("<b>unclosed", "HTML", "can't parse entities"),
        ("<b>x</i>", "HTML", "can't parse entities"),
        ("<div>x</div>", "HTML", "can't parse entities"),
        ("<b></b>", "HTML", "message text is empty"),
        ("Cost: 1.5", "MarkdownV2", "can't parse entities"),
    ],
)
async def test_invalid_text_is_rejected(
    api: LocalBotAPI, text: str, parse_mode: str | None, reason: str
) -> None:
    await started_chat(api)
    status, envelope = await api.request(
        "sendMessage", {"chat_id": USER, "text": text, "parse_mode": parse_mode}
    )
    assert status == 400 and reason in envelope["description"]
    assert api.sent(USER) == []


async def test_length_limit_counts_text_after_markup(api: LocalBotAPI) -> None:
    await started_chat(api)
    result = await api.call(
        "sendMessage", chat_id=USER, text="<b>" + "字" * 4096 + "</b>", parse_mode="HTML"
    )
    assert len(result["text"]) == 4096


@pytest.mark.parametrize(
    ("button", "reason"),
    [
        ({"text": "Too long", "callback_data": "x" * 65}, "BUTTON_DATA_INVALID"),
        ({"text": "", "callback_data": "ok"}, "non-empty"),
        ({"text": "Only text"}, "text buttons are unallowed"),
        ({"text": "Bad link", "url": "www.example.org"}, "Wrong HTTP URL"),
    ],
)
async def test_invalid_inline_buttons_are_rejected(
    api: LocalBotAPI, button: dict, reason: str
) -> None:
    await started_chat(api)
    markup = {"inline_keyboard": [[button]]}
    status, envelope = await api.request(
        "sendMessage", {"chat_id": USER, "text": "hi", "reply_markup": markup}
    )
    assert status == 400 and reason in envelope["description"]


async def test_callback_data_limit_is_in_bytes(api: LocalBotAPI) -> None:
    await started_chat(api)
    ok = {"inline_keyboard": [[{"text": "a", "callback_data": "字" * 21}]]}  # 63 bytes
    too_long = {"inline_keyboard": [[{"text": "a", "callback_data": "字" * 22}]]}  # 66 bytes
    assert (await api.request("sendMessage", {"chat_id": USER, "text": "a", "reply_markup": ok}))[
        0
    ] == 200
    assert (
        await api.request("sendMessage", {"chat_id": USER, "text": "a", "reply_markup": too_long})
    )[0] == 400


async def test_form_encoded_parameters_are_coerced(api: LocalBotAPI) -> None:
    await started_chat(api)
    params = {
        "chat_id": str(USER),
        "text": "123",
        "reply_markup": json.dumps(KEYBOARD),
        "disable_notification": "true",
        "link_preview_options": json.dumps({"is_disabled": True}),
    }
    status, envelope = await api.request("sendmessage", params)  # names are case-insensitive
    assert status == 200 and envelope["result"]["text"] == "123"
    assert envelope["result"]["reply_markup"] == KEYBOARD
    assert api.events(USER)[0]["disable_notification"] is True


async def test_reply_keyboard_is_tracked_and_its_buttons_share_contact(api: LocalBotAPI) -> None:
    await started_chat(api)
    keyboard = {
        "keyboard": [["Menu"], [{"text": "Share phone", "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }
    result = await api.call("sendMessage", chat_id=USER, text="Pick", reply_markup=keyboard)
    assert "reply_markup" not in result, "Telegram returns only inline keyboards in messages"
    assert api.reply_keyboard(USER)["keyboard"][0] == [{"text": "Menu"}]
    action = api.user_presses_keyboard_button(USER, "Share phone", phone_number="+85200000000")
    assert action.message["contact"]["user_id"] == USER
    assert api.reply_keyboard(USER) is None, "one-time keyboards hide after a press"
    await api.call("sendMessage", chat_id=USER, text="Pick", reply_markup=keyboard)
    await api.call("sendMessage", chat_id=USER, text="Done", reply_markup={"remove_keyboard": True})
    assert api.reply_keyboard(USER) is None


async def test_replies_need_an_existing_target(api: LocalBotAPI) -> None:
    await started_chat(api)
    user_message = api.user_sends_text(USER, "question").message
    reply = await api.call(
        "sendMessage", chat_id=USER, text="answer", reply_to_message_id=user_message["message_id"]
    )
    assert reply["reply_to_message"]["text"] == "question"
    status, envelope = await api.request(
        "sendMessage", {"chat_id": USER, "text": "x", "reply_parameters": {"message_id": 999}}
    )
    assert status == 400 and "replied not found" in envelope["description"]
    lenient = {"message_id": 999, "allow_sending_without_reply": True}
    assert (
        await api.request(
            "sendMessage", {"chat_id": USER, "text": "x", "reply_parameters": lenient}
        )
    )[0] == 200


async def test_bot_cannot_start_a_chat_nor_write_to_unknown_chats(api: LocalBotAPI) -> None:
    api.add_user(7)
    status, envelope = await api.request("sendMessage", {"chat_id": 7, "text": "hi"})
    assert status == 403 and "can't initiate conversation" in envelope["description"]
    status, envelope = await api.request("sendMessage", {"chat_id": 8, "text": "hi"})
    assert status == 400 and envelope["description"] == "Bad Request: chat not found"


async def test_unknown_method_is_a_bad_request(api: LocalBotAPI) -> None:
    status, envelope = await api.request("sendCarrierPigeon", {"chat_id": USER})
    assert (
        status == 400 and envelope["ok"] is False and "sendCarrierPigeon" in envelope["description"]
    )


# --- editing, deleting, callbacks -------------------------------------------------------------


async def test_tap_and_answer(api: LocalBotAPI) -> None:
    await started_chat(api)
    sent = await api.call("sendMessage", chat_id=USER, text="Sure?", reply_markup=KEYBOARD)
    tap = api.user_taps_button(USER, sent["message_id"], "No")
    query = tap.update["callback_query"]
    assert query["data"] == "no" and query["message"]["message_id"] == sent["message_id"]
    assert (await api.call("getUpdates", timeout=0))[-1]["callback_query"]["id"] == query["id"]
    await api.call("answerCallbackQuery", callback_query_id=query["id"], text="Noted")
    assert api.callback_answer(query["id"])["text"] == "Noted"
    status, envelope = await api.request("answerCallbackQuery", {"callback_query_id": query["id"]})
    assert status == 400 and "query is too old" in envelope["description"]
    with pytest.raises(LookupError):
        api.user_taps(USER, sent["message_id"], "maybe")  # no such button


async def test_copy_makes_a_new_message(api: LocalBotAPI) -> None:
    await started_chat(api)
    await started_chat(api, 43)
    original = api.user_sends_text(USER, "please pass this on").message
    copied = await api.call(
        "copyMessage", chat_id=43, from_chat_id=USER, message_id=original["message_id"]
    )
    assert api.message(43, copied["message_id"])["text"] == "please pass this on"
    assert "forward_origin" not in api.message(43, copied["message_id"]), "a copy, not a forward"


async def test_commands_are_stored_per_scope_and_language(api: LocalBotAPI) -> None:
    commands = [{"command": "start", "description": "Start"}]
    zh = [{"command": "start", "description": "開始"}]
    await api.call("setMyCommands", commands=commands)
    await api.call(
        "setMyCommands", commands=zh, language_code="zh", scope={"type": "all_private_chats"}
    )
    assert api.commands() == commands
    assert api.commands({"type": "all_private_chats"}, "zh") == zh
    assert api.commands(language_code="zh") == []
    await api.call("setMyCommands", commands=[])
    assert api.commands() == []
    status, envelope = await api.request(
        "setMyCommands", {"commands": [{"command": "Bad-Name", "description": "x"}]}
    )
    assert status == 400 and "BOT_COMMAND_INVALID" in envelope["description"]


async def test_group_messages_from_several_users(api: LocalBotAPI) -> None:
    api.add_user(5, "Ada")
    api.add_user(6, "Bo", language_code="zh-hant")
    api.user_sends_text(-200, "/start@cpp_local_bot", user=5, chat_type="supergroup")
    api.user_sends_text(-200, "我都想問", user=6, chat_type="supergroup")
    updates = await api.call("getUpdates", timeout=0)
    assert [u["message"]["from"]["first_name"] for u in updates] == ["Ada", "Bo"]
    assert updates[0]["message"]["entities"][0] == {
        "type": "bot_command",
        "offset": 0,
        "length": 20,
    }
    assert {u["message"]["chat"]["type"] for u in updates} == {"supergroup"}
    with pytest.raises(ValueError):
        api.user_sends_text(-200, "who am I?", chat_type="supergroup")


async def test_other_update_kinds(api: LocalBotAPI) -> None:
    await started_chat(api)
    original = api.user_sends_text(USER, "tpyo").message
    edited = api.user_edits_message(USER, original["message_id"], "typo")
    assert edited.update["edited_message"]["text"] == "typo"
    inline = api.inline_query(USER, "subsidy")
    query_id = inline.update["inline_query"]["id"]
    result = {
        "type": "article",
        "id": "1",
        "title": "t",
        "input_message_content": {"message_text": "m"},
    }
    await api.call("answerInlineQuery", inline_query_id=query_id, results=[result])
    assert api.inline_answer(query_id)["results"] == [result]
    post = api.channel_post(-1001, "news")
    assert post.update["channel_post"]["sender_chat"]["type"] == "channel"
    kinds = [
        next(k for k in u if k != "update_id") for u in await api.call("getUpdates", timeout=0)
    ]
    assert kinds == ["message", "edited_message", "inline_query", "channel_post"]
    for action in (
        api.user_sends_sticker,
        api.user_sends_voice,
        api.user_sends_photo,
        api.user_sends_document,
    ):
        assert action(USER).message["message_id"] > 0


# --- faults ------------------------------------------------------------------------------------


async def test_fail_next_answers_429_then_recovers(api: LocalBotAPI) -> None:
    await started_chat(api)
    api.fail_next("sendMessage", error_code=429, retry_after=3, count=2)
    for _ in range(2):
        status, envelope = await api.request("sendMessage", {"chat_id": USER, "text": "hi"})
        assert status == 429 and envelope["parameters"] == {"retry_after": 3}
    assert (await api.request("sendMessage", {"chat_id": USER, "text": "hi"}))[0] == 200
    assert len(api.sent(USER)) == 1


async def test_faults_can_target_one_chat(api: LocalBotAPI) -> None:
    await started_chat(api)
    await started_chat(api, 43)
    api.fail_next("sendMessage", error_code=400, chat_id=43, description="Bad Request: nope")
    assert (await api.request("sendMessage", {"chat_id": USER, "text": "a"}))[0] == 200
    assert (await api.request("sendMessage", {"chat_id": "43", "text": "a"}))[1][
        "description"
    ] == "Bad Request: nope"


async def test_block_user_gives_403_and_a_member_update(api: LocalBotAPI) -> None:
    await started_chat(api)
    api.block_user(USER)
    status, envelope = await api.request("sendMessage", {"chat_id": USER, "text": "hi"})
    assert status == 403 and envelope["description"] == "Forbidden: bot was blocked by the user"
    [update] = await api.call("getUpdates", timeout=0)
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    api.unblock_user(USER)
    assert (await api.request("sendMessage", {"chat_id": USER, "text": "hi"}))[0] == 200


async def test_wait_for_messages_times_out(api: LocalBotAPI) -> None:
    await started_chat(api)
    with pytest.raises(TimeoutError):
        await api.wait_for_messages(USER, 1, timeout=0.05)


# --- persistence ----------------------------------------------------------------------------------


async def test_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "telegram.json"
    first = LocalBotAPI(state_path=path)
    await started_chat(first)
    sent = await first.call(
        "sendMessage", chat_id=USER, text="before restart", reply_markup=KEYBOARD
    )
    first.user_sends_text(USER, "pending question")
    await first.call("setMyCommands", commands=[{"command": "help", "description": "Help"}])

    second = LocalBotAPI(state_path=path)
    assert second.sent(USER) == first.sent(USER)
    [pending] = await second.call("getUpdates", timeout=0)
    assert pending["message"]["text"] == "pending question"
    assert second.commands() == [{"command": "help", "description": "Help"}]
    second.user_taps(USER, sent["message_id"], "yes")
    after = await second.call("sendMessage", chat_id=USER, text="after restart")
    assert after["message_id"] > pending["message"]["message_id"], "message ids keep counting"


# --- PTB through LocalRequest ------------------------------------------------------------------


async def echo(update: Update, context: object) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


async def buttons(update: Update, context: object) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    await update.effective_message.reply_text("Sure?", reply_markup=markup)


async def on_tap(update: Update, context: object) -> None:
    query = update.callback_query
    await query.answer("Noted")
    await query.message.reply_text(f"You chose {query.data}")


def echo_app(api: LocalBotAPI) -> Application:
    app = (
        Application.builder()
        .token("123:ABC")
        .request(LocalRequest(api))
        .get_updates_request(LocalRequest(api))
        .build()
    )
    app.add_handler(CommandHandler("buttons", buttons))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(on_tap))
    return app


async def test_ptb_application_processes_an_update(api: LocalBotAPI) -> None:
    app = use_local_api(Application.builder().token("123:ABC"), api).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        assert app.bot.username == "cpp_local_bot"
        action = api.user_sends_text(USER, "你好 hello")
        await app.process_update(Update.de_json(action.update, app.bot))
    [reply] = api.sent(USER)
    assert reply["text"] == "你好 hello"


async def test_ptb_long_polling_with_buttons(api: LocalBotAPI) -> None:
    app = echo_app(api)
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=5)
        await app.start()
        try:
            api.user_sends_text(USER, "/buttons")
            [question] = await api.wait_for_messages(USER, 1, timeout=3)
            tap = api.user_taps_button(USER, question["message_id"], "Yes")
            answer = await api.wait_for_callback_answer(
                tap.update["callback_query"]["id"], timeout=3
            )
            assert answer["text"] == "Noted"
            await api.wait_for_events(USER, 3, timeout=3)
            assert api.sent(USER)[-1]["text"] == "You chose yes"
        finally:
            await app.updater.stop()
            await app.stop()
    assert api.pending_updates() == [], "PTB confirmed every update on shutdown"


@pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)  # RetryAfter internals
async def test_ptb_sees_telegram_errors_as_its_own_exceptions(api: LocalBotAPI) -> None:
    app = echo_app(api)
    async with app:
        await started_chat(api)
        api.fail_next("sendMessage", error_code=429, retry_after=7)
        with pytest.raises(RetryAfter) as retry:
            await app.bot.send_message(USER, "hi")
        assert "Retry in 7 seconds" in str(retry.value)
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await app.bot.send_message(USER, "x" * 4097)
        api.fail_network("sendMessage", mode="drop")
        with pytest.raises(NetworkError):
            await app.bot.send_message(USER, "hi")
        api.fail_network("sendMessage", mode="bad_gateway")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await app.bot.send_message(USER, "hi")
        api.fail_network("sendMessage", mode="delay", delay=0.5)
        with pytest.raises(TimedOut):
            await app.bot.send_message(USER, "hi", read_timeout=0.1)
        api.block_user(USER)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await app.bot.send_message(USER, "hi")
    assert api.sent(USER) == [], "no failed call left a message behind"


async def test_drop_after_carries_out_the_call_but_loses_the_answer(api: LocalBotAPI) -> None:
    app = echo_app(api)
    async with app:
        await started_chat(api)
        api.fail_network("sendMessage", mode="drop_after")
        with pytest.raises(NetworkError):
            await app.bot.send_message(USER, "sent twice?")
    assert [m["text"] for m in api.sent(USER)] == ["sent twice?"]


async def test_local_request_overhead_per_update(api: LocalBotAPI) -> None:
    """Time one update through PTB + LocalRequest + LocalBotAPI, directly and by long polling."""
    app = echo_app(api)
    rounds = 300
    async with app:
        await started_chat(api)
        direct = []
        for index in range(rounds):
            action = api.user_sends_text(USER, f"message {index}")
            started = time.perf_counter()
            await app.process_update(Update.de_json(action.update, app.bot))
            direct.append(time.perf_counter() - started)
        in_emulator = []
        for index in range(rounds):
            started = time.perf_counter()
            await api.request("sendMessage", {"chat_id": USER, "text": f"direct {index}"})
            in_emulator.append(time.perf_counter() - started)
        # The directly processed updates are still pending on "Telegram": drop them.
        await app.updater.start_polling(poll_interval=0, timeout=5, drop_pending_updates=True)
        await app.start()
        polled = []
        for index in range(rounds):
            expected = api.sent_count(USER) + 1
            started = time.perf_counter()
            api.user_sends_text(USER, f"polled {index}")
            await api.wait_until(lambda n=expected: True if api.sent_count(USER) >= n else None)
            polled.append(time.perf_counter() - started)
        await app.updater.stop()
        await app.stop()
    direct_us, emulator_us, polled_us = (
        statistics.median(t) * 1e6 for t in (direct, in_emulator, polled)
    )
    print(
        f"\nLocalRequest echo: process_update {direct_us:.0f} µs, long-poll round trip "
        f"{polled_us:.0f} µs per update; LocalBotAPI sendMessage alone {emulator_us:.0f} µs"
    )
    assert len(api.sent(USER)) == 3 * rounds
    assert emulator_us < 200, "the emulator's own share must stay a small part of the 1 ms budget"
    assert direct_us < 1500 and polled_us < 3000


async def test_ptb_parses_every_emulated_result(api: LocalBotAPI) -> None:
    """Each emulated method's result (the methods the bot calls) must come back as the PTB
    object it should be."""

    app = echo_app(api)
    bot = app.bot
    async with app:
        await started_chat(api)
        await started_chat(api, 43)
        assert await bot.delete_webhook() and await bot.set_webhook("https://example.invalid/hook")
        assert api.webhook()["url"] == "https://example.invalid/hook"
        assert await bot.delete_webhook()
        scope = BotCommandScopeAllPrivateChats()
        assert await bot.set_my_commands(
            [BotCommand("start", "開始")], scope=scope, language_code="zh"
        )
        assert api.commands({"type": "all_private_chats"}, "zh") == [
            {"command": "start", "description": "開始"}
        ]
        sent = await bot.send_message(
            USER,
            "hello",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("x", url="https://example.org")]]
            ),
        )
        assert sent.reply_markup.inline_keyboard[0][0].url == "https://example.org"
        assert (await bot.copy_message(43, USER, sent.message_id)).message_id > 0
        query_id = api.inline_query(USER, "hotline").update["inline_query"]["id"]
        article = InlineQueryResultArticle("1", "Hotline", InputTextMessageContent("call us"))
        assert await bot.answer_inline_query(query_id, [article])
