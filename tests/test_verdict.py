"""Verdicts (``bot.core.verdict.decide``), table-driven from tests/cases/verdicts.yaml.

Each question is tested on its own: which city a name resolves to, and what the verdict is
for that city under each phase; then single verdicts for Hong Kong premises and processes,
places outside Guangdong, missing facts and days no phase covers.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import places
from bot.core.rules import PAPER_ITEMS, PROCESSES, Rulebook, load_rulebook
from bot.core.verdict import CaseView, Verdict, decide

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "verdicts.yaml").read_text("utf-8"))
ITEMS = PAPER_ITEMS  # the paper's phases fund all three
WORKSHOP_PROCESSES = PROCESSES
DATES: dict[str, date] = CASES["dates"]
PHASES = {"original": "2008-original", "extension": "2013-extension"}
CITY_ROWS = {row["name"]: row["expected"] for row in CASES["cities"]}


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook()


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    return DATES[value] if value in DATES else date.fromisoformat(value)


def _place(text: str) -> places.Place:
    match = places.find_place(text)
    assert match is not None, f"no place found in {text!r}"
    assert match.place is not None, f"{text!r} is ambiguous: {[p.id for p in match.candidates]}"
    return match.place


def _view(day: date, given: dict[str, Any]) -> CaseView:
    place, candidates = (), ()
    if "place" in given:
        place = (_place(given["place"]),)
    if "place_choice" in given:
        match = places.find_place(given["place_choice"])
        assert match is not None and match.place is None, "the case needs an ambiguous name"
        candidates = match.candidates
    return CaseView(
        day=day,
        places=place,
        denied_places=tuple(_place(p) for p in given.get("denied_places", [])),
        place_choice=candidates,
        premises=given.get("premises"),
        own_factory=given.get("own_factory"),
        ownership=given.get("ownership"),
        hk_denied=given.get("hk_denied", False),
        no_hk_company=given.get("no_hk_company", False),
        link_denied=given.get("link_denied", False),
        planned_link=given.get("planned_link"),
        processes=frozenset(given.get("processes", [])),
        share_mainland=_share(given.get("share_mainland")),
        share_hk_company=_share(given.get("share_hk_company")),
    )


def _share(value: Any) -> Fraction | None:
    return Fraction(str(value)) if value is not None else None


def assess(view: CaseView, book: Rulebook) -> Verdict:
    found = decide(view, book)
    assert len(found) == 1
    return found[0]


# --- the 21 cities --------------------------------------------------------------------------


def test_the_case_file_has_all_21_cities_nine_in_the_prd() -> None:
    assert len(CITY_ROWS) == 21
    assert sum(row["prd"] for row in CITY_ROWS.values()) == 9


CITY_NAMES = [
    pytest.param(row["name"], text, id=f"{row['name']}:{text}")
    for row in CASES["cities"]
    for text in row["input"]
]


@pytest.mark.parametrize(("city", "text"), CITY_NAMES)
def test_city_name_resolves_to_the_city(city: str, text: str) -> None:
    place = _place(text)
    assert (place.city, place.province, place.prd) == (
        CITY_ROWS[city]["city"],
        "Guangdong",
        CITY_ROWS[city]["prd"],
    )


CITY_VERDICTS = [
    pytest.param(row["name"], phase, id=f"{row['name']}-{phase}")
    for row in CASES["cities"]
    for phase in PHASES
]


@pytest.mark.parametrize(("city", "phase"), CITY_VERDICTS)
def test_city_verdict_under_each_phase(book: Rulebook, city: str, phase: str) -> None:
    expected = CITY_ROWS[city]
    verdict = assess(CaseView(day=DATES[phase], places=(_place(city),)), book)
    assert verdict.status == expected[phase]
    assert verdict.phase is not None and verdict.phase.id == PHASES[phase]
    if verdict.status == "eligible":
        assert verdict.items == ITEMS
    else:
        assert verdict.items == ()
    _check_scope_citations(verdict, phase, expected["prd"])


def _check_scope_citations(verdict: Verdict, phase: str, prd: bool) -> None:
    if phase == "extension":
        assert verdict.code == "guangdong_all"
        assert "para 17" in verdict.citations  # all of Guangdong
        assert verdict.reason.values["prd"] is prd
    else:
        assert verdict.code == ("prd_city" if prd else "outside_prd")
        assert "footnote 3" in verdict.citations  # the nine PRD cities


# --- districts and towns take their city's verdict --------------------------------------------

DISTRICTS = [
    pytest.param(row["expected"]["city"], text, phase, id=f"{text}-{phase}")
    for row in CASES["districts"]
    for text in row["input"]
    for phase in PHASES
]


@pytest.mark.parametrize(("city", "text", "phase"), DISTRICTS)
def test_district_or_town_takes_its_city_verdict(
    book: Rulebook, city: str, text: str, phase: str
) -> None:
    place = _place(text)
    assert place.city == city
    assert place.level in ("county", "town"), place.level
    verdict = assess(CaseView(day=DATES[phase], places=(place,)), book)
    assert verdict.status == CITY_ROWS[city][phase]
    assert verdict.place is place
    _check_scope_citations(verdict, phase, CITY_ROWS[city]["prd"])


HK_PLACES = [
    pytest.param(text, phase, id=f"{text}-{phase}")
    for row in CASES["hong_kong"]
    for text in row["input"]
    for phase in PHASES
]


@pytest.mark.parametrize(("text", "phase"), HK_PLACES)
def test_hong_kong_factory_in_each_district_under_each_phase(
    book: Rulebook, text: str, phase: str
) -> None:
    place = _place(text)
    assert (place.city, place.province) == ("Hong Kong", "Hong Kong")
    verdict = assess(CaseView(day=DATES[phase], places=(place,), premises="factory"), book)
    assert (verdict.status, verdict.items) == ("eligible", ITEMS)
    # The original programme's factories in Hong Kong (para 3); the extension keeps the
    # programme's principles (para 11) and speaks of Hong Kong's factories (para 18).
    assert ("para 3" if phase == "original" else "para 11") in verdict.citations


# --- single verdicts ----------------------------------------------------------------------------

VERDICTS = [
    pytest.param(
        case,
        id=case["name"],
        marks=[pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else [],
    )
    for case in CASES["verdicts"]
]


@pytest.mark.parametrize("case", VERDICTS)
def test_verdict(book: Rulebook, case: dict[str, Any]) -> None:
    verdict = assess(_view(_day(case["date"]), case["input"]), book)
    expected = case["expected"]
    assert verdict.status == expected["status"]
    if "reason" in expected:
        assert verdict.code == expected["reason"]
    if "items" in expected:
        assert list(verdict.items) == expected["items"]
    if verdict.status in ("not_eligible", "need_more_info"):
        assert verdict.items == ()
    assert verdict.missing == expected.get("missing")
    if "phase" in expected:
        assert (verdict.phase.id if verdict.phase else None) == expected["phase"]
    if "city" in expected:
        assert verdict.place.city == expected["city"]
    if "province" in expected:
        assert verdict.place.province == expected["province"]
    for citation in expected.get("citations", []):
        assert citation in verdict.citations
    if "items_if_so" in expected:
        assert list(verdict.reason.values["items_if_so"]) == expected["items_if_so"]


def test_every_para_18_process_is_tested_in_both_paper_phases() -> None:
    tested: dict[str, set[str]] = {}
    for case in CASES["verdicts"]:
        given = case["input"]
        one = given.get("premises") == "workshop" and len(given.get("processes", [])) == 1
        if one and case["date"] in PHASES:
            tested.setdefault(given["processes"][0], set()).add(case["date"])
    assert {p: tested.get(p) for p in WORKSHOP_PROCESSES} == {
        p: {"original", "extension"} for p in WORKSHOP_PROCESSES
    }


def test_a_not_eligible_verdict_always_gives_a_reason(book: Rulebook) -> None:
    for case in (c for c in CASES["verdicts"] if "xfail" not in c):
        verdict = assess(_view(_day(case["date"]), case["input"]), book)
        if verdict.status != "need_more_info":
            assert verdict.citations, case["name"]


def test_no_phase_reason_names_the_neighbouring_phases(book: Rulebook) -> None:
    verdict = assess(CaseView(day=DATES["gap"], places=(_place("東莞"),)), book)
    reason = verdict.reason
    assert (reason.values["before"].id, reason.values["after"].id) == (
        "2008-original",
        "2013-extension",
    )
    assert verdict.phase is None


def test_beyond_the_sources_names_the_last_phase(book: Rulebook) -> None:
    verdict = assess(CaseView(day=date(2028, 1, 1)), book)
    assert verdict.reason.values["last"].id == "2025-2027"


def test_one_verdict_per_place_in_the_users_order(book: Rulebook) -> None:
    view = CaseView(day=DATES["extension"], places=(_place("東莞"), _place("廣西")))
    found = decide(view, book)
    assert [(v.status, v.place.province) for v in found] == [
        ("eligible", "Guangdong"),
        ("not_eligible", "Guangxi"),
    ]


def test_a_wrong_ownership_rules_out_every_place(book: Rulebook) -> None:
    view = CaseView(
        day=DATES["extension"], places=(_place("東莞"), _place("觀塘")), ownership="taiwan"
    )
    assert {v.status for v in decide(view, book)} == {"not_eligible"}
