"""A greeting as the very first message, and the language menu asked for by name (trial
28: "Language" typed got the out-of-scope line; "hello" before any welcome got only
"Hello!")."""

from __future__ import annotations

import pytest

from bot.core.dialogue import CommandIn, Dialogue, TextIn
from bot.core.flows.menu import language_asked
from bot.core.session import Session
from bot.core.textnorm import fold
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


# Thirty-first trial c92: the reply language asked for in words.
@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("我想用普通话", "zh_Hans_CN"),
        ("我想講廣東話", "zh_Hant_HK"),
        ("轉做英文", "en"),
        ("I would like English", "en"),
        ("I prefer to use Mandarin", "zh_Hans_CN"),
        ("switch to Cantonese", "zh_Hant_HK"),
        ("please answer in English from now on", "en"),  # thirty-second trial c70
        ("以後用英文答我", "en"),
        ("Can I switch to Chinese?", "zh_Hant_HK"),  # thirty-second trial c24
        ("我想用英文寫嘅指南", None),  # guides in English asked for, not the chat's language
        ("I want English guides", None),
        ("能不能说普通话", "zh_Hans_CN"),  # trial 41
        ("咁用返中文啦", "zh_Hant_HK"),
        ("你能不能用英文回复", "en"),
        ("能不能用英文写的指南", None),
    ],
)
def test_the_language_asked_in_words(text: str, locale: str | None) -> None:
    assert language_asked(text, fold(text), "en") == locale
