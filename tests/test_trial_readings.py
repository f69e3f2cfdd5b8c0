"""Readings that user trials 21 to 23 found wrong, one table per reading: a cost given as a
range, the link a company needs asked, a year of something done, a factory sold, where a
technology was developed, shares named by a company or held by a couple, a relative or a
nominee, an offshore company in between, "today", and things applied for elsewhere."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.reading import STATED, read
from bot.core.textnorm import fold


def costs_of(text: str) -> list[tuple[str, str | None]]:
    return [(f.value["amount"], f.value.get("low")) for f in read(text).facts if f.kind == "cost"]


@pytest.mark.parametrize(
    ("text", "high", "low"),
    [
        ("示範項目大概30-40萬", "400000", "300000"),
        ("示范项目30至40万", "400000", "300000"),
        ("between 300k and 400k", "400000", "300000"),
        ("300k to 400k for the demo", "400000", "300000"),
        ("50萬或者80萬", "800000", "500000"),
    ],
)
def test_a_range_is_one_cost_with_its_lower_end(text: str, high: str, low: str) -> None:
    assert costs_of(text) == [(high, low)]


@pytest.mark.parametrize(
    ("text", "costs"),
    [
        ("實地評估6萬，示範項目50萬", [("60000", None), ("500000", None)]),
        ("60k and 400k", [("60000", None), ("400000", None)]),  # no "between": two costs
        ("80萬或者50萬", [("800000", None), ("500000", None)]),  # the first not lower
    ],
)
def test_two_costs_are_no_range(text: str, costs: list[tuple[str, str | None]]) -> None:
    assert costs_of(text) == costs


@pytest.mark.parametrize(
    "text",
    [
        "香港公司同工廠要咩關係？",
        "咁要點樣連住間廠？",
        "how must my HK company be linked to the factory?",
        "what kind of relationship do we need with the factory?",
        "香港公司和工厂需要什么关系？",
    ],
)
def test_the_link_asked_states_no_owner(text: str) -> None:
    reading = read(text)
    assert not reading.of("ownership")
    assert not reading.of("premises")
    assert "verdict" not in reading.asks


@pytest.mark.parametrize(
    "text", ["我哋同間廠係三來一補關係，得唔得？", "our HK company owns the factory"]
)
def test_a_link_stated_is_still_read(text: str) -> None:
    assert read(text).of("ownership")


TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "text",
    ["舊年買咗部新機，示範項目30萬", "we moved there last year, demo 300k", "去年开了新厂"],
)
def test_a_year_of_something_done_is_no_rules_date(text: str) -> None:
    assert not read(text, today=TODAY).of("day")


@pytest.mark.parametrize(
    "text",
    [
        "我哋公司2005年喺香港註冊，廠喺東莞長安，可唔可以申請？",
        "我们公司2015年在香港注册，工厂在惠州，是独资，现在能申请吗",
        "公司2010年成立，廠喺惠州，得唔得？",
        "从2010年就在东莞设厂，现在可以申请吗",
        "our HK company was set up in 2019, factory in Huizhou is its WFOE. can we apply?",
        "registered in Hong Kong in 1998, factory in Humen, can we apply",
        "Since 2012 we have had a WFOE in Jiangmen Xinhui. Still eligible?",
        "we moved to Dongguan in 2019, can we join?",
    ],
)
def test_the_year_a_company_was_set_up_is_no_rules_date(text: str) -> None:
    """Trial 36 c35, c38, c77, c83, c92: the answer is for today."""
    assert not read(text, today=TODAY).of("day")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("公司2010年成立，當年可唔可以申請？", "2010"),
        ("we moved to Dongguan in 2012, were we eligible?", "2012"),
        ("registered in 1998; could we have applied in 2014?", "2014"),
        ("我哋2014年搬去東莞，2014年可唔可以申請？", "2014"),
        ("2014年做示範項目50萬，資助幾多？", "2014"),
        ("started the project in 2014, demo 500k", "2014"),
    ],
)
def test_a_year_asked_beside_a_set_up_year_is_the_rules_date(text: str, year: str) -> None:
    (day,) = read(text, today=TODAY).of("day")
    assert day.value["day"] == f"{year}-01-01"


@pytest.mark.parametrize("text", ["去年可唔可以申請？", "what were the rules last year?"])
def test_last_year_asked_is_the_rules_date(text: str) -> None:
    (day,) = read(text, today=TODAY).of("day")
    assert day.value["day"] == "2025-01-01"


def owners_of(text: str) -> set[tuple[str, str]]:
    return {(f.value, f.polarity) for f in read(text).of("ownership")}


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        (
            "We had a factory in Zhaoqing but we sold it last year to a mainland company. "
            "Can our HK company still apply for it?",
            {("hk", "denied")},
        ),
        ("我之前喺惠州有間廠，上年賣咗俾大陸人", {("hk", "denied"), ("mainland", "stated")}),
        ("其實間廠上個月已經賣咗俾一間台灣公司", {("hk", "denied"), ("taiwan", "stated")}),
        ("工厂去年已经卖给了一家内地企业", {("hk", "denied"), ("mainland", "stated")}),
        ("we sold the plant to our manager", {("hk", "denied")}),
    ],
)
def test_a_factory_sold_is_no_longer_the_users(text: str, owners: set[tuple[str, str]]) -> None:
    assert owners_of(text) == owners


@pytest.mark.parametrize(
    "text",
    [
        "我哋啲貨賣咗俾大陸公司",
        "we sold products to a mainland company last year",
        "如果將間廠賣咗俾大陸公司呢？",
        "香港公司獨資，我哋賣嘢俾美國客",
    ],
)
def test_goods_sold_or_a_sale_imagined_denies_no_owner(text: str) -> None:
    assert ("hk", "denied") not in owners_of(text)


def places_of(text: str) -> list[str]:
    return [f.value for f in read(text).of("place")]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("The technology was developed by HKPC in Hong Kong", []),
        ("技術係生產力局喺香港研發嘅，廠喺佛山", ["cn-gd-foshan"]),
        ("our factory is in Hong Kong and the technology was developed by HKPC", ["hk"]),
        ("technology developed in-house, factory in Hong Kong", ["hk"]),
    ],
)
def test_where_a_technology_was_developed_is_no_factory_place(text: str, where: list[str]) -> None:
    assert places_of(text) == where


@pytest.mark.parametrize(
    ("text", "mainland", "hk_company"),
    [
        (
            "我是香港居民，在中山古镇有家灯饰公司，我占股70%，同时我在一家香港公司占股40%",
            "7/10",
            "2/5",
        ),
        ("我喺東莞有間五金公司，我佔六成，香港公司我佔一半", "3/5", "1/2"),
    ],
)
def test_a_company_the_place_has_is_the_mainland_one(
    text: str, mainland: str, hk_company: str
) -> None:
    reading = read(text)
    assert [f.value for f in reading.of("share_mainland")] == [mainland]
    assert [f.value for f in reading.of("share_hk_company")] == [hk_company]


@pytest.mark.parametrize("text", ["And exactly 50%?", "咁啱啱50%呢？", "那刚好50%呢"])
def test_a_share_alone_as_a_follow_up_is_read(text: str) -> None:
    assert [f.value for f in read(text).of("share_unclear")] == ["1/2"]


@pytest.mark.parametrize("text", ["政府資助50%", "what about the 50% share of cost"])
def test_a_share_of_the_cost_is_no_company_share(text: str) -> None:
    assert not read(text).of("share_unclear")


@pytest.mark.parametrize(
    "text",
    [
        "那如果只是普通的国外技术呢？",
        "如果技术是内地研发的呢？",
        "if the technology is from the mainland?",
    ],
)
def test_a_technology_from_elsewhere_is_not_local(text: str) -> None:
    assert [(f.value, f.polarity) for f in read(text).of("tech_origin")] == [("local", "denied")]


@pytest.mark.parametrize("text", ["技術係香港大學同廣州大學合作研發", "我们在内地研发中心做测试"])
def test_a_joint_technology_or_a_lab_is_not_denied_local(text: str) -> None:
    assert ("local", "denied") not in [(f.value, f.polarity) for f in read(text).of("tech_origin")]


@pytest.mark.parametrize(
    "text", ["那2028年还有吗？", "2028年仲有冇？", "will it still be there in 2028?"]
)
def test_the_programme_still_there_on_a_day_is_asked(text: str) -> None:
    reading = read(text, today=TODAY)
    assert reading.of("day") and "verdict" in reading.asks


@pytest.mark.parametrize("text", ["點樣申請公屋？", "how do I apply for a visa?", "申请护照要多久"])
def test_applying_for_something_else_is_not_ours(text: str) -> None:
    reading = read(text)
    assert reading.other_matter and not reading.asks


def test_applying_with_a_factory_is_ours() -> None:
    reading = read("我的工厂在东莞，怎么申请？")
    assert not reading.other_matter


@pytest.mark.parametrize("text", ["caps today?", "今日呢？", "今天呢？", "and today?", "依家呢？"])
def test_today_said_is_the_current_phase(text: str) -> None:
    assert [f.value for f in read(text, today=TODAY).of("phase")] == ["today"]


@pytest.mark.parametrize(
    ("text", "hk_company", "other"),
    [
        ("老板是香港永久居民，占厂60%，香港公司他占25%，他太太占香港公司20%", "1/4", "1/5"),
        (
            "the boss is a HK resident, he holds 60% of the mainland co and 25% of the HK "
            "company, his wife holds 20% of the HK company",
            "1/4",
            "1/5",
        ),
    ],
)
def test_his_wifes_share_is_not_his(text: str, hk_company: str, other: str) -> None:
    reading = read(text)
    assert [f.value for f in reading.of("share_hk_company")] == [hk_company]
    assert [f.value for f in reading.of("share_other_holder")] == [other]


@pytest.mark.parametrize(
    "text",
    ["他们两夫妻加起来有45%啊", "they hold 45% together as a couple", "我哋兩公婆加埋有五成半"],
)
def test_a_couples_shares_together_are_no_ones_own(text: str) -> None:
    reading = read(text)
    assert reading.of("share_other_holder")
    assert not reading.of("share_mainland") and not reading.of("share_hk_company")


@pytest.mark.parametrize(
    "text",
    [
        "如果他把太太的股份转过来呢？",
        "如果佢老婆啲股份轉俾佢呢？",
        "what if his wife transfers her shares to him?",
    ],
)
def test_shares_transferred_to_the_resident_are_asked_about(text: str) -> None:
    assert "share_transfer" in read(text).asks


@pytest.mark.parametrize(
    ("text", "mainland", "hk_company"),
    [
        ("and 51% mainland, 29% HK co?", "51/100", "29/100"),
        ("那内地51%，香港公司29%呢？", "51/100", "29/100"),
    ],
)
def test_a_company_right_after_the_figure_names_the_share(
    text: str, mainland: str, hk_company: str
) -> None:
    reading = read(text)
    assert [f.value for f in reading.of("share_mainland")] == [mainland]
    assert [f.value for f in reading.of("share_hk_company")] == [hk_company]


@pytest.mark.parametrize(
    "text", ["我们内地有50%的客户", "30% of our sales are to the mainland company"]
)
def test_customers_or_sales_are_no_stake(text: str) -> None:
    reading = read(text)
    assert not reading.of("share_mainland") and not reading.of("share_hk_company")


@pytest.mark.parametrize(
    "text",
    [
        "厂在东莞塘厦，名义上是我内地表弟持股100%，实际上是我出钱，我是香港人",
        "our Dongguan factory is held on paper by my cousin, I'm a HK resident",
    ],
)
def test_nominee_shares_are_for_staff(text: str) -> None:
    reading = read(text)
    assert reading.nominee
    assert [f.value for f in reading.of("ownership")] == ["unsure"]
    assert not reading.of("share_mainland")


def test_my_uncles_share_is_his() -> None:
    reading = read("間廠係內地公司嚟，我阿叔佔55%，佢係香港人")
    assert reading.share_holders == [("share_mainland", "11/20", "third")]


@pytest.mark.parametrize(
    "text",
    [
        "the factory is a WFOE registered by the BVI company, and the BVI is 100% owned by my HK company",
        "東莞長安間廠係外資企業，由我哋BVI公司持有，BVI公司就係香港公司100%擁有",
        "东莞长安的厂是外商独资企业，由开曼公司持有，开曼公司是我们香港公司全资的",
    ],
)
def test_a_factory_held_through_an_offshore_company_is_for_staff(text: str) -> None:
    reading = read(text)
    assert reading.offshore
    assert [f.value for f in reading.of("ownership")] == ["unsure"]


def test_an_offshore_parent_of_the_hk_company_is_not_in_between() -> None:
    reading = read("The BVI company has a HK subsidiary, the subsidiary is 60% owned by me")
    assert not reading.offshore


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("我刚把惠州的工厂卖给了一家香港公司", ("unclear", "stated")),  # the buyer may apply
        ("sold it to another HK company", ("unclear", "stated")),
        ("我们香港公司去年把工厂卖给了内地公司", ("hk", "denied")),  # the seller is ours
    ],
)
def test_a_sale_to_a_hk_company_leaves_the_owner_to_ask(text: str, owner: tuple[str, str]) -> None:
    assert (owner[0], owner[1]) in owners_of(text)


def test_hk_residents_in_the_plural_are_no_place() -> None:
    reading = read("they hold 45% together, my brother and I, both HK residents")
    assert not reading.of("place")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("咁如果遲一個禮拜先申請呢？", "2013-01-22"),  # trial 25 c73
        ("晚两周呢", "2013-01-29"),
        ("推迟一个月申请呢", "2013-02-15"),
        ("一個月之後呢", "2013-02-15"),
        ("半個月後呢", "2013-01-30"),
        ("what if we apply a week later?", "2013-01-22"),
        ("delay it by two months", "2013-03-15"),
        ("等多一年呢", "2014-01-15"),
    ],
)
def test_a_shift_counts_from_the_day_named(text: str, day: str) -> None:
    reading = read(text, today=date(2026, 11, 28), context_day=date(2013, 1, 15))
    assert [f.value["day"] for f in reading.of("day")] == [day]


@pytest.mark.parametrize(
    "text",
    [
        "3個月後先有結果？",  # how long something takes, no day asked about
        "paid a month after completion?",
        "2015年後呢",  # a year, read as such
    ],
)
def test_a_length_of_time_is_no_shift(text: str) -> None:
    reading = read(text, today=date(2026, 11, 28), context_day=date(2013, 1, 15))
    assert all(f.value.get("precision") != "day" for f in reading.of("day"))


def test_a_shift_with_no_day_named_counts_from_today() -> None:
    reading = read("一個月之後申請呢？", today=date(2026, 11, 28))
    assert [f.value["day"] for f in reading.of("day")] == ["2026-12-28"]


@pytest.mark.parametrize(
    ("text", "search"),
    [
        ("electroplating wastewater", True),  # trial 25 c45
        ("compressed air leaks", True),
        ("印染废水", True),  # c27
        ("锅炉节能", True),
        ("spray booth VOC", True),  # c62
        ("VOC 點減", True),  # c07
        ("boiler", True),
        ("我間廠喺東莞，做電鍍", False),  # a case: the place decides
        ("電鍍廠可唔可以申請？", False),
        ("印染廢水處理要幾多錢？", False),  # a question, not a topic typed alone
    ],
)
def test_a_topic_alone_is_a_search(text: str, search: bool) -> None:
    reading = read(text)
    assert reading.topic_search is search
    if search:
        assert "guides" in reading.asks


@pytest.mark.parametrize(
    ("text", "item"),
    [
        # trial 25 c16: the price of a system, beside an assessment done before
        (
            "要裝新嘅廢水處理系統，報價大概一百二十萬人民幣，之前2012年做過一次評估，可唔可以再做？",
            None,
        ),
        (
            "the quote for a new wastewater system is HK$1.3m; we had an assessment in 2012, can we do another?",
            None,
        ),
        ("評估大約5萬，資助幾多", "assessment"),  # the assessment's own fee
    ],
)
def test_an_equipment_price_is_no_assessment_fee(text: str, item: str | None) -> None:
    costs = [f.value for f in read(text).facts if f.kind == "cost"]
    assert len(costs) == 1 and costs[0].get("item") == item


@pytest.mark.parametrize(
    ("text", "phases"),
    [
        ("2016年同而家示範項目上限有咩分別？", ["2015-2020", "2025-2027"]),  # trial 25 c60
        ("what is the difference in caps between 2016 and now?", ["2015-2020", "2025-2027"]),
        # trial 52 g27: a year two phases share, each of them, and now's
        (
            "Is the demo project cap higher now than in 2013?",
            ["2008-original", "2013-extension", "2025-2027"],
        ),
        ("2016年的上限是多少？", []),  # one day: that day's caps, no comparison
    ],
)
def test_a_day_and_now_side_by_side(text: str, phases: list[str]) -> None:
    from bot.core.case import Case
    from bot.core.dialogue import Dialogue
    from bot.core.flows.answer import _compared_phases

    dialogue = Dialogue.default(day=date(2026, 11, 28))
    reading = read(text, today=date(2026, 11, 28))
    assert [p.id for p in _compared_phases(dialogue, Case([]), reading)] == phases


def owner_values(text: str) -> set[tuple[str, str]]:
    return {(f.value, f.polarity) for f in read(text).of("ownership")}


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # trial 26 c24: a Hong Kong company said not to own the factory
        ("We also have a HK subsidiary but it doesn't own the factory", {("hk", "denied")}),
        ("我哋香港公司並不擁有間廠", {("hk", "denied")}),
        ("the HK company owns the factory", {("hk", "stated")}),
        # c27: a person's shares of both companies, link 1(d), his residency deciding
        (
            "Factory in Foshan owned by a mainland company. My partner holds 70% of it, and 40% of our HK company. He's not a HK resident.",
            {("hk_resident", "denied"), ("unclear", "stated")},
        ),
        (
            "Factory in Foshan owned by a mainland company. My partner holds 70% of it, and 40% of our HK company.",
            {("hk_resident", "stated")},
        ),
        ("香港公司持有内地企业60%", {("hk", "stated")}),  # a company's shares, no person's
        # c21, c56: when to apply, said as "if", is no company still to be set up
        (
            "If we apply on 15 March 2027, what's the cap? factory in Dongguan, HK co owns it",
            {("hk", "stated")},
        ),
        ("东莞的厂，港资独资。如果明年四月才申请还能申请吗", {("hk", "stated")}),
        ("What if we set up a Hong Kong company and apply next year?", {("hk_planned", "stated")}),
    ],
)
def test_owner_read_from_the_trials(text: str, owner: set[tuple[str, str]]) -> None:
    assert owner_values(text) == owner


def test_a_shift_counts_from_a_named_month() -> None:
    from bot.core.case import Case, Fact
    from bot.core.flows.case import named_day

    month = {"day": "2013-02-01", "precision": "month", "until": "2013-02-28"}
    year = {"day": "2013-01-01", "precision": "year", "until": "2013-12-31"}
    assert named_day(Case([Fact("day", month, turn=1)])) == date(2013, 2, 1)
    assert named_day(Case([Fact("day", year, turn=1)])) is None  # a year is too coarse


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("and the Xiamen one if we move it to Zhuhai?", ["cn-gd-zhuhai"]),  # trial 26 c32
        ("如果將江西嗰間廠搬去韶關呢？", ["cn-gd-shaoguan"]),
        ("我哋有間廠喺廈門，一間喺珠海", ["cn-fj-xiamen", "cn-gd-zhuhai"]),  # no move: both
    ],
)
def test_a_move_names_where_the_factory_would_be(text: str, places: list[str]) -> None:
    assert [f.value for f in read(text).of("place", "stated")] == places


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # trial 27 c39: a plan of the project, the company registered already
        (
            "we are a HK registered company with a WFOE in Jiangmen Xinhui, if we install a VOC system costing HK$900,000 how much?",
            {("hk", "stated")},
        ),
        (
            "我们是香港注册公司，江门新会有一家外资企业。如果装一套VOC处理系统要90万，政府补多少？",
            {("hk", "stated")},
        ),
        ("如果喺香港開間公司，惠州廠100%歸佢，如果裝新鍋爐呢？", {("hk_planned", "stated")}),
    ],
)
def test_a_project_plan_is_no_company_still_to_set_up(
    text: str, owner: set[tuple[str, str]]
) -> None:
    assert owner_values(text) == owner


def test_a_year_shift_after_a_named_year() -> None:
    year = {"day": "2009-01-01", "precision": "year", "until": "2009-12-31"}
    for text in ("遲一年呢？", "a year later?", "一年后呢？"):
        reading = read(text, today=date(2026, 11, 28), context_time=year)
        assert [f.value["day"] for f in reading.of("day")] == ["2010-01-01"]
    # a month of a whole year names no day: the year said still holds
    assert not read("遲一個月呢？", today=date(2026, 11, 28), context_time=year).of("day")


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # trial 27 c54, c69: the HK company owns the factory outright, whatever its parent
        (
            "我哋係一間香港註冊公司，母公司喺台灣，內地廠係香港公司全資擁有，喺江門鶴山，得唔得？",
            {("hk", "stated")},
        ),
        (
            "母公司喺美國，香港公司係佢嘅子公司，香港公司全資擁有深圳個廠，得唔得？",
            {("hk", "stated")},
        ),
        # the parent's, beside the Hong Kong company: not that company's (trial 48 c28)
        ("我們有香港公司，但惠州廠係新加坡母公司全資擁有", {("foreign", "stated"), ("hk", "denied")}),
        # c27: the amount supposed, not the company
        ("厂在惠州，香港公司独资，假如项目是100万，补多少？", {("hk", "stated")}),
    ],
)
def test_the_hk_company_owning_the_factory_beside_a_parent(
    text: str, owner: set[tuple[str, str]]
) -> None:
    assert owner_values(text) == owner


@pytest.mark.parametrize(
    ("text", "factories"),
    [
        ("三間廠每間都想做一個新技術項目，每個50萬，總共資助幾多？", 3),  # trial 27 c60
        ("we have 3 factories, each wants a project of 500k, how much in total?", 3),
        ("分成两个项目申请，每个30万", None),  # two projects, not factories
        ("我有兩間廠，其中一間做50萬項目", None),  # no "each"
    ],
)
def test_a_cost_said_of_each_of_several_factories(text: str, factories: int | None) -> None:
    costs = [f.value for f in read(text).facts if f.kind == "cost"]
    assert costs and costs[0].get("factories") == factories


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        # twenty-seventh trial c39, c09: the guides asked beside a verdict and an estimate
        (
            "3 questions: 1) are we eligible 2) a VOC system costing HK$900,000, how much will "
            "the government pay 3) do you have any guide on waterborne coatings?",
            "do you have any guide on waterborne coatings",
        ),
        (
            "我哋香港公司喺惠州有間廠，做廢氣處理項目要120萬，資助幾多，同埋有冇啲指南教點樣減少VOC？",
            "有冇啲指南教點樣減少VOC",
        ),
        ("我们东莞的厂可以申请吗？有没有印染废水的指南？", "有没有印染废水的指南"),
        ("VOC指南", None),  # the guides alone: a search, nothing beside it
        ("我間廠喺東莞，得唔得？", None),  # no guides asked
    ],
)
def test_the_guides_asked_beside_a_case(text: str, clause: str | None) -> None:
    assert read(text).guide_clause == clause


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # twenty-eighth trial c31: "母公司香港" is where the parent is, no factory in Hong Kong
        ("我們工廠在福建廈門，母公司香港", ["cn-fj-xiamen"]),
        ("母公司香港，廠喺東莞", ["cn-gd-dongguan"]),
        ("parent HK, factory in Dongguan", ["cn-gd-dongguan"]),
        ("我哋喺香港同東莞都有廠，母公司喺台灣", ["hk", "cn-gd-dongguan"]),  # two factories
    ],
)
def test_the_parent_companys_place_is_no_factorys(text: str, places: list[str]) -> None:
    assert [f.value for f in read(text).of("place")] == places


@pytest.mark.parametrize(
    ("text", "year"),
    [
        # twenty-ninth trial c38, c76: "前年" was not read, so the estimate used today's phase
        ("前年我哋喺清遠做咗個示範項目，40萬，應該攞到幾多？港資廠", "2024"),
        ("厂在东莞，港资，前年做的示范项目40万，能拿多少？", "2024"),
        ("we did a demo project the year before last, 400k, how much should we have got?", "2024"),
        ("大前年呢？", "2023"),
        ("後年申請得唔得？", "2028"),
        ("舊年買咗部新機，示範項目30萬", None),  # a machine bought then; the project is now
        ("去年做咗評估，可唔可以再做？", None),  # again: asked about now (W5's rule)
    ],
)
def test_years_counted_back_and_on(text: str, year: str | None) -> None:
    days = [f.value["day"][:4] for f in read(text, today=TODAY).of("day")]
    assert days == ([year] if year else [])


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        # twenty-ninth trial c17, c57, c56: the enquiry's reference asked for
        ("thanks. what's my reference number again?", True),
        ("我個參考編號係咩話？", True),
        ("查询编号是多少？", True),
        ("唔記得咗個編號", True),
        ("我個申請編號係CP2024-0012", False),  # a reference given, not asked
        ("reference: para 12(c)", False),
    ],
)
def test_the_enquiry_reference_asked(text: str, asked: bool) -> None:
    assert ("reference" in read(text).asks) is asked


@pytest.mark.parametrize(
    ("text", "record"),
    [
        # twenty-ninth trial c43: the programme's record, asked beside a case
        ("Any case studies of HK workshops doing engine testing?", True),
        ("how many demo projects were funded so far?", True),
        ("有冇香港工場嘅成功案例？", True),
        ("到现在一共有多少个示范项目获资助？", True),
        ("how many projects can we apply for?", False),
        ("我間廠做咗示範項目，資助幾多？", False),
    ],
)
def test_the_programmes_record_asked(text: str, record: bool) -> None:
    from bot.core.flows.answer import _RECORD_ASKED

    assert bool(_RECORD_ASKED.search(fold(text))) is record


@pytest.mark.parametrize(
    ("text", "year"),
    [
        # thirtieth trial c87, c79, c86: years counted back from today
        ("我間廠喺中山古鎮，三年前申請得唔得？", "2023"),
        ("五年前呢？", "2021"),
        ("two years ago?", "2024"),
        ("2 years ago?", "2024"),
        # c40: a month with a two-digit year
        ("Mar '09?", "2009"),
        ("Mar '99?", "1999"),  # before the programme, not 2099
    ],
)
def test_years_ago_and_short_years(text: str, year: str) -> None:
    days = [f.value["day"][:4] for f in read(text, today=TODAY).of("day")]
    assert days == [year]


# A problem told with "what can we do" or "any advice" is a search of the guides, not the
# start of a case (found profiling the bench's workload); without a topic it is not.
@pytest.mark.parametrize(
    ("text", "search"),
    [
        ("our spray booth smells of solvent, what can we do", True),
        ("LED lighting retrofit in the workshop", True),
        ("We run an electroplating line, what can we do about the wastewater?", True),
        ("our boiler smokes a lot, any advice?", True),
        ("what can we do if our factory is in Fujian?", False),
        ("What can we do to get the subsidy?", False),
        ("We have a spray painting workshop in Kwun Tong", False),
    ],
)
def test_a_problem_told_is_a_search(text: str, search: bool) -> None:
    assert ("guides" in read(text).asks) is search


# An item's cap asked, with no cost, is the caps, not an estimate that asks for the cost
# (thirtieth trial c66, thirty-first c05); with a cost it is an estimate.
@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("示範項目上限幾多？", "caps"),
        ("示范项目资助上限多少？", "caps"),
        ("what's the subsidy cap for demonstration projects?", "caps"),
        ("評估同核證嘅上限係幾多？", "caps"),
        ("示範項目40萬，上限幾多？", "estimate"),
        ("示範項目資助幾多？", "estimate"),
    ],
)
def test_an_items_cap_asked_is_the_caps(text: str, ask: str) -> None:
    asks = read(text).asks
    assert ask in asks
    assert not asks & {"caps", "estimate"} - {ask}


# A share figure after an apology or the holding verb alone is a share, of a company the
# conversation decides (thirty-first trial c85).
@pytest.mark.parametrize("text", ["唔好意思，係31%", "不好意思，是31%", "佔31%", "sorry, it's 31%"])
def test_a_share_corrected_after_an_apology(text: str) -> None:
    assert [f.value for f in read(text).facts if f.kind == "share_unclear"] == ["31/100"]


# The year of an assessment done, with another asked for, is no day of the rules
# (thirty-first trial c34: "重复评估可以吗？我们2019年做过一次").
@pytest.mark.parametrize(
    "text",
    [
        "重复评估可以吗？我们2019年做过一次",
        "重複評估得唔得？我哋2019年做過一次",
        "can we do a repeat assessment? we did one in 2019",
    ],
)
def test_a_repeat_assessments_year_is_no_day(text: str) -> None:
    reading = read(text)
    assert not reading.of("day")
    assert [f.value for f in reading.of("last_assessment")] == [{"year": 2019}]


@pytest.mark.parametrize(
    ("text", "verdict", "other_channel"),
    [
        ("可唔可以WhatsApp你哋？", False, True),
        ("可不可以加你们微信？", False, True),
        ("can I call you?", False, False),
        ("我間廠喺東莞，可唔可以打電話問下？", True, False),
    ],
)
def test_can_i_contact_you_asks_no_verdict(text: str, verdict: bool, other_channel: bool) -> None:
    reading = read(text)
    assert "hotline" in reading.asks
    assert ("verdict" in reading.asks) is verdict
    assert reading.other_channel is other_channel


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("我想喺二零一三年二月申請，得唔得？", "2013-02-01"),
        ("二〇一五年十二月二十五日可以嗎", "2015-12-25"),
        ("二零一三年可唔可以申請", "2013-01-01"),
    ],
)
def test_a_date_in_chinese_numerals_is_read(text: str, day: str) -> None:
    assert [f.value["day"] for f in read(text).of("day")] == [day]


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("光明区那个也是", True),
        ("深圳光明嗰間都係", True),
        ("and one in Shenzen too", True),
        ("其實係光明", False),
    ],
)
def test_one_more_factory_is_added_not_a_correction(text: str, added: bool) -> None:
    assert read(text).places_added is added


@pytest.mark.parametrize(
    "text",
    [
        "Hello, factory in Zhongshan Sanxiang, HK WFOE",
        "龍華嗰間係同內地人合資香港佔百分之四十",
        "聽講香港有個清潔生產嘅計劃",
    ],
)
def test_hong_kong_as_owner_or_programme_is_no_factory_place(text: str) -> None:
    assert "hk" not in [f.value for f in read(text).of("place")]


@pytest.mark.parametrize("text", ["哦唔係，係55%", "no wait, 55%", "不是，是55%"])
def test_a_share_corrected_after_no_is_read(text: str) -> None:
    # the share of a company not named: the one asked about before takes it
    assert [f.value for f in read(text).of("share_unclear")] == ["11/20"]


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("咁如果係我哋自己公司研發㗎", True),
        ("如果技术是我们自己公司研发的呢？", True),
        ("what if we developed the tech in-house?", True),
        ("如果係中大研發嘅技術呢", False),
    ],
)
def test_a_companys_own_technology_is_not_the_higher_cap(text: str, own: bool) -> None:
    reading = read(text)
    assert reading.tech_own is own
    if own:  # W9's higher cap names institutions: the standard cap, with a note
        assert [(f.value, f.polarity) for f in reading.of("tech_origin")] == [("local", "denied")]


@pytest.mark.parametrize("text", ["要點先得？", "what would it take?"])
def test_what_it_takes_is_no_guide_search(text: str) -> None:
    assert "guides" not in read(text).asks


@pytest.mark.parametrize(
    ("text", "what_if"),
    [
        ("搬咗之後幾時可以申請", True),
        ("once we've moved, when can we apply?", True),
        ("搬咗去東莞之後可以申請未？", False),  # a place said: the move told, not supposed
    ],
)
def test_after_the_move_continues_the_what_if(text: str, what_if: bool) -> None:
    assert read(text).what_if is what_if


@pytest.mark.parametrize(
    ("text", "caps"),
    [
        ("示範項目同實地評估分別幾錢", True),
        ("how much for assessment and demo project?", True),
        ("示範項目幾錢", False),
        ("評估5萬，示範項目50萬，資助幾多？", False),  # two costs: two estimates
    ],
)
def test_two_items_figures_asked_are_the_caps(text: str, caps: bool) -> None:
    reading = read(text)
    assert ("caps" in reading.asks) is caps
    if caps:
        assert "estimate" not in reading.asks and not reading.of("item")


@pytest.mark.parametrize(
    ("text", "context", "day"),
    [
        ("4月1號呢", date(2013, 3, 31), "2013-04-01"),
        ("那4月1日呢", date(2013, 3, 1), "2013-04-01"),
        ("咁3月尾呢", date(2013, 2, 1), "2013-03-31"),
    ],
)
def test_a_day_of_a_month_takes_the_year_talked_about(text: str, context: date, day: str) -> None:
    reading = read(text, context_year=context.year, context_day=context)
    assert [f.value["day"] for f in reading.of("day")] == [day]


@pytest.mark.parametrize(
    "text", ["what if our HK director owns 60% of the factory", "香港董事佔六成"]
)
def test_a_hong_kong_director_is_a_resident_not_a_place(text: str) -> None:
    reading = read(text)
    assert "hk" not in [f.value for f in reading.of("place")]
    assert [f.value for f in reading.of("ownership")] == ["hk_resident"]


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("2015到2020年那期核证服务上限是多少", "2015-2020"),
        ("the 2020-2025 phase caps?", "2020-2025"),
        ("2020至2025年階段有咩資助", "2020-2025"),
        ("2016到2019年做過咩", None),  # no phase of those years: no phase named
    ],
)
def test_a_phase_named_by_its_years(text: str, phase: str | None) -> None:
    assert [f.value for f in read(text).of("phase")] == ([phase] if phase else [])


@pytest.mark.parametrize(
    "text", ["DP 400k?", "and DP 1.2m same year", "DP cap?", "東莞廠做DP，40萬"]
)
def test_dp_is_a_demonstration_project(text: str) -> None:
    """Trial 37: the short form hotline staff and the TID page (W8) use."""
    assert [f.value for f in read(text).of("item")] == ["demonstration"]


@pytest.mark.parametrize(
    "text",
    ["即係而家做DP(ii)可以攞65萬？", "能拿65万吗", "can we get 650k for a new technology project?"],
)
def test_a_subsidy_asked_to_get_is_a_cap_claimed_not_a_cost(text: str) -> None:
    reading = read(text)
    assert reading.of("cap_claimed") and not reading.of("cost")


@pytest.mark.parametrize("text", ["我想攞50萬做示範項目", "示範項目50萬，攞到幾多？"])
def test_a_cost_beside_a_get_word_stays_a_cost(text: str) -> None:
    assert read(text).of("cost")


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("and before the extension?", "2008-original"),
        ("延展計劃之前呢？", "2008-original"),
        ("after the extension?", "2015-2020"),
        ("延展计划以后呢", "2015-2020"),
        ("延展计划的上限", "2013-extension"),
    ],
)
def test_a_phase_before_or_after_the_extension(text: str, phase: str) -> None:
    """Trial 37 c67."""
    assert [f.value for f in read(text).of("phase")] == [phase]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("那1月25号呢", "2013-01-25"),
        ("what about 25 January?", "2013-01-25"),
        ("what about January 25th?", "2013-01-25"),
    ],
)
def test_a_day_asked_of_the_last_answer_is_in_the_rules_year(text: str, day: str) -> None:
    """Trial 36 c67: as of 10 January 2013, '那1月25号呢' is 25 January 2013."""
    (fact,) = read(text, today=date(2013, 1, 10)).of("day")
    assert fact.value["day"] == day


@pytest.mark.parametrize(
    ("text", "near"),
    [
        ("离广东很近，也不行吗？", "cn-gd"),
        ("but it's only 20km from the Guangdong border, still no?", "cn-gd"),
        ("但係好近廣東韶關㗎", "cn-gd-shaoguan"),
    ],
)
def test_a_place_the_factory_is_near_is_not_its_place(text: str, near: str) -> None:
    """Trial 38 c25, c52, c82: a wrong 'eligible' for factories outside Guangdong."""
    reading = read(text)
    assert not reading.of("place") and reading.near_places == [near]


@pytest.mark.parametrize(
    "text",
    [
        "the other 30% belongs to my cousin in Guangzhou",
        "one shareholder is based in Guangzhou",
        "其餘30%係我廣州嘅表哥",
        "我表哥喺廣州，佢佔30%",
        "我表哥在广州，他占30%",
        "我老婆住在广州",
    ],
)
def test_where_a_person_is_is_not_the_factorys_place(text: str) -> None:
    """Trial 41: 'my cousin in Guangzhou' was taken for a factory in Guangzhou."""
    assert not read(text).of("place")


@pytest.mark.parametrize(
    "text",
    [
        "我表哥喺廣州有間廠",
        "our factory in Guangzhou is owned by my cousin",
        "廣州嗰間廠係我表哥嘅",
    ],
)
def test_a_factory_named_beside_a_relative_keeps_its_place(text: str) -> None:
    assert [f.value for f in read(text).of("place")] == ["cn-gd-guangzhou"]


@pytest.mark.parametrize(
    "text",
    [
        "我们公司成立于2010年，工厂在中山小榄，项目预算80万港币，能补多少？",
        "公司注册于2016年，厂在东莞",
    ],
)
def test_founded_in_a_year_is_no_rules_date(text: str) -> None:
    """Trial 38 c41, c83."""
    assert not read(text, today=TODAY).of("day")


@pytest.mark.parametrize(
    "text",
    [
        "我係香港居民，冇開香港公司，東莞間廠喺我個人名下",
        "没有开香港公司",
        "我沒有註冊香港公司",
        "we never set up a HK company",
        "we didn't register any Hong Kong company",
    ],
)
def test_no_hong_kong_company_set_up_is_no_owner(text: str) -> None:
    """Trial 41 c171: '冇開香港公司' was read as a Hong Kong company owning the factory."""
    reading = read(text)
    assert not reading.of("ownership", STATED)
    assert [f.value for f in reading.of("hk_company")] == ["none"]


@pytest.mark.parametrize(
    "text",
    ["如果冇開香港公司得唔得", "we didn't register a hong kong company yet, plan to next year"],
)
def test_no_company_yet_with_a_plan_is_still_a_plan(text: str) -> None:
    assert not read(text).of("hk_company")


@pytest.mark.parametrize(
    "text",
    [
        "公司係香港嘅，廠係三來一補",
        "我哋公司係香港嘅",
        "公司是香港的",
        "our company is a Hong Kong one",
        "the company is from HK",
    ],
)
def test_a_company_said_to_be_hong_kongs_owns_no_place(text: str) -> None:
    """Trial 41 c39, c82, c83: '公司係香港嘅' was read as a factory in Hong Kong."""
    reading = read(text)
    assert not reading.of("place") and [f.value for f in reading.of("ownership")] == ["hk"]


@pytest.mark.parametrize("text", ["我哋間廠係香港嘅", "the factory is in HK"])
def test_a_factory_said_to_be_in_hong_kong_is_there(text: str) -> None:
    assert [f.value for f in read(text).of("place")] == ["hk"]


def test_the_hk_applicant_and_the_mainland_co_take_their_own_shares() -> None:
    """Trial 41 c168: '25% of the HK applicant' was read as the Mainland enterprise's share,
    and 'HK applicant' as a place."""
    reading = read("owner HK resident holds 55% of the mainland co and 25% of the HK applicant")
    assert [(f.kind, f.value) for f in reading.facts if f.kind.startswith("share_")] == [
        ("share_mainland", "11/20"),
        ("share_hk_company", "1/4"),
    ]
    assert not reading.of("place")


@pytest.mark.parametrize(
    "text",
    [
        "He set it up in 1998 as a joint venture",
        "we set the factory up in 2005",
        "my father started it in 1998",
        "佢1998年開嘅廠",
    ],
)
def test_the_year_it_was_started_is_no_rules_date(text: str) -> None:
    """Trial 41 c152: 'He set it up in 1998' was asked about 1998."""
    assert not read(text, today=TODAY).of("day")


def test_a_joint_venture_with_the_hk_company_is_its_link_whatever_a_resident_holds() -> None:
    """Trial 41 c152, c175: link 1(a) said, a resident's shares were still asked for."""
    reading = read(
        "a joint venture between his Hong Kong company (registered in HK, he owns 100%) and a"
        " local village enterprise"
    )
    assert [f.value for f in reading.of("ownership")] == ["hk"]


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("如果不是港校研发的呢", "denied"),
        ("用港校研發嘅技術", "stated"),
        ("and if it was not developed by a HK uni?", "denied"),
        ("technology from a hong kong institution", "stated"),
    ],
)
def test_hong_kongs_universities_said_short_are_the_technologys_origin(
    text: str, polarity: str
) -> None:
    """Trial 41 c133: '港校' was not read, so the what-if kept the HK$750,000 cap."""
    assert [f.polarity for f in read(text).of("tech_origin")] == [polarity]


@pytest.mark.parametrize(
    "text",
    [
        "工廠賣咗，之前攞咗資助使唔使退返",
        "the factory was sold, do we have to pay back the subsidy?",
    ],
)
def test_a_sale_told_with_a_refund_question_denies_no_owner(text: str) -> None:
    """Trial 41 c36: a question about money already paid is not about who owns it now."""
    assert not read(text).of("ownership")


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("那我注册一个香港公司呢", "hk_planned"),
        ("咁我開返間香港公司得唔得", "hk_planned"),
        ("我们开了一家香港公司", "hk"),
        ("我哋開咗間香港公司", "hk"),
    ],
)
def test_a_hong_kong_company_to_be_set_up_is_a_plan(text: str, owner: str) -> None:
    """Trial 41 c15, c171: '注册一个香港公司' was taken as a company already there."""
    assert [f.value for f in read(text).of("ownership")] == [owner]


@pytest.mark.parametrize(
    ("text", "shares"),
    [
        # the company named right before its figure, in Chinese (trial 42 c75)
        ("我舅父持有梅州間廠80%同香港公司50%", {"share_mainland": "4/5", "share_hk_company": "1/2"}),
        ("我舅舅持有梅州工厂80%和香港公司50%", {"share_mainland": "4/5", "share_hk_company": "1/2"}),
        ("我持有香港公司四成同東莞公司六成", {"share_hk_company": "2/5", "share_mainland": "3/5"}),
        (
            "my uncle holds 80% of our factory in Meizhou and 50% of our HK company",
            {"share_mainland": "4/5", "share_hk_company": "1/2"},
        ),
    ],
)
def test_each_share_goes_to_the_company_named_with_it(text: str, shares: dict[str, str]) -> None:
    reading = read(text)
    assert {f.kind: f.value for f in reading.facts if f.kind.startswith("share_")} == shares
    # a relative's shares in both companies are link 1(d), not the HK company owning it
    assert [f.value for f in reading.facts if f.kind == "ownership"] == ["hk_resident"]


@pytest.mark.parametrize(
    "text",
    [
        "我们香港公司在东莞有个合资厂，去年港方退出了，现在是内地独资",
        "我哋香港公司喺東莞有間合資廠，上年港方退出咗",
        "our HK company had a JV factory in Dongguan, the HK side pulled out last year",
    ],
)
def test_the_hong_kong_side_gone_is_no_hong_kong_owner(text: str) -> None:
    owners = [(f.value, f.polarity) for f in read(text).facts if f.kind == "ownership"]
    assert owners == [("unclear", STATED)]


@pytest.mark.parametrize(
    "text",
    [
        "我哋間廠本來喺湛江，而家搬咗去越南",
        "我们的厂本来在湛江，现在搬到越南了",
        "our factory was originally in Zhanjiang, now it has moved to Vietnam",
    ],
)
def test_where_the_factory_was_is_not_where_it_is(text: str) -> None:
    assert [f.value for f in read(text).facts if f.kind == "place"] == ["country-vn"]


@pytest.mark.parametrize(
    "text",
    [
        "個 tech 係 HK 嘅 startup 整嘅，算唔算香港研發？",
        "the tech is from a HK startup, does that count as HK-developed?",
        "技术是香港初创公司做的，算不算香港研发？",
    ],
)
def test_who_made_a_technology_is_no_place(text: str) -> None:
    assert not [f for f in read(text).facts if f.kind == "place"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我阿爸喺香港公司有35%股份", "share_hk_company"),
        ("he has half of the factory in Dongguan", "share_mainland"),
        ("she owns half of it", "share_mainland"),
    ],
)
def test_a_share_had_is_read(text: str, kind: str) -> None:
    reading = read(text)
    assert [f.kind for f in reading.facts if f.kind.startswith("share_")] == [kind]


@pytest.mark.parametrize(
    ("text", "polarity", "own"),
    [
        ("我们和华南理工大学合作开发了一项废水处理新技术", "denied", True),  # trial 44 c13
        ("用华南理工大学研发的技术", "denied", False),
        ("香港理工大學研發嘅技術", "stated", False),
        ("用理工大學研發嘅技術", "stated", False),
    ],
)
def test_a_schools_place_decides_its_origin(text: str, polarity: str, own: bool) -> None:
    reading = read(text)
    assert [f.polarity for f in reading.facts if f.kind == "tech_origin"] == [polarity]
    assert reading.tech_own is own
