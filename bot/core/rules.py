"""The programme's phases as dated, cited parameters (in the manner of OpenFisca).

Each file in ``knowledge/phases/`` is one phase: its first and last day and the value of
every parameter while it runs, each with the paragraph it comes from. The value of a rule
on a day is a lookup: find the phase that covers the day, read the parameter. A day that
no phase covers is an answer in itself (``Rulebook.phase_at`` returns ``None``), never a
silent fall-back to a neighbouring phase.

>>> book = load_rulebook()
>>> book.value("cap.demonstration", date(2014, 1, 1)).value
300000
>>> book.phase_at(date(2013, 2, 15)) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from bot.core.yamlio import load_yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"
LOCALES = ("en", "zh_Hant_HK", "zh_Hans_CN")
ITEMS = ("assessment", "demonstration", "verification")


class KnowledgeError(ValueError):
    """A knowledge file is malformed; the message names the file and the key."""


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


def _guangdong_scope(raw: Any) -> str:
    if raw not in ("prd-cities", "all-cities"):
        raise ValueError("expected prd-cities or all-cities")
    return raw


# Every parameter a phase may set, with the parser that checks its value.
PARAMETERS: dict[str, Any] = {
    "scope.guangdong": _guangdong_scope,
    "scope.hong_kong_factories": _flag,
    "scope.hong_kong_workshop_items": _items,
    **{f"share.{item}": _share for item in ITEMS},
    **{f"cap.{item}": _amount for item in ITEMS},
    "target.promotion_events": _range,
    **{f"target.{item}": _range for item in ITEMS},
    "budget": _amount,
    "hotlines": _amount,
}
# A phase without these cannot answer eligibility or estimates.
REQUIRED = (
    "scope.guangdong",
    "scope.hong_kong_factories",
    "scope.hong_kong_workshop_items",
    *(f"share.{item}" for item in ITEMS),
    *(f"cap.{item}" for item in ITEMS),
)


@dataclass(frozen=True)
class Cited:
    """A value with the source paragraph(s) it comes from."""

    value: Any
    citation: str

    @property
    def citations(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.citation.split(","))


@dataclass(frozen=True)
class Phase:
    id: str
    name: dict[str, str]
    start: Cited
    end: Cited
    parameters: dict[str, Cited] = field(repr=False)
    source: str = field(default="", compare=False)  # the file it was loaded from

    @property
    def first_day(self) -> date:
        return self.start.value

    @property
    def last_day(self) -> date:
        return self.end.value

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def get(self, name: str) -> Cited | None:
        return self.parameters.get(name)

    def __getitem__(self, name: str) -> Cited:
        return self.parameters[name]


@dataclass(frozen=True)
class Rulebook:
    phases: tuple[Phase, ...]  # in date order, non-overlapping

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

    def default_day(self) -> date:
        """The contract's default: the first day of the latest phase."""
        return self.latest().first_day

    def neighbours(self, day: date) -> tuple[Phase | None, Phase | None]:
        """The phases that ended before ``day`` and that start after it, nearest first."""
        before = [p for p in self.phases if p.last_day < day]
        after = [p for p in self.phases if p.first_day > day]
        return (before[-1] if before else None, after[0] if after else None)


def _cited(path: Path, key: str, raw: Any, parse: Any) -> Cited:
    if not isinstance(raw, dict) or set(raw) != {"value", "citation"}:
        raise KnowledgeError(f"{path.name}: {key}: expected {{value, citation}}, got {raw!r}")
    citation = raw["citation"]
    if not isinstance(citation, str) or not citation.strip():
        raise KnowledgeError(f"{path.name}: {key}: missing citation")
    try:
        value = parse(raw["value"])
    except (TypeError, ValueError) as error:
        raise KnowledgeError(f"{path.name}: {key}: {error}") from None
    return Cited(value, citation.strip())


def _day(raw: Any) -> date:
    if isinstance(raw, dt.datetime) or not isinstance(raw, date):
        raise ValueError("expected a date YYYY-MM-DD")
    return raw


def load_phase(path: Path) -> Phase:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping")
    unknown = set(data) - {"id", "name", "start", "end", "parameters"}
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
    phase = Phase(
        id=str(data["id"]),
        name=dict(name),
        start=_cited(path, "start", data["start"], _day),
        end=_cited(path, "end", data["end"], _day),
        parameters=parsed,
        source=path.name,
    )
    if phase.first_day > phase.last_day:
        raise KnowledgeError(f"{path.name}: end: before start")
    return phase


def load_rulebook(knowledge_dir: Path | None = None) -> Rulebook:
    folder = (knowledge_dir or KNOWLEDGE_DIR) / "phases"
    return rulebook_from(load_phase(path) for path in sorted(folder.glob("*.yaml")))


def _name(phase: Phase) -> str:
    return phase.source or f"{phase.id}.yaml"


def rulebook_from(phases: Iterable[Phase]) -> Rulebook:
    ordered = sorted(phases, key=lambda p: p.first_day)
    if not ordered:
        raise KnowledgeError("phases: no phase files")
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.first_day <= earlier.last_day:
            raise KnowledgeError(
                f"{_name(later)}: start: overlaps phase {earlier.id} ({_name(earlier)})"
            )
    seen: dict[str, Phase] = {}
    for phase in ordered:
        if phase.id in seen:
            raise KnowledgeError(
                f"{_name(phase)}: id: {phase.id} duplicates the id of {_name(seen[phase.id])}"
            )
        seen[phase.id] = phase
    return Rulebook(tuple(ordered))
