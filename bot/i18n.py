"""Babel catalogs: one ``messages.po`` per locale under ``i18n/<locale>/LC_MESSAGES``.

The catalogs are read with Babel's PO reader when first needed, so a fresh clone runs
without a compile step; ``pybabel compile`` still works for tools that want ``.mo`` files.
A missing translation falls back to the English source text at run time, and the
catalog check (``tests/test_catalogs.py``) fails CI on any missing or fuzzy entry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from bot.core.locales import EN, LOCALES

I18N_DIR = Path(__file__).resolve().parents[1] / "i18n"
DEFAULT_LOCALE = EN


@cache
def catalog(locale: str) -> dict[str, str]:
    path = I18N_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    return {
        message.id: message.string
        for message in po
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def gettext(locale: str, msgid: str) -> str:
    return catalog(locale).get(msgid, msgid)


def check_locale(locale: str | None) -> str:
    return locale if locale in LOCALES else DEFAULT_LOCALE
