"""Searching the practical guides and the programme FAQ, and reading a section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.buttons import Tapped, button
from bot.core.reply import Local, Reply, T, Verbatim, title
from bot.core.session import Session

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

PAGE = 3


def start(dialogue: Dialogue, session: Session) -> Reply:
    session.start("guides")
    return Reply("search").add(
        T(
            "What would you like to know? Ask in your own words, e.g. “how to cut VOC from spray painting”, “印染廠點樣慳水” or “air compressor leaks”."
        )
    )


def search_into(dialogue: Dialogue, session: Session, reading: Any, reply: Reply) -> bool:
    """The best guide sections or FAQ answer for the message, added to ``reply``; False
    when nothing found is close enough to be worth showing."""
    locale = session.locale_choice or reading.locale
    if dialogue.kb is None:
        return False
    page = dialogue.kb.search(reading.text, locale, limit=PAGE, offset=0)
    hits = page.hits
    if not hits:
        return False
    session.start("guides")
    session.search = {"query": reading.text[:500], "offset": 0, "ids": [h.id for h in hits]}
    if hits[0].kind == "faq":
        # A programme question gets its answer at once, the way a hotline officer would
        # reply; the next best hits stay one tap away.
        _faq_answer(dialogue, session, hits[0].id, hits[1:], reply)
        session.last_fact = hits[0].id  # for a follow-up ("how much was it?")
        return True
    _cards(session, page, 0, reply)
    return True


def _cards(session: Session, page: Any, offset: int, reply: Reply | None = None) -> Reply:
    reply = reply if reply is not None else Reply("search")
    reply.intent = "search"
    reply.results = [
        {"id": h.id, "title": _plain_title(h), "tags": list(h.tags)} for h in page.hits
    ]
    g = session.generation
    open_row = []
    for number, hit in enumerate(page.hits, start=offset + 1):
        heading = f"{hit.title} · {hit.section_title}" if hit.section_title else hit.title
        reply.add(
            title("{number}. {title}", number=Verbatim(str(number)), title=Verbatim(heading)),
            Verbatim(hit.snippet),
        )
        open_row.append(button(T("Open {number}", number=Verbatim(str(number))), g, "open", hit.id))
    reply.row(*open_row)
    if page.total > offset + len(page.hits):
        reply.row(button(T("More results"), g, "more", str(offset + len(page.hits))))
    return reply


def _plain_title(hit: Any) -> str:
    return f"{hit.title} · {hit.section_title}" if hit.section_title else hit.title


def _faq_answer(
    dialogue: Dialogue, session: Session, doc_id: str, others: list[Any], reply: Reply
) -> Reply:
    unit = dialogue.kb.unit(doc_id)  # type: ignore[union-attr]
    reply.intent = "programme"
    reply.results = [{"id": unit.id, "title": unit.title.get("en", ""), "tags": list(unit.tags)}]
    reply.results += [{"id": h.id, "title": _plain_title(h), "tags": list(h.tags)} for h in others]
    reply.add(title("{title}", title=Local(unit.title)), Local(unit.body))
    reply.cite(*unit.citations)
    g = session.generation
    if others:
        # Whole titles, one per row: a label cut mid-word reads as nonsense on a phone.
        for h in others:
            reply.row(button(Verbatim(_plain_title(h)), g, "open", h.id))
    reply.row(
        button(T("Talk to a person"), g, "menu", "person"),
        button(T("Main menu"), g, "menu", "home"),
    )
    return reply


def more_results(dialogue: Dialogue, session: Session) -> Reply | None:
    """ "多啲結果", "more results" typed after a search: the next page, as the button."""
    if not session.search.get("query"):
        return None
    offset = int(session.search.get("offset", 0)) + len(session.search.get("ids", []))
    return on_tap(dialogue, session, Tapped(session.generation, "more", str(offset)))


def on_tap(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    if dialogue.kb is None:
        return None
    if tapped.action == "open":
        unit = dialogue.kb.unit(tapped.arg)
        if unit is None:
            return None
        reply = Reply("programme" if unit.kind == "faq" else "search")
        reply.results = [
            {"id": unit.id, "title": unit.title.get("en", ""), "tags": list(unit.tags)}
        ]
        reply.add(title("{title}", title=Local(unit.title)), Local(unit.body))
        reply.cite(*unit.citations)
        g = session.generation
        row = [button(T("Talk to a person"), g, "menu", "person")]
        if session.search.get("query"):
            row.insert(
                0, button(T("Back to results"), g, "more", str(session.search.get("offset", 0)))
            )
        reply.row(*row)
        return reply
    if tapped.action == "more" and session.search.get("query"):
        if not (tapped.arg.isascii() and tapped.arg.isdigit()):
            return None
        offset = int(tapped.arg)
        locale = session.locale_choice or session.locale or "en"
        page = dialogue.kb.search(session.search["query"], locale, limit=PAGE, offset=offset)
        if not page.hits:
            return _nothing(session)
        session.search["offset"] = offset
        return _cards(session, page, offset)
    return None


def _nothing(session: Session) -> Reply:
    from bot.core.flows.menu import menu_rows

    reply = Reply("out_of_scope").add(
        T(
            "Sorry, I couldn't find anything on that. I answer questions about the Cleaner Production Partnership Programme: eligibility, subsidies, practical guides and the hotlines."
        ),
    )
    return menu_rows(reply, session)
