""" "點解？", "why?" right after a verdict, and "咁幾時先得？" on a day between phases: the
verdict's reasons and the next phase's dates, not "out of scope" (sixteenth trial y17)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.knowledge_base import KnowledgeBase
from bot.core.rules import load_rulebook
from bot.core.session import Session


def _chat(lines: list[str]) -> str:
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28))
    session = Session(chat_id=1)
    replies = []
    for line in lines:
        replies = dialogue.handle(session, TextIn(line))
    return replies[-1].intent


@pytest.mark.parametrize(
    ("lines", "intent"),
    [
        (["2013年3月可唔可以申請？", "點解？"], "eligibility"),
        (["2013年3月可唔可以申請？", "咁幾時先得？"], "eligibility"),
        (["我哋間廠喺湖南長沙", "why?"], "eligibility"),
        (["我们的工厂在广西梧州", "为什么？"], "eligibility"),
        # twenty-first trial c03, c12: "so it's fine?" confirms; "since when?" for a city
        (["廠喺佛山，香港公司獨資", "咁即係得？"], "eligibility"),
        (
            ["our factory in Foshan is wholly owned by our HK company", "so we're fine?"],
            "eligibility",
        ),
        (["湛江邊一年開始得？"], "eligibility"),
        # twenty-second trial c56: a "no" confirmed, not every phase's caps
        (["our factory is in Wuzhou, Guangxi", "So no subsidy at all?"], "eligibility"),
        (["我間廠喺廣西梧州", "即係冇得資助？"], "eligibility"),
        (["我的工厂在广西梧州", "那就是没有补贴了？"], "eligibility"),
        # nothing decided yet: no verdict to explain
        (["why?"], "out_of_scope"),
    ],
)
def test_why_and_when_after_a_verdict(lines: list[str], intent: str) -> None:
    assert _chat(lines) == intent


@pytest.mark.parametrize(
    "lines",
    [
        # twentieth trial S-5: "why?" leads with the reason, not the same block again
        ["Our factory is in Vietnam", "why not"],
        ["我们的工厂在广西梧州", "为什么"],
        ["我哋間廠喺汕頭", "點解？"],
    ],
)
def test_why_leads_with_the_reason(lines: list[str]) -> None:
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2010, 6, 1))
    session = Session(chat_id=1)
    for line in lines:
        (reply,) = dialogue.handle(session, TextIn(line))
    first = reply.parts[0]
    assert (first.msgid, first.style) == ("The reason, from the sources:", "title")
    assert not any(getattr(p, "style", "") == "title" for p in reply.parts[1:])


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase.open(tmp_path_factory.mktemp("kb") / "kb.sqlite3")


@pytest.mark.parametrize(
    ("lines", "entry"),
    [
        # sixteenth trial y20: a short follow-up stays on the recognition scheme
        (["粵港清潔生產伙伴標誌計劃係咩嚟？", "幾時開始㗎？"], "faq-recognition-scheme"),
        (["What is the recognition scheme?", "when did it start?"], "faq-recognition-scheme"),
        # e14: the totals again (they are dated, the first phase's among them)
        (
            ["how many projects have been approved so far?", "and in the first phase?"],
            "faq-participation-totals",
        ),
        # seventeenth trial c07, e05: after who runs the programme, "it" is the programme
        (["Who runs the programme?", "When did it start?"], "faq-phases-dates"),
        (["邊個負責呢個計劃？", "幾時開始？"], "faq-phases-dates"),
        # a question on another topic is answered on its own
        (["粵港清潔生產伙伴標誌計劃係咩嚟？", "東莞有冇熱線？"], "faq-hotline-other-cities"),
    ],
)
def test_a_short_follow_up_stays_on_the_topic(
    lines: list[str], entry: str, kb: KnowledgeBase
) -> None:
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28), kb=kb)
    session = Session(chat_id=1)
    for line in lines:
        (reply,) = dialogue.handle(session, TextIn(line))
    assert [r["id"] for r in reply.results][:1] == [entry]
