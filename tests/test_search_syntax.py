"""A message written as a search-box query (bot.core.reading): a guide search, with no
facts of a case read from its operators. One row per outcome."""

from __future__ import annotations

import pytest

from bot.core.reading import read


@pytest.mark.parametrize(
    "text",
    ['boiler AND (energy OR "heat recovery") -dyeing*', 'dye* "waste water"', "VOC -printing -dyeing"],
)
def test_search_syntax_is_a_guide_search(text: str) -> None:
    reading = read(text)
    assert reading.asks == {"guides"}
    assert not [f for f in reading.facts if f.kind in ("process", "premises")]


@pytest.mark.parametrize(
    "text",
    [
        'Our factory (in Dongguan) does "spray painting", can we apply?',  # quotes and brackets
        "我間廠喺東莞 (長安鎮) 做噴油，可唔可以申請？",
        "HK$300k-400k assessment",  # a range, no -term
    ],
)
def test_brackets_quotes_and_ranges_are_how_people_write(text: str) -> None:
    assert read(text).asks != {"guides"}


def test_two_boolean_operators_are_a_search() -> None:
    assert read("清潔生產 AND 印刷 OR 油墨").asks == {"guides"}


def test_two_quoted_phrases_are_not() -> None:
    text = 'Our factory in Dongguan does "spray painting" and "curing", can we apply?'
    assert read(text).asks != {"guides"}


def test_a_site_filter_operators_and_an_excluded_word_are_no_terms(tmp_path) -> None:
    """Fourteenth trial cmn10: 'site:cleanerproduction.hk 废水 OR 污水 -广告' found FAQ
    entries on the website and promotion, no water guide."""
    from bot.core.knowledge_base import KnowledgeBase

    kb = KnowledgeBase.open(tmp_path / "kb.sqlite3")
    page = kb.search("帮我查一下 site:cleanerproduction.hk 废水 OR 污水 -广告", "zh_Hans_CN", limit=3)
    assert page.hits and all(h.id.startswith("theme-water#") for h in page.hits)
