"""Cost of reply-locale detection and normalisation per message, against str.casefold.

Run: python bench/bench_language.py [--rounds N]

Each call is timed on its own (perf_counter_ns) so p99 means something; the baseline,
str.casefold on the same messages, runs in the same process so the ratios carry across
machines. normalise is timed twice: "warm" repeats messages, so the hk2s cache in
bot.core.textnorm answers; "cold" makes every message new, as a live chat does.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

from bot.core.language import default_synonyms, detect_locale, normalise

GOAL_DETECT_US = 50.0

MESSAGES: tuple[str, ...] = (
    "我間廠喺東莞厚街，做傢俬，想申請實地評估，得唔得？",
    "我们厂在清远，2014年可以申请示范项目吗？",
    "Our workshop in San Po Kong does car engine testing. Any funding?",
    "厂房在福建泉州，能参加吗",
    "示範項目預算七十萬，政府最多俾幾多？",
    "评估费三万块港币，我们自己要付多少",
    "assessment fee 80k, how much is covered",
    "印花廠廢水點樣回用？",
    "how to cut solvent use in a printing press",
    "我想同職員講",
    "联系你们的电话",
    "擴展計劃包唔包粵東粵西？",
    "我間factory喺Dongguan，可唔可以apply？",
    "ok",
    "👍",
    "你好",
    "有冇",
    "唔該晒！",
    "Our electroplatting fty has VOCs and NOx problems, what is the max subsidey?",
    "車房噴油有味，係咪要裝抽氣？我哋喺觀塘，間舖大概八百呎，有兩部噴油櫃同一部焗爐。",
    "我们是东莞长安的五金厂，做电镀和喷涂，想了解一下清洁生产伙伴计划的资助上限和申请流程。",
    "Can I talk to a real person about our boiler replacement project in Huizhou?",
    "123456",
    "鍋爐用蒸氣，有冇熱回收方案",
)


def _time_calls(func: Callable[[str], object], texts: Sequence[str]) -> list[float]:
    """Microseconds per call, one sample per text."""
    samples = []
    clock = time.perf_counter_ns
    for text in texts:
        start = clock()
        func(text)
        samples.append((clock() - start) / 1000)
    return samples


def _percentile(samples: Sequence[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _row(name: str, samples: Sequence[float], baseline_p50: float) -> str:
    p50, p99 = _percentile(samples, 50), _percentile(samples, 99)
    return f"{name:<28}{p50:>10.2f}{p99:>10.2f}{p50 / baseline_p50:>12.1f}x"


def run(rounds: int) -> float:
    """Print the table; return detect_locale's p99 in microseconds."""
    default_synonyms()  # load the table outside the timing
    repeated = list(MESSAGES) * rounds
    # A trailing counter makes each message new to the hk2s cache without changing its words.
    fresh = [f"{text} #{i}" for i, text in enumerate(repeated)]
    for func in (str.casefold, detect_locale, normalise):  # warm up code paths
        _time_calls(func, MESSAGES)

    baseline = _time_calls(str.casefold, repeated)
    detect = _time_calls(detect_locale, repeated)
    warm = _time_calls(normalise, repeated)
    cold = _time_calls(normalise, fresh)

    baseline_p50 = _percentile(baseline, 50)
    print(f"{len(MESSAGES)} messages x {rounds} rounds = {len(repeated)} calls each")
    print(f"{'':<28}{'p50 µs':>10}{'p99 µs':>10}{'p50/base':>13}")
    print(_row("str.casefold (baseline)", baseline, baseline_p50))
    print(_row("detect_locale", detect, baseline_p50))
    print(_row("normalise (warm cache)", warm, baseline_p50))
    print(_row("normalise (new messages)", cold, baseline_p50))
    detect_p99 = _percentile(detect, 99)
    verdict = "met" if detect_p99 < GOAL_DETECT_US else "MISSED"
    print(f"goal: detect_locale under {GOAL_DETECT_US:.0f} µs per message at p99: {verdict}")
    return detect_p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="passes over the messages")
    args = parser.parse_args()
    run(args.rounds)


if __name__ == "__main__":
    main()
