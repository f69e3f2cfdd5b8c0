"""Near-miss look-ups for place names: misspelt romanisations and homophone slips.

Two indexes over the gazetteer's matcher keys (folded, Latin words joined):

* ``LatinNear``: keys within a small edit distance (optimal string alignment, so a
  swapped pair of letters counts as one edit), scored with rapidfuzz. Distance 1 is
  found through a one-deletion index (each key with each letter dropped), so most
  look-ups cost a few dict probes rather than a scan; distance 2 scans only the keys
  of the same first letter and similar length.
* ``Homophones``: Chinese names that differ from a text in one character that reads the
  same in Putonghua or Cantonese (東官 for 東莞, 廣洲 for 廣州), from a table of
  readings built at build time (knowledge/places/names.json).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Longest stretch of unknown Chinese looked up as a near miss, and longest name the
# homophone index covers (將軍澳工業邨, looked up from its known start 將軍澳).
MAX_HOMOPHONE_LEN = 6
MAX_EXTENDED_LEN = 8


def max_distance(key: str) -> int:
    """Edits allowed for a near miss of a key this long: short names allow fewer (a
    seven-letter English word is one edit from some romanised name more often than not)."""
    if len(key) < 4:
        return 0
    if len(key) <= 7:
        return 1
    return 2


class LatinNear:
    """Latin keys near a query, by edit distance."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = set(keys)
        self.deletes: dict[str, set[str]] = {}
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for key in self.keys:
            for variant in _one_deleted(key):
                self.deletes.setdefault(variant, set()).add(key)
            self.buckets.setdefault((key[0], len(key)), []).append(key)

    def near(self, query: str, max_dist: int) -> list[tuple[str, int]]:
        """Keys within `max_dist` edits of `query` (not `query` itself), nearest first.

        >>> LatinNear(["dongguan", "shenzhen"]).near("dongguang", 1)
        [('dongguan', 1)]
        """
        if max_dist <= 0 or not query:
            return []
        found: dict[str, int] = {}
        probes = {query, *_one_deleted(query)}
        for probe in probes:
            for key in self.deletes.get(probe, ()):
                found[key] = -1
            if probe in self.keys:
                found[probe] = -1
        for key in found:
            found[key] = OSA.distance(query, key)
        if max_dist >= 2:
            pool = [
                k
                for n in range(len(query) - max_dist, len(query) + max_dist + 1)
                for k in self.buckets.get((query[0], n), ())
            ]
            for key, dist, _i in process.extract(
                query, pool, scorer=OSA.distance, score_cutoff=max_dist, limit=None
            ):
                found[key] = int(dist)
        return sorted(
            ((k, d) for k, d in found.items() if 0 < d <= max_dist and k != query),
            key=lambda kd: (kd[1], kd[0]),
        )


def _one_deleted(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


class Homophones:
    """Chinese names one same-sounding character away from a text, or one character
    longer (a character left out: 樟頭 for 樟木頭, 豐縣 for 豐順縣)."""

    def __init__(self, readings: dict[str, str], names: Iterable[str]) -> None:
        self.readings = {ch: tuple(r.split()) for ch, r in readings.items()}
        self.index: dict[tuple[str, str], set[str]] = {}
        self.shortened: dict[str, set[str]] = {}
        for name in names:
            if not 2 <= len(name) <= MAX_EXTENDED_LEN:
                continue
            for i, ch in enumerate(name):
                hole = name[:i] + "\0" + name[i + 1 :]
                for reading in self.readings.get(ch, ()):
                    self.index.setdefault((hole, reading), set()).add(name)
                if len(name) >= 3:
                    self.shortened.setdefault(name[:i] + name[i + 1 :], set()).add(name)

    def missing_one(self, text: str) -> list[str]:
        """Names that are `text` with one character more.

        >>> Homophones({}, ["樟木头"]).missing_one("樟头")
        ['樟木头']
        """
        return sorted(self.shortened.get(text, ()))

    def near(self, text: str) -> list[str]:
        """Names that differ from `text` in exactly one character sharing a reading with it.

        >>> Homophones({"官": "pguan jgun", "莞": "pguan pwan jgun"}, ["东莞"]).near("东官")
        ['东莞']
        """
        found: set[str] = set()
        for i, ch in enumerate(text):
            hole = text[:i] + "\0" + text[i + 1 :]
            for reading in self.readings.get(ch, ()):
                found |= self.index.get((hole, reading), set())
        found.discard(text)
        return sorted(found)
