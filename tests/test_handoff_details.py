"""What a request for a person already says for the enquiry form (trial 37 c51)."""

from __future__ import annotations

import pytest

from bot.core.flows.handoff import details_in_request
from bot.core.session import Session


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "我要找人工跟进，我叫王伟，电话13800138000，公司是伟达塑胶，厂在惠州惠阳，想问新技术项目怎么申请",
            {
                "name": "王伟",
                "phone": "13800138000",
                "company": "伟达塑胶",
                "topic": "想问新技术项目怎么申请",
            },
        ),
        (
            "I want to talk to a person. My name is Peter Chan, phone 9123 4567, company: ABC Ltd",
            {"name": "Peter Chan", "phone": "9123 4567", "company": "ABC Ltd"},
        ),
    ],
)
def test_details_said_with_the_request_are_kept(text: str, want: dict[str, str]) -> None:
    found = details_in_request(Session(chat_id=1, locale="zh_Hans_CN"), text)
    assert {k: v for k, v in found.items() if k != "place"} == want


@pytest.mark.parametrize("text", ["talk to a human pls", "我想搵職員", "I want staff"])
def test_a_bare_request_says_nothing_for_the_form(text: str) -> None:
    assert details_in_request(Session(chat_id=1), text) == {}


def test_a_name_from_a_company_and_a_place_said_any_way() -> None:
    """Trial 39 c61, c63."""
    found = details_in_request(
        Session(chat_id=1, locale="en"),
        "Hi, Peter Wong from ABC Ltd, factory in Foshan Nanhai. call me 91234567",
    )
    assert found["name"] == "Peter Wong" and found["company"] == "ABC Ltd"
    assert found["phone"] == "91234567" and found["place"] == "Nanhai, Foshan"
    said = details_in_request(Session(chat_id=1, locale="zh_Hant_HK"), "我叫黃太，間廠喺東莞鳳崗")
    assert said["name"] == "黃太" and said["place"] == "東莞市鳳崗鎮"
