"""Thanks, goodbyes and "got it" said alone (bot.core.reading, bot.core.flows.answer): the
word back is the whole answer. The eighteenth trial found the topic before answered
again ("好的知道了" repeated the phase's FAQ, "bye" the industries) and a pending question
asked again after "ok thanks"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.knowledge_base import KnowledgeBase
from bot.core.reading import read
from bot.core.rules import load_rulebook
from bot.core.session import Session


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("好的知道了", "ack"),
        ("收到", "ack"),
        ("i see", "ack"),
        ("谢谢，再见", "thanks"),
        ("ok thanks", "thanks"),
        ("拜拜", "bye"),
        ("bye", "bye"),
        # nineteenth trial S2: a plain acknowledgement
        ("ok 明白", "ack"),
        ("好的", "ack"),
        ("ok", "ack"),
        ("3Q", "thanks"),
    ],
)
def test_small_talk_said_alone_is_read(text: str, kind: str) -> None:
    assert read(text).smalltalk == kind


@pytest.mark.parametrize(
    "text", ["明白了，咁評估呢？", "我想知道了解多啲", "我唔明白", "好，咁評估呢？", "好貴呀"]
)
def test_more_than_the_answer_taken_in_is_no_acknowledgement(text: str) -> None:
    assert read(text).smalltalk != "ack"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase.open(tmp_path_factory.mktemp("kb") / "kb.sqlite3")


@pytest.mark.parametrize(
    ("before", "said"),
    [
        (["2027年12月呢？"], "好的知道了"),
        (["what are the eight priority industries?"], "bye"),
        (["湛江有个水产加工厂，是港资的", "主要是废水和臭味问题"], "谢谢，再见"),
        (["What are the subsidy caps?", "2013?"], "ok thanks"),
    ],
)
def test_the_word_back_is_the_whole_answer(before: list[str], said: str, kb: KnowledgeBase) -> None:
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28), kb=kb)
    session = Session(chat_id=1)
    for line in before:
        dialogue.handle(session, TextIn(line))
    (reply,) = dialogue.handle(session, TextIn(said))
    assert reply.intent == "greeting"
    assert len(reply.parts) == 1 and not reply.results  # the menu's buttons, a way on


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        # twentieth trial c42: the reply language asked for in words
        ("please reply in English", "en"),
        ("can you answer in english please", "en"),
        ("用英文答我", "en"),
        ("用廣東話答我", "zh_Hant_HK"),
        ("请用简体", "zh_Hans_CN"),
        ("講普通話得唔得", "zh_Hans_CN"),
        ("reply in chinese", "zh_Hant_HK"),
        # twenty-first trial p13, e12
        ("说繁体中文", "zh_Hant_HK"),
        ("can you speak chinese?", "zh_Hant_HK"),
        ("speak english please", "en"),
    ],
)
def test_the_reply_language_asked_in_words(text: str, locale: str) -> None:
    from bot.core.flows.menu import language_asked
    from bot.core.textnorm import fold

    assert language_asked(text, fold(text), "en") == locale


@pytest.mark.parametrize(
    "text",
    [
        "English course for workers in Dongguan",
        "我哋有英文說明書",
        "Chinese New Year holiday",
        "I speak english and chinese at the factory",
    ],
)
def test_a_language_named_in_passing_is_no_request(text: str) -> None:
    from bot.core.flows.menu import language_asked
    from bot.core.textnorm import fold

    assert language_asked(text, fold(text), "en") is None


@pytest.mark.parametrize("text", ["whats the weather in hk today", "深圳今日天氣點？"])
def test_a_place_named_for_the_weather_is_no_factory(text: str) -> None:
    from bot.core.reading import read

    assert not [f for f in read(text).facts if f.kind == "place"]
