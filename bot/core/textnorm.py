"""Text folding shared by every matcher: one canonical form for comparing text.

Folding is for matching only; replies never show folded text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

# hk2s: Traditional with Hong Kong usage -> Simplified. Matching runs on Simplified
# because Traditional -> Simplified is many-to-one and safe, the reverse is lossy.
_HK2S = opencc.OpenCC("hk2s.json")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    return _HK2S.convert(text)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, Traditional folded to Simplified.

    >>> fold("ＨＫ＄４０萬 東莞")
    'hk$40万 东莞'
    """
    # Cached: one message is folded by several readers (signals, places, facts, money).
    text = unicodedata.normalize("NFKC", text).casefold()
    return to_simplified(text) if not text.isascii() and _has_cjk(text) else text


def _has_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


def fold_aligned(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, its offset in ``text``.

    >>> fold_aligned("ＨＫ廠")
    ('hk厂', [0, 1, 2])
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        parts.append(f)
        offsets.extend([i] * len(f))
    return "".join(parts), offsets
