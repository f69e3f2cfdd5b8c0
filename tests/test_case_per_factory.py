"""What is said of one factory of several holds for that factory only (thirteenth trial
zh17): the second factory's Mainland owner does not make the first, wholly owned by the
Hong Kong company, "not eligible"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.case import Case, Fact
from bot.core.desks import load_desks
from bot.core.dialogue import Dialogue, TextIn
from bot.core.flows.case import load as load_case
from bot.core.flows.case import merge
from bot.core.reading import read
from bot.core.rules import load_rulebook
from bot.core.session import Session
from bot.render import render_text


def _case(*messages: str) -> Case:
    case = Case()
    for text in messages:
        case.turn += 1
        merge(case, read(text, turn=case.turn, today=date(2026, 11, 28)))
    return case


def test_the_other_factorys_owner_is_said_of_it_only() -> None:
    case = _case(
        "我们有两个厂，一个在佛山南海狮山，是香港公司独资",
        "另一间厂在肇庆高要，是内地公司，跟香港公司没有股权关系",
    )
    [foshan, zhaoqing] = case.places()
    assert case.for_place(foshan).current("ownership") == "hk"
    assert case.for_place(zhaoqing).current("ownership") == "mainland"


def test_an_owner_said_with_no_new_factory_holds_for_all() -> None:
    case = _case("我们有两个厂，一个在佛山，一个在肇庆", "都是香港公司独资的")
    assert not case.scoped
    assert all(case.for_place(p).current("ownership") == "hk" for p in case.places())


def test_a_fact_about_a_factory_survives_storage() -> None:
    case = Case([Fact("ownership", "mainland", about="cn-gd-zhaoqing")])
    again = Case.from_json(case.to_json())
    assert again.facts == case.facts and again.scoped


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("另一間呢？", True),
        ("咁另外嗰間呢", True),
        ("另一间厂可以吗", True),
        ("what about the other factory?", True),
        ("and the other one?", True),
        ("另一間廠喺湖南", False),  # a place said: a factory added, not one asked about
        ("the other day we bought a boiler", False),
    ],
)
def test_the_other_factory_asked_about(text: str, other: bool) -> None:
    assert read(text).other_factory is other


def test_ownership_said_clause_by_clause_holds_for_each_factory() -> None:
    """Fifteenth trial yue_multi3: "東莞嗰間係合資，肇慶嗰間係內地公司，老闆係香港人，
    佔內地公司55%" scopes the joint venture to Dongguan and the resident's share to Zhaoqing."""
    case = Case()
    merge(case, read("我有間廠喺東莞，另一間喺肇慶"))
    merge(case, read("東莞嗰間係合資，肇慶嗰間係內地公司，老闆係香港人，佔內地公司55%"))
    dongguan, zhaoqing = case.for_place("cn-gd-dongguan"), case.for_place("cn-gd-zhaoqing")
    assert dongguan.current("ownership") == "hk"
    assert dongguan.current("share_mainland") is None
    assert zhaoqing.current("ownership") == "hk_resident"
    assert zhaoqing.current("share_mainland") == "11/20"


@pytest.mark.parametrize(
    ("lines", "total"),
    [
        # sixteenth trial m11: each factory's figure, then both together
        (
            [
                "我有两个工厂，一个在江门台山，一个在中山小榄，都是港资",
                "台山那个想做新技术项目，60万",
                "小榄那个也要做，120万",
                "两个加起来政府一共补多少？",
            ],
            "900,000",
        ),
        (
            [
                "We have two factories, one in Dongguan and one in Huizhou, both owned by our HK company",
                "the Dongguan one: new tech project 500k",
                "the Huizhou one: 2 million",
                "how much for both together?",
            ],
            "900,000",
        ),
        # seventeenth trial c06: two factories' costs in one message, each its own figure
        (
            [
                "我哋有兩間廠，一間喺東莞長安，一間喺清遠",
                "兩間都係香港公司獨資",
                "東莞嗰間想搞個新技術項目，成本60萬；清遠嗰間成本100萬，各自資助幾多？總共呢？",
            ],
            "800,000",
        ),
        (
            [
                "我哋有兩間廠，一間喺東莞長安，一間喺清遠",
                "兩間都係香港公司獨資",
                "東莞嗰間想搞個新技術項目，成本60萬；清遠嗰間成本100萬",
                "如果清遠嗰間改做180萬呢？",
                "咁總共幾多？",
            ],
            "950,000",
        ),
        # twenty-ninth trial c32, c62: one cost for each factory, "respectively"
        (
            ["工厂在湛江和梅州，2014年两个厂都想做评估，评估费分别是4万和6万，各能拿多少？"],
            "45,000",
        ),
        (
            [
                "我哋喺深圳光明同埋南沙各有間廠，都係香港公司獨資，2014年可以做咩？",
                "兩間都做示範項目，一間35萬，一間70萬，各攞幾多？",
            ],
            "475,000",
        ),
        (
            [
                "Two factories, in Foshan and Zhaoqing, both owned by our HK company.",
                "new tech projects of 300k and 900k respectively, how much each?",
            ],
            "600,000",
        ),
        # one factory's figure only: no total to give
        (
            [
                "We have two factories, one in Dongguan and one in Huizhou, both owned by our HK company",
                "the Dongguan one: new tech project 500k",
                "how much for both together?",
            ],
            None,
        ),
    ],
)
def test_the_factories_figures_summed(lines: list[str], total: str | None) -> None:
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28))
    session = Session(chat_id=1)
    for line in lines:
        (reply,) = dialogue.handle(session, TextIn(line))
    text = render_text(reply, "en")
    if total is None:
        assert "Together" not in text
    else:
        assert f"Together: HK${total}" in text


def test_a_factory_pointed_at_gets_its_own_cost() -> None:
    # seventeenth trial c06: "東莞嗰間呢？" after Qingyuan's 180萬 got Qingyuan's figure
    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28))
    session = Session(chat_id=1)
    lines = [
        "我哋有兩間廠，一間喺東莞長安，一間喺清遠",
        "兩間都係香港公司獨資",
        "東莞嗰間想搞個新技術項目，成本60萬；清遠嗰間成本100萬",
        "如果清遠嗰間改做180萬呢？",
        "東莞嗰間呢？",
    ]
    for line in lines:
        (reply,) = dialogue.handle(session, TextIn(line))
    assert (reply.subsidy or {}).get("government") == 300000
    assert load_case(session).places() == ["cn-gd-dongguan-changan", "cn-gd-qingyuan"]
