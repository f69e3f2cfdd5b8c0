"""Estimates in words: each outcome of ``bot.core.estimate.estimate_case``, the caps of a
phase, and the staff ``/calc`` and ``/caps`` commands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bot.core.estimate import Estimate, EstimateError, Outcome, estimate
from bot.core.flows.eligibility import (
    ITEM_NAMES,
    ITEM_ONE,
    end_unstated_note,
    items_list,
    no_phase_lines,
    period,
    phase_values,
    secretariat_line,
)
from bot.core.reply import (
    Day,
    Joined,
    Lines,
    Local,
    Money,
    Reply,
    Share,
    T,
    Verbatim,
    Year,
    note,
    title,
)
from bot.core.rules import ITEMS, Phase, load_undated

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

ITEM_TITLES = {
    "assessment": T("On-site assessment"),
    "demonstration": T("Demonstration project"),
    "verification": T("Verification"),
    "technology": T("New-technology project"),
}


def subsidy_json(result: Estimate) -> dict[str, object]:
    def number(value: Decimal) -> int | float:
        return int(value) if value == value.to_integral_value() else float(value)

    data: dict[str, object] = {
        "item": result.item,
        "cost": number(result.cost),
        "government": number(result.government),
        "factory": number(result.factory),
        "cap": result.cap,
        "currency": "HKD",
    }
    if result.free_to_factory:
        # Verification is free to the factory (para 12(d)): nothing is the factory's. Who
        # pays a cost above the cap no source says: that part is given as above_cap.
        data["factory"] = 0
        if result.capped:
            data["above_cap"] = number(result.factory)
    if result.cap_local is not None and result.cap_local != result.cap:
        data["cap_local"] = result.cap_local
    return data


TINY_COST = 1000  # HK$: below this, a cost is most likely a slip of the unit
# HK$: from this up, a cost is many times any phase's cap for one project; said back, in
# case the unit slipped (1.5億 for 150萬)
HUGE_COST = 10_000_000


def describe_outcome(
    dialogue: Dialogue, outcome: Outcome, reply: Reply, day: date, closing: bool = True
) -> Reply:
    """The estimator's lines for one outcome (questions are asked by the caller)."""
    code = outcome.code
    phase = outcome.phase
    item = outcome.item
    if phase is not None:
        reply.phase = phase.id
    if outcome.values.get("repeat"):
        _repeat_lines(dialogue, outcome, reply)
        if code == "repeat_too_soon":
            return reply
    if code in ("no_phase", "beyond_sources") and (reply.eligibility or {}).get("reason") == code:
        return reply  # the verdict above has said there are no rules to go by
    if code == "estimate":
        assert outcome.estimate is not None
        describe(outcome.estimate, reply, asked=outcome.asked_item, closing=closing)
        _range_note(dialogue, outcome, day, reply)
        _rate_note(outcome, reply)
        _taken_as_hkd_note(outcome, reply)
        if outcome.estimate.cost < TINY_COST:
            # "成本係$3.5": a figure, but likely a slip for 3.5萬 or HK$3.5 million
            reply.add(
                T(
                    "{cost} is very small for a project. If you meant thousands or millions, please type the cost again in full, with 萬, k or m if you like.",
                    cost=Money(outcome.estimate.cost),
                )
            )
        elif outcome.estimate.cost >= HUGE_COST:
            # "示范项目1.5亿": likely a slip of the unit (1.5萬? 150萬?); the figure stands
            reply.add(
                T(
                    "{cost} is a very large cost for one project. If that is not what you meant, please type the cost again.",
                    cost=Money(outcome.estimate.cost),
                )
            )
        if reply.subsidy is None:  # several estimates: the first is the contract's object
            reply.subsidy = subsidy_json(outcome.estimate)
        reply.phase = outcome.estimate.phase.id
        opens = outcome.estimate.phase.stated("applications_from")
        if opens is not None and day < opens:
            # "那2015年5月呢？": the phase has begun, but takes applications only later (W4, W5)
            reply.add(
                note(
                    "Applications for the {phase} were invited from {day}.",
                    phase=Local(outcome.estimate.phase.name),
                    day=Day(opens),
                )
            )
            reply.cite(*outcome.estimate.phase["applications_from"].citations)
        end_unstated_note(outcome.estimate.phase, day, reply)
        if outcome.values.get("provisional") == "hk_company_planned":
            reply.add(
                T(
                    "This figure holds only if the Hong Kong company is set up and linked to the factory as you describe."
                )
            )
        elif outcome.values.get("provisional"):
            reply.add(
                T("This figure holds only if the staff accept your process as a polluting one.")
            )
    elif code == "free":
        assert phase is not None and item is not None
        cap = phase[f"cap.{item}"]
        reply.add(title("{item} — {phase}", item=ITEM_TITLES[item], phase=Local(phase.name)))
        reply.add(
            T(
                "Verification is free to the factory: the government pays for it, up to {cap} per project.",
                cap=Money(cap.value),
            )
        )
        reply.cite(*phase[f"share.{item}"].citations, *cap.citations)
    elif code == "need_cost":
        assert phase is not None and item is not None
        cap = phase[f"cap.{item}"]
        local = phase.get(f"cap.{item}.local")
        if local is not None and not local.stated:
            local = None
        if local is not None and outcome.values.get("local_technology"):
            cap = local  # "粵港合作研發的技術呢？": the cap for that technology
            local = None
        if outcome.asked_item == "demonstration" and item == "technology":
            reply.add(
                T(
                    "Our sources for the {phase} name projects adopting new cleaner production technologies, not demonstration projects as such.",
                    phase=Local(phase.name),
                )
            )
        reply.add(
            T(
                "For {item} the government pays {share}, up to {cap}.",
                share=Share(phase[f"share.{item}"].value),
                item=ITEM_ONE[item],
                cap=Money(cap.value),
            )
        )
        if local is not None:
            reply.add(
                T(
                    "For a technology developed in Hong Kong, or jointly by Guangdong and Hong Kong institutions, the cap is {cap}.",
                    cap=Money(local.value),
                )
            )
            reply.cite(*local.citations)
        reply.cite(*phase[f"share.{item}"].citations, *cap.citations)
        full_cap_from(phase[f"share.{item}"].value, cap.value, local, reply)
    elif code == "need_hkd":
        _not_hkd(outcome, reply)
    elif code == "item_closed":
        reply.add(
            T(
                "A Hong Kong workshop can apply for demonstration projects only, so {item} are not funded for it.",
                item=ITEM_NAMES[item or "assessment"],
            )
        )
        if outcome.verdict is not None:
            reply.cite(*outcome.verdict.citations)
    elif code == "not_eligible":
        reply.add(
            T("As things stand the factory cannot apply, so there is no subsidy to estimate.")
        )
    elif code in ("item_unstated", "terms_unstated"):
        _unstated(dialogue, outcome, reply)
    elif code == "item_none":
        assert phase is not None and item is not None
        reply.add(
            T(
                "The {phase} has no such item: {item}.",
                phase=Local(phase.name),
                item=ITEM_NAMES[item],
            )
        )
        offered = tuple(phase.stated("items") or ())
        if offered:
            reply.add(T("It funds {items}.", items=items_list(offered)))
            reply.cite(*phase["items"].citations)
    elif code == "no_phase":
        before, after = dialogue.rulebook.neighbours(day)
        no_phase_lines(before, after, reply)
    elif code == "beyond_sources":
        last = dialogue.rulebook.latest()
        reply.add(title("I can't confirm the current rules."))
        reply.add(
            T(
                "My sources describe the programme up to the {phase} ({period}) and name no later phase.",
                **phase_values(last),
            )
        )
        secretariat_line(dialogue, reply)
    elif code == "not_positive":
        reply.add(T("The cost has to be more than zero."))
    elif code == "absurd":
        reply.add(T("That amount looks far too large for one project. Please check it."))
    return reply


_NO_CHANGE = T(
    "From what you said, the process and materials have not changed: by that rule another funded assessment also needs such a change, or a bid for cleaner production recognition."
)


def _repeat_lines(dialogue: Dialogue, outcome: Outcome, reply: Reply) -> None:
    """Another funded assessment after an earlier one: the rule of W5 where the phase
    states it (and whether the years asked for can have passed), or that the phase's
    sources say nothing of repeats."""
    values, phase = outcome.values, outcome.phase
    assert phase is not None
    if values["repeat"] == "unstated":
        ruled = next(
            (p for p in dialogue.rulebook.phases if p.stated("repeat.assessment.min_years")),
            None,
        )
        reply.add(
            T(
                "Our sources do not say whether the {phase} funds another assessment for a factory that has had a funded one.",
                phase=Local(phase.name),
            )
        )
        if ruled is not None:
            rule = ruled["repeat.assessment.min_years"]
            reply.add(
                T(
                    "The {phase} allowed one only {years} years or more after the last funded assessment was completed, with at least one recommended measure carried out and a change of process or materials, or a bid for cleaner production recognition.",
                    phase=Local(ruled.name),
                    years=rule.value,
                )
            )
            last = values.get("year")
            asked = values.get("asked_year")
            too_soon = last is not None and asked is not None and asked < last + int(rule.value)
            if too_soon:
                reply.add(
                    T(
                        "Yours was in {year}: by that rule, not before {earliest}.",
                        year=Year(last),
                        earliest=Year(last + int(rule.value)),
                    )
                )
            if values.get("change_denied"):
                reply.add(_NO_CHANGE)
            elif not too_soon and values.get("measure") and values.get("change"):
                # "we implemented two measures" and "changed our coating process" after
                # one in 2018: that rule's conditions, weighed
                reply.add(
                    T(
                        "From what you said (a recommended measure carried out, and a change of process or materials), the factory seems to meet these conditions; staff confirm them with the application."
                    )
                )
            reply.cite(*rule.citations)
        if outcome.code != "item_unstated":  # said once, by the unstated item's lines
            secretariat_line(dialogue, reply)
        return
    if values["repeat"] == "too_soon":
        reply.add(title("Another funded assessment: not yet."))
        reply.add(
            T(
                "Under the {phase}'s rule, another funded assessment needs {years} years or more since the last one was completed. Yours was in {year}, so not before {earliest}.",
                phase=Local(phase.name),
                years=values["years"],
                year=Year(values["year"]),
                earliest=Year(values["earliest"]),
            )
        )
    else:
        reply.add(
            T(
                "Under the {phase}'s rule, another funded assessment needs {years} years or more since the last one was completed.",
                phase=Local(phase.name),
                years=values["years"],
            )
        )
    reply.add(
        T(
            "The factory must also have carried out at least one recommended measure, and have changed its process or materials or be seeking cleaner production recognition."
        )
    )
    if values["repeat"] == "conditions" and values.get("change_denied"):
        reply.add(_NO_CHANGE)
    elif values["repeat"] == "conditions" and values.get("measure") and values.get("change"):
        reply.add(
            T(
                "From what you said (a recommended measure carried out, and a change of process or materials), the factory seems to meet these conditions; staff confirm them with the application."
            )
        )
    reply.cite(values["citation"])


def describe(
    result: Estimate, reply: Reply, asked: str | None = None, closing: bool = True
) -> Reply:
    phase = result.phase
    if asked == "demonstration" and result.item == "technology":
        reply.add(
            T(
                "Our sources for the {phase} name projects adopting new cleaner production technologies, not demonstration projects as such; if yours is one, this is the estimate:",
                phase=Local(phase.name),
            )
        )
    if asked == "technology" and result.item == "demonstration":
        reply.add(
            T(
                "The {phase} had no new-technology projects; its nearest item was a demonstration project, so this is the estimate as one:",
                phase=Local(phase.name),
            )
        )
    rows = [
        title("{item} — {phase}", item=ITEM_TITLES[result.item], phase=Local(phase.name)),
        T("Cost: {cost}", cost=Money(result.cost)),
        T("Government pays: {government}", government=Money(result.government)),
    ]
    if not result.free_to_factory:  # verification: free to the factory, no part of it
        rows.append(T("Your part: {factory}", factory=Money(result.factory)))
    reply.add(Lines(tuple(rows)))
    share = Share(phase[f"share.{result.item}"].value)  # the exact fraction of the rules
    if result.free_to_factory:
        reply.add(
            T(
                "Verification is free to the factory: the government pays for it, up to {cap} per project.",
                cap=Money(result.cap),
            )
        )
        if result.capped:
            reply.add(
                note(
                    "This cost is above the government's cap, and the sources do not say who pays the part above it. Please check with the hotline."
                )
            )
    elif (
        result.item == "assessment"
        and result.capped
        and phase.stated("above_cap.assessment") == "factory"
    ):
        reply.add(
            T(
                "The government pays {share}, up to {cap}; the factory pays everything above the cap.",
                share=share,
                cap=Money(result.cap),
            )
        )
        reply.cite(*phase["above_cap.assessment"].citations)
    elif result.item == "technology":
        reply.add(
            T(
                "The government pays at most {share}, up to {cap} a project.",
                share=share,
                cap=Money(result.cap),
            )
        )
        if result.cap_local is not None and result.cap_local != result.cap:
            if result.government_local is not None:
                reply.add(
                    T(
                        "For a technology developed in Hong Kong, or jointly by Guangdong and Hong Kong institutions, the cap is {cap}: the government would pay {government}.",
                        cap=Money(result.cap_local),
                        government=Money(result.government_local),
                    )
                )
            else:
                reply.add(
                    T(
                        "For a technology developed in Hong Kong, or jointly by Guangdong and Hong Kong institutions, the cap is {cap}.",
                        cap=Money(result.cap_local),
                    )
                )
        if phase.stated("condition.technology_list"):
            reply.add(
                T(
                    "The technology must be on the programme's technology list or meet its approval criteria. The list is not in my sources: staff can tell you."
                )
            )
            reply.cite(*phase["condition.technology_list"].citations)
    else:
        reply.add(
            T(
                "The cost is shared: the government pays {share}, up to {cap} per project.",
                share=share,
                cap=Money(result.cap),
            )
        )
    if result.item == "demonstration" and phase.stated("condition.share_results"):
        reply.add(T("Demonstration projects share their results with other firms."))
        reply.cite(*phase["condition.share_results"].citations)
    if closing:
        reply.add(
            note(
                "An estimate for the {phase} ({period}), not an approval: the project management committee decides.",
                **phase_values(phase),
            )
        )
    reply.cite(*result.citations)
    return reply


def _range_note(dialogue: Dialogue, outcome: Outcome, day: date, reply: Reply) -> None:
    """A cost said as a range ("30-40萬"): the estimate above is for its higher end; the
    lower end's figures are said beside it."""
    high = outcome.estimate
    low = (outcome.cost or {}).get("low")
    if high is None or low is None or high.free_to_factory:
        return
    try:
        result = estimate(
            high.item,
            Decimal(str(low)),
            day,
            dialogue.rulebook,
            local_technology=high.cap_local is not None and high.cap == high.cap_local,
        )
    except (EstimateError, InvalidOperation):
        return
    reply.add(
        T(
            "That is for the higher end of your range. At the lower end, {cost}, the government pays {government} and your part is {factory}.",
            cost=Money(result.cost),
            government=Money(result.government),
            factory=Money(result.factory),
        )
    )


def _rate_note(outcome: Outcome, reply: Reply) -> None:
    """A cost turned from renminbi at the user's own rate: said so, since no rate is in
    our sources."""
    cost = outcome.cost or {}
    if not cost.get("rate") or not cost.get("rmb"):
        return
    reply.add(
        note(
            "Converted from RMB {rmb} at the rate you gave ({rate} Hong Kong dollars for one renminbi). Our sources give no exchange rate: staff can tell you which one the programme uses.",
            rmb=Verbatim(f"{int(Fraction(cost['rmb'])):,}"),
            rate=Verbatim(format(float(Fraction(cost["rate"])), "g")),
        )
    )


def _taken_as_hkd_note(outcome: Outcome, reply: Reply) -> None:
    """ "三十五万" with no currency, in Simplified script: a Mainland owner may well mean
    renminbi, so the figure taken as Hong Kong dollars is said, with how to correct it."""
    cost = outcome.cost or {}
    text = str(cost.get("text") or "")
    if cost.get("currency") is not None or cost.get("rmb") or "万" not in text:
        return
    reply.add_once(  # once a reply, for the first such figure
        T(
            "I took {amount} as Hong Kong dollars. If it is in renminbi, please say so, or give the cost in Hong Kong dollars.",
            amount=Verbatim(text),
        )
    )


def full_cap_from(share: Any, cap: int, local: Any, reply: Reply) -> None:
    """ "要多少钱可以拿到最高资助？": the cost from which the cap is reached (the cap over
    the government's share), and for the higher cap too."""
    if share in (None, 0, 1):
        return
    rate = Decimal(share.numerator) / Decimal(share.denominator)
    full = (Decimal(cap) / rate).quantize(Decimal(1))
    if local is None:
        reply.add(T("A cost of {full} or more gets the full cap.", full=Money(full)))
        return
    reply.add(
        T(
            "A cost of {full} or more gets the full cap ({full_local} or more for the higher cap).",
            full=Money(full),
            full_local=Money((Decimal(local.value) / rate).quantize(Decimal(1))),
        )
    )


def _not_hkd(outcome: Outcome, reply: Reply) -> None:
    cost = outcome.cost or {}
    text = Verbatim(str(cost.get("text") or cost.get("amount") or ""))
    if cost.get("currency") == "RMB":
        reply.add(
            T("The caps are in Hong Kong dollars, and {amount} looks like renminbi.", amount=text)
        )
    elif cost.get("currency") == "USD":  # "USD 100k": no rate is in our sources
        reply.add(
            T(
                "The caps are in Hong Kong dollars, and {amount} is in US dollars. Please give the cost in Hong Kong dollars.",
                amount=text,
            )
        )
    elif cost.get("currency") == "OTHER":  # "EUR 300k", "50萬新台幣": no rate either
        reply.add(
            T(
                "The caps are in Hong Kong dollars, and {amount} is in another currency. Please give the cost in Hong Kong dollars.",
                amount=text,
            )
        )
    else:
        reply.add(
            T(
                "The caps are in Hong Kong dollars. Is {amount} in Hong Kong dollars or renminbi?",
                amount=text,
            )
        )
    phase, item = outcome.phase, outcome.item
    if phase is None or item is None:
        return
    share, cap = phase.get(f"share.{item}"), phase.get(f"cap.{item}")
    local = phase.get(f"cap.{item}.local")
    if outcome.values.get("local_technology") and local is not None and local.stated:
        cap = local  # "the tech was developed with HKUST" said at this prompt: its cap
    if share is None or cap is None or not (share.stated and cap.stated) or share.value == 1:
        return
    full = Decimal(cap.value) / (Decimal(share.value.numerator) / Decimal(share.value.denominator))
    reply.add(
        T(
            "The government pays {share}, up to {cap}: any cost of {full} or more gets the full cap.",
            share=Share(share.value),
            cap=Money(cap.value),
            full=Money(full.quantize(Decimal(1))),
        )
    )
    reply.cite(*share.citations, *cap.citations)


def _unstated(dialogue: Dialogue, outcome: Outcome, reply: Reply) -> None:
    phase, item = outcome.phase, outcome.item
    assert phase is not None and item is not None
    if outcome.code == "item_unstated":
        reply.add(
            T(
                "Our sources for the {phase} do not say whether it funds {item}.",
                phase=Local(phase.name),
                item=ITEM_NAMES[item],
            )
        )
        reply.cite(*phase["items.unstated"].citations)
        _last_funded(dialogue, phase, item, reply)
    else:
        reply.add(
            T(
                "Our sources for the {phase} do not give the cost share or cap for {item}.",
                phase=Local(phase.name),
                item=ITEM_NAMES[item],
            )
        )
        cited = phase.get(f"cap.{item}") or phase.get(f"share.{item}")
        if cited is not None:
            reply.cite(*cited.citations)
    stated = tuple(
        i
        for i in outcome.options
        if all(
            (p := phase.get(f"{kind}.{i}")) is not None and p.stated for kind in ("share", "cap")
        )
    )
    if stated:
        reply.add(T("Its sources state terms for: {items}.", items=items_list(stated)))
    if phase.first_day.year >= 2015:
        _undated_line(item, reply)
    secretariat_line(dialogue, reply)


def _last_funded(dialogue: Dialogue, phase: Phase, item: str, reply: Reply) -> None:
    """ "以前唔係有㗎咩？": the latest earlier phase that funded the item. Its figures are not
    given here: beside a phase that leaves them unsaid they would read as its own."""
    earlier = [
        p
        for p in dialogue.rulebook.phases
        if p.last_day < phase.first_day and p.item_status(item) == "funded"
    ]
    if not earlier:
        return
    last = earlier[-1]
    reply.add(
        T(
            "Earlier phases did fund {item}: the latest our sources say funded it is the {phase} ({period}). Our sources do not say that its terms carried over; ask me about that phase if you need them.",
            item=ITEM_NAMES[item],
            **phase_values(last),
        )
    )
    reply.cite(*last["items"].citations)


def caps_reply(dialogue: Dialogue, day: date, reply: Reply, workshop: bool = False) -> Reply:
    """Every item of the phase on ``day`` with its share and cap, or what is not stated.
    On a day between phases, the next phase's; after the last one the sources describe,
    its caps, as the last known, with who can confirm today's."""
    phase = dialogue.rulebook.phase_at(day)
    if phase is None:
        if dialogue.rulebook.beyond_sources(day):
            last = dialogue.rulebook.latest()
            reply.add(title("I can't confirm the current rules."))
            reply.add(
                T(
                    "My sources describe the programme up to the {phase} ({period}) and name no later phase.",
                    **phase_values(last),
                )
            )
            reply.add(T("The last caps they give, for that phase:"))
            _phase_caps(last, reply)
            return secretariat_line(dialogue, reply)
        before, after = dialogue.rulebook.neighbours(day)
        no_phase_lines(before, after, reply)
        if after is not None:
            reply.add(title("Subsidy caps — {phase}", phase=Local(after.name)), period(after))
            _phase_caps(after, reply)
        return reply
    reply.phase = phase.id
    reply.add(title("Subsidy caps — {phase}", phase=Local(phase.name)), period(phase))
    workshop_items = phase.stated("scope.hong_kong_workshop_items") if workshop else None
    if workshop_items:
        # "那时最多能拿多少" for a Hong Kong workshop in 2014: its one item (para 18)
        reply.add(T("A Hong Kong workshop can apply for demonstration projects only."))
        reply.cite(*phase["scope.hong_kong_workshop_items"].citations)
        for item in workshop_items:
            _cap_line(phase, item, reply)
        return reply
    _phase_caps(phase, reply)
    return reply


def _phase_caps(phase: Phase, reply: Reply) -> None:
    for item in ITEMS:
        if phase.item_status(item) == "funded":
            _cap_line(phase, item, reply)
    unstated = tuple(
        i
        for i in ITEMS
        if phase.item_status(i) == "unstated"
        and not (i == "demonstration" and phase.item_status("technology") == "funded")
    )
    if unstated:
        reply.add(
            T(
                "Our sources for this phase do not say whether it funds {items}.",
                items=items_list(unstated),
            )
        )
        reply.cite(*phase["items.unstated"].citations)


def _cap_line(phase: Phase, item: str, reply: Reply) -> None:
    share, cap = phase[f"share.{item}"], phase[f"cap.{item}"]
    name = ITEM_TITLES[item]
    if not (share.stated and cap.stated):
        reply.add(T("• {item}: our sources do not give its share or cap", item=name))
        reply.cite(*cap.citations)
        return
    if share.value == 1:
        reply.add(
            T(
                "• {item}: free to the factory; the government pays up to {cap} per project",
                item=name,
                cap=Money(cap.value),
            )
        )
    elif item == "technology":  # "at most 50%" (W9)
        reply.add(
            T(
                "• {item}: the government pays at most {share}, up to {cap} per project",
                item=name,
                share=Share(share.value),
                cap=Money(cap.value),
            )
        )
    else:
        reply.add(
            T(
                "• {item}: the government pays {share}, up to {cap} per project",
                item=name,
                share=Share(share.value),
                cap=Money(cap.value),
            )
        )
    _local_cap_line(phase, item, reply)
    reply.cite(*share.citations, *cap.citations)


def _local_cap_line(phase: Phase, item: str, reply: Reply) -> int | None:
    """The new phase's higher cap for a technology developed in Hong Kong (W9), beside
    the item's cap; the cap, or None when the phase has none."""
    local = phase.get(f"cap.{item}.local")
    if local is None or not local.stated:
        return None
    reply.add(
        T(
            "  ({cap} for a technology developed in Hong Kong or jointly by Guangdong and Hong Kong institutions)",
            cap=Money(local.value),
        )
    )
    reply.cite(*local.citations)
    return int(local.value)


def caps_by_phase(
    dialogue: Dialogue, item: str | None, reply: Reply, among: list[Phase] | None = None
) -> Reply:
    """ "邊期資助最多？", "is the demo cap more or less than before?": each phase's caps side
    by side, earliest first, with the phases whose figures no source gives said as such.
    For one item, the highest cap the sources give is named; whether a phase without
    figures paid more is left unknown. ``among``: only those phases (a time and now)."""
    phases = tuple(among) if among else dialogue.rulebook.phases
    if item is None:
        reply.add(title("Subsidy caps by phase"))
        largest: tuple[int, str, Phase] | None = None
        bare: list[Phase] = []
        for phase in phases:
            with_caps = [
                i
                for i in ITEMS
                if phase.item_status(i) == "funded" and phase.stated(f"cap.{i}") is not None
            ]
            for i in with_caps:
                cap_value = int(phase.stated(f"cap.{i}"))
                if largest is None or cap_value > largest[0]:
                    largest = (cap_value, i, phase)
                reply.cite(*phase[f"cap.{i}"].citations)
            if with_caps:
                caps = tuple(
                    T("{item} up to {cap}", item=ITEM_TITLES[i], cap=Money(phase.stated(f"cap.{i}")))
                    for i in with_caps
                )
                reply.add(
                    T("• {phase} ({period}): {caps}", caps=Joined(caps), **phase_values(phase))
                )
                for i in with_caps:
                    local = _local_cap_line(phase, i, reply)
                    if local is not None and largest is not None and local > largest[0]:
                        largest = (local, i, phase)
            else:
                reply.add(
                    T(
                        "• {phase} ({period}): our sources give no caps for this phase",
                        **phase_values(phase),
                    )
                )
                reply.cite(*phase["items"].citations)
                bare.append(phase)
        if largest is not None:
            reply.add(
                T(
                    "The largest cap our sources give is {cap}, for {item} in the {phase}; the items funded differ from phase to phase.",
                    cap=Money(largest[0]),
                    item=ITEM_NAMES[largest[1]],
                    phase=Local(largest[2].name),
                )
            )
        _no_figures_line(bare, reply)
        return secretariat_line(dialogue, reply)
    reply.add(title("Caps by phase — {item}", item=ITEM_TITLES[item]))
    known: list[tuple[int, Phase]] = []
    unknown: list[Phase] = []
    for phase in phases:
        status = phase.item_status(item)
        share, cap = phase.get(f"share.{item}"), phase.get(f"cap.{item}")
        if status == "funded" and share is not None and cap is not None and share.stated and cap.stated:
            reply.add(
                T(
                    "• {phase} ({period}): the government pays {share}, up to {cap}",
                    share=Share(share.value),
                    cap=Money(cap.value),
                    **phase_values(phase),
                )
            )
            reply.cite(*share.citations, *cap.citations)
            known.append((int(cap.value), phase))
            continue
        if status == "funded":
            reply.add(T("• {phase} ({period}): funded, but our sources give no cost share or cap", **phase_values(phase)))
            unknown.append(phase)
        elif status == "unstated":
            reply.add(T("• {phase} ({period}): our sources do not say whether it funds them", **phase_values(phase)))
            unknown.append(phase)
        else:
            reply.add(T("• {phase} ({period}): not an item of this phase", **phase_values(phase)))
        reply.cite(*phase["items"].citations)
        technology = phase.get("cap.technology")
        if item != "technology" and phase.item_status("technology") == "funded" and technology is not None and technology.stated:
            # the new phase funds another item, with its own cap: said beside, not as this item's
            reply.add(
                T(
                    "  (it funds projects adopting new cleaner production technologies: at most {share}, up to {cap})",
                    share=Share(phase["share.technology"].value),
                    cap=Money(technology.value),
                )
            )
            reply.cite(*technology.citations)
    if among and len(known) == 2 and known[0][0] != known[1][0]:
        # "延展期同第一期差幾多？": two caps the sources give, and the difference
        (first_cap, first), (second_cap, second) = known
        reply.add(
            T(
                "From the {first} to the {second}, the cap went from {before} to {after}: {difference} {direction}.",
                first=Local(first.name),
                second=Local(second.name),
                before=Money(first_cap),
                after=Money(second_cap),
                difference=Money(abs(second_cap - first_cap)),
                direction=T("more") if second_cap > first_cap else T("less"),
            )
        )
    elif known and (not among or len(known) > 1):
        # "邊期資助最多？": the highest of all the phases; "2014年同2018年caps": of the
        # phases asked about only, never said of all
        highest, where = max(known, key=lambda pair: pair[0])
        values = {"item": ITEM_NAMES[item], "cap": Money(highest), "phase": Local(where.name)}
        reply.add(
            T("Of the phases listed, the highest cap for {item} is {cap}, in the {phase}.", **values)
            if among
            else T("Of the caps our sources give for {item}, the highest is {cap}, in the {phase}.", **values)
        )
    _no_figures_line(unknown, reply)
    if any(p.first_day.year >= 2015 for p in phases):  # W8 is a later page, of no phase
        _undated_line(item, reply)
    return secretariat_line(dialogue, reply)


def _undated_line(item: str, reply: Reply) -> None:
    """W8's figures name no phase: said as such, never placed in one."""
    undated = [f for f in load_undated() if f.item == item]
    if not undated:
        return
    reply.add(
        note(
            "An undated government page lists {item} at {share}, up to {caps}, without saying which phase it describes.",
            item=ITEM_NAMES[item],
            share=Share(undated[0].share),
            caps=Joined(tuple(Money(f.cap) for f in undated)),
        )
    )
    reply.cite(*dict.fromkeys(f.citation for f in undated))


def _no_figures_line(phases: list[Phase], reply: Reply) -> None:
    if phases:
        reply.add(
            T(
                "Our sources give no figures for the {phases}, so whether it paid more then is not known.",
                phases=Joined(tuple(Local(p.name) for p in phases)),
            )
        )
