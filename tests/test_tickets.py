"""Tickets: routing to desks and staff chats, the relay both ways, staff actions, who may
act, reminders, reply expectations, blocked users and /forget."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.desks import DeskBook, load_desks
from bot.core.session import Session
from bot.core.tickets import Ticket, TicketDesk, office_hours
from bot.handlers.postbox import OutboxPostbox, on_sent_notice
from bot.outbox import Outbox, OutboxRow
from bot.render import value_text
from bot.store import Store

STAFF = {"hk": -1001, "dongguan": -1002, "shenzhen": -1003}
DETAILS = {
    "name": "Ada Wong",
    "company": "Wing Fat",
    "phone": "+85291234567",
    "place": "Dongguan",
    "topic": "compressed air audit",
}


def make_desk(
    tmp_path: Path, staff: dict[str, int] = STAFF, desks: DeskBook | None = None
) -> TicketDesk:
    store = Store(tmp_path / "bot.sqlite3")
    return TicketDesk(
        store,
        OutboxPostbox(Outbox(store)),
        desks or load_desks(),
        staff,
    )


@pytest.fixture
def desk(tmp_path: Path) -> TicketDesk:
    return make_desk(tmp_path)


def session(chat_id: int = 501, place: str | None = "cn-gd-dongguan") -> Session:
    s = Session(chat_id=chat_id, user_id=chat_id, locale="en")
    if place:
        s.facts["place"] = place
    s.outcomes = {"eligibility": {"status": "eligible", "place": {"city": "Dongguan"}, "phase": 2}}
    s.remember("user", "is my factory eligible?")
    return s


def open_ticket(desk: TicketDesk, s: Session | None = None) -> Ticket:
    with desk.store.transaction():
        return desk.open_ticket(s or session(), DETAILS)


def queued(desk: TicketDesk, chat_id: int | None = None) -> list[dict]:
    rows = desk.store.conn.execute(
        "SELECT chat_id, method, params, ticket_id, context FROM outbox WHERE state = 'pending' ORDER BY id"
    ).fetchall()
    found = [
        {
            "chat_id": r["chat_id"],
            "method": r["method"],
            "params": json.loads(r["params"]),
            "ticket_id": r["ticket_id"],
            "context": json.loads(r["context"]),
        }
        for r in rows
    ]
    return [f for f in found if chat_id is None or f["chat_id"] == chat_id]


def deliver_all(desk: TicketDesk) -> None:
    """What the Sender does on success, with Telegram's message ids 100, 101, ..."""
    next_id = 100 + desk.store.conn.execute("SELECT COUNT(*) FROM staff_messages").fetchone()[0]
    while rows := desk.postbox.outbox.claim():
        for row in rows:
            desk.postbox.outbox.sent(row, next_id, on_sent_notice(desk.on_delivered))
            next_id += 1


def remind(desk: TicketDesk, older_than: float, now: float) -> int:
    with desk.store.transaction():
        return desk.remind(older_than, now)


def blocked(desk: TicketDesk, chat_id: int) -> int:
    with desk.store.transaction():
        return desk.mark_blocked(chat_id)


def back(desk: TicketDesk, chat_id: int) -> int:
    with desk.store.transaction():
        return desk.mark_unblocked(chat_id)


def test_the_card_goes_to_the_desk_of_the_place_with_what_staff_need(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    assert ticket.desk.id == "dongguan" and ticket.ref.startswith("CP-")
    [card] = queued(desk)
    assert card["chat_id"] == STAFF["dongguan"] and card["ticket_id"] == ticket.id
    text = card["params"]["text"]
    for part in (
        ticket.ref,
        "English",
        "Ada Wong",
        "Wing Fat",
        "+85291234567",
        "compressed air audit",
        "eligible",
        "is my factory eligible?",
    ):
        assert part in text, part
    data = [
        b["callback_data"] for row in card["params"]["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert f"v1|0|ticket|claim:{ticket.id}" in data
    assert f"v1|0|ticket|transfer:{ticket.id}:shenzhen" in data
    assert all(len(d.encode()) <= 64 for d in data)


def test_the_card_names_a_new_technology_estimate_in_words(desk: TicketDesk) -> None:
    s = session()
    s.outcomes["subsidy"] = {
        "item": "technology",
        "cost": 400000,
        "government": 200000,
        "factory": 200000,
        "phase": 6,
    }
    open_ticket(desk, s)
    [card] = queued(desk)
    text = card["params"]["text"]
    assert "technology" not in text.replace("-technology", ""), "no raw item key"
    assert any(word in text for word in ("New-technology project", "新技術項目")), text


def test_a_place_typed_in_the_hand_off_picks_the_desk(desk: TicketDesk) -> None:
    s = session(place=None)
    s.handoff["place_id"] = "cn-gd-shenzhen"
    assert open_ticket(desk, s).desk.id == "shenzhen"
    assert open_ticket(desk, session(chat_id=502, place=None)).desk.id == "hk"


def test_a_desk_without_a_chat_falls_back_to_hong_kongs(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, {"hk": -1001})
    ticket = open_ticket(desk)
    assert ticket.desk.id == "dongguan" and desk.reaches_staff(ticket)
    assert [q["chat_id"] for q in queued(desk)] == [-1001]


def test_without_staff_chats_the_ticket_is_still_stored(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, {})
    ticket = open_ticket(desk)
    assert desk.get(ticket.id) is not None and not desk.reaches_staff(ticket)
    assert queued(desk) == []
    with desk.store.transaction():
        assert desk.user_message(session(), "hello?") is True
    assert desk.messages(ticket.id)[-1] == ("user", "hello?")


def test_user_messages_are_relayed_and_grouped_per_ticket(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    deliver_all(desk)
    with desk.store.transaction():
        assert desk.user_message(session(), "first <b>line</b>")
        assert desk.user_message(session(), "second")
    [row] = desk.postbox.outbox.claim()
    assert row.chat_id == STAFF["dongguan"] and len(row.ids) == 2
    assert ticket.ref in row.params["text"]
    assert "first &lt;b&gt;line&lt;/b&gt;" in row.params["text"] and "second" in row.params["text"]
    with desk.store.transaction():
        assert desk.user_message(session(chat_id=999), "no ticket") is False


def test_staff_replies_go_only_to_their_own_tickets_user(desk: TicketDesk) -> None:
    ada = open_ticket(desk, session(chat_id=501))
    bob = open_ticket(desk, session(chat_id=502))
    deliver_all(desk)
    card_of = {
        r["ticket_id"]: r["message_id"]
        for r in desk.store.conn.execute("SELECT ticket_id, message_id FROM staff_messages")
    }
    assert desk.ticket_for_staff_message(STAFF["dongguan"], card_of[bob.id]).id == bob.id
    assert desk.ticket_for_staff_message(STAFF["shenzhen"], card_of[bob.id]) is None
    with desk.store.transaction():
        assert desk.staff_reply(STAFF["dongguan"], 900, "to Bob", bob) == "sent"
        assert desk.staff_reply(STAFF["shenzhen"], 901, "intruder", bob) == "refused"
        assert desk.staff_reply(-4242, 902, "stranger", ada) == "refused"
    [copy] = queued(desk)
    assert copy["chat_id"] == 502 and copy["method"] == "copyMessage"
    assert copy["params"] == {"chat_id": 502, "from_chat_id": STAFF["dongguan"], "message_id": 900}


def test_claim_close_reopen_transfer(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    deliver_all(desk)
    dongguan = STAFF["dongguan"]
    with desk.store.transaction():
        said = desk.act(dongguan, ticket.id, "claim", "May Chan")
    assert "May Chan" in value_text(said, "en") and desk.get(ticket.id).claimed_by == "May Chan"
    with desk.store.transaction():
        assert "not handled" in value_text(
            desk.act(STAFF["shenzhen"], ticket.id, "close", "X"), "en"
        )
        desk.act(dongguan, ticket.id, "close", "May Chan")
    assert desk.get(ticket.id).status == "closed"
    [closing] = queued(desk, 501)
    assert ticket.ref in closing["params"]["text"]
    with desk.store.transaction():
        assert desk.staff_reply(dongguan, 950, "late", desk.get(ticket.id)) == "closed"
        desk.act(dongguan, ticket.id, "reopen", "May Chan")
        assert desk.get(ticket.id).status == "open"
        said = desk.act(dongguan, ticket.id, "transfer", "May Chan", "shenzhen")
    moved = desk.get(ticket.id)
    assert moved.desk.id == "shenzhen" and moved.claimed_by is None
    assert "Enquiry hotline 3" in value_text(said, "en")  # the desk the card moved to
    [card] = queued(desk, STAFF["shenzhen"])
    assert ticket.ref in card["params"]["text"]
    assert not desk.may_act(dongguan, moved) and desk.may_act(STAFF["shenzhen"], moved)
    with desk.store.transaction():
        assert "another desk" in value_text(
            desk.act(STAFF["shenzhen"], ticket.id, "transfer", "M", "shenzhen"), "en"
        )
        assert "another desk" in value_text(
            desk.act(STAFF["shenzhen"], ticket.id, "transfer", "M", "nowhere"), "en"
        )


def test_reopen_refuses_a_second_open_ticket_for_one_user(desk: TicketDesk) -> None:
    first = open_ticket(desk)
    with desk.store.transaction():
        desk.close_by_user(session())
    second = open_ticket(desk)
    with desk.store.transaction():
        desk.act(STAFF["dongguan"], first.id, "reopen", "May")
    assert desk.get(first.id).status == "closed" and desk.get(second.id).status == "open"


def test_the_user_closes_and_staff_are_told(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    deliver_all(desk)
    with desk.store.transaction():
        assert desk.close_by_user(session()).id == ticket.id
        assert desk.close_by_user(session()) is None
    [note] = queued(desk, STAFF["dongguan"])
    assert ticket.ref in note["params"]["text"]


def test_one_reminder_per_chat_lists_the_unclaimed(desk: TicketDesk) -> None:
    a = open_ticket(desk, session(chat_id=501))
    b = open_ticket(desk, session(chat_id=502))
    c = open_ticket(desk, session(chat_id=503, place="cn-gd-shenzhen"))
    deliver_all(desk)
    with desk.store.transaction():
        desk.act(STAFF["dongguan"], b.id, "claim", "May")
    created = desk.get(a.id).created_at
    assert remind(desk, 600, created + 60) == 0, "not yet due"
    assert remind(desk, 600, created + 700) == 2
    by_chat = {q["chat_id"]: q["params"]["text"] for q in queued(desk)}
    assert a.ref in by_chat[STAFF["dongguan"]] and b.ref not in by_chat[STAFF["dongguan"]]
    assert c.ref in by_chat[STAFF["shenzhen"]]
    assert remind(desk, 600, created + 800) == 0, "not again so soon"
    assert remind(desk, 600, created + 1400) == 2


def test_on_sent_maps_staff_messages_to_their_ticket(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    [row] = desk.postbox.outbox.claim()
    desk.postbox.outbox.sent(row, 4242, on_sent_notice(desk.on_delivered))
    assert desk.ticket_for_staff_message(STAFF["dongguan"], 4242).id == ticket.id
    user_row = OutboxRow(1, 501, "sendMessage", {}, 1, ticket.id, {"kind": "user"})
    on_sent_notice(desk.on_delivered)(desk.store.conn, user_row, 7)
    assert desk.ticket_for_staff_message(501, 7) is None


def test_a_user_who_blocked_the_bot_is_marked_and_staff_get_the_phone(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    deliver_all(desk)
    blocked(desk, 501)
    blocked(desk, 501)
    assert desk.get(ticket.id).user_blocked
    [note] = queued(desk, STAFF["dongguan"])
    assert ticket.ref in note["params"]["text"] and "+85291234567" in note["params"]["text"]
    with desk.store.transaction():
        assert desk.staff_reply(STAFF["dongguan"], 1, "hi", desk.get(ticket.id)) == "blocked"


def test_an_email_kept_as_the_contact_is_labelled_as_an_email_for_staff(
    desk: TicketDesk,
) -> None:
    with desk.store.transaction():
        ticket = desk.open_ticket(session(), {**DETAILS, "phone": "ada@wingfat.example"})
    [card] = queued(desk)
    assert "電郵：ada@wingfat.example" in card["params"]["text"]
    assert "電話：ada@" not in card["params"]["text"]
    deliver_all(desk)
    blocked(desk, 501)
    [note] = queued(desk, STAFF["dongguan"])
    assert ticket.ref in note["params"]["text"]
    assert "電郵：ada@wingfat.example" in note["params"]["text"]


def test_forget_anonymises_tickets_and_scrubs_queued_data(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    with desk.store.transaction():
        desk.user_message(session(), "my other number is 98765432")
        assert desk.forget(session()) == 1
    kept = desk.get(ticket.id)
    assert kept.chat_id is None and kept.details == {} and kept.status == "closed"
    dump = "\n".join(desk.store.conn.iterdump())
    for secret in ("+85291234567", "98765432", "Ada Wong", "Wing Fat", "is my factory eligible"):
        assert secret not in dump, secret
    [note] = queued(desk, STAFF["dongguan"])
    assert ticket.ref in note["params"]["text"]


HK = ZoneInfo("Asia/Hong_Kong")


def test_no_reply_time_is_promised_without_office_hours(desk: TicketDesk) -> None:
    """No source gives the desks' hours or reply times: without an operator's office hours
    the bot says nothing about when staff reply."""
    for desk_id in ("hk", "dongguan"):
        for moment in (datetime(2025, 3, 4, 10, tzinfo=HK), datetime(2025, 3, 8, 10, tzinfo=HK)):
            assert desk.expectation(desk.desks.get(desk_id), moment) is None


def test_expectation_with_office_hours(tmp_path: Path) -> None:
    book = load_desks()
    hk = book.get("hk")
    with_hours = type(hk)(
        **{**hk.__dict__, "hours": {"mon-fri": "09:00-18:00", "sat": "09:00-12:00"}}
    )
    desk = make_desk(tmp_path, desks=DeskBook((with_hours, *book.desks[1:])))
    assert office_hours(with_hours)[5][1].hour == 12 and 6 not in office_hours(with_hours)
    open_now = value_text(desk.expectation(with_hours, datetime(2025, 3, 4, 10, tzinfo=HK)), "en")
    assert "18:00" in open_now and "UTC+8" in open_now
    evening = value_text(desk.expectation(with_hours, datetime(2025, 3, 4, 20, tzinfo=HK)), "en")
    assert "09:00" in evening and "5 March 2025" in evening
    sunday = value_text(desk.expectation(with_hours, datetime(2025, 3, 9, 10, tzinfo=HK)), "en")
    assert "10 March 2025" in sunday
    early = value_text(desk.expectation(with_hours, datetime(2025, 3, 4, 7, tzinfo=HK)), "en")
    assert "09:00" in early and "4 March 2025" in early


def test_a_new_card_goes_before_relays_queued_for_its_staff_chat(desk: TicketDesk) -> None:
    open_ticket(desk, session(chat_id=501))
    deliver_all(desk)
    with desk.store.transaction():
        for n in range(3):
            desk.user_message(session(chat_id=501), f"detail {n}")
    late = open_ticket(desk, session(chat_id=502))
    [first] = desk.postbox.outbox.claim()
    assert late.ref in first.params["text"] and "reply_markup" in first.params
    desk.postbox.outbox.sent(first, 300, on_sent_notice(desk.on_delivered))
    [folded] = desk.postbox.outbox.claim()
    assert len(folded.ids) == 3, "the earlier ticket's backlog goes as one message"


def test_a_long_card_is_sent_whole_in_parts_that_say_so(desk: TicketDesk) -> None:
    long_topic = {**DETAILS, "topic": "<" * 2000}
    with desk.store.transaction():
        ticket = desk.open_ticket(session(), long_topic)
    parts = queued(desk, STAFF["dongguan"])
    assert len(parts) > 1
    texts = [p["params"]["text"] for p in parts]
    assert sum(t.count("&lt;") for t in texts) >= 2000
    assert texts[0].rstrip().endswith(f"(1/{len(parts)})")
    assert all(ticket.ref in t for t in texts[1:])
    assert "reply_markup" in parts[0]["params"] and all(
        "reply_markup" not in p["params"] for p in parts[1:]
    )


def test_a_migration_is_recorded_once_and_followed(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    deliver_all(desk)
    with desk.store.transaction() as conn:
        desk.migrate_chat(conn, STAFF["dongguan"], -1009002)
    with desk.store.transaction() as conn:
        desk.migrate_chat(conn, STAFF["dongguan"], -1009002)
    assert desk.chat_for(ticket.desk) == -1009002 and desk.is_staff_chat(-1009002)
    [again] = queued(desk, -1009002)
    assert ticket.ref in again["params"]["text"], "the open ticket's card, once, in the new chat"


def test_unblocking_lifts_the_mark_and_tells_staff(desk: TicketDesk) -> None:
    ticket = open_ticket(desk)
    deliver_all(desk)
    blocked(desk, 501)
    deliver_all(desk)
    assert desk.has_blocked(501)
    assert back(desk, 501) == 1 and back(desk, 501) == 0
    assert not desk.has_blocked(501)
    [note] = queued(desk, STAFF["dongguan"])
    assert ticket.ref in note["params"]["text"]
    with desk.store.transaction():
        assert desk.staff_reply(STAFF["dongguan"], 5, "hi", desk.get(ticket.id)) == "sent"
