"""Reading when: the day or the years a message asks about, and an earlier funded
assessment with another one asked for (W5's rule decides it).

``read_when`` adds a ``day`` fact: a day, a month or a year said ("2013年2月", "去年"), a
shift from the day named before ("遲一個禮拜"),
a month without a year in the year the conversation named ("咁2月尾呢？"), the start of
work that ran over two years. ``read_repeat`` adds ``last_assessment`` and ``repeat``.
Both are called by ``bot.core.reading.read``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core import money
from bot.core.case import STATED, Fact
from bot.core.understand import without_references

if TYPE_CHECKING:
    from bot.core.reading import Reading

_RELATIVE_MONTH = re.compile(
    r"(?<![\d一二三四五六七八九十])(1[0-2]|[1-9]|十一|十二|十|[一二三四五六七八九])\s*月\s*"
    r"(?:之后|以后|后|起|开始|份之后|份以后)|"
    r"\b(?:after|from|since)\s+(january|february|march|april|may|june|july|august|"
    r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


# A phase named by its years: "2015到2020年那期", "2020至2025年階段", "the 2015-2020 phase"
_PHASE_BY_YEARS = re.compile(
    r"(20\d\d)\s*年?\s*(?:到|至|-|–|—|~|\bto\b)\s*(20\d\d)\s*年?\s*(?:的|嘅)?\s*"
    r"(?:那|嗰|𠮶|这|呢|该)?\s*(?:一)?\s*(?:期|个阶段|阶段|\bphase\b)"
)


# "the 2013 extension", "2013年嘅延展計劃": the extension named with its first year
_YEAR_OF_EXTENSION = re.compile(r"(?<!\d)2013\s*年?\s*(?:的|嘅)?\s*(?:延展|\bextension\b|\bextended\b)")


_PHASE_TALK = re.compile(
    r"期|阶段|计划|上限|资助|补贴|预算|拨款|\bphase\b|\bprogramme\b|\bprogram\b|\bcaps?\b"
    r"|\bbudget\b|\bsubsid|\bfund|\bgrant"
)


# A relative year asked about on its own, at the start: "那前年呢？", "and last year?"
_RELATIVE_YEAR_ASKED = re.compile(
    r"\s*(?:那|咁|噉|and|what about|how about)?\s*(?:前年|去年|上年|旧年|上一年|大前年"
    r"|last year|the year before(?: last)?)\s*(?:呢|嘅话|的话)?\s*[?？]"
)
# A month said as when something ended: "3月底结束了", "4月就截止"
_ENDED_MONTH = re.compile(
    r"月(?:底|尾|中|初|头)?(?:\d{1,2}(?:日|号))?\s*(?:就|已经|已|都)?(?:结束|完结|完咗|截止|到期|停止)"
)
_ENDED = re.compile(r"结束|完结|截止|到期|\bended\b|\bis over\b|\bfinished\b|\bclosed\b")
_NEXT_PHASE = re.compile(r"新(?:的)?一期|下一期|新一轮|\b(?:new|next) phase\b")


def _phase_of_year_range(folded: str) -> str | None:
    """The phase whose first and last years a range of years names ("2020-25",
    "2008-2013"), or None."""
    from bot.core.rules import load_rulebook

    if not _PHASE_TALK.search(folded):
        return None  # "we operated in Shenzhen 2015-2020": a span of the company's history
    for _start, _end, first, last in money.year_ranges(folded):
        for phase in load_rulebook().phases:
            if (phase.first_day.year, phase.last_day.year) == (first, last):
                return phase.id
    return None


def _phase_ids() -> set[str]:
    from bot.core.rules import load_rulebook

    return {p.id for p in load_rulebook().phases}


def read_when(
    reading: Reading,
    folded: str,
    turn: int,
    today: date | None,
    context_year: int | None = None,
    context_day: date | None = None,
    context_time: dict | None = None,
) -> None:
    u = reading.u
    named = _PHASE_BY_YEARS.search(folded)
    if named is not None and f"{named.group(1)}-{named.group(2)}" in _phase_ids():
        # "2015到2020年那期", "the 2020-2025 phase": that phase, not its first year
        reading.facts.append(Fact("phase", f"{named.group(1)}-{named.group(2)}", STATED, turn))
        return
    by_years = _phase_of_year_range(folded)
    if by_years is not None:
        # "budget of 2020-25 phase", "cap in the original programme 2008-2013?": the phase
        # whose years those are, not the first year alone
        reading.facts = [f for f in reading.facts if f.kind != "phase"]
        reading.facts.append(Fact("phase", by_years, STATED, turn))
        return
    if _YEAR_OF_EXTENSION.search(folded):
        # "what items could factories apply for in the 2013 extension": the extension
        reading.facts.append(Fact("phase", "2013-extension", STATED, turn))
        return
    if u.date is None and not _YEAR.search(folded) and _SHIFT.search(folded):
        if context_time is not None and context_time.get("precision") == "year":
            # "2009年" then "遲一年呢？": the year after; "遲一個月" of a whole year says
            # no day, so the year named still holds
            year = _years_shifted(folded, int(context_time["day"][:4]))
            if year is not None:
                value = {"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"}
                reading.facts.append(Fact("day", value, STATED, turn))
            return
        shifted = _shifted_day(folded, context_day or today)
        if shifted is not None:
            # "遲一個禮拜先申請呢？" after 15 January 2013: a week after the day named
            value = {"day": shifted.isoformat(), "precision": "day", "shifted": True}
            reading.facts.append(Fact("day", value, STATED, turn))
            return
    if u.has("phase.extension") and _BEFORE_EXTENSION.search(folded):
        # "and before the extension?", "延展計劃之前呢？": the phase before it
        reading.facts.append(Fact("phase", "2008-original", STATED, turn))
    elif u.has("phase.extension") and _AFTER_EXTENSION.search(folded):
        reading.facts.append(Fact("phase", "2015-2020", STATED, turn))  # the one after it
    elif u.has("phase.original"):
        reading.facts.append(Fact("phase", "2008-original", STATED, turn))
    elif u.has("phase.extension"):
        reading.facts.append(Fact("phase", "2013-extension", STATED, turn))
    elif u.has("phase.previous") and not (
        _ENDED.search(folded) and _NEXT_PHASE.search(folded)
    ):
        # not "上一期不是3月底结束了吗，新的一期什么时候开始": the last phase said ended,
        # the next one asked about
        reading.facts.append(Fact("phase", "previous", STATED, turn))
    elif u.has("phase.current"):
        reading.facts.append(Fact("phase", "today", STATED, turn))
    elif _BACK_THEN.search(folded) and u.date is None and not _YEAR.search(folded):
        # "上次那個示範項目當時花了50萬": the time said earlier, not today
        reading.facts.append(Fact("phase", "back_then", STATED, turn))
    # "2010年做過評估，可唔可以再做？": the year of something done, asked about again now
    past = u.item is not None and _PAST_EVENT.search(folded) and _AGAIN.search(folded)
    years = sorted({int(y) for y in _YEAR.findall(without_references(folded))})
    if past and len(years) > 1 and u.date is not None:
        # "2015年做過評估，2016年想再做": the earlier year is the one done, the later asked
        year = years[-1]
        value = {"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"}
        reading.facts.append(Fact("day", value, STATED, turn))
        return
    if (
        u.date is not None
        and len(years) > 1
        and _STARTED.search(folded)
        and u.date.day.year > years[0]
    ):
        # "started in 2012 and finished in March 2013": the work began in the earlier year,
        # which decides the phase, not the day it was finished
        year = years[0]
        value = {"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"}
        reading.facts.append(Fact("day", value, STATED, turn))
        return
    history = _history_years(folded)
    if u.date is not None and u.date.day.year in history:
        # "我哋公司2005年喺香港註冊", "set up in 2019", "since 2012 we have had a WFOE": when
        # the company or factory came to be, a fact of the case, not the day asked about;
        # a year said again elsewhere ("2014年搬到東莞，2014年可唔可以申請？") is asked
        said = _YEAR.findall(without_references(folded))
        others = sorted({int(y) for y in said if said.count(y) > history.count(int(y))})
        if others:
            year = others[-1]
            value = {"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"}
            reading.facts.append(Fact("day", value, STATED, turn))
            return
        if not (_THEN_ASKED.search(folded) or _supposed_in_that_year(folded, u.date.day.year)):
            return
    if u.date is not None and not past:
        value = {"day": u.date.day.isoformat(), "precision": u.date.precision}
        if u.date.until is not None:
            value["until"] = u.date.until.isoformat()
        year = u.date.day.year
        if u.date.precision == "year" and re.search(
            rf"\bafter (?:the end of )?{year}\b|{year}\s*年?\s*(?:之后|以后|后|过后|完咗之后|结束后)", folded
        ):
            # "what if we apply again after 2027?": the year after it, not that year
            value = {
                "day": f"{year + 1}-01-01",
                "precision": "year",
                "until": f"{year + 1}-12-31",
                "after": year,
            }
        elif (
            u.date.precision == "year"
            and re.search(rf"\bbefore {year}\b|(?<!\d){year}\s*年?\s*(?:之前|以前)", folded)
            # not "owned the factory since before 2013", "2013年之前已經有廠": history
            and not re.search(rf"\bsince before {year}\b|{year}\s*年?\s*(?:之前|以前)(?:已经|已|就)", folded)
        ):
            # "2013年之前韶关的厂能申请吗？": the year before it, not that year
            value = {"day": f"{year - 1}-01-01", "precision": "year", "until": f"{year - 1}-12-31"}
        reading.facts.append(Fact("day", value, STATED, turn))
        return
    if _ENDED_MONTH.search(folded):
        return  # "上一期不是3月底結束了嗎": when something ended, not the day asked about
    if context_year is not None and _month_in_context(reading, folded, turn, context_year):
        return
    if today is not None and _month_ahead(reading, folded, turn, today):
        return
    relative = _RELATIVE_YEAR.search(folded) or _YEARS_AGO.search(folded)
    shift = _shift_of(relative) if relative else 0
    if (
        relative
        and today is not None
        and not (
            shift < 0
            # "那前年呢？前年我们…也做了个节能改造": that year asked first, then the story
            and not _RELATIVE_YEAR_ASKED.match(folded)
            and (
                _AGAIN.search(folded)
                # "moved there last year, can we still join?" asks about now; "前年做咗個
                # 示範項目，40萬，應該攞到幾多？" prices what was done then, by then's rules
                or (_DONE_THEN.search(folded) and not _ITEM_DONE_THEN.search(folded))
                or _NOW.search(folded)
            )
        )
    ):
        # "去年想申請": the whole of last year; "moved there last year, can we still join?"
        # asks about now
        year = today.year + shift
        if _month_in_context(
            reading, _YEARS_AGO.sub(" ", _RELATIVE_YEAR.sub(" ", folded)), turn, year
        ):
            return  # "出年四月先申請呢？": that month of that year
        value = {"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"}
        reading.facts.append(Fact("day", value, STATED, turn))
        return
    match = _RELATIVE_MONTH.search(folded)
    if match and today is not None:
        month = _month_number(match.group(1)) if match.group(1) else _MONTHS[match.group(2)]
        year = today.year if month >= today.month else today.year + 1
        day = date(year, month, 1)
        reading.facts.append(
            Fact("day", {"day": day.isoformat(), "precision": "day"}, STATED, turn)
        )


# When the company or factory came to be, or since when it has been so: "2005年喺香港註冊",
# "2010年成立", "从2010年就在东莞设厂", "registered in Hong Kong in 1998", "set up in 2019",
# "since 2012". A project started or done that year is not among them: its year decides
# the phase (_STARTED, _PAST_EVENT).
_SET_UP = (
    r"成立|注册|登记|开业|开厂|设厂|建厂|创立|创办|开办|投产|落户|设立|开公司|搬|迁"
    r"|转(?:咗|了)?(?:为|成|做)|改(?:咗|了)?(?:为|成|做)|变(?:咗|了)?(?:为|成)"  # "2009年轉為獨資"
    r"|开(?:咗|了)?(?:嘅|的)(?:厂|公司)"  # "1998年開嘅廠"
)
_HISTORY_YEAR = re.compile(
    r"(?<!\d)((?:19|20)\d\d)(?!\d)\s*年?\s*(?:[^,.;?!，。；？！\d]{0,8}?)(?:" + _SET_UP + r")"
    r"|(?:从|自从|自|由)\s*((?:19|20)\d\d)\s*年?\s*(?:起|开始)?\s*(?:就|已经|已|一直|都)"
    # "成立于2010年", "注册喺2005年": the verb first
    r"|(?:" + _SET_UP + r")(?:咗|了)?\s*(?:于|於|喺|系|在)\s*((?:19|20)\d\d)\s*年?"
    r"|\b(?:registered|incorporated|established|founded|set up|formed|opened|moved|relocated"
    r"|converted|changed|became|turned|restructured|transformed"
    r"|started operat\w*|been (?:operating|running|there|here))\b[^,.;?!]{0,40}?\bin\s+((?:19|20)\d\d)\b"
    r"|\b(?:since|established|est\.?|founded)\s+(?:in\s+)?((?:19|20)\d\d)\b"
    # "then in 2010 part of the dyeing moved to Qingyuan": a year, then what moved or began
    r"|\bin ((?:19|20)\d\d),? (?:\w+ ){0,6}(?:moved|relocated|opened|started|expanded|was set up|were set up)\b"
    # "sales dropped 20% in 2024", "营业额2024年跌咗两成": the business's figures that year
    r"|\b(?:sales|turnover|revenue|orders|profits?|output)\b[^,.;?!]{0,30}?\bin\s+((?:19|20)\d\d)\b"
    # "he set it up in 1998", "we started the factory in 2005", "my father opened it in 1998"
    r"|\b(?:set|started|opened|built|founded|bought|took over)\s+(?:it|them|the (?:factory|plant"
    r"|company|business|firm|workshop)|our (?:factory|plant|company))\s+(?:up\s+|over\s+)?in\s+"
    r"((?:19|20)\d\d)\b"
)
# "如果係2011年搬去韶關呢", "what if we moved to Shaoguan in 2011?": a move supposed in
# that year, asked of that year
_SUPPOSED = re.compile(r"如果|假如|要是|假设|若果|\bwhat if\b|\bsuppose\b|\bif we had\b")
def _supposed_in_that_year(folded: str, year: int) -> bool:
    """ "如果係2011年搬去韶關呢": the supposition is said in the clause of the year, not
    elsewhere in the message ("2010年喺韶關開廠…如果想做節能項目")."""
    for clause in re.split(r"[，,。.;；!！?？]", folded):
        if str(year) in clause and _SUPPOSED.search(clause):
            return True
    return False


# "當時可唔可以申請？", "could we apply back then?": the time said is the one asked about
_THEN_ASKED = re.compile(
    r"当时|那时|嗰时|嗰阵|𠮶时|𠮶阵|那年|嗰年|𠮶年|那个时候|\bback then\b|\bat (?:that|the) time\b"
    r"|当年|\bthat year\b|\bthen\?|\bwere we\b|\bwas (?:it|the factory)\b"
    r"|\b(?:could|would) (?:we|i|it|they) have\b|\bdid (?:we|it|the factory) qualify\b"
)


def _history_years(folded: str) -> list[int]:
    """Years said as when the company or factory was set up, not as the day asked, once
    for each time said so.

    >>> _history_years("我哋公司2005年喺香港注册,厂喺东莞")
    [2005]
    >>> _history_years("we did an assessment in 2014, can we do another?")
    []
    """
    return [
        int(next(g for g in match.groups() if g))
        for match in _HISTORY_YEAR.finditer(without_references(folded))
    ]


_EXTENSION_WORDS = (
    r"(?:延展(?:计划|期|阶段)?|\bextension\b|\bextended (?:programme|program|scheme)\b)"
)
_BEFORE_EXTENSION = re.compile(
    r"\b(?:before|prior to|until) (?:the )?"
    + _EXTENSION_WORDS
    + "|"
    + _EXTENSION_WORDS
    + r"\s*(?:之前|以前|前)"
)
_AFTER_EXTENSION = re.compile(
    r"\bafter (?:the )?"
    + _EXTENSION_WORDS
    + "|"
    + _EXTENSION_WORDS
    + r"\s*(?:之后|以后|后|完咗之后|结束后)"
)


def read_repeat(reading: Reading, folded: str, turn: int, today: date | None) -> None:
    """An earlier funded assessment and another one asked for (W5's rule decides it):
    ``last_assessment`` with the year it was done, when said ("2015年做過評估", "we had
    one last year"), and ``repeat`` when another is asked ("想再做一次評估",
    "can we get a second assessment?")."""
    if "assessment" not in (f.value for f in reading.of("item", STATED)):
        return
    done_before = _PAST_EVENT.search(folded) or _LAST_ONE.search(folded)
    again = _REPEAT.search(folded)
    if not (done_before or again):
        return
    years = sorted({int(y) for y in _YEAR.findall(without_references(folded))})
    relative = _RELATIVE_YEAR.search(folded) or _YEARS_AGO.search(folded)
    year: int | None = None
    if done_before and years:
        year = years[0]
    elif done_before and relative and today is not None:
        year = today.year + _shift_of(relative)
    if done_before or year is not None:
        reading.facts.append(Fact("last_assessment", {"year": year}, STATED, turn))
    if year is not None and _LAST_ONE.search(folded):
        # "上一次评估是2019年做的": the year of the last one, so another is in view; not
        # the rules' date ("had an assessment in 2016 quoted at…" keeps it)
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "day" and str(f.value.get("day", "")).startswith(f"{year}-"))
        ]
    if again:
        reading.facts.append(Fact("repeat", "assessment", STATED, turn))


# The other conditions of W5's rule, said of the factory: a recommended measure carried
# out ("有做咗建議嘅變頻器"), a change of process or materials ("轉咗用水性漆").
_MEASURE_DONE = re.compile(
    r"(?:做咗|做了|落实咗|落实了|实施咗|实施了|装咗|装了|已经做|已做|跟咗|跟了).{0,6}(?:建议|措施|改善)"
    r"|建议(?:嘅|的)?(?:措施|方案)?.{0,6}(?:做咗|做了|落实|实施|完成)"
    r"|\b(?:carried out|implemented|did|done|installed|put in|followed)\b.{0,30}\b(?:recommend\w*|measures?|suggest\w*)"
    r"|\b(?:recommend\w*|measures?)\b.{0,20}\b(?:carried out|implemented|done|installed|in place)\b"
)
_PROCESS_NOT_CHANGED = re.compile(
    r"(?:冇|没有|没|未|唔会|不会)(?:改|转|换|变)(?:过|到)?.{0,6}(?:工序|物料|原料|材料|工艺)"
    r"|\b(?:didn't|did not|haven't|have not|hasn't|no) (?:change|changed|switch|switched)\b.{0,20}\b(?:process|materials?)\b"
)
_PROCESS_CHANGED = re.compile(
    r"(?:转咗|转了|改咗|改了|换咗|换了|改用|转用|已经用|而家用|现在用).{0,10}"
    r"(?:工序|物料|原料|原材料|材料|工艺|水性|涂料|油墨|溶剂|漆)"
    r"|\b(?:switched|changed|moved|converted)\b.{0,30}\b(?:process|materials?|paints?|water-based|solvents?|inks?|coatings?)\b"
)


def read_repeat_conditions(reading: Reading, folded: str, turn: int) -> None:
    """W5's other conditions for another funded assessment, when said."""
    if _MEASURE_DONE.search(folded):
        reading.facts.append(Fact("repeat_measure", True, STATED, turn))
    if _PROCESS_NOT_CHANGED.search(folded):
        # "we didn't change process though": that condition, denied
        reading.facts.append(Fact("repeat_change", False, STATED, turn))
    elif _PROCESS_CHANGED.search(folded):
        reading.facts.append(Fact("repeat_change", True, STATED, turn))


# "當時", "上次那個", "back then": the dated time the conversation named before.
_BACK_THEN = re.compile(
    r"当时|那时候?|(?:嗰|𠮶)阵(?:时)?|上次(?:嗰|𠮶|那)个|上一次(?:嗰|𠮶|那)个|以前(?:嗰|𠮶|那)个"
    r"|\bback then\b|\bat the time\b|\bthat time\b|\bthe last (?:one|project)\b"
)
_LAST_ONE = re.compile(r"上次|上一次|\blast (?:one|time|assessment|audit)\b|\bprevious\b")
_REPEAT = re.compile(
    r"再|又做|重新|重复|第二次|第二轮|多一次|多次|\bagain\b|\banother\b|\bsecond\b|\brepeat|"
    r"\bre-?do\b|\bonce more\b|\bone more\b"
)


# A month with no year, in a conversation about a dated time: "咁2月尾呢？" after "2013年1月".
_MONTH_ALONE = re.compile(
    r"(?<![\d年一二三四五六七八九十])(1[0-2]|[1-9]|十一|十二|十|[一二三四五六七八九])\s*月(?:份)?"
    # "4月1號呢": a day of that month, in the year the conversation is about
    r"(?:\s*(?P<day>[12]\d|3[01]|[1-9])\s*(?:日|号))?"
    r"\s*(尾|底|中|初|头)?(?!\s*(?:\d|[一二三四五六七八九十]))"
    r"|\b(?:(end of|late|early|mid|middle of|beginning of|start of)\s+|mid-)?"
    r"(january|february|march|april|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
    # "January 25th": the day after the month
    r"(?:\s+(?P<eday>[12]\d|3[01]|[1-9])(?:st|nd|rd|th)?\b(?!\s*,?\s*\d))?(?!\s*\d)"
)
# "25 January", "the 25th of January": the day before the month
_DAY_BEFORE_MONTH = re.compile(r"(?<!\d)([12]\d|3[01]|[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_RELATIVE_YEARS = {
    "大前年": -3,
    "前年": -2,
    "the year before last": -2,
    "后年": 2,
    "the year after next": 2,
    "去年": -1,
    "上年": -1,
    "旧年": -1,
    "last year": -1,
    "明年": 1,
    "下年": 1,
    "出年": 1,
    "next year": 1,
}
_RELATIVE_YEAR = re.compile("|".join(map(re.escape, _RELATIVE_YEARS)))
# "三年前", "5年前", "two years ago", "2 years ago": that many years before today
_YEARS_AGO = re.compile(
    r"(\d{1,2}|[两二三四五六七八九十])\s*年(?:之)?前"
    r"|\b(\d{1,2}|a|one|two|three|four|five|six)\s+years?\s+ago\b"
)


def _shift_of(match: re.Match[str]) -> int:
    """The years a relative year names: -1 for "去年", -3 for "三年前", 1 for "明年"."""
    if match.re is not _YEARS_AGO:
        return _RELATIVE_YEARS[match.group(0)]
    count = match.group(1) or match.group(2)
    if count.isdigit():
        return -int(count)
    return -(_WORD_COUNTS.get(count) or money.chinese_integer(count) or 0)


_MONTH_END_WORDS = ("尾", "底", "end of", "late")
_MONTH_START_WORDS = ("初", "头", "early", "beginning of", "start of")


def _month_in_context(reading: Reading, folded: str, turn: int, year: int) -> bool:
    """The month named, in the year the conversation is about; False when none is."""
    match = _MONTH_ALONE.search(folded)
    if match is None:
        return False
    if match.group(1):
        month, where = _month_number(match.group(1)), match.group(3)
    else:
        month, where = _MONTHS[match.group(5)], match.group(4) or ""
    first, last = date(year, month, 1), _last_of_month(year, month)
    after = _RELATIVE_MONTH.search(folded)
    day_said = match.group("day") or match.group("eday")
    if day_said is None and match.group(5):
        before = _DAY_BEFORE_MONTH.search(folded[: match.start()])
        day_said = before.group(1) if before else None
    if day_said and int(day_said) <= last.day:
        value = {"day": date(year, month, int(day_said)).isoformat(), "precision": "day"}
    elif where in _MONTH_END_WORDS:
        value = {"day": last.isoformat(), "precision": "day"}
    elif where in _MONTH_START_WORDS or after is not None:  # "4月之後": from its first day
        value = {"day": first.isoformat(), "precision": "day"}
    elif where in ("中", "mid", "middle of") or match.group(0).startswith("mid-"):
        value = {"day": date(year, month, 15).isoformat(), "precision": "day"}
    else:
        value = {"day": first.isoformat(), "precision": "month", "until": last.isoformat()}
    reading.facts.append(Fact("day", value, STATED, turn))
    return True


# A month said of a plan ("如果我们2月再报呢", "if we apply in April"): the next one.
_AHEAD = re.compile(
    r"如果|假如|假设|要是|若果|等到|等埋|再报|再申请|再交|申请|报名|递交"
    r"|\bif\b|\bwait\b|\buntil\b|\bapply\b|\bsubmit\b"
)
# "那1月25号呢？", "what about 25 January?": the last answer asked again for a day later in
# the year of the rules date; a month already gone by, or next year's, is not guessed
_DAY_ASKED_BACK = re.compile(r"呢\s*[?？]*\s*$|\bwhat about\b|\bhow about\b")


def _month_ahead(reading: Reading, folded: str, turn: int, today: date) -> bool:
    """A month without a year, said of a plan, in the conversation with no year named:
    its next coming (this month counts), not a month gone by."""
    match = _MONTH_ALONE.search(folded)
    if match is None or _PAST_EVENT.search(folded):
        return False
    month = _month_number(match.group(1)) if match.group(1) else _MONTHS[match.group(5)]
    if not _AHEAD.search(folded) and not (_DAY_ASKED_BACK.search(folded) and month >= today.month):
        return False
    year = today.year if month >= today.month else today.year + 1
    return _month_in_context(reading, folded, turn, year)


def _last_of_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


# A year said of something done before ("我哋2010年做過評估") is no phase the user means.
_STARTED = re.compile(r"开始|开工|动工|启动|\b(?:started|began|begun|start|begin|kicked off)\b")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)(?!\s*(?:万|萬|千|百|亿|億|元|蚊|块|件|个|人|%|k\b|m\b))")
_PAST_EVENT = re.compile(r"做过|申请过|参加过|以前做|之前做|\bdid\b|\bdone\b|\bhad\b|\bapplied\b")
# Something done last year ("舊年買咗部新機", "we moved there last year"): an event of the
# case, not the time the rules are asked for
# The item itself done then, its subsidy asked: "前年做咗個示範項目，40萬，應該攞到幾多？"
_ITEM_DONE_THEN = re.compile(
    r"(?:做咗|做了|做过|做的|搞咗|搞了|完成咗|完成了)\S{0,4}(?:示范项目|项目|评估|核证)"
    r"|应该(?:攞到|拿到|得到|有)|\b(?:did|had|completed|ran) (?:a |an |the |our )?"
    r"(?:demo(?:nstration)? project|project|assessment|verification)\b|\bshould have (?:got|received|gotten)\b"
)
_NOW = re.compile(r"而家|现在|目前|今年|\bnow\b|\bcurrently\b|\btoday\b|\bthis year\b")
_DONE_THEN = re.compile(
    r"[咗过](?![吗嘛呢])|(?<!可以)(?<!得)了(?![吗嘛呢])"
    r"|\b(?:bought|purchased|installed|built|moved|opened|set up|started|did|had|got|spent)\b"
)
_AGAIN = re.compile(
    r"再|又|重新|重复|第二次|仲可|还可|还能|现在|而家|今年|\bagain\b|\bre-?apply|\banother\b|\brepeat|"
    r"\bsecond\b|\bnow\b|\btoday\b|\bthis year\b|\bstill\b"
)


# A time after the day named, or today: "遲一個禮拜", "晚两周", "推迟一个月", "一個月之後",
# "a week later", "two months after that", "delay it by a month".
_COUNT = r"(\d{1,2}|[一二两三四五六七八九十]|半|a|an|one|two|three|four|five|six)"
_SHIFT = re.compile(
    r"(?:迟|晚|推迟|延迟|延后|押后|再过|过多|等多)\s*"
    + _COUNT
    + r"\s*(?:个)?\s*(日|天|礼拜|星期|周|个月|年)"
    r"|(?<![\d年月])" + _COUNT + r"\s*(?:个)?\s*(日|天|礼拜|星期|周|个月|年)\s*(?:之后|以后|后)"
    r"|\b" + _COUNT + r"\s+(days?|weeks?|months?|years?)\s+(?:later|after(?:wards)?\b|on\b)"
    r"|\b(?:delay|postpone|push)\w*\b.{0,20}\bby\s+"
    + _COUNT
    + r"\s+(days?|weeks?|months?|years?)\b"
)
# "3個月後先有結果", "paid a month after completion": how long something takes, no day
_TIME_OF_SOMETHING = re.compile(
    r"结果|批核|审批|批准|付款|发放|收到|拿到|完成|安装|装好|验收|回复|覆"
    r"|\b(?:result|approv|paid|pay|payment|receive|complet|install|reply|hear back)"
)
_WORD_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _years_shifted(folded: str, year: int) -> int | None:
    """The year a shift of whole years lands on ("遲一年", "a year later"), else None."""
    shifted = _shifted_day(folded, date(year, 1, 1))
    match = _SHIFT.search(folded)
    groups = [g for g in match.groups() if g is not None] if match else []
    if (
        shifted is None
        or len(groups) < 2
        or not (groups[1] == "年" or groups[1].startswith("year"))
    ):
        return None
    return shifted.year


def _shifted_day(folded: str, base: date | None) -> date | None:
    """The day a shift said in the message lands on, counted from ``base``."""
    match = _SHIFT.search(folded)
    if match is None or base is None or _TIME_OF_SOMETHING.search(folded):
        return None
    groups = [g for g in match.groups() if g is not None]
    count_text, unit = groups[0], groups[1]
    if count_text == "半":
        count = 0.5
    elif count_text.isdigit():
        count = int(count_text)
    elif count_text in _WORD_COUNTS:
        count = _WORD_COUNTS[count_text]
    else:
        count = money.chinese_integer(count_text) or 0
    if not count:
        return None
    if unit in ("日", "天") or unit.startswith("day"):
        return base + timedelta(days=round(count))
    if unit in ("礼拜", "星期", "周") or unit.startswith("week"):
        return base + timedelta(days=round(7 * count))
    months = count * (12 if unit == "年" or unit.startswith("year") else 1)
    if months != int(months):  # "半個月": half a month, as days
        return base + timedelta(days=round(30 * months))
    month_index = base.month - 1 + int(months)
    year, month = base.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(base.day, monthrange(year, month)[1]))


def _month_number(text: str) -> int:
    """ "4" or "四" (the month patterns let through only 1 to 12)."""
    return int(text) if text.isdigit() else money.chinese_integer(text) or 0


# "2012年同2014年分別得唔得", "eligible in 2011, 2014 and now?": several times listed
# "between 2015 and 2020", "from 2015 to 2020": one span of years, not two times
YEARS_SPAN = re.compile(r"\b(?:between|from)\s+(?:19|20)\d\d\s+(?:and|to)\s+(?:19|20)\d\d")
TIMES_SIDE_BY_SIDE = re.compile(
    r"(?<!\d)(?:19|20)\d\d\s*年?\s*(?:同|和|及|与|、|,|，|/|&|\band\b|\bor\b|\bvs\.?)\s*"
    r"(?:(?:19|20)\d\d(?!\d)|而家|现在|今日|今年|\btoday\b|\bnow\b)"
)
_NOW_LISTED = re.compile(r"而家|现在|目前|今日|宜家|\btoday\b|\bnow\b")


def days_listed(folded: str, today: date) -> list[dict[str, str]]:
    """The years a message lists side by side, and now if it is one of them, in the
    order said; [] unless two or more are listed ("2012年同2014年", "2011, 2014 and now").

    >>> [d["day"] for d in days_listed("2012年同2014年分别得唔得", date(2026, 11, 29))]
    ['2012-01-01', '2014-01-01']
    """
    if not TIMES_SIDE_BY_SIDE.search(folded) or YEARS_SPAN.search(folded):
        return []  # "between 2015 and 2020": one span, not two times
    history = _history_years(folded)
    found: list[tuple[int, dict[str, str]]] = []
    seen: set[int] = set()
    for match in _YEAR.finditer(without_references(folded)):
        year = int(match.group(1))
        if year in seen or year in history:
            continue
        seen.add(year)
        found.append(
            (match.start(), {"day": f"{year}-01-01", "precision": "year", "until": f"{year}-12-31"})
        )
    now = _NOW_LISTED.search(folded)
    if now is not None and today.year not in seen:
        found.append((now.start(), {"day": today.isoformat(), "precision": "day"}))
    return [value for _start, value in sorted(found, key=lambda pair: pair[0])] if len(found) > 1 else []
