"""The catalogs are complete: every message id in the code is in the template, and every
locale translates every entry (no missing, no fuzzy)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import catalogs  # noqa: E402


def test_template_matches_the_code(tmp_path: Path) -> None:
    pybabel = shutil.which("pybabel")
    if pybabel is None:
        pytest.skip("pybabel not on PATH")
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [pybabel, "extract", "-F", "i18n/babel.cfg", "-k", "T", "-k", "title", "-k", "note",
         "-k", "gettext:2", "--no-location", "--sort-output", "--omit-header",
         "-o", str(fresh), "bot"],
        cwd=ROOT, check=True,
    )
    with fresh.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "i18n" / "messages.pot").open("rb") as handle:
        stored = {m.id for m in read_po(handle) if m.id}
    assert extracted == stored, "messages.pot is out of date: run ./scripts/i18n.sh"


def test_every_locale_translates_every_message() -> None:
    problems = catalogs.problems()
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("locale", ["zh_Hant_HK", "zh_Hans_CN"])
def test_placeholders_survive_translation(locale: str) -> None:
    import re

    placeholder = re.compile(r"\{\w+\}")
    for message in catalogs.load(locale):
        if message.id and message.string:
            assert sorted(placeholder.findall(message.string)) == sorted(
                placeholder.findall(message.id)
            ), f"{locale}: {message.id!r}"


def test_simplified_has_no_cantonese_particles() -> None:
    for message in catalogs.load("zh_Hans_CN"):
        for particle in "喺嘅唔咗啲嘢冇":
            assert particle not in (message.string or ""), f"{particle} in {message.id!r}"
