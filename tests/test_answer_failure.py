"""A bug while answering costs the user neither an answer nor half-written state: the
transaction is rolled back and the user is told what to do, in their language, with the
hotline (the error handler; tries and dead letters are tests/e2e_handoff/test_inbox_faults)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Settings
from tests.support.app_harness import AppHarness


async def test_a_failing_answer_is_rolled_back_and_the_user_told(tmp_path: Path, kb_path: Path) -> None:
    bot = await AppHarness.start(Settings(db_path=tmp_path / "b.sqlite3", kb_path=kb_path, staff_chats={"hk": -1001}))
    try:
        real = bot.services.dialogue.handle

        def half_done_then_fails(session: Any, event: Any) -> Any:
            # Writes inside the transaction, as a ticket would, then fails.
            bot.services.store.conn.execute(
                "INSERT INTO sessions (chat_id, data, updated_at) VALUES (?, ?, 0)", (424242, "{}")
            )
            raise RuntimeError("a bug")

        bot.services.dialogue.handle = half_done_then_fails  # type: ignore[method-assign]
        await bot.feed(bot.api.user_sends_text(77, "我間廠喺東莞，可唔可以申請？"))
        reply = bot.api.sent(77)[-1]
        assert "2788 5588" in reply["text"] and "抱歉" in reply["text"]
        rows = bot.services.store.conn.execute("SELECT COUNT(*) FROM sessions WHERE chat_id = 424242").fetchone()
        assert rows[0] == 0, "what the failed attempt wrote is rolled back"
        bot.services.dialogue.handle = real  # type: ignore[method-assign]
        await bot.feed(bot.api.user_sends_text(77, "我間廠喺東莞，可唔可以申請？"))
        assert "東莞" in bot.api.sent(77)[-1]["text"], "the next message is answered as usual"
    finally:
        await bot.stop()
