"""``chat`` and ``ask``: the same Application and handlers as on Telegram, with the Bot API
answered in-process (``bot.transport``), so no token and no network are needed."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TextIO

from telegram import Update

from bot.app import Services, build_application, build_services
from bot.config import Settings
from bot.core.reply import Reply
from bot.render import render_text
from bot.store import Store
from bot.transport.local_api import LocalBotAPI
from bot.transport.local_request import LocalRequest

CONSOLE_CHAT = 1000
LANG_OPTIONS = {"en": "en", "zh-Hant": "zh_Hant_HK", "zh-Hans": "zh_Hans_CN"}
MAX_TEXT = 4096


@dataclass
class LocalBot:
    """An Application wired to an in-process Bot API, with updates processed one by one."""

    services: Services
    api: LocalBotAPI
    app: Any

    @classmethod
    async def start(cls, settings: Settings, store: Store | None = None) -> LocalBot:
        services = build_services(settings, store)
        api = LocalBotAPI(first_update_id=services.store.last_handled_update() + 1)
        app = build_application(services, request=LocalRequest(api), rate_limit=False)
        await app.initialize()
        from bot.delivery import Sender

        services.sender = Sender(
            app.bot, services.outbox, services.tickets.on_sent, services.tickets.on_blocked
        )
        await services.sender.flush()  # what an earlier run left undelivered
        return cls(services, api, app)

    async def stop(self) -> None:
        await self.app.shutdown()
        self.services.store.close()

    async def feed(self, action: Any) -> None:
        await self.app.process_update(Update.de_json(action.update, self.app.bot))


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
    captured: dict[int, list[tuple[Reply, str]]] = {}
    bot.services.observers.append(lambda chat, rendered: captured.setdefault(chat, []).extend(rendered))
    try:
        for number, text in enumerate(texts, start=1):
            chat_id = 10_000 + number
            if lang:
                session = bot.services.store.load_session(chat_id)
                session.locale_choice = LANG_OPTIONS[lang]
                bot.services.store.save_session(session)
            text = text[:MAX_TEXT]
            if text.strip():
                await bot.feed(bot.api.user_sends_text(chat_id, text))
            else:  # Telegram never delivers an empty message; answer it all the same
                await bot.feed(bot.api.user_sends_text(chat_id, "\u2060"))
            rendered = captured.pop(chat_id, []) or _apology(bot, chat_id, text)
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
    bot.services.observers.append(
        lambda chat_id, rendered: captured.extend(rendered) if chat_id == CONSOLE_CHAT else None
    )
    if not as_json:
        out.write(CONSOLE_HELP + "\n")
    await bot.feed(bot.api.user_sends_text(CONSOLE_CHAT, "/start"))
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
        rendered = list(captured) or _apology(bot, CONSOLE_CHAT, "")
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
                    await bot.feed(bot.api.user_sends_text(CONSOLE_CHAT, "\u2060"))
                    flush_json()
                    continue
                out.write(json.dumps(_no_action(line), ensure_ascii=False) + "\n")
                out.flush()
                continue
            if action is not None:
                await bot.feed(action)
                if as_json:
                    flush_json()
                else:
                    flush_output()
    finally:
        await bot.stop()


def _apology(bot: LocalBot, chat_id: int, text: str) -> list[tuple[Reply, str]]:
    """The object for a message whose answer failed (the error handler has told the user):
    the contract promises a helpful text for every message."""
    from bot.core.dialogue import TextIn
    from bot.i18n import check_locale

    session = bot.services.store.load_session(chat_id)
    replies = bot.services.dialogue.apology(session, TextIn(text) if text.strip() else None)
    return [(reply, check_locale(session.reply_locale(None))) for reply in replies]


def _no_action(line: str) -> dict[str, Any]:
    """The object for a console command that sent nothing (``:tap 9`` with no button 9)."""
    return {
        "locale": "en", "intent": "help", "text": f"(nothing sent for {line.strip()!r})",
        "phase": None, "eligibility": None, "subsidy": None, "results": [], "handoff": False,
        "citations": [], "buttons": [], "messages": [],
    }


def _console_action(bot: LocalBot, line: str, numbering: list[tuple[int, Any]], out: TextIO) -> Any:
    command, _, rest = line.strip().partition(" ")
    if command in (":quit", ":q", ":exit"):
        return "quit"
    if command == ":tap":
        if not (rest.strip().isascii() and rest.strip().isdigit()) or not 1 <= int(rest) <= len(numbering):
            out.write(f"(no button {rest.strip() or '?'}; buttons are numbered 1 to {len(numbering)})\n")
            return None
        message_id, button = numbering[int(rest) - 1]
        return bot.api.user_taps(CONSOLE_CHAT, message_id, button["callback_data"])
    if command == ":location":
        try:
            lat, lon = (float(x) for x in rest.split())
        except ValueError:
            out.write("(usage: :location 22.31 114.22)\n")
            return None
        return bot.api.user_sends_location(CONSOLE_CHAT, lat, lon)
    if command == ":contact":
        if not rest.strip():
            out.write("(usage: :contact +852 1234 5678)\n")
            return None
        return bot.api.user_sends_contact(CONSOLE_CHAT, rest.strip())
    if command == ":help":
        out.write(CONSOLE_HELP + "\n")
        return None
    if not line.strip():
        return None
    return bot.api.user_sends_text(CONSOLE_CHAT, line[:MAX_TEXT])


def settings_for(date_arg: str | None) -> Settings:
    settings = Settings.from_env()
    if date_arg:
        settings = replace(settings, rules_date=date.fromisoformat(date_arg))
    return settings


def run_ask(texts: list[str] | None, date_arg: str | None, lang: str | None, as_json: bool) -> None:
    if texts is not None:
        asyncio.run(ask([" ".join(texts)], settings_for(date_arg), as_json, lang, sys.stdout, False))
        return
    lines = (line.rstrip("\n") for line in sys.stdin)
    asyncio.run(ask(lines, settings_for(date_arg), as_json, lang, sys.stdout))


def run_chat(as_json: bool = False, date_arg: str | None = None) -> None:
    asyncio.run(chat(settings_for(date_arg), sys.stdin, sys.stdout, as_json))
