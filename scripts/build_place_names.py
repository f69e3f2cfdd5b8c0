"""Build knowledge/places/names.json from the gazetteer (places.json) and names.yaml:

  * Cantonese romanisations of every Guangdong and Hong Kong place (city, district,
    county, town, Hong Kong area), from PyCantonese's Jyutping (rime-cantonese and
    HKCanCor data, CC BY 4.0) through the rules in names.yaml to the spellings Hong Kong
    people write ("Tung Kwun", "Fu Mun", "Sun Wui");
  * old and popular names (names.yaml, each with its source);
  * the readings (Putonghua pinyin from pypinyin, Cantonese from PyCantonese, tones
    dropped) of the characters that sound like a character of a Guangdong or Hong Kong
    place name, so a homophone slip (東官 for 東莞) can be offered as "did you mean";
  * the English words of the project's own knowledge texts, never taken for a misspelt
    place name.

Build time only (pycantonese is a test dependency, pypinyin is installed by hand); the
output is committed. Run after scripts/build_places.py:

    pip install pypinyin==0.55.0
    python scripts/build_place_names.py
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pycantonese
import yaml
from pycantonese.data.rime_cantonese import CHARS_TO_JYUTPING
from pypinyin import Style, pinyin

from bot.core.textnorm import fold

ROOT = Path(__file__).resolve().parent.parent
PLACES_DIR = ROOT / "knowledge" / "places"
HOME_PREFIXES = ("cn-gd", "hk")
# Traditional suffixes dropped to give the bare name people say ("虎門鎮" -> "虎門").
_SUFFIX = re.compile(r"(?:(?:[\u4e00-\u9fff]{1,3}族)*自治縣|街道|鎮|鄉|市|區|縣)$")
_JYUTPING = re.compile(r"^(gw|kw|ng|[bpmfdtnlgkhwzcsj]?)([a-z]+?)([1-6])$")
_WORD = re.compile(r"[A-Za-z]{3,}")


def latin_key(text: str) -> str:
    """The matcher's key of a Latin name (as bot.core.places keys its Latin names)."""
    return re.sub(r"[\s'’\-\.&/]+", "", fold(text).replace("&", "and"))


def is_home(place_id: str) -> bool:
    return place_id.startswith(HOME_PREFIXES)


def bare_name(hant: str) -> str:
    stem = _SUFFIX.sub("", hant)
    return stem if len(stem) >= 2 else hant


class Romaniser:
    """Jyutping syllables to the spellings Hong Kong people write, by the rules of names.yaml."""

    def __init__(self, rules: dict) -> None:
        self.initials: dict[str, list[str]] = rules["initials"]
        self.finals: dict[str, list[str]] = rules["finals"]
        self.syllables: dict[str, list[str]] = rules["syllables"]
        self.limit: int = rules["max_per_name"]

    def syllable(self, jp: str) -> list[str]:
        if jp.rstrip("123456") in ("m", "ng"):  # syllabic nasals: 吳 ng4 "Ng"
            return self.finals[jp.rstrip("123456")]
        match = _JYUTPING.match(jp)
        if match is None:
            raise ValueError(f"not a Jyutping syllable: {jp}")
        initial, final, _tone = match.groups()
        if initial + final in self.syllables:
            return self.syllables[initial + final]
        if initial == "j" and final.startswith("yu"):
            initial = ""  # jyun -> "yuen": the y of the final is the initial
            return ["y" + f for f in self.finals[final]]
        return [i + f for i in self.initials[initial] for f in self.finals[final]]

    def spellings(self, jyutping: str) -> list[str]:
        """Every combination, fewest non-first choices first, capitalised per syllable."""
        options = [self.syllable(s) for s in jyutping.split()]
        combos = sorted(
            itertools.product(*[list(enumerate(o)) for o in options]),
            key=lambda combo: (sum(1 for i, _s in combo if i), sum(i for i, _s in combo)),
        )
        return [" ".join(s.capitalize() for _i, s in combo) for combo in combos[: self.limit]]


def jyutping_of(name: str) -> str | None:
    """The Jyutping of a whole name (the word reading when known, else per character)."""
    [(_word, jp)] = pycantonese.characters_to_jyutping([name])
    if jp and len(jp.split()) == len(name):
        return jp
    chars = [pycantonese.characters_to_jyutping([ch])[0][1] for ch in name]
    if any(c is None for c in chars):
        return None
    return " ".join(chars)  # type: ignore[arg-type]


def cantonese_names(places: list[dict], cfg: dict) -> tuple[list[list], list[str]]:
    """[place id, spelling] rows for every Guangdong and Hong Kong place, and the names
    with no Jyutping reading (reported, not guessed)."""
    romaniser = Romaniser(cfg["romanisation"])
    extra: dict[str, list[str]] = cfg["romanisation_extra"] or {}
    rows: list[list] = []
    missing: list[str] = []
    for place in places:
        if not is_home(place["id"]) or place["level"] == "province":
            continue
        bare = bare_name(place["name"]["zh_Hant_HK"])
        jp = jyutping_of(bare)
        if jp is None:
            missing.append(bare)
            continue
        spellings = romaniser.spellings(jp) + extra.get(bare, [])
        rows += [[place["id"], s] for s in dict.fromkeys(spellings)]
    return rows, missing


def old_names(cfg: dict, ids: set[str]) -> list[list]:
    """[place id, name, flag, rank] rows; rank None means the place's own rank."""
    rows = []
    for entry in cfg["old_names"]:
        if entry["place"] not in ids:
            raise SystemExit(f"old name for an unknown place: {entry['place']}")
        if not entry.get("source"):
            raise SystemExit(f"old name without a source: {entry['place']}")
        flag = "w" if entry.get("weak") else ""
        rows += [[entry["place"], n, flag, entry.get("rank")] for n in entry["names"]]
    return rows


def _readings(char: str) -> set[str]:
    # The usual reading only: a slip comes from typing the usual reading of the intended
    # character (rare readings such as 大 "tai" would make 台灣 sound like 大灣).
    out = {"p" + p for p in pinyin(char, style=Style.NORMAL)[0] if p.isalpha()}
    jp = CHARS_TO_JYUTPING.get(char)
    for syl in (jp or "").split():
        out.add("j" + syl.rstrip("123456"))
    return out


def readings(places: list[dict]) -> dict[str, str]:
    """Folded character -> its readings ("pdong jdung"), for every character that shares a
    reading with a character of a Guangdong or Hong Kong name."""
    table: dict[str, set[str]] = {}
    for char in (c for c in CHARS_TO_JYUTPING if len(c) == 1):
        folded = fold(char)
        if len(folded) == 1:
            table.setdefault(folded, set()).update(_readings(char))
    wanted: set[str] = set()
    name_chars: set[str] = set()
    for place in places:
        if is_home(place["id"]):
            for key, _flag in place["aliases"]:
                name_chars.update(key)
    for ch in name_chars:
        wanted |= table.get(ch, set())
    # A slip comes from an input method, which offers common characters: GB 2312's 6,763
    # and Big5's (plus the characters of the names themselves) keep the table small.
    return {
        ch: " ".join(sorted(r))
        for ch, r in sorted(table.items())
        if r & wanted and (ch in name_chars or _common(ch))
    }


def _common(char: str) -> bool:
    """A character an input method offers: in GB 2312 (the Mainland's common set) or in
    Big5 (Hong Kong's and Taiwan's: 筦 in 東筦 is typed for 東莞)."""
    if not "\u4e00" <= char <= "\u9fff":
        return False
    for codec in ("gb2312", "big5"):
        try:
            char.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


def english_words(place_keys: set[str], name_words: set[str]) -> list[str]:
    """Words of the project's English knowledge texts that are neither a place name nor a
    word of one ("tin" stays possible: Sha Tin)."""
    words: set[str] = set()
    for path in sorted((ROOT / "knowledge").rglob("*.yaml")):
        if path.parent.name == "places":
            continue
        words |= {w.lower() for w in _WORD.findall(path.read_text("utf-8"))}
    return sorted(w for w in words if w not in place_keys and w not in name_words)


def name_words(cantonese: list[list]) -> set[str]:
    """The syllables of the Cantonese spellings ("tin" of Sha Tin, "tai" of Tai Po)."""
    return {w.lower() for _i, n in cantonese for w in _WORD.findall(n)}


def main() -> None:
    data = json.loads((PLACES_DIR / "places.json").read_text("utf-8"))
    cfg = yaml.safe_load((PLACES_DIR / "names.yaml").read_text("utf-8"))
    places = data["places"]
    cantonese, missing = cantonese_names(places, cfg)
    place_keys = {k for p in places for k, _f in p["aliases"]}
    out = {
        "version": 1,
        "sources": "see SOURCES.md",
        "cantonese": cantonese,
        "old_names": old_names(cfg, {p["id"] for p in places}),
        "readings": readings(places),
        "opening_followers": sorted({fold(w)[0] for w in cfg["opening_followers"]}),
        "english_words": english_words(
            place_keys | {latin_key(s) for _i, s in cantonese}, name_words(cantonese)
        ),
    }
    dump = {"ensure_ascii": False, "separators": (",", ":")}
    (PLACES_DIR / "names.json").write_text(json.dumps(out, **dump) + "\n", "utf-8")
    print(
        f"{len(cantonese)} Cantonese spellings, {len(out['old_names'])} old names, "
        f"{len(out['readings'])} characters with readings, "
        f"{len(out['english_words'])} English words; no Jyutping for: {missing or 'none'}"
    )


if __name__ == "__main__":
    main()
