"""``chat`` and ``ask``: the events a person types go to ``bot.engine.handle_event``, the
same path Telegram's updates take, and the outbox rows it writes are delivered by the
real ``Sender`` to ``ConsoleTelegram``, which keeps them to print. No token, no network,
no Bot API in between."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser
from typing import Any, TextIO

from bot.app import Services, build_services, ticket_sender
from bot.config import Settings
from bot.core.dialogue import CommandIn, ContactIn, Event, LocationIn, Tap, TextIn
from bot.core.reply import Reply
from bot.engine import ChatRef, apology, handle_event
from bot.render import render_text
from bot.store import Store

log = logging.getLogger(__name__)
CONSOLE_CHAT = 1000
LANG_OPTIONS = {"en": "en", "zh-Hant": "zh_Hant_HK", "zh-Hans": "zh_Hans_CN"}
MAX_TEXT = 4096
# What Telegram marks as a command at the start of a message (a bot_command entity).
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markup: str) -> str:
    """What a person sees of a message sent with ``parse_mode=HTML``.

    >>> plain_text("<b>Yes</b> &amp; <a href='https://x.example'>more</a>")
    'Yes & more'
    """
    parser = _PlainText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def text_event(text: str) -> Event:
    """A typed line as the Telegram handlers read it: a leading command, or text.

    >>> text_event("/start hk")
    CommandIn(name='start', args='hk')
    >>> text_event("/東莞")
    TextIn(text='/東莞')
    """
    from bot.handlers.commands import USER_COMMANDS

    if not _COMMAND.match(text):
        return TextIn(text)
    first, *args = text.split()
    name = first.lstrip("/").split("@")[0]
    if name.lower() in USER_COMMANDS:
        return CommandIn(name, " ".join(args))
    return CommandIn(first.lstrip("/")[:32], "")


@dataclass
class ConsoleTelegram:
    """Takes the Bot API calls the ``Sender`` makes and keeps each chat's messages as a
    person would see them: plain text, inline buttons, the reply keyboard."""

    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    keyboards: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def do_api_request(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        chat_id = int(api_kwargs.get("chat_id", 0))
        if method == "sendMessage":
            text = api_kwargs.get("text", "")
            if api_kwargs.get("parse_mode") == "HTML":
                text = plain_text(text)
            return self._keep(chat_id, text, api_kwargs.get("reply_markup"))
        if method == "copyMessage":
            source = self._find(int(api_kwargs["from_chat_id"]), api_kwargs["message_id"])
            return self._keep(chat_id, source.get("text", "") if source else "")
        if method == "editMessageReplyMarkup":
            found = self._find(chat_id, int(api_kwargs["message_id"]))
            markup = api_kwargs.get("reply_markup") or {}
            if isinstance(markup, str):
                markup = json.loads(markup)
            if found is not None and not markup.get("inline_keyboard"):
                found.pop("reply_markup", None)
            elif found is not None:
                found["reply_markup"] = markup
        return True

    def _keep(self, chat_id: int, text: str, markup: Any = None) -> dict[str, Any]:
        if isinstance(markup, str):
            markup = json.loads(markup)
        message = {"message_id": next(self._ids), "text": text}
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        elif markup and "keyboard" in markup:
            self.keyboards[chat_id] = markup
        elif markup and markup.get("remove_keyboard"):
            self.keyboards[chat_id] = None
        self.messages.setdefault(chat_id, []).append(message)
        return {"message_id": message["message_id"], "chat": {"id": chat_id}}

    def _find(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return next(
            (m for m in self.messages.get(chat_id, []) if m["message_id"] == message_id), None
        )

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        return self.messages.get(chat_id, [])

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        return self.keyboards.get(chat_id)


@dataclass
class LocalBot:
    """The services, a ``Sender`` delivering to ``ConsoleTelegram``, and one method to
    hand it an event."""

    services: Services
    api: ConsoleTelegram

    @classmethod
    async def start(cls, settings: Settings, store: Store | None = None) -> LocalBot:
        services = build_services(settings, store)
        api = ConsoleTelegram()
        services.sender = ticket_sender(api, services)
        await services.sender.flush()  # what an earlier run left undelivered
        return cls(services, api)

    async def stop(self) -> None:
        self.services.store.close()

    async def feed(self, chat_id: int, event: Event) -> list[tuple[Reply, str]]:
        """Answer one event and deliver its rows; on a failure, the apology the error
        handler gives on Telegram."""
        try:
            rendered = handle_event(self.services, ChatRef(chat_id, chat_id), event).rendered
        except Exception:
            log.exception("error answering a console message")
            rendered = self._apology(chat_id, event)
            for reply, locale in rendered:
                self.api._keep(chat_id, render_text(reply, locale))
            return rendered
        await self.services.flush(chat_id)
        return rendered

    def _apology(self, chat_id: int, event: Event | None) -> list[tuple[Reply, str]]:
        text_event = event if isinstance(event, TextIn) and event.text.strip() else None
        return apology(self.services, chat_id, text_event)


# --- ask -----------------------------------------------------------------------------------


def reply_json(rendered: list[tuple[Reply, str]]) -> dict[str, Any]:
    """The contract's ``ask --json`` object for the replies to one message."""
    first = rendered[0][0]
    locale = rendered[0][1]

    def field(name: str) -> Any:
        return next((getattr(r, name) for r, _ in rendered if getattr(r, name)), None)

    citations: list[str] = []
    for reply, _ in rendered:
        citations += [c for c in reply.citations if c not in citations]
    return {
        "locale": locale,
        "intent": first.intent,
        "text": "\n\n".join(render_text(r, loc) for r, loc in rendered),
        "phase": field("phase"),
        "eligibility": field("eligibility"),
        "subsidy": field("subsidy"),
        "results": field("results") or [],
        "handoff": any(r.handoff for r, _ in rendered),
        "citations": citations,
    }


def single_line(text: str) -> str:
    """A reply on one line, for ``ask`` reading standard input: one reply per line."""
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())


async def ask(
    texts: Iterable[str],
    settings: Settings,
    as_json: bool,
    lang: str | None,
    out: TextIO,
    one_line: bool = True,
) -> None:
    # A fresh conversation per message, in a throw-away database: ask leaves no trace.
    bot = await LocalBot.start(settings, Store(":memory:"))
    try:
        for number, text in enumerate(texts, start=1):
            chat_id = 10_000 + number
            if lang:
                session = bot.services.store.load_session(chat_id)
                session.locale_choice = LANG_OPTIONS[lang]
                bot.services.store.save_session(session)
            text = text[:MAX_TEXT]
            # Telegram never delivers an empty message; answer it all the same.
            rendered = await bot.feed(chat_id, text_event(text if text.strip() else "\u2060"))
            if as_json:
                out.write(json.dumps(reply_json(rendered), ensure_ascii=False) + "\n")
            else:
                text = "\n\n".join(render_text(r, loc) for r, loc in rendered)
                out.write((text if one_line is False else single_line(text)) + "\n")
            out.flush()
    finally:
        await bot.stop()


# --- chat ------------------------------------------------------------------------------------

CONSOLE_HELP = (
    "Type a message and press Enter. Buttons show as [N]; ':tap N' presses one. "
    "':location LAT LON' shares a location, ':contact NUMBER' a phone number, ':quit' ends."
)


def _show(message: dict[str, Any], out: TextIO, numbering: list[tuple[int, Any]]) -> None:
    out.write("\n" + message.get("text", "") + "\n")
    markup = message.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        labels = []
        for button in row:
            numbering.append((message["message_id"], button))
            labels.append(f"[{len(numbering)}] {button['text']}")
        out.write("   ".join(labels) + "\n")


async def chat(settings: Settings, inp: TextIO, out: TextIO, as_json: bool = False) -> None:
    """The console conversation. With ``as_json``, one JSON object per input line: the
    ``ask --json`` fields for the bot's replies to it, ``messages`` (every message sent)
    and ``buttons`` (the labels of the last message that has any; ``:tap N`` presses the
    N-th)."""
    bot = await LocalBot.start(settings)
    captured: list[tuple[Reply, str]] = []
    if not as_json:
        out.write(CONSOLE_HELP + "\n")
    await bot.feed(CONSOLE_CHAT, CommandIn("start"))
    seen = 0
    numbering: list[tuple[int, Any]] = []
    keyboard: list[dict[str, Any]] = []

    def fresh_messages() -> list[dict[str, Any]]:
        nonlocal seen
        sent = bot.api.sent(CONSOLE_CHAT)
        fresh = sent[seen:]
        seen = len(sent)
        return fresh

    def flush_output() -> None:
        nonlocal keyboard
        fresh = fresh_messages()
        if fresh:
            numbering.clear()
        for message in fresh:
            _show(message, out, numbering)
        board = bot.api.reply_keyboard(CONSOLE_CHAT) or {}
        current = [b for row in board.get("keyboard", []) for b in row]
        if not fresh or current == keyboard:
            out.flush()
            return
        keyboard = current
        for button in keyboard:
            hint = ":location LAT LON" if button.get("request_location") else ":contact NUMBER"
            if button.get("request_location") or button.get("request_contact"):
                out.write(f"   ({button['text']}: type {hint})\n")
        out.flush()

    def flush_json() -> None:
        fresh = fresh_messages()
        with_buttons = [m for m in fresh if (m.get("reply_markup") or {}).get("inline_keyboard")]
        if with_buttons:
            last = with_buttons[-1]
            numbering.clear()
            for row in last["reply_markup"]["inline_keyboard"]:
                numbering.extend((last["message_id"], b) for b in row)
        if numbering and not (
            bot.api._find(CONSOLE_CHAT, numbering[0][0]) or {}
        ).get("reply_markup"):
            numbering.clear()  # the buttons numbered were taken off their message
        rendered = list(captured) or bot._apology(CONSOLE_CHAT, None)
        captured.clear()
        data = reply_json(rendered)
        data["buttons"] = [b["text"] for _, b in numbering]
        data["messages"] = [m.get("text", "") for m in fresh]
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        out.flush()

    if as_json:
        fresh_messages()  # the welcome card is not an answer to a line
        captured.clear()
    else:
        flush_output()
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, inp.readline)
            if not line:
                break
            line = line.rstrip("\n")
            action = _console_action(bot, line, numbering, sys.stderr if as_json else out)
            if action == "quit":
                break
            if action is None and as_json:
                if line.strip() and not line.strip().startswith(":"):
                    continue
                # A blank line, or a console command that did nothing: still one object.
                if not line.strip():
                    captured.extend(await bot.feed(CONSOLE_CHAT, TextIn("\u2060")))
                    flush_json()
                    continue
                out.write(json.dumps(_no_action(line), ensure_ascii=False) + "\n")
                out.flush()
                continue
            if action is not None:
                captured.extend(await bot.feed(CONSOLE_CHAT, action))
                if as_json:
                    flush_json()
                else:
                    flush_output()
    finally:
        await bot.stop()


def _no_action(line: str) -> dict[str, Any]:
    """The object for a console command that sent nothing (``:tap 9`` with no button 9)."""
    return {
        "locale": "en",
        "intent": "help",
        "text": f"(nothing sent for {line.strip()!r})",
        "phase": None,
        "eligibility": None,
        "subsidy": None,
        "results": [],
        "handoff": False,
        "citations": [],
        "buttons": [],
        "messages": [],
    }


def _console_action(bot: LocalBot, line: str, numbering: list[tuple[int, Any]], out: TextIO) -> Any:
    command, _, rest = line.strip().partition(" ")
    if command in (":quit", ":q", ":exit"):
        return "quit"
    if command == ":tap":
        if not (rest.strip().isascii() and rest.strip().isdigit()) or not 1 <= int(rest) <= len(
            numbering
        ):
            out.write(
                f"(no button {rest.strip() or '?'}; buttons are numbered 1 to {len(numbering)})\n"
            )
            return None
        message_id, button = numbering[int(rest) - 1]
        return Tap(button["callback_data"], message_id)
    if command == ":location":
        try:
            lat, lon = (float(x) for x in rest.split())
        except ValueError:
            out.write("(usage: :location 22.31 114.22)\n")
            return None
        return LocationIn(lat, lon)
    if command == ":contact":
        if not rest.strip():
            out.write("(usage: :contact +852 1234 5678)\n")
            return None
        # The console's user shares their own number, as the contact button does.
        return ContactIn(rest.strip(), "", True)
    if command == ":help":
        out.write(CONSOLE_HELP + "\n")
        return None
    if not line.strip():
        return None
    return text_event(line[:MAX_TEXT])


def settings_for(date_arg: str | None) -> Settings:
    settings = Settings.from_env()
    if date_arg:
        settings = replace(settings, rules_date=date.fromisoformat(date_arg))
    return settings


def run_ask(texts: list[str] | None, date_arg: str | None, lang: str | None, as_json: bool) -> None:
    if texts is not None:
        asyncio.run(
            ask([" ".join(texts)], settings_for(date_arg), as_json, lang, sys.stdout, False)
        )
        return
    lines = (line.rstrip("\n") for line in sys.stdin)
    asyncio.run(ask(lines, settings_for(date_arg), as_json, lang, sys.stdout))


def run_chat(as_json: bool = False, date_arg: str | None = None) -> None:
    try:
        asyncio.run(chat(settings_for(date_arg), sys.stdin, sys.stdout, as_json))
    except BrokenPipeError:
        # The reader went away ("| head"): what was answered is stored; leave quietly,
        # with nothing more written to the closed pipe at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
