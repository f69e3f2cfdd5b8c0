"""Who may apply, for what, on a day: a decision over the whole case.

``decide(view, rulebook)`` returns one ``Verdict`` per place the user named (or one when
none is known yet). Each verdict is the first outcome that applies, in the order a
hotline officer would check, the way GOV.UK smart answers reach an outcome:

1. the day: a phase covers it, or the sources stop before it, or no phase was open;
2. ownership: not Hong Kong-owned -> not eligible, whatever the place;
3. the place: outside Guangdong and Hong Kong -> not eligible, whatever the ownership;
   ambiguous or missing -> ask;
4. premises: no factory -> ask whether the company owns one;
5. Guangdong: the phase's scope (nine cities or all); Hong Kong: a factory, or a
   workshop with a polluting process (demonstration only; processes the sources do not
   name are for staff).

Unsure is never "eligible": a missing deciding fact is ``need_more_info`` with
``missing`` naming the one question to ask next. Reasons are codes the renderer words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from bot.core import places
from bot.core.case import Case
from bot.core.rules import Phase, Rulebook

Status = Literal["eligible", "demonstration_only", "not_eligible", "need_more_info"]
NOT_HK_OWNERS = frozenset({"mainland", "foreign", "taiwan", "macao"})


@dataclass(frozen=True)
class CaseView:
    """What a decision reads from the case, resolved to places and plain values."""

    day: date
    places: tuple[places.Place, ...] = ()
    denied_places: tuple[places.Place, ...] = ()
    place_choice: tuple[places.Place, ...] = ()
    premises: str | None = None  # "factory" | "workshop" | "none"
    own_factory: bool | None = None  # the answer to "does the company own a factory?"
    ownership: str | None = (
        None  # "hk" | "hk_resident" | "mainland" | "foreign" | "taiwan" | "macao" | "unclear"
        # | "unsure" | "other_firm" (someone else's factory: a supplier's, a customer's)
        # | "hk_planned" (a Hong Kong company still to be set up)
    )
    hk_denied: bool = False
    no_hk_company: bool = False  # "冇香港公司": no company at all to apply
    hk_company_said: bool = False  # "我們在香港有分公司": a company that could apply
    resident_denied: bool = False  # "我不是香港居民": the speaker's share is no link 1(d)
    foreign_invested: bool = False  # "外資企業": the owner said as foreign-invested
    link_denied: bool = False  # "no shares or contract with us": no link to ask about
    planned_link: str | None = None  # the link a company still to be set up would have
    processes: frozenset[str] = frozenset()
    items: tuple[str, ...] = ()
    tech_local: bool | None = None
    # Link 1(d): the shares a Hong Kong resident holds (None: not said).
    share_mainland: Fraction | None = None
    share_hk_company: Fraction | None = None

    @classmethod
    def of(cls, case: Case, day: date) -> CaseView:
        def place_list(ids: list[Any]) -> tuple[places.Place, ...]:
            found = []
            for pid in ids:
                try:
                    found.append(places.get(pid))
                except KeyError:
                    continue
            return tuple(found)

        choice = case.current("place_choice")
        own = case.current("own_factory")
        processes = frozenset(case.stated("process")) - frozenset(case.denied("process"))
        tech = case.current("tech_origin")
        return cls(
            day=day,
            places=place_list(case.places()),
            denied_places=place_list(case.denied("place")),
            place_choice=place_list((choice or {}).get("ids", [])),
            premises=case.current("premises"),
            own_factory=own,
            ownership=case.current("ownership"),
            hk_denied="hk" in case.denied("ownership"),
            no_hk_company=case.current("hk_company") == "none",
            hk_company_said=case.current("hk_company") == "exists",
            resident_denied="hk_resident" in case.denied("ownership"),
            link_denied=bool(case.current("link_denied")),
            foreign_invested=bool(
                (unclear := case.fact("ownership", "unclear")) is not None and unclear.quote
            ),
            planned_link=case.current("planned_link"),
            processes=processes,
            items=tuple(case.stated("item")),
            tech_local=True
            if tech == "local"
            else False
            if "local" in case.denied("tech_origin")
            else None,
            share_mainland=_fraction(case.current("share_mainland")),
            share_hk_company=_fraction(case.current("share_hk_company")),
        )


@dataclass(frozen=True)
class Reason:
    code: str
    citations: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    status: Status
    items: tuple[str, ...]  # the funding items open
    phase: Phase | None
    place: places.Place | None
    reason: Reason
    missing: str | None = None  # the one question to ask next
    items_unstated: tuple[str, ...] = ()  # items the sources neither confirm nor rule out

    @property
    def code(self) -> str:
        return self.reason.code

    @property
    def citations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.reason.citations))

    @property
    def figure_waits(self) -> bool:
        """A deciding fact is missing, so no figure yet. A place alone is no such fact
        (every place gets the phase's figures), except a workshop's (para 18)."""
        return self.status == "need_more_info" and (
            self.code != "need_place" or bool(self.reason.values.get("workshop"))
        )


def _v(
    status: Status,
    phase: Phase | None,
    place: places.Place | None,
    code: str,
    citations: tuple[str, ...] = (),
    items: tuple[str, ...] = (),
    missing: str | None = None,
    **values: Any,
) -> Verdict:
    unstated = tuple(phase.stated("items.unstated") or ()) if phase and items else ()
    return Verdict(status, items, phase, place, Reason(code, citations, values), missing, unstated)


def decide(view: CaseView, rulebook: Rulebook) -> list[Verdict]:
    """One verdict per place in the case (places outside the programme first is not
    implied: the order is the user's)."""
    phase = rulebook.phase_at(view.day)
    if phase is None:
        return [_outside_phases(view, rulebook)]
    if view.place_choice:  # a place named last is still to be chosen: that comes first
        return [_v("need_more_info", phase, None, "need_place_choice", missing="place_choice")]
    if view.places:
        return [_for_place(view, phase, place) for place in view.places]
    return [_for_place(view, phase, None)]


def _outside_phases(view: CaseView, rulebook: Rulebook) -> Verdict:
    place = view.places[0] if view.places else None
    if rulebook.beyond_sources(view.day):
        last = rulebook.latest()
        return _v("need_more_info", None, place, "beyond_sources", last.end.citations, last=last)
    if view.day < rulebook.first().first_day:
        first = rulebook.first()
        return _v(
            "not_eligible", None, place, "before_programme", first.start.citations, first=first
        )
    before, after = rulebook.neighbours(view.day)
    citations = tuple(
        c for p in (before, after) if p for c in (*p.end.citations, *p.start.citations)
    )
    return _v("not_eligible", None, place, "no_phase", citations, before=before, after=after)


def _ownership_citations(phase: Phase) -> tuple[str, ...]:
    return phase["ownership"].citations


def _for_place(view: CaseView, phase: Phase, place: places.Place | None) -> Verdict:
    owner = view.ownership
    if (
        owner is None
        and view.resident_denied
        and (view.share_mainland is not None or view.share_hk_company is not None)
    ):
        # "我佔內地公司100%…其實我唔再係香港居民": the enterprise is a non-resident's, so
        # link 1(d) is gone; whether the Hong Kong company has another link is asked
        owner = "unclear"
    # "間廠係內地公司" in a phase of links: it may be a Hong Kong company's WFOE, or have a
    # processing contract with one (links 1(b), 1(c)), so which link it has is asked; no
    # Hong Kong company at all, or no contract, rules it out
    # A factory of a Taiwanese, Macao or foreign owner is a Mainland enterprise too: a
    # processing contract with a Hong Kong company (link 1(c)) is still open to ask about
    link_open = (
        owner in ("mainland", "foreign", "taiwan", "macao")
        and phase.stated("ownership") == "links"
        and not (view.hk_denied or view.no_hk_company or view.link_denied)
    )
    if link_open:
        owner = "unclear"
    if (
        owner is None
        and (
            view.hk_company_said
            # "我佔40%，佢佔35%": shares said, but no owner nor resident: who owns it, asked
            or view.share_mainland is not None
            or view.share_hk_company is not None
        )
        and phase.stated("ownership") == "links"
        and place is not None
        and place.in_guangdong
    ):
        # "she has a hong kong company but I don't know how the factory is set up": a
        # company that could apply, its link to the factory not said; asked, not assumed
        owner = "unclear"
    # "三來一補 with a Taiwanese company, no HK company": every link runs through a
    # company registered in Hong Kong, the applicant; with none, no link is left to ask
    no_applicant = (
        view.no_hk_company
        and owner in (None, "unclear", "other_firm")
        and phase.stated("ownership") == "links"
    )
    # "Not owned by a HK company" rules it out unless a resident's link (1(d)) is said
    if (
        no_applicant
        or owner in NOT_HK_OWNERS
        or (view.hk_denied and owner not in ("hk", "hk_resident", "hk_planned"))
    ):
        return _v(
            "not_eligible",
            phase,
            place,
            "not_hk_owned",
            _ownership_citations(phase),
            owner="not_hk" if no_applicant else owner or "not_hk",
            rule=phase.stated("ownership"),
        )
    if place is not None and not (place.in_guangdong or place.in_hong_kong):
        return _v(
            "not_eligible",
            phase,
            place,
            "outside_guangdong",
            (*phase["scope.guangdong"].citations, *phase["scope.hong_kong_factories"].citations),
        )
    if view.own_factory is False:
        # No factory of the company's: an office, a trader, a factory it only buys from.
        return _v("not_eligible", phase, place, "no_factory", _ownership_citations(phase))
    if view.premises == "none" and view.own_factory is not True:
        # A trading company or an office: whether it has a factory decides, before where.
        return _v("need_more_info", phase, place, "need_own_factory", missing="own_factory")
    if place is None:
        if owner == "hk_resident" and phase.stated("ownership") == "links":
            # "一个香港居民持有我们内地公司51%，持有香港公司25%": a share short of link
            # 1(d) decides wherever the factory is, so no place is asked first
            short = _resident_link(view, phase, None)
            if short is not None and short.status == "not_eligible":
                return short
            resident_met = short is None
        else:
            resident_met = False
        if view.place_choice:
            return _v("need_more_info", phase, None, "need_place_choice", missing="place_choice")
        guangdong_denied = any(p.id == "cn-gd" or p.in_guangdong for p in view.denied_places)
        code = "not_in_guangdong" if guangdong_denied else "need_place"
        # A workshop's items depend on where it is (para 18: in Hong Kong, demonstration
        # projects only), so no figure is given for one before its place is known.
        return _v(
            "need_more_info",
            phase,
            None,
            code,
            phase["scope.guangdong"].citations,
            missing="place",
            workshop=view.premises == "workshop",
            resident_met=resident_met,
        )
    if owner == "hk_planned":
        # "What if we set up a Hong Kong company?": the links it would need; no verdict
        # With its link said, what the place would give is kept for a figure "if so".
        if view.planned_link == "resident" and phase.stated("ownership") == "links":
            # "在香港注册一家公司，她占40%": the resident's shares decide link 1(d); short
            # of one, or one unknown, that verdict
            resident = _resident_link(view, phase, place)
            if resident is not None:
                return resident
        base = _by_place(view, phase, place) if view.planned_link else None
        items = base.items if base and base.status in ("eligible", "demonstration_only") else ()
        return _v(
            "need_more_info",
            phase,
            place,
            "hk_company_planned",
            _ownership_citations(phase),
            link=view.planned_link,
            items_if_so=items,
        )
    if owner == "other_firm":
        # A supplier's or customer's factory: only a link to the user's Hong Kong company
        # makes it a case; the link is asked, never assumed.
        return _v(
            "need_more_info",
            phase,
            place,
            "other_firms_factory",
            _ownership_citations(phase),
            missing="ownership",
        )
    if owner == "unclear":
        return _v(
            "need_more_info",
            phase,
            place,
            "ownership_unclear",
            _ownership_citations(phase),
            missing="ownership",
            # beside a company from elsewhere, or a non-resident's part: which company owns it
            hk_company=view.hk_company_said or view.resident_denied or link_open,
            foreign_invested=view.foreign_invested,
            # "我佔內地廠60%…其實我冇香港身份證": the shares said are no link 1(d)
            resident_gone=view.resident_denied
            and (view.share_mainland is not None or view.share_hk_company is not None),
        )
    if owner == "hk_resident" and phase.stated("ownership") == "links":
        # Link 1(d): a Hong Kong resident's Mainland enterprise, and a company registered
        # in Hong Kong as the applicant; the shares held decide.
        if view.no_hk_company and view.share_hk_company is None:
            # The link runs through a Hong Kong company the resident holds shares in:
            # with none, there is no applicant yet, whatever the Mainland shares.
            return _v(
                "not_eligible",
                phase,
                place,
                "resident_no_hk_company",
                _resident_citations(phase),
            )
        resident = _resident_link(view, phase, place)
        if resident is not None:
            return resident
        # both shares said and met: the place decides, and the answer may say they meet
        found = _by_place(view, phase, place)
        found.reason.values["resident_met"] = True
        return found
    if owner == "unsure":
        return _v("need_more_info", phase, place, "ownership_unsure", _ownership_citations(phase))
    return _by_place(view, phase, place)


def _by_place(view: CaseView, phase: Phase, place: places.Place) -> Verdict:
    if place.in_hong_kong:
        return _hong_kong(view, phase, place)
    return _guangdong(view, phase, place)


def _resident_citations(phase: Phase) -> tuple[str, ...]:
    shares = (
        phase.get("ownership.resident_share_of_mainland"),
        phase.get("ownership.resident_share_of_hk_company"),
    )
    return (*_ownership_citations(phase), *(c for s in shares if s for c in s.citations))


def _fraction(value: Any) -> Fraction | None:
    try:
        return Fraction(str(value)) if value is not None else None
    except (ValueError, ZeroDivisionError):
        return None


def _resident_link(view: CaseView, phase: Phase, place: places.Place) -> Verdict | None:
    """Link 1(d) with the shares said: short of either share, not through this link;
    both met, the place decides (None); a share unknown, ask."""
    over = phase.get("ownership.resident_share_of_mainland")
    least = phase.get("ownership.resident_share_of_hk_company")
    citations = _ownership_citations(phase)
    if over is None or least is None or not (over.stated and least.stated):
        return _v(
            "need_more_info", phase, place, "ownership_resident", citations, missing="ownership"
        )
    citations = (*citations, *over.citations, *least.citations)
    held, held_hk = view.share_mainland, view.share_hk_company
    if held is not None and held <= over.value:
        return _v(
            "not_eligible",
            phase,
            place,
            "resident_share_short",
            citations,
            company="mainland",
            held=held,
            needed=over.value,
        )
    if held_hk is not None and held_hk < least.value:
        return _v(
            "not_eligible",
            phase,
            place,
            "resident_share_short",
            citations,
            company="hk",
            held=held_hk,
            needed=least.value,
        )
    if held is not None and held_hk is not None:
        return None
    # One share said: the other is asked; neither: the first.
    missing = "share_hk_company" if held is not None else "share_mainland"
    return _v("need_more_info", phase, place, "ownership_resident", citations, missing=missing)


def _open_items(phase: Phase) -> tuple[str, ...]:
    return tuple(phase.stated("items") or ())


def _guangdong(view: CaseView, phase: Phase, place: places.Place) -> Verdict:
    scope = phase["scope.guangdong"]
    items = _open_items(phase)
    if scope.value == "all-cities":
        return _v("eligible", phase, place, "guangdong_all", scope.citations, items, prd=place.prd)
    if place.city is None:  # "Guangdong" alone: the city decides in a nine-city phase
        return _v("need_more_info", phase, place, "need_city", scope.citations, missing="place")
    if place.prd:
        return _v("eligible", phase, place, "prd_city", scope.citations, items)
    return _v("not_eligible", phase, place, "outside_prd", scope.citations)


def _hong_kong(view: CaseView, phase: Phase, place: places.Place) -> Verdict:
    factories = phase["scope.hong_kong_factories"]
    workshops = phase["scope.hong_kong_workshop_items"]
    premises = view.premises
    if premises is None and view.processes - {"none"}:
        premises = "workshop"  # a spray shop in Kwun Tong is a workshop
    if premises == "factory":
        if not factories.stated:
            return _v("need_more_info", phase, place, "hk_factory_unstated", factories.citations)
        if not factories.value:
            return _v("not_eligible", phase, place, "hk_factory_closed", factories.citations)
        return _v("eligible", phase, place, "hk_factory", factories.citations, _open_items(phase))
    if premises == "workshop":
        if not workshops.stated:
            return _v("need_more_info", phase, place, "hk_workshop_unstated", workshops.citations)
        if not workshops.value:
            return _v("not_eligible", phase, place, "hk_workshop_closed", workshops.citations)
        named = tuple(phase.stated("workshop.processes") or ())
        cited = (*workshops.citations, *phase["workshop.processes"].citations)
        found = sorted(p for p in view.processes if p in named)
        if found:
            return _v(
                "demonstration_only",
                phase,
                place,
                "hk_workshop",
                cited,
                tuple(workshops.value),
                processes=tuple(found),
            )
        others = sorted(p.removeprefix("other:") for p in view.processes if p.startswith("other:"))
        if "none" in view.processes:  # "冇噴油，淨係鎅木": no polluting process, said so
            return _v("not_eligible", phase, place, "hk_workshop_clean", cited)
        if others:
            return _v(
                "need_more_info", phase, place, "hk_workshop_other", cited, processes=tuple(others)
            )
        if "none" in view.processes:
            return _v("not_eligible", phase, place, "hk_workshop_clean", cited)
        return _v("need_more_info", phase, place, "need_process", cited, missing="process")
    return _v(
        "need_more_info",
        phase,
        place,
        "need_premises",
        (*factories.citations, *workshops.citations),
        missing="premises",
    )
