"""What the hand-off form keeps of an answer typed with words around it, and what it does
with a question typed at a step: one row per reading and outcome."""

from __future__ import annotations

import pytest

from bot.core.dialogue import TextIn
from bot.core.flows.handoff import (
    _CONTINUE,
    _asks_directly,
    _number_in,
    _phone_corrected,
)
from bot.core.session import Session
from bot.core.textnorm import fold
from tests.test_handoff_declines import form_at


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("頭先咪俾咗你囉 61238888", "61238888"),
        ("I gave it already: 9123 4567", "9123 4567"),
        ("61238888", None),  # a number alone is kept as typed
        ("call 6123 4567 or 9876 5432", None),  # two numbers: which one is not guessed
        ("冇電話", None),
    ],
)
def test_the_one_number_in_a_sentence(text: str, number: str | None) -> None:
    assert _number_in(text) == number


@pytest.mark.parametrize(
    ("text", "direct"),
    [
        ("我们厂在江门鹤山，能申请吗？", True),
        # twentieth trial c50: "得唔得", "能不能" are questions as written
        ("等等，我想先問下我間廠喺韶關得唔得", True),
        ("等一下，我想先问下我们厂在韶关能不能申请", True),
        ("is our factory in Huizhou Boluo eligible?", True),
        ("示範項目上限係幾多", True),
        ("Our factory in Shenzhen Longhua wants to reduce VOC from spray booths", False),
        ("want to know about funding", False),
        ("陳大文", False),
    ],
)
def test_a_question_as_written(text: str, direct: bool) -> None:
    assert _asks_directly(fold(text).strip()) is direct


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("電話打錯咗，應該係 98765433", "98765433"),
        ("sorry wrong number, it should be 9876 5433", "9876 5433"),
        ("电话写错了，应该是 13800138001", "13800138001"),
        ("我电话系 6123 4568", "6123 4568"),
        # twentieth trial c18: "change the phone" with the new number in one message
        ("改返電話，係 6123 4567", "6123 4567"),
        ("change my phone, it's 6123 4567", "6123 4567"),
        # twenty-first trial c05: a correction word and the new number
        ("打錯咗，應該係 61234567", "61234567"),
        ("不对，应该是 13800138001", "13800138001"),
        # twenty-fifth trial c59: "no, change it back to" and the number
        ("唔係，改返 98765433", "98765433"),
        ("不是，改成 13800138001", "13800138001"),
        ("我哋有 120 個員工", None),
        ("唔係，我哋有 120 個員工", None),
    ],
)
def test_a_number_corrected(text: str, number: str | None) -> None:
    assert _phone_corrected(text) == number


@pytest.mark.parametrize(
    ("text", "resumes"),
    [
        ("ok, continue my enquiry", True),
        ("continue", True),
        ("好的，继续留言吧", True),
        ("好，繼續留言", True),
        ("好，咁而家留言", True),  # twentieth trial c50
        ("ok now leave the message", True),
        ("Continental Plastics Ltd", False),
        ("繼續做嘢嘅話有冇資助", False),
    ],
)
def test_continue_words(text: str, resumes: bool) -> None:
    assert bool(_CONTINUE.fullmatch(fold(text).strip(" .。!！"))) is resumes


@pytest.mark.parametrize(
    ("before", "line", "field", "value"),
    [
        ([], "陳生 電話 6123 8888", "name", "陳生"),
        ([], "陳生 電話 6123 8888", "phone", "6123 8888"),
        (["陳生"], "公司叫 大興五金有限公司", "company", "大興五金有限公司"),
        (["Peter Chan"], "the company is Chan Kee Metal Ltd", "company", "Chan Kee Metal Ltd"),
        (["Peter Chan", "Chan Kee"], "I gave it earlier 91234567", "phone", "91234567"),
        (["Peter Chan", "Chan Kee", "91234567"], "虎門囉頭先講咗", "place", "Humen, Dongguan"),
        (["王先生"], "江门鹤山", "place", "Heshan, Jiangmen"),
        # twentieth trial c44: a later answer's change, at a later step
        (["Peter", "skip", "91234567"], "wait change my name to Peter Chan", "name", "Peter Chan"),
        # twenty-first trial p09: the company named outright at the place step
        (["王先生", "王建国", "13800138000"], "公司是建国塑料制品厂", "company", "建国塑料制品厂"),
    ],
)
def test_an_answer_without_the_words_around_it(
    before: list[str], line: str, field: str, value: str
) -> None:
    dialogue, session = form_at(before)
    dialogue.handle(session, TextIn(line))
    assert session.handoff["details"][field] == value


def test_a_place_typed_for_the_company_is_no_company() -> None:
    dialogue, session = form_at(["王先生"])
    dialogue.handle(session, TextIn("江门鹤山"))
    assert "company" not in session.handoff["details"]
    assert session.step == "company"


def test_a_place_around_the_one_given_does_not_replace_it() -> None:
    dialogue, session = form_at(["黃小姐", "黃氏印刷", "98765432", "觀塘"])
    dialogue.handle(session, TextIn("我哋做柯式印刷，想問香港工場而家仲可唔可以申請"))
    # The form keeps its language: the place is written in English.
    assert session.handoff["details"]["place"] == "Kwun Tong, Hong Kong"


def test_a_whole_answer_to_a_question_keeps_the_form_at_its_step() -> None:
    dialogue, session = form_at(["王先生"])
    (reply,) = dialogue.handle(session, TextIn("我们厂在江门鹤山，能申请吗？"))
    assert reply.intent == "eligibility"
    assert (session.flow, session.step) == ("handoff", "company")
    assert session.handoff["details"]["place"] == "江门市鹤山市"
    assert "topic" not in session.handoff["details"]  # answered: not the enquiry


def test_an_answer_that_asks_back_leaves_the_form_waiting_with_the_question() -> None:
    dialogue, session = form_at(["李小姐"])
    dialogue.handle(session, TextIn("等等，先問下，而家仲有冇示範項目？"))
    assert session.flow != "handoff"
    paused = session.handoff["paused"]["details"]
    assert paused["name"] == "李小姐"
    assert "示範項目" in paused["topic"]  # not answered in full: staff see it
    dialogue.handle(session, TextIn("好，繼續留言"))
    assert (session.flow, session.step) == ("handoff", "company")
    assert "paused" not in session.handoff


def test_a_phone_number_resumes_a_waiting_form() -> None:
    dialogue, session = form_at(["李小姐"])
    dialogue.handle(session, TextIn("等等，先問下，而家仲有冇示範項目？"))
    dialogue.handle(session, TextIn("13800138000"))
    assert session.flow == "handoff"
    assert session.handoff["details"]["phone"] == "13800138000"


def test_a_question_only_naming_the_enquiry_stays_the_enquiry() -> None:
    dialogue, session = form_at(["Peter Chan"])
    dialogue.handle(
        session, TextIn("factory in Tsuen Wan, we do spray painting, want to know about funding")
    )
    assert session.step == "company"
    assert "spray painting" in session.handoff["details"]["topic"]


def test_cancelling_drops_a_waiting_form() -> None:
    dialogue, session = form_at(["李小姐"])
    dialogue.handle(session, TextIn("等等，先問下，而家仲有冇示範項目？"))
    dialogue.handle(session, TextIn("好，繼續留言"))
    dialogue.handle(session, TextIn("取消"))
    assert session.flow is None
    assert "paused" not in session.handoff


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            "Name Amy Chan, phone 2345 6789, company Chan Bros Printing, factory in Shenzhen Longgang",
            {"name": "Amy Chan", "phone": "2345 6789", "company": "Chan Bros Printing"},
        ),
        ("姓名：陳大文，電話：9123 4567", {"name": "陳大文", "phone": "9123 4567"}),
        ("陳大文", {}),
    ],
)
def test_labelled_fields(text: str, fields: dict[str, str]) -> None:
    from bot.core.flows.handoff import _labelled_fields

    found = _labelled_fields(Session(chat_id=1), text)
    assert {k: v for k, v in found.items() if k != "place"} == fields


@pytest.mark.parametrize(
    ("before", "line", "field", "value"),
    [
        (
            ["明仔", "明興五金", "61234567", "東莞", "想問VOC"],
            "公司名都錯咗，係明興金屬有限公司",
            "company",
            "明興金屬有限公司",
        ),
        (
            ["Mary Lee", "Lee Metal", "61234567", "Dongguan", "VOC please"],
            "sorry the company is wrong, it should be Lee Metals Ltd",
            "company",
            "Lee Metals Ltd",
        ),
        (
            ["李生", "李氏", "61234567", "東莞", "想問VOC"],
            "姓名寫錯咗，我叫李志強",
            "name",
            "李志強",
        ),
    ],
)
def test_an_answer_corrected_at_the_summary(
    before: list[str], line: str, field: str, value: str
) -> None:
    dialogue, session = form_at(before)
    assert session.step == "confirm"
    dialogue.handle(session, TextIn(line))
    assert session.handoff["details"][field] == value
    assert line not in session.handoff["details"].get("topic", "")


@pytest.mark.parametrize(("before", "step"), [([], "name"), (["陳大文"], "company")])
def test_an_emoji_is_no_answer(before: list[str], step: str) -> None:
    dialogue, session = form_at(before)
    dialogue.handle(session, TextIn("🤖🤖"))
    assert session.step == step
    assert step not in session.handoff["details"]


@pytest.mark.parametrize(
    ("before", "line", "field", "value"),
    [
        # sixteenth trial m08: a correction typed while the place is asked
        (
            ["王建国", "建国塑胶制品有限公司", "13800138000"],
            "公司名打错了，应该是建国塑料制品有限公司",
            "company",
            "建国塑料制品有限公司",
        ),
        (
            ["Mary Lee", "Lee Metal", "61234567"],
            "sorry the company is wrong, it should be Lee Metals Ltd",
            "company",
            "Lee Metals Ltd",
        ),
    ],
)
def test_an_earlier_answer_corrected_at_a_later_step(
    before: list[str], line: str, field: str, value: str
) -> None:
    dialogue, session = form_at(before)
    assert session.step == "place"
    dialogue.handle(session, TextIn(line))
    assert session.handoff["details"][field] == value
    assert session.step == "place", "the place is asked again"
    assert "place" not in session.handoff["details"]


def _waiting_at_place() -> tuple[object, Session]:
    dialogue, session = form_at(["陳大文", "大文五金", "91234567"])
    # sixteenth trial y09: an aside whose answer asks back for a cost (the cap alone is
    # answered whole since the thirty-first trial)
    dialogue.handle(session, TextIn("等等，順便問下而家新技術項目資助幾多？"))
    assert session.handoff.get("paused")
    return dialogue, session


def test_the_place_the_waiting_form_asked_resumes_it() -> None:
    dialogue, session = _waiting_at_place()
    dialogue.handle(session, TextIn("東莞塘廈"))
    # the aside's question is the enquiry already: the summary follows
    assert (session.flow, session.step) == ("handoff", "confirm")
    assert session.handoff["details"]["place"] == "東莞市塘廈鎮"


def test_a_corrected_number_resumes_the_waiting_form() -> None:
    dialogue, session = _waiting_at_place()
    dialogue.handle(session, TextIn("電話打錯咗，應該係 9123 4568"))
    assert (session.flow, session.step) == ("handoff", "place")
    assert session.handoff["details"]["phone"] == "9123 4568"


def test_a_name_corrected_at_the_phone_step() -> None:
    # seventeenth trial c08: "我個名打錯" was "not a phone number", and the name was lost
    dialogue, session = form_at(["陳大文", "大文五金有限公司"])
    assert session.step == "phone"
    dialogue.handle(session, TextIn("唔好意思，我個名打錯，應該係陳大明"))
    assert session.handoff["details"]["name"] == "陳大明"
    assert session.step == "phone"


def test_a_number_inside_a_sentence_at_the_phone_step() -> None:
    # seventeenth trial c08: the number in a sentence, and the sentence kept for staff
    dialogue, session = form_at(["陳大文", "大文五金有限公司"])
    dialogue.handle(session, TextIn("我哋東莞廠想申請新技術項目，想職員打俾我，電話 91234567"))
    assert session.handoff["details"]["phone"] == "91234567"
    assert "新技術項目" in session.handoff["details"]["topic"]
    assert session.step == "place"


def test_a_place_told_more_exactly_at_the_summary() -> None:
    # seventeenth trial c08: "東莞虎門" at the summary was added to the enquiry
    dialogue, session = form_at(["陳大文", "大文五金", "91234567", "東莞", "想問新技術項目"])
    assert session.step == "confirm"
    dialogue.handle(session, TextIn("東莞虎門"))
    assert session.handoff["details"]["place"] in ("東莞市虎門鎮", "Humen, Dongguan")
    assert "虎門" not in session.handoff["details"]["topic"]


@pytest.mark.parametrize(
    ("text", "send"),
    [
        # nineteenth trial y06, e06: confirmed in words
        ("冇問題，確認", True),
        ("yes confirm", True),
        ("confirm please", True),
        ("please don't confirm yet", False),
        ("確認一下電話啱唔啱", False),
        ("确认一下电话对不对？", False),
    ],
)
def test_confirming_in_words_sends(text: str, send: bool) -> None:
    from bot.core.flows.handoff import _says_send

    assert _says_send(text) is send


def test_who_owns_the_factory_typed_at_the_company_step_is_no_company() -> None:
    # twentieth trial c50: "係香港公司獨資" after an aside on the factory is the owner
    dialogue, session = form_at(["黃小姐"])
    dialogue.handle(session, TextIn("係香港公司獨資"))
    assert not session.handoff["details"].get("company")


def _form_after(lines: list[str]) -> Session:
    from bot.core.dialogue import Dialogue

    dialogue, session = Dialogue.default(), Session(chat_id=1)
    for line in lines:
        dialogue.handle(session, TextIn(line))
    return session


def test_a_place_corrected_at_the_place_step_routes_by_the_place_said() -> None:
    # twenty-seventh trial c48: "唔係深圳，係東莞鳳崗" kept Fenggang's name but routed the
    # enquiry to Shenzhen's desk; the same place typed again is no enquiry
    session = _form_after(
        ["我想留言", "黃志明", "略過", "6234 5678", "唔好意思，地點唔係深圳，係東莞鳳崗", "東莞鳳崗"]
    )
    assert session.handoff["place_id"] == "cn-gd-dongguan-fenggang"
    assert not session.handoff["details"].get("topic")


@pytest.mark.parametrize("code", ["SELECT * FROM users", "<script>alert(1)</script>"])
def test_code_typed_for_the_name_is_no_name(code: str) -> None:
    # twenty-seventh trial c72: the code became the name and the real name the company
    session = _form_after(["我想留言", code, "陳小姐"])
    assert session.handoff["details"]["name"] == "陳小姐"
    assert not session.handoff["details"].get("company")
