"""``python -m bot chat`` with piped input, as the contract promises: one message per line,
numbered buttons, ``:tap N`` presses button N of the last answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.helpers import assert_language

ROOT = Path(__file__).resolve().parents[2]

# Buttons are numbered on each answer in the order the bot lays them out: after a "yes"
# verdict [1] is "Estimate my subsidy"; the items are [1] assessment, [2] demonstration,
# [3] verification; premises [1] factory, [2] workshop; processes [1] spray coating.
SCRIPTS = {
    "zh_Hant_HK": ["東莞厚街", ":tap 1", ":tap 2", "四十萬", "香港", ":tap 2", ":tap 1"],
    "zh_Hans_CN": ["东莞厚街", ":tap 1", ":tap 2", "40万港元", "香港", ":tap 2", ":tap 1"],
    "en": ["Houjie Dongguan", ":tap 1", ":tap 2", "HK$400k", "Hong Kong", ":tap 2", ":tap 1"],
}


def chat(lines: list[str], tmp_path: Path, kb_path: Path) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")},
        "BOT_DB": str(tmp_path / "console.sqlite3"),
        "KB_DB": str(kb_path),
        "RULES_DATE": "2014-01-01",  # the extension: para 17, 18
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        cwd=ROOT,
        env=env,
        text=True,
        input="\n".join(lines) + "\n",
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    return result.stdout


def answers_after_the_welcome(output: str) -> list[str]:
    """The answers to the scripted lines: blocks after the welcome's menu (its last
    button is [5]), without the console's own hints in parentheses."""
    _, _, rest = output.partition("[5]")
    blocks = rest.split("\n", 1)[1].split("\n\n")
    return [
        "\n".join(line for line in block.splitlines() if not line.startswith("("))
        for block in blocks
        if block.strip()
    ]


@pytest.mark.parametrize("locale", list(SCRIPTS))
def test_piped_chat_finishes_eligibility_and_subsidy(
    locale: str, tmp_path: Path, kb_path: Path
) -> None:
    output = chat(SCRIPTS[locale], tmp_path, kb_path)
    assert "[1]" in output and "(no button" not in output, output
    answers = answers_after_the_welcome(output)
    for block in answers:
        if block.strip():
            assert_language(block, locale)
    text = "\n".join(answers)
    assert all(f in text for f in ("300,000", "400,000", "200,000")), text
    # The last answer is the Hong Kong workshop's verdict, with its next steps.
    assert output.rstrip().splitlines()[-1].startswith("["), output[-300:]


def test_piped_chat_with_a_bad_tap_and_a_location(tmp_path: Path, kb_path: Path) -> None:
    output = chat(
        ["/lang en", ":tap 9", ":tap 1", ":location 22.54 114.06", ":tap x", ":quit", "never read"],
        tmp_path,
        kb_path,
    )
    assert "(no button 9" in output and "(no button x" in output
    assert "Shenzhen" in output
    assert "never read" not in output
