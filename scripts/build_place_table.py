"""Build tests/cases/places_table.yaml: 300+ place names as people mistype or rename them,
100 or more per script (Traditional, Simplified, Latin), each with the place it means.

Made from the gazetteer by rules (seeded, so the table is stable), not typed by hand:

  Chinese (Traditional, and a different draw converted with OpenCC hk2s for Simplified):
    * homophone slips: one character of a Guangdong or Hong Kong name replaced by a common
      character of the same Putonghua reading (GB 2312 level 1, the 3,755 most common) --
      the slip a pinyin input method makes (東官 for 東莞);
    * homonyms: every name a Hong Kong place shares with a Guangdong one, and Guangdong
      names shared with places elsewhere, in a sentence; the expected place is one of them;
    * old and popular names (names.yaml) in a sentence.
  Latin:
    * pinyin slips of Guangdong names: zh/z, sh/s, ch/c, n/ng, a letter dropped, doubled
      or swapped with its neighbour, tone marks, syllables spaced;
    * Cantonese romanisations (names.json) as written and with one slip;
    * Hong Kong's official English names with one slip; old English names.

A row whose text is the exact name of another prefecture-level city or province is
dropped: that is a real name, not a misspelling. Rows listed in REVIEWED were read by
hand and removed or kept as noted. Run after build_place_names.py:

    python scripts/build_place_table.py
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import opencc
import yaml
from pypinyin import Style, pinyin

from bot.core import places
from bot.core.textnorm import fold

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "cases" / "places_table.yaml"
PER_SCRIPT = 110  # a margin over the 100 the issue asks for
FRAMES_ZH = ["{}", "我間廠喺{}", "廠房喺{}", "我哋喺{}有間工場", "{}有冇資助？"]
FRAMES_HANS = ["{}", "我的工厂在{}", "厂房在{}", "我们在{}有个车间", "{}可以申请吗？"]
FRAMES_EN = ["{}", "factory in {}", "Our plant is in {}", "we are at {}", "{} factory"]
# Read by hand: rows the rules made that are not a slip anyone would make, or that read
# as another word. text -> reason.
REVIEWED: dict[str, str] = {}


def _gb2312_level1(char: str) -> bool:
    try:
        code = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7  # level 1: rows 16-55


def _reading(char: str) -> str:
    return pinyin(char, style=Style.NORMAL)[0][0]


class Maker:
    def __init__(self, seed: int, frames: list[str] = FRAMES_ZH) -> None:
        self.rng = random.Random(seed)
        self.frames = frames
        self.s2hk = opencc.OpenCC("s2hk.json")
        self.home = [
            p
            for p in places.all_places()
            if (p.in_guangdong or p.in_hong_kong) and p.rank <= 1 and p.level != "province"
        ]
        self.home.sort(key=lambda p: p.id)
        self.by_reading: dict[str, list[str]] = {}
        for code in range(0xB0A1, 0xD7FA):
            try:
                char = bytes([code >> 8, code & 0xFF]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            self.by_reading.setdefault(_reading(char), []).append(char)
        self.city_names = {
            key
            for p in places.all_places()
            if p.rank == 0 and not (p.in_guangdong or p.in_hong_kong)
            for key in (fold(p.name["zh_Hans_CN"]), fold(p.name["en"]).replace(" ", ""))
        }

    def bare(self, place: places.Place) -> str:
        name = place.name["zh_Hant_HK"]
        stem = re.sub(r"(?:(?:[\u4e00-\u9fff]{1,3}族)*自治縣|街道|鎮|市|區|縣)$", "", name)
        return stem if len(stem) >= 2 else name

    def shared_in_city(self, place: places.Place, name: str) -> bool:
        """A name several places of one city bear (新塘: Zengcheng's and Tianhe's): its
        answer is the city, which is right but not the place the row names."""
        return any(p.city_id == place.city_id and p != place for p in places.lookup(name))

    def real_name(self, text: str) -> bool:
        return bool(places.lookup(text)) or fold(text).replace(" ", "") in self.city_names

    # -- Chinese ------------------------------------------------------------------
    def homophone_slips(self, n: int) -> list[list]:
        rows: list[list] = []
        pool = self.home[:]
        self.rng.shuffle(pool)
        for place in pool:
            name = self.bare(place)
            i = self.rng.randrange(len(name))
            simp = fold(name[i])
            options = [
                c
                for c in self.by_reading.get(_reading(simp), [])
                if c != simp and _gb2312_level1(c)
            ]
            if not options:
                continue
            # The slip in the name's own script (a Traditional name gets a Traditional slip).
            slip = self.s2hk.convert(self.rng.choice(options))
            slipped = name[:i] + slip + name[i + 1 :]
            if self.real_name(slipped):
                continue
            rows.append([self.rng.choice(self.frames).format(slipped), place.id, "homophone"])
            if len(rows) == n:
                break
        return rows

    def homonyms(self) -> list[list]:
        """Names a Hong Kong place shares with a Guangdong one, and Guangdong names of
        places elsewhere too; one row per place sharing the name."""
        rows = []
        hk = [p for p in self.home if p.in_hong_kong]
        for place in hk:
            name = place.name["zh_Hant_HK"]
            gd = [p for p in places.lookup(name) if p.in_guangdong and p.rank <= 1]
            for p in [place, *gd] if gd else []:
                # A cue frame: a shared name is often a common word too (東區, 南區).
                rows.append([self.rng.choice(FRAMES_ZH[1:4]).format(name), p.id, "homonym"])
        for name, pid in (("太平", "cn-gd-dongguan-humen"), ("朝陽", "cn-gd-shantou-chaoyang")):
            rows.append([self.rng.choice(FRAMES_ZH[1:4]).format(name), pid, "homonym"])
        for name in ("龍華", "石門", "新興", "黃埔", "太平"):
            for p in places.lookup(name):
                if p.in_guangdong and p.rank <= 1 and [name, p.id] not in [r[:2] for r in rows]:
                    rows.append([name, p.id, "homonym"])
        return rows

    def old_names_zh(self, names: list[list]) -> list[list]:
        return [
            [self.rng.choice(self.frames).format(name), pid, "old name"]
            for pid, name, _flag, _rank in names
            if re.search(r"[\u4e00-\u9fff]", name)
        ]

    # -- Latin ------------------------------------------------------------------------
    def pinyin_slip(self, name: str, pinyin_name: bool = True) -> str:
        """One slip in a name: in one word of several, or across a pinyin name (which may
        also get tone marks or spaces between its syllables)."""
        words = name.replace("'", "").split()
        if len(words) > 1:
            i = self.rng.randrange(len(words))
            if len(words[i]) >= 3:
                words[i] = self._letter_slip(words[i], self.rng.randrange(4))
            return " ".join(words)
        word = words[0].lower()
        choice = self.rng.randrange(6 if pinyin_name else 4)
        if choice == 4:
            return _toned(word)
        if choice == 5:
            return " ".join(s.capitalize() for s in _syllables(word))  # spaced
        return _capital(self._letter_slip(word, choice))

    def _letter_slip(self, word: str, choice: int) -> str:
        ops = [
            (r"zh", "z"),
            (r"sh", "s"),
            (r"ch", "c"),
            (r"ng(?!$)", "n"),
            (r"n(?!g)", "ng"),
            (r"z(?!h)", "zh"),
            (r"s(?!h)", "sh"),
        ]
        self.rng.shuffle(ops)
        if choice == 0:
            for pattern, repl in ops:
                if re.search(pattern, word, flags=re.I):
                    return re.sub(pattern, repl, word, count=1, flags=re.I)
        i = self.rng.randrange(1, len(word) - 1)
        if choice == 1:
            return word[:i] + word[i + 1 :]  # a letter dropped
        if choice == 2:
            return word[:i] + word[i] + word[i:]  # a letter doubled
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped

    def pinyin_slips(self, n: int) -> list[list]:
        rows: list[list] = []
        pool = [p for p in self.home if p.in_guangdong]
        self.rng.shuffle(pool)
        for place in pool:
            name = place.name["en"]
            if len(name) < 5 or " " in name or self.shared_in_city(place, name):
                continue
            slipped = self.pinyin_slip(name)
            if fold(slipped).replace(" ", "") == fold(name).replace("'", "").replace(" ", ""):
                continue
            if fold(slipped).replace(" ", "") in self.city_names:
                continue
            rows.append([self.rng.choice(FRAMES_EN).format(slipped), place.id, "pinyin slip"])
            if len(rows) == n:
                break
        return rows

    def cantonese(self, spellings: list[list], n: int) -> list[list]:
        first: dict[str, str] = {}
        for pid, spelling in spellings:
            first.setdefault(pid, spelling)
        ids = [p.id for p in self.home if p.in_guangdong and p.id in first]
        self.rng.shuffle(ids)
        rows = []
        ids = [i for i in ids if not self.shared_in_city(places.get(i), first[i])]
        for pid in ids[:n]:
            spelling = first[pid]
            if self.rng.random() < 0.4 and len(spelling) > 6:
                spelling = self.pinyin_slip(spelling, pinyin_name=False)
                kind = "cantonese slip"
            else:
                kind = "cantonese"
            rows.append([self.rng.choice(FRAMES_EN).format(spelling), pid, kind])
        return rows

    def hk_english(self, n: int) -> list[list]:
        pool = [p for p in self.home if p.in_hong_kong and len(p.name["en"]) >= 7]
        self.rng.shuffle(pool)
        rows = []
        for place in pool[:n]:
            slipped = self.pinyin_slip(place.name["en"], pinyin_name=False)
            if slipped == place.name["en"]:
                continue
            rows.append([self.rng.choice(FRAMES_EN).format(slipped), place.id, "hk slip"])
        return rows

    def old_names_en(self, names: list[list]) -> list[list]:
        return [
            [self.rng.choice(FRAMES_EN).format(name), pid, "old name"]
            for pid, name, _flag, _rank in names
            if not re.search(r"[\u4e00-\u9fff]", name)
        ]


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|"
    r"ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|e|i|o|u|v)(?![aeiou])"
)


def _syllables(word: str) -> list[str]:
    return _SYLLABLE.findall(word) or [word]


_TONES = {"a": "āáǎà", "e": "ēéěè", "o": "ōóǒò", "i": "īíǐì", "u": "ūúǔù"}


def _toned(word: str) -> str:
    if "".join(_syllables(word)) != word:
        return _capital(word)  # not plain pinyin: left as it is (the row is then skipped)
    out = []
    for syl in _syllables(word):
        for vowel in "aeoiu":
            if vowel in syl:
                syl = syl.replace(vowel, _TONES[vowel][hash(syl) % 4], 1)
                break
        out.append(syl)
    return _capital("".join(out))


def main() -> None:
    names = json.loads((ROOT / "knowledge" / "places" / "names.json").read_text("utf-8"))
    hk2s = opencc.OpenCC("hk2s.json")
    hant = Maker(11)
    zh_hant = hant.homonyms() + hant.old_names_zh(names["old_names"])
    zh_hant += hant.homophone_slips(PER_SCRIPT - len(zh_hant))
    hans = Maker(2026, FRAMES_HANS)
    zh_hans = hans.homophone_slips(PER_SCRIPT - 20) + hans.old_names_zh(names["old_names"])[:20]
    zh_hans = [[hk2s.convert(text), pid, kind] for text, pid, kind in zh_hans]
    latin = Maker(7)
    en = latin.old_names_en(names["old_names"]) + latin.hk_english(12)
    en += latin.cantonese(names["cantonese"], 30)
    en += latin.pinyin_slips(PER_SCRIPT - len(en))
    table = {
        "zh_Hant_HK": [r for r in zh_hant if r[0] not in REVIEWED],
        "zh_Hans_CN": [r for r in zh_hans if r[0] not in REVIEWED],
        "latin": [r for r in en if r[0] not in REVIEWED],
    }
    header = (
        "# Generated by scripts/build_place_table.py: do not edit by hand (add to REVIEWED).\n"
        "# [text, place id it means, rule]: found when find_place gives that place, or a\n"
        "# choice that contains it.\n"
    )
    body = yaml.safe_dump(table, allow_unicode=True, width=200, default_flow_style=None)
    OUT.write_text(header + body, "utf-8")
    print({k: len(v) for k, v in table.items()})


if __name__ == "__main__":
    main()
