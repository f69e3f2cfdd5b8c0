"""The programme's phases as dated, cited parameters (in the manner of OpenFisca).

Each file in ``knowledge/phases/`` is one phase: its first and last day and the value of
every parameter while it runs, each with the source it comes from ("para 12(b)" of the
2012 LegCo paper, or a source id such as "W4" of ``knowledge/sources.yaml``). The value of
a rule on a day is a lookup: find the phase that covers the day, read the parameter. A day
that no phase covers is an answer in itself (``Rulebook.phase_at`` returns ``None``),
never a silent fall-back to a neighbouring phase.

A value the sources do not give is data too: ``{not_stated: why, citation: ...}`` loads
as a ``Cited`` with ``stated=False``, and answers say it is not stated.

A bound may be known to the year only ("until 2027"): ``{value: 2027, precision: year}``.
Such a phase covers the whole year, except days a neighbour covers exactly.

>>> book = load_rulebook()
>>> book.value("cap.demonstration", date(2014, 1, 1)).value
300000
>>> book.phase_at(date(2013, 2, 15)) is None
True
>>> book.phase_at(date(2026, 11, 27)).id
'2025-2027'
>>> book.value("cap.verification", date(2016, 1, 1)) is None   # not a parameter then
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.core.filememo import by_files
from bot.core.locales import LOCALES
from bot.core.yamlio import KnowledgeError, load_yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"
# Funding items. "technology" is the 2025–2027 model: a project adopting a new cleaner
# production technology (W9, W10).
ITEMS = ("assessment", "demonstration", "verification", "technology")
PAPER_ITEMS = ("assessment", "demonstration", "verification")
PROCESSES = ("spray-coating", "solvent-cleaning", "engine-testing")


def _share(raw: Any) -> Fraction:
    value = Fraction(str(raw))
    if not 0 <= value <= 1:
        raise ValueError("a share lies between 0 and 1")
    return value


def _amount(raw: Any) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise ValueError("an amount is a whole number of HK dollars")
    return raw


def _range(raw: Any) -> tuple[int, int]:
    low, high = raw
    if not (isinstance(low, int) and isinstance(high, int) and low <= high):
        raise ValueError("a target is [low, high]")
    return (low, high)


def _flag(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("expected true or false")
    return raw


def _items(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or any(item not in ITEMS for item in raw):
        raise ValueError(f"expected a list of {', '.join(ITEMS)}")
    return tuple(raw)


def _processes(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or any(p not in PROCESSES for p in raw):
        raise ValueError(f"expected a list of {', '.join(PROCESSES)}")
    return tuple(raw)


def _choice(*allowed: str) -> Any:
    def parse(raw: Any) -> str:
        if raw not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return raw

    return parse


def _day(raw: Any) -> date:
    if isinstance(raw, dt.datetime) or not isinstance(raw, date):
        raise ValueError("expected a date YYYY-MM-DD")
    return raw


# Every parameter a phase may set, with the parser that checks its value.
PARAMETERS: dict[str, Any] = {
    "applications_from": _day,
    "scope.guangdong": _choice("prd-cities", "all-cities"),
    "scope.hong_kong_factories": _flag,
    "scope.hong_kong_workshop_items": _items,
    # The processes a source names for Hong Kong workshops; each list ends in "etc." (等).
    "workshop.processes": _processes,
    # "hk-owned": Hong Kong-owned factories (para 3); "links": a company registered in
    # Hong Kong with one of the ownership links to the factory (W7, W9).
    "ownership": _choice("hk-owned", "links"),
    # Link 1(d): a Hong Kong resident holds more than this share of the Mainland
    # enterprise, and at least this share of the Hong Kong company that applies.
    "ownership.resident_share_of_mainland": _share,
    "ownership.resident_share_of_hk_company": _share,
    "items": _items,  # the funding items the sources say the phase funds
    "items.unstated": _items,  # items the sources neither confirm nor rule out
    **{f"share.{item}": _share for item in ITEMS},
    **{f"cap.{item}": _amount for item in ITEMS},
    # The higher cap for a technology developed in Hong Kong or jointly by Guangdong and
    # Hong Kong institutions (W9).
    "cap.technology.local": _amount,
    "above_cap.assessment": _choice("factory"),
    # Another funded assessment only this many years after the last one was completed,
    # with the conditions W5 names beside it.
    "repeat.assessment.min_years": _amount,
    "condition.technology_list": _flag,
    # Demonstration projects share their results with other firms (para 12(c)).
    "condition.share_results": _flag,
    # Outreach stays with the Pearl River Delta though all Guangdong may apply (para 17).
    "outreach.prd_focus": _flag,
    "priority_sectors": _amount,
    "target.promotion_events": _range,
    **{f"target.{item}": _range for item in ITEMS},
    "budget": _amount,
    "hotlines": _amount,
}
# A phase without these cannot answer eligibility; each may be "not stated", never absent.
REQUIRED = (
    "scope.guangdong",
    "scope.hong_kong_factories",
    "scope.hong_kong_workshop_items",
    "workshop.processes",
    "ownership",
    "items",
    "items.unstated",
)


@dataclass(frozen=True)
class Cited:
    """A value with the source(s) it comes from; ``stated`` is False where no source
    gives it (``value`` is then None and ``reason`` says why)."""

    value: Any
    citation: str
    stated: bool = True
    reason: str = ""

    @property
    def citations(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.citation.split(","))


@dataclass(frozen=True)
class Bound:
    """A phase's first or last day, as precisely as its source gives it."""

    day: date  # the first (for a start) or last (for an end) day it can be
    precision: str  # "day" | "year"
    citation: str

    @property
    def citations(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.citation.split(","))

    @property
    def value(self) -> date:
        return self.day


@dataclass(frozen=True)
class Phase:
    id: str
    name: dict[str, str]
    start: Bound
    end: Bound
    parameters: dict[str, Cited] = field(repr=False)
    source: str = field(default="", compare=False)  # the file it was loaded from
    # Before its start, the phase was a proposal whose funding awaited approval.
    proposal: Cited | None = field(default=None, compare=False)
    # The days the phase covers once its imprecise bounds give way to a neighbour's.
    first_day: date = field(default=date.min, compare=False)
    last_day: date = field(default=date.max, compare=False)

    def proposed_by(self, day: date) -> bool:
        """Whether on ``day`` the phase had been proposed and had not yet begun."""
        if self.proposal is None or day >= self.first_day:
            return False
        made = self.proposal.value
        return not isinstance(made, date) or day >= made

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def get(self, name: str) -> Cited | None:
        return self.parameters.get(name)

    def stated(self, name: str) -> Any:
        """The value if a source states it, else None."""
        cited = self.parameters.get(name)
        return cited.value if cited is not None and cited.stated else None

    def __getitem__(self, name: str) -> Cited:
        return self.parameters[name]

    def item_status(self, item: str) -> str:
        """ "funded", "unstated" (no source says) or "none" (not an item of this phase)."""
        if item in (self.stated("items") or ()):
            return "funded"
        if item in (self.stated("items.unstated") or ()):
            return "unstated"
        return "none"

    @property
    def end_uncertain(self) -> bool:
        return self.end.precision != "day"


@dataclass(frozen=True)
class Rulebook:
    phases: tuple[Phase, ...]  # in date order, non-overlapping once bounds are settled

    def phase_at(self, day: date) -> Phase | None:
        for phase in self.phases:
            if phase.covers(day):
                return phase
        return None

    def value(self, name: str, day: date) -> Cited | None:
        phase = self.phase_at(day)
        return phase.get(name) if phase else None

    def get(self, phase_id: str) -> Phase | None:
        return next((p for p in self.phases if p.id == phase_id), None)

    def latest(self) -> Phase:
        return self.phases[-1]

    def first(self) -> Phase:
        return self.phases[0]

    def beyond_sources(self, day: date) -> bool:
        """After the last day any source states: current rules cannot be confirmed."""
        return day > self.latest().last_day

    def neighbours(self, day: date) -> tuple[Phase | None, Phase | None]:
        """The phases that ended before ``day`` and that start after it, nearest first."""
        before = [p for p in self.phases if p.last_day < day]
        after = [p for p in self.phases if p.first_day > day]
        return (before[-1] if before else None, after[0] if after else None)


def _cited(path: Path, key: str, raw: Any, parse: Any) -> Cited:
    if not isinstance(raw, dict) or "citation" not in raw:
        raise KnowledgeError(f"{path.name}: {key}: expected {{value, citation}}, got {raw!r}")
    citation = raw["citation"]
    if not isinstance(citation, str) or not citation.strip():
        raise KnowledgeError(f"{path.name}: {key}: missing citation")
    if set(raw) == {"not_stated", "citation"}:
        reason = raw["not_stated"]
        if not isinstance(reason, str) or not reason.strip():
            raise KnowledgeError(f"{path.name}: {key}: not_stated needs the reason")
        return Cited(None, citation.strip(), stated=False, reason=reason.strip())
    if set(raw) != {"value", "citation"}:
        raise KnowledgeError(f"{path.name}: {key}: expected {{value, citation}}, got {raw!r}")
    try:
        value = parse(raw["value"])
    except (TypeError, ValueError) as error:
        raise KnowledgeError(f"{path.name}: {key}: {error}") from None
    return Cited(value, citation.strip())


def _bound(path: Path, key: str, raw: Any) -> Bound:
    if not isinstance(raw, dict) or not {"value", "citation"} <= set(raw):
        raise KnowledgeError(f"{path.name}: {key}: expected {{value, citation}}, got {raw!r}")
    unknown = set(raw) - {"value", "citation", "precision"}
    if unknown:
        raise KnowledgeError(f"{path.name}: {key}: unknown key {sorted(unknown)[0]}")
    citation = raw["citation"]
    if not isinstance(citation, str) or not citation.strip():
        raise KnowledgeError(f"{path.name}: {key}: missing citation")
    precision = raw.get("precision", "day")
    value = raw["value"]
    try:
        if precision == "day":
            day = _day(value)
        elif precision == "year":
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError("a year-precision bound is a year, e.g. 2027")
            day = date(value, 1, 1) if key == "start" else date(value, 12, 31)
        else:
            raise ValueError("precision is day or year")
    except (TypeError, ValueError) as error:
        raise KnowledgeError(f"{path.name}: {key}: {error}") from None
    return Bound(day, precision, citation.strip())


def load_phase(path: Path) -> Phase:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping")
    unknown = set(data) - {"id", "name", "start", "end", "parameters", "proposal"}
    if unknown:
        raise KnowledgeError(f"{path.name}: unknown key {sorted(unknown)[0]}")
    for key in ("id", "name", "start", "end", "parameters"):
        if key not in data:
            raise KnowledgeError(f"{path.name}: missing key {key}")
    name = data["name"]
    if not isinstance(name, dict) or any(not name.get(loc) for loc in LOCALES):
        raise KnowledgeError(f"{path.name}: name: needs {', '.join(LOCALES)}")
    parameters = data["parameters"]
    if not isinstance(parameters, dict):
        raise KnowledgeError(f"{path.name}: parameters: expected a mapping")
    parsed: dict[str, Cited] = {}
    for key, raw in parameters.items():
        if key not in PARAMETERS:
            raise KnowledgeError(f"{path.name}: unknown parameter {key}")
        parsed[key] = _cited(path, key, raw, PARAMETERS[key])
    for key in REQUIRED:
        if key not in parsed:
            raise KnowledgeError(f"{path.name}: missing parameter {key}")
    _check_items(path, parsed)
    proposal = None
    if "proposal" in data:
        raw = data["proposal"]
        if not isinstance(raw, dict) or not {"citation"} <= set(raw) <= {"citation", "made"}:
            raise KnowledgeError(f"{path.name}: proposal: expected {{citation, made}}")
        made = raw.get("made")
        if made is not None and not isinstance(made, date):
            raise KnowledgeError(f"{path.name}: proposal: made: expected a date")
        # The value is the day it was proposed (True where no source dates it).
        proposal = Cited(made or True, str(raw["citation"]).strip())
    start, end = _bound(path, "start", data["start"]), _bound(path, "end", data["end"])
    if start.day > end.day:
        raise KnowledgeError(f"{path.name}: end: before start")
    return Phase(
        id=str(data["id"]),
        name=dict(name),
        start=start,
        end=end,
        parameters=parsed,
        source=path.name,
        proposal=proposal,
        first_day=start.day,
        last_day=end.day,
    )


def _check_items(path: Path, parsed: dict[str, Cited]) -> None:
    """Every funded item has its share and cap, stated or not stated; none is both
    funded and unstated."""
    funded = parsed["items"].value or ()
    unstated = parsed["items.unstated"].value or ()
    both = set(funded) & set(unstated)
    if both:
        raise KnowledgeError(f"{path.name}: items.unstated: {sorted(both)[0]} is also in items")
    for item in funded:
        for kind in ("share", "cap"):
            if f"{kind}.{item}" not in parsed:
                raise KnowledgeError(f"{path.name}: missing parameter {kind}.{item}")


@by_files(
    lambda knowledge_dir=None: sorted(((knowledge_dir or KNOWLEDGE_DIR) / "phases").glob("*.yaml"))
)
def load_rulebook(knowledge_dir: Path | None = None) -> Rulebook:
    folder = (knowledge_dir or KNOWLEDGE_DIR) / "phases"
    return rulebook_from(load_phase(path) for path in sorted(folder.glob("*.yaml")))


def _name(phase: Phase) -> str:
    return phase.source or f"{phase.id}.yaml"


def rulebook_from(phases: Iterable[Phase]) -> Rulebook:
    ordered = sorted(phases, key=lambda p: p.start.day)
    if not ordered:
        raise KnowledgeError("phases: no phase files")
    settled = _settle_bounds(ordered)
    seen: dict[str, Phase] = {}
    for phase in settled:
        if phase.id in seen:
            raise KnowledgeError(
                f"{_name(phase)}: id: {phase.id} duplicates the id of {_name(seen[phase.id])}"
            )
        seen[phase.id] = phase
    return Rulebook(tuple(settled))


def _settle_bounds(ordered: list[Phase]) -> list[Phase]:
    """Where a bound known to the year only meets a neighbour's exact day, the exact day
    wins ("2025–2027" begins after the 2020–2025 phase ends on 31 March 2025). Exact
    bounds that overlap are an error."""
    from dataclasses import replace

    settled = list(ordered)
    for i in range(1, len(settled)):
        earlier, later = settled[i - 1], settled[i]
        if later.first_day > earlier.last_day:
            continue
        if later.start.precision != "day" and earlier.end.precision == "day":
            first = earlier.last_day + dt.timedelta(days=1)
            if first > later.last_day:
                raise KnowledgeError(f"{_name(later)}: start: inside phase {earlier.id}")
            settled[i] = replace(later, first_day=first)
        elif earlier.end.precision != "day" and later.start.precision == "day":
            settled[i - 1] = replace(earlier, last_day=later.first_day - dt.timedelta(days=1))
        else:
            raise KnowledgeError(
                f"{_name(later)}: start: overlaps phase {earlier.id} ({_name(earlier)})"
            )
    return settled


@dataclass(frozen=True)
class UndatedFigure:
    """A figure a source gives without naming its phase: quoted as such, never a rule."""

    item: str
    share: Fraction
    cap: int
    citation: str
    kind: str = ""


@cache
def load_undated(knowledge_dir: Path | None = None) -> tuple[UndatedFigure, ...]:
    path = (knowledge_dir or KNOWLEDGE_DIR) / "undated.yaml"
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    figures = []
    for item, rows in data.items():
        if item not in ITEMS:
            raise KnowledgeError(f"{path.name}: unknown item {item}")
        for row in rows:
            try:
                figures.append(
                    UndatedFigure(
                        item,
                        _share(row["share"]),
                        _amount(row["cap"]),
                        str(row["citation"]),
                        str(row.get("kind", "")),
                    )
                )
            except (KeyError, TypeError, ValueError) as error:
                raise KnowledgeError(f"{path.name}: {item}: {error}") from None
    return tuple(figures)


@dataclass(frozen=True)
class Contacts:
    phone: Cited
    email: Cited
    website: Cited


def load_contacts(knowledge_dir: Path | None = None) -> Contacts:
    path = (knowledge_dir or KNOWLEDGE_DIR) / "contacts.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"))
    try:
        raw = data["secretariat"]
        return Contacts(
            *(_cited(path, key, raw[key], str) for key in ("phone", "email", "website"))
        )
    except (KeyError, TypeError) as error:
        raise KnowledgeError(f"{path.name}: secretariat: missing {error}") from None
