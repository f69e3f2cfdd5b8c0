"""Subsidy estimates: the government's share of a cost, up to the phase's cap.

>>> from bot.core.rules import load_rulebook
>>> e = estimate("demonstration", Decimal(400000), date(2014, 1, 1), load_rulebook())
>>> (e.government, e.factory, e.cap)
(Decimal('200000'), Decimal('200000'), 300000)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.core.rules import ITEMS, Phase, Rulebook

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

    @property
    def free_to_factory(self) -> bool:
        return self.share == 1


def _money(value: Decimal) -> Decimal:
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def estimate(item: str, cost: Decimal, day: date, rulebook: Rulebook) -> Estimate:
    if item not in ITEMS:
        raise EstimateError("unknown_item")
    phase = rulebook.phase_at(day)
    if phase is None:
        raise EstimateError("no_phase")
    if cost.is_nan() or cost <= 0:
        raise EstimateError("not_positive", phase)
    if cost.is_infinite() and cost > 0 or cost >= ABSURD_COST:
        raise EstimateError("absurd", phase)
    cost = _money(cost)  # check what is estimated: 0.004 is no cost once in cents
    if cost <= 0:
        raise EstimateError("not_positive", phase)
    share_param = phase[f"share.{item}"]
    cap_param = phase[f"cap.{item}"]
    share = Decimal(share_param.value.numerator) / Decimal(share_param.value.denominator)
    uncapped = cost * share
    government = _money(min(uncapped, Decimal(cap_param.value)))
    return Estimate(
        item=item,
        cost=cost,
        government=government,
        factory=_money(cost - government),
        cap=cap_param.value,
        share=share,
        capped=uncapped > cap_param.value,
        phase=phase,
        citations=tuple(dict.fromkeys((*share_param.citations, *cap_param.citations))),
    )
