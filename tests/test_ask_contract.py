"""The public contract of ``python -m bot ask`` (../shared/contract.md), from the outside.

Each run is ``python -m bot ask`` with its arguments, environment and standard input.
The messages are batched: a run reads its messages from standard input, one per line,
and must answer with one JSON line each. The runs go once per module (see ``runs``), in
this process through ``bot.__main__.main`` (a new interpreter costs about two seconds a
run); ``test_in_process_runs_match_real_processes`` runs some of them again as real
subprocesses, as operators and tools run the bot, and finds the same output and exit
codes. The tests then read the answers.

What is checked: every field and type of the reply object on every answer; the answers
to the messages of tests/cases/ask.yaml and of the shared sample messages; the lead's
"done when" commands; ``--date``, ``--lang`` and ``RULES_DATE``; exit code 0 for any
input text; a clear argparse error for a bad ``--date`` or ``--lang``.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES_PATH = SHARED / "eval" / "sample-messages.jsonl"
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "ask.yaml").read_text("utf-8"))["cases"]

LOCALES = {"en", "zh_Hant_HK", "zh_Hans_CN"}
INTENTS = {
    "eligibility",
    "subsidy",
    "search",
    "handoff",
    "hotline",
    "programme",
    "greeting",
    "help",
    "out_of_scope",
}
STATUSES = {"eligible", "demonstration_only", "not_eligible", "need_more_info"}
# The contract names three items; the new phase (2025–2027, W9) adds "technology", a
# project adopting a new cleaner production technology (README: contract extensions).
ITEMS = {"assessment", "demonstration", "verification", "technology"}
FIELDS = {
    "locale",
    "intent",
    "text",
    "phase",
    "eligibility",
    "subsidy",
    "results",
    "handoff",
    "citations",
}
RUN_TIMEOUT = 180

# Texts any message may be; the bot must answer each with one object and exit 0.
EDGE_INPUTS = [
    "",
    "   ",
    "\t\t",
    "\u200b\u2060",
    "😀😀😀",
    "👍",
    "x" * 4096,
    "示範項目" * 1500,  # 6,000 characters: over Telegram's 4,096
    '"*" NEAR( -x :',
    'OR AND NOT " ( ) * ^ -',
    "assessment 10^100",
    "示範項目成本10^100元",
    "demonstration project costs 1e100 dollars",
    "評估費用 -50000",
    "assessment costs 0",
    "9" * 400,
    "/start",
    "/nonsense",
    "<b>bold</b> & <i>",
    "'; DROP TABLE tickets; --",
    "مرحبا",
    "null",
    "{}",
    "line\u2028separator",
]
ABSURD_INPUTS = {
    "assessment 10^100",
    "示範項目成本10^100元",
    "demonstration project costs 1e100 dollars",
}


def _samples() -> list[dict[str, Any]]:
    if not SAMPLES_PATH.exists():
        return []
    lines = SAMPLES_PATH.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


SAMPLES = _samples()


def _group(case: dict[str, Any]) -> tuple[str | None, str | None]:
    date = case.get("date")
    return (str(date) if date else None, case.get("lang"))


# One stdin run per (--date, --lang); the default run also carries the samples and edges.
GROUPS: dict[tuple[str | None, str | None], list[str]] = {(None, None): []}
POSITION: dict[str, tuple[tuple[str | None, str | None], int]] = {}
for _case in CASES:
    _key = _group(_case)
    GROUPS.setdefault(_key, [])
    POSITION[_case["name"]] = (_key, len(GROUPS[_key]))
    GROUPS[_key].append(_case["input"])
SAMPLE_START = len(GROUPS[(None, None)])
GROUPS[(None, None)].extend(sample["text"] for sample in SAMPLES)
EDGE_START = len(GROUPS[(None, None)])
GROUPS[(None, None)].extend(EDGE_INPUTS)


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def replies(self) -> list[dict[str, Any]]:
        # Split on "\n" only: a reply may hold U+2028, which str.splitlines would split.
        return [json.loads(line) for line in self.stdout.split("\n") if line]


# The cases of ask.yaml without a date were written for the extension's first day.
CASES_DEFAULT_DATE = "2013-04-01"


def _group_args(key: tuple[str | None, str | None]) -> tuple[str, ...]:
    date, lang = key
    args = ["--json", "--date", date or CASES_DEFAULT_DATE]
    if lang:
        args += ["--lang", lang]
    return tuple(args)


def _stdin(texts: list[str]) -> str:
    for text in texts:
        assert "\n" not in text and "\r" not in text, "one message per line"
    return "".join(text + "\n" for text in texts)


# name -> (arguments after `ask`, standard input or None, extra environment)
SPECS: dict[str, tuple[tuple[str, ...], str | None, dict[str, str]]] = {
    **{f"group:{key}": (_group_args(key), _stdin(texts), {}) for key, texts in GROUPS.items()},
    "done-demonstration": (
        ("--json", "--date", "2014-01-01", "示範項目成本40萬，政府資助幾多？"),
        None,
        {},
    ),
    "done-shaoguan": (("--json", "--date", "2012-06-01", "工廠喺韶關，可唔可以申請？"), None, {}),
    "done-wuzhou": (("--json", "我的工厂在广西梧州"), None, {}),
    "text-empty": (("--json", ""), None, {}),
    "text-words": (
        (
            "--json",
            "--date",
            "2014-01-01",
            "assessment",
            "fee",
            "80k,",
            "how",
            "much",
            "is",
            "covered",
        ),
        None,
        {},
    ),
    "plain": (
        ("--date", "2014-01-01"),
        _stdin(["示範項目成本40萬，政府資助幾多？", "hello", ""]),
        {},
    ),
    "env-rules-date": (
        ("--json",),
        _stdin(["工廠喺韶關，可唔可以申請？"]),
        {"RULES_DATE": "2012-06-01"},
    ),
    "env-and-option": (
        ("--json", "--date", "2014-01-01"),
        _stdin(["工廠喺韶關，可唔可以申請？"]),
        {"RULES_DATE": "2012-06-01"},
    ),
    "bad-date-month": (("--json", "--date", "2013-13-01", "hi"), None, {}),
    "bad-date-format": (("--json", "--date", "15/02/2013", "hi"), None, {}),
    "bad-lang": (("--json", "--lang", "fr", "hi"), None, {}),
    "bad-env-date": (("--json", "hi"), None, {"RULES_DATE": "someday"}),
}


def _environment(tmp: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("RULES_DATE", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "STAFF_CHATS")
    }
    env.update(
        KB_DB=str(tmp / "knowledge.sqlite3"),
        BOT_DB=str(tmp / "bot.sqlite3"),
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return env


def _run(tmp: Path, spec: tuple[tuple[str, ...], str | None, dict[str, str]]) -> Run:
    args, stdin, extra = spec
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=_environment(tmp, extra),
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return Run(tuple(args), done.returncode, done.stdout, done.stderr)


def _run_in_process(tmp: Path, spec: tuple[tuple[str, ...], str | None, dict[str, str]]) -> Run:
    """``python -m bot ask`` as ``bot.__main__.main`` in this process: the same argument
    parsing, environment, standard streams, logging set-up and exit code, without paying
    for a new interpreter each time (``test_in_process_runs_match_real_processes`` checks
    that both give the same bytes)."""
    from bot.__main__ import main

    args, stdin, extra = spec
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_env = dict(os.environ)
    root.handlers = []  # main's basicConfig then logs to this run's stderr, as in a process
    os.environ.clear()
    os.environ.update(_environment(tmp, extra))
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _stdin_from(stdin or ""),
        ):
            try:
                code = main(["ask", *args])
            except SystemExit as exit_:  # argparse refuses an argument
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        root.handlers, root.level = saved_handlers, saved_level
    return Run(tuple(args), code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin_from(text: str) -> Any:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    from bot.core.knowledge_base import KnowledgeBase

    tmp = tmp_path_factory.mktemp("ask")
    # Build the search index once, so the runs below share it instead of racing to build it.
    KnowledgeBase.open(tmp / "knowledge.sqlite3")
    return {name: _run_in_process(tmp, spec) for name, spec in SPECS.items()}


# Real processes for a few runs: a success on stdin, a success from arguments, a refused
# argument and a configuration error.
IN_PROCESS_CHECKED = ("plain", "done-wuzhou", "bad-date-month", "bad-env-date")


def test_in_process_runs_match_real_processes(
    runs: dict[str, Run], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("ask-processes")
    with ThreadPoolExecutor(max_workers=2) as pool:
        real = dict(
            zip(
                IN_PROCESS_CHECKED,
                pool.map(lambda n: _run(tmp, SPECS[n]), IN_PROCESS_CHECKED),
                strict=True,
            )
        )
    for name, process in real.items():
        assert process.returncode == runs[name].returncode, name
        assert process.stdout == runs[name].stdout, name
        assert process.stderr.strip() == runs[name].stderr.strip(), name


def _group_replies(
    runs: dict[str, Run], key: tuple[str | None, str | None]
) -> list[dict[str, Any]]:
    run = runs[f"group:{key}"]
    assert run.returncode == 0, run.stderr[-2000:]
    replies = run.replies
    assert len(replies) == len(GROUPS[key]), "one reply per message line"
    return replies


# --- the reply object ---------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _vocabulary() -> set[str]:
    shared = SHARED / "knowledge-vocabulary.md"
    if shared.exists():
        return set(re.findall(r"`([a-z0-9-]+)`", shared.read_text("utf-8")))
    data = yaml.safe_load((REPO / "knowledge" / "vocabulary.yaml").read_text("utf-8"))
    return {tag for group in data.values() for tag in group}


VOCABULARY = _vocabulary()


def check_contract(reply: dict[str, Any]) -> None:
    """Every field of the contract's reply object, with its type."""
    assert set(reply) >= FIELDS, FIELDS - set(reply)
    assert reply["locale"] in LOCALES
    assert reply["intent"] in INTENTS
    assert isinstance(reply["text"], str) and reply["text"].strip()
    assert reply["phase"] is None or isinstance(reply["phase"], str)
    assert isinstance(reply["handoff"], bool)
    assert isinstance(reply["citations"], list)
    assert all(isinstance(c, str) and c for c in reply["citations"])
    assert len(set(reply["citations"])) == len(reply["citations"])
    _check_eligibility(reply["eligibility"])
    _check_subsidy(reply["subsidy"])
    assert isinstance(reply["results"], list)
    for hit in reply["results"]:
        assert set(hit) >= {"id", "title", "tags"}
        assert isinstance(hit["id"], str) and hit["id"]
        assert isinstance(hit["title"], str) and hit["title"]
        assert isinstance(hit["tags"], list)
        assert set(hit["tags"]) <= VOCABULARY, set(hit["tags"]) - VOCABULARY
    if reply["eligibility"] is not None and reply["eligibility"]["status"] != "need_more_info":
        assert reply["citations"], "a verdict carries its source paragraphs"
    if reply["subsidy"] is not None:
        assert reply["phase"] is not None
        assert reply["citations"]


def _check_eligibility(value: Any) -> None:
    if value is None:
        return
    assert isinstance(value, dict)
    assert value["status"] in STATUSES
    assert isinstance(value["items"], list) and set(value["items"]) <= ITEMS
    if value["status"] in ("not_eligible", "need_more_info"):
        assert value["items"] == []
    if value["status"] == "demonstration_only":
        assert value["items"] == ["demonstration"]
    place = value["place"]
    if place is not None:
        assert set(place) >= {"city", "province", "prd"}
        assert place["city"] is None or isinstance(place["city"], str)
        assert isinstance(place["province"], str) and place["province"]
        assert isinstance(place["prd"], bool)
        if place["prd"]:
            assert place["province"] == "Guangdong"


def _check_subsidy(value: Any) -> None:
    if value is None:
        return
    assert isinstance(value, dict)
    assert value["item"] in ITEMS
    for key in ("cost", "government", "factory", "cap"):
        assert _is_number(value[key]), (key, value[key])
    assert value["currency"] == "HKD"
    # Verification is free to the factory (para 12(d)): a cost above its cap is given as
    # above_cap, since no source says who pays it.
    above = value.get("above_cap", 0)
    assert abs(value["government"] + value["factory"] + above - value["cost"]) < 0.005
    assert 0 <= value["government"] <= value["cap"]


def check_expected(reply: dict[str, Any], expected: dict[str, Any]) -> None:
    """The case file's expectations (see the header of tests/cases/ask.yaml)."""
    for key in ("locale", "intent", "phase", "handoff"):
        if key in expected:
            assert reply[key] == expected[key], (key, reply[key], reply["text"][:300])
    for key in ("eligibility", "subsidy"):
        if key not in expected:
            continue
        want, got = expected[key], reply[key]
        if want is None:
            assert got is None, (key, got)
            continue
        assert got is not None, (key, reply["intent"], reply["text"][:300])
        for field, value in want.items():
            if field == "place" and isinstance(value, dict):
                assert got["place"] is not None, reply["text"][:300]
                for place_key, place_value in value.items():
                    assert got["place"][place_key] == place_value, (place_key, got["place"])
            else:
                assert got[field] == value, (field, got[field], value)
    for citation in expected.get("citations", []):
        assert citation in reply["citations"], (citation, reply["citations"])
    for words in expected.get("text_contains", []):
        assert str(words) in reply["text"], (words, reply["text"][:400])
    if "results_top3_tags_any" in expected:
        tags = {tag for hit in reply["results"][:3] for tag in hit["tags"]}
        assert tags & set(expected["results_top3_tags_any"]), (tags, reply["results"][:3])


# --- every answer keeps the contract --------------------------------------------------------------


def test_every_run_that_should_succeed_exits_0_with_valid_objects(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        if name.startswith("bad-") or name == "plain":
            continue
        assert run.returncode == 0, (name, run.stderr[-2000:])
        assert run.replies, name
        for reply in run.replies:
            check_contract(reply)


def test_every_group_answers_one_line_per_message(runs: dict[str, Run]) -> None:
    for key in GROUPS:
        _group_replies(runs, key)


# --- the case file ------------------------------------------------------------------------------


def _case_params() -> list[Any]:
    return [
        pytest.param(
            case,
            id=case["name"],
            marks=[pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else [],
        )
        for case in CASES
    ]


@pytest.mark.parametrize("case", _case_params())
def test_case(runs: dict[str, Run], case: dict[str, Any]) -> None:
    key, position = POSITION[case["name"]]
    reply = _group_replies(runs, key)[position]
    check_contract(reply)
    check_expected(reply, case["expected"])


def test_case_file_has_at_least_40_messages_in_three_languages() -> None:
    locales = [case["expected"].get("locale") for case in CASES if not case.get("lang")]
    assert len(CASES) >= 40
    for locale in LOCALES:
        assert locales.count(locale) >= 10, locale
    assert len({case["name"] for case in CASES}) == len(CASES)


# --- the shared sample messages -----------------------------------------------------------------


@pytest.mark.skipif(not SAMPLES, reason=f"{SAMPLES_PATH} is not beside the repository")
@pytest.mark.parametrize("index", range(len(SAMPLES) or 12))
def test_sample_message(runs: dict[str, Run], index: int) -> None:
    sample = SAMPLES[index]
    reply = _group_replies(runs, (None, None))[SAMPLE_START + index]
    check_contract(reply)
    expected = dict(sample["expect"])
    tags_any = expected.pop("results_top3_tags_any", None)
    if tags_any is not None:
        expected["results_top3_tags_any"] = tags_any
    check_expected(reply, expected)


# --- the lead's "done when" commands, each with TEXT on the command line ------------------------


def _single(runs: dict[str, Run], name: str) -> dict[str, Any]:
    run = runs[name]
    assert run.returncode == 0, run.stderr[-2000:]
    (reply,) = run.replies
    check_contract(reply)
    return reply


def test_done_when_demonstration_400k(runs: dict[str, Run]) -> None:
    reply = _single(runs, "done-demonstration")
    assert reply["intent"] == "subsidy"
    assert reply["locale"] == "zh_Hant_HK"
    assert reply["phase"] == "2013-extension"
    subsidy = reply["subsidy"]
    assert (subsidy["item"], subsidy["cost"]) == ("demonstration", 400000)
    assert (subsidy["government"], subsidy["factory"]) == (200000, 200000)
    assert "para 12(c)" in reply["citations"]
    assert "200,000" in reply["text"]


def test_done_when_shaoguan_in_2012(runs: dict[str, Run]) -> None:
    reply = _single(runs, "done-shaoguan")
    assert reply["phase"] == "2008-original"
    assert reply["eligibility"]["status"] == "not_eligible"
    assert reply["eligibility"]["place"]["city"] == "Shaoguan"
    assert "footnote 3" in reply["citations"]


def test_done_when_wuzhou_guangxi(runs: dict[str, Run]) -> None:
    reply = _single(runs, "done-wuzhou")
    assert reply["eligibility"]["status"] == "not_eligible"
    assert reply["eligibility"]["place"]["province"] == "Guangxi"
    assert reply["locale"] == "zh_Hans_CN"


def test_text_words_are_one_message(runs: dict[str, Run]) -> None:
    reply = _single(runs, "text-words")
    assert reply["subsidy"]["government"] == 25000  # "assessment fee 80k": capped


def test_empty_text_argument_is_answered(runs: dict[str, Run]) -> None:
    reply = _single(runs, "text-empty")
    assert reply["eligibility"] is None and reply["subsidy"] is None


# --- options and the environment ----------------------------------------------------------------


def test_without_json_one_plain_line_per_message(runs: dict[str, Run]) -> None:
    run = runs["plain"]
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.split("\n")
    assert lines[-1] == ""
    assert len(lines[:-1]) == 3
    assert all(line.strip() for line in lines[:-1])
    assert "200,000" in lines[0]
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[0])


def test_rules_date_sets_the_default_day(runs: dict[str, Run]) -> None:
    (reply,) = runs["env-rules-date"].replies
    assert (reply["phase"], reply["eligibility"]["status"]) == ("2008-original", "not_eligible")


def test_date_option_beats_rules_date(runs: dict[str, Run]) -> None:
    (reply,) = runs["env-and-option"].replies
    assert (reply["phase"], reply["eligibility"]["status"]) == ("2013-extension", "eligible")


@pytest.mark.parametrize("name", ["bad-date-month", "bad-date-format"])
def test_invalid_date_is_an_argparse_error(runs: dict[str, Run], name: str) -> None:
    """Decided: a bad --date is a usage error (exit 2, the usage line and the expected
    format on stderr, nothing on stdout), not an answer: it is not message text."""
    run = runs[name]
    assert run.returncode == 2
    assert run.stdout == ""
    assert "usage:" in run.stderr
    assert "--date" in run.stderr and "YYYY-MM-DD" in run.stderr
    assert "Traceback" not in run.stderr


def test_invalid_lang_is_an_argparse_error(runs: dict[str, Run]) -> None:
    run = runs["bad-lang"]
    assert run.returncode == 2
    assert run.stdout == ""
    assert "--lang" in run.stderr
    assert "Traceback" not in run.stderr


def test_invalid_rules_date_is_a_clear_configuration_error(runs: dict[str, Run]) -> None:
    run = runs["bad-env-date"]
    assert run.returncode != 0
    assert run.stdout == ""
    assert "RULES_DATE" in run.stderr
    assert "Traceback" not in run.stderr


# --- any input text ---------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(len(EDGE_INPUTS)), ids=[repr(t[:24]) for t in EDGE_INPUTS])
def test_any_text_gets_an_object(runs: dict[str, Run], index: int) -> None:
    reply = _group_replies(runs, (None, None))[EDGE_START + index]
    check_contract(reply)
    text = EDGE_INPUTS[index]
    if text in ABSURD_INPUTS:
        assert reply["subsidy"] is None  # no estimate on an absurd amount
    if text in ("assessment costs 0", "評估費用 -50000"):
        assert reply["subsidy"] is None


# --- the reply speaks the reply's language ------------------------------------------------------

_TRADITIONAL_ONLY = "們這說個廠資評會費請們將與為來時間們點國門區縣"
_SIMPLIFIED_ONLY = "们这说个厂资评会费请将与为来时间点国门区县"


def _script_slips(reply: dict[str, Any], user_text: str) -> str:
    """Characters of the other script in the reply's own words (the user's text removed)."""
    text = reply["text"].replace(user_text, "")
    if reply["locale"] == "zh_Hant_HK":
        return "".join(ch for ch in text if ch in _SIMPLIFIED_ONLY)
    if reply["locale"] == "zh_Hans_CN":
        return "".join(ch for ch in text if ch in _TRADITIONAL_ONLY)
    return ""


def test_chinese_replies_keep_to_their_script(runs: dict[str, Run]) -> None:
    for key, texts in GROUPS.items():
        for text, reply in zip(texts, _group_replies(runs, key), strict=True):
            assert _script_slips(reply, text) == "", (text, reply["locale"], reply["text"][:300])


def test_subsidy_figures_in_the_text_match_the_object(runs: dict[str, Run]) -> None:
    for key in GROUPS:
        for reply in _group_replies(runs, key):
            subsidy = reply["subsidy"]
            if subsidy is None:
                continue
            for field in ("government", "factory"):
                if isinstance(subsidy[field], int) and not (
                    field == "factory" and subsidy["item"] == "verification"
                ):
                    assert f"{subsidy[field]:,}" in reply["text"], (field, reply["text"][:400])
