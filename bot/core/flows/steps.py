"""Every question the bot asks, in one table: its wording, its choices and the facts each
choice adds to the case. Button data and tap routing are built from this table; adding a
question is one entry here, its wording in the catalogs, and its tests.

Button data is ``v1|<generation>|step|<step>:<choice>`` (``bot.core.buttons``); a tap on
a choice adds the choice's facts to the case, exactly as if the user had typed them.

The case flow's steps, in the order a decision asks them:

| step          | asks                                             | fills              |
|---------------|--------------------------------------------------|--------------------|
| place         | where the factory is (typed, or a location)      | place              |
| place_choice  | which of several places with that name           | place              |
| premises      | a factory or a Hong Kong workshop                | premises           |
| process       | the workshop's polluting process                 | process            |
| own_factory   | whether a trading company owns a factory         | own_factory, place |
| ownership     | whether a Hong Kong company owns the factory     | ownership          |
| share_mainland | a resident's share of the Mainland enterprise (link 1(d), typed) | share_mainland |
| share_hk_company | the resident's share of the Hong Kong company (typed) | share_hk_company |
| item          | which funding item to estimate                   | item               |
| cost          | what the item costs (typed)                      | cost               |
| currency      | whether an amount is in HK dollars               | cost               |

The hand-off form's steps (``bot.core.flows.handoff``): name, company, phone, place,
topic, confirm.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.case import DENIED, STATED
from bot.core.reply import Msg, T


@dataclass(frozen=True)
class Choice:
    value: str
    label: Msg
    facts: tuple[tuple[str, object, str], ...] = ()  # (kind, value, polarity)


@dataclass(frozen=True)
class Step:
    name: str
    flow: str
    question: Msg
    choices: tuple[Choice, ...] = ()
    dynamic: bool = False  # choices built from the case (places, items)
    keyboard: str = ""  # "location" | "contact": a reply-keyboard button
    typed: bool = True  # a typed answer is read too


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "place",
            "case",
            T(
                "Where is the factory? Type the city, district or town (e.g. 東莞虎門, Shunde, Kwun Tong), or share your location."
            ),
            keyboard="location",
        ),
        Step("place_choice", "case", T("Which place do you mean?"), dynamic=True),
        Step(
            "premises",
            "case",
            T(
                "Is it a factory, or a workshop (for example a car repair shop or a spray-painting shop)?"
            ),
            (
                Choice("factory", T("A factory"), (("premises", "factory", STATED),)),
                Choice("workshop", T("A workshop"), (("premises", "workshop", STATED),)),
                Choice("none", T("Neither (office, trading)"), (("premises", "none", STATED),)),
            ),
        ),
        Step(
            "process",
            "case",
            T("Which polluting process does the workshop have?"),
            (
                Choice(
                    "spray", T("Spray coating and curing"), (("process", "spray-coating", STATED),)
                ),
                Choice(
                    "solvent",
                    T("Cleaning metal parts with solvents"),
                    (("process", "solvent-cleaning", STATED),),
                ),
                Choice(
                    "engine", T("Vehicle engine testing"), (("process", "engine-testing", STATED),)
                ),
                Choice(
                    "other", T("Another polluting process"), (("process", "other:unnamed", STATED),)
                ),
                Choice("none", T("No polluting process"), (("process", "none", STATED),)),
            ),
        ),
        Step(
            "own_factory",
            "case",
            T(
                "Does your company own and run a factory in Guangdong or Hong Kong, or a workshop in Hong Kong?"
            ),
            (
                Choice(
                    "gd",
                    T("Yes, in Guangdong"),
                    (
                        ("own_factory", True, STATED),
                        ("premises", "factory", STATED),
                        ("place", "cn-gd", STATED),
                    ),
                ),
                Choice(
                    "hk",
                    T("Yes, in Hong Kong"),
                    (
                        ("own_factory", True, STATED),
                        ("premises", "factory", STATED),
                        ("place", "hk", STATED),
                    ),
                ),
                Choice(
                    "workshop",
                    T("A workshop in Hong Kong"),
                    (
                        ("own_factory", True, STATED),
                        ("premises", "workshop", STATED),
                        ("place", "hk", STATED),
                    ),
                ),
                Choice("no", T("No"), (("own_factory", False, STATED),)),
            ),
        ),
        Step(
            "ownership",
            "case",
            T(
                "Is the factory owned by a company registered in Hong Kong (directly, through a joint venture, or under a processing contract)?"
            ),
            (
                Choice("yes", T("Yes, a Hong Kong company"), (("ownership", "hk", STATED),)),
                Choice("no", T("No"), (("ownership", "hk", DENIED),)),
                Choice("unsure", T("Not sure"), ()),
            ),
        ),
        Step(
            "share_mainland",
            "case",
            T(
                "What share of the Mainland enterprise does that Hong Kong resident hold? Type a percentage, e.g. 60%."
            ),
        ),
        Step(
            "share_hk_company",
            "case",
            T(
                "What share of the company registered in Hong Kong does that resident hold? Type a percentage, e.g. 40%."
            ),
        ),
        Step("item", "case", T("Which item would you like an estimate for?"), dynamic=True),
        Step("cost", "case", T("What does it cost? Type it as you like: 400000, HK$400k, 40萬.")),
        Step(
            "currency",
            "case",
            T("Please type the cost in Hong Kong dollars, e.g. HK$300,000."),
            (Choice("hkd", T("It is in HK dollars"), ()),),
        ),
    )
}


def choice(step: str, value: str) -> Choice | None:
    found = STEPS.get(step)
    if found is None:
        return None
    return next((c for c in found.choices if c.value == value), None)
