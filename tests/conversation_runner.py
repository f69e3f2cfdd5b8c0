"""Runs a conversation of the corpus (``tests/conversations/*.yaml``) through the same
path as ``python -m bot chat --json`` and checks each reply against what the case says it
must and must not contain.

A conversation::

    - name: guangxi-then-hong-kong-company
      date: 2014-01-01          # optional: the day whose rules apply (--date)
      staff_chats: {hk: -1001}  # optional: staff chats by desk, as STAFF_CHATS sets them
      lang: yue                 # yue (Cantonese, Traditional), cmn (Putonghua, Simplified), en
      why: para 3, 17            # the source of the expectations
      turns:
        - say: 我間廠喺廣西梧州，可唔可以申請？
          expect:
            status: not_eligible               # eligibility.status (null: no verdict)
            reason: outside_guangdong          # eligibility.reason
            province: Guangxi                  # eligibility.place.province
            item: demonstration                # subsidy.item (null: no estimate)
            government: 160000                 # subsidy.government
            factory: 240000                    # subsidy.factory
            intent: eligibility
            locale: zh_Hant_HK
            handoff: true
            contains: [廣西]                   # each in the reply's text
            contains_any: [香港, 廣東]          # at least one
            not_contains: [符合資格：]          # none in the text
            buttons_contain: [取消]            # each among the button labels
            phase: 2013-extension
        - say: ":tap 1"

A ``say`` is one console line (``:tap N``, ``:location LAT LON``, ``:contact N`` work).
``xfail: reason`` marks a conversation the bot still gets wrong (a known defect).
"""

from __future__ import annotations

import asyncio
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from bot.console import chat

CORPUS_DIR = Path(__file__).parent / "conversations"
FIELDS = (
    "status", "reason", "province", "city", "item", "government", "factory", "cap", "intent",
    "locale", "handoff", "phase", "contains", "contains_any", "not_contains", "buttons_contain",
    "items", "missing", "prd",
)


def load_corpus() -> list[dict[str, Any]]:
    conversations = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8")) or []
        for conversation in data:
            conversation["file"] = path.name
            conversations.append(conversation)
    return conversations


def run_conversation(conversation: dict[str, Any], tmp: Path, kb_path: Path) -> list[dict[str, Any]]:
    settings = Settings(db_path=tmp / "bot.sqlite3", kb_path=kb_path)
    if conversation.get("date"):
        settings = replace(settings, rules_date=date.fromisoformat(str(conversation["date"])))
    if conversation.get("staff_chats"):  # {desk: chat id}, as STAFF_CHATS sets them
        chats = {str(k): int(v) for k, v in conversation["staff_chats"].items()}
        settings = replace(settings, staff_chats=chats)
    lines = "".join(str(turn["say"]).replace("\n", " ") + "\n" for turn in conversation["turns"])
    out = io.StringIO()
    asyncio.run(chat(settings, io.StringIO(lines), out, as_json=True))
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def problems(reply: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    found: list[str] = []
    eligibility = reply.get("eligibility") or {}
    subsidy = reply.get("subsidy") or {}
    place = eligibility.get("place") or {}
    text = reply.get("text", "")
    for key, wanted in expect.items():
        if key not in FIELDS:
            found.append(f"unknown expectation {key!r}")
            continue
        if key == "status":
            got = eligibility.get("status") if reply.get("eligibility") else None
        elif key in ("reason", "items", "missing"):
            got = eligibility.get(key)
        elif key in ("province", "city", "prd"):
            got = place.get(key)
        elif key == "item":
            got = subsidy.get("item") if reply.get("subsidy") else None
        elif key in ("government", "factory", "cap"):
            got = subsidy.get(key)
        elif key in ("intent", "locale", "handoff", "phase"):
            got = reply.get(key)
        elif key == "contains":
            missing = [w for w in _list(wanted) if w not in text]
            if missing:
                found.append(f"text lacks {missing}")
            continue
        elif key == "contains_any":
            if not any(w in text for w in _list(wanted)):
                found.append(f"text has none of {wanted}")
            continue
        elif key == "not_contains":
            present = [w for w in _list(wanted) if w in text]
            if present:
                found.append(f"text must not contain {present}")
            continue
        else:  # buttons_contain
            labels = reply.get("buttons", [])
            missing = [w for w in _list(wanted) if not any(w in label for label in labels)]
            if missing:
                found.append(f"buttons {labels} lack {missing}")
            continue
        if isinstance(wanted, list) and isinstance(got, list):
            if sorted(map(str, wanted)) != sorted(map(str, got)):
                found.append(f"{key}: expected {wanted}, got {got}")
        elif got != wanted:
            found.append(f"{key}: expected {wanted!r}, got {got!r}")
    return found


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]
