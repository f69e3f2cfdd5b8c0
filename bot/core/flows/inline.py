"""Inline mode for staff (``@bot 示範項目上限`` in any chat): fact cards and guide hits,
each a small ``Reply`` the transport turns into an inline result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.reply import Local, Msg, Reply, T, Verbatim, title

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

MAX_CARDS = 8


@dataclass(frozen=True)
class InlineQueryIn:
    """Someone typed ``@bot <text>`` in any chat; ``locale`` is a hint from their app's
    language. Answered with cards, nothing stored: an inline query has no conversation."""

    text: str
    locale: str | None = None


@dataclass(frozen=True)
class Card:
    id: str
    title: Msg | Local | Verbatim
    description: Msg | Local | Verbatim
    reply: Reply


def cards(dialogue: Dialogue, query: str, locale: str | None) -> tuple[str, list[Card]]:
    """Cards for an inline query: the estimate, the verdict for a place, the caps, then
    guide and FAQ hits. Each is read as a fresh case on today's rules."""
    from bot.core.case import Case
    from bot.core.estimate import estimate_case
    from bot.core.flows import case as case_flow
    from bot.core.flows.eligibility import explain, place_label
    from bot.core.flows.subsidy import ITEM_TITLES, caps_reply, describe_outcome
    from bot.core.reading import read

    query = query.strip()[:256]
    if not query:
        return locale or "en", []
    reading = read(query, last_locale=locale, today=dialogue.default_day())
    locale = reading.locale
    case = Case()
    case_flow.merge(case, reading)
    day = case_flow.decision_day(dialogue, case)
    found: list[Card] = []
    item, cost = case.current("item"), case.current("cost")
    if item and cost and cost.get("currency") in (None, "HKD"):
        outcome = estimate_case(item, cost, day, dialogue.rulebook)
        if outcome.code == "estimate":
            reply = describe_outcome(dialogue, outcome, Reply("subsidy"), day)
            found.append(
                Card("estimate", ITEM_TITLES[outcome.item or item], T("Subsidy estimate"), reply)
            )
    verdicts = case_flow.verdicts(dialogue, case) if case.places() else []
    if verdicts and verdicts[0].status != "need_more_info" and verdicts[0].place is not None:
        reply = Reply("eligibility")
        reply.eligibility = case_flow.eligibility_json(verdicts[0])
        explain(dialogue, verdicts[0], reply, day)
        found.append(Card("place", place_label(verdicts[0].place), T("Eligibility"), reply))
    if item or reading.has("cap"):
        reply = caps_reply(dialogue, day, Reply("subsidy"))
        found.append(
            Card("caps", T("Subsidy caps"), T("Every item of the phase, with its cap"), reply)
        )
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
