"""bot.jsontext writes what the standard library's ``json`` wrote (compact, UTF-8 as is)
and reads what it wrote, for every value the bot stores or sends."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.error import TelegramError
from telegram.request import BaseRequest

from bot import jsontext


def standard(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


@dataclass
class Pair:
    a: int
    b: str


@pytest.mark.parametrize(
    "value",
    [
        {"chat_id": -1001, "text": "<b>港幣650,000元</b>", "parse_mode": "HTML"},
        {"reply_markup": {"inline_keyboard": [[{"text": "✅ 確認", "callback_data": "v1|0|x"}]]}},
        {"history": [{"who": "user", "text": "東莞 🏭"}], "n": 1.5, "none": None},
        {1: "a", 2: ["b"]},  # number keys become text, as json writes them
        {"day": date(2026, 11, 29), "at": datetime(2026, 11, 29, 5, 30)},  # as str() has them
        {"pair": Pair(1, "x")},
        {"big": 2**70, "lone": "\ud800"},  # beyond orjson: the standard library writes them
        {"set": {1}},
    ],
)
def test_written_as_the_standard_library_writes(value: object) -> None:
    assert json.loads(jsontext.dumps(value)) == json.loads(standard(value))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_any_json_value_goes_and_comes_back(value: object) -> None:
    assert jsontext.loads(jsontext.dumps(value)) == value
    assert json.loads(jsontext.dumps_bytes(value)) == value


def test_a_number_beyond_64_bits_comes_back_whole() -> None:
    assert jsontext.loads(jsontext.dumps({"n": -(2**63) - 1})) == {"n": -(2**63) - 1}


def test_reads_what_the_standard_library_wrote() -> None:
    old = json.dumps({"text": "你好", "lone": "\ud800"}, ensure_ascii=False)
    assert jsontext.loads(old) == {"text": "你好", "lone": "\ud800"}
    with pytest.raises(ValueError):
        jsontext.loads("{not json")


def test_a_bot_api_answer_that_is_no_utf8_is_read_as_ptb_reads_it() -> None:
    assert jsontext.answer_of(b'{"ok":true,"result":"\xff"}', BaseRequest.parse_json_payload) == {
        "ok": True,
        "result": "\ufffd",
    }
    with pytest.raises(TelegramError):
        jsontext.answer_of(b"<html>502</html>", BaseRequest.parse_json_payload)
