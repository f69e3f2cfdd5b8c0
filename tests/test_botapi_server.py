"""The Bot API emulator over real HTTP, driven through PTB's own HTTPXRequest stack."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from tests.support.botapi_server import (
    BotAPIServer,
    ControlClient,
    ControlError,
    Driver,
    ServerProcess,
)

TOKEN = "123:ABC"
USER = 42


async def echo(update: Update, context: object) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


async def buttons(update: Update, context: object) -> None:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("是 Yes", callback_data="yes"),
                InlineKeyboardButton("否 No", callback_data="no"),
            ]
        ]
    )
    await update.effective_message.reply_text(
        "<b>Sure?</b>", parse_mode="HTML", reply_markup=markup
    )


async def on_tap(update: Update, context: object) -> None:
    query = update.callback_query
    await query.answer("Noted")
    await query.message.reply_text(f"You chose {query.data}")


async def two_parts(update: Update, context: object) -> None:
    await update.effective_message.reply_text("part 1")
    await update.effective_message.reply_text("part 2")


def build_app(base_url: str) -> Application:
    app = Application.builder().token(TOKEN).base_url(base_url).build()
    app.add_handler(CommandHandler("buttons", buttons))
    app.add_handler(CommandHandler("two", two_parts))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(on_tap))
    return app


@contextlib.asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:
    """Run ``app`` with real long polling for the duration of the block."""
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=2)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.fixture
def server() -> Iterator[BotAPIServer]:
    with BotAPIServer(token=TOKEN) as running:
        yield running


@pytest.fixture
async def app(server: BotAPIServer) -> AsyncIterator[Application]:
    async with polling(build_app(server.base_url)) as running:
        yield running


async def test_say_hello_get_echo_over_long_polling(server: BotAPIServer, app: Application) -> None:
    driver = Driver(server)
    [reply] = await driver.say(USER, "你好 hello")
    assert reply["text"] == "你好 hello" and reply["from"]["username"] == "cpp_local_bot"
    replies = await driver.say(USER, "/two")
    assert [m["text"] for m in replies] == ["part 1", "part 2"]
    assert [e["kind"] for e in server.api.events(USER)][-2:] == ["message", "message"]


async def test_say_times_out_when_the_bot_stays_silent(
    server: BotAPIServer, app: Application
) -> None:
    with pytest.raises(TimeoutError):
        await Driver(server, timeout=0.3).say(USER, "/no_such_command")


async def test_tap_answers_the_callback_and_replies(server: BotAPIServer, app: Application) -> None:
    driver = Driver(server)
    [question] = await driver.say(USER, "/buttons")
    assert question["text"] == "Sure?" and question["entities"][0]["type"] == "bold"
    outcome = await driver.tap(USER, question, "否 No")
    assert outcome.answer is not None and outcome.answer["text"] == "Noted"
    assert outcome.texts == ["You chose no"]
    with pytest.raises(LookupError):
        await driver.tap(USER, question, "Maybe")  # no such button


@pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)  # RetryAfter internals
async def test_errors_surface_as_ptb_exceptions(server: BotAPIServer, app: Application) -> None:
    await Driver(server).say(USER, "hi")
    server.api.fail_next("sendMessage", error_code=429, retry_after=2)
    with pytest.raises(RetryAfter, match="Retry in 2 seconds"):
        await app.bot.send_message(USER, "flood")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await app.bot.send_message(USER, "<b>oops", parse_mode="HTML")
    server.api.fail_network("sendMessage", mode="bad_gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await app.bot.send_message(USER, "gateway")
    server.api.fail_network("sendMessage", mode="drop")
    with pytest.raises(NetworkError):
        await app.bot.send_message(USER, "dropped")
    server.api.block_user(USER)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await app.bot.send_message(USER, "are you there?")
    assert [m["text"] for m in server.api.sent(USER)] == ["hi"]
    assert (await app.bot.get_me()).username == "cpp_local_bot", "the bot stays usable after errors"


async def test_every_body_encoding_is_understood(server: BotAPIServer) -> None:
    server.api.user_sends_text(USER, "/start")
    url = f"{server.base_url}{TOKEN}"
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    async with httpx.AsyncClient() as client:
        as_json = await client.post(
            f"{url}/sendMessage", json={"chat_id": USER, "text": "json", "reply_markup": markup}
        )
        as_form = await client.post(
            f"{url}/sendMessage",
            data={"chat_id": str(USER), "text": "42", "reply_markup": json.dumps(markup)},
        )
        as_multipart = await client.post(
            f"{url}/sendMessage",
            data={"chat_id": str(USER), "text": "multipart 多部分"},
            files={"thumbnail": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
        )
        as_query = await client.get(f"{url}/sendMessage", params={"chat_id": USER, "text": "query"})
        wrong_token = await client.post(f"{server.base_url}999:XYZ/getMe")
        unknown = await client.post(f"{url}/sendCarrierPigeon")
    for response in (as_json, as_form, as_multipart, as_query):
        assert response.status_code == 200, response.text
    assert [m["text"] for m in server.api.sent(USER)] == ["json", "42", "multipart 多部分", "query"]
    assert as_form.json()["result"]["reply_markup"] == markup
    assert wrong_token.status_code == 401 and wrong_token.json()["description"] == "Unauthorized"
    assert unknown.status_code == 400 and unknown.json()["ok"] is False


async def test_control_endpoint_in_thread(server: BotAPIServer) -> None:
    control = ControlClient(server.control_url)
    action = control.call("user_sends_text", chat_id=USER, text="hello")
    assert action["message"]["text"] == "hello"
    assert control.call("pending_updates")[0]["update_id"] == action["update"]["update_id"]
    with pytest.raises(TimeoutError):
        control.call("wait_for_messages", chat_id=USER, n=1, timeout=0.05)
    with pytest.raises(ControlError):
        control.call("user_taps", chat_id=USER, message_id=999, callback_data="x")
    async with httpx.AsyncClient() as client:
        listed = await client.get(f"{server.control_url}/sent", params={"chat_id": USER})
        forbidden = await client.post(f"{server.control_url}/_reset_state", json={})
    assert listed.json() == {"ok": True, "result": []}
    assert forbidden.status_code == 404


async def test_separate_process_keeps_state_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "telegram.json"
    with ServerProcess(token=TOKEN, state_path=state) as process:
        async with polling(build_app(process.base_url)):
            [question] = await Driver(process.control).say(USER, "/buttons")
            outcome = await Driver(process.control).tap(USER, question, 1)
            assert outcome.texts == ["You chose no"]
        process.control.call("user_sends_text", chat_id=USER, text="sent while the bot was down")
    with ServerProcess(token=TOKEN, state_path=state) as restarted:
        control = restarted.control
        assert [m["text"] for m in control.call("sent", chat_id=USER)] == ["Sure?", "You chose no"]
        [pending] = control.call("pending_updates")
        assert pending["message"]["text"] == "sent while the bot was down"
        async with polling(build_app(restarted.base_url)):
            await control.acall("wait_for_messages", chat_id=USER, n=3, timeout=5)
        assert control.call("sent", chat_id=USER)[-1]["text"] == "sent while the bot was down"
