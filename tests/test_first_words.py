"""A greeting as the very first message, and the language menu asked for by name (trial
28: "Language" typed got the out-of-scope line; "hello" before any welcome got only
"Hello!")."""

from __future__ import annotations

import pytest

from bot.core.dialogue import CommandIn, Dialogue, TextIn
from bot.core.session import Session
from bot.render import render_text


def _first(text: str, after_start: bool = False) -> tuple[str, str]:
    dialogue = Dialogue.default()
    session = Session(chat_id=1)
    if after_start:
        (welcome,) = dialogue.handle(session, CommandIn("start"))
        session.remember("bot", render_text(welcome, "en"))  # as the engine keeps it
    (reply,) = dialogue.handle(session, TextIn(text))
    return reply.intent, render_text(reply, "en")


@pytest.mark.parametrize("text", ["hello", "hi there", "你好", "您好"])
def test_a_greeting_first_is_told_what_the_bot_does(text: str) -> None:
    intent, shown = _first(text)
    assert intent == "greeting" and "I can tell you whether your factory can apply" in shown


def test_a_greeting_after_the_welcome_is_a_word_back() -> None:
    intent, shown = _first("hello", after_start=True)
    assert intent == "greeting" and "I can tell you" not in shown


def test_a_greeting_with_a_question_answers_the_question() -> None:
    intent, _ = _first("你好，我間廠喺東莞")
    assert intent == "eligibility"


@pytest.mark.parametrize("text", ["Language", "change language", "语言", "語言", "轉語言"])
def test_the_language_menu_asked_for_by_name(text: str) -> None:
    _, shown = _first(text, after_start=True)
    assert "Choose your language" in shown
