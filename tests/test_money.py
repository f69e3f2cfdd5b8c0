"""Money amounts as people type them: table-driven cases plus robustness and speed."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.money import Amount, find_amounts, parse_amount

CASES_FILE = Path(__file__).parent / "cases" / "money.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _expected_fields(expected: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": Decimal(str(expected["value"])),
        "currency": expected.get("currency"),
        "unit_hint": expected.get("hint"),
        "approximate": expected.get("approx", False),
    }


def _actual_fields(amount: Amount) -> dict[str, Any]:
    return {
        "value": amount.value,
        "currency": amount.currency,
        "unit_hint": amount.unit_hint,
        "approximate": amount.approximate,
    }


def _check(text: str, actual: Amount | None, expected: dict[str, Any] | None) -> None:
    if expected is None:
        assert actual is None, f"{text!r}: expected no amount, got {actual}"
        return
    assert actual is not None, f"{text!r}: expected {expected}, got nothing"
    assert _actual_fields(actual) == _expected_fields(expected), text
    # the value is exact: a Decimal, never a float in disguise
    assert isinstance(actual.value, Decimal)
    assert text[actual.span[0] : actual.span[1]] == actual.text
    if "text" in expected:
        assert actual.text == expected["text"], text


def _case_id(case: dict[str, Any]) -> str:
    return case["text"][:40] or "<empty>"


PARSE_CASES = [c for c in CASES if "parse" in c or "amount" in c]
FIND_CASES = [c for c in CASES if "find" in c or "amount" in c]


def test_case_file_is_well_formed() -> None:
    assert len(CASES) >= 150
    for case in CASES:
        assert isinstance(case["text"], str)
        assert {"amount", "parse", "find"} & case.keys(), case


@pytest.mark.parametrize("case", PARSE_CASES, ids=_case_id)
def test_parse_amount(case: dict[str, Any]) -> None:
    expected = case["parse"] if "parse" in case else case["amount"]
    _check(case["text"], parse_amount(case["text"]), expected)


@pytest.mark.parametrize("case", FIND_CASES, ids=_case_id)
def test_find_amounts(case: dict[str, Any]) -> None:
    text = case["text"]
    if "find" in case:
        expected = case["find"]
    else:
        expected = [] if case["amount"] is None else [case["amount"]]
    found = find_amounts(text)
    assert len(found) == len(expected), f"{text!r}: {found}"
    for amount, wanted in zip(found, expected, strict=True):
        _check(text, amount, wanted)
    spans = [a.span for a in found]
    assert spans == sorted(spans), "amounts come in the order they are written"


def test_amount_is_frozen() -> None:
    amount = parse_amount("HK$400k")
    assert amount is not None
    with pytest.raises(AttributeError):
        amount.value = Decimal(1)  # type: ignore[misc]


def test_spans_point_into_text_with_length_changing_folds() -> None:
    # ① folds to "1" and "İ" to two characters: spans must still index the original text
    text = "İİ ① 預算 ＨＫ＄３０萬，另外 ¥25,000"
    found = find_amounts(text)
    assert [a.text for a in found] == ["ＨＫ＄３０萬", "¥25,000"]
    assert [(a.value, a.currency) for a in found] == [
        (Decimal(300000), "HKD"),
        (Decimal(25000), "RMB"),
    ]
    for amount in found:
        assert text[amount.span[0] : amount.span[1]] == amount.text


def test_control_characters_and_nul_do_not_hide_amounts() -> None:
    found = find_amounts("\x00\x07成本\x00 40萬\u200b\ud800")
    assert [a.value for a in found] == [Decimal(400000)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_find_amounts_never_raises_on_arbitrary_text(text: str) -> None:
    for amount in find_amounts(text):
        assert isinstance(amount.value, Decimal)
        assert text[amount.span[0] : amount.span[1]] == amount.text
    parsed = parse_amount(text)
    assert parsed is None or isinstance(parsed.value, Decimal)


_MONEYISH = st.text(
    alphabet="0123456789,.-$kKmM 一二兩三四五六七八九十廿卅百千萬億半幾多點元塊蚊港幣人民¥HKD%年個",
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_MONEYISH)
def test_money_shaped_noise_never_raises(text: str) -> None:
    find_amounts(text)
    parse_amount(text)


@pytest.mark.parametrize(
    "value",
    ["80000", "1250000.50", "3", "999999999999999999999999", "0.5"],
)
def test_plain_digits_round_trip_exactly(value: str) -> None:
    parsed = parse_amount(value)
    assert parsed is not None and parsed.value == Decimal(value)


ADVERSARIAL = {
    "digits": "9" * 4096,
    "thousands": "1,000," * 700,
    "chinese digits": "一" * 4096,
    "chinese units": "萬" * 4096,
    "mixed": "1萬2" * 1400,
    "signs": "-1" * 2048,
    "ranges": "1-2萬" * 1024,
    "dollars": "$" * 4096,
    "prefix and spaces": "HK$ " * 1024,
    "exponents": "1e" * 2048,
    "powers": "10^" * 1400,
    "dates": "2013-04-01 " * 380,
    "phones": "2788 " * 820,
    "cues": "成本一" * 1400,
    "emoji": "😀1" * 2048,
    "controls": "\x00\x01萬1" * 1024,
    "hedges": "大概兩萬幾左右" * 600,
    "wide": "＄３０萬" * 1024,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_input_is_fast(name: str) -> None:
    text = ADVERSARIAL[name][:4096]
    find_amounts(text)  # warm caches so the timing is of the scan, not of imports
    began = time.perf_counter()
    find_amounts(text)
    parse_amount(text)
    elapsed = (time.perf_counter() - began) / 2
    assert elapsed < 0.05, f"{name}: {elapsed * 1000:.1f} ms"


def test_typical_messages_parse_fast() -> None:
    messages = [c["text"] for c in CASES[:120]]
    for text in messages:
        find_amounts(text)
    rounds = 20
    began = time.perf_counter()
    for _ in range(rounds):
        for text in messages:
            find_amounts(text)
    average = (time.perf_counter() - began) / (rounds * len(messages))
    assert average < 1e-4, f"{average * 1e6:.1f} µs per message"


# Thirteenth trial (bad02): a decimal comma before a magnitude ("HK$1,2m"); a comma before
# three digits stays a thousands separator.
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("HK$1,2m", 1200000),
        ("1,2m", 1200000),
        ("HK$1,2 million", 1200000),
        ("1,5萬", 15000),
        ("12,5k", 12500),
        ("1,200k", 1200000),
        ("1,250,000", 1250000),
    ],
)
def test_a_decimal_comma(text: str, value: int) -> None:
    from bot.core.money import parse_amount

    amount = parse_amount(text)
    assert amount is not None and amount.value == value


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        # fourteenth trial mix05: amounts in English words
        ("five hundred thousand HKD", "500000", "HKD"),
        ("half a million dollars", "500000", None),
        ("HK$ five hundred thousand", "500000", "HKD"),
        ("project about three hundred and fifty thousand", "350000", None),
        ("a million RMB", "1000000", "RMB"),
        ("我哋個project大概five hundred thousand HKD", "500000", "HKD"),
        # twentieth trial c40: a decimal point, and an amount said alone
        ("one point five million", "1500000", None),
        ("about two point five million", "2500000", None),
        ("fifty thousand", "50000", None),
    ],
)
def test_amounts_in_english_words(text: str, value: str, currency: str | None) -> None:
    (amount,) = find_amounts(text)
    assert (str(amount.value), amount.currency) == (value, currency)


@pytest.mark.parametrize(
    "text",
    [
        "we have two thousand workers",
        "one of the two hundred factories",
        "a thousand thanks",
        "ninety million thousand million dollars project",  # scales with no number between
        # a vague amount: no figure is made up (twentieth trial c53)
        "the project costs a few hundred thousand",
        "it costs hundreds of thousands of dollars",
        "one point twenty million",
    ],
)
def test_number_words_without_money_are_no_amount(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # seventeenth trial x04: one priced thing after an article is no count
        ("how much for a 1萬2 assessment in 2014?", "12000"),
        ("an 80000 project", "80000"),
        ("we did 3 assessments", None),
        ("2 assessments", None),
    ],
)
def test_a_priced_thing_after_an_article(text: str, value: str | None) -> None:
    assert [str(a.value) for a in find_amounts(text)] == ([value] if value else [])


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        # trial 51 cf40, cf54: digits grouped by ten thousands, as 萬 is written
        ("$3,5000呢", "35000", None),
        ("12,0000", "120000", None),
        ("35,000", "35000", None),
        # "人仔" is renminbi; "蚊" before it is the unit, not Hong Kong dollars
        ("人仔40萬", "400000", "RMB"),
        ("40萬蚊人仔", "400000", "RMB"),
        ("三十蚊", "30", "HKD"),
    ],
)
def test_ten_thousand_grouping_and_renminbi_slang(
    text: str, value: str, currency: str | None
) -> None:
    found = find_amounts(text)
    assert [(str(a.value), a.currency) for a in found] == [(value, currency)]
