"""Catalog chores beside ``pybabel``: fill the English catalog, derive Simplified Chinese
from Traditional (OpenCC hk2s) for entries still empty, and check completeness.

    python scripts/catalogs.py fill-en
    python scripts/catalogs.py derive-hans      # then read the result and fix wording
    python scripts/catalogs.py check            # what CI runs (tests/test_catalogs.py)
"""

from __future__ import annotations

import sys
from pathlib import Path

import opencc
from babel.messages.pofile import read_po, write_po

I18N = Path(__file__).resolve().parents[1] / "i18n"


def po_path(locale: str) -> Path:
    return I18N / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str):  # type: ignore[no-untyped-def]
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def save(locale: str, catalog) -> None:  # type: ignore[no-untyped-def]
    catalog.fuzzy = False  # the header is not a translation; a fuzzy one stops pybabel compile
    with po_path(locale).open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, no_location=True, width=100)


def fill_en() -> None:
    catalog = load("en")
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id
    save("en", catalog)


def derive_hans(force: bool = False) -> None:
    convert = opencc.OpenCC("hk2s.json").convert
    hant, hans = load("zh_Hant_HK"), load("zh_Hans_CN")
    for message in hans:
        if not message.id:
            continue
        source = hant.get(message.id)
        if source is not None and source.string and (force or not message.string):
            message.string = convert(source.string)
    save("zh_Hans_CN", hans)


def problems() -> list[str]:
    found = []
    template_ids = {m.id for m in read_po((I18N / "messages.pot").open("rb")) if m.id}
    for locale in ("en", "zh_Hant_HK", "zh_Hans_CN"):
        catalog = load(locale)
        ids = {m.id for m in catalog if m.id}
        for missing in sorted(template_ids - ids, key=str):
            found.append(f"{locale}: not in catalog (run scripts/i18n.sh): {missing!r}")
        for message in catalog:
            if not message.id:
                continue
            if not message.string:
                found.append(f"{locale}: untranslated: {message.id!r}")
            elif message.fuzzy:
                found.append(f"{locale}: fuzzy: {message.id!r}")
    return found


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "fill-en":
        fill_en()
    elif command == "derive-hans":
        derive_hans(force="--force" in sys.argv)
    else:
        issues = problems()
        print("\n".join(issues) or "catalogs complete")
        sys.exit(1 if issues else 0)
