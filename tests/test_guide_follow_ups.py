"""Typed references to a result list ("第二個打開睇吓", "open 2") and follow-up topics
("油墨方面呢") after a search (bot.core.flows.guides); eleventh trial, c06."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.flows.guides import _ORDINAL, _ORDINAL_NUMBERS
from bot.core.knowledge_base import KnowledgeBase
from bot.core.rules import load_rulebook
from bot.core.session import Session
from bot.core.textnorm import fold


def number_of(text: str) -> int | None:
    match = _ORDINAL.match(fold(text).strip())
    if match is None:
        return None
    word = match.group(1) or match.group(2)
    return int(word) if word.isdigit() else _ORDINAL_NUMBERS[word]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("第二個打開睇吓", 2),
        ("打開第三個", 3),
        ("打开第3个", 3),
        ("2", 2),
        ("第一個", 1),
        ("open 2", 2),
        ("open the second one", 2),
        ("the 3rd one please", 3),
        ("no. 2", 2),
        ("#1", 1),
        # sixteenth trial m06, y07, e07: what a result says, asked by its number
        ("第一個講咩㗎？", 1),
        ("第二个详细讲讲", 2),
        ("the first one, what's in it", 1),
        ("第三個係乜", 3),
        # seventeenth trial p06: "具体" before the verb, and English questions about a result
        ("第一个具体讲什么？", 1),
        ("第二個具體講咩", 2),
        ("第三个是讲什么的？", 3),
        ("第1个有什么内容", 1),
        ("what does the first one say?", 1),
        ("what's the second one about?", 2),
        ("tell me more about the first one", 1),
    ],
)
def test_a_result_named_by_its_number(text: str, number: int) -> None:
    assert number_of(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "我哋有2條電鍍線",
        "2萬",
        "second hand machines",
        "第二期有咩資助",
        "HK$2",
        "20",
        "what's the first phase?",
        "第一期具体讲什么？",
    ],
)
def test_other_numbers_are_no_result(text: str) -> None:
    assert number_of(text) is None


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase.open(tmp_path_factory.mktemp("kb") / "kb.sqlite3")


def _searched(lines: list[str], kb: KnowledgeBase) -> list[str]:
    """The titles of the last reply's results, after a chat of searches."""
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28), kb=kb)
    session = Session(chat_id=1)
    for line in lines:
        (reply,) = dialogue.handle(session, TextIn(line))
    return [r["title"] for r in reply.results]


@pytest.mark.parametrize(
    ("lines", "first_title"),
    [
        # sixteenth trial y07: a follow-up naming another industry is searched on its own
        (["有冇電鍍廢水嘅實用指南？", "咁有冇印刷業減VOC嘅？"], "印刷業"),
        (["any practical guides for metal finishing?", "what about printing"], "Printing"),
        # e07: after guide results, more guides before an FAQ
        (
            ["any practical guides for metal finishing?", "any for food industry wastewater?"],
            "Food",
        ),
        # the same industry: the follow-up stays in it ("油墨方面呢" after printing)
        (["有冇印刷嘅實用指南", "油墨方面呢"], "印刷業"),
        (["有冇印刷嘅實用指南", "有冇講油墨嘅？"], "印刷業"),
    ],
)
def test_a_follow_up_search(lines: list[str], first_title: str, kb: KnowledgeBase) -> None:
    assert _searched(lines, kb)[0].startswith(first_title)


# Twenty-second trial c43: which guides there are, asked with no topic, is the guides'
# own entry; a topic named is a search.
@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("有什么清洁生产指南？", True),
        ("有咩指南？", True),
        ("what guides are there?", True),
        ("do you have any guides?", True),
        ("Can I see the list of guides?", True),  # twenty-fourth trial c32
        ("有冇電鍍嘅指南？", False),
        ("any guide on boilers?", False),
    ],
)
def test_which_guides_asked_without_a_topic(text: str, listed: bool) -> None:
    from bot.core.flows.answer import _GUIDES_LISTED
    from bot.core.textnorm import fold

    assert bool(_GUIDES_LISTED.fullmatch(fold(text).strip())) is listed
