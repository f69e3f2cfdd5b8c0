"""Who may apply, for what, on a given day.

``assess(facts, rulebook)`` turns what is known about an applicant into a ``Verdict``: a
status, the funding items open, the phase, and reasons that carry their citations. Each
reason is a code the renderer words in the user's language; no prose lives here.

Statuses (the contract's): ``eligible``, ``demonstration_only``, ``not_eligible``,
``need_more_info``. ``Verdict.missing`` names what to ask next, so a conversation asks
only the questions whose answers can change the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from bot.core.rules import ITEMS, Phase, Rulebook

Premises = Literal["factory", "workshop"]
Status = Literal["eligible", "demonstration_only", "not_eligible", "need_more_info"]

# Processes para 18 names for Hong Kong workshops; the paper's list ends in "etc.",
# so "other" is accepted as a polluting process the committee judges case by case.
WORKSHOP_PROCESSES = ("spray-coating", "solvent-cleaning", "engine-testing", "other")


@dataclass(frozen=True)
class Facts:
    """What the conversation has established. ``None`` means not yet known."""

    day: date
    place: Any = None  # bot.core.places.Place
    place_candidates: tuple[Any, ...] = ()  # set when the place named was ambiguous
    premises: Premises | None = None
    processes: frozenset[str] = frozenset()
    no_polluting_process: bool = False
    hk_owned: bool | None = None
    industry: str | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    citations: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    status: Status
    items: tuple[str, ...]
    phase: Phase | None
    place: Any
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...] = ()  # "place", "place_choice", "premises", "process"

    @property
    def citations(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for reason in self.reasons:
            for citation in reason.citations:
                seen.setdefault(citation, None)
        return tuple(seen)


def _verdict(
    status: Status,
    facts: Facts,
    phase: Phase | None,
    *reasons: Reason,
    items: tuple[str, ...] = (),
    missing: tuple[str, ...] = (),
) -> Verdict:
    return Verdict(status, items, phase, facts.place, reasons, missing)


def _no_phase(facts: Facts, rulebook: Rulebook) -> Verdict:
    before, after = rulebook.neighbours(facts.day)
    citations = tuple(
        c for p in (before, after) if p for c in (*p.end.citations, *p.start.citations)
    )
    return _verdict(
        "not_eligible",
        facts,
        None,
        Reason("no_phase", tuple(dict.fromkeys(citations)), {"before": before, "after": after}),
    )


def assess(facts: Facts, rulebook: Rulebook) -> Verdict:
    phase = rulebook.phase_at(facts.day)
    if phase is None:
        return _no_phase(facts, rulebook)
    if facts.hk_owned is False:
        return _verdict("not_eligible", facts, phase, Reason("not_hk_owned", ("para 3",)))
    if facts.place is None:
        missing = ("place_choice",) if facts.place_candidates else ("place",)
        return _verdict("need_more_info", facts, phase, Reason("need_place"), missing=missing)
    province = facts.place.province
    if province == "Hong Kong":
        return _hong_kong(facts, phase)
    if province == "Guangdong":
        return _guangdong(facts, phase)
    return _verdict(
        "not_eligible",
        facts,
        phase,
        Reason("outside_guangdong", _scope_citations(phase), {"province": facts.place}),
    )


def _scope_citations(phase: Phase) -> tuple[str, ...]:
    return (*phase["scope.guangdong"].citations, *phase["scope.hong_kong_factories"].citations)


def _guangdong(facts: Facts, phase: Phase) -> Verdict:
    scope = phase["scope.guangdong"]
    if scope.value == "all-cities":
        reason = Reason("guangdong_all", scope.citations, {"prd": facts.place.prd})
        return _verdict("eligible", facts, phase, reason, items=ITEMS)
    if facts.place.city is None:  # "Guangdong" alone: the city decides in a PRD-only phase
        return _verdict(
            "need_more_info", facts, phase, Reason("need_city", scope.citations), missing=("place",)
        )
    if facts.place.prd:
        return _verdict(
            "eligible", facts, phase, Reason("prd_city", scope.citations), items=ITEMS
        )
    return _verdict("not_eligible", facts, phase, Reason("outside_prd", scope.citations))


def _hong_kong(facts: Facts, phase: Phase) -> Verdict:
    factories = phase["scope.hong_kong_factories"]
    workshop_items = phase["scope.hong_kong_workshop_items"]
    if facts.premises == "factory" and factories.value:
        return _verdict(
            "eligible", facts, phase, Reason("hk_factory", factories.citations), items=ITEMS
        )
    if facts.premises == "workshop" or (facts.premises is None and facts.processes):
        if not workshop_items.value:
            return _verdict(
                "not_eligible", facts, phase, Reason("hk_workshop_closed", workshop_items.citations)
            )
        if facts.no_polluting_process:
            return _verdict(
                "not_eligible", facts, phase, Reason("hk_workshop_clean", workshop_items.citations)
            )
        if not facts.processes:
            return _verdict(
                "need_more_info",
                facts,
                phase,
                Reason("need_process", workshop_items.citations),
                missing=("process",),
            )
        code = "hk_workshop_other" if facts.processes == {"other"} else "hk_workshop"
        reason = Reason(code, workshop_items.citations, {"processes": sorted(facts.processes)})
        return _verdict(
            "demonstration_only", facts, phase, reason, items=tuple(workshop_items.value)
        )
    return _verdict(
        "need_more_info",
        facts,
        phase,
        Reason("need_premises", (*factories.citations, *workshop_items.citations)),
        missing=("premises",),
    )
