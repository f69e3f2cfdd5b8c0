"""Inline mode for staff (``@bot 示範項目上限`` in any chat): fact cards and guide hits,
each a small ``Reply`` the transport turns into an inline result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.eligibility import Facts, assess
from bot.core.reply import Local, Msg, Reply, T, Verbatim, title
from bot.core.subsidy import EstimateError, estimate
from bot.core.understand import understand

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

MAX_CARDS = 8


@dataclass(frozen=True)
class Card:
    id: str
    title: Msg | Local | Verbatim
    description: Msg | Local | Verbatim
    reply: Reply


def cards(dialogue: Dialogue, query: str, locale: str | None) -> tuple[str, list[Card]]:
    from bot.core.flows.eligibility import eligibility_json, place_label
    from bot.core.flows.subsidy import ITEM_TITLES, caps_reply, describe, subsidy_json

    query = query.strip()[:256]
    if not query:
        return locale or "en", []
    u = understand(query, last_locale=locale)
    locale = u.locale
    day = dialogue.default_day
    found: list[Card] = []
    if u.item and u.amounts and u.amounts[0].currency != "RMB":
        try:
            result = estimate(u.item, u.amounts[0].value, day, dialogue.rulebook)
        except EstimateError:
            result = None
        if result is not None:
            reply = describe(result, Reply("subsidy"))
            reply.subsidy = subsidy_json(result)
            found.append(Card("estimate", ITEM_TITLES[u.item], T("Subsidy estimate"), reply))
    if u.place is not None and u.place.place is not None:
        from bot.core.flows.eligibility import _explain
        from bot.core.session import Session

        verdict = assess(Facts(day=day, place=u.place.place, premises=u.premises,
                               processes=u.processes), dialogue.rulebook)
        if verdict.status != "need_more_info":
            reply = Reply("eligibility")
            reply.eligibility = eligibility_json(verdict)
            _explain(dialogue, Session(chat_id=0), verdict, reply)
            reply.buttons = []
            found.append(Card("place", place_label(u.place.place), T("Eligibility"), reply))
    if u.item or u.has("cap"):
        reply = caps_reply(dialogue, day, Reply("subsidy"))
        found.append(Card("caps", T("Subsidy caps"), T("All three items, with their caps"), reply))
    if dialogue.kb is not None:
        page = dialogue.kb.search(query, locale, limit=MAX_CARDS - len(found), offset=0)
        for hit in page.hits:
            unit = dialogue.kb.unit(hit.id)
            if unit is None:
                continue
            reply = Reply("search").add(title("{title}", title=Local(unit.title)), Local(unit.body))
            reply.cite(*unit.citations)
            found.append(Card(hit.id, Verbatim(hit.title), Verbatim(hit.snippet), reply))
    return locale, found[:MAX_CARDS]
