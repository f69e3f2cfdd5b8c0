"""How a ticket reads to staff: its card, the names of its statuses and outcomes, and
the actions staff can take on it. Words only; ``bot.handlers.postbox`` lays them out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.core.desks import DeskBook
from bot.core.flows.subsidy import ITEM_TITLES
from bot.core.locales import LANGUAGE_NAMES
from bot.core.notices import TicketAction
from bot.core.reply import Local, Money, Msg, Reply, T, Verbatim, title
from bot.core.tickets.records import Ticket, is_email

STATUS_NAMES = {"open": T("open"), "claimed": T("claimed"), "closed": T("closed")}

VERDICT_NAMES = {
    "eligible": T("eligible"),
    "demonstration_only": T("demonstration projects only"),
    "not_eligible": T("not eligible"),
    "need_more_info": T("more information needed"),
}


def _outcome_place(outcome: dict[str, Any]) -> Local | Verbatim:
    from bot.core import places

    try:
        return Local(places.get(outcome["place_id"]).name)
    except (KeyError, TypeError):
        place = outcome.get("place") or {}
        return Verbatim(place.get("city") or place.get("province") or "-")


def _outcome_phase(outcome: dict[str, Any]) -> Local | Verbatim:
    if outcome.get("phase_name"):
        return Local(outcome["phase_name"])
    return Verbatim(str(outcome.get("phase") or "-"))


def contact_line(contact: str) -> Msg:
    """The kept contact under the label it is: a phone number or an e-mail address."""
    if is_email(contact):
        return T("E-mail: {value}", value=Verbatim(contact))
    return T("Phone: {value}", value=Verbatim(contact))


def blocked_line(ticket: Ticket) -> Msg:
    """For staff: the user blocked the bot, so the kept contact is the way to reach them."""
    contact = ticket.details.get("phone", "")
    if is_email(contact):
        return T(
            "{ref}: the user has blocked the bot; replies cannot reach them. E-mail: {email}",
            ref=Verbatim(ticket.ref),
            email=Verbatim(contact),
        )
    return T(
        "{ref}: the user has blocked the bot; replies cannot reach them. Phone: {phone}",
        ref=Verbatim(ticket.ref),
        phone=Verbatim(contact),
    )


def ticket_card(ticket: Ticket) -> Reply:
    d = ticket.details
    reply = Reply("handoff").add(
        title("New enquiry {ref} · {desk}", ref=Verbatim(ticket.ref), desk=Local(ticket.desk.name)),
        T(
            "Language: {language}",
            language=Verbatim(LANGUAGE_NAMES.get(ticket.locale, ticket.locale)),
        ),
        T("Name: {value}", value=Verbatim(d.get("name", ""))),
        T("Company: {value}", value=Verbatim(d.get("company", ""))),
        contact_line(d.get("phone", "")),
        T("Place: {value}", value=Verbatim(d.get("place", ""))),
    )
    outcomes = ticket.context.get("outcomes", {})
    if outcomes.get("eligibility"):
        e = outcomes["eligibility"]
        reply.add(
            T(
                "Eligibility worked out: {status} ({place}; {phase})",
                status=VERDICT_NAMES.get(e.get("status", ""), Verbatim(e.get("status", ""))),
                place=_outcome_place(e),
                phase=_outcome_phase(e),
            )
        )
    if outcomes.get("subsidy"):
        s = outcomes["subsidy"]
        reply.add(
            T(
                "Estimate worked out: {item}, cost {cost}, government {government}, factory {factory} ({phase})",
                item=ITEM_TITLES.get(s.get("item", ""), Verbatim(s.get("item", ""))),
                cost=Money(Decimal(str(s.get("cost", 0)))),
                government=Money(Decimal(str(s.get("government", 0)))),
                factory=Money(Decimal(str(s.get("factory", 0)))),
                phase=_outcome_phase(s),
            )
        )
    history = ticket.context.get("history", [])
    if history:
        lines = "\n".join(
            f"{'›' if h['who'] == 'user' else '‹'} {h['text'][:160]}" for h in history[-6:]
        )
        reply.add(T("Last messages:"), Verbatim(lines))
    reply.add(T("Enquiry:"), Verbatim(d.get("topic", "")))
    reply.add(T("Reply to any message of this ticket to answer the user."))
    return reply


def ticket_actions(ticket: Ticket, desks: DeskBook) -> tuple[tuple[TicketAction, ...], ...]:
    """The card's buttons: claim, close, reopen; then a transfer to each other desk."""
    return (
        (
            TicketAction("claim", ticket.id, T("Claim")),
            TicketAction("close", ticket.id, T("Close")),
            TicketAction("reopen", ticket.id, T("Reopen")),
        ),
        tuple(
            TicketAction("transfer", ticket.id, T("To {desk}", desk=Local(d.name)), d.id)
            for d in desks.desks
            if d.id != ticket.desk.id
        ),
    )
