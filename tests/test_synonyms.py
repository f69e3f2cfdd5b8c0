"""The synonym table: every entry's variants reach its canonical, in isolation and in sentences."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
import yaml

from bot.core.language import (
    SYNONYM_KINDS,
    SYNONYMS_PATH,
    SynonymError,
    default_synonyms,
    load_synonyms,
    normalise,
)
from bot.core.textnorm import fold

_RAW_ENTRIES = yaml.safe_load(SYNONYMS_PATH.read_text(encoding="utf-8"))
_S2HK = opencc.OpenCC("s2hk.json")

VARIANT_CASES = [
    pytest.param(entry["canonical"], variant, id=f"{entry['canonical']}<-{variant}")
    for entry in _RAW_ENTRIES
    for variant in entry["variants"]
]


def _is_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def test_table_size_and_kinds() -> None:
    table = default_synonyms()
    assert len(table.entries) >= 150
    assert {entry.kind for entry in table.entries} == SYNONYM_KINDS
    for entry in table.entries:
        assert entry.variants, entry.canonical


def test_every_raw_entry_has_only_known_fields() -> None:
    for entry in _RAW_ENTRIES:
        assert set(entry) <= {"canonical", "variants", "kind", "note"}, entry
        assert entry["kind"] in SYNONYM_KINDS, entry


@pytest.mark.parametrize(("canonical", "variant"), VARIANT_CASES)
def test_variant_normalises_to_its_canonical(canonical: str, variant: str) -> None:
    target = fold(canonical)
    assert target in normalise(variant)
    # The same variant inside a sentence; the padding words are in no entry.
    padded = f"甲{variant}乙" if _is_chinese(variant) else f"the {variant} here"
    assert target in normalise(padded)
    # Traditional and Simplified spellings of a variant both work.
    if _is_chinese(variant):
        assert target in normalise(_S2HK.convert(variant))
        assert target in normalise(fold(variant))


@pytest.mark.parametrize("canonical", sorted({e["canonical"] for e in _RAW_ENTRIES}))
def test_canonical_is_left_as_it_is(canonical: str) -> None:
    assert normalise(canonical) == fold(canonical)


# Real-looking messages: (text, folded terms that must appear, terms that must not remain).
SENTENCES = [
    (
        "我間廠喺東莞厚街，做傢俬，想申請實地評估，得唔得？",
        ["在东莞", "家具", "实地评估", "可不可以"],
        ["傢俬", "家私", "得唔得"],
    ),
    ("示範項目預算七十萬，政府最多俾幾多？", ["示范项目", "上限给多少"], ["俾", "几多"]),
    ("印花廠廢水點樣回用？", ["印花", "污水", "如何"], ["废水", "点样"]),
    ("评估费三万块港币，我们自己要付多少", ["实地评估", "港元"], ["港币"]),
    ("我哋用緊天拿水洗機，有冇得慳電？", ["我们", "稀释剂", "有没有", "节能"], ["天拿水", "悭电"]),
    ("啤機房好嘈，冷氣又唔夠凍", ["注塑机", "空调", "不够"], ["啤机", "冷气"]),
    ("車房噴油有味，係咪要裝抽氣？", ["汽车维修工场", "喷涂", "是不是", "抽风"], ["车房", "喷油"]),
    ("我想搵真人傾下，唔該", ["找", "职员", "谢谢"], ["揾", "真人"]),
    ("電鍍廠嘅廢水點解咁難處理", ["电镀", "的", "污水", "为何"], ["点解", "嘅"]),
    ("用火水定開油水抹機好？", ["煤油", "稀释剂"], ["火水", "开油水"]),
    ("鍋爐用蒸氣，有冇熱回收方案", ["锅炉", "蒸汽", "热回收", "有没有"], ["蒸气"]),
    ("空压机漏气，有没有补贴？", ["空气压缩机", "资助"], ["补贴"]),
    ("核证要几多钱", ["核证", "多少钱"], ["几多钱"]),
    ("資助上限封頂係幾多", ["资助", "上限", "多少"], ["封顶"]),
    ("我地間廠做漂染同印花", ["我们", "印染", "印花"], ["漂染"]),
    ("熱線電話幾號？", ["热线"], ["热线电话"]),
    ("我哋喺工作坊測試引擎", ["工作坊", "车辆引擎测试"], ["工工场"]),
    (
        "Our electroplatting fty has VOCs and NOx problems",
        ["electroplating", "factory", "voc", "nox"],
        ["vocs", "fty"],
    ),
    (
        "Can we get a subsidey for the on-site assessment?",
        ["subsidy", "assessment"],
        ["subsidey", "on-site"],
    ),
    (
        "Is a demo project for our textle plant elligible?",
        ["demonstration project", "textile", "eligible"],
        ["elligible", "textle"],
    ),
    (
        "Our aircon and compresed air bills are huge",
        ["air conditioning", "compressed air"],
        ["aircon", "compresed"],
    ),
    (
        "What is the max funding for V.O.C. reduction?",
        ["cap subsidy", "voc reduction"],
        ["max", "v.o.c."],
    ),
    ("The boilor capacity is 2 tonnes", ["boiler capacity"], ["boilor"]),
    (
        "I want to talk to a real person, what's the hotline phone number?",
        ["staff", "hotline"],
        ["real person"],
    ),
    (
        "We do spray painting with lacquer and varnsh",
        ["spray coating", "lacquer", "varnish"],
        ["varnsh"],
    ),
]


@pytest.mark.parametrize(("text", "present", "absent"), SENTENCES)
def test_real_sentences(text: str, present: list[str], absent: list[str]) -> None:
    result = normalise(text)
    for term in present:
        assert term in result, (term, result)
    for term in absent:
        assert term not in result, (term, result)


@pytest.mark.parametrize(
    "text",
    [
        "capacity planning",  # cap
        "the maximise button",  # max
        "a refund of fees",  # fund
        "demolition waste",  # demo
        "the auditorium",  # audit
        "plantation",  # plant
        "dusty",  # dust
    ],
)
def test_english_variants_match_whole_words_only(text: str) -> None:
    assert normalise(text) == fold(text)


@pytest.mark.parametrize(
    "text",
    ["工作坊", "系統", "左右", "既然", "比我大", "電機工程", "猫咪", "車間", "測試結果"],
)
def test_unrelated_chinese_words_are_left_alone(text: str) -> None:
    # Words that contain a variant's characters but mean something else.
    assert normalise(text) == fold(text)


def test_longest_variant_wins() -> None:
    assert normalise("唔該晒") == "谢谢"
    assert normalise("可唔可以") == "可不可以"
    assert normalise("係唔係") == "是不是"
    assert normalise("唔") == "不"
    assert normalise("有冇") == "有没有"
    assert normalise("冇") == "没有"
    assert normalise("maximum amount") == "cap"


def test_normalise_is_idempotent() -> None:
    texts = [text for text, _, _ in SENTENCES]
    texts += [v for e in _RAW_ENTRIES for v in e["variants"]]
    for text in texts:
        once = normalise(text)
        assert normalise(once) == once, text


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "synonyms.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- canonical: 噴塗\n  variants: [噴油]\n  kind: slang\n", "kind"),
        ("- canonical: 噴塗\n  variants: []\n  kind: domain\n", "variants"),
        ("- canonical: ''\n  variants: [x]\n  kind: domain\n", "canonical"),
        ("- canonical: a\n  variants: [b]\n  kind: domain\n  colour: red\n", "unknown keys"),
        ("canonical: a\n", "list"),
        (
            "- canonical: 噴塗\n  variants: [噴油]\n  kind: domain\n"
            "- canonical: 油漆\n  variants: [喷油]\n  kind: domain\n",
            "maps to both",
        ),
    ],
)
def test_malformed_tables_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(SynonymError, match=message):
        load_synonyms(_write(tmp_path, body))


def test_a_small_table_applies_as_written(tmp_path: Path) -> None:
    table = load_synonyms(
        _write(
            tmp_path,
            "- canonical: 噴塗\n  variants: [噴油, 噴漆]\n  kind: cantonese\n"
            "- canonical: voc\n  variants: [vocs, v.o.c.]\n  kind: english\n",
        )
    )
    assert table.apply(fold("噴油房VOCs好高")) == "喷涂房voc好高"
    assert table.apply(fold("喷漆 and V.O.C.")) == "喷涂 and voc"
