"""A chat's conversation state: plain data, stored as JSON in SQLite between messages,
so a restart resumes where the user was."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HISTORY_LIMIT = 12


@dataclass
class Session:
    chat_id: int
    user_id: int | None = None
    locale: str | None = None  # the language of the last reply
    locale_choice: str | None = None  # set by /lang; wins until changed
    telegram_language_code: str | None = None
    flow: str | None = None  # "case" | "guides" | "handoff" | None
    step: str | None = None  # the question the bot is waiting for
    generation: int = 0  # bumped when a flow starts, to tell stale buttons
    keyboard_open: bool = False  # a reply keyboard (share location / phone) is showing
    facts: dict[str, Any] = field(default_factory=dict)  # {"place": id}: the case's first place
    case: dict[str, Any] = field(default_factory=dict)  # bot.core.case.Case, as JSON
    notes_shown: list[str] = field(default_factory=list)  # one-off notes already given
    # "verdict" | "estimate" | "hotline": what a bare follow-up ("深圳呢？") continues
    last_ask: str | None = None
    last_citations: list[str] = field(default_factory=list)  # behind the Sources button
    last_fact: str | None = None  # the FAQ entry answered last, for "how much was it?"
    reoffered: str | None = None  # a question offered again after an off-prompt message
    estimate: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    handoff: dict[str, Any] = field(default_factory=dict)
    outcomes: dict[str, Any] = field(default_factory=dict)  # last verdict / estimate, for staff
    history: list[dict[str, str]] = field(default_factory=list)

    def reply_locale(self, detected: str | None) -> str:
        """/lang's choice, else the message's language, else the chat's last, else the
        language of the user's Telegram app, else English."""
        if self.locale_choice or detected or self.locale:
            return self.locale_choice or detected or self.locale  # type: ignore[return-value]
        from bot.core.language import locale_from_language_code

        return locale_from_language_code(self.telegram_language_code or "") or "en"

    def start(self, flow: str | None, step: str | None = None) -> None:
        self.flow, self.step = flow, step
        self.generation += 1

    def remember(self, who: str, text: str) -> None:
        self.history.append({"who": who, "text": text[:500]})
        del self.history[:-HISTORY_LIMIT]

    def to_json(self) -> dict[str, Any]:
        # Shallow: json.dumps walks the nested dicts anyway; asdict's deep copy cost ~5 %
        # of the bot's CPU per message under load.
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Session:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)
