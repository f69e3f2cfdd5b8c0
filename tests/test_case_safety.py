"""The worst defect is a wrong "eligible". Whatever order a user says things in, in any of
the three languages, with questions, amounts and small talk between, the bot never says
"eligible" (or "demonstration projects only") for a factory outside Guangdong and Hong Kong,
nor for one that is not Hong Kong-owned.

Conversations are built at random from fact types: the factory's place (written as people
write it, sometimes after a denied place: "唔喺東莞，喺廣西"), its owner, its premises and
process, a funding item and cost, questions, and noise. The facts never contradict each
other, so the right verdict is known: never an open one.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.rules import load_rulebook
from bot.core.session import Session

BOOK = load_rulebook()
DESKS = load_desks()
OPEN = {"eligible", "demonstration_only"}
DAYS = [date(2012, 6, 1), date(2014, 1, 1), date(2016, 6, 1), date(2022, 6, 1), date(2026, 11, 27)]

OUTSIDE = {
    "yue": ["我間廠喺廣西梧州", "廠房喺福建泉州", "我哋喺湖南長沙有間廠", "工廠喺澳門", "我間廠喺江西贛州"],
    "cmn": ["我们厂在广西梧州", "工厂在福建泉州", "我们在湖南长沙有个厂", "厂在海南海口", "工厂在浙江宁波"],
    "en": ["Our factory is in Wuzhou, Guangxi", "The plant is in Quanzhou, Fujian", "factory in Changsha, Hunan", "We are in Macau", "our factory is in Ningbo"],
}
DENIED_THEN_OUTSIDE = {
    "yue": ["唔係東莞，係廣西梧州", "我間廠唔喺廣東，喺廣西", "唔喺深圳，喺福建"],
    "cmn": ["不是东莞，是广西梧州", "工厂不在广东，在广西", "不在深圳，在福建厦门"],
    "en": ["not in Dongguan but in Wuzhou, Guangxi", "our factory is not in Guangdong, it is in Guangxi"],
}
GUANGDONG = {
    "yue": ["我間廠喺東莞厚街", "廠喺深圳寶安", "我哋喺惠州有間廠", "工廠喺清遠"],
    "cmn": ["我们厂在东莞", "工厂在深圳宝安", "厂在中山小榄", "工厂在汕头"],
    "en": ["our factory is in Dongguan", "factory in Shenzhen", "we are in Foshan, Shunde"],
}
HONG_KONG = {
    "yue": ["我喺觀塘有間廠", "我哋喺葵涌有個噴油工場"],
    "cmn": ["工厂在香港观塘"],
    "en": ["we have a factory in Kwun Tong", "our spray painting workshop is in Kwai Chung"],
}
NOT_HK_OWNED = {
    "yue": ["我哋係台資廠", "老闆係美國公司", "我哋係內地民企", "我哋唔係港資"],
    "cmn": ["我们是内地民营企业", "我们是台资企业", "老板是日本公司", "我们不是港资"],
    "en": ["we are owned by a US company", "it is a Taiwanese company", "we are a mainland private enterprise", "we are not Hong Kong-owned"],
}
HK_COMPANY = {
    "yue": ["但係我係香港公司嚟架喎", "我哋係香港註冊公司"],
    "cmn": ["但我们是香港公司", "我们在香港注册"],
    "en": ["but we are a Hong Kong company", "the company is registered in Hong Kong"],
}
QUESTIONS = {
    "yue": ["可唔可以申請？", "得唔得？", "示範項目40萬，資助幾多？", "評估要幾錢？", "核證要俾錢嗎", "點申請？", "多謝", "有冇人", "舊計劃呢？", "2014年呢？", "取消"],
    "cmn": ["可以申请吗？", "示范项目40万，资助多少？", "核证要钱吗", "怎么申请？", "谢谢", "有人吗", "2014年可以吗", "不用了"],
    "en": ["can we apply?", "demonstration project 400k, how much subsidy?", "what about verification?", "how do I apply?", "thanks", "anyone there?", "what about in 2014?", "cancel"],
}


def _conversation(lang: str, first_place: st.SearchStrategy[str], extras: dict[str, list[str]]) -> st.SearchStrategy[list[str]]:
    noise = st.lists(st.sampled_from(QUESTIONS[lang] + extras.get(lang, [])), max_size=6)
    return st.tuples(first_place, noise, noise).map(lambda t: [*t[1], t[0], *t[2]])


@st.composite
def outside_conversations(draw: st.DrawFn) -> tuple[date, list[str]]:
    lang = draw(st.sampled_from(["yue", "cmn", "en"]))
    place = st.sampled_from(OUTSIDE[lang] + DENIED_THEN_OUTSIDE[lang])
    lines = draw(_conversation(lang, place, HK_COMPANY))
    return draw(st.sampled_from(DAYS)), lines


@st.composite
def not_hk_owned_conversations(draw: st.DrawFn) -> tuple[date, list[str]]:
    lang = draw(st.sampled_from(["yue", "cmn", "en"]))
    place = draw(st.sampled_from(GUANGDONG[lang] + HONG_KONG[lang] + OUTSIDE[lang]))
    owner = draw(st.sampled_from(NOT_HK_OWNED[lang]))
    noise = draw(st.lists(st.sampled_from(QUESTIONS[lang]), max_size=6))
    lines = [place, owner, *noise]
    order = draw(st.permutations(range(len(lines))))
    return draw(st.sampled_from(DAYS)), [lines[i] for i in order]


def _verdicts(day: date, lines: list[str]) -> list[tuple[str, dict]]:
    dialogue = Dialogue(BOOK, DESKS, day)
    session = Session(chat_id=1)
    found = []
    for line in lines:
        for reply in dialogue.handle(session, TextIn(line)):
            if reply.eligibility:
                found.append((line, reply.eligibility))
                found += [(line, other) for other in reply.eligibility.get("others", [])]
    return found


def _open_for(verdict: dict, provinces: set[str] | None = None) -> bool:
    place = verdict.get("place") or {}
    if provinces is not None and place.get("province") not in provinces:
        return False
    return verdict["status"] in OPEN


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outside_conversations())
def test_never_eligible_outside_guangdong_and_hong_kong(case: tuple[date, list[str]]) -> None:
    day, lines = case
    for line, verdict in _verdicts(day, lines):
        place = verdict.get("place") or {}
        assert not (verdict["status"] in OPEN and place.get("province") not in ("Guangdong", "Hong Kong")), (lines, line, verdict)
        # Only places the user named can be open, and every one named here is outside.
        assert verdict["status"] not in OPEN, (lines, line, verdict)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(not_hk_owned_conversations())
def test_never_eligible_when_not_hong_kong_owned(case: tuple[date, list[str]]) -> None:
    day, lines = case
    said_owner = False
    for line, verdict in _verdicts(day, lines):
        said_owner = said_owner or any(line == owner for owners in NOT_HK_OWNED.values() for owner in owners)
        if said_owner:
            assert verdict["status"] not in OPEN, (lines, line, verdict)
