"""What the end-to-end tests share: running the real Application against the stand-in, a
user who types and taps, and checks on what that user sees (text, buttons, language).

Buttons are found by what they do (the ``action`` and ``arg`` of their callback data,
``v1|<generation>|<action>|<arg>``), never by position, so the tests follow the bot's
keyboards as sent and stay true when a label is reworded or translated.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import hanzidentifier
from telegram import Update
from telegram.ext import Application

from bot.app import Services, build_application, build_services
from bot.config import Settings
from bot.outbox import Outbox
from tests.support.botapi_server import Driver

JSON = dict[str, Any]
TOKEN = "123456:E2E-local-token"
POLL_TIMEOUT = 1  # seconds a getUpdates call waits; short so stopping the bot is quick
MAX_TELEGRAM_TEXT = 4096

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


# --- running the bot -------------------------------------------------------------------------


@dataclasses.dataclass
class RunningBot:
    app: Application
    services: Services


@contextlib.asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[RunningBot]:
    """The production Application (HTTPXRequest, AIORateLimiter) on real long polling,
    started and stopped the way ``Application.run_polling`` does it, hooks included."""
    services = build_services(settings)
    app = build_application(services)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.updater.start_polling(
        poll_interval=0, timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES
    )
    await app.start()
    try:
        yield RunningBot(app, services)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        services.store.close()


# The end-to-end flows were written for a day of the extension (para 17, 18): pinned, so
# they test the transport, not what day it is.
E2E_RULES_DATE = date(2014, 1, 1)


def settings_for(base_url: str, db_path: Path, kb_path: Path, **extra: Any) -> Settings:
    extra.setdefault("rules_date", E2E_RULES_DATE)
    return Settings(token=TOKEN, api_url=base_url, db_path=db_path, kb_path=kb_path, **extra)


# --- what the user sees ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Shown:
    """One inline button as shown: its label and what it does."""

    label: str
    action: str
    arg: str
    data: str
    message_id: int


def buttons_of(message: JSON) -> list[Shown]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    shown = []
    for row in rows:
        for button in row:
            data = button.get("callback_data", "")
            parts = data.split("|")
            action, arg = (parts[2], parts[3]) if len(parts) == 4 else ("", "")
            shown.append(Shown(button["text"], action, arg, data, message["message_id"]))
    return shown


@dataclasses.dataclass
class Screen:
    """The bot's messages in answer to one user action."""

    messages: list[JSON]

    @property
    def text(self) -> str:
        return "\n\n".join(m.get("text", "") for m in self.messages)

    @property
    def buttons(self) -> list[Shown]:
        return [b for m in self.messages for b in buttons_of(m)]

    def actions(self) -> set[tuple[str, str]]:
        return {(b.action, b.arg) for b in self.buttons}

    def button(self, action: str, arg: str | None = None) -> Shown:
        """The last button on screen that does ``action`` (with ``arg``, when given)."""
        for shown in reversed(self.buttons):
            if shown.action == action and (arg is None or shown.arg == arg):
                return shown
        raise AssertionError(
            f"no {action}|{arg} button; shown: {[(b.label, b.action, b.arg) for b in self.buttons]}"
        )


class Person:
    """A Telegram user in a private chat with the bot."""

    def __init__(
        self,
        driver: Driver,
        user_id: int,
        language_code: str | None = None,
        name: str = "Ada",
        outbox: Outbox | None = None,
    ) -> None:
        self.driver = driver
        # With the bot's outbox at hand (an in-process bot), a reply is complete when the
        # outbox is empty, not merely when the chat went quiet for a moment.
        self.outbox = outbox
        self.chat_id = user_id
        self.user: JSON = {"id": user_id, "first_name": name}
        if language_code:
            self.user["language_code"] = language_code
        self.screen = Screen([])
        self._registered = False

    async def _call(self, name: str, **kwargs: Any) -> Any:
        return await self.driver._call(name, **kwargs)

    async def _ensure_user(self) -> None:
        if not self._registered:
            await self._call(
                "add_user",
                user_id=self.user["id"],
                first_name=self.user["first_name"],
                language_code=self.user.get("language_code"),
            )
            self._registered = True

    async def say(self, text: str, timeout: float | None = None) -> Screen:
        return await self.do("user_sends_text", timeout=timeout, text=text)

    async def tap(self, action: str, arg: str | None = None) -> Screen:
        """Tap the button that does ``action`` on what the bot showed last."""
        shown = self.screen.button(action, arg)
        return await self.tap_data(shown.message_id, shown.data)

    async def tap_data(self, message_id: int, data: str) -> Screen:
        """Tap a button with exactly this callback data (it must be on the message)."""
        since = await self._call("event_count", chat_id=self.chat_id)
        action = await self._call(
            "user_taps", chat_id=self.chat_id, message_id=message_id, callback_data=data
        )
        self.screen = await self._collect(since)
        query_id = action["update"]["callback_query"]["id"]
        answer = await self._call("callback_answer", query_id=query_id)
        assert answer is not None, "the callback query was never answered"
        return self.screen

    async def do(self, name: str, timeout: float | None = None, **kwargs: Any) -> Screen:
        """Any user-side action of the stand-in (``user_sends_sticker``, ...), then the reply."""
        await self._ensure_user()
        since = await self._call("event_count", chat_id=self.chat_id)
        await self._call(name, chat_id=self.chat_id, **kwargs)
        self.screen = await self._collect(since, timeout)
        return self.screen

    async def _outbox_drained(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.outbox is not None and self.outbox.pending_count():
            if loop.time() > deadline:
                raise TimeoutError(f"the outbox still holds replies for chat {self.chat_id}")
            await asyncio.sleep(0.01)

    async def reply_keyboard(self) -> list[JSON]:
        """The buttons of the reply keyboard the chat shows now (Telegram keeps it apart
        from the message)."""
        board = await self._call("reply_keyboard", chat_id=self.chat_id) or {}
        return [button for row in board.get("keyboard", []) for button in row]

    async def press(self, which: int | str, **extra: Any) -> Screen:
        """Press a button of the reply keyboard (``phone_number=`` for a Share-phone button,
        ``latitude=`` and ``longitude=`` for a Share-location one)."""
        await self._ensure_user()
        since = await self._call("event_count", chat_id=self.chat_id)
        await self._call("user_presses_keyboard_button", chat_id=self.chat_id, which=which, **extra)
        self.screen = await self._collect(since)
        return self.screen

    async def share_location(self, latitude: float, longitude: float) -> Screen:
        return await self.do("user_sends_location", latitude=latitude, longitude=longitude)

    async def _collect(self, since: int, timeout: float | None = None) -> Screen:
        events = await self.driver._collect(self.chat_id, since, None, timeout)
        if self.outbox is not None:
            await self._outbox_drained(timeout or self.driver.timeout)
            events = await self._call("events", chat_id=self.chat_id, since=since)
        latest: dict[int, JSON] = {}
        for event in events:
            if event["kind"] in ("message", "edit"):
                latest[event["message_id"]] = event["message"]
        return Screen(list(latest.values()))


# --- the language of a reply -----------------------------------------------------------------------


def chinese_chars(text: str) -> str:
    return "".join(_CJK.findall(text))


def language_of(text: str) -> str:
    """``en``, ``zh_Hant_HK`` or ``zh_Hans_CN``, judged from the text's own characters:
    English when Latin words outweigh Chinese characters, else the Chinese script."""
    han = chinese_chars(text)
    latin_words = _LATIN_WORD.findall(text)
    if len(latin_words) * 2 > len(han):
        return "en"
    kind = hanzidentifier.identify(han)
    if kind == hanzidentifier.SIMPLIFIED:
        return "zh_Hans_CN"
    if kind == hanzidentifier.TRADITIONAL:
        return "zh_Hant_HK"
    return "zh"  # only characters both scripts share, or a mix


def assert_language(text: str, locale: str) -> None:
    """The reply reads in ``locale``: English with no run of Chinese prose, or Chinese in
    the right script with no untranslated English sentence."""
    found = language_of(text)
    if locale == "en":
        assert found == "en", f"expected English, got {found}:\n{text}"
        return
    assert found in (locale, "zh"), f"expected {locale}, got {found}:\n{text}"
    english = [
        line
        for line in text.splitlines()
        if len(_LATIN_WORD.findall(line)) >= 4 and not _CJK.search(line)
    ]
    assert not english, f"untranslated English in a {locale} reply: {english}"


ERROR_LEVEL = logging.ERROR
