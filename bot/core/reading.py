"""Reading a message into facts for the case and the questions it asks.

``read(text, ...)`` returns a ``Reading``: the facts the message states or denies
(places, premises, ownership, processes, items, cost, the phase meant), each with its
polarity, and ``asks``, what the message wants answered. Negation is read in all three
languages: a denial cue right before a name ("唔喺廣東", "不在", "not in", "唔係港資",
"not Hong Kong-owned") or "outside" around it ("廣東以外") denies it.

No answer is built here; ``bot.core.dialogue`` decides what to say.

>>> r = read("我間廠唔喺廣東，喺廣西")
>>> [(f.kind, f.value, f.polarity) for f in r.facts if f.kind == "place"]
[('place', 'cn-gd', 'denied'), ('place', 'cn-gx', 'stated')]
>>> sorted(read("Our factory in Dongguan is owned by a US company. Can we apply?").asks)
['verdict']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path

import cn2an

from bot.core import money, places
from bot.core.case import DENIED, STATED, Fact
from bot.core.reading_money import read_money
from bot.core.reading_when import (
    TIMES_SIDE_BY_SIDE,
    YEARS_SPAN,
    days_listed,
    read_repeat,
    read_repeat_conditions,
    read_when,
)
from bot.core.rules import ITEMS, KNOWLEDGE_DIR
from bot.core.sectors import trade_named
from bot.core.textnorm import WEB_ADDRESS, Recalled, fold, words_pattern
from bot.core.understand import Understanding, understand
from bot.core.yamlio import load_yaml

# A denial right before a name: the cue, then at most a locative word.
_NEG_CJK = Recalled(
    re.compile(
        r"(?:唔系|唔喺|唔在|不是|不在|并非|并不在|不系|冇喺|无喺|没有在|没在|唔再喺|不再在|并唔系|"
        r"唔系喺|不是在|不系喺|唔属于|不属于|非"
        # "唔再係香港居民", "已经不是香港居民": no longer
        r"|唔再系|不再是|不再系|再唔系|再不是|已经唔系|已经不是|已经不系|已唔系|已不是)(?:喺|在|于|位于|系)?\s*$"
    )
)
_NEG_LATIN = Recalled(
    re.compile(
        r"\b(?:not|isn't|isnt|aren't|arent|no longer|never|nor)\s+"
        r"(?:(?:located|based|situated|really|actually)\s+)?(?:(?:in|at)\s+)?(?:the\s+|an?\s+)?$"
    )
)
_OUTSIDE_BEFORE = re.compile(r"\boutside(?:\s+of)?\s+(?:the\s+)?$")
_OUTSIDE_AFTER = re.compile(r"^\s*(?:以外|之外|外面|外)")
# Where a clause ends: a name after it is not governed by a cue before it.
_CLAUSE_END = Recalled(re.compile(r"[，,。.;；!！?？、\n]|\bbut\b|但系|但是|不过|而系|而是"))
# A place's stake said right after it: "新加坡嗰30%", "新加坡公司佔30%", "Singapore's 30%"
_SHARE_OF_PLACE_AFTER = re.compile(
    r"\s*(?:嗰|𠮶|那|个|的|嘅)?\s*(?:公司|股东|方|老板)?\s*(?:占|持有|持股|有)?\s*\d+(?:\.\d+)?\s*%"
    r"|'s\s+\d+(?:\.\d+)?\s*%|\s+(?:company|partner|shareholder)\s+(?:holds|owns|has)\s+\d"
)
# Shares of the factory denied beside a share of another company: "…, not the factory"
_NOT_THE_FACTORYS = re.compile(
    r"\bnot (?:of )?(?:the|our|his|her) (?:factory|plant)(?:'s)?\b|(?:唔系|不是)(?:间|个)?(?:厂|工厂)(?:嘅|的)?"
)
_FROM_HK_BEFORE = re.compile(r"(?:'s|'re| is| are| was| were)\s+(?:originally\s+|also\s+)?from\s*$")
# "a factory company in Huizhou": the Mainland enterprise named as running a factory
_FACTORY_COMPANY = re.compile(
    r"\b(?:factory|manufacturing|production) (?:company|co|enterprise)\b|工厂公司|生产企业"
    # "owns 70% of a factory in Foshan", "东莞厂我占70%": shares of a factory held
    r"|\b\d+(?:\.\d+)?\s*%\s+of\s+(?:a|the|our|his|her|their)\s+(?:factory|plant)\b"
    r"|厂(?:的|嘅)?(?:股份|股权)?\s*(?:我|佢|他|她)?(?:占|持有|有|揸)?\s*\d+(?:\.\d+)?\s*%"
)
_NO_FACTORY = re.compile(r"\bno (?:own )?factor(?:y|ies)\b|\bdon'?t have (?:a |any )?factor|冇(?:自己)?(?:嘅)?厂|没有(?:自己的)?工?厂|没厂|不是工厂")
# A phone line or office asked for in a clause: "东莞那边有电话吗", "any office in Shenzhen?"
_CONTACT_HERE = re.compile(
    r"(?:电话|热线|办事处|号码|\bphone\b|\bhotline\b|\bnumber\b|\boffices?\b)"
    r"[^,，。.]{0,12}(?:吗|嘛|呢|冇|[?？])|(?:有没有|有冇|\bany\b|\bis there\b)[^,，。.]{0,10}"
    r"(?:电话|热线|办事处|号码|\bphone\b|\bhotline\b|\boffices?\b)"
)
# A clause about an office or the company's seat, not the factory.
# A technology from elsewhere than Hong Kong (or Guangdong with Hong Kong): the lower cap.
_TECH_FROM_ABROAD = re.compile(
    r"\b(?:german|japanese|korean|taiwanese|european|american|italian|swiss|foreign|overseas|imported)"
    r"\s+(?:supplier|vendor|technology|tech|maker|equipment|system)"
    # "from a German company": a company the technology comes from ("a US company owns
    # the factory" is the owner, not the technology)
    r"|\b(?:from|by)\s+(?:a\s+|an\s+)?(?:german|japanese|korean|taiwanese|european|american"
    r"|italian|swiss|foreign|overseas)\s+(?:company|firm)"
    r"|\b(?:from|by)\s+(?:a\s+|an\s+)?(?:germany|japan|korea|taiwan|europe|the us|the usa|overseas|abroad)\b"
    r"|(?:德国|日本|韩国|台湾|欧洲|美国|意大利|瑞士|外国|国外|境外|进口|海外)(?:嘅|的)?(?:供应商|技术|设备|厂商)"
)
_TECH_FROM_MAINLAND = re.compile(
    r"(?:内地|大陆|国内|广东|广州|深圳)(?:嘅|的)?(?:大学|企业|公司|机构)?(?:研发|开发|研制)(?!中心|部)(?:嘅|的)?"
    r"|(?:内地|大陆|国内)(?:嘅|的)?技术"
    r"|\b(?:technology|tech)\b.{0,20}\b(?:from|developed (?:in|on|by))\s+(?:the\s+)?(?:mainland|china|guangdong)\b"
    r"|\b(?:mainland|chinese)\s+(?:technology|tech)\b"
)
_TECH_JOINT_OR_HK = re.compile(r"香港|合作|联合|共同|\bhong kong\b|\bhk\b|\bjoint\w*|\btogether\b")
# A technology talked about: a university's or HKPC's name alone is no technology origin
# ("你哋係咪生產力局？").
_TECH_WORD = re.compile(
    r"技术|研发|开发|设备|方案|系统|专利|\btech\w*|\bdevelop\w*|\bequipment\b|\bsystem\b"
    r"|\bsolution\b|\bpatent\w*|\binvent\w*"
)
# "2014年資助咩", "而家資助乜嘢": what is funded; not "資助咩時候發放" (when it is paid).
_FUNDED_CJK = Recalled(re.compile(r"资助(?:咩|什么|甚么|乜|啲咩)(?!时候|时|日子|野时)"))
# "no I don't want to leave an enquiry, just answer": no form, in it or before it.
# Narrow on purpose: "I don't want to leave my number" and "唔想留電話" decline one answer.
_NO_ENQUIRY = re.compile(
    r"\b(?:don't|dont|do not) want to (?:leave|make|send|fill in|fill out|write)\b.{0,20}"
    r"\b(?:enquiry|inquiry|form|message|question)"
    r"|\bjust answer\b|(?:唔想|不想|唔使|不用)留(?:低|下)?(?:查询|言|资料)"
    # "算了，我还是打电话吧", "I'll just call the hotline": phoning instead
    r"|(?:我|我哋|我们)(?:还是|都系|都是|自己|直接|不如)(?:打电话|打过去|打去|打热线)"
    r"|\bi(?:'ll| will)\s+(?:just\s+)?(?:call|phone|ring)\b"
    # "算了，不留言了", "不用联系工作人员了": the enquiry given up
    r"|(?:不|唔)(?:再)?留(?:言|低|了|啦)|(?:不用|唔使|不需要|唔需要)(?:再)?(?:联系|联络|找|揾)"
    r"(?:工作人员|职员|人工|同事|你们|你哋)?(?:了|啦)?"
    r"|\bno need to contact\b|\bforget the (?:enquiry|message|form)\b"
    # "唔使轉喇，我自己睇網站", "不用转了", "no need to pass it on, I'll check the website"
    r"|(?:不用|唔使|不需要|唔需要|唔该唔使)(?:再)?(?:转|转介|转交|跟进)(?:喇|啦|了|住)?"
    r"|(?:我|我哋|我们)自己(?:睇|看|上)(?:网站|网页|网)"
    r"|\bno need to (?:pass|transfer|forward|refer)\b|\bi(?:'ll| will) (?:just )?check the (?:website|site)\b"
    r"|\bnever ?mind\b.{0,12}\b(?:staff|enquiry|form|transfer)\b"
)


def refuses_an_enquiry(text: str) -> bool:
    """The message says the user wants no enquiry left for staff."""
    return bool(_NO_ENQUIRY.search(fold(text)))


# A company right after a place: "喺香港開間公司", "在香港注册一个公司", "喺香港間公司".
_COMPANY_HERE = re.compile(
    r"\s*(?:再|都|也)?(?:(?:开|成立|注册|搞|有|设立|开设)(?:咗|了)?(?:一)?(?:间|家|个)?"
    r"|(?:嗰|𠮶|那|呢|这)?(?:一)?(?:间|家|个)"  # "香港嗰間子公司": the company there
    r"|(?=(?:的|嘅)?(?:分|子)公司))"
    r"(?:新)?(?:的|嘅)?(?:分|子)?(?:公司|有限公司)"
)
# A company's place said after it: "the company over in Hong Kong", "a firm based in HK".
_COMPANY_BEFORE = re.compile(
    r"\b(?:company|firm|co|ltd|entity|subsidiary|branch)\s+(?:(?:over|based|registered|that's|which is)\s+)?"
    r"(?:in|at)\s+(?:the\s+)?$"
)
# A company's registration said with its place: "公司在台灣註冊", "台湾注册的公司",
# "registered in BVI", "incorporated in the Cayman Islands", "注册于BVI". The company the
# user speaks of is registered there, so it is no Hong Kong company (W7, W9).
_REGISTERED_HERE = re.compile(r"\s*(?:注册|登记|成立)")
_REGISTERED_BEFORE = re.compile(
    r"(?:\bregistered|\bincorporated|注册|登记)\s*(?:in|at|于|喺|在)?\s*(?:the\s+)?$"
)
# The premises a "can it apply?" may ask about that the programme does not fund.
_OFFICE_ASKED = re.compile(r"写字楼|办公室|办事处|总部|\boffices?\b|\bhq\b|\bheadquarters?\b")
_OFFICE = re.compile(
    r"写字楼|办公室|总部|公司喺|公司在|注册|\boffices?\b|headquarter|\bhq\b|head office|registered"
    r"|母公司|总公司|\bparent(?: company| co)?\b"
    r"|仓库|货仓|办事处|门市|门店|陈列室|展厅|\bwarehouse|\bshowroom|\bdepot\b"
    r"|(?:开|成立|搞)(?:一)?(?:间|家|个)?(?:新)?(?:香港)?(?:公司|有限公司)"
    r"|(?:也|都)?有(?:一)?(?:间|家|个)?(?:香港)?(?:公司|有限公司)"
    r"|\b(?:set up|open|start|form|incorporate)\s+(?:a|an|our)?\s*(?:new\s+)?(?:hk\s+|hong kong\s+)?(?:company|ltd|limited)"
)
# "…在惠州的全资子公司", "子公司在东莞有外商独资企业": the enterprise there
_ENTERPRISE_AFTER = re.compile(
    r"(?:有|开(?:咗|了)|设(?:有|立(?:了|咗)?))?(?:一)?(?:间|家|个)?(?:的|嘅)?(?:外商)?"
    r"(?:全资|独资|外资)?(?:子公司|企业|工厂|厂)"
)
# Words after "HK" that make it an owner's origin: "HK JV", "HK entity", "HK capital".
_HK_AS_OWNER_AFTER = re.compile(
    r"\s*-?\s*(?:(?:jv|joint[ -]ventures?|entity|entities|capital|investors?|investment|partners?"
    r"|parent|firm|side|boss|directors?|chairman|ceo|managers?|shareholders?|owners?|owned"
    r"|holds?|holding|owns"  # "HK holds 40%": the Hong Kong side's share
    r"|based company|branch(?: office)?"
    r"|(?:sole\s+)?proprietorships?|partnerships?|enterprises?"  # a business form
    r"|subsidiary|subsidiaries|sub|subs|office|(?:[a-z]+\s+){0,2}(?:company|co|ltd|limited|firm|corporation)"
    # "no HK registration", "HK-registered", "HK BR": the company's registration
    r"|registration|registered|reg|br|business registration)\b"
    # "香港嗰邊係我哋公司": the Hong Kong side of a venture, a company
    r"|(?:嗰|𠮶|那)边\s*(?:系|是)\s*(?:我哋|我们|我地)?(?:嘅|的)?\s*(?:香港)?公司"
    r"|\bwfoe\b|\bwofe\b|\bfie\b"
    # "合資香港佔百分之四十": the Hong Kong side's share; "香港有個清潔生產嘅計劃": the programme
    r"|占|持有|持股|有(?:个|一个)?[^厂工，。,.]{0,8}(?:计划|资助|基金)"
    r"|合资|独资|全资|外资|资本|老板|老细|股东|投资|方面|资金|注册|登记|商业登记|[\u4e00-\u9fff]{0,4}(?:公司|集团|企业))"
)
_FACTORY = re.compile(
    r"厂|工场|车间|factory|plant|workshop|garage|工厂|\bwfoe\b|外资企业|独资企业|合资企业"
)
# "also", "another": a place added to those already said, not a correction.
_ALSO = re.compile(
    r"仲有|另外|另一间|另一間|都有|也有|还有|第二间|\balso\b|\banother\b|\bas well\b"
    r"|\bthe other (?:one|factory|plant)\b|\b(?:our|the) second (?:factory|plant)\b"
    # "光明区那个也是", "and one in Shenzhen too": one more factory, like the first
    r"|(?:那|嗰|𠮶|这|呢)(?:个|间|家)\s*(?:也是|都系|都是)|\btoo\b|\band one in\b"
)
_CURRENCY_WORDS = re.compile(
    r"(?i)\bhk\s?\$|\bhkd\b|\bhk\s+dollars?\b|\bhong\s+kong\s+dollars?\b|港幣|港币|港元(?!朗)|港紙|港纸"
)
NAMED_PROCESSES = ("spray-coating", "solvent-cleaning", "engine-testing")
# Processes the sources do not name that pollute all the same: for staff, never "clean".
POLLUTING_OTHERS = frozenset({"printing", "electroplating", "dyeing", "solvents"})
MAX_PLACES = 4


@dataclass
class Reading:
    u: Understanding
    facts: list[Fact] = field(default_factory=list)
    asks: set[str] = field(default_factory=set)
    # The candidates of an ambiguous or misspelt place name, still to be chosen.
    place_choice: tuple[places.Place, ...] = ()
    hk_company_needed_asked: bool = False  # "係咪要香港公司先得？": the rule, asked
    guides_named: bool = False  # "指南", "guides", "tips": the guides asked for by name
    several_items: bool = False  # "示範項目同實地評估分別幾錢": the caps of each
    tech_own: bool = False  # "我哋自己公司研發": the company's own technology
    moved_from: tuple[str, ...] = ()  # "厂在湖南，想搬到清远": where the factory is now
    hk_branch: bool = False  # "美国公司在香港有分公司": a foreign company's branch in HK
    other_channel: bool = False  # "可唔可以WhatsApp你哋？": a contact our sources do not give
    place_suggested: bool = False
    place_words: str = ""
    places_added: bool = False  # "also in Huizhou": add to the places, do not replace
    renewal_asked: bool = False  # "once we renew it we're fine?": the contract in force
    buyers_place: bool = False  # "我们有香港的客户": a place named for the buyers, not the factory
    # "離廣東好近", "near the Guangdong border": places the factory is said to be near
    near_places: list[str] = field(default_factory=list)
    parent_in_hong_kong: bool = False  # "our parent co is in HK": a Hong Kong owner
    link_denied: bool = False  # "no contract with the factory", "冇股份亦冇加工合約"
    contract_lapsed: bool = False  # "合同去年到期了，还没续签": a link whose contract ended
    contract_denied: bool = False  # "冇簽合約", "no contract with the factory"
    # "he holds 20%": a share whose company is not named, taken as the enterprise's; at
    # the question for the Hong Kong company's share it is that share
    share_unnamed: bool = False
    # "我喺香港都有間公司，我佔晒100%": link 1(d) read from a share of the HK company, the
    # holder's residency not said
    resident_inferred: bool = False
    # Each share said with whom it names as its holder ("self": the speaker, "third":
    # 佢, my husband, the boss): link 1(d) counts the resident's own only
    share_holders: list[tuple[str, str, str | None]] = field(default_factory=list)
    # The relative named as a share's holder ("阿哥", "老婆", "my wife"), by the share's kind:
    # two relatives are two people, whose shares are not one resident's
    holder_words: dict[str, str] = field(default_factory=dict)
    # "另一間呢？", "what about the other factory?": the case's other factory, asked about
    other_factory: bool = False
    search_syntax: bool = False  # 'boiler AND "heat recovery"': typed for a search box
    topic_search: bool = False  # "electroplating wastewater": a topic alone, for the guides
    # "…幾多錢，同埋有冇指南教點樣減少VOC？": guides asked beside a verdict or an estimate
    guide_clause: str | None = None
    nominee: bool = False  # "名义上是表弟持股": shares held in another's name
    offshore: bool = False  # "a WFOE of our BVI company": held through a company offshore
    other_matter: bool = False  # "點樣申請公屋？": something else applied for, not ours
    # "如果佢老婆將股份轉晒俾佢，佢就有35%呢？", "what if he held 60%?": a case put as a
    # what-if; what it changes of the owner and shares is answered, not kept
    what_if: bool = False
    shares_summed: bool = False  # "他们两夫妻加起来有45%": several people's shares, summed
    phases_compared: bool = False  # "邊期資助最多？": every phase's caps, side by side
    all_items: bool = False  # "which phase paid the most overall?": of every item
    sent_asked: bool = False  # "is my enquiry sent?": whether one went to staff
    budgets_compared: bool = False  # "撥款多咗定少咗？": the phases' budgets
    compared_times: list[str] = field(default_factory=list)  # phases set side by side
    # "2012年同2014年分別得唔得？": the verdict on each of the days listed
    verdict_times: list[dict[str, str]] = field(default_factory=list)
    # "he has 49%, the other 51% is his wife, also HK resident": the majority holder is a
    # resident too, so link 1(d) is checked through that person
    resident_switched: bool = False
    hk_company_stake: bool = False  # "香港公司佔合資企業三成": the company's stake, link 1(a)
    # The case's link is what this message turns on, and the answer says it counts: "那个厂
    # 是内地老板的" after a processing contract, "the mainland partner" or "我哋佔40%咋"
    # after a joint venture (the Mainland party, or a stake, links 1(c) and 1(a) expect)
    link_in_question: bool = False
    # "去年港方退出了", "the HK side pulled out": the Hong Kong company left the venture
    hk_side_left: bool = False
    # "我是深圳户口", "I live in Singapore": a place said of a person, not of the factory
    person_places: bool = False
    # Whose Hong Kong residence is denied: "self", "third" ("我老婆没有香港身份"), or None
    resident_denied_of: str | None = None
    # "我自己有間香港公司": a Hong Kong company had, nothing said of its link to the factory
    hk_company_had: bool = False
    relatives_company: bool = False  # "我老婆有另一間香港公司": the company had is a relative's
    # "如果是另一家内地厂…": another factory supposed, with none of the case's links
    another_factory: bool = False
    relatives_factory: bool = False  # "我表弟喺江門都有間廠": another person's factory
    # "舊廠房而家租咗俾人": old premises, no longer the company's factory
    old_site_let: bool = False
    # "唔係通過公司，係我老婆個人入股": held by a person, not the Hong Kong company
    held_personally: bool = False
    # Places the factory was and left ("本來喺深圳沙井，搬咗去清遠"), not answered
    left_places: tuple[str, ...] = ()
    # "跟我们公司没关系": no relation at all between the Hong Kong company and the factory
    no_relation: bool = False
    # A short follow-up taken as the phase after or before the one just answered
    phase_in_turn: bool = False
    # "合約係我阿哥間香港公司簽嘅，唔係我間": the link is a relative's company's
    link_of_relative: bool = False
    # the place guessed for a near miss, taken because the answer said other facts
    place_taken: str | None = None
    # "we plan to deregister the HK company", "香港公司打算註銷": the applicant will be gone
    hk_company_closing: bool = False
    person_share_of_owner: str | None = None  # "我佔60%" of the Hong Kong company that owns it
    smalltalk: str | None = None

    @property
    def text(self) -> str:
        return self.u.text

    @property
    def locale(self) -> str:
        return self.u.locale

    def has(self, *names: str) -> bool:
        return self.u.has(*names)

    def of(self, kind: str, polarity: str | None = None) -> list[Fact]:
        return [
            f for f in self.facts if f.kind == kind and (polarity is None or f.polarity == polarity)
        ]

    @property
    def states_case_facts(self) -> bool:
        """The message says something about the user's own factory. "Factory" alone
        does not ("有幾多間工廠參加咗？" asks about the programme)."""
        kinds = {
            "place",
            "ownership",
            "process",
            "tech_origin",
            "share_mainland",
            "share_hk_company",
            "share_mainland_more",
            "share_hk_company_more",
            "share_mainland_less",
            "share_hk_company_less",
            "share_other_holder",
            "hk_company",
            "own_factory",  # "We have no shares in it, just purchase orders"
        }
        return bool(self.place_choice) or any(
            f.kind in kinds or (f.kind == "premises" and f.value != "factory") for f in self.facts
        )


# "公司係香港嘅", "our company is a Hong Kong one", "the company is from HK": whose the
# company is, not where the factory is
_COMPANY_IS_HK = re.compile(
    r"公司\s*(?:都|亦|也)?(?:系|是)\s*(?:一间|一家)?\s*香港(?:嘅|的|公司|注册|注册嘅|注册的)?"
    r"|\b(?:company|firm)\s+(?:is|'s)\s+(?:a\s+)?(?:(?:hong kong|hk)\b(?:\s+(?:one|company|firm))?"
    r"|(?:from|based in|registered in)\s+(?:hong kong|hk)\b)"
)

# "供应商老板是深圳人": a person from elsewhere, no Hong Kong resident
_OTHER_ORIGIN_PERSON = re.compile(
    r"(?:深圳|内地|大陆|广州|东莞|佛山|惠州|广东|台湾|澳门|外国|新加坡|马来西亚)人"
    r"|\b(?:from (?:shenzhen|the mainland|guangzhou|taiwan|macau|macao)|a mainlander)\b"
)
_LANGUAGE_NAMES = re.compile(r"广东话|广州话|香港话")
_HK_APPLICANT = re.compile(r"\b(?:hk|hong kong)\s+applicant\b|香港申请(?:公司|人)")


def read(
    text: str,
    last_locale: str | None = None,
    telegram_language_code: str | None = None,
    context_place: places.Place | None = None,
    turn: int = 0,
    today: date | None = None,
    context_year: int | None = None,
    context_day: date | None = None,
    context_time: dict[str, object] | None = None,
    known_places: tuple[places.Place, ...] = (),
) -> Reading:
    """``known_places``: the case's factories, found by their short names too."""
    u = understand(text, last_locale, telegram_language_code, with_place=False)
    reading = Reading(u)
    # "合資格" is "qualified", not a joint venture (合資): masked, keeping every position
    folded = fold(u.text).replace("合资格", "够资格")
    spans = u.spans
    owners = _owner_countries(folded)
    things = [("thing.country", s, e) for s, e in _country_things(folded)]
    # "香港生產力促進局", "Hong Kong General Chamber of Commerce": a body's name, no place
    things += [("thing.body", *m.span()) for m in _BODY_NAMES.finditer(folded)]
    # "講廣東話", "广东话", "粤语": a language, no place
    things += [("thing.language", *m.span()) for m in _LANGUAGE_NAMES.finditer(folded)]
    # "site:cleanerproduction.hk", "www.epd.gov.hk", an e-mail: an address, no place
    things += [("thing.address", *m.span()) for m in WEB_ADDRESS.finditer(folded)]
    company_is_hk = list(_COMPANY_IS_HK.finditer(folded))
    things += [("thing.company", *m.span()) for m in company_is_hk]
    # "25% of the HK applicant": the applying company, no place
    things += [("thing.company", *m.span()) for m in _HK_APPLICANT.finditer(folded)]
    _read_places(
        reading,
        context_place,
        turn,
        spans + things + [("owner.country", s, e) for _, s, e in owners],
        known_places,
    )
    denied_places = [f.value for f in reading.of("place", DENIED)]
    if denied_places:
        # "not Zhongshan, it's Guzhen in Jiangmen": a place inside the one denied is not
        # the factory's either
        reading.facts = [
            f
            for f in reading.facts
            if not (
                f.kind == "place"
                and f.polarity == STATED
                and any(f.value != d and places.within(f.value, d) for d in denied_places)
            )
        ]
    _read_signals(reading, folded, spans, turn, [kind for kind, _, _ in owners])
    if company_is_hk and not reading.of("ownership"):
        # "公司係香港嘅，廠喺深圳": the user's company is a Hong Kong one, the factory's owner
        reading.facts.append(Fact("ownership", "hk", STATED, turn, company_is_hk[0].group()))
    read_money(reading, turn)
    _read_all_shares_given(reading, folded, turn)  # first: "一半股份" is half a holding
    _read_shares(reading, folded, turn)
    if (
        reading.of("share_mainland")
        and _FACTORY_COMPANY.search(folded)
        and not _NO_FACTORY.search(folded)
        and any(
            f.kind == "premises" and f.value == "none" and f.polarity == STATED and "trading" in f.quote
            for f in reading.facts
        )
    ):
        # "70% of a factory company in Huizhou and 35% of my HK trading company": the
        # trading company is the Hong Kong one; the factory is the enterprise's
        reading.facts = [
            Fact("premises", "factory", STATED, turn, f.quote) if f.kind == "premises" else f
            for f in reading.facts
        ]
    if "sole" in [f.value for f in reading.of("planned_link")] and reading.of("share_hk_company"):
        # "set up a HK company and I hold 100% of the HK company": a person's share of the
        # new company (link 1(d)), not the company owning the factory
        reading.facts = [
            replace(f, value="resident") if f.kind == "planned_link" else f for f in reading.facts
        ]
    read_when(reading, folded, turn, today, context_year, context_day, context_time)
    read_repeat(reading, folded, turn, today)
    read_repeat_conditions(reading, folded, turn)
    _read_asks(reading, folded, today)
    link = _planned_link(folded)
    if link is None and reading.hk_company_stake:
        link = "venture"  # "HK company owns 49%, mainland partner 51%": a venture's stake
    if (
        link in ("contract", "venture")
        and reading.of("ownership", STATED)
        and all(f.value == "hk" for f in reading.of("ownership", STATED))
        and not (reading.contract_denied or reading.contract_lapsed or reading.link_denied)
        and not reading.what_if
    ):
        # "跟东莞一家厂签了来料加工合同", "we have a JV in Jiangmen": link 1(c) or 1(a),
        # kept so the Mainland party said later ("那个厂是内地老板的", "the mainland
        # partner is an SOE") is the link's other side, not a new owner
        reading.facts.append(Fact("link", link, STATED, turn, ""))
    # "那刚好50%呢？": a figure alone, asked of the share just talked about, is one too
    reading.what_if = (
        bool(_WHAT_IF.search(folded))
        or bool(reading.of("share_unclear") and _ASKED_BACK.search(folded))
        # "咁香港公司開一間呢？": a plan asked about with 呢, no 如果 needed
        or bool(_HYPOTHETICAL.search(folded) and _ENDS_WITH_NE.search(folded))
        # "搬咗之後幾時可以申請" after "如果搬去韶關呢": the move supposed, still
        or bool(_AFTER_THE_MOVE.search(folded) and not reading.of("place"))
    ) and not (
        # "ok, what about dust?": another topic for the guides, nothing supposed
        not reading.facts and not u.amounts and _GUIDE_TOPIC.search(folded)
    )
    if _HK_COMPANY_IN_A_GROUP.search(folded) and not _hk_owns_factory(folded):
        # "the HK co is a subsidiary of the BVI co": the group, not the factory's owner
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        if not reading.of("hk_company"):
            reading.facts.append(Fact("hk_company", "exists", STATED, turn, "hk_company"))
    owned_by_another = _OWNED_BY_ANOTHER_COMPANY.search(folded)
    if owned_by_another and re.search(
        r"(?:香港|港)(?:嘅|的)?(?:子)?公司\s*$", folded[: owned_by_another.start()]
    ):
        owned_by_another = None  # "香港公司係台灣母公司全資擁有": the company's own owner
    if (
        owned_by_another
        # a foreign owner alone still has a contract to ask of
        and (_HK_COMPANY.search(folded) or re.search(r"香港.{0,6}公司", folded))
        and not _NOT_DIRECTLY_HELD.search(folded)
        and not _HELD_OFFSHORE.search(folded)
    ):
        # "we also have a HK subsidiary; the factory is a WFOE owned by the BVI company":
        # the company that owns it is not the Hong Kong one (W9 link 1(b) needs that)
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "foreign", STATED, turn))
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
    elif _HK_COMPANY_BUYS_IT.search(folded) and not any(
        f.value == "hk_planned" for f in reading.of("ownership", STATED)
    ):
        # "what if the HK sub buys the WFOE from the BVI parent?": the Hong Kong company's
        # sole ownership to come (link 1(b)), a plan answered as supposed
        reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "planned_link")]
        reading.facts.append(Fact("ownership", "hk_planned", STATED, turn))
        reading.facts.append(Fact("planned_link", "sole", STATED, turn))
        reading.what_if = True
    stake = _WE_BUY_A_STAKE.search(folded)
    if stake and reading.what_if:
        # "what if we buy 51% of one supplier?": the company's venture with the factory's
        # owner to come (link 1(a)), or its sole ownership at 100% (1(b)); supposed
        share = int(stake.group("en") or stake.group("cn"))
        reading.facts = [
            f
            for f in reading.facts
            if f.kind not in ("ownership", "own_factory", "planned_link")
            and not f.kind.startswith("share_")
        ]
        reading.facts.append(Fact("ownership", "hk_planned", STATED, turn))
        reading.facts.append(
            Fact("planned_link", "sole" if share >= 100 else "venture", STATED, turn)
        )
        # the factory bought into is then one of the company's own (not only bought from)
        reading.facts = [f for f in reading.facts if f.kind != "premises"]
        reading.facts.append(Fact("premises", "factory", STATED, turn))
        reading.facts.append(Fact("own_factory", True, STATED, turn))
    if _BUYING_A_FACTORY.search(folded) and not reading.of("ownership"):
        # "我哋買緊江門一間廠": not the buyer's yet; who owns it now is asked
        reading.facts.append(Fact("ownership", "unclear", STATED, turn))
    if _OWNED_LATER.search(folded) and reading.of("ownership"):
        # "after completion it will be a WFOE of our HK company": an owner to come,
        # answered as supposed; the owner now stays the case's
        reading.what_if = True
    rest_sold = _SELLS_THE_REST.search(folded)
    if rest_sold:
        # "next year we'll sell the remaining 30% too", "賣埋剩低嗰三成": the Hong Kong
        # side's last stake gone, so no link of its own is left (W7, W9); a plan is supposed
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value in ("hk", "unclear"))
            and f.kind != "link"
            and not f.kind.startswith("share_")
        ]
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
        if _PLAN_TO_SELL.search(folded):
            reading.what_if = True
            reading.facts = [f for f in reading.facts if f.kind != "day"]
    _no_shares(reading, folded, turn)
    _person_in_hk_company(reading, folded, turn)
    _non_resident_owner(reading, folded, turn)
    if _RESIDENCY_GIVEN_UP.search(folded):
        # "gave up her HK residency": no Hong Kong resident now (link 1(d)), and no place
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value == "hk_resident")
            and not (f.kind == "place" and f.value == "hk")
        ]
        reading.facts.append(Fact("ownership", "hk_resident", DENIED, turn, "residency given up"))
    denied_now = any(
        f.kind == "ownership" and f.value == "hk_resident" and f.polarity == DENIED
        for f in reading.facts
    )
    if not denied_now and _NOT_RESIDENT.search(folded):
        # "shares now with my mum…, mainland ID only": no Hong Kong resident holds them
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value == "hk_resident")
            and not (f.kind == "place" and f.value == "hk")
        ]
        reading.facts.append(Fact("ownership", "hk_resident", DENIED, turn, "not a resident"))
        denied_now = True
    if denied_now:
        reading.resident_denied_of = resident_denied_of(folded)
    if _LINK_OF_RELATIVE.search(folded):
        reading.link_of_relative = True
    elif _FACTORY_OF_A_PERSON.search(folded) and not reading.of("ownership"):
        # "間廠係我老婆個阿哥嘅", "the factory belongs to my brother-in-law": a person's
        # factory, with no company or residence said; which link it has (a Hong Kong
        # company's, or a resident's shares) is asked, never assumed (W7, W9)
        reading.facts.append(Fact("ownership", "unclear", STATED, turn))
    elif (
        _FACTORY_OF_A_PERSON.search(folded)
        and [f.value for f in reading.of("ownership")] == ["hk"]
        and not _FACTORY_LINK_WORDS.search(folded)
        and not _PERCENT.search(folded)  # "holds 100% of it and 40% of our HK company": 1(d)
        and not any(name == "owner.hk_resident" for name, _s, _e in reading.u.spans)
    ):
        # "我阿哥喺東莞有間廠，我可唔可以用我間香港公司申請？": the speaker's company,
        # with no link to the brother's factory said; the link is asked
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        reading.facts.append(Fact("hk_company", "exists", STATED, turn))
    if _MY_COMPANY_IS_HK.search(folded):
        # "the HK company applying is my company": "my company" later means that one
        reading.facts.append(Fact("my_company", "hk", STATED, turn, ""))
    if _HK_SIDE_LEFT.search(folded):
        # "去年港方退出了，现在是内地独资", "the HK side pulled out": the Hong Kong company
        # owned part of it once; who owns it now decides (W9 links), so it is asked
        reading.hk_side_left = True
        if not reading.of("ownership", STATED):
            # "the mainland partner bought out our stake, we have 0% now": who owns it now
            # is asked, whatever the case said before
            reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        reading.facts = [
            Fact("ownership", "unclear", STATED, f.turn, f.quote)
            if f.kind == "ownership" and f.value in ("hk", "hk_resident") and f.polarity == STATED
            else f
            for f in reading.facts
        ]
    if _past_owner(folded):
        # "以前係我哋香港公司獨資", "it used to be our HK company's": who owned it once,
        # not now; who owns it now is asked
        reading.facts = [
            Fact("ownership", "unclear", STATED, f.turn, f.quote)
            if f.kind == "ownership" and f.value in ("hk", "hk_resident") and f.polarity == STATED
            else f
            for f in reading.facts
        ]
        ended = _UNTIL_YEAR.search(folded)
        if ended:
            # "…until 2021": when the link ended, not the day the rules are read on; and
            # the link said is no longer the case's
            reading.facts = [
                f
                for f in reading.facts
                if f.kind != "link"
                and not (
                    f.kind == "day" and str(f.value.get("day", "")).startswith(ended[1] or ended[2])
                )
            ]
    if reading.of("tech_origin", STATED) or reading.tech_own:
        # "developed by HKPC in Hong Kong", "a HK startup made it": where the technology
        # was developed, not where the factory is
        reading.facts = [
            f for f in reading.facts if not (f.kind == "place" and _developed_there(folded, f))
        ]
    if _ENDED_CLAIM.search(folded) and _STILL_THERE.search(folded):
        # "still running? I heard it ended in 2025": the year is what was heard, not the
        # day asked about; today's answer is asked
        reading.facts = [f for f in reading.facts if f.kind != "day"]
        reading.asks.discard("verdict")
    if (
        _HK_COMPANY_EXISTS.search(folded)
        and not _OWNS_OR_LINKS.search(folded)
        and any(f.kind == "ownership" and f.value == "hk" for f in reading.facts)
    ):
        # "The HK office is a registered HK company though", "We have a HK registered
        # company, does that help?": a company that could apply, not the factory's owner;
        # its link is still to be said
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        reading.facts.append(Fact("hk_company", "exists", STATED, turn, "hk_company"))
    if _LINK_NOT_KNOWN.search(folded) and any(
        f.kind == "ownership" and f.value == "hk" for f in reading.facts
    ):
        # "公司係喺香港註冊嘅 不過間廠點擁有我唔清楚", "I don't know how the factory is set
        # up": a Hong Kong company, its link to the factory not known; asked, not assumed
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        reading.facts.append(Fact("hk_company", "exists", STATED, turn, "hk_company"))
        if not reading.of("ownership", STATED):
            reading.facts.append(Fact("ownership", "unclear", STATED, turn, ""))
    if _HK_COMPANY_NOT_KNOWN.search(folded) and any(
        f.kind == "ownership" and f.value == "hk" for f in reading.facts
    ):
        # "she's a HK permanent resident. Not sure about HK company.": no company said
        # to own it; a resident said stays the owner talked about, else who owns it is asked
        resident = any(f.kind == "ownership" and f.value == "hk_resident" for f in reading.facts)
        resident = resident or any(n == "owner.hk_resident" for n, _s, _e in reading.u.spans)
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        if not reading.of("ownership", STATED):
            value = "hk_resident" if resident else "unclear"
            reading.facts.append(Fact("ownership", value, STATED, turn, ""))
    if (
        _HELD_OFFSHORE.search(folded)
        and not reading.of("ownership", DENIED)
        # "母公司在英属维尔京群岛，但是香港公司持有这家厂100%": the offshore company is the
        # parent, above the Hong Kong company, not between it and the factory
        and not _HK_CO_HOLDS_FACTORY.search(folded)
    ):
        # "a WFOE of our BVI company, which our HK company owns": held through a company
        # elsewhere; the sources name a WFOE solely owned by the Hong Kong company, and
        # say nothing of one in between: for staff to check
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "unsure", STATED, turn))
        reading.offshore = True
    if _PERSON_NOT_COMPANY.search(folded):
        # "the JV partner on our side is me personally, not the company": a person's
        # venture, not the Hong Kong company's (link 1(a) is the company's, W7, W9)
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value in ("hk", "unclear")) and f.kind != "link"
        ]
        reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
    if _NOT_DIRECTLY_HELD.search(folded) and reading.of("ownership", STATED):
        # "so the WFOE is not directly owned by the HK company?", "香港公司係間接持有":
        # held through another company, which the sources say nothing of (W9 link 1(b))
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "unsure", STATED, turn))
        reading.offshore = True
    if _BRANCH_IN_HK.search(folded):
        # "美国公司在香港有分公司": whether the branch of a company from elsewhere is the
        # Hong Kong-registered applicant the rules ask for, the sources do not say
        reading.hk_branch = True
        reading.facts = [f for f in reading.facts if f.kind != "hk_company"]
        reading.facts.append(Fact("hk_company", "exists", STATED, turn, "branch"))
    if _HK_CO_INCORPORATED_ELSEWHERE.search(folded):
        # "香港公司係喺開曼群島註冊，喺香港有辦事處": the "Hong Kong company" is incorporated
        # offshore; whether it holds the registration the rules ask for (Cap. 310) the
        # sources do not settle: for staff to check
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "unsure", STATED, turn))
    if _LINK_IN_DOUBT.search(folded) and any(
        f.kind == "ownership" and f.value == "hk" and f.polarity == STATED for f in reading.facts
    ):
        # "i think its a joint venture w/ our hk co but maybe its just a cooperation
        # agreement, not sure": which link it is, not known: staff check (W9's links)
        reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "link")]
        reading.facts.append(Fact("ownership", "unsure", STATED, turn, "link in doubt"))
    if _LEASED_OUT.search(folded) and reading.of("ownership", STATED):
        # "the WFOE has leased the factory … to another local company who runs it": owned
        # by the Hong Kong company, run by another; the sources say nothing of that: staff
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.facts.append(Fact("ownership", "unsure", STATED, turn, "leased out"))
    if _ESTATE.search(folded):
        # "my father passed away… the shares are still going thru probate": shares held
        # by an estate, or to be inherited; the sources say nothing of either: staff check
        reading.facts = [
            f for f in reading.facts if f.kind != "ownership" and not f.kind.startswith("share_")
        ]
        reading.facts.append(Fact("ownership", "unsure", STATED, turn, "estate"))
    if _NOMINEE.search(folded):
        # "名义上是我内地表弟持股100%，实际上是我出钱": shares held in another's name; the
        # sources count shares as held and say nothing of nominees: for staff to check
        reading.facts = [
            f for f in reading.facts if f.kind != "ownership" and not f.kind.startswith("share_")
        ]
        reading.facts.append(Fact("ownership", "unsure", STATED, turn))
        reading.facts.append(Fact("nominee", True, STATED, turn))
        reading.nominee = True
    moved_to = _MOVED_TO.search(folded)
    stated_places = reading.of("place", STATED)
    if moved_to and len(stated_places) > 1:
        # "the Xiamen one if we move it to Zhuhai?": where the factory would be
        after = [f for f in stated_places if fold(f.quote) in folded[moved_to.end() :]]
        if after:
            reading.moved_from = tuple(
                f.value for f in stated_places if f not in after and isinstance(f.value, str)
            )
            reading.facts = [
                f for f in reading.facts if f.kind != "place" or f.polarity != STATED or f in after
            ]
    if reading.left_places and _PLANNED_MOVE.search(folded):
        # "原来在江西赣州，准备搬到广东河源": not moved yet; the old site is where it is now
        reading.moved_from += reading.left_places
        reading.left_places = ()
    if reading.moved_from and _BEFORE_THE_MOVE.search(folded):
        # "搬之前能不能先申请": asked of the factory where it is now, before the move
        reading.facts = [f for f in reading.facts if f.kind != "place"]
        for place_id in reading.moved_from:
            reading.facts.append(Fact("place", place_id, STATED, turn, ""))
        reading.moved_from = ()
    contract_instead = bool(_CONTRACT_LINK.search(folded)) and not (
        _NEG_CONTRACT.search(folded) or _CONTRACT_LAPSED.search(folded)
    )
    if (
        _HK_COMPANY_OWNS_NOT.search(folded)
        and reading.of("ownership", STATED)
        # "which my HK company does not own, but we have a 来料加工 contract with him": no
        # owner, but link 1(c) all the same (W7, W9)
        and not contract_instead
    ):
        # "we also have a HK subsidiary but it doesn't own the factory": a Hong Kong
        # company that is no owner; the factory is still there, owned by someone else
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value == "hk")
            and not (f.kind == "premises" and f.polarity == DENIED)
            and f.kind != "own_factory"
        ]
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
    if _HAVE_HK_COMPANY.search(folded) and not _FACTORY_LINK_WORDS.search(folded):
        reading.hk_company_had = True
        reading.relatives_company = bool(_RELATIVES_COMPANY_HAD.search(folded))
    if (
        [f.value for f in reading.of("ownership")] == ["hk"]
        and reading.of("share_mainland", STATED)
        and reading.of("share_hk_company", STATED)
        and any(name == "owner.hk_resident" for name, _, _ in spans)
        and not _hk_owns_factory(folded)
    ):
        # "he's a HK resident, holds 100% of the factory and 100% of the HK co": a
        # resident's shares of both, link 1(d), not the company's own factory
        reading.facts = [
            replace(f, value="hk_resident") if f.kind == "ownership" else f for f in reading.facts
        ]
    if (
        [f.value for f in reading.of("ownership", STATED)] == ["other_firm"]
        and reading.of("share_mainland", STATED)
        and reading.of("share_hk_company", STATED)
        and any(name == "owner.hk_resident" for name, _, _ in spans)
        # one person holding both: no other holder named beside the owner
        and not _OTHER_HOLDER.search(folded)
        and not reading.of("share_other_holder")
        and not _NOT_RESIDENT.search(folded)
        and not _OTHER_ORIGIN_PERSON.search(folded)
    ):
        # "如果供应商老板是香港人，持有供应商工厂80%，他也持有我们香港公司35%": the
        # supplier's owner is a resident holding shares of both, link 1(d) (W9)
        reading.facts = [
            replace(f, value="hk_resident")
            if f.kind == "ownership" and f.polarity == STATED
            else f
            for f in reading.facts
        ]
    if _NOT_THROUGH_THE_COMPANY.search(folded) and _PERSONALLY.search(folded):
        reading.held_personally = True
    if _NOT_THROUGH_THE_COMPANY.search(folded):
        # "如果間廠係佢個人名義持有，唔係經香港公司呢？": held by a person, not the
        # Hong Kong company; only a resident's shares (link 1(d)) could link it now
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        if "hk" not in [f.value for f in reading.of("ownership", DENIED)]:
            reading.facts.append(Fact("ownership", "hk", DENIED, turn, "not through the company"))
    if len(_LINK_KIND_DENIED.findall(folded)) >= 2 and not reading.of("ownership", STATED):
        # "不是合资，也不是独资，也没有加工合同": the company's own links denied; only a
        # resident's shares (link 1(d)) are left, which the refusal's list names
        reading.facts.append(Fact("ownership", "hk", DENIED, turn, "links denied"))
        reading.contract_denied = True
    if _LINK_ENDED.search(folded) and not _CONTRACT_LINK.search(folded):
        # "合資廠上個月已經解散咗", "sold its 100% stake … to a mainland buyer": the link
        # gone, so the company owns nothing of it now (W9 links 1(a), 1(b))
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        reading.facts.append(Fact("ownership", "hk", DENIED, turn, "link ended"))
        reading.hk_side_left = True
    if _OLD_SITE.search(folded) and _NOT_OURS_NOW.search(folded):
        # "寮步嗰個舊廠房而家租咗俾人": premises no longer the company's factory; their place
        # is no factory of the case (W7, W9: a factory owned and operated)
        reading.facts = [f for f in reading.facts if f.kind != "place"]
        reading.old_site_let = True
    bought = _BUYS_FROM_A_FACTORY.search(folded)
    if bought and not reading.of("ownership", STATED) and not _OUR_FACTORY.search(folded):
        # "没有，只是从深圳的工厂采购", "we only buy from a factory in Shenzhen": a supplier's
        # factory, not the company's own; its place is no factory of the case
        inside = [
            f
            for f in reading.of("place", STATED)
            if f.quote and fold(f.quote) in folded[max(0, bought.start() - 2) : bought.end() + 24]
        ]
        supplied = [f.value for f in inside]
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "premises" and f.value == "factory" and f.polarity == STATED)
            and f not in inside
            and f.kind != "own_factory"
        ]
        if _ONLY.search(folded[max(0, bought.start() - 8) : bought.start() + 4]):
            # "只是从…采购", "we only buy from…": no factory of its own
            reading.facts.append(Fact("own_factory", False, STATED, turn, "buys from a factory"))
        if len(supplied) == 1:  # kept apart, for "what if the supplier signs a contract with us?"
            reading.facts.append(Fact("supplier_place", supplied[0], STATED, turn, ""))
    if _ANOTHER_FACTORY.search(folded):
        reading.another_factory = True
    if _RELATIVE_HAS_A_FACTORY.search(folded) and reading.of("place", STATED):
        # "我表弟喺江門開山都有間廠…同一樣問題": someone else's factory, its own case
        reading.relatives_factory = True
    if _TECH_NOT_FROM_HK.search(folded):
        # "what if the tech was NOT from HK?": the technology's origin (W9's higher cap),
        # and "HK" there is no place
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "place" and f.value == "hk") and f.kind != "tech_origin"
        ]
        reading.facts.append(Fact("tech_origin", "local", DENIED, turn, "not from HK"))
    if _WAS_OWNED_BY.search(folded) and not _STILL_OWNED.search(folded):
        # "it was 100% owned by that HK company": a link that was, not one that is
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
    if _NO_RELATION.search(folded):
        # "现在香港公司跟这个厂没关系了", "同我公司冇關係", "my HK company has no link at
        # all to it": no link of the company's to ask about; it owns nothing of the factory
        reading.facts = [
            f for f in reading.facts if not (f.kind == "ownership" and f.value == "hk")
        ]
        reading.facts.append(Fact("ownership", "hk", DENIED, turn, "no relation"))
        reading.contract_denied = True
        reading.no_relation = True
    if _factory_sold(folded):
        # "上年賣咗俾大陸人", "we sold it last year to a mainland company": whoever owned
        # it, the user's Hong Kong company owns it no more; the buyer, when said, does
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value in ("hk", "hk_resident", "unclear"))
        ]
        if _sold_to_a_hk_company(folded):
            # "卖给了一家香港公司": the buyer may apply, if linked; not the seller
            reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        elif (
            _CONTRACT_LINK.search(folded)
            # "…but the HK company signs a processing contract with the new owner"
            and (_STILL_HAVE.search(folded) or _CONTRACT_SIGNING.search(folded))
            and not (_NEG_CONTRACT.search(folded) or _CONTRACT_LAPSED.search(folded))
        ):
            # "把工厂卖给了内地老板，但是香港公司跟他们还有来料加工合同": sold, but the
            # processing contract with the Hong Kong company is link 1(c) (W7, W9)
            reading.facts.append(Fact("ownership", "hk", STATED, turn))
            if not reading.of("link"):
                reading.facts.append(Fact("link", "contract", STATED, turn, ""))
        else:
            reading.facts.append(Fact("ownership", "hk", DENIED, turn))
    if _NOT_THE_HK_COMPANY.search(folded) and not any(
        f.kind == "ownership" and f.value in ("hk", "hk_resident") and f.polarity == STATED
        for f in reading.facts
    ):
        # "owned by our German parent, not the HK branch": no Hong Kong owner, said so
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
    if _APPLICANT_ASKED.search(folded):
        # "申請人係日本公司定香港公司？": which company applies, asked; nobody's owner said
        reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "hk_company")]
        reading.asks.discard("verdict")
    if _WHY_ALL_GUANGDONG.search(folded):
        # "why expand to all of Guangdong?": the scope's reason, asked; no factory's place
        reading.facts = [f for f in reading.facts if f.kind != "place"]
        reading.asks.discard("verdict")
    if _HK_COMPANY_NEEDED.search(folded):
        # "係咪要香港公司先得？", "do we need a HK company?": the rule asked; nobody's owner
        reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "hk_company")]
        reading.asks.discard("verdict")
        reading.hk_company_needed_asked = True
    if _LINK_ASKED.search(folded) and not _LINK_STATED.search(folded):
        # "香港公司同工廠要咩關係？", "how must my HK company be linked to the factory?":
        # the links the rules accept, asked; no owner or premises of the user's said
        reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "premises")]
        reading.asks.discard("verdict")
    if _COUNTS_AS_A_LINK.search(folded):
        # "这算合资吗？", "does this count as a JV?": whether a set-up is a link, asked
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
        reading.asks.discard("verdict")
    if _MEANING_ASKED.search(folded):
        # "三来一补是什么意思？", "what does WFOE mean?": a term asked about; nobody's link
        reading.facts = [f for f in reading.facts if f.kind != "ownership"]
    if _PERSONAL_MATTER.search(folded) and all(f.kind == "place" for f in reading.facts):
        # "點樣申請公屋？": applying for something else; the programme's apply words are
        # not about it
        reading.asks.clear()
        reading.facts = []  # "香港签证": a place of the matter, not of a factory
        reading.other_matter = True
    if _ELSEWHERE_TOPIC.search(folded) and not reading.of("premises") and not reading.u.amounts:
        # "whats the weather in hk today": a place named for another topic, no factory's
        reading.facts = [f for f in reading.facts if f.kind != "place"]
        reading.place_choice = ()
    reading.other_factory = bool(_OTHER_ONE.fullmatch(folded.strip(" ?？.。!！")))
    if _bare_topic(reading, folded):
        # "electroplating wastewater", "印染废水", "VOC 點減": a search for the guides
        reading.asks.add("guides")
        reading.topic_search = True
    reading.guide_clause = _guide_clause(reading, folded)
    # "请问印刷行业减少VOC有什么实用指南": guides asked for by name, on a topic of theirs
    reading.guides_named = bool(
        _GUIDE_ASKED.search(folded)
        and (
            _GUIDE_TOPIC.search(folded)
            or u.has("industry.named")
            or trade_named(u.text) is not None  # "有没有纺织业的指南", "guides for furniture"
        )
    )
    reading.search_syntax = _looks_like_search_syntax(u.text)
    if reading.search_syntax:
        # 'boiler AND (energy OR "heat recovery") -dyeing*': a search typed as one, not a
        # case ("-dyeing" excludes dyeing; it says nothing of the user's process)
        reading.facts = [f for f in reading.facts if f.kind not in ("process", "premises")]
        reading.asks = {"guides"}
    return reading


_HOW_ASKED = re.compile(r"点样|点做|点减|怎样|怎么|如何|\bhow\b")


# What the guides are about: pollutants, resources, equipment, processes.
_GUIDE_TOPIC = re.compile(
    r"废水|污水|废气|排放|臭味|异味|噪音|粉尘|污泥|废料|回收|节能|节电|慳电|节水|慳水|能源|锅炉|空压机|压缩空气"
    r"|漏气|冷水机|照明|马达|变频|余热|废热|溶剂|喷油房|喷漆房|电镀|印染|染色|印刷|注塑|啤机|漂染"
    r"|\bvocs?\b|\bwaste ?water\b|\bexhaust\b|\bemissions?\b|\bodou?rs?\b|\bnoise\b|\bdust\b"
    r"|\bsludge\b|\bscrap\b|\brecycl|\benergy\b|\belectricity\b|\bwater saving\b|\bboilers?\b"
    r"|\bcompressed air\b|\bcompressors?\b|\bleaks?\b|\bchillers?\b|\blighting\b|\bmotors?\b"
    r"|\binverters?\b|\bheat recovery\b|\bsolvents?\b|\bspray booths?\b|\belectroplating\b"
    r"|\bdyeing\b|\bprinting\b|\binjection moulding\b"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


# Words that ask for the guides outright, whatever else the message asks
_GUIDE_ASKED = Recalled(
    re.compile(
        r"指南|指引|手册|贴士|教(?:我|下|吓)?(?:点样|怎么|怎样|如何)|\bguides?\b|\btips\b"
        r"|\bhow (?:to|can we|do we|can i|do i) (?:reduce|cut|lower|treat|control|save)\b"
    )
)
# Where a clause begins: a sentence's or a clause's end, a list's "3)", "同埋", "and"
_CLAUSE_START = re.compile(r"[?？!！。;；,，\n]|\b\d\)|\(\d\)|同埋|还有|另外|\balso\b|\band\b")


def _guide_clause(reading: Reading, folded: str) -> str | None:
    """The clause that asks for the guides in a message that also asks for a verdict or an
    estimate ("…政府可以資助幾多，同埋有冇啲指南教點樣減少VOC？"), as written: it is
    searched on its own after the other answers. None when the message asks nothing else."""
    if not reading.asks & {"verdict", "estimate"}:
        return None
    asked = _GUIDE_ASKED.search(folded)
    if asked is None:
        return None
    starts = [m.end() for m in _CLAUSE_START.finditer(folded, 0, asked.start())]
    start = starts[-1] if starts else 0
    end = re.compile(r"[?？!！。;；\n]").search(folded, asked.end())
    clause = reading.text[start : end.start() if end else len(folded)].strip(" ,，")
    return clause if len(clause) >= 4 else None


# What to do about a problem, asked without a how-to word ("what can we do", "any advice")
_WHAT_TO_DO = re.compile(
    r"\bwhat (?:can|should|could|do) (?:we|i) do\b|\bany (?:advice|suggestions?|ideas)\b"
    r"|\bget rid of\b|\bhow (?:do|can|should) (?:we|i) (?:deal with|handle|fix|solve|tackle|stop)\b"
)


def _bare_topic(reading: Reading, folded: str) -> bool:
    """A few words naming a cleaner-production topic and nothing else ("electroplating
    wastewater", "印染废水", "boiler"): typed as into a search box."""
    if reading.asks - {"guides"} or reading.u.amounts:
        return False
    if any(f.kind not in ("process", "premises") for f in reading.facts):
        return False  # "LED lighting retrofit in the workshop": still a topic
    if not _GUIDE_TOPIC.search(folded):
        return False
    if _WHAT_TO_DO.search(folded):
        return True  # "our spray booth smells of solvent, what can we do": a problem told
    cjk = len(_CJK.findall(folded))
    words = len(re.findall(r"[a-z]+", folded))
    return cjk <= 10 and words <= 6 and not folded.rstrip().endswith(("?", "？"))


# Things people apply for that are not this programme: "公屋", "visa", "passport".
_PERSONAL_MATTER = re.compile(
    r"公屋|居屋|综援|签证|护照|身份证|回乡证|驾驶执照|车牌|按揭|信用卡|入学|退休金|强积金|生果金"
    r"|\b(?:public housing|visa|passport|id card|identity card|driving licen[cs]e|mortgage|credit card"
    r"|pension|mpf|school place)\b"
)
# Topics of everyday talk that name a place without a factory in it.
_ELSEWHERE_TOPIC = re.compile(
    r"天气|气温|温度|落雨|下雨|塞车|交通|\bweather\b|\btemperature\b|\braining\b|\btraffic\b"
    r"|\bforecast\b"
)
# The Hong Kong party gone from the factory's owners: "港方退出咗", "HK side pulled out"
_HK_SIDE_LEFT = re.compile(
    r"(?:港方|香港方|香港(?:嗰|𠮶|那)?(?:边|方面)|香港公司|港资|香港股东|香港合伙人|香港伙伴|我哋|我们)"
    r"(?:已经|已|都|亦)?(?:退出|撤出|撤资|退股|抽资|撤股|卖(?:晒|咗|了|出)(?:所有|全部)?(?:股份|股权))"
    # "去年香港公司把股份全卖给了内地公司": all its shares sold
    r"|(?:港方|香港公司|我哋|我们)(?:已经|已)?(?:把|将)(?:所有|全部)?(?:的|嘅)?(?:股份|股权)(?:全部|全|都|晒)?卖(?:给|俾|畀|咗|了|晒|出)"
    r"|\b(?:hk|hong kong)\s+(?:side|partner|company|co|shareholder|investor)s?\s+(?:has\s+|have\s+)?"
    r"(?:pulled out|withdrew|withdrawn|exited|left|sold (?:out|(?:its|their|all its|all their) (?:stake|shares)))"
    r"|\bwe\s+(?:have\s+)?(?:pulled out|withdrew|exited|sold (?:out|our (?:stake|shares)))"
    # "the mainland side bought us out", "內地嗰邊買斷咗我哋": the Hong Kong side gone
    r"|\bbought (?:us|our (?:hk |hong kong )?(?:company|side|stake|shares)) out\b"
    r"|\bbought out (?:us|our (?:hk |hong kong )?(?:company|side|stake|shares))\b"
    # "what if the local partner buys out our 30% completely?": the buy-out supposed
    r"|\bbuys? (?:us|our (?:\d{1,3}% ?)?(?:hk |hong kong )?(?:company|side|stake|shares?)|our \d{1,3}%) ?out\b"
    r"|\bbuys? out (?:us\b|our (?:\d{1,3}% ?)?(?:hk |hong kong )?(?:company|side|stake|shares?)\b|our \d{1,3}%)"
    r"|\b(?:buys?|takes? over) (?:all (?:of )?)?our (?:\d{1,3}% ?)?(?:stake|shares)\b"
    r"|(?:买断|收购|买晒|买咗|买了)(?:咗|了)?(?:我哋|我们|港方|香港方|香港公司)(?:嘅|的)?(?:股份|股权|全部股份)?"
)
_OWNER_CLAUSE = re.compile(
    r"独资|全资|合资|拥有|持有|香港公司|港资|\bowned\b|\bowns?\b|\bhk company\b|\bhong kong company\b"
    r"|\bwfoe\b|\bjv\b|\bjoint venture\b"
)
_NOW_SAID = re.compile(
    r"而家|现在|目前|依家|\bnow\b|\bcurrently\b|\btoday\b|\bstill\b|仍然|仲系|还是"
)


def _past_owner(folded: str) -> bool:
    """An owner said of the past only: a clause with both "以前/used to" and an owner
    word, and nothing in the message about now."""
    if _NOW_SAID.search(folded):
        return False
    return any(
        _BEFORE_NOW.search(clause) and _OWNER_CLAUSE.search(clause)
        for clause in _CLAUSE_END.split(folded)
    )


_DEVELOPED = re.compile(
    r"研发|研制|开发|发明|设计|\b(?:developed|invented|designed|engineered|created|made by)\b"
)


def _developed_there(folded: str, fact: Fact) -> bool:
    """The place named as where a technology was developed: just after the verb
    ("developed by HKPC in Hong Kong"), just before it ("喺香港研發"), or as its maker's
    ("HK 嘅 startup"). Named twice ("廠喺東莞，用東莞理工研發嘅技術"), it is the factory's
    place unless every mention is the technology's."""
    quote = fold(fact.quote or "")
    if not quote:
        return False
    mentions = [m.start() for m in re.finditer(re.escape(quote), folded)]
    return bool(mentions) and all(_developed_at(folded, at, len(quote)) for at in mentions)


def _developed_at(folded: str, at: int, length: int) -> bool:
    after_verb = [m for m in _DEVELOPED.finditer(folded, 0, at) if at - m.end() <= 24]
    if after_verb and not _CLAUSE_END.search(folded[after_verb[-1].end() : at]):
        return True
    gap = re.match(r"[-\s]{0,2}", folded[at + length :])
    if _DEVELOPED.match(folded, at + length + (gap.end() if gap else 0)) or re.match(
        r".{0,3}(?:研发|研制|开发|发明|设计)", folded[at + length :]
    ):
        return True
    # "個 tech 係 HK 嘅 startup 整嘅", "tech from a HK startup": its maker
    return bool(_MADE_BY_AFTER.match(folded, at + length)) and bool(
        _TECH_WORD.search(_clause(folded, (at, at + length)))
    )


# Who made a technology, after its place: "HK 嘅 startup", "a HK uni", "香港大學"
_MADE_BY_AFTER = re.compile(
    r"\s*(?:嘅|的)?\s*(?:(?:一)?(?:间|家|个|所))?\s*(?:start-?ups?|univ\w*|uni\b|institut\w*|compan\w*|firms?|labs?|team"
    r"|初创|大学|院校|学院|公司|团队|机构|实验室)"
)


# Whether a set-up counts as one of the links: "这算合资吗？", "算唔算三來一補？",
# "does this count as a JV?", "is that a joint venture?"
_COUNTS_AS_A_LINK = re.compile(
    r"(?:算|算唔算|算不算|算是|属于|属唔属于|系咪|是不是)(?:系|是)?(?:一种|一个|一间)?"
    r"(?:合资|合作企业|合作经营|独资|外商独资|三来一补|来料加工)(?:企业)?(?:吗|嘛|呀|啊|㗎|呢)?\s*[?？]"
    r"|\b(?:does|would) (?:this|that|it) (?:count|qualify) as (?:a |an )?(?:jv|joint venture|wfoe"
    r"|co-?operative|processing)"
    r"|\bis (?:this|that|it) (?:a |an )?(?:jv|joint venture|wfoe|co-?operative (?:venture|enterprise))\s*\?"
)
# A company in between, offshore: "BVI", "開曼", "a Cayman holding company"
_OFFSHORE = (
    r"(?:(?<![a-z])bvi(?![a-z])|british virgin|(?<![a-z])cayman(?![a-z])|开曼|维尔京|维京群岛|离岸"
    r"|\boffshore\b)"
)
_HK_CO = r"(?:hk|hong kong|香港)\s*(?:公司|company|co\b|ltd|limited)"
# The offshore company owned by the Hong Kong company, between it and the factory: "the BVI
# is 100% owned by my HK company", "BVI公司就係香港公司100%擁有", "香港公司全资拥有开曼公司"
_HELD_OFFSHORE = re.compile(
    _OFFSHORE
    + r".{0,40}(?:owned by|held by|由|系|是|属于).{0,24}"
    + _HK_CO
    + r"|"
    + _HK_CO
    + r".{0,24}(?:owns|holds|持有|拥有|全资).{0,16}"
    + _OFFSHORE
)
# A person, not the company, is the party: "me personally, not the company", "係我個人，唔係公司"
_PERSON_NOT_COMPANY = re.compile(
    r"\b(?:me|myself|i)\s+personally\b.{0,30}\bnot\b.{0,20}\bcompany\b"
    r"|\bpersonally\b,?\s*not\s+(?:through\s+|via\s+|by\s+)?(?:the|our|my)\s+(?:hk\s+|hong kong\s+)?company\b"
    r"|(?:我|我自己)(?:个人|私人)(?:名义)?.{0,6}(?:唔系|不是|并非|而唔系|而不是)(?:香港)?公司"
)
# "the HK company applying is my company", "我間公司就係香港公司"
_MY_COMPANY_IS_HK = re.compile(
    r"\b(?:hk|hong kong) company\b[^.;]{0,24}\bis my (?:own )?company\b"
    r"|\bmy company is (?:the|a|our) (?:hk|hong kong)\b"
    r"|我(?:间|嘅|的)公司(?:就)?(?:系|是)(?:间|一间|一家)?香港(?:注册)?公司"
    r"|香港(?:嗰间|那家)?公司(?:就)?(?:系|是)我(?:间|嘅|的)公司"
)
# The Hong Kong side's last stake sold: "sell the remaining 30%", "賣埋剩低嗰三成"
_SELLS_THE_REST = re.compile(
    r"\b(?:sell|sold|selling|sell off|sold off|divest)\b.{0,12}"
    r"\b(?:the remaining|the rest|remaining|all (?:of )?(?:our|the) (?:shares|stake))\b"
    r"|卖(?:埋|晒|掉|出|咗|了)?(?:剩低|剩下|剩返|余下|其余)|(?:把|将)(?:剩低|剩下|余下|其余)(?:的|嘅)?\S{0,6}卖"
    # "the HK company sells its stake to the local partner": the company's own stake in
    # the venture, not the company's shares
    # "what if we sell our share in the Zhongshan JV to our local partner": the company's
    # own stake in the venture
    r"|\b(?:we|our (?:hk |hong kong )?company)\s+(?:will |would |could )?(?:sells?|sold|selling)\s+(?:all\s+)?(?:of\s+)?"
    r"our\s+(?:whole |entire )?(?:share|shares|stake|part|interest)\s+in\s+the\s+(?:\w+\s+){0,2}(?:jv|joint venture)\b"
    r"|\b(?:hk|hong kong) (?:company|co|side|sub|subsidiary) (?:will |would |could )?"
    r"(?:sells?|sold|selling|exits?|pulls? out of|gives? up) (?:all )?(?:of )?(?:its|their) "
    r"(?:whole |entire )?(?:stake|share|shares|part|interest)\b(?! (?:of|in) (?:the )?(?:hk|hong kong))"
    r"|香港公司(?:将|把)(?:佢|它|自己)?(?:喺|在)?(?:合资|合营)?\S{0,4}(?:嘅|的)(?:股份|股权|份额)"
    r"(?:全部)?(?:卖|转|让)(?:晒|埋|掉|咗|了|出|给|俾|畀)"
)
_PLAN_TO_SELL = re.compile(
    r"\b(?:will|'ll|going to|plan(?:ning)? to|intend to|next (?:year|month))\b"
    r"|明年|下年|下个月|打算|准备|计划|会|要|想"
)
# "我们还有来料加工合同", "we still have a processing contract": a link kept
_STILL_HAVE = re.compile(r"还有|仲有|仍然有|仍有|依然有|都有|\bstill (?:have|has|got)\b|\bstill\b")
# A factory being bought: "我哋買緊江門一間廠", "we are buying a factory in Jiangmen"
_BUYING_A_FACTORY = re.compile(
    r"(?:买紧|正在买|收购紧|正在收购|准备收购|打算收购|谂住买|准备买)\S{0,8}(?:厂|工厂)"
    r"|\b(?:are|am|we're|i'm)\s+(?:buying|acquiring|taking over)\s+(?:a|the|an)\s+(?:\w+\s+)?(?:factory|plant)\b"
)
# The factory owned by a company other than the Hong Kong one: "a WFOE owned by the BVI
# company", "工厂是BVI公司独资的"
_OWNED_BY_ANOTHER_COMPANY = re.compile(
    r"\b(?:wfoe|factory|plant)\b[^.;]{0,25}?\b(?:owned|held)(?: 100%| wholly| solely)? by "
    r"(?:the |our |a |an )?(?:bvi|offshore|cayman|parent|overseas|foreign|us|american|taiwan"
    r"|taiwanese|singapore|japanese|german|british)\b"
    r"|(?:由|系|是)(?:我哋|我们)?(?:嘅|的)?"
    r"(?:bvi|离岸|开曼|母公司|海外|外国|台湾|美国|日本|新加坡|德国|英国|韩国)(?:母)?(?:公司)?"
    r"(?:直接)?(?:独资|拥有|持有|全资)"
)
# The Hong Kong company described within its group: "the HK co is a subsidiary of the BVI
# co", "香港公司係台灣公司嘅子公司"; it says nothing of who owns the factory
_HK_COMPANY_IN_A_GROUP = re.compile(
    r"\b(?:hk|hong kong) (?:co|company|sub|entity|ltd)\b (?:is|was) (?:a |the |an )?"
    r"(?:wholly[- ]owned |100% owned )?(?:subsidiary|sub|daughter company) of\b"
    r"|(?:香港)(?:嗰间|那家|的|嘅)?公司(?:系|是)[^，。,.]{0,10}(?:嘅|的)子公司"
)
# The Hong Kong company buying the factory: "what if the HK sub buys the WFOE", "香港公司收购间厂"
_HK_COMPANY_BUYS_IT = re.compile(
    r"\b(?:hk|hong kong) (?:sub|subsidiary|company|co|entity|ltd)\b[^.;?]{0,15}?"
    r"\b(?:buys?|bought|acquires?|acquired|takes? over|took over|purchases?|purchased)\b"
    r"[^.;?]{0,10}?\b(?:the |that |our )?(?:wfoe|factory|plant|it|shares)\b"
    # "can it take over … if the factory is transferred to it?": to the new HK company
    r"|\b(?:factory|plant|wfoe)\b[^.?]{0,10}\b(?:is|was|were|gets|got) transferred to (?:it|us|my|our|the (?:new )?(?:hk|hong kong))\b"
    r"|香港(?:子)?公司[^，。,.;；]{0,6}?(?:收购|买咗|买了|买入|买|接手)(?:这|(?:嗰|𠮶)|呢)?(?:间|个|家)?"
    r"(?:厂|工厂|独资企业|外资企业|wfoe)"
)
# The company buying a stake of a factory: "we buy 51% of one supplier", "我哋入股間廠51%"
_WE_BUY_A_STAKE = re.compile(
    r"\b(?:we|our (?:hk |hong kong )?(?:company|co)|the (?:hk|hong kong) (?:company|co))\s+"
    r"(?:buy|buys|bought|acquire|acquires|take|takes|took|invest in)\s+(?P<en>\d{1,3})\s*%\s+"
    r"(?:of|in)\s+(?:a|one|the|that|this|our|their)\s+(?:\w+\s+)?(?:suppliers?|factory|plant|vendor)"
    r"|(?:我哋|我们|香港公司)(?:收购|买|买入|入股|投资)(?:咗|了)?(?:一间|一家|间|个|其中一间|其中一家)?"
    r"(?:供应商|厂|工厂)(?:嘅|的)?(?P<cn>\d{1,3})\s*%"
)
# An owner still to come: "after completion it will be a WFOE", "收购完成后会系独资"
_OWNED_LATER = re.compile(
    r"\bafter (?:the )?(?:completion|purchase|acquisition|deal)\b|\bonce (?:the )?(?:deal|purchase"
    r"|acquisition|sale) (?:completes|is completed|closes|is done)\b"
    r"|\bwill (?:then )?be (?:a |an )?(?:wfoe|jv|joint venture|wholly|owned|ours)\b"
    r"|(?:收购|买卖|交易|交收)(?:完成|完成咗|完成了)(?:之?后|以后)|完成收购(?:之?后|以后)"
)
# Held through a company in between: "not directly owned by the HK company", "間接持有"
_NOT_DIRECTLY_HELD = re.compile(
    r"\bnot (?:directly|wholly directly) (?:owned|held)\b|\bindirectly (?:owned|held|owns|holds)\b"
    r"|\b(?:owned|held|owns|holds)\b.{0,30}\bindirectly\b"
    r"|间接(?:持有|拥有|控股|持股)|(?:唔系|不是|并非|并不是|冇|没有)直接(?:持有|拥有|控股|持股)"
)
# A branch in Hong Kong: "在香港有分公司", "香港分公司", "a branch in HK", "our Hong Kong branch".
# A subsidiary (子公司) is a company of its own there, so not one.
_BRANCH_IN_HK = re.compile(
    r"(?:喺|在|于)香港(?:都|也)?(?:有|设有|开咗|开了|设立了?)(?:一)?(?:间|个|家)?(?:分公司|分行|分部)"
    r"|香港(?:的|嘅)?(?:分公司|分行|分部)"
    r"|\bbranch(?: office)? in (?:hk|hong kong)\b|\b(?:hk|hong kong) branch\b"
)
# The "Hong Kong company" itself incorporated offshore: "香港公司係喺開曼群島註冊", "our HK
# company is incorporated in the BVI"
_HK_CO_INCORPORATED_ELSEWHERE = re.compile(
    _HK_CO
    + r"\S{0,6}?\s*(?:喺|在|于)?\s*"
    + _OFFSHORE
    + r"\S{0,4}(?:注册|成立|登记)"
    + r"|\b(?:hk|hong kong) (?:company|co|ltd|entity) (?:is |was )?(?:registered|incorporated) (?:in|at) (?:the )?"
    + _OFFSHORE
)
# The Hong Kong company holding the factory itself: "香港公司持有这家厂100%"
_HK_CO_HOLDS_FACTORY = re.compile(
    _HK_CO
    + r"\s*(?:系|是)?\s*(?:全资|独资|100%)?\s*(?:持有|拥有|\bowns\b|\bholds\b)\s*(?:100%\s*of\s*)?"
    + r"(?:这|该|(?:嗰|𠮶)|我们的|我哋|我们|the|our|间|家|个|\s)*(?:厂|工厂|\bfactory\b|\bplant\b|\bwfoe\b)"
)
# A Hong Kong company said to exist, as an aside: "we have a HK registered company", "the
# HK office is a registered HK company though", "我哋香港辦事處係註冊咗嘅香港公司"
_HK_COMPANY_EXISTS = re.compile(
    # "she has a hong kong company but I don't know how the factory is set up"
    r"\b(?:we|i|she|he|they|my (?:mum|mom|mother|dad|father|wife|husband|boss)) (?:also |do |does |still )?"
    r"(?:have|has|have got|has got|got) (?:a |an )?(?:registered )?"
    r"(?:hk|hong kong)(?:[ -]registered)? (?:company|co|ltd|limited|entity|subsidiary|sub"
    r"|affiliate|sister company|arm)\b"
    r"|\b(?:office|branch|it|that) is (?:also )?(?:a |an )?(?:registered )?(?:hk|hong kong)"
    r"(?:[ -]registered)? (?:company|co|ltd|limited|entity)\b"
    r"|(?:办事处|写字楼|办公室|分公司|(?:嗰|𠮶)间|那家)\S{0,3}(?:系|是)\S{0,4}(?:注册(?:咗|了)?(?:嘅|的)?)?香港(?:注册)?公司"
    # "香港公司是按商业登记条例登记的", "the HK company is registered under the BRO": how
    # the company is registered, not what it owns
    r"|(?:香港|港)公司(?:系|是)?(?:按|根据|依|按照)\S{0,12}(?:登记|注册)(?:咗|了)?(?:的|嘅)?"
    r"|\b(?:the |our |my )?(?:hk|hong kong) (?:company|co) is (?:registered|incorporated) (?:under|in|with)\b"
    # "我们是有香港注册公司的，这样有用吗？": said as a further fact, asked whether it helps
    r"|(?:我们|我哋|我地)(?:系|是)?(?:也|都|亦)?有(?:一)?(?:间|家|个)?(?:注册(?:咗|了)?(?:嘅|的)?)?"
    r"香港(?:注册)?(?:的|嘅)?公司(?:的|嘅)?\S{0,4}(?:有用|有冇用|帮到|有帮助|得唔得|可以吗|行吗)"
)
# Words that tie a company to the factory: ownership or a link
# "间厂点拥有我唔清楚", "not sure how the factory is owned": the link is not known
_LINK_NOT_KNOWN = re.compile(
    r"(?:厂|工厂)\S{0,2}(?:点|点样|怎样|怎么|如何)\S{0,2}(?:拥有|持有|揸|架构|安排|设立|运作)\S{0,6}?"
    r"(?:我|我哋|我们)?(?:都)?(?:唔|不)(?:太)?(?:清楚|知|知道|肯定|确定)"
    r"|(?:唔|不)(?:太)?(?:清楚|知|知道|肯定|确定)\S{0,4}(?:间|个|家)?(?:厂|工厂)\S{0,2}(?:点|点样|怎样|怎么|如何)"
    r"\S{0,2}(?:拥有|持有|揸|架构|安排)"
    r"|\b(?:don'?t|do not|doesn'?t|not sure|no idea|unsure)\b[^.?!]{0,12}\bhow (?:the |our |his |her )?"
    r"(?:factory|plant|it) is (?:set up|owned|held|structured|linked)\b"
)
# "Not sure about HK company", "唔知有冇香港公司": whether a Hong Kong company is there at all
_HK_COMPANY_NOT_KNOWN = re.compile(
    r"\b(?:not sure|unsure|don'?t know|no idea)\s+(?:about|if|whether|of)\s+(?:there'?s\s+|she has\s+"
    r"|he has\s+|they have\s+)?(?:the |a |any |an )?(?:hk|hong kong)\s+(?:company|co)\b"
    # ("…if the HK company qualifies": a doubt about the rules, not about the owner)
    r"(?!\s+(?:qualif|is eligible|can apply|counts|is ok|is allowed))"
    r"|(?:唔|不)(?:太)?(?:清楚|知|知道|确定|肯定)(?:佢|他|她)?(?:有冇|有没有|有无)香港公司"
)
_OWNS_OR_LINKS = re.compile(
    r"\bown(?:s|ed|er)?\b|\bwfoe\b|\bjv\b|joint venture|processing|contract|subsidiary of"
    r"|合资|独资|全资|拥有|持有|三来一补|加工|合约|合同|%|[一二三四五六七八九十]成"
)
# Shares held in someone else's name: "名义上是表弟持股", "代持", "nominee", "on paper".
_NOMINEE = re.compile(
    r"名义上|挂名|代持|代为持有|帮我揸|帮我持有|用佢个名|用他的名|\bnominees?\b|\bon paper\b"
    r"|\bin (?:his|her|their|my cousin's|a relative's) name\b|\bholds? (?:it|them|the shares) for me\b"
    # "用我老婆個名登記", "挂在我表哥名下", "registered in his wife's name"
    r"|用\S{0,5}?(?:个|嘅|的)?名(?:义|字)?(?:登记|注册|开)|挂(?:喺|在)\S{0,6}?名下"
    # "間廠係我阿哥個名嘅", "係我表哥個名登記", "代名人"
    r"|(?:系|是)\S{0,6}?(?:个|嘅|的)名(?:义|字)?(?:登记|注册|嘅|的|下)|代名人"
    r"|\b(?:registered|held|put) (?:in|under) (?:his|her|my|their|the) \w+(?:'s)? name\b"
)
# The factory sold to another: "賣咗俾大陸人", "已经卖给了一家内地企业", "sold it to a
# mainland company", "we sold the plant". Goods or shares sold are no factory sold.
_FACTORY_SOLD = re.compile(
    r"(?:卖咗|卖了|卖左|卖出咗|卖出了|转让咗|转让了|转手咗|转手了|出售咗|出售了|顶让咗|顶让了)"
    r"(?:间厂|个厂|工厂|厂房|厂|盘生意|盘厂)?\s*(?:俾|给|畀|予|比|过)"
    r"|(?:已经|早就|上年|去年|旧年|上个月|之前)(?:将|把)?(?:间厂|个厂|工厂|厂)?(?:卖|转让|转手|出售)(?:给|俾|畀|咗|了)"
    r"|(?:间厂|个厂|工厂|厂房|厂)(?:已经|早就|上年|去年|旧年|上个月)?(?:卖|转让|转手|出售)(?:咗|了)"
    # "我刚把惠州的工厂卖给了一家香港公司"
    r"|(?:把|将)\S{0,8}(?:厂|工厂|厂房)(?:卖|转让|转手|出售)(?:给|俾|畀|咗|了)"
    r"|\b(?:sold|have sold|has been sold|was sold|transferred|handed over)\b"
    r"(?:\s+(?:it|the factory|the plant|our factory|our plant|the business|that factory|that plant|the place))?"
    r"(?=\s|$|[,.])"
)
_GOODS_SOLD = re.compile(
    # "sold 70% to a mainland partner", "賣咗一半俾人": a stake, not the whole factory
    r"\d+\s*%|百分之|[一二三四五六七八九两]成|\bhalf\b|一半|"
    r"货|产品|货品|股|机器|设备|\b(?:products?|goods|stock|shares?|stakes?|machines?|equipment|output|items)\b"
)


_CONTRACT_SIGNING = re.compile(r"\bsigns?\b|\bsigned\b|\bsigning\b|签(?:订|咗|了|份)?")


def _sold_to_a_hk_company(folded: str) -> bool:
    """The buyer named after the sale is a Hong Kong company ("卖给了一家香港公司")."""
    sold = _FACTORY_SOLD.search(folded)
    if sold is None:
        return False
    buyer = _CLAUSE_END.split(folded[sold.end() : sold.end() + 30], maxsplit=1)[0]
    return bool(_HK_COMPANY.search(buyer))


# "之前攞咗嘅資助使唔使退返？", "do we have to pay the subsidy back?": what happens to
# money already paid, a question about the past, not who owns the factory now
_PAID_BACK = re.compile(
    r"退返|退还|退回|退钱|退款|退资助|归还|返还|交还|回收资助|追讨|\brefund|\b(?:pay|paid|give|hand) (?:it |the (?:money|subsidy|funding|grant) )?back\b"
    r"|\brepay|\bclaw ?back"
)


def _factory_sold(folded: str) -> bool:
    """The factory said to be sold, in a clause that sells no goods or shares; a sale told
    beside a question about paying back money already received says nothing of now."""
    if _PAID_BACK.search(folded):
        return False
    for clause in _CLAUSE_END.split(folded):
        match = _FACTORY_SOLD.search(clause)
        if match and not _GOODS_SOLD.search(clause) and not _HYPOTHETICAL.search(clause):
            return True
    return False


# "…, not the HK branch", "不是香港分公司的": the Hong Kong company is not the owner
_NOT_THE_HK_COMPANY = re.compile(
    r"\bnot (?:by )?(?:the |our |my )?(?:hk|hong kong) (?:branch|company|co|subsidiary|sub|office|entity)\b"
    # "間廠係內地母公司擁有，唔係我哋": owned by another, not by us
    r"|(?:拥有|所有|持有|\bowned\b).{0,6}[,，]?\s*(?:唔系|不是|而唔系|而不是)(?:我哋|我们|我地)(?:嘅|的)?\s*$"
    r"|\bowned (?:\w+ )?by [\w\s]{2,30},? not (?:by )?us\b"
    r"|(?:不是|唔系|并非|而不是|而唔系)(?:由)?(?:我们|我哋)?(?:的|嘅)?香港(?:的|嘅)?(?:分公司|子公司|公司|办事处)"
)
# "申請人係日本公司定香港公司？", "is the applicant the parent or the HK company?"
_APPLICANT_ASKED = re.compile(
    r"(?:申请人|申请者).{0,12}(?:定|定系|还是|或者|边个|边间|哪个|哪家|谁)"
    r"|(?:边个|边间|哪个|哪家|谁).{0,6}(?:系|是|做)?(?:申请人|申请者)"
    r"|\bapplicant\b.{0,40}\bor\b|\b(?:who|which (?:company|one|entity))\b.{0,20}\b(?:is|be) the applicant\b"
    r"|\bis the applicant\b.{0,40}\?"
)
# Why the programme was widened to all of Guangdong (para 17), asked
_WHY_ALL_GUANGDONG = re.compile(
    r"(?:\bwhy\b|\bhow come\b|点解|为何|为什么).{0,24}(?:expand|extend|widen|扩展|扩大|扩至|伸延).{0,20}"
    r"(?:guangdong|广东|全省)"
)
# Whether a Hong Kong company is needed at all, asked: "係咪要香港公司先得？", "一定要香港
# 公司嗎？", "do we need a Hong Kong company?"
_HK_COMPANY_NEEDED = re.compile(
    r"(?:系咪|是不是|是否|使唔使|需唔需要|需不需要|一定|必须|系唔系)(?:一定)?(?:要|需要)(?:有)?(?:间|个|家|一间|一家)?"
    r"(?:香港|港)(?:注册)?(?:的|嘅)?公司"
    r"|要(?:有)?(?:间|个|家)?(?:香港|港)(?:注册)?(?:的|嘅)?公司(?:先得|先可以|才可以|才行|才能)"
    r"|\b(?:do|does|must|should) (?:we|i|one|you|the applicant) (?:need|have) (?:to (?:have|be|set up|register) )?"
    r"(?:an? )?(?:hk|hong kong)(?:-registered| registered)? company\b"
    r"|\bis an? (?:hk|hong kong)(?:-registered| registered)? company (?:needed|required|necessary|a must)\b"
    r"|\b(?:need|required to have) an? (?:hk|hong kong)(?:-registered| registered)? company\b\s*\?"
)
# The link between a Hong Kong company and the factory, asked: "要咩關係", "點樣連住間廠",
# "what relationship is needed", "how must we be linked to the factory?"
_LINK_ASKED = re.compile(
    r"(?:咩|乜|什么|甚么|点样|如何|怎样|怎么|哪种|边种|哪些|边啲)(?:样)?(?:嘅|的)?(?:关系|关联|联系|连系)"
    r"|(?:关系|关联|联系|连系)(?:先|才)?(?:可以|得|算|行|能)?.{0,6}(?:咩|乜|什么|甚么|边种|哪种)"
    r"|(?:点样|如何|怎样|怎么|点)(?:先|才)?(?:可以|算)?(?:同|跟|和|与)?(?:间|个|家)?(?:厂|工厂)?"
    r"(?:连住|连系|联系|扯上关系|挂钩|挂钩)"
    r"|\b(?:what|which) (?:kind of |sort of |type of )?(?:link|links|relationship|relation|connection)s?\b"
    r"|\bhow (?:must|should|do|does|can|is|are) (?:we|i|my|our|the|a)\b.{0,30}\b(?:linked|connected|related)\b"
)
# The link stated, not asked: "我哋同間廠係三來一補關係", "our link is a processing contract"
_LINK_STATED = re.compile(
    r"(?:系|是)(?:三来一补|来料加工|合资|合作|独资|加工)|\b(?:is|was) (?:a |an )?(?:processing|joint|wfoe|wholly)"
)
# A whole message that asks about "the other factory" of the case, naming no place.
_OTHER_ONE = re.compile(
    r"(?:(?:咁|那|那么|那麼|噉|and|so|ok)[,，\s]*)?"
    r"(?:另一间|另外一间|另外(?:嗰|𠮶)间|另外那间|另一个厂|另外个厂|第二间|另一家|另外一家|另外那家)"
    r"(?:厂|工厂)?(?:呢|又点|又如何|怎么样|点呀|又点呀|可唔可以|可以吗|行吗)?"
    r"|(?:(?:and|so|ok|okay)[,\s]+)?(?:what|how) about the other (?:one|factory|plant)"
    r"|(?:and|so)? ?the other (?:one|factory|plant)"
)
_PROJECT_WORD = re.compile(
    r"项目|工程|技术|设备|系统|装置|改造|升级|换新|更换|加装|安装|上一套"
    r"|\b(?:project|technology|equipment|system|retrofit|upgrade|installation)\b"
)
_SEARCH_OPERATORS = re.compile(r"\b(?:AND|OR|NOT)\b|\"[^\"]+\"")
_SITE_FILTER = re.compile(r"(?i)\bsite:\S")
_BOOLEANS = re.compile(r"\b(?:AND|OR|NOT)\b")
_SEARCH_EXCLUDES = re.compile(r"(?:^|\s)-[^\W\d_]|[^\W\d_]\*")


def _looks_like_search_syntax(text: str) -> bool:
    """A -term or a wildcard ("-dyeing", "dye*") with a boolean operator, a quoted phrase
    or another of them; or two operators ("清潔生產 AND 印刷 OR 油墨"): how search boxes
    are written, not how people talk."""
    excludes = len(_SEARCH_EXCLUDES.findall(text))
    operators = len(_SEARCH_OPERATORS.findall(text))
    booleans = len(_BOOLEANS.findall(text))
    # '"节能" AND 电镀': a quoted phrase and an operator
    return (
        bool(_SITE_FILTER.search(text))  # "site:cleanerproduction.hk 廢水"
        or excludes >= 2
        or (excludes == 1 and operators >= 1)
        or booleans >= 2
        or (booleans == 1 and operators >= 2)
    )


# --- places ---------------------------------------------------------------------------------


def _masked(text: str, u: Understanding, spans: list[tuple[str, int, int]]) -> str:
    """The text with amounts, currency words and ownership words blanked: "HK$80k",
    "香港公司" and "Hong Kong-owned" name no factory place."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "

    for amount in u.amounts:
        blank(*amount.span)
    for match in _CURRENCY_WORDS.finditer(text):
        blank(match.start(), match.end())
    if len(fold(text)) == len(text):  # folded offsets are the text's own
        for name, start, end in spans:
            # "香港公司", "香港研發", "日本客戶": no factory place
            if name.startswith(("owner.", "tech.", "thing.")):
                blank(start, end)
    return "".join(chars)


def _read_places(
    reading: Reading,
    context: places.Place | None,
    turn: int,
    spans: list[tuple[str, int, int]],
    known: tuple[places.Place, ...] = (),
) -> None:
    text = _masked(reading.u.text, reading.u, spans)
    found = places.find_places(text, context=context)[:MAX_PLACES]
    if len(known) > 1:
        # "晋江那个…" of a Dongguan and a Jinjiang factory: the one told of, by its name
        unfound = [p for p in known if all(p not in (m.place, *m.candidates) for m in found)]
        for extra in places.find_known(text, unfound):
            over = [m for m in found if m.span[0] < extra.span[1] and extra.span[0] < m.span[1]]
            if all(m.place is None for m in over):  # a near miss ("Jiujiang?") gives way
                found = [m for m in found if m not in over] + [extra]
    country = places.find_country(text)
    if (
        country is not None
        and country.place is not None
        and all(m.place is None or m.place.id != country.place.id for m in found)
    ):
        found.append(country)  # "a plant in Dongguan and another in Vietnam"
    if not found:
        return
    folded = fold(reading.u.text)
    found = _most_specific(found, folded)
    found.sort(key=lambda m: m.span[0])
    starts = [m.span[0] for m in found]
    for index, match in enumerate(found):
        polarity = _polarity(folded, match.span, starts[:index], [m.span[1] for m in found[:index]])
        if (
            polarity == STATED
            and index + 1 < len(found)
            # A correction right before the next place, not one a long story away, and
            # to a factory's place ("其實係香港公司" names the owner)
            and found[index + 1].span[0] - match.span[1] <= _CORRECTION_REACH
            and not _names_an_owner(folded, found[index + 1])
            and _CORRECTED_AFTER.search(folded[match.span[1] : found[index + 1].span[0]])
        ):
            polarity = DENIED  # "佛山，哦不对，是在中山古镇": the first place, taken back
        clause = _clause(folded, match.span)
        if polarity == STATED and _PARENT_BEFORE.search(
            folded[max(0, match.span[0] - 40) : match.span[0]]
        ):
            if match.place is not None and match.place.in_hong_kong:
                reading.parent_in_hong_kong = True
            continue  # "our parent co is in HK": the owner's place
        mainland_enterprise = (
            match.place is not None
            and match.place.in_guangdong
            and len(found) == 1
            and bool(_PERCENT.search(folded))
        )  # "佔清遠間公司55%": the resident's enterprise there, the factory's place
        if (
            polarity == STATED
            and _COMPANY_HERE.match(folded, match.span[1])
            and not mainland_enterprise
        ):
            continue  # "喺香港開間公司", "我喺香港間公司持有40%": where a company is, not a factory
        if (
            len(found) > 1
            and (
                _LANDMARK_AFTER.match(folded, match.span[1])
                or _LANDMARK_BEFORE.search(folded[max(0, match.span[0] - 14) : match.span[0]])
            )
            and any(other is not match for other in found)
        ):
            continue  # "郴州旁邊的韶關樂昌", "Lechang, next to Chenzhou": a place to find it by
        if (
            index > 0
            and match.place is not None
            and match.place.level == "province"
            and _PART_OF_BEFORE.search(folded[found[index - 1].span[1] : match.span[0]])
        ):
            continue  # "Is Hainan part of Guangdong?": the province it is checked against
        if (
            _SIDE_AFTER.match(folded, match.span[1])
            and _WHO_RUNS.search(folded)
            and not _FACTORY.search(clause)
        ):
            continue  # "who runs this on the Guangdong side?": a partner, not the factory
        if _names_an_owner(folded, match):
            continue  # "HK JV", "no HK entity", "香港合資": who owns, not where the factory is
        if _SHARE_OF_PLACE_AFTER.match(folded, match.span[1]):
            continue  # "新加坡嗰30%", "Singapore's 30%": a shareholder's stake, not a place of ours
        if _CONTACT_HERE.search(clause) and not _FACTORY.search(clause):
            continue  # "东莞那边呢，有电话吗": where a phone line is asked for, no factory
        if (
            polarity == STATED
            and _COMPANY_BEFORE.search(folded[max(0, match.span[0] - 30) : match.span[0]])
            and (
                _PERCENT.search(clause)
                # "I also have a company in Hong Kong": where that company is
                or (
                    match.place is not None
                    and match.place.in_hong_kong
                    and not _FACTORY.search(clause)
                )
            )
            # "55% of a factory company in Qingyuan": a Mainland enterprise's place is its
            # factory's, as "東莞公司" is the enterprise
            and (match.place is None or match.place.in_hong_kong or not match.place.in_guangdong)
        ):
            continue  # "he has 20% of the company over in Hong Kong": shares, not a factory
        enterprise_here = (
            match.place is not None
            and not match.place.in_hong_kong
            and bool(_ENTERPRISE_AFTER.match(folded, match.span[1]))
        )  # "美国公司在惠州的全资子公司": the enterprise that runs the factory is there
        if (
            polarity == STATED
            and not enterprise_here
            and (
                (_OFFICE.search(clause) and not _FACTORY.search(clause))
                or (len(found) > 1 and _office_named_last(folded, match.span))
            )
        ):
            continue  # the office's place, not the factory's
        if (
            polarity == STATED
            and len(found) > 1
            and _SOURCE_OF_THING.search(clause)
            and not _FACTORY.search(clause)
            and not _THAT_ONE_AFTER.match(folded, match.span[1])  # "東莞嗰間想搞新技術"
        ):
            continue  # "technology bought in Hong Kong": where a thing came from
        if _NEAR.search(_after_last_boundary(folded[max(0, match.span[0] - 24) : match.span[0]])):
            # "廠喺梧州，離廣東好近", "但係好近廣東韶關㗎", "only 20km from the Guangdong
            # border": a place it is near, not where it is
            if match.place is not None and polarity == STATED:
                reading.near_places.append(match.place.id)
            continue
        if (
            _PERSON_AFTER.match(folded[match.span[1] : match.span[1] + 8])
            or (
                _PERSON_BEFORE.search(
                    _after_last_boundary(folded[max(0, match.span[0] - 40) : match.span[0]])
                )
                # "我表哥喺廣州有間廠": the relative's factory is there
                and not _FACTORY.search(folded[match.span[1] : match.span[1] + 8])
            )
        ):
            # "我係深圳人", "my cousin in Guangzhou", "she moved to Guangzhou": where someone
            # is, comes from or has moved
            reading.person_places = True
            if (
                match.place is not None
                and match.place.in_hong_kong
                and _FROM_HK_BEFORE.search(folded[max(0, match.span[0] - 30) : match.span[0]])
                and not reading.of("ownership")
            ):
                # "he's from HK", as "佢係香港人": a Hong Kong person, the resident's link
                reading.facts.append(Fact("ownership", "hk_resident", STATED, turn, match.text))
            continue
        if _LIVES_BEFORE.search(folded[max(0, match.span[0] - 20) : match.span[0]]):
            reading.person_places = True
            continue  # "I live in Singapore", "我住喺深圳": where someone lives
        if (
            len(found) > 1
            and _IN_NAME_BEFORE.search(folded[max(0, match.span[0] - 12) : match.span[0]])
            and _IN_NAME_AFTER.match(folded, match.span[1])
        ):
            continue  # "晋江那个能不能用东莞的名义申请": the factory asked about is the other
        if (
            polarity == DENIED
            and match.place is not None
            and match.place.in_hong_kong
            and (lives := _LIVES_WORD.search(folded[max(0, match.span[0] - 40) : match.span[0]]))
            and not _FACTORY.search(
                folded[max(0, match.span[0] - 40) + lives.end() : match.span[0]]
            )
        ):
            # "he lives in Shenzhen though, not HK": no Hong Kong resident (link 1(d))
            reading.facts.append(Fact("ownership", "hk_resident", DENIED, turn, match.text))
            continue
        if _BUYERS_AFTER.match(folded, match.span[1]) or (
            _BUYERS_BEFORE.search(
                _after_last_boundary(folded[max(0, match.span[0] - 30) : match.span[0]])
            )
            and not _FACTORY_AFTER.match(folded, match.span[1])  # "客户在惠阳的工厂"
        ):
            reading.buyers_place = polarity == STATED
            continue  # "我们有香港的客户", "customers in Hong Kong": where buyers are
        if (
            polarity == STATED
            and len(found) > 1
            and _BEFORE_NOW.search(clause)
            and any(
                not _BEFORE_NOW.search(_clause(folded, other.span))
                for other in found
                if other is not match and not _names_an_owner(folded, other)
            )
        ):
            if match.place is not None:
                reading.left_places += (match.place.id,)
            continue  # "used to be in Dongguan, moved to Cambodia": where it was
        if len(found) > 1 and (
            (
                re.search(r"(?:由|从)\s*$", folded[max(0, match.span[0] - 4) : match.span[0]])
                and re.match(r"\s*(?:搬|迁|转移|移)", folded[match.span[1] : match.span[1] + 4])
            )
            or _MOVED_FROM.search(folded[max(0, match.span[0] - 40) : match.span[0]])
        ):
            if match.place is not None:
                reading.left_places += (match.place.id,)
            continue  # "由東莞搬咗去越南", "moved from Dongguan to Vietnam": where it was
        if match.place is None:
            if polarity == STATED and not reading.place_choice:
                reading.place_choice = tuple(match.candidates)
                reading.place_suggested = bool(getattr(match, "suggested", False))
                reading.place_words = match.text
            continue
        reading.facts.append(Fact("place", match.place.id, polarity, turn, match.text))
    if _ALSO.search(folded):
        reading.places_added = True


# Between a place and the province it is checked against: "Is Hainan part of Guangdong?",
# "海南算唔算廣東", "海南属于广东吗"
_PART_OF_BEFORE = re.compile(
    r"^\s*(?:(?:is|was|are)\s+)?(?:(?:a\s+)?part of|in|inside|within|under|belongs? to|counted as"
    r"|count as)\s+(?:the\s+)?$"
    r"|^\s*(?:算唔算|算不算|算系|算是|算|系唔系|系咪|是不是|是否|属唔属于|属不属于|属于|归|在唔在|在不在|喺唔喺)"
    r"(?:系|是)?(?:喺|在)?\s*$"
)
# "on the Guangdong side", "廣東方面", "广东那边" asked about who runs or decides
_SIDE_AFTER = re.compile(r"\s*(?:side\b|方面|(?:嗰|𠮶|那|呢|这)边|一方|方(?![法案式向便]))")
_WHO_RUNS = re.compile(
    r"\bwho\b|\bwhich (?:body|department|agency|authority|government)\b|边个|边位|谁|哪个部门|哪个机构"
    r"|边个部门|负责|主办|\bin charge\b|\bresponsible\b"
)


def _names_an_owner(folded: str, match: places.PlaceMatch) -> bool:
    """ "香港公司", "HK JV": Hong Kong named for who owns the factory, not where it is."""
    return (
        match.place is not None
        and match.place.id == "hk"
        and bool(_HK_AS_OWNER_AFTER.match(folded, match.span[1]))
    )


# A place named only to find another by: "郴州旁邊的韶關樂昌", "near Chenzhou"
_LANDMARK_AFTER = re.compile(r"\s*(?:旁边|附近|隔篱|隔离|邻近|对面|侧边)")
_LANDMARK_BEFORE = re.compile(
    r"\b(?:next to|near|close to|beside|across from|not far from)\s+(?:the\s+)?$"
)


def _denied_before(folded: str, start: int) -> bool:
    return bool(
        _NEG_CJK.search(folded[max(0, start - 8) : start])
        or _NEG_LATIN.search(folded[max(0, start - 24) : start])
    )


def _most_specific(found: list[places.PlaceMatch], folded: str) -> list[places.PlaceMatch]:
    """ "東莞厚街" is one place, Houjie: a name that contains another one said drops out."""
    kept = []
    for match in found:
        place = match.place
        if place is not None and any(
            other.place is not None
            and other.place is not place
            and other.place.id != place.id
            and other.place.is_within(place)
            # "東莞厚街", "Houjie, Dongguan": one place; "not Zhongshan, it's Guzhen": the
            # city denied stays, to be denied
            and not _denied_before(folded, match.span[0])
            for other in found
        ):
            continue
        if place is not None and any(k.place is not None and k.place.id == place.id for k in kept):
            continue
        kept.append(match)
    return kept


def _office_named_last(folded: str, span: tuple[int, int]) -> bool:
    """Whether the premises named last before a place, in its clause, is an office or a
    warehouse: "our office is in Kwun Tong and the factory is in Vietnam"."""
    before = _after_last_boundary(folded[: span[0]])
    offices = [m.end() for m in _OFFICE.finditer(before)]
    factories = [m.end() for m in _FACTORY.finditer(before)]
    return bool(offices) and (not factories or offices[-1] > factories[-1])


def _after_last_boundary(window: str) -> str:
    """The part of ``window`` after its last clause boundary."""
    ends = [m.end() for m in _CLAUSE_END.finditer(window)]
    return window[ends[-1] :] if ends else window


# "東莞嗰間", "清远那家": the factory at that place, talked about
_THAT_ONE_AFTER = re.compile(r"\s*(?:𠮶|嗰|那|呢|这)(?:间|家|个厂)")
_SOURCE_OF_THING = re.compile(
    r"技术|供应商|科技园|科学园|大学|\btechnolog|\bvendor|\bsupplier|\bbought\b|\bpurchased\b"
    r"|\buniversity\b|\bscience park\b"
)
# Where the buyers or the market are, not the factory: "香港的客户", "customers in Hong Kong".
_BUYERS_AFTER = re.compile(
    r"\s*(?:的|嘅|之)?\s*(?:客户|客人|顾客|买家|买手|市场|\bcustomers?\b|\bclients?\b"
    r"|\bbuyers?\b|\bmarkets?\b)"
)
_FACTORY_AFTER = re.compile(
    r"\s*(?:的|嘅|之)?\s*(?:工厂|厂|车间|\bfactory\b|\bplant\b|\bworkshop\b)"
    # "我的客户在东莞厚街有工厂": the customer's factory is there
    r"|\s*(?:有|开(?:咗|了)?|设(?:有)?)(?:一)?(?:间|家|个)?(?:工厂|厂)"
)
_BUYERS_BEFORE = re.compile(
    r"(?:客户|客人|顾客|买家|市场|(?:啲|d|嘅|的)客)(?:都|主要|大部分|多数|大多|全部)?(?:系|喺|在|来自|是)\s*$"
    r"|(?:卖去|卖到|出口到|出口去|销往|卖俾|卖给)\s*$"
    r"|\b(?:customers?|clients|buyers?|markets?)\s+(?:are\s+|is\s+)?(?:mostly\s+|mainly\s+|all\s+)?"
    r"(?:in|from|based in)\s+(?:the\s+)?$"
    # "client in Zhongshan wants a VOC incinerator": a consultant's client, at its factory
    r"|\bclient\s+(?:is\s+)?(?:mostly\s+|mainly\s+)?(?:from|based in)\s+(?:the\s+)?$"
    r"|\b(?:sell|sells|selling|sold|export|exports|exporting|ship|ships|shipping)\s+(?:\w+\s+){0,4}(?:to|in)\s+(?:the\s+)?$"
)
_NEAR = re.compile(
    r"(?:离|距离|靠近|邻近|接近|近|\bnear(?:\s+to)?|\bclose\s+to|\bnext\s+to|\bbeside"
    r"|\b(?:\d+|an?|one|two|three|four|five|a few|few)\s*(?:hrs?|hours?|mins?|minutes?|km|kms"
    r"|kilometres?|kilometers?)(?:'s)?\s+(?:drive\s+|away\s+)?from)"
    r"(?:\s+the)?\s*$"
)
# A parent company's place: "our parent co is in HK", "母公司喺香港". Who owns the
# factory, not where it is.
_PARENT_BEFORE = re.compile(
    r"\b(?:parent|holding|mother)\s+(?:co|company|firm|group)\b[^.;,!?]{0,16}\b(?:in|from)\s+(?:the\s+)?$"
    r"|母公司(?:系|是|喺|在|位于|设于|设在)\s*$"
)
# A place taken back before the next one: "佛山，哦不对，是中山", "Foshan, sorry I mean
# Zhongshan", "東莞，唔係，係惠州".
# (Not the yes-no questions "啱唔啱", "对不对": "又唔知我哋啱唔啱" asks if they qualify.)
_CORRECTED_AFTER = re.compile(
    r"(?<!对)不对|(?<!啱)唔啱|讲错|说错|打错|更正|唔系\s*[,，]?\s*系|不是\s*[,，]?\s*是"
    r"|\bsorry\b|\bi mean\b|\bno wait\b|\boops\b|\bcorrection\b|\bmy bad\b"
)
_CORRECTION_REACH = 40  # characters between a place and the one said to replace it
# Where the factory was, not where it is: "used to be in Dongguan", "原来在东莞".
_BEFORE_NOW = re.compile(
    r"原来|原本|本来|旧时|以往|早前|以前|之前|从前|曾经|搬走|迁走|\bused\s+to\b|\bformerly\b|\bpreviously\b|\boriginally\b"
    r"|\bmoved\s+(?:\w+\s+){0,3}from\b|\bwas\s+(?:in|at)\b"
    # "our HK company had a JV factory in Shunde until 2021": a link that has ended
    r"|\b(?:had|owned|held|ran)\b.{0,60}\buntil\s+(?:19|20)\d\d\b|直至(?:19|20)\d\d年?(?:为止)?"
)
_UNTIL_YEAR = re.compile(r"\buntil\s+((?:19|20)\d\d)\b|直至((?:19|20)\d\d)")
_MOVED_FROM = re.compile(r"\b(?:moved|moving|relocated|relocating)\s+(?:\w+\s+){0,3}from\s+$")
# Relatives and friends, folded: a person other than the speaker (a share's holder, or
# someone whose town is named)
_RELATIVES_CJK = (
    "老婆|太太|老公|丈夫|妻子|爱人|另一半|爸爸|老豆|老爸|阿爸|父亲|妈妈|阿妈|老妈|母亲|哥哥|阿哥|弟弟"
    "|细佬|家姐|姐姐|妹妹|细妹|儿子|个仔|女儿|个女|亲戚|表哥|表弟|表姐|表妹|堂兄|堂弟|堂哥|堂姐|朋友"
    "|阿叔|叔叔|叔父|阿伯|伯父|伯伯|舅舅|舅父|阿舅|姑姐|姑妈|阿姨|姨妈|姨丈|姑丈|外父|外母|岳父|岳母"
    "|爷爷|阿爷|嫲嫲|外公|外婆|侄|外甥"
    # "我爸持有70%", "我妈": a parent or sibling named by one character after "my"
    "|(?<=我)(?:爸|妈|哥|弟|姐|妹|儿|女)"
    # "我個friend喺火炭有間印刷廠", "我同学": a friend or classmate, said as people type
    "|同学|(?<![a-z])(?:friend|fd)(?![a-z])"
)
# "合約係我阿哥間香港公司簽嘅", "the contract was signed by my brother's company": the link
# is another person's company's, not the speaker's
_LINK_OF_RELATIVE = re.compile(
    rf"(?:合约|合同|合资|加工|\bcontract\b|\bjv\b|\bjoint venture\b).{{0,16}}(?:系|是|由|\bby\b|\bwith\b)\s*"
    rf"(?:我|my\s+)?(?:{_RELATIVES_CJK}|brother|sister|father|dad|mother|mum|son|daughter|cousin|uncle"
    r"|friend|wife|husband)(?:'s)?\s*(?:间|家|个|嘅|的)?\s*(?:香港|hk\s+|hong kong\s+)?(?:公司|company)"
    # "owned by my cousin's HK company", "間廠係我表哥間香港公司嘅": the factory itself
    r"|\b(?:owned|held|run)\s+by\s+my\s+(?:brother|sister|father|dad|mother|mum|son|daughter"
    r"|cousin|uncle|aunt|friend|wife|husband)'s\s+(?:hk\s+|hong kong\s+)?(?:company|co|firm)\b"
    rf"|(?:厂|工厂)[^。？?]{{0,8}}?(?:系|是|由|属于)(?:我)?(?:{_RELATIVES_CJK})(?:间|家|个|嘅|的)?(?:香港)?公司"
)
# The factory a person's, no company said: "間廠係我老婆個阿哥嘅", "工厂是我朋友的",
# "the factory belongs to my brother-in-law" (not "…my brother's HK company")
_FACTORY_OF_A_PERSON = re.compile(
    rf"(?:厂|工厂)[^。？?]{{0,10}}?(?:系|是|属于|归)\s*(?:我|佢|他|她)?(?:(?:{_RELATIVES_CJK})(?:个|嘅|的)?)?"
    rf"(?:{_RELATIVES_CJK})(?:嘅|的|所有|拥有)?(?=\s*(?:[，,。.!！?？]|$|㗎|嘅|啦|喎))"
    # "佢話間廠係佢供應商嘅", "the factory is our supplier's": another firm's factory
    r"|(?:厂|工厂|𠮶间|嗰间|那间|那家|呢间)[^。？?，,]{0,8}?(?:系|是|属于)(?:佢|他|她|我哋|我们|客户|客人)?(?:的|嘅)?(?:供应商|供货商|客户|客人)(?:嘅|的)"
    r"|\bfactory\b.{0,20}\b(?:is|belongs to) (?:his|her|their|our|my|a) (?:client's|customer's|supplier's)\b"
    # "我阿哥喺東莞鳳崗有間廠", "my brother has a factory in Dongguan"
    rf"|(?:{_RELATIVES_CJK})(?:喺|在)\S{{0,12}}?(?:有|开咗|开了)(?:一)?(?:间|家|个)\S{{0,4}}?(?:厂|工厂)"
    # "間廠係我同我老婆一齊揸嘅", "my wife and I own the factory": persons', no company said
    rf"|(?:厂|工厂)\S{{0,4}}?(?:系|是)?(?:我同|我和|我跟|我与)(?:我)?(?:{_RELATIVES_CJK}|合伙人|拍档)\S{{0,4}}?"
    r"(?:一齐|一起|共同|合伙)?(?:揸|持有|拥有|开|经营|搞|做)"
    r"|\b(?:my (?:wife|husband|partner|brother|sister) and i|me and my (?:wife|husband|partner|brother|sister))"
    r" (?:own|run|hold|have) (?:the|this|a|our) (?:factory|plant)\b"
    # "我幫阿爸問嘅，佢喺中山小欖有間燈飾廠": asked for a relative, whose factory it is
    rf"|(?:帮|替|代)(?:我)?(?:{_RELATIVES_CJK})(?:问|查|睇)\S{{0,8}}?(?:佢|他|她)(?:喺|在)\S{{0,12}}?"
    r"(?:有|开咗|开了)(?:一)?(?:间|家|个)\S{0,4}?(?:厂|工厂)"
    r"|\bmy (?:brother|sister|father|dad|mother|mum|mom|son|daughter|cousin|uncle|aunt|friend"
    r"|brother-in-law|sister-in-law|father-in-law)\s+(?:has|owns|runs)\s+(?:a|his|her) (?:factory|plant)\b"
    r"|\bfactory\b.{0,20}\b(?:belongs? to|is owned by|owned by|is run by)\s+my\s+(?:\w+\s+)?"
    r"(?:brother|sister|father|dad|mother|mum|mom|son|daughter|cousin|uncle|aunt|friend|wife|husband"
    r"|brother-in-law|sister-in-law|father-in-law|mother-in-law|relative|in-laws)(?:'s)?"
    r"(?!\s*(?:'s\s+)?(?:hk\s+|hong kong\s+)?(?:company|co\b|firm))"
)
# A person's home town, not the factory's place: "我係深圳人", "a Shenzhen native",
# "廣州嘅表哥".
_KIN_CJK = _RELATIVES_CJK + "|股东"
# "深圳人", "廣州定居": a person's place (where someone comes from, or has settled)
_PERSON_AFTER = re.compile(
    rf"^\s*(?:人|籍|native\b|(?:嘅|的)\s*(?:{_KIN_CJK})|定居|长居|养老|退休"
    # "我是深圳户口": a person's household registration, not the factory's place
    r"|户口|户籍|身份证|\bhukou\b"
    # "我而家喺深圳住咗好多年": where the speaker lives, the verb after the place
    r"|(?:住|居住|生活)(?:咗|了|左|紧|着)?\s*(?:好多|很多|几|多|十|\d|一|两|三|五)"
    r"|(?:住|居住|生活)(?:咗|了|左)\s*(?:好耐|很久|好久))"
)
# Where a person is, said of the person: "my cousin in Guangzhou", "a shareholder based
# in Shenzhen", "我表哥喺廣州", "我老婆住在深圳"
_PERSON_BEFORE = re.compile(
    # "(he is a Hong Kong permanent resident, lives in Tuen Mun)", "佢…但住咗喺深圳十年":
    # where someone lives
    r"\b(?:lives|living|resides|residing)\s+in\s*$|\b(?:he|she|they|who) (?:live|lives)\s+in\s*$"
    # "he's from HK", "my uncle is originally from Shunde": where a person comes from
    r"|\b(?:he|she|they|uncle|aunt|cousin|father|dad|mother|mum|mom|brother|sister|boss|owner)"
    r"(?:'s|'re| is| are| was| were)\s+(?:originally\s+|also\s+)?from\s*$"
    r"|(?:佢|他|她|但|但系|但是|而家|现在|一直|长期)\s*(?:住|居住|定居)(?:咗|了|左|紧|着)?(?:喺|在)\s*$|"
    r"\b(?:cousin|brother|sister|uncle|aunt|father|mother|dad|mum|mom|son|daughter|wife"
    r"|husband|friend|relative|in-law|shareholder|investor)s?"
    r"\s+(?:who\s+)?(?:(?:is|are|lives?|living|based|staying)\s+){0,2}(?:in|from)\s*$"
    rf"|(?:{_KIN_CJK})\s*(?:住|居住)?(?:喺|在)\s*$"
    # "户口在长沙", "my hukou is in Changsha": where a person is registered
    r"|(?:户口|户籍|籍贯|老家)\s*(?:都)?(?:在|喺|系|是|落)\s*$|\bhukou\s+(?:is\s+)?(?:in|from)\s*$"
    # "she moved to Guangzhou", "佢幾年前搬咗返廣州": where the person has moved
    r"|\b(?:she|he|they|my (?:mum|mom|mother|dad|father|wife|husband|brother|sister|uncle|aunt"
    r"|son|daughter|partner)|the (?:boss|owner))\s+(?:has |had )?(?:\w+\s+){0,2}"
    r"(?:moved|relocated|emigrated|retired)\s+(?:back\s+)?(?:to|into)\s+$"
    rf"|(?:佢|他|她|{_RELATIVES_CJK})\S{{0,6}}(?:搬|移居|移民|回流)(?:咗|了)?(?:返|去|到|回)?\s*$"
)
# A factory applying in another's name: "用东莞的名义", "用東莞個名", "under the Dongguan
# plant's name"
_IN_NAME_BEFORE = re.compile(r"(?:用|以|借|挂|靠|经|經)\s*$|\bunder (?:the |our )?$")
_IN_NAME_AFTER = re.compile(
    r"\s*(?:(?:嗰|𠮶|那|这|呢)?(?:间|个|家)?(?:厂|工厂)?(?:的|嘅|个)?\s*(?:名义|名头|名(?!字))"
    r"|(?:'s|s)?\s*(?:(?:one|plant|factory|company)(?:'s)?\s+)?name\b)"
)
# Residency given up: "gave up her HK residency", "放棄咗香港居民身份"
_RESIDENCY_GIVEN_UP = re.compile(
    r"\b(?:gave|give|given|giving) up (?:her|his|my|their|the) (?:hk |hong kong )?"
    r"(?:residency|resident status|permanent residency|id card|identity card)\b"
    r"|\b(?:no longer|not) (?:a )?(?:hk|hong kong) (?:resident|permanent resident)\b"
    r"|放弃(?:咗|了)?(?:佢|她|他|我)?(?:嘅|的)?(?:香港)?(?:永久)?(?:居民)?(?:身份|居留权|身份证)"
)
# Living somewhere said a little before a place denied: "he lives in Shenzhen, not HK"
_LIVES_WORD = re.compile(
    r"\b(?:lives?|living|resides?|residing|resident)\b"
    r"|住喺|住在|居住|(?<![揸拎持捉握守企])住(?!址)"
)
_LIVES_BEFORE = re.compile(
    r"\b(?:i|we|he|she)\s+(?:live|lives|living|reside|resides|am based|are based|is based)\s+in\s*$"
    # "揸住", "拎住", "持住": holding (a share), not living
    r"|(?:住喺|住在|居住喺|居住在|(?<![揸拎持捉握守企])住)\s*$"
)


def _polarity(folded: str, span: tuple[int, int], earlier: list[int], ends: list[int]) -> str:
    start, end = span
    # The window before a name runs back to the clause's start or the previous name.
    window_start = max([e for e in ends if e <= start] + [0])
    window = _after_last_boundary(folded[window_start:start])
    if _NEG_CJK.search(window) or _NEG_LATIN.search(window) or _OUTSIDE_BEFORE.search(window):
        return DENIED
    if _OUTSIDE_AFTER.match(folded[end : end + 4]):
        return DENIED
    return STATED


def _clause(folded: str, span: tuple[int, int]) -> str:
    start, end = span
    before = folded[:start]
    cut = 0
    for match in _CLAUSE_END.finditer(before):
        cut = match.end()
    after = folded[end:]
    stop = _CLAUSE_END.search(after)
    return folded[cut : end + (stop.start() if stop else len(after))]


# A what-if: "如果…", "假如", "要是", "…的話", "what if", "suppose", "if he had 60%"; not
# "not sure if", "ask if", "check if" (a doubt or a request, not a supposition).
_WHAT_IF = re.compile(
    r"如果|假如|假设|假使|要是|若果|若然|万一|嘅话|的话"
    r"|\bwhat if\b|\bsuppos(?:e|ing)\b|\bwhat about\b|\bhow about\b"
    # "can the HK company sign a processing contract instead?": a plan put as a question
    r"|\b(?:can|could|should) (?:we|i|the \w+ (?:company|co)|it|they)\b[^.?]{0,50}\binstead\b"
    r"|(?<!sure )(?<!wonder )(?<!know )(?<!check )(?<!see )(?<!ask )(?<!asking )(?<!whether or )\bif\b"
    # "咁改為廠唔郁，HK company 嗰邊俾新股東 dilute 咗 10% 呢": another plan, asked
    r"|(?:咁|那|那么)?改(?:为|成)[^?？]{0,40}(?:呢|吗)\s*[?？]?\s*$"
)


_ASKED_BACK = re.compile(r"呢|[?？]|\band\b")
_ENDS_WITH_NE = re.compile(
    r"(?:呢|得唔得|可唔可以|可不可以|行不行|得不得|可以吗|行吗)\s*[?？!！]*\s*$"
)


# --- owners from elsewhere ------------------------------------------------------------------

_HYPOTHETICAL = Recalled(
    re.compile(
        # "I also set up a company", "已經成立咗": done, not a plan
        r"如果|假如|假设|要是|若果|\bif we\b|\bwhat if\b|\bsuppose\b"
        r"|(?<!also )(?<!already )(?<!have )(?<!had )(?<!'ve )\bset up\b(?! (?:in|last|back)\b)"
        r"|成立(?![咗了])|开一间|注册一间|注册一家|开一家|开间(?=公司|香港公司)|开个(?=公司)"
        # "那我注册一个香港公司呢", "咁我開返間香港公司得唔得": a company still to be set up
        r"|(?:注册|开|搞)(?:返|番)?一?(?:个|间|家)(?=(?:新)?(?:香港)?(?:分|子)?公司)"
        r"|打算|准备|计划开|计划在|\bplan(?:ning)? to\b|\bgoing to\b"
        r"|(?:\bwill|'ll) (?:set up|open|register|form|incorporate)\b"
    )
)
# A company not registered yet: "公司下個月先註冊到", "the HK company will be registered
# next month", "still registering the company".
_REGISTERING_LATER = re.compile(
    r"(?:公司|company).{0,10}(?:下个?月|下星期|下周|明年|迟啲|迟些|之后|\bnext (?:month|week|year)\b"
    r"|\bsoon\b|\bnot yet\b).{0,8}(?:先|才|就)?(?:注册|成立|开|登记|registered|set up|incorporated|formed)"
    r"|(?:公司|company).{0,6}(?:仲未|还未|还没|未|(?:is )?still being|not yet)\s*(?:注册|成立|registered|set up|incorporated)"
    # "if the HK company is not registered under Cap 310 yet?", "isn't registered yet"
    r"|\bcompany\b.{0,6}\b(?:is not|isn't|is n't)\s+(?:yet\s+)?(?:registered|incorporated)\b"
    r"|\bcompany\b.{0,6}\b(?:is not|isn't|not)\s+yet\s+(?:registered|incorporated)\b"
    r"|\b(?:still\s+)?registering\s+(?:the|our|a)\s+(?:hk\s+|hong kong\s+)?company\b"
    r"|\bcompany\b.{0,12}\b(?:will be|to be|gets|is being)\s+(?:registered|set up|incorporated|formed)\b"
    # "下個月先搞BR", "BR未搞好", "BR next month": the business registration still to come
    r"|(?:下个?月|下星期|下周|明年|迟啲|迟些|之后|\bnext (?:month|week|year)\b|\bsoon\b).{0,6}"
    r"(?:先|才|就)?(?:搞|申请|攞|拿|办|做)?\s*(?:br|商业登记|商业登记证|business registration)"
    r"|(?:br|商业登记)(?:证)?\s*(?:仲未|还未|还没|未)(?:搞|申请|攞|拿|办|做|有)?"
    r"|\b(?:br|business registration)\b.{0,12}\b(?:next (?:month|week|year)|soon|not yet)\b"
    # "咁如果未做商業登記呢", "what if we haven't done the business registration?"
    r"|(?:未|没|冇|仲未|还未|还没)(?:有)?(?:做|搞|办|申请|攞|拿)?(?:商业登记|(?<![a-z])br(?![a-z])|business registration)"
    r"|\b(?:not|haven't|have not|hasn't|has not|didn't|did not|no)\s+(?:yet\s+)?"
    r"(?:done|got|gotten|had|made|completed|applied for)?\s*(?:the\s+|our\s+|a\s+|any\s+)?"
    r"(?:business registration|br)\b"
    # "we're not registered yet" ("we're registered in HK" is a company already there)
    r"|\b(?:we're|we are)\s+not\s+(?:yet\s+)?registered\b|\b(?:we aren't|we are not)\s+(?:yet\s+)?registered\b"
    r"|\b(?:we're|we are)\s+(?:not\s+)?yet\s+to\s+(?:be\s+)?register"
)
# A Hong Kong company said not to own the factory: "our HK subsidiary doesn't own the
# factory", "香港公司唔係間廠嘅老闆", "香港公司并不拥有工厂".
_HK_COMPANY_OWNS_NOT = re.compile(
    r"(?:hk|hong kong)\s+(?:company|co|subsidiary|sub|entity|firm)\b.{0,30}"
    r"\b(?:doesn'?t|does not|didn'?t|isn'?t|is not)\s+(?:own|owning|the owner|hold)"
    r"|(?:香港|港)(?:公司|子公司|分公司).{0,10}(?:唔系|不是|并不|并非|冇|没有|不)(?:拥有|持有|间厂嘅老板|工厂的老板|拥有工厂)"
)
# Held otherwise than by the Hong Kong company: "唔係經香港公司", "not through the HK
# company", "personally, not via the company"
_NOT_THROUGH_THE_COMPANY = re.compile(
    r"(?:唔系|不是|并非|唔经|不经|冇经|没有经|不通过|唔通过)\s*(?:经|通过|透过|由|用)?\s*"
    r"(?:香港|我哋|我们)?(?:嘅|的)?(?:公司|香港公司)"
    r"|\bnot (?:through|via|by|under) (?:the|our|my) (?:hk |hong kong )?(?:company|co)\b"
)
# One of the company's links denied by name: "不是合资", "没有加工合同", "not a WFOE"
_LINK_KIND_DENIED = re.compile(
    r"(?:不是|唔系|没有|冇|无|并非|\bnot|\bno|\bisn'?t)\s*(?:a\s+|an\s+|any\s+)?(?:签|签过)?"
    r"(?:合资|合营|合作经营|独资|外资独资|加工合同|加工合约|三来一补|来料加工|jv\b|wfoe\b"
    r"|joint venture|processing contract|processing agreement)"
)
# A link that ended: "合資廠…已經解散咗", "sold its 100% stake in the … WFOE", "the JV was
# dissolved"
_LINK_ENDED = re.compile(
    r"(?:合资|合营|合作)(?:厂|企业|公司)?[^，。？?]{0,12}(?:解散|结束|散伙|拆伙|终止|清盘|执笠)(?:咗|了)"
    r"|\b(?:jv|joint venture)\b[^.?]{0,20}\b(?:was|has been|got) (?:dissolved|wound up|terminated|ended)\b"
    r"|\bsold (?:(?:its|our|their|the|my) |all (?:of )?(?:its|our) )?(?:\d+% )?(?:stake|shares?|interest)\b"
    # (not the shares of the Hong Kong company itself: "sold my shares in the HK company")
    r"(?! in (?:the |our |my )?(?:hk|hong kong) (?:company|co)\b)"
)
# Old premises: "舊廠房", "旧址", "the old site", "our former factory"
_OLD_SITE = re.compile(
    r"旧厂|旧址|旧厂房|旧嗰间|旧个厂|以前(?:嗰|那|𠮶)(?:间|个)厂|\b(?:old|former|previous) "
    r"(?:site|factory|plant|premises|building|workshop)\b"
)
# No longer the company's: "租咗俾人", "rented out", "leased to someone", "已經唔用"
_NOT_OURS_NOW = re.compile(
    r"租(?:咗|了|左)?(?:俾|给|畀|比)(?:人|别人|其他人)|租(?:咗|了)出去|出租(?:咗|了)"
    r"|\b(?:rented|leased|let) (?:out|to)\b|\bsomeone else\b|唔用|不用了|空置|丢空|卖(?:咗|了)"
)
_NOW_WORD = re.compile(r"\bnow\b|现在|而家|目前|依家|宜家")
# "如果是另一家内地厂…", "what if it were another factory": a factory of its own, none of
# the case's links
_ANOTHER_FACTORY = re.compile(
    r"另一(?:家|间|个|間|個)(?:内地)?(?:厂|工厂|企业|公司)|第二(?:家|间|个)(?:厂|工厂)"
    r"|\b(?:another|a different|some other) (?:mainland )?(?:factory|plant|enterprise)\b"
)
_ONLY = re.compile(r"只是|只系|淨系|净系|净是|只|仅|\bonly\b|\bjust\b|\bmerely\b")
# Buying from a factory, the company's supplier: "只是从深圳的工厂采购", "we buy from a factory"
_OUR_FACTORY = re.compile(r"我们的工厂|我们(?:的)?厂|我哋(?:间|嘅)?厂|我(?:间|嘅)厂|\bour (?:factory|plant)\b|\bmy (?:factory|plant)\b")
_BUYS_FROM_A_FACTORY = re.compile(
    r"(?:从|向)\S{0,10}?(?:的|嘅)?(?:工厂|厂|厂家|供应商)\S{0,4}?(?:采购|进货|买货|订货|拿货|落单|落order|入货)"
    r"|(?:同|跟)\S{0,10}?(?:工厂|厂|厂家|供应商)(?:落单|落order|订货)"
    r"|\b(?:buy|buying|source|sourcing|purchase|purchasing|order|ordering)\s+(?:\w+\s+){0,3}from\s+(?:a |the |our |some )?"
    r"(?:\w+\s+){0,3}(?:factory|factories|supplier|suppliers|plant|plants)\b"
)
# A relative's or friend's own factory, somewhere: "我表弟喺江門開山都有間廠", "my cousin
# also has a factory in Jiangmen"
_RELATIVE_HAS_A_FACTORY = re.compile(
    rf"(?:{_RELATIVES_CJK})(?:喺|在)\S{{0,12}}?(?:都|也|亦)?(?:有|开咗|开了)(?:一)?(?:间|家|个)(?:厂|工厂)"
    # "我朋友有間新加坡公司喺荃灣有廠": a friend's company's factory
    rf"|(?:{_RELATIVES_CJK})(?:都|也|亦)?有(?:一)?(?:间|家|个)\S{{0,8}}?公司(?:喺|在)\S{{0,8}}?(?:有|开咗|开了)(?:一)?(?:间|家|个)?(?:厂|工厂)"
    r"|\bmy (?:brother|sister|father|dad|mother|mum|mom|son|daughter|cousin|uncle|aunt|friend"
    r"|brother-in-law|sister-in-law|father-in-law)\s+(?:also\s+)?(?:has|owns|runs)\s+(?:a|his|her) (?:factory|plant)\b"
)
_TECH_NOT_FROM_HK = re.compile(
    r"\b(?:tech|technology|technologies)\b[^.?]{0,20}\bnot (?:from|developed in|made in|developed by)"
    r" (?:a )?(?:hk|hong kong)\b"
    r"|(?:技术|科技)[^，。？?]{0,6}(?:唔系|不是|并非)(?:喺|在|由)?(?:香港|港)"
)
_WAS_OWNED_BY = re.compile(
    r"\b(?:was|were|used to be) (?:\d+% |wholly |fully |solely )?(?:owned|held) by\b"
    r"|(?:以前|之前|原来|本来)(?:系|是)(?:由)?(?:我哋|我们)?(?:香港)?公司(?:独资|拥有|持有|全资)"
)
_STILL_OWNED = re.compile(r"\bstill\b|\bnow\b|仍然|仲系|依然|现在|而家")
# Held by a person: "我老婆个人入股", "个体户", "personally", "in his own name"
_PERSONALLY = re.compile(
    r"个人|个体户|自己个名|私人|\bpersonally\b|\bin (?:his|her|my) own name\b|\bas a person\b"
)
# No relation at all between the Hong Kong company and the factory: "香港公司跟这个厂没
# 关系了", "同我公司冇關係", "has no ownership or contract link at all", "nothing to do
# with our HK company"
_NO_RELATION = re.compile(
    # "佛山嗰間就真係冇關係", "that one has no link at all": the factory named, no link
    r"(?:嗰间|𠮶间|那间|那家|嗰个|𠮶个|那个|呢间|这间|这家)(?:厂|工厂)?\S{0,6}?(?:冇|没有|没|无)(?:任何)?(?:关系|关连|关联|联系)|"
    # "同我哋冇任何股權或者加工合同關係": neither shares nor a contract
    r"(?:冇|没有|无)(?:任何)?(?:股权|股份|投资)(?:或者|或|同|和|、|及|亦冇|也没有)(?:加工|来料加工|三来一补)?(?:合同|合约)(?:的|嘅)?(?:关系|关连|联系)?|"
    r"(?:跟|同|与|和)(?:我|我哋|我们|我地)?(?:的|嘅)?(?:间|个|家)?(?:香港)?(?:公司|我哋|我们|我地)?"
    r"(?:这个|这间|这家|呢间|呢个|(?:嗰|𠮶)间|间|个)?(?:厂|工厂|厂房)?\s*"
    r"(?:已经|早就|根本|完全)?(?:冇|没有|没|无|唔再有|不再有)(?:任何|乜|什么)?(?:关系|关连|关联|联系|拉扯)"
    r"|\b(?:has|have|had) no (?:\w+ ){0,4}(?:links?|connections?|relationship|ties)\b"
    r"|\bno (?:ownership |contract |legal )?(?:or (?:ownership|contract) )?links? at all\b"
    r"|\b(?:is|are|isn'?t|aren'?t) (?:not )?(?:linked|connected|related) to (?:my|our|the) "
    r"(?:hk |hong kong )?(?:company|co)\b"
    r"|\bnothing to do with (?:my|our|the) (?:hk |hong kong )?(?:company|co)\b"
    r"|\bno (?:relation|relationship|link|connection)s? (?:to|with) (?:the |our |my )?"
    r"(?:hk|hong kong) (?:sub|subsidiary|co|company|entity)\b"
    r"|\b(?:hk|hong kong) (?:co|company)\b[^.;]{0,10}\b(?:has|have) nothing to do with\b"
)
# A Hong Kong company had, said without what it has to do with the factory: "我自己有間
# 香港公司", "I have a HK company"
_HAVE_HK_COMPANY = re.compile(
    r"(?:我|我哋|我们|我地|自己)(?:自己)?(?:都|也|亦|仲|另外)?(?:有|开咗|开了)(?:一)?(?:间|个|家)?"
    r"(?:香港|港)(?:注册)?(?:的|嘅)?(?:有限)?公司"
    r"|(?:我|我哋|我们|自己)(?:自己)?(?:喺|在)香港(?:都|也|亦)?有(?:一)?(?:间|个|家)公司"
    r"|\b(?:i|we)\s+(?:also\s+)?(?:have|own|run|got)\s+(?:a|an|my|our)\s+(?:own\s+)?"
    r"(?:hk|hong kong)(?:[- ]registered)?\s+(?:company|co|ltd|firm)\b"
    # "I'm a director of a HK company", "我係一間香港公司嘅董事": a company of theirs, no link said
    r"|\bi(?:'m| am) (?:a |the |one of the )?(?:directors?|shareholders?|owners?|partners?) (?:of|in|at) (?:a |an |my |our )?(?:hk|hong kong)\b.{0,15}\b(?:company|co|firm|ltd)\b"
    r"|我(?:系|是)(?:一间|一家)?(?:香港|港)(?:注册)?(?:的|嘅)?公司(?:的|嘅)?(?:董事|股东|老板|老细)"
    # "我老婆有另一間香港公司", "my wife has another HK company": a relative's company
    rf"|(?:我|佢|他|她)?(?:{_RELATIVES_CJK}|合伙人|拍档)(?:自己)?(?:都|也|亦|仲|另外)?有(?:另一|另外一|一)?(?:间|个|家)?"
    r"(?:香港|港)(?:注册)?(?:的|嘅)?(?:有限)?公司"
    r"|\b(?:my|his|her) (?:wife|husband|brother|sister|son|daughter|father|mother|dad|mum|mom|cousin"
    r"|uncle|aunt|partner|friend)\s+(?:also\s+)?(?:has|owns|runs)\s+(?:a|an|another|her own|his own)\s+"
    r"(?:hk|hong kong)(?:[- ]registered)?\s+(?:company|co|ltd|firm)\b"
    # "香港公司是商业登记的", "our HK company has a BR": the company registered, no more
    r"|(?:香港|港)公司(?:系|是|有|已经|都|也)?(?:做咗|做了|办咗|办了)?(?:商业登记|注册|登记|\bbr\b)"
    r"|\b(?:hk|hong kong) (?:company|co)\b.{0,12}\b(?:is|was) (?:registered|incorporated)\b"
    r"|\b(?:hk|hong kong) (?:company|co)\b.{0,8}\bhas (?:a |its )?(?:br|business registration)\b"
)
# The company had is a relative's: "我老婆有另一間香港公司", "my wife has a HK company"
_RELATIVES_COMPANY_HAD = re.compile(
    rf"(?:{_RELATIVES_CJK}|合伙人|拍档)(?:自己)?(?:都|也|亦|仲|另外)?有"
    r"|\b(?:my|his|her) (?:wife|husband|brother|sister|son|daughter|father|mother|dad|mum|mom|cousin"
    r"|uncle|aunt|partner|friend)\s+(?:also\s+)?(?:has|owns|runs)\b"
)
# What a Hong Kong company has to do with the factory, said with it
_FACTORY_LINK_WORDS = re.compile(
    r"独资|合资|合作|加工|三来一补|来料|拥有|持有|名下|旗下|\bwfoe\b|\bjv\b|joint venture"
    r"|\bowns?\b|\bowned\b|\bcontract\b|\bsubsidiary\b"
)
# A move and where to: "move it to Zhuhai", "搬去韶關".
# A move still to come: "准备搬到河源", "we plan to relocate to Zhaoqing"
_PLANNED_MOVE = re.compile(
    r"(?:准备|打算|计划|想|将会|将|会|考虑|谂住)\S{0,3}(?:搬|迁)"
    r"|\b(?:will|plan(?:ning)? to|going to|thinking of|intend to|want to)\s+(?:\w+\s+)?(?:move|relocat\w*)"
)
# "搬之前能不能先申请", "before we move": asked of the factory where it is now
_BEFORE_THE_MOVE = re.compile(
    r"搬(?:厂|迁|过去|过嚟|过来)?(?:之前|以前|前)|未搬|还没(?:有)?搬|仲未搬|迁(?:厂)?(?:之前|以前|前)"
    r"|\bbefore (?:the |we |it )?(?:move|moving|relocat\w*)\b|\buntil (?:the |we )?move\b"
)
_MOVED_TO = re.compile(r"\b(?:mov(?:e|ing|ed)|relocat\w*)\b.{0,20}?\bto\b|搬(?:咗|了|左|埋)?(?:去|到|上|落)")
# "我们是香港注册公司": a company registered already, no new one
_REGISTERED_HK_COMPANY = re.compile(
    r"(?:香港|hk)\s*注册(?:咗|了|的|嘅)?(?:有限)?公司|\b(?:hk|hong kong)[- ]registered company\b"
)
_SETTING_UP = re.compile(r"开|成立|新公司|\bset up\b|\bopen\b|\bstart\b|\bform\b")


def _new_company_said(folded: str) -> bool:
    """A Hong Kong company still to be set up is said ("如果喺香港開間公司"), not one
    already registered ("我们是香港注册公司")."""
    if not _NEW_HK_COMPANY.search(folded):
        return False
    return not (_REGISTERED_HK_COMPANY.search(folded) and not _SETTING_UP.search(folded))


_NEW_HK_COMPANY = re.compile(
    r"(?:香港|hk|hong kong).{0,6}(?:开|成立|注册|搞)(?:返)?(?:一)?(?:间|家|个)?(?:新)?(?:分|子)?(?:公司|有限公司)"
    r"|(?:开|成立|注册|搞)(?:返)?(?:一)?(?:间|家|个)?(?:新)?(?:香港)(?:分|子)?(?:公司|有限公司)"
    r"|\b(?:set up|open|start|form|incorporate|register)\s+(?:a|an)?\s*(?:new\s+)?(?:hk|hong kong)\s+(?:company|ltd|limited|entity|branch|subsidiary)"
    r"|\b(?:set up|open|start|form|incorporate|register)\s+(?:a|an)\s+(?:new\s+)?(?:company|branch|subsidiary)\s+in\s+(?:hk|hong kong)"
    # "what if our HK office registers a company?": the office's staff set one up there
    r"|\b(?:hk|hong kong) (?:office|branch|rep office|team|staff) (?:registers|sets up|opens|incorporates|forms)\s+"
    r"(?:a|an)\s+(?:new\s+)?(?:company|ltd|limited|entity)\b"
)
# "三来一补是什么意思？", "what is a processing contract?": a term asked about, not said
_MEANING_ASKED = re.compile(
    r"(?:是|系)(?:什么|咩|乜嘢?)意思|(?:即|即系|即是)(?:点|什么|咩)|(?:什么|咩|乜嘢?)(?:叫|系|是)(?:做)?"
    r"(?:三来一补|来料加工|加工合约|加工合同|合资|合作企业|合营|外商独资|独资|外资企业)"
    r"|\bwhat(?:'s| is| does)(?: an?| the)? (?:processing contract|processing trade|joint venture|jv"
    r"|co-?operative (?:joint )?(?:venture|enterprise)|wfoe|wholly foreign-owned enterprise)\b(?: mean)?"
)
_LINK = re.compile(
    r"合资|合作企业|合作经营|合营|三来一补|来料加工|加工合约|加工合同|joint venture|\bjv\b"
    r"|\bco-?operative (?:joint )?(?:venture|enterprise)\b"
    r"|processing (?:contract|trade|agreement)"
    r"|\bsign (?:a )?new (?:one|contract)\b|\brenew (?:it|the contract)\b"
    r"|续签|重新签(?:过)?(?:合同|合约)|再签(?:过)?(?:一份)?(?:合同|合约)"
)
LINK_WORDS = _LINK  # for the case: a link said with the Hong Kong company
# Someone else's factory: "我嘅供應商喺順德有間廠", "my supplier's factory", "production is
# outsourced to a factory in Dongguan". The word comes before the factory, in one clause,
# with no "our" between ("日本客戶要求我哋東莞廠" is the user's own factory).
_OTHER_FIRM = re.compile(
    r"供应商|供货商|客户|朋友|亲戚|外判|代工|合作厂|\bsuppliers?\b|\bvendors?\b|\bcustomers?\b"
    r"|\bfriends?\b|\brelatives?\b"
    # "我表哥喺內地開廠": a relative's factory
    r"|表哥|表姐|表弟|表妹|堂兄|堂弟|堂哥|堂姐|\bcousins?\b|\bbrother-in-law\b|\buncle\b"
    r"|\bclients?\b|\bsubcontract\w*|\boutsourc\w*|\bcontract manufactur\w*|\boem\b"
)
# A consultant's client, the case asked about: "client of mine", "my client", "我個客"
_CONSULTANTS_CLIENT = re.compile(
    r"\bclients? of (?:mine|ours)\b|\bmy clients?\b|\bour clients?\b|\ba client\b"
    r"|我(?:嘅|的|个|個)?客(?:户|人)?(?:嘅|的)?"
    # "I'm a consultant. Client has two plants", "hotline officer here: client in 惠州"
    r"|\b(?:consultant|hotline|officer|adviser|advisor)\b[^?]{0,40}\b(?:the\s+)?clients?\b"
    r"|\b(?:the\s+)?client (?:has|have|owns|runs|operates|is|wants)\b"
    r"|(?:顾问|热线|同事)[^?？]{0,20}客(?:户|人)"
)
_FACTORY_WORD = re.compile(r"厂|\bfactor(?:y|ies)\b|\bplants?\b")
_OURS_BETWEEN = re.compile(r"我哋|我地|我们|我的|我嘅|自己|\bour\b|\bwe\b|\bmy\b|\bown\b")
# "The factory isn't ours, we just place orders with them": no factory of the user's.
_NOT_OURS = re.compile(
    r"\b(?:isn't|isnt|is not|not|aren't|are not)\s+(?:ours|our own|owned by us)\b"
    r"|\b(?:we|i)\s+(?:just|only)\s+(?:place orders|order|buy|purchase|source)"
    r"|不是我们的|唔系我哋嘅|唔系我地嘅|并非我们的|不属于我们|唔属于我哋"
    r"|(?:只系|只是|净系|只)(?:同佢哋|跟他们|向他们)?(?:落单|下单|订货|买货)"
    # "we have no shares in it, it's just a customer", "沒有任何股權或者合同關係"
    r"|\b(?:just|only) (?:a|an|our) (?:independent )?(?:customer|client|supplier|vendor)\b"
    r"|\b(?:is|are) (?:now )?(?:an )?independent (?:supplier|vendor|company|factory)\b"
    r"|(?:而家|现在)?(?:只系|只是|净系)?(?:一间|一家)?独立(?:嘅|的)?(?:供应商|厂|公司)"
    r"|(?:只系|只是|净系)(?:我哋|我们)?(?:嘅|的)?(?:客户|供应商)"
    r"|(?:没有|冇|无)(?:任何)?(?:股权|股份)(?:或者|或|同|和|及)(?:合同|合约)(?:关系)?"
    r"|(?:没有|冇|无)(?:任何)?(?:股权|股份).{0,3}(?:没有|冇|无)(?:任何)?(?:加工)?(?:合同|合约)"
    r"|\bno (?:shares|stake)\b.{0,20}\bno (?:processing )?contract\b"
    # "委托东莞石龙的工厂OEM生产，没有合同只有订单": made for us to order, no link
    r"|(?:没有|冇|无)(?:合同|合约)(?:[,，\s]*)?(?:只有|净系有|只系有|得)(?:订单|单)"
    r"|(?:委托|交俾|交给|找|揾).{0,12}(?:oem|代工|贴牌|外发加工)(?!.{0,12}(?:合同|合约|加工合同))"
    r"|\bno contract\b.{0,20}\b(?:just|only) (?:purchase )?orders\b"
    # "but we still buy all their output": a buyer of the factory's goods, no link
    r"|\b(?:we|i)\s+(?:still\s+|just\s+|only\s+)?(?:buy|purchase|take)\s+(?:all\s+)?(?:of\s+)?"
    r"(?:their|its)\s+(?:output|products|goods)\b"
    r"|\b(?:oem|contract manufactur\w*)\b.{0,40}\bno (?:processing )?contract\b"
    # "我冇入股佢間廠，只係幫佢接單": no stake, only orders taken for it
    r"|(?:冇|没有|没|无|未)入股.{0,12}(?:只系|只是|净系|只)(?:帮|同|替|为)?(?:佢|他|她)(?:哋|们)?(?:接单|落单|下单)"
    r"|\bno (?:shares|stake)\b.{0,30}\b(?:just|only) (?:take|place|handle) (?:orders|the orders)\b"
    # "We have no shares in it, just purchase orders", "冇股份，淨係落單"
    r"|\bno (?:shares|stake)\b.{0,30}\b(?:just|only) (?:purchase orders|orders|buying)\b"
    r"|(?:冇|没有|无)(?:任何)?(?:股份|股权).{0,8}(?:只系|只是|净系|只有)(?:落单|下单|订单|采购)"
    # "my client just buys from them, no shares": a buyer, no link
    r"|(?<!n't )(?<!not )\b(?:just|only) (?:buys?|buying|purchases?|orders?) from (?:them|it|the supplier|the factory)\b"
    r"|(?<![唔不])(?:只系|只是|净系|只)(?:向|同|跟|帮)?(?:佢|他|她|佢哋|他们|工厂|厂)(?:哋|们)?(?:买|采购|落单|下单|买货|入货)"
    r"|\b(?:we|i) (?:only |just )?(?:buy|purchase|source|order) (?:\w+ )?from (?:a|one) (?:\w+ )?(?:factory|supplier|plant)\b"
)


# "Customer asks: ...", "客人問：...": hotline staff passing on a caller's question; the
# factory asked about is the caller's own.
_CALLER_ASKS = re.compile(
    r"\s*(?:asks?|asked|is asking|wants to know|wonders|enquires|inquires|says)\b"
    r"|\s*(?:问|想问|想知|查询|话|讲|说)"
)


def _other_firms_factory(folded: str) -> bool:
    for match in _OTHER_FIRM.finditer(folded):
        if _CALLER_ASKS.match(folded, match.end()):
            continue
        rest = folded[match.end() : match.end() + 40]
        factory = _FACTORY_WORD.search(rest)
        if factory is None:
            continue
        between = rest[: factory.start()]
        if _CLAUSE_END.search(between) or _OURS_BETWEEN.search(between):
            continue
        if len(between) > (30 if between.isascii() else 10):
            continue
        return True
    return False


@cache
def _owner_table(
    knowledge_dir: Path = KNOWLEDGE_DIR,
) -> tuple[
    re.Pattern[str],
    dict[str, str],
    re.Pattern[str],
    re.Pattern[str],
    re.Pattern[str],
    re.Pattern[str],
    re.Pattern[str],
]:
    data = load_yaml((knowledge_dir / "owners.yaml").read_text(encoding="utf-8"))
    kinds = {fold(word): kind for kind, words in data["countries"].items() for word in words}

    def alternation(words: Iterable[str]) -> str:
        return words_pattern(fold(w) for w in words)

    countries = re.compile(alternation(kinds))
    cues = re.compile(alternation(data["owner_cues"]))
    strong = re.compile(alternation(data["strong_owner_cues"]))
    locative = re.compile(rf"(?:{alternation(data['locatives'])})\s*$")
    not_cues = re.compile(alternation(data["not_cues"]))
    things = re.compile(rf"\s*(?:{alternation(data['thing_words'])})")
    return countries, kinds, cues, strong, locative, not_cues, things


# Bodies whose names hold a place ("香港生產力促進局"): the programme's agent, partners,
# the chambers on its committee (paper para 22) and the government.
_BODY_NAMES = re.compile(
    r"香港生产力促进局|香港总商会|香港工业总会|香港中华厂商联合会|香港中华总商会|香港特区政府"
    r"|香港特别行政区政府|香港政府|广东省经济和信息化委员会|广东省经信委|广东省清洁生产协会"
    r"|\bhong kong productivity council\b|\bhong kong general chamber of commerce\b"
    r"|\bfederation of hong kong industries\b|\bchinese manufacturers' association of hong kong\b"
    r"|\bchinese general chamber of commerce\b|\bhong kong government\b|\bhksar government\b"
)


def _country_things(folded: str) -> list[tuple[int, int]]:
    """Countries that say where a thing is from ("日本客戶", "German equipment")."""
    countries, *_, things = _owner_table()
    return [m.span() for m in countries.finditer(folded) if things.match(folded, m.end())]


def _owner_countries(folded: str) -> list[tuple[str, int, int]]:
    """Countries named as the owner's ("老闆係台灣人", "owned by a French group"): the kind
    of owner and the span, which names no factory place."""
    countries, kinds, cues, strong, locative, not_cues, things = _owner_table()
    found = []
    for match in countries.finditer(folded):
        start, end = match.span()
        if things.match(folded, end):
            continue  # "用內地技術", "German equipment": where a thing is from
        clause = _clause(folded, (start, end))
        before = folded[:start]
        if not _HYPOTHETICAL.search(clause) and (
            _COMPANY_HERE.match(folded, end)
            or _COMPANY_BEFORE.search(before[-30:])
            or _REGISTERED_HERE.match(folded, end)
            or _REGISTERED_BEFORE.search(before[-16:])
        ):
            # "我们在澳门有公司", "we have a company in Singapore": that company, the owner
            found.append((kinds[match.group(0)], start, end))
            continue
        if locative.search(before[-6:]) and not strong.search(_after_last_boundary(before)):
            continue  # "喺台灣有廠", "a plant in Vietnam": a place; "母公司喺新加坡": an owner
        rest = clause.replace(match.group(0), " ", 1)
        if len(clause.strip()) <= 6:  # "外資企業，德國的": a short clause leans on the message
            rest = folded[:start] + " " + folded[end:]
        rest = not_cues.sub(" ", rest)
        if cues.search(rest) or cues.search(not_cues.sub(" ", folded[end : end + 3])):
            found.append((kinds[match.group(0)], start, end))
    return found


# --- what the signals say -------------------------------------------------------------------


_NEG_PROCESS_CJK = re.compile(
    r"(?:冇|没有|无|不|唔|冇再|不再|唔再|停咗|停了|已经没有|已经冇)(?:再)?(?:做|用|搞|进行|有)?\s*$"
)
_NEG_PROCESS_LATIN = re.compile(
    r"\b(?:no|not|don't|dont|doesn't|doesnt|do not|does not|never|without|stopped|no longer|no more)\b"
    r"(?:\s+[a-z]+){0,2}\s*$"
)


def _process_negated(folded: str, start: int) -> bool:
    """ "冇噴油", "不喷漆", "no spraying", "doesn't do spray painting any more"."""
    window = _after_last_boundary(folded[max(0, start - 16) : start])
    return bool(_NEG_PROCESS_CJK.search(window) or _NEG_PROCESS_LATIN.search(window))


# Having denied: "冇香港公司", "没有自己的工厂", "no HK company", "not owned by a Hong Kong
# company", "we do not own any factory". Said of an owner or of premises, not of a place.
_NEG_HAVE_CJK = re.compile(
    r"(?:冇|没有|没|无|未有|未曾有|唔系|不是|并非|非|唔属于|不属于)"
    r"(?:任何|一间|一家|间|家|个|自己嘅|自己的|自己|真正嘅|真正的)?\s*$"
)
_NEG_HAVE_LATIN = re.compile(
    r"\b(?:no|not|without|never|isn't|isnt|aren't|arent|don't|dont|doesn't|doesnt|"
    r"do not|does not|have no|has no)\b"
    r"(?:\s+(?:own|owned|run|have|has|operate|operated|backed|invested|held|by|any|a|an|the|"
    r"our|single|real|actual|involved|with|from|registered|belong|belongs|to|part|of))*\s*$"
)


_OWN_DENIED = re.compile(r"自己|\bown\b|\bof our own\b")


# No Hong Kong company exists: "冇香港公司", "仲未有HK company", "we don't have a HK
# company". Not "no HK company owns it" (a denied owner), nor "no HK company yet, but we
# will set one up" (hypothetical, read as planned).
# The Hong Kong company to be closed: "deregister the HK company", "香港公司打算註銷"
_HK_COMPANY_CLOSING = re.compile(
    r"\b(?:deregister|de-register|dissolve|wind up|close down|shut down|close|liquidate|strike off)\w*"
    r"\s+(?:the\s+|our\s+)?(?:hk|hong kong)\s+(?:company|co|ltd|entity|firm|subsidiary)\b"
    # "Our HK company was deregistered last year", "the HK company is being wound up"
    r"|\b(?:hk|hong kong)\s+(?:company|co|ltd|entity|firm|subsidiary)\b[^.?]{0,12}\b(?:was|has been|got|is being|will be)"
    r"\s+(?:deregistered|dissolved|closed(?: down)?|wound up|struck off|liquidated|shut down)"
    r"|(?:香港|港)(?:嗰间|那家|呢间|这家)?(?:的|嘅)?公司.{0,8}(?:注销|撤销注册|撤销|清盘|结业|解散|执笠)"
    r"|(?:注销|撤销|清盘|结束|解散|关闭|执笠)(?:咗|了|埋)?(?:间|家|个)?(?:香港|港)(?:的|嘅)?公司"
)
# Done already: "注销了", "去年", "was deregistered", "already closed"
_CLOSED_ALREADY = re.compile(
    r"(?:注销|撤销|清盘|结业|解散|执笠|关闭)(?:咗|了|左)|已经(?:注销|撤销|清盘|结业|解散|执笠|关闭)"
    r"|去年|上年|旧年|\blast (?:year|month)\b|\balready\b|\bwas (?:deregistered|dissolved|closed|wound up)"
    r"|\b(?:deregistered|dissolved|closed down|wound up|struck off)\b"
)
_NO_HK_COMPANY = re.compile(
    # "冇香港BR", "没有香港商业登记", "no HK BR": no business registration (Cap. 310)
    r"(?:冇|没有|无|未有)(?:香港)?(?:(?<![a-z])br(?![a-z])|商业登记)(?:证)?"
    r"|\bno (?:hk |hong kong )?(?:br|business registration)\b|"
    # "冇開香港公司", "没有注册香港公司", "從來冇設立過香港公司": none set up
    r"(?:冇|没有|没|无|未有|仲未有|还没有|还未有|尚未有|并没有|从来没有|从来冇|从未|未)"
    r"(?:(?:开|开设|设立|设|成立|注册|登记|搞|办)(?:过|咗|了)?)?(?:任何|一间|一家|间|家|个)?"
    r"(?:香港|(?<![a-z])hk(?![a-z])|hong kong)\s*(?:的|嘅)?\s*(?:注册)?\s*(?:公司|company|co\b|ltd\b|limited\b|entity|firm)"
    r"(?!\s*(?:持股|持有|拥有|投资|入股|参股|占股|揸|\s*(?:owns?|holds?|invest|has (?:a )?(?:stake|shares))))"
    r"|\b(?:no|without|(?:do not|don't|dont|doesn't|does not|haven't|have not|never had) (?:have |got )?(?:a|an|any)"
    # "we never set up a HK company", "didn't register any Hong Kong company"
    r"|(?:never|not yet|haven't|have not|didn't|did not|don't|do not)\s+(?:ever\s+)?"
    r"(?:set up|setup|registered|register|opened|open|formed|form|incorporated|established)\s+(?:a|an|any))\s+"
    r"(?:registered\s+)?(?:hk|hong kong)\s+(?:registered\s+)?(?:company|co|ltd|limited|entity|firm|subsidiary)\b"
    r"(?!\s+(?:owns?|holds?|invests?|has (?:a )?(?:stake|shares)|is (?:involved|behind)))"
    # "there's no company in HK", "we have no company in Hong Kong"
    r"|\b(?:there's|there is|we have|i have|have)\s+no\s+(?:registered\s+)?(?:company|co|entity|firm)\s+in\s+(?:hk|hong kong)\b"
    # "no HK registration", "not HK-registered": no company registered there
    r"|\b(?:no|without) (?:hk|hong kong) (?:registration|br|business registration)\b"
    r"|\bnot (?:hk|hong kong)[- ]registered\b"
    r"|(?:冇|没有|没|无|未有|唔系)(?:喺)?(?:香港|(?<![a-z])hk(?![a-z]))\s*(?:的|嘅)?\s*(?:注册|登记|商业登记)"
    # "香港沒有公司", "喺香港冇公司": the place first
    r"|(?:在|喺)?香港(?:那边|(?:嗰|𠮶)边|那里|呢边|这边)?(?:都|也)?(?:冇|没有|没|无|并没有|还没有|仲未有|未有|还未有)"
    r"(?:任何|一间|一家|间|家|个)?(?:注册)?(?:的|嘅)?公司"
    # "香港冇註冊", "在香港没有注册": no registration there
    r"|(?:在|喺)?香港(?:都|也)?(?:冇|没有|没|无|未有|仲未有|还没有)(?:商业)?(?:注册|登记)"
)


_CONTRACT_LINK = re.compile(
    r"三来一补|来料加工|加工合约|加工合同|加工贸易|processing (?:contract|trade|agreement|arrangement)"
    # "what if we sign a new one next month" after a contract that ended: renewed
    r"|\bsign (?:a )?new (?:one|contract)\b|\brenew (?:it|the contract)\b"
    r"|续签|重新签(?:过)?(?:合同|合约)|再签(?:过)?(?:一份)?(?:合同|合约)"
)
_VENTURE_LINK = re.compile(r"合资|合作企业|合作经营|合营|joint venture|\bjv\b|\bco-?operative\b")


_TAKES_OVER = re.compile(
    r"\b(?:takes?|took|taking) over\b|\bbuys? (?:out|over)\b|\bacquires?\b|收购|接手|买起|买晒|全数买下"
)


def _planned_link(folded: str) -> str | None:
    """The link a Hong Kong company still to be set up would have to the factory."""
    if _CONTRACT_LINK.search(folded):
        return "contract"
    if _VENTURE_LINK.search(folded):
        return "venture"
    if _SOLE.search(folded) or _TAKES_OVER.search(folded):
        return "sole"  # "what if the HK subsidiary takes over the WFOE?": it owns it then
    return None


link_named = _planned_link  # for a what-if: the link a Hong Kong company would have


def names_guide_topic(folded: str) -> bool:
    """A pollutant, process or trade the guides cover is named ("电镀废水", "VOC")."""
    return bool(_GUIDE_TOPIC.search(folded))


def _having_denied(folded: str, start: int) -> bool:
    window = _after_last_boundary(folded[max(0, start - 40) : start])
    return bool(_NEG_HAVE_CJK.search(window) or _NEG_HAVE_LATIN.search(window))


_TECH_NOT_BY = re.compile(
    r"\b(?:not|never|isn't|wasn't|weren't)\s+(?:(?:developed|made|designed|invented|created)\s+)?"
    r"(?:(?:by|in|at|from)\s+)?(?:the\s+|an?\s+)?$"
)


def _negated(folded: str, start: int) -> bool:
    window = _after_last_boundary(folded[max(0, start - 12) : start])
    return bool(_NEG_CJK.search(window) or _NEG_LATIN.search(window))


def _read_signals(
    reading: Reading,
    folded: str,
    spans: list[tuple[str, int, int]],
    turn: int,
    owner_countries: list[str] | None = None,
) -> None:
    def add(kind: str, value: object, polarity: str = STATED, quote: str = "") -> None:
        if not any(f.kind == kind and f.value == value for f in reading.facts):
            reading.facts.append(Fact(kind, value, polarity, turn, quote))

    owners: list[tuple[str, str]] = []
    for name, start, end in spans:
        words = folded[start:end]
        negated = _negated(folded, start)
        if name == "premises.none":
            add("premises", "none", STATED, words)
        elif name in ("premises.factory", "premises.workshop"):
            kind = name.removeprefix("premises.")
            denied = negated or _having_denied(folded, start)
            if denied and _PERCENT.search(folded[:start]) and _NOT_THE_FACTORYS.search(folded):
                # "she gives 10% of the HK company to my sister, not the factory": whose
                # shares, corrected; the factory is still there, and a change told of its
                # shares just before is taken back
                add("share_change_undone", "share_mainland", STATED, words)
                continue
            add("premises", kind, DENIED if denied else STATED, words)
            if denied and _OWN_DENIED.search(
                _after_last_boundary(folded[max(0, start - 40) : start])
            ):
                add("own_factory", False, STATED, words)  # "冇自己嘅廠", "don't own any factory"
        elif name.startswith("owner."):
            owner = name.removeprefix("owner.")
            if owner == "not_hk":
                owners.append(("hk", DENIED))
            elif owner == "foreign_unclear":
                owners.append(("unclear", STATED))
            elif owner == "hk_shareholder":  # "冇香港股東": no Hong Kong party at all
                denied = negated or _having_denied(folded, start)
                owners.append(("hk", DENIED) if denied else ("unclear", STATED))
            else:
                denied = negated or _having_denied(folded, start)
                owners.append((owner, DENIED if denied else STATED))
        elif name in (f"process.{p}" for p in NAMED_PROCESSES):
            denied = negated or _process_negated(folded, start)
            add("process", name.removeprefix("process."), DENIED if denied else STATED, words)
        elif name.startswith("process.other."):
            denied = negated or _process_negated(folded, start)  # "no spraying or solvents"
            add(
                "process",
                "other:" + name.removeprefix("process.other."),
                DENIED if denied else STATED,
                words,
            )
        elif name == "process.none":
            add("process", "none", STATED, words)
        elif name == "tech.local" and _TECH_WORD.search(folded):
            if _MAINLAND_BEFORE_SCHOOL.search(folded[max(0, start - 6) : start]):
                # "华南理工大学" is South China's, not Hong Kong's 理工: a Guangdong
                # institution; with "我们和…合作" the company's own part is not said to count
                add("tech_origin", "local", DENIED, "mainland")
                reading.tech_own = bool(_WE_WITH.search(folded))
                continue
            if _TECH_BY_COMPANY.search(folded) and not _TECH_BY_INSTITUTION.search(
                _INSTITUTION_DENIED.sub(" ", folded)
            ):
                # "广东的合作公司跟香港一家公司一起开发的，不是大学", "a startup in the
                # Science Park": firms, where W9's higher cap names institutions; whether
                # a firm counts is not said, so the standard cap, and staff to ask
                add("tech_origin", "local", DENIED, "company")
                reading.tech_own = True
                continue
            # "not developed by a HK uni": the verb stands between the "not" and the name
            negated = negated or bool(
                _TECH_NOT_BY.search(_after_last_boundary(folded[max(0, start - 30) : start]))
            )
            add("tech_origin", "local", DENIED if negated else STATED, words)
    if (
        not reading.of("tech_origin")
        and _TECH_FROM_MAINLAND.search(folded)
        and not _TECH_JOINT_OR_HK.search(folded)
    ):
        # "如果技术是内地研发的呢？": developed on the mainland alone, not in Hong Kong
        # nor jointly with a Hong Kong institution (W9's higher cap)
        add("tech_origin", "local", DENIED, "mainland")
    if not reading.of("tech_origin") and _TECH_OWN_COMPANY.search(folded):
        # "咁如果係我哋自己公司研發㗎": the company's own technology; W9's higher cap names
        # Hong Kong institutions, and whether a firm counts is not said: the standard cap
        add("tech_origin", "local", DENIED, "own company")
        reading.tech_own = True
    if not reading.of("tech_origin") and _TECH_FROM_ABROAD.search(folded):
        # "and if it was from a German supplier?": not developed in Hong Kong (W9's cap)
        add("tech_origin", "local", DENIED, "abroad")
    owners += [(kind, STATED) for kind in owner_countries or []]
    if reading.parent_in_hong_kong and ("hk", STATED) not in owners:
        owners.append(("hk", STATED))  # "our parent co is in HK", as "香港母公司"
    if _HYPOTHETICAL.search(folded) and _NEW_HK_COMPANY.search(folded):
        owners.append(("hk", STATED))  # "如果喺香港開間公司": a company still to be set up
    if _REGISTERING_LATER.search(folded) and all(o in ("hk", "hk_planned") for o, _ in owners):
        owners = [("hk_planned", STATED)]  # "公司下個月先註冊到": not there yet
    share_hypothetical = bool(_PERCENT.search(folded)) and not _NEW_HK_COMPANY.search(folded)
    if (
        owners
        and _HYPOTHETICAL.search(folded)
        and ("hk", STATED) in owners
        and not share_hypothetical  # "如果他在香港公司占股提到40%": the shares, link 1(d)
        # "If we apply on 15 March 2027… HK co owns it", "如果明年四月才申请": a plan of
        # when to apply, the company already there; "if we install a VOC system": a plan
        # of the project, not of the company
        # a plan of when to apply, of the project or of its cost ("如果做一個廢氣處理項目",
        # "If we apply on…") is no plan of a company: only a company said to be set up,
        # or to take the factory over, is
        and (_new_company_said(folded) or bool(_TAKES_OVER.search(folded)))
    ):
        # "What if we set up a Hong Kong company?": the new company's link to the factory
        # decides; the links are said, nothing is assumed.
        owners = [(o, p) for o, p in owners if o not in ("hk", "mainland")]
        owners.append(("hk_planned", STATED))
    if _HK_ONLY_OFFICE.search(folded):
        # "香港公司只有一个办事处": the Hong Kong company is said to have an office, not
        # the factory
        owners = [(o, p) for o, p in owners if (o, p) != ("hk", STATED)]
    if _PARTNER_IS_MAINLAND.search(folded):
        # "我個拍檔佔四成，拍檔係內地公司": the joint venture's other partner, not the
        # factory's owner; who owns the rest is left as told
        owners = [(o, p) for o, p in owners if (o, p) != ("mainland", STATED)]
    if (
        ("hk_resident", STATED) in owners
        and _CONTRACT_LINK.search(folded)
        and not _negated_link(folded)
        and not _PERCENT.search(folded)
    ):
        # "老細係香港人，三來一補": the boss's processing contract, as "三來一補" alone is
        # read (link 1(c)); not the resident's shares, which nobody mentioned
        owners = [(o, p) for o, p in owners if (o, p) != ("hk_resident", STATED)]
        owners.append(("hk", STATED))
    if owners and _LINK.search(folded) and not _negated_link(folded):
        # A joint venture or processing contract with a Mainland enterprise: the Mainland
        # partner is no owner that rules the factory out; the Hong Kong party decides.
        owners = [(("unclear" if o == "mainland" else o), p) for o, p in owners]
    if (
        (
            _HK_COMPANY_THERE.search(folded)
            or (_HK_BRANCH.search(folded) and (_LINK.search(folded) or _BRANCH_OWNS.search(folded)))
        )
        and (_SOLE.search(folded) or _LINK.search(folded))
        # "如果改由香港嗰間子公司同內地公司搞合資呢？": an existing company's link, asked
        # as a what-if, is that link (a company still to be set up is hk_planned)
        and (not _HYPOTHETICAL.search(folded) or not _NEW_HK_COMPANY.search(folded))
        and not _negated_link(folded)
    ):
        # "我哋喺香港有間註冊咗嘅子公司，惠州廠係佢100%獨資": that company owns it, link 1(b)
        owners.append(("hk", STATED))
        if _BRANCH_OWNS.search(folded):
            # "US parent owns a HK sub, and the HK sub owns 100% of the factory": the
            # parent's country is the group's, not the factory owner's
            owners = [(o, p) for o, p in owners if o not in ("foreign", "taiwan", "macao")]
    if (
        ("hk", STATED) in owners
        and ("mainland", STATED) in owners
        and _HAVE_HK_COMPANY.search(folded)
        and not _FACTORY_LINK_WORDS.search(folded)
    ):
        # "我有間香港公司，佢係我細佬嘅內地公司": the speaker's company exists; the factory
        # is a Mainland company's, and how the two are linked is still to ask
        owners = [(o, p) for o, p in owners if (o, p) != ("hk", STATED)]
        reading.facts.append(Fact("hk_company", "exists", STATED, turn, "hk_company"))
    processes_for_us = bool(_PROCESSES_FOR_US.search(folded))
    if processes_for_us:
        owners.append(("other_firm", STATED))  # "淨係幫我哋加工": a processing contract? ask
    # "冇股份亦冇加工合約": a link denied is no link said
    link_said = (
        bool(_LINK.search(folded))
        and not _negated_link(folded)
        and not _MEANING_ASKED.search(folded)  # "三来一补是什么意思？": a word asked about
    )
    reading.link_denied = bool(_NEG_CONTRACT.search(folded)) or _negated_link(folded)
    # "no shares or contract with us": no contract, so no link left once ownership is told
    reading.contract_denied = bool(_NEG_CONTRACT.search(folded))
    # "the contract ended last year, now no contract": none now, which is plain (no doubt
    # over a lapsed one left to staff)
    reading.contract_lapsed = bool(_CONTRACT_LAPSED.search(folded)) and not (
        reading.contract_denied and _NOW_WORD.search(folded)
    )
    if not owners and link_said:
        owners.append(("hk", STATED))  # "係簽咗來料加工合約": link 1(a) or 1(c), a HK party
    link_said = link_said or processes_for_us
    if (
        ("hk", STATED) in owners
        and _CONSULTANTS_CLIENT.search(folded)
        and (_hk_owns_factory(folded) or _OWNED_BY_THE_HK_COMPANY.search(folded))
    ):
        # "client of mine has 3 plants … all owned by the HK parent": a consultant asking
        # for a client whose Hong Kong company owns the factories, the client's own case
        link_said = True
    if (
        ("hk", STATED) in owners
        and _PERCENT.search(folded)
        and (
            _PERSON_HOLDS.search(folded)
            or (_HK_COMPANY_IS_A_PERSONS.search(folded) and not _SOLELY_OWNED.search(folded))
        )
        and not _COMPANY_HOLDS.search(folded)
        and not hk_company_stake(folded)  # "香港公司只占20%，内地股东占80%": a venture's
    ):
        # "香港老板个人持有内地企业51%": a person's shares, the resident's link 1(d), not a
        # Hong Kong company's factory
        owners = [("hk_resident", p) if o == "hk" else (o, p) for o, p in owners]
    _ownership(
        reading,
        owners,
        turn,
        shares_said=bool(_PERCENT.search(folded)),
        person_holds=bool(_A_PERSON_HOLDS.search(folded)),
        hk_owns_factory=_hk_owns_factory(folded),
        hk_stake=hk_company_stake(folded),
        mainland_owns=bool(_MAINLAND_OWNS.search(folded)),
        mainland_company=bool(_FACTORY_IS_A_MAINLAND_COMPANY.search(folded)),
        hk_linked=bool(_HK_CO_LINKED.search(folded)) and not _negated_link(folded),
        # only as a what-if with no Hong Kong company in it: told as a fact beside a Hong
        # Kong company ("由德国总公司直接拥有，香港有一家子公司"), that company's link
        # (a processing contract?) is still asked
        directly_owned=bool(_DIRECTLY_OWNED.search(folded))
        and bool(_WHAT_IF.search(folded))
        and not _HK_COMPANY.search(folded),
        link_said=link_said,
        sole=bool(_SOLE.search(folded)),
    )
    foreign = [folded[s:e] for name, s, e in spans if name == "owner.foreign_unclear"]
    if foreign:  # "外資企業": the words kept, so the answer can say what "外資" covers
        reading.facts = [
            replace(f, quote=foreign[0])
            if f.kind == "ownership" and f.value == "unclear" and not f.quote
            else f
            for f in reading.facts
        ]
    planned_link = (
        _planned_link(folded)
        if [f.value for f in reading.of("ownership")] == ["hk_planned"]
        else None
    )
    if (
        planned_link is None
        and [f.value for f in reading.of("ownership")] == ["hk_planned"]
        and _PERCENT.search(folded)
    ):
        # "那我们在香港注册一家公司，她占40%呢": a resident's share of the new company,
        # link 1(d)
        planned_link = "resident"
    if planned_link:
        # "如果開間香港公司同工廠簽來料加工合同": the link the new company would have
        add("planned_link", planned_link, STATED)
    if _HK_COMPANY_CLOSING.search(folded) and _CLOSED_ALREADY.search(folded):
        # "去年香港公司注销了", "we deregistered the HK company last year": no Hong Kong
        # company now, so no applicant (W7, W9), not a plan
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "ownership" and f.value == "hk" and f.polarity == STATED)
            and f.kind != "hk_company"
        ]
        reading.facts.append(Fact("ownership", "hk", DENIED, turn, "closed"))
        reading.facts.append(Fact("hk_company", "none", STATED, turn, "closed"))
    elif _HK_COMPANY_CLOSING.search(folded):
        reading.hk_company_closing = True
    if _NO_HK_COMPANY.search(folded) and not _HYPOTHETICAL.search(
        _NO_HK_COMPANY.sub(" ", folded)  # "never set up a HK company" supposes nothing
    ):
        # "冇香港公司": no applicant at all, not only no Hong Kong owner (link 1(d) needs one);
        # "冇開香港公司" names the company it denies: no Hong Kong company owns the factory
        reading.facts = [
            Fact("ownership", "hk", DENIED, f.turn, f.quote)
            if f.kind == "ownership" and f.value in ("hk", "hk_planned") and f.polarity == STATED
            else f
            for f in reading.facts
        ]
        add("hk_company", "none", STATED, "no_hk_company")
    elif (
        (_HK_COMPANY_THERE.search(folded) or _HK_BRANCH.search(folded))
        and not _HYPOTHETICAL.search(folded)
        and not _REGISTERING_LATER.search(folded)
    ):
        # "我們在香港有分公司", "the HK subsidiary has business registration": a company
        # that could apply, whose link to the factory is still to be said
        add("hk_company", "exists", STATED, "hk_company")
        if not _FACTORY_OWNED.search(folded):
            # "我们是美国公司，在深圳有工厂，香港有注册的子公司": who the user is, not who
            # owns the factory; which company owns it, and how, is asked
            reading.facts = [
                Fact("ownership", "unclear", STATED, f.turn, f.quote)
                if f.kind == "ownership"
                and f.value in ("foreign", "taiwan", "macao")
                and f.polarity == STATED
                else f
                for f in reading.facts
            ]
    _someone_elses_factory(reading, folded, turn, link_said)
    # "No spraying, just cutting": a denied process and no polluting one left is a clean
    # workshop; printing or plating said beside the denial still counts.
    denied_named = any(f.kind == "process" and f.polarity == DENIED for f in reading.facts)
    stated_named = any(
        f.kind == "process" and f.polarity == STATED and f.value in NAMED_PROCESSES
        for f in reading.facts
    )
    polluting_other = any(
        f.kind == "process"
        and f.polarity == STATED
        and str(f.value).removeprefix("other:") in POLLUTING_OTHERS
        for f in reading.facts
    )
    if denied_named and not stated_named and not polluting_other:
        add("process", "none", STATED)
    # A named process covers the unnamed one it contains ("溶劑清洗" is no other:solvents).
    if any(
        f.kind == "process" and f.value in NAMED_PROCESSES and f.polarity == STATED
        for f in reading.facts
    ):
        reading.facts = [
            f for f in reading.facts if not (f.kind == "process" and f.value == "other:solvents")
        ]
    premises = [f for f in reading.facts if f.kind == "premises" and f.polarity == STATED]
    if any(f.value == "workshop" for f in premises):
        # "係工場，唔係工廠": the factory denied is the contrast, not a denial of premises.
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "premises" and f.value == "factory" and f.polarity == DENIED)
        ]
    if len(premises) > 1:  # "workshop" beats "factory" said alongside ("工場" in a 廠 sentence)
        # A workshop said beats "not a factory" (係工場，唔係工廠) and a factory alongside.
        keep = next(
            (f for f in premises if f.value == "workshop"),
            next((f for f in premises if f.value == "none"), premises[0]),
        )
        if _office_here_factory_there(reading, folded, premises):
            keep = next(f for f in premises if f.value == "factory")
        reading.facts = [
            f for f in reading.facts if f.kind != "premises" or f is keep or f.polarity == DENIED
        ]
    if _NO_FACTORY_OVER_THERE.search(folded):
        # "我哋冇廠喺大陸": no factory on the mainland says nothing of a Hong Kong workshop
        # or factory; the premises stay as the case has them.
        reading.facts = [
            f
            for f in reading.facts
            if not (f.kind == "premises" and (f.value == "none" or f.polarity == DENIED))
        ]
    _read_items(reading, folded, spans, turn)


_MAINLAND = r"(?:大陆|内地|国内|广东|上面|北面)"
_NO_FACTORY_OVER_THERE = re.compile(
    rf"(?:冇|没有|没|无)(?:自己)?(?:嘅|的)?(?:工)?厂(?:房)?(?:喺|在|于){_MAINLAND}"
    rf"|{_MAINLAND}\w{{0,3}}(?:冇|没有|没|无)\w{{0,3}}厂"
    r"|\bno (?:\w+ )?factor(?:y|ies) (?:in|on) (?:the )?(?:mainland|china|guangdong)\b"
    r"|\b(?:don't|do not|doesn't|does not) (?:have|own|run) (?:a |any )?(?:\w+ )?factor(?:y|ies)"
    r" (?:in|on) (?:the )?(?:mainland|china|guangdong)\b"
)


# A company the user has in Hong Kong, said with a locative: "喺香港有間註冊咗嘅子公司",
# "a subsidiary registered in Hong Kong".
_HK_COMPANY_THERE = Recalled(
    re.compile(
        r"(?:喺|在|于)香港(?:都|也|亦|另外|仲|还)?(?:有|开咗|开了|成立咗|成立了|注册咗|注册了|注册)"
        r"(?:一)?(?:间|家|个)?"
        r"(?:注册咗|注册了|注册)?(?:嘅|的)?(?:子公司|分公司|公司|有限公司)"
        r"|\b(?:subsidiary|company)\s+(?:registered|incorporated)\s+in\s+(?:hong kong|hk)\b"
        # "I also have a company in Hong Kong", "we set up a subsidiary in HK last year"
        r"|\b(?:i|we)\s+(?:also\s+|already\s+|too\s+|have\s+|had\s+|'ve\s+)*"
        r"(?:have|has|own|set up|opened|registered|incorporated|formed|started)\s+"
        r"(?:also\s+)?(?:a|an|our|my|one)\s+(?:own\s+)?(?:hk\s+|hong kong\s+)?"
        r"(?:company|subsidiary|firm|branch|ltd)\s+(?:in|registered in|incorporated in)\s+(?:hong kong|hk)\b"
        r"|\b(?:i|we)\s+(?:also\s+|already\s+|have\s+|had\s+|'ve\s+)*"
        r"(?:have|has|own|set up|opened|registered|incorporated|formed|started)\s+(?:also\s+)?"
        r"(?:a|an|our|my|one)\s+(?:hk|hong kong)\s+(?:company|subsidiary|firm|branch|ltd)\b"
    )
)
# A Hong Kong branch or subsidiary, or a business registration, said without a locative.
_HK_BRANCH = Recalled(
    re.compile(
        r"(?:香港|(?<![a-z])hk(?![a-z])|hong kong)\s*(?:嗰|𠮶|那|呢|这)?(?:间|家)?(?:的|嘅)?(?:分公司|子公司)"
        # "香港有注册的子公司", "香港有間分公司": a subsidiary there, said after the place
        r"|香港(?:有|开咗|开了|成立咗|成立了|注册咗|注册了)(?:一)?(?:间|家|个)?"
        r"(?:注册咗|注册了|注册|登记咗|登记了)?(?:嘅|的)?(?:分公司|子公司)"
        r"|商业登记|\bbusiness registration\b|\bbr (?:ordinance|certificate)\b"
        r"|\b(?:hk|hong kong) (?:subsidiary|branch)\b"
        r"|\b(?:subsidiary|branch)(?: office)? (?:registered |set up |incorporated )?in (?:hk|hong kong)\b"
    )
)
# Who owns the factory, said: "owned by", "拥有", "独资", "控股".
_FACTORY_OWNED = re.compile(r"\bown(?:s|ed)?\b|\bbelongs?\b|拥有|持有|独资|全资|控股|属于|所有")
# A processing contract that has run out: "合同去年到期了，还没续签", "the contract expired".
_CONTRACT_LAPSED = re.compile(
    r"(?:合同|合约|contract|agreement).{0,12}(?:到期|过期|期满|届满|完咗|完了|终止|\bexpired\b"
    r"|\blapsed\b|\bended\b|\bran out\b|\brun out\b"
    # "and if the contract ends next March?": an end to come, asked as a what-if
    r"|\bends\b|\bexpires\b|\bruns out\b|\bwill end\b|\bwill expire\b)"
    r"|(?:没|未|还没|冇|未有|没有)(?:再)?续(?:签|约)|\bnot (?:yet )?renewed\b|\bhas(?:n't| not) been renewed\b"
    # "we had a processing contract … but it ended last year"
    r"|(?:contract|agreement|合同|合约|三来一补).{0,60}\b(?:but |and )?it (?:has )?(?:ended|expired|stopped|finished|lapsed)\b"
    r"|(?:合同|合约|三来一补).{0,30}(?:已经)?(?:完咗|完了|结束|终止|停咗|停了|冇再续|没有再续)"
    # "唔肯定份合約仲有冇效", "not sure the contract is still valid": whether it is in force
    r"|(?:唔|不)(?:太)?(?:肯定|确定|清楚|知)\S{0,4}(?:合同|合约)\S{0,3}(?:仲|还|是否)(?:有冇|有没有|有)?(?:效|生效)"
    r"|\bnot sure (?:if |whether )?(?:the |our |their )?(?:contract|agreement) is still (?:valid|in force|active)\b"
)
# "续签以后就可以了吧？", "once we renew it, are we OK?"
_RENEWAL_ASKED = re.compile(
    r"(?:续签|续约|\brenew(?:ed|al|ing)?\b).{0,20}(?:[?？]|吧|吗|嘛|未|\bok\b|\bfine\b|\beligible\b)"
)
# A person holding the shares ("香港老板个人持有…", "the boss personally holds 51%"), or a
# company holding them ("香港公司持有内地企业60%": a joint venture).
_PERSON_HOLDS = re.compile(
    r"(?:老板|老细|老闆|个人|本人|股东)(?:本人|个人|自己)?(?:持有|持股|占|拥有|揸)"
    r"|\b(?:boss|owner|he|she)\s+(?:personally\s+)?(?:holds|owns|has)\b|\bpersonally\b"
)
# "佢佔香港公司兩成", "I only hold 20% of the HK company": a person's stake in the HK
# company, the resident's link 1(d), not the HK company owning the factory
# "香港公司也是我100%": the Hong Kong company is the person's, in shares
_HK_COMPANY_IS_A_PERSONS = re.compile(
    r"香港(?:的|嘅)?公司(?:也|都|亦)?(?:系|是)(?:我|佢|他|她)(?:个人|自己)?(?:的|嘅)?\s*\d{1,3}\s*%"
    # "香港公司100%佢嘅": the share, then whose it is
    r"|香港(?:的|嘅)?公司\s*(?:\d{1,3}\s*%|百分之?百|全部)\s*(?:系|是)?(?:我|佢|他|她)(?:个人|自己)?(?:的|嘅)"
)
# The Hong Kong company owning the factory outright: a WFOE, 獨資, 外資 owned by it
_SOLELY_OWNED = re.compile(r"独资|外资|\bwfoe\b|\bwholly\b|100%\s*(?:拥有|持有|owned)|全资")
_PERSON_IN_HK_COMPANY = re.compile(
    rf"(?:我|佢|他|她|老板|老闆|老细|股东|本人|个人|居民|{_RELATIVES_CJK})(?:自己|本人)?(?:喺|在|于)?(?:香港公司|香港(?:嗰|𠮶)间公司|香港那家公司)?"
    r"(?:(?:嗰|𠮶)边|那边|度|里|入面|方面)?(?:只|淨係|净系|就)?"
    # "香港公司是我一个人100%持有的": the whole of it, by one person
    r"(?:一个人|一人)?\s*(?:\d{1,3}\s*%|百分之?百|全部)?\s*(?:占|持有|持股|拥有|揸"
    # "我阿爸喺香港公司有35%股份": has, right before the share
    r"|有(?=\s*(?:\d|百分之|[一二两三四五六七八九]成|一半)))"
    r"|\b(?:i|he|she|the resident|the boss|the owner"
    # "my uncle holds 80% of the factory and 50% of our HK company"
    r"|(?:my|his|her|our)\s+(?:wife|husband|spouse|partner|brother|sister|father|dad|mother|mum"
    r"|mom|son|daughter|cousin|uncle|aunt|auntie|nephew|niece|friend|relative))"
    r"\s+(?:only\s+|just\s+|also\s+|still\s+)?(?:hold|holds|own|owns|have|has|need|needs)\b"
)
# "佢喺香港公司嗰邊佔幾多先得？", "how much of the HK company must he hold?": the share
# the link needs, asked
_SHARE_NEEDED = re.compile(
    r"(?:占|持有|持股|拥有|揸)(?:股份|股权|股)?(?:要|需要)?(?:几多|多少|几成|百分之几)"
    r"(?:股份|股权|股|%)?(?:先得|先可以|才行|才可以|才够|先够|先啱|先算)"
    r"|(?:要|需要|至少|最少|最低)(?:要)?(?:占|持有|持股)(?:几多|多少|几成|百分之几)"
    # "需要持股多少", "要揸幾多股份": the share the link needs, asked
    r"|(?:要|需要|须)(?:占|持有|持股|揸)(?:股份|股权)?(?:几多|多少|几成)"
    r"|\bhow much\b.{0,40}\b(?:hold|own)\b|\bwhat (?:share|percentage|percent)\b.{0,30}"
    r"\b(?:need|needed|required|must|enough)\b|\bhow much (?:share|of it) is (?:needed|required|enough)\b"
)
# "the HK sub owns 100% of a factory", "香港子公司全資擁有間廠": the branch holds the factory
_BRANCH_OWNS = re.compile(
    r"\b(?:hk|hong kong)\s+(?:sub|subsidiary|branch|company|co|ltd)\s+(?:\w+\s+)?(?:owns|holds)\b"
    r"(?!\s+(?:no|none|nothing|zero|0)\b)"
    r"|(?:子公司|分公司)(?:[^\W冇没无不唔未]{0,2})(?:拥有|持有|独资|全资)"
)
_COMPANY_HOLDS = re.compile(
    # "由香港公司全資擁有": the company owns the factory outright (link 1(b))
    r"公司(?:全资|独资)?(?:持有|持股|占|拥有|揸)"
    r"|\b(?:company|co|ltd|sub|subsidiary|branch|entity)\s+(?:holds|owns|has|owned)\b"
    r"|\b(?:wholly|fully|100%)[- ]owned by (?:the |our )?(?:hk|hong kong) (?:company|co|ltd)\b"
)
_SOLE = re.compile(r"独资|全资|\bwholly\b|\bsolely\b|\bsole\b|100\s*%|百分百|百分之百")
SOLE_WORDS = _SOLE  # for the case: a Hong Kong company said to own the factory outright
# "They only do processing for us": maybe a processing (三來一補) contract, link 1(c).
_PROCESSES_FOR_US = re.compile(
    r"(?:帮|同|为|替|俾|畀)(?:我哋|我地|我们)(?:做)?加工|\bprocess(?:es|ing)? (?:goods |orders )?for us\b"
    r"|\bdo(?:es)? (?:the )?processing for us\b"
)
_NEG_LINK = re.compile(
    r"(?:冇|没有|无|未|唔系|不是|并非|no|not|without|don't have|haven't)\s*(?:\w+\s+){0,2}"
    r"(?:签|签订|签过|任何)?\s*(?:合资|合作企业|合营|三来一补|来料加工|加工合约|加工合同|joint venture|jv"
    r"|processing (?:contract|trade))"
)


# "no contract with the factory", "冇簽合約": a processing contract denied, said plainly.
_NEG_CONTRACT = Recalled(
    re.compile(
        r"(?:冇|没有|无|未|\bno\b|\bnot\b|\bwithout\b|don't have|haven't)\s*(?:\w+\s+){0,2}"
        r"(?:签|签订|签过|任何)?(?:咗|了)?\s*(?:正式|书面|纸面)?(?:的|嘅)?\s*(?:合约|合同|\bcontracts?\b)"
    )
)


def _negated_link(folded: str) -> bool:
    return bool(_NEG_LINK.search(folded))


def _someone_elses_factory(reading: Reading, folded: str, turn: int, link_said: bool) -> None:
    """A factory named as someone else's (a supplier's, a customer's) is the user's case
    only through a link: the link is asked. One said not to be theirs, and bought from,
    is no factory of the company's."""
    if _NOT_OURS.search(folded) and not link_said:
        reading.facts = [f for f in reading.facts if f.kind not in ("ownership", "own_factory")]
        reading.facts.append(Fact("own_factory", False, STATED, turn, "not ours"))
        return
    # "I am a HK company. Our customer's factory wants to join": the Hong Kong company is
    # the applicant, not the factory's owner; the link is still asked.
    if link_said or not _other_firms_factory(folded):
        return
    reading.facts = [f for f in reading.facts if f.kind != "ownership"]
    reading.facts.append(Fact("ownership", "other_firm", STATED, turn, "other firm"))


# "Only an office" is said of one place; someone else's factory is not the user's.
_ONLY_OFFICE = ("只有", "only")
_SOMEONE_ELSES = re.compile(
    r"供应商|供貨商|供货商|客户|客戶|外判|加工厂|代工|合作厂|supplier|vendor|customer|client|"
    r"subcontract|contract manufactur|partner"
)


def _office_here_factory_there(reading: Reading, folded: str, premises: list[Fact]) -> bool:
    """ "We only have an office in Hong Kong; our factory is in Chaozhou, wholly owned by
    our HK company": the factory is theirs, the office is what they have in Hong Kong.
    Only when "only an office" is said of Hong Kong, the same message gives a Hong Kong
    owner, and it names no one else's factory (a supplier's, a customer's); otherwise
    "only an office" stands."""
    values = {f.value for f in premises}
    if values != {"none", "factory"}:
        return False
    none = next(f for f in premises if f.value == "none")
    at = folded.find(none.quote)
    in_hong_kong = at >= 0 and (
        folded[max(0, at - 2) : at] == "香港"
        or folded[at + len(none.quote) :].startswith((" in hong kong", " in hk"))
    )
    return (
        none.quote.startswith(_ONLY_OFFICE)
        and in_hong_kong
        and any(f.kind == "ownership" and f.value == "hk" and f.polarity == STATED
                for f in reading.facts)
        and not _SOMEONE_ELSES.search(folded)
    )  # fmt: skip


_NEG_ITEM_LATIN = re.compile(
    r"\b(?:not|isn't|isnt|no|rather than|instead of)\s+(?:an?\s+|the\s+)?$"
)


def _read_items(
    reading: Reading, folded: str, spans: list[tuple[str, int, int]], turn: int
) -> None:
    """The funding items named, in the order said; a denied one ("not a demo",
    "唔係示範，係評估") is no item of the case, and the last one stated is the current one."""
    seen: dict[str, str] = {}
    for name, start, _end in sorted(spans, key=lambda span: span[1]):
        item = name.removeprefix("item.")
        if not name.startswith("item.") or item not in ITEMS:
            continue
        window = _after_last_boundary(folded[max(0, start - 12) : start])
        denied = bool(
            _NEG_CJK.search(window) or _NEG_LATIN.search(window) or _NEG_ITEM_LATIN.search(window)
        )
        seen.pop(item, None)
        seen[item] = DENIED if denied else STATED
    if not seen:  # signals without spans (a tapped choice)
        seen = {item: STATED for item in ITEMS if f"item.{item}" in reading.u.signals}
    stated = [item for item, polarity in seen.items() if polarity == STATED]
    for item, polarity in seen.items():
        if polarity == DENIED and stated:
            reading.facts.append(Fact("item", item, DENIED, turn))
    for item in stated:
        reading.facts.append(Fact("item", item, STATED, turn))


def _ownership(
    reading: Reading,
    owners: list[tuple[str, str]],
    turn: int,
    shares_said: bool = False,
    link_said: bool = False,
    sole: bool = False,
    person_holds: bool = False,
    hk_owns_factory: bool = False,
    hk_stake: bool = False,
    mainland_owns: bool = False,
    hk_linked: bool = False,
    directly_owned: bool = False,
    mainland_company: bool = False,
) -> None:
    """One ownership fact for the message: a Hong Kong company said alongside a Mainland
    one is the applicant with a link ("香港公司同內地廠三來一補"); a denial wins over the
    word it denies."""
    if not owners:
        return
    stated = [o for o, p in owners if p == STATED]
    # An explicit owner says more than "foreign-invested" (外資企業，德國的).
    if "unclear" in stated and any(o in ("mainland", "foreign", "taiwan", "macao") for o in stated):
        stated = [o for o in stated if o != "unclear"]
    if (
        "hk" in stated
        or stated == ["unclear"]
        # "我们是澳门公司在香港开的子公司，子公司独资": the owner above the Hong Kong company
        or any(o in ("foreign", "taiwan", "macao") for o in stated)
    ) and hk_owns_factory:
        # "母公司喺台灣…內地廠係香港公司全資擁有", "佢哋話我哋唔係港資…但係香港公司持有
        # 間廠100%": the Hong Kong company owns it, link 1(b), whoever owns that company
        reading.facts.append(Fact("ownership", "hk", STATED, turn))
        return
    if "hk" in stated and hk_stake and ("hk", DENIED) not in owners:
        # "香港公司佔合資企業三成，另外一個香港合夥人有四成": the Hong Kong company's
        # joint venture, link 1(a), whatever a person beside it holds
        reading.facts.append(Fact("ownership", "hk", STATED, turn))
        return
    if (
        mainland_owns
        and (reading.contract_denied or reading.link_denied)
        and "mainland" in stated
        and not (hk_owns_factory or hk_stake)
        and "hk_resident" not in stated
    ):
        # "owned by a mainland company, no JV or processing contract": no link is left
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
        reading.facts.append(Fact("ownership", "mainland", STATED, turn))
        return
    if (
        "hk" in stated
        and "mainland" in stated
        and (
            mainland_owns
            # "係內地公司" beside a Hong Kong company, no link denied: the link is asked
            or (
                mainland_company
                and not (reading.link_denied or reading.contract_denied)
                and ("hk", DENIED) not in owners
            )
        )
        and not (hk_owns_factory or hk_stake or link_said)
        and "hk_resident" not in stated
        and not (shares_said and person_holds)  # a person's shares of both: link 1(d)
    ):
        # "我哋有間香港公司，廠係內地公司擁有": the Hong Kong company owns no part of it;
        # its link (a processing contract?) is asked, or none is left when the contract is
        # denied too ("同香港公司冇合約")
        if reading.contract_denied:
            reading.facts.append(Fact("ownership", "hk", DENIED, turn))
            reading.facts.append(Fact("ownership", "mainland", STATED, turn))
        else:
            reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        return
    if ("hk", DENIED) in owners and "hk_resident" in stated:
        # "not owned by a HK company, but a HK resident holds 80%": link 1(d) decides
        reading.facts.append(Fact("ownership", "hk_resident", STATED, turn))
        return
    if "hk_planned" in stated and "hk_resident" in stated:
        stated = [o if o != "hk_planned" else "hk" for o in stated]  # link 1(d) decides
    elif "hk_planned" in stated:
        reading.facts.append(Fact("ownership", "hk_planned", STATED, turn))
        return
    if "other_firm" in stated and not {"hk", "hk_resident"} & set(stated):
        # "冇股份關係，淨係幫我哋加工": a firm that works for the user's; the link is asked
        reading.facts.append(Fact("ownership", "other_firm", STATED, turn))
        return
    if ("hk", DENIED) in owners and link_said:
        # "冇香港公司持股，不過同香港公司有三來一補合約": a processing contract is link 1(c);
        # the denial is of shares, not of every link: ask, never rule it out
        reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        return
    if ("hk", DENIED) in owners:
        other = next((o for o in stated if o != "hk"), None)
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
        if other:
            reading.facts.append(Fact("ownership", other, STATED, turn))
        return
    if "hk" in stated and "hk_resident" in stated and sole and "mainland" not in stated:
        # "老闆係香港人，通過香港公司100%獨資": the Hong Kong company owns it, link 1(b)
        reading.facts.append(Fact("ownership", "hk", STATED, turn))
        return
    if hk_linked and ("hk" in stated or "hk_resident" in stated):
        # "香港公司係台灣母公司全資擁有，香港公司同東莞一間內地公司合資開廠": the Hong
        # Kong company's own joint venture or contract, link 1(a)/(c), whoever owns it
        # and whatever a resident holds (link 1(d) is not needed)
        reading.facts.append(Fact("ownership", "hk", STATED, turn))
        return
    if "hk_resident" in stated and ("mainland" in stated or ("hk" in stated and shares_said)):
        # "我（香港居民）佔內地公司60%，香港公司我佔100%": the resident's link, 1(d)
        reading.facts.append(Fact("ownership", "hk_resident", STATED, turn))
        return
    others = [o for o in stated if o in ("foreign", "taiwan", "macao")]
    if others and "hk" not in stated and directly_owned:
        # "what if the WFOE was owned directly by the Singapore parent?": no Hong Kong
        # company in between, so none to apply
        reading.facts.append(Fact("ownership", "hk", DENIED, turn))
        reading.facts.append(Fact("ownership", others[0], STATED, turn))
        return
    if "hk" in stated and any(o in ("foreign", "taiwan", "macao") for o in stated):
        # "我們有香港公司，但惠州廠係新加坡母公司全資擁有": which one owns the factory is
        # for the link question, never taken as Hong Kong
        reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        return
    if "hk" in stated and "mainland" in stated and shares_said and person_holds:
        # "owned by a mainland company; my partner holds 70% of it and 40% of our HK
        # company": a person's shares of both, link 1(d), which turns on his residency;
        # "he's not a HK resident": which link the HK company has is asked
        if ("hk_resident", DENIED) in owners:
            reading.facts.append(Fact("ownership", "hk_resident", DENIED, turn))
            reading.facts.append(Fact("ownership", "unclear", STATED, turn))
        else:
            reading.facts.append(Fact("ownership", "hk_resident", STATED, turn))
        return
    if "hk" in stated:
        reading.facts.append(Fact("ownership", "hk", STATED, turn))
        return
    if "hk_resident" in stated:  # "a Hong Kong resident holds 60% of our Mainland company"
        reading.facts.append(Fact("ownership", "hk_resident", STATED, turn))
        return
    if not stated:  # "唔係台資": an owner denied, none stated
        for owner, _ in owners:
            reading.facts.append(Fact("ownership", owner, DENIED, turn))
        return
    reading.facts.append(Fact("ownership", stated[0], STATED, turn))


# --- shareholdings (ownership link 1(d)) -----------------------------------------------------

_PERCENT = Recalled(
    re.compile(
        r"(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)"
        r"|百分之(\d{1,3}|[零一二两三四五六七八九十百]+)"
        r"|(?<![0-9一二两三四五六七八九十])([1-9一二两三四五六七八九])成(半)?(?![本为功立员都品绩果交])"
        r"|百分之(廿[一二三四五六七八九]?|卅[一二三四五六七八九]?)"
        # "一人一半", "各佔一半", "half each", "50-50": half the shares (not "付一半")
        r"|((?:一人|每人|各(?:自)?(?:占|持有?|揸)?|(?:占|持有?|揸|都有|亦有|也有))一半(?:股份|股权)?|一半股份|一半股权"
        # "各佔香港公司一半": half each of the company named
        r"|各(?:自)?(?:占|持有?|揸)(?:香港公司|内地公司|内地企业|内地厂|工厂|间厂|合资公司)一半"
        r"|\bhalf each\b|\b50[-/]50\b|\bfifty[- ]fifty\b|\bhalf (?:of )?the shares\b"
        # "he has half of the factory", "owns half of it"
        r"|\b(?:has|have|holds?|owns?)\s+half\s+(?=of\b))"
        # "我佔晒", "全部股份都係我嘅", "I hold all the shares": all of it
        r"|(占晒|揸晒|持晒|全部股份|全部股权|\ball (?:of )?the shares\b|\b(?:own|hold)s? (?:it )?all\b)"
    )
)
_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SHARE_WORDS = re.compile(
    r"股|占|持有|拥有|揸|有(?=\s*(?:\d|百分|[一二两三四五六七八九]成))"
    r"|\bshares?\b|\bstake\b|\bown|\bhold|\bheld|\bha(?:s|d|ve)\b|\bbuys?\b|\bbought\b|买|增持"
    r"|\bwith(?=\s*\d{1,3}\s*%\s*of\b)"  # "a HK resident with 80% of it"
    # "the Dongguan factory is 100% mine personally": a person's
    r"|\d\s*%\s*(?:is\s+)?(?:mine|his|hers)\b"
    # "香港公司也是我100%", "工厂100%是我个人的": a person's, said with 是
    r"|(?:系|是)(?:我|佢|他|她)(?:个人|自己)?(?:的|嘅)?(?=\s*\d{1,3}\s*%)"
    r"|\d\s*%\s*(?:系|是)(?:我|佢|他|她)(?:个人|自己)?(?:的|嘅)"
)
_HK_COMPANY = re.compile(
    r"香港(?:的|嘅)?.{0,4}公司|香港注册|港公司"
    # "In Hong Kong we have a small company", "喺香港我哋有間細公司"
    r"|\bin (?:hk|hong kong),? (?:we|i) (?:also )?(?:have|own|run|set up|registered) (?:a |an |our )?(?:\w+ ){0,2}(?:company|firm|co)\b"
    r"|(?:喺|在)香港(?:我哋|我们|我)?(?:都|也)?(?:有|开咗|开了|注册咗|注册了)(?:一)?(?:间|家|个)\w{0,3}公司"
    r"|\bhk\b.{0,12}\b(?:company|co|ltd|limited|subsidiary|branch|applicant)\b"
    r"|hong kong.{0,12}\b(?:company|co|ltd|limited|subsidiary|branch|applicant)\b"
    r"|\b(?:company|co|firm)\s+(?:(?:over|based|registered)\s+)?in\s+(?:hk|hong kong)\b"
)
_MAINLAND_COMPANY = re.compile(
    r"内地|大陆|国内|工厂|厂|企业|当地公司|mainland|factory|plant|enterprise"
    r"|\blocal (?:company|firm|partner|enterprise)\b"
)
# "25% of my HK shares", "我香港嘅股份": the Hong Kong company's shares, by their place
_HK_SHARES = re.compile(
    r"\b(?:hk|hong kong) (?:shares?|stake|shareholding)\b|香港(?:嘅|的)?(?:股份|股权)|香港(?:嗰|那)边(?:嘅|的)?(?:股份|股权)"
)


# The Hong Kong company's own link said: "香港公司同東莞一間內地公司合資開廠", "our HK company
# has a processing contract with the factory"
_HK_CO_LINKED = re.compile(
    r"(?:香港|港)(?:注册)?(?:的|嘅)?(?:子)?公司\s*(?:同|与|和|跟)\S{0,14}(?:合资|合作|合营|签(?:咗|了)?\S{0,4}(?:加工|合约|合同)|三来一补)"
    r"|\b(?:hk|hong kong) (?:company|co|sub|subsidiary) (?:has|formed|runs|signed|set up) "
    r"(?:a |an )?(?:jv|joint venture|co-?operative venture|processing (?:contract|agreement))\b"
    # "a joint venture between his Hong Kong company and a village enterprise"
    r"|\b(?:jv|joint venture|co-?operative (?:joint )?venture|processing (?:contract|agreement))\s+"
    r"(?:between|with)\s+(?:his|her|their|our|my|the|a|an)?\s*(?:hk|hong kong)\s+(?:company|co|sub"
    r"|subsidiary)\b"
)
# Owned directly, with nothing in between: "owned directly by the Singapore parent",
# "由台灣母公司直接持有"
_DIRECTLY_OWNED = re.compile(
    r"\b(?:owned|held) directly\b|\bdirectly (?:owned|held|by)\b|直接(?:拥有|持有|投资|控股|开|由|同|与|和|跟)"
)
# The factory said to be owned by a Mainland company: "廠係內地公司擁有", "owned by a
# separate mainland company", "廠係內地公司自己嘅"
# "間廠喺東莞鳳崗，係內地公司", "the factory in Fenggang is a mainland company": said beside
# a Hong Kong company, its link to the factory is still to be asked
_FACTORY_IS_A_MAINLAND_COMPANY = re.compile(
    r"(?:厂|工厂)[^。？?]{0,12}?(?:系|是)(?:一间|一家|间)?(?:内地|大陆|国内)(?:的|嘅)?(?:公司|企业)"
    r"(?=\s*(?:[，,。.!！?？]|$|嚟|来的|嘅|的))"
    r"|\b(?:factory|plant)\b[^.?!]{0,30}\bis a (?:mainland|domestic|chinese|local) (?:company|firm|enterprise)\b"
)
_MAINLAND_OWNS = re.compile(
    r"(?:由|系|是|被|归)\s*(?:一间|一家|一个)?(?:内地|大陆|国内)(?:的|嘅)?(?:公司|企业)(?:自己)?"
    r"(?:拥有|持有|全资|独资|所有|嘅|的|开)"

    r"|\bowned (?:outright |wholly |entirely )?by (?:a |an |the )?(?:separate |different |local )?"
    r"(?:mainland|chinese|prc|domestic) (?:company|firm|enterprise|owner)"
    r"|\b(?:a |the )?(?:mainland|chinese|prc) (?:company|firm) owns (?:it|the factory|the plant)\b"
)
# The Hong Kong company said to have only an office: "香港公司只有一个办事处", "our HK
# company is just an office"
_HK_ONLY_OFFICE = re.compile(
    r"(?:香港|港)(?:的|嘅)?(?:公司|(?:嗰|𠮶)间公司|那家公司)\S{0,4}(?:只有|只系|只是|净系|得|仅有|只得)"
    r"\S{0,4}(?:办事处|办公室|写字楼)"
    r"|\b(?:hk|hong kong) (?:company|co|side|entity) (?:only has|is only|is just|just has) "
    r"(?:an? |the )?(?:office|rep office|representative office)\b"
)
# A joint venture's partner said to be a Mainland company: "拍檔係內地公司", "our partner
# is a mainland company"
_PARTNER_IS_MAINLAND = re.compile(
    r"(?:拍档|合伙人|合作方|伙伴)\S{0,2}(?:系|是|为)\s*(?:一间|一家|一个)?(?:内地|大陆|国内)(?:的|嘅)?(?:公司|企业)"
    r"|\b(?:jv |joint venture )?partner\s+is\s+a\s+(?:mainland|chinese|prc)\s+(?:company|firm|enterprise)\b"
)


# The Hong Kong company said to own the factory outright: "內地廠係香港公司全資擁有",
# "香港公司全資擁有深圳個廠", "the HK company wholly owns the factory".
_HK_OWNS_FACTORY = re.compile(
    r"(?:香港|港)(?:注册)?(?:子)?公司\s*(?:系|是)?\s*(?:全资|独资|100%)\s*(?:拥有|持有)"
    # "間廠喺東莞大朗，係香港公司獨資": said of the factory just named
    r"|[,，]\s*(?:系|是)\s*(?:香港|港)(?:子)?公司\s*(?:全资|独资)(?![^,，。]{0,4}(?:吗|嘛|呢|\?|？))"
    r"|(?:厂|工厂)\S{0,4}(?:系|是)?(?:由)?(?:香港|港)(?:子)?公司\s*(?:全资|独资|100%)"
    # "我们是澳门公司在香港开的子公司，子公司独资": the subsidiary in Hong Kong owns it
    r"|(?:香港|港)(?:开|成立|注册)?(?:咗|了)?(?:的|嘅)?子公司[，,]?\s*(?:由)?(?:子公司)?\s*(?:系|是)?\s*(?:全资|独资|100%)"
    r"|\b(?:hk|hong kong)\s+(?:company|co|sub|subsidiary)\s+(?:wholly\s+)?(?:owns|holds)\s+(?:100%\s+of\s+)?(?:the|our)\s+(?:factory|plant|wfoe)"
    r"|\bwfoe\s+(?:of|owned by|under)\s+(?:the\s+|our\s+)?(?:hk|hong kong)\s+(?:co|company|sub|subsidiary|entity)\b"
    # "a factory … owned 100% by my HK company"
    r"|\b(?:100% |wholly |fully |solely )?owned (?:100% |wholly |fully |solely )?by (?:my|our|the) "
    r"(?:hk|hong kong) (?:co|company|sub|subsidiary|entity)\b"
    r"|\b(?:hk|hong kong)(?:-owned)?\s+wfoe\b"
    r"|\b(?:hk|hong kong)\s+(?:co|company|sub|subsidiary)(?:'s|s)\s+wfoe\b"
    # "transfer the factory to the HK sub, as its WFOE": sole ownership by the HK company
    r"|\b(?:transfer|move|sell|give|put|hand)\w*\s+(?:the\s+|our\s+)?(?:factory|plant|it)\s+"
    r"(?:over\s+)?(?:to|under)\s+(?:the\s+|our\s+)?(?:hk|hong kong)\s+(?:co|company|sub|subsidiary|entity)"
    r"\b[^.?!]{0,12}\b(?:wfoe|wholly[ -]owned|100%)"
    # "香港公司持有間廠100%": the verb first, the share after the factory
    r"|(?:香港|港)(?:注册)?(?:子)?公司\s*(?:系|是)?\s*(?:持有|拥有|占)\s*(?:这|(?:嗰|𠮶)|该|我哋|我们)?"
    r"(?:间|个|家)?(?:的|嘅)?(?:内地)?(?:厂|工厂|企业|wfoe)\s*(?:的|嘅)?\s*(?:100%|全部|百分百|百分之百)"
)
# A word that denies what follows it: "唔係香港公司全資擁有", "not wholly owned by"
_DENIED_BEFORE = re.compile(
    r"(?:唔|不|冇|没|无|非|未)\S{0,2}$|\b(?:not|isn'?t|doesn'?t|no longer)\s+(?:\w+\s+){0,2}$"
)


_DENIED_WORD = re.compile(r"唔|不|冇|没|无|非|未")


def _hk_owns_factory(folded: str) -> bool:
    """The Hong Kong company said to own the factory outright, not denied it."""
    return any(
        not _DENIED_BEFORE.search(folded[max(0, m.start() - 12) : m.start()])
        and not _DENIED_WORD.search(m.group(0)[: m.group(0).find("公司") + 1])
        for m in _HK_OWNS_FACTORY.finditer(folded)
    )


# "all owned by the HK parent", "WFOE of their HK co": the Hong Kong company owns it
_OWNED_BY_THE_HK_COMPANY = re.compile(
    r"\bowned (?:\d+%\s+)?by (?:the |their |our |its |his |her )?(?:hk|hong kong) (?:company|co|parent|sub|subsidiary)\b"
    r"|\b(?:wfoes?|jvs?) of (?:the |their |our |its )?(?:hk|hong kong)\b"
    r"|(?:系|是)?(?:佢哋|他们|我哋|我们|佢|他)?(?:的|嘅)?(?:香港|港)公司(?:全资|独资|100%)"
)


# A person said to hold shares: "my partner holds 70%", "他占60%", "我持有".
_A_PERSON_HOLDS = re.compile(
    r"\b(?:i|he|she|my (?:partner|wife|husband|brother|sister|son|daughter|father|mother|uncle|boss))"
    r"\s+(?:also\s+)?(?:holds?|owns?|has)\b"
    r"|(?:我|他|她|佢|合伙人|老板|老细|太太|老婆|先生|老公)(?:也|都|亦)?(?:占|持有|持股|有|揸)"
)
_OWNER_PERSON = re.compile(r"老板|老细|他|她|佢|\b(?:he|she|boss|owner)\b")


def percent_in(text: str) -> Fraction | None:
    """The one percentage a short answer gives ("60%", "六成", "百分之四十"), as a share."""
    folded = fold(text)
    found = [_percent_value(m) for m in _PERCENT.finditer(folded)]
    if len(found) != 1 or found[0] is None or not 0 <= found[0] <= 1:
        return None
    return found[0]


def _percent_value(match: re.Match[str]) -> Fraction | None:
    digits, chinese, tenths, half, score, one_half, whole = match.groups()
    try:
        if whole:
            return Fraction(1)
        if one_half:
            return Fraction(1, 2)
        if digits:
            return Fraction(digits) / 100
        if tenths:  # "七成" 70%, "兩成半" 25%
            value = Fraction(int(tenths) if tenths.isdigit() else _CN_DIGITS[tenths], 10)
            return value + (Fraction(1, 20) if half else 0)
        if score:  # "百分之廿九": 廿 20, 卅 30
            base = 20 if score[0] == "廿" else 30
            return Fraction(base + (_CN_DIGITS[score[1]] if len(score) > 1 else 0), 100)
        return Fraction(int(cn2an.cn2an(chinese, "smart")), 100)
    except (ValueError, KeyError):
        return None


def _person_in_hk_company(reading: Reading, folded: str, turn: int) -> None:
    """A person's share of the Hong Kong company, said or asked about, is link 1(d): the
    words "香港公司" in it do not make the Hong Kong company the factory's owner."""
    said = bool(reading.of("share_hk_company") or reading.of("share_other_holder"))
    # "需要持股多少" alone: asked of the link 1(d) just talked about, no company named
    needed = bool(_SHARE_NEEDED.search(folded)) and (
        bool(_HK_COMPANY.search(folded)) or len(folded) <= 16
    )
    if needed:
        reading.asks -= {"estimate", "caps"}  # "how much must he hold?": no money
        reading.asks.add("share_needed")
    if not (said or needed) or _COMPANY_HOLDS.search(folded) or _LINK.search(folded):
        return
    if _hk_owns_factory(folded):
        return  # "…佢100%擁有，間廠係香港公司獨資": the company's own factory, link 1(b)
    if (
        not _PERSON_IN_HK_COMPANY.search(folded)
        and not needed
        and not _HK_COMPANY_IS_A_PERSONS.search(folded)
    ):
        return
    for i, fact in enumerate(reading.facts):
        if fact.kind == "ownership" and fact.value == "hk" and fact.polarity == STATED:
            reading.facts[i] = Fact("ownership", "hk_resident", STATED, turn, fact.quote)
            reading.resident_inferred = True  # from the shares, not from residency said


def _non_resident_owner(reading: Reading, folded: str, turn: int) -> None:
    """ "我是深圳人，不是香港居民，我在东莞的厂占100%": the speaker, no Hong Kong resident,
    owns the enterprise; all of it is a Mainland-owned factory (a processing contract is
    still asked by the verdict's links), part of it leaves the other holders to ask."""
    denied = any(
        f.kind == "ownership" and f.value == "hk_resident" and f.polarity == DENIED
        for f in reading.facts
    )
    shares = reading.of("share_mainland")
    if not denied or not shares or _HK_COMPANY.search(folded) or len(reading.of("ownership")) > 1:
        return
    owner = "mainland" if Fraction(shares[-1].value) == 1 else "unclear"
    reading.facts = [f for f in reading.facts if f.kind != "share_mainland"]
    reading.facts.append(Fact("ownership", owner, STATED, turn, shares[-1].quote))


# "我冇內地公司股份", "I don't hold any shares in the mainland company": a share of none
_NO_SHARES = re.compile(
    r"(?:冇|没有|无|唔持有|不持有|冇持有|没持有|一股都冇|一股都没有)(?:任何)?"
    r"(?P<cn>[^，。,.;；]{0,10}?)(?:嘅|的)?(?:股份|股权|股票|股)"
    r"|\b(?:i|he|she)?\s*(?:don'?t|doesn'?t|do not|does not)\s+(?:hold|own|have)\s+any\s+"
    r"(?:shares?|stake|equity)(?P<en>\s+(?:in|of)\s+[^,.;]{0,30})?"
    r"|\b(?:hold|holds|own|owns|have|has)\s+no\s+(?:shares?|stake|equity)(?P<en2>\s+(?:in|of)\s+[^,.;]{0,30})?"
    # "佢冇份", "她没有份": no part of the company just named
    r"|(?:冇|没有|无)(?:任何)?(?P<part>份|股)(?![a-z\u4e00-\u9fff])"
    # "mum holds all of the HK company, I hold none": none of the company just named
    r"|\b(?:i|he|she)\s+(?:hold|holds|own|owns|have|has)\s+(?P<none>none|nothing)\b"
)
# "in it", "of it": the company named before in the message
_NAMED_BEFORE = re.compile(r"^\s*(?:in|of)\s+(?:it|them|that)\b")


def _no_shares(reading: Reading, folded: str, turn: int) -> None:
    """A share of none said of a named company: 0% of it, for link 1(d); the company
    named in it is no owner ("內地公司" there says nothing of who owns the factory)."""
    for match in _NO_SHARES.finditer(folded):
        named = match.group("cn") or match.group("en") or match.group("en2") or ""
        before = folded[: match.start()]
        if not named.strip() and (
            _COMPANY_THEN_PERSON.search(before) or _PERSON_IN_COMPANY.search(before)
        ):
            # "香港公司我冇股份": the company named before the person who holds none of it
            named = _last_company_named(before) or named
        if _NAMED_BEFORE.match(named) or match.group("part") or match.group("none"):
            # "I own the HK company 100%, she has no shares in it": that company, when a
            # person holds none of it ("the HK company holds no shares in it" is no share)
            if _person_holding(folded, match.start(), 0) is None:
                continue
            named = _last_company_named(folded[: match.start()]) or named
        if _HK_COMPANY.search(named):
            kind = "share_hk_company"
        elif _MAINLAND_COMPANY.search(named):
            kind = "share_mainland"
        else:
            continue
        who = _person_holding(folded, match.start(), 0)
        said = [h for k, _, h in reading.share_holders if k == kind]
        if said and (who is None or who in said):
            continue  # "我佔香港公司六成，冇其他股份": the share said is that person's
        # "我冇香港公司嘅股份" denies no Hong Kong company, only the speaker's shares in it
        reading.facts = [
            f
            for f in reading.facts
            if not (
                f.kind == "ownership"
                and f.value in ("mainland", "hk")
                and f.polarity == (STATED if f.value == "mainland" else DENIED)
            )
            and not (f.kind == "hk_company" and f.value == "none")
        ]
        reading.facts.append(Fact(kind, "0", STATED, turn, match.group(0)))
        reading.share_holders.append((kind, "0", who))
        return


# "我阿哥喺我間香港公司冇股份": a person, then "in" the company they hold none of
_PERSON_IN_COMPANY = re.compile(
    r"(?:喺|在|於|于)\s*(?:我|我哋|我们|佢|他|她)?\s*(?:間|间|嘅|的|家|個|个)?"
    r"[^，。,.;；]{0,8}公司\s*(?:度|裏|里|入面|里面)?\s*(?:都|也|就)?$"
)
# "香港公司我…", "内地公司佢…": a company, then the person it is said of
_COMPANY_THEN_PERSON = re.compile(
    r"公司\s*(?:(?:𠮶|嗰)边|那边|方面)?\s*(?:我|佢|他|她|我哋|我们)\s*(?:都|也|就)?$"
)


def _last_company_named(text: str) -> str | None:
    """The last company named in `text`: its words, for "in it" and "佢冇份"."""
    found = [(m.start(), m.group(0)) for m in _HK_COMPANY.finditer(text)]
    found += [(m.start(), m.group(0)) for m in _MAINLAND_COMPANY.finditer(text)]
    return max(found)[1] if found else None


_CJK_END = re.compile(r"[\u4e00-\u9fff]\s*$")


_MY_COMPANY_AFTER = re.compile(r"(?:my|our)\s+(?:own\s+)?(?:company|co|firm)\b")
_MY_COMPANY_LEAD = re.compile(
    r"(?:我|我哋|我们)(?:自己)?(?:间|的|嘅|家)?公司\s*(?:嘅|的)?\s*(?:佢|他|她)?\s*(?:佔|占|有|持有|持股)?\s*$"
)
_THE_FACTORY_TOO = re.compile(r"\b(?:of|in) (?:the|his|her|our|my|that) (?:factory|plant)\b|(?:间|个|家)厂")


def _share_target(folded: str, start: int, end: int) -> str | None:
    """Whose shares a percentage is: "30% of the HK company", "香港公司我佔100%", or the
    clause before ("我喺香港有間公司，我只佔20%")."""
    # "60% of the factory and 40% of a HK company": up to the next figure or clause
    after = re.match(r"\s*(?:of|in)\s+([^0-9,;，。]{0,30})", folded[end:])
    # not past a sentence's end: "55% of it personally. My HK company is…"
    places = [re.split(r"[.!?](?:\s|$)", after.group(1))[0]] if after else []
    clause = _clause(folded, (start, end))
    # "持有梅州間廠80%同香港公司50%": in Chinese the company comes right before its figure,
    # so first the words since the figure before it in the clause
    lead_from = max(
        [m.end() for m in _CLAUSE_END.finditer(folded, 0, start)]
        + [m.end() for m in _PERCENT.finditer(folded, 0, start) if m.end() <= start],
        default=0,
    )
    lead = folded[lead_from:start]
    if _CJK_END.search(lead):
        places.append(lead)
    if not (after and re.match(r"(?:it|them)\b", after.group(1))):  # "51% of it": said before
        places.append(clause)
    else:  # "with 80% of it and 25% of his HK company": only what comes before "it"
        places.append(clause[: max(0, clause.find(folded[start:end]))])
    # then the clauses before it, nearest first ("係內地公司，我係香港居民，佔七成股份")
    before = folded[: max(0, folded.find(clause))]
    places += reversed([c for c in _CLAUSE_END.split(before) if c and c.strip()])
    named_mine = (after and _MY_COMPANY_AFTER.match(after.group(1))) or _MY_COMPANY_LEAD.search(lead)
    if named_mine and _THE_FACTORY_TOO.search(folded):
        # "50% of the factory and 40% of my company": "my company" beside the factory is
        # the Hong Kong company the speaker applies with
        return "share_hk_company"
    for text in places:
        if _HK_COMPANY.search(text) or _HK_SHARES.search(text):
            return "share_hk_company"
        if _MAINLAND_COMPANY.search(text) or _mainland_place_company(text):
            return "share_mainland"
    if after and re.match(r"(?:it|them)\b", after.group(1)):
        # "What if a Hong Kong resident holds 60% of it and 20% of our HK company?": "it"
        # is the factory talked about (the Hong Kong company is named as such)
        return "share_mainland"
    return None


def _mainland_place_company(text: str) -> bool:
    """ "東莞公司", "珠海嗰間公司", "a company in Qingyuan": a company named by its mainland
    city, the enterprise."""
    for pattern in _PLACE_COMPANY:
        named = pattern.search(text)
        if named is None:
            continue
        found = places.find_place(named.group(1))
        if found and found.place:
            return not found.place.in_hong_kong
    return False


_PLACE_COMPANY = (
    re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:(?:嗰|𠮶)间|那间|间|的)?公司"),
    # "在中山古镇有家灯饰公司": a company the place has
    re.compile(
        r"(?:在|喺|于)([\u4e00-\u9fff]{2,6}?)(?:有|开咗|开了|开)(?:一)?(?:家|间|个)"
        r"[\u4e00-\u9fff]{0,6}?(?:公司|企业)"
    ),
    re.compile(r"\b([a-z]+(?: [a-z]+)?) (?:company|co|firm|enterprise)\b"),
    re.compile(r"\b(?:company|co|firm|enterprise) (?:based |registered )?in ([a-z]+(?: [a-z]+)?)"),
)


# "he buys 11% more of the mainland company": the figure added, said before "more"
_MORE_AFTER = re.compile(r"\s*(?:more|extra|additional)\b(?! or less)")
# A share added to the one held: "buys another 5%", "再買多5%", "增持10%".
# Shares passed to someone, said after the figure: "40%转给我", "三成香港公司股份俾佢",
# "15% of the HK company to me"
_TRANSFERRED_TO = re.compile(
    r"\s*(?:的|嘅)?(?:间|家|个)?(?:香港公司|内地公司|内地企业|公司|厂|工厂)?(?:的|嘅)?(?:股份|股权)?\s*"
    rf"(?:转|过|让|转让|过户|送)?(?:给|俾|畀|比|予)\s*(?:(?P<cn>我|佢|他|她)(?:个|嘅|的)?\s*"
    rf"(?P<kin>{_RELATIVES_CJK}|合伙人|拍档|partner|股东)?"
    # "俾個仔", "送俾個partner": a relative named without "my"
    rf"|(?P<kin2>{_RELATIVES_CJK}|合伙人|拍档|partner|股东))"
    r"|\s*(?:of [^,.;?]{0,30}?)?\s*(?:over )?to (?P<en>me|him|her|(?:my|his|her|our|their) (?:brother|sister|son"
    r"|daughter|wife|husband|partner|father|mother|dad|mum|mom|cousin|uncle|aunt|friend|nephew|niece"
    r"|son-in-law|daughter-in-law|business partner))\b"
)
# The speaker as the one who gives shares away: "I transfer", "我將…轉俾佢", "我把…给他"
_GIVER_SELF = re.compile(
    r"(?:\bi\b|我)\s*(?:(?:will|would|could|'d|'ll|have|had|already|instead|also|then|just|now|later"
    r"|actually)\s*|要|想|再|打算|已经|已|都|就|又)*\s*"
    r"(?:transfer|give|gave|sell|sold|move|pass|转|过户|让|卖|将|把|送)"
)
# Another person as the one who gives shares away: "如果佢轉5%香港公司股份俾我", "he gives
# 20% of the mainland company to me"
_GIVER_THIRD = re.compile(
    rf"(?:佢|他|她|老板|老细|{_RELATIVES_CJK}|\bhe\b|\bshe\b|\b(?:the|my|our|his|her) (?:boss|owner)\b"
    r"|\b(?:my|his|her) (?:father|dad|mother|mum|mom|husband|wife|brother"
    r"|sister|partner|son|daughter|uncle|aunt)\b)\s*(?:(?:will|would|could|'d|'ll|instead|also|then|just"
    r"|is going to|'s going to|are going to|plans to|wants to|is planning to)\s*"
    r"|要|想|再|打算|已经|将|把|又)*\s*(?:transfer(?:s|red)?|gives?|gave|sells?|sold|moves?|moved|pass(?:es|ed)?"
    r"|转|过户|让|卖|将|把|送)"
)
# Shares given away said after the figure: "把惠州公司30%转给一个内地投资者"
_GIVEN_AWAY_AFTER = re.compile(r"\s*(?:的)?(?:股份|股权)?\s*(?:转|卖|送|让)(?:给|俾|畀|予)")
# The share held now, said after a sale: "I sold some, now I own 30%", "而家持有30%"
_NOW_HELD = re.compile(r"\bnow\b|\bleft\b|\bstill\b|而家|现在|目前|剩|仍然|依然")
# What a figure after a sale is of, when it is no stake: "70% of our products", "一半存货"
_SOLD_GOODS_AFTER = re.compile(
    r"\s*(?:of\s+(?:our|the|my|their)\s+)?(?:products?|goods|stock|output|orders?|sales)\b"
    r"|\s*(?:的|嘅)?(?:产品|货|存货|订单|产量|营业额)"
)


def _sold_before(folded: str, start: int, end: int) -> re.Match[str] | None:
    """A sale said right before the figure at start:end ("what if I sell 20% of…"), not
    one before a share held now ("I sold some, now I own 30%") nor goods sold ("we sell
    70% of our products")."""
    found = None
    for match in _SHARE_LESS.finditer(folded, max(0, start - 24), start):
        found = match
    if found is None or _NOW_HELD.search(folded[found.end() : start]):
        return None
    if _SOLD_GOODS_AFTER.match(folded, end):
        return None
    return found


# The share left after a sale: "down to 45%", "減到45%"
_DOWN_TO = re.compile(r"\b(?:down|drop(?:s|ped)?|reduced?|cut|diluted?)\s+to\s*$|(?:降|减|跌|稀释|摊薄)(?:到|至|咗到)\s*$")
# Shares sold or given away with no one named to receive them, said before the figure:
# "what if I sell 20% of the mainland company?", "賣咗內地公司兩成", "減持10%"
_SHARE_LESS = re.compile(
    r"\b(?:sell|sells|sold|selling|give away|gives away|gave away|giving away|give up|gives up"
    r"|dilute|dilutes|diluted|diluting|dilution"
    r"|offload|offloads|dispose of|disposes of|transfer out|reduce (?:it |my stake |his stake |my shares? )?by"
    r"|cut (?:it |my stake )?by)\b(?:\s+(?:another|off|only|just))?"
    r"|(?<!外)(?<!买)(?:卖|出售|转让|转出|减持|让出|沽|稀释|摊薄)(?!去|得)(?:出|掉|咗|了)?"
)
_TRANSFER_VERB = re.compile(
    r"转|过户|让|俾|畀|给|送|\btransfer(?:s|red|ring)?\b|\bg(?:ive|ives|ave|iven|iving)\b"
    r"|\bpass(?:es|ed)?\b|\bmov(?:e|es|ed)\b"
)
_BUYS_MORE = re.compile(r"买多|再买|买入|增持|加持|\bbuys?\b|\bbought\b|\bpurchas\w*|\bincreas\w*")
_BOUGHT_BEFORE = re.compile(
    r"(?:买|收购|购入|入股|继承)(?:咗|了)?(?:嘅|的)?(?:系|是)?\s*$"
    r"|\b(?:buys?|bought|buying|inherits?|inherited|inheriting)\s+(?:only\s+|just\s+)?$"
)
# "变成51%", "making it 35%", "so I'd have 35%": the share after a change, said as such
_RESULTING_SHARE = re.compile(
    r"(?:变成|变为|成为|达到|升到|加到)\s*(?=\d|[一二三四五六七八九十百半])"
    r"|\b(?:making it|to get to|to reach|so i(?:'d| would)? (?:have|hold))\s+(?=\d)"
)
# A link said, then doubted: "…a joint venture, but maybe just a cooperation agreement"
_LINK_IN_DOUBT = re.compile(
    r"\b(?:but|or) maybe (?:it'?s |its |it is )?(?:just |only )?(?:a |an )?\w+"
    r"|(?:定系|还是|或者)(?:只系|只是|净系)?\S{0,8}(?:合作|协议|合同|合约|加工|合资|独资)\S{0,6}(?:唔肯定|不肯定|不确定|唔知|不知道|记不清)"
)
# The factory let to another firm that runs it: "leased the factory … to another company"
_LEASED_OUT = re.compile(
    r"\b(?:leased|leases|rented|rents|let|sublet)\s+(?:out\s+)?(?:the |our |its )?(?:factory|plant|building|premises|production line)"
    r"[^.?!]{0,60}\bto (?:another|a|an|some) (?:\w+ )?(?:company|firm|operator)\b"
    r"|(?:厂|工厂|厂房|生产线)\S{0,6}(?:租|出租|租咗|租了)(?:俾|畀|给)\S{0,10}(?:公司|老板|人)\S{0,6}(?:经营|做|营运|运作)"
)
# Shares of a holder who has died: "passed away", "probate", "the estate", "遗产"
_ESTATE = re.compile(
    r"\b(?:passed away|deceased|probate|the estate|his estate|her estate)\b"
    r"|\b(?:father|mother|dad|mum|mom|husband|wife|owner|boss|he|she) died\b"
    r"|去世|过世|过身|离世|遗产|遗嘱"
)
# Another's purchase and its result in one breath: "if he buys 3% more, making 58%"
_OTHERS_BUY_AND_RESULT = re.compile(
    r"\b(?:he|she|they|dad|mum|mom|my \w+)\s+(?:buys?|bought|gets?)\s+(?:another\s+)?\d+(?:\.\d+)?\s*%\s*(?:more\b)?"
    r"[^.?!]{0,12}\b(?:making|to get|to reach)\b"
    r"|(?:佢|他|她)(?:再)?(?:买|收|攞)(?:多)?\d+(?:\.\d+)?\s*%[^。？?]{0,8}(?:变成|变为|达到)"
)
_CANT_REMEMBER = re.compile(
    r"记不清|唔记得|不记得|不确定|唔肯定|\bnot sure\b|\bcan'?t remember\b|\bdon'?t remember\b|忘记|忘了"
)
_EITHER_SHARE = re.compile(
    r"(?<![0-9.])[0-9]{1,3}(?:\.[0-9]+)?\s?%?\s?(?:还是|定系|定|或者|或|\bor\b|/)\s?[0-9]{1,3}(?:\.[0-9]+)?\s?%"
    r"(?=.{0,16}?(?:记不清|唔记得|不记得|不确定|唔肯定|not sure|can'?t remember|don'?t remember|忘记|忘了))"
)
_COMES_TO_ME = re.compile(
    r"\bfrom (?:her|him|them|(?:my|his|her) \w+) to me\b|\b(?:she|he|they) (?:would |will )?"
    r"(?:gives?|transfers?|passes?|sells?) me\b|\b(?:give|transfer|pass|sell)s? (?:it |them )?to me\b"
    r"|(?:佢|他|她)\S{0,6}(?:转|转让|卖|送)\S{0,6}(?:俾|畀|给)我"
)
_BUYS_FROM_ANOTHER = re.compile(
    rf"从(?:他|她|佢|我)?(?:的)?(?:{_RELATIVES_CJK}|合伙人|拍档|股东|partner)(?:那里|那边|嗰度|度|处)?(?:再)?(?:买|收|购)"
    r"|\bfrom (?:his|her|my|their|the) (?:wife|husband|partner|brother|sister|father|mother|dad|mum|mom|son|daughter"
    r"|cousin|uncle|aunt|co-?owner|shareholder)\b"
)
_GIVER_SELF_WORD = re.compile(r"^\s*(?:如果|假如|咁|那)?\s*我|\bi\b")
_I_BUY_FROM = re.compile(r"(?:我|我哋|我们)\s*(?:再|多)?(?:买|收|接)(?:多)?(?:佢|他|她)|\bi (?:buy|bought|take)\b")
_SHARE_MORE = re.compile(
    r"\b(?:another|more|additional|extra|a further|further)\s*$"
    r"|(?:再|多|增持|加多|加|追加)(?:买|买多|入|持)?\s*(?:多)?\s*$"
    # "如果我買多佢2%呢？", "我再收佢2%": more bought from the other holder
    r"|(?:买多|再买|收多|再收|多买)(?:佢|他|她|佢哋|他们)?(?:嘅|的)?\s*$"
    # "佢繼承多咗20%", "inherits 20% more", "buys back 2%": shares that come to the holder
    r"|继承(?:咗|了)?(?:多咗|多了|多)?\s*$|(?:买返|买回|回购)(?:咗|了)?\s*$"
    r"|\b(?:inherits?|inherited|inheriting|buys? back|bought back|buying back)\s+(?:another\s+)?$"
)


# Someone other than the resident holding shares: a relative, a partner, a friend.
_OTHER_HOLDER = re.compile(
    r"\b(?:my|his|her|our|the boss's)\s+(?:wife|husband|spouse|partner|brother|sister|father"
    r"|dad|mother|mum|mom|son|daughter|cousin|uncle|aunt|friend|relative|family|in-laws?)\b"
    rf"|{_RELATIVES_CJK}|合伙人|拍档"
    r"|\b(?:my|his|her|our)\s+(?:uncle|auntie|nephew|niece|grandfather|grandmother|father-in-law"
    r"|mother-in-law|brother-in-law|sister-in-law)\b"
)
# A third person named as a holder who is not a relative of someone: "他占25%" (not "他太太")
_PRONOUN_HOLDER = re.compile(
    r"(?:佢|他|她)(?!哋|们|老婆|太太|老公|丈夫|妻子|爱人|爸|妈|哥|弟|家姐|姐|妹|个仔|个女|儿|女儿)"
    r"|老板|老细|\b(?:he|she|the boss|the owner)\b"
)
# "我哋香港公司係我一個人嘅", "the HK company is all mine": the speaker holds the HK company.
_SELF_HOLDS_HK_COMPANY = re.compile(
    r"(?:系|是)我(?:一个人|自己|独资)?(?:嘅|的)|\ball mine\b|\bi own (?:all|100%) of (?:our|the|my) (?:hk|hong kong)"
)
# The speaker as a share's holder: "I hold", "我佔" (not "我老婆", "我哋").
_SELF_HOLDER = re.compile(
    # "阿爸喺我間公司有兩成": "my company" is whose company, not who holds the share
    r"\bi\b|我(?!(?:间|嘅|的)?(?:公司|厂|工厂))(?!哋|们|地|老婆|太太|老公|丈夫|妻子|爱人|爸|妈|哥|弟|家姐|姐|妹|个仔|个女|儿|女儿"
    r"|阿|叔|伯|舅|姑|姨|表|堂|外|岳|爷|嫲|侄|朋友|亲戚|合伙人|拍档|老板|老细|老总|上司|boss)"
)


# "我佔六成，佢佔四成", "I hold 60% and my mainland friend holds 40%": the speaker's
# share and another person's, of one enterprise (a relative or friend, 佢, he, she)
_ANOTHER_PERSON = re.compile(
    _PRONOUN_HOLDER.pattern
    + rf"|{_RELATIVES_CJK}|合伙人|拍档|伙伴"
    + r"|\b(?:my|his|her|our)\s+(?:\w+\s+)?(?:wife|husband|partner|brother|sister|father|dad"
    r"|mother|mum|mom|son|daughter|cousin|uncle|aunt|friend|relative)\b"
)


def _own_and_anothers_share(reading: Reading, folded: str, turn: int) -> bool:
    """Two shares of one enterprise, the speaker's and another person's, in one message:
    the speaker's is the share held (of the enterprise, unless the Hong Kong company is
    named for it), the other's is another holder's, never added to it (W7, W9 link 1(d))."""
    found = list(_PERCENT.finditer(folded))
    if len(found) != 2:
        return False
    whose, previous_end = [], 0
    for match in found:
        whose.append(_holder(folded, match.start(), previous_end, _ANOTHER_PERSON))
        previous_end = match.end()
    if sorted(w or "" for w in whose) != ["other", "self"]:
        return False
    targets = {_share_target(folded, m.start(), m.end()) for m in found}
    if "share_hk_company" in targets or not all(
        _SHARE_WORDS.search(_clause(folded, m.span())) for m in found
    ):
        return False  # "我佔香港公司六成，佢佔內地廠四成": each company's own, read below
    for match, who in zip(found, whose, strict=True):
        value = _percent_value(match)
        if value is None or not 0 <= value <= 1:
            return False
        kind = "share_mainland" if who == "self" else "share_other_holder"
        reading.facts.append(Fact(kind, str(value), STATED, turn, match.group(0)))
        if who == "self":
            reading.share_holders.append((kind, str(value), "self"))
    return True


# "我間公司", "我们的香港公司": the speaker's company, said after the person who holds
_MY_COMPANY_WORD = re.compile(
    r"(?<=[喺在於于])\s*我(?:哋|们)?(?:間|间|嘅|的|个|個|家)(?=[^，。,.;；]{0,6}公司)"
)


def _holder(
    folded: str, start: int, previous_end: int, others: re.Pattern[str] | None = None
) -> str | None:
    """Who holds the share at `start`, by the last holder named before it in its clause
    (after any share before it): "other" ("my wife owns 70%"; one of `others`, relatives
    by default), "self" ("so I hold 60%", after "I bought my wife's shares"), or None."""
    cut = previous_end
    for match in _CLAUSE_END.finditer(folded, 0, start):
        cut = max(cut, match.end())
    # "我阿哥喺我間香港公司…": "my" of a company names no holder
    segment = _MY_COMPANY_WORD.sub(lambda m: " " * len(m.group()), folded[cut:start])
    other = [m.start() for m in (others or _OTHER_HOLDER).finditer(segment)]
    own = [m.start() for m in _SELF_HOLDER.finditer(segment)]
    if not other and not own:
        return None
    return "other" if max(other, default=-1) > max(own, default=-1) else "self"


# Someone other than the speaker named as a holder or as the resident: a relative, a
# partner, "佢", "he", the boss.
_THIRD_PERSON = re.compile(
    _OTHER_HOLDER.pattern + r"|佢|他|她|老板|老细|大股东|\b(?:he|she|the boss|the owner|him|her)\b"
    # "mum holds all of the HK company": a relative named without "my"
    r"|^\s*(?:mum|mom|mother|dad|father|wife|husband)\b"
)


# The holder said right after a share: "60% owned by my wife", "100%係我嘅", "60%由佢持有".
_HOLDER_AFTER = re.compile(
    r"\s*(?:of (?:it|the \w+(?: \w+)?)\s+)?(?:is\s+|are\s+)?(?:(?:owned|held)\s+)?by\s+(?P<en>\w+(?:\s+\w+)?)"
    # "香港公司100%由我妈妈持有": a relative named after the share (before a bare 我)
    rf"|\s*(?:股份|股权)?\s*(?:系|是|由|归)\s*(?P<cn>我?(?:{_RELATIVES_CJK})"
    r"|我(?:老婆|太太|老公|丈夫|妻子|爱人)?|佢|他|她|\w{0,3}?(?:老婆|太太|老公|丈夫|妻子))"
)


def _bare_relative(word: str) -> str:
    return re.sub(r"^(?:my|his|her|our|the boss's)\s+", "", word)


def _resident_relative(folded: str, spans: list[tuple[str, int, int]]) -> str | None:
    """The relative said to be the Hong Kong resident ("my father … he is a Hong Kong
    permanent resident", "我爸爸係香港居民"), without "my"; None when none is, or several."""
    found = set()
    for name, start, _end in spans:
        if name != "owner.hk_resident":
            continue
        sentence_from = max([0] + [m.end() for m in re.finditer(r"[.。!?！？]\s", folded[:start])])
        before = list(_OTHER_HOLDER.finditer(folded[max(sentence_from, start - 80) : start]))
        if before:
            found.add(_bare_relative(before[-1].group()))
    return found.pop() if len(found) == 1 else None


resident_relative = _resident_relative  # for the case: which relative is the resident
THIRD_PERSON = _THIRD_PERSON  # for the case: someone other than the speaker named


def _share_holder_word(folded: str, start: int, end: int, previous_end: int) -> str | None:
    """The relative holding the share at ``start``: named before it in its clause ("my
    father holds 40%"), or right after it ("held 55% by my father")."""
    word = _holder_word(folded, start, previous_end)
    if word is not None:
        return word
    after = re.match(r"\s*(?:owned |held )?by (my|his|her|our) (\w+(?:-in-law)?)", folded[end:])
    if after and _OTHER_HOLDER.fullmatch(f"{after.group(1)} {after.group(2)}"):
        return after.group(2)
    return None


def _holder_word(folded: str, start: int, previous_end: int) -> str | None:
    """The relative named last before the share at ``start`` in its clause ("我老婆佔55%":
    "老婆"), without "my"; or None."""
    cut = max([previous_end] + [m.end() for m in _CLAUSE_END.finditer(folded, 0, start)])
    found = list(_OTHER_HOLDER.finditer(folded[cut:start]))
    if not found:
        return None
    return _bare_relative(found[-1].group())


def _person_holding(
    folded: str, start: int, previous_end: int, end: int | None = None
) -> str | None:
    """ "self" or "third" ("佢", "he", a relative): the last person named before the
    share at `start` in its clause (after any share before it), or, with none, the one
    said right after it ("60% owned by my wife", "100%係我嘅"); or None."""
    who = _holder(folded, start, previous_end, _THIRD_PERSON)
    if who is None and end is not None:
        after = _HOLDER_AFTER.match(folded, end)
        if after:
            named = after.group("en") or after.group("cn")
            if _THIRD_PERSON.match(named) or _OTHER_HOLDER.search(named):
                return "third"
            if re.match(r"(?:me|myself|我)$", named):
                return "self"
    return "third" if who == "other" else who


_RESIDENCE_DENIED_BEFORE = re.compile(
    r"(?:冇|没有|无|唔系|不是|并非|\bnot|\bno|\bwithout)\s*(?:拎|拿|持有|a)?\s*$"
)


def resident_named(folded: str, spans: list[tuple[str, int, int]]) -> str | None:
    """Who the Hong Kong resident is, when said: "self" ("I'm a HK resident"), "third"
    ("大股東係我老公，佢係香港人", "the boss is a HK resident"), or None (not said, or
    both: "我们俩都是香港居民")."""
    found = set()
    for name, start, end in spans:
        if name != "owner.hk_resident":
            continue
        clause = _clause(folded, (start, end))
        before = clause[: max(0, clause.find(folded[start:end]))]
        if _RESIDENCE_DENIED_BEFORE.search(before):
            continue  # "我老婆冇香港身份證": who is not a resident names no resident
        if re.search(r"都是|都系|两个都|both|we are|we're|我们俩|我哋两个", clause):
            return None
        third = [m.start() for m in _THIRD_PERSON.finditer(before)]
        own = [m.start() for m in _SELF_HOLDER.finditer(before)]
        if third or own:
            found.add("third" if max(third, default=-1) > max(own, default=-1) else "self")
    return found.pop() if len(found) == 1 else None


# Hong Kong residence denied: "没有香港身份", "唔係香港人", "she is not a HK resident"
# ("没有香港身份", "冇香港身份證": no Hong Kong identity, and "香港" there is no place)
_NOT_RESIDENT = re.compile(
    # "佢系内地人", "he is a mainlander": no Hong Kong resident
    r"(?:佢|他|她|我)(?:系|是)(?:内地|大陆|国内)人|\b(?:he|she) is (?:a )?(?:mainlander|mainland chinese)\b|"
    r"(?:冇|没有|无|唔系|不是|并非|并不是)(?:拎|拿|持有)?(?:香港)(?:永久)?(?:居民|人|身份|身分)"
    r"|\b(?:not|isn'?t|aren'?t|no longer)\s+(?:a\s+)?(?:hk|hong kong)\s+"
    r"(?:resident|permanent resident|citizen|person|id)\b"
    r"|\bno (?:hk|hong kong) (?:id|identity card|residency)\b"
    # "mainland ID only", "只有內地身份證"
    r"|\bmainland id(?: card)? only\b|\bonly (?:a |has a )?mainland id\b|只有内地身份证"
)


def resident_denied_of(folded: str) -> str | None:
    """Whose Hong Kong residence a message denies: "third" ("我老婆是深圳户口没有香港身份",
    "she is not a HK resident"), "self" ("我唔係香港人"), or None (not said, or unclear)."""
    found = set()
    for pattern in (_NOT_RESIDENT, _RESIDENCY_GIVEN_UP):
        for match in pattern.finditer(folded):
            before = _clause(folded, match.span())
            before = before[: max(0, before.find(match.group(0)))]
            third = [m.start() for m in _THIRD_PERSON.finditer(before)]
            own = [m.start() for m in _SELF_HOLDER.finditer(before)]
            if third or own:
                found.add("third" if max(third, default=-1) > max(own, default=-1) else "self")
    return found.pop() if len(found) == 1 else None


# "我太太持股另外的20%", "my wife has another 20%", "都有20%": shares beside the resident's
_ANOTHER = re.compile(
    r"另外|另一|其余|其他|剩下|剩低|余下"
    r"|\banother\b|\balso\b|\bas well\b|\bthe other\b|\bthe rest\b|\bremaining\b|都有|也有|亦有"
)
# "the other 51% is his wife, also HK resident", "佢老婆都係香港居民": the other holder a
# resident as well
_OTHER_ALSO_RESIDENT = re.compile(
    r"\b(?:also|too|as well)\b.{0,12}\b(?:hk|hong kong) (?:resident|citizen|permanent resident)"
    r"|\b(?:hk|hong kong) (?:resident|citizen|permanent resident)s?\b.{0,6}\b(?:too|as well)\b"
    r"|\bboth (?:are )?(?:hk|hong kong) (?:residents|citizens|people)\b"
    r"|(?:都|也|亦)(?:系|是)香港(?:人|居民|永久居民)"
)
# "其實…係佢老婆持有", "actually his wife holds it": a share said before, someone else's
_ACTUALLY = re.compile(r"其实|实际上|原来|\bactually\b|\bin fact\b")
# Shares put together: "so together 45%", "加埋45%", "合共".
_TOGETHER = re.compile(
    r"\b(?:together|combined|combine|in total|altogether|between us|between them|add(?:ed)? up"
    r"|pool(?:ed)?|put together|sum(?:med)?|jointly|joint holders?|joint names?)\b|共同持有|共同拥有|联名|合共持有"
    r"|加埋|加起来|合共|一共|总共|合计|两个人|两人"
)
# Several holders at once: "两夫妻", "他们", "we", "they", "as a couple"
_COUPLE_OR_GROUP = re.compile(
    r"夫妻|两公婆|两个人|两人|他们|她们|佢哋|我哋|我们|大家"
    r"|\b(?:they|we|both|as a couple|husband and wife|the two of them|the two of us"
    r"|(?:she|he) and i|me and (?:her|him)|my wife and i|my husband and i)\b"
)
# A company right before a figure, and holding after it: "香港公司100%拥有".
_COMPANY_JUST_BEFORE = re.compile(r"公司\s*$")
_HOLDS_AFTER = re.compile(r"\s*(?:拥有|持有|独资|全资|控股|揸住|揸)")
# "那如果是50%呢？", "what if it's 50%?": a bare percentage put as a what-if.
_BARE_SHARE_CUE = re.compile(
    r"如果|假如|若|咁|那|呢|\bwhat if\b|\bif\b|\bwhat about\b|\bsay\b"
    # "唔好意思打錯，係35%先啱", "sorry, typo: 35%": the share just said, corrected
    r"|打错|讲错|说错|写错|记错|搞错|弄错|不对|唔啱|更正|应该系|应该是|先啱|先对|才对|\bsorry\b|\btypo\b|\bi mean\b"
    r"|\bactually\b|\bshould be\b|\bcorrection\b|\bmeant\b"
    # "唔好意思，係31%", "佔31%": an apology before the figure, or the holding verb alone
    r"|唔好意思|不好意思|对唔住|对不起|^\s*(?:佢|他|我)?(?:占|持有|持股)"
    # "我而家加到35%喇", "I've now raised it to 35%": the share, changed
    r"|加到|增加到|提高到|升到|增持到|增持至|加至|\b(?:raised|increased|upped|bumped) (?:it |my share |his share |her share |our share )?to\b"
    # "哦唔係，係55%", "no wait, 55%": the figure before, denied
    r"|^\s*(?:哦|噢|啊|呀|\boh\b|\bah\b)?\s*[,，]?\s*(?:唔系|不是|\bno\b|\bnope\b)\s*(?:wait\b)?\s*[,，]"
)
# "持有珠海公司80%，香港公司50%": the second share named by its company, the verb before.
_COMPANY_THEN_SHARE = re.compile(
    r"(?:^|[,，、;；])\s*(?:\w{0,10})(?:公司|厂|企业|内地|大陆)(?:𠮶边|嗰边|那边|方面)?\s*"
    # "香港公司佢都係100%": the holder and "too" between the company and its figure
    r"(?:佢|他|她|我)?\s*(?:都|亦|也)?\s*"
    r"(?:占|佔|持股|持有|系|是|得|有|揸|只有|只系|只是|净系)*\s*$"
    r"|\b(?:company|enterprise|firm|factory)\s*(?:is|:)?\s*$"
)
# "owns 50% of the factory, and 60% of the HK company": the second share's clause has
# no verb of its own.
_NOT_A_STAKE_AFTER = re.compile(
    r"\s*(?:嘅|的)?\s*(?:客户|客人|客|生意|订单|营业额|销售|产品|出口|市场|员工|工人|产能|时间)"
    r"|\s*of\s+(?:our\s+|the\s+|their\s+)?(?:customers|clients|sales|orders|revenue|turnover|output"
    r"|production|exports?|business|market|staff|workers|time)\b"
)
# A share of the Hong Kong company said later in the message: "… but only 29.5% of the HK company"
_LATER_HK_SHARE = re.compile(
    r"\d{1,3}(?:\.\d+)?\s*%\s*(?:of|in)\s+(?:the|our|his|her)?\s*(?:hk|hong kong)\s+(?:company|co)\b"
    r"|(?:香港|港)公司\S{0,4}?\d{1,3}(?:\.\d+)?\s*%|\d{1,3}(?:\.\d+)?\s*%\s*(?:的|嘅)?(?:香港|港)公司"
)
# Words of a cost shared, not a company's shares: "政府資助50%", "the government pays 50%"
_COST_SHARE_WORDS = re.compile(
    r"资助|补贴|费用|成本|政府|上限|\bsubsid|\bcosts?\b|\bgovernment\b|\bgovt\b|\bpays?\b|\bcap\b|\bfunding\b"
)
_OF_A_NAMED_COMPANY = re.compile(
    r"\s*of\s+(?:the|our|his|her|their|a)?\s*(?:mainland|hk|hong kong|chinese|prc|local|joint venture"
    r"|jv|dongguan|shenzhen|[a-z]+ing)?\s*(?:company|co|firm|enterprise|ltd|limited|entity)\b"
)
_OF_A_COMPANY = re.compile(
    r"\s*(?:of|in)\s+(?:the|our|his|her|their|a)?\s*(?:[a-z]+\s+){0,2}(?:company|co|firm|factory|plant|enterprise)\b"
    # "51% mainland, 29% HK co", "60%内地，30%香港公司": the company right after the figure
    r"|\s*(?:of\s+)?(?:the\s+)?(?:mainland|hk|hong kong|内地|大陆|香港)\b"
)


# The words around a figure said alone as a follow-up: "And exactly 50%?", "what about
# 49%", "咁啱啱50%呢？", "那刚好50%呢"
_FOLLOW_ON_ONLY = re.compile(
    r"(?:\s|[?？,，.。!！]|\band\b|\bso\b|\bwhat about\b|\bhow about\b|\bwhat if\b|\bif\b"
    r"|\bexactly\b|\bjust\b|\bonly\b|\bthen\b|\binstead\b|\bit'?s\b|\bit is\b"
    r"|咁|那么|那|如果|啱啱|刚好|正好|刚刚|只有|呢|又点|又如何|嘅话|的话)*"
)


# The Hong Kong company's stake in the joint venture or the factory, said before the figure
_HK_CO_STAKE_BEFORE = re.compile(
    r"(?:香港|港)(?:注册)?(?:的|嘅)?(?:子)?公司\s*(?:占|持有|拥有|持股|揸)\s*(?:该|这|(?:嗰|𠮶)|间|个|家)?"
    r"(?:合资企业|合营企业|合资公司|合资厂|合资|内地公司|内地企业|内地厂|工厂|厂|\bjv\b)(?:的|嘅)?\s*$"
    # "现在是合资，港方占30%": the Hong Kong side's stake in the venture
    r"|(?:港方|香港方|香港(?:嗰|𠮶|那)?(?:边|方面))\s*(?:只|仅|就)?\s*(?:占|持有|持股|有|揸)\s*$"
)
_HK_CO_HOLDS_BEFORE = re.compile(
    r"\b(?:hk|hong kong)\s+(?:company|co|sub|subsidiary)\s+(?:holds|owns|has)\s+(?:a |an )?$"
    r"|(?:香港|港)(?:的|嘅)?公司\s*(?:只|就)?\s*(?:占|持有|持股|有)\s*$"
)
_OF_THE_JV_AFTER = re.compile(
    r"\s*(?:stake |share |interest )?(?:of|in)\s+(?:the|our|a|an)\s+(?:jv|joint venture|factory|plant)\b"
)


def _hk_company_stake_at(folded: str, start: int, end: int) -> bool:
    # "the HK company holds 30% of the JV", "HK company owns 49%, mainland partner 51%",
    # "佢占六成，我嘅香港公司占四成" (the partner's stake said first)
    return bool(_HK_CO_STAKE_BEFORE.search(folded[:start])) or bool(
        _HK_CO_HOLDS_BEFORE.search(folded[:start])
        and (
            _OF_THE_JV_AFTER.match(folded, end)
            or _STAKE_THEN_PARTNER.match(folded, end)
            or (_HK_CO_TAKES_BEFORE.search(folded[:start]) and _PERCENT.search(folded[:start]))
            # "是合资企业，香港公司只占20%": the company's stake in the venture said (not
            # "唔係合資", and no person's own shares said beside it)
            or (
                bool(_VENTURE_SAID.search(folded[:start]))
                and not _VENTURE_DENIED.search(folded[:start])
                and not _I_HOLD.search(folded)
            )
        )
    )


# "我嘅香港公司占四成": the company named as whose, holding a stake ("香港公司佔20%" alone is
# the resident's share of that company, said short)
_HK_CO_TAKES_BEFORE = re.compile(
    r"(?:我|我哋|我们|我地)(?:的|嘅)(?:香港|港)(?:注册)?(?:的|嘅)?公司\s*(?:只|就)?\s*(?:占|持有|持股)\s*$"
)


# "…owns 49%, mainland partner 51%": the other party's stake said next, so a venture's
_STAKE_THEN_PARTNER = re.compile(
    r"\s*[,;]?\s*(?:and |while |with )?(?:the |a |our |its )?(?:mainland |local |chinese )?"
    r"(?:partner|side|company|party)\b"
    # "香港公司佔49%，內地伙伴佔51%"
    r"|\s*[,，、;；]?\s*(?:内地|大陆|国内|中方)?(?:伙伴|合作方|合伙人|公司|方|老板|股东|企业)"
)
# All of one company's shares sold or given away, with no figure: "把香港公司的股份全部
#转给我太太", "賣晒內地公司啲股份", "what if I sell all my shares in the HK company?"
_ALL_SHARES_GIVEN = re.compile(
    r"(?P<cn_co>香港公司|港公司|内地公司|内地企业|内地厂|工厂|厂)(?:的|嘅|啲)?(?:股份|股权|股)\s*"
    r"(?:全部|所有|晒|全数)(?:都)?(?:转|卖|送|过户|让|出让)"
    r"|(?:转|卖|送|过户|让)(?:晒|哂)(?P<cn_co2>香港公司|内地公司|内地企业)(?:的|嘅|啲)?(?:股份|股权|股)"
    r"|\b(?:sell|sells|sold|transfer|transfers|give|gives|gave)\s+(?:away\s+)?all\s+(?:of\s+)?"
    r"(?:my|his|her|the)\s+(?:shares?|stake)\s+(?:in|of)\s+(?:the\s+|my\s+|his\s+|her\s+|our\s+)?"
    r"(?P<en_co>hk|hong kong|mainland|chinese|factory)\b"
)


# Half of one company's shares given away: "將深圳廠一半shares轉俾我", "gives half his
# shares in the mainland company to me"
_HALF_SHARES_GIVEN = re.compile(
    r"(?P<cn_co>香港公司|港公司|内地公司|内地企业|内地厂|工厂|厂)(?:的|嘅|啲)?\s*(?:一半|半数)\s*"
    r"(?:的|嘅)?\s*(?:股份|股权|股|shares?)?\s*(?:转|卖|送|过户|让|俾|给)"
    r"|\b(?:sell|sells|transfer|transfers|give|gives)\s+half\s+(?:of\s+)?(?:my|his|her|the)\s+"
    r"(?:shares?|stake)\s+(?:in|of)\s+(?:the\s+|my\s+|his\s+|her\s+|our\s+)?"
    r"(?P<en_co>hk|hong kong|mainland|chinese|factory)\b"
)


_HALF_SOLD = re.compile(
    r"(?:卖|转|送|让|过户)(?:咗|了|出)?\s*(?:一半|半数)(?:股份|股权|股|俾|给|畀)"
    r"|\b(?:sells?|sold|gives?|gave|transfers?)\s+(?:away\s+)?half\s+(?:of\s+)?(?:his|her|my|the|their)\s+"
    r"(?:shares?|stake)\b"
)


def _read_all_shares_given(reading: Reading, folded: str, turn: int) -> None:
    """All or half of a company's shares given away, with no figure: the giver holds
    none of it, or half of what they held (link 1(d))."""
    if any(f.kind.startswith("share_") for f in reading.facts):
        return
    for pattern, kind_suffix, value in (
        (_ALL_SHARES_GIVEN, "_less", "1"),
        (_HALF_SHARES_GIVEN, "_less_part", "1/2"),
    ):
        match = pattern.search(folded)
        if match is None:
            continue
        groups = match.groupdict()
        company = groups.get("cn_co") or groups.get("cn_co2") or groups.get("en_co")
        hk = company in ("香港公司", "港公司", "hk", "hong kong")
        kind = ("share_hk_company" if hk else "share_mainland") + kind_suffix
        before = folded[max(0, match.start() - 40) : match.end()]
        who = "third" if _GIVER_THIRD.search(before) and not _GIVER_SELF.search(before) else "self"
        reading.facts.append(Fact(kind, value, STATED, turn, match.group(0)))
        reading.share_holders.append((kind, value, who))
        return
    half = _HALF_SOLD.search(folded)
    if half is not None:
        # "如果佢賣一半俾個內地朋友呢": half of a company not named; settled with the case
        reading.facts.append(Fact("share_sold_half_unclear", "1/2", STATED, turn, half.group(0)))


# The venture's other side holding a stake, said before the figure: "内地股东占80%"
_PARTNER_TAKES_BEFORE = re.compile(
    r"(?:内地|大陆|国内|中方|本地)(?:的|嘅)?(?:股东|伙伴|合作方|合伙人|公司|企业|方|老板)\s*(?:占|持有|持股|有|揸)\s*$"
    r"|\b(?:mainland|local|chinese) (?:partner|side|shareholder|company)\s+(?:holds|owns|has)?\s*$"
)
_VENTURE_DENIED = re.compile(
    r"(?:唔系|不是|冇|没有?|并非|not (?:a )?|no )(?:一个|一间|间)?(?:合资|合营|\bjv\b|\bjoint venture\b)|合资[^,，。]{0,6}(?:冇|没)(?:搞成|成功|做成)"
)
_I_HOLD = re.compile(r"我(?:个人|自己)?(?:持有|占|揸|有)\s*\d|\bi (?:hold|own|have)\s+\d")
# A joint venture said in the message: "是合资企业", "a JV with a local company"
_VENTURE_SAID = re.compile(r"合资|合营|合作企业|\bjv\b|\bjoint venture\b|\bco-?operative\b")


def hk_company_stake(folded: str) -> bool:
    """ "香港公司佔合資企業三成": the Hong Kong company said to hold a stake in the joint
    venture or the factory (link 1(a)), whatever share."""
    return any(_hk_company_stake_at(folded, *m.span()) for m in _PERCENT.finditer(folded))


_OWNED_NO_HOLDER = re.compile(r"\s*(?:owned|held)\b(?!\s+by\b)")
_BY_THE_HK_COMPANY = re.compile(
    r"\s*(?:owned\s+|held\s+)?by (?:my|our|the) (?:hk|hong kong) (?:co|company|sub|subsidiary|entity)\b"
)


def _switch_to_the_majority_resident(reading: Reading, folded: str) -> None:
    """ "he has 49%, the other 51% is his wife, also HK resident": link 1(d) looks for one
    resident holding more than half (W7, W9), and here that is the other holder, so the
    link is checked through them; the first person's share is then another holder's."""
    if not _OTHER_ALSO_RESIDENT.search(folded):
        return
    majority = [
        f for f in reading.facts if f.kind == "share_other_holder" and Fraction(f.value) > Fraction(1, 2)
    ]
    if len(majority) != 1:
        return
    reading.facts = [
        replace(f, kind="share_mainland")
        if f is majority[0]
        else replace(f, kind="share_other_holder")
        if f.kind in ("share_mainland", "share_unclear") and Fraction(f.value) <= Fraction(1, 2)
        else f
        for f in reading.facts
    ]
    reading.resident_switched = True


def _read_shares(reading: Reading, folded: str, turn: int) -> None:
    """The shares a Hong Kong resident holds, said as percentages: link 1(d) of the
    ownership rules turns on them (W7, W9)."""
    # "51%还是49%我记不清了", "51 or 49%": neither is said; the share is asked again
    if _CANT_REMEMBER.search(folded):
        folded = _EITHER_SHARE.sub(lambda m: " " * len(m.group()), folded)
    if _own_and_anothers_share(reading, folded, turn):
        return
    result = _RESULTING_SHARE.search(folded)
    if _OTHERS_BUY_AND_RESULT.search(folded):
        # "if he buys 3% more, making 58%": another's change and its result; which share
        # it is, is not guessed
        reading.facts = [f for f in reading.facts if not f.kind.startswith("share_")]
        return
    if (
        result
        and len(_PERCENT.findall(folded)) >= 2
        # "如果…", "what if…", "那我再多买1%呢": a change supposed
        and (_WHAT_IF.search(folded) or _ENDS_WITH_NE.search(folded) or "呢" in folded)
        and _SELF_HOLDER.search(folded)
        and not _OTHER_HOLDER.search(folded)
        and not _PRONOUN_HOLDER.search(folded)
    ):
        # "那我再多买1%呢，变成51%", "buy 5% more, making it 35%": the share held after
        # the change is said; the change itself is not counted again
        match = _PERCENT.search(folded, result.end() - 1)
        value = _percent_value(match) if match else None
        if value is not None and 0 <= value <= 1:
            target = _share_target(folded, match.start(), match.end())
            kind = target if target in ("share_mainland", "share_hk_company") else "share_unclear"
            reading.facts.append(Fact(kind, str(value), STATED, turn, match.group(0)))
            return
    resident_word = _resident_relative(folded, reading.u.spans)
    holders, previous_end, previous_hold = [], 0, 0
    for match in _PERCENT.finditer(folded):
        holders.append(_holder(folded, match.start(), previous_end))
        previous_end = match.end()
    # "My wife owns 70% of it, I own 100% of our HK company": two holders, so the other's
    # share is not the resident's; a relative's share said alone may be the resident's own
    two_holders = "self" in holders or bool(_SELF_HOLDS_HK_COMPANY.search(folded))
    if "other" in holders and not two_holders:
        # "香港公司他占25%，他太太占香港公司20%": he and his wife, two holders
        previous_end = 0
        for match in _PERCENT.finditer(folded):
            if _holder(folded, match.start(), previous_end, _PRONOUN_HOLDER) == "other":
                two_holders = True
            previous_end = match.end()
    previous_end = 0
    for match in _PERCENT.finditer(folded):
        start, end = match.span()
        if _BY_THE_HK_COMPANY.match(folded, end) or (
            _OWNED_NO_HOLDER.match(folded, end) and _hk_owns_factory(folded)
        ):
            # "owned 100% by my HK company", then "a second factory … also 100% owned":
            # the company's hold, no person's share
            continue
        if _HALF_SHARES_GIVEN.search(folded) and re.match(r"一半|半数|half", match.group(0).strip()):
            continue  # "將內地公司一半股份轉俾我": half of a holding, read as such below
        each_half = bool(match.group(6))  # "一人一半": everyone's, the resident's too
        if (
            not each_half
            and not _SHARE_WORDS.search(_clause(folded, (start, end)))
            and not (
                (_OF_A_COMPANY.match(folded, end) or _COMPANY_THEN_SHARE.search(folded[:start]))
                # "内地企业50%" answering which share: short, the company named is enough
                and (_SHARE_WORDS.search(folded[:start]) or len(folded.strip()) <= 60)
            )
            # "and 51% of the mainland company but only 29.5% of the HK company": a company's
            # own shares, named, in a message of any length
            and not _OF_A_NAMED_COMPANY.match(folded, end)
            # "what if I sell 30% instead?": shares sold, whatever the word
            and not _sold_before(folded, start, end)
            and not (_BOUGHT_BEFORE.search(folded[max(0, start - 12) : start]) and _WHAT_IF.search(folded))
            and not (_COMES_TO_ME.search(folded[max(0, start - 30) : end + 30]) and _WHAT_IF.search(folded))
            # "he sells the zhongshan company down to 45%": the share left
            and not (_DOWN_TO.search(folded[max(0, start - 16) : start]) and _SHARE_LESS.search(folded[:start]))
            # "我轉咗10%間內地公司俾我細佬": shares given to someone, whatever the word
            and not (
                (given := _TRANSFERRED_TO.match(folded, end))
                and _TRANSFER_VERB.search(folded[max(0, start - 20) : given.end()])
            )
            # "佢有49%，另外51%係佢老婆嘅": the rest of the shares, another holder's
            and not (
                _SHARE_WORDS.search(folded)
                and _ANOTHER.search(_clause(folded, (start, end)))
                and _OTHER_HOLDER.search(_clause(folded, (start, end)))
            )
        ):
            if _FOLLOW_ON_ONLY.fullmatch(folded[:start] + " " + folded[end:]):
                # "And exactly 50%?", "咁啱啱50%呢？": a figure alone, leaning on the share
                # just talked about (which one is settled with the case)
                value = _percent_value(match)
                if value is not None and 0 <= value <= 1:
                    reading.facts.append(
                        Fact("share_unclear", str(value), STATED, turn, match.group(0))
                    )
            value = _percent_value(match)
            if (
                value is not None
                and 0 <= value <= 1
                and _LATER_HK_SHARE.search(folded, end)
                and not _COST_SHARE_WORDS.search(folded)
            ):
                # "and 51% but only 29.5% of the HK company": beside the Hong Kong
                # company's share, the other one a resident holds, the enterprise's
                reading.facts.append(
                    Fact("share_mainland", str(value), STATED, turn, match.group(0))
                )
                reading.share_unnamed = True
                previous_end = end
            continue  # "政府資助50%": a share of the cost, not of a company
        if _NOT_A_STAKE_AFTER.match(folded, end):
            continue  # "内地有50%的客户", "30% of our sales": customers or sales, no stake
        if _hk_company_stake_at(folded, start, end):
            # "香港公司佔合資企業三成", "the HK company holds 30% of the JV": the company's
            # stake in the joint venture, link 1(a), no person's share
            reading.hk_company_stake = True
            continue
        if reading.hk_company_stake and _PARTNER_TAKES_BEFORE.search(folded[max(0, start - 12) : start]):
            continue  # "香港公司只占20%，内地股东占80%": the venture partner's stake
        if _COMPANY_JUST_BEFORE.search(folded[:start]) and _HOLDS_AFTER.match(folded, end):
            # "是我儿子名下的香港公司100%拥有": the company's hold on the factory, no
            # person's share
            continue
        value = _percent_value(match)
        clause = _clause(folded, (start, end))
        if (
            value is not None
            and 0 <= value <= 1
            and _TOGETHER.search(clause)
            and _COUPLE_OR_GROUP.search(clause)
        ):
            # "他们两夫妻加起来有45%", "they hold 45% together": a sum of several people's
            # shares, never one resident's own (link 1(d), W7, W9)
            reading.facts.append(
                Fact("share_other_holder", str(value), STATED, turn, match.group(0))
            )
            reading.shares_summed = True
            previous_end = end
            continue
        target = _share_target(folded, start, end)
        if target is None and _OWNER_PERSON.search(_clause(folded, (start, end))):
            # "老闆係香港人，佢持股60%": the owner's stake in the enterprise talked about; a
            # Hong Kong company's shares are named as such
            target = "share_mainland"
            reading.share_unnamed = True
        actually = bool(_ACTUALLY.search(folded))
        holder = _holder(folded, start, previous_end)
        # "held 55% by my father personally (he is a Hong Kong permanent resident)", "my
        # father holds 40%": the relative said to be the resident holds the resident's shares
        residents_own = resident_word is not None and resident_word == _share_holder_word(
            folded, start, end, previous_end
        )
        previous_end = end
        if (
            value is not None
            and 0 <= value <= 1
            and not residents_own
            and _OTHER_HOLDER.search(_clause(folded, (start, end)))
            and holder != "self"
            # "他从他太太那里买多10%": bought from the relative, the buyer's own share
            and not _BUYS_FROM_ANOTHER.search(folded[max(0, start - 30) : start])
            and (
                (
                    _SHARE_MORE.search(folded[max(0, start - 24) : start])
                    # "如果我老豆買多5%": the relative's own share grows, no other holder's
                    and not _BUYS_MORE.search(folded[max(0, start - 24) : start])
                )
                or _TOGETHER.search(folded)
                or _ANOTHER.search(_clause(folded, (start, end)))
                or actually
                or (holder == "other" and two_holders)  # "我老婆佔間廠六成，香港公司係我嘅"
                # "我老板占40%，他老婆占20%": a relative's share after another holder's
                or (holder == "other" and target is not None and bool(reading.of(target)))
            )
        ):
            # "my wife holds another 20%, so together 45%": link 1(d) counts one resident's
            # own shares; another person's are not added to them (W7, W9)
            reading.facts.append(
                Fact("share_other_holder", str(value), STATED, turn, match.group(0))
            )
            if target is not None:  # kept, for "what if he buys her shares?"
                word = _holder_word(folded, start, previous_hold) or ""
                reading.facts.append(
                    Fact(
                        "others_share",
                        {"kind": target, "value": str(value), "word": _bare_relative(word)},
                        STATED,
                        turn,
                        "",
                    )
                )
            if actually:
                # "其實內地公司嗰60%係佢老婆持有", "actually his wife holds that 60%": that
                # share is not the resident's after all (named by its company, or its figure)
                withdrawn = target or f"value:{value}"
                reading.facts.append(
                    Fact("share_withdrawn", withdrawn, STATED, turn, match.group(0))
                )
            continue
        if (
            target is None
            and value is not None
            and 0 <= value <= 1
            and _sold_before(folded, start, end)
        ):
            # "and what if I sell 30% instead?": shares sold of a company not named; the
            # one the what-if before changed, resolved with the case
            reading.facts.append(Fact("share_sold_unclear", str(value), STATED, turn, match.group(0)))
            continue
        if (
            target is None
            and value is not None
            and 0 <= value <= 1
            and (
                _BOUGHT_BEFORE.search(folded[max(0, start - 12) : start])
                # "what if I transfer 25% from her to me", "佢轉5%俾我": shares that come
                # to the speaker, of the company just talked about
                or _COMES_TO_ME.search(folded[max(0, start - 30) : end + 30])
            )
            and _WHAT_IF.search(folded)
        ):
            # "咁如果我買嘅係5%咋": shares bought of a company not named, the one changed
            reading.facts.append(Fact("share_bought_unclear", str(value), STATED, turn, match.group(0)))
            continue
        if target is None and holder == "self" and value is not None and 0 <= value <= 1:
            # "I bought my wife's shares so I hold 60% now": the speaker's own share, of a
            # company not named; the share just talked about, or which one is asked
            reading.facts.append(Fact("share_unclear", str(value), STATED, turn, match.group(0)))
            continue
        if value is None or target is None or not 0 <= value <= 1:
            continue
        given_to = _TRANSFERRED_TO.match(folded, end)
        if given_to and _TRANSFER_VERB.search(folded[max(0, start - 20) : given_to.end()]):
            # "如果她把香港公司40%转给我呢", "transfers 15% of the HK company to me": shares
            # the recipient gets, added to what they hold (link 1(d) counts their own)
            recipient = given_to.group("cn") or given_to.group("en") or given_to.group("kin2")
            # "俾我細佬", "to my brother": a relative of the speaker's, not the speaker
            who = "self" if recipient in ("我", "me") and not given_to.group("kin") else "third"
            if who == "self" and _GIVER_THIRD.search(folded[max(0, start - 30) : start]):
                # "如果佢轉5%香港公司股份俾我呢？": the one giving them holds that much less
                reading.facts.append(Fact(target + "_less", str(value), STATED, turn, match.group(0)))
                reading.share_holders.append((target + "_less", str(value), "third"))
            kin_recipient = bool(
                given_to.group("kin")
                or given_to.group("kin2")
                or (given_to.group("en") and " " in given_to.group("en"))
            )
            if (
                who == "third"
                and kin_recipient
                and _GIVER_THIRD.search(folded[max(0, start - 30) : start])
                and not _GIVER_SELF.search(folded[max(0, start - 30) : start])
            ):
                # "what if he gives 35% of the hk company to our son?", "she gives 10% … to
                # my sister": the giver holds that much less; the relative given them is
                # another holder
                target += "_less"
                reading.facts = [f for f in reading.facts if f.kind != target]
                reading.facts.append(Fact(target, str(value), STATED, turn, match.group(0)))
                reading.share_holders.append((target, str(value), "third"))
                previous_hold = end
                continue
            if who == "third" and _GIVER_SELF.search(folded[max(0, start - 30) : start]):
                # "what if I transfer 15% of the factory to him?": the speaker gives them
                # away, so the speaker's own share drops by that much, and the one given
                # them holds that much more (whichever of the two is the resident counts)
                reading.facts.append(Fact(target + "_more", str(value), STATED, turn, match.group(0)))
                reading.share_holders.append((target + "_more", str(value), "third"))
                target += "_less"
                who = "self"
            else:
                target += "_more"
            reading.facts = [f for f in reading.facts if f.kind != target]
            reading.facts.append(Fact(target, str(value), STATED, turn, match.group(0)))
            reading.share_holders.append((target, str(value), who))
            previous_hold = end
            continue
        sold = _sold_before(folded, start, end) or _GIVEN_AWAY_AFTER.match(folded, end)
        if sold and _DOWN_TO.search(folded[max(0, start - 16) : start]):
            sold = None  # "sells it down to 45%": the share left, said as it is
        if sold and not _SHARE_MORE.search(folded[max(0, start - 24) : start]):
            # "what if I sell 20% of the mainland company?": the seller's share drops by it
            target += "_less"
            who = "third" if _GIVER_THIRD.search(folded[max(0, start - 30) : start]) else "self"
            reading.facts = [f for f in reading.facts if f.kind != target]
            reading.facts.append(Fact(target, str(value), STATED, turn, match.group(0)))
            reading.share_holders.append((target, str(value), who))
            previous_hold = end
            continue
        if (
            _SHARE_MORE.search(folded[max(0, start - 24) : start])
            or _MORE_AFTER.match(folded, end)
            # "咁如果我買嘅係5%咋": shares bought in a what-if, added to those held
            or (_BOUGHT_BEFORE.search(folded[max(0, start - 12) : start]) and _WHAT_IF.search(folded))
            # "他再从合伙人那里买入香港公司15%的股份": bought from another holder
            or _BUYS_FROM_ANOTHER.search(folded[max(0, start - 30) : start])
        ):
            # "what if he buys another 5%", "buys 11% more": added to the share said before
            target += "_more"
        who = None if each_half else _person_holding(folded, start, previous_hold, end)
        if target.endswith("_more") and _I_BUY_FROM.search(folded[max(0, start - 16) : start]):
            who = "self"  # "如果我買多佢2%呢？": the speaker buys them, from him
        elif target.endswith("_more") and _BUYS_FROM_ANOTHER.search(folded[max(0, start - 30) : start]):
            # "他从他太太那里买多10%", "he buys 15% from his partner": the buyer's own share
            who = "self" if _GIVER_SELF_WORD.search(folded[max(0, start - 30) : start]) else "third"
        hold_from, previous_hold = previous_hold, end
        others = [h for t, _, h in reading.share_holders if t == target and h and who and h != who]
        word = _holder_word(folded, start, hold_from) if who == "third" else None
        prior = [f for f in reading.facts if f.kind == target]
        if (
            who == "third"
            and prior
            and word is not None
            and reading.holder_words.get(target) != word
            and not target.endswith(("_more", "_less"))
        ):
            # "我老板占40%，他老婆占20%": two other people's shares of one company; the
            # larger is the one the resident's link may rest on, the other is another
            # holder's (link 1(d) counts one person's own shares, W7, W9)
            # the one named first (the boss) is the one the link is checked for; the
            # other person's share is another holder's, never the first one's
            reading.facts.append(Fact("share_other_holder", str(value), STATED, turn, match.group(0)))
            reading.facts.append(
                Fact("others_share", {"kind": target, "value": str(value)}, STATED, turn, "")
            )
            continue
        if not others:  # "香港公司佢佔兩成，我佔四成": two holders' shares, both kept
            reading.facts = [f for f in reading.facts if f.kind != target]
        reading.facts.append(Fact(target, str(value), STATED, turn, match.group(0)))
        reading.share_holders.append((target, str(value), who))
        if word:
            reading.holder_words[target] = word
    _switch_to_the_majority_resident(reading, folded)
    percents = list(_PERCENT.finditer(folded))
    if (
        len(percents) == 1
        and not any(f.kind.startswith("share_") for f in reading.facts)
        and len(folded.strip()) <= 30
        and _BARE_SHARE_CUE.search(folded)
    ):
        # "那如果是50%呢？": a share, but of which company the message does not say;
        # "咁內地公司嗰邊改做50%呢？" names it
        value = _percent_value(percents[0])
        start, end = percents[0].span()
        named = _share_target(folded, start, end)
        if value is not None and 0 <= value <= 1:
            reading.facts.append(
                Fact(named or "share_unclear", str(value), STATED, turn, percents[0].group(0))
            )
    if any(f.kind.startswith("share_") and f.kind != "share_unclear" for f in reading.facts):
        # "持有珠海公司80%": a company named by its city, whose shares are held; the
        # factory's place is not said by it; nor is Hong Kong by "my HK shares"
        hk_shares = " ".join(m.group(0) for m in _HK_SHARES.finditer(folded))
        reading.facts = [
            f
            for f in reading.facts
            if not (
                f.kind == "place"
                and (
                    re.search(rf"{re.escape(fold(f.quote))}(?:(?:嘅|的)?公司| company)", folded)
                    or (f.value == "hk" and fold(f.quote) in hk_shares)
                )
            )
        ]


# --- what is asked --------------------------------------------------------------------------

# The subsidy named with no more than a greeting and "I want to know": "你好 我想知道 补贴"
_SUBSIDY_ALONE = re.compile(
    r"(?:(?:你好|您好|哈佬|hello|hi|hey|喂)[!！,，.。\s]*)?(?:我|i)?\s*(?:想|要|want to|would like to)?\s*"
    r"(?:知道|了解|问下|问一下|问吓|查询|咨询|知|问|know|ask|learn)?\s*(?:一下|下)?\s*(?:关于|about)?\s*"
    r"(?:the\s+)?(?:补贴|补助|资助|津贴|subsid(?:y|ies)|funding|grants?)\s*(?:吖|呀|啊|呢)?\s*[?？]*"
)

# "I'm from the hotline desk", "我係熱線同事": who is asking, not a question for the number.
# A technology the company developed itself: "我哋自己公司研發", "we developed it in-house"
# A Mainland name before a school's ("华南理工大学", "广州大学城"): not Hong Kong's
_MAINLAND_BEFORE_SCHOOL = re.compile(
    r"(?:华南|华东|华中|华北|西南|西北|东北|广东|广州|深圳|东莞|佛山|中山|珠海|江门|惠州|汕头|北京|上海"
    r"|天津|南京|武汉|浙江|清华|南方|内地|大陆|国内)(?:的|嘅)?\s*$"
)
# The company itself in a joint development: "我们和华南理工合作开发", "we and SCUT"
_WE_WITH = re.compile(r"(?:我们|我哋|我地)(?:公司)?(?:和|同|与|跟)|\bwe (?:and|with)\b|\bwith us\b")
# Technology developed by firms, not institutions: "一家公司一起开发", "a startup"
_TECH_BY_COMPANY = re.compile(
    r"(?:公司|企业|初创|厂家|供应商)\S{0,8}(?:研发|开发|研制)|(?:研发|开发|研制)\S{0,3}(?:公司|企业)"
    r"|\b(?:developed|made|designed|invented|built)\b[^.?!;]{0,30}?\b(?:by|with|from)\b[^.?!;]{0,25}?"
    r"\b(?:company|companies|firm|firms|startup|start-up|supplier|vendor)\b"
    r"|\b(?:company|companies|firm|firms|startup|start-up|supplier|vendor)\b[^.?!;]{0,25}?"
    r"\b(?:developed|made|designed|invented|built)\b"
    r"|\b(?:tech|technology)\b[^.?!;]{0,12}\bfrom (?:a |an |the )?(?:\w+ ){0,3}(?:company|firm|startup|start-up|supplier|vendor)\b"
)
_TECH_BY_INSTITUTION = re.compile(
    r"大学|学院|研究院|研究所|研究中心|生产力(?:促进局|局)|理工|科大|中大|港大|城大|浸大|岭大"
    r"|\b(?:university|universities|uni|polyu|hkust|hku|cuhk|cityu|institutes?|institutions?|hkpc"
    r"|productivity council|机构"
    r"|research (?:centre|center))\b"
)
# "不是大学", "not a university": the institution denied
_INSTITUTION_DENIED = re.compile(
    r"(?:不是|唔系|并非|并不是|冇|没有)\S{0,3}(?:大学|学院|研究所|研究院)"
    r"|\bnot (?:by )?(?:a |an |the |any )?(?:university|uni|institute|institution)\b"
)
_TECH_OWN_COMPANY = re.compile(
    r"(?:我哋|我们)?(?:自己)(?:公司|厂|间厂|工厂)?\S{0,3}(?:研发|开发|研制)"
    r"|(?:我哋|我们)(?:自己)?(?:公司|厂|间厂|工厂)(?:自己)?\S{0,3}(?:研发|开发|研制)"
    r"|\b(?:developed|made|designed) (?:it |the tech |the technology |this tech )?"
    r"(?:in-house|ourselves|by ourselves|by us)\b"
    r"|\bwe (?:developed|invented|designed) (?:it|the tech|the technology)\b"
    r"|\b(?:our own|in-house) (?:technology|tech|r&d|development)\b"
)
# "our factory makes plastic toys", "我哋做塑膠玩具嘅": the user's own trade, told
_OUR_TRADE = re.compile(
    r"\b(?:we|our (?:factory|plant|company))\s+(?:make|makes|produce|produces|manufacture|manufactures|are in)\b"
    r"|我哋(?:系)?做|我们(?:是)?做|我们生产|我哋生产|我地做|本厂(?:生产|做)"
    # "做塑膠啤件嘅", "做燈飾嘅": the trade, said alone
    r"|^做\S{1,10}(?:嘅|的)\s*[?？]?$"
    # "plastic injection moulding, is that one?", "電子算唔算？": one of the eight, asked
    r"|\bis (?:that|it|this) one\b|算唔算|算不算|是不是重点|系咪重点|\bassembly\?$"
    # "we do plastic injection": the trade told (a sector asked is the FAQ's)
    r"|\bwe (?:do|are in|'re in)\b"
)
# "what happens between Jan 21 and March 31 2013?": the phase of a day, asked
_WHAT_HAPPENS_THEN = re.compile(
    r"\bwhat (?:happens|happened|is open|was open|was running)\b|发生什么|发生咩|有冇计划|有没有计划"
)
_AFTER_THE_MOVE = re.compile(
    r"(?:搬|开|成立|注册)(?:咗|了|完)(?:之后|以后|后)|\bafter (?:the |we )?mov(?:e|ing|ed)\b"
    r"|\bonce (?:we(?:'ve| have)? |it(?:'s| is| has been) )?(?:moved|set up|registered|opened)\b"
)
_WHAT_IT_TAKES = re.compile(
    r"要?点(?:样)?先得|怎(?:样|么)才(?:行|可以)|\bwhat (?:would|does) it take\b|\bhow (?:do|can) we qualify\b"
)
# Contacts asked for by a channel no source gives: "有冇微信？", "WhatsApp得唔得？"
_OTHER_CHANNEL = re.compile(r"微信|\bwechat|whatsapp")
HOTLINE_STAFF = re.compile(
    r"\b(?:i'm|i am|we're|we are|this is)\s+(?:from|with|on)\s+the\s+hotline\b|\b(?:q'?s|questions?|lookups?|calls?|callers?) from the hotline\b"
    r"|\bhotline (?:desk|staff|colleague|team|officer)s?\b|热线(?:同事|职员|组|同工)"
    # "hotline: client Jiangmen JV…", "hotline here. caller factory in 清遠": who is asking
    r"|^\s*(?:(?:hi|hello|hey)[,!.\s]+)?hotline\s*(?:here\b|:(?!\s*(?:any|is there|number|phone|what)))"
)
_NO_CONTACT = re.compile(r"(?:不用|唔使|不需要|唔需要)(?:再)?(?:联系|联络)|\bno need to contact\b")
_SHORT = 40  # folded characters: "取消", "cancel", "I want to ask something else"
# "Is Shaoguan in the PRD?", "江门算不算珠三角": whether a place is one of the nine cities
_PRD_ASKED = re.compile(
    r"(?:^|[.?!,;]\s*|\b(?:so|and|but|then|also)\s+)(?:is|are|isn't|does|do)\b[^.?!]{0,40}\b(?:in|inside|within|part of|one of|count as|belong to)"
    r"\s+(?:the\s+)?(?:nine\s+)?(?:prd|pearl river delta)\b"
    r"|(?:系咪|系唔系|是不是|是否|算唔算|算不算|属唔属|属不属|算系|算是)(?:属于|在|喺|系)?(?:珠三角|珠江三角洲)"
    r"|(?:在|喺|属于|系|是)(?:唔在|不在)?(?:珠三角|珠江三角洲)(?:内|入面|里面|范围内?)?"
    r"(?:吗|嘛|呀|啊|吖)?\s*[?？]"
    r"|(?:珠三角|珠江三角洲)(?:内|入面|里面|范围内?)?(?:吗|嘛)"
)


# "好的知道了", "ok got it, thanks": the answer taken in, and nothing else said
_ACK_ALONE = re.compile(
    r"(?:(?:好的|好|ok|okay|嗯|哦|噢|oh|ah)[,，\s]*)*"
    r"(?:知道了|知道啦|知道喇|明白了|明白晒|明白啦|明白喇|明白|了解了|了解|收到了?|got it|noted|understood|i see"
    r"|好的|好|ok|okay|嗯|哦)"
    r"(?:[,，.。!！\s]*(?:谢谢|多谢|唔该晒?|thanks|thank you))?[,，.。!！~\s]*"
)
# "龙华那个可以申请多少？", "可以申請幾多？": the subsidy to apply for, an amount
_APPLY_HOW_MUCH = re.compile(r"申请(?:得|到)?(?:几多|多少)(?!个|间|家|次|项|期)")


# Another holder's shares moved to the resident: "把太太的股份转过来", "老婆啲股份轉俾佢",
# "transfers her shares to him", "buys his wife's shares"
_SHARES_TRANSFERRED = re.compile(
    r"(?:股份|股权|股|份)\s*(?:全部|全数|都|晒)?\s*(?:转|过户|转让|转名|转晒|过)(?:晒)?(?:过来|过去|俾|给|畀|比|到|埋)"
    r"|(?:买埋|买下|收购|接手)\S{0,6}(?:股份|股权)"
    r"|\b(?:transfer|transfers|transferred|give|gives|gave|sell|sells|sold|move|moves)\b.{0,25}\bshares?\b.{0,15}\bto (?:him|her|me|the resident|my husband|my wife|her husband|his wife|my son|my daughter|my brother|my sister|my partner)\b"
    r"|\b(?:buys?|bought|takes? over|took over)\s+(?:his|her|my)\s+(?:wife|husband|spouse|partner|brother|sister)'s\s+shares?\b"
)
_WHAT_IF_DROPPED = re.compile(
    r"(?:冇|唔|不|没有|没|唔会|不会)(?:转|过户|转让)(?:住|了|啦|喇)?"
    r"|仲系我自己|还是我自己|都系我自己|依然是我"
    r"|\b(?:not|won't|didn't|don't|never) (?:going to |gonna )?(?:transfer|move|sell)(?:ring)?\b(?! (?:\w+ )?to\b)"
    r"|\bno transfer\b|\bforget (?:the|that) what.?if\b|\bstill (?:mine|hold (?:them|it) myself)\b"
    # "ok back to the real facts", "返返真實情況", "我哋自己原本嘅情況": the facts again
    r"|\bback to (?:the |our |my )?(?:real|actual|original)\b|\b(?:the |our )?real (?:facts|case|situation)\b"
    # "ok so what's the real answer for us", "咁我哋真正嘅情況呢"
    r"|\b(?:the )?(?:real|actual) answer\b|\bfor real\b|真正(?:的|嘅)(?:情况|答案)"
    r"|\bas (?:things|it) (?:really |actually )?(?:stands?|are|is)\b"
    r"|(?:返返|返去|回到|讲返|说回|講返)(?:我哋|我们)?(?:的|嘅)?(?:真实|真係|原本|实际|现实)"
    # "按我而家真實情況", "按实际情况": as things really are
    r"|(?:按|照|根据|以)(?:我|我哋|我们)?(?:而家|现在|目前)?(?:的|嘅)?(?:真实|实际|现实)(?:的|嘅)?情况"
    r"|(?:原本|原来|真实|实际)(?:的|嘅)?(?:情况|情形|资料)"
    # "返返嚟頭先", "回到刚才的问题", "back to my case": the case before the aside
    r"|(?:返返(?:嚟|来)?|返去|回到|讲返|说回|講返)(?:去)?(?:头先|刚才|之前|啱啱|正题|我(?:的|嘅)?(?:问题|情况|个案))"
    r"|\bback to (?:my|our) (?:case|question|factory)\b|\bback to (?:what i said|before)\b"
)
# The enquiry's reference asked for: "what's my reference number again?", "我個參考編號係
# 咩話？", "查询编号是多少"
_REFERENCE_ASKED = re.compile(
    r"(?:\b(?:reference|ref|case|ticket|enquiry|inquiry) (?:number|no\.?|code|id)\b|\bmy (?:reference|ref)\b)"
    r".{0,20}(?:\?|\bagain\b|\bwhat\b)"
    r"|\bwhat(?:'s| is| was) (?:my|the|our) (?:reference|ref|case number|ticket number)\b"
    r"|(?:参考|查询|个案|案件|咨询)(?:编号|号码|号)\S{0,6}(?:系|是|几多|多少|咩|乜|什么|忘|唔记得|\?|？)"
    r"|(?:唔记得|忘记|忘了)\S{0,6}(?:编号|参考号)"
)
# Whether the enquiry went: "is my enquiry sent?", "刚才那个查询发出去了吗？", "send咗未？"
_SENT_ASKED = re.compile(
    r"\b(?:is|was|has|did) (?:my|the|our) (?:enquiry|inquiry|question|message|request|form)\b.{0,20}"
    r"\b(?:sent|gone|through|received|submitted)\b"
    r"|\b(?:was|did) (?:it|that) (?:sent|go through|get sent)\b"
    r"|(?:查询|咨询|问题|留言)\S{0,6}(?:发出去|发送|送出|send|寄)(?:咗|了)(?:未|吗|没有|冇|未呀|未啊)"
    r"|(?:发出去|发送|送出|send)(?:咗|了)(?:未|吗|没有|冇)"
)
# What someone heard of the programme's end: "I heard it ended in 2025", "听说2025年结束了"
_ENDED_CLAIM = re.compile(
    r"\b(?:ended|finished|closed|stopped|over|expired)\s+(?:in|on|at)\s+(?:19|20)\d\d\b"
    r"|(?:19|20)\d\d\s*年?(?:已经|就)?(?:结束|完咗|完了|停咗|停了|截止咗|截止了|冇咗|没有了)"
)
# Whether the programme is still there on a day: "还有吗", "仲有冇", "will it still run"
_STILL_THERE = re.compile(
    r"还有吗|还有没有|还有没|还在吗|还会有|仲有冇|仲有无|仲有吗|仲有没有|仲喺度|仲会有|会唔会有|会不会有"
    r"|\bstill (?:there|running|on|open|available|going|exist)|\bwill (?:it|there) (?:still )?be\b"
    r"|\bis (?:it|there) still\b|\bany (?:programme|phase|scheme) (?:in|after)\b"
)


# The programme's own money asked about: "延展计划拨款多少", "政府拨了多少钱", "what was the
# budget?", "生产力局出多少"
_BUDGET_ASKED = re.compile(
    r"拨款|拨(?:咗|了)|预算|经费|总资助|\bbudget\b|\bfunding (?:was|is|did|for the (?:programme|extension|phase))"
    r"|\b(?:government|epd) (?:allocate|grant|put|set aside|provide)"
    r"|\bhow much did the (?:original |first |whole )?(?:programme|program|extension|scheme) (?:cost|get|have)\b"
    r"|(?:生产力局|生产力促进局|\bhkpc\b).{0,6}(?:出|俾|投入|贡献|contribut)"
)


_PERSON_ALONE = re.compile(r"人工(?:啦|呀|吖|啊|吧|先)?|human|agent|operator|live agent")


# Phases compared in general, with no one day named: "邊期最多", "比以前多定少", "which phase
# paid the most", "has the cap gone up over the years"
_PHASES_COMPARED = re.compile(
    r"(?:边|哪)(?:一)?(?:期|个阶段|阶段)[^?？。]{0,12}(?:最多|最高|最抵|最着数|最好|最大|最少|最低|多啲|多d|较多|更多)"
    r"|(?:比|同|和|跟|与)(?:以前|之前|上一期|上期|旧时|过去|往年|早几年|几年前)(?:比|相比|比较)?[^?？。]{0,10}(?:多|少|高|低|有冇分别|有没有分别|有什么分别|有咩分别|有变|变化)"
    r"|各期|每一期|每期|历年|历期|所有(?:阶段|期)"
    # "跟2014年比多了还是少了", "higher now than in 2013?": against a year named
    r"|(?:比|同|和|跟|与)\s*(?:19|20)\d\d\s*年?\s*(?:比|相比|比较)[^?？。]{0,10}(?:多|少|高|低|分别|变|一样)"
    r"|\b(?:more|less|higher|lower|bigger|smaller) (?:now )?than (?:in )?(?:19|20)\d\d\b"
    r"|\bcompared? (?:with|to) (?:in )?(?:19|20)\d\d\b"
    r"|\bwhich phase\b.{0,25}\b(?:most|highest|best|biggest|more|less|lowest)\b"
    r"|\b(?:compared?|comparison)\b.{0,20}\b(?:before|earlier|previous|past|last phase|other phases|each phase|the phases)\b"
    r"|\b(?:more|less|higher|lower|bigger|smaller) than (?:before|earlier|in the past|previously|the last phase|the previous phase)\b"
    r"|\b(?:each|every|all(?: the)?) phases?\b|\bacross (?:the )?phases\b"
)
# The same said of money only: "上限有冇加？", "資助多定少？", "has the cap gone up?" ("示範項目
# 減咗幾多VOC？" is a result, no cap)
_MONEY_COMPARED = re.compile(
    r"多(?:定|还是|或)少|多(?:了|咗)(?:定|还是)少(?:了|咗)|高(?:定|还是)低|有冇(?:加|减|升|跌)(?!埋|入|落)|有没有(?:增加|减少|提高|降低)"
    r"|\bmore or less\b"
    r"|\b(?:gone|went|go) (?:up|down)\b|\b(?:increased|decreased|changed) (?:over|since|across)\b"
)
# A difference asked: "差幾多", "多咗幾多", "how much more", "increase"
_DIFFERENCE = re.compile(
    r"差(?:几多|多少|咗几多|了多少)|(?<!减)(?:多|少|高|低|加)(?:咗|了)?(?:几多|多少)|相差|分别|差别|差异"
    r"|\bhow much (?:more|less|higher|lower|bigger|smaller)\b|\b(?:increase|decrease|difference|rise|drop)\b"
    r"|\b(?:higher|lower|more|less) than\b|\bvs\.?\b|\bversus\b|\bcompared? (?:with|to)\b|比较|对比|相比"
)
_PHASE_SPANS = {"phase.original": "2008-original", "phase.extension": "2013-extension"}
_CAP_TALK = re.compile(r"上限|资助|补贴|封顶|\bcaps?\b|\bsubsid|\bgrant|\bfunding\b|\bpay")


def _times_compared(reading: Reading, folded: str, today: date | None) -> list[str]:
    """The phases a message sets side by side, named or by their years ("延展期同第一期",
    "2014比2010", "now vs 2015"), when a difference is asked; else []."""
    listed = bool(TIMES_SIDE_BY_SIDE.search(folded)) and not YEARS_SPAN.search(folded)
    if not (_DIFFERENCE.search(folded) or listed) or not (
        _CAP_TALK.search(folded) or re.search(r"期|\bphases?\b", folded)
    ):
        return []  # "…2016年擴充過…可以減少多少排放？": no caps compared
    from bot.core.rules import load_rulebook

    book = load_rulebook()
    found: list[tuple[int, str]] = []
    for name, start, _end in reading.u.spans:
        if name in _PHASE_SPANS:
            found.append((start, _PHASE_SPANS[name]))
        elif name == "phase.current":
            now = book.phase_at(today or date.today()) or book.latest()
            found.append((start, now.id))
    for match in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d)", folded):
        year = int(match.group(1))
        begun = [p for p in book.phases if p.first_day.year == year]
        covering = [p for p in book.phases if p.first_day.year <= year <= p.last_day.year]
        chosen = begun[:1] or covering[-1:]
        if chosen:
            found.append((match.start(), chosen[0].id))
    ids: list[str] = []
    for _start, phase_id in sorted(found):
        if phase_id not in ids:
            ids.append(phase_id)
    return ids if len(ids) >= 2 else []


# The factory's own part: "自己要出", "自己俾", "自付", "our own part"
_OWN_PART = re.compile(
    r"自己(?:要|需要|总共要|一共要)?(?:出|俾|畀|付|承担|负担|支付|贴|给)|自付|自费|厂家(?:要)?(?:自己)?出"
    r"|\b(?:our|my|the factory's) (?:own )?(?:part|share|portion)\b|\bpay (?:for it )?ourselves\b"
)
def names_a_guide_topic(folded: str) -> bool:
    """ "VOC", "印染废水", "boiler": a cleaner-production topic the guides are about."""
    return bool(_GUIDE_TOPIC.search(folded))


def own_part_asked(folded: str) -> bool:
    """ "那我们自己要出多少钱", "how much do we pay ourselves?": the factory's own part."""
    return bool(_OWN_PART.search(folded))


_BUDGET_WORD = re.compile(r"拨款|预算|经费|\bbudgets?\b|\bfunding\b|\ballocation\b")
# "which phase paid the most overall?": every item, not the one talked about
_ALL_ITEMS = re.compile(r"\boverall\b|\ball (?:the )?items\b|整体|整體|全部项目|所有项目|总体")


def _read_asks(reading: Reading, folded: str, today: date | None = None) -> None:
    u = reading.u
    asks = reading.asks
    short = len(folded.strip()) <= _SHORT
    chatter = {"exit", "greeting", "ask.elliptic", "programme", "domain", "cancel.enquiry"}
    other = any(not (s in chatter or s.startswith("smalltalk.")) for s in u.signals)
    if u.has("exit") and short and not other and not reading.facts:
        asks.add("exit")
    given_up = (u.has("ask.leave") or u.has("handoff") or short) and bool(
        _NO_ENQUIRY.search(folded)
    )
    if (u.has("handoff") or _PERSON_ALONE.fullmatch(folded.strip(" .。!！?？~"))) and not given_up:
        asks.add("person")  # ("人工" alone is a call-centre request; in a sentence, wages)
    if given_up:
        asks.add("exit")  # "no I don't want to leave an enquiry", "不用联系工作人员了"
    elif u.has("ask.leave"):
        asks.add("leave")
    if u.has("privacy"):
        asks.add("privacy")
    if u.has("cancel.enquiry"):
        asks.add("cancel_enquiry")
    if u.has("ask.reply_time"):
        asks.add("reply_time")
    if _REFERENCE_ASKED.search(folded) and len(folded) <= 80:
        asks.add("reference")  # "what's my reference number again?", "我個參考編號係咩？"
    elif _SENT_ASKED.search(folded) and len(folded) <= 60:
        # "is my enquiry sent?", "刚才那个查询发出去了吗？": whether one is open, and its number
        asks.add("reference")
        reading.sent_asked = True
    if _PRD_ASKED.search(folded) and not u.amounts:
        asks.add("prd")
    if _RENEWAL_ASKED.search(folded) and not reading.contract_lapsed:
        asks.add("verdict")  # "续签以后就可以了吧？": the verdict with the contract in force
        reading.renewal_asked = True
    if _WHAT_IF_DROPPED.search(folded):
        # "其實我冇轉，仲係我自己揸住", "no, I'm not transferring them": the supposition
        # dropped, the verdict on the facts again
        asks.add("what_if_dropped")
        asks.add("verdict")
    if _SHARES_TRANSFERRED.search(folded) and not any(
        f.kind.endswith(("_less", "_more")) for f in reading.facts
    ):
        # "如果他把太太的股份转过来呢？", "what if his wife transfers her shares to him?"
        # (shares whose size is said, "全部转给我太太", are counted, not asked)
        asks.add("share_transfer")
    if reading.of("day") and _STILL_THERE.search(folded):
        # "那2028年还有吗？", "will it still be there in 2028?": the programme on that
        # day, as "can we apply then?"
        asks.add("verdict")
    if u.has("ask.apply"):
        asks.add("apply")
    if u.has("ask.pay"):
        asks.add("pay")
    if money.asks_who_pays_above_the_cap(folded):
        reading.facts = [f for f in reading.facts if f.kind != "cost"]
        return  # "咁超出嗰1萬邊個俾？": the FAQ on the part above the cap answers it
    money_words = u.has("subsidy", "cap", "estimate")
    how_much = (
        u.has("howmuch")
        and not u.has("count", "results")
        and (u.has("subsidy") or u.item is not None or bool(_APPLY_HOW_MUCH.search(folded)))
    )
    item_subsidy = (
        u.item is not None and u.has("subsidy") and not u.has("eligibility", "count", "results")
    )
    if (
        (u.has("ask.funded_items") or _FUNDED_CJK.search(folded))
        and not u.amounts
        and u.item is None
    ):
        asks.add("caps")  # "what's funded now?": the phase's items and caps
    elif u.has("cap") and not u.amounts and not u.has("estimate"):
        # "評估同核證嘅上限係幾多？", "示範項目上限幾多？": the caps, not a figure for one
        # cost (no cost asked for)
        asks.add("caps")
    elif (
        u.amounts
        and (u.item or money_words or u.has("ask.pay"))
        or u.has("estimate")
        or how_much
        or item_subsidy
    ):
        asks.add("estimate")
    elif u.has("cap") or (u.has("subsidy") and _SUBSIDY_ALONE.fullmatch(folded.strip())):
        # "你好 我想知道 补贴", "subsidy?": the subsidy itself, so what the phase pays
        asks.add("caps")
    elif u.amounts and (not u.has("howto") or _PROJECT_WORD.search(folded)):
        # "想做個VOC處理項目，大概50萬": a project's cost, though "處理" reads as "how to"
        asks.add("estimate")
    named_items = {n for n, _start, _end in u.spans if n.startswith("item.")}
    if (
        ("estimate" in asks or (not asks and reading.of("item") and _ENDS_WITH_NE.search(folded)))
        and len(named_items) > 1
        and not u.amounts
    ):
        # "示範項目同實地評估分別幾錢": two items' figures, with no cost: the caps of each
        asks.discard("estimate")
        asks.add("caps")
        reading.facts = [f for f in reading.facts if f.kind != "item"]  # neither one alone
        reading.several_items = True
    if u.has("eligibility") and not u.has("ask.apply"):
        asks.add("verdict")
        if _OFFICE_ASKED.search(folded) and not reading.of("premises"):
            asks.add("office")  # "寫字樓可唔可以申請？": offices are not what is funded
    if u.has("howmuch") and _OWN_PART.search(folded) and not asks & {"caps", "estimate"}:
        # "咁我自己要出几多？", "厂家自己要出多少": the factory's own part of the cost
        asks.add("estimate")
    reading.phases_compared = not u.amounts and (
        bool(_PHASES_COMPARED.search(folded))
        or bool(_MONEY_COMPARED.search(folded) and (u.has("cap", "subsidy") or "caps" in asks))
    )
    times = _times_compared(reading, folded, today)
    if len(times) >= 2 and not u.amounts:
        # "示範項目上限，延展期同第一期差幾多？", "2014比2010多咗幾多？": the phases of
        # those times side by side, with the difference
        reading.compared_times = times
        reading.phases_compared = True
        asks -= {"estimate", "verdict"}
        asks.add("caps")
        reading.facts = [f for f in reading.facts if f.kind not in ("phase", "day")]
    listed = days_listed(folded, today or date.today())
    if (
        len(listed) >= 2
        and "verdict" in asks
        and not reading.compared_times
        and not u.amounts
        and not _CAP_TALK.search(folded)
    ):
        reading.verdict_times = listed
        reading.facts = [f for f in reading.facts if f.kind not in ("day", "phase")]
    reading.all_items = bool(_ALL_ITEMS.search(folded))
    # "新一期同2015年嗰期比，撥款多咗定少咗？": the phases' budgets compared, not their caps
    reading.budgets_compared = (
        reading.phases_compared and bool(_BUDGET_WORD.search(folded)) and u.item is None
    )
    if reading.phases_compared and (money_words or u.item is not None or "caps" in asks):
        # "邊期資助最多？", "示範項目上限比以前多定少？", "has the cap gone up?": the caps of
        # every phase side by side, not one phase's ("和以前比多还是少？" alone: of the
        # item talked about, if any; see the answer)
        asks -= {"estimate", "verdict"}
        asks.add("caps")
        if not reading.of("day"):  # "而家比以前": now is one side of it, not the day asked of
            reading.facts = [f for f in reading.facts if not (f.kind == "phase" and f.value == "today")]
    if _BUDGET_ASKED.search(folded) and not u.amounts and u.item is None:
        # "延展计划拨款多少", "政府拨了多少钱": the programme's money, not a project's subsidy,
        # and the phase named is the budget's, not a day for the case's verdict
        asks -= {"estimate", "caps"}
        reading.facts = [f for f in reading.facts if f.kind not in ("phase", "day")]
    if "verdict" in asks and reading.of("repeat") and not u.amounts:
        # "重复评估可以吗？我们2019年做过一次": W5's rule for another assessment, asked
        asks.add("estimate")
    if (u.has("ask.funded_items") or _FUNDED_CJK.search(folded)) and "caps" in asks:
        asks.discard("verdict")  # "能申請哪些項目？": the phase's items, not a verdict
    if (
        u.has("hotline")
        and "person" not in asks
        and not HOTLINE_STAFF.search(folded)
        and not _NO_CONTACT.search(folded)  # "不用联系工作人员了": no contact wanted
    ):
        asks.add("hotline")
        reading.other_channel = bool(_OTHER_CHANNEL.search(folded))
        one_question = len([c for c in re.split(r"[?？]", folded) if c.strip()]) <= 1
        if not reading.facts and u.item is None and not u.amounts and one_question:
            # "可唔可以WhatsApp你哋？": "can I" asks of the contact, not of a factory
            # ("能申请吗？多少钱？找谁？" asks of both)
            asks.discard("verdict")
    if (
        u.has("howto")
        and not asks & {"apply", "estimate", "caps"}
        # "要點先得？": what the verdict needs, not a how-to of cleaner production
        and not (_WHAT_IT_TAKES.search(folded) and len(folded) <= 16)
        # "技术是香港理工大学研发的": the technology's origin told, no how-to asked
        and not (reading.of("tech_origin") and not folded.rstrip().endswith(("?", "？")))
        # "第二個係廢水回用，要90萬": a project's cost told, no how-to asked
        and not (reading.of("cost") and not _HOW_ASKED.search(folded))
    ):
        asks.add("guides")
    for kind in ("thanks", "bye", "complaint", "anyone", "ack"):
        if kind == "ack" and (asks or reading.facts or not _ACK_ALONE.fullmatch(folded.strip())):
            continue  # "明白了，咁評估呢？", "我想知道了解多啲": more than the answer taken in
        if kind in ("thanks", "bye") and len(folded) > 60 and (asks or reading.states_case_facts):
            continue  # a long question that ends "thanks a lot" wants its answer, not "welcome"
        if (
            kind == "thanks"
            and folded.startswith("唔该")
            and not folded.startswith(("唔该晒", "唔该哂", "唔该你"))
            and len(folded.strip(" ,，!！。.~")) > 4
        ):
            continue  # "唔該，有冇食品廠污水嘅": "excuse me", before a question
        said_alone = kind == "ack" and bool(_ACK_ALONE.fullmatch(folded.strip()))
        if u.has(f"smalltalk.{kind}") or said_alone:  # "好的", "ok 明白": an ack alone
            reading.smalltalk = reading.smalltalk or kind
    if u.has("greeting") and len(folded) <= 24 and not reading.smalltalk:
        reading.smalltalk = "greeting"
    if (
        HOTLINE_STAFF.search(folded)
        and not asks
        and not reading.facts
        and not u.amounts
        and len(folded) <= 60
    ):
        # "Hotline officer here, quick lookups please": who is asking, said first; what
        # the assistant can look up is the answer
        asks.add("help")
    if u.has("help") and len(folded) <= 40:
        asks.add("help")
    if not asks and not reading.smalltalk:
        kinds = {f.kind for f in reading.facts}
        if (
            (u.has("industry.named") or trade_named(u.text) is not None)
            and kinds <= {"premises"}
            and _OUR_TRADE.search(folded)
        ):
            # "our factory makes plastic toys": the trade told; the sectors, and the case
            asks.add("verdict")
        elif kinds == {"day"} and _WHAT_HAPPENS_THEN.search(folded):
            # "what happens between Jan 21 and March 31 2013?": that day's phase
            asks.add("verdict")
