"""The hotline desks (para 12(a)): who they are, their numbers, which places they serve.

>>> book = load_desks()
>>> book.get("hk").phone
'(852) 2788 5588'
>>> [d.id for d in book.with_phone()]
['hk']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.core.locales import LOCALES
from bot.core.rules import KNOWLEDGE_DIR, KnowledgeError
from bot.core.yamlio import load_yaml


@dataclass(frozen=True)
class Desk:
    id: str
    name: dict[str, str]
    phone: str
    phone_citation: str
    serves: tuple[str, ...]
    languages: tuple[str, ...]
    time_zone: str
    holidays: str
    hours: dict[str, Any]


@dataclass(frozen=True)
class DeskBook:
    desks: tuple[Desk, ...]

    def get(self, desk_id: str) -> Desk | None:
        return next((d for d in self.desks if d.id == desk_id), None)

    def with_phone(self) -> tuple[Desk, ...]:
        return tuple(d for d in self.desks if d.phone)

    @property
    def default(self) -> Desk:
        return self.desks[0]

    def for_place(self, place: Any) -> Desk:
        """The desk that serves a place (a ``places.Place`` or None)."""
        if place is None:
            return self.default
        if place.province == "Hong Kong":
            key = "hk"
        elif place.province == "Macao":
            key = "mo"
        elif place.province == "Guangdong" and place.city:
            key = place.city.lower().replace(" ", "")
        else:
            key = "other"
        return next((d for d in self.desks if key in d.serves), self.default)

    def with_phones(self, overrides: dict[str, str]) -> DeskBook:
        """Operator-supplied numbers (``DESK_PHONES``) fill or replace the data's."""
        return DeskBook(
            tuple(Desk(**{**d.__dict__, "phone": overrides.get(d.id, d.phone)}) for d in self.desks)
        )


def _desk(raw: dict[str, Any], path: Path) -> Desk:
    try:
        name = raw["name"]
        if any(not name.get(loc) for loc in LOCALES):
            raise KnowledgeError(f"{path.name}: desk {raw.get('id')}: name needs every locale")
        return Desk(
            id=raw["id"],
            name=dict(name),
            phone=str(raw["phone"]["value"] or ""),
            phone_citation=str(raw["phone"]["citation"]),
            serves=tuple(raw["serves"]),
            languages=tuple(raw["languages"]),
            time_zone=raw["time_zone"],
            holidays=raw["holidays"],
            hours=dict(raw.get("hours") or {}),
        )
    except (KeyError, TypeError) as error:
        raise KnowledgeError(f"{path.name}: desk {raw.get('id')!r}: missing {error}") from None


@cache
def load_desks(knowledge_dir: Path = KNOWLEDGE_DIR) -> DeskBook:
    path = knowledge_dir / "desks.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"))
    desks = tuple(_desk(raw, path) for raw in data["desks"])
    if not desks or desks[0].id != "hk":
        raise KnowledgeError(f"{path.name}: the first desk must be the Hong Kong desk")
    return DeskBook(desks)
