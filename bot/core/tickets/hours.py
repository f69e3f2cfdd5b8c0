"""When a desk answers: its office hours (``hours`` in desks.yaml) and public holidays,
in its time zone. No source gives the desks' hours or reply times, so without an
operator's ``hours`` nothing is promised.

>>> from bot.core.desks import Desk
>>> desk = Desk("hk", {"en": "HK"}, "", "", (), ("en",), "Asia/Hong_Kong", "HK",
...             {"mon-fri": "09:00-18:00"})
>>> sorted(office_hours(desk))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from bot.core.desks import Desk
from bot.core.reply import Day, Msg, T, Verbatim

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def office_hours(desk: Desk) -> dict[int, tuple[dt_time, dt_time]]:
    """``hours`` of desks.yaml as weekday -> (opens, closes). Keys are day names or ranges
    (``mon-fri``, ``sat``), values ``HH:MM-HH:MM``; days not listed are closed."""
    table: dict[int, tuple[dt_time, dt_time]] = {}
    for key, value in desk.hours.items():
        first, _, last = str(key).lower().partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        opens, _, closes = str(value).partition("-")
        span = (dt_time.fromisoformat(opens.strip()), dt_time.fromisoformat(closes.strip()))
        for weekday in range(start, end + 1):
            table[weekday] = span
    return table


def expectation(desk: Desk, now: datetime | None = None) -> Msg | None:
    """When to expect a reply from ``desk``; None without office hours."""
    hours = office_hours(desk)
    if not hours:
        return None
    zone = ZoneInfo(desk.time_zone)
    local = (now or datetime.now(zone)).astimezone(zone)
    calendar = holidays.country_holidays(desk.holidays, years=[local.year, local.year + 1])
    return _expect_in_hours(local, hours, calendar)


def _expect_in_hours(
    local: datetime, hours: dict[int, tuple[dt_time, dt_time]], calendar: Any
) -> Msg:
    today = hours.get(local.weekday())
    if today and local.date() not in calendar and today[0] <= local.time() < today[1]:
        return T(
            "The desk is open now, until {time} ({zone}).",
            time=Verbatim(today[1].strftime("%H:%M")),
            zone=Verbatim(_utc_offset(local)),
        )
    day = local.date()
    if today and local.time() < today[0] and day not in calendar:
        opening = (day, today[0])
    else:
        following = day + timedelta(days=1)
        for _ in range(30):
            if following.weekday() in hours and following not in calendar:
                break
            following += timedelta(days=1)
        opening = (following, hours.get(following.weekday(), next(iter(hours.values())))[0])
    return T(
        "The desk opens again on {day} at {time} ({zone}); expect a reply then.",
        day=Day(opening[0]),
        time=Verbatim(opening[1].strftime("%H:%M")),
        zone=Verbatim(_utc_offset(local)),
    )


def _utc_offset(local: datetime) -> str:
    offset = local.utcoffset() or timedelta(0)
    hours, minutes = divmod(int(offset.total_seconds()) // 60, 60)
    return f"UTC{'+' if offset >= timedelta(0) else '-'}{abs(hours)}" + (
        f":{minutes:02d}" if minutes else ""
    )


def clock(timestamp: float, desk: Desk) -> str:
    return datetime.fromtimestamp(timestamp, ZoneInfo(desk.time_zone)).strftime("%Y-%m-%d %H:%M")
