"""Welcome, main menu, help, language choice, and the polite answers to what the bot
cannot read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.buttons import Tapped, button
from bot.core.locales import LANGUAGE_NAMES
from bot.core.reply import Reply, T, Verbatim, title
from bot.core.session import Session
from bot.core.textnorm import fold

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

LANGUAGE_ALIASES = {
    "en": "en",
    "english": "en",
    "繁": "zh_Hant_HK",
    "繁體": "zh_Hant_HK",
    "繁體中文": "zh_Hant_HK",
    "zh-hant": "zh_Hant_HK",
    "zh_hant_hk": "zh_Hant_HK",
    "hk": "zh_Hant_HK",
    "简": "zh_Hans_CN",
    "简体": "zh_Hans_CN",
    "简体中文": "zh_Hans_CN",
    "zh-hans": "zh_Hans_CN",
    "zh_hans_cn": "zh_Hans_CN",
    "cn": "zh_Hans_CN",
}
DEEP_LINKS = ("eligibility", "subsidy", "guides", "hotline")


def menu_rows(reply: Reply, session: Session) -> Reply:
    g = session.generation
    reply.row(
        button(T("Am I eligible?"), g, "menu", "eligibility"),
        button(T("Estimate my subsidy"), g, "menu", "subsidy"),
    )
    reply.row(
        button(T("Practical guides"), g, "menu", "guides"),
        button(T("Talk to a person"), g, "menu", "person"),
    )
    reply.row(button(T("Language"), g, "menu", "language"))
    return reply


def welcome(dialogue: Dialogue, session: Session, cancelled: bool = False) -> Reply:
    reply = Reply("greeting")
    if cancelled:
        reply.add(T("OK, stopped. What would you like to do next?"))
    else:
        reply.add(
            title("Cleaner Production Partnership Programme"),
            T(
                "I can tell you whether your factory can apply, estimate your subsidy, "
                "find practical cleaner-production guides, or pass your enquiry to the "
                "programme's hotline staff."
            ),
            T("Tap a button, or just type your question."),
        )
    return menu_rows(reply, session)


def help_reply(dialogue: Dialogue, session: Session) -> Reply:
    reply = Reply("help").add(
        title("What I can do"),
        T("• Eligibility: tell me where your factory is, e.g. “My factory is in Humen, Dongguan”."),
        T("• Subsidy: give the item and the cost, e.g. “demonstration project, HK$400k”."),
        T(
            "• Guides: ask how to cut pollution or costs, e.g. “how to reduce VOC from spray painting”."
        ),
        T("• A person: type “talk to a person” to reach the hotline staff."),
        T("Commands: /start menu · /lang language · /caps subsidy caps · /cancel stop"),
    )
    return menu_rows(reply, session)


def _entries() -> dict[str, Callable[[Dialogue, Session], Reply]]:
    """Where each menu button and /start deep link leads."""
    from bot.core.flows import answer, guides, handoff

    return {
        "eligibility": answer.start_verdict,
        "subsidy": answer.start_estimate,
        "guides": guides.start,
        "hotline": handoff.hotline,
        "person": handoff.offer,
        "language": lambda d, s: language_choice(d, s, ""),
        "home": welcome,
    }


def on_start(dialogue: Dialogue, session: Session, payload: str) -> Reply:
    """/start, or a deep link t.me/<bot>?start=eligibility|subsidy|guides|hotline. Starting
    again starts a new case; the main-menu button keeps the case."""
    session.start(None)
    session.case, session.facts, session.last_ask = {}, {}, None
    payload = payload.strip().lower()
    entry = _entries().get(payload) if payload in DEEP_LINKS else None
    return entry(dialogue, session) if entry else welcome(dialogue, session)


def on_menu(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    entry = _entries().get(tapped.arg)
    if entry is None:
        return None
    if tapped.arg == "home":
        session.start(None)
    return entry(dialogue, session)


def language_choice(dialogue: Dialogue, session: Session, args: str) -> Reply:
    wanted = LANGUAGE_ALIASES.get(args.strip().casefold())
    if wanted:
        return set_language(session, wanted)
    reply = Reply("help").add(T("Choose your language:"))
    reply.row(
        *(
            button(Verbatim(name), session.generation, "lang", code)
            for code, name in LANGUAGE_NAMES.items()
        )
    )
    return reply


# "please reply in English", "用英文答我", "講廣東話得唔得", "请用简体": the reply language
# asked for in words, as the Language button would set it
_LANGUAGE_ASKED = re.compile(
    r"^(?:(?:can you|could you|do you|pls|please|can|could|ok|okay|i|we|from now on,?)\s+)*(?:(?:reply|answer|respond|write|talk|type)"
    r"(?:\s+(?:to me|me))?\s+in\s+|speak\s+(?:in\s+)?|(?:in\s+)"
    # "I'd like English", "I prefer to use Mandarin", "switch to Cantonese"
    r"|i(?:'d| would)?\s+(?:like|want|prefer)(?:\s+to\s+(?:use|speak|have it in|read))?\s+(?:in\s+)?"
    r"|(?:switch|change)(?:\s+it)?\s+to\s+)?(?P<en>english|chinese|cantonese|mandarin|putonghua"
    r"|traditional chinese|simplified chinese)(?:\s+please|\s+pls)?(?:\s+from now on)?(?:\s+(?:please|pls|thanks))?[.!?]*$"
    # "能不能说普通话", "咁用返中文啦"
    r"|^(?:咁|那|那么|好|ok)?\s*(?:以后|以後|之后|由而家开始|从现在开始|由家阵开始)?(?:我|你|你们|你哋)?(?:想|要|想要|希望|想你)?"
    r"(?:请|請|唔该|可唔可以|可不可以|可以|能不能|能否|可否)?(?:你)?"
    r"(?:切换回|切换到|切换成|切换|切回|转回|换回|改回|改返|用返|用番|用|讲|讲返|说|回复|答|转|转做|转用|转返|换|换成|改用)(?P<cn>英文|英语|中文|繁体|简体|繁体字|简体字"
    r"|广东话|粤语|普通话|国语)(?:字|中文)?(?:回复|回答|答|覆|讲|同我讲|跟我说|同你讲|跟你说|同你倾|跟你聊|倾|啦|吧|呀|得唔得|可以吗|好吗)?(?:我)?[。.!！?？]*$"
    # "你哋有冇英文？", "有没有英文版": the language offered, asked for
    r"|^(?:你哋|你们|你|请问)?(?:有冇|有没有|有无|可唔可以用|可不可以用)(?:得)?(?:讲|说|用)?(?P<offered>英文|英语|中文|繁体|简体"
    r"|广东话|粤语|普通话|国语)(?:版|版本)?(?:㗎|呀|吗|啊)?[。.!！?？]*$"
)
# The words of the /language command (folded), and the languages' names people type
_LANGUAGE_WORDS = {fold(word): locale for word, locale in LANGUAGE_ALIASES.items()} | {
    "英文": "en",
    "英语": "en",
    "cantonese": "zh_Hant_HK",
    "traditional chinese": "zh_Hant_HK",
    "繁体字": "zh_Hant_HK",
    "广东话": "zh_Hant_HK",
    "粤语": "zh_Hant_HK",
    "mandarin": "zh_Hans_CN",
    "putonghua": "zh_Hans_CN",
    "simplified chinese": "zh_Hans_CN",
    "简体字": "zh_Hans_CN",
    "普通话": "zh_Hans_CN",
    "国语": "zh_Hans_CN",
}


def language_asked(text: str, folded: str, script_locale: str) -> str | None:
    """The reply language a message asks for in words, or None. "Chinese" alone is the
    script the message is written in (Simplified, else Traditional)."""
    found = _LANGUAGE_ASKED.match(folded.strip())
    if found is None:
        return None
    word = found.group("en") or found.group("cn") or found.group("offered")
    if word in ("chinese", "中文"):
        return "zh_Hans_CN" if script_locale == "zh_Hans_CN" else "zh_Hant_HK"
    return _LANGUAGE_WORDS.get(word)


def on_language(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    if tapped.arg not in LANGUAGE_NAMES:
        return None
    return set_language(session, tapped.arg)


def set_language(session: Session, locale: str) -> Reply:
    session.locale_choice = locale
    session.locale = locale
    reply = Reply("help", locale=locale).add(T("Language set: English. I will reply in English."))
    return menu_rows(reply, session)


def on_cancel(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    """A Cancel button: leave whatever is being asked; the case is kept."""
    if tapped.arg == "handoff":
        from bot.core.flows import handoff

        return handoff.on_tap(dialogue, session, tapped)
    session.start(None)
    return welcome(dialogue, session, cancelled=True)


SMALL_TALK = {
    "thanks": T("You're welcome."),
    "bye": T("Goodbye — come back any time."),
    "ack": T("OK. Ask me anything else about the programme whenever you like."),
    "complaint": T("I'm sorry about that."),
    "anyone": T(
        "I'm the programme's automated assistant. I can answer most questions here, or pass you to a person."
    ),
}


def small_talk(dialogue: Dialogue, session: Session, kind: str, reply: Reply) -> Reply:
    """A word back to thanks, goodbyes, complaints and "is anyone there"; a complaint and
    "anyone there" are offered a person."""
    if kind == "greeting":
        reply.add(T("Hello!"))
        return reply
    reply.add(SMALL_TALK[kind])
    if kind in ("complaint", "anyone"):
        from bot.core.flows import handoff

        handoff.offer_into(dialogue, session, reply, complaint=kind == "complaint")
    return reply


def off_topic(dialogue: Dialogue, session: Session, reply: Reply) -> Reply:
    reply.intent = "out_of_scope"
    reply.add(
        T(
            "I can only help with the Cleaner Production Partnership Programme: who can apply, "
            "subsidy estimates, cleaner-production guides, or passing your enquiry to staff."
        )
    )
    return menu_rows(reply, session)


def sources_reply(dialogue: Dialogue, session: Session) -> Reply:
    """The full entries of the sources behind the last answer."""
    from bot.core.reply import SourceEntries

    reply = Reply("help").add(title("Sources"))
    if session.last_citations:
        reply.add(SourceEntries(tuple(session.last_citations)))
    else:
        reply.add(T("No sources to show."))
    return reply


def sources_named(dialogue: Dialogue, session: Session, ids: list[str]) -> Reply:
    """ "W9是什么？", "what are your sources?": the sources named, or all of them, each
    with the id the answers cite it by."""
    from bot.core.reply import SourceEntries
    from bot.core.sources import load_sources

    reply = Reply("help").add(title("Sources"))
    if not ids:
        reply.add(T("My answers rest only on these public sources, each cited by its id:"))
        ids = [source.id for source in load_sources().sources]
    reply.add(SourceEntries(tuple(ids), with_ids=True))
    return reply


def apology(dialogue: Dialogue, session: Session) -> Reply:
    """When answering failed: say so, and give the way to a person."""
    from bot.core.flows import handoff

    reply = Reply("help").add(
        T(
            "Sorry, something went wrong on my side with that message. Please try again in other words, or call the hotline:"
        )
    )
    handoff.add_call_buttons(dialogue, session, reply)
    return menu_rows(reply, session)


def expired(dialogue: Dialogue, session: Session) -> Reply:
    session.start(None)
    reply = Reply("help").add(T("That menu has expired. Here is the main menu."))
    return menu_rows(reply, session)


def empty(dialogue: Dialogue, session: Session) -> Reply:
    reply = Reply("help").add(T("Please type your question, or tap a button."))
    return menu_rows(reply, session)


def unknown_command(dialogue: Dialogue, session: Session) -> Reply:
    reply = Reply("help").add(T("I don't know that command. Here is what I can do."))
    return menu_rows(reply, session)


UNSUPPORTED = {
    "voice": T(
        "I can only read text, so I can't listen to voice messages. Please type your question, or call the hotline."
    ),
    "video_note": T(
        "I can only read text, so I can't watch videos. Please type your question, or call the hotline."
    ),
    "sticker": T("Nice sticker! I read text only — please type your question."),
}


def unsupported(dialogue: Dialogue, session: Session, kind: str) -> Reply:
    from bot.core.flows import handoff

    message = UNSUPPORTED.get(
        kind, T("I can only read text messages. Please type your question, or tap a button.")
    )
    reply = Reply("help").add(message)
    if kind in ("voice", "video_note", "audio"):
        handoff.add_call_buttons(dialogue, session, reply)
    return menu_rows(reply, session)
