"""What-ifs: a supposition answered as put, kept apart from the facts.

A message put as a what-if ("如果佢有35%呢？", "what if we move to Dongguan?") is answered
on the case as it would be; afterwards ``keep_over_what_if`` puts back what it changed of
the owner, the shares, the place or the premises, and keeps the supposition apart
(``Case.supposed``). ``suppose`` lets it stand in for an estimate asked next, and under a
further what-if for what that one leaves unsaid; a fact said ends it. A technology's
origin supposed is answered with its cap and never kept (a plain estimate shows both caps).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.case import Case, Fact
from bot.core.flows.case import decision_day, load, save
from bot.core.reading import Reading
from bot.core.session import Session
from bot.core.textnorm import fold

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

# What a what-if may change for its own answer only: the owner, the shares, the place, the
# premises.
WHAT_IF_KINDS = (
    "ownership",
    "share_mainland",
    "share_hk_company",
    "hk_company",
    "place",
    "premises",
)


_STRONG_IF = re.compile(
    r"如果|假如|假设|假使|要是|若果|若然|万一|\bwhat if\b|\bsuppos(?:e|ing)\b|\bif (?:we|it|i|they)\b"
)


def _owner_facts(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind in WHAT_IF_KINDS]


def _same(a: list[Fact], b: list[Fact]) -> bool:
    return [(f.kind, f.value, f.polarity, f.about) for f in a] == [
        (f.kind, f.value, f.polarity, f.about) for f in b
    ]


def suppose(
    session: Session, reading: Reading, estimate_asked: bool, case: Case | None = None
) -> bool:
    """Before a message is answered: the last what-if's owner and shares stand in for
    the facts when the message asks only for an estimate ("如果佢有40%呢？" then "80萬補
    幾多？"), and under a new what-if for what that one leaves unsaid ("what if he buys
    11% more?" then "and only 29% in the HK company?"). An owner or share said as fact
    ends the supposition. True when the supposition stands in for this message. ``case``
    is the session's case, when the caller has it loaded already."""
    if case is None:
        case = load(session)
    if not case.supposed:
        return False
    case = Case(list(case.facts), case.turn, list(case.supposed))  # the caller's stays as it was
    said = {f.kind for f in _owner_facts(reading.facts)}
    if reading.shares_summed:  # "兩公婆加埋先有45%呢？": no one's own share is supposed
        said |= {"share_mainland", "share_hk_company"}
    if not reading.what_if and (said or "what_if_dropped" in reading.asks):
        case.supposed = []
        save(session, case)
        return False
    if not (reading.what_if or estimate_asked):
        return False
    changes = {
        re.sub(r"_(?:more|less|less_part)$", "", f.kind)
        for f in reading.facts
        if re.search(r"_(?:more|less|less_part)$", f.kind)
    }
    if changes and not _STACKED.search(fold(reading.text)):
        # "咁如果只係賣10%呢", "咁佢賣49%呢" after another sale of that share: in place of
        # the last change of it; "also", "同時", "再" add to it
        said |= changes
    kept = [f for f in case.supposed if f.kind not in said]
    if reading.what_if and _INSTEAD.search(fold(reading.text)):
        kept = []  # "forget that. what if he buys 25% instead?": a new supposition, alone
    kinds = {f.kind for f in kept}
    case.facts = [f for f in case.facts if f.kind not in kinds] + kept
    if reading.what_if:
        case.supposed = kept  # what the new what-if says of a kind replaces the old one's
    save(session, case)
    return bool(kept)


# A change said on top of the last one: "also", "at the same time", "同時", "再"
_STACKED = re.compile(
    r"\balso\b|\bat the same time\b|\bon top\b|\bas well\b|\bthen\b|同时|再|仲|又|另外|然后|跟住|加埋"
)
# A what-if put in place of the last one, not on top of it
_INSTEAD = re.compile(
    r"\binstead\b|\bforget (?:that|it)\b|\bscratch that\b|\bignore that\b|\bnever mind that\b"
    r"|唔计头先|唔计啱啱|不算刚才|刚才的不算|算了|改为|改成|反而|换个(?:方法|做法)"
    # "咁如果只係賣10%呢", "what if I only sell 10%", "講錯，係賣5%": in place of the last
    r"|讲错|说错|打错|\bi meant\b|\bsorry\b|唔好意思|不好意思|\bno wait\b"
    # "那不稀释。假如…", "咁唔賣住": the last what-if dropped, a new one in its place
    r"|(?:那|咁|就)?(?:不|唔)(?:稀释|卖|转|送)(?:了|喇|啦|住)?(?=[。.,，!！\s]|$)"
    # "咁如果唔係賣，係送咗10%", "不是卖15%，而是卖5%": in place of the last change
    r"|(?:唔系|不是)(?:卖|转|送|买)|而是|\binstead of\b"
    r"|\bdon'?t (?:dilute|sell|transfer)\b|\bno (?:dilution|sale)\b"
)


# "and 51% but only 29.5% of the HK company" right after a what-if: more of the same
# supposition, not facts; "actually …" says facts
_GOES_ON = re.compile(
    r"\s*(?:and|but|also|plus|or|then|咁|那|那么|噉|仲有|还有|又)(?:\b|(?=[\u4e00-\u9fff]))"
    # "他在香港公司占25%" after "如果香港老板占51%呢": the person supposed, said more of
    r"|\s*(?:他|佢|她|\bhe\b|\bshe\b)"
    # "sorry I meant he sells 25% of the HK company": the supposition corrected
    r"|\s*(?:sorry|oops|no wait|i meant|唔好意思|不好意思|讲错|说错|打错)"
)
_FACT_SAID = re.compile(r"其实|实际上|真系|事实上|\bactually\b|\bin fact\b|\breally\b")


def go_on_supposing(session: Session, reading: Reading) -> None:
    """A message that goes on from a what-if with owner or share facts alone is one too."""
    folded = fold(reading.text)
    if (
        not reading.what_if
        and session.outcomes.get("what_if")
        and reading.facts
        and all(
            re.sub(r"_(?:more|less|less_part)$", "", f.kind) in WHAT_IF_KINDS
            or f.kind == "share_change_undone"
            for f in reading.facts
        )
        and _GOES_ON.match(folded)
        and not _FACT_SAID.search(folded)
    ):
        reading.what_if = True
        if reading.of("share_hk_company"):
            # "他在香港公司占25%": the person's share of the Hong Kong company, link 1(d);
            # the company named is no owner of the factory
            reading.facts = [
                f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
            ]


def keep_over_what_if(session: Session, before: Case, reading: Reading | None = None) -> bool:
    """After a what-if is answered: put back the owner and shares it changed, and keep
    what it supposed apart (``Case.supposed``). What it said of a kind not known before
    stays a fact ("如果間廠係香港公司獨資，得唔得？" often describes the real case).
    True when something was put back."""
    after = load(session)
    if after.empty:  # a new case was begun
        return False
    # Where the factory is, and what it is, only under a plain "if" ("如果我搬上東莞開廠
    # 呢？"); "what about Hong Kong? we also have one there" adds a factory
    kinds = WHAT_IF_KINDS
    if reading is None or reading.places_added or not _STRONG_IF.search(fold(reading.text)):
        kinds = tuple(k for k in WHAT_IF_KINDS if k not in ("place", "premises"))
    changed = [
        kind
        for kind in kinds
        if not _same(
            [f for f in after.facts if f.kind == kind], [f for f in before.facts if f.kind == kind]
        )
    ]
    # known: stated, or denied ("没有香港股东" then "如果我合伙人成为香港居民呢？")
    known = [kind for kind in changed if any(f.kind == kind for f in before.facts)]
    # A what-if that changes something known is a supposition as a whole: what it fills
    # in beside ("register a HK company and she holds 40% of it") is the supposed
    # company's, not the real one's
    put_back = changed if known else []
    for kind in put_back:
        after.facts = [f for f in after.facts if f.kind != kind] + [
            f for f in before.facts if f.kind == kind
        ]
    supposed = [f for f in load(session).facts if f.kind in put_back]
    if _same(
        [f for f in before.facts if f.kind == "tech_origin"],
        [f for f in after.facts if f.kind == "tech_origin"],
    ):
        tech_changed = False
    else:
        # "如果係港大研發嘅技術呢？": answered with that cap; a plain estimate later is
        # at the standard cap, with the higher one beside it, so none is supposed
        after.facts = [f for f in after.facts if f.kind != "tech_origin"] + [
            f for f in before.facts if f.kind == "tech_origin"
        ]
        tech_changed = True
    if put_back:
        after.supposed = supposed
    if put_back or tech_changed:
        save(session, after)
    return bool(put_back) or tech_changed


# Words that give up a what-if: "forget it", "never mind", "算了", "其实他不是", "no la".
GIVEN_UP = re.compile(
    r"\bforget (?:it|that|about it|the what.?if)\b|\bnever ?mind\b|\bno la\b|\bscrap that\b"
    r"|\b(?:ok|okay),? (?:he|she|it)(?:'s| is) not\b|\b(?:he|she) isn'?t\b"
    r"|算了|算啦|算数|当我冇讲|当我没说|唔理佢|不管了|其实(?:他|她|佢)(?:不是|唔系)"
)
_OWNER_STEPS = ("ownership", "share_mainland", "share_hk_company")
# What an answer to a question a what-if asked may hold besides the answer itself (a share
# is read by the step, so "佔40%" holds no fact): the owner, the shares, a cost to estimate
_SUPPOSED_ANSWER_KINDS = frozenset(
    {
        "ownership",
        "share_mainland",
        "share_hk_company",
        "share_unclear",
        "hk_company",
        "cost",
        "item",
        "units",
    }
)


def note_question(session: Session) -> None:
    """After a what-if is answered with a question about the owner or the shares ("該名香港
    居民持有內地企業多少股權？"): that question belongs to the supposition."""
    if session.flow == "case" and session.step in _OWNER_STEPS:
        session.outcomes["question_supposed"] = session.step


def answer_supposed(session: Session, reading: Reading) -> None:
    """The answer to a question a what-if asked ("如果有個香港人入股呢？" then "佔40%") is
    part of the supposition, not a fact: the reading is taken as a what-if. A place, a day,
    or words that give the what-if up make it a message of its own."""
    step = session.outcomes.pop("question_supposed", None)
    if step is None or reading.what_if or session.flow != "case" or session.step != step:
        return
    if any(f.kind not in _SUPPOSED_ANSWER_KINDS for f in reading.facts):
        return
    if GIVEN_UP.search(fold(reading.text)) or "what_if_dropped" in reading.asks:
        return
    reading.what_if = True


def given_up(session: Session, before: Case, reading: Reading) -> None:
    """ "ok forget that", "好吧其实他不是", "算了，还是20%" after a what-if: the supposition
    given up; the verdict on the facts again, and a question the what-if asked is dropped."""
    supposed_before = bool(before.supposed) or bool(session.outcomes.get("what_if"))
    dropped = "what_if_dropped" in reading.asks  # "back to the real facts", "返返真實情況"
    if not supposed_before or not (dropped or GIVEN_UP.search(fold(reading.text))):
        return
    reading.asks -= {"exit", "leave"}
    reading.asks |= {"what_if_dropped", "verdict"}
    if session.flow == "case" and session.step in _OWNER_STEPS:
        session.flow, session.step = None, None


def share_of_supposed(session: Session, reading: Reading, case: Case) -> None:
    """ "我佔60%" right after "如果我哋喺香港開間公司接手呢？": a share said alone, of the
    company the what-if supposes, is part of that supposition."""
    if reading.what_if or session.flow == "case" and session.step is not None:
        return
    if not any(f.kind == "ownership" for f in case.supposed):
        return
    if reading.facts and all(f.kind == "share_unclear" for f in reading.facts) and not reading.asks:
        reading.what_if = True


def back_to_the_facts(session: Session, reading: Reading, case: Case) -> None:
    """ "back to the real case", "返返真實情況": the case as told, on today's date when the
    only days since were asked about ("what if it were 2014?", "2012年呢？", "遲一年呢？").
    Said with no what-if standing, it asks for the verdict again, not to stop."""
    if "what_if_dropped" not in reading.asks or reading.of("day") or reading.of("phase"):
        return
    if session.outcomes.pop("day_explored", None):
        case.forget("day")
        case.forget("phase")
        save(session, case)
    if case.places():
        reading.asks -= {"exit", "leave"}
        reading.asks.add("verdict")


def leave_explored_day_for_its_missing_item(
    dialogue: Dialogue, session: Session, reading: Reading, case: Case
) -> None:
    """ "what if it was 2012?" then "estimate for Humen: technology project HK$2.4m": an
    item the explored day's phase never had is asked of today's rules, not priced as
    that phase's nearest item."""
    if not session.outcomes.get("day_explored") or reading.what_if:
        return
    if reading.of("day") or reading.of("phase"):
        return
    items = [f.value for f in reading.of("item")]
    if not items:
        return
    phase = dialogue.rulebook.phase_at(decision_day(dialogue, case))
    if phase is None or any(phase.item_status(item) != "none" for item in items):
        return
    today = dialogue.rulebook.phase_at(dialogue.default_day())
    if today is None or all(today.item_status(item) == "none" for item in items):
        return
    session.outcomes.pop("day_explored", None)
    case.forget("day")
    case.forget("phase")
    save(session, case)


def note_day_explored(session: Session, reading: Reading) -> None:
    """A day asked about on its own, or in a what-if, is explored, not told: "back to the
    real case" next leaves it. A day told with the case's facts is the case's."""
    if not (reading.of("day") or reading.of("phase")):
        return
    if reading.what_if or all(f.kind in ("day", "phase") for f in reading.facts):
        session.outcomes["day_explored"] = True
    else:
        session.outcomes.pop("day_explored", None)
