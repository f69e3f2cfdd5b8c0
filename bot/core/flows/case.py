"""The case conversation: what the user has said about their factory, the verdict and the
estimate it supports, and the one question that would settle what is missing.

``merge`` folds a reading into the case (a correction replaces, "also" adds, a denial
removes). ``verdicts`` and ``outcome`` are functions of the whole case and the day.
``ask`` puts the next question (from ``steps.STEPS``) on a reply; ``on_tap`` applies a
tapped choice to the case exactly as if the user had typed it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bot.core import money, places
from bot.core.buttons import Tapped, button
from bot.core.case import DENIED, STATED, Case, Fact
from bot.core.estimate import Outcome, estimate_case
from bot.core.flows import eligibility as words
from bot.core.flows.steps import STEPS, choice
from bot.core.reading import (
    LINK_WORDS,
    SOLE_WORDS,
    THIRD_PERSON,
    Reading,
    link_named,
    percent_in,
)
from bot.core.reply import Button, Reply, T, title
from bot.core.session import Session
from bot.core.textnorm import fold
from bot.core.verdict import NOT_HK_OWNERS, CaseView, Verdict, decide

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

MAX_CHOICES = 6  # places offered as buttons; more would not fit a phone screen
VERDICT_STEPS = (
    "place",
    "place_choice",
    "premises",
    "process",
    "own_factory",
    "ownership",
    "share_mainland",
    "share_hk_company",
)
ESTIMATE_STEPS = ("item", "cost", "currency")
_YES = re.compile(
    r"^(?:系|是|有|对|啱|冇错|没错|正确|yes|yeah|yep|yup|correct|right|sure|ok|okay|有呀|系呀|是的|对的)[!！。.,，呀啊]*$"
)
_NO = re.compile(
    r"^(?:唔系|不是|冇|没有|无|唔|否|no|nope|not really|none|冇呀|没有啊|都唔系|都不是)[!！。.,，呀啊]*$"
)
# A reply that starts by saying no: "冇簽合約，佢哋自己買料", "no, they are independent".
_NO_FIRST = re.compile(r"^(?:no\b|nope\b|not\b|唔系|不是|冇(?!问题)|没有(?!问题)|没(?!问题)|无)")
_UNSURE = re.compile(
    r"唔知|不知道|不清楚|唔清楚|不确定|唔肯定|唔确定|not sure|don't know|dont know|unsure|no idea"
)
# Words beside "Hong Kong" that make an answer to "is it owned by a HK company?" about
# someone or something else: customers, a person, an office, a friend.
_NO_HK_OWNER_WORD = re.compile(
    r"客|买家|用家|人|居民|老板|老细|股东|朋友|办事处|写字楼|办公室|住|"
    r"\b(?:customers?|clients?|buyers?|boss|owner|shareholders?|friends?|partners?|lives?|living"
    r"|from|office|people|person|resident)\b"
)
# "Hong Kong" denied: "母公司不在香港", "唔喺香港", "not in HK", "isn't a Hong Kong company".
_NOT_HONG_KONG = re.compile(
    r"(?:不在|唔喺|唔系|不是|不系|并非|不属于|冇|没有)[^\s，,。、]{0,2}(?:香港|\bhk\b|hong kong)"
    r"|(?:\bnot|n't|\bno)\b(?:\s+(?:in|from|a|an|based|registered|our|any|have|has))*\s+(?:hk|hong kong)\b"
)
# Hong Kong dollars, no Hong Kong owner: "HK$2m", "港幣50萬", "HKD"
_MONEY_WORDS = re.compile(r"hk\s*\$|\bhkd\b|港币|港元|港纸|\bhong kong dollars?\b")
# Words that acknowledge without answering: "ok" to "does your company own a factory?"
_ACK_ONLY = re.compile(r"^(?:ok|okay|sure|好|好的|嗯)[!！。.,，呀啊]*$")


# --- the case in the session -------------------------------------------------------------------


def load(session: Session) -> Case:
    return Case.from_json(session.case)


def save(session: Session, case: Case) -> None:
    session.case = case.to_json()
    places_now = case.places()
    # The primary place, for the hand-off form and the staff card.
    session.facts = {"place": places_now[0]} if places_now else {}


# Words of a project bought or changed: "換水性漆", "买设备", "install a new booth".
_PROJECT_COST = re.compile(
    r"换|转用|改用|买|购|装|设备|机器|项目|工程|改造|升级"
    r"|\b(?:switch|replace|buy|install|upgrade|equipment|machine|project|retrofit)"
)


def named_day(case: Case) -> date | None:
    """The day the user last named to the day or the month ("2013年1月15號", "2013年2月"),
    for a shift said later ("遲一個禮拜先申請呢？"); None when none was, or a phase was
    named since."""
    value = named_time(case)
    if value is None or value.get("precision") not in ("day", "month"):
        return None  # a year alone is too coarse for a day
    return date.fromisoformat(value["day"])


def named_time(case: Case) -> dict[str, Any] | None:
    """The day, month or year the user last named, as the case keeps it; None when none
    was, or a phase was named since."""
    named = [f for f in case.facts if f.kind in ("phase", "day") and f.polarity == STATED]
    if not named:
        return None
    fact = max(named, key=lambda f: f.turn)
    return fact.value if fact.kind == "day" and isinstance(fact.value, dict) else None


def named_year(case: Case) -> int | None:
    """The year of the day the user last named ("2013年1月"), for a month said later with
    no year ("咁2月尾呢？"); None when no day was named or a phase was named since."""
    named = [f for f in case.facts if f.kind in ("phase", "day") and f.polarity == STATED]
    if not named:
        return None
    fact = max(named, key=lambda f: f.turn)
    if fact.kind != "day":
        return None
    return date.fromisoformat(fact.value["day"]).year


def known_places(case: Case) -> tuple[places.Place, ...]:
    """The places of the case's factories."""
    out = []
    for place_id in case.places():
        try:
            out.append(places.get(place_id))
        except KeyError:
            continue
    return tuple(out)


def primary_place(case: Case) -> places.Place | None:
    ids = case.places()
    if not ids:
        return None
    try:
        return places.get(ids[0])
    except KeyError:
        return None


# --- merging a message ---------------------------------------------------------------------------


# "owned by", "擁有": a message that says who owns the factory, not only who exists.
_OWNED_BY = re.compile(r"\bown(?:s|ed)?\b|拥有|持有|独资|全资|属于|系.{0,8}嘅厂")
# What a message says of the owner of "the other factory" holds for that factory only.
_OWNER_KINDS = frozenset({"ownership", "share_mainland", "share_hk_company", "hk_company"})


def _one_factory(case: Case, reading: Reading) -> str | None:
    """The place a message's ownership facts are about, when it names one more factory
    of a case that has others ("另一間廠喺肇慶高要，係內地公司"): None when they hold for
    the whole case."""
    before = case.places()
    if not before or not reading.places_added:
        return None
    new = [f.value for f in reading.of("place", STATED) if f.value not in before]
    if len(new) != 1 or not any(f.kind in _OWNER_KINDS for f in reading.facts):
        return None
    return new[0]


def _clause_owners(case: Case, reading: Reading) -> list[Fact] | None:
    """Ownership said of several of the case's factories in one message, clause by clause
    ("東莞嗰間係合資，肇慶嗰間係內地公司，老闆係香港人，佔內地公司55%"): each factory's
    own facts, scoped to it. None unless the message names two or more of them."""
    # the case's factories, or those a first message names ("a factory in Pingshan … and
    # a second one in Beihai … my brother's in Houjie")
    known = case.places()
    first_message = not known
    if not known:
        # a first message naming several factories, one of them said not to be the
        # company's ("one in Foshan owned 100% by our HK company, and one in Jiangmen
        # owned by a Taiwanese company we buy from"): each factory's own facts, not one
        # owner for all of them
        known = [f.value for f in reading.of("place", STATED) if isinstance(f.value, str)]
    if len(known) < 2 or not any(f.kind in _OWNER_KINDS for f in reading.facts):
        return None
    from bot.core.reading import read

    if _ALL_OF_THEM.search(fold(reading.text)) and not case.places():
        return None  # "3 plants … all owned by the HK parent": said of every one of them
    said = _pieces_by_factory(reading.text, known)
    if len(said) < 2:
        return None
    scoped = []
    for place_id, pieces in said.items():
        for fact in read("，".join(pieces)).facts:
            if fact.kind in _OWNER_KINDS:
                scoped.append(
                    Fact(fact.kind, fact.value, fact.polarity, case.turn, fact.quote, place_id)
                )
    if first_message and not reading.of("ownership", DENIED):
        # only when one factory is said to be the Hong Kong company's and another
        # someone else's: "Humen (WFOE), Heyuan (JV)" are all the client's own
        owners = {(f.value, f.polarity) for f in scoped if f.kind == "ownership"}
        others = {("hk", DENIED)} | {(o, STATED) for o in ("mainland", "taiwan", "foreign", "macao")}
        if not (("hk", STATED) in owners and owners & others):
            return None
    return scoped


# ("兩間都可以申請？", "can both apply?" ask of both; they say nothing of who owns them)
def _pieces_by_factory(text: str, known: list[str]) -> dict[str, list[str]]:
    """The message's clauses grouped by the factory of ``known`` each one names (a clause
    naming none goes with the one before)."""

    def factory_of(piece: str) -> str | None:
        found = [m.place for m in places.find_places(piece) if m.place is not None]
        mine = {k for p in found for k in known if places.within(k, p.id)}
        return mine.pop() if len(mine) == 1 else None

    said: dict[str, list[str]] = {}
    current = None
    for piece in _FACTORY_CLAUSES.split(text):
        if not piece:
            continue
        current = factory_of(piece) or current
        if current is not None:
            said.setdefault(current, []).append(piece)
    return said


def _clause_processes(case: Case, reading: Reading) -> list[Fact] | None:
    """Processes said of several factories or workshops in one message, clause by clause:
    each one's own, scoped to it. None unless two of them have processes of their own."""
    if len([f for f in reading.facts if f.kind == "process"]) < 2:
        return None
    known = case.places() or [
        f.value for f in reading.of("place", STATED) if isinstance(f.value, str)
    ]
    if len(known) < 2:
        return None
    from bot.core.reading import read

    said = _pieces_by_factory(reading.text, known)
    scoped = [
        Fact(f.kind, f.value, f.polarity, case.turn, f.quote, place_id)
        for place_id, pieces in said.items()
        for f in read("，".join(pieces)).facts
        if f.kind == "process"
    ]
    if len({f.about for f in scoped}) < 2:
        return None
    return scoped


_ALL_OF_THEM = re.compile(
    r"(?:\ball\b|\bboth\b|\beach\b|全部|所有|都系|都是|两间都|三间都|每间|每个厂)"
    r"(?!\s*(?:可以|可唔可以|可不可以|能|得|申请|apply|qualify|be eligible|eligible|can\b))"
)
# Where a message passes from one factory to the next: punctuation, "and a second
# factory", "also", "另外", "仲有"
_FACTORY_CLAUSES = re.compile(
    r"[，,；;。]|(?<=[a-z0-9)])\.\s|\band (?=(?:a|the|my|our) (?:second|another|other|third)\b)"
    r"|\balso\b|另外|仲有|还有|還有",
    re.IGNORECASE,
)


# The kind of link a Hong Kong owner has: a venture, a contract, a wholly owned firm.
_LINK_KIND = re.compile(
    r"(?<![a-z])(?:wfoe|jv)(?![a-z])|独资|全资|合资(?!格)|合作经营|合作企业|合营|外商独资|\bjoint venture\b|\bwholly\b"
)


# "廣東其他地方", "elsewhere in Guangdong": another place in the province, not the town said
_ELSEWHERE = re.compile(
    r"其他|其它|别的|别处|第二度|第二个地方|另一|另外|\bother\b|\belsewhere\b|\banother\b"
    r"|\bsomewhere\b|\banywhere\b|\boutside\b|任何|以外|之外"
)


# The speaker's company's processing contract: "我们跟…那个厂签了来料加工合同",
# "we have a processing contract with the factory"
_OUR_PROCESSING_CONTRACT = re.compile(
    r"(?:我们|我哋|我地|我)(?:公司|香港公司)?\s*(?:跟|同|和|与)[^，。,.?？没冇未无不]{0,16}?(?:签(?:咗|了|过)?|有)"
    r"(?:份|个)?(?:来料加工|三来一补|加工|进料加工)(?:的|嘅)?(?:合同|合约|协议|关系)"
    r"|\b(?:we|our (?:hk )?company) (?:have|has|signed|sign) (?:a )?processing (?:contract|agreement) with\b"
)
# A contract to be signed: "簽咗合約之後先申請", "if we sign a contract first"
_CONTRACT_SIGNED_LATER = re.compile(
    r"签(?:咗|了|好|埋)?(?:份)?(?:正式|书面)?(?:的|嘅)?(?:加工)?(?:合约|合同)(?:之后|以后|后|先|再)"
    r"|(?:如果|假如|要是|若)\s*(?:我哋|我们|我)?\s*签(?:咗|了|好)?(?:份)?(?:正式|书面)?(?:的|嘅)?(?:加工)?(?:合约|合同)"
    r"|\b(?:if|once|after) (?:we|i|they) (?:sign|signed) (?:a |the )?(?:formal |written |processing )?contract\b"
    r"|\bsign (?:a |the )?(?:formal |written |processing )?contract (?:first|and then)\b"
)
_MY_COMPANY = re.compile(r"\bmy (?:own )?company\b|我(?:间|嘅|的)?公司")


def _my_company_is_the_hk_one(case: Case, reading: Reading) -> None:
    """ "what if he buys another 15% of my company?" after "the HK company applying is my
    company": a share of the Hong Kong company, not of the Mainland enterprise."""
    if case.current("my_company") != "hk" or not _MY_COMPANY.search(fold(reading.text)):
        return
    if reading.of("share_hk_company") or reading.of("share_hk_company_more"):
        return
    renamed = {"share_mainland": "share_hk_company", "share_mainland_more": "share_hk_company_more"}
    reading.facts = [
        replace(f, kind=renamed[f.kind]) if f.kind in renamed else f for f in reading.facts
    ]


# "佢係2009年做嘅", "it was done in 2009": when something was done, not the rules' day
_DONE_IN = re.compile(
    r"做(?:嘅|的|咗|了|过)|\b(?:done|did|had|was|were|completed|carried out)\b"
)


def _year_of_the_last_assessment(case: Case, reading: Reading) -> None:
    """A year said alone of the earlier assessment the case has ("佢係2009年做嘅"): the
    year W5's five-year rule counts from, not the day the rules are read on."""
    if case.current("last_assessment") is None or reading.of("item"):
        return
    days = reading.of("day", STATED)
    if len(days) != 1 or days[0].value.get("precision") != "year":
        return
    if not _DONE_IN.search(fold(reading.text)) or len(fold(reading.text)) > 30:
        return
    year = int(str(days[0].value["day"])[:4])
    reading.facts = [f for f in reading.facts if f is not days[0]]
    reading.facts.append(Fact("last_assessment", {"year": year}, STATED, case.turn, reading.text[:40]))
    if case.current("repeat"):
        reading.asks.add("estimate")  # the repeat asked about, counted from that year


# A move still to come: "明年會搬去湖南", "we will move it to Chenzhou next year"
_MOVING_LATER = re.compile(
    r"(?:会|要|将|打算|准备|计划|想|明年|下年|下个月|迟啲|之后)\s*(?:会|要|将)?\s*搬(?:去|到|上|落|厂)"
    r"|\b(?:will|going to|plan(?:ning)? to|intend to|about to)\s+(?:move|relocate)\b"
)


# The speaker's side holding a share: "我哋佔40%咋", "we only hold 40%", "港方佔四成"
_WE_HOLD = re.compile(
    r"(?:我哋|我地|我们|港方|香港方|香港(?:嗰|𠮶|那)边)\s*(?:只|淨係|净系|就)?(?:占|持有|持股|有|揸)"
    r"|\b(?:we|our side|the hk side|hk side)\s+(?:only\s+)?(?:hold|have|own)s?\b"
)
# The other party of a joint venture: "the mainland partner", "合作方", "中方"
_PARTNER = re.compile(
    r"\bpartners?\b|\b(?:mainland|chinese|other) side\b|合作方|合资方|伙伴|拍档|中方|内地方|对方"
    r"|内地(?:嗰|𠮶|那|个)?边"
)
# What a message says of a venture's or contract's other side, not of the Hong Kong company
_PARTNER_KINDS = frozenset(
    {"ownership", "share_mainland", "share_hk_company", "resident_is", "holder_said", "holder_word"}
)


def _only_wider(case: Case, stated: list[Fact]) -> bool:
    """Every place just said holds a place the case already has, and is not it."""
    current = [f.value for f in case.facts if f.kind == "place" and f.polarity == STATED]
    return bool(current) and all(
        any(value != fact.value and places.within(value, fact.value) for value in current)
        for fact in stated
    )


def _back_then_is_the_day_named(case: Case, reading: Reading) -> None:
    """ "and the verification back then?" after "and the first one?": the phase or day
    the case names is meant, kept as that (a new phase fact replaces the old one)."""
    if not any(f.value == "back_then" for f in reading.of("phase")):
        return
    named = [
        f
        for f in case.facts
        if f.polarity == STATED
        and (f.kind == "day" or (f.kind == "phase" and f.value not in ("back_then", "today")))
    ]
    if not named:
        return
    last = max(named, key=lambda f: f.turn)
    reading.facts = [f for f in reading.facts if not (f.kind == "phase" and f.value == "back_then")]
    reading.facts.append(replace(last, turn=case.turn))


# A joint venture said not to be the case: "not the JV", "唔係合資"
_VENTURE_DENIED = re.compile(
    r"(?:\bnot|\bno longer|\bisn'?t|唔系|不是|并非|已经唔系|已经不是)\s*(?:a\s+|the\s+|an\s+)?"
    r"(?:jv\b|joint venture|合资|合作企业|合营)"
)


# "咁舊廠仲開緊", "the old factory is still running": the site moved from is a factory too
_OLD_SITE_RUNNING = re.compile(
    r"(?:旧厂|旧址|原来(?:嘅|的)?厂|以前(?:嘅|的|间)?厂)\S{0,4}(?:仲|还|都|亦|也)(?:系|是|在)?(?:开紧|做紧|运作|营运|经营|生产|开工|开着|在开|在做|未关(?!系)|没关(?!系)|冇关(?!系))"
    r"|\bold (?:factory|plant|site)\b.{0,12}\b(?:still|is still|remains)\b.{0,12}\b(?:running|open|operating|producing|in operation)\b"
)


def _old_site_still_running(case: Case, reading: Reading) -> None:
    """The site the factory "moved" from, said to be still running: a second factory, so
    both places are answered (a move is not a closure)."""
    if not _OLD_SITE_RUNNING.search(fold(reading.text)):
        return
    old = [f.value for f in case.facts if f.kind == "moved_from"]
    if not old:
        return
    case.forget("moved_from")
    known = case.places()
    for place_id in old:
        if place_id not in known:
            reading.facts.append(Fact("place", place_id, STATED, case.turn, ""))
    reading.places_added = True
    reading.asks.add("verdict")


_SHARE_CHANGES = {
    "share_mainland": "share_mainland",
    "share_hk_company": "share_hk_company",
    "share_mainland_more": "share_mainland",
    "share_hk_company_more": "share_hk_company",
    "share_mainland_less": "share_mainland",
    "share_hk_company_less": "share_hk_company",
}


def _note_share_before(case: Case, reading: Reading, fact: Fact) -> None:
    """A resident's share told changed ("so he has 45% now"): what it was is kept, so
    "what if he transfers it back?" can put it back."""
    kind = _SHARE_CHANGES.get(fact.kind)
    if kind is None or fact.polarity != STATED or reading.what_if:
        return
    held = case.current(kind)
    if held is not None and (kind != fact.kind or str(held) != str(fact.value)):
        case.add(Fact("share_before", {"kind": kind, "value": str(held)}, STATED, fact.turn, ""))


def _change_of_the_wrong_share_undone(case: Case, reading: Reading) -> None:
    """ "no wait, she gives 10% of the HK company to my sister, not the factory": the change
    told of the factory's shares just before is taken back (its share restored) before
    the change now told is applied."""
    undone = [f.value for f in reading.of("share_change_undone")]
    before = case.current("share_before")
    if not undone or not isinstance(before, dict) or before.get("kind") not in undone:
        return
    case.add(Fact(before["kind"], before["value"], STATED, case.turn, "undone"))
    case.forget("share_before")


def _trading_company_beside_the_factory(case: Case, reading: Reading) -> None:
    """ "香港那边我有一家贸易公司，我占100%" after "我在东莞樟木头有个厂…我占70%": the Hong
    Kong company of the resident's link (1(d) asks nothing of what it trades), not a
    company without a factory, and "香港" there is no factory's place."""
    if not (
        reading.of("premises", STATED)
        and all(f.value == "none" for f in reading.of("premises", STATED))
        and case.places()
        and case.current("premises") in ("factory", None)
        and case.current("ownership") in ("hk_resident", "hk")
        and (reading.of("share_hk_company") or case.current("ownership") == "hk_resident")
    ):
        return
    reading.facts = [
        f
        for f in reading.facts
        if not (f.kind == "premises" and f.value == "none")
        and not (f.kind == "place" and f.value == "hk")
    ]
    reading.asks.add("verdict")


def merge(case: Case, reading: Reading, about: str | None = None) -> None:
    """Add a message's facts to the case. ``about`` names the one factory of several
    that the message is about ("肇慶嗰間，佢佔香港公司20%"): its ownership facts hold
    for that factory only."""
    _back_then_is_the_day_named(case, reading)
    _change_of_the_wrong_share_undone(case, reading)
    _old_site_still_running(case, reading)
    _trading_company_beside_the_factory(case, reading)
    new_sites = [f.value for f in reading.of("place", STATED) if isinstance(f.value, str)]
    for place_id in reading.moved_from + reading.left_places:
        # the site left, kept apart: "我哋2012年喺沙井做過…" later names the old site
        if place_id not in [f.value for f in case.facts if f.kind == "moved_from"]:
            case.add(Fact("moved_from", place_id, STATED, case.turn, ""))
        if len(new_sites) == 1:
            # "玉林的厂如果搬去肇庆呢": what was said of that factory goes with it
            for fact in [f for f in case.facts if f.about == place_id]:
                case.facts.append(replace(fact, about=new_sites[0]))
    _cost_keeps_its_item(case, reading)
    _my_company_is_the_hk_one(case, reading)
    _year_of_the_last_assessment(case, reading)
    if (
        not reading.facts
        and case.current("link") == "venture"
        and percent_in(reading.text) is not None
        and _WE_HOLD.search(fold(reading.text))
    ):
        # "我哋佔40%咋" after a joint venture: the Hong Kong company's stake in it, which
        # link 1(a) sets no figure for; the verdict, with the link that counts
        reading.link_in_question = True
        reading.asks.add("verdict")
    if (
        reading.resident_inferred
        and not case.supposed  # "佢喺香港公司有三成" in a what-if: the supposed resident's
        and (
            case.current("ownership") in NOT_HK_OWNERS
            or "hk_resident" in case.denied("ownership")
        )
    ):
        # "我係新加坡人…我喺香港都有間公司，我佔晒100%": the holder is no Hong Kong
        # resident, so the Hong Kong company's link to the factory is what is asked
        reading.facts = [
            Fact("ownership", "unclear", STATED, f.turn, f.quote)
            if f.kind == "ownership" and f.value == "hk_resident"
            else f
            for f in reading.facts
        ]
    if (
        (
            case.current("ownership") == "hk_resident"
            # "佢話香港公司佢得20%" after a doubt on link 1(d): the resident's share again
            or (
                case.current("ownership") == "unsure"
                and case.current("resident_is")
                # not a doubt staff must settle (an estate, a lease, a link in doubt)
                and (case.fact("ownership", "unsure") or Fact("", "")).quote
                not in ("estate", "leased out", "link in doubt")
            )
        )
        and [f.value for f in reading.of("ownership", STATED)] == ["hk"]
        and not (LINK_WORDS.search(fold(reading.text)) or _OWNED_OUTRIGHT.search(fold(reading.text)))
        and _PERSON_STAKE.search(fold(reading.text))
    ):
        # "香港公司？佢有份嘅，幾多我唔知" on link 1(d): the resident's share of the Hong
        # Kong company talked about, not the company owning the factory
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        if case.current("ownership") == "unsure" and reading.of("share_hk_company"):
            reading.facts.append(Fact("ownership", "hk_resident", STATED, case.turn, "shares"))
    said = reading.of("ownership", STATED)
    if (
        case.current("ownership") == "hk"
        and said
        and all(f.value == "unclear" for f in said)
        and len(fold(reading.text)) <= 40  # "ok, forget it, we keep the WFOE"
        and _LINK_KIND.search(fold(reading.text))
        and not reading.link_denied
        and not reading.hk_side_left  # "港方退出了，现在是内地独资": no longer its own
        and not reading.of("ownership", DENIED)  # "合资方是我个人，不是公司"
    ):
        # "WFOE嚟", "唔係獨資，係同內地公司合作經營" after a Hong Kong owner: how it owns
        # the factory (links 1(a), 1(b)), not a doubt about who
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.asks.add("verdict")
        link = link_named(fold(reading.text))
        if link in ("contract", "venture"):
            # kept like a link said with the owner, so the venture's other side said
            # later ("內地嗰邊老闆想退出") is not a new owner
            reading.facts.append(Fact("link", link, STATED, case.turn, ""))
    if "hk" in [f.value for f in reading.of("ownership", DENIED)] or reading.hk_side_left:
        case.forget("link")  # "me personally, not the company", "bought us out": gone
    elif case.current("link") == "venture" and _VENTURE_DENIED.search(fold(reading.text)):
        case.forget("link")  # "registered under my friend's name, not the JV": no venture
    if reading.link_of_relative:
        case.add(Fact("link_holder", "relative", STATED, case.turn, reading.text[:40]))
    if (
        reading.contract_denied
        and case.current("link") == "contract"
        and not reading.of("ownership", STATED)
        and not reading.what_if
    ):
        # "the contract ended last year, now no contract" after link 1(c): that link gone
        case.forget("link")
        reading.facts.append(Fact("ownership", "hk", DENIED, case.turn, reading.text[:40]))
    if (
        _OUR_PROCESSING_CONTRACT.search(fold(reading.text))
        and not (reading.contract_denied or reading.contract_lapsed or reading.link_denied)
        and case.current("hk_company") != "none"
        and (
            "hk" in case.denied("ownership")
            or case.current("hk_company") == "exists"
            or case.current("my_company") == "hk"
        )
        and not any(f.value in ("hk", "hk_resident") for f in reading.of("ownership", STATED))
    ):
        # "我们跟台湾公司那个厂签了来料加工合同" after "我们香港公司…卖给了台湾公司":
        # the speaker's Hong Kong company's processing contract, link 1(c) (W9); who owns
        # the factory is no condition of it
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "hk", STATED, case.turn, reading.text[:40]))
        reading.facts.append(Fact("link", "contract", STATED, case.turn, ""))
        reading.asks.add("verdict")
    if (
        not reading.contract_denied
        and _CONTRACT_SIGNED_LATER.search(fold(reading.text))
        and (case.current("link_denied") or "hk" in case.denied("ownership"))
        and not reading.of("ownership", STATED)
    ):
        # "咁簽咗合約之後先申請得唔得？" after "no formal contract": a processing contract
        # the Hong Kong company would sign, link 1(c) (W9), supposed, not told
        reading.what_if = True
        reading.facts.append(Fact("ownership", "hk", STATED, case.turn, reading.text[:40]))
        reading.facts.append(Fact("link", "contract", STATED, case.turn, ""))
        reading.asks.add("verdict")
    if reading.contract_denied:
        # "no shares or contract with us", "跟工廠冇簽合同": no link left to ask about
        case.add(Fact("link_denied", True, STATED, case.turn, reading.text[:40]))
    elif any(f.value in ("hk", "hk_resident") for f in reading.of("ownership", STATED)):
        case.forget("link_denied")  # a link said after all
    processes = _clause_processes(case, reading)
    if processes is not None:
        # "青衣個車房做引擎測試，長沙灣個車衣工場冇污染工序": each workshop's own processes
        reading.facts = [f for f in reading.facts if f.kind != "process"] + processes
    per_clause = _clause_owners(case, reading)
    if per_clause is not None:
        reading.facts = [f for f in reading.facts if f.kind not in _OWNER_KINDS] + per_clause
        about = None
    elif about is None:
        about = _one_factory(case, reading)
    if about is not None:
        # "其實我哋仲有間廠喺東莞，香港公司獨資" after a Kwai Chung workshop: the new
        # factory's owner and premises are its own, the workshop stays a workshop
        reading.facts = [
            Fact(f.kind, f.value, f.polarity, f.turn, f.quote, about)
            if f.kind in _OWNER_KINDS or f.kind == "premises"
            else f
            for f in reading.facts
        ]
    stated = reading.of("place", STATED)
    for fact in reading.of("place", DENIED):
        case.add(fact)
        # "唔係中山，係江門古鎮" after "中山古鎮": a place within the one denied goes too
        case.facts = [
            f
            for f in case.facts
            if not (
                f.kind == "place"
                and f.polarity == STATED
                and f.value != fact.value
                and places.within(f.value, fact.value)
            )
        ]
    if (
        stated
        and not reading.places_added
        and not reading.of("place", DENIED)
        and not _ELSEWHERE.search(fold(reading.text))
        and _only_wider(case, stated)
    ):
        # "the one in Guangdong" after "Taishan": which Taishan is meant, not a move to
        # somewhere in the province; the town said stays
        case.forget("place_choice")
    elif stated:
        if reading.places_added or _choice_adds(case, [f.value for f in stated]):
            for fact in stated:
                case.add(fact)
        else:
            if not reading.moved_from and _MOVING_LATER.search(fold(reading.text)):
                # "不過明年會搬去湖南郴州" after "間廠而家喺惠州": where it is until then
                reading.moved_from = tuple(
                    f.value
                    for f in case.facts
                    if f.kind == "place" and f.polarity == STATED and f not in stated
                )
            case.replace("place", stated)
        case.forget("place_choice")
    elif (
        reading.place_choice
        and not reading.place_suggested
        and all(not (p.in_guangdong or p.in_hong_kong) for p in reading.place_choice)
    ):
        # Every place of that name is outside Guangdong and Hong Kong (two Suzhous): the
        # answer is the same whichever is meant, so none needs choosing.
        case.replace(
            "place",
            [Fact("place", reading.place_choice[0].id, STATED, case.turn, reading.place_words)],
        )
        case.forget("place_choice")
    elif reading.place_choice:
        choice = {
            "ids": [p.id for p in reading.place_choice][:MAX_CHOICES],
            "suggested": reading.place_suggested,
            "added": reading.places_added,  # "and one in Shenzen too": one more factory
        }
        case.add(Fact("place_choice", choice, STATED, case.turn, reading.place_words))
    # The owner as the factory talked about sees it ("肇慶嗰間，佢佔香港公司20%")
    view = case.for_place(about) if about is not None else case
    resident_shares = view.current("ownership") == "hk_resident" and any(
        f.kind in ("share_mainland", "share_hk_company") for f in reading.facts
    )
    owner_before = view.current("ownership")
    # "美国公司在香港有注册分公司": the owner said again is no new owner
    owned_by = bool(_OWNED_BY.search(fold(reading.text)))  # "owned by our German parent"
    # "the HK company owns it outright", "改由香港公司同內地合資": the HK company's own link
    owns_by_link = owned_by or bool(
        LINK_WORDS.search(fold(reading.text)) or SOLE_WORDS.search(fold(reading.text))
    )
    owner_said = any(
        f.kind == "ownership"
        and (owned_by or not (f.value == owner_before and f.polarity == STATED))
        for f in reading.facts
    )
    # "the mainland partner holds 70% and its boss is not a HK resident", "內地嗰邊老闆
    #想退出，由佢個仔接手" after a venture or contract: the other side's owners and shares,
    # which links 1(a) and 1(c) set no condition on (W7, W9); the link said still counts
    partner_side = (
        owner_before == "hk"
        and view.current("link") in ("venture", "contract")
        and bool(_PARTNER.search(fold(reading.text)))
        and not (
            reading.hk_side_left
            or reading.contract_denied
            or reading.contract_lapsed
            or reading.link_denied
            or reading.what_if
        )
    )
    for fact in reading.facts:
        if fact.kind in ("place", "share_change_undone"):
            continue  # the place is merged above; an undone change is a note to merge by
        _note_share_before(case, reading, fact)
        if (
            partner_side
            and fact.kind in _PARTNER_KINDS
            and not (fact.kind == "ownership" and fact.value == "hk" and fact.polarity == STATED)
        ):
            reading.link_in_question = True
            reading.asks.add("verdict")
            continue
        if (
            owner_before == "hk"
            and view.current("link") in ("venture", "contract")
            and fact.kind == "ownership"
            and fact.value == "hk_resident"
            and fact.polarity == STATED
            and not (reading.contract_denied or reading.contract_lapsed or reading.link_denied)
            and not reading.hk_side_left
        ):
            # "and he holds 80% of the HK company" after the company's venture: a person's
            # shares, which the venture's link 1(a) (or the contract's 1(c)) does not need
            reading.link_in_question = True
            reading.asks.add("verdict")
            continue
        if resident_shares and fact.kind == "ownership" and fact.value == "hk":
            continue  # "香港公司我佔20%": the resident's shares in the applicant, link 1(d)
        if (
            owner_before == "hk_resident"
            and fact.kind == "ownership"
            and fact.value == "hk"
            and fact.polarity == STATED
            and not owns_by_link
        ):
            # "香港公司我们各占一半" after the resident's link: the applicant's shares,
            # not the Hong Kong company owning the factory
            continue
        if (
            fact.kind == "ownership"
            and fact.value == "mainland"
            and fact.polarity == STATED
            and owner_before == "hk"
            and (
                view.current("link") == "contract"
                # "the mainland partner is a state owned enterprise": the venture's other side
                or view.current("link") == "venture" and _PARTNER.search(fold(reading.text))
            )
            and not (reading.contract_denied or reading.contract_lapsed or reading.link_denied)
            and not reading.hk_side_left  # "the mainland side bought us out"
        ):
            # "那个厂是内地老板的，我们一点股份都没有" after a processing contract: link 1(c)
            # is a Mainland enterprise's contract with the Hong Kong company (W7, W9)
            reading.link_in_question = True
            continue
        if (
            owner_before == "hk_resident"
            and fact.kind == "ownership"
            and fact.value == "mainland"
            and fact.polarity == STATED
        ):
            continue  # "owned by a mainland company, I hold 70%": the resident's, link 1(d)
        if (
            fact.kind == "hk_company"
            and fact.value == "exists"
            and owner_before in NOT_HK_OWNERS
            and not owner_said
            and not reading.link_denied  # "香港有公司，但跟工廠冇簽合同": still none
        ):
            # "我們在香港有分公司" after "registered in Taiwan": which company owns the
            # factory, and how, is asked; the Hong Kong one is never assumed the owner
            case.add(Fact("ownership", "unclear", STATED, fact.turn, fact.quote))
        if (
            fact.kind == "cost"
            and "item" not in fact.value
            and case.current("item") in ("assessment", "verification")
            and _PROJECT_COST.search(fold(reading.text))
        ):
            # "換水性漆大約35萬" after "做評估得唔得？": a project's cost, no assessment's
            # fee; the item is the project the phase funds
            case.forget("item")
        if fact.kind == "cost" and "item" not in fact.value and case.current("item"):
            fact = Fact(
                "cost",
                {**fact.value, "item": case.current("item")},
                fact.polarity,
                fact.turn,
                fact.quote,
            )
        if (
            fact.kind == "premises"
            and fact.value in ("factory", "workshop")
            and fact.polarity == STATED
        ):
            case.forget("own_factory")
        if (
            fact.kind == "ownership"
            and fact.value == "hk"
            and fact.polarity == STATED
            and fact.about is None
            and (view.current("own_factory") is False or view.current("premises") == "none")
        ):
            # "What if we sign a processing contract with them?" after "just purchase
            # orders": the Hong Kong company linked to the factory, which is then its own
            case.add(Fact("own_factory", True, STATED, fact.turn, fact.quote))
        if fact.kind == "premises" and fact.value == "factory" and fact.polarity == DENIED:
            # "沒有工廠": no factory here, whatever place follows; whether the company owns
            # one elsewhere is asked, unless the denial said so ("冇自己嘅廠")
            case.add(Fact("premises", "none", STATED, fact.turn, fact.quote))
        if fact.kind in ("share_mainland_more", "share_hk_company_more"):
            # "what if he buys another 5%": the share said before, plus this
            kind = fact.kind.removesuffix("_more")
            held = case.current(kind)
            if held is not None:
                total = min(Fraction(str(held)) + Fraction(str(fact.value)), Fraction(1))
                case.add(Fact(kind, str(total), STATED, fact.turn, fact.quote))
            continue
        if fact.kind in ("share_mainland_less_part", "share_hk_company_less_part"):
            # "將深圳廠一半shares轉俾我": that part of the share said before given away
            kind = fact.kind.removesuffix("_less_part")
            held = case.current(kind)
            if held is not None:
                left = Fraction(str(held)) * (1 - Fraction(str(fact.value)))
                case.add(Fact(kind, str(left), STATED, fact.turn, fact.quote))
            continue
        if fact.kind in ("share_mainland_less", "share_hk_company_less"):
            # "what if I transfer 15% of the factory to him?": the share said before, less this
            kind = fact.kind.removesuffix("_less")
            held = case.current(kind)
            if held is not None:
                left = max(Fraction(str(held)) - Fraction(str(fact.value)), Fraction(0))
                case.add(Fact(kind, str(left), STATED, fact.turn, fact.quote))
            continue
        if fact.kind == "rate":
            case.add(fact)
            _convert_cost(case, fact)
            continue
        if fact.kind == "cost" and case.current("rate") and fact.value.get("currency") == "RMB":
            case.add(fact)
            _convert_cost(case, case.fact("rate"))
            continue
        if fact.kind == "units":
            # "如果買15部呢": the unit price said before, times the new count
            cost = case.current("cost")
            if isinstance(cost, dict) and cost.get("unit_price"):
                price = cost["unit_price"]
                case.add(
                    Fact(
                        "cost",
                        {
                            **cost,
                            "amount": str(int(Fraction(price) * fact.value)),
                            "text": f"{cost['text'].split(' × ')[0]} × {fact.value}",
                        },
                        STATED,
                        fact.turn,
                        fact.quote,
                    )
                )
            continue
        if fact.kind == "currency":  # "是人民幣": the cost said before was in that currency
            cost = case.current("cost")
            if cost:
                case.add(
                    Fact("cost", {**cost, "currency": fact.value}, STATED, fact.turn, fact.quote)
                )
            continue
        case.add(fact)
    _retag_cost(case, reading)
    _drop_day_of_last_assessment(case)


def at_rate(cost: dict[str, Any], rate: str) -> dict[str, Any]:
    """A renminbi cost in Hong Kong dollars at the user's own rate; the rate stays with
    the cost, so the estimate says whose rate it is. Other costs as they are.

    >>> at_rate({"amount": "300000", "currency": "RMB"}, "109/100")["amount"]
    '327000'
    """
    if cost.get("currency") != "RMB":
        return cost
    hkd = Fraction(cost["amount"]) * Fraction(rate)
    return {**cost, "amount": str(round(hkd)), "currency": "HKD", "rmb": cost["amount"], "rate": rate}


def _convert_cost(case: Case, rate: Fact | None) -> None:
    """A renminbi cost at the user's own rate ("1人民币=1.08港币"), in Hong Kong dollars."""
    cost = case.current("cost")
    if rate is None or not isinstance(cost, dict) or cost.get("currency") != "RMB":
        return
    case.add(Fact("cost", at_rate(cost, rate.value), STATED, rate.turn, rate.quote))


def _drop_day_of_last_assessment(case: Case) -> None:
    """ "We had a funded assessment in 2015" then "can we do another?": 2015 was when the
    earlier one was done, not the day the new one is asked about."""
    last, day = case.fact("last_assessment"), case.fact("day")
    if (
        case.current("repeat")
        and last is not None
        and day is not None
        and day.turn == last.turn
        and day.value.get("day", "")[:4] == str(last.value.get("year"))
    ):
        case.forget("day")


_CORRECTION = re.compile(
    r"其实|实际上|应该系|应该是|改为|改成|\bactually\b|\bsorry\b|\bi mean(?:t)?\b|\binstead\b"
)


_WHAT_IF = re.compile(
    r"如果|假如|假设|若果|要是|\bwhat if\b|\bif it (?:was|were|is)\b|\bwhat about\b"
)


_PROJECTS = frozenset({"demonstration", "technology"})


def _cost_keeps_its_item(case: Case, reading: Reading) -> None:
    """A cost said before any item is the item then talked about: when another item is
    named, the cost stays that item's ("200萬" for the new-technology project is no
    assessment's fee)."""
    named = [f.value for f in reading.of("item", STATED)]
    before = case.current("item")
    if not named or before is None or named[0] == before or reading.of("cost"):
        return
    tag_cost(case, before)


# "the cost goes up by 200k", "貴多20萬": an amount added to the cost said before
_COST_UP_BY = re.compile(
    r"\b(?:goes|go|going|went|rises?|rose|increases?|increased|climbs?)\s+(?:up\s+)?by\b"
    r"|\b(?:up|more) by\b|\b(?:another|an extra|extra|additional)\s+\S+\s+on top\b|\bmore\s*[?.!]*$"
    r"|加多|多咗|多了|贵多|贵咗|贵了|增加|再加|多出"
)
# "drops by 100k", "平咗10萬": an amount taken off it
_COST_DOWN_BY = re.compile(
    r"\b(?:drops?|dropped|falls?|fell|decreases?|decreased|goes down|went down|comes down"
    r"|came down|is cut|reduced?)\s+by\b|\bless by\b|\b(?:down|less) by\b"
    r"|减少|减咗|减了|少咗|少了|平咗|平了|便宜咗|便宜了|减(?=\s*\d)"
)
# "drops by half", "減半": half of it
_COST_HALVED = re.compile(
    r"\b(?:drops?|dropped|falls?|fell|goes down|went down|cut|reduced?|comes down)\b.{0,12}\bhalf\b"
    r"|\bhalved\b|\bhalf (?:the|of the|of that|that) (?:cost|price|amount)\b|减半|(?:减少|少|平|减)(?:咗|了)?一半"
)


def cost_changed_by(case: Case, reading: Reading) -> None:
    """A change to the cost said before ("what if the cost goes up by 200k?", "減半呢？"):
    the new cost, worked out, so the estimate is of the cost meant."""
    before = case.current("cost")
    if not isinstance(before, dict) or not before.get("amount"):
        return
    folded = fold(reading.text)
    said = reading.of("cost", STATED)
    try:
        base = Decimal(str(before["amount"]))
    except ArithmeticError:
        return
    if not said and _COST_HALVED.search(folded):
        amount = base / 2
        text = reading.text.strip()[:20]
    elif len(said) == 1 and (_COST_UP_BY.search(folded) or _COST_DOWN_BY.search(folded)):
        change = Decimal(str(said[0].value["amount"]))
        if said[0].value.get("currency") not in (None, before.get("currency")):
            return  # a change in another currency: not worked out here
        amount = base + change if _COST_UP_BY.search(folded) else base - change
        if amount <= 0:
            return
        text = said[0].value.get("text", "")
    else:
        return
    value = {k: v for k, v in before.items() if k not in ("text", "unit_price", "units")}
    value.update(amount=str(amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount), text=text)
    reading.facts = [f for f in reading.facts if f.kind != "cost"]
    reading.facts.append(Fact("cost", value, STATED, reading.facts[0].turn if reading.facts else case.turn + 1, text))
    reading.asks.add("estimate")
    reading.asks.discard("guides")


def tag_cost(case: Case, item: str) -> None:
    """The case's cost, said with no item, marked as `item`'s."""
    cost = case.current("cost")
    if not isinstance(cost, dict) or cost.get("item"):
        return
    old = case.fact("cost", cost)
    case.facts = [f for f in case.facts if f is not old]
    case.add(Fact("cost", {**cost, "item": item}, STATED, case.turn, old.quote if old else ""))


def _last_cost_of(case: Case, item: str | None) -> dict[str, Any] | None:
    """The last cost the case was told for this item, if any."""
    for fact in reversed(case.facts):
        if (
            fact.kind == "cost"
            and fact.polarity == STATED
            and isinstance(fact.value, dict)
            and fact.value.get("item") == item
        ):
            return fact.value
    return None


def _another_items_cost(cost: Any, item: str | None) -> bool:
    """A cost said for another kind of item: a project's cost is no assessment's or
    verification's fee (a demonstration project's may be priced as a new-technology one)."""
    if not isinstance(cost, dict) or not cost.get("item") or item is None:
        return False
    return cost["item"] != item and not {cost["item"], item} <= _PROJECTS


def _retag_cost(case: Case, reading: Reading) -> None:
    """ "Actually it's an assessment, not a demo": the cost said before was the corrected
    item's, not the denied one's."""
    if reading.of("cost"):
        return
    stated = [f.value for f in reading.of("item", STATED)]
    denied = [f.value for f in reading.of("item", DENIED)]
    if len(stated) != 1:
        return
    cost = case.current("cost")
    if not isinstance(cost, dict) or cost.get("item") in (None, stated[0]):
        return
    what_if_project = {cost["item"], stated[0]} <= _PROJECTS and bool(
        _WHAT_IF.search(fold(reading.text))
    )  # "咁如果係2014年嘅示範項目呢？": the same project, named as that phase's item
    # "三十五万的项目" estimated as the phase's project, then "是评估": the item was the
    # bot's assumption, never said, so the cost is the item now named
    assumed = not any(f.kind == "item" and f.turn != case.turn for f in case.facts)
    if (
        cost["item"] in denied
        or _CORRECTION.search(fold(reading.text))
        or what_if_project
        or (assumed and _short(fold(reading.text)) and _ITEM_IS.match(fold(reading.text)))
    ):
        old = case.fact("cost", cost)
        case.facts = [f for f in case.facts if f is not old]
        case.add(
            Fact("cost", {**cost, "item": stated[0]}, STATED, case.turn, old.quote if old else "")
        )


# "是评估", "係評估嚟", "it's an assessment": the item said to be another
_ITEM_IS = re.compile(
    r"^\s*(?:其实|actually,?\s*|no,?\s*)?(?:是|系|it'?s\b|it is\b|its\b|that'?s\b)"
)


def _short(folded: str) -> bool:
    """A few words: "是评估", "it's an assessment"."""
    if re.search(r"[\u4e00-\u9fff]", folded):
        return len(folded) <= 12
    return len(folded.split()) <= 4


def _choice_adds(case: Case, chosen: list[str]) -> bool:
    """The place chosen answers a choice offered for one more factory."""
    choice = case.current("place_choice") or {}
    return bool(choice.get("added")) and any(pid in choice.get("ids", []) for pid in chosen)


def choose_place(case: Case, fact: Fact) -> None:
    """The place picked from a choice: beside the others when it was one more factory
    ("and one in Shenzen too" — "yes"), else in their stead."""
    if _choice_adds(case, [fact.value]):
        case.add(fact)
    else:
        case.replace("place", [fact])
    case.forget("place_choice")


# The speaker's own: "係我嘅", "我揸", "mine", "I hold"
_SPEAKERS_OWN = re.compile(
    r"(?:系|是)我(?:一个人)?(?:嘅|的)(?!\s*(?:香港)?(?:公司|厂|工厂))|(?<![佢他她])我(?:自己)?(?:揸|占|持有|拥有)"
    r"|\bmine\b|\bi (?:hold|own|have)\b"
)
# A person's stake said: "佢有份", "持股", "20%", "holds shares"
_PERSON_STAKE = re.compile(
    r"有份|有股|持股|占|揸|持有|\d\s*%|[一二三四五六七八九]成|\bshares?\b|\bstake\b|\bholds?\b"
)
# The company owning the factory outright: "独资", "WFOE", "wholly owned"
_OWNED_OUTRIGHT = re.compile(
    r"独资|全资|\bwfoe\b|\bwholly\b|\bsolely\b|\bsubsidiary\b"
    # "是我儿子名下的香港公司100%拥有": the company owning the factory
    r"|公司\s*(?:\d+\s*%|百分百|百分之百)?\s*(?:拥有|持有)(?:的|嘅)?\s*(?:$|[,，。]|(?:呢|这|那|嗰|间|家)?\S{0,3}(?:厂|工厂))"
    r"|\bowned by (?:our |the |my |his |her )?(?:hk|hong kong) (?:company|co)\b"
)
_TERM_ASKED = re.compile(
    r"[?？]|咩叫|乜嘢|乜野|什么|甚么|咩意思|点解|\bwhat\b|\bmean|\bwhich\b|\bhow\b|\bexplain"
)


def take_answer(case: Case, reading: Reading, step: str | None) -> bool:
    """Read a typed message as the answer to the pending question; True if it is one."""
    if step is None:
        return False
    text = fold(reading.text).strip()
    kinds = {f.kind for f in reading.facts}
    if step == "place_choice" and not kinds and _YES.match(text):
        choice = case.current("place_choice") or {}
        ids = choice.get("ids") or []
        if choice.get("suggested") and len(ids) == 1:
            # "Did you mean Shenzhen?" — "yes": that place
            choose_place(case, Fact("place", ids[0], STATED, case.turn, reading.text[:40]))
            return True
    if (
        step == "place_choice"
        and kinds
        and "place" not in kinds
        and not reading.place_choice
        and not reading.what_if
    ):
        choice = case.current("place_choice") or {}
        ids = choice.get("ids") or []
        if choice.get("suggested") and len(ids) == 1:
            # "您是指东莞市长安镇吗？" — "香港公司独资的": the other facts say the guess is
            # the place meant; taken, and said so ("I took … as the place")
            choose_place(case, Fact("place", ids[0], STATED, case.turn, "taken as meant"))
            reading.place_taken = ids[0]
            return False  # the message's own facts are merged as read
    if step in ("place", "place_choice"):
        return "place" in kinds or bool(reading.place_choice)
    if step == "premises":
        return "premises" in kinds
    if step == "process":
        return "process" in kinds
    if step == "own_factory":
        if reading.of("own_factory"):
            return True  # "the factory isn't ours, we just place orders": merged as read
        first = re.split(r"[，,。.!！\s]", text, maxsplit=1)[0]
        premises = reading.of("premises")
        if any(f.polarity == DENIED or f.value == "none" for f in premises):
            # "No, we do not own any factory", "冇，我哋冇自己嘅廠"
            case.add(Fact("own_factory", False, STATED, case.turn, reading.text[:40]))
            return True
        if _ACK_ONLY.match(text):
            return False  # "ok": not an answer; the question stays
        if _YES.match(text) or _YES.match(first) or premises:
            case.add(Fact("own_factory", True, STATED, case.turn, reading.text[:40]))
            return True
        if _NO.match(text):
            case.add(Fact("own_factory", False, STATED, case.turn, reading.text[:40]))
            return True
        return "place" in kinds
    if step == "ownership":
        if (
            reading.contract_denied
            and not reading.of("ownership", STATED)
            or (
                reading.contract_denied
                and all(f.value == "hk" for f in reading.of("ownership", STATED))
                and not reading.of("share_mainland")
            )
        ):
            # "no, no contract with any HK company", "冇，同香港公司冇簽合約": denied,
            # whatever company it names
            reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "hk_company")]
            case.add(Fact("ownership", "hk", DENIED, case.turn, reading.text[:40]))
            return True
        if (
            kinds & {"share_mainland", "share_hk_company"}
            and case.current("ownership") == "hk_resident"
        ):
            return True  # "我喺香港都有間公司，我只佔20%": the resident's shares, link 1(d)
        if (
            all(f.value == "unclear" for f in reading.of("ownership", STATED))
            and reading.of("ownership", STATED)
            and LINK_WORDS.search(text)
            and not reading.link_denied
        ):
            # "唔係獨資，係同內地公司合作經營" to "owned by a HK company (directly, JV,
            # contract)?": a joint or co-operative venture, the question's own link 1(a)
            reading.facts = [f for f in reading.facts if f.kind != "ownership"]
            case.add(Fact("ownership", "hk", STATED, case.turn, reading.text[:40]))
            return True
        others = {f.value for f in reading.of("ownership", STATED)}
        if (
            others
            and others <= {"taiwan", "foreign", "macao"}
            and not LINK_WORDS.search(text)
            and not kinds & {"share_mainland", "share_hk_company", "hk_company"}
            and not case.current("hk_company")
            and not any(f.kind == "ownership" and f.value == "hk" for f in case.facts)
        ):
            # "Right now it's owned by a Taiwanese company" to "owned by a Hong Kong company
            # (directly, JV, contract)?": no, and who does own it; asked again, it would loop
            case.add(Fact("ownership", "hk", DENIED, case.turn, reading.text[:40]))
            return True
        if "ownership" in kinds or "own_factory" in kinds:  # "只是下單，工廠不是我們的"
            return True
        if "hk_company" in kinds:
            return False  # "香港分公司有商業登記": a company that could apply, not the owner
        if _NOT_HONG_KONG.search(text) or any(f.value == "hk" for f in reading.of("place", DENIED)):
            # "母公司不在香港", "our parent isn't in HK": no Hong Kong owner, whoever it is
            reading.facts = [f for f in reading.facts if f.kind != "place" or f.value != "hk"]
            case.add(Fact("ownership", "hk", DENIED, case.turn, reading.text[:40]))
            return True
        if kinds & {"share_mainland", "share_hk_company"} and not LINK_WORDS.search(text):
            # "he also owns 20% of the HK applicant company": a person's shares, so the
            # resident's link 1(d) is talked about, not the company owning the factory
            case.add(Fact("ownership", "hk_resident", STATED, case.turn, reading.text[:40]))
            return True
        if re.search(r"香港|\bhk\b|hong kong", _MONEY_WORDS.sub(" ", text)) and not (
            _NO_HK_OWNER_WORD.search(text)
        ):
            # "香港的": a Hong Kong company, no place ("我們有香港客戶" is none)
            reading.facts = [f for f in reading.facts if f.kind != "place"]
            case.add(Fact("ownership", "hk", STATED, case.turn, reading.text[:40]))
            return True
        if (
            not reading.of("ownership")
            and (LINK_WORDS.search(text) or SOLE_WORDS.search(text))
            and not reading.link_denied
            and not (_NO.match(text) or _NO_FIRST.match(text) or _UNSURE.search(text))
            # "咩叫三來一補？", "what is a processing contract?": the term asked, no answer
            and not _TERM_ASKED.search(text)
        ):
            # "ok 佢話係獨資", "WFOE" to "owned by a HK company (directly, JV, contract)?":
            # the question's own links, named as the answer
            case.add(Fact("ownership", "hk", STATED, case.turn, reading.text[:40]))
            link = link_named(text)
            if link in ("contract", "venture"):
                case.add(Fact("link", link, STATED, case.turn, ""))
            return True
        if _UNSURE.search(text):
            case.add(Fact("ownership", "unsure", STATED, case.turn, reading.text[:40]))
            return True
        if _YES.match(text):
            case.add(Fact("ownership", "hk", STATED, case.turn, reading.text[:40]))
            return True
        if _NO.match(text) or _NO_FIRST.match(text):  # "冇簽合約，佢哋自己買料"
            case.add(Fact("ownership", "hk", DENIED, case.turn, reading.text[:40]))
            return True
        return False
    if step in ("share_mainland", "share_hk_company"):
        if step == "share_hk_company" and reading.share_unnamed and kinds == {"share_mainland"}:
            # "he holds 20%" asked for the Hong Kong company's share: that share
            reading.facts = [
                replace(f, kind="share_hk_company") if f.kind == "share_mainland" else f
                for f in reading.facts
            ]
            return True
        if step in kinds:
            return True
        if kinds & {"share_mainland", "share_hk_company"}:
            return True  # "actually 30% of the HK company" at the mainland prompt: that one
        if _UNSURE.search(text):  # "不確定": staff check the link
            # "香港公司？佢有份嘅，幾多我唔知": the company named is the share's, no owner
            reading.facts = [
                f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
            ]
            if not reading.of("ownership"):  # "間廠點擁有我唔清楚": the link, asked
                case.add(Fact("ownership", "unsure", STATED, case.turn, reading.text[:40]))
            return True
        # "60%", "六成": the share asked for; not a share read as someone else's
        # ("I own the HK company 100%" when the resident is the wife)
        share = percent_in(reading.text) if not reading.share_holders else None
        if (
            share is not None
            and case.current("resident_is") == "third"
            and _SPEAKERS_OWN.search(text)
            and not THIRD_PERSON.search(text)  # "我爸在我的公司占20%"
        ):
            # "香港公司全部係我嘅，100%" when the resident is the wife: the speaker's share,
            # not hers; all of it the speaker's leaves her none
            case.add(Fact("share_other_holder", str(share), STATED, case.turn, reading.text[:40]))
            if share == 1:
                case.add(Fact(step, "0", STATED, case.turn, reading.text[:40]))
            return True
        if share is not None:
            case.add(Fact(step, str(share), STATED, case.turn, reading.text[:40]))
            return True
        return "ownership" in kinds
    if step == "item":
        return "item" in kinds
    if step in ("cost", "currency"):
        if "cost" in kinds or "rate" in kinds:  # "按汇率1人民币=1.08港币": converted on merge
            return True
        if step == "currency" and re.search(r"港币|港元|港纸|hkd|hk\$|hong kong dollar", text):
            cost = case.current("cost")
            if cost:
                case.add(
                    Fact("cost", {**cost, "currency": "HKD"}, STATED, case.turn, reading.text[:40])
                )
                return True
        amount = money.parse_amount(reading.text)
        if amount is not None:
            value: dict[str, Any] = {
                "amount": str(amount.value),
                "currency": amount.currency,
                "text": amount.text,
            }
            if case.current("item"):
                value["item"] = case.current("item")
            case.add(Fact("cost", value, STATED, case.turn, amount.text))
            return True
    return False


# --- deciding ---------------------------------------------------------------------------------------


def decision_day(dialogue: Dialogue, case: Case) -> date:
    """The day whose rules apply: the phase or date the user last named, else today."""
    default = dialogue.default_day()
    named = [f for f in case.facts if f.kind in ("phase", "day") and f.polarity == STATED]
    if not named:
        return default
    fact = max(named, key=lambda f: f.turn)
    if fact.kind == "phase" and fact.value == "back_then":
        # "當時": the latest day or phase named before ("and the first one?"), else today
        earlier = [
            f
            for f in named
            if f.turn < fact.turn
            and (f.kind == "day" or f.value not in ("back_then", "today", "previous"))
        ]
        if not earlier:
            return default
        fact = max(earlier, key=lambda f: f.turn)
    if fact.kind == "phase":
        if fact.value == "today":
            return default
        if fact.value == "previous":  # the phase before today's
            before = [p for p in dialogue.rulebook.phases if p.last_day < default]
            current = dialogue.rulebook.phase_at(default)
            if current is not None:
                before = [p for p in before if p.last_day < current.first_day]
            return before[-1].first_day if before else default
        phase = dialogue.rulebook.get(fact.value)
        return phase.first_day if phase is not None else default
    day = date.fromisoformat(fact.value["day"])
    precision = fact.value.get("precision", "day")
    if precision == "day":
        return day
    last = date(day.year, 12, 31) if precision == "year" else _month_end(day)
    overlapping = [p for p in dialogue.rulebook.phases if p.first_day <= last and p.last_day >= day]
    if not overlapping:
        return day
    if any(p.covers(default) for p in overlapping) and day <= default <= last:
        return default
    return max(day, overlapping[-1].first_day)


def _month_end(day: date) -> date:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def view(dialogue: Dialogue, case: Case) -> CaseView:
    return CaseView.of(case, decision_day(dialogue, case))


def verdicts(dialogue: Dialogue, case: Case) -> list[Verdict]:
    found = decide(view(dialogue, case), dialogue.rulebook)
    if not case.scoped:
        return found
    # Something was said of one factory only: each factory's verdict is decided from what
    # holds for it ("the Foshan one is ours; the Zhaoqing one is a mainland firm's").
    day = decision_day(dialogue, case)
    own = []
    for verdict in found:
        if verdict.place is None:
            own.append(verdict)
            continue
        of_place = decide(CaseView.of(case.for_place(verdict.place.id), day), dialogue.rulebook)
        own.append(next((v for v in of_place if v.place == verdict.place), verdict))
    return own


def main_verdict(found: list[Verdict]) -> Verdict | None:
    """The verdict an estimate follows: the first that opens something, else the first."""
    if not found:
        return None
    return next((v for v in found if v.status in ("eligible", "demonstration_only")), found[0])


def outcome(
    dialogue: Dialogue,
    case: Case,
    found: list[Verdict] | None = None,
    item: str | None = None,
    cost: dict[str, Any] | None = None,
    day: date | None = None,
) -> Outcome:
    """The estimator's outcome for the case (or for one item and cost of it); ``day``
    gives another day's terms (the last phase's, after the sources end)."""
    found = verdicts(dialogue, case) if found is None else found
    verdict = main_verdict(found) if day is None else None
    item = item or case.current("item")
    cost = cost or case.current("cost")
    if _another_items_cost(cost, item):
        # "评估呢？" after a 200萬 project: the assessment's own cost, said earlier
        # ("评估费用5万" before the project), else asked
        cost = _last_cost_of(case, item)
    return estimate_case(
        item,
        cost,
        day or decision_day(dialogue, case),
        dialogue.rulebook,
        verdict,
        local_technology=case.current("tech_origin") == "local",
        last_assessment=(
            {
                **(case.current("last_assessment") or {"year": None}),
                "measure": bool(case.current("repeat_measure")),
                "change": case.current("repeat_change"),  # None: not said; False: denied
            }
            if case.current("repeat")
            else None
        ),
    )


# --- wording a verdict into a reply ------------------------------------------------------------------


def eligibility_json(verdict: Verdict, others: list[Verdict] | None = None) -> dict[str, Any]:
    place = verdict.place
    data: dict[str, Any] = {
        "status": verdict.status,
        "place": None
        if place is None
        else {"city": place.city, "province": place.province, "prd": bool(place.prd)},
        "items": list(verdict.items),
        "reason": verdict.code,
    }
    if verdict.missing:
        data["missing"] = verdict.missing
    if others:
        data["others"] = [eligibility_json(v) for v in others]
    return data


def news_first(found: list[Verdict], added: set[str]) -> list[Verdict]:
    """Places added by this message first ("澳門" refused, then "我喺葵涌都有間"): the new
    place is what was asked about; the earlier places' verdicts follow, so the whole case
    is still answered."""
    return sorted(found, key=lambda v: v.place is None or v.place.id not in added)


def add_verdicts(
    dialogue: Dialogue,
    session: Session,
    case: Case,
    found: list[Verdict],
    reply: Reply,
    whole: bool = False,
) -> None:
    """``whole``: every verdict in full, even one said just before ("why?" asks again)."""
    day = decision_day(dialogue, case)
    main = found[0]
    reply.eligibility = eligibility_json(main, found[1:])
    reply.phase = main.phase.id if main.phase else reply.phase
    said: list[list[Any]] = []
    previous = session.outcomes.get("eligibility") or {}
    for verdict in found:
        before = len(reply.parts)
        again = (
            not whole
            and verdict.code in words.SAID_ONCE
            and previous.get("reason") == verdict.code
            and previous.get("place_id") == (verdict.place.id if verdict.place else None)
        )
        words.explain(
            dialogue,
            verdict,
            reply,
            day,
            several=len(found) > 1,
            again=again,
            item=case.current("item"),
        )
        added = reply.parts[before:]
        if added in said:  # two places, one outcome that names neither: say it once
            del reply.parts[before:]
            continue
        said.append(added)
        if (
            len(found) > 1
            and verdict.place is not None
            and added
            and "place" not in getattr(added[0], "values", {})
        ):
            # "不符合資格：工廠須由香港公司擁有。" among several factories: which one
            reply.parts.insert(before, title("{place}", place=words.place_label(verdict.place)))
    outcome = reply.eligibility | {
        "phase": reply.phase,
        "phase_name": main.phase.name if main.phase else None,
    }
    if main.place is not None:
        outcome["place_id"] = main.place.id
    session.outcomes["eligibility"] = outcome
    opened = [v for v in found if v.status in ("eligible", "demonstration_only")]
    # the owner condition, said again as long as no owner is known: "eligible" for a place
    # alone is never an answer that the factory qualifies
    owner_unknown = case.current("ownership") is None
    if (
        opened
        and opened[0].phase is not None
        and ("ownership" not in session.notes_shown or owner_unknown)
    ):
        session.notes_shown.append("ownership")
        in_hong_kong = opened[0].place is not None and opened[0].place.in_hong_kong
        reply.add(words.ownership_note(opened[0].phase, in_hong_kong))
        reply.cite(*opened[0].phase["ownership"].citations)


# --- asking -------------------------------------------------------------------------------------------


def ask(
    dialogue: Dialogue,
    session: Session,
    case: Case,
    step_name: str,
    reply: Reply,
    options: tuple[str, ...] = (),
) -> Reply:
    """Put one question on the reply, with its choices and a Cancel button."""
    step = STEPS[step_name]
    session.flow, session.step = "case", step_name
    g = session.generation
    if step_name == "place_choice":
        choice = case.current("place_choice") or {}
        options = []
        for pid in choice.get("ids", []):
            try:
                options.append(places.get(pid))
            except KeyError:
                continue
        if choice.get("suggested") and len(options) == 1:
            reply.add(T("Did you mean {place}?", place=words.place_label(options[0])))
        elif choice.get("suggested"):
            reply.add(T("Did you mean one of these?"))
        else:
            reply.add(step.question)
        labels = [words.place_label(place) for place in options]
        texts = [tuple(sorted(label.texts.items())) for label in labels]
        for place, label, text in zip(options, labels, texts, strict=True):
            if texts.count(text) > 1:  # two Suzhous: say which province each is in
                namesakes = [p for p, t in zip(options, texts, strict=True) if t == text]
                same_city = [p for p in namesakes if p.city_id == place.city_id]
                # two Taipings of Qingyuan: which county each is in
                label = (
                    words.place_with_county(place)
                    if len(same_city) > 1
                    else words.place_with_province(place)
                )
            reply.row(button(label, g, "step", f"place_choice:{place.id}"))
        reply.row(button(T("None of these"), g, "step", "place_choice:none"))
    elif step_name == "item":
        reply.add(step.question)
        from bot.core.flows.subsidy import ITEM_TITLES

        for item in options:
            reply.row(button(ITEM_TITLES[item], g, "step", f"item:{item}"))
    elif step_name == "cost":
        item = case.current("item")
        if item:
            reply.add(
                T(
                    "What does {item} cost? Type it as you like: 400000, HK$400k, 40萬.",
                    item=words.ITEM_ONE[item],
                )
            )
        else:
            reply.add(step.question)
    else:
        reply.add(step.question)
        row: list[Button] = []
        cost = case.current("cost") or {}
        choices = step.choices
        if step_name == "currency" and cost.get("currency") == "RMB":
            choices = ()  # said to be renminbi: no "it is in HK dollars" button
        for c in choices:
            row.append(button(c.label, g, "step", f"{step_name}:{c.value}"))
            if len(row) == 2:
                reply.row(*row)
                row = []
        if row:
            reply.row(*row)
    if step.keyboard == "location":
        reply.keyboard = [[Button(T("Share my location"), request="location")]]
    reply.row(button(T("Cancel"), g, "cancel", "case"))
    return reply


def on_tap(dialogue: Dialogue, session: Session, tapped: Tapped) -> tuple[Case, str] | None:
    """Apply a tapped choice to the case. Returns the case and the step, or None when
    the tap does not fit (a forged or stale value)."""
    step_name, _, value = tapped.arg.partition(":")
    case = load(session)
    case.turn += 1
    if step_name == "place_choice":
        if value == "none":
            case.forget("place_choice")
            return case, "place"
        if value not in (case.current("place_choice") or {}).get("ids", []):
            return None
        choose_place(case, Fact("place", value, STATED, case.turn, "tap"))
        return case, step_name
    if step_name == "item":
        from bot.core.rules import ITEMS

        if value not in ITEMS:
            return None
        case.add(Fact("item", value, STATED, case.turn, "tap"))
        return case, step_name
    if step_name == "currency":
        cost = case.current("cost")
        if value != "hkd" or not cost:
            return None
        case.add(Fact("cost", {**cost, "currency": "HKD"}, STATED, case.turn, "tap"))
        return case, step_name
    picked = choice(step_name, value)
    if picked is None:
        return None
    if step_name == "ownership" and value == "unsure":
        case.add(Fact("ownership", "unsure", STATED, case.turn, "tap"))
    for kind, fact_value, polarity in picked.facts:
        if kind == "place":
            case.replace("place", [Fact("place", fact_value, polarity, case.turn, "tap")])
        else:
            case.add(Fact(kind, fact_value, polarity, case.turn, "tap"))
    return case, step_name
