"""A numbered question asked for again (trial 53 j37): "第三个问题你还没回答" answers the
third question of the earlier numbered message, and is never read as the third phase."""

from __future__ import annotations

import pytest

from bot.core.numbered import numbered_questions, question_asked_again

LONG = (
    "想问几个问题：第一，我们现在还能不能申请？第二，电子行业是不是目标行业？"
    "第三，去年做的废水回用项目能不能申请核证？第四，新技术项目150万港币，政府能补多少？"
)


def test_numbered_questions_are_split_in_order() -> None:
    parts = numbered_questions(LONG)
    assert sorted(parts) == [1, 2, 3, 4]
    assert parts[3] == "去年做的废水回用项目能不能申请核证？"


@pytest.mark.parametrize(
    ("text", "earlier", "again"),
    [
        ("第三个问题你还没回答", [LONG], "去年做的废水回用项目能不能申请核证？"),
        ("第2個問題呢？", [LONG], "电子行业是不是目标行业？"),
        ("what about q2?", ["1. can we apply? 2. how much for 500k?"], "how much for 500k?"),
        ("you didn't answer the second question", ["first, can we apply? second, how much?"], "how much?"),
        # no numbered message before, or a number beyond it: nothing to answer again
        ("第三个问题你还没回答", ["能申请吗？"], None),
        ("第五个问题呢", [LONG], None),
        # a phase by its number is no question of the user's
        ("第三期呢？", [LONG], None),
        ("1 2 3", ["1. a 2. b"], None),
    ],
)
def test_a_numbered_question_asked_again(text: str, earlier: list[str], again: str | None) -> None:
    assert question_asked_again(text, earlier) == again
