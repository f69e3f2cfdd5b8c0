"""Reading money: the costs a message gives, each tied to its funding item, a price for
one of several units, a cost for each of several projects, a range's two ends, a
currency said alone, and the user's own exchange rate. Called by
``bot.core.reading.read``; the amounts themselves are found by ``bot.core.money``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING

from bot.core import money
from bot.core.case import STATED, Fact
from bot.core.textnorm import fold

if TYPE_CHECKING:
    from bot.core.reading import Reading

MAX_COSTS = 3  # costs read from one message, at most

# "按港币算是多少？", "咁即係港幣幾多？", "how much is that in HKD?": a conversion asked for
_CONVERSION_ASKED = re.compile(
    r"多少|几多|几钱|点计|点样计|怎么算|怎样算|换算|折合|折算|兑换|\bhow much\b|\bconvert\w*"
    r"|\bwhat(?:'s| is) (?:that|it) in\b|\bin hk(?:d| dollars)\?"
)
_RATE_ASKED = re.compile(
    r"汇率|兑换率|找换率|\bexchange rates?\b|\bwhat rate\b|\bwhich rate\b|\bconversion rate\b"
)
_CURRENCY_DENIED = re.compile(r"(?:不是|唔系|并非|并不是|不系|\bnot|\bisn't|\bno)\s*$")
_RMB_ALONE = re.compile(r"人民币|\brmb\b|\brenminbi\b|\byuan\b|\bcny\b")
_HKD_ALONE = re.compile(
    r"港币|港元(?!朗)|港纸|\bhkd\b|\bhk\s?\$|\bhk dollars?\b|\bhong kong dollars?\b"
)


_PAID_BEFORE = re.compile(
    r"(?:收咗|收了|俾咗|畀咗|付咗|付了|花咗|花了|使咗|使了|用咗|用了|\bpaid\b|\bcharged\b|\bcost us\b"
    r"|\bspent\b)\s*(?:\w{0,3})?\s*$"
)
_EARLIER = re.compile(r"之前|以前|上次|嗰阵|那时|(?:19|20)\d\d\s*年|\blast time\b|\bpreviously\b|\bbefore\b|\bin (?:19|20)\d\d\b")
_TOTAL_BEFORE = re.compile(
    r"(?:总共|合共|一共|加埋|共计|合计|\btotal(?:ling)?\b|\baltogether\b|\bin all\b)\s*"
    r"(?:大概|大约|约|左右|about|around|approx\.?|~)?\s*(?:hk\$|\$)?\s*$"
)
_DONE_BEFORE = re.compile(r"(?:做过|做咗|做了|搞过|\bhad an?|\bdid an?)\s*(?:个|一个|一次)?\s*$")
# An amount said not to be the one meant: "not 350k", "唔係35萬", "instead of 350k"
_AMOUNT_DENIED = re.compile(
    r"(?:\bnot|\binstead of|\brather than|唔系|不是|而唔系|而不是|并非)\s*(?:hk\$|\$|港币|港元)?\s*$"
)


def read_money(reading: Reading, turn: int) -> None:
    """One cost per amount, each tied to the funding item named nearest before it
    ("實地評估6萬，示範項目50萬": two costs), else after it, else the message's one item.
    A currency said alone ("是人民幣") corrects the currency of the cost given before."""
    u = reading.u
    rate = _exchange_rate(fold(u.text))
    if rate is not None:
        # "按汇率1人民币=1.08港币算呢": the user's own rate, to turn a renminbi cost into
        # Hong Kong dollars (no rate is in our sources); its figures are no cost.
        value, (start, end) = rate
        if value is not None:
            reading.facts.append(Fact("rate", str(value), STATED, turn, u.text[start:end]))
        u.amounts = [a for a in u.amounts if a.span[1] <= start or a.span[0] >= end]
    if not u.amounts:
        folded = fold(u.text)
        units = _units_alone(folded)
        if units is not None:
            # "如果買15部呢": the unit price said before, times this many (merged there)
            reading.facts.append(Fact("units", units, STATED, turn, u.text[:40]))
        rmb, hkd = _RMB_ALONE.search(folded), _HKD_ALONE.search(folded)
        if rate is None and _RATE_ASKED.search(folded):
            # "汇率怎么算的", "what exchange rate do you use?": the rate itself, asked
            reading.asks.add("convert")
            return
        if rate is not None:
            pass  # its currency words are the rate's, not the cost's
        elif rmb and hkd:
            # "RMB or HKD? 是港币": the question echoed, then the answer: the last one said.
            # "Is that HKD or RMB?" only asks: no currency is said.
            said_last = [*_RMB_ALONE.finditer(folded), *_HKD_ALONE.finditer(folded)]
            # "人民币不是港币", "RMB, not HKD": a currency denied is not the one said
            said_last = [
                m
                for m in said_last
                if not _CURRENCY_DENIED.search(folded[max(0, m.start() - 6) : m.start()])
            ] or said_last
            last = max(said_last, key=lambda m: m.start())
            rmb = next((m for m in _RMB_ALONE.finditer(folded) if m.start() == last.start()), None)
            asked = folded.rfind("?") > last.start() or folded.rfind("？") > last.start()
            if not asked:
                said = "RMB" if rmb is not None else "HKD"
                reading.facts.append(Fact("currency", said, STATED, turn, u.text[:40]))
            else:
                reading.asks.add("currency")  # "Is that HKD or RMB?": which one the figures are
        elif rmb:
            reading.facts.append(Fact("currency", "RMB", STATED, turn, u.text[:40]))
        elif hkd and _CONVERSION_ASKED.search(folded):
            reading.asks.add("convert")  # "按港币算是多少？": a conversion asked, no currency said
        elif hkd:
            reading.facts.append(Fact("currency", "HKD", STATED, turn, u.text[:40]))
        return
    folded = fold(u.text)
    mentions = sorted(
        (start, end, name.removeprefix("item."))
        for name, start, end in u.spans
        if name.startswith("item.")
    )
    u.amounts, lows = _join_ranges(u.text, u.amounts)
    u.amounts = _without_corrected(u.text, u.amounts)
    if len(u.amounts) > 1:
        # "sorry i meant 1.5m not 350k", "係150萬唔係35萬": the amount denied is no cost
        kept = [
            a
            for a in u.amounts
            if not _AMOUNT_DENIED.search(folded[max(0, a.span[0] - 12) : a.span[0]])
        ]
        if kept and len(kept) < len(u.amounts):
            u.amounts = kept
    if len(u.amounts) > 1:
        # "之前做過評估，顧問收咗三萬幾": what was paid before; "總共百三萬": the sum of
        # the others; neither is one more cost
        paid_before = [
            a
            for a in u.amounts
            if _PAID_BEFORE.search(folded[max(0, a.span[0] - 16) : a.span[0]])
            and _EARLIER.search(folded)
        ]
        kept = [
            a
            for a in u.amounts
            if a not in paid_before
            and not _TOTAL_BEFORE.search(folded[max(0, a.span[0] - 10) : a.span[0]])
        ]
        if kept:
            u.amounts = kept
        if paid_before and kept:
            # the earlier item's fee told, not asked: that item ("之前做過個評估") names
            # no cost said after it
            done = [m for m in mentions if _DONE_BEFORE.search(folded[max(0, m[0] - 10) : m[0]])]
            mentions = [m for m in mentions if m not in done]
            still = {m[2] for m in mentions}
            reading.facts = [
                f
                for f in reading.facts
                if not (f.kind == "item" and f.value in {m[2] for m in done} - still)
            ]
    if len(u.amounts) > 1 and _FIGURES_SEEN.search(folded):
        # "the figures 45,000 / 450,000 / 650,000 I saw on a gov page": figures asked
        # about, no project's costs
        u.amounts = []
        return
    # "去年營業額大概5000萬", "去年卖了2000万的货", "sales of 3m": the business's
    # turnover, no project's cost
    u.amounts = [
        a
        for a in u.amounts
        if not _TURNOVER_BEFORE.search(folded[max(0, a.span[0] - 12) : a.span[0]])
        and not _GOODS_AFTER.match(folded, a.span[1])
    ]
    for amount in u.amounts[:MAX_COSTS]:
        unit = getattr(amount, "unit_hint", None)
        currency = amount.currency
        before = folded[max(0, amount.span[0] - 24) : amount.span[0]]
        if (
            (
                _CAP_BEFORE.search(before)
                and ("?" in folded or "？" in folded or _CAP_DOUBTED.search(folded))
            )
            or (_SUBSIDY_BEFORE.search(before) and _HEARSAY.search(folded))
            or (
                _GET_BEFORE.search(before)
                and ("?" in folded or "？" in folded or _CAP_DOUBTED.search(folded))
            )
            or (_WHICH_PHASE.search(folded) and len(u.amounts) == 1)
            # "question is about the HK$750k cap", "65萬上限係咪新一期？": a cap named
            or _CAP_AFTER.match(folded, amount.span[1])
        ):
            # "isn't the demo cap 300k?": a cap the user remembers, asked about; no cost
            reading.facts.append(Fact("cap_claimed", str(amount.value), STATED, turn, amount.text))
            reading.asks.add("caps")
            continue
        if currency is None and unit in ("元", "块", "塊", "圓", "圆"):
            currency = "unclear"
        value: dict[str, object] = {
            "amount": str(amount.value),
            "currency": currency,
            "text": amount.text,
        }
        projects = _projects_each(fold(u.text), amount.span) if len(u.amounts) == 1 else None
        count = None if projects else _units_bought(fold(u.text), amount.span)
        if len(u.amounts) != 1:
            count = None
        factories = None if projects or count else _factories_each(fold(u.text))
        if len(u.amounts) != 1:
            factories = None  # "两个厂…分别是4万和6万": one cost each, not one for all
        together = (
            _projects_together(fold(u.text)) if len(u.amounts) == 1 and not projects else None
        )
        if projects:
            # "分成两个项目申请，每个30万": two projects of 30萬, each with its own cap
            value["projects"] = projects
        elif together:
            # "兩個項目加埋300萬": one cost for both, each project with its own cap
            value["projects_together"] = together
        elif factories:
            # "三間廠每間都想做一個新技術項目，每個50萬": a project of 50萬 at each factory
            value["factories"] = factories
        low = lows.get(amount.span)
        if low is not None and not projects and not count:
            # "30-40萬": one cost, not yet settled; the higher end is estimated, the
            # lower end said beside it
            value["low"] = str(low.value)
            value["text"] = u.text[low.span[0] : amount.span[1]]
        if count:  # "HK$45k each, 8 of them": the whole cost
            value["amount"] = str(amount.value * count)
            value["text"] = f"{amount.text} × {count}"
            value["unit_price"] = str(amount.value)  # for "what if we buy 15?"
        item = (
            _item_for(amount.span, mentions, len(folded))
            if len(u.amounts) > 1
            else _one_item(reading, fold(u.text), amount.span)
        )
        if item:
            value["item"] = item
        reading.facts.append(Fact("cost", value, STATED, turn, amount.text))


# Between two amounts, the first taken back: "1萬2 lol no i mean 12萬", "1萬2，唔係，講錯，
# 12萬", "12k sorry 120k"
_TAKEN_BACK = re.compile(
    r"\bno,? i mean\b|\bi mean\b|\bi meant\b|\bsorry\b|\btypo\b|\boops\b|\bcorrection\b"
    r"|讲错|打错|写错|说错|更正|应该系|应该是|唔好意思|不好意思"
)


_NOT_THIS_ONE = re.compile(r"唔系|不是|而唔系|而不是|并非|\bnot\b|\bisn'?t\b|\brather than\b|\binstead of\b")


def _without_corrected(text: str, amounts: list[money.Amount]) -> list[money.Amount]:
    """Each amount followed by a correction and another amount is dropped: the second
    one replaces it (one cost, said again)."""
    folded = fold(text)
    dropped: set[int] = set()
    for index, amount in enumerate(amounts[:-1]):
        between = folded[amount.span[1] : amounts[index + 1].span[0]]
        if _NOT_THIS_ONE.fullmatch(between.strip(" ,，、")):
            dropped.add(index + 1)  # "係150萬唔係35萬", "150k not 35k": the second is denied
        elif len(between.strip()) <= 24 and _TAKEN_BACK.search(between):
            dropped.add(index)  # "1萬2 lol no i mean 12萬": a few words, then the amount again
    return [a for index, a in enumerate(amounts) if index not in dropped]


# Between two amounts of one cost: "30-40萬", "300k to 400k", "30萬或者40萬",
# "between 300k and 400k" (the "between" is checked before the first amount).
_RANGE_JOIN = re.compile(r"\s*(?:[-~–—至到或定]|或者|还是|to|or|and)\s*")
_BETWEEN_BEFORE = re.compile(r"(?:\bbetween|介乎|介于)\s*(?:hk\$|\$)?\s*$")


def _join_ranges(
    text: str, amounts: list[money.Amount]
) -> tuple[list[money.Amount], dict[tuple[int, int], money.Amount]]:
    """The amounts with each range's lower end taken out, and the lower end of each range
    by the span of its higher end. A range is two amounts of one currency, the first
    lower, joined by a dash, 至, "to" or "or" (or "and" after "between")."""
    kept: list[money.Amount] = []
    lows: dict[tuple[int, int], money.Amount] = {}
    folded = fold(text)
    index = 0
    while index < len(amounts):
        first = amounts[index]
        second = amounts[index + 1] if index + 1 < len(amounts) else None
        if second is not None and _is_range(folded, first, second):
            kept.append(second)
            lows[second.span] = first
            index += 2
            continue
        kept.append(first)
        index += 1
    return kept, lows


def _is_range(folded: str, first: money.Amount, second: money.Amount) -> bool:
    between = folded[first.span[1] : second.span[0]]
    join = _RANGE_JOIN.fullmatch(between)
    if join is None or not first.value < second.value:
        return False
    if first.currency and second.currency and first.currency != second.currency:
        return False
    if join.group(0).strip() == "and":
        return bool(_BETWEEN_BEFORE.search(folded[: first.span[0]]))
    return True


# An amount said as the cap: "isn't the demo cap 300k?", "上限唔係30萬咩？".
_CAP_BEFORE = re.compile(
    r"(?:\bcap|\bcaps|\bcapped at|\blimit|\bmaximum|\bmax|上限|封顶)\s*"
    r"(?:is|was|of|at|still|only|just|系|是|为|唔系|不是|就系|只系|仲系|还是|得|只有)?\s*"
    r"(?:hk\$|\$|港币|港元(?!朗))?\s*$"
)
# A subsidy the user heard of, to check: "上網睇到有個計劃資助45萬，係咪真？", "I read the
# subsidy is 450k, is that true?". Without the hearsay, "資助50萬嘅項目" is a cost.
_SUBSIDY_BEFORE = re.compile(
    r"(?:资助|补贴|津贴|\bsubsid(?:y|ies|ise|ize)|\bfunding|\bgrants?)\s*"
    r"(?:(?:is|was|of|at|up to|系|是|为|有|达|高达|最多|可达|多达|可以)\s*){0,2}"
    r"(?:hk\$|\$|港币|港元(?!朗))?\s*$"
)
# An amount said as a cap, the word after it: "the HK$750k cap", "65萬嘅上限"
_CAP_AFTER = re.compile(
    # each \s* before a word it needs: optional words between bare \s* runs backtrack
    # cubically over a long run of spaces
    r"\s*(?:(?:hkd|港币|港元|元|蚊)\s*)?(?:(?:嘅|的)\s*)?"
    # "for the 750k cap?": the cap named, asked about
    r"(?:\bcaps?\b(?!\s*(?:is|was|what|how)\b)"
    # "示範項目50萬，上限幾多？": a cost, then the cap asked
    r"|(?:上限|封顶)(?!\s*(?:系|是|为|有)?\s*(?:几多|多少|几钱|点计|[?？])))"
)
# A subsidy the user asks whether they can get: "即係而家做DP(ii)可以攞65萬？", "can we get
# 650k?". The amount is the government's share asked about, not the project's cost.
_GET_BEFORE = re.compile(
    r"(?:攞|拿|获得|获|得到|领到|领|\bget\b|\bgot\b|\breceive\b|\bclaim\b)\s*(?:到|返|番|足)?"
    # "可以攞兩次650k？", "get 2 x 400k": the subsidy asked, however many times
    r"\s*(?:the\s+)?(?:full\s+)?(?:\d\s*(?:x|×|\*)\s*|两次|\d\s*次)?(?:hk\$|\$|港币|港元(?!朗))?\s*$"
)
# "那个45000是哪一期的", "which phase is the 450k from?": a figure whose phase is asked
_WHICH_PHASE = re.compile(r"(?:哪|边|邊)一?期|\bwhich phase\b|\bwhat phase\b")
_HEARSAY = re.compile(
    r"系咪真|是不是真|是真的|真唔真|真的吗|真定假|\btrue\b|\breally\b"
    r"|睇到|看到|听讲|听人讲|听说|听闻|网上|上网|\bheard\b|\bread (?:online|that|somewhere)"
    r"|\bi read\b|\bsaw\b|\bonline\b"
)
_CAP_DOUBTED = re.compile(r"\bisn't\b|\bis it\b|\bwasn't\b|咩|吗|嘛|唔系|不是|系咪|是不是")
# A price for one of several: "1萬2千蚊一部機，買20部", "8 heat pumps at HK$45k each".
_PER_UNIT_AFTER = re.compile(
    r"\s*(?:蚊|元|港币|港元(?!朗))?\s*(?:一|每)(?:部|台|套|个|组|只|件|粒)"
    r"|\s*(?:each|apiece|a piece|per (?:unit|set|piece|machine|one|item|pump|line))\b"
)
_PER_UNIT_BEFORE = re.compile(
    r"(?:每|一)(?:部|台|套|个|组|只|件)(?:机|机器|设备)?\s*(?:要|系|是|大约|大概|约)?\s*$"
    # "2 machines, each 45萬", "3 units at HK$200k per unit"
    r"|\b(?:each|per)(?:\s+(?:unit|machine|set|piece|one|pump|line|boiler|item))?"
    r"\s*(?:is|at|costs?|costing|=|:)?"
    r"\s*(?:about|around|approx\.?)?\s*$"
)
_QUANTITY = re.compile(
    # a comma before is a clause's ("新技术项目,两部机"), not a thousands separator's
    r"(?<![\d.$])(?<!\d,)(\d{1,3}|[两二三四五六七八九十]{1,3})\s*(?:部|台|套|个|组|只|件)(?!\s*(?:月|年|日|号))"
    r"|(?<![\d.,$])\b(\d{1,3})\s*(?:x\b|units?\b|sets?\b|pcs\b|pieces\b|machines?\b|lines?\b"
    r"|(?:[a-z-]+\s+){1,3}(?:at|@|for|costing)\b)"
    r"|\bx\s*(\d{1,3})\b|[x×]\s*(\d{1,3})(?!\d)"
)


def _count_of(match: re.Match[str]) -> int | None:
    """The number of a ``_QUANTITY`` match, in digits or Chinese."""
    word = next(g for g in match.groups() if g)
    return int(word) if word.isdigit() else money.chinese_integer(word)


# The units counted are projects (applications), not machines: "分成两个项目", "two projects".
_SEVERAL_PROJECTS = re.compile(
    r"(\d{1,2}|[两二三四五六七八九十])\s*(?:个|次)?\s*(?:项目|申请)"
    r"|\b(\d{1,2}|two|three|four|five)\s+(?:separate\s+)?(?:projects|applications)\b"
)
_EACH = re.compile(r"每个|每项|每次|每间|每家|各|\beach\b|\bapiece\b|\bper project\b|\bevery one\b")
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "两": 2, "二": 2, "三": 3, "四": 4,
                "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}  # fmt: skip


_SEVERAL_FACTORIES = re.compile(
    r"(\d{1,2}|[两二三四五六七八九十])\s*(?:间|家|个)\s*(?:厂|工厂|廠)"
    r"|\b(\d{1,2}|two|three|four|five)\s+(?:factories|plants)\b"
)


def _factories_each(folded: str) -> int | None:
    """How many factories a cost is said of, each: "三間廠…每個50萬", "3 factories, 500k
    each"; None when it is not said per factory."""
    return _count_each(_SEVERAL_FACTORIES, folded)


def _projects_each(folded: str, span: tuple[int, int]) -> int | None:
    """How many projects a cost is for, each: "分成两个项目，每个30万", "two projects of
    300k each"; None when the cost is not said per project."""
    return _count_each(_SEVERAL_PROJECTS, folded)


# "兩個項目加埋300萬", "two projects, 3m in total": one cost for several projects together
_TOGETHER = re.compile(
    r"加埋|加起来|合共|一共|总共|合计|共|\b(?:together|combined|in total|altogether|total(?:ling)?)\b"
)


def _projects_together(folded: str) -> int | None:
    """How many projects a cost is for, all together ("兩個項目加埋300萬"); None when
    it is not said so (or said per project)."""
    several = _SEVERAL_PROJECTS.search(folded)
    if several is None or _EACH.search(folded) or not _TOGETHER.search(folded):
        return None
    word = several.group(1) or several.group(2)
    count = int(word) if word.isdigit() else _COUNT_WORDS.get(word)
    return count if count and 1 < count <= 20 else None


def _count_each(several_said: re.Pattern[str], folded: str) -> int | None:
    """The count of things (2 to 20) a message says a cost is for, each."""
    several = several_said.search(folded)
    if several is None or not _EACH.search(folded):
        return None
    word = several.group(1) or several.group(2)
    count = int(word) if word.isdigit() else _COUNT_WORDS.get(word)
    return count if count and 1 < count <= 20 else None


def _units_bought(folded: str, span: tuple[int, int]) -> int | None:
    """How many units a price is for, when the price is said to be for one; else None."""
    start, end = span
    if not (_PER_UNIT_AFTER.match(folded, end) or _PER_UNIT_BEFORE.search(folded[:start])):
        return None
    for match in _QUANTITY.finditer(folded):
        if match.start() < end and match.end() > start:
            continue  # the price itself
        if _PER_UNIT_AFTER.match(folded, end) and match.start() == end:
            continue
        count = _count_of(match)
        if count is None:
            continue
        if 1 < count <= 999:
            return count
    return None


_RMB_WORD = r"(?:人民币|rmb|cny|元|块)"
_HKD_WORD = r"(?:港币|港元(?!朗)|港纸|hkd|hk\$|hk dollars?)"
_TURNOVER_BEFORE = re.compile(
    r"(?:营业额|营收|生意额|销售额|销售|出口额|年产值|产值|卖了|卖咗|卖出)(?:有|系|是|大概|大约|约)?\s*$"
    r"|\b(?:turnover|revenue|sales|sold)\s+(?:of\s+|is\s+|was\s+|about\s+|around\s+)*$"
)
_FIGURES_SEEN = re.compile(
    r"\b(?:figures|numbers)\b|数字|数目|\b(?:saw|seen|read)\b[^?.]{0,30}\b(?:page|website|site|leaflet)\b"
    r"|(?:看到|见到|睇到)[^?？。]{0,20}(?:网页|网站|单张|页面)"
)
_GOODS_AFTER = re.compile(r"\s*(?:的|嘅)?(?:货|货品|产品|件|个工人|工人)")
_RATE_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_RATE_SIGN = r"\s*(?:=|＝|:|等于|兑|换|to|is)\s*"
_EXCHANGE_RATES = (
    # "1人民币=1.08港币", "1 rmb to 1.08 hkd": Hong Kong dollars for one renminbi
    (
        re.compile(
            rf"(?<![0-9.])1\s*{_RMB_WORD}{_RATE_SIGN}{_HKD_WORD}?\s*{_RATE_NUMBER}\s*{_HKD_WORD}?"
        ),
        False,
    ),
    # "1港币=0.92人民币": renminbi for one Hong Kong dollar
    (re.compile(rf"(?<![0-9.])1\s*{_HKD_WORD}{_RATE_SIGN}{_RATE_NUMBER}\s*{_RMB_WORD}"), True),
    # "汇率1.08", "exchange rate of 1.08": the direction from the size
    (
        re.compile(
            rf"(?:汇率|兑换率|exchange rate|\brate)\s*(?:of|is|为|系|是|按|用)?\s*{_RATE_NUMBER}"
        ),
        None,
    ),
)


def _exchange_rate(folded: str) -> tuple[Fraction | None, tuple[int, int]] | None:
    """An exchange rate the user gives, as Hong Kong dollars for one renminbi (None for
    an absurd one), and where it is said."""
    for pattern, inverted in _EXCHANGE_RATES:
        match = pattern.search(folded)
        if match is None:
            continue
        value = Fraction(match.group(1))
        if value == 0:
            return None
        if inverted is None:
            inverted = value < 1  # a renminbi is worth more than a Hong Kong dollar
        hkd = 1 / value if inverted else value
        # An absurd rate is no rate, and its figures are still no cost.
        return (hkd if Fraction(1, 2) <= hkd <= 2 else None), match.span()
    return None


# A count of units said on its own, as a change of plan: "如果買15部呢", "what if we buy
# 15?", "15部呢", "make it 12 units".
_UNITS_CUE = re.compile(
    r"买|要|换|装|如果|假如|咁|那|呢|\bbuy\b|\bget\b|\bwhat if\b|\bmake it\b|\binstead\b|\?|？"
)


_NOT_UNITS_AFTER = re.compile(
    r"\s*(?:厂|工厂|工场|公司|人|员工|分店|factor|plant|compan|staff|worker)"
)


def _units_alone(folded: str) -> int | None:
    if len(folded) > 40 or not _UNITS_CUE.search(folded):
        return None
    found = [m for m in _QUANTITY.finditer(folded)]
    if not found:
        bare = re.search(r"\b(?:buy|get|make it)\s+(\d{1,3})\b", folded)
        if bare is None:
            return None
        return int(bare.group(1)) if 1 <= int(bare.group(1)) <= 999 else None
    if len(found) != 1 or _NOT_UNITS_AFTER.match(folded, found[0].end()):
        return None
    count = _count_of(found[0])
    return count if count is not None and 1 <= count <= 999 else None


def _one_item(reading: Reading, folded: str, span: tuple[int, int]) -> str | None:
    """The item a message names, when it names one; an assessment or verification named
    beside a price of equipment ("裝新嘅廢水處理系統，報價大概一百二十萬…之前做過一次評估")
    is no item of that price."""
    stated = [f.value for f in reading.facts if f.kind == "item" and f.polarity == STATED]
    if len(stated) != 1:
        return None
    near = folded[max(0, span[0] - 30) : span[1] + 10]
    if stated[0] in ("assessment", "verification") and _EQUIPMENT_PRICE.search(near):
        return None
    return stated[0]


# A price of something bought or fitted: "报价", "系统", "设备", "quote for a new system".
_EQUIPMENT_PRICE = re.compile(
    r"报价|系统|设备|机器|装新|安装|更换|工程|改造"
    r"|\b(?:quote|quotation|system|equipment|machine|install|retrofit|upgrade)"
)


def _item_for(
    span: tuple[int, int], mentions: list[tuple[int, int, str]], length: int
) -> str | None:
    start, end = span
    before = [m for m in mentions if m[1] <= start]
    if before:
        return before[-1][2]
    after = [m for m in mentions if m[0] >= end]
    return after[0][2] if after else None
