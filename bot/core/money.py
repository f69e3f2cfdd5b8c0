"""Money amounts as factory owners type them.

Digits (``400,000``, ``1.2m``, ``80k``), Chinese numerals (``四十萬``, ``三萬五``, ``廿萬``),
mixed forms (``1萬2``, ``1.5萬``) and currency marks (``HK$``, ``港幣``, ``蚊``, ``人民幣``,
``¥``, ``元``, ``块``) become an exact :class:`Amount`.

Matching runs on :func:`bot.core.textnorm.fold` text (half-width, lower case, Simplified),
so one pattern covers 萬/万, 兩/两, ＄/$; spans and ``Amount.text`` refer to the original.

Decisions worth knowing (the tests pin each one):

* ``currency`` is ``"HKD"``, ``"RMB"``, ``"USD"`` or ``None`` when the text does not say.
  RMB is never folded into HKD. ``unit_hint`` records the ambiguous unit word that was
  written: ``"$"`` (a bare ``$`` or "dollars"), ``"元"`` (元/圓), ``"块"`` (塊/块/块钱) or
  ``"蚊"`` (Cantonese for HK dollars; currency is then ``"HKD"``). A caller may read
  ``currency is None and unit_hint in (None, "$")`` as HK dollars and should ask about
  ``"元"``/``"块"``. Conflicting explicit currencies (``HK$30萬人民幣``) give ``None``.
  A currency word shortly before the amount in the same clause (``人民幣大概三十萬``) counts.
* A dollar sign glued to another country's letters (``NT$``, ``S$``, ``A$``) is not
  reported at all, so it can never be mistaken for HK dollars.
* ``approximate`` is true when the text hedges: 大概/約/差唔多/about/around/~ before,
  左右/上下/以上/+ after, or 幾/多 inside (``兩萬幾`` -> 20000, ``十幾萬`` -> 100000,
  ``兩三萬`` -> 20000: the value is the lowest figure the words allow).
* ``半`` after a unit adds half of it (``萬半`` = 15,000, ``兩千半`` = 2,500); before a unit
  it halves it (``半百萬`` = 500,000). ``幾萬`` alone is too vague and gives nothing.
* Ranges share their unit and currency: ``10-20萬`` gives 100,000 and 200,000.
* In free text (:func:`find_amounts`) a bare number counts only with a money cue nearby
  (fee, 成本, 預算...), or when it is at least 1,000 and does not look like a year
  (1900-2100), a phone number or a code with a leading zero. Chinese numerals need a
  百/千/萬/億 unit or a currency word. :func:`parse_amount` (the whole reply is the amount)
  accepts any number, e.g. ``"80000"`` or ``"2014"``.
* Ranges are two amounts, so :func:`parse_amount` gives None for them; use
  :func:`find_amounts`.
* Never amounts: dates, times, percentages (``50%``, ``五成``), counts with measure words
  (``3間廠``, ``45個項目``), phone numbers, references (``para 12(c)``, ``第12段``,
  ``ISO 14001``), numbers glued to letters (``PM2.5``, ``1st``).

cn2an reads the Chinese and mixed integer numerals (四十萬, 二十五萬五千, 1萬2, 4萬5千,
1億2000萬). Around it: 卅/卌 (it fails) and 廿 become 三十/四十/二十; a leading unit
(萬二) gets its 一; 幾/多 hedges, 兩三萬 ranges and 半 are resolved first (it fails on all);
decimals (1.5萬, 三點五萬) and digits-with-units (40萬) are computed here with Decimal,
since cn2an answers plain decimals with floats and cuts a decimal times a unit down to an
integer (1.123456789123萬 -> 11234).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation
from functools import lru_cache

import cn2an

from bot.core.textnorm import Recalled, fold, fold_aligned

HKD = "HKD"
RMB = "RMB"
USD = "USD"
# Any other currency ("EUR 300k", "50萬新台幣"): no rate for it is in our sources either
OTHER = "OTHER"


@dataclass(frozen=True)
class Amount:
    value: Decimal  # exact, in the stated currency's units; never a float
    currency: str | None  # "HKD", "RMB", "USD", or None when the text does not say
    text: str  # the words that matched, as written
    span: tuple[int, int]  # text == original[span[0]:span[1]]
    unit_hint: str | None = None  # "$", "元", "块" or "蚊" when written
    approximate: bool = False  # the text hedges (about, 左右, 幾, 多 ...)


# Unbounded precision and exponent so 10^100 or 24-digit inputs stay exact; inputs are
# at most a few thousand characters, and only scaling and negation are ever computed.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_INTEGRAL_DISPLAY_LIMIT = 40  # write integers up to this many digits without an exponent
_CN2AN_MAX_LEN = 40  # longer Chinese numeral runs are not amounts anyone types

# ---------------------------------------------------------------------------------------
# Patterns. All run on folded text: lower case, half-width, Simplified.

_CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖廿卅卌"
_CN_SMALL_UNITS = "十拾百佰千仟"
_CN_BIG_UNITS = "万亿"
_CN_UNITS = _CN_SMALL_UNITS + _CN_BIG_UNITS
_UNIT_EXPONENT = {"十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3, "万": 4, "亿": 8}
_CN_DIGIT_VALUE = {
    **dict.fromkeys("零〇", 0),
    **dict.fromkeys("一壹", 1),
    **dict.fromkeys("二两贰", 2),
    **dict.fromkeys("三叁", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
_LATIN_MULTIPLIER_EXPONENT = {
    "k": 3,
    "thousand": 3,
    "m": 6,
    "mn": 6,
    "mil": 6,
    "million": 6,
    "millions": 6,
    "b": 9,
    "bn": 9,
    "billion": 9,
}

# A run of numeral characters: digit groups (with valid thousands commas) and Chinese
# numerals, units, 半 (half), 点 (decimal point) and the hedges 几/多. Possessive and
# atomic so a failed match never backtracks into the run.
# ("$3,5000", "12,0000": grouped by ten thousands, as 萬 is written, read whole)
_ARABIC = (
    r"(?>[0-9]{1,4}(?:,[0-9]{4})++(?![0-9])"
    r"|[0-9]{1,3}(?:,[0-9]{3})++(?![0-9])(?:\.[0-9]++)?|[0-9]++(?:\.[0-9]++)?)"
)
# a run starts with a digit, a unit or 半: a leading 多 is prose (差唔多, 好多)
_CN_RUN = f"[{_CN_DIGITS}{_CN_UNITS}半][{_CN_DIGITS}{_CN_UNITS}半几多点]*+"
# "港币 80 万": one space between digits and a big unit, as people type on a phone
_RUN = f"(?:{_ARABIC}(?:[ ](?=[万亿]))?+|{_CN_RUN})++[几多]?+"  # 5000多: a hedge after digits
_SCIENTIFIC = r"[0-9]++(?:\.[0-9]++)?e[+-]?[0-9]{1,6}(?![0-9a-z])|10\^[0-9]{1,6}(?![0-9])"
_MULTIPLIER = (
    r"(?:k|m|mn|mil|b|bn)(?![a-z0-9])"
    r"|[ ]?(?:k|thousand|millions|million|mil|mn|billion|bn)(?![a-z0-9])"
)
# Other currencies' names, folded (Simplified): 歐元 -> 欧元
_OTHER_CJK = (
    "欧元",
    "英镑",
    "日元",
    "日圆",
    "新台币",
    "台币",
    "澳门币",
    "澳门元",
    "葡币",
    "新加坡元",
    "新币",
    "澳元",
    "澳币",
    "加元",
    "加币",
    "韩元",
    "泰铢",
    "越南盾",
    "马币",
    "令吉",
)
_PREFIX = (
    r"(?<![a-z])(?:hk|us)[ ]?\$"
    r"|(?<![a-z])(?:hkd|usd)(?![a-z])[ ]?\$?"
    r"|(?<![a-z])(?:rmb|cny|renminbi)(?![a-z])[ ]?¥?"
    r"|¥|\$|港币|港元(?!朗)|港纸|人民币|人仔|美金|美元"
    r"|(?<![a-z])(?:eur|gbp|jpy|twd|mop|sgd|aud|cad)(?![a-z])[ ]?\$?"
    r"|(?<![a-z])(?:nt|s|a|c|mop)\$|€|£|" + "|".join(_OTHER_CJK)
)
_UNIT_WORD = r"元|圆|块钱|块|蚊|\$(?![ ]?[0-9])|dollars?(?![a-z])|bucks?(?![a-z])"
_CURRENCY_WORD = (
    r"港币|港元(?!朗)|港纸|人民币|人仔|美金|美元|" + "|".join(_OTHER_CJK) + "|"
    r"(?:eur|euros?|gbp|jpy|yen|twd|mop|sgd|aud|cad)(?![a-z])"
    r"|(?:hkd|rmb|cny|usd|yuan|renminbi)(?![a-z])|(?:hk|us)\$"
    r"|(?:hk|hong kong|us) dollars?(?![a-z])"
)
# a currency word followed by a figure is that figure's prefix, not this one's suffix
_NO_NUMBER_NEXT = f"(?![ ]{{0,2}}[-−]?[0-9{_CN_DIGITS}{_CN_UNITS}半])"
_RANGE_SEPARATOR = r"[ ]?(?:[-~–—至到]|to(?= ))[ ]?"

_AMOUNT = re.compile(
    rf"(?P<sign1>[-−])?"
    rf"(?:(?P<pre>{_PREFIX})[ :]{{0,2}})?"
    rf"(?P<sign2>[-−负])?"
    rf"(?:(?P<sci>{_SCIENTIFIC})|(?P<num>{_RUN})(?P<mult>{_MULTIPLIER})?)"
    rf"(?:(?P<sep>{_RANGE_SEPARATOR})(?P<num2>{_RUN})(?P<mult2>{_MULTIPLIER})?)?"
    rf"(?:[ ]{{0,2}}(?P<unit>{_UNIT_WORD}))?"
    rf"(?:[ ]{{0,2}}(?P<cur>\(?[ ]?(?:{_CURRENCY_WORD})[ ]?\)?){_NO_NUMBER_NEXT})?"
)

# Spans that hold digits but are never amounts: dates, times, phone numbers.
_NOT_AMOUNT_SPANS = re.compile(
    r"(?<![0-9])[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])"
    r"|(?<![0-9.,])[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}(?![0-9])"
    r"|(?<![0-9.,])[0-9]{1,2}/[0-9]{1,2}(?![0-9/])"
    r"|(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])"
    r"|(?:(?:\+|00)[ ]?852|\(852\)|(?<![0-9])852)[ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])"
    r"|(?:\+|00)[ ]?86[ -]?[0-9]{2,4}[ -]?[0-9]{3,4}[ -]?[0-9]{4}(?![0-9])"
    # "電話 9123 4567，間廠…": a comma or full stop after it ends the number
    r"|(?<![0-9.,])[0-9]{4}[ -][0-9]{4}(?![0-9]|[,.][0-9])"
    r"|(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march"
    r"|april|june|july|august|september|october|november|december)\.?"
    r"(?:[ ][0-9]{1,2}(?:st|nd|rd|th)?\b(?:,?[ ][0-9]{4}\b)?|[ ][0-9]{4}\b)"
    r"|\b[0-9]{1,2}(?:st|nd|rd|th)?[ ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct"
    r"|nov|dec|january|february|march|april|june|july|august|september|october|november"
    r"|december)\b(?:,?[ ][0-9]{4}\b)?"
)

# What follows a number that makes it a count, a measure, a date part or a percentage.
_COUNT_AFTER = re.compile(
    r"[ ]?(?:%|‰"
    r"|[个间家只台部条项次人名位年月日号天周岁层楼座架张件套批吨斤克米尺呎度瓦升倍段款期厂届组种类份页章宗单箱包支枝辆栋幢户班季轮分秒折]"
    r"|成(?!本|交)|点钟|小时|星期|礼拜|钟头|公斤|公里|平方|立方|千瓦|千克|千米"
    r"|火急)"  # 十萬火急 (extremely urgent) is an idiom, not money
    r"|[ ]?(?:percent|per cent|pct|projects?|factor(?:y|ies)|workers?|staff|people|persons?"
    r"|employees?|years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?"
    r"|times?|sites?|plants?|machines?|units?|items?|pcs|pieces?|tons?|tonnes?|kgs?|km"
    r"|sq|square|feet|ft|meters?|metres?|kwh?|mw|litres?|liters?|am|pm|o'clock"
    r"|applications?|assessments?|cases?|events?|companies|company|firms?|lines?|shifts?"
    r"|boilers?|degrees?|points?|pages?|rooms?|floors?|storeys?|batches?|st|nd|rd|th"
    r"|questions?|things?|issues?|problems?|options?|steps?|ways?|reasons?)(?![a-z])"
    r"|\([a-z]{1,4}\)"  # para 12(c)
    r"|[a-z0-9_]"  # glued to a word: 1st, 5g, 3d
    r"|[.,][0-9]"  # a version number or a list: 1.2.3, 3,4
)

# Things a priced figure describes: after "300k" or "$2m" they are what costs that much.
_PRICED_THING = re.compile(
    r"[ ]?(?:projects?|assessments?|machines?|boilers?|systems?|upgrades?|retrofits?)(?![a-z])"
)

# Things priced in 萬 right after the figure: "50萬項目資助幾多", "80万设备".
_PRICED_CJK = re.compile(r"[ ]?(?:项目|工程|设备|系统|机器|评估|核证)")

# "a 1萬2 assessment": one priced thing, after an article (a count would be plural).
_ARTICLE_BEFORE = re.compile(r"(?<![a-z])(?:a|an)[ ]$")
_PRICED_ONE = re.compile(
    r"[ ]?(?:project|assessment|machine|boiler|system|upgrade|retrofit|demo|verification)(?![a-z])"
)

# Words just before a number that make it a reference, an ordinal or a phone number.
_REFERENCE_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:para|paras|paragraph|paragraphs|sec|section|annex|appendix|footnote"
    r"|note|item|number|page|phase|clause|rule|iso|ref|tel|phone|mobile|call|fax|whatsapp"
    r"|wechat|room|flat|floor|block|code|id|no\.|p\.|pp\.)"
    r"|电话|热线|手机|传真|编号|号码|附件|附录|注|第|分之|邮编)[ .:#：]{0,2}$"
)

# A number glued to what comes before it is part of a word or code (PM2.5, A12, v1.2).
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_GLUED_BEFORE = _ASCII_LETTERS | frozenset("0123456789_.#/&@")
# Sentence-final particles that may follow a lone numeral reply (萬二啦, 三十蚊呀).
_PARTICLES = frozenset("啦喇呀啊吖咯啰罗喎吧呢嘅咋哦喔嗯咧吗嘛")

# Money words that make even a small bare number an amount ("fee 500", "成本800").
_MONEY_CUE_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:fees?|costs?|costing|budget|price|priced|spend|spent|pay|paid|invest"
    r"|investment|quote|quoted|quotation|amount|total|subsidy|grant|capital|expense|expenses)"
    r"|费|成本|预算|价|钱|资助|补贴|资金|开支|支出|投资|金额|总额|报价|花了|花费|俾|畀|付|资本|开销|用咗|用了)"
    r"[^0-9。.!?！？\n]{0,8}$"
)
# (the greedy start makes the currency word nearest the figure the one found: "一百二十万人民币，
# 折合港币大概一百三十万" is HK dollars)
_CURRENCY_BEFORE = re.compile(
    r"(?s).*(港币|港元(?!朗)|港纸|(?<![a-z])hkd(?![a-z])|人民币|人仔|(?<![a-z])(?:rmb|cny|yuan|renminbi)(?![a-z])|美金|美元"
    r"|(?<![a-z])(?:eur|euros?|gbp|jpy|twd|mop|sgd|aud|cad)(?![a-z])|€|£|"
    + "|".join(_OTHER_CJK)
    + ""
    r"|(?<![a-z])usd(?![a-z]))[^0-9。.!?！？\n;；]{0,10}$"
)
_HEDGE_BEFORE = re.compile(
    r"(?:大概|大约|约|差不多|差唔多|估计|大致|预计|(?<![a-z])(?:around|about|approx|approximately"
    r"|roughly|circa|some)|~|≈)[ ]{0,2}(?:是|系|係|系咪|要|有|为)?[ ]{0,2}$"
)
_HEDGE_AFTER = re.compile(r"[ ]?(?:左右|上下|以上|以下|\+|plus\b|or so\b|ish\b|odd\b)")

_HEDGE_WORDS = re.compile(
    r"大概|大约|约|差不多|差唔多|估计|大致|左右|上下|around|about|approx(?:imately)?|roughly"
)
_HEDGE_CHARS = "几多"
_HEDGE_IN_RUN = re.compile(f"(?<=[{_CN_UNITS}])[几多][{_CN_SMALL_UNITS}]?")
_ADJACENT_DIGITS = re.compile(f"([一二两三四五六七八九])([二三四五六七八九])(?=[{_CN_UNITS}])")
_HUNDRED_AND_TENS = re.compile("^(一?)百([一二两三四五六七八九])(万|亿)$")
# "百二五萬": a hundred and twenty-five ten-thousands, the units digit said without 十
_HUNDRED_TENS_UNITS = re.compile("^(一?)百([一二两三四五六七八九])([一二三四五六七八九])(万|亿)$")
_HUNDRED_AND_ODD = re.compile("^(一?)百零(万|亿)$")
_LEADING_HALF = re.compile(f"半([{_CN_UNITS}]+)")
_DECIMAL_RUN = re.compile(
    f"([0-9]+|[{_CN_DIGITS}{_CN_SMALL_UNITS}]+)(?:\\.|点)([0-9]+|[{_CN_DIGITS}]+)([{_CN_UNITS}]*)"
)
_INT_WITH_UNITS = re.compile(f"([0-9]+)([{_CN_UNITS}]+)")
_SURROGATE_OR_NUL = re.compile("[\x00\ud800-\udfff]")

_HKD_WORDS = frozenset({"hk$", "hkd", "港币", "港元", "港纸", "hk dollar", "hong kong dollar"})
_RMB_WORDS = frozenset({"rmb", "cny", "¥", "人民币", "人仔", "yuan", "renminbi"})
_USD_WORDS = frozenset({"us$", "usd", "美金", "美元", "us dollar"})
_OTHER_WORDS = frozenset(
    {"eur", "euro", "€", "gbp", "£", "jpy", "yen", "twd", "nt$", "mop", "mop$", "sgd", "s$"}
    | {"aud", "a$", "cad", "c$", "eur$", "gbp$", "jpy$", "twd$", "sgd$", "aud$", "cad$"}
    | set(_OTHER_CJK)
)
_PREFIX_CURRENCY = {
    **dict.fromkeys(("hk$", "hkd", "hkd$", "港币", "港元", "港纸"), HKD),
    **dict.fromkeys(("rmb", "rmb¥", "cny", "cny¥", "¥", "人民币", "人仔", "renminbi", "renminbi¥"), RMB),
    **dict.fromkeys(("us$", "usd", "usd$", "美金", "美元"), USD),
    **dict.fromkeys(_OTHER_WORDS, OTHER),
}


# ---------------------------------------------------------------------------------------
# Public API


def find_amounts(text: str) -> list[Amount]:
    """Amounts mentioned in a free-text message, in order. Never raises."""
    return list(_find_amounts(text))


@lru_cache(maxsize=4096)
def _find_amounts(text: str) -> tuple[Amount, ...]:
    # Cached: one message is read for amounts by several readers.
    try:
        ranges = year_ranges(text) if "-" in text or "至" in text or "到" in text or "to" in text else []
        return tuple(
            amount
            for amount, _ in _scan(text, whole_reply=False)
            if not any(start <= amount.span[0] and amount.span[1] <= end for start, end, _, _ in ranges)
        )
    except Exception:  # noqa: BLE001 - user text must never crash a handler
        return ()


# "2020-25", "2008-2013", "2013至15年": a span of years, not an amount
_YEAR_RANGE = re.compile(
    r"(?<![\d$])((?:19|20)\d\d)\s*年?\s*(?:-|–|—|~|到|至|\bto\b)\s*((?:19|20)?\d\d)(?![\d.,])"
    r"(?!\s*(?:万|萬|千|百|k\b|m\b|元|蚊|块|塊|hkd|rmb|%))"
)

def year_ranges(text: str) -> list[tuple[int, int, int, int]]:
    """Spans of years written as a range, with the years: ``(start, end, first, last)``.

    >>> year_ranges("budget of 2020-25 phase")
    [(10, 17, 2020, 2025)]
    >>> year_ranges("20-25萬")
    []
    """
    found = []
    for match in _YEAR_RANGE.finditer(text):
        first = int(match.group(1))
        second = match.group(2)
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if first < last <= first + 20:
            found.append((match.start(), match.end(), first, last))
    return found


def parse_amount(text: str) -> Amount | None:
    """The amount when the message is essentially just one, e.g. a reply to "how much?".

    Short framing words are allowed around it ("budget HK$400k", "評估費萬五"); a number
    that would not read as money in a sentence (``2014``, ``三十``, ``萬二``) must stand
    alone but for hedges and particles ("大概萬二左右啦"). Two different amounts, or a long
    sentence around one, give None.
    """
    try:
        found = _scan(text, whole_reply=True)
        if len(found) != 1:
            return None
        amount, reads_as_money = found[0]
        rest = text[: amount.span[0]] + " " + text[amount.span[1] :]
        framed = _is_framing(rest) if reads_as_money else _is_bare(rest)
    except Exception:  # noqa: BLE001 - user text must never crash a handler
        return None
    return amount if framed else None


# ---------------------------------------------------------------------------------------
# Scanning

_FRAMING_NOISE = re.compile(r"[\s\W_]+")
# How much may surround the amount in a "just an amount" reply: about 24 Latin letters
# ("it's about", "budget") or 12 Chinese characters (大概係, 預算), which carry more each.
_FRAMING_LIMIT = 24


def _is_bare(rest: str) -> bool:
    """True when nothing but hedges, particles and punctuation surround the amount."""
    words = _HEDGE_WORDS.sub("", fold(_SURROGATE_OR_NUL.sub(" ", rest)))
    return not any(ch.isalnum() and ch not in _PARTICLES for ch in words)


def _is_framing(rest: str) -> bool:
    """True when what surrounds an amount is only short framing, not another statement."""
    letters = _FRAMING_NOISE.sub("", rest)
    weight = sum(2 if _is_ideograph(ch) else 1 for ch in letters)
    return weight <= _FRAMING_LIMIT and not any(ch.isdigit() for ch in letters)


@dataclass
class _Part:
    """One number inside a match, before acceptance."""

    start: int  # folded offsets of the part's own words
    end: int
    value: Decimal
    approximate: bool
    strong: bool  # carries a magnitude (k, 萬, 1e9) so it reads as an amount by itself
    plain_digits: str | None  # the digits of a bare Arabic number, for year/phone checks
    leading_unit: bool  # written like 萬二 / 千五, with no digit before the unit
    exponent_word: int | None  # exponent of a trailing unit a range partner can share


def _scan(text: str, whole_reply: bool) -> list[tuple[Amount, bool]]:
    """Amounts in text, each with whether it would also read as money inside a sentence."""
    if not text:
        return []
    words = _in_words(text)
    folded, offsets = _fold_aligned(text)
    if not _might_hold_number(folded):
        return words
    # Phone numbers and dates are found as written, before any space becomes a comma
    # ("+86 138 0013 8000" is no "86,138"); the changes below keep the length.
    masked = [m.span() for m in _NOT_AMOUNT_SPANS.finditer(folded)]
    # "HK$ 400 000": spaces between groups of three are thousands separators, read as
    # commas (the same length, so spans still point into the original).
    folded = _SPACE_GROUPED.sub(lambda m: m.group(0).replace(" ", ","), folded)
    # "HK$1,2m", "1,5萬": a comma before one or two digits and a magnitude is a decimal
    # comma, as much of Europe writes it (a thousands comma has three digits after it).
    folded = _DECIMAL_COMMA.sub(r"\1.", folded)
    if _BUDGET_WORDS.search(folded):
        # "预算150w": w is the mainland shorthand for 万 (one character, so spans hold);
        # only beside a budget or cost word, since "18w" is also a lamp's watts.
        folded = _W_FOR_WAN.sub("万", folded)
    masked += [m.span() for m in _NOT_AMOUNT_SPANS.finditer(folded)]
    found: list[tuple[Amount, bool]] = []
    for count, match in enumerate(_AMOUNT.finditer(folded)):
        if count == _MAX_CANDIDATES:
            break
        if whole_reply or not _plainly_not_money(match):
            found.extend(_amounts_from_match(match, folded, masked, whole_reply))
        if whole_reply and len(found) > 1:
            break  # a lone reply holds one amount; parse_amount gives up on two
    result = [(_to_original(a, text, offsets), in_prose) for a, in_prose in found]
    for amount, in_prose in words:  # "five hundred thousand HKD", beside any in digits
        if all(amount.span[1] <= a.span[0] or amount.span[0] >= a.span[1] for a, _ in result):
            result.append((amount, in_prose))
    return sorted(result, key=lambda pair: pair[0].span[0])


def _in_words(text: str) -> list[tuple[Amount, bool]]:
    if not _NUMBER_WORD.search(text):
        return []  # cheap: most messages hold no English number word
    from bot.core.money_words import word_amounts

    return [(amount, True) for amount in word_amounts(text)]


_NUMBER_WORD = re.compile(r"\b(?:thousand|million)\b", re.IGNORECASE)


_DECIMAL_COMMA = re.compile(
    r"(?<![0-9,.])([0-9]{1,3}),(?=[0-9]{1,2}\s*(?:k\b|m\b|mn\b|million|mil\b|萬|万|千|百万|百萬))"
)
_W_FOR_WAN = re.compile(r"(?<=[0-9])w(?![a-z])")
_BUDGET_WORDS = re.compile(r"预算|费用|成本|投资|报价|造价|价钱|价格|资金|budget|cost|price")
_SPACE_GROUPED = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?: [0-9]{3})+(?![0-9])")
# No message a person types holds this many numerals; the bound keeps junk input cheap.
_MAX_CANDIDATES = 256
_MAGNITUDE_CHARS = frozenset("0123456789百佰千仟万亿")


def _plainly_not_money(match: re.Match[str]) -> bool:
    """Chinese digits with no unit, mark or range (一般, 第三): skip before any work."""
    if match["sci"] or match["pre"] or match["unit"] or match["cur"] or match["num2"]:
        return False
    return _MAGNITUDE_CHARS.isdisjoint(match["num"])


_NUMERAL_CHARS = frozenset("0123456789" + _CN_DIGITS + _CN_UNITS + "半")
_JOINS_ACROSS_MINUS = _GLUED_BEFORE | _NUMERAL_CHARS | frozenset(")]")
_CONFLICT = "conflict"


def _might_hold_number(folded: str) -> bool:
    return not _NUMERAL_CHARS.isdisjoint(folded)


def _fold_aligned(text: str) -> tuple[str, list[int] | None]:
    """Fold text; offsets map folded positions back when folding changed the length."""
    # OpenCC stops at NUL and cannot encode lone surrogates; both are noise here.
    safe = _SURROGATE_OR_NUL.sub(" ", text)
    folded, offsets = fold_aligned(safe)
    return folded, None if len(folded) == len(safe) else offsets


def _to_original(amount: Amount, text: str, offsets: list[int] | None) -> Amount:
    start, end = amount.span
    if offsets is not None:
        start, end = offsets[start], offsets[end - 1] + 1
    return Amount(
        value=amount.value,
        currency=amount.currency,
        text=text[start:end],
        span=(start, end),
        unit_hint=amount.unit_hint,
        approximate=amount.approximate,
    )


def _counted(match: re.Match[str], folded: str, end: int) -> bool:
    """What follows makes the number a count, a date part or a list item. After a Chinese
    multiplier a comma is punctuation, not digit grouping: "30万，2012年" is 300,000."""
    bare = not match["pre"] and not match["mult"] and len(match["num"] or "") <= 2
    if (
        bare
        and folded[end : end + 1] == ")"
        and "(" not in folded[max(0, match.start() - 1) : match.start()]
    ):
        return True  # "1) are we eligible 2) …": a list's numbering
    after = _COUNT_AFTER.match(folded, end)
    if after is None:
        return False
    digits = match["num"] or ""
    # "a 350,000 project": a grouped figure of five digits or more is no count of projects
    grouped = "," in digits and len(digits.replace(",", "").split(".")[0]) >= 5
    if (match["pre"] or re.search("[a-z]", match["mult"] or "") or grouped) and _PRICED_THING.match(
        folded, end
    ):
        return False  # "a 300k project", "a HK$2m machine": what it costs, not how many
    if _ARTICLE_BEFORE.search(folded[: match.start()]) and _PRICED_ONE.match(folded, end):
        return False  # "a 1萬2 assessment", "a 12000 project": one thing, at that cost
    ending = (match["mult"] or match["num"] or match["num2"] or "")[-1:]
    chinese_multiplier = ending != "" and ending in "十百千万亿"
    if ending in ("万", "亿") and _PRICED_CJK.match(folded, end):
        return False  # "50萬項目", "80万设备": a thing at that price (a count has 個: 45個項目)
    if ending in ("万", "亿") and _PRICED_ONE.match(folded, end):
        return False  # "for 30萬 project": 萬 prices one thing; 300,000 projects is no count

    return not (after.group(0)[:1] in ".," and chinese_multiplier)


def _amounts_from_match(
    match: re.Match[str], folded: str, masked: list[tuple[int, int]], whole_reply: bool
) -> list[tuple[Amount, bool]]:
    parts = _parts_of(match)
    if parts is None:
        return []
    first, second = parts
    pre, unit, cur = match["pre"], match["unit"], match["cur"]
    marked = bool(pre or unit or cur)
    end = match.end()
    if not marked and _counted(match, folded, end):
        # 三萬一個月 is 30,000 a month: the 一 counts the month, not the money
        first = _without_counted_one(match, first) if second is None else None
        if first is None:
            return []
        end = first.end
    if any(_overlaps(p, masked) for p in (first, second) if p is not None):
        return []

    sign_at = _sign_position(match, folded)
    if pre is not None:
        if _foreign_dollar(folded, match.start("pre"), pre):
            return []
        start = (
            sign_at if sign_at is not None and sign_at < match.start("pre") else match.start("pre")
        )
    else:
        start = sign_at if sign_at is not None else first.start
        if _glued_before(folded, start) or _REFERENCE_BEFORE.search(
            folded, max(0, start - 16), start
        ):
            return []
        if start > 0 and folded[start - 1] == "几":
            return []  # 幾萬, 幾十萬: no figure to give

    context = _Context(
        marked=marked,
        cue=bool(_MONEY_CUE_BEFORE.search(folded, max(0, start - 24), start)),
        hedge_before=bool(_HEDGE_BEFORE.search(folded, max(0, start - 12), start)),
        hedge_after=bool(_HEDGE_AFTER.match(folded, end)),
        framed=_framed(folded, start, end),
        whole_reply=whole_reply,
    )
    pair = [p for p in (first, second) if p is not None]
    # a range is accepted or rejected as a whole: "10-20萬" is both or neither
    strong_pair = any(p.strong for p in pair)
    if not all(_accepted(p, context, strong_pair) for p in pair):
        return []
    prose_context = dataclasses.replace(context, whole_reply=False)
    in_prose = all(_accepted(p, prose_context, strong_pair) for p in pair)

    currency, hint = _currency_of(pre, unit, cur)
    if currency is None and hint != _CONFLICT:
        stated_before = _CURRENCY_BEFORE.search(folded, max(0, start - 24), start)
        if stated_before:
            currency = _currency_word(stated_before[1])
    if hint == _CONFLICT:
        hint = None
    hedged = context.hedge_before or context.hedge_after
    amounts = []
    for index, part in enumerate(pair):
        value = -part.value if sign_at is not None and index == 0 else part.value
        amounts.append(
            (
                Amount(
                    value=_tidy(value),
                    currency=currency,
                    text="",
                    span=(
                        start if index == 0 else part.start,
                        end if part is pair[-1] else part.end,
                    ),
                    unit_hint=hint,
                    approximate=hedged or part.approximate,
                ),
                in_prose,
            )
        )
    return amounts


@dataclass(frozen=True)
class _Context:
    """What surrounds a number, for deciding whether it is money."""

    marked: bool  # a currency or unit word is attached
    cue: bool  # a money word comes shortly before (fee, 成本, budget)
    hedge_before: bool
    hedge_after: bool
    framed: bool  # not glued to other Chinese words on either side
    whole_reply: bool


def _sign_position(match: re.Match[str], folded: str) -> int | None:
    """Where a real minus sign starts; a hyphen joining words or numbers is not one."""
    group = "sign1" if match["sign1"] else "sign2" if match["sign2"] else None
    if group is None:
        return None
    at = match.start(group)
    return at if at == 0 or folded[at - 1] not in _JOINS_ACROSS_MINUS else None


def _glued_before(folded: str, start: int) -> bool:
    """PM2.5, A12, v1.2, ISO-14001: a number glued to a word or code is part of it."""
    if start > 0 and folded[start - 1] in _GLUED_BEFORE:
        return True
    return start > 1 and folded[start - 1] in "-−" and folded[start - 2] in _GLUED_BEFORE


def _foreign_dollar(folded: str, at: int, pre: str) -> bool:
    """NT$, S$, A$, MOP$: another country's dollar must not pass for HK dollars."""
    return pre == "$" and at > 0 and folded[at - 1] in _ASCII_LETTERS


def _framed(folded: str, start: int, end: int) -> bool:
    """The number stands apart from Chinese words around it (萬二 yes, 萬一出事 no)."""
    before_ok = start == 0 or not _is_ideograph(folded[start - 1])
    before_ok = before_ok or bool(_HEDGE_BEFORE.search(folded, max(0, start - 12), start))
    after_ok = end == len(folded) or not _is_ideograph(folded[end]) or folded[end] in _PARTICLES
    after_ok = after_ok or bool(_HEDGE_AFTER.match(folded, end))
    return before_ok and after_ok


def _is_ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


def _overlaps(part: _Part, masked: list[tuple[int, int]]) -> bool:
    return any(part.start < m_end and m_start < part.end for m_start, m_end in masked)


def _accepted(part: _Part, context: _Context, strong_pair: bool) -> bool:
    if context.marked:
        return True
    weak_chinese = part.plain_digits is None and not part.strong
    if context.whole_reply:
        # a lone reply: any number, but bare Chinese numerals only when they stand apart
        return context.framed or context.cue or not (weak_chinese or part.leading_unit)
    if weak_chinese and not part.leading_unit:
        return strong_pair  # Chinese digits with no unit: 一般, 三十, 二零一四
    if context.cue:
        return True
    if part.leading_unit:  # 萬二 alone in a sentence reads too much like 萬一 (in case)
        return False
    if part.strong or strong_pair:
        return True
    return part.plain_digits is not None and _bare_number_reads_as_money(
        part.plain_digits, part.value
    )


def _bare_number_reads_as_money(digits: str, value: Decimal) -> bool:
    plain = digits.replace(",", "")
    if value < 1000:
        return False
    if "," in digits:
        return True
    if plain.startswith("0"):
        return False  # area codes, account numbers
    if len(plain) == 4 and 1900 <= int(plain) <= 2100:
        return False  # a year
    if len(plain) == 8 and plain[0] in "235679":
        return False  # a Hong Kong phone number written solid
    return not (len(plain) == 11 and plain[0] == "1" and plain[1] in "3456789")  # mobile


def _currency_of(
    pre: str | None, unit: str | None, cur: str | None
) -> tuple[str | None, str | None]:
    """The currency the words state, and the ambiguous unit word written, if any.

    The hint is _CONFLICT when two different currencies are stated.
    """
    stated: set[str] = set()
    hint: str | None = None
    if pre is not None:
        word = pre.replace(" ", "")
        if word == "$":
            hint = "$"
        else:
            stated.add(_PREFIX_CURRENCY[word])
    if unit is not None:
        if unit == "蚊" and not (cur is not None and _currency_word(cur.strip("() ")) == RMB):
            stated.add(HKD)
            hint = "蚊"
        elif unit == "蚊":  # "40萬蚊人仔": 蚊 is the unit, 人仔 the currency (renminbi)
            hint = "蚊"
        elif unit in ("元", "圆"):
            hint = "元"
        elif unit.startswith("块"):
            hint = "块"
        else:  # $, dollars, bucks
            hint = hint or "$"
    if cur is not None:
        found = _currency_word(cur.strip("() "))
        if found:
            stated.add(found)
    if len(stated) > 1:
        return None, _CONFLICT
    return (stated.pop() if stated else None), hint


def _currency_word(word: str) -> str | None:
    word = word.strip().removesuffix("s")
    if word in _HKD_WORDS:
        return HKD
    if word in _RMB_WORDS:
        return RMB
    if word in _USD_WORDS:
        return USD
    if word in _OTHER_WORDS:
        return OTHER
    return None


# ---------------------------------------------------------------------------------------
# Numbers


def _parts_of(match: re.Match[str]) -> tuple[_Part, _Part | None] | None:
    if match["sci"]:
        part = _scientific_part(match["sci"], match.start("sci"), match.end("sci"))
        return (part, None) if part else None
    first = _number_part(match["num"], match.start("num"), match["mult"], match.end("mult"))
    if first is None:
        return None
    if match["num2"] is None:
        return first, None
    second = _number_part(match["num2"], match.start("num2"), match["mult2"], match.end("mult2"))
    if second is None:
        return None
    # "10-20萬", "20-30k": a bare first number takes the second one's unit
    if first.exponent_word is None and second.exponent_word and not first.strong:
        first.value = first.value.scaleb(second.exponent_word, context=_EXACT)
        first.strong = True
        first.plain_digits = None
    return first, second


def _without_counted_one(match: re.Match[str], part: _Part) -> _Part | None:
    """The part without a final 一 that belongs to a following count (三萬一個月)."""
    run = match["num"]
    if match["mult"] is None and len(run) > 1 and run[-1] == "一" and run[-2] in _UNIT_EXPONENT:
        return _number_part(run[:-1], match.start("num"), None, -1)
    return None


def _scientific_part(written: str, start: int, end: int) -> _Part | None:
    if written.startswith("10^"):
        value = Decimal(1).scaleb(int(written[3:]), context=_EXACT)
    else:
        value = Decimal(written)
    return _Part(start, end, value, False, True, None, False, None)


def _number_part(run: str, start: int, mult: str | None, mult_end: int) -> _Part | None:
    end = start + len(run)
    if run.endswith("点"):
        return None  # 3點 is a time of day
    run = run.replace(" ", "")  # "80 万": the space typed before the unit
    evaluated = _numeral_value(run)
    if evaluated is None:
        return None
    value, approximate, leading_unit = evaluated
    arabic_only = run.replace(",", "").replace(".", "").isdigit()
    hedged_digits = run.rstrip(_HEDGE_CHARS)  # 5000多 is still a bare Arabic number
    exponent_word: int | None = None
    if mult is not None:
        if not arabic_only:
            return None  # 三萬k is not a way anyone writes money
        exponent_word = _LATIN_MULTIPLIER_EXPONENT[mult.strip()]
        value = value.scaleb(exponent_word, context=_EXACT)
        end = mult_end
    elif any(ch in _UNIT_EXPONENT for ch in run):
        exponent_word = _trailing_unit_exponent(run)
    strong = mult is not None or any(ch in "百佰千仟万亿" for ch in run)
    plain = (
        hedged_digits
        if mult is None and hedged_digits.replace(",", "").replace(".", "").isdigit()
        else None
    )
    return _Part(start, end, value, approximate, strong, plain, leading_unit, exponent_word)


def _trailing_unit_exponent(run: str) -> int | None:
    """The exponent of the unit a run ends with (四萬 -> 4), shared across a range."""
    exponent = 0
    for char in reversed(run):
        if char not in _UNIT_EXPONENT:
            break
        exponent += _UNIT_EXPONENT[char]
    return exponent or None


def _numeral_value(run: str) -> tuple[Decimal, bool, bool] | None:
    """Exact value of a numeral run, whether it hedges (幾/多), whether it starts with a unit."""
    run = run.replace(",", "")
    if run.isdigit() or _is_plain_decimal(run):
        return Decimal(run), False, False
    approximate = False
    # "百二萬", "百零萬": a hundred of a big unit reads as money in a sentence, unlike 萬二;
    # "百幾萬" names no figure
    hundreds_of = (
        run[0] in "百佰" and run[-1] in "万亿" and not any(ch in _HEDGE_CHARS for ch in run)
    )
    if run[-1] in _HEDGE_CHARS:  # 兩萬幾, 5000多
        run, approximate = run[:-1], True
    run, hedges = _HEDGE_IN_RUN.subn("", run)  # 十幾萬, 一百多萬, 一萬幾千
    approximate = approximate or hedges > 0
    if any(ch in _HEDGE_CHARS for ch in run):
        return None  # 幾萬, 幾十萬: no figure to give
    # "百二五萬" is 125萬 (before the pair of digits is taken for a range, as in 兩三萬)
    # ("百三四萬", two digits in a row, stays a range)
    run = _HUNDRED_TENS_UNITS.sub(_tens_and_units, run)
    run, ranges = _ADJACENT_DIGITS.subn(_lower_of_pair, run)  # 兩三萬 -> 兩萬
    approximate = approximate or ranges > 0
    run = run.replace("廿", "二十").replace("卅", "三十").replace("卌", "四十")
    # "百二萬" is 120萬 and "百零萬" a little over 100萬, as Cantonese says them (cn2an
    # reads neither)
    run, tens = _HUNDRED_AND_TENS.subn(r"\1百\2十\3", run)
    run, odd = _HUNDRED_AND_ODD.subn(r"\1百\2", run)
    approximate = approximate or odd > 0
    value = _value_with_halves_and_units(run)
    if value is None:
        return None
    return value, approximate, run[0] in "百佰千仟万亿" and not hundreds_of


def _tens_and_units(match: re.Match[str]) -> str:
    low, high = (_CN_DIGIT_VALUE[c] for c in match.group(2, 3))
    if high == low + 1:
        return match[0]
    return f"{match[1]}百{match[2]}十{match[3]}{match[4]}"


def _lower_of_pair(pair: re.Match[str]) -> str:
    low, high = (_CN_DIGIT_VALUE[c] for c in pair.groups())
    return pair[1] if high == low + 1 else pair[0]


def _is_plain_decimal(run: str) -> bool:
    whole, dot, fraction = run.partition(".")
    return bool(dot) and whole.isdigit() and fraction.isdigit()


def _value_with_halves_and_units(run: str) -> Decimal | None:
    if not run:
        return None
    half = _LEADING_HALF.fullmatch(run)
    if half:  # 半百萬: half of the unit
        return Decimal("0.5").scaleb(_unit_chain_exponent(half[1]), context=_EXACT)
    if run.endswith("半") and len(run) > 1 and run[-2] in _UNIT_EXPONENT:
        run = run[:-1] + "五"  # 萬半 = 萬五 = 15,000; 兩千半 = 2,500
    if "半" in run:
        return None
    if run.isdigit():
        return Decimal(run)
    decimal = _DECIMAL_RUN.fullmatch(run)
    if decimal:  # 1.5萬, 三點五萬
        return _decimal_with_units(*decimal.groups())
    if "." in run or "点" in run:
        return None
    digits_units = _INT_WITH_UNITS.fullmatch(run)
    if digits_units:  # 40萬, 1000萬, 1百萬: exact without cn2an
        exponent = _unit_chain_exponent(digits_units[2])
        return Decimal(digits_units[1]).scaleb(exponent, context=_EXACT)
    if run[0] in "百佰千仟万亿":
        run = "一" + run  # 萬二 = 一萬二
    return _cn2an_value(run)


def _unit_chain_exponent(units: str) -> int:
    return sum(_UNIT_EXPONENT[u] for u in units)


def _decimal_with_units(whole: str, fraction: str, units: str) -> Decimal | None:
    if not whole.isdigit():
        converted = _cn2an_value(whole)
        if converted is None:
            return None
        whole = str(converted)
    if not fraction.isdigit():
        fraction = "".join(str(_CN_DIGIT_VALUE[c]) for c in fraction)
    return Decimal(f"{whole}.{fraction}").scaleb(_unit_chain_exponent(units), context=_EXACT)


def chinese_integer(run: str) -> int | None:
    """A whole number written in Chinese numerals ("三" 3, "十二" 12, "二十" 20), or None."""
    value = _cn2an_value(run)
    return int(value) if value is not None else None


@lru_cache(maxsize=4096)
def _cn2an_value(run: str) -> Decimal | None:
    """Chinese or mixed integer numerals through cn2an; None when it cannot read them."""
    if len(run) > _CN2AN_MAX_LEN:
        return None
    try:
        result = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError, IndexError, TypeError, InvalidOperation):
        return None
    if isinstance(result, float):
        if not result.is_integer() or abs(result) >= 2**53:
            return None
        result = int(result)
    if not isinstance(result, int):
        return None
    return Decimal(result)


def _tidy(value: Decimal) -> Decimal:
    """Integers written plainly (1.5E+4 -> 15000); fractions and huge powers kept as they are."""
    if value.is_zero():
        return Decimal(0)
    if value == value.to_integral_value(context=_EXACT) and (
        value.adjusted() < _INTEGRAL_DISPLAY_LIMIT
    ):
        return value.quantize(Decimal(1), context=_EXACT)
    return value


# "咁超出嗰1萬邊個俾？": an amount named in a question about who pays above the cap.
_ABOVE_THE_CAP = Recalled(
    re.compile(
        r"(?:超出|超过|多出|above the cap|over the cap|beyond the cap|exceed\w*).{0,12}"
        r"(?:边个|谁|由谁|who)"
        # "who pays the extra 3k?", "who covers the remaining HK$3,000?", "剩低嗰3千邊個俾？"
        r"|\bwho\s+(?:pays|covers|pays for|is paying|will pay|foots)\s+(?:for\s+)?the\s+"
        r"(?:extra|rest|remaining|remainder|balance|difference|other)\b"
        r"|(?:剩低|剩下|余下|差额|多出|多嘅|多的).{0,10}(?:边个|谁|由谁)"
    )
)


def asks_who_pays_above_the_cap(folded: str) -> bool:
    """The message asks who pays the part above the cap; its amount is no cost."""
    return bool(_ABOVE_THE_CAP.search(folded))
