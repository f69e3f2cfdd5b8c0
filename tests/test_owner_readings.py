"""Owners said in ways the tenth trial found misread (bot.core.reading): "not yet" a Hong
Kong company, an offshore owner, a Hong Kong subsidiary said with a locative. One row per
form; the wrong "eligible" is the outcome that must never happen."""

from __future__ import annotations

import pytest

from bot.core.reading import read


def owners(text: str) -> set[tuple[str, str]]:
    return {(f.value, f.polarity) for f in read(text).facts if f.kind == "ownership"}


@pytest.mark.parametrize(
    "text",
    [
        "其實我哋仲未有HK company，係BVI公司",
        "我哋仲未有香港公司",
        "我们还没有香港公司",
        "我们尚未有香港公司，是BVI公司",
    ],
)
def test_no_hong_kong_company_yet_is_a_denial(text: str) -> None:
    assert ("hk", "denied") in owners(text)


@pytest.mark.parametrize(
    "text", ["我哋係BVI公司", "the owner is a BVI company", "我们是开曼公司", "我哋係離岸公司擁有"]
)
def test_an_offshore_owner_is_from_elsewhere(text: str) -> None:
    assert owners(text) == {("foreign", "stated")}


@pytest.mark.parametrize(
    "text",
    [
        "我哋喺香港有間註冊咗嘅子公司，惠州廠係佢100%獨資",
        "我们在香港有一家注册的子公司，惠州工厂是它100%独资的",
        "we have a subsidiary registered in Hong Kong that owns the Huizhou plant 100%",
    ],
)
def test_a_hong_kong_subsidiary_that_owns_the_factory_is_link_b(text: str) -> None:
    assert owners(text) == {("hk", "stated")}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a company still to be set up: what it would need is said, nothing assumed
        ("如果喺香港開間公司，惠州廠100%歸佢", {("hk_planned", "stated")}),
        # a Hong Kong company beside a parent elsewhere that owns the factory: asked
        ("我哋喺香港有間公司，但惠州廠係新加坡母公司全資擁有", {("unclear", "stated")}),
        # a Hong Kong company with no word of its link to the factory: nothing read
        ("喺香港有間公司", set()),
    ],
)
def test_a_hong_kong_company_without_a_link_said_is_not_the_owner(
    text: str, want: set[tuple[str, str]]
) -> None:
    assert owners(text) == want
