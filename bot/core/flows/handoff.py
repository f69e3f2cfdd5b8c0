"""Hand-off to a person: the hotline numbers, or an enquiry left for the desk's staff.

The bot asks only for what it does not know yet (name, company, phone, place, topic),
shows a summary to confirm, and opens a ticket through ``dialogue.tickets``; while the
ticket is open the user's messages go to staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.buttons import Tapped, button
from bot.core.reply import Button, Local, Reply, T, Verbatim, note, title
from bot.core.session import Session
from bot.core.understand import Understanding

if TYPE_CHECKING:
    from bot.core.dialogue import ContactIn, Dialogue

FIELDS = ("name", "company", "phone", "place", "topic")
QUESTIONS = {
    "name": T("What is your name?"),
    "company": T("Which company is this for?"),
    "phone": T("Which phone number can staff call? Tap “Share my phone number” or type it."),
    "place": T("Where is the factory or workshop?"),
    "topic": T("What would you like to ask the staff? One message is enough."),
}
FIELD_NAMES = {
    "name": T("Name"),
    "company": T("Company"),
    "phone": T("Phone"),
    "place": T("Place"),
    "topic": T("Enquiry"),
}
LIMITS = {"name": 80, "company": 120, "phone": 40, "place": 120, "topic": 2000}


def _desk_phones(dialogue: Dialogue) -> list[tuple[Any, str]]:
    return [(desk, desk.phone) for desk in dialogue.desks.with_phone()]


def add_call_buttons(dialogue: Dialogue, session: Session, reply: Reply) -> Reply:
    for desk, phone in _desk_phones(dialogue):
        reply.add(T("{desk}: {phone}", desk=Local(desk.name), phone=Verbatim(phone)))
    return reply


def hotline(dialogue: Dialogue, session: Session) -> Reply:
    reply = Reply("hotline").add(title("Programme hotlines"))
    add_call_buttons(dialogue, session, reply)
    reply.add(
        T(
            "The programme keeps three enquiry hotlines. Staff can give you the Guangdong desks' numbers."
        )
    )
    reply.cite("para 12(a)", "fact sheet")
    g = session.generation
    reply.row(
        button(T("Leave an enquiry"), g, "handoff", "leave"),
        button(T("Main menu"), g, "menu", "home"),
    )
    return reply


def offer(dialogue: Dialogue, session: Session) -> Reply:
    reply = Reply("handoff", handoff=True).add(
        title("Talk to a person"),
        T(
            "You can call the hotline, or leave your enquiry here and staff will reply in this chat."
        ),
    )
    add_call_buttons(dialogue, session, reply)
    reply.cite("para 12(a)", "fact sheet")
    g = session.generation
    reply.row(button(T("Leave an enquiry"), g, "handoff", "leave"))
    reply.row(button(T("Main menu"), g, "menu", "home"))
    return reply


def start(dialogue: Dialogue, session: Session, u: Understanding | None = None) -> Reply:
    ticket = _open_ticket(dialogue, session)
    if ticket is not None:
        # The stored ticket decides, not the session: it may have been closed by staff, or
        # the user may have wandered off to the menu while it stayed open.
        session.flow, session.step = "handoff", "open"
        session.handoff = {**session.handoff, "ref": ticket.ref}
        return Reply("handoff", handoff=True).add(
            T(
                "Your enquiry {ref} is open; staff will reply here. Anything you type now goes to them.",
                ref=Verbatim(ticket.ref),
            )
        )
    if session.flow == "handoff" and session.step == "open":
        session.start(None)
    return offer(dialogue, session)


def _open_ticket(dialogue: Dialogue, session: Session) -> Any:
    tickets = dialogue.tickets
    return tickets.open_ticket_of(session.chat_id) if hasattr(tickets, "open_ticket_of") else None


def _begin(dialogue: Dialogue, session: Session) -> Reply:
    session.start("handoff")
    known = session.handoff.get("known", {})
    details: dict[str, str] = {k: v for k, v in known.items() if k in ("name", "company", "phone")}
    place = session.facts.get("place")
    if place:
        from bot.core import places
        from bot.core.flows.eligibility import place_label

        names = place_label(places.get(place)).texts  # "東莞市厚街鎮", "Houjie, Dongguan"
        details["place"] = names.get(session.reply_locale(None)) or names.get("en", place)
    session.handoff = {"details": details, "known": known}
    return _ask_next(dialogue, session, Reply("handoff", handoff=True))


def _ask_next(dialogue: Dialogue, session: Session, reply: Reply) -> Reply:
    details = session.handoff["details"]
    for field in FIELDS:
        if not details.get(field):
            session.step = field
            reply.add(QUESTIONS[field])
            if field == "phone":
                reply.keyboard = [[Button(T("Share my phone number"), request="contact")]]
            reply.row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            return reply
    return _summary(session, reply)


def _summary(session: Session, reply: Reply) -> Reply:
    session.step = "confirm"
    reply.remove_keyboard = True
    reply.add(title("Please check your enquiry:"))
    details = session.handoff["details"]
    for field in FIELDS:
        reply.add(
            T("{field}: {value}", field=FIELD_NAMES[field], value=Verbatim(details.get(field, "")))
        )
    g = session.generation
    reply.row(button(T("Send to staff"), g, "confirm", "send"))
    reply.row(
        button(T("Change something"), g, "edit", "all"), button(T("Cancel"), g, "cancel", "handoff")
    )
    return reply


def on_text(dialogue: Dialogue, session: Session, u: Understanding) -> Reply:
    step = session.step
    if step == "open":
        return _relay(dialogue, session, u.text)
    if step in FIELDS:
        value = u.text.strip()[: LIMITS[step]]
        if step == "phone" and sum(ch.isdigit() for ch in value) < 6:
            return Reply("handoff", handoff=True).add(
                T("That doesn't look like a phone number. Please type the number staff can call.")
            )
        session.handoff["details"][step] = value
        if step == "place":
            _route_by(session, value)
        if step in ("name", "company", "phone"):
            session.handoff.setdefault("known", {})[step] = value
        return _ask_next(dialogue, session, Reply("handoff", handoff=True))
    if step == "confirm":
        return _summary(
            session,
            Reply("handoff", handoff=True).add(T("Please tap a button to send, change or cancel.")),
        )
    session.start(None)
    from bot.core.flows import guides

    return guides.search_reply(dialogue, session, u)


def _route_by(session: Session, text: str) -> None:
    """A place typed in the enquiry picks the desk (``tickets.open_ticket`` reads it)."""
    from bot.core import places

    found = places.find_place(text)
    if found is not None and found.place is not None:
        session.handoff["place_id"] = found.place.id


def on_contact(dialogue: Dialogue, session: Session, contact: ContactIn) -> Reply:
    if session.flow != "handoff" or session.step != "phone":
        return Reply("handoff").add(
            T("Thanks. To leave an enquiry for staff, tap “Talk to a person” first.")
        )
    if not contact.own:
        return Reply("handoff", handoff=True).add(T("Please share your own number, or type it."))
    phone = contact.phone.strip()[: LIMITS["phone"]]
    session.handoff["details"]["phone"] = phone
    session.handoff.setdefault("known", {})["phone"] = phone
    return _ask_next(dialogue, session, Reply("handoff", handoff=True))


def on_tap(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    if tapped.action == "handoff" and tapped.arg == "leave":
        return _begin(dialogue, session)
    if tapped.action == "call":
        return hotline(dialogue, session)
    if tapped.action == "cancel":
        if session.flow == "handoff" and session.step != "open":
            session.start(None)
            from bot.core.flows.menu import welcome

            return welcome(dialogue, session, cancelled=True)
        return None
    if session.flow != "handoff":
        return None
    if tapped.action == "edit":
        session.handoff["details"] = {}
        return _ask_next(dialogue, session, Reply("handoff", handoff=True))
    if tapped.action == "confirm" and session.step == "confirm":
        return _open(dialogue, session)
    return None


def _open(dialogue: Dialogue, session: Session) -> Reply:
    details = dict(session.handoff["details"])
    reply = Reply("handoff", handoff=True)
    if dialogue.tickets is None:
        reply.add(T("I can't pass enquiries on right now. Please call the hotline:"))
        session.start(None)
        return add_call_buttons(dialogue, session, reply)
    ticket = dialogue.tickets.open_ticket(session, details)
    session.step = "open"
    session.handoff["ref"] = ticket.ref
    reaches = getattr(dialogue.tickets, "reaches_staff", lambda _: True)(ticket)
    if not reaches:
        # Stored, but no staff chat is set up to answer here: the numbers are the way.
        reply.add(
            title("Your enquiry is kept under reference {ref}.", ref=Verbatim(ticket.ref)),
            T("I can't pass enquiries on right now. Please call the hotline:"),
        )
        session.start(None)
        return add_call_buttons(dialogue, session, reply)
    reply.add(
        title("Sent. Your reference is {ref}.", ref=Verbatim(ticket.ref)),
        T(
            "{desk} staff will reply in this chat. {when}",
            desk=Local(ticket.desk.name),
            when=ticket.expectation,
        ),
        T("Anything you type now goes to staff. /cancel_request closes the enquiry."),
    )
    add_call_buttons(dialogue, session, reply)
    return reply


def _relay(dialogue: Dialogue, session: Session, text: str) -> Reply:
    ref = session.handoff.get("ref", "")
    if dialogue.tickets is not None and dialogue.tickets.user_message(session, text):
        return Reply("handoff", handoff=True).add(
            note("Passed to staff ({ref}).", ref=Verbatim(ref))
        )
    session.start(None)
    return Reply("handoff").add(
        T("That enquiry is closed. Tap “Talk to a person” to open a new one.")
    )


def command(dialogue: Dialogue, session: Session, name: str) -> Reply:
    if name == "hotline":
        return hotline(dialogue, session)
    if name == "cancel_request":
        # The stored ticket decides: the session may have moved on since it was opened.
        closed = dialogue.tickets.close_by_user(session) if dialogue.tickets is not None else None
        if session.flow == "handoff":
            session.start(None)
        if closed is not None:
            return Reply("handoff").add(
                T("Enquiry {ref} is closed. Thank you.", ref=Verbatim(closed.ref))
            )
        return Reply("handoff").add(T("You have no open enquiry."))
    if name == "forget":
        if dialogue.tickets is not None:
            dialogue.tickets.forget(session)
        session.handoff = {}
        session.history = []
        session.facts = {}
        session.outcomes = {}
        session.start(None)
        return Reply("help").add(
            T(
                "Done: I have deleted your name, company, phone number and messages. Enquiry records stay, without your personal data."
            )
        )
    return privacy()


def privacy() -> Reply:
    return Reply("help").add(
        title("Your data"),
        T(
            "I keep what you tell me in an enquiry (name, company, phone, place and messages) so hotline staff can reply, and your language choice. This follows Hong Kong's Personal Data (Privacy) Ordinance. /forget deletes your personal data at any time."
        ),
    )
