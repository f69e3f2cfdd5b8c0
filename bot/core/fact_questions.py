"""Plain fact questions about the programme, and the FAQ entry that answers each.

A fact question asks something the programme's sources state (or are silent on) the same
way for every sender: when it closes, which documents, is there a fee, the website, the
hotline of a place, how long approval takes, when money is paid, how many factories
joined, the total budget... A message about the sender's own case ("我間廠喺東莞可唔可以
申請", "demonstration project costs 400k, how much subsidy?") or a request for a person is
not one: for those the matcher returns None and leaves the conversation engine to decide.

Everything is data:
  - each FAQ entry of ``knowledge/faq.yaml`` lists, under ``ask``, the patterns of the
    questions it answers, and says ``unknown: true`` when our sources are silent on what
    it is asked (its answer then says so and gives the secretariat's number);
  - ``knowledge/fact_terms.yaml`` holds the named word groups the patterns use (trilingual:
    Cantonese, Putonghua and English words in one list), the veto words, and the filler
    words that do not count as content.

A pattern is a line of terms separated by spaces; every term must occur in the message,
and a term written ``!term`` must not. A term is ``$group`` (any word of the group) or
words separated by ``|``; ``_`` stands for a space inside a word (``last_day``) and a
trailing ``*`` lets a Latin word take any ending (``approv*``). Both patterns and messages
go through ``bot.core.language.normalise`` (fold: NFKC, case, Traditional -> Simplified;
then the synonym table), so 幾時, 什麼時候 and 什么时候 are one word, as are 評估 and
實地評估. Chinese words match anywhere; Latin words match whole words.

Before any pattern is tried, the message is checked for what makes it a case rather than
a fact question (``FactMatcher.case_reason``): a request for a person, a complaint, a
money amount, or an eligibility or amount question about the sender's own premises
("我間廠", "our factory") or about a named place outside Hong Kong. Such messages get None.

When several patterns match, the one with the most terms wins, then the one whose terms
cover more of the message. ``score`` (0.5 to 1) is 0.5 plus half the share of the
message's content that the winning pattern's terms explain (question words and particles
are not content): a long message that also asks other things scores lower.

    >>> m = match_fact_question("幾時截止申請？", "zh_Hant_HK")
    >>> (m.entry_id, m.unknown, m.score)
    ('faq-application-deadline', True, 1.0)
    >>> match_fact_question("我間廠喺東莞可唔可以申請", "zh_Hant_HK") is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.core import money, places
from bot.core.guides import FaqEntry, load_vocabulary, parse_faq_entry
from bot.core.language import SynonymTable, default_synonyms, load_synonyms
from bot.core.money import asks_who_pays_above_the_cap
from bot.core.rules import KNOWLEDGE_DIR
from bot.core.textnorm import fold
from bot.core.yamlio import load_yaml

TERMS_FILE = "fact_terms.yaml"
FAQ_FILE = "faq.yaml"
MAX_CHARS = 600  # a fact question is short; the rest of a long message is not read
VETO_NAMES = ("handoff", "complaint", "own", "asks_eligibility", "asks_amount")
HONG_KONG = "Hong Kong"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CONTENT = re.compile(rf"[{_HAN}]|[a-z0-9]")
_QUESTION_END = re.compile(r"[?？]+")
_GROUP_REF = re.compile(r"^\$([a-z_]+)$")


class FactPatternError(ValueError):
    """A pattern or word list is malformed; the message names the entry and the pattern."""


@dataclass(frozen=True)
class FactMatch:
    """The FAQ entry that answers a plain fact question.

    `unknown` is true when our sources are silent on what is asked (the entry's answer says
    so and gives the secretariat's number); `pattern` is the ``ask`` line that matched.
    """

    entry_id: str
    unknown: bool
    score: float
    pattern: str
    citations: tuple[str, ...] = ()
    # Entries a second question in the same message asks for ("辦公時間幾點？喺邊度？")
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Pattern:
    entry_id: str
    text: str
    anchor: int  # the first term: the pattern is tried only when it is found
    positive: frozenset[int]  # term ids (FactMatcher._term) that must all be found
    negative: frozenset[int]  # term ids that must not be
    order: int  # position in faq.yaml: the earlier pattern wins a tie


Normaliser = Callable[[str], str]


Span = tuple[int, int]
WordKey = tuple[str, ...] | str  # Latin: its tokens; Chinese (or mixed): the normalised text
_TOKEN = re.compile(r"[a-z0-9]+")


def word_key(word: str, normalise: Normaliser) -> tuple[WordKey, bool]:
    """How one word of a group or pattern is looked up: (key, takes any ending).

    A Latin word becomes its tokens (whole words; ``e-mail`` and ``e mail`` are one), a
    Chinese or mixed word its normalised text (matched anywhere).

    >>> from bot.core.language import normalise
    >>> word_key("approv*", normalise)
    (('approv',), True)
    >>> word_key("幾時", normalise)
    ('什么时候', False)
    >>> word_key("last_day", normalise)
    (('last', 'day'), False)
    """
    star = word.endswith("*")
    core = normalise(word.rstrip("*").replace("_", " ")).strip()
    if not core.isascii():
        return core, False
    tokens = tuple(_TOKEN.findall(core))
    if not tokens:
        raise FactPatternError(f"word {word!r} has nothing to match once normalised")
    return tokens, star


PREFIX_MIN = 3  # a Latin word with a trailing * keeps at least this many letters


class _Node:
    """A trie node: the next characters (Chinese) or tokens (Latin), the ids of the words
    ending here, and (Latin) the words whose last token is a prefix, by its first letters."""

    __slots__ = ("next", "ids", "prefixes")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.ids: set[int] = set()
        self.prefixes: dict[str, list[tuple[str, set[int]]]] = {}

    def walk(self, path: Iterable[str]) -> _Node:
        node = self
        for step in path:
            node = node.next.setdefault(step, _Node())
        return node


class _Lexicon:
    """Every word of every term, found in one pass over a message.

    Chinese (and mixed) words are found as substrings, walking a character trie from each
    position; Latin words as runs of whole tokens, walking a token trie, the last token
    possibly a prefix (``approv*``).
    """

    def __init__(self) -> None:
        self._chinese = _Node()
        self._latin = _Node()

    def add(self, key: WordKey, star: bool, ident: int) -> None:
        if isinstance(key, str):
            self._chinese.walk(key).ids.add(ident)
        elif not star:
            self._latin.walk(key).ids.add(ident)
        else:
            prefix = key[-1]
            if len(prefix) < PREFIX_MIN:
                raise FactPatternError(f"{'_'.join(key)}*: keep at least {PREFIX_MIN} letters")
            entries = self._latin.walk(key[:-1]).prefixes.setdefault(prefix[:PREFIX_MIN], [])
            for known, ids in entries:
                if known == prefix:
                    ids.add(ident)
                    break
            else:
                entries.append((prefix, {ident}))

    def scan(self, norm: str) -> dict[int, list[Span]]:
        """Each id found in `norm`, with the spans of its words, in order of position."""
        found: dict[int, list[Span]] = {}

        def record(ids: set[int], span: Span) -> None:
            for ident in ids:
                found.setdefault(ident, []).append(span)

        size = len(norm)
        for i in range(size):
            node = self._chinese.next.get(norm[i])
            j = i + 1
            while node is not None:
                if node.ids:
                    record(node.ids, (i, j))
                if j >= size:
                    break
                node = node.next.get(norm[j])
                j += 1
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]
        for i, (_, start, _) in enumerate(tokens):
            node = self._latin
            for word, _, end in tokens[i:]:
                for prefix, ids in node.prefixes.get(word[:PREFIX_MIN], ()):
                    if word.startswith(prefix):
                        record(ids, (start, end))
                node = node.next.get(word)
                if node is None:
                    break
                if node.ids:
                    record(node.ids, (start, end))
        for spans in found.values():
            spans.sort()
        return found


class FactMatcher:
    """FAQ entries' ``ask`` patterns and the veto words, compiled once."""

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        terms: Mapping[str, Any],
        normalise: Normaliser,
    ) -> None:
        self._normalise = normalise
        self._entries = {entry.id: entry for entry in entries}
        self._lexicon = _Lexicon()
        self._term_index: dict[tuple[str, ...], int] = {}
        groups = _word_lists(terms.get("groups"), "groups")
        self._groups = groups
        vetoes = _word_lists(terms.get("veto"), "veto")
        missing = [name for name in VETO_NAMES if name not in vetoes]
        if missing:
            raise FactPatternError(f"{TERMS_FILE}: veto lists missing: {missing}")
        self._veto = {name: self._term(vetoes[name]) for name in VETO_NAMES}
        self._filler = self._term(_word_list(terms.get("filler"), "filler"))
        lines = [(entry.id, line) for entry in entries for line in entry.ask]
        self._patterns = [
            self._compile(entry_id, line, groups, order)
            for order, (entry_id, line) in enumerate(lines)
        ]
        # Each pattern is tried only when its first term is in the message.
        self._by_anchor: dict[int, list[_Pattern]] = {}
        for pattern in self._patterns:
            self._by_anchor.setdefault(pattern.anchor, []).append(pattern)

    @property
    def patterns(self) -> int:
        return len(self._patterns)

    def entries_tagged(self, tags: set[str]) -> frozenset[str]:
        """The entries sharing one of ``tags``: a topic to stay on."""
        return frozenset(e.id for e in self._entries.values() if set(e.tags) & tags)

    def topic_word(self, tag: str) -> str | None:
        """A word that names a topic tag, from the word group of that name ("recognition":
        標誌計劃), or None: a follow-up's words plus it ask within the topic."""
        words = self._groups.get(tag) or []
        return words[0] if words else None

    def _compile(
        self, entry_id: str, line: str, groups: Mapping[str, list[str]], order: int
    ) -> _Pattern:
        positive: list[int] = []
        negative: list[int] = []
        for raw in line.split():
            term, negated = (raw[1:], True) if raw.startswith("!") else (raw, False)
            words: list[str] = []
            for alternative in term.split("|"):
                ref = _GROUP_REF.match(alternative)
                if ref is None:
                    if not alternative or alternative.startswith("$"):
                        raise FactPatternError(f"{entry_id}: bad term {raw!r} in {line!r}")
                    words.append(alternative)
                elif ref.group(1) in groups:
                    words.extend(groups[ref.group(1)])
                else:
                    raise FactPatternError(
                        f"{entry_id}: unknown group {alternative!r} in {line!r} "
                        f"(groups are listed in {TERMS_FILE})"
                    )
            (negative if negated else positive).append(self._term(words))
        if not positive:
            raise FactPatternError(f"{entry_id}: pattern {line!r} has no term that must match")
        return _Pattern(
            entry_id, line, positive[0], frozenset(positive), frozenset(negative), order
        )

    def _term(self, words: list[str]) -> int:
        """The id of the term made of `words` (one id per distinct word set)."""
        key = tuple(sorted(set(words)))
        if key not in self._term_index:
            ident = self._term_index[key] = len(self._term_index)
            for word in key:
                self._lexicon.add(*word_key(word, self._normalise), ident)
        return self._term_index[key]

    # ------------------------------------------------------------------ matching

    def match(
        self,
        text: str,
        locale: str = "en",
        provinces: tuple[str | None, ...] | None = None,
        among: frozenset[str] | None = None,
    ) -> FactMatch | None:
        """The FAQ entry answering `text` if it is a plain fact question, else None.

        `locale` is accepted for the caller's convenience; patterns are trilingual and
        every message is tried against all of them. `provinces`, when the caller has read
        the message's places already, saves reading them again (None for an ambiguous one).
        `among`, when given, limits the answer to those entries (a follow-up's topic).
        """
        if not isinstance(text, str):
            return None
        text = text[:MAX_CHARS]
        norm = self._normalise(text)
        if not _CONTENT.search(norm):
            return None
        found = self._lexicon.scan(norm)
        if self._case_reason(text, found, provinces) is not None:
            return None
        best = self._best(found, among)
        if best is None:
            return None
        pattern, spans = best
        entry = self._entries[pattern.entry_id]
        return FactMatch(
            entry_id=entry.id,
            unknown=entry.unknown,
            score=round(0.5 + 0.5 * self._coverage(norm, spans, found), 3),
            pattern=pattern.text,
            citations=tuple(entry.citations),
            also=self._other_questions(norm, entry.id),
        )

    def _best(
        self, found: Mapping[int, list[Span]], among: frozenset[str] | None = None
    ) -> tuple[_Pattern, list[Span]] | None:
        """The pattern that explains most of the message: most terms, then most characters,
        then the first written."""
        present = found.keys()
        best: tuple[tuple[int, int, int], _Pattern, list[Span]] | None = None
        candidates = (p for term in present for p in self._by_anchor.get(term, ()))
        for pattern in candidates:
            if among is not None and pattern.entry_id not in among:
                continue
            if not pattern.positive <= present or not present.isdisjoint(pattern.negative):
                continue
            spans = [found[i][0] for i in pattern.positive]
            key = (len(spans), len(_positions(spans)), -pattern.order)
            if best is None or key > best[0]:
                best = (key, pattern, spans)
        return None if best is None else (best[1], best[2])

    def _other_questions(self, norm: str, first: str) -> tuple[str, ...]:
        """Entries that the message's other questions, each ended by a question mark, ask
        for on their own: "辦公時間幾點？喺邊度？" is the hours and the address."""
        clauses = [c for c in _QUESTION_END.split(norm) if _CONTENT.search(c)]
        if len(clauses) < 2:
            return ()
        also: list[str] = []
        for clause in clauses:
            best = self._best(self._lexicon.scan(clause))
            if best is not None and best[0].entry_id not in (first, *also):
                also.append(best[0].entry_id)
        return tuple(also[:2])

    def case_reason(self, text: str) -> str | None:
        """Why `text` is not a plain fact question, or None.

        ``"handoff"``: it asks for a person. ``"complaint"``: it complains (say, that
        nobody answers the hotline). ``"amount"``: it gives a money amount (a subsidy
        estimate). ``"own"``: it asks whether the sender's own factory or company can
        apply or what it would get. ``"place"``: it asks that about a named place outside
        Hong Kong (eligibility by place is the rules' job).

        >>> default_matcher().case_reason("I want to talk to someone")
        'handoff'
        >>> default_matcher().case_reason("東莞有冇熱線？") is None
        True
        """
        text = text[:MAX_CHARS]
        return self._case_reason(text, self._lexicon.scan(self._normalise(text)), None)

    def _case_reason(
        self,
        text: str,
        found: Mapping[int, list[Span]],
        provinces: tuple[str | None, ...] | None,
    ) -> str | None:
        for name in ("handoff", "complaint"):
            if self._veto[name] in found:
                return name
        if money.find_amounts(text) and not asks_who_pays_above_the_cap(fold(text)):
            # "咁超出嗰1萬邊個俾？" names an amount but asks who pays above the cap
            return "amount"
        asks_eligibility = [
            span
            for span in found.get(self._veto["asks_eligibility"], ())
            if not _inside_applicant_word(self._normalise(text), span)
        ]
        if not asks_eligibility and self._veto["asks_amount"] not in found:
            return None  # "申請人係日本公司定香港公司？": the applicant, no "can we apply"
        if self._veto["own"] in found:
            return "own"
        if provinces is not None:
            return "place" if any(p != HONG_KONG for p in provinces) else None
        place = places.find_place(text)
        if place is not None and (place.place is None or place.place.province != HONG_KONG):
            return "place"
        return None

    def _coverage(self, norm: str, spans: list[Span], found: Mapping[int, list[Span]]) -> float:
        """The share of the message's content (letters, digits, ideographs; not question
        words or particles) that the matched words explain."""
        content = [bool(_CONTENT.match(ch)) for ch in norm]
        for start, end in found.get(self._filler, ()):
            content[start:end] = [False] * (end - start)
        total = sum(content)
        if total == 0:
            return 1.0
        return min(1.0, sum(1 for i in _positions(spans) if content[i]) / total)


_APPLICANT_WORD = re.compile(r"申請人|申請者|申请人|申请者|applicants?")


def _inside_applicant_word(norm: str, span: Span) -> bool:
    """ "申請" of "申請人": the applicant named, not applying asked about."""
    return any(m.start() <= span[0] < m.end() for m in _APPLICANT_WORD.finditer(norm))


def _positions(spans: Iterable[Span]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _word_list(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not raw or not all(isinstance(w, str) and w for w in raw):
        raise FactPatternError(f"{TERMS_FILE}: {where}: expected a non-empty list of words")
    return [str(w) for w in raw]


def _word_lists(raw: Any, where: str) -> dict[str, list[str]]:
    """Named word lists; a word ``$name`` in a list stands for the words of group `name`."""
    if not isinstance(raw, dict):
        raise FactPatternError(f"{TERMS_FILE}: {where}: expected a mapping of name to words")
    lists = {str(name): _word_list(words, f"{where}.{name}") for name, words in raw.items()}
    return {name: _expand(name, lists, where, ()) for name in lists}


def _expand(
    name: str, lists: Mapping[str, list[str]], where: str, seen: tuple[str, ...]
) -> list[str]:
    if name in seen:
        raise FactPatternError(f"{TERMS_FILE}: {where}.{name}: refers to itself")
    words: list[str] = []
    for word in lists[name]:
        ref = _GROUP_REF.match(word)
        if ref is None:
            words.append(word)
        elif ref.group(1) in lists:
            words.extend(_expand(ref.group(1), lists, where, (*seen, name)))
        else:
            raise FactPatternError(f"{TERMS_FILE}: {where}.{name}: unknown group {word!r}")
    return words


# ---------------------------------------------------------------------- loading


def load_faq_entries(knowledge_dir: Path) -> list[FaqEntry]:
    """The FAQ entries of a knowledge folder, validated as the knowledge loader does."""
    vocabulary = load_vocabulary(knowledge_dir / "vocabulary.yaml")
    path = knowledge_dir / FAQ_FILE
    data = load_yaml(path.read_text(encoding="utf-8")) or []
    return [parse_faq_entry(raw, path, f"[{i}]", vocabulary) for i, raw in enumerate(data)]


def _normaliser(knowledge_dir: Path) -> Normaliser:
    synonyms_path = knowledge_dir / "synonyms.yaml"
    table: SynonymTable = (
        load_synonyms(synonyms_path)
        if synonyms_path.is_file() and knowledge_dir.resolve() != KNOWLEDGE_DIR.resolve()
        else default_synonyms()
    )
    return lambda text: table.apply(fold(text))


def load_matcher(knowledge_dir: Path | str = KNOWLEDGE_DIR) -> FactMatcher:
    """A matcher over a knowledge folder's faq.yaml and fact_terms.yaml."""
    root = Path(knowledge_dir)
    terms = load_yaml((root / TERMS_FILE).read_text(encoding="utf-8"))
    if not isinstance(terms, dict):
        raise FactPatternError(f"{TERMS_FILE}: expected a mapping")
    return FactMatcher(load_faq_entries(root), terms, _normaliser(root))


@cache
def default_matcher() -> FactMatcher:
    """The matcher over the repository's knowledge/, built on first use."""
    return load_matcher(KNOWLEDGE_DIR)


def match_fact_question(
    text: str,
    locale: str,
    provinces: tuple[str | None, ...] | None = None,
    among: frozenset[str] | None = None,
) -> FactMatch | None:
    """Whether `text` is a plain programme fact question, and which FAQ entry answers it.

    None for anything else: a question about the sender's own factory or project, a
    message with a money amount, a request for a person, small talk, or a question no
    entry's patterns cover.

    >>> match_fact_question("What is the website?", "en").entry_id
    'faq-website-email'
    >>> match_fact_question("demonstration project costs 400k, how much subsidy?", "en") is None
    True
    """
    return default_matcher().match(text, locale, provinces, among)


def entries_tagged(tags: set[str]) -> frozenset[str]:
    return default_matcher().entries_tagged(tags)


def entries_named(prefix: str) -> frozenset[str]:
    """The entries whose ids start with ``prefix``: a family with no tag of its own (the
    budgets: "faq-budget-")."""
    return frozenset(e for e in default_matcher()._entries if e.startswith(prefix))


def topic_words(tags: set[str]) -> list[str]:
    matcher = default_matcher()
    return [word for tag in sorted(tags) if (word := matcher.topic_word(tag))]


def how_much_after(entry_id: str) -> FactMatch | None:
    """The entry that answers "how much was it?" right after ``entry_id``'s answer
    ("Did the extension need LegCo funding approval?" → its budget), or None.

    >>> how_much_after("faq-extension-funding-approval").entry_id
    'faq-budget-extension'
    """
    matcher = default_matcher()
    entry = matcher._entries.get(entry_id)
    if entry is None or entry.how_much not in matcher._entries:
        return None
    follow = matcher._entries[entry.how_much]
    return FactMatch(follow.id, follow.unknown, 1.0, "$how_much", follow.citations)


def entry_match(entry_id: str, reason: str) -> FactMatch | None:
    """The entry ``entry_id`` as a match, when the question names it by other means (the
    phase before the current one, worked out from the dates); ``reason`` says how.

    >>> entry_match("faq-phase-2020-2025", "$previous_phase").entry_id
    'faq-phase-2020-2025'
    """
    entry = default_matcher()._entries.get(entry_id)
    if entry is None:
        return None
    return FactMatch(entry.id, entry.unknown, 1.0, reason, entry.citations)
