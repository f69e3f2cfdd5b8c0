"""The staff side as events (``bot.core.tickets.staff``), one per outcome, through
``bot.engine.handle_event`` on a real database: what each event changes and what the
staff chat (in its desk's first language, Traditional Chinese here) or the user is told. No Telegram: the notices are read from the outbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import Services, build_services
from bot.config import Settings
from bot.core.session import Session
from bot.core.tickets import Ticket
from bot.core.tickets.staff import (
    ChatMoved,
    RemindUnclaimed,
    StaffCommand,
    StaffEdit,
    StaffReply,
    StaffTap,
    TicketList,
    UserBack,
    UserBlocked,
)
from bot.engine import ChatRef, handle_event
from bot.store import Store

HK, DONGGUAN, OTHER_GROUP = -1001, -1002, -1999
USER = 501


@pytest.fixture
def services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("STAFF_CHATS", f"hk={HK},dongguan={DONGGUAN}")
    return build_services(Settings.from_env(), Store(tmp_path / "bot.sqlite3"))


def open_ticket(services: Services, chat_id: int = USER) -> Ticket:
    session = Session(chat_id=chat_id, user_id=chat_id, locale="en")
    session.facts["place"] = "cn-gd-dongguan"
    details = {"name": "Ada", "company": "Wing Fat", "phone": "+85291234567", "topic": "audit"}
    with services.store.transaction():
        ticket = services.tickets.open_ticket(session, details)
    card = services.outbox.claim(DONGGUAN)[0]
    services.outbox.sent(card, 900, _on_sent(services))
    return ticket


def _on_sent(services: Services):  # type: ignore[no-untyped-def]
    from bot.handlers.postbox import on_sent_notice

    return on_sent_notice(services.tickets.on_delivered)


def run(services: Services, event: object, update_id: int | None = 77) -> bool:
    return handle_event(services, ChatRef(0), event, update_id).acted  # type: ignore[arg-type]


def queued(services: Services, chat_id: int) -> list[dict]:
    rows = services.store.conn.execute(
        "SELECT method, params FROM outbox WHERE chat_id = ? AND state = 'pending' ORDER BY id",
        (chat_id,),
    ).fetchall()
    return [{"method": r["method"], **json.loads(r["params"])} for r in rows]


def texts(services: Services, chat_id: int) -> str:
    return "\n".join(q.get("text", "") for q in queued(services, chat_id))


# --- replies ------------------------------------------------------------------------------


def test_a_reply_to_a_tickets_message_is_copied_to_its_user(services: Services) -> None:
    open_ticket(services)
    assert run(services, StaffReply(DONGGUAN, 31, 900, "We will call you"))
    [copy] = queued(services, USER)
    assert copy["method"] == "copyMessage" and copy["from_chat_id"] == DONGGUAN
    assert services.store.already_handled(77)


def test_staff_talking_among_themselves_is_left_alone(services: Services) -> None:
    open_ticket(services)
    assert not run(services, StaffReply(DONGGUAN, 31, None, "lunch?"))
    assert queued(services, USER) == [] and queued(services, DONGGUAN) == []
    assert services.store.already_handled(77), "handled, so a redelivery is not looked at again"


def test_a_reply_in_a_group_that_is_no_staff_chat_does_nothing(services: Services) -> None:
    open_ticket(services)
    assert not run(services, StaffReply(OTHER_GROUP, 31, 900, "hello"))
    assert queued(services, USER) == []


def test_a_reply_to_a_closed_ticket_gets_a_note_not_a_copy(services: Services) -> None:
    ticket = open_ticket(services)
    run(services, StaffTap(DONGGUAN, "close", str(ticket.id), "", "May"), 70)
    services.store.conn.execute("DELETE FROM outbox")
    assert run(services, StaffReply(DONGGUAN, 32, 900, "one more thing"))
    assert queued(services, USER) == []
    assert "已結案，須重開才可回覆" in texts(services, DONGGUAN)


def test_a_reply_to_a_user_who_blocked_the_bot_gives_staff_the_phone(services: Services) -> None:
    open_ticket(services)
    run(services, UserBlocked(USER), None)
    assert run(services, StaffReply(DONGGUAN, 33, 900, "hello?"))
    assert "+85291234567" in texts(services, DONGGUAN) and queued(services, USER) == []


def test_an_edit_reaches_the_user_as_a_correction_of_the_copy(services: Services) -> None:
    open_ticket(services)
    run(services, StaffReply(DONGGUAN, 31, 900, "Tuesday"), 70)
    [copy] = services.outbox.claim(USER)
    services.outbox.sent(copy, 4000)
    assert run(services, StaffEdit(DONGGUAN, 31, 900, "Wednesday"))
    [correction] = queued(services, USER)
    assert "Wednesday" in correction["text"]
    assert correction["reply_parameters"]["message_id"] == 4000


def test_an_edit_before_the_copy_went_waits_for_the_copy(services: Services) -> None:
    open_ticket(services)
    run(services, StaffReply(DONGGUAN, 31, 900, "Tuesday"), 70)
    assert not run(services, StaffEdit(DONGGUAN, 31, 900, "Wednesday"))
    assert [q["method"] for q in queued(services, USER)] == ["copyMessage"]


# --- actions ------------------------------------------------------------------------------


def test_a_tapped_claim_claims_and_says_who(services: Services) -> None:
    ticket = open_ticket(services)
    assert run(services, StaffTap(DONGGUAN, "claim", str(ticket.id), "", "May Chan"))
    assert services.tickets.get(ticket.id).claimed_by == "May Chan"
    assert "已由May Chan認領" in texts(services, DONGGUAN)


@pytest.mark.parametrize("ticket_id", ["99999", "²", "1" * 23, "-1", ""])
def test_a_tap_on_no_ticket_of_this_chat_is_refused_politely(
    services: Services, ticket_id: str
) -> None:
    open_ticket(services)
    assert run(services, StaffTap(DONGGUAN, "close", ticket_id, "", "May"))
    assert "不由本群組處理" in texts(services, DONGGUAN)


def test_a_tap_for_another_desks_ticket_is_refused(services: Services) -> None:
    ticket = open_ticket(services)
    run(services, StaffTap(HK, "close", str(ticket.id), "", "Eve"))
    assert services.tickets.get(ticket.id).status == "open"
    assert "not handled in this chat" in texts(services, HK), "the HK desk's chat, in English"


def test_an_unknown_action_does_nothing(services: Services) -> None:
    ticket = open_ticket(services)
    assert not run(services, StaffTap(DONGGUAN, "delete", str(ticket.id), "", "May"))
    assert queued(services, DONGGUAN) == []


def test_a_command_with_the_reference_closes_and_tells_the_user(services: Services) -> None:
    ticket = open_ticket(services)
    assert run(services, StaffCommand(DONGGUAN, "close", (ticket.ref.lower(),), None, "May"))
    assert services.tickets.get(ticket.id).status == "closed"
    assert "closed your enquiry" in texts(services, USER)


def test_a_command_as_a_reply_acts_on_the_replied_ticket(services: Services) -> None:
    ticket = open_ticket(services)
    assert run(services, StaffCommand(DONGGUAN, "claim", (), 900, "May"))
    assert services.tickets.get(ticket.id).status == "claimed"


def test_a_transfer_to_no_desk_names_the_desks(services: Services) -> None:
    ticket = open_ticket(services)
    assert run(services, StaffCommand(DONGGUAN, "transfer", (ticket.ref, "mars"), None, "May"))
    said = texts(services, DONGGUAN)
    assert "請選擇另一條熱線" in said and "hk|dongguan" in said.replace("&lt;", "<")


def test_a_transfer_moves_the_card_to_the_other_desk(services: Services) -> None:
    ticket = open_ticket(services)
    assert run(services, StaffCommand(DONGGUAN, "transfer", (ticket.ref, "hk"), None, "May"))
    assert services.tickets.get(ticket.id).desk.id == "hk"
    assert ticket.ref in texts(services, HK)


# --- the list, the reminder, blocks and moves ------------------------------------------------


def test_the_list_shows_open_tickets_with_their_status_in_the_desks_language(
    services: Services,
) -> None:
    ticket = open_ticket(services)
    run(services, StaffTap(DONGGUAN, "claim", str(ticket.id), "", "May"), 70)
    assert run(services, TicketList(DONGGUAN))
    said = texts(services, DONGGUAN)
    assert "未結案查詢：1" in said and "已認領（May）" in said


def test_the_reminder_lists_unclaimed_tickets_once_per_chat(services: Services) -> None:
    ticket = open_ticket(services)
    assert not run(services, RemindUnclaimed(600, ticket.created_at + 60), None)
    assert run(services, RemindUnclaimed(600, ticket.created_at + 700), None)
    assert "未認領的查詢" in texts(services, DONGGUAN)
    assert not run(services, RemindUnclaimed(600, ticket.created_at + 800), None)


def test_a_block_and_a_return_are_told_to_staff_once_each(services: Services) -> None:
    ticket = open_ticket(services)
    assert run(services, UserBlocked(USER), None)
    assert not run(services, UserBlocked(USER), None), "already marked"
    assert services.tickets.get(ticket.id).user_blocked
    assert run(services, UserBack(USER), None)
    assert not run(services, UserBack(USER), None)
    said = texts(services, DONGGUAN)
    assert "已封鎖本機械人" in said and "可再次收到回覆" in said


def test_a_moved_staff_group_keeps_its_tickets(services: Services) -> None:
    open_ticket(services)
    assert run(services, ChatMoved(DONGGUAN, -100777))
    assert services.tickets.chat_for(services.tickets.desks.get("dongguan")) == -100777
    assert "Ada" in texts(services, -100777), "the open ticket's card is posted again"


def test_an_update_handled_once_is_not_acted_on_again(services: Services) -> None:
    ticket = open_ticket(services)
    assert run(services, StaffTap(DONGGUAN, "close", str(ticket.id), "", "May"), 80)
    services.store.conn.execute("UPDATE tickets SET status = 'open' WHERE id = ?", (ticket.id,))
    assert not run(services, StaffTap(DONGGUAN, "close", str(ticket.id), "", "May"), 80)
    assert services.tickets.get(ticket.id).status == "open"


def test_a_failing_staff_event_leaves_nothing_behind(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = open_ticket(services)

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services.tickets, "_log", broken)
    with pytest.raises(RuntimeError):
        run(services, StaffTap(DONGGUAN, "close", str(ticket.id), "", "May"))
    assert services.tickets.get(ticket.id).status == "open"
    assert queued(services, DONGGUAN) == [] and not services.store.already_handled(77)
