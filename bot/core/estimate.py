"""Subsidy estimates: the government's share of a cost, up to the phase's cap, from the
whole case.

``estimate(item, cost, day, rulebook)`` is the arithmetic. ``estimate_case`` decides what
can be said for the case: the item (named, or the phase's only one), whether the verdict
opens it, whether the sources state the phase's terms, the cost and its currency; each
outcome is a code the renderer words.

>>> from bot.core.rules import load_rulebook
>>> e = estimate("demonstration", Decimal(400000), date(2014, 1, 1), load_rulebook())
>>> (e.government, e.factory, e.cap)
(Decimal('200000'), Decimal('200000'), 300000)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from bot.core.rules import Phase, Rulebook
from bot.core.verdict import Verdict

# Costs from HK$1 billion up are taken as a typing slip, not a project: they are many
# times the whole programme's budget and would only produce meaningless figures.
ABSURD_COST = Decimal(10) ** 9
CENT = Decimal("0.01")


class EstimateError(ValueError):
    """The estimate cannot be made; ``code`` says why, for the renderer."""

    def __init__(self, code: str, phase: Phase | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.phase = phase


@dataclass(frozen=True)
class Estimate:
    item: str
    cost: Decimal
    government: Decimal
    factory: Decimal
    cap: int
    share: Decimal  # the government's share of the cost before the cap, e.g. 0.5
    capped: bool
    phase: Phase
    citations: tuple[str, ...]
    # For a new-technology project (2025–2027): the higher cap and the government's part
    # under it, for a technology developed in Hong Kong or jointly with Guangdong (W9).
    cap_local: int | None = None
    government_local: Decimal | None = None

    @property
    def free_to_factory(self) -> bool:
        return self.share == 1


def _money(value: Decimal) -> Decimal:
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def estimate(
    item: str, cost: Decimal, day: date, rulebook: Rulebook, local_technology: bool = False
) -> Estimate:
    phase = rulebook.phase_at(day)
    if phase is None:
        raise EstimateError("no_phase")
    share_param, cap_param = phase.get(f"share.{item}"), phase.get(f"cap.{item}")
    if share_param is None or cap_param is None:
        raise EstimateError("unknown_item", phase)
    if not (share_param.stated and cap_param.stated):
        raise EstimateError("terms_unstated", phase)
    if cost.is_nan() or cost <= 0:
        raise EstimateError("not_positive", phase)
    if cost.is_infinite() or cost >= ABSURD_COST:
        raise EstimateError("absurd", phase)
    cost = _money(cost)  # check what is estimated: 0.004 is no cost once in cents
    if cost <= 0:
        raise EstimateError("not_positive", phase)
    share = Decimal(share_param.value.numerator) / Decimal(share_param.value.denominator)
    local = phase.get(f"cap.{item}.local")
    cap = cap_param.value
    citations = [*share_param.citations, *cap_param.citations]
    if local is not None and local.stated and local_technology:
        cap = local.value
        citations += local.citations
    uncapped = cost * share
    government = _money(min(uncapped, Decimal(cap)))
    government_local = None
    if local is not None and local.stated and not local_technology:
        citations += local.citations
        government_local = _money(min(uncapped, Decimal(local.value)))
    return Estimate(
        item=item,
        cost=cost,
        government=government,
        factory=_money(cost - government),
        cap=cap,
        share=share,
        capped=uncapped > cap,
        phase=phase,
        citations=tuple(dict.fromkeys(citations)),
        cap_local=local.value if local is not None and local.stated else None,
        government_local=government_local if government_local != government else None,
    )


# --- what can be said for a case ---------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What the estimator can say. ``code``:

    ``estimate`` (a figure), ``free`` (verification: no cost needed), ``undecided`` (a
    deciding fact of the verdict is missing: no figure yet), ``need_item``,
    ``need_cost``, ``need_hkd`` (the cost is not in HK dollars, or it is unclear),
    ``item_closed`` (the verdict does not open this item), ``not_eligible``,
    ``item_unstated`` / ``item_none`` (the phase's sources do not state / the phase has
    no such item), ``terms_unstated`` (the item is funded but its share or cap is not
    stated), ``no_phase``, ``beyond_sources``, ``not_positive``, ``absurd``,
    ``repeat_too_soon`` (another funded assessment before the phase's minimum years
    since the last one have passed, W5).
    """

    code: str
    phase: Phase | None = None
    item: str | None = None
    estimate: Estimate | None = None
    verdict: Verdict | None = None
    options: tuple[str, ...] = ()  # items to choose from
    cost: dict[str, Any] | None = None
    asked_item: str | None = None  # the item the user named, when another one answers
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def cap(self) -> Any:
        return self.phase.get(f"cap.{self.item}") if self.phase and self.item else None


def _phase_items(phase: Phase) -> tuple[str, ...]:
    return tuple(phase.stated("items") or ())


# The questions about the owner: their answer changes who may apply, not what a phase funds
OWNER_QUESTIONS = ("ownership", "share_mainland", "share_hk_company")


def unsaid_whoever_owns(phase: Phase | None, item: str | None, verdict: Verdict | None) -> bool:
    """The item asked is one the phase's sources do not fund or say nothing of ("那评估补
    多少？" in 2026): that answer is the same whoever owns the factory, so the owner
    question the verdict waits on does not come first."""
    if phase is None or item is None or verdict is None:
        return False
    if verdict.missing not in OWNER_QUESTIONS:
        return False
    funded = _phase_items(phase)
    if item == "demonstration" and "technology" in funded:
        return False  # answered as a new-technology project (W9, W10)
    if item == "technology" and phase.item_status("demonstration") == "funded":
        return False
    return phase.item_status(item) in ("unstated", "none")


def estimate_case(
    item: str | None,
    cost: dict[str, Any] | None,
    day: date,
    rulebook: Rulebook,
    verdict: Verdict | None = None,
    local_technology: bool = False,
    last_assessment: dict[str, Any] | None = None,
) -> Outcome:
    """``last_assessment`` ({"year": 2015} or {"year": None}) is given when the case asks
    for another funded assessment after an earlier one."""
    phase = rulebook.phase_at(day)
    if phase is None:
        code = "beyond_sources" if rulebook.beyond_sources(day) else "no_phase"
        return Outcome(code, None, item)
    funded = _phase_items(phase)
    open_items = funded
    if verdict is not None and verdict.status in ("eligible", "demonstration_only"):
        open_items = tuple(i for i in funded if i in verdict.items)
    if verdict is not None and verdict.status == "not_eligible":
        return Outcome("not_eligible", phase, item, verdict=verdict)
    provisional = verdict is not None and (
        verdict.code == "hk_company_planned"
        and bool(verdict.reason.values.get("items_if_so"))
        or verdict.code == "hk_workshop_other"
    )
    if provisional and verdict is not None and verdict.code == "hk_company_planned":
        # "If we set up a Hong Kong company with a processing contract, how much?": the
        # figure the place would give, said to hold only if it is set up that way.
        open_items = tuple(i for i in funded if i in verdict.reason.values["items_if_so"])
    elif provisional:
        # A Hong Kong workshop whose process the sources do not name: staff decide, but
        # the demonstration figure it would get is no secret; it is given as such.
        open_items = tuple(i for i in funded if i == "demonstration")
    elif (
        verdict is not None
        and verdict.figure_waits
        and not unsaid_whoever_owns(phase, item or (cost or {}).get("item"), verdict)
    ):
        # A deciding fact is missing (the owner, the premises, a place to choose...): no
        # figure before it is settled; the verdict asks for it.
        return Outcome("undecided", phase, item, verdict=verdict)
    if cost is not None and item is None:
        item = cost.get("item")
    asked = item
    if item is None:
        if len(open_items) == 1:
            item = open_items[0]
        else:
            return Outcome("need_item", phase, None, options=open_items, cost=cost)
    status = phase.item_status(item)
    if verdict is not None and (verdict.status == "demonstration_only" or provisional):
        # A Hong Kong workshop's items are its verdict's (para 18, W7), whatever the
        # phase's sources leave unsaid about the item for others.
        allowed = verdict.items if verdict.status == "demonstration_only" else open_items
        planned_factory = verdict.code == "hk_company_planned" and status != "funded"
        if item not in allowed and not planned_factory:
            return Outcome("item_closed", phase, item, verdict=verdict, options=open_items)
        # A Hong Kong company still to be set up, for a factory: an item the phase's
        # sources leave unsaid stays unsaid (the workshop rule is no factory's)
    if status != "funded" and "technology" in funded and item == "demonstration":
        # 2025–2027 funds projects adopting new technologies (W9, W10): the nearest thing
        # to a demonstration project, said as such.
        item, status = "technology", "funded"
    elif (
        status != "funded"
        and item == "technology"
        and phase.item_status("demonstration") == "funded"
    ):
        # "what about 2014?" after a new-technology project: before 2025 the nearest item
        # was a demonstration project (para 12(c)), said as such
        item, status = "demonstration", "funded"
    if status == "unstated":
        # "2018年做過評估，而家想再做": whether this phase funds one is unstated, but the
        # repeat rule the sources do give (W5) is said with it
        again = (
            _repeat_terms(phase, day, last_assessment.get("year")) | _repeat_said(last_assessment)
            if item == "assessment" and last_assessment is not None
            else {}
        )
        return Outcome("item_unstated", phase, item, options=open_items, values=again)
    if status == "none":
        return Outcome("item_none", phase, item, options=open_items)
    repeat: dict[str, Any] = {}
    if item == "assessment" and last_assessment is not None:
        repeat = _repeat_terms(phase, day, last_assessment.get("year"))
        repeat |= _repeat_said(last_assessment)
        if repeat["repeat"] == "too_soon":
            return Outcome("repeat_too_soon", phase, item, values=repeat)
    share, cap = phase.get(f"share.{item}"), phase.get(f"cap.{item}")
    if share is None or cap is None or not (share.stated and cap.stated):
        return Outcome("terms_unstated", phase, item, values=repeat)
    cost_items = (None, item, asked)
    if share.value == 1 and (cost is None or cost.get("item") not in cost_items):
        return Outcome("free", phase, item, asked_item=asked)
    if cost is None or cost.get("item") not in cost_items:
        # The technology's origin picks the cap the question quotes (W9: 650,000 or 750,000).
        local = {"local_technology": True} if local_technology else {}
        return Outcome("need_cost", phase, item, asked_item=asked, values=local | repeat)
    try:
        if Decimal(str(cost.get("amount"))) <= 0:
            return Outcome("not_positive", phase, item, cost=cost, asked_item=asked)
    except InvalidOperation:
        return Outcome("need_cost", phase, item, asked_item=asked)
    if cost.get("currency") not in (None, "HKD"):
        local = {"local_technology": True} if local_technology else {}
        return Outcome("need_hkd", phase, item, cost=cost, asked_item=asked, values=local)
    try:
        amount = Decimal(str(cost["amount"]))
        result = estimate(item, amount, day, rulebook, local_technology)
    except (InvalidOperation, KeyError):
        return Outcome("need_cost", phase, item, asked_item=asked)
    except EstimateError as error:
        return Outcome(error.code, phase, item, cost=cost, asked_item=asked)
    values = {"provisional": verdict.code} if provisional and verdict is not None else {}
    return Outcome(
        "estimate",
        phase,
        item,
        estimate=result,
        asked_item=asked,
        values=values | repeat,
        cost=cost,
    )


def _repeat_terms(phase: Phase, day: date, last_year: int | None) -> dict[str, Any]:
    """Another funded assessment after one in ``last_year``: ``too_soon`` when the
    phase's minimum years (W5) cannot have passed by ``day``; ``conditions`` when the
    phase states the rule (its other conditions still apply); ``unstated`` when the
    phase's sources say nothing of repeats."""
    rule = phase.get("repeat.assessment.min_years")
    if rule is None or not rule.stated:
        return {"repeat": "unstated", "year": last_year, "asked_year": day.year}
    years = int(rule.value)
    values: dict[str, Any] = {"years": years, "citation": rule.citation, "year": last_year}
    if last_year is not None and last_year <= day.year < last_year + years:
        return values | {"repeat": "too_soon", "earliest": last_year + years}
    # a day before the last assessment ("那2016年的规定呢？" after one in 2019): the
    # phase's rule, not a judgement of an assessment that had not happened yet
    return values | {"repeat": "conditions"}


def _repeat_said(last_assessment: dict[str, Any]) -> dict[str, Any]:
    """The other conditions the user said are met (a measure carried out, a change)."""
    said = {k: True for k in ("measure", "change") if last_assessment.get(k)}
    if last_assessment.get("change") is False:  # "we didn't change process though"
        said["change_denied"] = True
    return said
