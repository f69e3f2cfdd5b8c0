"""The town a user named stays the factory's place: a yes-no question or an earlier
"used to" in a long story is no correction, Hong Kong named as the owner is no second
place, and the province said to pick one of two towns keeps the town (trial 41 c68, c31)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.case import Case
from bot.core.flows.case import merge
from bot.core.reading import read

TODAY = date(2026, 11, 29)


def places_read(text: str) -> list[tuple[str, str]]:
    return [(f.value, f.polarity) for f in read(text, today=TODAY).facts if f.kind == "place"]


@pytest.mark.parametrize(
    "text",
    [
        "我哋間廠 喺東莞 做五金 又唔知我哋啱唔啱 因為我哋其實係香港公司同大陸一間公司合資",
        "我们厂在东莞 不知道我们对不对 因为我们其实是香港公司和内地公司合资",
        "我哋間廠喺東莞 以前都有做過啲環保嘢 但係而家 我哋係香港公司同大陸一間公司合資 香港佔四成",
        "our plant is in Dongguan we used to do some green stuff but now our HK company has a JV, HK holds 40%",
    ],
)
def test_a_long_story_keeps_its_town(text: str) -> None:
    assert places_read(text) == [("cn-gd-dongguan", "stated")]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # a correction right before the next place still takes the first one back
        ("佛山，哦不对，是在中山古镇", [("cn-gd-foshan", "denied"), ("cn-gd-zhongshan-guzhen", "stated")]),
        ("used to be in Dongguan, moved to Huizhou", [("cn-gd-huizhou", "stated")]),
    ],
)
def test_a_correction_or_a_move_still_counts(text: str, places: list[tuple[str, str]]) -> None:
    assert places_read(text) == places


def _case(*messages: str) -> Case:
    case = Case()
    for text in messages:
        case.turn += 1
        merge(case, read(text, turn=case.turn, today=TODAY))
    return case


@pytest.mark.parametrize(
    ("messages", "place"),
    [
        (["We have a plant in Taishan", "the one in Guangdong"], "cn-gd-jiangmen-taishan"),
        (["我哋間廠喺台山", "廣東嗰個"], "cn-gd-jiangmen-taishan"),
        (["我们工厂在台山", "广东那个"], "cn-gd-jiangmen-taishan"),
        # another place in the province is no longer the town
        (["廠喺東莞", "如果喺廣東其他地方呢"], "cn-gd"),
        (["factory in Dongguan", "what if it were elsewhere in Guangdong?"], "cn-gd"),
    ],
)
def test_the_province_said_after_its_town(messages: list[str], place: str) -> None:
    assert _case(*messages).current("place") == place


@pytest.mark.parametrize(
    "text",
    ["he lives in Shenzhen though, not HK", "佢住喺深圳，唔係香港", "他住在深圳，不在香港"],
)
def test_living_outside_hong_kong_denies_a_resident_not_a_place(text: str) -> None:
    facts = [(f.kind, f.value, f.polarity) for f in read(text, today=TODAY).facts]
    assert facts == [("ownership", "hk_resident", "denied")]


@pytest.mark.parametrize(
    "text", ["I live in Shenzhen, the factory is not in HK but Dongguan", "我住深圳，間廠唔喺香港，喺東莞"]
)
def test_a_factory_not_in_hong_kong_is_still_a_place(text: str) -> None:
    assert places_read(text) == [("hk", "denied"), ("cn-gd-dongguan", "stated")]


KNOWN = ("cn-gd-dongguan-dalang", "cn-fj-quanzhou-jinjiang")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("晋江那个能不能用东莞的名义申请", "cn-fj-quanzhou-jinjiang"),
        ("晉江嗰間可唔可以用東莞嗰間廠個名申請", "cn-fj-quanzhou-jinjiang"),
        ("can the Jinjiang plant apply under the Dongguan plant's name?", "cn-fj-quanzhou-jinjiang"),
        ("and the Jinjiang one?", "cn-fj-quanzhou-jinjiang"),
        ("大朗嗰間呢", "cn-gd-dongguan-dalang"),
    ],
)
def test_a_factory_told_of_is_found_by_its_name(text: str, place: str) -> None:
    from bot.core import places

    known = tuple(places.get(p) for p in KNOWN)
    facts = read(text, today=TODAY, known_places=known).facts
    assert [f.value for f in facts if f.kind == "place"] == [place]


@pytest.mark.parametrize(
    "text",
    [
        "我们是香港上市公司，注册地在开曼，香港有个子公司有商业登记，子公司在东莞有外商独资企业，能申请吗",
        "我哋係開曼註冊嘅上市公司，香港有間子公司有商業登記，子公司喺東莞有外商獨資企業，得唔得",
    ],
)
def test_an_enterprise_a_subsidiary_has_there_is_the_factorys_place(text: str) -> None:
    assert ("cn-gd-dongguan", "stated") in places_read(text)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("who runs this on the Guangdong side?", []),
        ("廣東方面邊個負責？", []),
        ("广东那边是谁负责的？", []),
        # a factory over there is still its place
        ("我哋廣東嗰邊有間廠", [("cn-gd", "stated")]),
    ],
)
def test_a_side_asked_about_is_no_place(text: str, places: list[tuple[str, str]]) -> None:
    assert places_read(text) == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # (Hainan in English is also a prefecture in Qinghai: a choice, both outside)
        ("Is Hainan part of Guangdong for this scheme?", []),
        ("海南算唔算廣東？", [("cn-hi", "stated")]),
        ("海南属于广东吗", [("cn-hi", "stated")]),
        # where a technology was developed is no factory's place...
        ("我哋用城大同廣東一間大學合作研發嘅技術", []),
        # ...unless the factory is named there too
        ("我哋間廠喺東莞，用緊東莞理工研發嘅技術", [("cn-gd-dongguan", "stated")]),
    ],
)
def test_a_province_checked_against_or_a_technologys_place(
    text: str, places: list[tuple[str, str]]
) -> None:
    assert places_read(text) == places


@pytest.mark.parametrize(
    "text",
    [
        "Actually she moved to Guangzhou for good years ago and gave up her HK residency",
        "佢幾年前搬咗返廣州定居，放棄咗香港居民身份",
        "她几年前搬去广州定居了，放弃了香港居民身份",
    ],
)
def test_a_person_moving_and_giving_up_residency(text: str) -> None:
    facts = [(f.kind, f.value, f.polarity) for f in read(text, today=TODAY).facts]
    assert facts == [("ownership", "hk_resident", "denied")]


@pytest.mark.parametrize(
    "text",
    [
        "我是深圳户口",  # trial 46 c028
        "我是湖南人，户口在长沙",  # trial 46 c064
        "my hukou is in Changsha",
        "香港嗰邊係我哋公司，不過我哋公司係喺新加坡註冊",  # trial 46 c027: the HK side
    ],
)
def test_a_persons_or_a_sides_place_is_no_factorys(text: str) -> None:
    from bot.core.reading import read

    assert not read(text).of("place")


def test_hong_kong_named_as_where_a_factory_is_stays() -> None:
    from bot.core.reading import read

    assert [f.value for f in read("香港那边有工厂吗").of("place")] == ["hk"]


@pytest.mark.parametrize(
    ("answer", "taken"),
    [
        ("香港公司独自的", True),  # trial 46 c055: other facts, the guess taken
        ("it's wholly owned by our HK company", True),
        ("no, it's in Huizhou", False),  # a place of its own: no guess taken
        ("what if it were a JV?", False),  # a what-if says nothing of the place meant
    ],
)
def test_a_single_guess_is_taken_when_the_answer_says_other_facts(
    answer: str, taken: bool
) -> None:
    from bot.core.case import Case, Fact
    from bot.core.flows.case import take_answer
    from bot.core.reading import read

    case = Case()
    case.add(Fact("place_choice", {"ids": ["cn-gd-dongguan-changan"], "suggested": True}, turn=1))
    case.turn = 2
    reading = read(answer, turn=2)
    take_answer(case, reading, "place_choice")
    assert (reading.place_taken == "cn-gd-dongguan-changan") is taken
    assert (case.places() == ["cn-gd-dongguan-changan"]) is taken
