"""Hand-off to a person: the hotline numbers, or an enquiry left for the desk's staff.

The bot asks only for what it does not know yet (name, company, phone, place, topic),
shows a summary to confirm, and opens a ticket through ``dialogue.tickets``; while the
ticket is open the user's messages go to staff.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import TYPE_CHECKING, Any

from bot.core.buttons import Tapped, button
from bot.core.language import looks_like_code
from bot.core.reading import refuses_an_enquiry
from bot.core.reply import Button, Local, Reply, T, Verbatim, note, title
from bot.core.session import Session
from bot.core.textnorm import fold
from bot.core.tickets.records import EMAIL_ADDRESS, is_email

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


def add_call_buttons(dialogue: Dialogue, session: Session | None, reply: Reply) -> Reply:
    for desk, phone in _desk_phones(dialogue):
        reply.add(T("{desk}: {phone}", desk=Local(desk.name), phone=Verbatim(phone)))
    return reply


def hotline_lines(dialogue: Dialogue, reply: Reply) -> Reply:
    """The numbers to call, as the sources give them."""
    reply.add(title("Programme hotline"))
    add_call_buttons(dialogue, None, reply)
    # The count is the 2012 paper's (the last phase whose sources state one).
    counted = next(
        (p["hotlines"] for p in reversed(dialogue.rulebook.phases) if p.stated("hotlines")), None
    )
    if counted is not None:
        reply.add(
            T(
                "The 2012 paper counts {count} enquiry hotlines; our sources give the number of the Hong Kong one only.",
                count=counted.value,
            )
        )
        reply.cite(*counted.citations)
    reply.cite(*dialogue.contacts.phone.citations)
    return reply


def hotline(dialogue: Dialogue, session: Session) -> Reply:
    reply = hotline_lines(dialogue, Reply("hotline"))
    g = session.generation
    reply.row(
        button(T("Leave an enquiry"), g, "handoff", "leave"),
        button(T("Main menu"), g, "menu", "home"),
    )
    return reply


def _staff_can_reply(dialogue: Dialogue, session: Session) -> bool:
    """Whether an enquiry left now would reach a staff chat that can answer here."""
    tickets = dialogue.tickets
    if tickets is None or not hasattr(tickets, "chat_for"):
        return False
    from bot.core import places

    place_id = session.facts.get("place")
    try:
        place = places.get(place_id) if place_id else None
    except KeyError:
        place = None
    return tickets.chat_for(dialogue.desks.for_place(place)) is not None


def offer_into(
    dialogue: Dialogue, session: Session, reply: Reply, complaint: bool = False
) -> Reply:
    """Offer a person: the hotline, or an enquiry left here. In-chat replies are promised
    only when a staff chat is set up to give them."""
    reply.handoff = True
    ticket = open_ticket(dialogue, session)
    if ticket is not None:
        session.flow, session.step = "handoff", "open"
        session.handoff = {**session.handoff, "ref": ticket.ref}
        return reply.add(
            T(
                "Your enquiry {ref} is open; staff will reply here. Anything you type now goes to them.",
                ref=Verbatim(ticket.ref),
            )
        )
    if session.flow == "handoff" and session.step == "open":
        session.start(None)
    if session.flow is None:
        # A name typed next ("陳大文") starts the enquiry as the button would (on_text).
        session.flow, session.step = "handoff", OFFERED
    if not complaint:
        reply.add(title("Talk to a person"))
    if _staff_can_reply(dialogue, session):
        reply.add(
            T(
                "You can call the hotline, or leave your enquiry here and staff will reply in this chat."
            )
        )
    else:
        reply.add(
            T(
                "You can call the hotline, or leave your enquiry here: it is recorded under a reference number for the staff."
            )
        )
    add_call_buttons(dialogue, session, reply)
    reply.cite(*dialogue.contacts.phone.citations)
    g = session.generation
    reply.row(button(T("Leave an enquiry"), g, "handoff", "leave"))
    reply.row(button(T("Main menu"), g, "menu", "home"))
    return reply


# The step after the offer of a person: no form yet, but a name typed now starts one.
OFFERED = "offered"
# Yes to the offer of leaving an enquiry
_YES_TO_THE_OFFER = frozenset(
    [
        "yes",
        "yes please",
        "yep",
        "yeah",
        "sure",
        "please",
        "係",
        "係呀",
        "系",
        "系呀",
        "系啊",
        "是",
        "是的",
        "好",
        "好呀",
        "好啊",
        "确认",
        "確認",
        "留言",
        "要",
        "要呀",
        "ok",
        "okay",
    ]
)
_GIVES_NAME = re.compile(
    r"^(?:my name is|my name's|name is|i am|i'm|this is|call me|我叫|我係|我是|叫我|本人)\s*"
)
# Replies to the offer that have the shape of a name but are none ("no", "later").
_SHORT_REPLIES = frozenset(
    [
        "no",
        "nope",
        "nah",
        "yes",
        "yep",
        "yeah",
        "sure",
        "fine",
        "maybe",
        "later",
        "hmm",
        "what",
        "why",
        "huh",
        "help",
        "menu",
        "start",
        "stop",
        "back",
        "done",
        "y",
        "n",
        "k",
    ]
)
_LATIN_NAME = re.compile(r"[a-z][a-z.'-]*(?: [a-z][a-z.'-]*){0,3}")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,5}")


# "I want staff. name is Mary Chan", "搵職員，我叫陳大文": a name given with the request
_NAME_IN_REQUEST = re.compile(
    r"(?:^|[.,，。;；!！]\s*|\s)(?:my name is|my name's|name is|name:|我叫|我係|我是|本人)\s*"
    r"(?P<name>[A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,3}|[\u4e00-\u9fff]{2,4})\s*[.。!！]?\s*$",
    re.IGNORECASE,
)


# "我叫王伟", "my name is Peter Chan", anywhere in a request for a person
_NAME_SAID = re.compile(
    r"(?i:我叫|我係|我是|本人|my name is|my name's|name is|i am|i'm|this is)\s*"
    r"(?P<name>[\u4e00-\u9fff]{2,4}(?=[,，。.;；\s]|$)|[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,2})",
)
# "我姓李", "本人姓陳"
_SURNAME_SAID = re.compile(r"(?:我|本人)姓(?P<name>[\u4e00-\u9fff](?:先生|小姐|太太|生|姐)?)")
# "想问新技术项目怎么申请", "I want to ask about the RTO": what the enquiry is about
_TOPIC_SAID = re.compile(
    r"(?P<topic>(?:想问|想問|想了解|想查询|想查詢|想咨询|想諮詢|想知道|i want to ask|i'd like to ask"
    r"|we want to ask|want to know|question is|my question)[^\n]{4,})",
    re.IGNORECASE,
)


# "about subsidy for my shenzhen plant", "關於新技術項目": what an enquiry is about
_ABOUT_A_TOPIC = re.compile(
    r"(?:about|regarding|re:|question about|关于|想问|想了解)\b|(?:关于|想问|想了解)"
)
# The words around an e-mail address that only say it is one
_EMAIL_SAID = re.compile(
    r"(?:我的|我嘅|my\s+)?(?:邮箱|电邮|电子邮件|电子邮箱|e-?mail|mail)(?:\s*(?:地址|address))?"
    r"\s*(?:是|系|:|：|is)?\s*"
)
# "Peter Wong from ABC Ltd": a name, then the company it is from
_NAME_FROM_COMPANY = re.compile(
    r"(?:^|[,，.]\s*|\b(?:hi|hello|hey)[,，]?\s+)(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}) from "
    r"(?P<company>[A-Z][\w&'. -]{1,40}?\b(?:Ltd|Limited|Co|Company|Inc|Corp|Group)\b\.?)"
)
# A Hong Kong or Mainland phone number by its shape alone
_PHONE_SHAPED = re.compile(
    r"(?<![\d$.,])(?:\+?852[ -]?)?[2-9]\d{3}[ -]?\d{4}(?![\d,.]\d|\d|\s*(?:萬|万|k\b|元|蚊))"
    r"|(?<![\d$.,])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"
)


def details_in_request(session: Session, text: str) -> dict[str, str]:
    """What a request for a person already says for the enquiry form: "我要找人工跟进，我叫
    王伟，电话13800138000，公司是伟达塑胶，厂在惠州惠阳，想问新技术项目怎么申请"."""
    found = _labelled_fields(session, text)
    found.pop("name", None)  # "name" as a label is rare in a request; "我叫" says it
    name = _NAME_SAID.search(text)
    surname = _SURNAME_SAID.search(text)
    if name is not None:
        found["name"] = name.group("name").strip()[: LIMITS["name"]]
    elif surname is not None:  # "我姓李": the surname, as the user gives it
        found["name"] = surname.group("name")
    elif (named := _NAME_FROM_COMPANY.search(text)) is not None:
        found["name"] = named.group("name")[: LIMITS["name"]]
        found.setdefault("company", named.group("company").strip(" .")[: LIMITS["company"]])
    if "place" not in found:
        # "間廠喺東莞鳳崗": the one place said of the factory, however it is put
        from bot.core.reading import read

        stated = {f.value for f in read(text).of("place", "stated")}
        if len(stated) == 1:
            found["place"] = _place_label(session, stated.pop())
    if "phone" not in found and (number := _PHONE_SHAPED.search(text)) is not None:
        # "Please have someone call me - Mary Wong, ABC Plastics Ltd, 9876 5432."
        found["phone"] = number.group(0).strip()[: LIMITS["phone"]]
    topic = _TOPIC_SAID.search(text)
    if topic is not None and found:
        found["topic"] = topic.group("topic").strip(" .。")[: LIMITS["topic"]]
    return found


def name_in_request(text: str) -> str | None:
    """The name said at the end of a request for a person, or None."""
    match = _NAME_IN_REQUEST.search(text.strip())
    return match.group("name")[: LIMITS["name"]] if match else None


def _given_name(reading: Any) -> str | None:
    """The name in a message that says nothing else ("陳大文", "I'm Chan Tai Man",
    "我叫王明"), or None. Whatever the reading finds in it (a place, a question, a
    greeting, a fact of the case) makes it no name."""
    text = reading.text.strip().strip(".。!！")
    if (
        not text
        or reading.asks
        or reading.smalltalk
        or reading.facts
        or (reading.place_choice and not reading.place_suggested)  # a guess: "Chan Tai"
        or reading.u.amounts
        or _looks_like_question(text)
        or _looks_like_phone(text)
        or _is_acknowledgement(text)
        or fold(text) in _SHORT_REPLIES
    ):
        return None
    folded = fold(text)
    cue = _GIVES_NAME.match(folded)
    name = text[cue.end() :].strip() if cue else text
    bare = fold(name)
    if _LATIN_NAME.fullmatch(bare) or _CJK_NAME.fullmatch(bare):
        return name[: LIMITS["name"]]
    return None


# "公司叫 大興五金有限公司", "the company is ABC Ltd": the words before the company's name.
_COMPANY_NAMED = (
    r"(?:the |our |my )?company(?: name)? is"
    r"|(?:我哋|我地|我们|我)?(?:嘅|的)?公司(?:名)?(?:叫做|叫|系|是|名系|名是|名叫)"
)
_GIVES_COMPANY = re.compile(
    rf"^(?:{_COMPANY_NAMED}|it's|we are"
    # "company: Chan Bros Furniture", "公司：大興": the field's label typed before it
    r"|company(?: name)?(?=\s*[:：])|公司(?:名(?:称)?)?(?=\s*[:：]))\s*[:：]?\s*"
)
# "公司是…", "our company is …": the company named outright, at whatever step
_COMPANY_IS = re.compile(rf"^(?:{_COMPANY_NAMED})\s*[:：]?\s*")
# A question this long at a form step is an enquiry, kept, not a quick one answered.
_SHORT_QUESTION = 40
# "Chan Tai Man, 9123 4567", "陳生 61234567": a name and a number, for a call back.
_NAME_AND_PHONE = re.compile(
    r"^\s*(?P<name>[A-Za-z][A-Za-z .'-]{1,40}?|[\u4e00-\u9fff]{1,4}(?:先生|小姐|太太|生|姐)?)"
    r"\s*[,，、/;；:：]?\s*(?:(?:tel|phone|mobile|電話|电话)\s*[:：]?\s*)?"
    r"(?P<phone>\+?[\d][\d -]{6,18}\d)\s*[.。]?\s*$",
    re.IGNORECASE,
)


# A phone number alone, written as one: "+86 138 0013 8000", "+852 9123 4567",
# "9123 4567", "138-0013-8000", "13800138000" (a bare "400000" is a cost)
_PHONE_ALONE = re.compile(
    r"^\s*(?:(?:tel|phone|mobile|電話|电话|手機|手机)\s*[:：]?\s*)?"
    r"(?P<phone>\+\d{2,3}[ -]?\d[\d -]{6,15}\d|\d{4}[ -]\d{4}|1\d{2}[ -]\d{4}[ -]\d{4}|1[3-9]\d{9}"
    # a Hong Kong mobile written solid ("91234567"); a round figure (50000000) is a cost
    r"|[569]\d{7}(?<!00000))"
    r"\s*[.。]?\s*$",
    re.IGNORECASE,
)


def _enough_digits(match: re.Match[str]) -> bool:
    return sum(ch.isdigit() for ch in match.group("phone")) >= 7


def name_after_offer(dialogue: Dialogue, session: Session, reading: Any) -> Reply | None:
    """A name alone ("陈先生") right after a question answered while a person was on
    offer: the enquiry form, begun with that name."""
    if not session.handoff.pop("offered_before", False):
        return None
    name = _given_name(reading)
    if name is None:
        return None
    session.handoff.setdefault("known", {})["name"] = name
    return _begin(
        dialogue,
        session,
        Reply("handoff", handoff=True).add(T("Thanks — I have started your enquiry with that name.")),
    )


def name_and_phone(
    dialogue: Dialogue, session: Session, text: str, phone_alone: bool = True
) -> Reply | None:
    """A name and a phone number typed outside the form: the enquiry form, begun with
    both (a call back is what they want). ``phone_alone``: a number alone counts too (not
    while a question such as the cost waits for its answer)."""
    alone = _PHONE_ALONE.match(text) if phone_alone else None
    if alone is not None:
        # "+86 138 0013 8000" typed with no form open: a number to be called back on
        session.handoff.setdefault("known", {})["phone"] = alone.group("phone").strip()[
            : LIMITS["phone"]
        ]
        kept = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
        return begin_form(dialogue, session, kept)
    match = _NAME_AND_PHONE.match(text)
    if match is None or not _enough_digits(match):
        return None
    known = session.handoff.setdefault("known", {})
    name = match.group("name").strip()
    if not _NOT_A_NAME.search(fold(name)):  # "change phone to 6987 1234": a number alone
        known["name"] = name[: LIMITS["name"]]
    known["phone"] = match.group("phone").strip()[: LIMITS["phone"]]
    return begin_form(dialogue, session)


# Words before a number that are an instruction, not a person's name.
_NOT_A_NAME = re.compile(
    r"\b(?:change|update|correct|phone|number|tel|mobile|my|is|to|call|me|contact|new)\b"
    r"|改|电话|号码|手机|打俾|打给|联络"
)


# "ok, continue my enquiry", "好，繼續留言": back to a form left for a question.
_CONTINUE = re.compile(
    r"^(?:(?:ok|okay|好|好的|好吧|得)[,，\s]*)?(?:now |let's |lets )?"
    r"(?:continue|go on|carry on|back to|go back to)(?: (?:with )?(?:my|the) (?:enquiry|inquiry|form|message)(?: form)?)?"
    r"(?: (?:to|for) (?:the )?staff)?(?: please| pls| now)?"
    r"|^(?:(?:ok|okay|好|好的|好吧|得|咁|那|那么|噉)[,，\s]*)*(?:我|我哋|我们)?(?:都系|还是|仲系)?"
    r"(?:继续|返回|返去|回去|返嚟)(?:留言|填写?|查询|咨询|登记|填表)?(?:吧|啦|喇|先)?"
    # "好，咁而家留言", "ok now leave the message": the form, after an aside
    r"|^(?:(?:ok|okay|好|好的|好吧|得)[,，\s]*)*(?:咁|那|那么|噉)?(?:而家|现在|依家)(?:先)?(?:留言|留低查询|填表)(?:吧|啦|喇)?"
    r"|^(?:(?:ok|okay)[,\s]*)?(?:now )?(?:leave|send) (?:the|my) (?:message|enquiry)(?: now)?"
    # "算了，不改了", "no changes": nothing to change after all
    r"|^(?:(?:算了|算啦|算数|ok|okay|好|好的)[,，\s]*)?(?:不改了|不改|唔改喇|唔改啦|唔改|不用改了?|唔使改喇?"
    r"|冇嘢要改|没什么要改|nothing to change|no changes?|leave it(?: as it is)?)"
)


def resume(
    dialogue: Dialogue, session: Session, text: str, reading: Any = None, pending: str | None = None
) -> Reply | None:
    """While a form waits (left for a question): "continue" resumes it; so does a phone
    number typed alone, a corrected phone number or answer ("電話打錯咗，應該係…"), or
    the place the form was asking for ("東莞塘廈") when the answer asked nothing about
    a place."""
    if _says_continue(text):  # "唔該繼續", "please continue": not a thank-you
        return _begin(dialogue, session)
    paused = session.handoff["paused"].setdefault("details", {})
    corrected = _phone_corrected(text)
    if corrected:
        paused["phone"] = corrected[: LIMITS["phone"]]
        reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
        return _begin(dialogue, session, reply)
    if reading is not None:
        fixed = _field_corrected(session, reading)
        if fixed is not None and fixed[0] in ("name", "company", "place"):
            paused[fixed[0]] = fixed[1][: LIMITS[fixed[0]]]
            if fixed[0] == "place":
                _route_by(session, reading.text)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
            return _begin(dialogue, session, reply)
        known = session.handoff.get("known", {})
        waiting = next((f for f in FIELDS if not (paused.get(f) or known.get(f))), None)
        named = _place_alone(session, reading)
        if waiting == "place" and named and pending not in ("place", "place_choice"):
            # the form's own question, answered after the aside
            paused["place"] = named
            _route_by(session, reading.text)
            return _begin(dialogue, session)
    digits = sum(ch.isdigit() for ch in text)
    if not (_looks_like_phone(text) and digits >= 8 and not re.search(r"[^\d\s()+-]", text)):
        return None  # "8位数字" or "HK$50000000" at a cost question is no phone
    session.handoff["paused"].setdefault("details", {})["phone"] = text.strip()[: LIMITS["phone"]]
    return _begin(
        dialogue,
        session,
        Reply("handoff", handoff=True).add(T("Thanks — I have kept your number.")),
    )


def offer(dialogue: Dialogue, session: Session) -> Reply:
    return offer_into(dialogue, session, Reply("handoff", handoff=True))


def open_ticket(dialogue: Dialogue, session: Session) -> Any:
    tickets = dialogue.tickets
    return tickets.open_ticket_of(session.chat_id) if hasattr(tickets, "open_ticket_of") else None


def begin_form(dialogue: Dialogue, session: Session, reply: Reply | None = None) -> Reply:
    """ "I want to leave an enquiry": straight to the form (or to the open enquiry);
    ``reply`` carries what is said before the form's first question."""
    ticket = open_ticket(dialogue, session)
    if ticket is not None and getattr(dialogue.tickets, "reaches_staff", lambda _: True)(ticket):
        return offer(dialogue, session)
    return _begin(dialogue, session, reply)


# "唔知", "不清楚", "not sure": no answer to give
_DONT_KNOW = re.compile(
    r"唔知|唔知道|唔清楚|唔肯定|不知|不知道|不清楚|不确定|未知|唔记得|不记得|忘记了"
    r"|(?:i )?(?:don't|dont|do not) know|not sure|no idea|unknown|(?:i )?(?:don't|dont) remember"
)


def _says_more_than_a_place(value: str) -> bool:
    """A sentence, not a place name: many words, or a long run of Chinese with a verb of
    wanting or asking ("我想有人打返俾我")."""
    folded = fold(value)
    if len(re.findall(r"[a-z]+", folded)) >= 7:
        return True
    return len(re.findall(r"[\u3400-\u9fff]", folded)) >= 12 and bool(
        re.search(r"我想|想问|想知|请|麻烦|帮我|可唔可以|可不可以|点解|为什么|打返|回电|覆我", folded)
    )


def _place_label(session: Session, place_id: str) -> str:
    from bot.core import places
    from bot.core.flows.eligibility import place_label

    names = place_label(places.get(place_id)).texts  # "東莞市厚街鎮", "Houjie, Dongguan"
    return names.get(session.reply_locale(None)) or names.get("en", place_id)


def _place_named(session: Session, reading: Any, own: bool = False) -> str | None:
    """The one place a message states, as the form writes it; None for none or several.
    With ``own``, only a place said of the user's own factory ("my factory in Chang'an"):
    "does the programme cover Hong Kong workshops?" names no place of theirs."""
    stated = [f.value for f in reading.facts if f.kind == "place" and f.polarity == "stated"]
    if own and not _FIRST_PERSON.search(fold(reading.text)):
        return None
    return _place_label(session, stated[0]) if len(stated) == 1 else None


def _place_first(reading: Any) -> bool:
    """The message opens with the place it names: an answer to "where is it?"."""
    stated = [f for f in reading.facts if f.kind == "place" and f.polarity == "stated"]
    return bool(stated) and fold(reading.text).lstrip().startswith(fold(stated[0].quote or "\0"))


_FIRST_PERSON = re.compile(
    r"\b(?:my|our|we|we're|i'm|i)\b|\bthe factory is\b|^(?:the )?factory (?:is )?in\b"
    r"|我|我哋|我地|我们|本厂|本公司|间厂|个厂|^(?:工)?厂(?:房)?(?:喺|在|系|设在|位于|就在)"
)


def _place_said(session: Session, reading: Any) -> None:
    """A later message that says where the user's own factory is fills the place, unless
    it only names a place around the one given ("觀塘", then "香港工場": Kwun Tong stays)."""
    named = _place_named(session, reading, own=True)
    if not named:
        return
    from bot.core import places

    kept = session.handoff.get("place_id")
    stated = next(f.value for f in reading.facts if f.kind == "place" and f.polarity == "stated")
    if kept and kept != stated and places.within(kept, stated):
        return
    session.handoff["details"]["place"] = named
    session.handoff["place_id"] = stated


def _begin(dialogue: Dialogue, session: Session, reply: Reply | None = None) -> Reply:
    """The form, with what the chat already told (name, company, phone, the factory's
    place) filled in; ``reply`` carries what is said before the first question."""
    session.start("handoff")
    known = session.handoff.get("known", {})
    paused = session.handoff.get("paused") or {}  # a form left for a question, resumed
    details: dict[str, str] = {
        k: v for k, v in known.items() if k in ("name", "company", "phone", "place", "topic")
    }
    details.update({k: v for k, v in paused.get("details", {}).items() if v})
    place = session.facts.get("place")
    kept: dict[str, Any] = {}
    if paused:  # its place was the user's own, if any ("does it cover HK workshops?": none)
        if paused.get("place_id") and details.get("place"):
            kept["place_id"] = paused["place_id"]
    elif place and not details.get("place"):
        details["place"] = _place_label(session, place)
        kept["place_id"] = place
    session.handoff = {"details": details, "known": known, **kept}
    return _ask_next(dialogue, session, reply or Reply("handoff", handoff=True))


def _ask_next(dialogue: Dialogue, session: Session, reply: Reply) -> Reply:
    details = session.handoff["details"]
    for field in FIELDS:
        if not details.get(field):
            session.step = field
            reply.add(QUESTIONS[field])
            if field == "phone":
                reply.keyboard = [[Button(T("Share my phone number"), request="contact")]]
            if field == "company":
                reply.row(button(T("Skip"), session.generation, "skip", "company"))
            reply.row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            return reply
    return _summary(session, reply)


def _summary(session: Session, reply: Reply) -> Reply:
    session.step = "confirm"
    reply.remove_keyboard = True
    reply.add(title("Please check your enquiry:"))
    details = session.handoff["details"]
    for field in FIELDS:
        value = details.get(field, "")
        name = T("E-mail") if field == "phone" and is_email(value) else FIELD_NAMES[field]
        reply.add(T("{field}: {value}", field=name, value=Verbatim(value)))
    # said every time: a user who types "ok thanks" and leaves must know it is not sent
    reply.add(T("Not sent yet: press “Send to staff” when it is right."))
    g = session.generation
    reply.row(button(T("Send to staff"), g, "confirm", "send"))
    reply.row(
        button(T("Change something"), g, "edit", "all"), button(T("Cancel"), g, "cancel", "handoff")
    )
    return reply


def on_text(dialogue: Dialogue, session: Session, reading: Any) -> Reply:
    """A typed message during the hand-off. Form answers are data: the words that ask
    for a person are not read inside them ("Human Touch Garments Ltd"); cancel words are
    never saved; a question typed at the name or company step is kept as the enquiry."""
    step = session.step
    text = reading.text.strip()
    if step == OFFERED:
        session.start(None)
        folded = fold(text).strip(" .。!！~")
        if _is_acknowledgement(text) or folded in _YES_TO_THE_OFFER:
            # "係呀", "确认", "yes please" after "leave an enquiry or call?": the form
            return _begin(dialogue, session)
        given = details_in_request(session, text)
        if (
            {"name", "phone"} & set(given)
            and len(given) >= 2
            and not reading.asks - {"person", "hotline"}
        ):
            # "我姓李，电话13800138000，工厂在东莞虎门" typed instead of tapping: the form,
            # with what it says
            session.handoff.setdefault("known", {}).update(
                {k: v for k, v in given.items() if k != "topic"}
            )
            return _begin(dialogue, session)
        name = _given_name(reading)
        if name is None or session.handoff.get("known", {}).get("name"):
            from bot.core.flows.answer import respond

            answered = respond(dialogue, session, reading)
            if session.flow is None:
                # "想问技术名单" answered after the offer: a name typed next still begins
                # the enquiry (see name_after_offer)
                session.handoff["offered_before"] = True
            return answered
        session.handoff.setdefault("known", {})["name"] = name
        return _begin(
            dialogue,
            session,
            Reply("handoff", handoff=True).add(
                T("Thanks — I have started your enquiry with that name.")
            ),
        )
    if step == "open":
        if "cancel_enquiry" in reading.asks:  # "please cancel my enquiry": not for staff
            return command(dialogue, session, "cancel_request")
        if "reference" in reading.asks:  # "what's my reference number again?": not for staff
            return reference(dialogue, session)
        return _relay(dialogue, session, reading.text)
    if step in FIELDS and _says_continue(text):
        # "算了，继续留言吧": the aside dropped, the form goes on (not left)
        return _ask_next(dialogue, session, Reply("handoff", handoff=True))
    farewell = (
        step in FIELDS
        and (reading.smalltalk == "bye" or _BYE.search(fold(text)))
        and len(fold(text)) <= 24
        and not reading.facts
    )
    if farewell or _is_exit(text) or refuses_an_enquiry(text) or _QUIT_FORM.search(fold(text)):
        # ("ok thanks, bye" at the name step: a farewell, never a name)
        # "I don't want to leave an enquiry", "算了，不填了": the form left
        session.start(None)
        session.handoff.pop("paused", None)
        if "hotline" in reading.asks:  # "算了，我还是打电话吧，热线多少": the number, form left
            return hotline(dialogue, session)
        from bot.core.flows.menu import welcome

        return welcome(dialogue, session, cancelled=True)
    quit_then = _QUIT_THEN.match(text)
    if quit_then and step in FIELDS and _declines(quit_then["rest"]):
        # "算啦，唔留喇": the form given up, nothing else asked
        session.start(None)
        session.handoff.pop("paused", None)
        from bot.core.flows.menu import welcome

        return welcome(dialogue, session, cancelled=True)
    if quit_then and step in FIELDS:
        # "算了，我想问一下新技术项目资助多少": the form left, the question answered
        from bot.core.flows.answer import respond

        session.start(None)
        session.handoff.pop("paused", None)
        turn = int(session.case.get("turn", 0)) + 1
        return respond(dialogue, session, dialogue.read(session, quit_then["rest"], turn=turn))
    if step in FIELDS:
        value = text[: LIMITS[step]]
        details = session.handoff["details"]
        if (
            step == "name"
            and (cue := _GIVES_NAME.match(fold(value)))
            and value[cue.end() :].strip()
        ):
            value = value[cue.end() :].strip()  # "My name is Peter Wong": Peter Wong
        if step not in ("topic", "phone") and _declines(value) and _PHONE_WORD.search(fold(value)):
            # "唔方便俾電話，email得唔得" at the company step: the phone declined, not this
            return (
                Reply("handoff", handoff=True)
                .add(T("When I ask for a phone number, you can type an e-mail address instead."))
                .add(QUESTIONS[step])
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        if step != "topic" and (_declines(value) or _SKIP_ASKED.search(fold(value))):
            # "要填公司名嘅？可唔可以唔填？": it may be left out, so it is
            return _leave_out(dialogue, session, step)
        if step != "topic" and value.strip() in ("-", "—", "–", "--", "/", "."):
            return _leave_out(dialogue, session, step)  # "-" for the company: none
        if step == "company" and _BARE_NO.fullmatch(fold(value).strip(" .!?。！？")):
            return _leave_out(dialogue, session, step)  # "no" for the company: none
        if step in ("name", "company", "place") and not any(ch.isalnum() for ch in value):
            return (  # "🤖🤖", "???": no answer; the question again
                Reply("handoff", handoff=True)
                .add(QUESTIONS[step])
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        aside_at_topic = step == "topic" and not details.get("topic")
        if _WHY_NAME.search(fold(text)):
            # "點解要我個名？": why the form asks for a name, then its question again
            reply = Reply("handoff", handoff=True).add(
                T(
                    "Staff use your name to address you when they reply; any name you like to be called by will do."
                )
            )
            return _ask_next(dialogue, session, reply)
        if _WHY_PHONE.search(fold(text)):
            # "为什么要留电话？": why the form asks for a number, then its question again
            reply = Reply("handoff", handoff=True).add(
                T(
                    "Staff need a way to reach you about your enquiry: a phone number, or an e-mail address if you prefer."
                )
            )
            return _ask_next(dialogue, session, reply)
        if (
            step in ("name", "company", "place")
            and reading.asks == {"hotline"}
            and _NUMBER_ASKED.search(fold(value))
            and not _looks_like_phone(value)
            and not _WHY.search(fold(value))
        ):
            # "actually what is the hotline number" at the name step: answered; the form's
            # question after it, nothing kept as the answer
            reply = Reply("handoff", handoff=True)
            hotline_lines(dialogue, reply)
            return _ask_next(dialogue, session, reply)
        if "reference" in reading.asks and _looks_like_question(value):
            # "what's my reference number?" before the form is sent: none yet
            reply = Reply("handoff", handoff=True).add(
                T("Your enquiry gets its reference number when it is sent.")
            )
            return _ask_next(dialogue, session, reply)
        if (
            (step != "topic" or aside_at_topic)
            and reading.asks & _ANSWERED_AT_A_STEP
            and _looks_like_question(value)
            and len(fold(_without_lead_in(value))) <= _SHORT_QUESTION
            # "電話唔方便，email得唔得 chan@abc.com.hk" for the phone: the address given
            and not (step == "phone" and (_EMAIL.search(text) or _number_in(value)))
            # "…能不能申请，请深圳同事联系我" for the enquiry: a request to be called, the
            # enquiry's own words, not the hotline asked
            and not (
                step == "topic"
                and reading.asks & _ANSWERED_AT_A_STEP <= {"hotline"}
                and not _NUMBER_ASKED.search(fold(value))
            )
        ):
            # "熱線幾號？" typed for the company: answered now, nothing saved, the same
            # question asked again. At the topic step the words are the enquiry's own.
            reply = Reply("handoff", handoff=True)
            named = _place_named(session, reading, own=True)
            if named and not details.get("place"):
                # "我間東莞鳳崗廠可唔可以申請…，順便問下幾時有人覆我？": the factory's place
                # is kept, and the question for staff with it
                details["place"] = named
                _route_by(session, named)
                details["topic"] = ((details.get("topic") or "") + "\n" + text).strip()[
                    : LIMITS["topic"]
                ]
            if _HOURS_ASKED.search(fold(value)):
                # "其實你哋熱線幾點開？": the hours (not in the sources), not the number
                hours = _ASIDE_INTENTS | {"hotline"}  # the office-hours answer is the hotline's
                aside = _answer_aside(dialogue, session, reading, text, first=True, intents=hours)
                if aside is not None:
                    return aside
            if "reply_time" in reading.asks:  # "多久会打电话给我？": not the number
                reply.add(_NO_REPLY_TIME)
                add_call_buttons(dialogue, session, reply)
                reply.cite(*dialogue.contacts.phone.citations)
            elif "hotline" in reading.asks:
                hotline_lines(dialogue, reply)
            else:
                privacy_into(reply)
            return _ask_next(dialogue, session, reply)
        changed = _change_to(session, reading)
        if changed is not None and (step != "topic" or _FIRST.search(fold(value))):
            # "wait, change my name to Peter Chan" while the enquiry is asked: that answer
            if changed[0] == "phone":
                _keep_phone(session, changed[1], in_form=True)
            else:
                _correct(session, reading, *changed)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
            return _ask_next(dialogue, session, reply)
        renamed = _name_corrected(value)
        if step != "name" and renamed and details.get("name"):
            # "其實我個名係李志明", "sorry my name is actually John Tse, not Jon" at a later step: the name staff use, corrected
            details["name"] = renamed
            session.handoff.setdefault("known", {})["name"] = renamed
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed your name."))
            return _ask_next(dialogue, session, reply)
        if step in ("name", "company") and _states_ownership(reading, value):
            # "係香港公司獨資" typed at the company step, after an aside on the factory:
            # who owns it, for the case; not the company's name
            aside = _answer_aside(dialogue, session, reading, value, first=True, stated=True)
            if aside is not None:
                return aside
        if step in ("name", "company", "phone", "place") or (
            aside_at_topic and _FIRST.search(fold(value))
        ):
            # At the topic step only a question marked as one first ("wait, first: ..."):
            # otherwise the question is the enquiry itself.
            aside = _answer_aside(dialogue, session, reading, text)  # the whole question
            if aside is not None:
                return aside
        if step == "company" and fold(value).strip() == fold(details.get("name") or "").strip():
            # "陳大文" typed again after an aside: the name once more, not the company
            reply = Reply("handoff", handoff=True).add(T("That is the name you gave."))
            return _ask_next(dialogue, session, reply)
        labelled = _labelled_fields(session, text)  # the whole message, not one field's length
        if len(labelled) >= 2:
            # "Name Amy Chan, phone 2345 6789, company Chan Bros Printing, factory in
            # Shenzhen Longgang": every field given, each where it belongs
            for field, given in labelled.items():
                details[field] = given
                if field in ("name", "company", "phone"):
                    session.handoff.setdefault("known", {})[field] = given
            if labelled.get("place"):
                _route_by(session, labelled["place"])
            return _ask_next(dialogue, session, Reply("handoff", handoff=True))
        given = {k: v for k, v in details_in_request(session, text).items() if not details.get(k)}
        if "topic" in given:
            given["topic"] = text.strip()[: LIMITS["topic"]]  # the whole message, for staff
        if len(given) >= 2 and step in ("name", "company") and {"name", "company"} & set(given):
            # "我叫黃太，間廠喺東莞鳳崗，想問新技術項目點申請", "Hi, Peter Wong from ABC Ltd,
            # factory in Foshan Nanhai… call me 91234567": each field where it belongs
            for field, found in given.items():
                if field == "phone":
                    _keep_phone(session, found, in_form=True)
                else:
                    details[field] = found
                if field in ("name", "company"):
                    session.handoff.setdefault("known", {})[field] = found
            if given.get("place"):
                _route_by(session, text)
            return _ask_next(dialogue, session, Reply("handoff", handoff=True))
        if step == "company" and _ABOUT_A_TOPIC.match(fold(value)):
            # "about subsidy for my shenzhen plant" for the company: what the enquiry is
            # about (and where the factory is), the company still asked
            details["topic"] = ((details.get("topic") or "") + "\n" + text).strip()[
                : LIMITS["topic"]
            ]
            _place_said(session, reading)
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — I have kept that as your question.")
            )
            return _ask_next(dialogue, session, reply)
        if step == "company" and _says_send(value):
            return _leave_out(dialogue, session, step)  # "send" for the company: none given
        if step == "place" and _says_send(value):
            # "send" for the factory's place: no place; asked again
            return (
                Reply("handoff", handoff=True)
                .add(QUESTIONS["place"])
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        if step == "name" and (rest := _name_phone_place(session, text)) is not None:
            # "李生 9333 4444 東莞塘廈": the name, the number and the factory's place
            name, phone, place = rest
            details["name"], details["place"] = name, place
            session.handoff.setdefault("known", {})["name"] = name
            _keep_phone(session, phone, in_form=True)
            _route_by(session, place)
            return _ask_next(dialogue, session, Reply("handoff", handoff=True))
        if (
            step == "name"
            and not details.get("place")
            and (named := _place_alone(session, reading))
            and _mainland(reading)
        ):
            # "广州番禺" typed for the name: the factory's place; the name is asked
            details["place"] = named
            _route_by(session, value)
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — I have kept that as the factory's place.")
            )
            return _ask_next(dialogue, session, reply)
        if (
            step == "name"
            and (both := _NAME_AND_PHONE.match(value))
            and _enough_digits(both)
            # "電話 61234567", "sorry the number is 91234576": a label, no name
            and not _NOT_A_NAME.search(fold(both.group("name")))
            and fold(both.group("name")).strip() not in ("電話", "电话", "tel", "phone", "mobile")
        ):
            # "陳生 電話 6123 8888": the name, and the number staff call
            details["name"] = both.group("name").strip()[: LIMITS["name"]]
            session.handoff.setdefault("known", {})["name"] = details["name"]
            _keep_phone(session, both.group("phone").strip(), in_form=True)
            return _ask_next(dialogue, session, Reply("handoff", handoff=True))
        if (
            step in ("name", "company", "place")
            and _looks_like_phone(value)
            and details.get("phone") in (None, "", NOT_GIVEN)
        ):
            # "13912345678" typed for the name: the number staff call; the name is asked
            _keep_phone(session, value, in_form=True)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _ask_next(dialogue, session, reply)
        if (
            step in ("name", "company", "place")
            and _looks_like_phone(value)
            # "不对，是13800138000": the number given before, corrected (below)
            and not _NUMBER_CORRECTED.search(fold(value))
        ):
            return (
                Reply("handoff", handoff=True)
                .add(QUESTIONS[step])
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        company_is = _COMPANY_IS.match(fold(value))
        if step != "company" and company_is and value[company_is.end() :].strip():
            # "公司是建国塑料制品厂" while the place is asked: the company, not the place
            details["company"] = value[company_is.end() :].strip()[: LIMITS["company"]]
            session.handoff.setdefault("known", {})["company"] = details["company"]
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — I have kept that as the company.")
            )
            return _ask_next(dialogue, session, reply)
        fixed = _field_corrected(session, reading)
        if fixed is not None and fixed[0] != step and details.get(fixed[0]):
            # "公司名打错了，应该是…" while the place is asked: that answer, corrected
            _correct(session, reading, *fixed)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
            return _ask_next(dialogue, session, reply)
        if step in ("name", "company", "phone", "place") and _SEND_TO_STAFF.fullmatch(
            fold(value).strip(" .。!！?？")
        ):
            # "send this to staff", "轉介俾職員" typed at a question of the form: that is what
            # the form does; the question is asked again, nothing is kept as an answer
            reply = Reply("handoff", handoff=True).add(
                T("That is what this form is for: once it is filled in, I send it to staff.")
            )
            return _ask_next(dialogue, session, reply)
        corrected = _number_in(text) if step != "phone" and details.get("phone") else None
        if (
            corrected
            and sum(ch.isdigit() for ch in corrected) >= 8
            and _NUMBER_CORRECTED.search(fold(text))
            and len(fold(text.replace(corrected, ""))) <= 20
        ):
            # "不对，是13800138000" at the place question: the number given before, corrected
            _keep_phone(session, corrected, in_form=True)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _ask_next(dialogue, session, reply)
        number = _number_in(text) if step == "phone" else None
        rest = _PHONE_WORDS.sub(" ", fold(text.replace(number or "", " "))) if number else ""
        rest = re.sub(r"\b(?:my|is|it's|its|the|call|me|on|at|please|pls)\b|系|是|[\W_]", "", rest)
        if number and sum(ch.isdigit() for ch in number) >= 8 and len(rest) > 8:
            # "我哋東莞廠想申請新技術項目，想職員打俾我，電話 91234567": the number, and
            # the rest kept for staff as the enquiry
            _keep_phone(session, number, in_form=True)
            details["topic"] = ((details.get("topic") or "") + "\n" + text).strip()[
                : LIMITS["topic"]
            ]
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _ask_next(dialogue, session, reply)
        # the phone's length limit must not cut off an address said after words
        if (email := _EMAIL.search(text if step == "phone" else value)) and (
            step == "phone"
            or step in ("name", "company", "place")
            and (
                _EMAIL.fullmatch(value.strip())
                # "我的邮箱是 li@example.com", "my email is …"
                or _EMAIL_SAID.fullmatch(fold(value.replace(email.group(0), " ")).strip(" .。"))
            )
        ):
            # "abc@example.com" for the phone, or typed at another step: a way back for
            # staff all the same, kept where the number would be ("電話唔方便，email得唔得
            # chan@abc.com.hk" is no question for staff)
            _keep_phone(session, email.group(0), in_form=True)
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — staff can contact you at that e-mail address.")
            )
            return _ask_next(dialogue, session, reply)
        if step in ("name", "company", "phone", "place") and _looks_like_question(value):
            # A second question is added to the first, never dropped.
            details["topic"] = ((details.get("topic") or "") + "\n" + text).strip()[
                : LIMITS["topic"]
            ]
            # at the place step a place said first is the factory's ("東莞塘廈廠想申請…");
            # "does the programme cover Hong Kong workshops?" names none of theirs
            named = _place_named(session, reading, own=not (step == "place" and _place_first(reading)))
            if named and (step == "place" or not details.get("place")):
                # "Our factory in Shenzhen Longhua wants to cut VOC": both at once
                details["place"] = named
                _route_by(session, named)
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — I have kept that as your question.")
            )
            return _ask_next(dialogue, session, reply)
        if (
            step == "company"  # at the name step "何文田" may be a person
            and not details.get("place")
            and not _looks_like_company(value)
            and (named := _place_alone(session, reading))
        ):
            # "江门鹤山" typed for the company: the factory's place; the company is asked
            details["place"] = named
            _route_by(session, value)
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — I have kept that as the factory's place.")
            )
            return _ask_next(dialogue, session, reply)
        if step in ("name", "company", "place") and looks_like_code(value):
            # "SELECT * FROM users" typed for the name: no name; the question again, so the
            # real name typed next is not pushed into the company
            return (
                Reply("handoff", handoff=True)
                .add(T("That looks like computer code, not an answer."))
                .add(QUESTIONS[step])
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        if step == "place" and _DONT_KNOW.fullmatch(fold(value).strip(" .。!！~")):
            return _leave_out(dialogue, session, "place")  # "唔知", "not sure": left out
        if (
            step == "place"
            and details.get("company") in (None, "", NOT_GIVEN)
            and _looks_like_company(value)
            and not reading.of("place")
        ):
            # "ABC Lighting Ltd" typed for the place, no company kept yet: it is the
            # company; the place is asked again
            details["company"] = value[: LIMITS["company"]]
            session.handoff.setdefault("known", {})["company"] = details["company"]
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — I have kept that as the company.")
            )
            return _ask_next(dialogue, session, reply)
        if step == "name" and not details.get("company") and _looks_like_company(value):
            # "ABC塑膠製品有限公司" typed for the name: it is the company; the name is asked.
            details["company"] = value[: LIMITS["company"]]
            session.handoff.setdefault("known", {})["company"] = details["company"]
            reply = Reply("handoff", handoff=True).add(
                T("Thanks — I have kept that as the company.")
            )
            return _ask_next(dialogue, session, reply)
        earlier = _typo_fixed(session, value)
        if earlier is not None:
            # "唔好意思打錯，係陳達文" typed at the company step: the name, corrected
            _fix_answer(session, *earlier)
            reply = Reply("handoff", handoff=True).add(_FIXED[earlier[0] == "phone"])
            return _ask_next(dialogue, session, reply)
        corrected = _phone_corrected(value)
        if step != "phone" and corrected and details.get("phone"):
            # "actually my number is 6123 4568 sorry": the number staff call, corrected
            _keep_phone(session, corrected, in_form=True)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _ask_next(dialogue, session, reply)
        if step == "topic" and _looks_like_phone(value) and details.get("phone") == NOT_GIVEN:
            # "+852 9123 4567" after skipping the phone: the number, not the enquiry
            _keep_phone(session, value, in_form=True)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _ask_next(dialogue, session, reply)
        if aside_at_topic and _already_given(session, reading):
            # "觀塘" typed for the enquiry after the place was taken from the chat: it is
            # the place again, not the question
            reply = Reply("handoff", handoff=True).add(T("That is already in your enquiry."))
            return _ask_next(dialogue, session, reply)
        if (
            step == "topic"
            and not details.get("topic")
            and (_is_acknowledgement(value) or _declines(value) and len(fold(value)) <= 8)
        ):
            return (
                Reply("handoff", handoff=True)
                .add(T("Please write your question for the staff in a few words."))
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        if step in ("name", "company") and (
            _is_acknowledgement(value) or fold(value).strip(" .。!！") in _SHORT_REPLIES
        ):
            # "ok" for the company: no company; asked again, with the way to skip it
            return _ask_next(dialogue, session, Reply("handoff", handoff=True))
        if step == "place" and (_is_acknowledgement(value) or fold(value) in _SHORT_REPLIES):
            return (  # "yes" for the factory's place: no place; asked again
                Reply("handoff", handoff=True)
                .add(QUESTIONS["place"])
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        if step == "phone" and sum(ch.isdigit() for ch in value) < 6:
            return (
                Reply("handoff", handoff=True)
                .add(
                    T(
                        "That doesn't look like a phone number. Please type the number staff can call."
                    )
                )
                .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
            )
        if step == "place" and not reading.of("place") and not reading.place_choice:
            if not re.search(r"[A-Za-z\u3400-\u9fff]", value):
                # "1234" for the factory's place: no place; asked again
                return (
                    Reply("handoff", handoff=True)
                    .add(T("That doesn't look like a place."))
                    .add(QUESTIONS["place"])
                    .row(button(T("Cancel"), session.generation, "cancel", "handoff"))
                )
            if _says_more_than_a_place(value):
                # "你哋熱線成日冇人接，我想有人打返俾我" at the place step: what the
                # enquiry is about, kept as such; the place still asked
                details["topic"] = ((details.get("topic") or "") + "\n" + text).strip()[
                    : LIMITS["topic"]
                ]
                reply = Reply("handoff", handoff=True).add(
                    T("Thanks — I have kept that as your question.")
                )
                return _ask_next(dialogue, session, reply)
        if step == "topic" and details.get("topic"):
            details["topic"] = (details["topic"] + "\n" + text)[: LIMITS["topic"]]
        else:
            details[step] = _answer_alone(session, reading, step, value)
        if step == "topic":
            _place_said(session, reading)
        reply = Reply("handoff", handoff=True)
        if step == "place":
            _route_by(session, value)
            if _WRONG.search(fold(value)) or reading.of("place", "denied"):
                # "地點唔係深圳，係東莞鳳崗": the place kept is said back, so it is not typed again
                reply.add(T("Thanks — I have kept that as the factory's place."))
        if step in ("name", "company", "phone"):
            session.handoff.setdefault("known", {})[step] = details[step]
        return _ask_next(dialogue, session, reply)
    if step == "confirm":
        if _is_acknowledgement(text) or _says_send(text):
            return _open(dialogue, session)  # "好", "ok", "send it": as the Send button
        if "reply_time" in reading.asks:  # "how long until someone replies?": not known
            reply = Reply("handoff", handoff=True).add(_NO_REPLY_TIME)
            return _summary(session, reply)
        if reading.asks & {"hotline", "privacy"} and _looks_like_question(text):
            # "顺便问一下，你们热线多少？" at the summary: answered; the enquiry waits unsent
            reply = Reply("handoff", handoff=True)
            if "hotline" in reading.asks:
                hotline_lines(dialogue, reply)
            else:
                privacy_into(reply)
            return _summary(session, reply)
        if (
            _says_continue(text)
            or _NOTHING_MORE.fullmatch(fold(text).strip(" .。!！~"))
            or (reading.asks == {"person"} and len(fold(text)) <= 8)
        ):
            # "冇嘢啦，繼續", "聯絡職員" typed at the summary: nothing to add; the summary again
            return _summary(session, Reply("handoff", handoff=True))
        earlier = _typo_fixed(session, text)
        if earlier is not None:
            # "sorry typo, it is 5123 4568" at the summary: that answer, corrected
            _fix_answer(session, *earlier)
            reply = Reply("handoff", handoff=True).add(_FIXED[earlier[0] == "phone"])
            return _summary(session, reply)
        labelled = _labelled_fields(session, text)
        if len(labelled) >= 2 or (labelled and _CHANGE.search(fold(text))):
            # "姓名改做陳達文，公司係達文五金有限公司": every answer the message changes
            for field, given in labelled.items():
                _fix_answer(session, field, given)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
            return _summary(session, reply)
        changed = _change_to(session, reading)
        if changed is not None:
            # "ok also change company to Wong Brothers Plastics Limited": the new answer
            if changed[0] == "phone":
                _keep_phone(session, changed[1], in_form=True)
            else:
                _correct(session, reading, *changed)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
            return _summary(session, reply)
        corrected = _phone_corrected(text)
        if corrected:  # "改返電話，係 6123 4567": the new number in the same message
            _keep_phone(session, corrected, in_form=True)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _summary(session, reply)
        field = _field_to_change(text)
        if field is not None:  # "I want to change the phone number"
            return _change(dialogue, session, field)
        if _CHANGE.search(fold(text)) and len(fold(text)) <= 24:
            # "Change something", "修改": the button's label typed, which answer is asked
            return _which_to_change(session)
        details = session.handoff["details"]
        renamed = _name_corrected(text)
        if renamed:
            details["name"] = renamed
            session.handoff.setdefault("known", {})["name"] = renamed
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed your name."))
            return _summary(session, reply)
        corrected = _phone_corrected(text)
        if corrected:
            _keep_phone(session, corrected, in_form=True)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _summary(session, reply)
        fixed = _field_corrected(session, reading)
        if fixed is not None:
            # "公司名都錯咗，係明興金屬有限公司", "地点写错了，应该是东莞常平": that answer
            _correct(session, reading, *fixed)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
            return _summary(session, reply)
        if _looks_like_phone(text) and details.get("phone") in (None, NOT_GIVEN):
            _keep_phone(session, text, in_form=True)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have kept your number."))
            return _summary(session, reply)
        relabelled = _labelled_fields(session, text) if _LABELLED.match(text.strip()) else {}
        if len(relabelled) == 1 and len(text) <= 80:
            # "公司係陳氏五金有限公司", "company: Chan Bros" typed at the summary: that answer
            field, value = next(iter(relabelled.items()))
            if field in ("name", "company", "place") and value != details.get(field):
                _correct(session, reading, field, value)
                reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
                return _summary(session, reply)
        if _already_given(session, reading):
            # "頭先咪俾咗你囉 61238888", "虎門囉頭先講咗": what the summary shows, said again
            reply = Reply("handoff", handoff=True).add(T("That is already in your enquiry."))
            return _summary(session, reply)
        named = _place_alone(session, reading)
        if named and named != details.get("place"):
            # "東莞虎門" typed at the summary: the place, told more exactly
            _correct(session, reading, "place", named)
            reply = Reply("handoff", handoff=True).add(T("Thanks — I have changed that."))
            return _summary(session, reply)
        if "?" in text or "？" in text or _FIRST.search(fold(text)):
            # "By the way, what's the cap for new technology projects?": a question the
            # bot answers, asked at the summary, is answered; the enquiry waits unsent
            aside = _answer_aside(dialogue, session, reading, text, first=True)
            if aside is not None:
                return aside
        # Something typed at the summary is added to the enquiry, not lost.
        _place_said(session, reading)
        details["topic"] = ((details.get("topic") or "") + "\n" + text).strip()[: LIMITS["topic"]]
        reply = Reply("handoff", handoff=True).add(T("Added to your enquiry."))
        return _summary(session, reply)
    session.start(None)
    from bot.core.flows.answer import respond

    return respond(dialogue, session, reading)


# What a question typed at a form step may ask that the bot answers there and then.
_ANSWERED_AT_A_STEP = frozenset({"hotline", "privacy", "reply_time"})
_NO_REPLY_TIME = T(
    "Our sources give no time for a reply. If it is urgent, please call the hotline."
)
# What the bot answers of a question typed at a form step, the form waiting meanwhile.
_ASIDE_INTENTS = frozenset({"eligibility", "subsidy", "programme", "search"})
# Asks that belong to the form itself (leaving it, a person, the enquiry): never an aside.
_FORM_ASKS = frozenset({"exit", "person", "leave", "cancel_enquiry", "reply_time"})
# "等一下，先問一下", "wait, first": a question the user wants answered before going on.
_LEAD_IN = re.compile(
    r"^\s*(?:(?:ok|okay|hmm|sorry|actually|oh|好|好的|咦|唔好意思|不好意思|其實|其实)[,，\s]*)*"
    r"(?:wait|hold on|one moment|等一下|等一等|等等|等陣|等阵|等下)?[,，:：.。!！\s]*"
    r"(?:(?:我|我哋|我地)?(?:first|before that|quick question|先問一下|先问一下|先問下|先问下|先問|先问|想先問下|想先问下|想先問|想先问"
    r"|我想問先|我想问先|想問先|想问先|問先|问先)"
    r"[,，:：.。!！\s]*)?",
    re.IGNORECASE,
)
_FIRST = re.compile(
    r"先问|问先|问下先|问吓先|问一问先|等一下|等等|等阵|\bwait\b|\bfirst\b|\bbefore (?:that|i)\b|\bquick question\b"
)


# How a company's name ends: "宏達五金有限公司", "Wong Bros Ltd".
_COMPANY_NAME_END = re.compile(
    r"(?:有限公司|公司|厂|集团|\b(?:ltd|limited|co|company|corp|corporation|inc|group))[\s.。]*$"
)


def _states_ownership(reading: Any, value: str) -> bool:
    """ "係香港公司獨資", "it's a JV with our HK company": who owns the factory, said
    where a name or company is asked; not a company's name."""
    return any(f.kind == "ownership" for f in reading.facts) and not _COMPANY_NAME_END.search(
        fold(value)
    )


def _answer_aside(
    dialogue: Dialogue,
    session: Session,
    reading: Any,
    value: str,
    first: bool = False,
    stated: bool = False,
    intents: frozenset[str] = _ASIDE_INTENTS,
) -> Reply | None:
    """A short question typed at a form step that the bot answers ("我们厂在江门鹤山，
    能申请吗？", "等一下，先问一下，示范项目现在还有吗"): answered as outside the form,
    which waits with what it holds until the user continues. A question that only says
    what the enquiry is about ("want to know about funding"), or one the bot has no
    answer to, stays the enquiry's (None)."""
    folded = fold(value).strip()
    first = first or bool(_FIRST.search(folded))  # to be answered before the form goes on
    # "等陣先，我想計下資助先，示範項目大約35萬": no question mark, but asked first
    wanted_first = first and bool(reading.asks - _FORM_ASKS - {"person", "hotline"})
    if (
        not (_asks_directly(folded) or stated or wanted_first)
        or reading.asks & _FORM_ASKS
        or (_ENQUIRY.search(folded) and not first)
        or len(folded) > (3 if wanted_first else 2) * _SHORT_QUESTION
    ):
        return None
    from bot.core.flows.answer import respond

    question = _without_lead_in(reading.text)
    if question != reading.text:
        # "wait, first: is there still a demonstration project?": the question alone
        turn = int(session.case.get("turn", 0)) + 1
        reading = dialogue.read(session, question, turn=turn)
    trial = copy.deepcopy(session)  # the answer is tried, and kept only if it is one
    trial.start(None)
    if not session.locale_choice:
        trial.locale = reading.locale  # a question, unlike a name, says the user's language
    reply = respond(dialogue, trial, reading)
    if reply.intent not in intents or reply.handoff:
        return None
    form = copy.deepcopy(session.handoff)
    step = session.step
    kept = copy.copy(session)
    for item in dataclasses.fields(session):
        setattr(session, item.name, getattr(trial, item.name))
    if session.flow is not None and not first:
        # The answer asks something back: the question stays the enquiry's, for staff.
        session.__dict__.update(kept.__dict__)
        return None
    if session.flow is None:
        # The answer is whole: the form goes on where it was. The generation stays the
        # answer's, so its buttons ("資料來源") and the form's question both work.
        session.flow, session.step = "handoff", step
        session.handoff = form
        if not form.get("details", {}).get("place"):
            _place_said(session, reading)  # "我们厂在江门鹤山，能申请吗？": its place, kept
        reply.add(T("Your enquiry is not sent yet. To go on with it:"))
        return _ask_next(dialogue, session, reply)
    # The answer asks something back: the form waits, kept, until the user continues.
    details = form.get("details", {})
    if not details.get("place") and (named := _place_named(session, reading, own=True)):
        details["place"] = named
        form["place_id"] = next(
            f.value for f in reading.facts if f.kind == "place" and f.polarity == "stated"
        )
    # Not answered in full yet: the question goes with the enquiry, for staff to finish.
    details["topic"] = ((details.get("topic") or "") + "\n" + value).strip()[: LIMITS["topic"]]
    session.handoff["paused"] = {"details": details, "place_id": form.get("place_id")}
    reply.add(T("Your enquiry is not sent yet; I have kept what you gave."))
    return reply.row(button(T("Continue my enquiry"), session.generation, "handoff", "leave"))


def _place_alone(session: Session, reading: Any) -> str | None:
    """The place, when a message is nothing but one place's name ("江门鹤山", "Kwun Tong")."""
    named = _place_named(session, reading)
    if named is None or reading.asks or len(reading.facts) != 1:
        return None
    from bot.core import places

    found = places.find_place(reading.text)
    if found is None or found.place is None:
        return None
    rest = fold(reading.text)
    for name in found.place.name.values():
        rest = rest.replace(fold(name), "")
    return named if len(rest.strip(" ,，.。")) <= 4 else None


# "Name Amy Chan, phone 2345 6789, company Chan Bros, factory in Shenzhen Longgang",
# "姓名：陳大文，電話：9123 4567": answers labelled with their field.
# Written in both scripts: the labels are matched in the message as typed.
_LABELS = {
    "name": r"(?:name|姓名|名字|称呼|稱呼|改名)",
    "phone": r"(?:phone|tel|mobile|电话|電話|手机|手機|联络电话|聯絡電話)",
    "company": r"(?:company|公司名称|公司名稱|公司名?)",
    "place": r"(?:factory(?: is)? in|factory|place|location|地点|地點|厂址|廠址|工厂地点|工廠地點"
    r"|工厂在|工廠在|厂喺|廠喺|厂在|廠在)",
}
_LABELLED = re.compile(
    r"(?:^|[,，;；\n])\s*(?P<label>"
    + "|".join(f"(?P<{field}>{words})" for field, words in _LABELS.items())
    + r")\s*(?:改做|改為|改为|改成|改|應該係|应该是|應該是|should be|to|is|系|係|是|為|为|做|:|：)?"
    r"\s*(?P<value>[^,，;；\n]+)",
    re.IGNORECASE,
)


def _labelled_fields(session: Session, text: str) -> dict[str, str]:
    """The fields a message labels ("Name Amy Chan, phone 2345 6789"), each cleaned."""
    found: dict[str, str] = {}
    for match in _LABELLED.finditer(text):
        field = next(f for f in _LABELS if match.group(f))
        value = match.group("value").strip(" .。")
        if field == "phone":
            number = _PHONE_IN_TEXT.search(value)
            if number is None:
                continue
            value = number.group(0)
        if field == "place":
            smallest = _smallest_place(value)
            if smallest is None:
                continue
            value = _place_label(session, smallest)
        if value and field not in found:
            found[field] = value[: LIMITS[field]]
    return found


# "李生 9333 4444 東莞塘廈": a name, a number, then where the factory is.
_NAME_PHONE_REST = re.compile(
    r"^\s*(?P<name>[A-Za-z][A-Za-z .'-]{1,40}?|[\u4e00-\u9fff]{1,4}(?:先生|小姐|太太|生|姐)?)"
    r"\s*[,，、/;；:：]?\s*(?:(?:tel|phone|mobile|電話|电话)\s*[:：]?\s*)?"
    r"(?P<phone>\+?\d[\d -]{6,18}\d)\s*[,，、/;；]?\s*(?P<rest>.+?)\s*$",
    re.IGNORECASE,
)


def _name_phone_place(session: Session, text: str) -> tuple[str, str, str] | None:
    match = _NAME_PHONE_REST.match(text)
    if match is None or sum(ch.isdigit() for ch in match.group("phone")) < 7:
        return None
    smallest = _smallest_place(match.group("rest"))
    if smallest is None:
        return None
    place = _place_label(session, smallest)
    return match.group("name").strip(), match.group("phone").strip(), place


def _smallest_place(text: str) -> str | None:
    """The id of the smallest place a text names ("Shenzhen Longgang": Longgang), or None."""
    from bot.core import places

    resolved = [m.place for m in places.find_places(text) if m.place is not None]
    return max(resolved, key=lambda p: len(p.ancestors)).id if resolved else None


def _mainland(reading: Any) -> bool:
    """The one place a message states is on the mainland (a person may be called 何文田)."""
    from bot.core import places

    stated = [f.value for f in reading.facts if f.kind == "place" and f.polarity == "stated"]
    return len(stated) == 1 and not places.get(stated[0]).in_hong_kong


# "公司名都錯咗，係明興金屬有限公司", "地点写错了，应该是东莞常平", "the company should be
# Chan Bros Ltd": an answer corrected at the summary.
_WRONG = re.compile(
    r"错|\bwrong\b|\bmistake\b|\btypo\b|应该|\bshould be\b|\bactually\b|改为|改成|不对|唔啱|唔对"
)
# "其實間廠喺東莞長安，唔係荃灣": words that correct a place, not a name ("其實我個名係…")
_WRONG_PLACE = re.compile(r"其实|唔系|不是|\bnot\b")
_NEW_VALUE = re.compile(
    r"(?:应该系|应该是|应该|系|是|改为|改成|叫|\bshould be\b|\bis\b|:|：)\s*"
    r"(?:(?:actually|really|其实)[,，\s]*)?(?P<value>[^,，。.!！]+?)\s*[。.!！]*$"
)


def _correct(session: Session, reading: Any, field: str, given: str) -> None:
    """An answer of the form replaced by its correction; the name and company are kept for
    a later form, and a new place routes the enquiry again."""
    details = session.handoff["details"]
    details[field] = given[: LIMITS[field]]
    if field in ("name", "company"):
        session.handoff.setdefault("known", {})[field] = details[field]
    if field == "place":
        _route_by(session, reading.text)


def _field_corrected(session: Session, reading: Any) -> tuple[str, str] | None:
    """(field, new value) when the message corrects the company, the place or the name."""
    folded = fold(reading.text)
    if not (_WRONG.search(folded) or _WRONG_PLACE.search(folded)) or len(folded) > 80:
        return None
    named = [f for f, words in _FIELD_WORDS.items() if f != "phone" and words.search(folded)]
    if len(named) != 1:
        return None
    field = named[0]
    if field != "place" and not _WRONG.search(folded):
        return None
    if field == "place":
        label = _place_named(session, reading)
        if label == session.handoff["details"].get("place") or _asks_directly(fold(reading.text)):
            return None  # "其实我们厂在东莞，想问…": the place as given, and a question
        return ("place", label) if label else None
    if field == "topic":
        return None  # the enquiry is added to, never replaced
    new = _NEW_VALUE.search(folded)
    if new is None:
        return None
    start = folded.find(new.group("value"), new.start())
    value = reading.text[start : start + len(new.group("value"))].strip()
    if field == "name" and not (_LATIN_NAME.fullmatch(fold(value)) or _CJK_NAME.fullmatch(value)):
        return None
    return (field, value) if value else None


def _already_given(session: Session, reading: Any) -> bool:
    """A message that only repeats the form's phone number or its place, no question."""
    text = reading.text
    if _looks_like_question(text) or len(fold(text)) > 30:
        return False
    details = session.handoff["details"]
    digits = "".join(ch for ch in _number_in(text) or "" if ch.isdigit())
    if digits:  # a number reads as an amount too: the phone decides
        return digits == "".join(ch for ch in details.get("phone", "") if ch.isdigit())
    if reading.asks:
        return False
    stated = [f.value for f in reading.facts if f.kind == "place" and f.polarity == "stated"]
    return len(stated) == 1 and stated[0] == session.handoff.get("place_id")


def _answer_alone(session: Session, reading: Any, step: str, value: str) -> str:
    """The answer without the words around it: "公司叫 大興五金" is 大興五金, "頭先咪俾咗你囉
    61238888" is the number, "虎門囉頭先講咗" is the place as the form writes it."""
    if step == "company" and (cue := _GIVES_COMPANY.match(fold(value))):
        return value[cue.end() :].strip() or value
    if step == "phone" and (number := _number_in(value)):
        return number
    if step == "place" and (named := _place_named(session, reading)):
        return named
    return value


def _without_lead_in(text: str) -> str:
    """ "Actually wait, what's the hotline number?": the question itself."""
    lead_in = _LEAD_IN.match(text)
    rest = text[lead_in.end() :] if lead_in is not None else text
    return rest if rest.strip() else text


def _asks_directly(folded: str) -> bool:
    """A question as written ("能申请吗？", "does it cover workshops?"), not a long
    sentence that describes the enquiry."""
    return (
        folded.endswith(("?", "？"))
        or any(word in folded for word in _QUESTION_CJK)
        or bool(_QUESTION_START.match(folded))
        # "actually, what's the cap…": a question after a lead-in
        or bool(_QUESTION_START.match(_LEAD_IN.sub("", folded, count=1)))
    )


# "send this to staff", "轉介俾職員" typed at a question of the form: the form's own job
_SEND_TO_STAFF = re.compile(
    r"(?:please |pls |can you |could you )?(?:send|pass|forward|give) (?:this|it|my (?:question|enquiry))? ?"
    r"(?:on )?to (?:the |your |a )?(?:staff|human|person|someone|people)(?: please| pls)?"
    r"|(?:帮我|幫我|唔该|麻烦)?(?:send|转介|转交|转|交|俾|畀|给)(?:俾|畀|给|去)?(?:同事|职员|工作人员|真人|人工)(?:跟进|跟|处理|睇)?(?:啦|吧|呀|唔该)?"
)
# A number said again as the right one: "不对，是13800138000", "sorry it's 91234567"
_NUMBER_CORRECTED = re.compile(
    r"^\W*(?:不对|唔啱|唔系|打错|写错|讲错|更正|应该系|应该是|改返|改做|\bsorry\b|\bwrong\b|\bcorrection\b|\bactually\b|\bi mean\b|\btypo\b)"
)


def _number_in(text: str) -> str | None:
    """The one phone number in a sentence ("頭先咪俾咗你囉 61238888"), or None for none,
    several, or a number alone (kept as typed)."""
    found = _PHONE_IN_TEXT.findall(text)
    if len(found) != 1 or fold(text).strip() == fold(found[0]).strip():
        return None
    return found[0].strip() if sum(ch.isdigit() for ch in found[0]) >= 6 else None


_QUESTION_CJK = (
    "嗎",
    "吗",
    "呢",
    "點樣",
    "点样",
    "怎",
    "如何",
    "可唔可以",
    "可不可以",
    "能否",
    "幾多",
    "几多",
    "多少",
    "咩",
    "甚麼",
    "什么",
    "得唔得",
    "谁",
    "边个",
    "几时",
    "为什么",
    "点解",
    "边度",
    "哪里",
    "哪个",
    "能不能",
    "能唔能",
    "可以不可以",
    "得不得",
    "行唔行",
    "行不行",
    "有冇",
    "有没有",
    "系咪",
    "是不是",
)
_QUESTION_START = re.compile(
    r"^(?:what|how|can|could|is|are|do|does|did|when|which|where|why|who|will|would|should|may)\b"
)
_WHY = re.compile(r"为什么|为何|点解|做咩|\bwhy\b")
# "为什么要留电话？", "why do you need my phone?": why the form asks for a number
_WHY_PHONE = re.compile(
    r"(?:为什么|为何|点解|做咩|做乜)(?:一定)?(?:要|需要)(?:留|俾|畀|给|提供|填)?(?:低)?(?:电话|手机|联络|号码)"
    r"|\bwhy\b.{0,20}\b(?:phone|number|contact)\b"
)
# "冇嘢啦，繼續", "没事了", "nothing else": nothing more to add
_NOTHING_MORE = re.compile(
    r"(?:冇嘢|冇事|没事|没有了|冇喇|冇啦|无|nothing(?: else| more)?|that's all|thats all|no more)"
    r"(?:啦|喇|了|呀)?(?:[,，\s]*(?:继续|繼續|continue|go on|ok|好))?"
)
_HOURS_ASKED = re.compile(r"几点|几多点|\bwhat time\b|\bhours\b|办公时间|开放时间|上班时间")
_BYE = re.compile(r"\b(?:bye|goodbye|bye-bye|see you|cya)\b|拜拜|再见|再會|再会|bye bye")
# Words before "continue" that add nothing: "算了，继续留言吧" (the aside dropped, not the
# form), "唔該繼續", "please continue", "thanks, go on"
_BEFORE_CONTINUE = re.compile(
    r"^\s*(?:(?:算了|算啦|算数|唔紧要|冇所谓|没事|never ?mind|nvm|forget (?:it|that)"
    r"|唔该|麻烦|请|please|pls|thanks|thank you|ok|okay|好的|好吧|好|得)[,，.。!！\s]*)*"
)


def _says_continue(text: str) -> bool:
    """ "continue", "back to the enquiry form", "算了，继续留言吧", "唔該繼續": go on with the form."""
    return bool(_CONTINUE.fullmatch(_BEFORE_CONTINUE.sub("", fold(text)).strip(" .。!！")))
_WHY_NAME = re.compile(
    r"(?:为什么|为何|点解|做咩|做乜)(?:一定)?(?:要|需要)(?:留|俾|畀|给|提供|填|知)?(?:低)?(?:我)?(?:个|嘅|的)?(?:名|姓名|名字)"
    r"|\bwhy\b.{0,20}\bname\b"
)
# "actually what is the hotline number", "熱線幾多號": the number asked, not given
_NUMBER_ASKED = re.compile(r"\b(?:what|which|what's|whats)\b|几多|多少|咩|什么|乜|边个")
# An enquiry, not a name: "...wants to know about the technology list", "想問下資助".
_ENQUIRY = re.compile(
    r"\b(?:want|wants|wanted|would like|like) to (?:know|ask|enquire|inquire|apply|check)\b"
    r"|\b(?:asking|enquir\w*|inquir\w*|interested in|question about|information on)\b"
    r"|想知|想问|想了解|想查询|想申请|查询一下|问下|问一问"
    # "客人想做實地評估，南沙廠，請回覆": a request for staff, not a company's name
    r"|想做|想搞|请(?:回覆|回复|覆|致电|联络|联系|跟进)|麻烦(?:回电|回覆|回复|跟进)|(?:客人|客户)想"
    r"|\bplease (?:reply|get back|follow up)\b|\bcall me back\b|\bget back to me\b"
)


def _looks_like_question(text: str) -> bool:
    """A question, not a name or a company: "Can we apply?", "幾時截止？". Long company
    names ("*Bold Ltd* _italic_...", "Human Touch Garments Ltd") are not questions."""
    folded = fold(text).strip()
    return (
        folded.endswith(("?", "？"))
        or any(word in folded for word in _QUESTION_CJK)
        or bool(_QUESTION_START.match(folded))
        or bool(_ENQUIRY.search(folded))
        or len(folded.split()) >= 9  # a sentence, not a name or a company
    )


_EMAIL = EMAIL_ADDRESS
_PHONE_WORD = re.compile(r"电话|手机|号码|\bphone\b|\bnumber\b|\bmobile\b")
# "no" typed for the company: none to give
_BARE_NO = re.compile(r"no|nope|nah|冇|冇呀|冇啊|沒有|没有|无|無|没|沒|唔使|不用")
_COMPANY = re.compile(
    r"有限公司|公司|厂|集团|实业|制品|企业|工业|贸易|五金|塑胶|印刷|电子|制衣|针织|"
    r"\b(?:ltd|limited|co|company|inc|corp|corporation|industrial|industries|enterprises?|"
    r"factory|manufactur\w*|trading|holdings?|group)\b"
)
_ACKNOWLEDGEMENTS = frozenset(
    fold(w)
    for w in (
        "好",
        "好的",
        "好呀",
        "好啊",
        "ok",
        "okay",
        "ok呀",
        "yes",
        "yep",
        "係",
        "系",
        "是",
        "是的",
        "得",
        "可以",
        "冇問題",
        "没问题",
        "no problem",
        "sure",
        "嗯",
        "👍",
    )
)
_SEND = re.compile(
    r"send|send it|please send|發送|发送|送出|確認|确认|提交|submit|confirm|寄出|傳送|传送"
)


# "hmm, no, I do want to send it", "ok send it please": a short message asking to send.
_SEND_WORDS = re.compile(
    r"\b(?:send it|send this|send now|please send|go ahead|submit it|confirm|confirmed)\b|want to send|"
    r"發送|发送|送出|提交|傳送|传送|寄出|确认|確認"
)
# "可唔可以唔填？", "can I skip this?": whether an answer may be left out, asked
_SKIP_ASKED = re.compile(
    r"可唔可以唔填|可以唔填|唔填得唔得|可不可以不填|可以不填|不填可以吗|一定要填|必须填|非填不可"
    r"|\bcan i (?:skip|leave (?:it|this) (?:out|blank))\b|\bmust i (?:fill|give|answer)\b"
    r"|\bis (?:it|this) (?:required|compulsory|mandatory|optional)\b"
)
_DO_NOT_SEND = re.compile(
    r"\b(?:don't|dont|do not|not|never|no need to)\s+(?:\w+\s+)?(?:send|confirm)|唔好|不要|別|别|唔使|不用"
    # "確認一下電話啱唔啱": a check asked for, not the enquiry confirmed
    r"|确认一下|确认下|确认吓|啱唔啱|对不对|对吗|是否|[?？]"
)


def _says_send(text: str) -> bool:
    folded = fold(text).strip(" .。!！")
    if _SEND.fullmatch(folded):
        return True
    short = len(folded.split()) <= 8 and len(folded) <= 40
    return short and bool(_SEND_WORDS.search(folded)) and not _DO_NOT_SEND.search(folded)


def _looks_like_phone(text: str) -> bool:
    """ "13912345678", "+852 9876 5432": digits, not a name."""
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    return digits >= 6 and letters <= 3


_PHONE_IN_TEXT = re.compile(r"\+?\d[\d \-]{6,}\d")
_PHONE_WORDS = re.compile(
    r"\b(?:my (?:phone|number|mobile|tel)|phone number|number is|call me (?:on|at))\b"
    r"|电话[,，\s]*(?:系|是|号码|号)|号码[,，\s]*(?:系|是)|手机[,，\s]*(?:系|是|号)|打(?:呢个|这个)"
    # "電話改咗 係97005678", "电话换了，是…": the number changed
    r"|(?:电话|号码|手机)(?:号码)?[,，\s]*(?:改|换|转)(?:咗|了|左|过)"
    r"|(?:改|换)(?:返|回|下|一下)?(?:个)?(?:电话|号码|手机)|\b(?:change|update|correct|fix) (?:my |the )?(?:phone|number)"
    # "電話打錯咗，應該係 98765433", "wrong number, it should be ...": a number corrected
    r"|(?:电话|号码|手机|\bphone\b|\bnumber\b).*(?:打错|写错|错咗|错了|应该系|应该是|\bwrong\b|should be)"
    r"|(?:\bwrong\b|打错|写错).*(?:电话|号码|手机|\bphone\b|\bnumber\b)"
    # "打錯咗，應該係 61234567": a correction whose new value is a phone number
    r"|(?:打错|写错|讲错|错咗|错了|搞错|应该系|应该是|不对|唔啱|唔系|不是).{0,12}\+?\d[\d \-]{6,}\d"
    # "改返 98765433", "改成 13800138001": a number changed to
    r"|(?:改|换)(?:返|回|做|成|为)\s*\+?\d[\d \-]{6,}\d"
)


def _phone_corrected(text: str) -> str | None:
    """ "actually my number is 6123 4568 sorry", "我電話係 6123 4568": the new number."""
    folded = fold(text)
    found = _PHONE_IN_TEXT.search(folded)
    if found is None or not _PHONE_WORDS.search(folded) or len(folded) > 80:
        return None
    return found.group(0).strip()


# "其實我個名係李志明", "sorry, my name is Peter Wong": the whole message corrects the name.
_NAME_CORRECTED = re.compile(
    r"^(?:(?:其实|其實|实际上|sorry|actually|oh|唔好意思|不好意思)[,，\s]*)*"
    r"(?:我个名系|我嘅名系|我名系|我的名字是|我名字是|我名字叫|我叫|my name is|my name's|the name is|name is"
    # "改一下名字，叫张伟", "change my name to Peter Chen"
    r"|(?:改|换)(?:一下|下|返|回)?(?:个)?(?:名字|姓名|名)[,，\s]*(?:叫|做|为|成|系|是|改为|改成)?"
    r"|(?:change|correct|update|fix) (?:my |the )?name to)"
    r"\s*(?:(?:actually|其实|其實)[,，\s]*)?(?P<name>.+?)[\s.。!！,，]*(?:sorry|唔好意思|不好意思)?[\s.。!！]*"
    # "…John Tse, not Jon": the wrong one named after
    r"(?:[,，\s]+(?:not|唔系|不是)\s*[^,，.。]{1,20}[.。!！]*)?$"
)


# "唔好意思打錯，係陳達文", "sorry, typo, it's Chan Tat Man": the answer just given, again
_TYPO_CORRECTED = re.compile(
    r"^(?:(?:唔好意思|不好意思|对唔住|对不起|sorry|oops|opps)[,，\s]*)*"
    r"(?:打错|写错|typo|i mean|我意思系|我意思是)(?:咗|了|左)?[,，:：\s]*"
    r"(?:应该|應該)?(?:系|是|it'?s|it is|should be|=)?\s*(?P<value>.+?)[\s.。!！]*$"
)


def _typo_fixed(session: Session, value: str) -> tuple[str, str] | None:
    """The answer a typo correction replaces ("打錯，係陳達文", "sorry typo, it is 5123 4568")
    and the new one: the field it names ("phone is …"), else the answer given so far that
    it most resembles, as a typo's fix does; None when it resembles none."""
    from rapidfuzz import fuzz

    found = _TYPO_CORRECTED.match(fold(value.strip()))
    if found is None:
        return None
    start = fold(value.strip()).find(found.group("value"))
    given = value.strip()[start : start + len(found.group("value"))].strip()
    labelled = _labelled_fields(session, given)
    if len(labelled) == 1:
        return next(iter(labelled.items()))  # "sorry typo, phone is 9876 5433"
    details = session.handoff["details"]
    scored = [
        (fuzz.ratio(fold(given), fold(str(details[field]))), field)
        for field in ("name", "company", "phone", "place")
        if details.get(field) and details.get(field) != NOT_GIVEN
    ]
    if not scored:
        return None
    score, field = max(scored)
    if score < _TYPO_LIKENESS:
        return None
    return field, given[: LIMITS[field]]


# What is said once an answer is fixed: a number, or another answer
_FIXED = {
    True: T("Thanks — I have kept your number."),
    False: T("Thanks — I have changed that."),
}
# How alike (rapidfuzz ratio, 0-100) a correction and the answer it fixes must be
_TYPO_LIKENESS = 60


def _fix_answer(session: Session, field: str, given: str) -> None:
    """One answer of the form replaced by its corrected form."""
    if field == "phone":
        _keep_phone(session, given, in_form=True)
        return
    session.handoff["details"][field] = given
    if field in ("name", "company"):
        session.handoff.setdefault("known", {})[field] = given
    if field == "place":
        _route_by(session, given)


def _name_corrected(text: str) -> str | None:
    """The name a message gives as a correction, or None."""
    found = _NAME_CORRECTED.match(fold(text.strip()))
    if found is None:
        return None
    folded_name = found.group("name")
    if not (_LATIN_NAME.fullmatch(folded_name) or _CJK_NAME.fullmatch(folded_name)):
        return None
    # The name as typed (Traditional stays Traditional): the same span of the original.
    start = fold(text.strip()).find(folded_name)
    return text.strip()[start : start + len(folded_name)][: LIMITS["name"]]


def _looks_like_company(text: str) -> bool:
    return bool(_COMPANY.search(fold(text)))


def _is_acknowledgement(text: str) -> bool:
    """ "好", "ok", and with thanks ("好，唔該", "ok thank you", "好唔該"): a go-ahead,
    made only of such words."""
    folded = fold(text).strip(" .。!！~")
    if folded in _ACKNOWLEDGEMENTS:
        return True
    words = sorted(_ACKNOWLEDGEMENTS | _THANKS, key=len, reverse=True)
    at, found = 0, False
    while at < len(folded):
        if folded[at] in _ACK_SEPARATORS:
            at += 1
            continue
        word = next((w for w in words if folded.startswith(w, at)), None)
        if word is None:
            return False
        at, found = at + len(word), True
    return found


_ACK_SEPARATORS = frozenset(" ,，、.。!！~")
_THANKS = frozenset(
    fold(w)
    for w in (
        "唔該",
        "唔該晒",
        "唔該你",
        "多謝",
        "多謝晒",
        "謝謝",
        "謝謝你",
        "谢谢您",
        "thanks",
        "thank you",
        "thankyou",
        "thx",
        "ty",
        "please",
        "麻煩你",
        "麻烦您",
    )
)


def _is_exit(text: str) -> bool:
    """The whole answer is a way of leaving: only words of the "exit" signal of
    intents.yaml, with politeness around them ("取消", "/cancel", "唔該唔使住", "no thanks")."""
    from bot.core.understand import signal_table

    folded = fold(text).strip(" .。!！").removeprefix("/")
    spans = signal_table().spans(folded)
    if not any(name == "exit" for name, _, _ in spans):
        return False
    covered = {i for _, start, end in spans for i in range(start, end)}
    for word in re.finditer(r"[a-z']+", folded):  # "actually wait, cancel that"
        if word.group(0) in _LATIN_FILLERS:
            covered.update(range(*word.span()))
    for word in _CJK_FILLER_WORDS.finditer(folded):  # "其實唔使喇，取消"
        covered.update(range(*word.span()))
    return all(i in covered or not ch.strip() or ch in _FILLERS for i, ch in enumerate(folded))


# Words around a way of leaving that say nothing else: "其實", "唔好意思", "sorry".
_CJK_FILLER_WORDS = re.compile(
    r"其实|实际上|唔好意思|不好意思|对唔住|对不起|我谂咗下|想想|都系|还是|好|咁|那"
)
# Particles and punctuation around a way of leaving: "唔使住", "算啦", "好喇".
_FILLERS = frozenset(",，、住啦喇了先嘞呀啊吖喎吧罢")
_LATIN_FILLERS = frozenset(
    [
        "actually",
        "wait",
        "hmm",
        "hm",
        "oh",
        "ok",
        "okay",
        "please",
        "pls",
        "just",
        "that",
        "this",
        "it",
        "sorry",
        "um",
        "uh",
        "well",
        "no",
        "i'd",
        "rather",
        "let's",
    ]
)


def place_at_location(dialogue: Dialogue, session: Session, place_id: str | None) -> Reply:
    """A location shared at the form's place step: the place it falls in, or the question
    again when it falls in none the programme knows."""
    reply = Reply("handoff", handoff=True)
    reply.remove_keyboard = True
    if place_id is None:
        reply.add(T("That point is outside Guangdong, Hong Kong and Macao as far as I can tell."))
        reply.add(QUESTIONS["place"])
        return reply.row(button(T("Cancel"), session.generation, "cancel", "handoff"))
    session.handoff["details"]["place"] = _place_label(session, place_id)
    session.handoff["place_id"] = place_id
    reply.add(T("Thanks — I have kept that as the factory's place."))
    return _ask_next(dialogue, session, reply)


def _route_by(session: Session, text: str) -> None:
    """A place typed in the enquiry picks the desk (``tickets.open_ticket`` reads it): the
    place said, not one denied ("地點唔係深圳，係東莞鳳崗" is Fenggang's desk)."""
    from bot.core import places
    from bot.core.reading import read

    stated = [f.value for f in read(text).of("place", "stated")]
    if stated:
        session.handoff["place_id"] = stated[-1]
        return
    found = places.find_place(text)
    if found is not None and found.place is not None:
        session.handoff["place_id"] = found.place.id


def _keep_phone(session: Session, phone: str, in_form: bool) -> None:
    """The number staff call: on the form being filled, and remembered for the next one."""
    phone = phone[: LIMITS["phone"]]
    if in_form:
        session.handoff["details"]["phone"] = phone
    session.handoff.setdefault("known", {})["phone"] = phone


def on_contact(dialogue: Dialogue, session: Session, contact: ContactIn) -> Reply:
    in_form = session.flow == "handoff" and (session.step in FIELDS or session.step == "confirm")
    if not contact.own:
        return Reply("handoff", handoff=True).add(T("Please share your own number, or type it."))
    _keep_phone(session, contact.phone.strip(), in_form)
    if not in_form:  # kept for the form, which then does not ask for it again
        reply = Reply("handoff").add(T("Thanks — I have kept your number."))
        reply.add(T("To leave an enquiry for staff, tap “Leave an enquiry”."))
        return reply.row(button(T("Leave an enquiry"), session.generation, "handoff", "leave"))
    reply = Reply("handoff", handoff=True)
    if session.step == "confirm":
        return _summary(session, reply.add(T("Thanks — I have kept your number.")))
    if session.step != "phone":  # shared before it was asked: kept, and the form goes on
        reply.add(T("Thanks — I have kept your number."))
    return _ask_next(dialogue, session, reply)


def on_tap(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    if tapped.action == "handoff" and tapped.arg == "leave":
        return _begin(dialogue, session)
    if tapped.action == "call":
        return hotline(dialogue, session)
    if tapped.action == "cancel":
        if session.flow == "handoff" and session.step != "open":
            session.start(None)
            session.handoff.pop("paused", None)
            from bot.core.flows.menu import welcome

            left = welcome(dialogue, session, cancelled=True)
            left.spent_buttons = True  # the form's buttons go with it
            return left
        return None
    if session.flow != "handoff":
        return None
    if tapped.action == "edit":
        if tapped.arg in FIELDS:
            return _change(dialogue, session, tapped.arg)
        return _which_to_change(session)
    if tapped.action == "skip" and tapped.arg == session.step == "company":
        return _leave_out(dialogue, session, "company")
    if tapped.action == "confirm" and session.step == "confirm":
        return _open(dialogue, session)
    return None


# What the summary and staff see for an answer the user chose not to give.
NOT_GIVEN = "—"

# "唔講公司得唔得？", "我不想留公司名", "I'd rather not say": the answer is declined.
# Giving the form up, not one answer: "算了，不填了", "never mind, forget the form".
# "算了，我想問下…", "never mind, how much is the cap?": the form given up for a question
_QUIT_THEN = re.compile(
    r"^\s*(?:算了|算啦|不用了|唔使喇|唔使啦|never ?mind|forget it|forget that)[,，.。!！\s]+(?P<rest>\S.{1,})",
    re.IGNORECASE | re.DOTALL,
)
_QUIT_FORM = re.compile(
    r"^\s*(?:算了|算啦|算数|唔搞|never ?mind|forget it)[,，.。!！\s]*"
    r"(?:我)?(?:不填了|唔填喇|唔填啦|不填|唔填|不用了|唔使喇|不弄了|不搞了|不要了|唔要喇|\bforget the form\b|\bno form\b)"
)
_DECLINE = re.compile(
    r"\b(?:skip|rather not|prefer not|no comment|anonymous|confidential"
    r"|(?:don't|dont|do not) (?:want|wish|like) to (?:say|give|tell|share|leave|provide)"
    r"|not (?:saying|telling|giving))\b"
    r"|唔讲|唔想(?:讲|留|俾|畀|话|透露|提供|报)|不想(?:讲|说|留|给|透露|提供|报)|不讲|不说"
    r"|唔方便|不方便|保密|跳过|略过|唔留|不留|匿名|唔俾|唔畀|不给"
    r"|唔填|不填|唔使填|不用填|免填|留空"
    # "remove it, no company", "冇公司": nothing to give for this answer
    r"|\b(?:remove it|leave it (?:blank|empty|out)|no company|none|n/?a|not applicable)\b"
    r"|冇公司|没有公司|无公司|个人名义"
)


def _declines(text: str) -> bool:
    """A short refusal; a longer message that says it is an enquiry."""
    folded = fold(text)
    short = len(folded.split()) <= 10 if folded.isascii() else len(folded) <= 20
    return short and bool(_DECLINE.search(folded))


def _leave_out(dialogue: Dialogue, session: Session, step: str) -> Reply:
    """A declined answer: name, company and place may be left out; the phone only when
    staff can answer in this chat, since otherwise it is the only way back."""
    reply = Reply("handoff", handoff=True)
    if step == "phone" and not _staff_can_reply(dialogue, session):
        reply.add(
            T(
                "Staff need a number to call you back. If you would rather not leave one, "
                "please call the hotline:"
            )
        )
        hotline_lines(dialogue, reply)
        reply.add(QUESTIONS["phone"])
        reply.keyboard = [[Button(T("Share my phone number"), request="contact")]]
        return reply.row(button(T("Cancel"), session.generation, "cancel", "handoff"))
    session.handoff["details"][step] = NOT_GIVEN
    reply.add(T("No problem — I will leave that out."))
    return _ask_next(dialogue, session, reply)


def _which_to_change(session: Session) -> Reply:
    """ "Change something": one button per answer, so the others are not typed again."""
    g = session.generation
    reply = Reply("handoff", handoff=True).add(T("Which answer do you want to change?"))
    for field in FIELDS:
        reply.row(button(FIELD_NAMES[field], g, "edit", field))
    reply.row(button(T("Cancel"), g, "cancel", "handoff"))
    return reply


def _change(dialogue: Dialogue, session: Session, field: str) -> Reply:
    """Ask one answer again; the summary comes back once it is given."""
    session.handoff["details"].pop(field, None)
    return _ask_next(dialogue, session, Reply("handoff", handoff=True))


# "I want to change the phone number", "改電話": which answer, typed at the summary.
_CHANGE = re.compile(
    r"\b(?:change|edit|correct|update|fix)\b|修改|更改|更正|想改|要改|改下|改一下|改返|改为|改成"
)
_FIELD_ALONE = re.compile(
    r"(?:the |my )?(?:phone(?: number)?|number|tel|mobile|company(?: name)?|place|location"
    r"|address|question|enquiry|name)|电话(?:号码)?|号码|手机|公司(?:名)?|地点|地址|问题|姓名|名字"
    r"|(?:查询|咨询|询问|问题)(?:内容)?|内容"  # "查询内容" beside the button's "咨询内容"
)
_FIELD_WORDS = {
    "phone": re.compile(r"\b(?:phone|number|tel|mobile)\b|电话|號碼|号码|手机"),
    "company": re.compile(r"\bcompany\b|公司"),
    "place": re.compile(
        r"\b(?:place|location|address|city)\b|地点|地址|厂址|地方"
        r"|\b(?:factory|plant|workshop)(?:'s| is)? (?:in|at)\b|厂(?:喺|在|系|是)"  # "the factory is in …"
    ),
    "topic": re.compile(r"\b(?:question|enquiry|inquiry|message|topic)\b|查询|咨询|询问|问题|内容"),
    "name": re.compile(r"\bname\b|姓名|名字|称呼|(?:个|嘅|的)名"),  # "我個名打錯"
}


# "change company to Wong Brothers Plastics Limited", "公司改成明興五金": an answer and its
# new value in one message
_CHANGE_TO = re.compile(
    r"\b(?:change|update|correct|set)\b.{0,20}?\b(?P<field>company|name|phone(?: number)?|number"
    r"|place|location|address)\b(?: name)?\s+(?:to|into|as)\s+(?P<value>\S.*?)\s*[.!。！]*$"
    r"|(?P<field2>公司|名字|姓名|电话|号码|地点|地址)(?:名)?(?:改为|改成|换成|转为)\s*(?P<value2>\S.*?)\s*[。！!.]*$"
)


def _change_to(session: Session, reading: Any) -> tuple[str, str] | None:
    """(field, new value) when one message names an answer and its new value."""
    folded = fold(reading.text)
    match = _CHANGE_TO.search(folded)
    if match is None or len(folded) != len(reading.text):
        return None
    group = "value" if match.group("field") else "value2"
    word = match.group("field") or match.group("field2")
    field = next(f for f, words in _FIELD_WORDS.items() if words.search(word))
    value = reading.text[match.start(group) : match.end(group)].strip()
    if field == "place":
        named = _place_named(session, reading)
        return ("place", named) if named else None
    if field == "phone" and sum(ch.isdigit() for ch in value) < 6:
        return None
    return (field, value) if value else None


def _field_to_change(text: str) -> str | None:
    """ "I want to change the phone number", or the answer's name alone ("phone", "電話")
    as after "Which answer do you want to change?"."""
    folded = fold(text).strip(" .。!！?？")
    alone = _FIELD_ALONE.fullmatch(folded)
    if alone is not None:
        return next(field for field, words in _FIELD_WORDS.items() if words.search(folded))
    if not _CHANGE.search(folded):
        return None
    named = [field for field, words in _FIELD_WORDS.items() if words.search(folded)]
    return named[0] if len(named) == 1 else None


def _open(dialogue: Dialogue, session: Session) -> Reply:
    details = dict(session.handoff["details"])
    # the summary's Send / Change / Cancel buttons are spent once it is sent
    reply = Reply("handoff", handoff=True, spent_buttons=True)
    if dialogue.tickets is None:
        reply.add(T("I can't record enquiries right now. Please call the hotline:"))
        session.start(None)
        return add_call_buttons(dialogue, session, reply)
    ticket = dialogue.tickets.open_ticket(session, details)
    session.handoff["ref"] = ticket.ref
    reaches = getattr(dialogue.tickets, "reaches_staff", lambda _: True)(ticket)
    if not reaches:
        # Stored, but no staff chat is set up to answer here: say so, and give the number.
        reply.add(
            title("Your enquiry is recorded under reference {ref}.", ref=Verbatim(ticket.ref)),
            T("Staff cannot reply in this chat yet, so please call the hotline:"),
        )
        session.start(None)
        return add_call_buttons(dialogue, session, reply)
    session.step = "open"
    reply.add(
        title("Sent. Your reference is {ref}.", ref=Verbatim(ticket.ref)),
        T("Staff will reply in this chat."),
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


def reply_time(dialogue: Dialogue, session: Session) -> Reply:
    """ "When will someone reply?": the open enquiry, when to expect staff if the desk's
    office hours are set, and that no source gives a reply time; the hotline for haste."""
    reply = Reply("handoff", handoff=True)
    ticket = open_ticket(dialogue, session)
    if ticket is None:
        reply.add(T("You have no open enquiry."))
    else:
        reply.add(T("Your enquiry is recorded under reference {ref}.", ref=Verbatim(ticket.ref)))
        desk = dialogue.desks.get(ticket.desk)
        expected = dialogue.tickets.expectation(desk) if desk is not None else None
        if expected is not None:
            reply.add(expected)
    reply.add(T("Our sources give no time for a reply. If it is urgent, please call the hotline."))
    add_call_buttons(dialogue, session, reply)
    reply.cite(*dialogue.contacts.phone.citations)
    if ticket is None:
        reply.row(button(T("Leave an enquiry"), session.generation, "handoff", "leave"))
    return reply


def reference(dialogue: Dialogue, session: Session, sent_asked: bool = False) -> Reply:
    """ "What's my reference number again?", "is my enquiry sent?": the open enquiry's
    reference, or that there is none (a form left unsent sends nothing)."""
    reply = Reply("handoff", handoff=True)
    ticket = open_ticket(dialogue, session)
    if ticket is None:
        if sent_asked:
            reply.add(
                T(
                    "No: nothing has been sent to staff from this chat. An enquiry is sent only when you tap “Send to staff” at the end of the form."
                )
            )
        reply.add(T("You have no open enquiry."))
        reply.row(button(T("Leave an enquiry"), session.generation, "handoff", "leave"))
    else:
        reply.add(T("Your enquiry is recorded under reference {ref}.", ref=Verbatim(ticket.ref)))
    return reply


def add_to_enquiry(dialogue: Dialogue, session: Session, text: str) -> Reply | None:
    """ "補充：預算80萬" after an enquiry was sent that no staff chat receives: added to
    that enquiry (staff read it with the record), not answered as a new question. None
    without an open enquiry."""
    tickets = dialogue.tickets
    ticket = open_ticket(dialogue, session)
    if ticket is None or not tickets.user_message(session, text):
        return None
    return Reply("handoff", handoff=True).add(
        T("Added to your enquiry."),
        T("Your enquiry is recorded under reference {ref}.", ref=Verbatim(ticket.ref)),
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
        session.case = {}
        session.outcomes = {}
        session.start(None)
        return Reply("help").add(
            T(
                "Done: I have deleted your name, company, phone number and messages. Enquiry records stay, without your personal data."
            )
        )
    return privacy()


def privacy() -> Reply:
    return privacy_into(Reply("help"))


def privacy_into(reply: Reply) -> Reply:
    """What is kept, and the command that deletes it."""
    return reply.add(
        title("Your data"),
        T(
            "I keep what you tell me in an enquiry (name, company, phone, place and messages) so hotline staff can reply, and your language choice. /forget deletes your personal data at any time."
        ),
    )
