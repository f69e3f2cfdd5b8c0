"""Which language to reply in, and one normalised form of a message for matching.

`detect_locale` picks the reply locale ("en", "zh_Hant_HK" or "zh_Hans_CN") from the text,
the conversation's last locale and Telegram's `language_code`, in that order of trust.
`normalise` folds text (`bot.core.textnorm.fold`) and rewrites the variants listed in
`knowledge/synonyms.yaml` to their canonical term, so matchers downstream see one form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import opencc
import zhon.cedict
from babel import Locale, UnknownLocaleError
from babel.core import get_global

from bot.core.filememo import by_files
from bot.core.locales import CHINESE_LOCALES, EN, LOCALES, ZH_HANS_CN, ZH_HANT_HK
from bot.core.textnorm import Recalled, fold, words_pattern
from bot.core.yamlio import load_yaml

Script = Literal["hant", "hans", "latin"]


# The programme is Hong Kong's and most Chinese-writing users are Hong Kong Cantonese
# speakers, so Chinese text that gives no other clue is answered in Traditional.
DEFAULT_CHINESE_LOCALE = ZH_HANT_HK

SYNONYMS_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "synonyms.yaml"

# --- character classes --------------------------------------------------------------------

_HAN_RANGES = (
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # Unified Ideographs
    "\uf900-\ufaff"  # Compatibility Ideographs
    "\U00020000-\U0003134f"  # Extensions B-G (HKSCS characters such as 𡃉 live here)
)
_HAN_CHAR = re.compile(f"[{_HAN_RANGES}]")
# Latin letters, including accented and full-width ones; a word may carry an apostrophe.
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]+(?:'[A-Za-z]+)?")

# Latin words that say nothing about the reader's language: acknowledgements, greetings,
# laughter, romanised Cantonese sentence particles and units people type in any language.
_NEUTRAL_LATIN_WORDS = frozenset(
    [
        "ok",
        "okay",
        "okk",
        "okok",
        "k",
        "kk",
        "hi",
        "hey",
        "hello",
        "yo",
        "thx",
        "thanks",
        "ty",
        "tq",
        "bye",
        "yes",
        "yep",
        "yeah",
        "no",
        "nope",
        "sorry",
        "oh",
        "ah",
        "ar",
        "la",
        "lah",
        "lor",
        "wor",
        "wo",
        "ga",
        "ge",
        "gei",
        "mah",
        "ma",
        "meh",
        "bor",
        "hk",
        "hkd",
        "rmb",
        "usd",
        "k",
        "m",
        "kg",
        "g",
        "kw",
        "kwh",
        "mw",
        "mj",
        "tj",
        "l",
        "ml",
        "t",
        "pcs",
    ]
)
_LAUGHTER = re.compile(r"(?:ha|he|hi|ho|xd|lo+l|h+m+|u+m+|e+r+m*)+", re.IGNORECASE)

# Characters of written Cantonese that are the same in both scripts (so they do not vote on
# the script) but that a Putonghua writer would not use. They point to a Hong Kong reader.
# Left out on purpose: 嘞 (northern Mandarin 好嘞), 咪 (猫咪), 咋 (咋办), 嘛, 喇 (喇叭), 吖.
_CANTONESE_CHARS = (
    "冇喺嘅咗唔啲嘢佢哋嚟睇咁噉俾畀嗰咩啱嬲攞冚掂㗎啩乜冧揾搵諗囉喎嗌瞓氹脷餸嚿揸撳踎孭黐啫噃嘥"
    "囖噏嘜揼躝㖭啋嚡唞攰㩒罅戇𡃉"  # 𡃉, a sentence particle, is an HKSCS character
)


SCRIPT_CHARS_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "script_chars.json"


def compute_script_only_characters() -> tuple[str, str]:
    """Characters that occur in one script only, by two independent sources that must agree.

    CC-CEDICT (via zhon, hanzidentifier's data) lists the characters of each script; OpenCC
    says which characters it converts. A character votes Traditional only if hk2s changes it
    and CC-CEDICT does not list it as Simplified; it votes Simplified only if s2hk changes it
    and CC-CEDICT does not list it as Traditional. The cross-check keeps out shared
    characters that one converter still rewrites (干, 后, 里, 台) and Hong Kong's own standard
    forms that look Simplified (着, 户, 温).
    """
    hk2s = opencc.OpenCC("hk2s.json")
    s2hk = opencc.OpenCC("s2hk.json")
    traditional = set(zhon.cedict.traditional)
    simplified = set(zhon.cedict.simplified)
    candidates = [chr(code) for code in range(0x3400, 0xA000)]
    trad_only = {ch for ch in candidates if hk2s.convert(ch) != ch} - simplified
    simp_only = {ch for ch in candidates if s2hk.convert(ch) != ch} - traditional
    return "".join(sorted(trad_only)), "".join(sorted(simp_only))


def _char_class(chars: Iterable[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(ch) for ch in chars) + "]")


# Simplified forms that CC-CEDICT also lists as Traditional (as radicals or rare variants)
# but that Hong Kong writing does not use in their place: 厂 (廠), 么 (麼), 万 (萬), 苹 (蘋),
# 筑 (築), 腊 (臘). Without them "我的工厂在北京" has no Simplified evidence at all.
_SIMPLIFIED_IN_PRACTICE = "厂么万苹筑腊"


def _script_only_characters() -> tuple[str, str]:
    """The two sets, as ``scripts/build_script_chars.py`` wrote them: computing them loads
    OpenCC's s2hk dictionaries (+40 MB that are never given back), so it is done offline;
    ``tests/test_language.py`` recomputes them and compares."""
    import json

    data = json.loads(SCRIPT_CHARS_FILE.read_text(encoding="utf-8"))
    return data["traditional_only"], data["simplified_only"]


_TRAD_ONLY, _SIMP_ONLY = _script_only_characters()
_SIMP_ONLY += _SIMPLIFIED_IN_PRACTICE
_TRAD_CHAR = _char_class(_TRAD_ONLY)
_SIMP_CHAR = _char_class(_SIMP_ONLY)
_CANTONESE_CHAR = _char_class(_CANTONESE_CHARS)


# --- evidence -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextEvidence:
    """What a message says about its writer's language, counted once."""

    han_chars: int
    latin_words: int
    traditional_votes: int
    simplified_votes: int
    cantonese_chars: int

    @property
    def is_chinese(self) -> bool:
        # Each Chinese character counts as a word: Hong Kong writers mix English nouns into a
        # Cantonese sentence ("我間factory喺Dongguan"), so the grammar words are the Chinese
        # ones. A tie goes to Chinese, because a writer of Chinese reads it.
        return self.han_chars > 0 and self.han_chars >= self.latin_words

    @property
    def is_latin(self) -> bool:
        return self.latin_words > self.han_chars


def _is_neutral_latin(word: str) -> bool:
    lowered = word.lower()
    return lowered in _NEUTRAL_LATIN_WORDS or _LAUGHTER.fullmatch(lowered) is not None


# Simplified words whose characters both scripts have (the Traditional word is written
# otherwise): "我老板是香港人" (老闆), "以后" (以後), "里面" (裡面)
_SIMP_WORDS = re.compile(
    r"老板|以后|然后|最后|之后|后来|后天|前后|里面|哪里|这里|那里|家里|厂里|公司里"
)


def text_evidence(text: str) -> TextEvidence:
    latin_words = sum(1 for w in _LATIN_WORD.findall(text) if not _is_neutral_latin(w))
    if text.isascii():
        return TextEvidence(0, latin_words, 0, 0, 0)
    return TextEvidence(
        han_chars=len(_HAN_CHAR.findall(text)),
        latin_words=latin_words,
        traditional_votes=len(_TRAD_CHAR.findall(text)),
        simplified_votes=len(_SIMP_CHAR.findall(text)) + len(_SIMP_WORDS.findall(text)),
        cantonese_chars=len(_CANTONESE_CHAR.findall(text)),
    )


def _script_from_votes(evidence: TextEvidence) -> Script | None:
    if evidence.traditional_votes > evidence.simplified_votes:
        return "hant"
    if evidence.simplified_votes > evidence.traditional_votes:
        return "hans"
    return None


def detect_script(text: str) -> Script | None:
    """The script a message is written in, as far as its characters tell.

    "latin" for mostly-English text; "hant" or "hans" for Chinese whose characters tell the
    script; None when nothing tells (digits, emoji, "ok", or Chinese characters that are the
    same in both scripts, such as 你好).
    """
    evidence = text_evidence(text)
    if evidence.is_latin:
        return "latin"
    if evidence.is_chinese:
        return _script_from_votes(evidence)
    return None


# --- locale -----------------------------------------------------------------------------------

_SCRIPT_LOCALES: dict[str, str] = {"hant": ZH_HANT_HK, "hans": ZH_HANS_CN}


@lru_cache(maxsize=256)
def locale_from_language_code(code: str | None) -> str | None:
    """Map a Telegram/IETF language code to a reply locale with Babel's likely subtags.

    zh-hk, zh-tw, zh-mo, zh-hant, yue -> zh_Hant_HK; zh, zh-cn, zh-sg, zh-hans -> zh_Hans_CN;
    any other parseable code -> en; None or an unparseable code -> None.
    """
    if not code:
        return None
    try:
        locale = Locale.parse(code.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return None
    if locale.language not in ("zh", "yue"):
        return EN
    script = locale.script
    if script is None:
        # "zh" alone is Simplified, "yue" Traditional: CLDR's likely script for the
        # language, or for language and territory when one is given.
        likely_subtags = get_global("likely_subtags")
        likely = likely_subtags.get(f"{locale.language}_{locale.territory}") or likely_subtags.get(
            locale.language, ""
        )
        script = likely.split("_")[1] if "_" in likely else None
    return ZH_HANS_CN if script == "Hans" else ZH_HANT_HK


# Chinese written only as a number ("80萬", "三萬五", "HK$40萬") says nothing of the language.
# A figure written with a Chinese unit ("50萬", "1.2百万"): no sign of the language
_HAN_IN_AMOUNT = re.compile(r"\d[\d,.]*\s*[十百千萬万億亿]+(?:元|圓|圆|蚊|塊|块|港幣|港币)?")
_NUMBER_ONLY_HAN = re.compile(
    r"(?i)(?:hk\$|hkd|rmb|\$|¥)?\s*[\d,.\s零〇一二兩两三四五六七八九十百千萬万億亿]+"
    r"\s*(?:k|m|元|圓|圆|蚊|塊|块|港幣|港币)?"
)
_LATIN_START = re.compile(r"^\s*[A-Za-z]")


def _english_sentence(text: str, evidence: TextEvidence) -> bool:
    """ "Our factory is in 東莞長安": an English sentence around a Chinese name."""
    return (
        evidence.latin_words >= 3
        and evidence.han_chars <= 6
        and not evidence.cantonese_chars
        and _LATIN_START.match(text) is not None
    )


# Chinese words that carry a sentence, not a name: "多少", "可以", "嗎".
_CHINESE_GRAMMAR = re.compile(
    r"多少|几多|幾多|什么|甚麼|什麼|咩|吗|嗎|呢|可以|能不能|是不是|係唔係|申请|申請|资助|資助|补贴|補貼|怎么|點樣|点样"
)
# Words of spoken Putonghua that Cantonese writers use rarely, for Chinese text whose
# characters are the same in both scripts and whose conversation has no language yet.
_PUTONGHUA_WORDS = re.compile(
    r"不用|找|客服|咋|啥|吧|呗|哪儿|这儿|怎么|没有|没啥|好的|行吗|可以吗|是不是|要不要|您"
)


# SQL, markup and template syntax typed as a message ("SELECT * FROM t;--", "{{7*7}}")
_CODE_LIKE = Recalled(
    re.compile(
        r"\b(?:select|insert|delete|update|drop)\b[^.?!]{0,60}\b(?:from|into|table|set|where)\b"
        r"|<\s*/?\s*(?:script|iframe|img|svg|html|body)\b|\$\{[^}]*\}|\{\{[^}]*\}\}"
        r"|\b(?:or|and)\s+1\s*=\s*1\b|;\s*--"
        # "import os; os.system('ls')", "<?php …", "rm -rf /", "curl … | sh"
        r"|^\s*import\s+[a-z_][\w.]*\s*(?:;|\n)|^\s*from\s+[a-z_][\w.]*\s+import\s+"
        r"|\bos\.system\s*\(|\beval\s*\("
        r"|<\?php\b|\brm\s+-rf?\s+/|\|\s*(?:ba)?sh\b|\bexec\s*\(",
        re.IGNORECASE,
    )
)


def looks_like_code(text: str) -> bool:
    """Computer code typed as a message: no question, and no language of the user's.

    >>> looks_like_code("SELECT * FROM tickets; DROP TABLE tickets;--"), looks_like_code("select a factory")
    (True, False)
    """
    return bool(_CODE_LIKE.search(text[:2000]))


def detect_locale(
    text: str, last: str | None = None, telegram_language_code: str | None = None
) -> str:
    """The locale to reply in.

    Order of trust: the text's own script; for Chinese text whose characters are shared by
    both scripts, the conversation's last Chinese locale, then Cantonese-only characters
    (冇, 喺, 嘅 ... mean a Hong Kong reader), then Telegram's language code if Chinese, then
    Traditional; text that shows no language at all (digits, emoji, "ok") keeps `last`,
    then the language code, then English.
    """
    evidence = text_evidence(text)
    last_locale = last if last in LOCALES else None
    if last_locale and looks_like_code(text):
        return last_locale  # "{{7*7}}" says nothing of the user's language
    if last_locale and evidence.han_chars and _NUMBER_ONLY_HAN.fullmatch(text.strip()):
        return last_locale  # "80萬" typed in an English chat is no change of language
    if (
        last_locale == EN
        and evidence.han_chars
        and evidence.latin_words
        and not text_evidence(_HAN_IN_AMOUNT.sub(" ", text)).han_chars
    ):
        return EN  # "Actually 50萬 RMB": the only Chinese is a figure's unit

    if (
        last_locale in CHINESE_LOCALES
        and not evidence.han_chars
        and evidence.latin_words <= 2
        and len(text.strip()) <= 12
    ):
        return last_locale  # "why", "so?" dropped into a Chinese chat: still Chinese
    if (
        last_locale in CHINESE_LOCALES
        and 0 < evidence.han_chars <= 3
        and 1 <= evidence.latin_words <= 4
        and len(text.strip()) <= 30
    ):
        # "what about RMB 50万?" in a Chinese chat: still Chinese, in the script its
        # characters show ("VOC 點減" after Simplified lines: Traditional)
        script = _script_from_votes(evidence)
        return _SCRIPT_LOCALES[script] if script is not None else last_locale
    cantonese = evidence.cantonese_chars > 0  # "我哋workshop喺Kwun Tong": Cantonese grammar
    chinese_words = last_locale in CHINESE_LOCALES and bool(_CHINESE_GRAMMAR.search(text))
    if not cantonese and (
        evidence.is_latin or (_english_sentence(text, evidence) and not chinese_words)
    ):
        # "subsidy多少？项目cost 30w" in a Chinese chat: Chinese words around English ones
        return EN
    if (
        last_locale == EN
        and not cantonese
        and evidence.latin_words >= 2
        and evidence.han_chars <= 4
        and _LATIN_START.match(text) is not None
    ):
        return EN  # "how about 惠州?" in an English chat: a Chinese name, still English
    if evidence.is_chinese or cantonese:
        if cantonese and evidence.traditional_votes > 0:
            return ZH_HANT_HK  # "我哋间廠喺东莞": Cantonese in mixed scripts reads Traditional
        script = _script_from_votes(evidence)
        if script is not None:
            return _SCRIPT_LOCALES[script]
        if last_locale in CHINESE_LOCALES:
            return last_locale
        if evidence.cantonese_chars:
            return ZH_HANT_HK
        hinted = locale_from_language_code(telegram_language_code)
        if hinted in CHINESE_LOCALES:
            return hinted
        if _PUTONGHUA_WORDS.search(text):
            return ZH_HANS_CN  # "我要找人工客服", "不用了": Putonghua, written alike
        return DEFAULT_CHINESE_LOCALE
    return last_locale or locale_from_language_code(telegram_language_code) or EN


# --- synonyms ---------------------------------------------------------------------------------

SYNONYM_KINDS = frozenset({"cantonese", "hk-vs-mainland", "english", "misspelling", "domain"})


class SynonymError(ValueError):
    """The synonym table is malformed; the message says which entry and why."""


@dataclass(frozen=True, slots=True)
class Synonym:
    canonical: str
    variants: tuple[str, ...]
    kind: str
    note: str | None = None


def _parse_entry(index: int, raw: object) -> Synonym:
    if not isinstance(raw, Mapping):
        raise SynonymError(f"entry {index}: expected a mapping, got {type(raw).__name__}")
    unknown = set(raw) - {"canonical", "variants", "kind", "note"}
    if unknown:
        raise SynonymError(f"entry {index}: unknown keys {sorted(unknown)}")
    canonical, variants, kind = raw.get("canonical"), raw.get("variants"), raw.get("kind")
    note = raw.get("note")
    if not isinstance(canonical, str) or not canonical.strip():
        raise SynonymError(f"entry {index}: canonical must be a non-empty string")
    if not isinstance(variants, list) or not variants:
        raise SynonymError(f"entry {index} ({canonical}): variants must be a non-empty list")
    if not all(isinstance(v, str) and v.strip() for v in variants):
        raise SynonymError(f"entry {index} ({canonical}): every variant must be a string")
    if kind not in SYNONYM_KINDS:
        raise SynonymError(f"entry {index} ({canonical}): kind {kind!r} not in {SYNONYM_KINDS}")
    if note is not None and not isinstance(note, str):
        raise SynonymError(f"entry {index} ({canonical}): note must be a string")
    return Synonym(canonical, tuple(variants), kind, note)


class SynonymTable:
    """Folded variants -> folded canonical terms, applied in one left-to-right pass."""

    def __init__(self, entries: Iterable[Synonym]) -> None:
        self.entries = tuple(entries)
        replacement: dict[str, str] = {}
        for entry in self.entries:
            target = fold(entry.canonical)
            # The canonical maps to itself so a shorter variant inside it is never rewritten.
            for variant in (entry.canonical, *entry.variants):
                key = fold(variant).strip()
                previous = replacement.setdefault(key, target)
                if previous != target:
                    raise SynonymError(
                        f"{variant!r} (folded {key!r}) maps to both {previous!r} and {target!r}"
                    )
        self.replacement = replacement
        # English variants match whole words only ("cap" must not fire inside "capacity");
        # Chinese has no word boundaries, so its variants match anywhere.
        pattern = words_pattern(replacement, word_chars="0-9a-z")
        self.pattern = re.compile(pattern) if pattern else None

    def apply(self, folded: str) -> str:
        """Rewrite variants in already-folded text."""
        if self.pattern is None:
            return folded
        return self.pattern.sub(self._replace, folded)

    def _replace(self, match: re.Match[str]) -> str:
        return self.replacement[match.group()]


@by_files(lambda path=SYNONYMS_PATH: [path])
def load_synonyms(path: Path | str = SYNONYMS_PATH) -> SynonymTable:
    with open(path, encoding="utf-8") as handle:
        raw = load_yaml(handle)
    if not isinstance(raw, list):
        raise SynonymError(f"{path}: expected a list of entries")
    return SynonymTable(_parse_entry(i, entry) for i, entry in enumerate(raw))


@lru_cache(maxsize=1)
def default_synonyms() -> SynonymTable:
    return load_synonyms()


def normalise(text: str) -> str:
    """Folded text with every synonym variant replaced by its canonical term (for matching)."""
    return default_synonyms().apply(fold(text))
