"""The main flows as a user on Telegram lives them, in each of the three languages: typing
in that language (or choosing it with the Language button or /lang), tapping the buttons
the bot actually sent, and reading what comes back."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core.desks import load_desks
from tests.e2e.helpers import Person, Screen, assert_language

YES_BUTTONS = {("menu", "subsidy"), ("menu", "person"), ("owner", "show"), ("menu", "home")}
NO_BUTTONS = {("menu", "person"), ("menu", "home")}
PREMISES = {("step", "premises:factory"), ("step", "premises:workshop"), ("cancel", "case")}
MENU_BUTTONS = {
    ("menu", "eligibility"),
    ("menu", "subsidy"),
    ("menu", "guides"),
    ("menu", "person"),
    ("menu", "language"),
}


@dataclass(frozen=True)
class Lang:
    """What a user of one language types, and how the bot names things back to them."""

    locale: str
    houjie: str  # a town in Dongguan, as typed
    houjie_shown: str  # how the verdict names it
    hong_kong: str
    outside: str  # a place outside Guangdong
    outside_shown: str
    item_text: str  # "demonstration project", as typed
    amounts: tuple[str, ...]  # HK$400,000 written the ways people write it
    second_amount: str  # HK$1,200,000
    rmb_amount: str  # RMB 100,000
    talk: str  # asking for a person


LANGS = {
    "zh_Hant_HK": Lang(
        "zh_Hant_HK",
        "東莞厚街",
        "東莞市厚街鎮",
        "我間廠喺香港",
        "廣西梧州",
        "梧州",
        "示範項目",
        ("40萬", "四十萬", "HK$400k", "400,000蚊"),
        "120萬",
        "人民幣10萬",
        "我想搵人傾",
    ),
    "zh_Hans_CN": Lang(
        "zh_Hans_CN",
        "东莞厚街",
        "东莞市厚街镇",
        "工厂在香港",
        "广西梧州",
        "梧州",
        "示范项目",
        ("40万港元", "四十万港币", "港币400000"),
        "120万港币",
        "人民币10万",
        "我想找工作人员",
    ),
    "en": Lang(
        "en",
        "Houjie Dongguan",
        "Houjie, Dongguan",
        "my factory is in Hong Kong",
        "Wuzhou, Guangxi",
        "Wuzhou",
        "demonstration project",
        ("HK$400k", "400,000", "0.4 million"),
        "HK$1.2m",
        "RMB 100k",
        "I want to talk to a person",
    ),
}
LOCALES = list(LANGS)


def assert_yes(screen: Screen, locale: str) -> None:
    assert screen.actions() >= YES_BUTTONS, screen.text
    assert_language(screen.text, locale)


# --- /start and the menu --------------------------------------------------------------------


async def test_start_shows_the_main_menu(person: Person) -> None:
    screen = await person.say("/start")
    assert screen.actions() == MENU_BUTTONS
    assert_language(screen.text, "en")  # nothing told the bot the user's language yet


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_language_button_switches_the_menu(person: Person, locale: str) -> None:
    await person.say("/start")
    choice = await person.tap("menu", "language")
    assert {b.action for b in choice.buttons} == {"lang"}
    assert {b.arg for b in choice.buttons} == set(LOCALES)
    chosen = await person.tap("lang", locale)
    assert chosen.actions() >= MENU_BUTTONS
    assert_language(chosen.text + "\n" + " ".join(b.label for b in chosen.buttons), locale)
    # The choice holds even when the user then types in another language.
    other = "Houjie Dongguan" if locale != "en" else "東莞厚街"
    assert_yes(await person.say(other), locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_lang_command_sets_the_language(person: Person, locale: str) -> None:
    argument = {"en": "en", "zh_Hant_HK": "繁體", "zh_Hans_CN": "简体"}[locale]
    screen = await person.say(f"/lang {argument}")
    assert screen.actions() >= MENU_BUTTONS
    assert_language(screen.text, locale)
    assert_language((await person.tap("menu", "subsidy")).text, locale)


# --- eligibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
async def test_typed_town_in_guangdong_is_eligible(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    screen = await person.say(lang.houjie)
    assert_yes(screen, locale)
    assert lang.houjie_shown in screen.text
    # The verdict offers the next step: the estimate, in the same language.
    estimate = await person.tap("menu", "subsidy")
    # Today's date decides the items; the e2e tests run on a day of the extension.
    assert {("step", f"item:{i}") for i in ("assessment", "demonstration", "verification")} <= (
        estimate.actions()
    )
    assert_language(estimate.text, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_eligibility_from_the_menu_button(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    await person.say(f"/lang {locale}")
    question = await person.tap("menu", "eligibility")
    assert_language(question.text, locale)
    keyboard = await person.reply_keyboard()
    assert [b.get("request_location") for b in keyboard] == [True], "a Share-location button"
    assert_language(keyboard[0]["text"], locale)
    assert_yes(await person.say(lang.houjie), locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_hong_kong_workshop_with_a_polluting_process(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    await person.say(f"/lang {locale}")  # "香港" is written alike in both scripts
    premises = await person.say("香港" if locale != "en" else "Hong Kong")
    assert premises.actions() >= PREMISES
    assert_language(premises.text, locale)
    processes = await person.tap("step", "premises:workshop")
    assert {b.arg for b in processes.buttons if b.action == "step"} >= {
        "process:spray",
        "process:solvent",
        "process:engine",
        "process:other",
        "process:none",
    }
    assert ("cancel", "case") in processes.actions(), "every question can be left"
    assert_language(processes.text, locale)
    verdict = await person.tap("step", "process:spray")
    assert ("menu", "subsidy") in verdict.actions(), "demonstration projects are open"
    assert_language(verdict.text, locale)
    # A factory in Hong Kong, said in one message, gets the full "yes" at once.
    await person.say("/start")
    assert_yes(await person.say(lang.hong_kong), locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_hong_kong_workshop_without_a_polluting_process(person: Person, locale: str) -> None:
    await person.say(f"/lang {locale}")
    await person.say("香港" if locale != "en" else "Hong Kong")
    await person.tap("step", "premises:workshop")
    verdict = await person.tap("step", "process:none")
    assert ("menu", "subsidy") not in verdict.actions(), "nothing is open to estimate"
    assert ("menu", "person") in verdict.actions()
    assert_language(verdict.text, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_ambiguous_place_asks_which_one(person: Person, locale: str) -> None:
    await person.say(f"/lang {locale}")
    question = await person.say("沙田")  # Sha Tin in Hong Kong, or Shatian in Dongguan
    places = {b.arg.partition(":")[2] for b in question.buttons if b.arg.startswith("place_choice:")}
    assert len(places) >= 2, question.text
    assert "hk-sha-tin" in places
    assert_language(question.text, locale)
    dongguan = next(p for p in places if p.startswith("cn-gd-dongguan"))
    assert_yes(await person.tap("step", f"place_choice:{dongguan}"), locale)


async def test_ambiguous_place_in_hong_kong_goes_on_to_premises(person: Person) -> None:
    await person.say("沙田")
    premises = await person.tap("step", "place_choice:hk-sha-tin")
    assert premises.actions() >= PREMISES
    assert_yes(await person.tap("step", "premises:factory"), "zh_Hant_HK")


@pytest.mark.parametrize("locale", LOCALES)
async def test_place_outside_guangdong_is_not_eligible(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    verdict = await person.say(lang.outside)
    assert verdict.actions() >= NO_BUTTONS and ("menu", "subsidy") not in verdict.actions()
    assert lang.outside_shown in verdict.text
    assert_language(verdict.text, locale)


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (22.95, 113.68, "yes"),  # Dongguan
        (22.54, 114.06, "yes"),  # Shenzhen, Futian
        (22.32, 114.17, "premises"),  # Hong Kong, Kowloon: factory or workshop?
        (22.19, 113.54, "no"),  # Macao
        (51.50, -0.12, "where"),  # London: asks for the place again
    ],
)
async def test_shared_location(
    person: Person, latitude: float, longitude: float, expected: str
) -> None:
    await person.say("/lang 繁")
    await person.tap("menu", "eligibility")
    screen = await person.share_location(latitude, longitude)
    assert_language(screen.text, "zh_Hant_HK")
    if expected == "yes":
        assert_yes(screen, "zh_Hant_HK")
    elif expected == "premises":
        assert screen.actions() >= PREMISES
    elif expected == "no":
        assert screen.actions() >= NO_BUTTONS and ("menu", "subsidy") not in screen.actions()
    else:
        assert screen.actions() == {("cancel", "case")}
        keyboard = await person.reply_keyboard()
        assert [b.get("request_location") for b in keyboard] == [True]


async def test_location_shared_without_being_asked_answers_for_that_place(
    person: Person,
) -> None:
    await person.say("/lang en")
    screen = await person.share_location(22.54, 114.06)  # Shenzhen
    assert_yes(screen, "en")
    assert "Shenzhen" in screen.text


# --- subsidy -------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
async def test_subsidy_flow_with_buttons(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    await person.say(f"/lang {locale}")
    items = await person.tap("menu", "subsidy")
    assert {b.arg for b in items.buttons if b.arg.startswith("item:")} == {
        "item:assessment",
        "item:demonstration",
        "item:verification",
    }
    cost_question = await person.tap("step", "item:demonstration")
    assert "300,000" in cost_question.text, "the question names the item's cap"
    assert_language(cost_question.text, locale)
    for amount in lang.amounts:
        breakdown = await person.say(amount)
        assert all(figure in breakdown.text for figure in ("400,000", "200,000")), (
            amount,
            breakdown.text,
        )
        assert {("again", "cost"), ("again", "item")} <= breakdown.actions()
        assert_language(breakdown.text, locale)
        await person.tap("again", "cost")
    capped = await person.say(lang.second_amount)
    assert all(f in capped.text for f in ("1,200,000", "300,000", "900,000")), capped.text
    choose = await person.tap("again", "item")
    assessment = await person.tap("step", "item:assessment")
    assert choose.actions() >= {("step", "item:assessment")}
    # The cost given before is kept: a new item gets its breakdown straight away.
    assert all(f in assessment.text for f in ("1,200,000", "25,000", "1,175,000")), assessment.text
    assert_language(assessment.text, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_subsidy_in_one_message(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    breakdown = await person.say(f"{lang.item_text} {lang.amounts[0]}")
    assert all(f in breakdown.text for f in ("400,000", "200,000")), breakdown.text
    assert_language(breakdown.text, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_renminbi_amount_asks_for_hong_kong_dollars(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    await person.say(f"/lang {locale}")
    await person.tap("menu", "subsidy")
    await person.tap("step", "item:demonstration")
    question = await person.say(lang.rmb_amount)
    # Renminbi is never relabelled as HK dollars: no "it is in HK dollars" button, the
    # full-cap rule, and a request for the HK$ figure.
    assert question.actions() == {("cancel", "case")}
    assert "600,000" in question.text, "a cost of twice the cap or more gets the full cap"
    assert_language(question.text, locale)
    breakdown = await person.say(lang.amounts[0])
    assert all(f in breakdown.text for f in ("400,000", "200,000")), breakdown.text
    assert_language(breakdown.text, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_an_amount_in_yuan_is_asked_which_dollar(person: Person, locale: str) -> None:
    await person.say(f"/lang {locale}")
    question = await person.say("示範項目10萬元")
    assert ("step", "currency:hkd") in question.actions(), "元 alone may be either currency"
    breakdown = await person.tap("step", "currency:hkd")
    assert all(f in breakdown.text for f in ("100,000", "50,000")), breakdown.text


async def test_renminbi_then_typed_hong_kong_dollars(person: Person) -> None:
    await person.say("示範項目 人民幣10萬")
    breakdown = await person.say("HK$110,000")
    assert all(f in breakdown.text for f in ("110,000", "55,000")), breakdown.text


async def test_unreadable_amount_asks_again(person: Person) -> None:
    await person.say("/start subsidy")
    await person.tap("step", "item:demonstration")
    again = await person.say("唔知呀")
    assert again.actions() == {("cancel", "case")} and again.text
    assert_language(again.text, "zh_Hant_HK")
    assert "200,000" in (await person.say("40萬")).text


# --- guides -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "locale", "first"),
    [
        ("噴油房點樣減少VOC", "zh_Hant_HK", "voc"),
        ("印染厂怎样节约用水", "zh_Hans_CN", "textiles"),
        ("air compressor leaks", "en", "compressed-air"),
    ],
)
async def test_guide_search_puts_the_right_guide_first(
    person: Person, query: str, locale: str, first: str
) -> None:
    results = await person.say(query)
    opens = [b for b in results.buttons if b.action == "open"]
    assert opens, results.text
    assert first in opens[0].arg, [b.arg for b in opens]
    assert_language(results.text, locale)
    guide = await person.tap("open", opens[0].arg)
    assert guide.text.strip() and ("menu", "person") in guide.actions()
    assert_language(guide.text, locale)
    back = await person.tap("more")  # "Back to results"
    assert [b.arg for b in back.buttons if b.action == "open"] == [b.arg for b in opens]


async def test_more_results_pages_on(person: Person) -> None:
    first = await person.say("air compressor leaks")
    more = await person.tap("more")
    first_ids = {b.arg for b in first.buttons if b.action == "open"}
    next_ids = [b.arg for b in more.buttons if b.action == "open"]
    assert next_ids and not first_ids & set(next_ids)
    assert "4." in more.text, "results are numbered on from the first page"
    assert_language(more.text, "en")


@pytest.mark.parametrize("locale", LOCALES)
async def test_guides_button_then_a_question(person: Person, locale: str) -> None:
    await person.say(f"/lang {locale}")
    prompt = await person.tap("menu", "guides")
    assert_language(prompt.text, locale)
    results = await person.say("air compressor leaks")
    assert any(b.action == "open" for b in results.buttons)
    assert_language(results.text, locale)


# --- a person, the hotline -----------------------------------------------------------------------


def hong_kong_hotline() -> str:
    return load_desks().get("hk").phone


@pytest.mark.parametrize("locale", LOCALES)
async def test_talk_to_a_person_offers_the_hotline(person: Person, locale: str) -> None:
    lang = LANGS[locale]
    offer = await person.say(lang.talk)
    assert hong_kong_hotline() in offer.text
    assert ("handoff", "leave") in offer.actions()
    assert_language(offer.text, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_menu_person_button_and_hotline_command(person: Person, locale: str) -> None:
    await person.say(f"/lang {locale}")
    offer = await person.tap("menu", "person")
    assert hong_kong_hotline() in offer.text
    assert_language(offer.text, locale)
    hotline = await person.say("/hotline")
    assert hong_kong_hotline() in hotline.text
    assert_language(hotline.text, locale)


@pytest.mark.parametrize("action", [("confirm", "send"), ("cancel", "handoff")])
async def test_a_sent_or_cancelled_summary_loses_its_buttons(
    person: Person, action: tuple[str, str]
) -> None:
    """Trials 42-45: the summary's Send / Change / Cancel stayed after sending, and a
    second tap said the menu had expired; now the tapped message's buttons are taken off."""
    await person.say("/lang en")
    await person.tap("menu", "person")
    await person.tap("handoff", "leave")
    await person.say("Ada Lam")
    await person.say("Lam Plastics Ltd")
    await person.say("+852 9123 4567")
    await person.say("Kwun Tong")
    summary = await person.say("Can the demonstration project cover a new chiller?")
    summary_id = summary.button(*action).message_id
    after = await person.tap(*action)
    edited = [m for m in after.messages if m["message_id"] == summary_id]
    assert edited and not edited[0].get("reply_markup"), after.messages
    assert (action[0], action[1]) not in after.actions()


async def test_leaving_an_enquiry_asks_for_details_and_shows_a_summary(person: Person) -> None:
    await person.say("/lang en")
    await person.tap("menu", "person")
    await person.tap("handoff", "leave")
    await person.say("Ada Lam")
    phone_question = await person.say("Lam Plastics Ltd")
    keyboard = await person.reply_keyboard()
    assert [b.get("request_contact") for b in keyboard] == [True], "a Share-phone button"
    assert ("cancel", "handoff") in phone_question.actions(), "and a way out, as on every step"
    await person.press(0, phone_number="+852 9123 4567")
    await person.say("Kwun Tong")
    summary = await person.say("Can the demonstration project cover a new chiller?")
    assert {("confirm", "send"), ("edit", "all"), ("cancel", "handoff")} == summary.actions()
    for detail in ("Ada Lam", "Lam Plastics Ltd", "+852 9123 4567", "Kwun Tong", "chiller"):
        assert detail in summary.text
    assert await person.reply_keyboard() == [], "the Share-phone keyboard is gone"
    cancelled = await person.tap("cancel", "handoff")
    assert cancelled.actions() >= MENU_BUTTONS
