"""One reply to one message: every part of what was asked, in order, then at most one
question.

The order is the one a hotline officer would use on the phone: a word back to small talk;
the verdict for the factory; the estimate (or the cap rule); plain programme facts and how
to apply; the hotline; a person. Then the deciding fact still missing, as one short
question with its choices and a Cancel button — or, when a prompt was pending and the
message was about something else, that prompt again.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bot.core import places
from bot.core.buttons import Tapped, button
from bot.core.case import DENIED, STATED, Case, Fact
from bot.core.fact_questions import how_much_after
from bot.core.flows import case as case_flow
from bot.core.flows import eligibility as verdict_words
from bot.core.flows import subsidy as estimate_words
from bot.core.flows import what_if
from bot.core.flows.case import ESTIMATE_STEPS, VERDICT_STEPS
from bot.core.flows.sources_asked import sources_named
from bot.core.language import looks_like_code
from bot.core.reading import (
    HOTLINE_STAFF,
    NAMED_PROCESSES,
    Reading,
    link_named,
    names_a_guide_topic,
    own_part_asked,
    percent_in,
    resident_named,
    resident_relative,
)
from bot.core.reply import Day, Joined, Local, Money, Reply, Share, T, Verbatim, note, title
from bot.core.rules import Phase, load_undated
from bot.core.sectors import trade_named
from bot.core.session import Session
from bot.core.textnorm import fold
from bot.core.verdict import NOT_HK_OWNERS

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue

ESTIMATE_ASKS = frozenset({"estimate", "caps", "pay"})
OFFICES_NOT_FUNDED = T(
    "The programme pays for work at factories (and at Hong Kong workshops with polluting processes), not at offices."
)
OTHER_ASKS = frozenset({"person", "hotline", "guides", "apply", "help", "privacy"})
_BACK_TO_RESULTS = re.compile(
    r"^(?:back|go back|back to (?:the )?(?:results|list)|返回|返回搜索结果|返回结果|返回搜寻结果"
    r"|返回上一页|上一页|返去|返去结果)[.!。！]*$"
)
_SHARE_KINDS = frozenset({"ownership", "share_mainland", "share_hk_company", "hk_company"})


def share_needed(dialogue: Dialogue, session: Session, case: Case) -> Reply:
    """The shares the ownership links ask for: only link 1(d) sets percentages (W7, W9);
    a joint venture has none in the sources, and sole ownership is the whole."""
    phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
    reply = Reply("eligibility")
    if phase is None or phase.stated("ownership") != "links":
        reply.add(T("Our sources give no share a Hong Kong company must hold for that period."))
        _footer(dialogue, session, case, reply, set())
        return reply
    shares = verdict_words.resident_shares(phase)
    if shares:
        reply.add(
            T(
                "The sources set shares for one link only: a Hong Kong resident holding more than {mainland} of the Mainland enterprise and at least {hk} of the Hong Kong company that applies.",
                **shares,
            )
        )
    reply.add(
        T(
            "A joint venture or co-operative with the Hong Kong company is a link with no share set in our sources; a factory solely owned by the Hong Kong company is owned in full."
        )
    )
    reply.add(T("Staff can look at unusual arrangements."))
    reply.cite(*phase["ownership"].citations)
    if shares:
        reply.cite(
            *phase["ownership.resident_share_of_mainland"].citations,
            *phase["ownership.resident_share_of_hk_company"].citations,
        )
    _footer(dialogue, session, case, reply, set())
    return reply


def _asks(reading: Reading) -> bool:
    """A question of its own ("你哋有冇東莞辦事處地址？") typed at a prompt: not a failed
    answer to the prompt."""
    folded = fold(reading.text).strip()
    return not reading.u.amounts and folded.endswith(("?", "？", "吗", "嗎", "呀?"))


def _prd_membership(dialogue: Dialogue, session: Session, case: Case, reading: Reading) -> Reply:
    asked = []
    for fact in reading.facts:
        if fact.kind == "place" and fact.polarity == STATED:
            try:
                asked.append(places.get(fact.value))
            except KeyError:
                continue
    if not asked and not reading.place_choice and case_flow.primary_place(case) is not None:
        asked = [case_flow.primary_place(case)]  # "is that in the PRD?": the factory's place
    if not asked and reading.place_choice:
        asked = [reading.place_choice[0]]
    day = case_flow.decision_day(dialogue, case)
    return verdict_words.prd_membership(dialogue, list(dict.fromkeys(asked)), day)


# "两个加起来一共补多少？", "how much for both together?": the factories' figures summed
# Anchored at the start: unanchored, search() would retry both lookaheads at every
# position (quadratic: 20 ms for a pasted 400-character message).
_TOTAL_OF_FACTORIES = re.compile(
    r"(?s)\A(?=.*(?:补|资助|政府|钱|\bsubsid|\bgovernment|\bpay|\bget\b|\bhow much|\bgrant))"
    r"(?!.*(?:多少个|几多个|多少项|\bhow many\b))"
    r".*(?:加起来|加埋|一共|总共|合共|合计|总数|\b(?:in total|altogether|combined|both|together|total)\b)"
)


# "两家厂都…", "各50万", "both factories", "each": one cost said of every factory
_EACH_FACTORY = re.compile(
    r"两(?:家|间|个)(?:厂|工厂)?\S{0,4}(?:都|各)|各(?:自)?\s*\d|各(?:自)?(?:[一二三四五六七八九十百两]+)[万千]"
    r"|\bboth (?:factories|plants|of them)\b|\beach\b"
)


def _factory_marks(known: list[str], named: list[Fact], text: str) -> list[tuple[int, str]] | None:
    """Where in the (folded) message each place named points at one of the known
    factories: (position, factory); None when a place names none or several of them."""
    marks: list[tuple[int, str]] = []
    for fact in named:
        inside = [p for p in known if places.within(p, fact.value)] or (
            [fact.value] if fact.value in known else []
        )
        where = text.find(fold(fact.quote)) if fact.quote else -1
        if len(inside) != 1 or where < 0:
            return None
        marks.append((where, inside[0]))
    return marks


def _costs_by_factory(case: Case, reading: Reading) -> list[tuple[str, dict[str, Any]]]:
    """Each cost of a message with the factory named just before it, when the message
    names two or more of the case's factories and as many costs; else none."""
    costs = [f for f in reading.of("cost") if isinstance(f.value, dict)]
    named = [f for f in reading.of("place", STATED)]
    known = case.places()
    if (
        len(costs) == 1
        and not named
        and len(known) >= 2
        and _EACH_FACTORY.search(fold(reading.text))
    ):
        # "那两家厂都做新技术项目，各50万": the one cost, at each of the case's factories
        return [(place_id, costs[0].value) for place_id in known]
    respective = _respective_costs(known, named, costs, fold(reading.text))
    if respective:
        return respective
    if len(costs) < 2 or len(named) < 2 or len(known) < 2:
        return []
    text = fold(reading.text)
    marks = _factory_marks(known, named, text)
    if marks is None:
        return []
    paired = []
    for fact in costs:
        where = text.find(fold(fact.quote)) if fact.quote else -1
        before = [m for m in marks if 0 <= m[0] < where]
        if where < 0 or not before:
            return []
        paired.append((max(before)[1], fact.value))
    return paired if len({p for p, _ in paired}) == len(paired) else []


# "分别是4万和6万", "一間35萬，一間70萬", "respectively": one cost for each factory, in order
_RESPECTIVELY = re.compile(
    r"分别|各自(?:是|系)|一间\S{0,8}一间|一个\S{0,8}一个|一家\S{0,8}一家|\brespectively\b"
    r"|\bone (?:is|at|costs?)\b.{0,30}\bthe other\b"
)


def _respective_costs(
    known: list[str], named: list[Fact], costs: list[Fact], text: str
) -> list[tuple[str, dict[str, Any]]]:
    """ "工厂在湛江和梅州…评估费分别是4万和6万": the costs, in order, for the factories
    named in that order (or the case's two, named before), when their counts match and
    the costs are of one item."""
    if len(costs) < 2 or not _RESPECTIVELY.search(text):
        return []
    if len({(c.value.get("item") or "") for c in costs}) > 1:
        return []  # "評估6萬，示範項目50萬": two items, not two factories
    order = list(dict.fromkeys(f.value for f in named)) if named else list(known)
    if len(order) != len(costs):
        return []
    return [(place_id, cost.value) for place_id, cost in zip(order, costs, strict=True)]


def _factory_of_cost(case: Case, reading: Reading) -> str | None:
    """The case's factory named last before the message's one cost, if any."""
    costs = [f for f in reading.of("cost") if f.quote]
    if len(costs) != 1:
        return None
    text = fold(reading.text)
    where = text.find(fold(costs[0].quote))
    marks = []
    for fact in reading.of("place", STATED):
        at = text.rfind(fold(fact.quote), 0, max(where, 0)) if fact.quote else -1
        inside = [p for p in case.places() if places.within(p, fact.value)]
        if at >= 0 and len(inside) == 1:
            marks.append((at, inside[0]))
    return max(marks)[1] if marks and where >= 0 else None


def _keep_factory_figure(session: Session, place_id: str, estimate: Any) -> None:
    """One factory's estimate of several, kept for its total and for "東莞嗰間呢？"."""
    session.outcomes.setdefault("by_factory", {})[place_id] = {
        "item": estimate.item,
        "cost": str(estimate.cost),
        "government": str(estimate.government),
        "phase": estimate.phase.id,
    }


def _estimates_by_factory(
    dialogue: Dialogue, session: Session, case: Case, paired: list[tuple[str, dict[str, Any]]]
) -> Reply:
    reply = Reply("subsidy")
    day = case_flow.decision_day(dialogue, case)
    found = case_flow.verdicts(dialogue, case)
    for number, (place_id, cost) in enumerate(paired, start=1):
        mine = [v for v in found if v.place is not None and v.place.id == place_id]
        reply.add(title("{place}", place=verdict_words.place_label(places.get(place_id))))
        cost = {**cost, "item": cost.get("item") or case.current("item")}
        outcome = case_flow.outcome(dialogue, case, mine or found, item=cost["item"], cost=cost)
        estimate_words.describe_outcome(
            dialogue, outcome, reply, day, closing=number == len(paired)
        )
        if outcome.code == "estimate" and outcome.estimate is not None:
            _keep_factory_figure(session, place_id, outcome.estimate)
    total = _factories_total(dialogue, session, case)
    if total is not None:
        reply.parts += [p for p in total.parts[-1:]]  # the sum, after the figures
    _footer(dialogue, session, case, reply, {"estimate"})
    return reply


_TOTAL_WORD = re.compile(r"加起来|加埋|一共|总共|合共|合计|\b(?:in total|altogether|total)\b")


def _cost_of_factory(session: Session, case: Case, place_id: str) -> None:
    """ "東莞嗰間呢？": that factory's own cost, as estimated before, not the last one said
    (another factory's); with none estimated for it, its cost is asked, never borrowed."""
    figures = session.outcomes.get("by_factory") or {}
    figure = figures.get(place_id)
    if figure is not None:
        cost = {
            "amount": figure["cost"],
            "currency": "HKD",
            "text": figure["cost"],
            "item": figure["item"],
        }
        case.replace("cost", [Fact("cost", cost, STATED, case.turn, "factory")])
    elif figures and case.current("cost"):
        case.forget("cost")


def _factories_total(
    dialogue: Dialogue, session: Session, case: Case, only: list[str] | None = None
) -> Reply | None:
    """The government's part for each factory estimated in this chat, and their sum; None
    unless two or more of the case's factories have a figure. ``only``: the factories
    named, when some are."""
    figures = session.outcomes.get("by_factory") or {}
    known = [p for p in case.places() if p in figures and (not only or p in only)]
    if len(known) < 2:
        return None
    reply = Reply("subsidy")
    total = Decimal(0)
    for place_id in known:
        figure = figures[place_id]
        phase = dialogue.rulebook.get(figure["phase"])
        government = Decimal(figure["government"])
        total += government
        reply.add(
            T(
                "{place}: {item}, cost {cost}: the government pays {government}.",
                place=verdict_words.place_label(places.get(place_id)),
                item=verdict_words.ITEM_ONE.get(figure["item"], T("your project")),
                cost=Money(Decimal(figure["cost"])),
                government=Money(government),
            )
        )
        if phase is not None and phase.get(f"cap.{figure['item']}") is not None:
            reply.cite(*phase[f"cap.{figure['item']}"].citations)
    reply.add(
        T(
            "Together: {total} from the government, each project within its own cap. An estimate, not an approval.",
            total=Money(total),
        )
    )
    return reply


# "which source says that?", "邊度講嘅？", "出處呢？": where the last answer comes from
_SOURCE_ASKED = re.compile(
    r"(?:边度|边个|哪里|哪儿|哪个|什么|乜嘢|咩)(?:文件|网页|网站|资料)?(?:讲|说|写|睇到|看到|话)(?:嘅|的|㗎|架)?"
    r"|出处|来源|(?:有|有冇|有没有)(?:咩|什么)?(?:根据|依据)|(?:根据|依据)(?:系|是)?(?:边|哪|乜|什么|咩)"
    # "邊份文件講㗎？", "哪条规定说30%的？"
    r"|(?:边|哪)(?:一)?(?:份|条|段|项|页)(?:规定|条文|文件|资料|网页)?(?:讲|说|写|话|有)"
    r"|\bwhich (?:source|page|paragraph|para|document|website|site)\b|\bwhat(?:'s| is) (?:the|your) source"
    r"|\bsources?\?|\bwhere (?:does it|did you|is that|is this|does that) (?:say|get|read|find|come)"
    # "are you sure?", "is that the official figure or your guess?", "你肯定？"
    r"|\bare you sure\b|\bofficial (?:figure|number|rule|source)\b|\byour (?:own )?guess\b"
    r"|你肯定|你确定|肯唔肯定|确唔确定|确定吗|肯定吗|真系咁|真的是这样|有冇搞错|有没有搞错"
    r"|\bwhere did you (?:get|read|find|see)\b|\bcite\b|\bcitation\b"
)
# "邊幾間可以申請？", "which of them qualify?": asked of the case's factories
_WHICH_OF_THEM = re.compile(
    r"(?:边|邊)(?:几|幾)?(?:间|家|个)|哪(?:几|幾)?(?:间|家|个)(?:厂|工厂)?(?:可以|能|符合|得)"
    r"|\bwhich (?:ones?|of them|of the (?:factories|plants|three|two)|factories|plants)\b"
)
# Two projects priced in one message: "a system HK$1.6m, and also an RTO 2.2m", "一個160萬，
# 一個220萬"; not one project priced twice ("budget 300k, costs 500k", "報價80萬，砍價後70萬")
# Another project done or planned, said without its cost: "2019年我们又做了一个",
# "we did another one in 2019", "仲想再做多個"
_ANOTHER_PROJECT_DONE = re.compile(
    r"又(?:做|搞|开)(?:了|咗|多)?(?:一)?(?:个|项)(?!计算|估算|比较)"
    r"|\b(?:did|doing|started?)\s+(?:another|a second|one more)(?:\s+(?:one|project))?\b"
    r"|\b(?:another|a second|one more)\s+project\b"
)
# The programme's own money, not a project's: "total budget", "政府總共撥款"
_PROGRAMME_MONEY = re.compile(
    r"预算|拨款|经费|\bbudget\b|\ballocation\b|\bprogramme\b|\bprogram\b|计划总共"
)
_LATEST_WORDS = re.compile(r"新一期|最新|\bnew phase\b|\blatest\b")


def _latest_phase_named(dialogue: Dialogue, folded: str) -> bool:
    """The latest phase named, not "this phase": its years ("2025", "2027") or "new phase"."""
    latest = dialogue.rulebook.latest()
    years = {str(latest.first_day.year), str(latest.last_day.year)}
    return bool(_LATEST_WORDS.search(folded)) or any(year in folded for year in years)


# Money asked about: "total subsidy?", "总共补多少", "加埋幾多錢"
_MONEY_ASKED = re.compile(
    r"资助|补贴|补助|补|俾|给|拎|拿|钱|几多|多少|\bsubsid|\bgrant|\bget\b|\bhow much\b|\bmoney\b|\bpay"
)
# A total asked of the projects said: "so how much altogether?", "兩個加埋幾多？"
_TOTAL_ASKED = re.compile(
    r"\baltogether\b|\bin total\b|\btotal\b|\bcombined\b|\bboth (?:projects|of them)\b"
    r"|\ball (?:three|two|four|3|2|4) (?:projects|of them)\b|\bsum\b"
    r"|总共|一共|合共|加埋|加起来|合计|总额|总数|全部加"
)
# A cost said of another project than the one priced before: "second: boiler upgrade,
# HK$1.6M", "第二個係廢水回用，要90萬", "and the other project is 80萬"
_ANOTHER_PROJECT = re.compile(
    r"\b(?:second|third|fourth|2nd|3rd|4th)\b(?:\s+(?:one|project|item|system))?"
    r"|\b(?:another|other|next)\s+(?:one|project|item|system)\b"
    r"|第[二三四五](?:个|项|期工程)?(?!次)|另(?:外)?(?:一)?(?:个|项)(?:项目|工程|系统)?"
    r"|仲有(?:一)?(?:个|项)项目|还有(?:一)?(?:个|项)项目"
)


def _labels_of_amounts(reading: Reading) -> dict[str, str]:
    """The words before each figure of a message, back to the figure before it: what each
    project is ("heat pump 600k and VOC RTO 1.8M": "heat pump", "and voc rto")."""
    labels: dict[str, str] = {}
    start = 0
    for amount in reading.u.amounts:
        before = fold(reading.u.text[start : amount.span[0]])
        labels[amount.text] = re.split(r"[。.!！?？:：]", before)[-1][-40:]
        start = amount.span[1]
    return labels


_PROJECT_ORDINALS = (
    re.compile(r"\b(?:first|1st)\s+(?:one|project|item|system)\b|第一(?:个|项)(?!次)"),
    re.compile(r"\b(?:second|2nd)\b(?:\s+(?:one|project|item|system))?|第二(?:个|项)?(?!次)"),
    re.compile(r"\b(?:third|3rd)\b(?:\s+(?:one|project|item|system))?|第三(?:个|项)?(?!次)"),
)
_LABEL_STOP = frozenset(
    ["and", "the", "for", "with", "our", "new", "one", "project", "projects", "plan", "cost", "costs", "about", "around", "system", "how", "much", "what", "subsidy", "factory", "would", "could", "will"]  # noqa: SIM905
)


# Two-character words of any project's description: no project is named by them
_LABEL_STOP_CJK = frozenset(
    ["香港", "公司", "项目", "一个", "造价", "大概", "技术", "研发", "工厂", "我们", "我哋", "想做", "打算", "费用", "成本", "需要", "大约", "差不多", "系统", "设备", "改造", "一间", "另外", "仲有", "还有", "第一", "第二", "第三", "个是", "个系"]  # noqa: SIM905
)


def _project_named(folded: str, projects: list[dict[str, Any]]) -> int | None:
    """Which of the projects a message names: by a word of what it is ("the RTO",
    "廢水嗰個"), else by its order ("the second one", "第二個", never "第一次"); None if not
    one of them."""
    named = _project_by_label(folded, projects)
    if named is not None:
        return named
    ordinals = [i for i, pattern in enumerate(_PROJECT_ORDINALS) if pattern.search(folded)]
    if len(ordinals) == 1 and ordinals[0] < len(projects):
        return ordinals[0]
    return None


def _project_by_label(folded: str, projects: list[dict[str, Any]]) -> int | None:
    """The one project a word of whose label the message says."""
    named = []
    for index, project in enumerate(projects):
        label = project.get("label", "")
        words = {w for w in re.findall(r"[a-z]{3,}", label) if w not in _LABEL_STOP}
        runs = {
            r[i : i + 2]
            for r in re.findall(r"[\u4e00-\u9fff]{2,}", label)
            for i in range(len(r) - 1)
        } - _LABEL_STOP_CJK
        if any(re.search(rf"\b{re.escape(w)}\b", folded) for w in words) or any(
            r in folded for r in runs
        ):
            named.append(index)
    return named[0] if len(named) == 1 else None


def _amount_named(project: dict[str, Any], folded: str) -> bool:
    """A project's figure said again as a whole ("700k not 600k"), not inside another one
    ("50萬" in "150萬")."""
    text = fold(project.get("text", ""))
    return bool(text) and re.search(rf"(?<![\d.]){re.escape(text)}", folded) is not None


# The same project priced again: "the other supplier quoted 700k instead", "改为80万"
_REPRICED = re.compile(r"\binstead\b|\bquoted?\b|\bquotation\b|报价|改为|改成|其实|\bactually\b")


def _remember_projects(
    session: Session, case: Case, reading: Reading, amounts: list[dict[str, Any]]
) -> None:
    """The projects priced one message at a time, for a total asked later: a cost said
    of another project is added to them; a project named changes its own cost; any
    other single cost starts them again."""
    labels = _labels_of_amounts(reading)
    if len(amounts) != 1:
        if amounts:
            # "2 projects: heat pump 600k and VOC RTO 1.8M": the projects priced together,
            # each with the words said before its figure, to find it by later
            session.outcomes["projects"] = [
                {**c, "label": labels.get(c.get("text", ""), "")}
                for c in session.outcomes.get("item_costs") or []
            ]
        return
    current = case.current("cost")
    if not isinstance(current, dict):
        return
    folded = fold(reading.text)
    current = {**current, "label": labels.get(current.get("text", ""), "") or folded[:40]}
    kept = session.outcomes.get("projects", [])
    corrected = [p for p in kept if p["amount"] != current["amount"] and _amount_named(p, folded)]
    named = _project_named(folded, kept) if len(kept) > 1 else None
    if corrected:
        # "sorry the heat pump is 700k not 600k": that project's cost, the others kept
        session.outcomes["projects"] = [current if p is corrected[0] else p for p in kept]
    elif named is not None:
        # "不好意思，第一个项目是120万": the first project's cost, the others kept
        session.outcomes["projects"] = [
            {**current, "label": p.get("label", "")} if i == named else p for i, p in enumerate(kept)
        ]
    elif kept and _ANOTHER_PROJECT.search(folded) and not _REPRICED.search(folded):
        session.outcomes["projects"] = [*kept, current]
    else:
        session.outcomes["projects"] = [current]


_SEVERAL_PROJECTS = re.compile(
    r"\bboth\b|\btwo (?:projects|systems|items|things)\b|\band also\b|\banother\b|\bsecond\b"
    r"|\beach\b|一个.{0,24}一个|另一个|另外一个|两个项目|两个系统|两样|仲有一个|还有一个"
    # "3 projects at our Dongguan plant: …", "三個項目", "how much total?"
    r"|\b(?:2|3|4|5|two|three|four|five) (?:projects|systems|items)\b|[二两三四五]个项目|[二两三四五]项"
    r"|\b(?:in )?total\b|合共|一共|总共|加埋|加起来"
)
_ONE_PROJECT_REPRICED = re.compile(
    r"预算|报价|砍价|讲价|改为|改成|其实|实际|之后|以后|后来|\bbudget\b|\bquote[ds]?\b|\brevised\b"
    r"|\bactually\b|\binstead\b|\bafter\b|\bdiscount\w*"
)


# "仲有冇？" alone, right after a search: the next results ("仲有冇鍋爐嘅" asks for another)
_MORE_ALONE = re.compile(r"\s*(?:仲有冇|仲有吗|仲有无|仲有)\s*(?:啊|呀|㗎)?\s*[?？]*\s*")
_STILL_NOW = re.compile(
    r"\bstill (?:available|open|offered|there|funded)\b|\b(?:available|offered) now\b"
    r"|现在还有|而家仲有|现在仲有|而家还有|现在还可以|而家仲可以"
)
_THE_ONE = re.compile(r"\bthe [\w ]{2,20}? one\b|(?:嗰|𠮶|那)(?:个|条|度)")
_AGAIN_ASKED = re.compile(r"\breapply\b|\bagain\b|\banother\b|再申请|再做|再报")
# "we're a trade association", "我哋係商會": an association, not a factory, asking
_ASSOCIATION_APPLIES = re.compile(
    r"\b(?:trade|industry|industrial|business) associations?\b|\bchambers? of commerce\b"
    r"|商会|行业协会|工商团体|同业公会"
)
_SAVED = re.compile(r"\bsav(?:e|ed|es|ing|ings)\b|节省|节约|慳|省咗|省了|省钱")
# A verdict's lines on the phase open on a day, which phase_open_on says in full
_DAY_PHASE_LINES = frozenset(
    {
        "On that day the {phase} ({period}) was open.",
        "Applications for the {phase} were invited from {day}.",
    }
)
# "set one up", "open one", "開一間", "注册一个": the company just said to be missing
_SET_ONE_UP = re.compile(
    r"\b(?:set|setting) (?:one|it) up\b|\bset up one\b|\b(?:open|register|form|start) one\b"
    r"|(?:开|成立|注册|搞)(?:返)?(?:一)?(?:间|个|家)(?:呢|啦|吧|得唔得|行吗|可以吗|[?？]|$)"
)
_SUBSIDIARY = re.compile(r"子公司|\bsubsidiar(?:y|ies)\b|\bsub\b")


def _branch_is_the_company(case: Case) -> bool:
    """The Hong Kong company the case has is a branch of a company from elsewhere."""
    said = case.fact("hk_company")
    return said is not None and said.value == "exists" and said.quote == "branch"


def _cap_claimed_note(dialogue: Dialogue, amount: Decimal, reply: Reply) -> None:
    """Which phases had the cap the user remembers ("isn't the demo cap 300k?")."""
    found = False
    for phase in dialogue.rulebook.phases:
        for item in verdict_words.ITEM_ONE:
            cap = phase.get(f"cap.{item}")
            for cited in (cap, phase.get(f"cap.{item}.local")):
                if cited is not None and cited.stated and Decimal(cited.value) == amount:
                    found = True
                    values = {
                        "amount": Money(amount),
                        "item": verdict_words.ITEM_ONE[item],
                        "phase": Local(phase.name),
                        "period": verdict_words.period(phase),
                    }
                    if phase.last_day >= dialogue.default_day():  # not ended on the day
                        reply.add(
                            T("{amount} is the cap for {item} in the {phase} ({period}).", **values)
                        )
                    else:
                        reply.add(
                            T(
                                "{amount} was the cap for {item} in the {phase} ({period}).",
                                **values,
                            )
                        )
                    reply.cite(*cited.citations)
    if found:
        return
    undated = [f for f in load_undated() if f.cap == amount]
    if undated:
        # "上網睇到資助45萬": a figure of the undated government page (W8), named as such
        for figure in undated:
            reply.add(
                note(
                    "An undated government page lists {item} at {share}, up to {caps}, without saying which phase it describes.",
                    item=verdict_words.ITEM_NAMES[figure.item],
                    share=Share(figure.share),
                    caps=Joined((Money(figure.cap),)),
                )
            )
            reply.cite(figure.citation)
        return
    reply.add(T("No phase in our sources has a cap of {amount}.", amount=Money(amount)))


# Talk of shares: "股份", "shares", "股權".
_SHARE_KINDS_OF_1D = ("share_mainland", "share_hk_company")
_SHARES_WORD = re.compile(r"股份|股权|股|\bshares?\b|\bstake\b")
# Shares of the factory, not of the Hong Kong company: "入股間廠", "shares in the factory"
_FACTORY_SHARES = re.compile(
    r"入股(?:间|个|家|这|(?:嗰|𠮶)|我哋|我们)?(?:的|嘅)?(?:内地)?(?:厂|工厂|企业)"
    r"|(?:厂|工厂|内地企业|内地公司)(?:的|嘅)?股(?:份|权)?"
    r"|\b(?:factory|plant|mainland company|enterprise)(?:'s)? (?:shares|stake)\b"
    r"|\b(?:shares?|stake) (?:in|of) (?:the |our )?(?:factory|plant|mainland (?:company|enterprise)|wfoe|jv)\b"
    r"|\bbuys? into the (?:factory|plant)\b"
)
# What a message may say of the owner and its holders.
_OWNER_TALK = ("ownership", "hk_company", "share_other_holder", "share_withdrawn")


def _others_shares_note(dialogue: Dialogue, case: Case, reply: Reply) -> None:
    """Link 1(d) is one Hong Kong resident holding both shares (W7, W9): a spouse's or a
    partner's shares are not added to the resident's."""
    phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
    shares = verdict_words.resident_shares(phase) if phase is not None else None
    if not shares:
        return
    reply.add(
        T(
            "The resident's link counts one person's own shares: more than {mainland} of the Mainland enterprise and at least {hk} of the Hong Kong company, both held by the same Hong Kong resident. Another person's shares, a spouse's included, are not added to them.",
            **shares,
        )
    )
    reply.cite(
        *phase["ownership.resident_share_of_mainland"].citations,
        *phase["ownership.resident_share_of_hk_company"].citations,
    )


# What may stand beside thanks or a goodbye in a message that says nothing else.
_BESIDE_SMALL_TALK = re.compile(r"[\s,，.。!！~、]|\bok(?:ay)?\b|\bso\b|好的|好|嗯|哦|啦|喇|呀|啊")


def _small_talk_alone(reading: Reading) -> bool:
    """ "谢谢，再见", "ok thanks": nothing but small talk ("多谢，另外有没有东莞办事处？"
    asks more)."""
    folded = fold(reading.text)
    if len(folded) > 30 or "?" in folded or "？" in folded:
        return False
    if reading.smalltalk == "ack":
        return True  # read only when nothing else was said
    kept = list(folded)
    for name, start, end in reading.u.spans:
        if name.startswith("smalltalk."):
            kept[start:end] = [" "] * (end - start)
    return not _BESIDE_SMALL_TALK.sub("", "".join(kept))


_RESIDENT_SHARES = ("share_mainland", "share_hk_company")


def _shares_by_holder(case: Case, reading: Reading) -> None:
    """Link 1(d) counts one resident's own shares: with the resident known ("大股東係我
    老公"), a share said of someone else ("我佔四成") is another holder's; of two shares of
    one company said for two people, the resident's is kept."""
    named = resident_named(fold(reading.text), reading.u.spans)
    before = case.current("resident_is")
    if named is not None and before is None:
        # "HK company is owned 100% by my mum" then "I'm a HK resident": the share said
        # before is the first holder's, not the resident now named
        before = case.current("holder_said")
    if named is not None and before is not None and named != before:
        # "我妈妈是香港居民，持有…70%" then "香港公司是我100%持有的，我也是香港居民": two
        # residents; what the first one holds is not the second one's
        said_now = {f.kind for f in reading.facts if f.kind in _RESIDENT_SHARES}
        moved = [
            f
            for f in case.facts
            if f.kind in _RESIDENT_SHARES and f.kind not in said_now and f.polarity == STATED
        ]
        case.facts = [
            replace(f, kind="share_other_holder") if f in moved else f for f in case.facts
        ]
        for fact in moved:
            if fact.value == "1":
                # "香港公司是我100%持有" and the resident is another: they hold none of it
                case.add(replace(fact, value="0"))
        theirs = case.stated("others_share")
        word = resident_relative(fold(reading.text), reading.u.spans)
        if (
            named == "third"
            and before == "self"
            and len(theirs) == 1
            and word
            and theirs[0].get("word") == word
        ):
            # "我爸持有70%，香港公司是我100%持有" then "我爸也是香港居民": the share said
            # of that relative is the resident's now; the speaker's is not
            kind = theirs[0].get("kind")
            if kind in _RESIDENT_SHARES and kind not in said_now:
                case.forget("others_share")
                case.add(Fact(kind, theirs[0].get("value"), STATED, case.turn, "others_share"))
    if named is not None:
        reading.facts.append(Fact("resident_is", named, STATED, case.turn, reading.text[:40]))
    # With no resident named, the holder of a share said before stands for them:
    # "我老婆持有清遠間廠51%" then "我自己持有香港公司40%" is two people's shares, not one's
    resident = named or case.current("resident_is")
    if resident is None and (reading.resident_inferred or not reading.of("ownership")):
        # not when a resident is said here ("my partner is a HK resident, he owns…")
        resident = case.current("holder_said")
    holders = {(kind, value): who for kind, value, who in reading.share_holders}
    before_word = case.current("holder_word")
    if named is None and before_word:
        # "我阿哥持有香港公司35%" then "我老婆佔55%": two relatives, two people; the
        # second one's share is not the first one's
        for kind, word in reading.holder_words.items():
            shares = [f.value for f in reading.facts if f.kind == kind]
            if kind in _RESIDENT_SHARES and word != before_word and shares:
                holders[(kind, shares[-1])] = "other"
                resident = resident or "third"
    if resident is None and case.current("holder_said") is None:
        said_by = {who for kind, _value, who in reading.share_holders if kind in _RESIDENT_SHARES}
        if len(said_by) == 2 and None in said_by:
            # "我100%持有…工厂，也持有…香港公司50%": the second share continues the first's holder
            said_by.discard(None)
        if len(said_by) == 1 and None not in said_by:
            # kept with the case, not the reading: a share alone answering a prompt
            # ("he holds 20%") stays a message of one fact
            case.add(Fact("holder_said", said_by.pop(), STATED, case.turn, reading.text[:40]))
            words = set(reading.holder_words.values())
            if len(words) == 1:
                case.add(Fact("holder_word", words.pop(), STATED, case.turn, reading.text[:40]))
    kept: list[Fact] = []
    for fact in reading.facts:
        base = re.sub(r"_(?:more|less|less_part)$", "", fact.kind)
        who = holders.get((fact.kind, fact.value)) if base in _RESIDENT_SHARES else None
        if resident and who and who != resident and fact.kind.endswith("_less"):
            continue  # "what if he gives 10% to his brother": not the resident's shares
        if resident and who and who != resident:
            kept.append(replace(fact, kind="share_other_holder"))
            if fact.value == "1":
                # "香港公司是我100%持有" when the resident is the wife: she holds none of it
                kept.append(replace(fact, value="0"))
        else:
            kept.append(fact)
    for kind in _RESIDENT_SHARES:  # two of one company left, no resident to choose by: the last
        same = [f for f in kept if f.kind == kind]
        kept = [f for f in kept if f.kind != kind or f is same[-1]]
    reading.facts = kept


def _share_short(dialogue: Dialogue, session: Session, case: Case) -> str | None:
    """The share the last verdict found short of link 1(d)'s, if that was its answer."""
    if (session.outcomes.get("eligibility") or {}).get("reason") != "resident_share_short":
        return None
    for verdict in case_flow.verdicts(dialogue, case):
        if verdict.code == "resident_share_short":
            company = verdict.reason.values.get("company")
            return "share_hk_company" if company == "hk" else "share_mainland"
    return None


def _owner_or_supposed(case: Case) -> Any:
    """The owner a what-if supposes ("如果我哋喺香港開間公司接手呢？"), else the case's."""
    supposed = [f.value for f in case.supposed if f.kind == "ownership" and f.polarity == STATED]
    return supposed[-1] if supposed else case.current("ownership")


def _which_share(unclear: Fact) -> Reply:
    """A bare percentage after a resident's shares: the two links' shares differ (more
    than half of the Mainland enterprise, at least 30% of the Hong Kong company), so the
    share it changes decides the verdict; the user says which."""
    share = verdict_words.percent(Fraction(unclear.value))
    return Reply("eligibility").add(
        T(
            "Which share is {share}: the Hong Kong resident's share of the Mainland enterprise, or of the Hong Kong company? For example: “the Mainland enterprise {share}”.",
            share=share,
        )
    )


# Asks that take a message about one's factory elsewhere than to its verdict.
ELSEWHERE = frozenset({"person", "hotline", "guides"})


# The end of a message's first sentence: "?", "!", a full stop
_SENTENCE_END = re.compile(r"[?？!！。]|\.(?=\s)")


def _first_sentence(text: str) -> tuple[str, str]:
    """The first sentence of a message and the rest ("" when there is one sentence)."""
    end = _SENTENCE_END.search(text)
    return (text[: end.end()], text[end.end() :]) if end else (text, "")


def respond(dialogue: Dialogue, session: Session, reading: Reading) -> Reply:
    """The reply to a message about the case. A what-if ("如果佢有35%呢？") is answered
    as put, then the owner and shares told before are kept: a supposition is no fact."""
    before = case_flow.load(session)
    case_flow.cost_changed_by(before, reading)
    _shares_given_back(before, reading)
    _their_shares_bought(before, reading)
    if (
        reading.what_if
        and not reading.of("place")
        and before.current("supplier_place")
        and _SUPPLIER.search(fold(reading.text))
    ):
        # "如果供应商工厂跟我们签了来料加工合同呢": that supplier's factory, where it is
        reading.facts.append(
            Fact("place", before.current("supplier_place"), STATED, before.turn + 1, "")
        )
    if reading.budgets_compared and dialogue.kb is not None and not reading.of("cost"):
        # "新一期同2015年嗰期比，撥款多咗定少咗？": each phase's budget, side by side
        unit = dialogue.kb.unit("faq-budget-total")
        if unit is not None:
            reply = Reply("programme").add(
                title("{title}", title=Local(unit.title)), Local(unit.body)
            )
            reply.cite(*unit.citations)
            _footer(dialogue, session, before, reply, set())
            return reply
    if (
        reading.phases_compared
        and not reading.asks
        and (before.current("item") or session.outcomes.get("caps_shown"))
    ):
        reading.asks.add("caps")  # "和以前比多还是少？" after an item's caps: that item's
    earlier = session.outcomes.pop("another_factory", None)
    shares_only = bool(reading.facts) and all(f.kind.startswith("share_") for f in reading.facts)
    if earlier and shares_only and not reading.asks - {"verdict"}:
        # "那占35%呢" after another factory supposed: that factory's share, changed
        # a bare figure changes the share said last of that factory ("只占20%" → "35%")
        last = [kind for kind, _, _ in earlier if kind.startswith("share_")][-1:] or [""]
        reading.facts = [
            replace(f, kind=last[0]) if f.kind == "share_unclear" and last[0] else f
            for f in reading.facts
        ]
        for kind, value, polarity in earlier:
            if not reading.of(kind):
                reading.facts.append(Fact(kind, value, polarity, before.turn + 1, ""))
        reading.another_factory = reading.what_if = True
    if reading.another_factory and reading.what_if and before.places():
        other = _another_factory_supposed(dialogue, session, before, reading)
        if other is not None:
            return other
    if (
        reading.relatives_factory
        and before.places()
        and not set(f.value for f in reading.of("place", STATED)) & set(before.places())
    ):
        # "我表弟喺江門開山都有間廠…同一樣問題" after the user's own factories: that
        # factory answered on what this message says of it; the user's case stays
        return _relatives_factory(dialogue, session, before, reading)
    another = _residence_of_another(before, reading)
    if reading.old_site_let and before.places():
        # "寮步嗰個舊廠房而家租咗俾人": no factory there now; the verdict on the case
        reading.asks.add("verdict")
        another = T(
            "Premises you no longer run as your factory, such as a site let to others, do not count: what counts is the factory you own and run now."
        )
    if reading.share_unnamed and _share_short(dialogue, session, before) == "share_hk_company":
        # "他太太把她的5%转给他" after "29% of the HK company is not enough": the share that
        # fell short changes, not the enterprise's (no company named)
        reading.facts = [
            replace(f, kind=f.kind.replace("share_mainland", "share_hk_company"))
            if f.kind in ("share_mainland_more", "share_mainland_less")
            else f
            for f in reading.facts
        ]
        reading.share_holders = [
            (k.replace("share_mainland", "share_hk_company") if k in ("share_mainland_more", "share_mainland_less") else k, v, w)
            for k, v, w in reading.share_holders
        ]
    unclear_changes = {
        "share_sold_unclear": "_less",
        "share_sold_half_unclear": "_less_part",
        "share_bought_unclear": "_more",
    }
    changed_said = [f for f in reading.facts if f.kind in unclear_changes]
    if changed_said:
        # "and what if I sell 30% instead?" after selling 20% of the Mainland company,
        # "咁如果我買嘅係5%咋": that company's shares again; the only share held; else
        # which one is asked
        sold = changed_said[0]
        suffix = unclear_changes[sold.kind]
        reading.facts = [f for f in reading.facts if f.kind not in unclear_changes]
        changed = {
            f.kind
            for f in before.facts + before.supposed
            if f.turn == before.turn and f.kind in _SHARE_KINDS_OF_1D
        }
        held = [kind for kind in _SHARE_KINDS_OF_1D if before.current(kind) is not None]
        kinds = changed if len(changed) == 1 else set(held) if len(held) == 1 else set()
        theirs = [v.get("kind") for v in before.stated("others_share")]
        if not kinds and suffix == "_more" and len(set(theirs)) == 1 and theirs[0] in held:
            # "what if I transfer 25% from her to me": the company she holds shares of
            kinds = {theirs[0]}
        if not kinds:
            return _which_share(sold)
        reading.facts.append(replace(sold, kind=kinds.pop() + suffix))
    if (
        before.current("cost")
        and not reading.of("cost")
        and not reading.u.amounts
        and _ANOTHER_PROJECT_DONE.search(fold(reading.text))
    ):
        # "2019年我们又做了一个": another project, whose cost is not the one said before
        before.forget("cost")
        session.outcomes.pop("projects", None)
        case_flow.save(session, before)
    if (
        reading.verdict_times
        and (before.places() or reading.of("place"))
        and not reading.what_if
        and not any(f.kind.startswith("share_") for f in reading.facts)
    ):
        return _verdicts_by_day(dialogue, session, before, reading)
    _phase_in_turn(dialogue, session, before, reading)
    what_if.go_on_supposing(session, reading)
    what_if.answer_supposed(session, reading)
    what_if.share_of_supposed(session, reading, before)
    what_if.given_up(session, before, reading)
    what_if.back_to_the_facts(session, reading, before)
    what_if.leave_explored_day_for_its_missing_item(dialogue, session, reading, before)
    supposing = what_if.suppose(session, reading, _estimate_asked(reading), before)
    if reading.what_if and not reading.facts and not reading.asks and before.places():
        # "如果我個拍檔佔四成，拍檔係內地公司呢？": nothing it says changes the case, so the
        # verdict on the case as it stands answers it
        reading.asks.add("verdict")
    reply = _respond(dialogue, session, reading)
    _remember_projects(
        session,
        case_flow.load(session),
        reading,
        [f.value for f in reading.of("cost") if isinstance(f.value, dict)],
    )
    if reading.place_taken is not None:
        # "香港公司独资的" after "您是指东莞市长安镇吗？": the guess taken, said first
        reply.parts.insert(
            0,
            T(
                "I took {place} as the place you meant; tell me if it is another one.",
                place=verdict_words.place_label(places.get(reading.place_taken)),
            ),
        )
    if another is not None:
        reply.parts.insert(0, another)
    what_if.note_day_explored(session, reading)
    if _DIFFERENCE.search(fold(reading.text)):
        _same_phase_after_shift(dialogue, before, reading, reply)
    if reading.what_if:  # "算啦，當我冇講" next gives it up, even with nothing kept apart
        session.outcomes["what_if"] = True
    else:
        session.outcomes.pop("what_if", None)
    if (reading.what_if or supposing) and what_if.keep_over_what_if(session, before, reading):
        reply.add(T("That answer is for the “what if”: what you told me before still stands."))
        what_if.note_question(session)
    return reply


# "and then?", "之後呢？": the phase after the one just answered
_AND_THEN = re.compile(
    r"^\W*(?:and |so )?(?:then|then what|after that|and after|what next|next one|the next one"
    r"|what about after(?: that)?)\b|之后呢|然后呢|后来呢|跟住|再之后|下一期"
)


# The parent company asking to apply, or which of the group applies
_PARENT_APPLIES = re.compile(
    r"\bparent\b[^.?]{0,25}\b(?:applicant|apply|applies)\b|\b(?:subsidiary|sub)\b[^.?]{0,15}\bapply\b"
    r"|母公司[^，。？?]{0,8}申请|子公司[^，。？?]{0,8}申请"
)
# The factory owned by a Hong Kong subsidiary beside a parent: "its HK subsidiary owns a WFOE"
_SUBSIDIARY_OWNS = re.compile(
    r"\bsubsidiar(?:y|ies)\b[^.?]{0,12}\b(?:owns|holds|has)\b[^.?]{0,20}\b(?:wfoe|factory|plant)\b"
    r"|子公司[^，。？?]{0,6}(?:独资|拥有|持有)"
)
# Something done before: "做過", "以前", "did", "had", a year
_IN_THE_PAST = re.compile(
    r"做过|做咗|做了|以前|之前|旧|(?:19|20)\d\d\s*年|\b(?:did|had|used to|before|previously|old)\b"
    r"|\bin (?:19|20)\d\d\b"
)
# Whether the set-up counts as a link: "係咪當合資？", "算不算三来一补", "does this count as a JV?"
_COUNTS_AS_A_LINK = re.compile(
    r"(?:系咪|是不是|算唔算|算不算|算系|算是|当唔当|当不当|系唔系|可唔可以当|可不可以算)"
    r"(?:当|算|系|是)?(?:一间|一家|一个)?(?:合资|合作|合营|独资|三来一补|来料加工|加工)"
    r"|\b(?:does|would|will) (?:this|that|it) count as (?:a |an )?(?:jv|joint venture|wfoe|processing)"
    r"|\bis (?:this|that|it) (?:then )?(?:a |an )?(?:jv|joint venture|wfoe)\b"
)


_OTHER_SIDE = re.compile(
    r"中方|内地方|合资方|合作方|对方|内地(?:嗰|那|𠮶)边|\bpartner\b|\bother side\b|\bmainland side\b"
)


def _another_factory_supposed(
    dialogue: Dialogue, session: Session, case: Case, reading: Reading
) -> Reply | None:
    """ "如果是另一家内地厂，香港人老板占60%，但他在香港公司只占20%呢": another factory,
    with only what this message says of its owner (none of the case's links), answered
    where the case's factory is; the case itself is left as it was."""
    said = [f for f in reading.facts if f.kind in _OWNER_TALK or f.kind.startswith("share_")]
    if not said:
        return None
    session.outcomes["another_factory"] = [[f.kind, f.value, f.polarity] for f in said]
    reply = _other_factorys_verdict(
        dialogue, session, case, said, ("place", "day", "phase"), Reply("eligibility")
    )
    reply.add(T("That answer is for the “what if”: what you told me before still stands."))
    return reply


def _relatives_factory(dialogue: Dialogue, session: Session, case: Case, reading: Reading) -> Reply:
    """Another person's factory, told after the user's own: its verdict from only this
    message's facts (the case's day kept), with the user's case left as it was."""
    reply = Reply("eligibility").add(title("About that other factory:"))
    _other_factorys_verdict(dialogue, session, case, reading.facts, ("day", "phase"), reply)
    reply.add(T("What you told me about your own factory still stands."))
    _footer(dialogue, session, case, reply, set())
    return reply


def _verdicts_by_day(dialogue: Dialogue, session: Session, case: Case, reading: Reading) -> Reply:
    """ "2012年同2014年分別得唔得？": the case's verdict on each day listed, one after the
    other; what the message says of the factory is kept, no day is."""
    case.turn += 1
    reading.facts = [replace(f, turn=case.turn) for f in reading.facts if f.kind not in ("day", "phase")]
    case_flow.merge(case, reading)
    case_flow.save(session, case)
    kept = tuple({f.kind for f in case.facts} - {"day", "phase"})
    reply = Reply("eligibility")
    for value in reading.verdict_times:
        when = date.fromisoformat(value["day"])
        if value.get("precision") == "year":
            reply.add(title("In {year}:", year=str(when.year)))
        else:
            reply.add(title("Today:"))
        day = Fact("day", value, STATED, case.turn, reading.text[:40])
        _other_factorys_verdict(dialogue, session, case, [day], kept, reply)
    _footer(dialogue, session, case, reply, set())
    return reply


def _other_factorys_verdict(
    dialogue: Dialogue,
    session: Session,
    case: Case,
    facts: list[Fact],
    kept: tuple[str, ...],
    reply: Reply,
) -> Reply:
    """The verdict of a factory that is not the case's: the case's facts of ``kept`` kinds
    and ``facts``; the chat's own state is not touched."""
    other = Case(turn=case.turn + 1)
    for fact in case.facts:
        if fact.kind in kept and fact.polarity == STATED:
            other.add(fact)
    for fact in facts:
        other.add(replace(fact, turn=case.turn + 1))
    found = case_flow.verdicts(dialogue, other)
    trial = copy.deepcopy(session)  # the verdict's words only; the chat's state stays
    case_flow.add_verdicts(dialogue, trial, other, found, reply, whole=True)
    return reply


def _owners_residence_asked(reading: Reading) -> bool:
    """Where the company's owner lives, or whether they are a resident, said or asked,
    and nothing else of the factory: no shares, no new owner of it."""
    shares = any(f.kind.startswith("share_") for f in reading.facts)
    if shares or (reading.of("place") and not reading.person_places):
        return False
    if _OTHER_SIDE.search(fold(reading.text)):
        return False  # "中方老板不是香港人": the venture's other side, said with its link
    owners = {f.value for f in reading.of("ownership")}
    denied = {f.value for f in reading.of("ownership", DENIED)}
    said = reading.resident_denied_of or reading.person_places or "hk_resident" in denied
    return bool(said) and owners <= {"hk", "hk_resident"}


def _phase_in_turn(dialogue: Dialogue, session: Session, case: Case, reading: Reading) -> None:
    """ "and the first one?", "and then? after 2015" after a cap answered for a past day
    (the case names an item and a day): that phase, by its order or as the next one,
    for the same question."""
    folded = fold(reading.text)
    caps_shown = bool(session.outcomes.get("caps_shown"))
    # "然后呢" reads as "then how do I apply?", unless the caps were just listed
    asks = reading.asks - ({"apply"} if caps_shown and _AND_THEN.search(folded) else set())
    if asks or any(f.kind not in ("day", "phase") for f in reading.facts):
        return
    if len(case.places()) > 1:
        return  # "the first one?" among several factories names a factory, not a phase
    dated = case.current("day") or case.current("phase") or case.current("cost")
    if not caps_shown and not (case.current("item") and dated):
        return  # an item alone, neither estimated nor dated: no answer to follow up
    if len(folded) > 30:
        return
    phases = list(dialogue.rulebook.phases)
    chosen = None
    ordinal = _PHASE_ORDINAL.search(folded)
    named = [f.value for f in reading.of("phase")]
    if (
        len(named) == 1
        and len(reading.facts) == 1
        and (ordinal or _AND_ALONE.match(folded) or _AND_THEN.search(folded))
    ):
        # "咁第一期呢？": the phase is read already; the cap is what is asked of it
        chosen = next((p for p in phases if p.id == named[0]), None)
    elif ordinal and not reading.facts:
        chosen = _phase_by_ordinal(phases, ordinal.group(0))
    elif _AND_THEN.search(folded) and reading.of("day"):
        # "and then? after 2015": the first phase that began in that year or later
        said = reading.of("day")[-1].value
        year = int(said.get("after") or str(said["day"])[:4])
        chosen = next((p for p in phases if p.first_day.year >= year), None)
    elif _AND_THEN.search(folded):
        now = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
        ids = [p.id for p in phases]
        if now is not None and now.id in ids and ids.index(now.id) + 1 < len(phases):
            chosen = phases[ids.index(now.id) + 1]
    if chosen is not None:
        reading.facts = [f for f in reading.facts if f.kind not in ("day", "phase")]
        # the case loaded before this message: its turn is the one before
        reading.facts.append(Fact("phase", chosen.id, STATED, case.turn + 1, reading.text[:40]))
        reading.phase_in_turn = True
        reading.asks.discard("apply")
        if case.current("cost") is None:
            reading.asks.add("caps")  # no cost told: the cap was the answer, so that phase's


# Owners that say the factory is not the Hong Kong company's, or not yet known to be
_NOT_THE_COMPANYS = frozenset(
    {"mainland", "unsure", "unclear", "foreign", "taiwan", "macao", "other_firm"}
)


def _company_had_is_no_owner(case: Case, reading: Reading) -> None:
    """ "我自己有間香港公司" after the factory was said to be a relative's, a nominee's or a
    Mainland company's: a Hong Kong company exists, which says nothing of its link to that
    factory, so the link is still asked (never "eligible" on it, W7, W9)."""
    if not reading.hk_company_had:
        return
    someone_elses = (
        case.current("ownership") in _NOT_THE_COMPANYS
        or bool(case.current("nominee"))
        or "hk" in case.denied("ownership")
    )
    if not someone_elses:
        return
    said = [f for f in reading.of("ownership", STATED) if f.value == "hk"]
    if not said:
        return
    reading.facts = [f for f in reading.facts if f not in said]
    reading.facts.append(Fact("hk_company", "exists", STATED, said[0].turn, said[0].quote))


def _residence_of_another(case: Case, reading: Reading) -> T | None:
    """ "我老婆没有香港身份" when the speaker is the resident of link 1(d): her residence
    is no denial of his; "如果工厂股份转给她呢" then supposes he holds none of the
    enterprise, and shares she holds count for no resident. The line to say, or None."""
    if case.current("ownership") == "hk" and _owners_residence_asked(reading):
        # "咁老闆唔係香港居民有冇問題？", "老板户口在台山…会不会影响" after the company's own
        # link (a venture, sole ownership, a contract): residence is no condition of it
        resident_denied = bool(reading.of("ownership", DENIED))
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value in ("hk_resident", "hk"))
            and f.kind != "place"
        ]
        if resident_denied:
            # kept apart from the owner, for a later "what if he held it himself?"
            reading.facts.append(Fact("owner_not_resident", True, STATED, case.turn + 1, ""))
        reading.asks.add("verdict")
        return T(
            "For your company's own link to the factory (a joint venture, sole ownership or a processing contract), the sources set no condition on where its owners live or are registered; that matters only for the Hong Kong resident's link."
        )
    if reading.resident_denied_of != "third" or case.current("ownership") != "hk_resident":
        return None
    resident = case.current("resident_is") or case.current("holder_said")
    moved = (reading.what_if or "share_transfer" in reading.asks) and _FACTORY_SHARES.search(
        fold(reading.text)
    )
    # with the resident unnamed, only the move is answered: its answer refuses nothing wrongly
    if resident != "self" and not (resident is None and moved):
        return None
    reading.facts = [
        f
        for f in reading.facts
        if not (f.kind == "ownership" and f.value == "hk_resident" and f.polarity == DENIED)
    ]
    if moved and not reading.of("share_mainland") and not reading.of("share_hk_company"):
        reading.facts.append(Fact("share_mainland", "0", STATED, case.turn + 1, "moved"))
        reading.asks.discard("share_transfer")
        reading.what_if = True
        return T(
            "Shares held by someone who is not a Hong Kong resident do not count for this link: it needs one Hong Kong resident holding more than 50% of the Mainland enterprise."
        )
    reading.asks.add("verdict")
    return T(
        "This link looks at the Hong Kong resident who holds the shares; another person's residence does not change it."
    )


# A plan to move a factory: "if we move it to Zhuhai", "搬去珠海".
_MOVE = re.compile(r"\bmov(?:e|ing)\b|\brelocat|搬(?:去|到|上|落|厂|廠)")


def _past_day_left(dialogue: Dialogue, case: Case, reading: Reading) -> bool:
    """A past day named earlier no longer holds: a plan to move, or a new question
    after "never mind"."""
    day = case.current("day")
    if not isinstance(day, dict):
        return False
    if date.fromisoformat(day.get("until") or day["day"]) >= dialogue.default_day():
        return False
    folded = fold(reading.text)
    new_question = what_if.GIVEN_UP.search(folded) and (reading.facts or reading.asks)
    return bool(_MOVE.search(folded) or new_question)


# "有冇分別？", "any difference?": whether a change of plan changes the answer
_DIFFERENCE = re.compile(
    r"分别|区别|差别|唔同|不同|\bdifference\b|\bdiffer\b|\bchange anything\b|\bmatter\b"
)


def _same_phase_after_shift(
    dialogue: Dialogue, before: Case, reading: Reading, reply: Reply
) -> None:
    """ "遲一個月先申請有冇分別？": when the later day is in the same phase, say so."""
    shifted = [f for f in reading.of("day") if isinstance(f.value, dict) and f.value.get("shifted")]
    if not shifted:
        return
    base = case_flow.named_day(before) or dialogue.default_day()
    then = dialogue.rulebook.phase_at(date.fromisoformat(shifted[0].value["day"]))
    if then is not None and then is dialogue.rulebook.phase_at(base):
        reply.add(
            T(
                "That day falls in the same phase, the {phase}, so the answer is the same.",
                phase=Local(then.name),
            )
        )


# The programme's record asked about: case studies, examples, how many were funded
_RECORD_ASKED = re.compile(
    r"\bcase stud(?:y|ies)\b|\bsuccess stor(?:y|ies)\b|\bexamples? of\b|成功案例|案例|个案研究"
    r"|\bhow many\b.{0,40}\b(?:funded|approved|completed|done|so far|were there)\b"
    r"|(?:几多个|多少个|几多项|多少项)\S{0,10}(?:获资助|资助咗|批咗|完成咗|已完成|做咗)"
)


# "那有什么别的办法吗？", "any other way?", "有冇其他方法？": another route, after a "no"
_OTHER_WAY = re.compile(
    r"(?:那|咁|噉|so|then|is there|are there)?\s*(?:有)?(?:什么|咩|冇|没有|无)?(?:别的|其他|其它|另外)(?:的|嘅)?"
    r"(?:办法|方法|途径|出路|可能)(?:吗|呀|啊|呢|嗎)?"
    r"|(?:is there |are there |so |then )?(?:any )?other (?:way|ways|route|routes|option|options)"
    r"(?: to (?:apply|qualify|get (?:it|the subsidy)))?"
    # "那我们怎么办", "咁點算", "so what do we do?": what is left to them, asked
    r"|(?:那|咁|噉|so|then)?\s*(?:我们|我哋|我地)?(?:应该)?(?:怎么办|点算|点算好|点办|点做|怎么做)(?:呢|啊|呀)?"
    r"|(?:so |then )?what (?:do|can|should) we do(?: then| now)?"
)


def _unsaid_item_asked(dialogue: Dialogue, case: Case, verdict: Any) -> bool:
    """ "那评估补多少？" while the owner question waits, on a day whose phase says nothing
    of assessments: that is the answer, whoever owns the factory."""
    from bot.core.estimate import unsaid_whoever_owns

    phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
    cost = case.current("cost") or {}
    return unsaid_whoever_owns(phase, case.current("item") or cost.get("item"), verdict)


# "Language", "change language", "语言", "轉語言": the language menu asked for by name
_LANGUAGE_ASKED = re.compile(
    r"(?:change |switch |set )?(?:the )?language|语言|(?:转|换|改)(?:个)?语言|语言 ?language"
)


def _estimate_asked(reading: Reading) -> bool:
    """The message asks for an estimate: a cost, a count of units, a rate, or "how much"."""
    return "estimate" in reading.asks or any(
        reading.of(kind) for kind in ("cost", "units", "rate", "item")
    )


_APPLY_STILL = re.compile(
    r"\b(?:still )?(?:apply|eligible|qualify)\b|申请|资格|可唔可以|可不可以|能不能|得唔得|行不行"
)
# "after that", "之後", "到時": the time after something just said
_AFTER_THAT = re.compile(r"\bafter (?:that|it|this|then)\b|\bby then\b|之后|以后|到时|届时|嗰阵")


def _no_applicant_after_closing(dialogue: Dialogue, session: Session, case: Case) -> Reply:
    phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
    reply = Reply("eligibility").add(
        T(
            "Once the Hong Kong company is closed, there is no applicant: the programme's applicant is a company registered in Hong Kong with a link to the factory. Until then, the answer is as for today."
        )
    )
    if phase is not None and phase.stated("ownership") is not None:
        reply.cite(*phase["ownership"].citations)
    _footer(dialogue, session, case, reply, set())
    return reply


def _covered_before_the_move(dialogue: Dialogue, case: Case, place_id: str) -> bool:
    """Whether the factory, where it is before a move, has a place the rules cover."""
    before = Case(
        facts=[f for f in case.facts if f.kind != "place"]
        + [Fact("place", place_id, STATED, case.turn, "")],
        turn=case.turn,
    )
    found = case_flow.verdicts(dialogue, before)
    return bool(found) and found[0].status == "eligible"


def _respond(dialogue: Dialogue, session: Session, reading: Reading) -> Reply:
    from bot.core.flows import menu

    case = case_flow.load(session)
    case.turn += 1
    if not reading.of("day") and _past_day_left(dialogue, case, reading):
        # "never mind. what's the subsidy for 2m at Humen?", "if we move it to Zhuhai?":
        # a new question, or a plan, after a past year asked about: today's answer
        case.forget("day")
        case.forget("phase")
    pending = session.step if session.flow == "case" else None
    wanted = menu.language_asked(reading.text, fold(reading.text), reading.locale)
    if wanted is not None:  # "please reply in English": as the Language button
        case_flow.save(session, case)
        return menu.set_language(session, wanted)
    head, rest = _first_sentence(reading.text)
    leading = menu.language_asked(head, fold(head), reading.locale) if rest.strip() else None
    if leading is not None:
        # "Can you answer in English please? 我間廠喺江門開平": the language, then the rest
        session.locale_choice = session.locale = reading.u.locale = leading
    if "cancel_enquiry" in reading.asks:  # "please cancel my enquiry": /cancel_request
        from bot.core.flows import handoff

        case_flow.save(session, case)
        return handoff.command(dialogue, session, "cancel_request")
    if "reference" in reading.asks and not reading.facts:
        from bot.core.flows import handoff

        case_flow.save(session, case)
        return handoff.reference(dialogue, session, sent_asked=reading.sent_asked)
    named_sources = sources_named(fold(reading.text))
    if named_sources is not None and all(f.kind in ("day", "phase") for f in reading.facts):
        # "W9是什么？", "2012年那份文件是谁写的", "what are your sources?" (with no answer
        # before whose sources could be meant): those sources, or all, by their ids
        case_flow.save(session, case)
        return menu.sources_named(dialogue, session, named_sources)
    if (
        _SOURCE_ASKED.search(fold(reading.text))
        # "which source says 650k?": a figure of the answer, cited, is no new cost
        and all(f.kind in ("cost", "cap_claimed") for f in reading.facts)
        and session.last_citations
        and len(fold(reading.text)) <= 60
    ):
        # "which source says that?", "點解？邊度講嘅？": the sources of the last answer, as
        # the "Sources" button gives them
        case_flow.save(session, case)
        return menu.sources_reply(dialogue, session)
    if "reply_time" in reading.asks or _how_long_after_enquiry(dialogue, session, reading):
        # "幾時會有人覆我？": the enquiry, not approval times
        from bot.core.flows import handoff

        case_flow.save(session, case)
        return handoff.reply_time(dialogue, session)
    if (reading.has("ask.more_results") and len(fold(reading.text)) <= 20) or _MORE_ALONE.fullmatch(
        fold(reading.text)
    ):
        from bot.core.flows import guides

        more = guides.more_results(dialogue, session)
        if more is not None:  # "多啲結果": the button's label typed after a search
            case_flow.save(session, case)
            return more
    if session.flow == "guides" and session.search.get("ids"):
        from bot.core.flows import guides

        opened = guides.open_numbered(dialogue, session, fold(reading.text))
        if opened is None and not reading.facts and not reading.u.amounts:
            # "可唔可以俾返啲詳細啲嘅資料我？": the first result, in full
            opened = guides.open_detail(dialogue, session, fold(reading.text))
        if opened is not None:  # "第二個打開睇吓": a result of the list, by its number
            case_flow.save(session, case)
            return opened
    if (
        reading.has("other_scheme")
        and not reading.states_case_facts
        and not reading.asks
        & {
            "person",
            "hotline",
        }
    ):
        # "BUD專項基金點申請？": another government scheme; its rules are not in our sources
        case_flow.save(session, case)
        reply = Reply("out_of_scope").add(
            T("That is a different government scheme, which I have no information on.")
        )
        return menu.off_topic(dialogue, session, reply)
    if "currency" in reading.asks and not reading.facts:
        # "Is that HKD or RMB?" about the figures given
        case_flow.save(session, case)
        return Reply("subsidy").add(
            T(
                "The figures are in Hong Kong dollars, as the programme's caps are. If the cost you gave was in renminbi, please give it in Hong Kong dollars."
            )
        )
    folded_text = fold(reading.text)
    if (
        reading.smalltalk == "greeting"
        and not reading.facts
        and not reading.asks
        and len(folded_text.strip()) <= 16  # "hello", "你好呀", "hi there"
        and len(session.history) <= 1
        and case.empty
    ):
        # "hello" as the first message: what the bot does, as /start says it
        return menu.welcome(dialogue, session)
    if _LANGUAGE_ASKED.fullmatch(folded_text.strip(" ?？!！.。")):
        # "Language", "語言": the language menu, as its button gives it
        case_flow.save(session, case)
        return menu.language_choice(dialogue, session, "")
    if (
        reading.smalltalk in ("thanks", "bye", "ack")
        and not reading.facts
        and not reading.asks
        and not reading.u.amounts
        and _small_talk_alone(reading)
        and not (reading.smalltalk == "ack" and pending)  # "ok" to "Did you mean…?": a yes
    ):
        # "谢谢，再见", "ok thanks", "好的知道了": the word back is the whole answer; the
        # topic before is not answered again, nor the pending question asked again
        if reading.smalltalk == "bye":
            session.flow, session.step = None, None
        case_flow.save(session, case)
        reply = menu.small_talk(dialogue, session, reading.smalltalk, Reply("greeting"))
        return menu.menu_rows(reply, session)  # and a way on
    short = (
        len(folded_text) <= 12 if _CJK_CHAR.search(folded_text) else len(folded_text.split()) <= 4
    )
    total_asked = bool(_TOTAL_OF_FACTORIES.search(folded_text)) or (
        short and bool(_TOTAL_WORD.search(folded_text))  # "咁總共幾多？", "total for both?"
    )
    named = [f.value for f in reading.of("place", STATED)]
    if total_asked and all(
        f.kind == "units"  # "两个加起来": the two factories, no units
        # "那东莞和江门加起来一共补多少": factories of the case, named
        or (f.kind == "place" and f.value in case.places())
        for f in reading.facts
    ):
        total = _factories_total(dialogue, session, case, only=named)
        if total is not None:  # "两个加起来政府一共补多少？": each factory's figure, summed
            case_flow.save(session, case)
            return total
    if reading.contract_lapsed and not reading.asks & {"person", "leave", "exit"}:
        # "合同去年到期了，还没续签": whether a lapsed contract is still a link, no source says;
        # the place is kept, and the link is for staff to check (never "eligible")
        reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "hk_company")]
        reading.facts.append(Fact("ownership", "unsure", STATED, case.turn, reading.text[:40]))
        case_flow.merge(case, reading)
        case_flow.save(session, case)
        reply = Reply("eligibility").add(
            T(
                "A processing contract with the Hong Kong company is one of the links a factory can have. Our sources do not say whether a contract that has ended, and is not yet renewed, still counts: staff can check it for you."
            )
        )
        phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
        if phase is not None and phase.get("ownership") is not None:
            reply.cite(*phase["ownership"].citations)
        _footer(dialogue, session, case, reply, set())
        return reply
    if reading.renewal_asked and case.current("ownership") == "unsure":
        # "续签以后就可以了吧？" after a lapsed contract: the verdict with it in force, as
        # supposed; the contract is still lapsed in the case
        reading.facts.append(Fact("ownership", "hk", STATED, case.turn, reading.text[:40]))
        reading.what_if = True
    if (
        reading.has("ask.when_open")
        and reading.of("day")
        and not case.places()
        and all(f.kind == "day" for f in reading.facts)
    ):
        # "2017年的申请从什么时候开始？": that year's phase and its applications
        case_flow.merge(case, reading)
        case_flow.save(session, case)
        said = reading.of("day")[-1].value
        reply = Reply("programme")
        verdict_words.applications_in(
            dialogue, date.fromisoformat(said["day"]), said.get("precision") == "year", reply
        )
        _footer(dialogue, session, case, reply, set())
        return reply
    if "convert" in reading.asks and not reading.facts:
        # "按港币算是多少？" after a cost in renminbi: no rate is in our sources, so none
        # is assumed (a renminbi figure is never relabelled as Hong Kong dollars)
        case_flow.save(session, case)
        if (case.current("cost") or {}).get("currency") != "RMB":
            return Reply("subsidy").add(
                T(
                    "The figures are in Hong Kong dollars, as the programme's caps are. If the cost you gave was in renminbi, please give it in Hong Kong dollars."
                )
            )
        return Reply("subsidy").add(
            T(
                "Our sources give no exchange rate, so I can't turn renminbi into Hong Kong dollars. Please give the cost in Hong Kong dollars, or tell me the exchange rate to use."
            )
        )
    shares_said = [f for f in case.facts if f.kind in ("share_mainland", "share_hk_company")]
    if (
        reading.share_unnamed
        and not pending
        and not reading.resident_switched
        and shares_said
        and shares_said[-1].kind == "share_hk_company"
    ):
        # "what if he holds 40%?" after the Hong Kong company's 20%: no company named, so
        # not taken for the enterprise's; the share just talked about, or which is asked
        reading.facts = [
            replace(f, kind="share_unclear") if f.kind == "share_mainland" else f
            for f in reading.facts
        ]
    if reading.of("share_unclear"):
        unclear = reading.of("share_unclear")[0]
        reading.facts = [f for f in reading.facts if f.kind != "share_unclear"]
        just_said = [
            f
            for f in case.facts
            if f.kind in ("share_mainland", "share_hk_company") and f.turn == case.turn - 1
        ]
        short = _share_short(dialogue, session, case)
        if pending in _RESIDENT_SHARES:
            # "我持有30%" asked for the enterprise's share: that share
            reading.facts.append(replace(unclear, kind=pending))
        elif (
            short is not None
            and {f.kind for f in just_said} - {short}
            and case.current(short) != unclear.value
        ):
            # "what if he owned 51%?" after "30% of the HK company" (enough) and "50% of the
            # Mainland enterprise is not enough": the share that fell short, not the one
            # just said
            reading.facts.append(replace(unclear, kind=short))
        elif len({f.kind for f in just_said}) == 1 and just_said[-1].value != unclear.value:
            # "what about 51%?" right after "only 50% of the mainland company": that share.
            # The same figure again would change nothing, so then which one is asked.
            reading.facts.append(replace(unclear, kind=just_said[0].kind))
        elif short is not None and case.current(short) != unclear.value:
            # "What if I increase it to 35%?" after "20% of the HK company is not enough":
            # the share that fell short
            reading.facts.append(replace(unclear, kind=short))
        elif (
            len(supposed_shares := {f.kind for f in case.supposed if f.kind in _SHARE_KINDS_OF_1D})
            == 1
        ):
            # "我而家加到35%喇" after "如果我香港公司佔三成呢": the share the what-if changed
            reading.facts.append(replace(unclear, kind=supposed_shares.pop()))
        elif case.current("ownership") == "hk_resident" and not pending:
            # "那如果是50%呢？" after a resident's two shares: which one is never guessed
            case_flow.save(session, case)
            return _which_share(unclear)
        elif _owner_or_supposed(case) in ("hk", "hk_planned") and not pending and not reading.facts:
            # "我佔60%" with the Hong Kong company owning the factory: a person's shares of
            # it are no condition of that company's link (W7, W9)
            reading.asks.add("verdict")
            reading.person_share_of_owner = unclear.value
        elif (
            case.places()
            and case.current("ownership") is None
            and not pending
            and not reading.facts
            and not reading.asks
        ):
            # "我佔60%" with no owner told yet: a share of which company is for the owner
            # question to settle, asked first
            return case_flow.ask(dialogue, session, case, "ownership", Reply("eligibility"))
    if (
        _SINCE_WHEN.search(folded_text)
        and reading.of("place")
        and all(f.kind in ("place", "premises") for f in reading.facts)
        and not reading.of("day")
    ):
        # "湛江邊一年開始得？": since when the place was covered (the nine PRD cities first,
        # all of Guangdong from the extension): the place's membership says it
        reading.asks.discard("verdict")
        reading.asks.add("prd")
    prd_list = bool(
        _PRD_WORD.search(folded_text)
        and _WHICH_CITIES.search(folded_text)
        and all(f.kind == "place" and f.value == "cn-gd" for f in reading.facts)
    )
    if prd_list:
        # "list of guangdong cities that are in the PRD?", "廣東邊幾個城市屬於珠三角？":
        # the nine cities (footnote 3); the province named is no factory's place
        reading.facts = []
        reading.asks -= {"verdict", "prd"}
    if (
        session.last_fact == "faq-prd-nine-cities"
        and reading.of("place", STATED)
        and all(f.kind == "place" for f in reading.facts)
        and (len(folded_text) <= 24 or _ONE_OF_THEM.search(folded_text))
    ):
        # "is Qingyuan one of them?", "is Shanwei one?", "Zhanjiang?" after the nine cities
        reading.asks.add("prd")
    if "prd" in reading.asks and not reading.asks & (
        ESTIMATE_ASKS | {"verdict", "person", "leave"}
    ):
        # "Is Shaoguan in the PRD?": the place's membership, not the case's verdict again; a
        # place asked about is not thereby the factory's, unless the factory is said to be
        # there ("Factory in Meizhou, is that part of the PRD?")
        if reading.of("premises", STATED) and reading.of("place", STATED):
            case_flow.merge(case, reading)
        case_flow.save(session, case)
        return _prd_membership(dialogue, session, case, reading)
    if (
        _VAGUE_AMOUNT.search(folded_text)
        and not reading.of("cost")
        and not reading.asks - ESTIMATE_ASKS
        and not reading.states_case_facts
    ):
        # "成本大約係幾十萬左右": a cost, but no figure to work with; one is asked
        case_flow.merge(case, reading)
        case_flow.save(session, case)
        reply = Reply("subsidy").add(
            T("I need a number to work out a figure; a rough one is fine.")
        )
        return case_flow.ask(dialogue, session, case, "cost", reply)
    figures = session.outcomes.get("subsidy") or {}
    if _WHY_WORD.search(folded_text) and reading.of("cost") and figures:
        # "why only 15k" after an estimate: the figure shown, asked about; no new cost
        shown = {
            Decimal(str(figures[key]))
            for key in ("government", "cap", "factory")
            if figures.get(key) is not None
        }
        if all(_amount(f.value) in shown for f in reading.of("cost")):
            reading.facts = [f for f in reading.facts if f.kind != "cost"]
            reading.asks.add("estimate")
    if reading.has("ask.share_needed") or (
        reading.has("ask.share_enough") and "%" in fold(reading.text) and not reading.of("cost")
    ):
        # "那香港公司占多少股份才行": the shares a link needs, asked; nothing is held yet
        reading.facts = [f for f in reading.facts if f.kind not in _SHARE_KINDS]
        case_flow.save(session, case)
        return share_needed(dialogue, session, case)
    if session.search.get("query") and _BACK_TO_RESULTS.match(fold(reading.text).strip()):
        from bot.core.flows import guides

        # "返回", "back", the button's own label typed: the results again, not an exit
        back = guides.on_tap(
            dialogue,
            session,
            Tapped(session.generation, "more", str(session.search.get("offset", 0))),
        )
        if back is not None:
            case_flow.save(session, case)
            return back
    if reading.hk_company_closing:
        case.add(Fact("hk_company_closing", True, STATED, case.turn, reading.text[:40]))
    if case.current("hk_company_closing") and (
        reading.hk_company_closing
        # "can we still apply after that?", "之後仲可唔可以申請？": whether, not how long
        or (
            _AFTER_THAT.search(fold(reading.text))
            and _APPLY_STILL.search(fold(reading.text))
            and len(fold(reading.text)) <= 40
        )
    ):
        # "we plan to deregister the HK company… can we still apply after that?": no
        # applicant then (W7, W9); the answer for today is the case's as it stands
        case_flow.save(session, case)
        return _no_applicant_after_closing(dialogue, session, case)
    if "exit" in reading.asks:
        case_flow.save(session, case)
        session.start(None)
        return menu.welcome(dialogue, session, cancelled=True)
    if session.handoff.get("paused"):
        from bot.core.flows import handoff

        resumed = handoff.resume(dialogue, session, reading.text, reading, pending)
        if resumed is not None:  # "continue", "13800138000": back to the form left for a question
            case_flow.save(session, case)
            return resumed
    if session.handoff.get("offered_before"):
        from bot.core.flows import handoff

        begun = handoff.name_after_offer(dialogue, session, reading)
        if begun is not None:  # "陈先生" after a question asked beside the offer
            case_flow.save(session, case)
            return begun
    if not reading.facts or all(f.kind == "place" for f in reading.facts):
        from bot.core.flows import handoff

        begun = handoff.name_and_phone(dialogue, session, reading.text, phone_alone=pending is None)
        if begun is not None:  # "Chan Tai Man, 9123 4567": a call back, so the form
            case_flow.save(session, case)
            return begun
    if "leave" in reading.asks:  # "我想留低查詢": the form at once
        from bot.core.flows import handoff

        case_flow.save(session, case)
        return handoff.begin_form(dialogue, session)
    if (
        reading.place_suggested
        and pending not in ("place", "place_choice")
        and "verdict" not in reading.asks
        and not _place_alone(reading)  # "朝陽呢？": a place asked about, whatever it is
        # "顺得" alone: a slip for a place, the whole message
        and fold(reading.place_words).strip() != fold(reading.text).strip(" ?？!！。.")
        and not reading.of("premises", STATED)  # "shenzen factory ok?": the factory's place
        and not reading.places_added  # "and one in Shenzen too": one more factory's place
    ):
        # A "did you mean" guess from words typed for another question ("Chan Tai Man"
        # at the cost prompt) is no place the user named.
        reading.place_choice = ()
    if looks_like_code(reading.text) and not reading.facts:
        # "SELECT * FROM tickets;--", "{{7*7}}": no question, and no search of the guides
        case_flow.save(session, case)
        reply = Reply("out_of_scope").add(
            T(
                "That looks like computer code rather than a question. Please ask in your own words, for example about your factory, a subsidy or a guide."
            )
        )
        return menu.off_topic(dialogue, session, reply)
    if (
        session.flow == "guides"
        and not reading.asks & (ESTIMATE_ASKS | OTHER_ASKS | {"verdict"})
        and not reading.of("ownership")  # "日本公司自己喺肇慶開廠又點？": a case, not a search
        # "厂在惠州博罗" after a search the first message made: the factory told, no topic
        and not (
            reading.of("place")
            and not reading.of("process")
            and not names_a_guide_topic(fold(reading.text))
        )
    ):
        # Typed after "Practical guides": a search, even when it names a place or process
        # ("spray painting workshop in Hong Kong VOC").
        reading.asks.add("guides")
    if (
        session.last_ask == "hotline"
        and len(fold(reading.text)) <= 30
        and _OFFICE_WORD.search(fold(reading.text))
        and not reading.asks
    ):
        reading.asks.add("hotline")  # "and shenzhen office?" after the hotline's number
    if session.last_ask == "hotline" and (
        _place_alone(reading)
        # "ok the hong kong one then": that place's line
        or (
            {f.kind for f in reading.facts} <= {"place"}
            and (reading.of("place") or reading.place_choice)
            and _THE_ONE.search(fold(reading.text))
        )
    ):
        # "深圳呢？" after the hotline's number: that place's number, not its verdict
        reading.facts = [f for f in reading.facts if f.kind != "place"]
        reading.place_choice = ()
        reading.asks.add("hotline")
    if (
        reading.link_denied
        and not reading.asks
        and not reading.facts
        and case.places()
        and (session.outcomes.get("eligibility") or {}).get("status") == "not_eligible"
    ):
        # "冇簽加工合同，係普通買賣" after "no": the verdict stands, said again
        reading.asks.add("verdict")
    if reading.link_denied and not reading.asks and case.current("ownership") in NOT_HK_OWNERS:
        # "we have a HK office but no contract with the factory" after a Singapore owner:
        # the verdict again, with the links a Hong Kong company would need
        reading.asks.add("verdict")
    if "office" in reading.asks and not case.current("premises"):
        # "Can the office apply?" with no factory said yet: whether the company has one
        reading.facts.append(Fact("premises", "none", STATED, case.turn, "office"))
    if (
        case.current("hk_company") == "none"
        and not reading.of("ownership")
        and _SET_ONE_UP.search(fold(reading.text))
    ):
        # "what if we set one up" after "no HK entity": the Hong Kong company, planned
        reading.facts.append(Fact("ownership", "hk_planned", STATED, case.turn, "set one up"))
    if reading.hk_branch and case.current("ownership") == "hk":
        reading.hk_branch = False  # a Hong Kong company said before: its branch is its own
        reading.facts = [f for f in reading.facts if f.kind != "hk_company"]
        reading.asks.add("verdict")  # the answer stands, said again
    elif any(f.value == "hk" for f in reading.of("ownership", STATED)) and (
        reading.hk_branch
        or (
            _branch_is_the_company(case)
            and not reading.of("hk_company")
            # "如果改由香港嗰間子公司…" after "分公司": a subsidiary is a company of its own
            and not _SUBSIDIARY.search(fold(reading.text))
        )
    ):
        # "分公司同工厂有加工合同" after "美国公司在香港有分公司": whether that branch is the
        # applicant the rules ask for, the sources do not settle; for staff to check
        reading.hk_branch = True
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "unsure", STATED, case.turn, "branch"))
    claimed = [f for f in reading.of("cap_claimed") if not reading.of("cost")]
    if claimed:
        # "isn't the demo cap 300k?": the caps are asked; the amount is no cost
        reading.facts = [f for f in reading.facts if f.kind != "cap_claimed"]
        reading.asks = (reading.asks - {"estimate"}) | {"caps"}
    _company_had_is_no_owner(case, reading)
    left = {f.value for f in case.facts if f.kind == "moved_from" and f.polarity == STATED}
    named = [f for f in reading.of("place", STATED) if f.value in left]
    if named and "verdict" in reading.asks and reading.of("day") and not reading.what_if:
        # "could we have applied in 2012 for the Nanshan site?" after a move from Nanshan:
        # that site on that day, answered as put; the factory now is still the new site
        reading.what_if = True
    elif named and _IN_THE_PAST.search(fold(reading.text)) and not reading.what_if:
        # "我哋2012年喺沙井做過示範項目，而家清遠間廠…": the site left, named for what was
        # done there; no factory of the case now
        reading.facts = [f for f in reading.facts if f not in named]
    planned_here = case.current("item") == "assessment" or (
        (case.current("cost") or {}).get("item") == "assessment"
    )
    if (
        reading.of("repeat")
        and planned_here
        and not reading.of("last_assessment")
        and not case.current("last_assessment")
        and any(isinstance(f.value, dict) and f.value.get("shifted") for f in reading.of("day"))
    ):
        # "两年后我想再做一次评估可以吗" after pricing an assessment: the one just priced is
        # the last one, done in the year the case is about (W5's five years run from it)
        year = case_flow.decision_day(dialogue, case).year
        reading.facts.append(
            Fact("last_assessment", {"year": year}, STATED, case.turn, "priced here")
        )
    if _SUBSIDIARY_OWNS.search(fold(reading.text)) and _PARENT_APPLIES.search(fold(reading.text)):
        case.add(Fact("link_holder", "subsidiary", STATED, case.turn, reading.text[:40]))
    if (
        reading.held_personally
        and "hk_resident" not in case.denied("ownership")
        and not case.current("owner_not_resident")
    ):
        # "唔係通過公司，係我老婆個人入股": a person's holding, which only a resident's
        # shares could link (1(d)); asked, not refused before they are known
        reading.facts.append(Fact("ownership", "hk_resident", STATED, case.turn, "personally"))
    if _COUNTS_AS_A_LINK.search(fold(reading.text)) and case.current("ownership") == "hk":
        # "咁係咪當合資？" after "bought 60% of a factory": the link it is, said with the
        # verdict (W9 sets no share for a venture)
        reading.link_in_question = True
        reading.asks.add("verdict")
    if reading.resident_switched:
        # "he has 49%, the other 51% is his wife, also HK resident": the link is checked
        # through her now; what was said of the first person's holdings is not hers
        for kind in ("resident_is", "holder_said", "holder_word", *_RESIDENT_SHARES):
            if not reading.of(kind):
                case.forget(kind)
    else:
        _shares_by_holder(case, reading)
    others_shares = reading.of("share_other_holder")
    if others_shares:
        # "my wife holds another 20%": not the resident's; the verdict stands, with the rule.
        # "其實嗰60%係佢老婆持有": the resident's share of that company is unknown again.
        for withdrawn in reading.of("share_withdrawn"):
            kinds = [withdrawn.value]
            if withdrawn.value.startswith("value:"):  # "that 60%": the share said at that figure
                figure = withdrawn.value.removeprefix("value:")
                kinds = [k for k in _SHARE_KINDS if case.current(k) == figure]
            for kind in kinds:
                if (held := case.current(kind)) is not None:
                    # "he transferred 15% … so he has 45% now": what he held, for "…back?"
                    case.add(
                        Fact(
                            "share_before",
                            {"kind": kind, "value": str(held)},
                            STATED,
                            case.turn,
                            "",
                        )
                    )
                case.forget(kind)
        # "我老婆佔間廠六成，我哋香港公司係我一個人嘅": shares of other holders are link
        # 1(d)'s talk; a Hong Kong company said beside them is the resident's, not the owner
        # ("香港公司佔合資企業三成" beside them: the company's own joint venture, 1(a))
        owner_kept = reading.hk_company_stake
        reading.facts = [
            replace(f, value="hk_resident")
            if f.kind == "ownership" and f.value == "hk" and not owner_kept
            else f
            for f in reading.facts
            if f.kind not in ("share_other_holder", "share_withdrawn", "ownership", "hk_company")
            or (f.kind == "ownership" and f.value in ("hk", "hk_resident") and f.polarity == STATED)
            # "内地公司，我爸持有70%，香港公司是我100%持有", "其他係大陸股東": the owner is
            # still to be said (a Mainland owner beside persons' shares leaves a link to ask)
            or (
                f.kind == "ownership"
                and f.value in ("unclear", "mainland")
                and f.polarity == STATED
                and not reading.of("ownership", DENIED)
            )
        ]
        if (
            not reading.of("ownership")
            and case.current("ownership") is None
            and (reading.of("share_mainland") or reading.of("share_hk_company"))
            and (case.current("resident_is") or any(f.kind == "resident_is" for f in reading.facts))
        ):
            # "佢係惠州人佔51%，我香港人佔49%": the resident's own shares, link 1(d) decides
            reading.facts.append(Fact("ownership", "hk_resident", STATED, case.turn, "shares"))
        reading.asks.add("verdict")
    company_shares_moved = (
        ("share_transfer" in reading.asks or reading.what_if)
        and case.current("ownership") == "hk"
        and {f.value for f in reading.of("ownership")} <= {"hk", "hk_resident", "hk_planned"}
        and not reading.of("ownership", DENIED)  # "the HK company sells its stake": its link
        and bool(_SHARES_WORD.search(fold(reading.text)))
        and not _FACTORY_SHARES.search(fold(reading.text))
        and not reading.of("share_mainland")
        and not reading.of("share_hk_company")
        and not reading.of("place")
    )
    if company_shares_moved:
        # "如果我將香港公司嘅股份轉俾我個仔呢？" after a joint venture: the company's own
        # link to the factory stands, whoever holds the company's shares
        reading.facts = [f for f in reading.facts if f.kind not in _OWNER_TALK]
        reading.asks.discard("share_transfer")
        reading.asks.add("verdict")
    if (
        "share_transfer" in reading.asks
        and case.current("ownership") == "hk_resident"
        and not reading.of("share_mainland")
        and not reading.of("share_hk_company")
    ):
        # "如果他把太太的股份转过来呢？": only the resident's own shares count; which
        # company's shares move, and what he then holds, is asked, never guessed
        case_flow.merge(case, reading)
        reply = Reply("eligibility")
        _others_shares_note(dialogue, case, reply)
        short = _share_short(dialogue, session, case) or "share_hk_company"
        reply.add(T("After a transfer, what counts is the share the resident then holds."))
        return case_flow.ask(dialogue, session, case, short, reply)
    if "share_needed" in reading.asks:
        reading.asks.add("verdict")  # the shares link 1(d) needs, then the verdict again
    # "为什么一定要一个人？", "合起来不行吗？": the rule of one person's own shares, again
    one_person_asked = bool(_ONE_PERSON_ASKED.search(fold(reading.text))) and (
        case.current("ownership") == "hk_resident"
    )
    if one_person_asked:
        reading.asks.add("verdict")
    if case.current("nominee") and not reading.nominee:
        # after "名义上是表弟持股": the resident's shares said next do not settle who holds
        # the enterprise; staff still check (the sources say nothing of nominees)
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value in ("hk_resident", "unclear"))
        ]
    answered = case_flow.take_answer(case, reading, pending)
    cost_before = case.current("cost") or {}
    repriced = bool(reading.of("units")) and bool(cost_before.get("unit_price"))
    repriced = repriced or (bool(reading.of("rate")) and cost_before.get("currency") == "RMB")
    focus = _factory_referred(session, case, reading)
    paired = _costs_by_factory(case, reading)
    if paired and all(p in case.places() for p, _ in paired):
        # the places point at the case's factories: they replace none of them
        reading.facts = [f for f in reading.facts if f.kind != "place"]
    if focus is None and not reading.of("place") and reading.of("ownership"):
        # "佢個人獨資" answering who owns the one factory of several asked about last, whose
        # owner was said apart from the others': that factory's owner
        last = (session.outcomes.get("eligibility") or {}).get("place_id")
        if last in case.places() and any(f.about == last for f in case.facts):
            focus = last
    owners = _owners_by_factory(dialogue, session, case, reading) if focus is None else []
    if owners:
        # "虎門嗰間係香港公司獨資，龍華嗰間唔太清楚": each factory's owner is its own
        reading.facts = [
            f for f in reading.facts if f.kind not in _OWNER_KINDS and f.kind not in _RESIDENT_SHARES
        ]
        reading.asks.add("verdict")
    case_flow.merge(case, reading, about=focus)
    for place_id, facts in owners:
        for fact in facts:
            case.add(replace(fact, about=place_id))
    if paired:
        # "東莞嗰間成本60萬；清遠嗰間成本100萬，各自資助幾多？": each factory its figure
        case_flow.save(session, case)
        return _estimates_by_factory(dialogue, session, case, paired)
    if focus is not None and not reading.of("cost"):
        _cost_of_factory(session, case, focus)
    if repriced:
        # "如果買15部呢", "按汇率1人民币=1.08港币算呢": the estimate for the cost now
        reading.asks.add("estimate")
    tech_supposed = (
        reading.what_if
        and bool(reading.of("tech_origin"))
        and not reading.asks & ESTIMATE_ASKS
        and not reading.asks & {"verdict", "person", "leave"}
    )
    if tech_supposed:
        # "如果係港大研發嘅技術呢？": the cap for that technology, or the estimate with it
        reading.asks.add("estimate" if case.current("cost") else "caps")
    match = (
        None if company_shares_moved or tech_supposed else _fact_match(dialogue, reading, session)
    )
    if match is not None and reading.what_if and reading.of("ownership"):
        match = None  # "what if our HK office registers a company?": the case, not the FAQ
    if (
        len(session.outcomes.get("projects", [])) >= 2
        and _TOTAL_ASKED.search(fold(reading.text))
        and _MONEY_ASKED.search(fold(reading.text))
        and not reading.u.amounts
        and not _PROGRAMME_MONEY.search(fold(reading.text))
    ):
        # "total subsidy?" after two projects priced: their total, not the programme's budget
        match = None
        reading.asks.add("estimate")
    if (
        match is None
        and session.last_fact in _STATS_ENTRIES
        and reading.of("day")
        and all(f.kind == "day" for f in reading.facts)
        and len(folded_text) <= 16
    ):
        # "到2017年呢？" after the figures to October 2012: the later figures (W13)
        from bot.core.fact_questions import entry_match

        match = entry_match("faq-participation-totals", "$count 2017")
    if (
        match is not None
        and match.entry_id in _STATS_ENTRIES
        and _HOW_MANY.search(folded_text)
        and all(f.kind in ("day", "phase") for f in reading.facts)
    ):
        # "截至2012年計劃批咗幾多宗申請？": the programme's figures, not a verdict on a day
        reading.asks.discard("verdict")
        reading.facts = []
    if (
        match is not None
        and reading.of("day")
        and all(f.kind in ("day", "phase") for f in reading.facts)
        and len(fold(reading.text)) <= 30
        and session.last_ask in ("verdict", "estimate")
        and case.places()
    ):
        # "and in 2028?", "what about 1 April 2027?" after the case's answer: that answer
        # on that day, not the phase's FAQ
        match = None
    if (
        match is not None
        and _AFTER_THAT.search(folded_text)
        and _APPLY_STILL.search(folded_text)
        and len(folded_text) <= 40
        and not reading.facts
        and session.last_ask == "verdict"
        and case.places()
    ):
        # "搬咗之後仲可唔可以申請？", "到期之後仲得唔得？" after the case's answer: the
        # case as changed (the move, the contract ended), not a phase's FAQ
        match = None
        reading.asks.add("verdict")
    if prd_list:
        from bot.core.fact_questions import entry_match

        match = entry_match("faq-prd-nine-cities", "$prd_list")
    if _PLACES_COVERED.search(folded_text) and not reading.states_case_facts:
        # "Which places were covered in 2009?": who could apply where, in that day's phase
        match = _coverage_entry(dialogue, case, reading)
        if match is not None:
            reading.asks.discard("verdict")  # the places, not a factory's verdict
    if (
        match is not None
        and (
            match.entry_id in ("faq-why-caps-raised", "faq-undated-caps", "faq-reductions-typical")
            or _asks_what_it_is(match, reading)
        )
        and not reading.of("cost")
    ):
        # "Why did they raise the demo cap?": the reason; "DP(ii) 上限幾多？": the undated
        # page that names DP(ii)
        reading.asks -= {"caps", "estimate"}
    if (
        case.current("repeat")
        and not reading.asks
        and _WHEN.search(fold(reading.text))
        and _AGAIN_ASKED.search(fold(reading.text))
    ):
        # "when can we reapply then?" after another assessment was asked about: W5's
        # years, counted from the last one
        reading.asks.add("estimate")
        match = None
    association_in_hk = (
        reading.facts
        and all(f.kind == "place" and f.value == "hk" for f in reading.facts)
        and not reading.u.amounts
    )
    if (
        (match is None and "verdict" in reading.asks and not reading.of("place"))
        or association_in_hk
    ) and _ASSOCIATION_APPLIES.search(fold(reading.text)):
        # "we're a trade association, can we apply?", "Our trade association in HK wants to
        # run a project, any funding?": what the sources say of associations; "in HK" is
        # where the association is, no factory's place
        from bot.core.fact_questions import entry_match

        match = entry_match("faq-undated-caps", "$association")
        reading.asks.discard("verdict")
        reading.facts = []
    if reading.hk_company_needed_asked and not reading.states_case_facts:
        # "係咪要香港公司先得？": the applicant's registration, as the rules say it
        from bot.core.fact_questions import entry_match

        match = entry_match("faq-guideline-applicant-registration", "$hk_company_needed")
    if (
        match is not None
        and case.current("link_holder") == "relative"
        and _WHICH_COMPANY.search(folded_text)
        and len(folded_text) <= 30
    ):
        match = None  # "咁邊間公司申請？" with the link a relative's company's: the case
        reading.asks.add("verdict")
    follow = _phase_follow_up(dialogue, session, reading, folded_text)
    if follow is not None:
        # "and the 2015 one?", "the one before that" after a phase's answer: that phase's
        match = follow
        reading.asks.discard("verdict")
    elif _PREVIOUS_PHASE.search(folded_text) and not reading.states_case_facts:
        # "上一期是什么时候？": the phase before today's, by the dates, not today's again
        match = _previous_phase_entry(dialogue, case, reading) or match
    if (
        session.last_fact
        and all(f.kind == "phase" and f.value == "today" for f in reading.facts)
        and _STILL_NOW.search(fold(reading.text))
        and (match is None or match.entry_id == session.last_fact)
        and dialogue.kb is not None
        and (unit := dialogue.kb.unit(session.last_fact)) is not None
        and len(
            items := [t for t in unit.tags if t in ("assessment", "demonstration", "verification")]
        )
        == 1
    ):
        # "is it still available now?" after what verification is: that item, today
        reading.facts.append(Fact("item", items[0], STATED, case.turn, reading.text[:40]))
        reading.asks.add("estimate")
        match = None
    if match is None and session.last_fact and _how_much_alone(reading):
        # "how much was it?" right after "Did the extension need LegCo approval?"
        match = how_much_after(session.last_fact)
        if match is not None:
            reading.asks -= ESTIMATE_ASKS  # the figure asked is that entry's, not an estimate
    why_asked = False
    other_way = (
        bool(_OTHER_WAY.fullmatch(folded_text.strip(" ?？!！。.")))
        and (
            (session.outcomes.get("eligibility") or {}).get("status") == "not_eligible"
            # "那我们怎么办" at the owner question after "我们是台湾公司": the links, in full
            or str((session.outcomes.get("eligibility") or {}).get("reason", "")).startswith(
                "ownership"
            )
        )
        and bool(case.places())
    )
    if reading.near_places and case.places() and not reading.asks - {"verdict"}:
        # "but it's only 20km from the Guangdong border, still no?": the verdict again
        match = None
        reading.asks.add("verdict")
    if len(case.places()) > 1 and _WHICH_OF_THEM.search(folded_text):
        # "咁依家邊幾間可以申請？", "which of them can apply?": each factory's verdict, not the
        # phase's FAQ
        match = None
        reading.asks.add("verdict")
    if other_way:
        # "那有什么别的办法吗？" after a "no": the links that would qualify, in full, and a
        # person to look at the case; not a guide search for 方法
        match = None
        reading.asks = {"verdict", "person"}
    if (
        all(f.kind == "item" for f in reading.facts)  # "why only demo?": its item named
        and not reading.asks - {"verdict"} - ESTIMATE_ASKS
        and len(fold(reading.text)) <= 24
    ):
        if _WHY_ALONE.fullmatch(fold(reading.text).strip(" ?？!！。.")) and (
            case.places() or case_flow.named_year(case) is not None
        ):
            match = None
            why_asked = bool(_WHY_WORD.search(folded_text))
            if session.last_ask == "estimate" and case.current("cost"):
                reading.asks.add("estimate")  # "點解咁少？" after a figure: its terms again
                why_asked = False
            else:
                reading.asks.add("verdict")  # "點解？" after a verdict: its reasons again
        elif _when_in_a_gap(dialogue, case, reading):
            reading.asks.add("verdict")  # "咁幾時先得？" on a day between phases
            match = None
    if match is not None and "verdict" in reading.asks and _when_in_a_gap(dialogue, case, reading):
        # "咁幾時先可以再申請？" after a day no phase covers: when the next one opens (the
        # no-phase lines name it), not the rule on repeat assessments
        match = None
    if others_shares or "share_needed" in reading.asks:
        match = None  # "加埋45%" is no question about the programme's totals
    if reading.phase_in_turn:
        match = None  # "之後呢？" after a cap: the next phase's cap, not the FAQ on "after"
    if (
        session.outcomes.get("caps_shown")
        and (reading.of("day") or reading.of("phase"))
        and all(f.kind in ("day", "phase") for f in reading.facts)
        # an item of a repeat asked about earlier is no estimate waiting: still the caps
        and (not case.current("item") or case.current("repeat"))
        and len(fold(reading.text)) <= 30
    ):
        # "2013?", "and in the extension?" after the caps: that day's or phase's caps
        reading.asks.add("caps")
        match = None
    if (
        match is not None
        and match.entry_id == "faq-payment-timing"
        and session.last_ask == "estimate"
        and reading.u.has("howmuch")
        and case.current("cost")
    ):
        # "how much do we pay then?" after an estimate: the factory's part, not when
        match = None
        reading.asks.add("estimate")
    if (
        match is not None
        and match.entry_id == "faq-eligibility-later-phases"
        and case.current("repeat")
        and len(fold(reading.text)) <= 20
    ):
        # "需要满足什么条件？" after another assessment was asked about: the repeat rule's
        match = None
        reading.asks.add("estimate")
    if (
        match is not None
        and match.entry_id == CURRENT_PHASE
        # "which phase is it now?" with a factory said: the phase, not the verdict again
        and not _WHICH_PHASE_NOW.search(fold(reading.text))
        and (
            (case.places() and _WE_OR_IT.search(fold(reading.text)))
            # "咁而家可唔可以申請住？" with a company still to register: the case's answer
            or (case.places() and case.current("ownership") == "hk_planned")
            # "那还能申请吗？"; not "呢個計劃而家仲有冇？", which asks of the programme
            or (
                case.places()
                and len(fold(reading.text).strip()) <= 10
                and not reading.has("programme")
            )
            or reading.has("industry.named")
        )
    ):
        # "so can we still apply?" with a factory said: its verdict on the day; "We make
        # plastic toys, can we still apply?": the verdict with the phase's sectors
        match = None
        reading.asks.add("verdict")
    if (
        match is not None
        and match.entry_id in (TECHNOLOGY_LIST, verdict_words.PRIORITY_SECTORS)
        and session.flow == "guides"
        and session.search.get("ids")
        and not reading.facts
        and len(fold(reading.text).strip()) <= 12
    ):
        # "有什么技术", "喷涂行业的" right after VOC guides: more of those guides
        match = None
        reading.asks.add("guides")
    if "caps" in reading.asks and reading.has("ask.funded_items"):
        match = None  # "能申請哪些項目？": the phase's items and caps answer it
        # a case to decide: its verdict names the items open to it; a place still to
        # choose ("沙田": Hong Kong's or Dongguan's) decides them, so it is asked again
        if _CAP_NAMED.search(fold(reading.text)) and session.last_ask == "verdict":
            pass  # "而家有咩資助？上限幾多" after the verdict: the caps, not the verdict again
        elif case.places() or case.current("place_choice"):
            reading.asks.discard("caps")
            reading.asks.add("verdict")
    estimating = bool(case.current("cost") or case.current("item"))
    wants = _wants(session, reading, pending, answered, match, estimating)
    if focus is not None:  # which factory the answer is for, and its verdict, first
        wants.add("verdict")
        if session.last_ask == "estimate":
            wants.add("estimate")
    rules_answer = bool(reading.asks & ESTIMATE_ASKS) and (
        reading.u.item is not None or reading.has("estimate")
    )
    if (
        match is not None
        and match.entry_id.startswith(
            (
                "faq-budget",
                "faq-targets",
                "faq-demonstrations-per-year",
                "faq-undated-caps",
                "faq-reductions-typical",
            )
        )
        and not reading.of("cost")
    ):
        rules_answer = False  # "示范项目占多少预算？": the programme's budget, no estimate
    dated = bool(reading.of("day")) and "verdict" in reading.asks  # "2030年仲申請唔申請到？"
    # "can we get the on-site audit?" about a factory already said: its item, not an FAQ
    item_of_case = bool(reading.of("item")) and bool(case.places()) and len(reading.text) <= 60
    if match is not None and match.entry_id in (SUBSIDY_BACK, ABOVE_CAP):
        # "之前做嘅示範項目使唔使退錢？", "如果评估超过上限，超出部分谁付？": the rule asked,
        # not the item's estimate again
        item_of_case = False
    # "我们2018年做过评估，现在想再做一次": the year to weigh is the user's, so the case
    dated_repeat = bool(case.places()) and any(
        (f.value or {}).get("year") for f in reading.of("last_assessment")
    )
    if reading.phases_compared:
        match = None  # "邊期資助最多？": every phase's caps, not one phase's entry
    if (
        match is not None
        and {"verdict", "estimate"} <= reading.asks
        and len([c for c in re.split(r"[?？]", fold(reading.text)) if c.strip()]) >= 2
    ):
        # "能申请吗？多少钱？找谁？": the case's own questions, each answered, not one
        # programme entry for the first
        match = None
    plain = not (
        reading.states_case_facts
        or reading.of("cost")
        or rules_answer
        or dated
        or item_of_case
        or dated_repeat
    )
    # "What did the 2012 paper say about workshops?": about a source, not the user's case.
    # "Any case studies of HK workshops…?", "how many demo projects were funded so far?":
    # about the programme's record, whatever the case
    about_a_source = match is not None and (
        "$paper_says" in match.pattern or bool(_RECORD_ASKED.search(fold(reading.text)))
    )
    if match is not None and not answered and (plain or about_a_source):
        wants = set()  # a plain programme question: the FAQ answers it, not the case
    reply = Reply(_intent(reading, wants, match))
    question: tuple[str, tuple[str, ...]] | None = None
    if reading.smalltalk:
        menu.small_talk(dialogue, session, reading.smalltalk, reply)
    if reading.relatives_company and reading.of("hk_company"):
        # "我老婆有另一間香港公司，可唔可以用佢間公司申請？": that company's own link decides
        reply.add(
            T(
                "That company can apply only if it has its own link to the factory: a joint venture or co-operative enterprise with it, sole ownership as its wholly foreign-owned enterprise, or a processing contract with it."
            )
        )
    if reading.resident_switched:
        reply.add(
            T(
                "The other holder is a Hong Kong resident too and holds more than half of the Mainland enterprise, so the resident's link is checked through that person."
            )
        )
    elif (others_shares and not reading.hk_company_stake) or one_person_asked:
        _others_shares_note(dialogue, case, reply)
    if reading.person_share_of_owner is not None:
        reply.add(
            T(
                "What counts here is the Hong Kong company's own link to the factory. The sources set no condition on who holds that company's shares, so {share} held by a person does not change this answer.",
                share=verdict_words.percent(Fraction(reading.person_share_of_owner)),
            )
        )
    if company_shares_moved:
        reply.add(
            T(
                "What counts here is the Hong Kong company's own link to the factory: a joint or co-operative venture, sole ownership, or a processing contract. The sources set no condition on who holds that company's shares, so passing them to someone else does not change this answer, as long as the company stays registered in Hong Kong."
            )
        )
    for place_id in reading.moved_from:
        now = places.get(place_id)
        if not (now.in_guangdong or now.in_hong_kong):
            # "我们厂在湖南，想搬到广东清远": the answer is for the factory once moved
            reply.add(
                T(
                    "For now the factory is in {place}, outside Guangdong: this answer is for after the move.",
                    place=Local(now.name),
                )
            )
        elif _covered_before_the_move(dialogue, case, place_id):
            # "在韶关有厂，明年要搬到湖南郴州": today's place still counts until the move
            reply.add(
                T(
                    "Until the move the factory is in {place}, which is covered: this answer is for after the move.",
                    place=Local(now.name),
                )
            )
    if reading.tech_own:
        reply.add(
            T(
                "The higher cap is for a technology developed by a Hong Kong institution, or jointly by Guangdong and Hong Kong institutions; our sources do not say whether a company's own technology counts, so the figure uses the standard cap. Staff can check."
            )
        )
    if reading.hk_branch:
        reply.add(
            T(
                "The applicant must be a company registered in Hong Kong under the Business Registration Ordinance (Cap. 310). Our sources do not say whether the Hong Kong branch of a company from elsewhere counts: staff can check."
            )
        )
    if reading.offshore:
        reply.add(
            T(
                "Our sources name a wholly foreign-owned enterprise solely owned by the Hong Kong company; they say nothing about one held through another company, such as one in the BVI."
            )
        )
    if reading.nominee:
        reply.add(
            T(
                "Our sources count the shares a person holds; they say nothing about shares held in another person's name."
            )
        )
    for fact in claimed:
        _cap_claimed_note(dialogue, Decimal(fact.value), reply)
    if reading.buyers_place and not reading.of("place"):
        verdict_words.buyers_note(dialogue, case_flow.decision_day(dialogue, case), reply)
        reply.intent = "eligibility"
    found = case_flow.verdicts(dialogue, case) if wants & {"verdict", "estimate"} else []
    if focus is not None:  # "另一間呢？", "東莞嗰間…": that factory's verdict alone
        found = [v for v in found if v.place is not None and v.place.id == focus] or found
    if "verdict" in wants and reading.places_added and reading.of("place", STATED):
        found = case_flow.news_first(found, {f.value for f in reading.of("place", STATED)})
    elif focus is None and not reading.of("place") and len(found) > 1:
        # "係我哋香港公司自己開嘅" after "咁香港呢？我喺葵涌都有個廠": about the factory
        # answered last, not the first one said (澳門)
        last = (session.outcomes.get("eligibility") or {}).get("place_id")
        if last:
            found = case_flow.news_first(found, {last})
    no_rules = bool(found) and found[0].code in ("beyond_sources", "no_phase")
    caps_say_it = no_rules and bool(reading.asks & {"caps", "pay"})  # no verdict twice
    if _cap_alone_asked(case, reading) and found and found[0].code == "need_place_choice":
        # "verification cap 2017?" while "which Heshan?" waits: the cap is the phase's
        # wherever in Guangdong; a workshop's or an owner's question still comes first
        found = []
    if (
        "estimate" in wants
        and found
        and found[0].figure_waits
        and not caps_say_it
        and not _unsaid_item_asked(dialogue, case, found[0])
    ):
        wants.add("verdict")  # a figure waits for the deciding fact: ask it first
    if "verdict" in wants:
        if "office" in reading.asks and found and found[0].code != "need_own_factory":
            reply.add(OFFICES_NOT_FUNDED)  # said by need_own_factory itself otherwise
        before = len(reply.parts)
        case_flow.add_verdicts(dialogue, session, case, found, reply, whole=why_asked or other_way)
        if why_asked:
            _reason_first(reply, before)  # "why?": the reasons, not the headline again
        main = found[0]
        if (
            reading.what_if
            and main.code == "need_place"
            and any(f.value == "hk" for f in reading.of("ownership", STATED))
        ):
            # "如果找香港公司合资呢" with no place yet: that link is accepted; the place next
            link = link_named(fold(reading.text))
            if link is not None:
                verdict_words.link_accepted_line(link, reply)
        elif (
            main.status == "eligible"
            and main.phase is not None
            and main.phase.stated("ownership") == "links"
            and (
                reading.of("ownership", STATED)
                and percent_in(reading.text) is not None
                # "我佔香港公司100%": a person's shares, link 1(d), not the company's link
                and not reading.of("share_hk_company")
                and not reading.of("share_mainland")
                or reading.link_in_question
            )
        ):
            # "咁合資香港佔四成得唔得": the share asked about; the link said is what counts
            link = case.current("link") if reading.link_in_question else None
            link = link or link_named(fold(reading.text))
            if link is not None:
                verdict_words.link_accepted_line(link, reply)
        elif (
            main.status == "eligible"
            and main.phase is not None
            and main.phase.stated("ownership") == "links"
            and (reading.of("share_hk_company") or reading.of("share_mainland"))
            and main.reason.values.get("resident_met")
        ):
            # "開咗之後我佔香港公司100%，係咪得？": the shares supposed meet link 1(d)
            verdict_words.resident_met_line(main.phase, reply)
        if (
            "share_needed" in reading.asks
            and main.phase is not None
            and main.phase.stated("ownership") == "links"
            and not main.code.startswith("resident")
            and main.code != "ownership_resident"
        ):
            # "需要持股多少？" where no resident's link is talked about: the links, with
            # the shares link 1(d) needs
            verdict_words.links_line(main.phase, reply)
        if (
            case.current("link_holder") == "relative"
            and main.status == "eligible"
            and _WHICH_COMPANY.search(fold(reading.text))
        ):
            # "咁邊間公司申請？", "我間公司可唔可以申請？" when the contract is a
            # relative's company's: that company applies (W7, W9), not the speaker's
            reply.parts.insert(
                before,
                T(
                    "Only the Hong Kong company that holds the link to the factory can apply: from what you said, that is your relative's company, not yours."
                ),
            )
        if (
            case.current("link_holder") == "subsidiary"
            and main.status == "eligible"
            and (
                _WHICH_COMPANY.search(fold(reading.text))
                or _PARENT_APPLIES.search(fold(reading.text))
            )
        ):
            # "Parent wants to be applicant" when its HK subsidiary owns the WFOE: the
            # company holding the link applies (W7, W9), the subsidiary
            reply.parts.insert(
                before,
                T(
                    "Only the Hong Kong company that holds the link to the factory can apply: from what you said, that is the subsidiary that owns it, not its parent."
                ),
            )
        if main.code == "hk_workshop_unstated" and reading.has("ask.funded_items"):
            verdict_words.workshop_items_before(dialogue, main, reply)  # "可以申請啲咩？"
        if main.code == "hk_workshop_unstated" and "caps" in reading.asks:
            verdict_words.workshop_caps_before(dialogue, main, reply)  # "上限幾多？"
        named = [f.value for f in reading.of("process", STATED) if f.value in NAMED_PROCESSES]
        if (
            main.code == "hk_workshop_unstated"
            and named
            and not reading.of("place")
            and not reading.of("premises")
        ):
            # "用溶劑洗金屬零件都計？" after the workshop's answer: a process the sources
            # name for workshops (para 18), said first
            reply.parts.insert(
                before,
                T(
                    "Yes: {processes} is one of the polluting processes the sources name for Hong Kong workshops.",
                    processes=verdict_words.PROCESS_NAMES[named[0]],
                ),
            )
            reply.cite("para 18")
        if main.code == "outside_guangdong" and reading.near_places:
            # "离广东很近，也不行吗？": nearness is no place in Guangdong
            reply.add(
                T(
                    "Being close to {place} does not change this: what counts is where the factory is.",
                    place=Local(places.get(reading.near_places[0]).name),
                )
            )
        if main.code == "outside_guangdong" and any(
            f.value == "hk" for f in reading.of("ownership", STATED)
        ):
            # "但我们是香港注册公司" after "not in Guangdong": said why it changes nothing
            reply.add(
                T(
                    "Being a company registered in Hong Kong does not change this: what counts is where the factory is."
                )
            )
        if main.missing and not _programme_wide(case, reading, main.missing):
            question = (main.missing, ())
        elif main.missing == "place" and reading.of("day") and not reading.asks & {"caps", "pay"}:
            # "2026年12月呢", "仲申請唔申請到": the phase open that day first, then what its
            # sources leave open (which was all the reply said)
            added = len(reply.parts)
            verdict_words.phase_open_on(dialogue, case_flow.decision_day(dialogue, case), reply)
            opened = reply.parts[added:]
            del reply.parts[added:]
            # the verdict's own lines on that day's phase, said again in other words, go
            reply.parts[before:added] = [
                p
                for p in reply.parts[before:added]
                if getattr(p, "msgid", "") not in _DAY_PHASE_LINES
            ]
            reply.parts[before:before] = opened
        elif "estimate" not in wants and case.current("item"):
            _item_line(dialogue, case, found, reply)
        session.last_ask = "verdict"
    if wants & {"verdict", "estimate"} and reading.of("day"):
        # "是2020年做的": a year two phases share, each stretch with its phase
        _period_lines(dialogue, reading, reply)
    if "verdict" in wants and (reading.has("industry.named") or trade_named(reading.text)):
        if session.outcomes.get("sectors_listed"):
            verdict_words.trade_line(reading.text, reply)  # the sectors were listed already
        else:
            _sectors_note(dialogue, case, reading, reply)
            session.outcomes["sectors_listed"] = True
    if "estimate" in wants:
        question = _estimate(dialogue, session, case, reading, found, reply) or question
        session.last_ask = "estimate"
    if wants & {"verdict", "estimate"} and session.flow == "guides":
        # A case answered after a search: what follows ("2016年呢？") is about the case,
        # not another search. The results' buttons stay live (no new generation).
        session.flow, session.step = None, None
    fact = _fact_answer(dialogue, reading, match, wants, reply)
    if fact and match is not None and match.entry_id == verdict_words.PRIORITY_SECTORS:
        session.outcomes["sectors_listed"] = True  # a trade named next gets its line alone
    session.last_fact = match.entry_id if fact and match is not None else None
    if reply.intent == "hotline" or (match is not None and "hotline" in reading.asks):
        session.last_ask = "hotline"  # a bare place next asks for that place's number
    elif session.last_ask == "hotline":
        session.last_ask = None
    offered = "person" in reading.asks or reading.smalltalk in ("complaint", "anyone")
    if "hotline" in reading.asks and not offered and not fact:
        from bot.core.flows import handoff

        handoff.hotline_lines(dialogue, reply)
    if "hotline" in reading.asks and reading.other_channel:
        reply.add(
            T(
                "Our sources give no WhatsApp or WeChat contact for the programme: call the hotline, or ask here to be put in touch with staff."
            )
        )
    # "你哋點樣處理我嘅個人資料？" asks "how", but about the bot's keeping of data, not a
    # cleaner-production guide.
    if "guides" in reading.asks and not wants and not fact and "privacy" not in reading.asks:
        from bot.core.flows import guides

        found_guides = guides.search_into(dialogue, session, reading, reply)
        if found_guides:
            reply.intent = "search"
    if "privacy" in reading.asks:
        from bot.core.flows import handoff

        handoff.privacy_into(reply)
    if "person" in reading.asks and reading.smalltalk not in ("complaint", "anyone"):
        # (a complaint and "係咪真人？" are offered a person with their word back already)
        from bot.core.flows import handoff

        named = handoff.name_in_request(reading.text)
        given = handoff.details_in_request(session, reading.text)
        if len(given) > 1:
            # "我要找人工跟进，我叫王伟，电话…，公司是…": kept for the form, if one is left
            session.handoff.setdefault("known", {}).update(given)
        if named is not None and not reply.parts:
            # "actually yes, I want staff. name is Mary Chan": the form, with that name
            session.handoff.setdefault("known", {})["name"] = named
            case_flow.save(session, case)
            return handoff.begin_form(dialogue, session)
        handoff.offer_into(dialogue, session, reply)
    if "help" in reading.asks and not reply.parts:
        return menu.help_reply(dialogue, session)
    if not reply.parts and not wants and question is None:
        if reading.person_places and not reading.facts and not answered:
            # "我是深圳户口", "户口在长沙": where a person lives or is registered
            reply.intent = "eligibility"
            note_said = _PERSON_PLACE_NOTE
            if case.current("ownership") == "unclear":
                # "佢住深圳㗎" of a person's factory: a resident may live anywhere, and
                # whether the owner is one matters to link 1(d)
                note_said = _OWNER_PLACE_NOTE
            reply.add(note_said)
            if pending is None and case.places():
                case_flow.save(session, case)
                again = _after_facts(dialogue, session, case, {"verdict"})
                again.parts.insert(0, note_said)
                return again
        elif pending == "ownership" and not answered and _HK_OFFICE.search(fold(reading.text)):
            # "我们在香港有个办事处": an office says nothing of who owns the factory
            reply.intent = "eligibility"
            reply.add(
                T(
                    "An office in Hong Kong does not settle it by itself: what counts is whether a company registered in Hong Kong owns the factory, or is linked to it by a joint venture or a processing contract."
                )
            )
        elif pending is not None and not answered and not reading.asks and not _asks(reading):
            reply.add(NOT_READ.get(pending, NOT_READ["other"]))  # then the question again
        else:
            _fallback(dialogue, session, reading, reply)
    if (
        question is None
        and pending is not None
        and not answered
        and not wants
        and session.flow == "case"
    ):
        if session.reoffered != pending:
            question = (pending, ())  # the prompt again, after answering what was asked instead
            session.reoffered = pending
        else:
            _leave_case(session, reply)  # offered twice and not answered: the user has moved on
    if question is not None:
        case_flow.save(session, case)
        case_flow.ask(dialogue, session, case, question[0], reply, question[1])
        if question[0] != session.reoffered:
            session.reoffered = None
        return reply
    session.reoffered = None
    if session.flow == "case":
        _leave_case(session, reply)
    case_flow.save(session, case)
    _footer(dialogue, session, case, reply, wants)
    if reading.guide_clause and wants & {"verdict", "estimate"}:
        # "…幾多錢，同埋有冇指南教點樣減少VOC？": the guides after the other answers (a
        # question of ours still to answer comes first, alone: this is not reached then)
        from bot.core.flows import guides

        locale = session.locale_choice or reading.locale
        guides.also_into(dialogue, session, reading.guide_clause, locale, reply)
    return reply


_OFFICE_WORD = re.compile(r"办事处|办公室|分处|\boffices?\b|\bbranch\b|\bline\b|\bnumber\b")


# "上一期", "the previous phase": the one before the phase of the day asked about
_PREVIOUS_PHASE = re.compile(
    r"上一期|上期|前一期|上一个阶段|上个阶段|\b(?:previous|last|prior|earlier) phase\b"
    r"|\bphase before (?:this|the current)\b|^(?:and )?(?:the one|the phase) before\b"
)
# The entry that describes each phase; the later phases have one each by their id.
_PHASE_ENTRIES = {
    "2008-original": "faq-eligibility-original",
    "2013-extension": "faq-eligibility-extension",
}


# "咁邊間公司申請？", "can my company apply?": which company is the applicant
_WHICH_COMPANY = re.compile(
    r"边间公司|哪家公司|哪个公司|哪间公司|边个公司|\bwhich company\b|\bwho (?:should|can|would) apply\b"
    r"|我(?:间|的|嘅)?公司(?:可唔可以|可不可以|可以|能不能|能否|得唔得)|\bcan my company\b|\bmy company\b"
    r"|\bmy own (?:hk |hong kong )?(?:company|co)\b|用(?:我)?自己(?:间|的|嘅|家)?(?:香港)?公司"
)
_HOW_MANY = re.compile(r"\bhow many\b|几多|多少|几个|几间|几家|几宗")
# The programme's figures: results to October 2012 (para 4) and the later totals (W13)
_STATS_ENTRIES = frozenset(
    {
        "faq-results-oct-2012",
        "faq-participation-totals",
        "faq-reductions-overall",
        "faq-reductions-demonstration",
        "faq-energy-savings",
    }
)
# After a phase's answer: "and the 2015 one?", "2015嗰期呢", "the one before that"
_PHASE_ONE = re.compile(r"\bone\b|\bphase\b|期|呢\s*[?？]?\s*$|[?？]\s*$")
_BEFORE_THAT = re.compile(
    r"\b(?:the )?one before(?: that| it)?\b|\bbefore that\b|\bthe previous one\b"
    r"|之前(?:嗰|那|𠮶)期|再之前|前一期|再上一期"
)
_PHASE_ORDINAL = re.compile(
    # not "the third question", "第三个问题": a question of the user's, numbered
    r"\b(?:the )?(?:first|second|third|fourth|fifth|last|latest)(?: one| phase)?\b"
    r"(?!\s+(?:question|q\b|point|item|part|one i asked))"
    r"|第[一二三四五](?:期|阶段|(?:个|個)(?!问题|問題|问|問|点|點|项|項))|最新(?:嗰|那|一)?期|最后(?:嗰|那|一)?期"
)
# The phase each ordinal names, by its place in the rulebook (the last, or latest: -1)
_ORDINALS = {
    "first": 0,
    "second": 1,
    "third": 2,
    "fourth": 3,
    "fifth": 4,
    "第一": 0,
    "第二": 1,
    "第三": 2,
    "第四": 3,
    "第五": 4,
    "last": -1,
    "latest": -1,
    "最新": -1,
    "最后": -1,
}
# The answers that are about one phase, or about the phases as a whole (None)
_PHASE_TOPICS = {
    "faq-phases-dates": None,
    "faq-eligibility-original": "2008-original",
    "faq-eligibility-extension": "2013-extension",
    "faq-phase-2015-2020": "2015-2020",
    "faq-phase-2020-2025": "2020-2025",
    "faq-phase-2025-2027": "2025-2027",
}


def _phase_entry(phase_id: str) -> str:
    return _PHASE_ENTRIES.get(phase_id, f"faq-phase-{phase_id}")


def _phase_by_ordinal(phases: list[Any], word: str) -> Any:
    """The phase "the first one", "第二期", "the latest one" names, by its place in the
    rulebook; None past the last one."""
    index = next((i for key, i in _ORDINALS.items() if key in word), None)
    return phases[index] if index is not None and -len(phases) <= index < len(phases) else None


def _phase_follow_up(dialogue: Dialogue, session: Session, reading: Reading, folded: str) -> Any:
    """The phase a short follow-up to a phase's answer names: by a year ("and the 2015
    one?": the phase that began that year, else the one open in it), or as the one before
    the phase just answered ("the one before that")."""
    from bot.core.fact_questions import entry_match

    last = session.last_fact
    if last not in _PHASE_TOPICS and last != CURRENT_PHASE or len(folded) > 40:
        return None
    if any(f.kind not in ("day", "phase") for f in reading.facts) or reading.u.amounts:
        return None
    phases = list(dialogue.rulebook.phases)
    if _BEFORE_THAT.search(folded) and not reading.of("day"):
        shown = _PHASE_TOPICS.get(last) if last != CURRENT_PHASE else None
        if shown is None and last == CURRENT_PHASE:
            current = dialogue.rulebook.phase_at(dialogue.default_day())
            shown = current.id if current else None
        ids = [p.id for p in phases]
        if shown in ids and ids.index(shown) > 0:
            return entry_match(_phase_entry(ids[ids.index(shown) - 1]), "$phase_before_that")
        return None
    ordinal = _PHASE_ORDINAL.search(folded)
    if ordinal and not reading.of("day") and len(folded) <= 24:
        # "the first one?", "第一期呢", "the latest one?" after the phases
        chosen = _phase_by_ordinal(phases, ordinal.group(0))
        return entry_match(_phase_entry(chosen.id), "$phase_by_order") if chosen else None
    years = [f.value for f in reading.of("day")]
    if len(years) != 1 or years[0].get("precision") != "year" or not _PHASE_ONE.search(folded):
        return None
    year = int(str(years[0]["day"])[:4])
    began = [p for p in phases if p.first_day.year == year]
    open_then = [p for p in phases if p.first_day.year <= year <= p.last_day.year]
    chosen = (began or open_then or [None])[0]
    return entry_match(_phase_entry(chosen.id), "$phase_of_year") if chosen else None


def _previous_phase_entry(dialogue: Dialogue, case: Case, reading: Reading) -> Any:
    from bot.core.fact_questions import entry_match

    day = case_flow.decision_day(dialogue, case)
    phases = list(dialogue.rulebook.phases)
    now = dialogue.rulebook.phase_at(day)
    if any(f.value == "previous" for f in reading.of("phase")) and now is not None:
        # "上一期" is read as a phase: the case's day is already that phase's
        return entry_match(_PHASE_ENTRIES.get(now.id, f"faq-phase-{now.id}"), "$previous_phase")
    if now is not None:
        earlier = [p for p in phases if p.first_day < now.first_day]
    else:
        earlier = [p for p in phases if p.last_day < day]
    if not earlier:
        return None
    before = max(earlier, key=lambda p: p.last_day)
    return entry_match(_PHASE_ENTRIES.get(before.id, f"faq-phase-{before.id}"), "$previous_phase")


def _reason_first(reply: Reply, start: int) -> None:
    """ "Why?" after a verdict: "The reason, from the sources:" leads, and the headline
    just said becomes one of its lines."""
    for index in range(start, len(reply.parts)):
        part = reply.parts[index]
        if getattr(part, "style", "") == "title":
            reply.parts[index] = T(part.msgid, **part.values)
            reply.parts.insert(index, title("The reason, from the sources:"))
            return


def _leave_case(session: Session, reply: Reply) -> None:
    """Leave the pending question. Buttons already on this reply (the hand-off offer) carry
    the current generation: it stays, or they would be expired before they are shown."""
    if reply.buttons:
        session.flow, session.step = None, None
    else:
        session.start(None)


# An office in Hong Kong, said at the owner question ("我们在香港有个办事处")
_HK_OFFICE = re.compile(
    r"(?:香港|\bhk\b|hong kong).{0,12}(?:办事处|办公室|写字楼|\boffices?\b)"
    r"|(?:办事处|办公室|写字楼|\boffices?\b).{0,12}(?:香港|\bhk\b|hong kong)"
)


_OWNER_PLACE_NOTE = T(
    "Where the owner lives does not settle it by itself: a Hong Kong resident may live elsewhere. What counts is the factory's link to a company registered in Hong Kong, or, for the resident's link, whether the owner is a Hong Kong resident."
)
_PERSON_PLACE_NOTE = T(
    "Where a person lives or is registered does not change this: what counts is where the factory is and its link to the Hong Kong company."
)


NOT_READ = {
    "cost": T(
        "I couldn't read an amount there. Type the cost as you like: 400000, HK$400k, 40萬 — or tap Cancel."
    ),
    "place": T("I couldn't find a place there. Type the city, district or town — or tap Cancel."),
    "other": T("Sorry, I didn't catch that. Tap one of the buttons, or Cancel."),
}


# "thx. so how long?", "要等幾耐？": asked alone, with an enquiry open, the wait for staff.
# "咁我而家做咩", "what do I do now?" after sending an enquiry: what comes next for it
_WHAT_NOW = re.compile(
    r"(?:咁|噉|那|那么|ok|好)?[,，\s]*(?:我)?(?:而家|依家|现在|接下来|之后)(?:要)?(?:做咩|做乜|点|点算|做什么|怎么办|干什么)"
    r"(?:呀|啊|呢|好)?\W*"
    r"|(?:so |ok |and )?(?:what (?:do i do|should i do|happens) (?:now|next)|what now|now what)\W*"
    # "仲有冇其他嘢要填？", "anything else I need to fill in?" after sending
    r"|(?:仲|还|另外)?(?:有冇|有没有|要唔要|需不需要|需要)?(?:其他|其它|别的|第二啲)?(?:嘢|东西|资料)?(?:要|需要)?(?:填|补充|提交|交)(?:吗|呀|啊|嘛)?\W*"
    r"|(?:is there )?anything else (?:i |we )?(?:need|have|should) to (?:fill in|fill out|send|provide|do)\W*"
)
_HOW_LONG = re.compile(
    r"(?:^|[.,!，。！]\s*|\b(?:so|and|ok|okay|thx|thanks)\s+)how long(?: (?:will it|does it) take)?\W*$"
    r"|等(?:几耐|多久|几久)\W*$|(?:几耐|多久)(?:先|才|会)?有人\w{0,4}\W*$"
)


def _how_long_after_enquiry(dialogue: Dialogue, session: Session, reading: Reading) -> bool:
    from bot.core.flows import handoff

    folded = fold(reading.text).strip()
    if (
        len(folded) > 30
        or reading.asks
        or not (_HOW_LONG.search(folded) or _WHAT_NOW.fullmatch(folded))
    ):
        return False
    return handoff.open_ticket(dialogue, session) is not None


_OWNER_KINDS = ("ownership", "link", "hk_company")
# A factory not (yet) the user's: "we just started talking with", "倾紧", "洽谈中"
_NOT_OURS_YET = re.compile(
    r"\b(?:talking (?:with|to)|in talks|negotiating|a prospect|thinking of buying|might buy)\b"
    r"|倾紧|谈紧|洽谈|商谈|谂住买|考虑收购|打算收购"
)
_ANOTHER_OWNER_OF_PART = re.compile(
    r"'s\b|\bof (?:my|his|her|their|a|an|another)\b|的|嘅|内地|内资|大陆|本地|\bmainland\b|\blocal\b|两家|两间"
)
_LINK_WORD_OF_PART = re.compile(r"\bwfoe\b|独资|全资|\bwholly owned\b|\bjv\b|合资|joint venture")
# "兩間都係", "both are", "都係" said of the next factory ("龍華嗰間都係"): the same owner
_BOTH_FACTORIES = re.compile(
    r"两间都|两家都|两个都|(?:都系|都是|也是|亦系)\S{0,4}(?:香港|内地|内资|合资|独资|外资|公司|佢|他|她|我|大陆|一样)"
    r"|(?:都系|都是|也是|亦系)\s*$|\bboth\b|\bso is\b|\bas well\b|\btoo\b"
)
# "龍華嗰間唔太清楚", "the other one I'm not sure": that factory's owner is not known
_OWNER_UNSURE = re.compile(
    r"唔(?:太)?清楚|不(?:太)?清楚|唔(?:太)?知|不(?:太)?知道|唔肯定|不确定|应该(?:系|是)"
    r"|\bnot sure\b|\bdon'?t know\b|\bno idea\b|\bunsure\b|\bi think\b|\bprobably\b"
)


def _owners_by_factory(
    dialogue: Dialogue, session: Session, case: Case, reading: Reading
) -> list[tuple[str, list[Fact]]]:
    """Each factory's owner, when a message names two or more of the case's factories and
    says how each is owned ("虎門嗰間係香港公司獨資，龍華嗰間唔太清楚，應該係我老細嘅"):
    the words from one factory named to the next are read alone. Empty when the message
    says one owner for all, or names fewer than two factories."""
    named = reading.of("place", STATED)
    # the factories the case knows, or, in a first message, the ones it names
    known = case.places() or [f.value for f in named if isinstance(f.value, str)]
    if len(known) < 2 or len(named) < 2 or not reading.of("ownership"):
        return []
    text = fold(reading.text)
    marks = _factory_marks(known, named, text)
    if marks is None:
        return []
    marks.sort()
    if len({p for _, p in marks}) != len(marks):
        return []
    found: list[tuple[str, list[Fact]]] = []
    for i, (start, place_id) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        part = dialogue.read(session, reading.text[start:end], case.turn)
        facts = [f for f in part.facts if f.kind in _OWNER_KINDS or f.kind in _RESIDENT_SHARES]
        if i == 0 and start > 0 and not facts:
            # "HK co. factory site A in Tangxia is our WFOE": the owner said before the place
            part = dialogue.read(session, reading.text[:end], case.turn)
            facts = [f for f in part.facts if f.kind in _OWNER_KINDS or f.kind in _RESIDENT_SHARES]
        whole_hk = any(f.kind == "ownership" and f.value == "hk" for f in reading.facts)
        if (
            whole_hk
            and [f.value for f in facts if f.kind == "ownership"] == ["unclear"]
            and _LINK_WORD_OF_PART.search(text[start:end])
            # "Longhua is a WFOE of my uncle's company", "两家内地公司合资": another owner
            and not _ANOTHER_OWNER_OF_PART.search(text[start:end])
        ):
            # "Client is a HK company with 3 factories: Dongguan Humen (WFOE), …": the
            # message's Hong Kong company's WFOE
            facts = [f for f in facts if f.kind != "ownership"]
            facts.append(Fact("ownership", "hk", STATED, case.turn, ""))
        if _OWNER_UNSURE.search(text[start:end]):
            # "龍華嗰間唔知係咪香港公司獨資", "應該係…": whatever is guessed, not known
            facts = [f for f in facts if f.kind != "ownership"]
            facts.append(Fact("ownership", "unclear", STATED, case.turn, ""))
        if _BOTH_FACTORIES.search(text[start:end]) or (
            not facts and not _NOT_OURS_YET.search(text[start:end])
        ):
            # "虎門同龍華兩間都係內地公司嘅", "…另外喺新蒲崗仲有個細工場": one owner for all
            return []
        if not facts:
            # "…and Longhua we just started talking with": that factory's owner not said
            facts = [Fact("ownership", "unclear", STATED, case.turn, "")]
        found.append((place_id, facts))
    owners = [[(f.kind, f.value, f.polarity) for f in facts] for _, facts in found]
    if all(o == owners[0] for o in owners):
        return []  # one owner for all: the case's, not each factory's
    return found


def _factory_referred(session: Session, case: Case, reading: Reading) -> str | None:
    """The factory of several that a message points at without adding one: "另一間呢？"
    (the one not answered last), "東莞嗰間想整節能項目" (the Tangxia one, of Tangxia and
    Chenzhou). Its place words then name that factory: they replace no place."""
    known = case.places()
    if len(known) < 2 or reading.places_added:
        return None
    if reading.other_factory:
        last = (session.outcomes.get("eligibility") or {}).get("place_id")
        others = [p for p in known if p != last]
        return others[0] if last in known else known[1]
    stated = reading.of("place", STATED)
    if len(stated) != 1:
        return None
    said = stated[0].value
    within = [p for p in known if places.within(p, said)]
    if len(within) != 1:
        return None  # a new place (a correction), or one that names several factories
    reading.facts = [f for f in reading.facts if f.kind != "place"]
    return within[0]


def _fact_match(dialogue: Dialogue, reading: Reading, session: Session | None = None) -> Any:
    """The FAQ entry a plain programme question asks for. A message that asks about the
    user's own factory is a case, which the matcher would refuse anyway: not asked. A
    short follow-up stays on the topic of the answer before it ("幾時開始㗎？" after the
    recognition scheme)."""
    if reading.other_matter:
        return None  # "公屋呢？" after a question of ours: still not ours
    match = _plain_fact_match(dialogue, reading)
    carried = _on_the_topic_before(dialogue, session, reading, match)
    return carried if carried is not None else match


def _on_the_topic_before(
    dialogue: Dialogue, session: Session | None, reading: Reading, match: Any
) -> Any:
    if session is None or not session.last_fact or dialogue.kb is None:
        return None
    if reading.u.item is not None and _ITEM_ALONE.fullmatch(fold(reading.text).strip()):
        # "评估呢？" after "示范项目要多久完成？": the same answer covers that item too
        before = dialogue.kb.unit(session.last_fact)
        if before is not None and reading.u.item in before.tags:
            question = before.title.get(reading.locale) or before.title.get("en", "")
            again = dialogue.fact_questions(
                question, reading.locale, None, frozenset({session.last_fact})
            )
            if again is not None:
                return replace(again, also=())
    if _WHICH_PHASE_OF_THAT.fullmatch(fold(reading.text).strip()):
        before = dialogue.kb.unit(session.last_fact)
        if before is not None and "phase" in before.tags:
            # "which phase is that from?" after the undated caps: the answer before says
            # which phase, or that its page names none
            from bot.core.fact_questions import entry_match

            return entry_match(session.last_fact, "which phase is that")
    if (
        _HOW_MANY.search(fold(reading.text))
        and len(fold(reading.text)) <= 40
        and not reading.u.amounts
        and reading.facts
        and all(f.kind in ("ownership", "hk_company", "place") for f in reading.facts)
    ):
        before = dialogue.kb.unit(session.last_fact)
        if before is not None and "results" in before.tags:
            # "how many are HK companies?", "當中幾多間香港公司" after the providers' or the
            # results' answer: a figure of that answer, not a case
            from bot.core.fact_questions import entry_match

            reading.facts = []
            return entry_match(session.last_fact, "$how_many_of_them")
    if any(f.kind not in ("phase", "day") for f in reading.facts) or reading.u.amounts:
        return None  # something of its own said ("and in the first phase?" names a time)
    # a follow-up to guide results is a search; "點解？" after an entry that headed the
    # results stays on that entry's topic
    if (
        session.flow == "guides"
        and session.search.get("ids")
        and session.search["ids"][0] != session.last_fact
    ):
        return None
    if "caps" in reading.asks and reading.u.has("cap"):
        return None  # "上限幾多" after the deadline's answer: the caps, not that topic
    if (
        reading.asks & {"estimate", "caps"}
        and reading.u.has("subsidy")
        and not _SAVED.search(fold(reading.text))  # "how much money saved?": the results'
    ):
        return None  # "咁資助幾多" after the sectors' answer: the subsidy, not that topic
    if (
        reading.asks - {"verdict", "estimate", "caps", "guides", "apply", "pay"}
        or reading.u.item is not None
    ):
        return None  # "节省多少钱？" asks how much, of no item of the user's: a follow-up
    folded = fold(reading.text).strip()
    follow_on = bool(_FOLLOW_ON.match(folded))
    short = len(folded) <= 12 if _CJK_CHAR.search(folded) else len(folded.split()) <= 5
    if not short and not (follow_on and len(folded) <= 30):
        return None
    before = dialogue.kb.unit(session.last_fact)
    if before is None:
        return None
    if _PROGRAMME_NAMED.search(folded):
        return None  # "when did the programme start?": the programme named, not the topic
    if session.last_fact.startswith(_BUDGETS):
        # "这个计划总共有多少钱" then "第一期呢", "延展期呢": that phase's budget (the
        # budgets share no tag of their own, only their ids' start)
        if match is not None and (
            match.entry_id.startswith(_BUDGETS) or not _generic(match.pattern)
        ):
            return None
        from bot.core.fact_questions import entries_named

        # the question of the whole budget, which names no phase of its own
        total = dialogue.kb.unit(f"{_BUDGETS}total") or before
        return _asked_with(dialogue, reading, total, entries_named(_BUDGETS))
    # "Who runs the programme?" then "when did it start?": "it" is the programme itself,
    # whose own questions need no carrying; a scheme's or a result's do
    topic = set(before.tags) - _PROGRAMME_TAGS
    if not topic:
        return None
    if match is not None:
        unit = dialogue.kb.unit(match.entry_id)
        if unit is None or set(unit.tags) & topic:
            return None  # on the topic already
        if not _generic(match.pattern):
            return None  # "已经资助了多少个项目？", "那要分享成果吗": a subject of its own
    from bot.core.fact_questions import entries_tagged, topic_words

    among = entries_tagged(topic)
    # "有咩級別？" after the scheme: its words with the topic's name first, so what it asks
    # decides; then with the question before, whose entry again answers it better than
    # another topic's
    words = topic_words(topic) if len(topic) == 1 else []  # one topic, named by one word
    carried = (
        dialogue.fact_questions(f"{reading.text} {' '.join(words)}", reading.locale, None, among)
        if words
        else None
    )
    if carried is None:
        return _asked_with(dialogue, reading, before, among)
    return replace(carried, also=())  # one question


def _asked_with(dialogue: Dialogue, reading: Reading, unit: Any, among: frozenset[str]) -> Any:
    """A follow-up asked with ``unit``'s question after it, answered among ``among``; one
    answer, or None."""
    question = unit.title.get(reading.locale) or unit.title.get("en", "")
    carried = dialogue.fact_questions(f"{reading.text} {question}", reading.locale, None, among)
    return replace(carried, also=()) if carried is not None else None


# "为什么一定要一个人？", "why must it be one person?", "合起来超过50%不行吗？"
_ONE_PERSON_ASKED = re.compile(
    r"(?:一个人|同一个人|同一人|同一个)(?:先得|才行|才可以)?|\b(?:one|the same|a single) person\b"
    r"|(?:合起来|加埋|加起来|夹埋|\bcombined\b|\btogether\b|\badd (?:them|it) up\b)"
    r".{0,12}(?:股|%|\bshares?\b)"
    # "我们是夫妻，合起来算可以吗": a couple's shares, put together
    r"|(?:合起来|加埋|加起来|夹埋|合埋)(?:算|计)|夫妻|两公婆|\bhusband and wife\b|\bas a couple\b"
    # "我細佬同我加埋夠唔夠？", "is it enough if we add ours together?"
    r"|(?:合起来|加埋|加起来|夹埋|合埋)(?:够唔够|够不够|得唔得|行不行|可唔可以|可不可以|够)"
    r"|\b(?:together|combined)\b.{0,10}\benough\b|\benough\b.{0,16}\b(?:together|combined)\b"
)
# "评估呢？", "and the assessment?": an item named alone, leaning on the answer before
_ITEM_ALONE = re.compile(
    r"(?:咁|那|那么|噉|and|what about|how about)?\s*(?:(?:the|a|an)\s+)?(?:实地)?(?:评估|示范项目|示范|核证|核证服务"
    r"|on-site assessment|assessment|demonstration project|demonstration|demo|verification)"
    r"\s*(?:呢|又点|又如何|then)?\s*[?？]?"
)
# "要多少钱可以拿到最高资助？", "how much must it cost to get the full cap?"
_FULL_CAP_ASKED = re.compile(
    r"(?:最高|足额|全额|封顶)(?:嘅|的)?(?:资助|上限|金额)|(?:拿到|攞到|达到|去到|到)(?:尽)?上限"
    r"|\b(?:full|maximum|max|whole)\s+(?:cap|subsidy|grant|amount)\b|\breach the cap\b"
)
# The programme itself named ("when did the programme start?" after the recognition scheme)
_PROGRAMME_NAMED = re.compile(
    r"\bprogramme\b|\bprogram\b|\bcppp\b|清洁生产伙伴计划|(?<!标志)伙伴计划"
)
_PROGRAMME_TAGS = frozenset({"governance", "phase", "programme", "eligibility"})
# "which phase is that from?", "呢個係邊一期㗎？": the phase of what was just answered
_WHICH_PHASE_OF_THAT = re.compile(
    r"(?:so |and |but )?(?:which|what) phase (?:is|was|are|were) (?:that|it|this|they|these|those)"
    r"(?: (?:from|for|in|of))?\s*[?？]*"
    r"|(?:咁|那|噉)?(?:呢个|这个|嗰个|呢啲|这些|嗰啲|佢|它)?(?:系|是|属于)?(?:边|哪)(?:一)?期"
    r"(?:嘅|的)?(?:呀|啊|㗎|嚟㗎|来的|呢)?\s*[?？]*"
)
_BUDGETS = "faq-budget-"
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# "and in the first phase?", "咁…", "那…": a follow-up leaning on the answer before
_FOLLOW_ON = re.compile(r"(?:and|what about|how about|咁|那|仲有|还有)(?:\b|(?=[\u4e00-\u9fff]))")
# Pattern terms that name no subject: a question made of them alone ("幾時開始㗎？") is elliptic.
_GENERIC_TERMS = frozenset(
    {"$when", "$start", "$how", "$apply", "$which", "$what_is", "$need", "$end", "$close",
     "$until_when", "$duration", "$now", "$open", "$phase", "$after"}
)  # fmt: skip


def _generic(pattern: str) -> bool:
    terms = [t for t in pattern.split() if not t.startswith("!")]
    return all(part in _GENERIC_TERMS for t in terms for part in t.split("|"))


# Which guides there are, asked with no topic: "有什么清洁生产指南？", "有咩指南睇？",
# "what guides are there?", "which guides do you have?"
_GUIDES_LISTED = re.compile(
    r"(?:请问|你们|你哋)?\s*(?:有咩|有乜|有乜嘢|有什么|有哪些|有边啲|有冇|有没有|有无)\s*(?:清洁生产|cp)?\s*(?:嘅|的)?"
    r"\s*(?:实用)?\s*(?:指南|手册|指引)\s*(?:可以|可)?\s*(?:睇|看|参考)?\s*(?:呀|啊|呢|吗|嘛|㗎)?\s*[?？]*"
    r"|(?:what|which)\s+(?:cleaner production\s+|practical\s+)?(?:guides|handbooks)\s+"
    r"(?:are there|do you have|have you got|are available|can i read)\s*[?]*"
    r"|(?:are there|do you have)\s+(?:any\s+)?(?:cleaner production\s+|practical\s+)?(?:guides|handbooks)\s*[?]*"
    r"|(?:can i see|could i see|show me|send me|give me)\s+(?:the\s+|a\s+)?list of (?:the\s+|your\s+)?guides\s*[?]*"
)


def _plain_fact_match(dialogue: Dialogue, reading: Reading) -> Any:
    if dialogue.fact_questions is None or reading.search_syntax:
        return None  # a query in search syntax is for the guides
    if reading.other_matter:
        return None  # "點樣申請公屋？": not the programme's application
    if reading.states_case_facts and reading.asks & {"verdict", "estimate"}:
        return None
    text = reading.text
    staff = HOTLINE_STAFF.search(fold(text))
    if staff and len(fold(text)) == len(text):
        # "热线同事查一下：…", "Quick q's from the hotline": who asks, not the hotline asked
        text = text[: staff.start()] + " " + text[staff.end() :]
    match = dialogue.fact_questions(text, reading.locale, _provinces(reading))
    if (
        match is not None
        and reading.guides_named
        and "guides" in reading.asks
        and "guides" not in (dialogue.kb.unit(match.entry_id).tags if dialogue.kb else ())
    ):
        # "请问印刷行业减少VOC有什么实用指南": the guides asked for by name, not the FAQ
        # on the target industries its words also fit
        match = None
    if (
        match is None
        and _PHASE_WORD.search(fold(text))
        and _one_day_asked(reading) is not None
        and reading.u.item is None
        and not reading.u.amounts
        and not reading.states_case_facts
    ):
        # "phase on 1 Jul 2016?": the phase of that day
        from bot.core.fact_questions import entry_match

        match = entry_match(CURRENT_PHASE, "$which_phase")
    if match is None and _GUIDES_LISTED.fullmatch(fold(reading.text).strip()):
        # "有什么清洁生产指南？", "what guides are there?": the guides themselves, no topic
        from bot.core.fact_questions import entry_match

        match = entry_match("faq-practical-guides", "$guides_listed")
    if reading.asks & ESTIMATE_ASKS and (reading.u.item or reading.of("cost")):
        # an estimate for the user's own item: the rules answer it; the programme's budget
        # for an item ("示范项目占多少预算？") is no estimate
        # nor are its targets ("延展計劃實地評估嘅目標係幾多？"), nor a kind of project only
        # an undated page names
        budget = match is not None and match.entry_id.startswith(
            (
                "faq-budget",
                "faq-targets",
                "faq-demonstrations-per-year",
                "faq-why-caps-raised",
                "faq-undated-caps",  # "DP(ii) 上限幾多？": the undated page's own names
                "faq-reductions-typical",  # "how much VOC can a demo project cut?"
            )
        )
        return (
            match
            if (budget or _asks_what_it_is(match, reading)) and not reading.of("cost")
            else None
        )
    return match


# "what does an on-site assessment cover?": what the item is, not whether it is funded
# ("cover" asks that too), when the question starts by asking what
_WHAT_IT_IS = re.compile(r"\s*what (?:does|do|is|are|exactly)\b")


def _asks_what_it_is(match: Any, reading: Reading) -> bool:
    return (
        match is not None
        and ("$meaning" in match.pattern or "$what_is" in match.pattern)
        and bool(_WHAT_IT_IS.match(fold(reading.text)))
    )


def _how_much_alone(reading: Reading) -> bool:
    """ "How much was it?", "幾多錢？": a bare how-much that leans on the answer before."""
    u = reading.u
    return (
        u.has("howmuch")
        and not u.has("cap")  # "上限幾多": the caps, whatever was said before
        and not reading.facts
        and not u.amounts
        and u.item is None
        and len(reading.text) <= 40
    )


def _provinces(reading: Reading) -> tuple[str | None, ...]:
    """The provinces of the places the message names (None for one still to choose)."""
    found: list[str | None] = []
    for fact in reading.of("place", STATED):
        try:
            found.append(places.get(fact.value).province)
        except KeyError:
            found.append(None)
    if reading.place_choice:
        found.append(None)
    return tuple(found)


_WHEN = re.compile(r"几时|什么时候|何时|幾時|\bwhen\b")
_WE = re.compile(r"\b(?:we|i|us|our|my)\b|我哋|我地|我们|我|本厂|我司")
# "what can it apply for now?", "佢而家申請到咩？": the factory just said, or its owner
_WHICH_PHASE_NOW = re.compile(
    r"\b(?:which|what) phase (?:is it|is this|are we in|is open|is running)\b"
    r"|(?:而家|现在|目前|宜家|今年)(?:系|是)?(?:边|哪)一?(?:期|个阶段)"
)
_WE_OR_IT = re.compile(
    _WE.pattern + r"|\b(?:it|they|the factory|the plant)\b|佢|它|间厂|这间厂|呢间厂"
)
# "點解？", "why not?", "为什么呢": why the verdict just given
# "幾十萬", "a few hundred thousand": an amount with no figure in it
# "邊一年開始得？", "since when could … apply?": from when a place was covered
_SINCE_WHEN = re.compile(
    r"边一年|哪一年|边年|几时开始|幾時開始|从几时|由几时|从什么时候开始|从哪年|由边年"
    r"|\bsince when\b|\bfrom (?:which|what) year\b|\bfrom when\b|\bwhich year\b.{0,30}\b(?:start|begin|could|can)"
)
# "one of them", "係唔係其中之一": a place asked about against a list just given
_PRD_WORD = re.compile(r"\bprd\b|\bpearl river delta\b|珠三角|珠江三角洲")
_WHICH_CITIES = re.compile(
    r"\b(?:which|what|list|name|names)\b.{0,40}\b(?:cities|city|places|ones)\b"
    r"|\b(?:cities|places)\b.{0,30}\b(?:are|were|is) (?:in|part of)\b|\blist of\b"
    r"|边几个|边啲|边个|哪些|哪几个|哪个|几多个|多少个|包括|包含|有咩城市|有什么城市|有哪些"
)
_ONE_OF_THEM = re.compile(
    r"\b(?:one of them|among them|on the list|in the list|in that list|one of those)\b"
    r"|\b(?:is|and|what about|how about)\s+[\w ]{2,20}\s+one\b|\bone too\b"
    r"|其中|入面|里面|名单|名单内|之内|算唔算|算不算|系唔系|是不是"
)
_VAGUE_AMOUNT = re.compile(
    r"(?:几|数)(?:十|百)?(?:万|千|百万|十万)|\b(?:a few|several|some) (?:hundred )?(?:thousand|million)\b"
    r"|\bhundreds of thousands\b|\b(?:tens|hundreds) of (?:thousands|millions)\b"
)
_WHY_WORD = re.compile(r"点解|为什么|为何|\bwhy\b|\bhow come\b")


def _amount(cost: Any) -> Decimal | None:
    try:
        return Decimal(str((cost or {}).get("amount")))
    except ArithmeticError:
        return None


_WHY_ALONE = re.compile(
    r"(?:咁|那|so|but)?\s*(?:点解|为什么|为何|why|why not|how come|点解唔得|点解唔可以|为什么不行"
    r"|为什么不可以)\s*(?:呢|嘅|啊|呀|ah|then)?"
    # "why only demo?", "點解咁少？", "为什么只有示范项目": the answer's limits, asked about
    r"(?:\s*(?:only (?:a )?(?:demo|demonstration)(?: projects?)?|so (?:little|low|small)|(?:is it )?so little"
    r"|咁少|咁少钱|这么少|那么少|净系示范项目|只有示范项目|只可以做示范项目|只能做示范项目"
    # "why only half?", "點解係50%？", "为什么只有一半"
    r"|only half|half|only 50%|50%|系50%|是50%|系一半|是一半|得一半|只有一半|净系一半)"
    r"\s*(?:呢|嘅|啊|呀|ah|then)?)?"
    # "Is that enough?", "咁夠唔夠？", "这样够吗？": whether what was said qualifies
    r"|(?:so|and|ok)?\s*(?:is that|is it|is this|that's|that is) (?:enough|ok|fine|sufficient)"
    r"(?: then| for (?:it|that|us))?"
    r"|(?:咁|那|这样|噉)?(?:够唔够|够不够|够吗|够未|得唔得|行不行|可以吗|算唔算|算不算)(?:呢|啊|呀)?"
    # "咁即係得？", "so we're fine?": the verdict, confirmed
    # "Would that work?", "咁得唔得㗎？": whether what was just said would qualify
    r"|(?:so|and|ok|but)?\s*(?:would|will|does|could) (?:that|it|this) work(?: then| for us)?"
    r"|(?:咁|那|so)?\s*(?:即系|即是|即系话|就是说|即系可以|即系得|that means|so we're|so it's)\s*"
    r"(?:得|可以|ok|okay|fine|eligible|符合资格)?\s*(?:㗎|喇|啦|嘛|吗|嗎|呀|啊|then)?"
    # "So no subsidy at all?", "即係冇得資助？", "那就是没有补贴了？": a "no", confirmed
    r"|(?:咁|那|so|and)?\s*(?:即系|即是|就是|就|that means|then)?\s*"
    r"(?:no (?:subsidy|funding|grant|money)(?: at all| then)?|nothing at all|nothing then|not at all"
    r"|冇得资助|冇资助|冇钱|冇得申请|没有补贴|没有资助|没有补助|没得申请|不能申请|唔可以申请|一分钱都没有|一蚊都冇)"
    r"\s*(?:了|喇|啦|㗎|嘛|吗|嗎|呀|啊|then)?"
)


_CAP_NAMED = re.compile(r"上限|封顶|最高资助|\bcaps?\b|\bmaximum\b|\bmax\b")


# "which places are covered?", "哪些地方可以申请？", "邊啲地方包括在內？"
_PLACES_COVERED = re.compile(
    r"\b(?:which|what) (?:places|cities|areas|regions|parts of guangdong)\b.{0,20}"
    r"\b(?:covered|included|eligible|qualify|can apply|could apply)\b"
    r"|(?:边啲|哪些|哪几个|边几个|什么)(?:地方|城市|地区|区域)(?:可以|可|能够|能)?(?:申请|参加|包括|计|受惠|在内)"
)


def _coverage_entry(dialogue: Dialogue, case: Case, reading: Reading) -> Any:
    """The FAQ entry on who could apply where, for the phase of the day asked about."""
    from bot.core.fact_questions import entry_match

    days = reading.of("day")
    day = date.fromisoformat(days[-1].value["day"]) if days else None
    day = day or case_flow.decision_day(dialogue, case)
    phase = dialogue.rulebook.phase_at(day)
    # the first two phases have an entry each; the later ones share one on who may apply
    entry = _PHASE_ENTRIES.get(phase.id, "faq-eligibility-later-phases") if phase else None
    return entry_match(entry, "$places_covered") if entry else None


def _cap_alone_asked(case: Case, reading: Reading) -> bool:
    """A cap asked, with no cost in the message or the case: the phase's terms answer it."""
    cap_named = "estimate" in reading.asks and bool(_CAP_NAMED.search(fold(reading.text)))
    return (
        ("caps" in reading.asks or cap_named)
        and not reading.of("cost")
        and case.current("cost") is None
        and not reading.states_case_facts
    )


def _when_in_a_gap(dialogue: Dialogue, case: Case, reading: Reading) -> bool:
    """ "When can we apply?" while the day the chat named falls between phases, or
    before the phase of that day takes applications ("新的一期什么时候开始接受申请" on
    10 May 2015: from 15 June, W5)."""
    if not _WHEN.search(fold(reading.text)):
        return False
    day = case_flow.decision_day(dialogue, case)
    phase = dialogue.rulebook.phase_at(day)
    if phase is not None and case.places():
        opens = phase.stated("applications_from")
        if opens is not None and day < opens:
            return True
    if case_flow.named_year(case) is None:
        return False
    return phase is None


def _place_alone(reading: Reading) -> bool:
    """ "深圳呢？", "what about Shenzhen?": a place and nothing else asked or said."""
    kinds = {f.kind for f in reading.facts}
    named = bool(kinds & {"place"}) or bool(reading.place_choice)
    elliptic = reading.has("ask.elliptic") or bool(_AND_ALONE.match(fold(reading.text).strip()))
    return named and kinds <= {"place"} and not reading.asks and elliptic


# "and Shenzhen?", "还有深圳？": a short follow-up that adds one thing to the last question
_AND_ALONE = re.compile(
    r"(?:(?:and|also|plus)\s+|还有|仲有)[^\s?？]{1,20}(?:\s+[^\s?？]{1,20}){0,2}\s*[?？]?$"
)


def _wants(
    session: Session,
    reading: Reading,
    pending: str | None,
    answered: bool,
    match: Any = None,
    cost_said: bool = False,
) -> set[str]:
    asks = reading.asks
    wants: set[str] = set()
    if "verdict" in asks:
        wants.add("verdict")
    if asks & ESTIMATE_ASKS:
        wants.add("estimate")
    if answered and pending in VERDICT_STEPS:
        wants.add("verdict")
        if session.last_ask == "estimate":
            wants.add("estimate")
    if answered and pending in ESTIMATE_STEPS:
        wants.add("estimate")
    kinds = {f.kind for f in reading.facts}
    if reading.states_case_facts and not asks & ELSEWHERE:
        wants.add("verdict")
    if not wants and kinds & {"item", "cost", "currency"} and not asks & OTHER_ASKS:
        wants.add("estimate")
    if kinds & {"repeat_measure", "repeat_change"} and (
        session.last_ask in ("estimate", "verdict")
        or session.last_fact == "faq-guideline-repeat-assessment"  # the rule was just given
    ):
        wants.add("estimate")  # "有做咗建議嘅變頻器": W5's conditions, weighed with the figure
    if kinds & {"tech_origin"} and (session.last_ask == "estimate" or cost_said):
        wants.discard("verdict")
        wants.add("estimate")  # "the technology was developed by HKUST": the estimate again
    if reading.has("ask.when_open") and session.last_ask in ("verdict", "estimate") and not asks:
        wants.add("verdict")  # "when do applications open?": the verdict says when
    if (
        not wants
        and reading.has("premises.factory", "premises.workshop", "premises.none")
        and session.last_ask == "verdict"
        and not asks & OTHER_ASKS
    ):
        wants.add("verdict")  # "我哋冇廠喺大陸㗎" after the workshop's verdict: it stands
    elliptic = reading.has("ask.elliptic") and len(fold(reading.text)) <= 24
    # "呢個計劃而家仲有冇？" ends in 呢 but is a programme question the FAQ answers
    if elliptic and session.last_ask and not wants and not asks & OTHER_ASKS and match is None:
        wants.add(session.last_ask)
    if (
        not wants
        and kinds & {"phase", "day"}
        and session.last_ask
        and not asks & OTHER_ASKS
        and match is None
    ):
        wants.add(session.last_ask)  # "咁四月之後呢？": the last answer, for another day
    if kinds & {"phase", "day"} and cost_said and not asks & OTHER_ASKS and match is None:
        wants.add("estimate")  # "咁如果2015年7月先開始呢？": the figure the case has, that day
    return wants


def _intent(reading: Reading, wants: set[str], match: Any) -> str:
    if "person" in reading.asks or reading.smalltalk in ("complaint", "anyone"):
        return "handoff"
    if "privacy" in reading.asks and not wants:
        return "help"
    if "estimate" in wants:
        return "subsidy"
    if "verdict" in wants:
        return "eligibility"
    if "hotline" in reading.asks:
        return "hotline"
    if match is not None:
        return "programme"
    if reading.smalltalk in ("greeting", "thanks", "bye", "ack"):
        return "greeting"
    return "search"


def _estimate(
    dialogue: Dialogue,
    session: Session,
    case: Case,
    reading: Reading,
    found: list[Any],
    reply: Reply,
) -> tuple[str, tuple[str, ...]] | None:
    day = case_flow.decision_day(dialogue, case)
    compared = _compared_phases(dialogue, case, reading)
    items = [f.value for f in reading.of("item", STATED)]
    talked_about = None if reading.all_items else case.current("item")
    if reading.phases_compared and not compared and not reading.of("cost"):
        # "邊期資助最多？", "示範項目上限比以前多定少？": every phase's caps side by side
        named = list(dict.fromkeys(items))
        if len(named) > 1:
            for item in named:  # "compare assessment, demo and verification over phases"
                estimate_words.caps_by_phase(dialogue, item, reply)
        else:
            estimate_words.caps_by_phase(dialogue, items[-1] if items else talked_about, reply)
        session.outcomes["caps_shown"] = True
        return None
    if compared and reading.asks & {"caps", "pay", "estimate"}:
        # "2016年同而家示範項目上限有咩分別？", "Is the demo cap higher now than in 2013?":
        # the caps of the phases of both times, side by side, earlier first
        named = list(dict.fromkeys(items)) or ([talked_about] if talked_about else [])
        if named:
            # "assessment, demo project and verification in 2010, 2014 and 2017?": each
            # item named, its caps in those phases
            for item in named:
                estimate_words.caps_by_phase(dialogue, item, reply, among=compared)
        else:
            for phase in compared:
                estimate_words.caps_reply(dialogue, phase.first_day, reply)
        session.outcomes["caps_shown"] = True
        return None
    several_items = (len(reading.of("item")) > 1 or reading.several_items) and not reading.of(
        "cost"
    )
    if (several_items or case.current("item") is None and case.current("cost") is None) and (
        "caps" in reading.asks or "pay" in reading.asks
    ):
        workshop = case.current("premises") == "workshop" and any(
            places.get(p).in_hong_kong for p in case.places()
        )
        estimate_words.caps_reply(dialogue, day, reply, workshop=workshop)
        session.outcomes["caps_shown"] = True  # "2013?" next: the caps on that day
        return None
    if (
        "caps" in reading.asks
        and (reading.of("day") or reading.of("phase"))
        and not reading.of("cost")
        and not reading.of("repeat")
        and case.current("repeat")
    ):
        # "what was the assessment cap in 2019?" after another assessment was asked about:
        # that day's caps, not the rule on repeats again
        estimate_words.caps_reply(dialogue, day, reply)
        session.outcomes["caps_shown"] = True
        return None
    session.outcomes.pop("caps_shown", None)
    costs = [
        f.value for f in reading.of("cost") if isinstance(f.value, dict) and f.value.get("item")
    ]
    amounts = [f.value for f in reading.of("cost") if isinstance(f.value, dict)]
    if (
        len(amounts) > 1
        and not costs
        and len({c["amount"] for c in amounts}) == len(amounts)
        and _SEVERAL_PROJECTS.search(fold(reading.text))
        and not _ONE_PROJECT_REPRICED.search(fold(reading.text))
    ):
        # "a system HK$1.6 million, and an RTO 2.2m HKD", no item named: two projects of
        # the item the case has, or the phase's own
        costs = [{**c, "item": case.current("item")} for c in amounts]
    total_asked = bool(_TOTAL_ASKED.search(fold(reading.text))) and not reading.of("cost")
    projects = session.outcomes.get("projects", [])
    tech_target = None
    tech_now = reading.of("tech_origin") or [
        f for f in case.facts + case.supposed if f.kind == "tech_origin" and f.turn == case.turn
    ]
    if tech_now and not reading.of("cost") and not costs and len(projects) >= 2:
        # "and if the second one uses tech jointly developed by a GD and HK university?":
        # each project again, the one named at its technology's cap, with the total
        tech_target = _project_named(fold(reading.text), projects)
        total_asked = total_asked or tech_target is not None
    if tech_target is not None or (total_asked and not costs and len(projects) >= 2):
        # "so how much altogether?" after projects priced one message at a time: each
        # again, with the sum
        item = (case.current("cost") or {}).get("item") or case.current("item")
        costs = [{**p, "item": p.get("item") or item} for p in projects]
    elif reading.of("cost") or reading.of("item"):
        session.outcomes.pop("item_costs", None)
    elif reading.facts and all(f.kind in ("day", "phase", "tech_origin") for f in reading.facts):
        # "如果係2010年呢？" after "評估三萬八…示範項目四十五萬": both items again, that
        # day; "what if the VOC one used a PolyU-developed tech": each again, at that cap
        costs = session.outcomes.get("item_costs", [])
    # "a wastewater system HK$1.6m, and an RTO 2.2m": two projects of one item, each its own
    same_item = len({c["item"] for c in costs}) == 1 and len({c["amount"] for c in costs}) > 1
    rate = case.current("rate")
    if rate and costs:
        # "RMB 300k and RMB 900k, rate 1.09": each renminbi cost at the user's own rate
        costs = [case_flow.at_rate(c, rate) for c in costs]
        same_item = len({c["item"] for c in costs}) == 1 and len({c["amount"] for c in costs}) > 1
    if len({c["item"] for c in costs}) > 1 or same_item or (total_asked and len(costs) > 1):
        # "評估6萬，示範項目50萬": each its own
        session.outcomes["item_costs"] = costs
        priced = case
        if tech_target is not None or (
            same_item and reading.of("tech_origin") and reading.of("cost")
        ):
            # where one project's technology was developed says nothing of the other's:
            # each at the standard cap, the higher one said beside it
            priced = Case(
                [f for f in case.facts if f.kind != "tech_origin"], case.turn, list(case.supposed)
            )
        total = Decimal(0)
        own_total: Decimal | None = Decimal(0)
        for number, cost in enumerate(costs, start=1):
            # "what if the RTO is developed by HKPC?": that project at the higher cap only
            own = case if tech_target == number - 1 else priced
            several = case_flow.outcome(dialogue, own, found, item=cost["item"], cost=cost)
            estimate_words.describe_outcome(
                dialogue, several, reply, day, closing=number == len(costs)
            )
            if several.code == "estimate" and several.estimate is not None and total is not None:
                total += several.estimate.government
                if own_total is not None:
                    own_total += several.estimate.factory
            else:
                total = own_total = None
        if (same_item or total_asked) and total is not None:
            reply.add(
                T(
                    "Together: {total} from the government, each project within its own cap. An estimate, not an approval.",
                    total=Money(total),
                )
            )
            if own_total is not None and own_part_asked(fold(reading.text)):
                # "总共我们自己要出多少钱？": the factory's own parts, added up
                reply.add(T("Your own part of all of them together: {own}.", own=Money(own_total)))
        return None
    outcome = case_flow.outcome(dialogue, case, found)
    cost_item = (case.current("cost") or {}).get("item")
    if (
        reading.of("repeat")
        and case.current("repeat") == "assessment"
        and cost_item != "assessment"
        and not outcome.values.get("repeat")  # the outcome itself says the rule
    ):
        # "報價一百二十萬…之前2012年做過一次評估，可唔可以再做？": the assessment asked
        # about again, beside the price of the project
        again = case_flow.outcome(dialogue, case, found, item="assessment", cost=None)
        estimate_words.describe_outcome(dialogue, again, reply, day, closing=False)
    if outcome.code == "need_hkd" and own_part_asked(fold(reading.text)):
        _own_part_line(outcome, reply)
    estimate_words.describe_outcome(dialogue, outcome, reply, day)
    if outcome.code == "estimate" and outcome.estimate is not None:
        # "节能项目，200万" priced as the phase's one item: the cost is that item's, so
        # "评估呢？" later asks the assessment's own fee
        case_flow.tag_cost(case, outcome.estimate.item)
    if (
        outcome.code == "estimate"
        and outcome.estimate is not None
        and _FULL_CAP_ASKED.search(fold(reading.text))
    ):
        # "how much must it cost to get the full cap?" with a cost said: the threshold too
        phase, item = outcome.estimate.phase, outcome.estimate.item
        local = phase.get(f"cap.{item}.local")
        estimate_words.full_cap_from(
            phase[f"share.{item}"].value,
            phase[f"cap.{item}"].value,
            local if local is not None and local.stated else None,
            reply,
        )
    cost_said = case.current("cost") or {}
    for key, each_line in _EACH_LINES.items():
        count = cost_said.get(key)
        if outcome.code == "estimate" and outcome.estimate is not None and count:
            # "分成两个项目，每个30万", "三間廠每間都想做一個項目，每個50萬": the total too
            reply.add(
                T(
                    each_line,
                    count=Verbatim(str(count)),
                    cost=Money(outcome.estimate.cost),
                    total=Money(outcome.estimate.government * count),
                )
            )
    together = cost_said.get("projects_together")
    if outcome.code == "estimate" and outcome.estimate is not None and together:
        # "兩個項目加埋300萬": each project has its own cap, so the most for all of them is
        # the share of the whole, up to the caps of that many projects, however it splits
        estimate = outcome.estimate
        most = min(estimate.share * estimate.cost, Decimal(estimate.cap * together))
        reply.add(
            T(
                "Each project has its own cap. For {count} projects costing {cost} together, the most the government pays in all is {total}: it pays {share}, up to {cap} a project, if each is approved as a project of its own. How the cost splits between them decides it.",
                count=Verbatim(str(together)),
                cost=Money(estimate.cost),
                total=Money(most),
                share=Share(Fraction(str(estimate.share))),
                cap=Money(estimate.cap),
            )
        )
    if outcome.code == "beyond_sources":
        # After the last phase the sources describe: that phase's terms, said as the
        # last known, never as today's (later-phases.md: say what is known).
        last = dialogue.rulebook.latest()
        known_day = last.stated("applications_from") or last.first_day
        outcome = case_flow.outcome(dialogue, case, found, day=known_day)
        if outcome.code in ("estimate", "need_cost", "need_item", "need_hkd"):
            reply.add(T("The last terms my sources give, for the {phase}:", phase=Local(last.name)))
            estimate_words.describe_outcome(dialogue, outcome, reply, known_day)
            # In the reply's data no phase covers the day and no figure is today's.
            reply.subsidy, reply.phase = None, None
            if outcome.code == "estimate":  # not kept as the chat's current figure
                outcome = replace(outcome, code="beyond_sources")
    if outcome.code == "estimate" and outcome.estimate is not None:
        session.outcomes["subsidy"] = dict(reply.subsidy or {}) | {
            "phase": outcome.estimate.phase.id,
            "phase_name": outcome.estimate.phase.name,
        }
        if len(case.places()) > 1 and found and found[0].place is not None:
            # one factory's figure of several, for "两个加起来一共补多少？"; the factory
            # named with the cost ("湛江那边项目大概五十万") is the one it is for
            owner = _factory_of_cost(case, reading) or found[0].place.id
            _keep_factory_figure(session, owner, outcome.estimate)
    if outcome.code == "need_item":
        return ("item", outcome.options)
    if outcome.code == "need_cost":
        if "caps" in reading.asks or "pay" in reading.asks:
            return None  # the cap was the question; the cost is offered in the footer
        return ("cost", ())
    if outcome.code == "need_hkd":
        return ("currency", ())
    if outcome.code in ("not_positive", "absurd"):
        case.forget("cost")
        return ("cost", ())
    return None


def _programme_wide(case: Case, reading: Reading, missing: str) -> bool:
    """A question about the programme on a day, or its caps, with no factory said and none
    of the user's own ("2021年申請示範項目上限幾多？", "2027年以后还有吗"): answered as
    asked, with no place asked for."""
    return (
        missing == "place"
        and not case.places()
        and not reading.states_case_facts
        and bool(reading.asks & {"caps", "pay"} or reading.of("day"))
        and not _WE_OR_IT.search(fold(reading.text))
    )


_SUPPLIER = re.compile(
    r"供应商|供货商|厂家|\bsuppliers?\b|\bvendors?\b|\bthat factory\b|\bthe factory\b|那家厂|那个厂|嗰间厂"
    r"|(?:同|跟|和|与)(?:佢|他|它|佢哋|他们)|\bwith (?:them|it|him)\b"
)
# Shares given back: "what if my uncle transfers it back to him?", "如果轉返俾佢呢？"
_GIVEN_BACK = re.compile(
    r"\b(?:transfers?|transferred|gives?|gave|sells?|sold|moves?|passes?)\s+(?:it|them|those|the shares?)\s+back\b"
    r"|\b(?:gets?|got|buys?|bought|takes?|took) (?:it|them|the shares?) back\b"
    r"|(?:转|过|俾|畀|给|卖)(?:返|回)(?:给|俾|畀)?(?:佢|他|她|我)|还(?:给|俾)(?:佢|他|她|我)|(?:攞|拿|买)(?:返|回)(?:啲|那些)?股份"
)


# The other holder's shares bought: "what if he buys her shares", "如果佢買埋佢老婆啲股份呢"
_THEIR_SHARES_BOUGHT = re.compile(
    r"\b(?:buys?|bought|takes? over|gets?) (?:all )?(?:her|his|their|his wife's|her husband's|the wife's|his partner's) shares\b"
    r"|(?:买|收)(?:埋|晒|咗|了)?(?:佢|她|他)(?:老婆|太太|老公|先生)?(?:嘅|的|啲)?(?:股份|股权)"
    r"|把(?:她|他)(?:的)?(?:股份|股权)买(?:过来|下来)"
)


def _their_shares_bought(case: Case, reading: Reading) -> None:
    """ "what if he buys her shares?" after "his wife holds another 15% of the HK co": that
    share added to the resident's own (link 1(d) counts one person's shares)."""
    if any(f.kind.startswith("share_") for f in reading.facts) or not _THEIR_SHARES_BOUGHT.search(
        fold(reading.text)
    ):
        return
    theirs = case.current("others_share")
    if not isinstance(theirs, dict) or not theirs.get("kind"):
        return
    reading.facts.append(Fact(theirs["kind"] + "_more", theirs["value"], STATED, case.turn + 1, ""))
    reading.asks.add("verdict")


def _shares_given_back(case: Case, reading: Reading) -> None:
    """ "what if my uncle transfers it back to him?" after "he transferred 15% to my uncle,
    so he has 45% now": the share he held before the change (kept by the case)."""
    if any(f.kind.startswith("share_") for f in reading.facts) or not _GIVEN_BACK.search(
        fold(reading.text)
    ):
        return
    earlier = case.current("share_before")
    if not isinstance(earlier, dict):
        return
    reading.facts.append(Fact(earlier["kind"], earlier["value"], STATED, case.turn + 1, ""))
    reading.asks.add("verdict")


def _own_part_line(outcome: Any, reply: Reply) -> None:
    """The factory's part with no cost in Hong Kong dollars yet: the rest of the cost, at
    least the share the government does not pay, more above the cap (W9, paper para 12)."""
    phase, item = outcome.phase, outcome.item
    if phase is None or item is None:
        return
    share, cap = phase.get(f"share.{item}"), phase.get(f"cap.{item}")
    if share is None or cap is None or not (share.stated and cap.stated) or share.value == 1:
        return
    reply.add(
        T(
            "Your own part is the rest of the cost: at least {rest}, and more once the government's share reaches its cap of {cap}.",
            rest=Share(1 - Fraction(share.value)),
            cap=Money(cap.value),
        )
    )
    reply.cite(*share.citations, *cap.citations)


# "phase on 1 Jul 2016?", "嗰日係邊期": a phase asked of a day
_PHASE_WORD = re.compile(r"\bphases?\b|(?:边|哪|咩|什么|邊|第几|第幾)(?:一)?期")


def _one_day_asked(reading: Reading) -> date | None:
    """The one day a message names ("on 1 Jul 2016", "2016年7月1日"), if it names one."""
    days = [f.value for f in reading.of("day", STATED) if isinstance(f.value, dict)]
    if len(days) != 1:
        return None
    try:
        first = date.fromisoformat(days[0]["day"])
        last = date.fromisoformat(days[0].get("until") or days[0]["day"])
    except (KeyError, TypeError, ValueError):
        return None
    # "in July 2016": a day or a month, not a year (a year may span two phases)
    return first if (last - first).days <= 31 else None


# "from 2008 to now", "由2010年至今": a span that runs up to today
_TO_NOW = re.compile(
    r"\b(?:to|until|till|through|up to)\s+(?:now|today|the present|date)\b"
    r"|至今|到(?:现在|而家|今日|今天|目前)|至(?:现在|目前)"
)


def _compared_phases(dialogue: Dialogue, case: Case, reading: Reading) -> list[Phase]:
    """A time and now asked side by side ("2016年同而家", "higher now than in 2013?"), or
    a time set against the one talked about ("跟2014年比多了还是少了" on a 2017 case): the
    phases of both, earliest first (a year may span two); else none."""
    if reading.compared_times:  # "延展期同第一期差幾多？": the phases named, in time order
        named = [dialogue.rulebook.get(i) for i in reading.compared_times]
        return sorted((p for p in named if p is not None), key=lambda p: p.first_day)
    days = [f for f in reading.of("day", STATED) if isinstance(f.value, dict)]
    if len(days) != 1:
        return []
    if any(f.value == "today" for f in reading.of("phase", STATED)):
        other = dialogue.default_day()
    elif reading.phases_compared:
        earlier = [
            f
            for f in case.facts
            if f.kind == "day" and f.turn < case.turn and isinstance(f.value, dict)
        ]
        other = date.fromisoformat(earlier[-1].value["day"]) if earlier else dialogue.default_day()
    else:
        return []
    named = days[0].value
    first, last = (
        date.fromisoformat(named["day"]),
        date.fromisoformat(named.get("until") or named["day"]),
    )
    book = dialogue.rulebook
    if _TO_NOW.search(fold(reading.text)) and other > last:
        last = other  # "from 2008 to now": every phase in between too
    chosen = [p for p in book.phases if p.first_day <= last and p.last_day >= first]
    now = book.phase_at(other) or (book.latest() if book.beyond_sources(other) else None)
    if now is not None and now not in chosen:
        chosen.append(now)
    return sorted(chosen, key=lambda p: p.first_day) if len(chosen) > 1 else []


# The total for one cost said of each of several projects, or factories.
_EACH_LINES = {
    "factories": T(
        "For {count} factories with a project of {cost} each: {total} from the government in all, if each factory can apply and each project is approved."
    ).msgid,
    "projects": T(
        "For {count} projects of {cost} each: {total} from the government in all, if each is approved as a project of its own. Our sources do not say whether one installation may be split into several projects: the project management committee decides."
    ).msgid,
}


def _item_line(dialogue: Dialogue, case: Case, found: list[Any], reply: Reply) -> None:
    """The item the user named beside a verdict question ("想申請實地評估，得唔得？"):
    its terms in the phase, or why it is not open. No cost is asked for."""
    outcome = case_flow.outcome(dialogue, case, found)
    if outcome.code in (
        "need_item",
        "not_eligible",
        "estimate",
        "need_hkd",
        "not_positive",
        "absurd",
    ):
        return
    estimate_words.describe_outcome(
        dialogue, outcome, reply, case_flow.decision_day(dialogue, case)
    )


HOW_TO_APPLY = "faq-how-to-apply"
CURRENT_PHASE = "faq-current-phase"
SUBSIDY_BACK = "faq-subsidy-back-after-sale"
ABOVE_CAP = "faq-above-cap"


def _fact_answer(
    dialogue: Dialogue, reading: Reading, match: Any, wants: set[str], reply: Reply
) -> bool:
    """Plain programme questions: the FAQ answer, or what our sources do not say. Beside
    a question about the user's own case, only what the case cannot answer (how to apply,
    what the sources leave unsaid) is added."""
    if dialogue.kb is None:
        return False
    entries: list[str] = []
    if match is not None and (not wants or match.unknown):
        entries.append(match.entry_id)
        entries += [e for e in match.also if not wants]  # "幾點開？喺邊度？": both answered
    applying = match is not None and (
        {"$how", "$apply"} <= set(match.pattern.split())
        # "批咗之後點做": the steps after approval answer the "how" asked
        or match.entry_id == "faq-what-happens-after"
    )
    if "apply" in reading.asks and HOW_TO_APPLY not in entries and not applying:
        entries.append(HOW_TO_APPLY)  # unless the entry is itself how to apply for its thing
    added = False
    asked_day = _one_day_asked(reading)
    for entry_id in entries:
        if entry_id == CURRENT_PHASE and asked_day is not None:
            # "what phase was it in July 2016?": the phase of the day named, not today's
            verdict_words.phase_open_on(dialogue, asked_day, reply)
            added = True
            continue
        if entry_id == CURRENT_PHASE and verdict_words.phase_now_on_another_day(dialogue, reply):
            added = True
            continue
        if (
            entry_id == "faq-phase-2025-end"
            and not _latest_phase_named(dialogue, fold(reading.text))
            and verdict_words.phase_now_on_another_day(dialogue, reply)
        ):
            # "When does this phase end?" on a day of an earlier phase: that phase's days
            added = True
            continue
        unit = dialogue.kb.unit(entry_id)
        if unit is None:
            continue
        reply.add(title("{title}", title=Local(unit.title)), Local(unit.body))
        reply.cite(*unit.citations)
        reply.results.append(
            {"id": unit.id, "title": unit.title.get("en", ""), "tags": list(unit.tags)}
        )
        if entry_id == verdict_words.PRIORITY_SECTORS:
            verdict_words.trade_line(
                reading.text, reply
            )  # "陶瓷算唔算重點行業？": that trade's sector
        added = True
    if added and reply.intent == "search":
        reply.intent = "programme"
    return added


TECHNOLOGY_LIST = "faq-technology-list"


def _sectors_note(dialogue: Dialogue, case: Case, reading: Reading, reply: Reply) -> None:
    """ "我們做玩具的，可以申請嗎？": the phase's priority sectors and that other industries
    are decided case by case, beside the verdict, when the phase's sources name them."""
    phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
    if phase is None or not phase.stated("priority_sectors") or dialogue.kb is None:
        return
    unit = dialogue.kb.unit(verdict_words.PRIORITY_SECTORS)
    if unit is None:
        return
    reply.add(title("{title}", title=Local(unit.title)), Local(unit.body))
    reply.cite(*unit.citations)
    verdict_words.trade_line(reading.text, reply)


def _period_lines(dialogue: Dialogue, reading: Reading, reply: Reply) -> None:
    """ "2013年1月到3月": when the phase changes within the months named, each stretch with
    its phase (or none), so the answer for the first day is not taken for the whole."""
    value = reading.of("day")[-1].value
    if not isinstance(value, dict) or not value.get("until"):
        return
    first, last = date.fromisoformat(value["day"]), date.fromisoformat(value["until"])
    stretches: list[list[Any]] = []  # [phase or None, first day, last day]
    day = first
    while day <= last:
        phase = dialogue.rulebook.phase_at(day)
        if stretches and stretches[-1][0] is phase:
            stretches[-1][2] = day
        else:
            stretches.append([phase, day, day])
        day += timedelta(days=1)
    if len(stretches) < 2:
        return
    reply.add(title("The answer changes within that time:"))
    # Each stretch's bounds are those of the phases around it, cited where the rulebook does.
    around = [p for p in dialogue.rulebook.phases if p.last_day >= first and p.first_day <= last]
    around += [p for p in dialogue.rulebook.phases if p.first_day > last][:1]
    reply.cite(
        *(
            ref.strip()
            for p in around
            for bound in (p.start, p.end)
            for ref in bound.citation.split(",")
            if ref.strip()
        )
    )
    for phase, start, end in stretches:
        if phase is None:
            reply.add(T("{start} to {end}: no phase was open.", start=Day(start), end=Day(end)))
        else:
            reply.add(
                T(
                    "{start} to {end}: the {phase}.",
                    start=Day(start),
                    end=Day(end),
                    phase=Local(phase.name),
                )
            )


def _fallback(dialogue: Dialogue, session: Session, reading: Reading, reply: Reply) -> None:
    """Nothing asked that the case or the facts answer: the guides and FAQ, else a polite
    line on what the bot can do."""
    from bot.core.flows import guides, menu

    on_topic = not reading.other_matter and (
        reading.has("howto", "programme", "domain", "subsidy", "eligibility", "cap")
        or reading.u.item
    )
    if on_topic and guides.search_into(dialogue, session, reading, reply):
        return
    if not reading.other_matter and (reading.has("industry.named") or trade_named(reading.text)):
        # "we also electroplate some toy parts": the trade's sector, and guides on it
        reply.intent = "eligibility"
        verdict_words.trade_line(reading.text, reply)
        if reply.parts:
            guides.also_into(
                dialogue, session, reading.text, session.locale_choice or reading.locale, reply
            )
            return
    if reading.smalltalk:
        return  # "thanks", "bye": the word back is the whole answer
    menu.off_topic(dialogue, session, reply)


def _footer(
    dialogue: Dialogue, session: Session, case: Case, reply: Reply, wants: set[str]
) -> None:
    if reply.buttons:
        return
    g = session.generation
    row = []
    if reply.eligibility and reply.eligibility.get("items") and "estimate" not in wants:
        row.append(button(T("Estimate my subsidy"), g, "menu", "subsidy"))
    if reply.eligibility and reply.eligibility.get("status") in ("eligible", "demonstration_only"):
        row.append(button(T("Who can apply"), g, "owner", "show"))
    if reply.subsidy:
        row.append(button(T("Another amount"), g, "again", "cost"))
        phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
        if phase is None or len(phase.stated("items") or ()) > 1:
            # a phase that funds one kind of project has no other item to estimate
            row.append(button(T("Another item"), g, "again", "item"))
    if row:
        reply.row(*row)
    last = [button(T("Talk to a person"), g, "menu", "person")]
    if reply.citations:
        last.append(button(T("Sources"), g, "sources", "all"))
    last.append(button(T("Main menu"), g, "menu", "home"))
    reply.row(*last)


# --- taps ------------------------------------------------------------------------------------


def on_step(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    applied = case_flow.on_tap(dialogue, session, tapped)
    if applied is None:
        return None
    case, step = applied
    if step == "place":  # "None of these": the place is asked afresh
        case_flow.save(session, case)
        return case_flow.ask(dialogue, session, case, "place", Reply("eligibility"))
    wants = {"estimate"} if step in ESTIMATE_STEPS else {"verdict"}
    if step in VERDICT_STEPS and session.last_ask == "estimate":
        wants.add("estimate")
    return _after_facts(dialogue, session, case, wants)


def _after_facts(dialogue: Dialogue, session: Session, case: Case, wants: set[str]) -> Reply:
    """The verdict and/or estimate for the case as it now stands, and the next question."""
    reply = Reply("subsidy" if "estimate" in wants else "eligibility")
    found = case_flow.verdicts(dialogue, case)
    question: tuple[str, tuple[str, ...]] | None = None
    if "verdict" in wants:
        case_flow.add_verdicts(dialogue, session, case, found, reply)
        if found[0].missing:
            question = (found[0].missing, ())
    if "estimate" in wants and found[0].figure_waits and "verdict" not in wants:
        case_flow.add_verdicts(dialogue, session, case, found, reply)
        question = (found[0].missing, ()) if found[0].missing else None
    if "estimate" in wants and question is None:
        question = _estimate(dialogue, session, case, _empty_reading(), found, reply)
    if question is not None:
        case_flow.save(session, case)
        return case_flow.ask(dialogue, session, case, question[0], reply, question[1])
    session.start(None)
    case_flow.save(session, case)
    _footer(dialogue, session, case, reply, wants)
    return reply


def _empty_reading() -> Reading:
    from bot.core.understand import understand

    return Reading(understand("", with_place=False))


def on_owner(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    if tapped.arg != "show":
        return None
    case = case_flow.load(session)
    phase = dialogue.rulebook.phase_at(case_flow.decision_day(dialogue, case))
    reply = verdict_words.ownership_rules(phase, Reply("eligibility"))
    g = session.generation
    reply.row(
        button(T("Talk to a person"), g, "menu", "person"),
        button(T("Main menu"), g, "menu", "home"),
    )
    return reply


def on_sources(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    from bot.core.flows.menu import sources_reply

    return sources_reply(dialogue, session)


def on_again(dialogue: Dialogue, session: Session, tapped: Tapped) -> Reply | None:
    """ "Another amount": ask the cost again. "Another item": ask the item again; the cost
    given stays, for whichever item comes next."""
    case = case_flow.load(session)
    session.last_ask = "estimate"
    if tapped.arg == "item":
        cost = case.current("cost")
        if cost:
            case.add(
                Fact(
                    "cost", {k: v for k, v in cost.items() if k != "item"}, STATED, case.turn, "tap"
                )
            )
        case.forget("item")
        case_flow.save(session, case)
        return _after_facts(dialogue, session, case, {"estimate"})
    case.forget("cost")
    case_flow.save(session, case)
    return case_flow.ask(dialogue, session, case, "cost", Reply("subsidy"))


def on_location(dialogue: Dialogue, session: Session, lat: float, lon: float) -> Reply:
    place = places.place_at(lat, lon)
    if session.flow == "handoff" and session.step == "place":
        # shared where the enquiry form asks for the factory's place: that answer
        from bot.core.flows import handoff

        return handoff.place_at_location(dialogue, session, place.id if place else None)
    case = case_flow.load(session)
    case.turn += 1
    if place is None:
        reply = Reply("eligibility").add(
            T("That point is outside Guangdong, Hong Kong and Macao as far as I can tell.")
        )
        case_flow.save(session, case)
        return case_flow.ask(dialogue, session, case, "place", reply)
    case.replace("place", [Fact("place", place.id, STATED, case.turn, "location")])
    case.forget("place_choice")
    reply = _after_facts(
        dialogue,
        session,
        case,
        {"verdict"} | ({"estimate"} if session.last_ask == "estimate" else set()),
    )
    reply.parts.insert(0, T("Your location is in {place}.", place=verdict_words.place_label(place)))
    reply.remove_keyboard = True
    return reply


# --- menu entries and commands ----------------------------------------------------------------


def start_verdict(dialogue: Dialogue, session: Session) -> Reply:
    case = case_flow.load(session)
    session.start("case")
    session.last_ask = "verdict"
    if case.places():
        return _after_facts(dialogue, session, case, {"verdict"})
    return case_flow.ask(dialogue, session, case, "place", Reply("eligibility"))


def start_estimate(dialogue: Dialogue, session: Session) -> Reply:
    case = case_flow.load(session)
    session.start("case")
    session.last_ask = "estimate"
    case.forget("item")
    case.forget("cost")
    case_flow.save(session, case)
    return _after_facts(dialogue, session, case, {"estimate"})


def new_case(dialogue: Dialogue, session: Session) -> Reply:
    """/new: forget the factory talked about so far and start again."""
    from bot.core.flows import menu

    session.case = {}
    session.facts = {}
    session.last_ask = None
    for key in ("projects", "item_costs", "by_factory", "caps_shown", "another_factory"):
        session.outcomes.pop(key, None)  # the projects priced belong to the enquiry left
    session.start(None)
    reply = Reply("help").add(T("OK — a new enquiry. What would you like to know?"))
    return menu.menu_rows(reply, session)


def caps_command(dialogue: Dialogue, session: Session, args: str) -> Reply:
    from bot.core.understand import find_date

    day = dialogue.default_day()
    mention = find_date(fold(args.strip())) if args.strip() else None
    if mention is not None:
        day = mention.day
    return estimate_words.caps_reply(dialogue, day, Reply("subsidy"))


def calc_command(dialogue: Dialogue, session: Session, args: str) -> Reply:
    """/calc <item> <amount> [date]: an estimate in one line, for staff. The date, if
    given, picks the phase."""
    from bot.core.estimate import estimate_case

    reading = dialogue.read(session, args, turn=0)
    items = [f.value for f in reading.facts if f.kind == "item"]
    costs = [f.value for f in reading.facts if f.kind == "cost"]
    if not items or not costs:
        return Reply("help").add(
            T(
                "Usage: /calc <item> <amount> [date], e.g. /calc demonstration 400k or /calc 示範 40萬 2014-01-01"
            )
        )
    day = dialogue.default_day()
    days = [f.value for f in reading.facts if f.kind == "day"]
    phases = [f.value for f in reading.facts if f.kind == "phase" and f.value != "today"]
    if days:
        from datetime import date

        day = date.fromisoformat(days[0]["day"])
    elif phases and (phase := dialogue.rulebook.get(phases[0])) is not None:
        day = phase.first_day
    outcome = estimate_case(items[0], costs[0] | {"item": items[0]}, day, dialogue.rulebook)
    return estimate_words.describe_outcome(dialogue, outcome, Reply("subsidy"), day)


def place_command(dialogue: Dialogue, session: Session, args: str) -> Reply:
    """/place NAME for staff: in the staff member's language, or the name's own."""
    from bot.core.language import detect_locale

    reply = Reply("eligibility")
    if not session.locale_choice and args.strip():
        reply.locale = detect_locale(args, session.locale, session.telegram_language_code)
    return verdict_words.place_command(dialogue, args, reply)
