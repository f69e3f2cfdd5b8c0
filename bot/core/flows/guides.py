"""Searching the practical guides and the programme FAQ, and reading a section."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.core.buttons import Tapped, button
from bot.core.flows import eligibility as verdict_words
from bot.core.reply import Local, Reply, T, Verbatim, note, title
from bot.core.session import Session
from bot.core.textnorm import fold

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


# A request for the guides that names no topic: "算了，我想问指南", "show me the guides"
_NO_TOPIC = re.compile(
    r"算了|算啦|我想|想|问|睇|看|要|查|搵|找|有冇|有没有|你哋|你们|的|嘅|啲|些|一下|下|吓|呀|啊|吧"
    r"|实用|指南|指引|\bi (?:want|need|would like)\b|\b(?:show|give|send) me\b|\bsee\b"
    r"|\bpractical\b|\bguides?\b|\bthe\b|\bplease\b|\bpls\b|\bany\b|\bsome\b|\bok\b|\bforget it\b|[\W_]"
)


def search_into(dialogue: Dialogue, session: Session, reading: Any, reply: Reply) -> bool:
    """The best guide sections or FAQ answer for the message, added to ``reply``; False
    when nothing found is close enough to be worth showing. The guides asked for with no
    topic ("算了，我想问指南") get the guides' own prompt."""
    locale = session.locale_choice or reading.locale
    if dialogue.kb is None:
        return False
    if not _NO_TOPIC.sub("", fold(reading.text)):
        prompt = start(dialogue, session)
        reply.intent = prompt.intent
        reply.add(*prompt.parts)
        return True
    query = reading.text
    followed = (
        follow_up_query(dialogue, session, fold(reading.text)) if session.flow == "guides" else None
    )
    query = followed or query
    query = _related_query(session, query)
    page = dialogue.kb.search(query, locale, limit=PAGE, offset=0)
    topic_alone = (
        getattr(reading, "search_syntax", False)
        or getattr(reading, "topic_search", False)
        # "请问印刷行业减少VOC有什么实用指南": the guides asked for by name
        or getattr(reading, "guides_named", False)
        # "有什么技术" right after VOC guides: more of that guide, not a programme answer
        or followed is not None
    )
    if topic_alone and not any(h.kind != "faq" for h in page.hits):
        # "do you have a guide on VOC reduction": the programme's answers on VOC rank
        # first; the guides asked for are looked for further down
        wider = dialogue.kb.search(query, locale, limit=PAGE * 4, offset=0)
        if any(h.kind != "faq" for h in wider.hits):
            page = replace(wider, hits=[h for h in wider.hits if h.kind != "faq"][:PAGE])
    if topic_alone and any(h.kind != "faq" for h in page.hits):
        # 'site:… 废水 OR 污水 -广告', "VOC 點減": typed into a search box, it wants the guides
        page = replace(page, hits=[h for h in page.hits if h.kind != "faq"])
    elif session.flow == "guides" and _guides_first(page.hits):
        # "any for food industry wastewater?" after guide results: more guides, unless an
        # FAQ answer is far the better match ("can you send me the link to the guide")
        page = replace(page, hits=sorted(page.hits, key=lambda h: h.kind == "faq"))
    hits = page.hits
    if not hits:
        return False
    session.start("guides")
    session.search = {"query": query[:500], "offset": 0, "ids": [h.id for h in hits]}
    if hits[0].kind == "faq":
        # A programme question gets its answer at once, the way a hotline officer would
        # reply; the next best hits stay one tap away.
        _faq_answer(dialogue, session, hits[0].id, hits[1:], reply)
        if hits[0].id == verdict_words.PRIORITY_SECTORS:  # "灯饰算哪个行业": that trade's sector
            verdict_words.trade_line(reading.text, reply)
        session.last_fact = hits[0].id  # for a follow-up ("how much was it?")
        return True
    _cards(session, page, 0, reply)
    _ours_note(session, reply)
    return True


def _ours_note(session: Session, reply: Reply) -> None:
    if "guides_ours" not in session.notes_shown:
        # The titles read like the programme's published guides (para 5): said once
        session.notes_shown.append("guides_ours")
        reply.add(
            note(
                "These guides are short notes written for this assistant, not the programme's published guides; those are on www.cleanerproduction.hk."
            )
        )
        reply.cite("para 5")


def also_into(dialogue: Dialogue, session: Session, query: str, locale: str, reply: Reply) -> bool:
    """Guides asked beside a verdict or an estimate ("…同埋有冇啲指南教點樣減少VOC？"):
    the best guide sections for that clause, after the other answers. The case's flow and
    buttons stay as they are (no new generation); "Open" works from any flow."""
    if dialogue.kb is None:
        return False
    page = dialogue.kb.search(query, locale, limit=PAGE, offset=0)
    hits = [h for h in page.hits if h.kind != "faq"]
    if not hits:
        return False
    intent, results = reply.intent, reply.results
    reply.add(title("For your question on the guides:"))
    _cards(session, replace(page, hits=hits, total=len(hits)), 0, reply)
    reply.buttons.insert(0, reply.buttons.pop())  # "Open 1…3" above the answer's own
    reply.intent = intent  # the answer's own intent, verdict or estimate, stays first
    if results:
        reply.results = results + reply.results
    session.search = {"query": query[:500], "offset": 0, "ids": [h.id for h in hits]}
    _ours_note(session, reply)
    return True


# "有冇相關指南", "any related guides?": guides about what was just said, not the FAQ on
# the guides themselves
_RELATED = re.compile(r"相关|有关|\brelated\b|\brelevant\b|\bon (?:this|that)\b")
_GUIDE_WORDS = re.compile(
    r"有冇|有没有|有无|相关|有关|嘅|的|实用|指南|资料|参考|我哋|我地|我们|主要|系|是|问题|方面|[?？!！。.,，]"
    r"|\b(?:any|are there|is there|related|relevant|practical|guides?|on (?:this|that)|our|we|"
    r"mainly|main|problems?|issues?|is|are|the|a)\b"
)


def _related_query(session: Session, query: str) -> str:
    """ "我哋主要係污水問題，有冇相關指南": the problem said, searched; "有没有相关的指南"
    alone, after results: the search before, again."""
    folded = fold(query)
    if not _RELATED.search(folded):
        return query
    rest = _GUIDE_WORDS.sub(" ", folded).strip()
    if len(rest.replace(" ", "")) >= 2:
        return rest
    before = session.search.get("query") if session.flow == "guides" else None
    return before or query


def _guides_first(hits: list[Any]) -> bool:
    faq = max((h.score for h in hits if h.kind == "faq"), default=0.0)
    guide = max((h.score for h in hits if h.kind != "faq"), default=0.0)
    return guide > 0 and faq < 1.5 * guide


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
    from bot.core.flows import eligibility

    if doc_id == "faq-current-phase" and eligibility.phase_now_on_another_day(dialogue, reply):
        return reply  # "when will the next phase open?" asked as of a day in 2013
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


# "第二個打開睇吓", "open 2", "the second one": a result of the list shown, by its number.
_ORDINAL = re.compile(
    r"^(?:打开|开|睇|看|open|show me|read)?\s*(?:第|no\.?\s*|number\s*|#)?\s*"
    r"([1-9]|[一二两三四五六七八九])\s*(?:个|项|条|篇|份|个结果|份指南)?"
    r"\s*(?:打开|开|睇|看)?\s*(?:详细啲|详细些|详细点|详细一点|详细|睇详细|讲多啲)?"
    # "第一個講咩㗎？", "第二个详细讲讲", "第三個係乜": what that result says
    r"\s*(?:具体|详细|究竟|到底)?\s*(?:是|系)?"
    r"\s*(?:讲讲|讲下|讲吓|讲咩|讲乜|讲乜嘢|讲什么|讲的是什么|讲啲咩|说什么|说的是什么|写了什么|写咩|"
    r"系咩|系乜|是什么|有咩|有什么|有什么内容|有咩内容|内容|讲什么的|讲咩嘅)?"
    r"\s*(?:睇吓|睇下|看看|一下|吧|啦|呀|呢|㗎|嘅|please|pls)?\s*[.!?。！？]*"
    # "第二份呢？幾時出嘅": and when it came out (the notes say they are this assistant's)
    r"(?:[,，]?\s*(?:几时出(?:嘅|的)?|什么时候出(?:的)?|哪年出(?:的)?|几时写(?:嘅|的)?)\s*[?？]*)?$"
    r"|^(?:open\s+|show me\s+|read\s+|what does\s+|what'?s\s+|what is\s+|tell me (?:more )?about\s+)?"
    r"(?:the\s+)?(first|second|third|fourth|fifth|sixth|"
    r"1st|2nd|3rd|4th|5th|6th)(?:\s+(?:one|result|section|guide))?(?:\s+(?:please|pls|say|about|in it))?"
    r"(?:\s*[,:-]?\s*(?:what'?s in it|what is in it|what does it say|what is it about|tell me more))?"
    r"\s*[.!?]*$"
)
_ORDINAL_NUMBERS = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6,
}  # fmt: skip
# "油墨方面呢", "what about inks?": the words left once the follow-up's filler is dropped.
_FOLLOW_UP_FILLER = re.compile(
    r"方面|呢|嘅|的|又点|又如何|点样|怎样|如何|那|咁|还有|仲有|有冇|有没有|有什么|有咩|有乜|有哪些|关于|"
    r"\bwhat about\b|\bhow about\b|\band\b|\babout\b|\bany\b|\bfor\b|[?？!！。.,，]"
)


_FOLLOW_UP_MARK = re.compile(
    r"方面|呢[?？]?$|^(?:what|how) about\b|^and\b|^咁|^那"
    # "有什么技术", "喷涂行业的" after VOC guides: more of that topic
    r"|^(?:有什么|有咩|有乜|有哪些)|^.{2,10}(?:行业|行业嘅|业)(?:嘅|的)[?？]?$"
    r"|^(?:有冇|有没有)(?:讲|提|关于)?.{0,8}(?:嘅|的)[?？]?$|^any (?:on|about|for)\b"  # "有冇講油墨嘅？"
)


# The 2012 paper's paragraphs that set the programme's terms (items, shares, who may
# apply): a guide that cites them states the extension's terms, not every phase's.
_TERMS_PARAGRAPHS = frozenset({"para 11", "para 12(b)", "para 12(c)", "para 12(d)", "para 18"})
_EXTENSION = "2013-extension"


def _terms_dated(dialogue: Dialogue, unit: Any, reply: Reply) -> None:
    """A guide section that states the extension's terms, read on a day of another phase,
    says whose terms they are: a guide is know-how, and today's terms are the verdict's."""
    if not _TERMS_PARAGRAPHS & set(unit.citations):
        return
    phase = dialogue.rulebook.phase_at(dialogue.default_day())
    if phase is not None and phase.id == _EXTENSION:
        return
    from bot.core.flows.eligibility import phase_values

    extension = dialogue.rulebook.get(_EXTENSION)
    if extension is None:
        return
    reply.add(
        note(
            "The programme terms in this section are those of the {phase} ({period}), from the 2012 paper. For the terms that apply now, ask me whether your factory can apply, or for an estimate.",
            **phase_values(extension),
        )
    )


def open_numbered(dialogue: Dialogue, session: Session, folded: str) -> Reply | None:
    """A result of the list shown, named by its number as typed; None if the words are no
    such number or the list has no result of that number."""
    match = _ORDINAL.match(folded.strip())
    ids = session.search.get("ids") or []
    if match is None or not ids:
        return None
    word = match.group(1) or match.group(2)
    number = int(word) if word.isdigit() else _ORDINAL_NUMBERS.get(word, 0)
    index = number - 1 - int(session.search.get("offset", 0))
    if not 0 <= index < len(ids):
        index = number - 1  # counted on the page shown
    if not 0 <= index < len(ids):
        return None
    return on_tap(dialogue, session, Tapped(session.generation, "open", ids[index]))


# "可唔可以俾返啲詳細啲嘅資料我？", "tell me more", "more details please": the first
# result of the list shown, in full
_MORE_DETAIL = re.compile(
    r"详细啲|详细些|详细点|详细一点|详细资料|详细内容|详情|多啲资料|多些资料|更多资料|更详细|具体啲|具体些|讲多啲|说多些"
    r"|\bmore (?:details?|info|information)\b|\btell me more\b|\bdetails?(?: please)?\s*[?.!]*$|\belaborate\b"
    r"|展开|讲讲|讲下|讲吓|说说"
)


def open_detail(dialogue: Dialogue, session: Session, folded: str) -> Reply | None:
    """More detail asked: the result shown whose title shares the most words with the
    message ("水性漆那部分展开讲讲"), else the first."""
    ids = session.search.get("ids") or []
    if not ids or len(folded) > 40 or not _MORE_DETAIL.search(folded):
        return None
    words = _MORE_DETAIL.sub(" ", folded)
    scores = {i: _shared(dialogue, session, i, words) for i in ids}
    chosen = max(ids, key=lambda i: (scores[i], -ids.index(i)))
    if scores[chosen] == 0 and _another_topic(dialogue, session, words, ids):
        return None  # "讲下电镀废水" after printing results: another topic, searched
    return on_tap(dialogue, session, Tapped(session.generation, "open", chosen))


def _another_topic(dialogue: Dialogue, session: Session, words: str, ids: list[str]) -> bool:
    """The words name a topic the guides cover, best found in a guide other than those of
    the results shown."""
    from bot.core.reading import names_guide_topic

    if dialogue.kb is None or not names_guide_topic(words):
        return False
    page = dialogue.kb.search(words, session.locale or "en", limit=1, offset=0)
    if not page.hits or page.hits[0].kind == "faq":
        return False
    shown = {i.split("#")[0] for i in ids}
    return page.hits[0].id.split("#")[0] not in shown


def _cjk_pairs(text: str) -> set[str]:
    """Every run of two Chinese characters in ``text``: what two titles or a title and a
    message share, compared without a word list."""
    return {
        text[i : i + 2]
        for i in range(len(text) - 1)
        if re.fullmatch(r"[\u4e00-\u9fff]{2}", text[i : i + 2])
    }


def _shared(dialogue: Dialogue, session: Session, unit_id: str, words: str) -> int:
    """How many two-character runs or Latin words of ``words`` a result's title has."""
    unit = dialogue.kb.unit(unit_id) if dialogue.kb is not None else None
    if unit is None:
        return 0
    title = fold(unit.title.get(session.locale or "en", "") or unit.title.get("en", ""))
    pairs = _cjk_pairs(words)
    latin = {w for w in re.findall(r"[a-z]{4,}", words)}
    return sum(p in title for p in pairs) + sum(w in title for w in latin)


def follow_up_query(dialogue: Dialogue, session: Session, folded: str) -> str | None:
    """ "油墨方面呢" after a search on printing: the new words with the guide the last
    results came from, so the follow-up stays in that industry."""
    ids = session.search.get("ids") or []
    if dialogue.kb is None or not ids or len(folded) > 24:
        return None
    if not _FOLLOW_UP_MARK.search(folded.strip()):
        return None  # a new question ("有冇食品廠污水嘅"), searched on its own
    words = _FOLLOW_UP_FILLER.sub(" ", folded).strip()
    if not words or words == folded.strip():
        return None
    unit = dialogue.kb.unit(ids[0])
    if unit is None or unit.kind == "faq":
        return None
    locale = session.locale or "en"
    topic = _topic(unit.title.get(locale, "") or "")
    if _names_another_guide(dialogue, words, locale, topic):
        return None  # "咁有冇印刷業減VOC嘅？" after plating: printing, on its own
    return f"{words} {topic}".strip()


def _topic(title: str) -> str:
    """ "印刷業：清潔生產實用指南" → "印刷業": the industry a guide is for."""
    return re.split(r"[:：]", title)[0]


def _names_another_guide(dialogue: Dialogue, words: str, locale: str, topic: str) -> bool:
    """Whether the follow-up's words name another guide's industry: its best hit is in
    another guide whose industry the words contain ("printing", "印刷", "食品")."""
    page = dialogue.kb.search(words, locale, limit=3, offset=0)  # type: ignore[union-attr]
    hit = next((h for h in page.hits if h.kind != "faq"), None)
    if hit is None or _topic(hit.title) == topic:
        return False
    other = fold(_topic(hit.title))
    if re.search(r"[\u4e00-\u9fff]", other):
        return any(p in words for p in _cjk_pairs(other))
    names = {w for w in re.findall(r"[a-z]{4,}", other) if w not in ("industry", "industries")}
    return any(re.search(rf"\b{re.escape(w[:5])}", words) for w in names)


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
        if unit.kind != "faq":
            _terms_dated(dialogue, unit, reply)
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
        # The page shown is the one a typed number counts on ("打開第5個").
        session.search["offset"] = offset
        session.search["ids"] = [h.id for h in page.hits]
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
