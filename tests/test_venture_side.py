"""What is said of a joint venture's or processing contract's other side, of a resident
who is none, and of a move still to come (bot.core.flows.case.merge, bot.core.verdict).

Links 1(a) and 1(c) (W7, W9) are the Hong Kong company's venture or contract with a
Mainland enterprise; they set no condition on the Mainland side's shares or owners. Link
1(d) needs a shareholder who is a Hong Kong resident. One row per message and outcome.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.case import DENIED, STATED, Case, Fact
from bot.core.flows.case import merge
from bot.core.reading import read
from bot.core.rules import load_rulebook
from bot.core.verdict import CaseView, decide

BOOK = load_rulebook()
TODAY = date(2026, 11, 27)


def hk_company_with(link: str) -> Case:
    case = Case()
    case.add(Fact("place", "cn-gd-dongguan", turn=1))
    case.add(Fact("ownership", "hk", turn=1))
    case.add(Fact("link", link, turn=1))
    case.turn = 2
    return case


@pytest.mark.parametrize(
    ("link", "text"),
    [
        ("venture", "The Mainland partner holds 70% of the JV and its boss is not a HK resident"),
        ("venture", "內地嗰邊老闆話想退出，將來由佢個仔接手，佢個仔係香港人"),
        ("venture", "中方占六成，中方老板不是香港人"),
        ("venture", "the mainland side is owned by a state company"),
        ("contract", "對方老闆係內地人，佢持有間廠100%"),
    ],
)
def test_the_other_sides_owners_leave_the_link(link: str, text: str) -> None:
    case = hk_company_with(link)
    reading = read(text, turn=2)
    merge(case, reading)
    assert case.current("ownership") == "hk"
    assert case.current("link") == link
    assert reading.link_in_question
    assert "verdict" in reading.asks


@pytest.mark.parametrize(
    "text",
    [
        "去年港方退出了，现在是内地独资",  # the Hong Kong side left: who owns it now is asked
        "the HK side pulled out last year, the partner owns it all now",
    ],
)
def test_the_hong_kong_side_leaving_is_no_word_of_the_other_side(text: str) -> None:
    case = hk_company_with("venture")
    reading = read(text, turn=2)
    merge(case, reading)
    assert case.current("ownership") != "hk"
    assert not reading.link_in_question


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("係同內地公司合作經營", "venture"),
        ("是和内地公司合资的", "venture"),
        ("it's a JV with a mainland company", "venture"),
    ],
)
def test_how_a_hong_kong_owner_holds_the_factory_is_kept_as_its_link(
    text: str, link: str
) -> None:
    case = Case()
    case.add(Fact("place", "cn-gd-dongguan", turn=1))
    case.add(Fact("ownership", "hk", turn=1))
    case.turn = 2
    merge(case, read(text, turn=2))
    assert case.current("ownership") == "hk"
    assert case.current("link") == link


def _resident_view(*, shares: bool) -> CaseView:
    case = Case()
    case.add(Fact("place", "cn-gd-dongguan-changan", turn=1))
    if shares:
        case.add(Fact("share_mainland", "3/5", turn=1))
        case.add(Fact("share_hk_company", "1/2", turn=1))
    case.add(Fact("ownership", "hk_resident", DENIED, turn=2))
    return CaseView.of(case, TODAY)


def test_shares_of_a_non_resident_are_no_resident_link() -> None:
    (verdict,) = decide(_resident_view(shares=True), BOOK)
    assert (verdict.status, verdict.code) == ("need_more_info", "ownership_unclear")
    assert verdict.reason.values["resident_gone"]


def test_a_resident_denied_with_no_shares_said_is_only_asked_about() -> None:
    # no link said at all: the place's answer, with the ownership condition beside it
    (verdict,) = decide(_resident_view(shares=False), BOOK)
    assert not verdict.reason.values.get("resident_gone")


@pytest.mark.parametrize(
    ("text", "moved_from"),
    [
        ("不過明年會搬去湖南郴州", ("cn-gd-huizhou",)),
        ("不过明年会搬到湖南郴州", ("cn-gd-huizhou",)),
        ("but next year it will move to Chenzhou in Hunan", ("cn-gd-huizhou",)),
        ("sorry, it's in Chenzhou, Hunan", ()),  # a correction, no move
        ("已經搬咗去湖南郴州", ()),  # a move made: the factory is there now
    ],
)
def test_a_move_still_to_come_keeps_where_the_factory_is_until_then(
    text: str, moved_from: tuple[str, ...]
) -> None:
    case = Case()
    case.add(Fact("place", "cn-gd-huizhou", STATED, turn=1))
    case.add(Fact("ownership", "hk", turn=1))
    case.turn = 2
    reading = read(text, turn=2)
    merge(case, reading)
    assert case.places() == ["cn-hn-chenzhou"]
    assert reading.moved_from == moved_from


@pytest.mark.parametrize(
    "text",
    [
        "so the WFOE is not directly owned by the HK company, is that a problem?",
        "即係香港公司唔係直接持有，有冇問題？",
        "就是说香港公司是间接持有，有问题吗？",
    ],
)
def test_a_factory_held_indirectly_is_for_staff_to_check(text: str) -> None:
    """Trial 45 c057: W9 link 1(b) names sole ownership by the HK company, nothing else."""
    reading = read(text)
    assert [f.value for f in reading.of("ownership", STATED)] == ["unsure"]


@pytest.mark.parametrize(
    "text",
    [
        "actually, the JV partner on our side is me personally, not the company",
        "其實合資嗰個係我個人，唔係香港公司",
        "其实合资方是我个人，不是公司",
    ],
)
def test_a_person_not_the_company_in_the_venture_ends_its_link(text: str) -> None:
    """Trial 45 c078: link 1(a) is the Hong Kong company's venture (W7, W9)."""
    case = hk_company_with("venture")
    merge(case, read(text, turn=2))
    assert case.current("ownership") != "hk"
    assert case.current("link") is None


@pytest.mark.parametrize(
    ("text", "what_if"),
    [
        ("next year we'll sell the remaining 30% too. then?", True),
        ("明年會賣埋剩低嗰三成，咁點？", True),
        ("我们上个月把剩下的30%也卖了", False),
    ],
)
def test_the_hong_kong_sides_last_stake_sold(text: str, what_if: bool) -> None:
    reading = read(text)
    assert ("hk", DENIED) in [(f.value, f.polarity) for f in reading.of("ownership")]
    assert reading.what_if is what_if


@pytest.mark.parametrize(
    "text",
    [
        "then we sold 70% to a mainland partner, so now it's a JV, HK side 30%. still ok?",
        "後來賣咗七成俾內地伙伴，而家係合資，港方佔三成",
        "后来把70%卖给了内地合作方，现在是合资，港方占30%",
    ],
)
def test_a_stake_sold_into_a_venture_is_no_factory_sold(text: str) -> None:
    """Trial 45 c019: the HK company keeps a venture with the buyer, link 1(a)."""
    reading = read(text)
    assert [f.value for f in reading.of("ownership", STATED)] == ["hk"]
    assert not reading.of("ownership", DENIED)
    assert not reading.of("share_mainland")  # the HK side's stake, not a person's share


@pytest.mark.parametrize(
    "text",
    [
        "我佔六成，佢佔四成",
        "I hold 60% and my mainland friend holds 40%",
        "我占60%，朋友占40%",
        "朋友占40%，我占60%",
    ],
)
def test_ones_own_share_beside_anothers(text: str) -> None:
    """Trial 45 c027: the friend's 40% is another holder's, not the share held."""
    reading = read(text)
    assert [f.value for f in reading.of("share_mainland")] == ["3/5"]
    assert [f.value for f in reading.of("share_other_holder")] == ["2/5"]


@pytest.mark.parametrize(
    ("said", "government_cost"),
    [
        ("what if the cost goes up by 200k?", "1000000"),
        ("如果貴多20萬呢", "1000000"),
        ("那再减少10万呢", "700000"),
        ("and if it drops by half?", "400000"),
        ("如果成本減半呢", "400000"),
        ("another project costs 300k", "300000"),  # a new cost, not a change
    ],
)
def test_a_change_to_the_cost_said_before(said: str, government_cost: str) -> None:
    """Trial 45 c080: 'goes up by 200k' is added to the HK$800,000 said before."""
    from bot.core.flows.case import cost_changed_by

    case = Case()
    case.add(Fact("cost", {"amount": "800000", "currency": None, "text": "80萬"}, turn=1))
    case.turn = 1
    reading = read(said, turn=2)
    cost_changed_by(case, reading)
    assert [f.value["amount"] for f in reading.of("cost")] == [government_cost]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("what if he buys another 15% of my company?", "share_hk_company_more"),  # trial 45 c068
        ("如果他再买15%我公司的股份呢？", "share_hk_company_more"),
        ("what if he buys another 15% of the mainland company?", "share_mainland_more"),
    ],
)
def test_my_company_is_the_hong_kong_one_once_said(text: str, kind: str) -> None:
    case = Case()
    case.add(Fact("share_mainland", "4/5", turn=1))
    case.add(Fact("share_hk_company", "1/5", turn=2))
    case.add(Fact("my_company", "hk", turn=2))
    case.turn = 3
    reading = read(text, turn=3)
    merge(case, reading)
    assert reading.of(kind)
