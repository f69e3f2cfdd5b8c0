"""The case: everything a user has said about their factory in one conversation.

A message adds facts to the case or corrects it; it never silently discards it. Each fact
has a kind, a value, a polarity (stated or denied) and the turn it came from, so a
decision can be traced to the words behind it and a correction ("唔係東莞，係惠州")
replaces what it corrects.

Kinds and values:

- ``place``: a place id (``bot.core.places``). Several may be current ("Dongguan and
  Guangxi"); a place denied is never current.
- ``place_choice``: the candidates of an ambiguous or misspelt name, still to be chosen.
- ``premises``: ``factory``, ``workshop`` or ``none`` (a trading company, an office).
- ``ownership``: ``hk`` (a Hong Kong company or resident owns it) or what the owner is
  instead: ``mainland``, ``foreign``, ``taiwan``, ``macao``; denied ``hk`` means "not
  Hong Kong-owned".
- ``process``: ``spray-coating``, ``solvent-cleaning``, ``engine-testing``, ``other:NAME``
  (a process the sources do not name, e.g. ``other:printing``) or ``none``.
- ``item``: a funding item (``bot.core.rules.ITEMS``).
- ``cost``: ``{"amount": "400000", "currency": "HKD" | "RMB" | None, "text": ...}``.
- ``day``: an ISO date the user asks about; ``phase``: a phase id the user named.
- ``tech_origin``: ``local`` (developed in Hong Kong or jointly with Guangdong).
- ``last_assessment``: ``{"year": 2015}`` (or ``None`` for the year): a funded assessment
  the factory has had; ``repeat``: ``assessment`` when another one is asked for (W5).

A fact may be ``about`` one place of several ("另一間廠喺肇慶，係內地公司"): it holds for
that factory only, and ``for_place`` gives the case as that factory's verdict sees it.

>>> case = Case()
>>> case.add(Fact("place", "guangxi", turn=1))
>>> case.add(Fact("ownership", "hk", turn=2))
>>> case.current("ownership"), case.places()
('hk', ['guangxi'])
>>> case.add(Fact("place", "guangxi", polarity="denied", turn=3))
>>> case.places()
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATED, DENIED = "stated", "denied"
# Kinds whose value several facts may hold at once.
MULTI = frozenset({"place", "process", "cost"})
MAX_FACTS = 60  # a case is a conversation's worth, not a log


@dataclass(frozen=True)
class Fact:
    kind: str
    value: Any
    polarity: str = STATED
    turn: int = 0
    quote: str = ""  # the words it came from, for staff
    about: str | None = None  # the place id of the one factory it is said of

    def to_json(self) -> dict[str, Any]:
        data = {
            "kind": self.kind,
            "value": self.value,
            "polarity": self.polarity,
            "turn": self.turn,
            "quote": self.quote,
        }
        if self.about is not None:
            data["about"] = self.about
        return data


@dataclass
class Case:
    facts: list[Fact] = field(default_factory=list)
    turn: int = 0
    # The owner and shares of the last what-if ("如果佢有40%呢？"), kept apart from the
    # facts: an estimate asked next is for that supposition, a verdict is for the facts
    supposed: list[Fact] = field(default_factory=list)

    # --- adding ----------------------------------------------------------------------

    def add(self, fact: Fact) -> None:
        """Add a fact; a later fact of a single-valued kind replaces the earlier one. Costs
        are kept one per item: a new cost of an item replaces that item's."""
        if fact.kind == "cost":
            item = fact.value.get("item") if isinstance(fact.value, dict) else None
            self.facts = [
                f
                for f in self.facts
                if f.kind != "cost"
                or (
                    isinstance(f.value, dict)
                    and f.value.get("item") not in (item, None)
                    and item is not None
                )
            ]
        elif fact.kind not in MULTI and fact.polarity == STATED:
            self.facts = [
                f
                for f in self.facts
                if f.kind != fact.kind or f.polarity == DENIED or f.about != fact.about
            ]
        # The same value said again moves to the end; its earlier mentions go.
        self.facts = [
            f
            for f in self.facts
            if not (f.kind == fact.kind and f.value == fact.value and f.about == fact.about)
        ]
        self.facts.append(fact)
        del self.facts[:-MAX_FACTS]

    def replace(self, kind: str, facts: list[Fact]) -> None:
        """A message's facts of a multi-valued kind replace the earlier stated ones
        ("其實喺惠州" after "東莞"); denials are kept."""
        self.facts = [f for f in self.facts if f.kind != kind or f.polarity == DENIED]
        for fact in facts:
            self.add(fact)

    def forget(self, kind: str) -> None:
        self.facts = [f for f in self.facts if f.kind != kind]

    # --- reading ---------------------------------------------------------------------

    def stated(self, kind: str) -> list[Any]:
        """Values stated of the whole case (not of one factory of several), not denied."""
        # one pass: this is asked dozens of times a message
        stated = []
        denied = []
        for f in self.facts:
            if f.kind == kind and f.about is None:
                if f.polarity == STATED:
                    stated.append(f.value)
                elif f.polarity == DENIED:
                    denied.append(f.value)
        return [v for v in stated if v not in denied] if denied else stated

    def denied(self, kind: str) -> list[Any]:
        return [
            f.value
            for f in self.facts
            if f.kind == kind and f.polarity == DENIED and f.about is None
        ]

    def for_place(self, place_id: str) -> Case:
        """The case as one factory's verdict sees it: what was said of that factory
        replaces what was said of all, kind by kind; what was said of another goes.

        >>> case = Case([Fact("ownership", "hk"), Fact("ownership", "mainland", about="gd-zq")])
        >>> case.for_place("gd-zq").current("ownership"), case.for_place("gd-fs").current("ownership")
        ('mainland', 'hk')
        """
        kinds = {f.kind for f in self.facts if f.about == place_id}
        facts = [
            Fact(f.kind, f.value, f.polarity, f.turn, f.quote)
            for f in self.facts
            if f.about == place_id or (f.about is None and f.kind not in kinds)
        ]
        return Case(facts, self.turn)

    @property
    def scoped(self) -> bool:
        """Whether anything was said of one factory only."""
        return any(f.about is not None for f in self.facts)

    def current(self, kind: str) -> Any:
        values = self.stated(kind)
        return values[-1] if values else None

    def places(self) -> list[str]:
        return self.stated("place")

    def fact(self, kind: str, value: Any = None) -> Fact | None:
        for f in reversed(self.facts):
            if f.kind == kind and (value is None or f.value == value):
                return f
        return None

    @property
    def empty(self) -> bool:
        return not self.facts

    # --- storage ---------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"turn": self.turn, "facts": [f.to_json() for f in self.facts]}
        if self.supposed:
            data["supposed"] = [f.to_json() for f in self.supposed]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Case:
        if not data:
            return cls()
        return cls(
            _facts(data.get("facts", [])),
            int(data.get("turn", 0)),
            _facts(data.get("supposed", [])),
        )


def _facts(raw_facts: list[dict[str, Any]]) -> list[Fact]:
    facts = []
    for raw in raw_facts:
        try:
            facts.append(Fact(**raw))
        except TypeError:
            continue  # a fact of an older shape: drop it, keep the rest
    return facts
