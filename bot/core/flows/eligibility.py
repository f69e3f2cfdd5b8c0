"""Verdicts in words: each outcome of ``bot.core.verdict`` as a few short lines with its
sources, the ownership rules behind a button, and the staff ``/place`` lookup."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bot.core import places
from bot.core.reply import (
    Day,
    Joined,
    Local,
    Money,
    Msg,
    Reply,
    Share,
    T,
    Verbatim,
    Year,
    note,
    title,
)
from bot.core.rules import Phase
from bot.core.sectors import load_sectors, trade_named
from bot.core.verdict import Verdict

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

ITEM_NAMES = {
    "assessment": T("on-site assessments"),
    "demonstration": T("demonstration projects"),
    "verification": T("verification"),
    "technology": T("projects adopting new cleaner production technologies"),
}
# One item, for "the government pays half the cost of {item}", "what does {item} cost?".
ITEM_ONE = {
    "assessment": T("an on-site assessment"),
    "demonstration": T("a demonstration project"),
    "verification": T("verification"),
    "technology": T("a new-technology project"),
}
PROCESS_NAMES = {
    "spray-coating": T("spray coating and curing"),
    "solvent-cleaning": T("cleaning metal parts with solvents"),
    "engine-testing": T("vehicle engine testing"),
    "printing": T("printing"),
    "electroplating": T("electroplating"),
    "dyeing": T("dyeing"),
    "solvents": T("work with solvents"),
    "welding": T("welding"),
    "woodwork": T("woodwork"),
    "unnamed": T("your process"),
}


# --- places and phases in words -------------------------------------------------------------


def place_label(place: places.Place) -> Local:
    """ "Houjie, Dongguan" / "東莞厚街": the place with its city when it is smaller."""
    texts = {}
    for locale, name in place.name.items():
        city = (place.city_name or {}).get(locale)
        if city and city != name and place.level in ("county", "town"):
            texts[locale] = f"{name}, {city}" if locale == "en" else f"{city}{name}"
        elif place.level == "hk-area" and name != (place.province_name or {}).get(locale):
            hk = (place.province_name or {}).get(locale, "")
            texts[locale] = f"{name}, {hk}" if locale == "en" else f"{hk}{name}"
        else:
            texts[locale] = name
    return Local(texts)


def place_with_province(place: places.Place) -> Local:
    """ "Suzhou, Jiangsu" / "江蘇蘇州": for choices whose names alone look alike."""
    base = place_label(place).texts
    texts = {}
    for locale, name in base.items():
        province = (place.province_name or {}).get(locale, "")
        texts[locale] = f"{name}, {province}" if locale == "en" else f"{province}{name}"
    return Local(texts)


def place_with_county(place: places.Place) -> Local:
    """ "Taiping, Qingxin, Qingyuan" / "清遠市清新區太平鎮": for two towns of one name in one
    city."""
    parent = places.get(place.ancestors[0]) if place.ancestors else None
    if parent is None or parent.level != "county" or place.level != "town":
        return place_with_province(place)
    texts = {}
    for locale, name in place.name.items():
        county = parent.name.get(locale, "")
        city = (place.city_name or {}).get(locale, "")
        texts[locale] = f"{name}, {county}, {city}" if locale == "en" else f"{city}{county}{name}"
    return Local(texts)


def period(phase: Phase) -> Msg:
    """ "1 April 2013 to 31 March 2015"; "2025 to 2027" where the sources give years only."""
    start: Any = (
        Day(phase.start.day) if phase.start.precision == "day" else Year(phase.start.day.year)
    )
    end: Any = Day(phase.end.day) if phase.end.precision == "day" else Year(phase.end.day.year)
    return T("{start} to {end}", start=start, end=end)


def phase_values(phase: Phase) -> dict[str, Any]:
    return {"phase": Local(phase.name), "period": period(phase)}


def items_list(items: tuple[str, ...] | list[str]) -> Joined:
    return Joined(tuple(ITEM_NAMES[i] for i in items))


def secretariat_line(dialogue: Dialogue, reply: Reply) -> Reply:
    contacts = dialogue.contacts
    # once a reply: several items' caps in one answer each end with it
    reply.add_once(
        T(
            "The programme secretariat can tell you: {phone}, {website}.",
            phone=Verbatim(contacts.phone.value),
            website=Verbatim(contacts.website.value),
        )
    )
    reply.cite(*contacts.phone.citations)
    return reply


# --- a verdict ------------------------------------------------------------------------------


# Outcomes said in full once: asked again in the next message, a short reminder.
SAID_ONCE = frozenset({"hk_factory_unstated", "hk_workshop_unstated", "other_firms_factory"})


# The items a Hong Kong workshop never had: only demonstration projects were (para 18, W7)
NOT_FOR_WORKSHOPS = ("assessment", "verification")


def workshop_item_note(dialogue: Dialogue, verdict: Verdict, item: str, reply: Reply) -> None:
    """The item asked for a Hong Kong workshop, where the phases that name workshops funded
    demonstration projects only."""
    phase = verdict.phase
    if phase is None:
        return
    book = dialogue.rulebook
    named = [
        p
        for p in book.phases
        if p.last_day < phase.first_day and p.stated("scope.hong_kong_workshop_items")
    ]
    if not named:
        return
    reply.add(
        T(
            "The earlier phases that took Hong Kong workshops funded only their demonstration projects, not {item}.",
            item=ITEM_NAMES[item],
        )
    )
    for earlier in named:
        reply.cite(*earlier["scope.hong_kong_workshop_items"].citations)


def explain(
    dialogue: Dialogue,
    verdict: Verdict,
    reply: Reply,
    day: date,
    several: bool = False,
    again: bool = False,
    item: str | None = None,
) -> None:
    """The verdict's lines: a title, one or two reasons, what is open. ``item``: the
    funding item the case asks about, if any."""
    code = verdict.code
    reply.cite(*verdict.citations)
    place = place_label(verdict.place) if verdict.place is not None else None
    phase = verdict.phase
    if code in ("no_phase", "before_programme", "beyond_sources"):
        _outside_phases(dialogue, verdict, reply)
        return
    assert phase is not None
    values = phase_values(phase)
    book = dialogue.rulebook
    ownership = phase.stated("ownership")
    opens = phase.stated("applications_from")
    not_open_yet = opens is not None and day < opens
    if code in ("guangdong_all", "prd_city"):
        if not_open_yet:
            # "Can we apply now?" before the phase invites applications: not "yes" (W4, W5)
            reply.add(
                title(
                    "{place} is covered, but applications for the {phase} open only on {day}.",
                    place=place,
                    phase=Local(phase.name),
                    day=Day(opens),
                )
            )
            reply.cite(*phase["applications_from"].citations)
        else:
            reply.add(title("Yes — {place} is covered.", place=place))
        if code == "prd_city":
            reply.add(
                T(
                    "{place} is in the Pearl River Delta, which the {phase} ({period}) covers.",
                    place=place,
                    **values,
                )
            )
        elif ownership == "links":
            reply.add(
                T(
                    "Under the {phase} ({period}), a company registered in Hong Kong can apply for its factory anywhere in Guangdong.",
                    **values,
                )
            )
        else:
            reply.add(
                T(
                    "Under the {phase} ({period}), Hong Kong-owned factories anywhere in Guangdong can apply.",
                    **values,
                )
            )
        if (
            code == "guangdong_all"
            and not verdict.reason.values.get("prd")
            and phase.stated("outreach.prd_focus")
        ):
            reply.add(
                T(
                    "Outreach stays focused on the Pearl River Delta, but factories elsewhere in Guangdong are eligible too."
                )
            )
            reply.cite(*phase["outreach.prd_focus"].citations)
    elif code == "outside_prd":
        reply.add(title("No — not under the {phase}.", **values))
        reply.add(
            T(
                "The {phase} ({period}) covered Hong Kong and the Pearl River Delta cities only, and {place} is outside them.",
                place=place,
                **values,
            )
        )
        later = next(
            (
                p
                for p in book.phases
                if p.first_day > phase.last_day and p.stated("scope.guangdong") == "all-cities"
            ),
            None,
        )
        today = dialogue.default_day()
        if later is not None and later.proposal is not None and today < later.first_day:
            # Not yet proposed on that day (in 2010 no extension was planned): unsaid.
            if later.proposed_by(today):
                reply.add(
                    T(
                        "The {phase} proposed from {start} would cover all of Guangdong, if the Finance Committee approves its funding.",
                        phase=Local(later.name),
                        start=Day(later.first_day),
                    )
                )
                reply.cite(*later["scope.guangdong"].citations, *later.proposal.citations)
        elif later is not None:
            reply.add(
                T(
                    "The {phase} from {start} covers all of Guangdong.",
                    phase=Local(later.name),
                    start=Day(later.first_day),
                )
            )
            reply.cite(*later["scope.guangdong"].citations)
    elif code == "outside_guangdong":
        reply.add(title("No — {place} is outside Guangdong.", place=place))
        assert verdict.place is not None
        if not (
            verdict.place.level in ("country", "province")
            or verdict.place.province_name == verdict.place.name
            or _namesake_elsewhere(verdict.place)
        ):
            reply.add(
                T(
                    "{place} is in {province}.",
                    place=place,
                    province=Local(verdict.place.province_name),
                )
            )
        _scope_line(phase, values, reply)
    elif code == "not_hk_owned":
        _not_hk_owned(verdict, ownership, reply)
    elif code == "no_factory":
        reply.add(title("Then the company cannot apply."))
        reply.add(
            T(
                "The programme pays for work at a factory in Guangdong or Hong Kong, or at a Hong Kong workshop with polluting processes; a trading office on its own does not qualify."
            )
        )
        if ownership == "links":
            reply.add(
                T("Buying from a factory is not enough: it has to be linked to your company.")
            )
            links_line(phase, reply)
    elif code == "hk_company_planned":
        link = verdict.reason.values.get("link")
        if ownership == "links" and link:
            reply.add(title("That would work, if it is set up that way."))
            if link == "resident" and resident_shares(phase):
                resident_met_line(phase, reply)
            else:
                reply.add(_PLANNED_LINKS.get(link, _PLANNED_LINKS["sole"]))
            reply.add(
                T(
                    "That company, registered in Hong Kong, would then be the applicant; where the factory is and which items are open still decide the rest."
                )
            )
        elif ownership == "links":
            reply.add(
                title("A Hong Kong company can be the applicant, if it is linked to the factory.")
            )
            links_line(phase, reply)
            # "公司未註冊，下個月先搞BR": not yet; once registered (W7)
            reply.add(
                T(
                    "The applicant is a company registered in Hong Kong under the Business Registration Ordinance (Cap. 310): a company not yet registered can apply once it is, with one of these links."
                )
            )
        else:
            reply.add(
                title("A Hong Kong company can be the applicant, if it is linked to the factory.")
            )
            reply.add(
                T(
                    "The programme is for Hong Kong-owned factories: the new company would have to own and run the factory."
                )
            )
        reply.add(T("Staff can look at unusual arrangements."))
    elif code == "other_firms_factory" and again:
        pass  # said once: the question alone follows
    elif code == "other_firms_factory":
        reply.add(title("That depends on the factory's link to your company."))
        if ownership == "links":
            reply.add(
                T(
                    "A supplier's or customer's factory counts only through a link to your Hong Kong company, which is then the applicant."
                )
            )
            links_line(phase, reply)
        else:
            reply.add(
                T(
                    "The programme is for Hong Kong-owned factories: a supplier's or customer's factory counts only if a Hong Kong company owns and runs it."
                )
            )
    elif code == "need_own_factory":
        reply.add(
            T(
                "The programme pays for work at factories (and at Hong Kong workshops with polluting processes), not at offices."
            )
        )
    elif code == "not_in_guangdong":
        _scope_line(phase, values, reply)
        reply.cite(*phase["scope.guangdong"].citations)
    elif code == "ownership_resident":
        shares = resident_shares(phase)
        if shares:
            reply.add(
                T(
                    "A Hong Kong resident's Mainland enterprise qualifies through a company registered in Hong Kong that applies: the resident holds more than {mainland} of the Mainland enterprise and at least {hk} of the Hong Kong company.",
                    **shares,
                )
            )
        else:
            reply.add(
                T(
                    "A Hong Kong resident's Mainland enterprise qualifies through a company registered in Hong Kong that applies; our sources for this phase do not give the shares the resident must hold."
                )
            )
    elif code == "resident_no_hk_company":
        reply.add(
            title("Not as things stand: the applicant has to be a company registered in Hong Kong.")
        )
        shares = resident_shares(phase)
        if shares:
            reply.add(
                T(
                    "A Hong Kong resident's Mainland enterprise takes part through a Hong Kong company that applies, in which the resident holds at least {hk} (and more than {mainland} of the Mainland enterprise). Without a Hong Kong company, there is no one to apply yet.",
                    **shares,
                )
            )
        reply.add(
            T(
                "If you set one up, these links would make its application possible; staff can check your arrangement."
            )
        )
        links_line(phase, reply)
    elif code == "resident_share_short":
        given = verdict.reason.values
        held, needed = percent(given["held"]), percent(given["needed"])
        reply.add(title("No — not through the Hong Kong resident's link."))
        if given["company"] == "mainland":
            reply.add(
                T(
                    "That link needs the resident to hold more than {needed} of the Mainland enterprise; {held} is not enough.",
                    needed=needed,
                    held=held,
                )
            )
        else:
            reply.add(
                T(
                    "That link needs the resident to hold at least {needed} of the Hong Kong company that applies; {held} is not enough.",
                    needed=needed,
                    held=held,
                )
            )
        reply.add(
            T(
                "The factory may still qualify through another link: a joint venture or co-operative enterprise with the Hong Kong company, a wholly foreign-owned enterprise solely owned by it, or a processing contract with it. Staff can check."
            )
        )
    elif code == "ownership_unclear" and (
        verdict.reason.values.get("hk_company") or not verdict.reason.values.get("foreign_invested")
    ):
        # "我哋同內地伙伴開咗間合資廠": which company is the partner, and how it holds it
        if verdict.reason.values.get("resident_gone"):
            reply.add(
                T(
                    "Not through the shares held: that link needs a shareholder who is a Hong Kong resident."
                )
            )
        reply.add(
            T(
                "A company registered in Hong Kong can apply for a factory it is linked to, so which company owns the factory, and how, decides."
            )
        )
    elif code == "ownership_unclear":
        reply.add(
            T(
                "“Foreign-invested” on the Mainland includes Hong Kong-owned firms, so that alone does not settle it."
            )
        )
    elif code == "ownership_unsure":
        reply.add(title("Staff can check your ownership."))
        reply.add(
            T(
                "Whether your company's link to the factory qualifies is for the programme staff to confirm."
            )
        )
    elif code == "hk_factory":
        reply.add(title("Yes — Hong Kong factories are covered."))
        reply.add(
            T(
                "A factory in {place} owned and run by a Hong Kong company can apply under the {phase} ({period}).",
                place=place,
                **values,
            )
        )
    elif code in ("hk_factory_unstated", "hk_workshop_unstated") and again:
        reply.add(
            T(
                "As above: our sources for the {phase} do not say whether this is still open, so I cannot confirm it or give a figure.",
                **values,
            )
        )
        if code == "hk_workshop_unstated" and item in NOT_FOR_WORKSHOPS:
            # "評估得唔得？": the phases that name workshops never funded it for them
            workshop_item_note(dialogue, verdict, item, reply)
        secretariat_line(dialogue, reply)
    elif code in ("hk_factory_unstated", "hk_workshop_unstated"):
        reply.add(title("I can't confirm that."))
        kind = (
            "scope.hong_kong_factories"
            if code == "hk_factory_unstated"
            else "scope.hong_kong_workshop_items"
        )
        if code == "hk_factory_unstated":
            reply.add(
                T(
                    "Our sources for the {phase} do not say whether factories in Hong Kong can still apply.",
                    **values,
                )
            )
        else:
            reply.add(
                T(
                    "Our sources for the {phase} do not say whether Hong Kong workshops can still apply.",
                    **values,
                )
            )
        earlier = next(
            (p for p in reversed(book.phases) if p.last_day < phase.first_day and p.stated(kind)),
            None,
        )
        if earlier is not None and code == "hk_workshop_unstated":
            # para 18, W7: a workshop's item was the demonstration project alone
            reply.add(
                T(
                    "They could under the {phase} ({period}), for demonstration projects only.",
                    **phase_values(earlier),
                )
            )
            reply.cite(*earlier[kind].citations)
        elif earlier is not None:
            reply.add(T("They could under the {phase} ({period}).", **phase_values(earlier)))
            reply.cite(*earlier[kind].citations)
        if code == "hk_workshop_unstated" and item in NOT_FOR_WORKSHOPS:
            workshop_item_note(dialogue, verdict, item, reply)
        secretariat_line(dialogue, reply)
    elif code == "hk_workshop":
        reply.add(title("Yes, for demonstration projects only."))
        processes = Joined(tuple(PROCESS_NAMES[p] for p in verdict.reason.values["processes"]))
        reply.add(
            T(
                "Under the {phase} ({period}), a Hong Kong workshop with a polluting process such as {processes} can apply for demonstration projects, but not for the other items.",
                processes=processes,
                **values,
            )
        )
    elif code == "hk_workshop_other":
        reply.add(title("Possibly — staff decide."))
        named = Joined(tuple(PROCESS_NAMES[p] for p in phase.stated("workshop.processes") or ()))
        processes = Joined(
            tuple(
                PROCESS_NAMES.get(p, PROCESS_NAMES["unnamed"])
                for p in verdict.reason.values["processes"]
            )
        )
        reply.add(
            T(
                "Hong Kong workshops can apply for demonstration projects if they have a polluting process. The sources name {named}, and the list ends with “etc.”: whether {processes} counts is for the staff to decide.",
                named=named,
                processes=processes,
            )
        )
    elif code == "hk_workshop_clean":
        reply.add(title("Probably not."))
        reply.add(
            T(
                "Hong Kong workshops can join only for demonstration projects that deal with a polluting process."
            )
        )
    elif code == "hk_workshop_closed":
        reply.add(title("No — workshops were not covered under the {phase}.", **values))
        later = next(
            (
                p
                for p in book.phases
                if p.first_day > phase.last_day and p.stated("scope.hong_kong_workshop_items")
            ),
            None,
        )
        if later is not None:
            reply.add(
                T(
                    "From {start}, under the {phase}, Hong Kong workshops with polluting processes can apply for demonstration projects.",
                    phase=Local(later.name),
                    start=Day(later.first_day),
                )
            )
            reply.cite(*later["scope.hong_kong_workshop_items"].citations)
    elif code in ("need_place", "need_place_choice") and not phase.covers(dialogue.default_day()):
        reply.add(T("On that day the {phase} ({period}) was open.", **values))
    if code == "need_place" and verdict.reason.values.get("resident_met"):
        # "如果改成30%呢" after 25%: the shares now meet link 1(d); where it is decides
        resident_met_line(phase, reply)
    elif code == "need_city":
        reply.add(
            T(
                "Under the {phase} ({period}) only the Pearl River Delta cities are covered, so the city decides.",
                **values,
            )
        )
    if verdict.items:
        _open_items(verdict, phase, reply)
    said_opening = code in ("guangdong_all", "prd_city") and not_open_yet
    _phase_notes(dialogue, phase, day, reply, said_opening)


def _open_items(verdict: Verdict, phase: Phase, reply: Reply) -> None:
    if phase.stated("condition.technology_list") and "technology" in verdict.items:
        reply.add(
            T(
                "Open to you: projects adopting new cleaner production technologies that are on the programme's technology list or meet its approval criteria (staff have the list)."
            )
        )
        reply.cite(*phase["condition.technology_list"].citations)
    else:
        reply.add(T("Open to you: {items}.", items=items_list(verdict.items)))
    reply.cite(*phase["items"].citations)
    if verdict.items_unstated and verdict.status == "eligible":
        reply.add(
            T(
                "Our sources for this phase do not say whether it also funds {items}.",
                items=items_list(verdict.items_unstated),
            )
        )


def _phase_notes(
    dialogue: Dialogue, phase: Phase, day: date, reply: Reply, said_opening: bool = False
) -> None:
    """What the sources leave open about the phase on this day."""
    today = dialogue.default_day()
    if phase.proposal is not None and today < phase.first_day:
        reply.add(
            note(
                "On {today} the {phase} is a proposal: it starts only if the Finance Committee approves its funding.",
                today=Day(today),
                phase=Local(phase.name),
            )
        )
        reply.cite(*phase.proposal.citations)
    opens = phase.stated("applications_from")
    if opens is not None and day < opens and not said_opening:
        reply.add(
            note(
                "Applications for the {phase} were invited from {day}.",
                phase=Local(phase.name),
                day=Day(opens),
            )
        )
        reply.cite(*phase["applications_from"].citations)
    end_unstated_note(phase, day, reply)


def end_unstated_note(phase: Phase, day: date, reply: Reply) -> None:
    """A day in the last year of a phase whose last day the sources do not give: said once
    a reply, for a verdict or an estimate alike."""
    if not phase.end_uncertain or day.year != phase.end.day.year:
        return
    line = note(
        "The sources say the {phase} runs until {year} but give no last day: please check with the secretariat that it is still open.",
        phase=Local(phase.name),
        year=Year(phase.end.day.year),
    )
    if reply.add_once(line):
        reply.cite(*phase.end.citations)


def _namesake_elsewhere(place: places.Place) -> bool:
    """Another place of the same name and level in another province ("Suzhou": Jiangsu's
    and Anhui's): which one was meant is not known, so no province is named."""
    return any(
        other.id != place.id and other.level == place.level and other.province != place.province
        for other in places.lookup(place.name["en"])
    )


def _scope_line(phase: Phase, values: dict[str, Any], reply: Reply) -> None:
    """Where the programme funds factories, as the phase's sources say it: Hong Kong
    factories only where they are stated (not for 2015–2020 or 2025–2027)."""
    if phase.stated("scope.hong_kong_factories"):
        reply.add(T("The programme funds factories in Guangdong and Hong Kong only."))
    else:
        reply.add(
            T(
                "The {phase} funds factories in Guangdong; our sources for it do not say whether factories in Hong Kong can apply too.",
                **values,
            )
        )
        reply.cite(*phase["scope.guangdong"].citations)


def _not_hk_owned(verdict: Verdict, ownership: str | None, reply: Reply) -> None:
    owner = verdict.reason.values.get("owner")
    reply.add(title("No — the factory has to be Hong Kong-owned."))
    if ownership == "links":
        if owner == "mainland":
            reply.add(
                T(
                    "A Mainland enterprise cannot apply on its own: the applicant is a company registered in Hong Kong. A Hong Kong company linked to your factory may be able to apply."
                )
            )
            if verdict.phase is not None:
                links_line(verdict.phase, reply)  # link 1(d)'s shares from the phase's data
        else:
            reply.add(
                T(
                    "The applicant has to be a company registered in Hong Kong with an ownership link to the factory; a factory owned by a company from elsewhere does not qualify on that basis."
                )
            )
            if verdict.phase is not None:
                links_line(verdict.phase, reply)
    else:
        reply.add(T("The programme is for Hong Kong-owned factories."))
    reply.add(T("Staff can look at unusual arrangements."))


def _outside_phases(dialogue: Dialogue, verdict: Verdict, reply: Reply) -> None:
    values = verdict.reason.values
    code = verdict.code
    if code == "beyond_sources":
        last = values["last"]
        reply.add(title("I can't confirm the current rules."))
        reply.add(
            T(
                "My sources describe the programme up to the {phase} ({period}) and name no later phase.",
                **phase_values(last),
            )
        )
        secretariat_line(dialogue, reply)
        return
    if code == "before_programme":
        first = values["first"]
        reply.add(title("The programme had not started then."))
        reply.add(T("It began on {start}.", start=Day(first.first_day)))
        return
    no_phase_lines(values.get("before"), values.get("after"), reply)


def phase_open_on(dialogue: Dialogue, day: date, reply: Reply) -> None:
    """ "Which phase is open now?" on a day before the latest phase: the phase that covers
    it (and when it invites applications, if that is still ahead), or none."""
    book = dialogue.rulebook
    phase = book.phase_at(day)
    if phase is None:
        before, after = book.neighbours(day)
        no_phase_lines(before, after, reply)
        reply.cite(*(before or after or book.first()).start.citations)
        return
    reply.add(
        title("On {day}, the {phase} ({period}) is open.", day=Day(day), **phase_values(phase))
    )
    reply.cite(*phase.start.citations, *phase.end.citations)
    opens = phase.stated("applications_from")
    if opens is not None and day < opens:
        reply.add(
            T(
                "It invites applications from {day}.",
                day=Day(opens),
            )
        )
        reply.cite(*phase["applications_from"].citations)


def phase_now_on_another_day(dialogue: Dialogue, reply: Reply) -> bool:
    """The entry on the phase open now is written for the real present; on another rules
    day (--date, RULES_DATE) before the latest phase, that day's phase answers it. True
    when it did."""
    book, today = dialogue.rulebook, dialogue.default_day()
    if book.phase_at(today) is book.latest() or book.beyond_sources(today):
        return False
    phase_open_on(dialogue, today, reply)
    return True


def no_phase_lines(before: Phase | None, after: Phase | None, reply: Reply) -> None:
    reply.add(title("No phase of the programme is open on that day."))
    if before is not None:
        reply.add(
            T(
                "The {phase} ran from {start} to {end}.",
                phase=Local(before.name),
                start=Day(before.first_day),
                end=Day(before.last_day),
            )
        )
    if after is not None:
        end: Any = Day(after.last_day) if after.end.precision == "day" else Year(after.end.day.year)
        reply.add(
            T(
                "The {phase} runs from {start} to {end}.",
                phase=Local(after.name),
                start=Day(after.first_day),
                end=end,
            )
        )
    if before is not None and after is not None:
        reply.add(T("The sources name no phase open for applications between them."))


# --- the ownership rules, behind a button ---------------------------------------------------


def ownership_rules(phase: Phase | None, reply: Reply) -> Reply:
    rule = phase.stated("ownership") if phase else None
    if rule != "links":
        reply.add(title("Who can apply"), T("The programme is for Hong Kong-owned factories."))
        if phase is not None:
            reply.cite(*phase["ownership"].citations)
        return reply
    reply.add(
        title("Who can apply"),
        T(
            "A company registered in Hong Kong (Business Registration Ordinance, Cap. 310). Its Guangdong factory is owned and run by one of:"
        ),
        T(
            "1. a joint venture or co-operative enterprise of a Mainland enterprise and the Hong Kong company;"
        ),
        T("2. a wholly foreign-owned enterprise solely owned by the Hong Kong company;"),
        T(
            "3. a Mainland enterprise with a processing contract (三來一補) with the Hong Kong company;"
        ),
        _fourth_link(phase),
    )
    assert phase is not None
    if phase.stated("scope.hong_kong_factories"):
        reply.add(T("A factory in Hong Kong is owned and run by the Hong Kong company itself."))
    else:
        # 2015–2020 and 2025–2027: the sources do not confirm Hong Kong factories (W9)
        reply.add(
            T(
                "Our sources for the {phase} do not say whether factories in Hong Kong can still apply.",
                phase=Local(phase.name),
            )
        )
    return reply.cite(*phase["ownership"].citations)


def _fourth_link(phase: Phase | None) -> Msg:
    if shares := resident_shares(phase):
        return T(
            "4. a Mainland enterprise in which a Hong Kong resident holds more than {mainland}, who also holds at least {hk} of the Hong Kong company.",
            **shares,
        )
    return T(
        "4. a Mainland enterprise with a Hong Kong resident as a major shareholder, who also holds shares of the Hong Kong company."
    )


def percent(value: Fraction) -> Verbatim:
    """A shareholding as people write it: "50%", "30%"."""
    number = value * 100
    text = str(number.numerator) if number.denominator == 1 else f"{float(number):g}"
    return Verbatim(f"{text}%")


def buyers_note(dialogue: Dialogue, day: date, reply: Reply) -> None:
    """ "We have customers in Hong Kong": where the buyers are decides nothing; the
    factory's place and its owner do."""
    phase = dialogue.rulebook.phase_at(day) or dialogue.rulebook.latest()
    reply.add(
        T(
            "Where your customers are does not decide it: what counts is where the factory is and who owns and runs it."
        )
    )
    if phase.stated("ownership") == "links":
        reply.add(
            T("The applicant is a company registered in Hong Kong that is linked to the factory.")
        )
        links_line(phase, reply)
    else:
        reply.add(T("The programme is for Hong Kong-owned factories."))
    reply.cite(*phase["ownership"].citations)


# The link a Hong Kong company still to be set up would have to the factory (W7, W9).
_PLANNED_LINKS = {
    "contract": T(
        "A processing (三來一補) contract between the Hong Kong company and the factory is one of the links the programme accepts."
    ),
    "venture": T(
        "A joint venture or co-operative enterprise with the Hong Kong company is one of the links the programme accepts."
    ),
    "sole": T(
        "A factory solely owned by the Hong Kong company is one of the links the programme accepts."
    ),
}


def resident_met_line(phase: Phase, reply: Reply) -> None:
    """The shares said meet link 1(d)'s two figures, from the phase's data."""
    shares = resident_shares(phase)
    if shares:
        reply.add(
            T(
                "A Hong Kong resident holding more than {mainland} of the Mainland enterprise and at least {hk} of the Hong Kong company is one of the links the programme accepts: the shares you gave meet both.",
                **shares,
            )
        )


def link_accepted_line(link: str, reply: Reply) -> None:
    """ "如果找香港公司合资呢？" before the place is known: that link is an accepted one."""
    if link in _PLANNED_LINKS:
        reply.add(_PLANNED_LINKS[link])


def links_line(phase: Phase, reply: Reply) -> None:
    """The four links a Mainland factory may have to the applying Hong Kong company (W7,
    W9), with link 1(d)'s shares from the phase's data."""
    shares = resident_shares(phase)
    if shares:
        reply.add(
            T(
                "The links are: a joint venture or co-operative with the Hong Kong company; sole ownership by it; a processing (三來一補) contract with it; or a Hong Kong resident holding more than {mainland} of the Mainland enterprise and at least {hk} of the Hong Kong company.",
                **shares,
            )
        )
        reply.cite(
            *phase["ownership.resident_share_of_mainland"].citations,
            *phase["ownership.resident_share_of_hk_company"].citations,
        )
    else:
        reply.add(
            T(
                "The links are: a joint venture or co-operative with the Hong Kong company; sole ownership by it; or a processing (三來一補) contract with it."
            )
        )


def resident_shares(phase: Phase | None) -> dict[str, Verbatim]:
    """Link 1(d)'s two shares, from the phase's data (empty if a source does not give them)."""
    if phase is None:
        return {}
    over = phase.get("ownership.resident_share_of_mainland")
    least = phase.get("ownership.resident_share_of_hk_company")
    if over is None or least is None or not (over.stated and least.stated):
        return {}
    return {"mainland": percent(over.value), "hk": percent(least.value)}


def ownership_note(phase: Phase, in_hong_kong: bool = False) -> Msg:
    if in_hong_kong:
        return note(
            "The factory or workshop in Hong Kong is owned and run by the Hong Kong company itself."
        )
    if phase.stated("ownership") == "links":
        return note(
            "Who can apply: a company registered in Hong Kong with an ownership link to the factory (tap “Who can apply”)."
        )
    return note("The programme is for Hong Kong-owned factories.")


# --- staff lookup ---------------------------------------------------------------------------


def place_command(dialogue: Dialogue, args: str, reply: Reply) -> Reply:
    """/place <name>: every place the name can be, with city, province and the PRD flag."""
    name = args.strip()
    if not name:
        return reply.add(T("Usage: /place <name>, e.g. /place 虎門"))
    candidates = places.describe_candidates(name)
    if not candidates:
        return reply.add(T("I don't know a place called “{name}”.", name=Verbatim(name)))
    for place in candidates:
        reply.add(
            T(
                "{place}: {province}; in the Pearl River Delta: {prd}.",
                place=place_label(place),
                province=Local(place.province_name),
                prd=T("yes") if place.prd else T("no"),
            )
        )
    return reply


# --- "Is Shaoguan in the PRD?" ---------------------------------------------------------------


def prd_cities() -> list[places.Place]:
    """The nine Pearl River Delta cities (para 3, footnote 3), as the gazetteer flags them."""
    return [p for p in places.all_places() if p.prd and p.level == "city"]


def prd_membership(dialogue: Dialogue, asked: list[places.Place], day: date) -> Reply:
    """Whether each place asked about is in one of the nine cities, and what that decides on
    ``day``: the original programme was limited to them, later phases cover all Guangdong."""
    reply = Reply("eligibility")
    nine = Joined(tuple(place_label(p) for p in prd_cities()))
    for place in asked:
        if place.prd:
            reply.add(
                T(
                    "{place} is in the Pearl River Delta: one of its nine cities.",
                    place=place_label(place),
                )
            )
        elif place.in_guangdong:
            reply.add(
                T(
                    "{place} is in Guangdong but not in the Pearl River Delta, which the programme takes as nine cities: {cities}.",
                    place=place_label(place),
                    cities=nine,
                )
            )
        else:
            reply.add(
                T(
                    "{place} is not in the Pearl River Delta, which the programme takes as nine Guangdong cities: {cities}.",
                    place=place_label(place),
                    cities=nine,
                )
            )
    if not asked:
        reply.add(
            T("The programme takes the Pearl River Delta as nine cities: {cities}.", cities=nine)
        )
    limited = [p for p in dialogue.rulebook.phases if p.stated("scope.guangdong") == "prd-cities"]
    phase = dialogue.rulebook.phase_at(day)
    if limited:
        reply.cite(*limited[-1]["scope.guangdong"].citations)
    if phase is not None and phase.stated("scope.guangdong") == "prd-cities":
        reply.add(
            T(
                "The original programme (to {end}) covered only factories in these nine cities and in Hong Kong.",
                end=Day(limited[-1].last_day),
            )
        )
    elif phase is not None and phase.stated("scope.guangdong") == "all-cities" and limited:
        widened = next(
            p for p in dialogue.rulebook.phases if p.stated("scope.guangdong") == "all-cities"
        )
        reply.add(
            T(
                "Only the original programme (to {end}) was limited to these nine cities and Hong Kong. Since {start}, factories anywhere in Guangdong have been covered.",
                end=Day(limited[-1].last_day),
                start=Day(widened.first_day),
            )
        )
        reply.cite(*widened["scope.guangdong"].citations, *phase["scope.guangdong"].citations)
    return reply


def applications_in(dialogue: Dialogue, day: date, year_only: bool, reply: Reply) -> None:
    """ "2017年的申请从什么时候开始？": the phase running then (each phase of a year that
    two share, as 2015), and when it invited applications where a source says."""
    if year_only:
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
        running = [
            p for p in dialogue.rulebook.phases if p.first_day <= last and p.last_day >= first
        ]
    else:
        running = [p for p in [dialogue.rulebook.phase_at(day)] if p is not None]
    if not running:
        phase_open_on(dialogue, day, reply)
        return
    when: Any = Year(day.year) if year_only else Day(day)
    for phase in running:
        _applications_of(dialogue, phase, when, reply)


def _applications_of(dialogue: Dialogue, phase: Phase, when: Any, reply: Reply) -> None:
    if phase.last_day < dialogue.default_day():
        reply.add(
            T("In {when}, the {phase} ({period}) was running.", when=when, **phase_values(phase))
        )
    else:
        reply.add(T("In {when}, the {phase} ({period}) runs.", when=when, **phase_values(phase)))
    reply.cite(*phase.start.citations, *phase.end.citations)
    opens = phase.stated("applications_from")
    if opens is not None:
        reply.add(T("It invited applications from {day}.", day=Day(opens)))
        reply.cite(*phase["applications_from"].citations)
    elif phase.start.precision == "day":
        reply.add(
            T(
                "Our sources give no separate date for its applications; the phase began on {start}.",
                start=Day(phase.start.day),
            )
        )
    else:  # no day the sources do not give
        reply.add(
            T(
                "Our sources give no date for its applications; the phase began in {start}.",
                start=Year(phase.start.day.year),
            )
        )


def workshop_items_before(dialogue: Dialogue, verdict: Verdict, reply: Reply) -> None:
    """ "可以申請啲咩？" after a workshop's unconfirmed answer: the one item workshops had
    in the last phase whose sources name them (para 18, W7)."""
    phase = verdict.phase
    if phase is None:
        return
    earlier = next(
        (
            p
            for p in reversed(dialogue.rulebook.phases)
            if p.last_day < phase.first_day and p.stated("scope.hong_kong_workshop_items")
        ),
        None,
    )
    if earlier is not None:
        reply.add(
            T(
                "They could under the {phase} ({period}), for demonstration projects only.",
                **phase_values(earlier),
            )
        )
        reply.cite(*earlier["scope.hong_kong_workshop_items"].citations)


def workshop_caps_before(dialogue: Dialogue, verdict: Verdict, reply: Reply) -> None:
    """ "上限幾多？" after a workshop's unconfirmed answer: the demonstration caps of the
    earlier phases that funded workshops and state one (para 12(c), W4), as history."""
    phase = verdict.phase
    if phase is None:
        return
    for earlier in dialogue.rulebook.phases:
        cap = earlier.stated("cap.demonstration")
        if (
            earlier.last_day < phase.first_day
            and "demonstration" in (earlier.stated("scope.hong_kong_workshop_items") or ())
            and cap is not None
            and earlier.stated("share.demonstration") is not None
        ):
            reply.add(
                T(
                    "For reference, under the {phase} ({period}) the government paid {share} of a Hong Kong workshop's demonstration project, up to {cap}.",
                    share=Share(earlier.stated("share.demonstration")),
                    cap=Money(Decimal(cap)),
                    **phase_values(earlier),
                )
            )
            reply.cite(*earlier["cap.demonstration"].citations)


# The FAQ entry on the eight priority sectors, beside which a trade named is placed
PRIORITY_SECTORS = "faq-guideline-priority-industries"


def trade_line(text: str, reply: Reply) -> None:
    """The user's trade beside the eight priority sectors: the one it is usually counted
    in, or none by name; either way the committee decides (W9)."""
    trade = trade_named(text)
    if trade is None:
        return
    if trade.sector is None:
        reply.add(
            T(
                "“{trade}” is not one of the eight priority sectors by name: a factory in another industry can still apply, and the project management committee decides case by case.",
                trade=Verbatim(trade.said),
            )
        )
    else:
        reply.add(
            T(
                "“{trade}” is usually counted among {sector}, one of the eight priority sectors; the project management committee decides.",
                trade=Verbatim(trade.said),
                sector=Local(load_sectors().names[trade.sector]),
            )
        )
    reply.cite(*load_sectors().citations)
