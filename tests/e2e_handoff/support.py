"""Hand-off end-to-end helpers: the bot on real long polling against the Bot API stand-in,
a user who leaves an enquiry, and staff in their group chats."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import Services, build_application, build_services
from bot.config import Settings
from tests.support.botapi_server import ControlClient, Driver

JSON = dict[str, Any]
TOKEN = "123456:HANDOFF-e2e-token"
ROOT = Path(__file__).resolve().parents[2]
STAFF = {"hk": -1001, "dongguan": -1002, "shenzhen": -1003}
STAFF_CHATS = ",".join(f"{desk}={chat}" for desk, chat in STAFF.items())
STAFF_MEMBER = {"id": 9001, "first_name": "May", "last_name": "Chan"}


@dataclasses.dataclass
class RunningBot:
    services: Services


@contextlib.asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[RunningBot]:
    """The production Application (HTTPXRequest, AIORateLimiter, inbox) on long polling."""
    services = build_services(settings)
    app = build_application(services)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    await app.start()
    try:
        yield RunningBot(services)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        services.store.close()


async def call(driver: Driver, name: str, **kwargs: Any) -> Any:
    return await driver._call(name, **kwargs)


async def wait_for(predicate: Callable[[], Awaitable[Any]], timeout: float = 8.0) -> Any:
    """Poll ``predicate`` until it returns something truthy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        if loop.time() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.05)


def staff_words(msgid: str, locale: str = "zh_Hant_HK", **values: str) -> str:
    """A staff-side message as a Guangdong desk's chat reads it (their first language)."""
    from bot.core.reply import Msg, Verbatim
    from bot.render import message_text

    return message_text(Msg(msgid, {k: Verbatim(v) for k, v in values.items()}), locale)


def callback(message: JSON, action: str, arg: str | None = None) -> str:
    """The callback data of the button on ``message`` that does ``action`` (and ``arg``)."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            parts = button.get("callback_data", "").split("|")
            if len(parts) == 4 and parts[2] == action and (arg is None or parts[3] == arg):
                return button["callback_data"]
    raise AssertionError(f"no {action}|{arg} button on {message.get('text', '')[:80]!r}")


class User:
    """A factory owner in a private chat with the bot."""

    def __init__(self, driver: Driver, user_id: int, language_code: str = "en") -> None:
        self.driver = driver
        self.id = user_id
        self.language_code = language_code

    async def start(self) -> None:
        await call(
            self.driver,
            "add_user",
            user_id=self.id,
            first_name=f"U{self.id}",
            language_code=self.language_code,
        )

    async def say(self, text: str) -> list[JSON]:
        return await self.driver.say(self.id, text)

    async def tap(self, message: JSON, action: str, arg: str | None = None) -> list[JSON]:
        data = callback(message, action, arg)
        since = await call(self.driver, "event_count", chat_id=self.id)
        await call(
            self.driver,
            "user_taps",
            chat_id=self.id,
            message_id=message["message_id"],
            callback_data=data,
        )
        events = await self.driver._collect(self.id, since, None, None)
        return [e["message"] for e in events if e["kind"] in ("message", "edit")]

    async def share_phone(self, phone: str) -> list[JSON]:
        return await self.driver.press(self.id, 0, phone_number=phone)

    async def sent(self) -> list[JSON]:
        return await call(self.driver, "sent", chat_id=self.id)

    async def leave_enquiry(self, trigger: str, answers: dict[str, str]) -> tuple[str, list[JSON]]:
        """From the trigger words to the reference number: answers every question asked
        (matched by what each asks for) and confirms. Returns the reference and the
        confirmation messages."""
        [offer] = await self.say(trigger)
        screen = await self.tap(offer, "handoff", "leave")
        for _ in range(6):
            last = screen[-1]
            if _has(last, "confirm"):
                break
            if (await _keyboard(self)).get("keyboard") and _asks_phone(last["text"]):
                screen = await self.share_phone(answers["phone"])
                continue
            field = _field_asked(last["text"])
            screen = await self.say(answers[field])
        summary = screen[-1]
        done = await self.tap(summary, "confirm", "send")
        ref = _ref_in("\n".join(m["text"] for m in done))
        return ref, done


async def _keyboard(user: User) -> JSON:
    return await call(user.driver, "reply_keyboard", chat_id=user.id) or {}


def _asks_phone(text: str) -> bool:
    return any(word in text.lower() for word in ("phone", "電話", "电话"))


def _has(message: JSON, action: str) -> bool:
    try:
        callback(message, action)
    except AssertionError:
        return False
    return True


QUESTION_WORDS = {
    "name": ("name", "稱呼", "称呼"),
    "company": ("company", "公司"),
    "place": ("where", "哪裏", "哪里"),
    "topic": ("ask", "查詢", "咨询"),
}


def _field_asked(text: str) -> str:
    lowered = text.lower()
    for field, words in QUESTION_WORDS.items():
        if any(word in lowered for word in words):
            return field
    raise AssertionError(f"unrecognised question: {text!r}")


def _ref_in(text: str) -> str:
    import re

    found = re.search(r"CP-[2-9A-Z]{5}", text)
    assert found, f"no reference in {text!r}"
    return found.group(0)


class Staff:
    """Staff in a desk's group chat."""

    def __init__(self, driver: Driver, chat_id: int, member: JSON = STAFF_MEMBER) -> None:
        self.driver = driver
        self.chat_id = chat_id
        self.member = member

    async def open(self) -> None:
        await call(self.driver, "add_chat", chat_id=self.chat_id, chat_type="supergroup")

    async def sent(self) -> list[JSON]:
        return await call(self.driver, "sent", chat_id=self.chat_id)

    async def wait_for(self, words: str, timeout: float = 8.0) -> JSON:
        """The bot's first message in the group containing ``words``."""

        async def found() -> JSON | None:
            return next((m for m in await self.sent() if words in m.get("text", "")), None)

        return await wait_for(found, timeout)

    async def reply(self, to: JSON, text: str) -> JSON:
        action = await call(
            self.driver,
            "user_sends_text",
            chat_id=self.chat_id,
            text=text,
            user=self.member,
            chat_type="supergroup",
            reply_to_message_id=to["message_id"],
        )
        return action["message"]

    async def command(self, text: str, reply_to: JSON | None = None) -> None:
        await call(
            self.driver,
            "user_sends_text",
            chat_id=self.chat_id,
            text=text,
            user=self.member,
            chat_type="supergroup",
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
        )

    async def tap(self, message: JSON, action: str, arg: str | None = None) -> None:
        data = callback(message, action, arg)
        await call(
            self.driver,
            "user_taps",
            chat_id=self.chat_id,
            message_id=message["message_id"],
            callback_data=data,
            user=self.member,
        )


# --- the bot as a separate process (kill -9 tests) -----------------------------------------


class BotProcess:
    """``python -m bot run`` against a stand-in process; ``kill()`` is SIGKILL."""

    def __init__(self, api_url: str, db: Path, kb: Path, log: Path) -> None:
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api_url,
            "BOT_DB": str(db),
            "KB_DB": str(kb),
            "STAFF_CHATS": STAFF_CHATS,
            "PYTHONUNBUFFERED": "1",
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        handle.close()
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def control_of(url: str) -> ControlClient:
    return ControlClient(f"{url}/control")
