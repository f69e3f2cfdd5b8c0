"""Someone else's factory (a supplier's, a customer's, one the company only buys from):
the verdict through the core, one row per question and outcome. A wrong "eligible" here
is the worst defect: a factory counts only through a link to the user's Hong Kong company
(W7 and W9: a joint venture or co-operative, sole ownership, a processing contract, a
Hong Kong resident's shares)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.reading import read
from bot.core.rules import load_rulebook
from bot.core.session import Session

DAY = date(2026, 11, 27)  # the 2025–2027 phase (W9, W10)


def outcome(*lines: str) -> tuple[str | None, str | None]:
    dialogue = Dialogue(load_rulebook(), load_desks(), DAY)
    session = Session(chat_id=1)
    reply = None
    for line in lines:
        (reply,) = dialogue.handle(session, TextIn(line))
    assert reply is not None
    found = reply.eligibility or {}
    return found.get("status"), found.get("reason")


@pytest.mark.parametrize(
    "text",
    [
        "我嘅供應商喺順德有間廠，我可唔可以幫佢申請？",
        "我们供应商在东莞的工厂可以申请吗？",
        "my supplier's factory in Dongguan wants to join, can they?",
        "our customer's plant in Huizhou wants to apply",
        "we only have an office in Sheung Wan, production is outsourced to a factory in Dongguan. can we apply?",
    ],
)
def test_someone_elses_factory_asks_for_the_link(text: str) -> None:
    assert outcome(text)[0] != "eligible"


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # bought from, not owned: no factory of the company's
        (
            ["we only have an office in Sheung Wan, production is outsourced to a factory in Dongguan. can we apply?",
             "the Dongguan factory isn't ours, we just place orders with them"],
            ("not_eligible", "no_factory"),
        ),
        # no shares, processing for us: a processing contract is asked
        (
            ["我嘅供應商喺順德有間廠，我可唔可以幫佢申請？", "佢同我哋公司冇股份關係，淨係幫我哋加工"],
            ("need_more_info", "other_firms_factory"),
        ),
        # a processing contract signed: link 1(c)
        (
            ["我嘅供應商喺順德有間廠，我可唔可以幫佢申請？", "係簽咗來料加工合約"],
            ("eligible", "guangdong_all"),
        ),
        # no contract, no shares: not through any link
        (
            ["我嘅供應商喺順德有間廠，我可唔可以幫佢申請？", "冇簽合約，佢哋自己買料"],
            ("not_eligible", "not_hk_owned"),
        ),
        (
            ["my supplier's factory in Dongguan wants to join, can they?", "they're a mainland company, no HK link"],
            ("not_eligible", "not_hk_owned"),
        ),
        # fifteenth trial en_nolink1: orders only, then a processing contract put as a what-if
        (
            ["My HK trading company buys all the output of a factory in Dongguan, but the factory belongs to a mainland owner. Can we apply?",
             "We have no shares in it, just purchase orders",
             "What if we sign a processing contract with them?"],
            ("eligible", "guangdong_all"),
        ),
        (
            ["我哋香港貿易公司淨係同東莞一間廠落單，冇股份", "如果我哋同佢簽三來一補合同呢？"],
            ("eligible", "guangdong_all"),
        ),
    ],
)  # fmt: skip
def test_the_answer_about_the_link_decides(lines: list[str], want: tuple[str, str]) -> None:
    assert outcome(*lines) == want


@pytest.mark.parametrize(
    "text",
    [
        "日本客戶要求我哋東莞廠做清潔生產，可唔可以申請？",  # the customer asks; the factory is theirs
        "Our customers want our Dongguan factory to cut VOC, can we apply? We are HK-owned.",
    ],
)
def test_a_customer_named_beside_ones_own_factory_changes_nothing(text: str) -> None:
    assert outcome(text)[1] != "other_firms_factory"


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("we have a Hong Kong office but no contract with the factory", True),
        ("我哋香港有間公司，但係同間廠冇簽合約", True),
        ("我们在香港有公司，但是跟工厂没有签合同", True),
        ("冇股份亦冇加工合約", True),
        ("we signed a processing contract with them", False),
        ("Our factory is in Dongguan", False),
    ],
)
def test_a_contract_denied_is_read(text: str, denied: bool) -> None:
    assert read(text).link_denied is denied


@pytest.mark.parametrize(
    "text",
    [
        "Customer asks: factory in Zhaoqing, 2011, demo project HK$250k, how much would they have got?",
        "客人問：肇慶嘅廠，2011年，示範項目25萬，可以資助幾多？",
        "客户想知道：东莞的厂能不能申请",
    ],
)
def test_a_callers_question_passed_on_is_no_one_elses_factory(text: str) -> None:
    """Fourteenth trial en14: hotline staff relaying a caller's question."""
    assert "other_firm" not in [f.value for f in read(text).facts if f.kind == "ownership"]


@pytest.mark.parametrize(
    "text",
    [
        "I'm from the hotline desk. Customer asks: factory in Zhaoqing",
        "我係熱線同事，客人問：肇慶嘅廠",
    ],
)
def test_hotline_staff_saying_who_they_are_do_not_ask_for_the_number(text: str) -> None:
    assert "hotline" not in read(text).asks
