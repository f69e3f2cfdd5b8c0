"""Search over guide sections and FAQ entries, in three locales, from a SQLite FTS5 index.

Why not SQLite's own tokenizers: trigram misses two-character Chinese words (節能, 資助)
and unicode61 takes a whole run of Chinese as one token. So text is analysed here, in
Python, into plain tokens that unicode61 keeps whole:
  - everything is folded (`textnorm.fold`: NFKC, casefold, Traditional -> Simplified), then
    rewritten by the knowledge folder's synonym table (bot.core.language), so 節能, 节能 and
    慳電 become the same tokens;
  - Chinese runs, with question words and particles cut out, become character bigrams
    (documents also index unigrams, which a query uses for characters no known bigram covers);
  - Latin runs become lightly stemmed words (leaks -> leak, dyeing -> dye).
A query is analysed the same way and matched as an OR of quoted tokens it generated itself,
so no user input reaches FTS5 syntax. Tokens found in most units are dropped (no bm25
weight, long posting lists). Misspelt Latin words are corrected against the index's own
vocabulary with rapidfuzz; the best candidates are re-ranked by how closely the query
resembles each unit's title and keywords.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlite_utils
from rapidfuzz import fuzz, process

from bot.core.filememo import by_files
from bot.core.guides import SearchUnit, guide_files, load_knowledge
from bot.core.locales import LOCALES
from bot.core.textnorm import WEB_ADDRESS, fold, words_pattern

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ text analysis

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")


# Search-box syntax and the words that ask for a search: an operator, an excluded term
# ("-广告"), "帮我查一下", "search for".
_SEARCH_SYNTAX = re.compile(
    r"\b(?:AND|OR|NOT)\b|(?:^|(?<=\s))-\S+"
    r"|帮我查一下|幫我查一下|帮我查|幫我查|查一下|帮我搵|幫我搵|搵下|\b(?:search for|look up)\b",
)


def _words(text: str) -> list[str]:
    return text.split()


# Question words, pronouns and particles: written as users write them, folded below.
_CJK_STOP_PHRASES = _words(
    """
點樣 點解 怎樣 怎麼樣 怎麼 如何 可唔可以 可不可以 可以 能不能 能否 得唔得 係唔係 是不是 是否
有冇 有沒有 有無 會唔會 會不會 請問 想問 想知 想知道 我哋 我們 你哋 你們 佢哋 邊個 邊度 邊間
邊類 哪些 哪個 哪裡 哪里 乜嘢 咩嘢 甚麼 什麼 為什麼 幾多 多少 一下 唔該 謝謝 關於 有關 應該
咁樣 這樣 那樣 怎辦 點算 好唔好 要唔要 使唔使 需唔需要 呢個 這個 嗰個 而家 現在 你好
為何 有沒有 不是 可不可以 需不需要 不知道 不明白 沒有 什麼時候 怎麼辦 幫忙 這裡 那個 請教
仲有冇 仲有 還有沒有 還有 另外 其他 第二啲 別的
"""
)
_CJK_STOP_CHARS = "嗎呢咩嘅啊呀喎㗎啦囉嘛吖哦吧我你佢的啲咗喺嗰咁噉嚟"

# Characters too common to search by on their own (they stay inside bigrams: 多少, 好處).
_LONE_CHAR_STOP = frozenset(
    fold("好多了得大小成日有是在用做去來會要想到就都也還很太咗就係唔冇嘢啲個件")
)

# Apostrophes split words, so "i'm" arrives as "i" and "m".
_EN_STOPWORDS = frozenset(
    _words(
        """a an the and or of to in on for with by at from is are was were be been being do does
    did done can could should would will shall may might must i me my mine we our ours us you
    your yours it its this that these those there their theirs they them what which who whom
    whose how when where why any some please hi hello hey tell about get got want wants need
    needs know have has had if as so than then also just into out up not no yes much many very
    im id ive let lets whats hows thanks thank s m d t ll ve re don doesn didn isn aren cannot
    far yet still ever already now our anyone anything something someone"""
    )
)


def _stop_pattern() -> re.Pattern[str]:
    # One prefix tree, the longest phrase first at each place: about four times faster
    # than trying every phrase in turn, and it runs on every Chinese run of a query.
    return re.compile(words_pattern({fold(w) for w in (*_CJK_STOP_PHRASES, *_CJK_STOP_CHARS)}))


_CJK_STOP = _stop_pattern()
_SOFT_CONSONANT_ENDS = frozenset("lsz")


def stem(word: str) -> str:
    """A small English stemmer: plurals, -ing, -ed and a final -e, enough to make
    leaks/leak, dyeing/dye, saving/save and compressed/compress meet."""
    if len(word) <= 3 or not word.isalpha() or not word.isascii():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and not word.endswith("eed") and len(word) >= 5:
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return word


def _undouble(word: str) -> str:
    if (
        len(word) >= 3
        and word[-1] == word[-2]
        and word[-1] not in "aeiou" + "".join(_SOFT_CONSONANT_ENDS)
    ):
        return word[:-1]
    return word


def _cjk_pieces(run: str) -> list[str]:
    return [piece for piece in _CJK_STOP.split(run) if piece]


SynonymRewriter = Callable[[str], str]  # folded text -> folded text, variants made canonical


def load_synonym_rewriter(knowledge_dir: Path | str) -> SynonymRewriter | None:
    """The synonym table of this knowledge folder (knowledge/synonyms.yaml, read by
    bot.core.language), or None where there is none."""
    path = Path(knowledge_dir) / SYNONYMS_FILE
    if not path.is_file():
        return None
    from bot.core.language import load_synonyms

    return load_synonyms(path).apply


class Analyser:
    """Turns text into index tokens; documents and queries go through the same steps."""

    def __init__(self, synonyms: SynonymRewriter | None = None) -> None:
        self.synonyms = synonyms

    def normalise(self, text: str) -> str:
        folded = fold(text)
        return self.synonyms(folded) if self.synonyms is not None else folded

    def _runs(self, text: str) -> Iterable[tuple[str, str]]:
        for han, word in _RUNS.findall(self.normalise(text)):
            if han:
                for piece in _cjk_pieces(han):
                    yield piece, ""
            elif word not in _EN_STOPWORDS:
                yield "", stem(word)

    def document_tokens(self, text: str) -> list[str]:
        """Tokens to index: unigrams and bigrams of Chinese, stemmed Latin words."""
        tokens: list[str] = []
        for han, word in self._runs(text):
            if han:
                tokens.extend(han)
                tokens.extend(han[i : i + 2] for i in range(len(han) - 1))
            else:
                tokens.append(word)
        return tokens

    def query_runs(self, text: str) -> list[tuple[str, str]]:
        """(Chinese piece, "") or ("", stemmed word) for each content run of a query."""
        return list(self._runs(text))

    def query_tokens(self, text: str) -> list[str]:
        """Distinct query tokens in order: bigrams of Chinese and stemmed Latin words;
        question words and particles dropped. Lone Chinese characters count only when
        the query has nothing longer (a one-character query), since inside a longer
        query they mostly add noise (打 would match 摩打)."""
        tokens: list[str] = []
        lone: list[str] = []
        for han, word in self._runs(text):
            if len(han) == 1:
                lone.append(han)
            elif han:
                tokens.extend(han[i : i + 2] for i in range(len(han) - 1))
            else:
                tokens.append(word)
        return list(dict.fromkeys(tokens or lone))

    def probe(self, text: str) -> str:
        """Content words only, space-separated, for resemblance scoring."""
        return " ".join(han or word for han, word in self._runs(text))


def _is_latin_token(token: str) -> bool:
    return token.isascii() and token.isalpha()


# ------------------------------------------------------------------ index layout

# Column groups per locale, with bm25 weights: what a unit is called and tagged with
# counts for more than its body.
FIELDS: tuple[str, ...] = ("title", "head", "context", "body")
FIELD_WEIGHTS: dict[str, float] = {"title": 4.0, "head": 3.0, "context": 1.2, "body": 1.0}
# Traditional and Simplified fold to the same tokens, so Chinese is indexed once: the
# Traditional text plus whatever the Simplified text words differently (mainland terms).
# That halves the columns bm25 must visit per row, which is most of a query's cost.
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {"en": ("en",), "zh": ("zh_Hant_HK", "zh_Hans_CN")}
# Matching in the query's own language ranks a bit higher.
LOCALE_BOOST = 1.15
FTS_COLUMNS: tuple[str, ...] = tuple(
    f"{group}_{name}" for group in COLUMN_GROUPS for name in FIELDS
)


def _group_of(locale: str) -> str:
    return "en" if locale == "en" else "zh"


UNITS_TABLE = "kb_units"
TOKENS_TABLE = "kb_tokens"
FTS_TABLE = f"{TOKENS_TABLE}_fts"
VOCAB_TABLE = f"{TOKENS_TABLE}_vocab"
META_TABLE = "kb_meta"

# Files whose change must rebuild the index: the knowledge itself and the code that analyses it.
_CODE_FILES = ("search.py", "textnorm.py", "language.py", "guides.py")
SYNONYMS_FILE = "synonyms.yaml"
_KNOWLEDGE_EXTRA = ("vocabulary.yaml", "faq.yaml", SYNONYMS_FILE)


def knowledge_hash(knowledge_dir: Path | str) -> str:
    root = Path(knowledge_dir)
    digest = hashlib.sha256()
    files = [root / name for name in _KNOWLEDGE_EXTRA] + guide_files(root)
    here = Path(__file__).parent
    files += [here / name for name in _CODE_FILES]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _field_texts(unit: SearchUnit, locale: str) -> dict[str, str]:
    section_title = unit.section_title[locale] if unit.section_title else ""
    # Tag names are English words; compressed-air -> "compressed air".
    tags = " ".join(t.replace("-", " ") for t in unit.tags) if locale == "en" else ""
    keywords = " ".join(unit.keywords.get(locale, ()))
    title = section_title if unit.kind == "guide" else unit.title[locale]
    return {
        "title": title,
        "head": f"{keywords} {tags}",
        "context": unit.context.get(locale, ""),
        "body": unit.body[locale],
    }


def unit_token_row(unit: SearchUnit, analyser: Analyser) -> dict[str, str]:
    row = {}
    for group, locales in COLUMN_GROUPS.items():
        texts = [_field_texts(unit, locale) for locale in locales]
        for name in FIELDS:
            tokens = analyser.document_tokens(texts[0][name])
            seen = set(tokens)
            for other in texts[1:]:
                tokens += [t for t in analyser.document_tokens(other[name]) if t not in seen]
            row[f"{group}_{name}"] = " ".join(tokens)
    return row


def unit_display_row(unit: SearchUnit) -> dict[str, object]:
    return {
        "doc_id": unit.doc_id,
        "kind": unit.kind,
        "guide_id": unit.guide_id,
        "tags": json.dumps(list(unit.tags)),
        "citations": json.dumps(list(unit.citations)),
        "title": json.dumps(dict(unit.title), ensure_ascii=False),
        "section_title": json.dumps(dict(unit.section_title), ensure_ascii=False)
        if unit.section_title
        else None,
        "body": json.dumps(dict(unit.body), ensure_ascii=False),
        "keywords": json.dumps({k: list(v) for k, v in unit.keywords.items()}, ensure_ascii=False),
    }


def write_index(
    db_path: Path | str,
    units: Sequence[SearchUnit],
    content_hash: str,
    knowledge_dir: Path | str,
) -> None:
    """Write a fresh index file and swap it in atomically, so readers never see half of one.
    Queries are later analysed with the same folder's synonyms (its path is stored)."""
    analyser = Analyser(load_synonym_rewriter(knowledge_dir))
    target = Path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    try:
        db[UNITS_TABLE].insert_all(
            ({"rowid": n, **unit_display_row(u)} for n, u in enumerate(units, 1)), pk="rowid"
        )
        db[UNITS_TABLE].create_index(["doc_id"], unique=True)
        db[TOKENS_TABLE].insert_all(
            ({"rowid": n, **unit_token_row(u, analyser)} for n, u in enumerate(units, 1)),
            pk="rowid",
            columns=dict.fromkeys(FTS_COLUMNS, str),
        )
        db[TOKENS_TABLE].enable_fts(FTS_COLUMNS, tokenize="unicode61 remove_diacritics 0")
        db.execute(f"CREATE VIRTUAL TABLE [{VOCAB_TABLE}] USING fts5vocab([{FTS_TABLE}], 'row')")
        db[META_TABLE].insert_all(
            [
                {"key": "content_hash", "value": content_hash},
                {"key": "unit_count", "value": str(len(units))},
                {"key": "knowledge_dir", "value": str(Path(knowledge_dir).resolve())},
            ],
            pk="key",
        )
        db.execute(f"INSERT INTO [{FTS_TABLE}]([{FTS_TABLE}]) VALUES ('optimize')")
        db.conn.commit()
    finally:
        db.close()
    os.replace(tmp, target)


def build_index(db_path: Path | str, knowledge_dir: Path | str) -> None:
    """Load and validate the knowledge, then (re)build the search index at db_path."""
    knowledge = load_knowledge(knowledge_dir)
    write_index(db_path, knowledge.units(), knowledge_hash(knowledge_dir), knowledge_dir)
    if _default is not None and _default.db_path == Path(db_path):
        _default.reload()


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute(f"SELECT key, value FROM [{META_TABLE}]").fetchall())


def stored_hash(db_path: Path | str) -> str | None:
    if not Path(db_path).is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return _meta(conn).get("content_hash")
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def ensure_index(db_path: Path | str, knowledge_dir: Path | str) -> bool:
    """Rebuild the index only when the knowledge (or the analysing code) changed.
    Returns True when it rebuilt."""
    if stored_hash(db_path) == knowledge_hash(knowledge_dir):
        return False
    build_index(db_path, knowledge_dir)
    return True


# ------------------------------------------------------------------ searching


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str  # "guide" (a guide section) or "faq"
    title: str  # guide title, or the FAQ question, in the requested locale
    snippet: str  # the best-matching sentence of the body, in the requested locale
    section_title: str | None  # the section's title for a guide section, else None
    tags: tuple[str, ...]
    score: float
    guide_id: str | None = None
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    offset: int = 0
    limit: int = 5


@dataclass(frozen=True)
class _Unit:
    doc_id: str
    kind: str
    guide_id: str | None
    tags: tuple[str, ...]
    citations: tuple[str, ...]
    title: dict[str, str]
    section_title: dict[str, str] | None
    body: dict[str, str]
    label: dict[str, str]  # folded title, section title and keywords: what re-ranking compares


# Tunables (see tests/test_search.py for the measured effect).
RERANK_WINDOW = 12
FUZZY_SHARE = 0.35  # how much of the final score the title resemblance decides
TYPO_MIN_LENGTH = 4
TYPO_CUTOFF = 80.0
MAX_QUERY_CHARS = 500
MAX_QUERY_TOKENS = 40
UNIGRAM_FALLBACK = True
COMMON_SHARE = 0.35  # a token in more than this share of units is too common to search by
SNIPPET_CHARS = 160
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.])\s+|\n+")


def normalise_locale(locale: str | None) -> str:
    if locale in LOCALES:
        return locale
    text = (locale or "").replace("-", "_").casefold()
    if text.startswith("zh"):
        simplified = any(k in text for k in ("hans", "cn", "sg"))
        return "zh_Hans_CN" if simplified else "zh_Hant_HK"
    return "en"


class SearchIndex:
    """An open search index: one SQLite connection and the unit data kept in memory,
    reused for every query."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self.reload()

    def reload(self) -> None:
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False)
        analyser, units, vocabulary, latin_terms = _index_data(str(self.db_path))
        with self._lock:
            old, self._conn = self._conn, conn
            self.analyser = analyser
            self._units = units
            self._vocabulary = vocabulary
            self._latin_terms = latin_terms
        if old is not None:
            old.close()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def unit_count(self) -> int:
        return len(self._units)

    def query_tokens(self, query: str) -> list[str]:
        """The query's tokens that the index knows: Chinese bigrams, then lone characters
        that no known bigram covers (a colloquial or rare word still leaves its characters),
        and Latin words with typos corrected against the index's vocabulary."""
        known: list[str] = []
        uncovered: list[str] = []
        query = WEB_ADDRESS.sub(" ", query[:MAX_QUERY_CHARS])  # "site:x.hk" is no term
        query = _SEARCH_SYNTAX.sub(" ", query)  # "OR", "-广告", "帮我查一下": no terms
        for han, word in self.analyser.query_runs(query):
            if word:
                corrected = self._known_word(word)
                if corrected:
                    known.append(corrected)
                continue
            covered = [False] * len(han)
            for i in range(len(han) - 1):
                if han[i : i + 2] in self._vocabulary:
                    known.append(han[i : i + 2])
                    covered[i] = covered[i + 1] = True
            uncovered.extend(ch for ch, hit in zip(han, covered, strict=True) if not hit)
        if UNIGRAM_FALLBACK or not known:
            known.extend(
                ch for ch in uncovered if ch in self._vocabulary and ch not in _LONE_CHAR_STOP
            )
        return self._without_common(list(dict.fromkeys(known))[:MAX_QUERY_TOKENS])

    def _without_common(self, tokens: list[str]) -> list[str]:
        """Drop tokens found in most units (项目, 计划, cleaner): bm25 gives them no weight
        anyway, and their long posting lists are what makes a query slow. A query made only
        of such tokens keeps its rarest one."""
        if not tokens:
            return tokens
        ceiling = COMMON_SHARE * max(1, len(self._units))
        kept = [t for t in tokens if self._vocabulary[t] <= ceiling]
        return kept or [min(tokens, key=self._vocabulary.__getitem__)]

    def _known_word(self, word: str) -> str | None:
        if word in self._vocabulary:
            return word
        if _is_latin_token(word) and len(word) >= TYPO_MIN_LENGTH:
            match = process.extractOne(
                word, self._latin_terms, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
            )
            if match is not None:
                return match[0]
        return None

    def search(self, query: str, locale: str, limit: int = 5, offset: int = 0) -> SearchPage:
        """Best hits first; never raises for any query text."""
        locale = normalise_locale(locale)
        try:
            limit, offset = max(0, int(limit)), max(0, int(offset))
        except (TypeError, ValueError):
            limit, offset = 5, 0
        try:
            return self._search(query if isinstance(query, str) else "", locale, limit, offset)
        except Exception:  # a search that fails shows no hits; the conversation goes on
            log.exception("search failed for %r", query[:200] if isinstance(query, str) else "")
            return SearchPage(offset=offset, limit=limit)

    def _search(self, query: str, locale: str, limit: int, offset: int) -> SearchPage:
        tokens = self.query_tokens(query)
        if not tokens:
            return SearchPage(offset=offset, limit=limit)
        match = " OR ".join(f'"{t}"' for t in tokens)
        weights = ", ".join(str(w) for w in _column_weights(locale))
        wanted = max(RERANK_WINDOW, offset + limit)
        with self._lock:
            if self._conn is None:
                return SearchPage(offset=offset, limit=limit)
            rows = self._conn.execute(
                f"SELECT rowid, bm25([{FTS_TABLE}], {weights}) AS s FROM [{FTS_TABLE}] "
                f"WHERE [{FTS_TABLE}] MATCH ? ORDER BY s, rowid LIMIT ?",
                (match, wanted),
            ).fetchall()
            # A full window means there may be more: enough for "More results" without a
            # second full-text query to count them all.
            total = len(rows) + (1 if len(rows) == wanted else 0)
        ranked = self._rerank(query, tokens, locale, rows)
        hits = [
            self._hit(self._units[rowid], score, tokens, locale)
            for rowid, score in ranked[offset : offset + limit]
        ]
        return SearchPage(hits=hits, total=total, offset=offset, limit=limit)

    def _rerank(
        self, query: str, tokens: list[str], locale: str, rows: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """Blend bm25 with how much the unit's title and keywords resemble the query.
        Only the top window is re-ranked; the rest keep bm25 order below it."""
        if not rows:
            return []
        best = -rows[0][1] or 1.0
        probe = self.analyser.probe(query[:MAX_QUERY_CHARS])
        window = []
        for rowid, bm25 in rows[:RERANK_WINDOW]:
            relevance = -bm25 / best
            resemblance = _resemblance(probe, self._units[rowid].label[locale]) if probe else 0.0
            window.append((rowid, relevance * ((1 - FUZZY_SHARE) + FUZZY_SHARE * resemblance)))
        window.sort(key=lambda pair: -pair[1])
        floor = window[-1][1] if window else 0.0
        rest = [(rowid, min(floor, -bm25 / best)) for rowid, bm25 in rows[RERANK_WINDOW:]]
        return window + rest

    def _hit(self, unit: _Unit, score: float, tokens: list[str], locale: str) -> SearchHit:
        return SearchHit(
            id=unit.doc_id,
            kind=unit.kind,
            title=unit.title[locale],
            snippet=best_snippet(unit.body[locale], tokens, self.analyser),
            section_title=unit.section_title[locale] if unit.section_title else None,
            tags=unit.tags,
            score=round(score, 4),
            guide_id=unit.guide_id,
            citations=unit.citations,
        )


_UNITS_SQL = (
    "SELECT rowid, doc_id, kind, guide_id, tags, citations, title, section_title, body, "
    f"keywords FROM [{UNITS_TABLE}]"
)


@by_files(lambda db_path: [db_path, f"{db_path}-wal"])
def _index_data(
    db_path: str,
) -> tuple[Analyser, dict[str, _Unit], dict[str, str], list[str]]:
    """What an index keeps in memory, read once per content of its file (shared: an
    index built again is a new file content, read afresh)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        analyser = Analyser(_stored_synonyms(_meta(conn).get("knowledge_dir")))
        units = {row[0]: _unit_from_row(row[1:], analyser) for row in conn.execute(_UNITS_SQL)}
        vocabulary = dict(conn.execute(f"SELECT term, doc FROM [{VOCAB_TABLE}]").fetchall())
    finally:
        conn.close()
    return analyser, units, vocabulary, [t for t in vocabulary if _is_latin_token(t)]


def _stored_synonyms(knowledge_dir: str | None) -> SynonymRewriter | None:
    """The synonyms the index was built with; without them queries still work, less well."""
    if not knowledge_dir:
        return None
    try:
        return load_synonym_rewriter(knowledge_dir)
    except Exception:  # the index was built with them, so they loaded once; stay up regardless
        log.exception("cannot load synonyms from %s; searching without them", knowledge_dir)
        return None


def _unit_from_row(row: tuple, analyser: Analyser) -> _Unit:
    doc_id, kind, guide_id, tags, citations, title, section_title, body, keywords = row
    title_map = json.loads(title)
    section_map = json.loads(section_title) if section_title else None
    keyword_map = json.loads(keywords)
    label = {}
    for locale in LOCALES:
        words = keyword_map.get(locale) or keyword_map.get("zh_Hant_HK", [])
        parts = [title_map[locale], section_map[locale] if section_map else "", *words]
        label[locale] = analyser.probe(" ".join(parts))
    return _Unit(
        doc_id=doc_id,
        kind=kind,
        guide_id=guide_id,
        tags=tuple(json.loads(tags)),
        citations=tuple(json.loads(citations)),
        title=title_map,
        section_title=section_map,
        body=json.loads(body),
        label=label,
    )


def _column_weights(locale: str) -> list[float]:
    own = _group_of(locale)
    return [
        FIELD_WEIGHTS[name] * (LOCALE_BOOST if group == own else 1.0)
        for group in COLUMN_GROUPS
        for name in FIELDS
    ]


def _resemblance(probe: str, label: str) -> float:
    """0..1: how much of the query reappears in the label (typos and word order forgiven)."""
    if not label:
        return 0.0
    # token_set forgives word order and extra label words; token_sort breaks the ties it
    # leaves ("who runs the programme" is both "...events does the programme run?" and
    # "Who runs the programme?" to token_set alone).
    return (2 * fuzz.token_set_ratio(probe, label) + fuzz.token_sort_ratio(probe, label)) / 300.0


@lru_cache(maxsize=8192)
def _analysed_sentences(body: str, analyser: Analyser) -> tuple[tuple[str, frozenset[str]], ...]:
    sentences = (s.strip() for s in _SENTENCE_END.split(body) if s and s.strip())
    return tuple((s, frozenset(analyser.document_tokens(s))) for s in sentences)


def best_snippet(body: str, tokens: Iterable[str], analyser: Analyser) -> str:
    """The body's sentence that holds most query tokens, shortened."""
    sentences = _analysed_sentences(body, analyser)
    if not sentences:
        return ""
    wanted = set(tokens)
    best = max(sentences, key=lambda pair: len(wanted & pair[1]))[0]
    if len(best) <= SNIPPET_CHARS:
        return best
    return best[: SNIPPET_CHARS - 1].rstrip() + "…"


# ------------------------------------------------------------------ module-level default

_default: SearchIndex | None = None
_default_lock = threading.Lock()
REPO_KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


def default_db_path() -> Path:
    """The index the bot uses: ``KB_DB``, as ``Settings`` reads it (README)."""
    return Path(os.environ.get("KB_DB") or "data/knowledge.sqlite3")


def open_index(
    db_path: Path | str | None = None, knowledge_dir: Path | str | None = None
) -> SearchIndex:
    """Make sure the index is current, open it and make it the one `search()` uses."""
    global _default
    db_path = Path(db_path) if db_path is not None else default_db_path()
    ensure_index(db_path, knowledge_dir if knowledge_dir is not None else REPO_KNOWLEDGE_DIR)
    with _default_lock:
        if _default is not None and _default.db_path == db_path:
            return _default
        previous, _default = _default, SearchIndex(db_path)
    if previous is not None:
        previous.close()
    return _default


def search(query: str, locale: str, limit: int = 5, offset: int = 0) -> SearchPage:
    """Search the default index (opened on first use from the repository's knowledge/)."""
    index = _default if _default is not None else open_index()
    return index.search(query, locale, limit=limit, offset=offset)
