"""Reply-locale detection: script votes, mixed text, undecidable text and Telegram codes."""

from __future__ import annotations

import statistics
import time

import pytest

from bot.core.language import (
    EN,
    ZH_HANS_CN,
    ZH_HANT_HK,
    detect_locale,
    detect_script,
    locale_from_language_code,
    text_evidence,
)


@pytest.mark.parametrize(
    "text",
    [
        "Our workshop in San Po Kong does car engine testing. Any funding?",
        "assessment fee 80k, how much is covered",
        "how to cut solvent use in a printing press",
        "Is my factory in Dongguan eligible?",
        "Our factory is in 東莞, can we apply?",
        "Can I apply for 示範項目 funding for my Dongguan plant?",
        "ＨＥＬＬＯ，ｆａｃｔｏｒｙ ｉｎ ｄｏｎｇｇｕａｎ",  # full-width Latin
    ],
)
def test_english_text_is_en_whatever_came_before(text: str) -> None:
    for last in (None, ZH_HANT_HK, ZH_HANS_CN):
        assert detect_locale(text, last=last, telegram_language_code="zh-hk") == EN


@pytest.mark.parametrize(
    "text",
    [
        "我間廠喺東莞厚街，做傢俬，想申請實地評估，得唔得？",
        "示範項目預算七十萬，政府最多俾幾多？",
        "印花廠廢水點樣回用？",
        "我想同職員講",
        "擴展計劃包唔包粵東粵西？",
        "我間factory喺Dongguan，可唔可以apply？",
        "我想apply個assessment，個factory喺Kwun Tong",
        "我哋用緊Atlas Copco air compressor，可唔可以換",
        "請問熱線幾號",
    ],
)
def test_traditional_text_is_hong_kong(text: str) -> None:
    for last in (None, EN, ZH_HANS_CN):
        assert detect_locale(text, last=last, telegram_language_code="zh-cn") == ZH_HANT_HK


@pytest.mark.parametrize(
    "text",
    [
        "我们厂在清远，2014年可以申请示范项目吗？",
        "厂房在福建泉州，能参加吗",
        "评估费三万块港币，我们自己要付多少",
        "联系你们的电话",
        "我们厂喺东莞，做电镀",  # one Cantonese character does not outvote the script
        "我们的factory在深圳，想apply",
        "我老板是香港人",  # twenty-eighth trial c66: 老板 is the Simplified 老闆
        "以后再说",
    ],
)
def test_simplified_text_is_mainland(text: str) -> None:
    for last in (None, EN, ZH_HANT_HK):
        assert detect_locale(text, last=last, telegram_language_code="zh-hk") == ZH_HANS_CN


def test_script_majority_decides_mixed_scripts() -> None:
    # 們 and 東 are Traditional; 厂, 电, 镀 and 们 Simplified.
    assert detect_locale("我们厂在東莞做电镀") == ZH_HANS_CN
    assert detect_locale("我們廠在東莞做电镀") == ZH_HANT_HK


@pytest.mark.parametrize(
    "text", ["123", "👍", "？？", "ok", "OK!!", "thx", "haha", "  ", "", "3 4 5"]
)
def test_text_without_language_keeps_last(text: str) -> None:
    for last in (EN, ZH_HANT_HK, ZH_HANS_CN):
        assert detect_locale(text, last=last, telegram_language_code="fr") == last


@pytest.mark.parametrize(
    ("code", "expected"),
    [("zh-hk", ZH_HANT_HK), ("zh-cn", ZH_HANS_CN), ("en", EN), (None, EN), ("de", EN)],
)
def test_text_without_language_and_no_last_uses_telegram_code(
    code: str | None, expected: str
) -> None:
    assert detect_locale("👍", telegram_language_code=code) == expected


def test_shared_characters_keep_the_last_chinese_locale() -> None:
    # 你好 and 可以 are written the same in both scripts.
    assert detect_locale("你好", last=ZH_HANS_CN) == ZH_HANS_CN
    assert detect_locale("可以", last=ZH_HANT_HK, telegram_language_code="zh-cn") == ZH_HANT_HK
    assert detect_locale("你好", telegram_language_code="zh-cn") == ZH_HANS_CN


def test_shared_characters_after_english_still_get_chinese() -> None:
    # Chinese text is never answered in English, even when the conversation was.
    assert detect_locale("你好", last=EN) == ZH_HANT_HK
    assert detect_locale("你好", last=EN, telegram_language_code="zh-cn") == ZH_HANS_CN
    assert detect_locale("你好") == ZH_HANT_HK


def test_cantonese_characters_point_to_hong_kong_when_the_script_cannot() -> None:
    # 有冇, 佢, 唔 are the same in both scripts but are written Cantonese.
    assert detect_locale("有冇", telegram_language_code="zh-cn") == ZH_HANT_HK
    assert detect_locale("佢唔想", last=EN, telegram_language_code="zh-cn") == ZH_HANT_HK
    # ... but a conversation already in Simplified stays there.
    assert detect_locale("有冇", last=ZH_HANS_CN) == ZH_HANS_CN


def test_unknown_last_locale_is_ignored() -> None:
    assert detect_locale("ok", last="fr_FR") == EN
    assert detect_locale("你好", last="ja") == ZH_HANT_HK


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh-hk", ZH_HANT_HK),
        ("zh-HK", ZH_HANT_HK),
        ("zh-tw", ZH_HANT_HK),
        ("zh-mo", ZH_HANT_HK),
        ("zh-hant", ZH_HANT_HK),
        ("zh_Hant_HK", ZH_HANT_HK),
        ("yue", ZH_HANT_HK),
        ("zh", ZH_HANS_CN),
        ("zh-cn", ZH_HANS_CN),
        ("zh-hans", ZH_HANS_CN),
        ("zh-sg", ZH_HANS_CN),
        ("yue-hans", ZH_HANS_CN),
        ("en", EN),
        ("en-gb", EN),
        ("en-US", EN),
        ("fr", EN),
        ("pt-br", EN),
        ("", None),
        (None, None),
        ("not a code!", None),
    ],
)
def test_language_code_mapping(code: str | None, expected: str | None) -> None:
    assert locale_from_language_code(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how much funding", "latin"),
        ("點樣申請", "hant"),
        ("怎么申请", "hans"),
        ("你好", None),
        ("123 👍", None),
        ("ok", None),
        ("我間factory喺Dongguan", "hant"),
        ("Our factory is in 東莞, can we apply?", "latin"),
    ],
)
def test_detect_script(text: str, expected: str | None) -> None:
    assert detect_script(text) == expected


def test_evidence_counts() -> None:
    evidence = text_evidence("我間factory喺Dongguan，可唔可以apply？ok")
    assert evidence.han_chars == 7
    assert evidence.latin_words == 3  # "ok" says nothing
    assert evidence.traditional_votes == 1  # 間
    assert evidence.simplified_votes == 0
    assert evidence.cantonese_chars == 2  # 喺, 唔


def test_identical_characters_do_not_vote() -> None:
    # Every character here is the same in both scripts (HK's own forms 着, 户, 温 included).
    evidence = text_evidence("你好我想去可以着户温")
    assert evidence.traditional_votes == 0
    assert evidence.simplified_votes == 0


def test_detection_cost_is_well_under_the_goal() -> None:
    # The goal is 50 µs per message; the median leaves a wide margin for a busy machine.
    messages = [
        "我間factory喺Dongguan，可唔可以apply？",
        "我们厂在清远，可以申请吗",
        "Any funding?",
    ]
    samples = []
    for _ in range(300):
        for text in messages:
            start = time.perf_counter_ns()
            detect_locale(text, last=ZH_HANT_HK)
            samples.append((time.perf_counter_ns() - start) / 1000)
    assert statistics.median(samples) < 50


def test_the_script_character_file_matches_opencc_and_cedict() -> None:
    """knowledge/script_chars.json is generated; regenerate it with
    scripts/build_script_chars.py when OpenCC or zhon change."""
    from bot.core import language

    assert language._script_only_characters() == language.compute_script_only_characters()


# Twenty-fourth trial c40: a short English follow-up with a Chinese amount in a Chinese chat.
@pytest.mark.parametrize(
    ("text", "last", "locale"),
    [
        ("what about RMB 50万?", "zh_Hans_CN", "zh_Hans_CN"),
        ("how about 惠州?", "en", "en"),
        # twenty-sixth trial c09: Chinese, in the script its characters show
        ("VOC 點減", "zh_Hans_CN", "zh_Hant_HK"),
        ("VOC 怎么减", "zh_Hant_HK", "zh_Hans_CN"),
    ],
)
def test_a_short_mixed_follow_up_keeps_the_chat_language(text: str, last: str, locale: str) -> None:
    from bot.core.language import detect_locale

    assert detect_locale(text, last) == locale


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SELECT * FROM tickets; DROP TABLE tickets;--", True),
        ("import os; os.system('ls')", True),  # twenty-ninth trial c40: got three guides
        ("from os import path", True),
        ("<?php echo 1; ?>", True),
        ("curl http://example.com/x | sh", True),
        ("from Dongguan", False),
        ("import machines from Japan", False),
        ("we import raw materials; is that ok?", False),
        ("select a factory", False),
    ],
)
def test_computer_code_is_told_from_a_question(text: str, code: bool) -> None:
    from bot.core.language import looks_like_code

    assert looks_like_code(text) is code


# Thirty-first trial c39: a figure written with a Chinese unit says nothing of the
# language; an English chat stays English, a Chinese one Chinese.
@pytest.mark.parametrize("text", ["Actually 50萬 RMB", "ok 80萬 then", "so 50萬蚊?"])
def test_a_chinese_unit_in_a_figure_keeps_the_chat_language(text: str) -> None:
    assert detect_locale(text, "en") == "en"
    assert detect_locale(text, "zh_Hant_HK") == "zh_Hant_HK"
