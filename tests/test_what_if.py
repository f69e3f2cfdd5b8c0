"""What-ifs (trials 24 and 25): a supposition is answered as put, and the owner, shares
and technology told before still stand after it; an estimate asked next is for the
supposition, a new what-if builds on it, and a fact said ends it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.case import STATED, Case, Fact
from bot.core.flows import case as case_flow
from bot.core.flows import what_if
from bot.core.reading import read
from bot.core.session import Session


@pytest.mark.parametrize(
    ("text", "what_if"),
    [
        ("如果佢老婆將佢嗰份轉晒俾佢，佢就有35%，得唔得？", True),
        ("那如果他在香港公司占股提到40%呢", True),
        ("what if he held 40% of the HK company?", True),
        ("suppose he buys another 11%", True),
        ("假如係港大研發嘅技術呢？", True),
        ("那刚好50%呢？", True),  # a figure alone, asked back
        ("他在我们香港公司也有40%", False),
        ("I'm not sure if he holds 40%", False),  # a doubt, not a supposition
        ("can you check if Dongguan is covered", False),
        ("咁香港公司開一間呢？", True),  # thirty-first trial c100: a plan asked with 呢
        ("那香港公司开一家呢？", True),
        ("我哋打算喺香港開一間公司", False),  # a plan told, not asked about
        ("咁台灣老闆喺香港開間公司同工廠簽加工合約得唔得？", True),  # thirty-second trial c38
        ("我哋喺香港有間公司，得唔得？", False),  # a company there, asked about: no plan
    ],
)
def test_a_what_if_is_told_from_a_fact(text: str, what_if: bool) -> None:
    assert read(text).what_if is what_if


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("唔係呀，其實我冇轉，仲係我自己揸住", True),
        ("好，唔轉住，資助幾多？成本60萬", True),
        ("我不转给他了", True),
        # twenty-eighth trial c65, c71, c80: the real case asked again after a what-if
        ("ok back to the real facts, how much for a 1.5m tech project?", True),
        ("好，返返真實情況，新技術項目一百萬資助幾多？", True),
        ("咁我哋自己原本嘅情況資助幾多？項目二百五十萬", True),
        ("那按实际情况呢？", True),
        ("no, I am not going to transfer them", True),
        ("如果我將股份轉俾我個仔呢？", False),
        ("what if I transfer my shares to my son", False),
    ],
)
def test_a_what_if_given_up(text: str, dropped: bool) -> None:
    assert ("what_if_dropped" in read(text).asks) is dropped


@pytest.mark.parametrize(
    "text",
    [
        "如果我把股份转给我儿子呢？",
        "what if I transfer my shares to my son",
    ],
)
def test_shares_passed_on_are_a_transfer(text: str) -> None:
    assert "share_transfer" in read(text).asks


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("如果我將香港公司嘅股份全部轉俾我個仔呢？", "share_hk_company_less"),
        ("如果我把香港公司的股份全部转给我太太呢？", "share_hk_company_less"),
        ("what if I sell all my shares in the mainland company?", "share_mainland_less"),
    ],
)
def test_all_of_a_companys_shares_given_away_leave_none(text: str, kind: str) -> None:
    reading = read(text)
    assert [f.value for f in reading.of(kind)] == ["1"]
    assert "share_transfer" not in reading.asks


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("what if I sell 20% of the mainland company?", "share_mainland_less", "1/5"),
        ("如果我賣咗內地公司兩成呢？", "share_mainland_less", "1/5"),
        ("如果佢轉5%香港公司股份俾我呢？", "share_hk_company_less", "1/20"),
        ("咁如果佢將深圳廠一半shares轉俾我呢?", "share_mainland_less_part", "1/2"),
        ("and what if I sell 30% instead?", "share_sold_unclear", "3/10"),
    ],
)
def test_shares_sold_or_given_lower_the_givers(text: str, kind: str, value: str) -> None:
    assert [f.value for f in read(text).of(kind)] == [value]


def test_a_company_holding_the_factory_is_no_persons_share() -> None:
    reading = read("其实工厂在深圳，是我儿子名下的香港公司100%拥有")
    assert not [f for f in reading.facts if f.kind.startswith("share_")]
    assert [f.value for f in reading.of("ownership")] == ["hk"]


def test_a_couples_sum_is_marked_summed() -> None:
    assert read("咁如果佢哋兩公婆加埋先有45%呢？").shares_summed
    assert not read("他太太占香港公司20%").shares_summed


def _session(*facts: Fact, supposed: tuple[Fact, ...] = ()) -> Session:
    session = Session(chat_id=1)
    case_flow.save(session, Case(list(facts), 3, list(supposed)))
    return session


_PLACE = Fact("place", "cn-gd-huizhou", STATED, 1)
_RESIDENT = Fact("ownership", "hk_resident", STATED, 1)
_SHARE_20 = Fact("share_hk_company", "1/5", STATED, 2)
_SHARE_35 = Fact("share_hk_company", "7/20", STATED, 3)
_MAINLAND_55 = Fact("share_mainland", "11/20", STATED, 1)


def test_a_what_if_share_is_put_back_and_kept_apart() -> None:
    session = _session(_PLACE, _RESIDENT, _MAINLAND_55, _SHARE_20)
    before = case_flow.load(session)
    after = case_flow.load(session)
    after.add(_SHARE_35)
    case_flow.save(session, after)
    assert what_if.keep_over_what_if(session, before)
    case = case_flow.load(session)
    assert case.current("share_hk_company") == "1/5"
    assert [f.value for f in case.supposed] == ["7/20"]


def test_a_what_if_filling_an_unknown_stays() -> None:
    session = _session(_PLACE, _RESIDENT, _MAINLAND_55)
    before = case_flow.load(session)
    after = case_flow.load(session)
    after.add(_SHARE_35)
    case_flow.save(session, after)
    assert not what_if.keep_over_what_if(session, before)
    assert case_flow.load(session).current("share_hk_company") == "7/20"


def test_a_what_if_changing_something_known_is_supposed_whole() -> None:
    # "what if we register a HK company and she holds 40% of it?": the 40% is the new
    # company's, so it goes with the supposition, not into the facts
    session = _session(_PLACE, _RESIDENT, _MAINLAND_55)
    before = case_flow.load(session)
    after = case_flow.load(session)
    after.add(Fact("ownership", "hk_planned", STATED, 3))
    after.add(Fact("share_hk_company", "2/5", STATED, 3))
    case_flow.save(session, after)
    assert what_if.keep_over_what_if(session, before)
    case = case_flow.load(session)
    assert case.current("ownership") == "hk_resident"
    assert case.current("share_hk_company") is None
    assert {f.kind for f in case.supposed} == {"ownership", "share_hk_company"}


def test_a_what_if_technology_is_never_kept() -> None:
    session = _session(_PLACE)
    before = case_flow.load(session)
    after = case_flow.load(session)
    after.add(Fact("tech_origin", "local", STATED, 2))
    case_flow.save(session, after)
    assert what_if.keep_over_what_if(session, before)
    case = case_flow.load(session)
    assert case.current("tech_origin") is None
    assert not case.supposed


@pytest.mark.parametrize(
    ("text", "estimate_asked", "stands_in", "kept"),
    [
        ("做个项目大概80万，补多少", True, True, True),  # an estimate: for the supposition
        ("那我们现在能申请吗", False, False, True),  # a verdict: on the facts
        ("如果他有内地企业60%呢？", False, True, True),  # a new what-if builds on it
        ("咁如果佢哋兩公婆加埋先有45%呢？", False, False, False),  # a sum: no share supposed
        ("其實佢喺香港公司得25%", False, False, False),  # a share said as fact ends it
        ("唔係呀，其實我冇轉，仲係我自己揸住", False, False, False),  # given up
    ],
)
def test_the_supposition_stands_in_when_asked(
    text: str, estimate_asked: bool, stands_in: bool, kept: bool
) -> None:
    session = _session(_PLACE, _RESIDENT, _MAINLAND_55, _SHARE_20, supposed=(_SHARE_35,))
    assert what_if.suppose(session, read(text), estimate_asked) is stands_in
    case = case_flow.load(session)
    assert case.current("share_hk_company") == ("7/20" if stands_in else "1/5")
    assert bool(case.supposed) is kept


def test_the_supposition_survives_storage() -> None:
    case = Case([_PLACE, _SHARE_20], 3, [_SHARE_35])
    assert Case.from_json(case.to_json()).supposed == [_SHARE_35]
    assert "supposed" not in Case([_PLACE]).to_json()


@pytest.mark.parametrize(
    ("answer", "supposed"),
    [
        ("佔40%", True),  # the share the what-if asked for
        ("60%", True),
        ("40%，80萬補幾多？", True),  # with an estimate of the supposition
        ("算了，當我冇講", False),  # the what-if given up
        ("其實間廠喺惠州", False),  # a place: a message of its own
    ],
)
def test_an_answer_to_a_what_ifs_question_is_supposed(answer: str, supposed: bool) -> None:
    session = _session(_PLACE)
    session.flow, session.step = "case", "share_mainland"
    what_if.note_question(session)
    reading = read(answer)
    what_if.answer_supposed(session, reading)
    assert reading.what_if is supposed
    assert "question_supposed" not in session.outcomes  # asked once, answered once


def test_a_question_asked_outside_a_what_if_is_answered_as_fact() -> None:
    session = _session(_PLACE)
    session.flow, session.step = "case", "share_mainland"
    reading = read("佔40%")
    what_if.answer_supposed(session, reading)
    assert not reading.what_if


@pytest.mark.parametrize(
    ("text", "supposed"),
    [
        ("我佔60%", True),  # a share alone, of the company the what-if supposes
        ("I hold 60%", True),
        ("我佔60%，廠喺惠州", False),  # a place: a fact of its own
        ("80萬資助幾多？", False),  # an estimate: suppose() lets the supposition stand in
    ],
)
def test_a_share_alone_after_a_supposed_owner_is_supposed(text: str, supposed: bool) -> None:
    # "如果我哋喺香港開間公司接手呢？" then "我佔60%" got the out-of-scope line
    session = _session(_PLACE, supposed=(Fact("ownership", "hk_planned", STATED, 2),))
    reading = read(text)
    what_if.share_of_supposed(session, reading, case_flow.load(session))
    assert reading.what_if is supposed


@pytest.mark.parametrize(
    ("said", "explored"),
    [
        ("what if it were 2014?", True),  # a day in a what-if
        ("2012年呢？", True),  # a day asked on its own
        ("遲一年呢？", True),
        ("我間廠喺惠州，2014年做評估", False),  # a day told with the case's facts
    ],
)
def test_back_to_the_facts_leaves_a_day_only_explored(said: str, explored: bool) -> None:
    # twenty-ninth trial c77, c49, c02: "back to the real case" kept the day of a what-if
    session = _session(_PLACE, Fact("day", {"day": "2014-01-01", "precision": "year"}, STATED, 2))
    what_if.note_day_explored(session, read(said, today=date(2026, 11, 28)))
    what_if.back_to_the_facts(session, read("back to the real case"), case_flow.load(session))
    assert (case_flow.load(session).current("day") is None) is explored


@pytest.mark.parametrize(
    "text", ["咁我哋符唔符合資格？", "合資格嗎", "我们符不符合资格？", "are we 合資格?"]
)
def test_qualified_is_no_joint_venture(text: str) -> None:
    # thirty-first trial c100: 合資格 ("qualified") read as 合資, a joint venture's owner
    assert not read(text).of("ownership")


@pytest.mark.parametrize(
    ("text", "what_if"),
    [("ok, what about dust?", False), ("what about wastewater", False), ("what about 2016?", True)],
)
def test_another_guide_topic_is_no_what_if(text: str, what_if: bool) -> None:
    # thirty-first trial c46: "what about dust?" after guide results supposes nothing
    assert read(text).what_if is what_if
