"""The subsidy conversation: which item, what it costs, and the breakdown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.core import money
from bot.core.buttons import Tapped, button
from bot.core.flows.eligibility import ITEM_NAMES, _day_from, merge, the_day
from bot.core.reply import Day, Local, Money, Reply, T, Verbatim, note, title
from bot.core.rules import ITEMS
from bot.core.session import Session
from bot.core.subsidy import Estimate, EstimateError, estimate
from bot.core.understand import Understanding, find_date

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

ITEM_TITLES = {
    "assessment": T("On-site assessment"),
    "demonstration": T("Demonstration project"),
    "verification": T("Verification"),
}
# Currency words that do not say which dollar or yuan is meant.
AMBIGUOUS_UNITS = {"元", "块", "塊", "圓", "圆"}


def start(dialogue: Dialogue, session: Session) -> Reply:
    session.start("subsidy", "item")
    session.estimate = {}
    return _ask_item(session, Reply("subsidy"))


def from_text(dialogue: Dialogue, session: Session, u: Understanding) -> Reply:
    if session.flow != "subsidy":
        session.start("subsidy")
        session.estimate = {}
    merge(dialogue, session, u)  # a place or a date said alongside is remembered too
    if u.item:
        session.estimate["item"] = u.item
    if u.amounts:
        return _with_amount(dialogue, session, u.amounts[0])
    if u.has("cap"):  # "示範項目上限": the caps first, then ask for the cost
        reply = caps_reply(dialogue, the_day(dialogue, session), Reply("subsidy"))
        if u.item:
            session.step = "cost"
            reply.add(T("Tell me the cost of your {item} and I will work out the shares.", item=ITEM_NAMES[u.item]))
        else:
            _ask_item(session, reply)
            session.step = "item"
        return reply
    return _continue(dialogue, session)


def answer(dialogue: Dialogue, session: Session, u: Understanding) -> Reply | None:
    step = session.step
    if step == "item" and u.item:
        session.estimate["item"] = u.item
        if u.amounts:
            return _with_amount(dialogue, session, u.amounts[0])
        return _continue(dialogue, session)
    if step in ("cost", "currency"):
        amount = u.amounts[0] if u.amounts else money.parse_amount(u.text)
        if u.item:
            session.estimate["item"] = u.item
        if amount is not None:
            return _with_amount(dialogue, session, amount)
        if u.place is None and not u.has("howto", "handoff", "hotline", "eligibility"):
            reply = Reply("subsidy").add(
                T("I couldn't read an amount there. Type the cost as you like: 400000, HK$400k, 40萬.")
            )
            return reply
    return None


def on_tap(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    if tapped.action == "item" and tapped.arg in ITEMS:
        session.estimate["item"] = tapped.arg
        cost = session.estimate.get("cost")
        if cost and session.estimate.get("currency") == "HKD":
            return _estimate_reply(dialogue, session, Decimal(cost))
        return _continue(dialogue, session)
    if tapped.action == "item" and tapped.arg == "choose":
        session.step = "item"
        return _ask_item(session, Reply("subsidy"))
    if tapped.action == "again":
        session.step = "cost"
        session.estimate.pop("cost", None)
        return _continue(dialogue, session)
    if tapped.action == "currency" and tapped.arg == "hkd" and session.estimate.get("pending"):
        session.estimate["cost"] = session.estimate.pop("pending")
        session.estimate["currency"] = "HKD"
        return _continue(dialogue, session)
    return None


def _continue(dialogue: Dialogue, session: Session) -> Reply:
    item = session.estimate.get("item")
    if item is None:
        session.step = "item"
        return _ask_item(session, Reply("subsidy"))
    cost = session.estimate.get("cost")
    if cost is None:
        session.step = "cost"
        return _ask_cost(dialogue, session, item)
    return _estimate_reply(dialogue, session, Decimal(cost))


def _with_amount(dialogue: Dialogue, session: Session, amount: money.Amount) -> Reply:
    if amount.value <= 0:  # no currency question about nothing
        session.step = "cost"
        return Reply("subsidy").add(T("The cost has to be more than zero. What does the project cost?"))
    if amount.currency == "RMB" or (
        amount.currency is None and getattr(amount, "unit_hint", None) in AMBIGUOUS_UNITS
    ):
        session.step = "currency"
        session.estimate["pending"] = str(amount.value)
        reply = Reply("subsidy")
        if amount.currency == "RMB":
            reply.add(T("The caps are in Hong Kong dollars, and {amount} looks like renminbi.", amount=Verbatim(amount.text)))
        else:
            reply.add(T("The caps are in Hong Kong dollars. Is {amount} in Hong Kong dollars or renminbi?", amount=Verbatim(amount.text)))
        reply.add(T("Please type the cost in Hong Kong dollars, e.g. HK$300,000."))
        reply.row(button(T("It is in HK dollars"), session.generation, "currency", "hkd"))
        return reply
    session.estimate["cost"] = str(amount.value)
    session.estimate["currency"] = "HKD"
    return _continue(dialogue, session)


def _estimate_reply(dialogue: Dialogue, session: Session, cost: Decimal) -> Reply:
    item = session.estimate["item"]
    day = the_day(dialogue, session)
    reply = Reply("subsidy")
    try:
        result = estimate(item, cost, day, dialogue.rulebook)
    except EstimateError as error:
        return _estimate_error(dialogue, session, error, cost, day, reply)
    session.step = None
    reply.phase = result.phase.id
    reply.subsidy = subsidy_json(result)
    session.outcomes["subsidy"] = reply.subsidy | {
        "phase": result.phase.id,
        "phase_name": result.phase.name,
    }
    describe(result, reply)
    g = session.generation
    reply.row(
        button(T("Another amount"), g, "again"),
        button(T("Another item"), g, "item", "choose"),
    )
    reply.row(
        button(T("Talk to a person"), g, "menu", "person"),
        button(T("Main menu"), g, "menu", "home"),
    )
    return reply


def subsidy_json(result: Estimate) -> dict[str, object]:
    def number(value: Decimal) -> int | float:
        return int(value) if value == value.to_integral_value() else float(value)

    return {
        "item": result.item,
        "cost": number(result.cost),
        "government": number(result.government),
        "factory": number(result.factory),
        "cap": result.cap,
        "currency": "HKD",
    }


def describe(result: Estimate, reply: Reply) -> Reply:
    phase = result.phase
    reply.add(
        title("{item} — {phase}", item=ITEM_TITLES[result.item], phase=Local(phase.name)),
        T("Cost: {cost}", cost=Money(result.cost)),
        T("Government pays: {government}", government=Money(result.government)),
    )
    if result.free_to_factory and result.capped:
        reply.add(T("Above the cap: {rest}", rest=Money(result.factory)))
    else:
        reply.add(T("You pay: {factory}", factory=Money(result.factory)))
    if result.free_to_factory:
        reply.add(T("Verification is free to the factory; the government pays up to {cap} per project.", cap=Money(result.cap)))
        if result.capped:
            reply.add(note("This cost is above the government's cap, and the paper does not say who pays the part above it. Please check with the hotline."))
    elif result.capped:
        reply.add(T("The government pays half, up to a cap of {cap}; above that the factory pays everything.", cap=Money(result.cap)))
    else:
        reply.add(T("The government pays half the cost, up to a cap of {cap}.", cap=Money(result.cap)))
    if result.item == "demonstration":
        reply.add(T("Demonstration projects share their results with other firms."))
    reply.add(note("Applies {start} to {end}. An estimate, not an approval: the project management committee decides.", start=Day(phase.first_day), end=Day(phase.last_day)))
    reply.cite(*result.citations)
    return reply


def _estimate_error(dialogue: Dialogue, session: Session, error: EstimateError, cost: Decimal, day: date, reply: Reply) -> Reply:
    session.estimate.pop("cost", None)
    session.step = "cost"
    if error.code == "no_phase":
        from bot.core.flows.eligibility import _no_phase

        before, after = dialogue.rulebook.neighbours(day)
        _no_phase(None, {"before": before, "after": after}, reply)  # type: ignore[arg-type]
        session.step = None
        return reply
    if error.code == "not_positive":
        return reply.add(T("The cost has to be more than zero. What does the project cost?"))
    return reply.add(T("That amount looks far too large for one project. Please check it and type the cost again."))


def caps_reply(dialogue: Dialogue, day: date, reply: Reply) -> Reply:
    phase = dialogue.rulebook.phase_at(day)
    if phase is None:
        from bot.core.flows.eligibility import _no_phase

        before, after = dialogue.rulebook.neighbours(day)
        _no_phase(None, {"before": before, "after": after}, reply)  # type: ignore[arg-type]
        return reply
    reply.phase = phase.id
    reply.add(
        title("Subsidy caps — {phase}", phase=Local(phase.name)),
        T("{start} to {end}", start=Day(phase.first_day), end=Day(phase.last_day)),
        T("• On-site assessment: half the cost, up to {cap}", cap=Money(phase["cap.assessment"].value)),
        T("• Demonstration project: half the cost, up to {cap} per project", cap=Money(phase["cap.demonstration"].value)),
        T("• Verification: free to the factory; the government pays up to {cap} per project", cap=Money(phase["cap.verification"].value)),
    )
    for item in ITEMS:
        reply.cite(*phase[f"share.{item}"].citations, *phase[f"cap.{item}"].citations)
    return reply


def caps_command(dialogue: Dialogue, session: Session, args: str) -> Reply:
    day = the_day(dialogue, session)
    mention = find_date(args.strip()) if args.strip() else None
    if mention is not None:
        day = mention.day
    return caps_reply(dialogue, day, Reply("subsidy"))


def calc_command(dialogue: Dialogue, session: Session, args: str) -> Reply:
    """/calc <item> <amount>: an estimate in one line, for staff."""
    from bot.core.understand import understand

    u = understand(args, last_locale=session.locale_choice or session.locale)
    if not u.item or not u.amounts:
        return Reply("help").add(T("Usage: /calc <item> <amount>, e.g. /calc demonstration 400k or /calc 示範 40萬"))
    session.start("subsidy")
    session.estimate = {"item": u.item}
    return _with_amount(dialogue, session, u.amounts[0])


def _ask_item(session: Session, reply: Reply) -> Reply:
    g = session.generation
    reply.add(T("Which item would you like an estimate for?"))
    for item in ITEMS:
        reply.row(button(ITEM_TITLES[item], g, "item", item))
    return reply


def _ask_cost(dialogue: Dialogue, session: Session, item: str) -> Reply:
    reply = Reply("subsidy")
    if session.step == "cost":
        caps_line = dialogue.rulebook.value(f"cap.{item}", the_day(dialogue, session))
        reply.add(T("What does the {item} cost? Type it as you like: 400000, HK$400k, 40萬.", item=ITEM_NAMES[item]))
        if caps_line is not None:
            reply.add(T("The government's cap for this item is {cap}.", cap=Money(caps_line.value)))
            reply.cite(*caps_line.citations)
    return reply


__all__ = ["start", "from_text", "answer", "on_tap", "caps_command", "calc_command", "_day_from"]
