"""JSON text for what the bot stores and sends: sessions, outbox rows, stored updates,
Bot API request bodies. ``orjson`` writes and reads it several times faster than the
standard library, and the bot does both several times a message (bench/RESULTS.md).

The text is the standard library's with ``ensure_ascii=False`` and no spaces: UTF-8 as
is. What orjson cannot write as the standard library would (a string with a lone
surrogate, an integer beyond 64 bits, a dict keyed by something other than text or a
number) goes through the standard library instead, so every value the bot wrote before
is written still. One difference: a float that is not finite is written ``null`` (JSON
has no infinity; the standard library wrote ``Infinity``). The bot keeps none: amounts
are Decimals, written as text, and a shared location's coordinates are checked.

    >>> dumps({"text": "你好", "chat_id": 1, "ok": True})
    '{"text":"你好","chat_id":1,"ok":true}'
    >>> loads('{"a": [1, 2.5, null]}')
    {'a': [1, 2.5, None]}
    >>> loads(dumps({"bad": "\\ud800"})) == {"bad": "\\ud800"}
    True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import orjson

# Dates, datetimes and dataclasses go to ``default`` (str), as the standard library's
# ``default=str`` would have them; dict keys that are numbers become text, as there.
_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def dumps(value: Any) -> str:
    """``value`` as compact JSON text; anything not JSON by nature becomes ``str(it)``."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS).decode()
    except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def dumps_bytes(value: Any) -> bytes:
    """``dumps`` as UTF-8 bytes, for a request body."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS)
    except (TypeError, ValueError):
        # A lone surrogate is no UTF-8: escaped, the body is still valid JSON
        return json.dumps(value, default=str, separators=(",", ":")).encode()


# orjson reads an integer beyond 64 bits as a float: such text goes to the standard library
_LONG_NUMBER = re.compile(r"\d{19}")
_LONG_NUMBER_BYTES = re.compile(rb"\d{19}")


def loads(text: str | bytes) -> Any:
    """The value of JSON ``text``; ``ValueError`` (``json.JSONDecodeError`` or orjson's,
    both ValueErrors) when it is not JSON."""
    long_number = _LONG_NUMBER_BYTES if isinstance(text, bytes) else _LONG_NUMBER
    if long_number.search(text):  # type: ignore[arg-type]
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # orjson refuses what the standard library reads: a lone surrogate escape
        # ("\\ud800"), NaN; those were written by the standard library, so it reads them
        return json.loads(text)


def answer_of(payload: bytes, fallback: Callable[[bytes], Any]) -> Any:
    """A Bot API answer's JSON; ``fallback`` (python-telegram-bot's own reader) reads
    what orjson refuses or would misread, such as bytes that are not UTF-8 or an integer
    beyond 64 bits, and raises as it does."""
    if _LONG_NUMBER_BYTES.search(payload):
        return fallback(payload)
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        return fallback(payload)
