"""An in-memory stand-in of the Telegram Bot API.

:class:`LocalBotAPI` answers Bot API method calls the way Telegram does, with plain dicts in and
out in the JSON shapes of https://core.telegram.org/bots/api, so python-telegram-bot (PTB) can
parse every result. It never imports ``telegram``; PTB reaches it through
:class:`tests.support.local_request.LocalRequest` (in-process) or through the HTTP server in
``tests/support/botapi_server.py``.

Two sides:

* **Bot side** -- ``await api.request(method, params)`` returns ``(http_status, envelope)`` with
  the envelope ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ...,
  "description": ...}``. ``await api.call(method, **params)`` returns the result or raises
  :class:`BotAPIError`. Parameters may be Python values or the strings of a form-encoded body
  (nested objects JSON-encoded), as PTB's HTTPXRequest sends them. Method names are
  case-insensitive, as on Telegram. Implemented methods: see :data:`METHODS`.
* **User side** -- ``user_sends_text``, ``user_taps``, ``user_presses_keyboard_button``,
  ``user_sends_location``, ``user_sends_contact``, ``user_sends_sticker``/``voice``/``photo``/
  ``document``, ``user_edits_message``, ``inline_query``, ``channel_post``. Each queues an update
  for ``getUpdates`` and returns a :class:`UserAction` ``(update, message)``.

Recording: ``sent(chat_id)`` (the bot's messages in the chat), ``messages(chat_id)``
(everyone's), ``events(chat_id)`` (every bot action in order: kinds ``message`` and
``callback_answer``), ``reply_keyboard(chat_id)``
(the reply keyboard the user currently sees), ``callback_answer(query_id)``,
``inline_answer(query_id)``, ``commands(scope, language_code)``; waiting:
``await wait_for_messages(chat_id, n, timeout)``, ``await wait_for_events(chat_id, n, timeout)``.
Waiting works across threads and event loops (the HTTP server runs its own loop in a thread).

Faults: ``fail_next(method, error_code=429, retry_after=1, count=1, chat_id=None)`` answers with a
Bot API error; ``fail_network(method, mode="drop"|"drop_after"|"bad_gateway"|"delay", ...)`` makes
the transport misbehave (``drop``: the request never reaches "Telegram"; ``drop_after``: it is
carried out but the answer is lost; ``bad_gateway``: HTTP 502; ``delay``: the answer comes after
``delay`` seconds); ``block_user(chat_id)`` gives 403 "Forbidden: bot was blocked by the user";
``migrate_chat(group, supergroup)`` upgrades a group (sends to the old id get 400 with
``migrate_to_chat_id``); ``inject_update(update)`` queues any update, malformed ones too;
``set_next_update_id(n)`` reuses ids, as Telegram may after a week without updates.

Persistence: ``LocalBotAPI(state_path=path)`` loads ``path`` if it exists and rewrites it (atomically)
after every change, so a restarted process finds users, chats, messages, pending updates and
recorded events as they were. Faults are not persisted.

Validation follows Telegram where it matters: text 1..4096 characters after entity parsing and
trimming, HTML/MarkdownV2/Markdown parse errors ("can't parse entities"), inline keyboard buttons
(non-empty text, exactly one action, callback_data 1..64 bytes, http(s)/tg URLs), "message is not
modified", replies to missing messages, unknown or stale callback query ids.

Example (runnable)::

    import asyncio
    from tests.support.local_api import LocalBotAPI

    async def main() -> None:
        api = LocalBotAPI()
        api.user_sends_text(42, "/start")
        updates = await api.call("getUpdates", timeout=1)
        chat_id = updates[0]["message"]["chat"]["id"]
        keyboard = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
        await api.call("sendMessage", chat_id=chat_id, text="<b>Hi</b>", parse_mode="HTML",
                       reply_markup=keyboard)
        [reply] = api.sent(42)
        assert reply["text"] == "Hi" and reply["entities"][0]["type"] == "bold"
        tap = api.user_taps(42, reply["message_id"], "yes")
        await api.call("answerCallbackQuery", callback_query_id=tap.update["callback_query"]["id"])

    asyncio.run(main())
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import pickle
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

JSON = dict[str, Any]
T = TypeVar("T")

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPDATES_PER_CALL = 100

# Update types Telegram leaves out unless asked for explicitly (Bot API, getUpdates).
_OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_KEYBOARD_BUTTON_REQUESTS = (
    "request_contact",
    "request_location",
    "request_poll",
    "request_users",
    "request_chat",
    "web_app",
)
_BUTTON_URL_RE = re.compile(r"^(?:https?|tg)://\S+$", re.IGNORECASE)
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class BotAPIError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def envelope(self) -> JSON:
        answer: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        parameters: JSON = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            answer["parameters"] = parameters
        return answer


def bad_request(reason: str) -> BotAPIError:
    return BotAPIError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> BotAPIError:
    return BotAPIError(403, f"Forbidden: {reason}")


class InjectedNetworkFault(Exception):
    """Raised by :meth:`LocalBotAPI.request` so the transport can misbehave as asked.

    ``mode`` is ``"drop"`` (close without answering; nothing was done), ``"drop_after"``
    (the call was carried out, then the answer is lost; ``envelope`` holds it) or
    ``"bad_gateway"`` (answer HTTP 502 with an HTML body).
    """

    def __init__(self, mode: str, method: str, envelope: JSON | None = None) -> None:
        super().__init__(f"injected network fault {mode!r} on {method}")
        self.mode = mode
        self.method = method
        self.envelope = envelope


class UserAction(NamedTuple):
    """What a user-side action produced: the queued update and the stored message (if any)."""

    update: JSON
    message: JSON | None


@dataclass
class _Fault:
    method: str  # lower-case method name, or "*" for any method
    count: int | None  # None: until clear_faults()
    chat_id: int | str | None
    error: BotAPIError | None = None
    network_mode: str | None = None
    delay: float = 0.0

    def matches(self, method: str, params: Mapping[str, Any]) -> bool:
        if self.method not in ("*", method):
            return False
        if self.chat_id is None:
            return True
        return _loose_chat_id(params.get("chat_id")) == self.chat_id


def _loose_chat_id(value: Any) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        return text


# ---------------------------------------------------------------------------------------------
# Parameters: accept Python values and the strings of a form-encoded body alike.
# ---------------------------------------------------------------------------------------------


class _Params:
    """Typed access to a method's parameters, coercing form strings the way Telegram does."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name)
        return default if value is None else str(value)

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise bad_request(f"parameter {name!r} is required")
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str) -> float:
        value = self.raw.get(name)
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def obj(self, name: str) -> Any:
        """A nested object or array; form bodies carry these JSON-encoded."""
        value = self.raw.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self, name: str = "chat_id") -> int | str:
        value = _loose_chat_id(self.raw.get(name))
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        return value


# ---------------------------------------------------------------------------------------------
# Text formatting: HTML, MarkdownV2 and legacy Markdown into (plain text, entities).
# Offsets and lengths are in UTF-16 code units, as in the Bot API.
# ---------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _entity_error(reason: str) -> BotAPIError:
    return bad_request(f"can't parse entities: {reason}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_TAG_NAME_RE = re.compile(r"[A-Za-z][\w-]*")
_HTML_ATTR_RE = re.compile(r"([A-Za-z][\w-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_HTML_CHAR_REF_RE = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]+);")
_HTML_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass
class _OpenTag:
    name: str
    offset: int
    attrs: dict[str, str]


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram-style HTML; raise 400 "can't parse entities" on bad markup."""
    pieces: list[str] = []
    length = 0
    stack: list[_OpenTag] = []
    entities: list[JSON] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            end = text.find(">", i)
            if end == -1:
                raise _entity_error(f"Unclosed start tag at byte offset {_byte_offset(text, i)}")
            inner = text[i + 1 : end]
            if inner.startswith("/"):
                _close_html_tag(inner[1:].strip().lower(), stack, length, entities, text, i)
            else:
                stack.append(_open_html_tag(inner, length, text, i))
            i = end + 1
            continue
        if char == "&":
            ref = _HTML_CHAR_REF_RE.match(text, i)
            decoded = _decode_char_ref(ref.group(1)) if ref else None
            if ref and decoded is not None:
                pieces.append(decoded)
                length += utf16_len(decoded)
                i = ref.end()
                continue
        run_end = len(text)
        for stop in ("<", "&"):
            found = text.find(stop, i + 1)
            if found != -1:
                run_end = min(run_end, found)
        run = text[i:run_end]
        pieces.append(run)
        length += utf16_len(run)
        i = run_end
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(pieces), entities


def _decode_char_ref(ref: str) -> str | None:
    if ref.startswith("#x"):
        return chr(int(ref[2:], 16))
    if ref.startswith("#"):
        return chr(int(ref[1:]))
    return _HTML_NAMED_REFS.get(ref.lower())


def _open_html_tag(inner: str, offset: int, text: str, index: int) -> _OpenTag:
    match = _HTML_TAG_NAME_RE.match(inner)
    name = match.group(0).lower() if match else inner.strip()
    if not match or name not in _HTML_TAGS:
        raise _entity_error(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, index)}'
        )
    attrs = {
        key.lower(): dq or sq or bare
        for key, dq, sq, bare in _HTML_ATTR_RE.findall(inner[match.end() :])
    }
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _entity_error(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, index)}'
        )
    return _OpenTag(name, offset, attrs)


def _close_html_tag(
    name: str, stack: list[_OpenTag], length: int, entities: list[JSON], text: str, index: int
) -> None:
    if not stack:
        raise _entity_error(f"Unexpected end tag at byte offset {_byte_offset(text, index)}")
    tag = stack.pop()
    if name != tag.name:
        raise _entity_error(
            f"Unmatched end tag at byte offset {_byte_offset(text, index)}, "
            f'expected "</{tag.name}>", found "</{name}>"'
        )
    language = tag.attrs.get("class", "")
    if (
        tag.name == "code"
        and language.startswith("language-")
        and stack
        and stack[-1].name == "pre"
    ):
        # <pre><code class="language-x"> is one pre entity with a language, not two entities.
        stack[-1].attrs["language"] = language.removeprefix("language-")
        return
    if length == tag.offset:
        return  # Telegram drops empty entities
    entity: JSON = {
        "type": _HTML_TAGS[tag.name],
        "offset": tag.offset,
        "length": length - tag.offset,
    }
    if tag.name == "a":
        href = tag.attrs.get("href", "")
        if not href:
            return
        entity["url"] = href
    elif tag.name == "pre" and tag.attrs.get("language"):
        entity["language"] = tag.attrs["language"]
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    entities.append(entity)


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_MARKERS = (
    ("||", "spoiler"),
    ("__", "underline"),
    ("*", "bold"),
    ("_", "italic"),
    ("~", "strikethrough"),
)


class _MarkdownParser:
    """MarkdownV2 (``v2=True``) and legacy Markdown, close enough to Telegram's rules."""

    def __init__(self, text: str, *, v2: bool) -> None:
        self.text = text
        self.v2 = v2
        self.pieces: list[str] = []
        self.length = 0
        self.entities: list[JSON] = []
        self.open: list[tuple[str, str, int, int]] = []  # (marker, type, offset, source index)

    def emit(self, chunk: str) -> None:
        self.pieces.append(chunk)
        self.length += utf16_len(chunk)

    def parse(self) -> tuple[str, list[JSON]]:
        text, i = self.text, 0
        while i < len(text):
            i = self.step(i)
        if self.open:
            marker, kind, _, index = self.open[-1]
            where = _byte_offset(text, index)
            if self.v2:
                raise _entity_error(
                    f"Can't find end of {_mdv2_name(kind)} entity at byte offset {where}"
                )
            raise _entity_error(f"Can't find end of the entity starting at byte offset {where}")
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.pieces), self.entities

    def step(self, i: int) -> int:
        text = self.text
        char = text[i]
        if char == "\\" and i + 1 < len(text) and (self.v2 or text[i + 1] in "_*`["):
            self.emit(text[i + 1])
            return i + 2
        if text.startswith("```", i):
            return self.pre_block(i)
        if char == "`":
            return self.inline_code(i)
        if char == "[":
            if self.text.find("](", i) == -1:
                if self.v2:
                    raise _entity_error(
                        "Character '[' is reserved and must be escaped with the preceding '\\'"
                    )
                self.emit(char)
                return i + 1
            self.open.append(("[", "text_link", self.length, i))
            return i + 1
        if char == "]" and self.open and self.open[-1][0] == "[":
            return self.link_end(i)
        for marker, kind in _MDV2_MARKERS if self.v2 else (("*", "bold"), ("_", "italic")):
            if text.startswith(marker, i):
                self.toggle(marker, kind, i)
                return i + len(marker)
        if self.v2 and char == ">" and (i == 0 or text[i - 1] == "\n"):
            return self.blockquote_line(i)
        if self.v2 and char in _MDV2_RESERVED:
            raise _entity_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        self.emit(char)
        return i + 1

    def toggle(self, marker: str, kind: str, index: int) -> None:
        if self.open and self.open[-1][0] == marker:
            _, _, offset, _ = self.open.pop()
            if self.length > offset:
                self.entities.append(
                    {"type": kind, "offset": offset, "length": self.length - offset}
                )
            return
        if not self.v2 and self.open:
            raise _entity_error(
                f"Can't find end of the entity starting at byte offset "
                f"{_byte_offset(self.text, self.open[-1][3])}"
            )
        self.open.append((marker, kind, self.length, index))

    def inline_code(self, i: int) -> int:
        end = self.find_unescaped("`", i + 1)
        if end == -1:
            raise self.unclosed("Code", i)
        offset = self.length
        self.emit(self.unescape(self.text[i + 1 : end]))
        if self.length > offset:
            self.entities.append({"type": "code", "offset": offset, "length": self.length - offset})
        return end + 1

    def pre_block(self, i: int) -> int:
        end = self.text.find("```", i + 3)
        if end == -1:
            raise self.unclosed("Pre", i)
        body = self.text[i + 3 : end]
        language = ""
        first_line, newline, rest = body.partition("\n")
        if newline and first_line and " " not in first_line:
            language, body = first_line, rest
        offset = self.length
        self.emit(self.unescape(body))
        if self.length > offset:
            entity: JSON = {"type": "pre", "offset": offset, "length": self.length - offset}
            if language:
                entity["language"] = language
            self.entities.append(entity)
        return end + 3

    def link_end(self, i: int) -> int:
        if not self.text.startswith("(", i + 1):
            if self.v2:
                raise _entity_error(
                    "Character ']' is reserved and must be escaped with the preceding '\\'"
                )
            self.emit("]")
            return i + 1
        _, _, offset, start = self.open.pop()
        close = self.find_unescaped(")", i + 2)
        if close == -1:
            raise self.unclosed("TextUrl", start)
        url = self.unescape(self.text[i + 2 : close])
        if self.length > offset and url:
            self.entities.append(
                {"type": "text_link", "offset": offset, "length": self.length - offset, "url": url}
            )
        return close + 1

    def blockquote_line(self, i: int) -> int:
        line_end = self.text.find("\n", i)
        line_end = len(self.text) if line_end == -1 else line_end
        offset = self.length
        inner = _MarkdownParser(self.text[i + 1 : line_end], v2=True)
        body, inner_entities = inner.parse()
        self.emit(body)
        for entity in inner_entities:
            self.entities.append({**entity, "offset": entity["offset"] + offset})
        previous = self.entities[-1] if self.entities else None
        joined = (
            previous
            and previous["type"] == "blockquote"
            and previous["offset"] + previous["length"] + 1 == offset
        )
        if joined:
            previous["length"] = self.length - previous["offset"]
        elif self.length > offset:
            self.entities.append(
                {"type": "blockquote", "offset": offset, "length": self.length - offset}
            )
        return line_end

    def find_unescaped(self, char: str, start: int) -> int:
        i = start
        while i < len(self.text):
            if self.text[i] == "\\" and self.v2:
                i += 2
                continue
            if self.text[i] == char:
                return i
            i += 1
        return -1

    def unescape(self, chunk: str) -> str:
        return re.sub(r"\\(.)", r"\1", chunk) if self.v2 else chunk

    def unclosed(self, kind: str, index: int) -> BotAPIError:
        where = _byte_offset(self.text, index)
        if self.v2:
            return _entity_error(f"Can't find end of {kind} entity at byte offset {where}")
        return _entity_error(f"Can't find end of the entity starting at byte offset {where}")


def _mdv2_name(kind: str) -> str:
    return {"text_link": "TextUrl"}.get(kind, kind.capitalize())


def format_text(
    text: str, parse_mode: str | None, entities: list[JSON] | None
) -> tuple[str, list[JSON]]:
    """Apply ``parse_mode`` (or explicit ``entities``), trim, and check Telegram's text limits."""
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        plain, found = parse_html(text)
    elif mode == "markdownv2":
        plain, found = _MarkdownParser(text, v2=True).parse()
    elif mode == "markdown":
        plain, found = _MarkdownParser(text, v2=False).parse()
    elif mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    else:
        plain, found = text, [dict(e) for e in entities or []]
    plain, found = _trim(plain, found)
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return plain, found


def _trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram strips surrounding whitespace and shifts the entities with it."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


_AUTO_ENTITY_RE = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)"
    r"|(?P<url>https?://[^\s<>\"]+)"
    r"|(?P<mention>(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31})"
)


def auto_entities(text: str) -> list[JSON]:
    """The entities Telegram adds to a user's text: bot commands, URLs, mentions."""
    found = []
    for match in _AUTO_ENTITY_RE.finditer(text):
        found.append(
            {
                "type": match.lastgroup,
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return found


# ---------------------------------------------------------------------------------------------
# Keyboards
# ---------------------------------------------------------------------------------------------


def _check_inline_keyboard(markup: JSON) -> JSON:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    clean_rows = []
    for row in rows:
        clean_row = []
        for button in row:
            if not isinstance(button, dict):
                raise bad_request(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            clean_row.append(_check_inline_button(button))
        clean_rows.append(clean_row)
    return {"inline_keyboard": clean_rows}


def _check_inline_button(button: JSON) -> JSON:
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("inline keyboard button text must be non-empty")
    actions = [name for name in _INLINE_BUTTON_ACTIONS if button.get(name) is not None]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(f"can't parse inline keyboard button: more than one action {actions}")
    data = button.get("callback_data")
    if data is not None and not (1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not _BUTTON_URL_RE.match(str(url)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    return {key: value for key, value in button.items() if value is not None}


def _check_reply_keyboard(markup: JSON, chat_type: str) -> JSON:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    clean_rows = []
    for row in rows:
        clean_row = []
        for raw in row:
            button = {"text": raw} if isinstance(raw, str) else dict(raw)
            if not str(button.get("text") or "").strip():
                raise bad_request("keyboard button text must be non-empty")
            requests = [name for name in _KEYBOARD_BUTTON_REQUESTS if button.get(name)]
            if len(requests) > 1:
                raise bad_request(f"can't parse keyboard button: more than one request {requests}")
            if (
                requests
                and requests[0] in ("request_contact", "request_location")
                and chat_type != "private"
            ):
                raise bad_request(
                    "contact and location request buttons are allowed only in private chats"
                )
            clean_row.append({k: v for k, v in button.items() if v is not None})
        clean_rows.append(clean_row)
    options = {k: v for k, v in markup.items() if k != "keyboard" and v is not None}
    return {"keyboard": clean_rows, **options}


def inline_buttons(message: JSON) -> list[JSON]:
    """The inline buttons of a message, row by row, flattened (index = position shown)."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def find_button(buttons: list[JSON], which: int | str) -> JSON:
    """A button by 0-based index or by its exact text (then case-insensitive, trimmed)."""
    if isinstance(which, int):
        if not 0 <= which < len(buttons):
            raise LookupError(f"no button #{which}; there are {len(buttons)}")
        return buttons[which]
    for button in buttons:
        if button["text"] == which:
            return button
    wanted = which.strip().casefold()
    for button in buttons:
        if button["text"].strip().casefold() == wanted:
            return button
    raise LookupError(f"no button {which!r} among {[b['text'] for b in buttons]}")


# ---------------------------------------------------------------------------------------------
# Cross-thread, cross-loop change notification (for long polling and test waits)
# ---------------------------------------------------------------------------------------------


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _ChangeSignal:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def notify(self) -> None:
        with self._lock:
            waiters, self._waiters = self._waiters, []
        if not waiters:
            return
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for loop, future in waiters:
            if loop is current:
                _resolve(future)
            else:
                # A closed loop raises RuntimeError: nobody is waiting there any more.
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_resolve, future)

    async def wait_until(self, predicate: Callable[[], T | None], timeout: float) -> T:
        """Return predicate's first non-None value; raise TimeoutError after ``timeout`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            future = loop.create_future()
            entry = (loop, future)
            with self._lock:
                self._waiters.append(entry)  # subscribe before checking: no lost wake-ups
            try:
                result = predicate()
                if result is not None:
                    return result
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError
                await asyncio.wait((future,), timeout=remaining)
            finally:
                with self._lock:
                    if entry in self._waiters:
                        self._waiters.remove(entry)


# ---------------------------------------------------------------------------------------------
# The emulator
# ---------------------------------------------------------------------------------------------

_Handler = Callable[["LocalBotAPI", _Params], Any]
METHODS: dict[str, _Handler] = {}
_ASYNC_METHODS: set[str] = set()
_READ_ONLY_METHODS: set[str] = set()


def api_method(name: str, *, read_only: bool = False) -> Callable[[_Handler], _Handler]:
    """Register a handler in the dispatch table (names are matched case-insensitively)."""

    def register(handler: _Handler) -> _Handler:
        METHODS[name.lower()] = handler
        if asyncio.iscoroutinefunction(handler):
            _ASYNC_METHODS.add(name.lower())
        if read_only:
            _READ_ONLY_METHODS.add(name.lower())
        return handler

    return register


class LocalBotAPI:
    """In-memory Telegram Bot API; see the module docstring."""

    def __init__(
        self,
        *,
        bot_id: int = 7_000_000_001,
        bot_username: str = "cpp_local_bot",
        bot_first_name: str = "CPP Assistant",
        state_path: str | os.PathLike[str] | None = None,
        clock: Callable[[], float] = time.time,
        first_update_id: int = 1,
    ) -> None:
        self._lock = threading.RLock()
        # A fresh emulator in front of an existing database (the console) continues the
        # update ids, so the bot does not take new updates for ones it already handled.
        self._first_update_id = first_update_id
        self._signal = _ChangeSignal()
        self._clock = clock
        self._faults: list[_Fault] = []
        self._poll_generation = 0
        self._ids = itertools.count(1)  # callback/inline query and file ids
        self.state_path = Path(state_path) if state_path else None
        self._dirty = False
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._reset_state()
        if self.state_path and self.state_path.exists():
            self._load(json.loads(self.state_path.read_text(encoding="utf-8")))

    def _reset_state(self) -> None:
        self._users: dict[int, JSON] = {}
        self._chats: dict[int, JSON] = {}
        self._messages: dict[int, dict[int, JSON]] = {}
        self._bot_message_ids: dict[int, list[int]] = {}
        self._next_message_id: dict[int, int] = {}
        self._updates: list[JSON] = []
        self._next_update_id = self._first_update_id
        self._allowed_updates: list[str] | None = None
        self._events: dict[int, list[JSON]] = {}
        self._event_seq = 0
        self._callback_queries: dict[str, JSON] = {}
        self._inline_queries: dict[str, JSON] = {}
        self._commands: dict[str, list[JSON]] = {}
        self._webhook: JSON = {}
        self._reply_keyboards: dict[int, JSON] = {}
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}  # group -> the supergroup it became

    # -- the bot side ----------------------------------------------------------------------

    async def request(
        self, method: str, params: Mapping[str, Any] | None = None
    ) -> tuple[int, JSON]:
        """Answer one Bot API call: ``(http_status, envelope)``.

        Raises :class:`InjectedNetworkFault` when a network fault was injected for this call.
        """
        params = params or {}
        name = method.lower()
        fault = self._take_fault(name, params)
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault and fault.network_mode in ("drop", "bad_gateway"):
            raise InjectedNetworkFault(fault.network_mode, method)
        if fault and fault.error:
            return fault.error.error_code, fault.error.envelope()
        handler = METHODS.get(name)
        try:
            if handler is None:
                raise bad_request(f"method {method!r} is not implemented by LocalBotAPI")
            if name in _ASYNC_METHODS:
                result = await handler(self, _Params(params))
            else:
                with self._lock:
                    result = handler(self, _Params(params))
            status, envelope = 200, {"ok": True, "result": result}
        except BotAPIError as error:
            status, envelope = error.error_code, error.envelope()
        if name not in _READ_ONLY_METHODS:
            with self._lock:
                self._changed()
        if fault and fault.network_mode == "drop_after":
            raise InjectedNetworkFault("drop_after", method, envelope)
        return status, envelope

    async def call(self, method: str, /, **params: Any) -> Any:
        """Call a method like a bot would; return its result or raise :class:`BotAPIError`."""
        _, envelope = await self.request(method, params)
        if not envelope["ok"]:
            parameters = envelope.get("parameters", {})
            raise BotAPIError(
                envelope["error_code"],
                envelope["description"],
                retry_after=parameters.get("retry_after"),
                migrate_to_chat_id=parameters.get("migrate_to_chat_id"),
            )
        return envelope["result"]

    # -- fault injection -------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        retry_after: int | None = 1,
        count: int | None = 1,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (``"*"``: any) with a Bot API error.

        ``count=None`` keeps failing until :meth:`clear_faults`. 429 carries ``retry_after``.
        """
        if description is None:
            description = _default_error_description(error_code, retry_after)
        error = BotAPIError(
            error_code, description, retry_after=retry_after if error_code == 429 else None
        )
        with self._lock:
            self._faults.append(_Fault(method.lower(), count, _loose_chat_id(chat_id), error=error))

    def fail_network(
        self,
        method: str,
        mode: str = "drop",
        count: int | None = 1,
        chat_id: int | str | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the transport misbehave on the next ``count`` calls of ``method``.

        ``mode``: ``drop``, ``drop_after``, ``bad_gateway`` or ``delay`` (answer normally after
        ``delay`` seconds; combine with other modes by passing ``delay`` too).
        """
        if mode not in ("drop", "drop_after", "bad_gateway", "delay"):
            raise ValueError(f"unknown network fault mode {mode!r}")
        fault = _Fault(
            method.lower(),
            count,
            _loose_chat_id(chat_id),
            network_mode=None if mode == "delay" else mode,
            delay=delay,
        )
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def block_user(self, chat_id: int, *, notify: bool = True) -> None:
        """The user blocks the bot: sends to the chat get 403; a my_chat_member update is queued."""
        with self._lock:
            self._blocked.add(chat_id)
            if notify and chat_id in self._users:
                self._enqueue("my_chat_member", self._member_change(chat_id, "member", "kicked"))
            self._changed()

    def unblock_user(self, chat_id: int, *, notify: bool = True) -> None:
        with self._lock:
            self._blocked.discard(chat_id)
            if notify and chat_id in self._users:
                self._enqueue("my_chat_member", self._member_change(chat_id, "kicked", "member"))
            self._changed()

    def migrate_chat(self, chat_id: int, new_chat_id: int, user: int | JSON | None = None) -> JSON:
        """A group is upgraded to a supergroup (as Telegram does when a group grows or an
        admin changes its settings): ``new_chat_id`` is created, sends to the old id get
        400 with ``migrate_to_chat_id``, and the two service messages are queued (the old
        group's ``migrate_to_chat_id``, the new one's ``migrate_from_chat_id``)."""
        with self._lock:
            old = self._chats.get(chat_id)
            if old is None or old["type"] != "group":
                raise ValueError("only an existing group can be upgraded to a supergroup")
            new = self.add_chat(new_chat_id, "supergroup", title=old.get("title"))
            sender = self._user(user, 1) if user is not None else None
            moved = {"migrate_to_chat_id": new_chat_id}
            self._enqueue("message", self._store_message(old, sender, moved))
            self._migrated[chat_id] = new_chat_id
            self._enqueue(
                "message",
                self._store_message(
                    self._chats[new_chat_id], sender, {"migrate_from_chat_id": chat_id}
                ),
            )
            self._changed()
            return new

    def inject_update(self, update: JSON) -> JSON:
        """Queue a raw update as given (its ``update_id`` is assigned): for updates the user
        side does not make, including malformed ones a real Telegram might send."""
        kinds = [key for key in update if key != "update_id"]
        if len(kinds) != 1:
            raise ValueError("an update has one field besides update_id")
        with self._lock:
            queued = self._enqueue(kinds[0], update[kinds[0]])
            self._changed()
            return _clone(queued)

    def set_next_update_id(self, update_id: int) -> None:
        """Number the next updates from ``update_id``: Telegram picks it at random after a
        week without updates, so it may repeat an id handled long ago."""
        with self._lock:
            self._next_update_id = update_id
            self._dirty = True
            self._changed()

    def _take_fault(self, method: str, params: Mapping[str, Any]) -> _Fault | None:
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, params):
                    if fault.count is not None:
                        fault.count -= 1
                        if fault.count <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def _member_change(self, user_id: int, old: str, new: str) -> JSON:
        user = self._users[user_id]
        return {
            "chat": self._private_chat(user),
            "from": user,
            "date": self._now(),
            "old_chat_member": _chat_member(self.bot_user, old),
            "new_chat_member": _chat_member(self.bot_user, new),
        }

    # -- users and chats -------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """Create or update a user; returns the Bot API User object."""
        with self._lock:
            user = dict(self._users.get(user_id) or {"id": user_id, "is_bot": False})
            user["first_name"] = first_name or user.get("first_name") or f"User {user_id}"
            for key, value in (
                ("last_name", last_name),
                ("username", username),
                ("language_code", language_code),
            ):
                if value is not None:
                    user[key] = value
            self._users[user_id] = user
            self._dirty = True
            return _clone(user)

    def add_chat(
        self,
        chat_id: int,
        chat_type: str = "group",
        *,
        title: str | None = None,
        username: str | None = None,
    ) -> JSON:
        """Create a group, supergroup or channel chat (private chats come from their user)."""
        if chat_type not in ("group", "supergroup", "channel"):
            raise ValueError("add_chat is for group, supergroup and channel chats")
        with self._lock:
            chat: JSON = {"id": chat_id, "type": chat_type, "title": title or f"Chat {chat_id}"}
            if username:
                chat["username"] = username
            if chat_type == "supergroup":
                chat["is_forum"] = False
            self._chats[chat_id] = chat
            self._dirty = True
            return _clone(chat)

    def _user(self, user: int | JSON | None, default_id: int) -> JSON:
        if isinstance(user, dict):
            return self.add_user(
                int(user["id"]),
                user.get("first_name"),
                last_name=user.get("last_name"),
                username=user.get("username"),
                language_code=user.get("language_code"),
            )
        user_id = default_id if user is None else int(user)
        if user_id not in self._users:
            self.add_user(user_id)
        return self._users[user_id]

    def _private_chat(self, user: JSON) -> JSON:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        return chat

    def _user_chat(self, chat_id: int, user: JSON, chat_type: str) -> JSON:
        if chat_type == "private":
            if chat_id != user["id"]:
                raise ValueError("a private chat's id is its user's id")
            chat = self._private_chat(user)
            self._chats[chat_id] = chat
            return chat
        if chat_id not in self._chats:
            self.add_chat(chat_id, chat_type)
        return self._chats[chat_id]

    def _resolve_chat(self, chat_ref: int | str) -> JSON:
        if isinstance(chat_ref, str):
            name = chat_ref.removeprefix("@").lower()
            for chat in self._chats.values():
                if str(chat.get("username", "")).lower() == name and chat["type"] != "private":
                    return chat
            raise bad_request("chat not found")
        chat = self._chats.get(chat_ref)
        if chat is None:
            if chat_ref in self._users:
                raise forbidden("bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        return chat

    def _writable_chat(self, chat_ref: int | str) -> JSON:
        chat = self._resolve_chat(chat_ref)
        if chat["id"] in self._migrated:
            raise BotAPIError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self._migrated[chat["id"]],
            )
        if chat["id"] in self._blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    # -- messages and updates --------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock())

    def _store_message(self, chat: JSON, sender: JSON | None, content: JSON) -> JSON:
        chat_id = chat["id"]
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message: JSON = {"message_id": message_id}
        if sender is not None:
            message["from"] = sender
        if chat["type"] == "channel":
            message["sender_chat"] = chat
        message["chat"] = chat
        message["date"] = self._now()
        message.update(content)
        self._messages.setdefault(chat_id, {})[message_id] = message
        self._dirty = True
        return message

    def _replace_message(self, message: JSON) -> None:
        # Copy-on-write: stored dicts are never mutated, so results can be shared unlocked.
        self._messages[message["chat"]["id"]][message["message_id"]] = message
        self._dirty = True

    def _find_message(self, chat_id: int, message_id: int) -> JSON | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def _enqueue(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        allowed = self._allowed_updates
        wanted = kind in allowed if allowed else kind not in _OPT_IN_UPDATE_TYPES
        if wanted:
            self._updates.append(update)
        self._dirty = True
        return update

    def _record_event(self, chat_id: int, kind: str, **fields: Any) -> JSON:
        self._event_seq += 1
        event = {
            "seq": self._event_seq,
            "kind": kind,
            "chat_id": chat_id,
            "time": self._clock(),
            **fields,
        }
        self._events.setdefault(chat_id, []).append(event)
        self._dirty = True
        return event

    def _changed(self) -> None:
        """Persist (if asked) and wake waiters after a change."""
        if self._dirty:
            self._dirty = False
            if self.state_path:
                self.save()
        self._signal.notify()

    def _send(self, method: str, chat: JSON, params: _Params, content: JSON) -> JSON:
        """Common part of every send: reply target, markup, flags, storing and recording."""
        reply_to = self._reply_target(chat, params)
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        markup = params.obj("reply_markup")
        if markup:
            inline = self._apply_reply_markup(chat, markup)
            if inline is not None:
                content["reply_markup"] = inline
        if params.flag("protect_content"):
            content["has_protected_content"] = True
        thread_id = params.integer("message_thread_id")
        if thread_id is not None and chat["type"] == "supergroup":
            content["message_thread_id"] = thread_id
        sender = None if chat["type"] == "channel" else self._bot_sender()
        message = self._store_message(chat, sender, content)
        self._bot_message_ids.setdefault(chat["id"], []).append(message["message_id"])
        self._record_event(
            chat["id"],
            "message",
            method=method,
            message_id=message["message_id"],
            message=message,
            disable_notification=params.flag("disable_notification"),
        )
        return message

    def _bot_sender(self) -> JSON:
        """The bot as a message's ``from``: a User without getMe's capability fields."""
        return {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}

    def _reply_target(self, chat: JSON, params: _Params) -> JSON | None:
        reply = params.obj("reply_parameters") or {}
        if not reply and params.has("reply_to_message_id"):
            reply = {
                "message_id": params.integer("reply_to_message_id"),
                "allow_sending_without_reply": params.flag("allow_sending_without_reply"),
            }
        if not reply:
            return None
        target_chat = _loose_chat_id(reply.get("chat_id")) or chat["id"]
        if isinstance(target_chat, str):
            target_chat = self._resolve_chat(target_chat)["id"]
        target = self._find_message(target_chat, int(reply.get("message_id") or 0))
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def _apply_reply_markup(self, chat: JSON, markup: Any) -> JSON | None:
        """Validate markup; return what the message carries (inline keyboards only)."""
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            return _check_inline_keyboard(markup)
        if "keyboard" in markup:
            self._reply_keyboards[chat["id"]] = _check_reply_keyboard(markup, chat["type"])
        elif markup.get("remove_keyboard"):
            self._reply_keyboards.pop(chat["id"], None)
        elif markup.get("force_reply"):
            self._reply_keyboards[chat["id"]] = {"force_reply": True, **markup}
        else:
            raise bad_request('can\'t find field "inline_keyboard"')
        return None

    def _text_content(self, params: _Params) -> JSON:
        text = params.text("text")
        if text is None:
            raise bad_request("message text is empty")
        plain, entities = format_text(text, params.text("parse_mode"), params.obj("entities"))
        content: JSON = {"text": plain}
        if entities:
            content["entities"] = entities
        preview = params.obj("link_preview_options")
        if preview is None and params.flag("disable_web_page_preview"):
            preview = {"is_disabled": True}
        if preview:
            content["link_preview_options"] = preview
        return content

    # -- the user side ---------------------------------------------------------------------

    def _user_message(
        self,
        chat_id: int,
        user: int | JSON | None,
        chat_type: str,
        content: JSON,
        reply_to: int | None = None,
    ) -> UserAction:
        if chat_type != "private" and user is None:
            raise ValueError("a message in a group or channel needs its sender: pass user=")
        with self._lock:
            sender = self._user(user, chat_id)
            chat = self._user_chat(chat_id, sender, chat_type)
            if reply_to is not None:
                target = self._find_message(chat_id, reply_to)
                if target is None:
                    raise LookupError(f"no message {reply_to} in chat {chat_id}")
                content = {
                    **content,
                    "reply_to_message": {
                        k: v for k, v in target.items() if k != "reply_to_message"
                    },
                }
            if chat_type == "private" and content.get("text", "").startswith("/start"):
                self._blocked.discard(chat_id)  # /start after a block is how users unblock
            message = self._store_message(chat, sender, content)
            update = self._enqueue("message", message)
            self._changed()
            return UserAction(_clone(update), _clone(message))

    def user_sends_text(
        self,
        chat_id: int,
        text: str,
        *,
        user: int | JSON | None = None,
        chat_type: str = "private",
        reply_to_message_id: int | None = None,
    ) -> UserAction:
        """A user writes ``text`` (commands, URLs and mentions get their entities)."""
        content: JSON = {"text": text}
        entities = auto_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(chat_id, user, chat_type, content, reply_to_message_id)

    def user_sends_location(
        self,
        chat_id: int,
        latitude: float,
        longitude: float,
        *,
        user: int | JSON | None = None,
        chat_type: str = "private",
    ) -> UserAction:
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._user_message(chat_id, user, chat_type, content)

    def user_sends_contact(
        self,
        chat_id: int,
        phone_number: str,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        contact_user_id: int | None = None,
        user: int | JSON | None = None,
        chat_type: str = "private",
    ) -> UserAction:
        """A contact; by default the sender's own (as a request_contact button shares it)."""
        with self._lock:
            sender = self._user(user, chat_id)
        contact: JSON = {
            "phone_number": phone_number,
            "first_name": first_name or sender["first_name"],
            "user_id": sender["id"] if contact_user_id is None else contact_user_id,
        }
        if last_name:
            contact["last_name"] = last_name
        return self._user_message(chat_id, sender, chat_type, {"contact": contact})

    def user_sends_sticker(
        self,
        chat_id: int,
        emoji: str = "👍",
        *,
        user: int | JSON | None = None,
        chat_type: str = "private",
    ) -> UserAction:
        sticker = {
            **self._file_ids(),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(chat_id, user, chat_type, {"sticker": sticker})

    def user_sends_voice(
        self,
        chat_id: int,
        duration: int = 3,
        *,
        user: int | JSON | None = None,
        chat_type: str = "private",
    ) -> UserAction:
        voice = {
            **self._file_ids(),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": duration * 4000,
        }
        return self._user_message(chat_id, user, chat_type, {"voice": voice})

    def user_sends_photo(
        self,
        chat_id: int,
        caption: str | None = None,
        *,
        user: int | JSON | None = None,
        chat_type: str = "private",
    ) -> UserAction:
        sizes = [
            {**self._file_ids(), "width": side, "height": side, "file_size": side * 60}
            for side in (90, 320, 800)
        ]
        content: JSON = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._user_message(chat_id, user, chat_type, content)

    def user_sends_document(
        self,
        chat_id: int,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        *,
        user: int | JSON | None = None,
        chat_type: str = "private",
    ) -> UserAction:
        document = {
            **self._file_ids(),
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": 12345,
        }
        content: JSON = {"document": document}
        if caption:
            content["caption"] = caption
        return self._user_message(chat_id, user, chat_type, content)

    def _file_ids(self) -> JSON:
        number = next(self._ids)
        return {"file_id": f"LOCALFILE{number:08d}", "file_unique_id": f"U{number:08d}"}

    def user_edits_message(self, chat_id: int, message_id: int, text: str) -> UserAction:
        """The author edits their text message; queues an edited_message update."""
        with self._lock:
            message = self._find_message(chat_id, message_id)
            if message is None or message["message_id"] in self._bot_message_ids.get(chat_id, []):
                raise LookupError(f"no user message {message_id} in chat {chat_id}")
            edited = {k: v for k, v in message.items() if k != "entities"}
            edited.update(text=text, edit_date=self._now())
            if auto_entities(text):
                edited["entities"] = auto_entities(text)
            self._replace_message(edited)
            kind = (
                "edited_channel_post" if message["chat"]["type"] == "channel" else "edited_message"
            )
            update = self._enqueue(kind, edited)
            self._changed()
            return UserAction(_clone(update), _clone(edited))

    def user_taps(
        self, chat_id: int, message_id: int, callback_data: str, *, user: int | JSON | None = None
    ) -> UserAction:
        """A user presses an inline button; the button must be on the message as it is now."""
        with self._lock:
            message = self._find_message(chat_id, message_id)
            if message is None:
                raise LookupError(f"no message {message_id} in chat {chat_id}")
            datas = [b.get("callback_data") for b in inline_buttons(message)]
            if callback_data not in datas:
                raise LookupError(f"message {message_id} has no button with data {callback_data!r}")
            sender = self._user(user, chat_id)
            query_id = str(next(self._ids) * 1_000_003 + 10**15)
            query = {
                "id": query_id,
                "from": sender,
                "message": message,
                "chat_instance": str(abs(chat_id) * 7919 + 10**12),
                "data": callback_data,
            }
            self._callback_queries[query_id] = {"chat_id": chat_id, "answer": None}
            update = self._enqueue("callback_query", query)
            self._changed()
            return UserAction(_clone(update), _clone(message))

    def user_taps_button(
        self, chat_id: int, message_id: int, which: int | str, *, user: int | JSON | None = None
    ) -> UserAction:
        """Press an inline callback button chosen by 0-based index or by its text."""
        with self._lock:
            message = self._find_message(chat_id, message_id)
            if message is None:
                raise LookupError(f"no message {message_id} in chat {chat_id}")
            button = find_button(inline_buttons(message), which)
        if "callback_data" not in button:
            raise LookupError(f"button {button['text']!r} is not a callback button")
        return self.user_taps(chat_id, message_id, button["callback_data"], user=user)

    def user_presses_keyboard_button(
        self,
        chat_id: int,
        which: int | str,
        *,
        user: int | JSON | None = None,
        phone_number: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> UserAction:
        """Press a button of the reply keyboard the chat shows: sends its text, or the
        contact / location it requests (pass ``phone_number`` or coordinates for those)."""
        with self._lock:
            keyboard = self._reply_keyboards.get(chat_id) or {}
            buttons = [button for row in keyboard.get("keyboard", []) for button in row]
            button = find_button(buttons, which)
            if keyboard.get("one_time_keyboard"):
                self._reply_keyboards.pop(chat_id, None)
        if button.get("request_contact"):
            if phone_number is None:
                raise ValueError("this button shares a contact: pass phone_number")
            return self.user_sends_contact(chat_id, phone_number, user=user)
        if button.get("request_location"):
            if latitude is None or longitude is None:
                raise ValueError("this button shares a location: pass latitude and longitude")
            return self.user_sends_location(chat_id, latitude, longitude, user=user)
        return self.user_sends_text(chat_id, button["text"], user=user)

    def inline_query(
        self, user: int | JSON, query: str, *, offset: str = "", chat_type: str | None = "sender"
    ) -> UserAction:
        """A user types ``@bot query`` in some chat; queues an inline_query update."""
        with self._lock:
            sender = self._user(user, 0)
            query_id = str(next(self._ids) * 1_000_033 + 10**15)
            payload: JSON = {"id": query_id, "from": sender, "query": query, "offset": offset}
            if chat_type:
                payload["chat_type"] = chat_type
            self._inline_queries[query_id] = {"answer": None}
            update = self._enqueue("inline_query", payload)
            self._changed()
            return UserAction(_clone(update), None)

    def channel_post(self, chat_id: int, text: str, *, title: str | None = None) -> UserAction:
        """A post in a channel the bot administers; queues a channel_post update."""
        with self._lock:
            if chat_id not in self._chats:
                self.add_chat(chat_id, "channel", title=title)
            chat = self._chats[chat_id]
            content: JSON = {"text": text}
            if auto_entities(text):
                content["entities"] = auto_entities(text)
            message = self._store_message(chat, None, content)
            update = self._enqueue("channel_post", message)
            self._changed()
            return UserAction(_clone(update), _clone(message))

    # -- inspection ------------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[JSON]:
        """The bot's messages in the chat, oldest first."""
        with self._lock:
            stored = self._messages.get(chat_id, {})
            ids = self._bot_message_ids.get(chat_id, [])
            return _clone([stored[i] for i in ids if i in stored])

    def messages(self, chat_id: int) -> list[JSON]:
        """Every stored message of the chat (user's and bot's), by message id."""
        with self._lock:
            stored = self._messages.get(chat_id, {})
            return _clone([stored[i] for i in sorted(stored)])

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        with self._lock:
            return _clone(self._find_message(chat_id, message_id))

    def events(self, chat_id: int, since: int = 0) -> list[JSON]:
        """The bot's actions in the chat, from index ``since`` on."""
        with self._lock:
            return _clone(self._events.get(chat_id, [])[since:])

    def reply_keyboard(self, chat_id: int) -> JSON | None:
        """The reply keyboard (or force_reply) the user currently sees in the chat."""
        with self._lock:
            return _clone(self._reply_keyboards.get(chat_id))

    def callback_answer(self, query_id: str) -> JSON | None:
        with self._lock:
            entry = self._callback_queries.get(query_id)
            return _clone(entry["answer"]) if entry else None

    def inline_answer(self, query_id: str) -> JSON | None:
        with self._lock:
            entry = self._inline_queries.get(query_id)
            return _clone(entry["answer"]) if entry else None

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        with self._lock:
            return _clone(self._commands.get(_commands_key(scope, language_code), []))

    def pending_updates(self) -> list[JSON]:
        with self._lock:
            return _clone(self._updates)

    def webhook(self) -> JSON:
        with self._lock:
            return _clone(self._webhook)

    def event_count(self, chat_id: int) -> int:
        with self._lock:
            return len(self._events.get(chat_id, []))

    def sent_count(self, chat_id: int) -> int:
        """How many messages the bot has sent to the chat."""
        with self._lock:
            return len(self._bot_message_ids.get(chat_id, []))

    async def wait_for_events(
        self, chat_id: int, n: int, timeout: float = 5.0, since: int = 0
    ) -> list[JSON]:
        """Wait until the chat has at least ``n`` bot events; return those from ``since`` on."""

        def ready() -> list[JSON] | None:
            with self._lock:
                found = self._events.get(chat_id, [])
                return _clone(found[since:]) if len(found) >= n else None

        return await self._signal.wait_until(ready, timeout)

    async def wait_for_messages(self, chat_id: int, n: int, timeout: float = 5.0) -> list[JSON]:
        """Wait until the bot has sent ``n`` messages to the chat; return :meth:`sent`."""

        def ready() -> list[JSON] | None:
            with self._lock:
                count = len(self._bot_message_ids.get(chat_id, []))
            return self.sent(chat_id) if count >= n else None

        return await self._signal.wait_until(ready, timeout)

    async def wait_for_callback_answer(self, query_id: str, timeout: float = 5.0) -> JSON:
        return await self._signal.wait_until(lambda: self.callback_answer(query_id), timeout)

    async def wait_until(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:
        """Wait until ``predicate()`` (re-checked after every change) returns non-None."""
        return await self._signal.wait_until(predicate, timeout)

    # -- persistence -----------------------------------------------------------------------

    def snapshot(self) -> JSON:
        with self._lock:
            return {
                "version": 1,
                "bot_user": self.bot_user,
                "users": list(self._users.values()),
                "chats": list(self._chats.values()),
                "messages": {str(c): list(m.values()) for c, m in self._messages.items()},
                "bot_message_ids": _str_keys(self._bot_message_ids),
                "next_message_id": _str_keys(self._next_message_id),
                "updates": self._updates,
                "next_update_id": self._next_update_id,
                "allowed_updates": self._allowed_updates,
                "events": _str_keys(self._events),
                "event_seq": self._event_seq,
                "callback_queries": self._callback_queries,
                "inline_queries": self._inline_queries,
                "commands": self._commands,
                "webhook": self._webhook,
                "reply_keyboards": _str_keys(self._reply_keyboards),
                "blocked": sorted(self._blocked),
                "migrated": _str_keys(self._migrated),
                "next_id": next(self._ids),
            }

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the snapshot atomically (to ``path`` or ``state_path``)."""
        target = Path(path) if path else self.state_path
        if target is None:
            raise ValueError("no state_path to save to")
        data = json.dumps(self.snapshot(), ensure_ascii=False)
        scratch = target.with_name(target.name + ".tmp")
        scratch.write_text(data, encoding="utf-8")
        os.replace(scratch, target)

    def _load(self, data: JSON) -> None:
        self.bot_user = data["bot_user"]
        self._users = {u["id"]: u for u in data["users"]}
        self._chats = {c["id"]: c for c in data["chats"]}
        self._messages = {
            int(c): {m["message_id"]: m for m in ms} for c, ms in data["messages"].items()
        }
        self._bot_message_ids = _int_keys(data["bot_message_ids"])
        self._next_message_id = _int_keys(data["next_message_id"])
        self._updates = data["updates"]
        self._next_update_id = data["next_update_id"]
        self._allowed_updates = data["allowed_updates"]
        self._events = _int_keys(data["events"])
        self._event_seq = data["event_seq"]
        self._callback_queries = data["callback_queries"]
        self._inline_queries = data["inline_queries"]
        self._commands = data["commands"]
        self._webhook = data["webhook"]
        self._reply_keyboards = _int_keys(data["reply_keyboards"])
        self._blocked = set(data["blocked"])
        self._migrated = _int_keys(data.get("migrated", {}))
        self._ids = itertools.count(data["next_id"])


def _clone(value: T) -> T:
    """A deep copy for callers (pickle round trip: several times faster than copy.deepcopy)."""
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _str_keys(mapping: Mapping[int, T]) -> dict[str, T]:
    return {str(key): value for key, value in mapping.items()}


def _int_keys(mapping: Mapping[str, T]) -> dict[int, T]:
    return {int(key): value for key, value in mapping.items()}


def _chat_member(user: JSON, status: str) -> JSON:
    member: JSON = {"user": user, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return member


def _commands_key(scope: Any, language_code: str | None) -> str:
    scope = scope or {"type": "default"}
    return json.dumps([scope, language_code or ""], sort_keys=True)


def _default_error_description(error_code: int, retry_after: int | None) -> str:
    if error_code == 429:
        return f"Too Many Requests: retry after {retry_after}"
    return {
        400: "Bad Request: injected failure",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        409: "Conflict: injected failure",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(error_code, "Injected failure")


def _strip_nones(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nones(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# Method handlers (the dispatch table). Each takes (api, params) and returns the result.
# Synchronous handlers run under the API lock.
# ---------------------------------------------------------------------------------------------


@api_method("getMe", read_only=True)
def _get_me(api: LocalBotAPI, params: _Params) -> JSON:
    return api.bot_user


@api_method("getUpdates")
async def _get_updates(api: LocalBotAPI, params: _Params) -> list[JSON]:
    offset = params.integer("offset")
    limit = min(
        max(params.integer("limit", MAX_UPDATES_PER_CALL) or MAX_UPDATES_PER_CALL, 1),
        MAX_UPDATES_PER_CALL,
    )
    timeout = max(params.integer("timeout", 0) or 0, 0)
    allowed = params.obj("allowed_updates")
    with api._lock:
        if api._webhook.get("url"):
            raise BotAPIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if allowed is not None:
            api._allowed_updates = list(allowed) or None
        _confirm_updates(api, offset)
        api._poll_generation += 1
        generation = api._poll_generation
    api._signal.notify()  # an older long poll still waiting must now end with 409

    def available() -> list[JSON] | None:
        with api._lock:
            if api._poll_generation != generation:
                raise BotAPIError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            return api._updates[:limit] or None

    try:
        return await api._signal.wait_until(available, float(timeout))
    except TimeoutError:
        return []


def _confirm_updates(api: LocalBotAPI, offset: int | None) -> None:
    if offset is None or not api._updates:
        return
    before = len(api._updates)
    if offset < 0:
        api._updates = api._updates[offset:]
    else:
        api._updates = [u for u in api._updates if u["update_id"] >= offset]
    if len(api._updates) != before:
        api._dirty = True


@api_method("setWebhook")
def _set_webhook(api: LocalBotAPI, params: _Params) -> bool:
    url = params.text("url", "") or ""
    if url and not url.lower().startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    api._webhook = {
        "url": url,
        "max_connections": params.integer("max_connections", 40),
        "allowed_updates": params.obj("allowed_updates"),
        "has_secret_token": params.has("secret_token"),
    }
    if params.flag("drop_pending_updates"):
        api._updates = []
    api._dirty = True
    return True


@api_method("deleteWebhook")
def _delete_webhook(api: LocalBotAPI, params: _Params) -> bool:
    api._webhook = {}
    if params.flag("drop_pending_updates"):
        api._updates = []
    api._dirty = True
    return True


@api_method("editMessageReplyMarkup")
def _edit_message_reply_markup(api: LocalBotAPI, params: _Params) -> JSON:
    """A message's inline keyboard replaced, or taken off when none is given."""
    chat = api._writable_chat(params.chat_id())
    message = api._find_message(chat["id"], params.integer("message_id") or 0)
    if message is None:
        raise bad_request("message to edit not found")
    markup = params.obj("reply_markup")
    inline = _check_inline_keyboard(markup) if markup else None
    if message.get("reply_markup") == inline:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    if inline:
        message["reply_markup"] = inline
    else:
        message.pop("reply_markup", None)
    api._record_event(
        chat["id"],
        "edit",
        method="editMessageReplyMarkup",
        message_id=message["message_id"],
        message=dict(message),
    )
    return message


@api_method("sendMessage")
def _send_message(api: LocalBotAPI, params: _Params) -> JSON:
    chat = api._writable_chat(params.chat_id())
    return api._send("sendMessage", chat, params, api._text_content(params))


_COPYABLE_CONTENT = (
    "text",
    "entities",
    "location",
    "contact",
    "sticker",
    "voice",
    "photo",
    "document",
)


@api_method("copyMessage")
def _copy_message(api: LocalBotAPI, params: _Params) -> JSON:
    source = _source_message(api, params)
    chat = api._writable_chat(params.chat_id())
    content = {key: source[key] for key in _COPYABLE_CONTENT if key in source}
    if params.has("caption") and not {"text", "location", "contact", "sticker"} & content.keys():
        caption, entities = format_text(
            params.text("caption") or "", params.text("parse_mode"), params.obj("caption_entities")
        )
        content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
    elif "caption" in source:
        content["caption"] = source["caption"]
    message = api._send("copyMessage", chat, params, content)
    return {"message_id": message["message_id"]}


def _source_message(api: LocalBotAPI, params: _Params) -> JSON:
    from_chat = api._resolve_chat(params.chat_id("from_chat_id"))
    source = api._find_message(from_chat["id"], params.integer("message_id") or 0)
    if source is None:
        raise bad_request("message to copy not found")
    return source


@api_method("answerCallbackQuery")
def _answer_callback_query(api: LocalBotAPI, params: _Params) -> bool:
    query_id = params.required_text("callback_query_id")
    entry = api._callback_queries.get(query_id)
    if entry is None or entry["answer"] is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.text("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = {
        "text": text,
        "show_alert": params.flag("show_alert"),
        "url": params.text("url"),
        "cache_time": params.integer("cache_time", 0),
    }
    entry["answer"] = answer
    api._record_event(
        entry["chat_id"],
        "callback_answer",
        method="answerCallbackQuery",
        query_id=query_id,
        answer=answer,
    )
    return True


@api_method("answerInlineQuery")
def _answer_inline_query(api: LocalBotAPI, params: _Params) -> bool:
    query_id = params.required_text("inline_query_id")
    entry = api._inline_queries.get(query_id)
    if entry is None or entry["answer"] is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    results = params.obj("results") or []
    if not isinstance(results, list) or len(results) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    ids = [str(result.get("id", "")) for result in results]
    if (
        any(not result.get("type") for result in results)
        or not all(ids)
        or len(set(ids)) != len(ids)
    ):
        raise bad_request("RESULT_ID_INVALID")
    entry["answer"] = {
        "results": results,
        "cache_time": params.integer("cache_time", 300),
        "is_personal": params.flag("is_personal"),
        "next_offset": params.text("next_offset", ""),
        "button": params.obj("button"),
    }
    api._dirty = True
    return True


@api_method("setMyCommands")
def _set_my_commands(api: LocalBotAPI, params: _Params) -> bool:
    commands = params.obj("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be an array of at most 100 BotCommand")
    clean = []
    for command in commands:
        name = str(command.get("command", ""))
        description = str(command.get("description", ""))
        if not _COMMAND_NAME_RE.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        clean.append({"command": name, "description": description})
    key = _commands_key(params.obj("scope"), params.text("language_code"))
    if clean:
        api._commands[key] = clean
    else:
        api._commands.pop(key, None)
    api._dirty = True
    return True
