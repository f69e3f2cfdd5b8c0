"""`python -m bot chat | head -1`: the reader leaving early is no crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_a_closed_output_pipe_ends_the_chat_quietly(tmp_path: Path) -> None:
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"BOT_DB": str(tmp_path / "b.sqlite3"), "PATH": "", "RULES_DATE": "2026-11-28"},
        cwd=Path(__file__).resolve().parents[1],
    )
    assert chat.stdout is not None and chat.stdin is not None
    chat.stdout.readline()  # the greeting line, then the reader goes away
    chat.stdout.close()
    chat.stdin.write("我間廠喺東莞\n".encode() * 50)
    chat.stdin.close()
    assert chat.wait(timeout=60) == 0
    assert b"Traceback" not in chat.stderr.read()
