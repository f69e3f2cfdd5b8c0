"""Security through the real Application (in-process ``AppHarness``):

* HTML and Markdown in names, messages and ticket text are shown as text: the stand-in parses
  every sent message as Telegram would and records its entities, and none comes from input;
* staff commands and staff buttons from chats that are not the ticket's staff chat are refused;
* one user can never see or reach another user's ticket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.store import Store
from tests.reliability.conftest import ErrorRecords
from tests.support.app_harness import AppHarness

JSON = dict[str, Any]
HK_STAFF = -1001
DG_STAFF = -1002
OTHER_GROUP = -3003
ALICE, BOB, STAFF_USER = 5201, 5202, 5301

# What people might type to inject formatting; each must reach every reader verbatim.
HTML_NAME = '<b>Boss</b> <a href="http://evil.example/">click</a>'
MD_COMPANY = "*Bold Ltd* _italic_ [pay here](http://evil.example/) `code` ~x~ ||s||"
HTML_TOPIC = "<i>urgent</i> &lt;tag&gt; <script>alert(1)</script> <tg-spoiler>s</tg-spoiler>"
HTML_RELAY = (
    '<u>under</u> <code>c</code> <a href="tg://user?id=1">me</a> <blockquote>q</blockquote>'
)
INPUTS = (HTML_NAME, MD_COMPANY, HTML_TOPIC, HTML_RELAY)
# Words inside the injected tags: no formatting entity may cover exactly one of them.
INJECTED_WORDS = {"Boss", "click", "urgent", "s", "under", "c", "me", "q", "Bold Ltd", "italic"}


@pytest.fixture
def errors(errors: ErrorRecords) -> Iterator[ErrorRecords]:
    """Here, any ERROR logged fails the test."""
    yield errors
    assert not [r.getMessage() for r in errors.records]


@pytest.fixture
async def bot(kb_path: Path, tmp_path: Path, errors: ErrorRecords) -> AsyncIterator[AppHarness]:
    settings = Settings(
        token="123:LOCAL",
        kb_path=kb_path,
        db_path=tmp_path / "bot.sqlite3",
        staff_chats={"hk": HK_STAFF, "dongguan": DG_STAFF},
    )
    running = await AppHarness.start(settings, Store(settings.db_path))
    for chat in (HK_STAFF, DG_STAFF, OTHER_GROUP):
        running.api.add_chat(chat, "supergroup")
    running.api.add_user(STAFF_USER, '<b>Eve</b> <a href="http://evil.example/">x</a>')
    try:
        yield running
    finally:
        await running.stop()


# --- helpers ---------------------------------------------------------------------------------


def find_button(messages: list[JSON], suffix: str) -> tuple[int, str]:
    for message in reversed(messages):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").endswith(suffix):
                    return message["message_id"], button["callback_data"]
    raise LookupError(f"no button ending in {suffix!r}")


async def say(bot: AppHarness, chat: int, text: str) -> list[JSON]:
    before = bot.api.sent_count(chat)
    await bot.feed(bot.api.user_sends_text(chat, text))
    await bot.services.flush()
    return bot.api.sent(chat)[before:]


async def tap(bot: AppHarness, chat: int, suffix: str, user: int | None = None) -> None:
    message_id, data = find_button(bot.api.sent(chat), suffix)
    await bot.feed(bot.api.user_taps(chat, message_id, data, user=user))
    await bot.services.flush()


async def open_ticket(bot: AppHarness, chat: int, name: str, company: str, topic: str) -> Any:
    await say(bot, chat, "I want to talk to a person")
    await tap(bot, chat, "|handoff|leave")
    for answer in (name, company, "+852 9123 4567", "Kwun Tong", topic):
        await say(bot, chat, answer)
    await tap(bot, chat, "|confirm|send")
    ticket = bot.services.tickets.open_ticket_of(chat)
    assert ticket is not None
    return ticket


def card_of(bot: AppHarness, staff_chat: int, ref: str) -> JSON:
    return next(m for m in bot.api.sent(staff_chat) if ref in m.get("text", ""))


async def staff_taps(bot: AppHarness, chat: int, ticket: Any, action: str) -> None:
    """A staff member presses a ticket button that is shown in ``chat``."""
    data = f"v1|0|ticket|{action}:{ticket.id}"
    shown = await bot.api.call(
        "sendMessage",
        chat_id=chat,
        text="a ticket card",
        reply_markup={"inline_keyboard": [[{"text": action, "callback_data": data}]]},
    )
    await bot.feed(bot.api.user_taps(chat, shown["message_id"], data, user=STAFF_USER))
    await bot.services.flush()


def formatting_from_input(message: JSON) -> list[str]:
    """Entities a user's markup could have produced: links anywhere, and formatting that
    covers exactly a word the user wrapped in tags or Markdown markers."""
    text = message.get("text", "")
    encoded = text.encode("utf-16-le")
    found = []
    for entity in message.get("entities", []):
        start, length = entity["offset"] * 2, entity["length"] * 2
        covered = encoded[start : start + length].decode("utf-16-le")
        is_link = entity["type"] in ("text_link", "text_mention", "custom_emoji")
        if is_link or covered.strip() in INJECTED_WORDS:
            found.append(f"{entity['type']} over {covered!r}")
    return found


# --- tests ------------------------------------------------------------------------------------


async def test_markup_in_names_messages_and_tickets_is_shown_as_text(bot: AppHarness) -> None:
    ticket = await open_ticket(bot, ALICE, HTML_NAME, MD_COMPANY, HTML_TOPIC)
    await say(bot, ALICE, HTML_RELAY)
    card = card_of(bot, HK_STAFF, ticket.ref)
    await bot.feed(
        bot.api.user_sends_text(
            HK_STAFF,
            "claimed",
            user=STAFF_USER,
            chat_type="supergroup",
            reply_to_message_id=card["message_id"],
        )
    )
    await staff_taps(bot, HK_STAFF, ticket, "claim")  # the staff member's name holds tags too
    user_texts = "\n".join(m["text"] for m in bot.api.sent(ALICE))
    staff_texts = "\n".join(m["text"] for m in bot.api.sent(HK_STAFF))
    for typed in (HTML_NAME, MD_COMPANY, HTML_TOPIC):
        assert typed in user_texts, f"the summary shows {typed!r} as typed"
        assert typed in staff_texts, f"the staff card shows {typed!r} as typed"
    assert HTML_RELAY in staff_texts, "a relayed message keeps its tags as text"
    assert "<b>Eve</b>" in staff_texts, "a staff member's name is shown as text"
    leaks = [
        f"chat {chat}: {leak}"
        for chat in (ALICE, HK_STAFF)
        for message in bot.api.sent(chat)
        for leak in formatting_from_input(message)
    ]
    assert not leaks


@pytest.mark.parametrize(
    "text",
    [
        "<b>VOC</b> 噴油房",
        "*示範項目* 上限",
        '<a href="http://evil.example/">東莞</a> 可唔可以申請',
        "[HK$500,000](http://evil.example/) demonstration",
    ],
)
async def test_markup_in_questions_is_shown_as_text(bot: AppHarness, text: str) -> None:
    replies = await say(bot, BOB, text)
    assert replies
    for message in replies:
        assert not formatting_from_input(message), message


async def test_staff_buttons_and_commands_elsewhere_are_refused(bot: AppHarness) -> None:
    ticket = await open_ticket(bot, ALICE, "Alice", "A Ltd", "please call")
    staff_before = len(bot.api.sent(HK_STAFF))
    # A group that is not a staff chat: buttons, commands, replies do nothing.
    await staff_taps(bot, OTHER_GROUP, ticket, "claim")
    await staff_taps(bot, OTHER_GROUP, ticket, "close")
    for command in (f"/close {ticket.ref}", "/tickets", f"/claim {ticket.ref}"):
        await bot.feed(
            bot.api.user_sends_text(OTHER_GROUP, command, user=STAFF_USER, chat_type="supergroup")
        )
    # Another desk's staff chat: the ticket is routed to Hong Kong, not Dongguan.
    await staff_taps(bot, DG_STAFF, ticket, "close")
    await bot.feed(
        bot.api.user_sends_text(
            DG_STAFF, f"/close {ticket.ref}", user=STAFF_USER, chat_type="supergroup"
        )
    )
    await bot.services.flush()
    # The user's own chat: staff data is a stale button, staff commands are unknown.
    await staff_taps(bot, ALICE, ticket, "close")
    for command in (f"/close {ticket.ref}", "/tickets"):
        await say(bot, ALICE, command)
    after = bot.services.tickets.get(ticket.id)
    assert after is not None and after.status == "open" and after.claimed_by is None
    shown = [m["text"] for m in bot.api.sent(OTHER_GROUP)]
    assert all(text == "a ticket card" for text in shown), shown
    assert len(bot.api.sent(HK_STAFF)) == staff_before, "the ticket's own desk saw nothing"
    refusals = [m["text"] for m in bot.api.sent(DG_STAFF) if m["text"] != "a ticket card"]
    assert refusals and all(ticket.ref not in text or "not handled" in text for text in refusals)
    alice_texts = [m["text"] for m in bot.api.sent(ALICE)]
    assert not any("Open enquiries" in text for text in alice_texts)


async def test_a_user_cannot_see_or_reach_another_users_ticket(bot: AppHarness) -> None:
    ticket = await open_ticket(bot, ALICE, "Alice Secret", "Secret Works", "my private topic")
    card = card_of(bot, HK_STAFF, ticket.ref)
    seen_by_bob = []
    seen_by_bob += await say(bot, BOB, ticket.ref)
    seen_by_bob += await say(bot, BOB, f"/start {ticket.ref}")
    seen_by_bob += await say(bot, BOB, "/cancel_request")
    seen_by_bob += await say(bot, BOB, "/forget")
    seen_by_bob += await say(bot, BOB, f"/cancel_request {ticket.ref}")
    bob_text = "\n".join(m["text"] for m in seen_by_bob)
    for secret in ("Alice Secret", "Secret Works", "my private topic", "9123 4567"):
        assert secret not in bob_text
    after = bot.services.tickets.get(ticket.id)
    assert after is not None and after.status == "open"
    assert after.details.get("name") == "Alice Secret", "Bob's /forget left Alice's ticket"
    # Bob's words never join Alice's ticket, and staff answers reach Alice only.
    staff_before = "\n".join(m["text"] for m in bot.api.sent(HK_STAFF))
    await say(bot, BOB, "message from bob to any ticket")
    staff_after = "\n".join(m["text"] for m in bot.api.sent(HK_STAFF))
    assert "message from bob" not in staff_after.removeprefix(staff_before)
    bob_count, alice_count = bot.api.sent_count(BOB), bot.api.sent_count(ALICE)
    await bot.feed(
        bot.api.user_sends_text(
            HK_STAFF,
            "Hello Alice, staff here",
            user=STAFF_USER,
            chat_type="supergroup",
            reply_to_message_id=card["message_id"],
        )
    )
    await bot.services.flush()
    assert bot.api.sent_count(BOB) == bob_count
    assert bot.api.sent_count(ALICE) == alice_count + 1
    assert bot.api.sent(ALICE)[-1]["text"] == "Hello Alice, staff here"
