"""The conversation corpus: realistic conversations in three languages, each turn checked
against what a right answer must and must not contain (``tests/conversation_runner.py``
explains the format). Every defect found in a conversation becomes a case here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conversation_runner import load_corpus, problems, run_conversation

CORPUS = load_corpus()


def _param(conversation: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=conversation["xfail"], strict=True)] if conversation.get("xfail") else []
    return pytest.param(conversation, id=f"{conversation['file']}:{conversation['name']}", marks=marks)


@pytest.mark.parametrize("conversation", [_param(c) for c in CORPUS])
def test_conversation(conversation: dict[str, Any], tmp_path: Path, kb_path: Path) -> None:
    replies = run_conversation(conversation, tmp_path, kb_path)
    turns = conversation["turns"]
    assert len(replies) == len(turns), f"{len(replies)} replies to {len(turns)} lines"
    report = []
    for number, (turn, reply) in enumerate(zip(turns, replies, strict=True), start=1):
        for problem in problems(reply, turn.get("expect") or {}):
            report.append(f"turn {number} ({turn['say']!r}): {problem}\n    reply: {reply['text'][:400]!r}")
    assert not report, "\n".join(report)


def test_the_corpus_is_large_and_trilingual() -> None:
    languages = {c.get("lang") for c in CORPUS}
    assert {"yue", "cmn", "en"} <= languages
    names = [c["name"] for c in CORPUS]
    assert len(names) == len(set(names)), "conversation names are unique"


def test_no_expected_figure_was_split_at_its_thousands_comma() -> None:
    """In a YAML flow list an unquoted 港幣650,000元 is two items, "港幣650" and "000元":
    quote figures with a comma."""
    split = []
    for conversation in CORPUS:
        for turn in conversation["turns"]:
            for key, wanted in (turn.get("expect") or {}).items():
                if not isinstance(wanted, list):
                    continue
                for before, after in zip(wanted, wanted[1:], strict=False):
                    if str(before)[-1:].isdigit() and re.match(r"\d{3}(?![\d,])", str(after)):
                        split.append(f"{conversation['name']}: {key} {before!r}, {after!r}")
    assert not split, "\n".join(split)
