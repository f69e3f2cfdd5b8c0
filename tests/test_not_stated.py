"""A value no source states is answered as not stated, in three languages, never filled in
from a neighbouring phase (later-phases.md: "what the sources leave unsaid").

Every not-stated value of the rulebook has its question here (a test checks that none is
left out); each is asked in Cantonese, Putonghua and English on a day of its phase, and
the answer must say the sources do not give it, and name no figure for it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.rules import load_rulebook
from bot.core.session import Session
from bot.render import render_text

BOOK = load_rulebook()
DAYS = {"2015-2020": date(2016, 6, 1), "2020-2025": date(2022, 6, 1), "2025-2027": date(2026, 6, 1)}
NOT_STATED = {"en": ("do not", "does not", "no last day"), "zh_Hant_HK": ("沒有",), "zh_Hans_CN": ("没有",)}

# (phase, parameter) -> the question in each language, and figures the answer must not give
QUESTIONS: dict[tuple[str, str], tuple[dict[str, str], tuple[str, ...]]] = {
    ("2015-2020", "scope.hong_kong_factories"): (
        {"yue": "我喺觀塘有間廠，可唔可以申請？", "cmn": "我们在香港观塘有工厂，可以申请吗？", "en": "We have a factory in Kwun Tong, can we apply?"},
        (),
    ),
    ("2015-2020", "items.unstated"): (  # verification
        {"yue": "核證服務上限幾多？", "cmn": "核证服务上限是多少？", "en": "What is the cap for verification?"},
        ("20,000", "15,000"),
    ),
    ("2015-2020", "above_cap.assessment"): (
        {"yue": "實地評估費用6萬，資助幾多？", "cmn": "实地评估费用6万港币，资助多少？", "en": "On-site assessment costs HK$60,000, how much subsidy?"},
        (),
    ),
    ("2015-2020", "hotlines"): (
        {"yue": "熱線電話幾號？", "cmn": "热线电话是多少？", "en": "What is the hotline number?"},
        (),
    ),
    ("2020-2025", "items.unstated"): (  # assessment, verification
        {"yue": "實地評估上限幾多？", "cmn": "实地评估上限是多少？", "en": "What is the cap for an on-site assessment?"},
        ("28,000", "25,000"),
    ),
    ("2020-2025", "share.demonstration"): (
        {"yue": "示範項目資助幾成？", "cmn": "示范项目资助比例是多少？", "en": "What share of a demonstration project is paid?"},
        ("330,000",),
    ),
    ("2020-2025", "cap.demonstration"): (
        {"yue": "示範項目上限幾多？", "cmn": "示范项目上限是多少？", "en": "What is the demonstration project cap?"},
        ("330,000", "300,000"),
    ),
    ("2020-2025", "hotlines"): (
        {"yue": "熱線電話幾號？", "cmn": "热线电话是多少？", "en": "What is the hotline number?"},
        (),
    ),
    ("2025-2027", "scope.hong_kong_factories"): (
        {"yue": "我喺觀塘有間廠，可唔可以申請？", "cmn": "我们在香港观塘有工厂，可以申请吗？", "en": "We have a factory in Kwun Tong, can we apply?"},
        (),
    ),
    ("2025-2027", "scope.hong_kong_workshop_items"): (
        {"yue": "我喺觀塘有間噴油工場，可唔可以申請？", "cmn": "我们在香港观塘有喷漆工场，可以申请吗？", "en": "Our spray painting workshop is in Kwun Tong, can we apply?"},
        (),
    ),
    ("2025-2027", "workshop.processes"): (
        {"yue": "我喺葵涌有間做引擎測試嘅工場，得唔得？", "cmn": "我们在香港葵涌有做引擎测试的工场，可以吗？", "en": "Our engine testing workshop in Kwai Chung, are we eligible?"},
        (),
    ),
    ("2025-2027", "items.unstated"): (  # assessment, verification
        {"yue": "核證服務上限幾多？", "cmn": "核证服务上限是多少？", "en": "What is the cap for verification?"},
        ("20,000", "15,000"),
    ),
    ("2025-2027", "hotlines"): (
        {"yue": "熱線電話幾號？", "cmn": "热线电话是多少？", "en": "What is the hotline number?"},
        (),
    ),
}
LOCALES = {"yue": "zh_Hant_HK", "cmn": "zh_Hans_CN", "en": "en"}
# Values whose answer is a plain number the user asked for (the hotline): the
# sources give the Hong Kong number; what they do not give is the count for the phase.
COUNTS_ONLY = {"hotlines"}


def test_every_value_not_stated_has_its_question() -> None:
    unstated = {
        (phase.id, name)
        for phase in BOOK.phases
        for name, cited in phase.parameters.items()
        if not cited.stated
    }
    unstated |= {(p.id, "items.unstated") for p in BOOK.phases if p.stated("items.unstated")}
    assert unstated <= set(QUESTIONS), sorted(unstated - set(QUESTIONS))


CASES = [
    pytest.param(phase, name, lang, id=f"{phase}-{name}-{lang}")
    for (phase, name) in QUESTIONS
    for lang in LOCALES
]


@pytest.mark.parametrize(("phase", "name", "lang"), CASES)
def test_a_value_not_stated_is_answered_as_not_stated(phase: str, name: str, lang: str) -> None:
    questions, not_given = QUESTIONS[(phase, name)]
    dialogue = Dialogue(BOOK, load_desks(), DAYS[phase])
    session = Session(chat_id=1)
    (reply,) = dialogue.handle(session, TextIn(questions[lang]))
    locale = LOCALES[lang]
    text = render_text(reply, locale)
    if name in COUNTS_ONLY:
        assert "2788 5588" in text, text
        return
    if name == "above_cap.assessment":
        # The 2012 paper says who pays above the assessment cap (para 12(b)); for this
        # phase no source does: the answer must not say it.
        assert not any(w in text for w in ("everything above", "超出上限的部分全數", "超出上限的部分全数")), text
        return
    assert any(marker in text for marker in NOT_STATED[locale]), text
    for figure in not_given:
        assert figure not in text, (figure, text)


def test_the_new_phase_has_no_last_day(dialogue: Any = None) -> None:
    """"Until 2027": in 2027 the answer says the sources give no last day."""
    for lang, question in {"yue": "我間廠喺東莞，可唔可以申請？", "cmn": "我们的工厂在东莞，可以申请吗？", "en": "Our factory is in Dongguan, can we apply?"}.items():
        (reply,) = Dialogue(BOOK, load_desks(), date(2027, 6, 1)).handle(Session(chat_id=1), TextIn(question))
        text = render_text(reply, LOCALES[lang])
        assert any(m in text for m in (*NOT_STATED[LOCALES[lang]], "no last day")), text
        assert "2027" in text
