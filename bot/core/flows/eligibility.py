"""The eligibility conversation: establish the facts that can change the outcome, then
give the verdict with reasons, citations and next steps."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bot.core import places
from bot.core.buttons import Tapped, button
from bot.core.eligibility import WORKSHOP_PROCESSES, Facts, Verdict, assess
from bot.core.reply import Button, Day, Joined, Local, Msg, Reply, T, note, title
from bot.core.session import Session
from bot.core.understand import Understanding

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

ITEM_NAMES = {
    "assessment": T("on-site assessment"),
    "demonstration": T("demonstration project"),
    "verification": T("verification"),
}
PROCESS_NAMES = {
    "spray-coating": T("spray coating and curing"),
    "solvent-cleaning": T("cleaning metal parts with solvents"),
    "engine-testing": T("vehicle engine testing"),
    "other": T("another polluting process"),
}

PROCESS_BUTTONS = {
    "spray-coating": T("Spray coating and curing"),
    "solvent-cleaning": T("Solvent cleaning of metal parts"),
    "engine-testing": T("Vehicle engine testing"),
    "other": T("Another polluting process"),
}


# --- facts kept in the session -----------------------------------------------------------


def current_place(session: Session) -> places.Place | None:
    place_id = session.facts.get("place")
    return places.get(place_id) if place_id else None


def the_day(dialogue: Dialogue, session: Session) -> date:
    raw = session.facts.get("day")
    return date.fromisoformat(raw) if raw else dialogue.default_day


def _day_from(dialogue: Dialogue, u: Understanding) -> date | None:
    """The day a message asks about ("in 2014"), as the first day a phase covers in it."""
    if u.date is None:
        return None
    if u.date.precision == "day":
        return u.date.day
    first = u.date.day
    last = date(first.year, 12, 31) if u.date.precision == "year" else _month_end(first)
    overlapping = [p for p in dialogue.rulebook.phases if p.first_day <= last and p.last_day >= first]
    if not overlapping:
        return first
    return max(first, overlapping[-1].first_day)


def _month_end(day: date) -> date:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def merge(dialogue: Dialogue, session: Session, u: Understanding) -> None:
    """Fold what the message says into the session's facts."""
    facts = session.facts
    if u.place is not None:
        if u.place.place is not None:
            if facts.get("place") != u.place.place.id:
                # A new place is a new case: what was said of the old one no longer holds.
                for key in ("premises", "processes", "no_process", "candidates"):
                    facts.pop(key, None)
            facts["place"] = u.place.place.id
            facts.pop("candidates", None)
        else:
            facts.pop("place", None)
            facts["candidates"] = [p.id for p in u.place.candidates]
    if u.premises:
        facts["premises"] = u.premises
    if u.processes:
        facts["processes"] = sorted(set(facts.get("processes", [])) | set(u.processes))
    if u.hk_owned is not None:
        facts["hk_owned"] = u.hk_owned
    day = _day_from(dialogue, u)
    if day:
        facts["day"] = day.isoformat()
    if u.item:
        facts["item"] = u.item


def facts_of(dialogue: Dialogue, session: Session) -> Facts:
    f = session.facts
    return Facts(
        day=the_day(dialogue, session),
        place=current_place(session),
        place_candidates=tuple(places.get(i) for i in f.get("candidates", [])),
        premises=f.get("premises"),
        processes=frozenset(f.get("processes", [])),
        no_polluting_process=bool(f.get("no_process")),
        hk_owned=f.get("hk_owned"),
    )


# --- entry points -------------------------------------------------------------------------


def start(dialogue: Dialogue, session: Session) -> Reply:
    session.start("eligibility", "place")
    session.facts = {k: v for k, v in session.facts.items() if k == "day"}
    return _ask_place(session, Reply("eligibility"))


def from_text(dialogue: Dialogue, session: Session, u: Understanding) -> Reply:
    if session.flow != "eligibility":
        session.start("eligibility")
        session.facts = {k: v for k, v in session.facts.items() if k == "day"}
    merge(dialogue, session, u)
    return conclude(dialogue, session)


def answer(dialogue: Dialogue, session: Session, u: Understanding) -> Reply | None:
    """A typed answer to the question being asked, or None if it is not one."""
    step = session.step
    if step in ("place", "place_choice") and u.place is not None:
        return from_text(dialogue, session, u)
    if step == "premises" and u.premises:
        return from_text(dialogue, session, u)
    if step == "process" and u.processes:
        return from_text(dialogue, session, u)
    if u.place is not None and step is not None:
        return from_text(dialogue, session, u)
    return None


def on_location(dialogue: Dialogue, session: Session, lat: float, lon: float) -> Reply:
    place = places.place_at(lat, lon)
    if session.flow != "eligibility":
        session.start("eligibility")
        session.facts = {k: v for k, v in session.facts.items() if k == "day"}
    if place is not None and session.facts.get("place") != place.id:
        for key in ("premises", "processes", "no_process", "candidates"):
            session.facts.pop(key, None)
    if place is None:
        session.step = "place"
        reply = Reply("eligibility").add(
            T("That point is outside Guangdong, Hong Kong and Macao as far as I can tell.")
        )
        return _ask_place(session, reply)
    session.facts["place"] = place.id
    session.facts.pop("candidates", None)
    return conclude(dialogue, session, located=True)


def on_tap(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    facts = session.facts
    if tapped.action == "place":
        if tapped.arg not in facts.get("candidates", []):
            return None
        facts["place"] = tapped.arg
        facts.pop("candidates", None)
    elif tapped.action == "premises" and tapped.arg in ("factory", "workshop"):
        facts["premises"] = tapped.arg
    elif tapped.action == "process" and tapped.arg in (*WORKSHOP_PROCESSES, "none"):
        if tapped.arg == "none":
            facts["no_process"] = True
        else:
            facts["processes"] = sorted(set(facts.get("processes", [])) | {tapped.arg})
    elif tapped.action == "owner" and tapped.arg in ("show", "yes", "no"):
        return _ownership(dialogue, session, tapped.arg)
    else:
        return None
    return conclude(dialogue, session)


def place_command(dialogue: Dialogue, session: Session, args: str) -> Reply:
    """/place <name>: which city and province a name is, for staff lookups."""
    if not args.strip():
        return Reply("help").add(T("Usage: /place <name>, e.g. /place 虎門"))
    match = places.find_place(args)
    reply = Reply("eligibility")
    if match is None:
        return reply.add(T("I don't know a place called “{name}”.", name=args.strip()))
    candidates = match.candidates if match.place is None else (match.place,)
    for place in candidates:
        reply.add(_place_line(place))
    return reply


# --- the verdict ----------------------------------------------------------------------------


def conclude(dialogue: Dialogue, session: Session, located: bool = False) -> Reply:
    verdict = assess(facts_of(dialogue, session), dialogue.rulebook)
    reply = Reply("eligibility", phase=verdict.phase.id if verdict.phase else None)
    reply.eligibility = eligibility_json(verdict)
    # The place is known now: close the share-location keyboard if it is still open.
    reply.remove_keyboard = verdict.place is not None
    if located and verdict.place is not None:
        reply.add(T("Your location is in {place}.", place=place_label(verdict.place)))
    if verdict.status == "need_more_info":
        return _ask_next(dialogue, session, verdict, reply)
    session.step = None
    session.outcomes["eligibility"] = reply.eligibility | {
        "phase": reply.phase,
        "phase_name": verdict.phase.name if verdict.phase else None,
        "place_id": verdict.place.id if verdict.place is not None else None,
    }
    _explain(dialogue, session, verdict, reply)
    return reply


def eligibility_json(verdict: Verdict) -> dict[str, Any]:
    place = verdict.place
    return {
        "status": verdict.status,
        "place": None
        if place is None
        else {"city": place.city, "province": place.province, "prd": bool(place.prd)},
        "items": list(verdict.items),
    }


def place_label(place: places.Place) -> Local:
    """"Houjie, Dongguan" / "東莞厚街": the place with its city when it is smaller."""
    texts = {}
    for locale, name in place.name.items():
        city = (place.city_name or {}).get(locale)
        if city and city != name and place.level in ("county", "town"):
            texts[locale] = f"{name}, {city}" if locale == "en" else f"{city}{name}"
        else:
            texts[locale] = name
    return Local(texts)


def _place_line(place: places.Place) -> Msg:
    return T(
        "{place}: {province}; in the Pearl River Delta: {prd}.",
        place=place_label(place),
        province=Local(place.province_name),
        prd=T("yes") if place.prd else T("no"),
    )


def _items(items: tuple[str, ...]) -> Joined:
    return Joined(tuple(ITEMS_FOR_LIST[i] for i in items))


ITEMS_FOR_LIST = ITEM_NAMES


def _phase_values(verdict: Verdict) -> dict[str, Any]:
    phase = verdict.phase
    assert phase is not None
    return {
        "phase": Local(phase.name),
        "start": Day(phase.first_day),
        "end": Day(phase.last_day),
    }


def _explain(dialogue: Dialogue, session: Session, verdict: Verdict, reply: Reply) -> None:
    reason = verdict.reasons[0]
    reply.cite(*verdict.citations)
    if reason.code == "no_phase":
        _no_phase(verdict, reason.values, reply)
        _next_steps(dialogue, session, reply, estimate=False)
        return
    values = _phase_values(verdict)
    place = place_label(verdict.place) if verdict.place is not None else None
    code = reason.code
    if code == "guangdong_all":
        reply.add(title("Yes — {place} is covered.", place=place))
        reply.add(T("Under the {phase} ({start} to {end}) Hong Kong-owned factories anywhere in Guangdong can apply.", **values))
        if not reason.values.get("prd"):
            reply.add(T("Outreach stays focused on the nine Pearl River Delta cities, but factories elsewhere in Guangdong are eligible too."))
    elif code == "prd_city":
        reply.add(title("Yes — {place} is covered.", place=place))
        reply.add(T("{place} is in one of the nine Pearl River Delta cities that the {phase} ({start} to {end}) covers.", place=place, **values))
    elif code == "outside_prd":
        reply.add(title("No — not under the {phase}.", **values))
        reply.add(T("From {start} to {end} the programme covered Hong Kong and the nine Pearl River Delta cities only, and {place} is outside them.", place=place, **values))
        later = _later_all_guangdong(dialogue, verdict)
        if later is not None:
            reply.add(T("The {phase} from {start} covers all of Guangdong.", phase=Local(later.name), start=Day(later.first_day)))
            reply.cite(*later["scope.guangdong"].citations)
    elif code == "outside_guangdong":
        reply.add(title("No — {place} is outside Guangdong.", place=place))
        if verdict.place.level == "country" or verdict.place.province_name == verdict.place.name:
            reply.add(T("The programme funds factories in Hong Kong and Guangdong only."))
        else:
            reply.add(T("{place} is in {province}. The programme funds factories in Hong Kong and Guangdong only.", place=place, province=Local(verdict.place.province_name)))
    elif code == "hk_factory":
        reply.add(title("Yes — Hong Kong factories are covered."))
        reply.add(T("A Hong Kong-owned factory in {place} can apply under the {phase} ({start} to {end}).", place=place, **values))
    elif code in ("hk_workshop", "hk_workshop_other"):
        reply.add(title("Yes, for demonstration projects only."))
        named = [p for p in reason.values["processes"] if p != "other"]
        if named:
            processes = Joined(tuple(PROCESS_NAMES[p] for p in named))
            reply.add(T("Under the {phase} ({start} to {end}) a Hong Kong workshop with polluting processes such as {processes} can apply for demonstration projects, but not for the other items.", processes=processes, **values))
        else:
            reply.add(T("Under the {phase} ({start} to {end}) a Hong Kong workshop with polluting processes can apply for demonstration projects, but not for the other items.", **values))
        if code == "hk_workshop_other":
            reply.add(T("The paper lists spray coating and curing, solvent cleaning of metal parts and vehicle engine testing, and ends with “etc.”, so other polluting processes are judged case by case. Staff can tell you whether yours counts."))
    elif code == "hk_workshop_closed":
        reply.add(title("No — workshops were not covered under the {phase}.", **values))
        later = _later_workshops(dialogue, verdict)
        if later is not None:
            reply.add(T("From {start}, under the {phase}, Hong Kong workshops with polluting processes can apply for demonstration projects.", phase=Local(later.name), start=Day(later.first_day)))
    elif code == "hk_workshop_clean":
        reply.add(title("Probably not."))
        reply.add(T("Hong Kong workshops can join only for demonstration projects that deal with polluting processes. Without one, the programme does not cover a workshop."))
    elif code == "not_hk_owned":
        reply.add(title("No — the programme is for Hong Kong-owned factories."))
        reply.add(T("Only factories owned by Hong Kong companies can apply. Staff can check borderline cases."))
    if verdict.items:
        reply.add(T("Open to you: {items}.", items=_items(verdict.items)))
        reply.add(note("Please note: the programme's later guidelines (not the 2012 paper) also ask that the applicant is a company registered in Hong Kong under the Business Registration Ordinance (Cap. 310) with one of four ownership links to the factory."))
        reply.cite("fact sheet")
    _next_steps(dialogue, session, reply, estimate=bool(verdict.items), ownership=bool(verdict.items))


def _no_phase(verdict: Verdict, values: dict[str, Any], reply: Reply) -> None:
    before, after = values.get("before"), values.get("after")
    reply.add(title("No phase of the programme is open on that day."))
    if before is not None:
        reply.add(T("The {phase} ran from {start} to {end}.", phase=Local(before.name), start=Day(before.first_day), end=Day(before.last_day)))
    if after is not None:
        reply.add(T("The {phase} runs from {start} to {end}.", phase=Local(after.name), start=Day(after.first_day), end=Day(after.last_day)))
    if before is not None and after is not None:
        reply.add(T("The paper names no phase open for applications between them."))


def _later_all_guangdong(dialogue: Dialogue, verdict: Verdict) -> Any:
    assert verdict.phase is not None
    return next(
        (p for p in dialogue.rulebook.phases
         if p.first_day > verdict.phase.last_day and p["scope.guangdong"].value == "all-cities"),
        None,
    )


def _later_workshops(dialogue: Dialogue, verdict: Verdict) -> Any:
    assert verdict.phase is not None
    return next(
        (p for p in dialogue.rulebook.phases
         if p.first_day > verdict.phase.last_day and p["scope.hong_kong_workshop_items"].value),
        None,
    )


def _next_steps(dialogue: Dialogue, session: Session, reply: Reply, estimate: bool, ownership: bool = False) -> None:
    g = session.generation
    row = []
    if estimate:
        row.append(button(T("Estimate my subsidy"), g, "menu", "subsidy"))
    row.append(button(T("Talk to a person"), g, "menu", "person"))
    reply.row(*row)
    last = [button(T("Main menu"), g, "menu", "home")]
    if ownership:
        last.insert(0, button(T("Ownership rules"), g, "owner", "show"))
    reply.row(*last)


def _ownership(dialogue: Dialogue, session: Session, choice: str) -> Reply:
    reply = Reply("eligibility").cite("fact sheet")
    g = session.generation
    if choice == "show":
        reply.add(
            title("Ownership links (from the later guidelines)"),
            T("The applicant is a Hong Kong company (Cap. 310) and its Guangdong factory is run by one of:"),
            T("1. a joint venture or co-operative venture the Hong Kong company is party to;"),
            T("2. a wholly foreign-owned enterprise of the Hong Kong company;"),
            T("3. a mainland enterprise with a processing or compensation-trade contract (三來一補) with the Hong Kong company;"),
            T("4. a mainland enterprise more than half owned by a Hong Kong resident who also holds at least 30 per cent of the Hong Kong applicant."),
            T("In Hong Kong, the company owns and runs the factory or workshop itself."),
            T("Does one of these fit your company?"),
        )
        reply.row(button(T("Yes, one fits"), g, "owner", "yes"), button(T("None fits"), g, "owner", "no"))
        return reply
    if choice == "yes":
        session.facts["hk_owned"] = True
        reply.add(T("Good — then the verdict above stands. Staff confirm the details when you apply."))
        _next_steps(dialogue, session, reply, estimate=True)
        return reply
    session.facts["hk_owned"] = False
    verdict = assess(facts_of(dialogue, session), dialogue.rulebook)
    reply.eligibility = eligibility_json(verdict)
    reply.phase = verdict.phase.id if verdict.phase else None
    reply.add(T("Then the factory probably cannot apply: the programme is for Hong Kong-owned factories. Staff can look at unusual arrangements."))
    reply.cite(*verdict.citations)
    _next_steps(dialogue, session, reply, estimate=False)
    return reply


# --- questions ----------------------------------------------------------------------------


def _ask_next(dialogue: Dialogue, session: Session, verdict: Verdict, reply: Reply) -> Reply:
    missing = verdict.missing[0]
    g = session.generation
    if missing == "place_choice":
        session.step = "place_choice"
        reply.add(T("Which place do you mean?"))
        for place in facts_of(dialogue, session).place_candidates:
            reply.row(button(place_label(place), g, "place", place.id))
        return reply
    if missing == "place":
        if session.facts.get("place"):  # a province alone: which city?
            reply.add(T("Which city in Guangdong? Under the {phase} only the nine Pearl River Delta cities are covered.", **_phase_values(verdict)))
            reply.cite(*verdict.citations)
            session.step = "place"
            return reply
        return _ask_place(session, reply)
    if missing == "premises":
        session.step = "premises"
        reply.add(T("Is it a factory, or a workshop (for example a car repair shop) in Hong Kong?"))
        reply.row(
            button(T("A factory"), g, "premises", "factory"),
            button(T("A workshop"), g, "premises", "workshop"),
        )
        return reply
    session.step = "process"
    reply.add(T("Which polluting process does the workshop have?"))
    for process in WORKSHOP_PROCESSES:
        reply.row(button(PROCESS_BUTTONS[process], g, "process", process))
    reply.row(button(T("None of these"), g, "process", "none"))
    return reply


def _ask_place(session: Session, reply: Reply) -> Reply:
    session.step = "place"
    reply.add(T("Where is the factory? Type the city, district or town (e.g. 東莞虎門, Shunde, Kwun Tong), or share your location."))
    reply.keyboard = [[Button(T("Share my location"), request="location")]]
    return reply
