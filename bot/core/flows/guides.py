"""Searching the practical guides and the programme FAQ, and reading a section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.buttons import Tapped, button
from bot.core.reply import Local, Reply, T, Verbatim, title
from bot.core.session import Session
from bot.core.understand import Understanding

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

PAGE = 3


def start(dialogue: Dialogue, session: Session) -> Reply:
    session.start("guides")
    return Reply("search").add(
        T("What would you like to know? Ask in your own words, e.g. “how to cut VOC from spray painting”, “印染廠點樣慳水” or “air compressor leaks”.")
    )


def search_reply(dialogue: Dialogue, session: Session, u: Understanding) -> Reply:
    locale = session.locale_choice or u.locale
    if dialogue.kb is None:
        return _nothing(session)
    page = dialogue.kb.search(u.text, locale, limit=PAGE, offset=0)
    if not page.hits:
        return _nothing(session)
    session.start("guides")
    session.search = {"query": u.text[:500], "offset": 0, "ids": [h.id for h in page.hits]}
    top = page.hits[0]
    if top.kind == "faq":
        # A programme question gets its answer at once, the way a hotline officer would
        # reply; the next best hits stay one tap away.
        return _faq_answer(dialogue, session, top.id, page.hits[1:])
    return _cards(session, page, offset=0)


def _cards(session: Session, page: Any, offset: int) -> Reply:
    reply = Reply("search")
    reply.results = [{"id": h.id, "title": _plain_title(h), "tags": list(h.tags)} for h in page.hits]
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


def _faq_answer(dialogue: Dialogue, session: Session, doc_id: str, others: list[Any]) -> Reply:
    unit = dialogue.kb.unit(doc_id)  # type: ignore[union-attr]
    reply = Reply("programme")
    reply.results = [{"id": unit.id, "title": unit.title.get("en", ""), "tags": list(unit.tags)}]
    reply.results += [{"id": h.id, "title": _plain_title(h), "tags": list(h.tags)} for h in others]
    reply.add(title("{title}", title=Local(unit.title)), Local(unit.body))
    reply.cite(*unit.citations)
    g = session.generation
    if others:
        reply.row(*(button(Verbatim(_short(_plain_title(h))), g, "open", h.id) for h in others))
    reply.row(button(T("Talk to a person"), g, "menu", "person"), button(T("Main menu"), g, "menu", "home"))
    return reply


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def on_tap(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    if dialogue.kb is None:
        return None
    if tapped.action == "open":
        unit = dialogue.kb.unit(tapped.arg)
        if unit is None:
            return None
        reply = Reply("programme" if unit.kind == "faq" else "search")
        reply.results = [{"id": unit.id, "title": unit.title.get("en", ""), "tags": list(unit.tags)}]
        reply.add(title("{title}", title=Local(unit.title)), Local(unit.body))
        reply.cite(*unit.citations)
        g = session.generation
        row = [button(T("Talk to a person"), g, "menu", "person")]
        if session.search.get("query"):
            row.insert(0, button(T("Back to results"), g, "more", str(session.search.get("offset", 0))))
        reply.row(*row)
        return reply
    if tapped.action == "more" and session.search.get("query"):
        if not tapped.arg.isdigit():
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
        T("Sorry, I couldn't find anything on that. I answer questions about the Cleaner Production Partnership Programme: eligibility, subsidies, practical guides and the hotlines."),
    )
    return menu_rows(reply, session)
