"""Issue 14: ``/forget`` removes a user's personal data from every table and column, from
sent outbox rows, and from the files themselves (the write-ahead log is checkpointed and
emptied; deleted content is overwritten)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.config import Settings
from tests.e2e_handoff.conftest import new_user
from tests.e2e_handoff.support import Staff, call, staff_words, wait_for
from tests.e2e_handoff.test_relay import ANSWERS
from tests.support.botapi_server import Driver

RELAYED = "my other mobile is 61234567, ask for Mrs Tsang"
SEARCH = "how to reduce solvent smell from the spray booth"
ESTIMATE = "Demonstration project costing HK$654,321, how much is the subsidy?"


def every_cell(path: Path) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every column of every row of every table."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        cells = []
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                cells += [(table, c, str(v)) for c, v in zip(columns, row, strict=True)]
    return cells


async def test_forget_leaves_nothing_in_any_table_or_file(
    bot: Any, driver: Driver, settings: Settings, dongguan: Staff
) -> None:
    user = await new_user(driver, 9801)
    assert await user.say(SEARCH)
    assert await user.say(ESTIMATE)
    ref, _ = await user.leave_enquiry("talk to a person", ANSWERS["en"])
    card = await dongguan.wait_for(ref)
    await user.say(RELAYED)
    await dongguan.wait_for("61234567")
    await dongguan.reply(card, "we will phone Mrs Tsang")
    await wait_for(lambda: _said(driver, user.id, "we will phone Mrs Tsang"))

    await user.say("/forget")
    await dongguan.wait_for(
        staff_words("{ref}: the user asked to be forgotten; replies cannot reach them.", ref=ref)
    )
    services = bot.services
    await wait_for(lambda: _async(services.outbox.pending_count() == 0))

    answers = ANSWERS["en"]
    secrets = [
        answers["name"],
        answers["company"],
        answers["phone"].lstrip("+"),
        answers["topic"],
        "61234567",
        "Mrs Tsang",
        "solvent smell",
        "654,321",
        "654321",
    ]
    found = [
        (table, column, secret)
        for table, column, value in every_cell(settings.db_path)
        for secret in secrets
        if secret in value
    ]
    assert not found, found
    for suffix in ("", "-wal"):
        raw = Path(f"{settings.db_path}{suffix}")
        data = raw.read_bytes() if raw.exists() else b""
        left = [s for s in secrets if s.encode() in data]
        assert not left, f"{raw.name} still holds {left}"


async def _said(driver: Driver, chat_id: int, words: str) -> bool:
    return any(words in m.get("text", "") for m in await call(driver, "sent", chat_id=chat_id))


async def _async(value: bool) -> bool:
    return value
