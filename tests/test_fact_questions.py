"""Plain fact questions: the matcher's table in three languages, the cases it must leave to
the conversation engine, the pattern language, and its speed.

Run `pytest tests/test_fact_questions.py -s` to see the hit rates; the summary also reaches
CI logs through a pytest warning.
"""

from __future__ import annotations

import doctest
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.core import fact_questions
from bot.core.fact_questions import (
    FactMatch,
    FactMatcher,
    FactPatternError,
    default_matcher,
    load_faq_entries,
    match_fact_question,
)
from bot.core.guides import FaqEntry
from bot.core.language import normalise

CASES = Path(__file__).parent / "cases" / "fact_questions.yaml"
HELD_OUT = Path(__file__).parent / "cases" / "fact_questions_heldout.yaml"
REPO_KNOWLEDGE = Path(__file__).parents[1] / "knowledge"
LOCALES = ("en", "zh_Hant_HK", "zh_Hans_CN")
MAX_MEAN_MS = 1.0


@dataclass(frozen=True)
class Case:
    text: str
    locale: str
    expect: tuple[str, ...] = ()


def load(path: Path, key: str | None = None) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = raw[key] if key else raw
    return [Case(c["text"], c["locale"], tuple(c.get("expect", ()))) for c in items]


# The fourteenth user trial: questions answered wrongly or not at all, one row per question
# and language (yue in Traditional, cmn in Simplified). They join the table above, so the
# hit rate and the unknown-entry check count them.
FOURTEENTH_TRIAL = [
    Case(text, locale, (entry_id,))
    for entry_id, rows in {
        # 1: was the recognition scheme
        "faq-what-is-programme": [
            ("请问这个计划是做什么的？", "zh_Hans_CN"),
            ("呢個計劃係做啲咩㗎？", "zh_Hant_HK"),
            ("What does this programme do?", "en"),
        ],
        # 2 and 3: "做核證要付錢嗎？"; a bare "how many by 2017?" was out of scope (W13)
        "faq-participation-totals": [
            ("已经资助了多少个项目？", "zh_Hans_CN"),
            ("資助咗幾多個項目？", "zh_Hant_HK"),
            ("How many projects have been funded?", "en"),
            ("How many by 2017?", "en"),
            ("去到2017年有幾多？", "zh_Hant_HK"),
            ("到2017年有多少？", "zh_Hans_CN"),
        ],
        # 4: the application fee; the sources say nothing about tax
        "faq-subsidy-tax": [
            ("政府补贴要交税吗？", "zh_Hans_CN"),
            ("補貼要唔要交稅？", "zh_Hant_HK"),
            ("is the subsidy taxable?", "en"),
        ],
        # 5: asked for the factory's place
        "faq-benefits-of-joining": [
            ("參加咗有咩好處？", "zh_Hant_HK"),
            ("参加有什么好处？", "zh_Hans_CN"),
            ("what are the benefits of joining?", "en"),
        ],
        # 6: out of scope
        "faq-recognition-labels": [
            ("優越伙伴係咩嚟？", "zh_Hant_HK"),
            ("优越伙伴是什么？", "zh_Hans_CN"),
            ("what is an Excellent Partner?", "en"),
        ],
        # 7: "why stress VOC and NOx" (para 6 gives 480 tonnes)
        "faq-reductions-demonstration": [
            ("VOC reduction from those?", "en"),
            ("嗰啲減咗幾多VOC？", "zh_Hant_HK"),
            ("那些减少了多少VOC？", "zh_Hans_CN"),
        ],
        # 8: "Who runs the programme?"
        "faq-committee-members": [
            ("who sits on the management committee", "en"),
            ("管理委員會有邊啲成員？", "zh_Hant_HK"),
            ("管理委员会由谁组成？", "zh_Hans_CN"),
        ],
        # 9, 10, 11: out of scope
        "faq-demonstration-share-results": [
            ("那要分享成果吗", "zh_Hans_CN"),
            ("要唔要分享成果？", "zh_Hant_HK"),
            ("do we have to share the results?", "en"),
        ],
        "faq-guideline-durations": [
            ("咁要幾耐做完？", "zh_Hant_HK"),
            ("要多久完成？", "zh_Hans_CN"),
            ("how long does it take to finish?", "en"),
        ],
        # fifteenth trial yue_staff1: a reference's progress (the bot cannot see it)
        "faq-enquiry-progress": [
            ("佢之前有個參考編號CP-7QX2M，可唔可以幫佢查下進度？", "zh_Hant_HK"),
            ("我的申请进度怎么样？", "zh_Hans_CN"),
            ("how is my application progressing?", "en"),
        ],
        "faq-office-hours": [
            ("你哋幾點開門？", "zh_Hant_HK"),
            ("你们几点上班？", "zh_Hans_CN"),
            ("what are your opening hours?", "en"),
        ],
        # 12: out of scope; the entry answers for the day asked (between phases in
        # February 2013: the extension from 1 April 2013)
        "faq-current-phase": [
            ("when will it reopen?", "en"),
            ("幾時重開？", "zh_Hant_HK"),
            ("什么时候重新开放？", "zh_Hans_CN"),
        ],
    }.items()
    for text, locale in rows
]

FACTS = load(CASES, "facts") + FOURTEENTH_TRIAL
NONE = load(CASES, "none")
HELD = load(HELD_OUT)


def faq_ids() -> set[str]:
    return {entry.id for entry in load_faq_entries(REPO_KNOWLEDGE)}


# ------------------------------------------------------------------ the tables


def test_tables_are_large_trilingual_and_point_at_real_entries() -> None:
    per_locale = {loc: sum(c.locale == loc for c in FACTS) for loc in LOCALES}
    assert all(n >= 20 for n in per_locale.values()), per_locale
    assert len({(c.text, c.locale) for c in FACTS + NONE}) == len(FACTS) + len(NONE)
    assert {c.locale for c in NONE} == set(LOCALES)
    ids = faq_ids()
    missing = sorted({e for c in FACTS + HELD for e in c.expect} - ids)
    assert not missing, f"expected ids not in faq.yaml: {missing}"
    assert len(HELD) == 20 and all(c.expect for c in FACTS + HELD)
    # No held-out paraphrase is copied into the tuning table.
    assert not {c.text for c in HELD} & {c.text for c in FACTS + NONE}


def test_issue_examples_are_in_the_table() -> None:
    texts = {c.text for c in FACTS}
    for example in (
        "幾時截止申請？", "What documents do I need?", "Is there an application fee?", "點申請？",
        "計劃總預算幾多？", "計劃會資助幾多個示範項目？", "How many factories have joined?",
        "東莞有冇熱線？", "What is the website?", "2015年之後仲有冇得申請？",
        "我哋2010年做過評估，可唔可以再做？", "資助幾時發放？", "How long does approval take?",
        "要唔要自己先俾錢？",
    ):  # fmt: skip
        assert example in texts, example


def test_fact_question_table_hit_rate() -> None:
    misses = []
    by_locale: dict[str, list[bool]] = {}
    for case in FACTS:
        found = match_fact_question(case.text, case.locale)
        hit = found is not None and found.entry_id in case.expect
        by_locale.setdefault(case.locale, []).append(hit)
        if not hit:
            got = (found.entry_id, found.pattern) if found else None
            misses.append(f"  {case.text!r} ({case.locale}): want {case.expect}, got {got}")
    rate = sum(sum(v) for v in by_locale.values()) / len(FACTS)
    per_locale = ", ".join(f"{loc} {sum(v)}/{len(v)}" for loc, v in sorted(by_locale.items()))
    summary = f"fact questions: {rate:.1%} of {len(FACTS)} reach their entry ({per_locale})"
    print("\n" + summary + ("\nmisses:\n" + "\n".join(misses) if misses else ""))
    warnings.warn(summary, stacklevel=1)
    assert rate == 1.0, summary + "\n" + "\n".join(misses)


@pytest.mark.parametrize("case", FOURTEENTH_TRIAL, ids=lambda c: c.text[:40])
def test_fourteenth_trial_questions_reach_their_entry(case: Case) -> None:
    found = match_fact_question(case.text, case.locale)
    assert found is not None and found.entry_id in case.expect, (case.text, found)


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # The fourteenth trial's patterns leave their neighbours' questions alone.
        ("Who runs the programme?", "faq-who-runs-programme"),
        ("Who approves applications, the committee?", "faq-project-management-committee"),
        ("審批要幾耐？", "faq-approval-time"),
        ("幾時公佈結果？", "faq-approval-time"),
        ("示範項目要幾耐完成？", "faq-guideline-durations"),
        ("How much VOC did those techniques cut?", "faq-reductions-typical"),
        ("你哋辦公室喺邊？", "faq-office-addresses"),
        ("what is the recognition scheme?", "faq-recognition-scheme"),
        ("how many factories benefited by 2017?", "faq-participation-totals"),
        ("when will the hotline reopen", "faq-hotlines"),
        ("what are the benefits of cleaner production?", None),
        ("What benefits is the extension expected to bring?", None),
        ("How long does the programme last?", None),
        ("要幾耐先完成申請", None),
        ("我哋間廠喺東莞，參加有咩好處？", None),
    ],
)
def test_fourteenth_trial_patterns_steal_nothing(text: str, entry_id: str | None) -> None:
    found = match_fact_question(text, "en")
    assert (found.entry_id if found else None) == entry_id, (text, found)


@pytest.mark.parametrize("case", NONE, ids=lambda c: c.text[:40])
def test_not_a_fact_question(case: Case) -> None:
    found = match_fact_question(case.text, case.locale)
    assert found is None, f"{case.text!r} claimed by {found}"


def test_held_out_paraphrases_hit_rate() -> None:
    """Measured, not tuned: these were written before the patterns and never used to
    adjust them. The rate is printed (and warned) for the record."""
    hits = []
    for case in HELD:
        found = match_fact_question(case.text, case.locale)
        ok = found is not None and found.entry_id in case.expect
        hits.append(ok)
        if not ok:
            print(f"  held-out miss: {case.text!r}: want {case.expect}, got "
                  f"{found.entry_id if found else None}")  # fmt: skip
    summary = f"held-out paraphrases: {sum(hits)}/{len(hits)} reach their entry"
    print("\n" + summary)
    warnings.warn(summary, stacklevel=1)
    assert len(hits) == 20


def test_every_unknown_entry_with_patterns_is_reached_by_the_table() -> None:
    entries = load_faq_entries(REPO_KNOWLEDGE)
    reached = {f.entry_id for c in FACTS if (f := match_fact_question(c.text, c.locale))}
    unreached = sorted(e.id for e in entries if e.unknown and e.ask and e.id not in reached)
    assert not unreached, f"unknown entries no table question reaches: {unreached}"


# ------------------------------------------------------------------ what a match says


def test_match_carries_unknown_flag_citations_and_pattern() -> None:
    silent = match_fact_question("What documents do I need?", "en")
    assert silent is not None and silent.unknown is True
    assert silent.entry_id == "faq-documents-needed" and silent.citations
    known = match_fact_question("What is the website?", "en")
    assert known is not None and known.unknown is False
    assert known.pattern in {"$website !on-site|!onsite", "$email"}
    with pytest.raises(AttributeError):
        known.score = 0.1  # type: ignore[misc]  # frozen


def test_simplified_and_traditional_reach_the_same_entry() -> None:
    pairs = [("幾時截止申請？", "几时截止申请？"), ("東莞有冇熱線？", "东莞有冇热线？"),
             ("資助幾時發放？", "资助几时发放？")]  # fmt: skip
    for hant, hans in pairs:
        a, b = match_fact_question(hant, "zh_Hant_HK"), match_fact_question(hans, "zh_Hans_CN")
        assert a is not None and b is not None and a.entry_id == b.entry_id


def test_locale_does_not_decide_the_entry() -> None:
    for locale in LOCALES:
        found = match_fact_question("Is there an application fee?", locale)
        assert found is not None and found.entry_id == "faq-application-fee"


def test_score_is_lower_when_the_message_asks_more() -> None:
    plain = match_fact_question("幾時截止申請？", "zh_Hant_HK")
    longer = match_fact_question(
        "幾時截止申請？另外想知道你哋會唔會舉辦講座同工廠參觀", "zh_Hant_HK"
    )
    assert plain is not None and longer is not None
    assert plain.entry_id == longer.entry_id
    assert plain.score == 1.0 and 0.5 <= longer.score < 0.8


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I want to talk to someone", "handoff"),
        ("我要找人工客服", "handoff"),
        ("你哋啲熱線成日冇人聽，好嬲", "complaint"),
        ("demonstration project costs 400k, how much subsidy?", "amount"),
        ("示範項目四十萬，政府俾幾多？", "amount"),
        ("我間廠喺東莞可唔可以申請", "own"),
        ("Can a factory in Huizhou apply?", "place"),
        ("东莞有没有热线？", None),
        ("Can Hong Kong workshops apply in the new phase?", None),
        ("2015年之後仲有冇得申請？", None),
    ],
)
def test_case_reason(text: str, reason: str | None) -> None:
    assert default_matcher().case_reason(text) == reason


def test_provinces_given_to_one_match_do_not_carry_to_the_next_call() -> None:
    # The matcher is shared by every chat: what one message's places were must not
    # decide another's.
    matcher = default_matcher()
    matcher.match("Can a factory in Hong Kong apply?", "en", ("Hong Kong",))
    assert matcher.case_reason("Can a factory in Huizhou apply?") == "place"


def test_odd_input_never_raises() -> None:
    for text in ("", "   ", "？？？", "\u200b", "a" * 10_000, "幾時" * 3000, "$deadline !x"):
        result = match_fact_question(text, "en")
        assert result is None or isinstance(result, FactMatch)
    assert match_fact_question(None, "en") is None  # type: ignore[arg-type]


# ------------------------------------------------------------------ the pattern language


def entry(entry_id: str, *ask: str, unknown: bool = False) -> FaqEntry:
    text = {"en": "q", "zh_Hant_HK": "q", "zh_Hans_CN": "q"}
    return FaqEntry(entry_id, ("application",), text, text, ("W9",), ask=ask, unknown=unknown)


TERMS = {
    "groups": {
        "when": ["幾時", "when"],
        "close": ["截止", "close*"],
        "apply": ["申請", "apply", "application*"],
        "both": ["$when", "deadline"],
    },
    "veto": {
        "handoff": ["talk to"],
        "complaint": ["useless"],
        "own": ["my factory"],
        "asks_eligibility": ["eligible"],
        "asks_amount": ["how much"],
    },
    "filler": ["the", "is", "what"],
}


def matcher(*entries: FaqEntry) -> FactMatcher:
    return FactMatcher(entries, TERMS, normalise)


def test_all_terms_must_match_and_negated_terms_must_not() -> None:
    m = matcher(entry("faq-a", "$when $close !$apply"), entry("faq-b", "$when $close $apply"))
    assert m.match("when does it close", "en").entry_id == "faq-a"
    assert m.match("when do applications close", "en").entry_id == "faq-b"
    assert m.match("when", "en") is None


def test_more_terms_win_then_more_of_the_message() -> None:
    m = matcher(entry("faq-short", "$close"), entry("faq-long", "$when $close"))
    assert m.match("幾時截止", "zh_Hant_HK").entry_id == "faq-long"
    assert m.match("截止", "zh_Hant_HK").entry_id == "faq-short"


def test_latin_words_match_whole_words_and_star_takes_endings() -> None:
    m = matcher(entry("faq-a", "$apply"), entry("faq-b", "disclos*"))
    assert m.match("application form", "en").entry_id == "faq-a"
    assert m.match("reapply", "en") is None
    assert m.match("disclosure rules", "en").entry_id == "faq-b"


def test_underscore_is_a_space_and_groups_include_groups() -> None:
    m = matcher(entry("faq-a", "last_day"), entry("faq-b", "$both apply"))
    assert m.match("what is the last day", "en").entry_id == "faq-a"
    assert m.match("lastday", "en") is None
    assert m.match("apply by when", "en").entry_id == "faq-b"


def test_vetoes_win_over_patterns() -> None:
    m = matcher(entry("faq-a", "$apply"))
    assert m.match("can I apply", "en") is not None
    assert m.match("I want to talk to someone about how to apply", "en") is None
    assert m.match("is my factory eligible to apply", "en") is None


@pytest.mark.parametrize(
    ("ask", "problem"),
    [("$nosuch", "unknown group"), ("!$when", "no term"), ("$", "bad term"), ("a||b", "bad term")],
)
def test_bad_patterns_name_the_entry(ask: str, problem: str) -> None:
    with pytest.raises(FactPatternError, match=problem) as raised:
        matcher(entry("faq-broken", ask))
    assert "faq-broken" in str(raised.value)


def test_bad_word_lists_are_rejected() -> None:
    cyclic = {**TERMS, "groups": {"a": ["$b"], "b": ["$a"]}}
    with pytest.raises(FactPatternError, match="refers to itself"):
        FactMatcher([], cyclic, normalise)
    with pytest.raises(FactPatternError, match="veto lists missing"):
        FactMatcher([], {**TERMS, "veto": {"handoff": ["x"]}}, normalise)
    with pytest.raises(FactPatternError, match="non-empty list"):
        FactMatcher([], {**TERMS, "filler": []}, normalise)


def test_repository_patterns_all_compile() -> None:
    entries = load_faq_entries(REPO_KNOWLEDGE)
    assert default_matcher().patterns == sum(len(e.ask) for e in entries) > 60


def test_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(fact_questions, optionflags=doctest.ELLIPSIS)
    assert tried >= 5 and failures == 0


# ------------------------------------------------------------------ speed


def test_matching_is_well_under_a_millisecond() -> None:
    texts = [c.text for c in FACTS + NONE]
    for text in texts:
        match_fact_question(text, "en")
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            match_fact_question(text, "en")
    mean_ms = (time.perf_counter() - start) * 1000 / (rounds * len(texts))
    print(f"\nfact question matching: {mean_ms:.3f} ms per message")
    assert mean_ms < MAX_MEAN_MS


def test_every_how_much_follow_up_names_an_entry() -> None:
    from bot.core.fact_questions import how_much_after, load_faq_entries
    from bot.core.rules import KNOWLEDGE_DIR

    entries = load_faq_entries(KNOWLEDGE_DIR)
    ids = {entry.id for entry in entries}
    for entry in entries:
        if entry.how_much:
            assert entry.how_much in ids, entry.id
            follow = how_much_after(entry.id)
            assert follow is not None and follow.entry_id == entry.how_much


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # fifteenth trial en_past1: an earlier phase's end is its dates, not the new phase's
        ("when did the original programme end?", "faq-phases-dates"),
        ("延展計劃幾時完？", "faq-phases-dates"),
        ("延展计划什么时候结束的？", "faq-phases-dates"),
        ("what year did the extension end?", "faq-phases-dates"),
        ("when does the new phase end?", "faq-phase-2025-end"),
        ("呢期計劃幾時完？", "faq-phase-2025-end"),
        # fifteenth trial cmn_faq2: projects funded in all, not the budget
        ("一共资助过多少项目？", "faq-participation-totals"),
        ("計劃一共資助過幾多個項目？", "faq-participation-totals"),
        ("计划总预算是多少？", "faq-budget-total"),
        # sixteenth trial m13, y06: the extension's money and what changed in it
        ("延展计划政府拨了多少钱？", "faq-budget-extension"),
        ("示范项目占多少预算？", "faq-budget-annex"),
        ("how much of the extension budget went to demonstration projects?", "faq-budget-annex"),
        ("第一期同延展期有咩分別？", "faq-extension-changes"),
        ("原有计划和延展计划有什么不同？", "faq-extension-changes"),
        (
            "what changed in the extension compared with the original programme?",
            "faq-extension-changes",
        ),
    ],
)
def test_fifteenth_trial_questions_reach_their_entry(text: str, entry_id: str) -> None:
    found = match_fact_question(text, "en")
    assert (found.entry_id if found else None) == entry_id, (text, found)


@pytest.mark.parametrize(
    ("text", "first", "also"),
    [
        # fifteenth trial yue_faq4: two questions, each with its question mark, both answered
        ("你哋辦公時間幾點？喺邊度？", "faq-office-addresses", ("faq-office-hours",)),
        (
            "What are your office hours? And where is the office?",
            "faq-office-hours",
            ("faq-office-addresses",),
        ),
        (
            "Who runs the programme? How many factories joined?",
            "faq-participation-totals",
            ("faq-who-runs-programme",),
        ),
        # one question, or the same entry twice: nothing more
        ("你哋辦公室地址喺邊度？", "faq-office-addresses", ()),
        ("網站係咩？網址呢？", "faq-website-email", ()),
    ],
)
def test_a_second_question_in_the_message_is_found_too(
    text: str, first: str, also: tuple[str, ...]
) -> None:
    found = match_fact_question(text, "en")
    assert found is not None and (found.entry_id, found.also) == (first, also)
