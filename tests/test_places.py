"""Places gazetteer: table-driven cases from tests/cases/places_*.yaml plus data checks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.core import places
from bot.core.reading import read

CASES = Path(__file__).parent / "cases"
FIND = yaml.safe_load((CASES / "places_find.yaml").read_text("utf-8"))
AT = yaml.safe_load((CASES / "places_at.yaml").read_text("utf-8"))
PRD_CITIES = {
    "guangzhou",
    "shenzhen",
    "dongguan",
    "foshan",
    "huizhou",
    "zhaoqing",
    "jiangmen",
    "zhongshan",
    "zhuhai",
}


def _answer(match: places.PlaceMatch | None) -> str | None:
    """A match in the case files' notation: id, "?a|b" when ambiguous, None."""
    if match is None:
        return None
    if match.place is not None:
        return match.place.id
    return "?" + "|".join(sorted(p.id for p in match.candidates))


def _expected(value: str | None) -> str | None:
    if value is None or not value.startswith("?"):
        return value
    return "?" + "|".join(sorted(value[1:].split("|")))


FIND_CASES = [
    pytest.param(text, expected, id=f"{group}:{text}")
    for group, rows in FIND.items()
    if group != "context"
    for text, expected in rows
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_place(text: str, expected: str | None) -> None:
    assert _answer(places.find_place(text)) == _expected(expected)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [pytest.param(*row, id=f"{row[0]}@{row[1]}") for row in FIND["context"]],
)
def test_find_place_with_context(text: str, context: str, expected: str) -> None:
    assert _answer(places.find_place(text, context=places.get(context))) == expected


@pytest.mark.parametrize(
    ("label", "lat", "lon", "expected"), [pytest.param(*r, id=r[0]) for r in AT]
)
def test_place_at(label: str, lat: float, lon: float, expected: str | None) -> None:
    place = places.place_at(lat, lon)
    assert (place.id if place else None) == expected, label


def test_match_text_is_the_users_words() -> None:
    message = "我間廠喺東莞厚街，做傢俬"
    match = places.find_place(message)
    assert match is not None and match.text == "厚街"
    assert message[match.span[0] : match.span[1]] == "厚街"
    match = places.find_place("Factory in CHANG AN town, dongguan")
    assert match is not None and match.text == "CHANG AN town"


def test_place_fields_for_a_dongguan_town() -> None:
    humen = places.find_place("虎門").place
    assert humen is not None
    assert humen.level == "town"
    assert humen.city == "Dongguan" and humen.province == "Guangdong" and humen.prd
    assert humen.city_name == {"en": "Dongguan", "zh_Hant_HK": "東莞市", "zh_Hans_CN": "东莞市"}
    assert humen.name["zh_Hant_HK"] == "虎門鎮"
    assert humen.parent_ids() == ("cn-gd-dongguan", "cn-gd")
    assert humen.is_within("cn-gd-dongguan") and not humen.is_within("hk")


def test_place_fields_for_hong_kong_macao_and_provinces() -> None:
    kt = places.get("hk-kwun-tong")
    assert (kt.city, kt.province, kt.prd, kt.in_hong_kong) == (
        "Hong Kong",
        "Hong Kong",
        False,
        True,
    )
    assert places.get("mo").province == "Macao"
    gx = places.get("cn-gx")
    assert gx.level == "province" and gx.city is None and gx.city_name is None
    qy = places.get("cn-gd-qingyuan")
    assert qy.in_guangdong and not qy.prd
    bj = places.get("cn-bj")
    assert bj.city == "Beijing" and bj.province == "Beijing"


def test_prd_is_exactly_the_nine_cities_and_their_insides() -> None:
    gd_cities = [p for p in places.all_places() if p.level == "city" and p.province == "Guangdong"]
    assert len(gd_cities) == 21
    assert {p.id.removeprefix("cn-gd-") for p in gd_cities if p.prd} == PRD_CITIES
    for place in places.all_places():
        if place.city_id and place.city_id.startswith("cn-gd-"):
            assert place.prd == (place.city_id.removeprefix("cn-gd-") in PRD_CITIES), place.id
        elif place.province != "Guangdong":
            assert not place.prd, place.id


def test_other_provinces_and_their_cities_are_present() -> None:
    provinces = {p.province for p in places.all_places() if p.level in ("province", "region")}
    assert {"Fujian", "Guangxi", "Hunan", "Jiangxi", "Hainan", "Hong Kong", "Macao"} <= provinces
    by_province = Counter(p.province for p in places.all_places() if p.level == "city")
    # Prefecture-level cities (plus Hainan's county-level cities under the province).
    assert by_province["Guangxi"] == 14 and by_province["Fujian"] == 9
    assert by_province["Hunan"] == 14 and by_province["Jiangxi"] == 11
    assert by_province["Hainan"] >= 4


def test_dongguan_and_zhongshan_have_all_their_towns() -> None:
    towns = Counter(p.city for p in places.all_places() if p.level == "town")
    assert towns["Dongguan"] >= 32 and towns["Zhongshan"] >= 23


def test_ids_unique_and_names_complete() -> None:
    seen: set[str] = set()
    for place in places.all_places():
        assert place.id not in seen
        seen.add(place.id)
        assert all(place.name.get(k) for k in ("en", "zh_Hant_HK", "zh_Hans_CN")), place.id
        assert places.get(place.id) is place
        for parent in place.parent_ids():
            assert parent in seen or places.get(parent)


def test_every_place_is_found_by_its_own_full_name() -> None:
    for place in places.all_places():
        for lang in ("zh_Hant_HK", "zh_Hans_CN"):
            assert place in places.lookup(place.name[lang]), (place.id, lang)


def test_lookup_exact_names_only() -> None:
    assert [p.id for p in places.lookup("Dongguan")] == ["cn-gd-dongguan"]
    assert [p.id for p in places.lookup("東莞市")] == ["cn-gd-dongguan"]
    # Every Guangdong town is found by its bare name too (Huiyang, Gaozhou, Xinfeng have a 沙田).
    assert {p.id for p in places.lookup("沙田")} == {
        "hk-sha-tin",
        "cn-gd-dongguan-shatian",
        "cn-gd-huizhou-huiyang-shatian",
        "cn-gd-maoming-gaozhou-shatian",
        "cn-gd-shaoguan-xinfeng-shatian",
    }
    assert places.lookup("東莞厚街") == []
    with pytest.raises(KeyError):
        places.get("cn-gd-nowhere")


def test_ambiguous_match_reports_common_province() -> None:
    match = places.find_place("Fuzhou")
    assert match is not None and match.place is None and match.province is None
    match = places.find_place("Shiqi")
    assert match is not None and match.place is None and match.province == "Guangdong"


def test_conflicting_mentions_are_reported() -> None:
    match = places.find_place("香港公司，廠喺東莞")
    assert match is not None and match.place == places.get("cn-gd-dongguan")
    assert match.others == (places.get("hk"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Großstraße, Dongguan", "Dongguan"), ("ﬁne, 東莞厚街", "厚街"), ("㈱東莞", "東莞")],
)
def test_span_survives_folding_that_changes_length(text: str, expected: str) -> None:
    match = places.find_place(text)
    assert match is not None and match.text == expected
    assert text[match.span[0] : match.span[1]] == expected


@pytest.mark.parametrize("text", ["", "   ", "？？", "12345"])
def test_no_place_in_empty_or_bare_text(text: str) -> None:
    assert places.find_place(text) is None


def test_two_towns_of_one_name_in_one_city_are_told_apart_by_county() -> None:
    """Thirteenth trial yue11: Qingyuan's two 太平鎮 were offered with the same label."""
    from datetime import date

    from bot.core.desks import load_desks
    from bot.core.dialogue import Dialogue, TextIn
    from bot.core.rules import load_rulebook
    from bot.core.session import Session
    from bot.render import button_text

    dialogue = Dialogue(load_rulebook(), load_desks(), date(2026, 11, 28))
    (reply,) = dialogue.handle(Session(chat_id=1), TextIn("仲有一間喺太平"))
    labels = [button_text(b, "zh_Hant_HK") for row in reply.buttons for b in row]
    assert "清遠市清新區太平鎮" in labels and "清遠市陽山縣太平鎮" in labels
    assert len(labels) == len(set(labels))


def test_within_is_false_for_an_id_no_longer_known() -> None:
    from bot.core import places

    assert places.within("cn-gd-dongguan-humen", "cn-gd-dongguan")
    assert not places.within("cn-gd-no-such-town", "cn-gd-dongguan")


@pytest.mark.parametrize(
    ("text", "stated", "denied"),
    [
        # sixteenth trial m16: an ellipsis before the correction ("……" is one character)
        ("我在东莞有工厂……不对，是在广西贵港", ["cn-gx-guigang"], ["cn-gd-dongguan"]),
        ("我在东莞有工厂…唔係，係喺惠州", ["cn-gd-huizhou"], ["cn-gd-dongguan"]),
        ("our factory is in Foshan... sorry I mean Zhongshan", ["cn-gd-zhongshan"], ["cn-gd-foshan"]),
    ],
)
def test_a_place_taken_back_after_an_ellipsis(
    text: str, stated: list[str], denied: list[str]
) -> None:
    facts = [f for f in read(text).facts if f.kind == "place"]
    assert [f.value for f in facts if f.polarity == "stated"] == stated
    assert [f.value for f in facts if f.polarity == "denied"] == denied
