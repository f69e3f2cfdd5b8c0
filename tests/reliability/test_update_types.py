"""Every kind of update Telegram sends, through the real Application (in-process
``AppHarness``): each gets a sensible reply or is ignored on purpose, and nothing reaches the
error handler (no log record of level ERROR anywhere).

Updates the stand-in's user side cannot make are written here as Bot API JSON, the way
Telegram sends them, and parsed by PTB like any other.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.config import Settings
from bot.store import Store
from tests.reliability.conftest import ErrorRecords
from tests.support.app_harness import AppHarness

JSON = dict[str, Any]
USER = 5100
STAFF = -1001
GROUP = -2002
CHANNEL = -1003003
_ids = itertools.count(900_000)


@pytest.fixture
async def bot(kb_path: Path, tmp_path: Path) -> AsyncIterator[AppHarness]:
    settings = Settings(
        token="123:LOCAL",
        kb_path=kb_path,
        db_path=tmp_path / "bot.sqlite3",
        staff_chats={"hk": STAFF},
    )
    running = await AppHarness.start(settings, Store(settings.db_path))
    running.api.add_chat(STAFF, "supergroup", title="HK desk")
    running.api.add_chat(GROUP, "group", title="Factory owners")
    await running.feed(running.api.user_sends_text(USER, "/start"))  # the private chat exists
    try:
        yield running
    finally:
        await running.stop()


# --- Bot API JSON for the updates the stand-in's user side does not make ---------------------


def user(user_id: int = USER, **extra: Any) -> JSON:
    return {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en", **extra}


def private_chat(user_id: int = USER) -> JSON:
    return {"id": user_id, "type": "private", "first_name": "Ada"}


def group_chat(chat_id: int = GROUP) -> JSON:
    return {"id": chat_id, "type": "supergroup" if chat_id == STAFF else "group", "title": "G"}


def message(content: JSON, chat: JSON | None = None, sender: JSON | None = None) -> JSON:
    body: JSON = {"message_id": next(_ids), "date": 1_700_000_000, "chat": chat or private_chat()}
    if sender is not False:
        body["from"] = sender or user()
    body.update(content)
    return body


FILE = {"file_id": "F1", "file_unique_id": "U1"}
PHOTO = [{**FILE, "width": 90, "height": 90}]
POLL = {
    "id": "77",
    "persistent_id": "77",
    "question": "Which?",
    "options": [
        {"text": "a", "voter_count": 0, "persistent_id": "o1"},
        {"text": "b", "voter_count": 1, "persistent_id": "o2"},
    ],
    "total_voter_count": 1,
    "is_closed": False,
    "is_anonymous": True,
    "type": "regular",
    "allows_multiple_answers": False,
    "allows_revoting": False,
    "members_only": False,
}
VIDEO = {**FILE, "width": 1, "height": 1, "duration": 1}

# What a private chat can carry that the bot cannot read: each gets the polite "I can only
# read text" reply.
UNREADABLE_PRIVATE = {
    "sticker": {
        "sticker": {
            **FILE,
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    },
    "voice": {"voice": {**FILE, "duration": 2}},
    "audio": {"audio": {**FILE, "duration": 2}},
    "photo": {"photo": PHOTO},
    "photo_with_caption": {"photo": PHOTO, "caption": "<b>my factory</b> in 東莞"},
    "video": {"video": VIDEO},
    "video_note": {"video_note": {**FILE, "length": 1, "duration": 1}},
    "animation": {"animation": VIDEO},
    "document": {"document": {**FILE, "file_name": "a.pdf"}},
    "poll": {"poll": POLL},
    "dice": {"dice": {"emoji": "🎲", "value": 3}},
    "venue": {
        "venue": {
            "location": {"latitude": 22.3, "longitude": 114.2},
            "title": "Plant",
            "address": "1 Road",
        }
    },
    "game": {"game": {"title": "g", "description": "d", "photo": PHOTO}},
    "story": {"story": {"chat": private_chat(), "id": 1}},
    "web_app_data": {"web_app_data": {"data": "x", "button_text": "b"}},
    "users_shared": {"users_shared": {"request_id": 1, "users": [{"user_id": 9}]}},
    "chat_shared": {"chat_shared": {"request_id": 1, "chat_id": -5}},
    "write_access_allowed": {"write_access_allowed": {}},
    "pinned_message": {"pinned_message": {"message_id": 1, "date": 0, "chat": private_chat()}},
}

# Private messages the bot reads.
ANSWERED_PRIVATE = {
    "text": {"text": "My factory is in Dongguan"},
    "odd_text": {"text": '\u202e\u200b<b>NEAR("*" -x : AND OR ^ 10e999999 \x07'},
    "command_unknown": {
        "text": "/frobnicate now",
        "entities": [{"type": "bot_command", "offset": 0, "length": 11}],
    },
    "command_with_username": {
        "text": "/start@cpp_local_bot",
        "entities": [{"type": "bot_command", "offset": 0, "length": 20}],
    },
    "start_odd_payload": {
        "text": "/start " + "x" * 64 + "<>&\"'",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    },
    "location": {"location": {"latitude": 22.8, "longitude": 113.7}},
    "location_far_away": {"location": {"latitude": -89.9, "longitude": 179.9}},
    "contact_own": {
        "contact": {"phone_number": "+85291234567", "first_name": "Ada", "user_id": USER}
    },
    "contact_other": {"contact": {"phone_number": "123", "first_name": "Bob"}},
    "forwarded_text": {
        "text": "示範項目40萬",
        "forward_origin": {"type": "hidden_user", "sender_user_name": "X", "date": 0},
    },
    "reply_to_bot": {
        "text": "thanks",
        "reply_to_message": {
            "message_id": 1,
            "date": 0,
            "chat": private_chat(),
            "text": "x",
            "from": {"id": 7_000_000_001, "is_bot": True, "first_name": "CPP"},
        },
    },
}


def update(kind: str, payload: JSON) -> JSON:
    return {"update_id": next(_ids), kind: payload}


# Updates that must be ignored on purpose: no message to anyone, no error.
IGNORED = {
    "group_text": update("message", message({"text": "hello all"}, group_chat())),
    "group_command": update(
        "message",
        message(
            {"text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]},
            group_chat(),
        ),
    ),
    "group_tickets_command_not_staff": update(
        "message",
        message(
            {"text": "/tickets", "entities": [{"type": "bot_command", "offset": 0, "length": 8}]},
            group_chat(),
        ),
    ),
    "staff_chatter_not_a_reply": update("message", message({"text": "lunch?"}, group_chat(STAFF))),
    "anonymous_admin_in_group": update(
        "message", message({"text": "hi", "sender_chat": group_chat()}, group_chat(), sender=False)
    ),
    "new_members": update("message", message({"new_chat_members": [user(6000)]}, group_chat())),
    "left_member": update("message", message({"left_chat_member": user(6000)}, group_chat())),
    "group_edit": update(
        "edited_message", message({"text": "edited", "edit_date": 1}, group_chat())
    ),
    "private_edit_without_text": update(
        "edited_message", message({"photo": PHOTO, "caption": "new caption", "edit_date": 1})
    ),
    "channel_post": update(
        "channel_post",
        message({"text": "news"}, {"id": CHANNEL, "type": "channel", "title": "C"}, sender=False),
    ),
    "edited_channel_post": update(
        "edited_channel_post",
        message(
            {"text": "news!", "edit_date": 1},
            {"id": CHANNEL, "type": "channel", "title": "C"},
            sender=False,
        ),
    ),
    "chosen_inline_result": update(
        "chosen_inline_result", {"result_id": "r", "from": user(), "query": "q"}
    ),
    "poll": update("poll", POLL),
    "poll_answer": update(
        "poll_answer",
        {"poll_id": "77", "user": user(), "option_ids": [1], "option_persistent_ids": ["o2"]},
    ),
    "my_chat_member_blocked": update(
        "my_chat_member",
        {
            "chat": private_chat(),
            "from": user(),
            "date": 0,
            "old_chat_member": {"status": "member", "user": user(7_000_000_001, is_bot=True)},
            "new_chat_member": {
                "status": "kicked",
                "user": user(7_000_000_001, is_bot=True),
                "until_date": 0,
            },
        },
    ),
    "chat_member": update(
        "chat_member",
        {
            "chat": group_chat(),
            "from": user(),
            "date": 0,
            "old_chat_member": {"status": "left", "user": user(6001)},
            "new_chat_member": {"status": "member", "user": user(6001)},
        },
    ),
    "chat_join_request": update(
        "chat_join_request", {"chat": group_chat(), "from": user(), "user_chat_id": USER, "date": 0}
    ),
    "message_reaction": update(
        "message_reaction",
        {
            "chat": private_chat(),
            "message_id": 1,
            "user": user(),
            "date": 0,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        },
    ),
    "message_reaction_count": update(
        "message_reaction_count",
        {
            "chat": group_chat(),
            "message_id": 1,
            "date": 0,
            "reactions": [{"type": {"type": "emoji", "emoji": "👍"}, "total_count": 2}],
        },
    ),
    "chat_boost": update(
        "chat_boost",
        {
            "chat": group_chat(),
            "boost": {
                "boost_id": "b",
                "add_date": 0,
                "expiration_date": 1,
                "source": {"source": "premium", "user": user()},
            },
        },
    ),
    "removed_chat_boost": update(
        "removed_chat_boost",
        {
            "chat": group_chat(),
            "boost_id": "b",
            "remove_date": 0,
            "source": {"source": "premium", "user": user()},
        },
    ),
    "shipping_query": update(
        "shipping_query",
        {
            "id": "s",
            "from": user(),
            "invoice_payload": "p",
            "shipping_address": {
                "country_code": "HK",
                "state": "",
                "city": "HK",
                "street_line1": "a",
                "street_line2": "",
                "post_code": "",
            },
        },
    ),
    "pre_checkout_query": update(
        "pre_checkout_query",
        {"id": "p", "from": user(), "currency": "HKD", "total_amount": 1, "invoice_payload": "p"},
    ),
    "business_connection": update(
        "business_connection",
        {"id": "bc", "user": user(), "user_chat_id": USER, "date": 0, "is_enabled": True},
    ),
    "business_message": update(
        "business_message", message({"text": "hello via business", "business_connection_id": "bc"})
    ),
    "deleted_business_messages": update(
        "deleted_business_messages",
        {"business_connection_id": "bc", "chat": private_chat(), "message_ids": [1]},
    ),
    "purchased_paid_media": update(
        "purchased_paid_media", {"from": user(), "paid_media_payload": "x"}
    ),
    "callback_from_inline_message": update(
        "callback_query",
        {
            "id": "cq-inline",
            "from": user(),
            "chat_instance": "1",
            "inline_message_id": "im",
            "data": "v1|0|menu|home",
        },
    ),
}


def total_events(bot: AppHarness) -> int:
    return sum(len(events) for events in bot.api.snapshot()["events"].values())


async def feed(bot: AppHarness, payload: JSON) -> None:
    await bot.app.process_update(Update.de_json(payload, bot.app.bot))


# --- tests ------------------------------------------------------------------------------------


async def test_private_messages_of_every_kind_get_a_reply(
    bot: AppHarness, errors: ErrorRecords
) -> None:
    silent = []
    cases = {**ANSWERED_PRIVATE, **UNREADABLE_PRIVATE}
    for name, content in cases.items():
        before = bot.api.sent_count(USER)
        await feed(bot, update("message", message(content)))
        if bot.api.sent_count(USER) == before:
            silent.append(name)
    assert not silent, f"no reply to: {silent}"
    assert not [r.getMessage() for r in errors.records]
    texts = [m["text"] for m in bot.api.sent(USER)]
    assert all(texts), "every reply has text"


async def test_other_updates_are_ignored_on_purpose(bot: AppHarness, errors: ErrorRecords) -> None:
    answered = []
    for name, payload in IGNORED.items():
        before = total_events(bot)
        await feed(bot, payload)
        if total_events(bot) != before:
            answered.append(name)
    assert not answered, f"the bot reacted to: {answered}"
    assert not [r.getMessage() for r in errors.records]


async def test_edited_text_is_read_again(bot: AppHarness, errors: ErrorRecords) -> None:
    first = bot.api.user_sends_text(USER, "hello")
    await bot.feed(first)
    before = bot.api.sent_count(USER)
    await bot.feed(
        bot.api.user_edits_message(USER, first.message["message_id"], "My factory is in Huizhou")
    )
    assert bot.api.sent_count(USER) > before
    assert not errors.records


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "v1|0|menu|",
        "v1|999999999|confirm|send",
        "v1|x|menu|home",
        "v1|0|ticket|claim:1",
        "v1|0|ticket|close:abc",
        "v2|0|menu|home",
        "v1|0|nope|x",
        "v1|1|open|does-not-exist",
        "v1|1|more|-5",
        "v1|1|item|" + "9" * 50,
        "💥" * 16,
    ],
)
async def test_taps_with_unknown_data_are_answered(
    bot: AppHarness, errors: ErrorRecords, data: str
) -> None:
    """The button stops spinning (answerCallbackQuery) and, in a private chat, the user is
    told the menu expired, staff-ticket data included.

    The button sits on a message the chat shows (as after an upgrade of the bot, or a
    client sending forged data): the stand-in only accepts taps on buttons that exist."""
    old = await bot.api.call(
        "sendMessage",
        chat_id=USER,
        text="an old menu",
        reply_markup={"inline_keyboard": [[{"text": "old", "callback_data": data}]]},
    )
    before = bot.api.sent_count(USER)
    action = bot.api.user_taps(USER, old["message_id"], data)
    await bot.feed(action)
    assert bot.api.callback_answer(action.update["callback_query"]["id"]) is not None
    assert bot.api.sent_count(USER) == before + 1
    assert "expired" in bot.api.sent(USER)[-1]["text"]
    assert not [r.getMessage() for r in errors.records]


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "示範項目上限",
        "demonstration 500000",
        "東莞",
        "\x00\u202e<b>",
        '"*" NEAR( -x',
        "9" * 256,
        "a" * 256,
        "🏭" * 64,
        "/start",
        "評估 HK$1e400",
    ],
)
async def test_inline_queries_with_odd_text_are_answered(
    bot: AppHarness, errors: ErrorRecords, query: str
) -> None:
    action = bot.api.inline_query(USER, query)
    await bot.feed(action)
    query_id = action.update["inline_query"]["id"]
    answer = bot.api.inline_answer(query_id)
    assert answer is not None, "every inline query is answered, if only with no results"
    assert not [r.getMessage() for r in errors.records]
