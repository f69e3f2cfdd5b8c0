"""The rulebook: which phase covers a day, what lies either side of a gap, how loudly a
malformed phase file fails, and that a later phase is a data change only.

Expected dates come from the LegCo paper of 26 November 2012: the original programme ran
from April 2008 (para 2) to 20 January 2013 (para 11); the extension runs from 1 April 2013
to 31 March 2015 (para 1(b), para 11); between them no phase is open.
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
from bot.core.eligibility import Facts, assess
from bot.core.rules import (
    ITEMS,
    KNOWLEDGE_DIR,
    PARAMETERS,
    REQUIRED,
    KnowledgeError,
    Rulebook,
    load_rulebook,
)
from bot.core.session import Session
from bot.core.subsidy import EstimateError, estimate
from bot.render import render_text

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "phases_extra"
ORIGINAL, EXTENSION, FIXTURE = "2008-original", "2013-extension", "2016-fixture"


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook()


@pytest.fixture(scope="module")
def extra_book() -> Rulebook:
    return load_rulebook(FIXTURE_DIR)


# --- phase_at: every boundary -----------------------------------------------------------

BOUNDARIES = [
    ("2008-03-31", None),  # the day before the programme began
    ("2008-04-01", ORIGINAL),
    ("2012-06-01", ORIGINAL),
    ("2013-01-20", ORIGINAL),  # para 11: the original programme ends
    ("2013-01-21", None),
    ("2013-02-15", None),  # the gap the paper leaves between the phases
    ("2013-03-31", None),
    ("2013-04-01", EXTENSION),  # para 1(b)
    ("2014-01-01", EXTENSION),
    ("2015-03-31", EXTENSION),
    ("2015-04-01", None),
    ("2016-01-01", None),
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
    ("2016-01-01", EXTENSION, None),
    ("2015-04-01", EXTENSION, None),
    ("2007-01-01", None, ORIGINAL),
    ("2008-03-31", None, ORIGINAL),
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


def test_default_day_is_the_first_day_of_the_latest_phase(
    book: Rulebook, extra_book: Rulebook
) -> None:
    assert book.default_day() == date(2013, 4, 1)
    assert extra_book.default_day() == date(2016, 4, 1)


def test_every_parameter_of_the_real_phases_is_cited(book: Rulebook) -> None:
    for phase in book.phases:
        for name in REQUIRED:
            assert name in phase.parameters, (phase.id, name)
        for name, cited in phase.parameters.items():
            assert cited.citations and all(cited.citations), (phase.id, name)
            assert all(c.startswith(("para ", "footnote ")) for c in cited.citations), (
                phase.id,
                name,
                cited.citation,
            )


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


def test_fixture_copies_the_real_phases_unchanged(book: Rulebook, extra_book: Rulebook) -> None:
    assert [p.id for p in extra_book.phases] == [ORIGINAL, EXTENSION, FIXTURE]
    for real in book.phases:
        copied = extra_book.get(real.id)
        assert copied is not None
        assert (copied.start, copied.end, copied.parameters) == (
            real.start,
            real.end,
            real.parameters,
        )
    assert (KNOWLEDGE_DIR / "phases" / f"{FIXTURE}.yaml").exists() is False


def test_a_2017_day_has_no_phase_in_the_real_book_and_the_fixture_phase_in_the_extra(
    book: Rulebook, extra_book: Rulebook
) -> None:
    day = date(2017, 6, 1)
    assert book.phase_at(day) is None
    assert book.neighbours(day) == (book.get(EXTENSION), None)
    assert extra_book.phase_at(day).id == FIXTURE
    # Days the real phases cover answer the same in both books.
    for day_text, phase_id in BOUNDARIES:
        found = extra_book.phase_at(date.fromisoformat(day_text))
        assert (found.id if found else None) == phase_id


def test_eligibility_in_2017_follows_the_data(book: Rulebook, extra_book: Rulebook) -> None:
    qingyuan = places.find_place("清遠").place
    facts = Facts(day=date(2017, 6, 1), place=qingyuan)
    real = assess(facts, book)
    assert (real.status, real.reasons[0].code) == ("not_eligible", "no_phase")
    extra = assess(facts, extra_book)
    assert (extra.status, extra.phase.id) == ("eligible", FIXTURE)
    assert extra.citations == ("test fixture",)


@pytest.mark.parametrize(
    ("item", "cost", "government", "factory", "cap"),
    [
        ("assessment", "100000", "40000", "60000", 40000),
        ("assessment", "50000", "25000", "25000", 40000),  # capped in 2014, not in 2017
        ("demonstration", "800000", "400000", "400000", 500000),
        ("demonstration", "1000001", "500000", "500001", 500000),
        ("verification", "30000", "30000", "0", 30000),
        ("verification", "30001", "30000", "1", 30000),
    ],
)
def test_estimates_in_2017_follow_the_data(
    book: Rulebook,
    extra_book: Rulebook,
    item: str,
    cost: str,
    government: str,
    factory: str,
    cap: int,
) -> None:
    day = date(2017, 6, 1)
    with pytest.raises(EstimateError) as raised:
        estimate(item, Decimal(cost), day, book)
    assert raised.value.code == "no_phase"
    result = estimate(item, Decimal(cost), day, extra_book)
    assert (result.government, result.factory, result.cap) == (
        Decimal(government),
        Decimal(factory),
        cap,
    )
    assert result.phase.id == FIXTURE


def _dialogue(rulebook: Rulebook, day: date) -> Dialogue:
    return Dialogue(rulebook, load_desks(), day)


def test_dialogue_on_the_extra_book_answers_for_2017(book: Rulebook, extra_book: Rulebook) -> None:
    day = date(2017, 6, 1)
    message = TextIn("示範項目成本80萬，政府資助幾多？")

    (real,) = _dialogue(book, day).handle(Session(chat_id=1), message)
    assert real.subsidy is None  # no phase open in 2017
    assert real.phase is None

    (extra,) = _dialogue(extra_book, day).handle(Session(chat_id=1), message)
    assert extra.phase == FIXTURE
    assert extra.subsidy is not None
    assert (extra.subsidy["government"], extra.subsidy["factory"], extra.subsidy["cap"]) == (
        400000,
        400000,
        500000,
    )
    assert "測試用階段" in render_text(extra, "zh_Hant_HK")


def test_dialogue_eligibility_on_the_extra_book(extra_book: Rulebook) -> None:
    dialogue = _dialogue(extra_book, extra_book.default_day())
    (reply,) = dialogue.handle(
        Session(chat_id=1), TextIn("Our factory is in Qingyuan, can we apply?")
    )
    assert reply.phase == FIXTURE
    assert reply.eligibility["status"] == "eligible"
    assert reply.eligibility["place"]["city"] == "Qingyuan"
    # An explicit year still reaches the real phases in the same book.
    (old,) = dialogue.handle(
        Session(chat_id=2), TextIn("Our factory is in Qingyuan, could we apply in 2012?")
    )
    assert (old.phase, old.eligibility["status"]) == (ORIGINAL, "not_eligible")
