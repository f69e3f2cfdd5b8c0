"""The rulebook: which phase covers a day, what lies either side of a gap, how loudly a
malformed phase file fails, and that a later phase is a data change only.

Expected dates: the original programme ran from 18 April 2008 (W1; the paper says April
2008, para 2) to 20 January 2013 (para 11); the extension from 1 April 2013 to 31 March 2015
(para 1(b), para 11); no phase between them. Then 2015–2020 (W4), 2020–2025 (W6, W7) and
2025–2027 (W9, W10), whose days the sources do not give: "2025-2027", "until 2027".
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import places
from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.estimate import EstimateError, estimate
from bot.core.rules import (
    KNOWLEDGE_DIR,
    PAPER_ITEMS,
    PARAMETERS,
    REQUIRED,
    KnowledgeError,
    Rulebook,
    load_phase,
    load_rulebook,
    rulebook_from,
)
from bot.core.session import Session
from bot.core.sources import load_sources
from bot.core.verdict import CaseView, decide
from bot.render import render_text

ITEMS = PAPER_ITEMS
FIXTURE_FILE = Path(__file__).parent / "fixtures" / "phases_extra" / "phases" / "2030-fixture.yaml"
ORIGINAL, EXTENSION, FIXTURE = "2008-original", "2013-extension", "2030-fixture"
P2015, P2020, P2025 = "2015-2020", "2020-2025", "2025-2027"


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook()


@pytest.fixture(scope="module")
def extra_book(book: Rulebook) -> Rulebook:
    """The real phases and one invented phase after them."""
    return rulebook_from([*book.phases, load_phase(FIXTURE_FILE)])


# --- phase_at: every boundary -----------------------------------------------------------

BOUNDARIES = [
    ("2008-04-17", None),  # the day before the programme was launched (W1)
    ("2008-04-18", ORIGINAL),
    ("2012-06-01", ORIGINAL),
    ("2013-01-20", ORIGINAL),  # para 11: the original programme ends
    ("2013-01-21", None),
    ("2013-02-15", None),  # the gap the paper leaves between the phases
    ("2013-03-31", None),
    ("2013-04-01", EXTENSION),  # para 1(b)
    ("2014-01-01", EXTENSION),
    ("2015-03-31", EXTENSION),
    ("2015-04-01", P2015),
    ("2020-03-31", P2015),
    ("2020-04-01", P2020),
    ("2025-03-31", P2020),
    ("2025-04-01", P2025),  # "2025-2027": the year only; the 2020–2025 phase ends 31 March
    ("2026-11-27", P2025),
    ("2027-12-31", P2025),  # "until 2027": the whole year, no day given
    ("2028-01-01", None),
    ("2007-01-01", None),
]


@pytest.mark.parametrize(("day", "phase_id"), BOUNDARIES, ids=[d for d, _ in BOUNDARIES])
def test_phase_at(book: Rulebook, day: str, phase_id: str | None) -> None:
    phase = book.phase_at(date.fromisoformat(day))
    assert (phase.id if phase else None) == phase_id


NEIGHBOURS = [
    ("2013-02-15", ORIGINAL, EXTENSION),
    ("2013-01-21", ORIGINAL, EXTENSION),
    ("2013-03-31", ORIGINAL, EXTENSION),
    ("2028-01-01", P2025, None),
    ("2007-01-01", None, ORIGINAL),
    ("2008-04-17", None, ORIGINAL),
]


@pytest.mark.parametrize(("day", "before", "after"), NEIGHBOURS, ids=[n[0] for n in NEIGHBOURS])
def test_neighbours_of_a_day_no_phase_covers(
    book: Rulebook, day: str, before: str | None, after: str | None
) -> None:
    found = book.neighbours(date.fromisoformat(day))
    assert tuple(p.id if p else None for p in found) == (before, after)


def test_value_of_a_rule_is_a_lookup_and_none_in_a_gap(book: Rulebook) -> None:
    assert book.value("cap.demonstration", date(2012, 6, 1)).value == 160000  # para 12(c)
    assert book.value("cap.demonstration", date(2014, 6, 1)).value == 300000  # para 12(c)
    assert book.value("cap.demonstration", date(2013, 2, 15)) is None


def test_a_value_no_source_gives_is_held_as_not_stated(book: Rulebook) -> None:
    verification = book.get(P2015).get("cap.verification")
    assert verification is None or not verification.stated  # never 2013's 20,000
    assert book.get(P2015).item_status("verification") == "unstated"
    demonstration = book.get(P2020)["cap.demonstration"]
    assert (demonstration.stated, demonstration.value) == (False, None)
    assert demonstration.reason
    hk_factories = book.get(P2025)["scope.hong_kong_factories"]
    assert not hk_factories.stated


def test_an_end_given_as_a_year_is_held_as_such(book: Rulebook) -> None:
    phase = book.get(P2025)
    assert (phase.end.precision, phase.end.day) == ("year", date(2027, 12, 31))
    assert phase.end_uncertain and not book.get(P2020).end_uncertain
    assert book.beyond_sources(date(2028, 1, 1)) and not book.beyond_sources(date(2027, 6, 1))


def test_the_2025_caps(book: Rulebook) -> None:
    phase = book.get(P2025)
    assert (phase["cap.technology"].value, phase["cap.technology.local"].value) == (650000, 750000)
    assert phase.item_status("technology") == "funded"
    assert phase.item_status("assessment") == "unstated"


def test_every_parameter_of_the_real_phases_is_cited_to_a_known_source(book: Rulebook) -> None:
    sources = load_sources()
    for phase in book.phases:
        for name in REQUIRED:
            assert name in phase.parameters, (phase.id, name)
        for name, cited in phase.parameters.items():
            assert cited.citations and all(cited.citations), (phase.id, name)
            for citation in cited.citations:
                sources.source_of(citation)  # raises for a citation naming no source
        for bound in (phase.start, phase.end):
            for citation in bound.citations:
                sources.source_of(citation)


# --- validation on load -----------------------------------------------------------------

VALID_PHASE: dict[str, Any] = {
    "id": "2030-test",
    "name": {"en": "Test phase", "zh_Hant_HK": "測試階段", "zh_Hans_CN": "测试阶段"},
    "start": {"value": date(2030, 1, 1), "citation": "test"},
    "end": {"value": date(2030, 12, 31), "citation": "test"},
    "parameters": {
        "scope.guangdong": {"value": "all-cities", "citation": "test"},
        "scope.hong_kong_factories": {"value": True, "citation": "test"},
        "scope.hong_kong_workshop_items": {"value": ["demonstration"], "citation": "test"},
        "workshop.processes": {"value": ["spray-coating"], "citation": "test"},
        "ownership": {"value": "links", "citation": "test"},
        "items": {"value": list(ITEMS), "citation": "test"},
        "items.unstated": {"value": [], "citation": "test"},
        **{f"share.{i}": {"value": "1/2", "citation": "test"} for i in ITEMS},
        **{f"cap.{i}": {"value": 1000, "citation": "test"} for i in ITEMS},
    },
}


def _write(folder: Path, filename: str, data: dict[str, Any]) -> Path:
    phases = folder / "phases"
    phases.mkdir(parents=True, exist_ok=True)
    path = phases / filename
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID_PHASE)
    change(data)
    return data


def test_the_valid_template_loads(tmp_path: Path) -> None:
    """The broken files below differ from this one by one key each."""
    _write(tmp_path, "2030-test.yaml", VALID_PHASE)
    phase = load_rulebook(tmp_path).phases[0]
    assert phase.id == "2030-test"
    assert phase["cap.assessment"].value == 1000


def _set(path: str, value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target = data
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _delete(path: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target = data
        for key in parents:
            target = target[key]
        del target[last]

    return change


BROKEN = [
    # (name, change, key the message must name)
    ("empty citation", _set("parameters/cap.assessment/citation", " "), "cap.assessment"),
    ("no citation key", _delete("parameters/share.verification/citation"), "share.verification"),
    ("start without citation", _delete("start/citation"), "start"),
    ("missing start", _delete("start"), "start"),
    ("missing end", _delete("end"), "end"),
    ("start not a date", _set("start/value", "first of April"), "start"),
    ("end a quoted date", _set("end/value", "2030-12-31"), "end"),
    ("end before start", _set("end/value", date(2029, 12, 31)), "end"),
    ("unknown top-level key", _set("budget", 5), "budget"),
    (
        "unknown parameter",
        _set("parameters/cap.promotion", {"value": 1, "citation": "t"}),
        "cap.promotion",
    ),
    ("missing required parameter", _delete("parameters/cap.demonstration"), "cap.demonstration"),
    ("cap as text", _set("parameters/cap.assessment/value", "25000"), "cap.assessment"),
    ("cap with cents", _set("parameters/cap.assessment/value", 25000.5), "cap.assessment"),
    ("cap negative", _set("parameters/cap.verification/value", -1), "cap.verification"),
    ("cap a boolean", _set("parameters/cap.demonstration/value", True), "cap.demonstration"),
    ("share above one", _set("parameters/share.assessment/value", "3/2"), "share.assessment"),
    ("share not a number", _set("parameters/share.assessment/value", "half"), "share.assessment"),
    ("scope unknown", _set("parameters/scope.guangdong/value", "everywhere"), "scope.guangdong"),
    (
        "flag as text",
        _set("parameters/scope.hong_kong_factories/value", "yes"),
        "scope.hong_kong_factories",
    ),
    (
        "unknown item",
        _set("parameters/scope.hong_kong_workshop_items/value", ["training"]),
        "scope.hong_kong_workshop_items",
    ),
    ("name without a locale", _delete("name/zh_Hans_CN"), "name"),
    ("not stated without a reason", _set("parameters/cap.assessment", {"not_stated": " ", "citation": "W4"}), "cap.assessment"),
    ("item both funded and unstated", _set("parameters/items.unstated/value", ["assessment"]), "items.unstated"),
    ("a year bound that is no year", _set("end", {"value": "2030", "precision": "year", "citation": "t"}), "end"),
    ("an unknown precision", _set("end", {"value": date(2030, 12, 31), "precision": "month", "citation": "t"}), "end"),
]


@pytest.mark.parametrize(("change", "key"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_phase_file_fails_naming_file_and_key(
    tmp_path: Path, change: Any, key: str
) -> None:
    _write(tmp_path, "2030-broken.yaml", _broken(change))
    with pytest.raises(KnowledgeError) as raised:
        load_rulebook(tmp_path)
    message = str(raised.value)
    assert "2030-broken.yaml" in message
    assert key in message


def test_not_yaml_fails_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "phases").mkdir()
    (tmp_path / "phases" / "2030-bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="2030-bad.yaml"):
        load_rulebook(tmp_path)


def test_an_empty_phases_folder_fails(tmp_path: Path) -> None:
    (tmp_path / "phases").mkdir()
    with pytest.raises(KnowledgeError, match="phases"):
        load_rulebook(tmp_path)


def _phase(phase_id: str, start: date, end: date) -> dict[str, Any]:
    data = copy.deepcopy(VALID_PHASE)
    data["id"] = phase_id
    data["start"]["value"] = start
    data["end"]["value"] = end
    return data


@pytest.mark.parametrize(
    ("second_start", "second_end"),
    [(date(2030, 12, 31), date(2031, 6, 30)), (date(2030, 6, 1), date(2030, 7, 1))],
    ids=["one-shared-day", "inside"],
)
def test_overlapping_phases_fail_naming_the_later_file(
    tmp_path: Path, second_start: date, second_end: date
) -> None:
    _write(tmp_path, "2030-a.yaml", _phase("2030-a", date(2030, 1, 1), date(2030, 12, 31)))
    _write(tmp_path, "2030-b.yaml", _phase("2030-b", second_start, second_end))
    with pytest.raises(KnowledgeError) as raised:
        load_rulebook(tmp_path)
    assert "start" in str(raised.value)
    assert "2030-a" in str(raised.value)


def test_phases_that_touch_do_not_overlap(tmp_path: Path) -> None:
    _write(tmp_path, "2030-a.yaml", _phase("2030-a", date(2030, 1, 1), date(2030, 12, 31)))
    _write(tmp_path, "2031-b.yaml", _phase("2031-b", date(2031, 1, 1), date(2031, 12, 31)))
    book = load_rulebook(tmp_path)
    assert book.phase_at(date(2030, 12, 31)).id == "2030-a"
    assert book.phase_at(date(2031, 1, 1)).id == "2031-b"


def test_overlap_message_names_the_real_file_even_if_it_differs_from_the_id(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "first.yaml", _phase("2030-a", date(2030, 1, 1), date(2030, 12, 31)))
    _write(tmp_path, "second.yaml", _phase("2030-b", date(2030, 6, 1), date(2031, 6, 30)))
    with pytest.raises(KnowledgeError, match=r"second\.yaml"):
        load_rulebook(tmp_path)


def _duplicate_ids(folder: Path) -> None:
    _write(folder, "2030-a.yaml", _phase("2030-x", date(2030, 1, 1), date(2030, 12, 31)))
    _write(folder, "2031-b.yaml", _phase("2030-x", date(2031, 1, 1), date(2031, 12, 31)))


def test_duplicate_ids_fail(tmp_path: Path) -> None:
    _duplicate_ids(tmp_path)
    with pytest.raises(KnowledgeError, match="duplicate"):
        load_rulebook(tmp_path)


def test_duplicate_ids_fail_naming_the_id_and_the_file(tmp_path: Path) -> None:
    _duplicate_ids(tmp_path)
    with pytest.raises(KnowledgeError) as raised:
        load_rulebook(tmp_path)
    assert "2030-x" in str(raised.value)
    assert "2031-b.yaml" in str(raised.value)


def test_every_known_parameter_has_a_checker() -> None:
    assert set(REQUIRED) <= set(PARAMETERS)
    assert all(callable(parse) for parse in PARAMETERS.values())


# --- a later phase is a data change only -------------------------------------------------


def test_the_fixture_joins_the_real_phases(book: Rulebook, extra_book: Rulebook) -> None:
    assert [p.id for p in extra_book.phases] == [*(p.id for p in book.phases), FIXTURE]
    assert (KNOWLEDGE_DIR / "phases" / f"{FIXTURE}.yaml").exists() is False
    day = date(2030, 6, 1)
    assert book.phase_at(day) is None
    assert extra_book.phase_at(day).id == FIXTURE
    for day_text, phase_id in BOUNDARIES:  # the real days answer the same in both books
        found = extra_book.phase_at(date.fromisoformat(day_text))
        assert (found.id if found else None) == phase_id or day_text >= "2028"


def test_eligibility_in_2030_follows_the_data(book: Rulebook, extra_book: Rulebook) -> None:
    qingyuan = places.find_place("清遠").place
    view = CaseView(day=date(2030, 6, 1), places=(qingyuan,))
    (real,) = decide(view, book)
    assert (real.status, real.code) == ("need_more_info", "beyond_sources")
    (extra,) = decide(view, extra_book)
    assert (extra.status, extra.phase.id) == ("eligible", FIXTURE)
    assert extra.citations == ("test fixture",)


@pytest.mark.parametrize(
    ("item", "cost", "government", "factory", "cap"),
    [
        ("assessment", "100000", "40000", "60000", 40000),
        ("demonstration", "900000", "300000", "600000", 500000),  # a third
        ("demonstration", "1500003", "500000", "1000003", 500000),
        ("verification", "30000", "30000", "0", 30000),
    ],
)
def test_estimates_in_2030_follow_the_data(
    book: Rulebook, extra_book: Rulebook, item: str, cost: str, government: str, factory: str, cap: int
) -> None:
    day = date(2030, 6, 1)
    with pytest.raises(EstimateError) as raised:
        estimate(item, Decimal(cost), day, book)
    assert raised.value.code == "no_phase"
    result = estimate(item, Decimal(cost), day, extra_book)
    assert (result.government, result.factory, result.cap) == (Decimal(government), Decimal(factory), cap)
    assert result.phase.id == FIXTURE


def _dialogue(rulebook: Rulebook, day: date) -> Dialogue:
    return Dialogue(rulebook, load_desks(), day)


def test_the_wording_follows_the_share_a_third_reads_a_third(extra_book: Rulebook) -> None:
    """Wording never restates a parameter: the fixture's demonstration share is a third."""
    (reply,) = _dialogue(extra_book, date(2030, 6, 1)).handle(
        Session(chat_id=1), TextIn("示範項目成本90萬，政府資助幾多？")
    )
    assert reply.phase == FIXTURE
    assert (reply.subsidy["government"], reply.subsidy["factory"]) == (300000, 600000)
    assert "三分之一" in render_text(reply, "zh_Hant_HK")
    assert "a third of the cost" in render_text(reply, "en")
    assert "half" not in render_text(reply, "en").lower()
    assert "測試用階段" in render_text(reply, "zh_Hant_HK")


def test_dialogue_eligibility_on_the_extra_book(extra_book: Rulebook) -> None:
    dialogue = _dialogue(extra_book, date(2030, 6, 1))
    (reply,) = dialogue.handle(Session(chat_id=1), TextIn("Our factory is in Qingyuan, can we apply?"))
    assert reply.phase == FIXTURE
    assert reply.eligibility["status"] == "eligible"
    assert reply.eligibility["place"]["city"] == "Qingyuan"
    # An explicit year still reaches the real phases in the same book.
    (old,) = dialogue.handle(
        Session(chat_id=2), TextIn("Our factory is in Qingyuan, could we apply in 2012?")
    )
    assert (old.phase, old.eligibility["status"]) == (ORIGINAL, "not_eligible")


def test_without_a_date_the_rules_are_todays_in_hong_kong(book: Rulebook) -> None:
    """No --date, no RULES_DATE: today's date in Hong Kong, read at each message."""
    today = [date(2014, 1, 1)]
    dialogue = Dialogue(book, load_desks(), None, clock=lambda: today[0])
    (first,) = dialogue.handle(Session(chat_id=1), TextIn("我間廠喺清遠，可唔可以申請？"))
    assert first.phase == EXTENSION
    today[0] = date(2026, 11, 27)  # the bot ran on; the next message is answered for its day
    (second,) = dialogue.handle(Session(chat_id=2), TextIn("我間廠喺清遠，可唔可以申請？"))
    assert second.phase == P2025
    assert Dialogue(book, load_desks(), date(2014, 1, 1), clock=lambda: today[0]).default_day() == date(2014, 1, 1)


@pytest.mark.parametrize(
    ("day", "proposed"),
    [
        (date(2010, 6, 15), False),  # before the paper of 26 November 2012: no such plan
        (date(2012, 11, 25), False),
        (date(2012, 11, 26), True),
        (date(2013, 3, 31), True),
        (date(2013, 4, 1), False),  # begun: no longer a proposal
    ],
)
def test_the_extension_was_a_proposal_only_from_the_paper_to_its_start(
    day: date, proposed: bool
) -> None:
    extension = next(p for p in load_rulebook().phases if p.id == "2013-extension")
    assert extension.proposed_by(day) is proposed
