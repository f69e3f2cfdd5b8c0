"""Phases compared in general ("邊期資助最多？", "is the demo cap more than before?"): every
phase's caps side by side, the highest the sources give named, and the phases whose figures
no source gives said as unknown, never guessed (W4, W7, W8, W9, paper para 12)."""

from __future__ import annotations

import pytest

from bot.core.dialogue import Dialogue
from bot.core.flows.subsidy import caps_by_phase
from bot.core.reading import read
from bot.core.reply import Reply
from bot.render import render_text


def _shown(item: str | None) -> str:
    return render_text(caps_by_phase(Dialogue.default(), item, Reply("subsidy")), "en")


@pytest.mark.parametrize(
    ("item", "highest", "unknown"),
    [
        ("assessment", "the highest is HK$28,000, in the 2015–2020 phase", "2020–2025 phase and new phase"),
        ("demonstration", "the highest is HK$330,000, in the 2015–2020 phase", "2020–2025 phase and new phase"),
        ("verification", "the highest is HK$20,000, in the extended programme", "2015–2020 phase, 2020–2025 phase, and new phase"),
        ("technology", "the highest is HK$650,000, in the new phase", None),
    ],
)
def test_one_items_caps_by_phase(item: str, highest: str, unknown: str | None) -> None:
    shown = _shown(item)
    assert highest in shown
    if unknown is None:
        assert "whether it paid more then is not known" not in shown
    else:
        assert f"no figures for the {unknown}, so whether it paid more then is not known" in shown


def test_a_new_phase_item_is_no_earlier_phases_item() -> None:
    shown = _shown("technology")
    assert shown.count("not an item of this phase") == 4


def test_the_undated_figures_are_named_as_undated() -> None:
    assert "An undated government page lists on-site assessments" in _shown("assessment")
    assert "undated" not in _shown("technology")


def test_every_phases_caps_without_an_item() -> None:
    shown = _shown(None)
    assert "original programme (18 April 2008 to 20 January 2013): On-site assessment up to HK$15,000" in shown
    assert "2020–2025 phase (1 April 2020 to 31 March 2025): our sources give no caps for this phase" in shown
    assert "The largest cap our sources give is HK$750,000" in shown


@pytest.mark.parametrize(
    ("text", "compared"),
    [
        ("邊期資助最多？", True),
        ("而家嘅示範項目上限比以前多定少？", True),
        ("哪一期的评估资助最高？", True),
        ("which phase paid the most for demo projects?", True),
        ("has the assessment cap gone up over the years?", True),
        ("示範項目資助多少", False),
        ("2017年同而家示範項目上限有咩分別？", True),  # a year and now: those two phases
        ("邊期示範項目資助最多？我預算80萬", False),  # a cost: an estimate
        ("示範項目減咗幾多VOC？", False),  # a result, no cap
        ("上限有冇加？", True),
        ("has the cap gone up?", True),
    ],
)
def test_phases_compared_is_read(text: str, compared: bool) -> None:
    reading = read(text)
    assert reading.phases_compared is compared
    if compared:
        assert "caps" in reading.asks and "estimate" not in reading.asks


@pytest.mark.parametrize(
    ("text", "times"),
    [
        # trial 53: two times named, a difference asked
        ("示範項目上限，延展期同第一期差幾多？", ["2013-extension", "2008-original"]),
        ("咁即係2014比2010多咗幾多資助？", ["2013-extension", "2008-original"]),
        ("how much higher is the assessment cap in the extension than the original programme?", ["2013-extension", "2008-original"]),
        ("而家新一期比2015嗰期多咗幾多", ["2025-2027", "2015-2020"]),
        # one time, or no difference asked
        ("延展期示範項目上限幾多？", []),
        ("延展期同第一期", []),
    ],
)
def test_two_times_compared_are_read(text: str, times: list[str]) -> None:
    from datetime import date

    assert read(text, today=date(2026, 11, 29)).compared_times == times


def test_the_difference_of_two_caps() -> None:
    from bot.core.rules import load_rulebook

    book = load_rulebook()
    among = [book.get("2008-original"), book.get("2013-extension")]
    shown = render_text(caps_by_phase(Dialogue.default(), "verification", Reply("subsidy"), among=among), "en")
    assert "the cap went from HK$15,000 to HK$20,000: HK$5,000 more" in shown
    assert "undated" not in shown
