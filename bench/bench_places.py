"""Place finding per message, before and after, against str.casefold.

Run: python bench/bench_places.py [--rounds N] [--before REV]

"before" is the matcher of another revision (default: main), its bot/core/places.py and
knowledge/places/ read from git into a temporary folder and imported beside the current
one, so both run in this process on the same messages. Each call is timed on its own
(perf_counter_ns); the baseline, str.casefold on the same messages, makes the ratios
carry across machines. Messages are the everyday ones (bench_language's) plus the
near misses, romanisations and homonyms this matcher is for. Goal: p99 under 1 ms.
Times are the thread's CPU time (``--clock wall`` for elapsed time): on a machine shared
with other work, elapsed-time percentiles measure the neighbours more than the code.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_language import MESSAGES as EVERYDAY  # noqa: E402
from bot.core import places  # noqa: E402

GOAL_P99_US = 1000.0

PLACE_MESSAGES: tuple[str, ...] = (
    "factory in Dongguang",
    "我間廠喺太平",
    "廠喺Tung Kun",
    "Fu Mun",
    "Sun Wui",
    "Shengzhen",
    "Our plant is in Guangzou, is it covered?",
    "我間廠喺黃埔",
    "大埔",
    "我喺大埔有間噴油工場",
    "朝陽",
    "廠喺東官",
    "我们的工厂在广洲番禺",
    "Dōngguǎn Chang'an",
    "we have a factory at Shun Dak",
    "東莞同廣西都有廠",
    "唔喺廣東，喺廣西",
    "Factory located in Shenzhen Longhua district",
)


CLOCKS = {"cpu": time.thread_time_ns, "wall": time.perf_counter_ns}
_clock = CLOCKS["cpu"]


def _time_calls(func: Callable[[str], object], texts: Sequence[str]) -> list[float]:
    """Microseconds per call, one sample per text."""
    samples = []
    clock = _clock
    for text in texts:
        start = clock()
        func(text)
        samples.append((clock() - start) / 1000)
    return samples


def _percentile(samples: Sequence[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _load_before(rev: str, folder: Path) -> ModuleType | None:
    """The places module of `rev`, reading its own knowledge/places data; None without git."""

    def show(path: str) -> bytes:
        return subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, check=True
        ).stdout

    try:
        source = show("bot/core/places.py").decode("utf-8")
        data = folder / "knowledge" / "places"
        data.mkdir(parents=True)
        for name in ("places.json", "points.json", "countries.yaml"):
            (data / name).write_bytes(show(f"knowledge/places/{name}"))
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    source = source.replace(
        'DATA_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "places"',
        f"DATA_DIR = Path({str(data)!r})",
    )
    path = folder / "places_before.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location("places_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["places_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _row(name: str, samples: Sequence[float], base_p50: float) -> str:
    p50, p99 = _percentile(samples, 50), _percentile(samples, 99)
    return f"{name:<30}{p50:>10.1f}{p99:>10.1f}{p50 / base_p50:>11.1f}x{p99 / base_p50:>11.1f}x"


def run(rounds: int, rev: str) -> float:
    """Print the table; return the current matcher's p99 in microseconds."""
    messages = list(EVERYDAY + PLACE_MESSAGES)
    texts = messages * rounds
    with tempfile.TemporaryDirectory() as tmp:
        before = _load_before(rev, Path(tmp))
        funcs: list[tuple[str, Callable[[str], object]]] = [
            ("str.casefold (baseline)", str.casefold)
        ]
        if before is not None:
            funcs.append((f"find_place before ({rev})", before.find_place))
        funcs += [("find_place now", places.find_place), ("find_places now", places.find_places)]
        for _name, func in funcs:  # load the data and warm up code paths outside the timing
            _time_calls(func, messages)
        results = {name: _time_calls(func, texts) for name, func in funcs}
    base_p50 = _percentile(results["str.casefold (baseline)"], 50)
    clock = "CPU" if _clock is CLOCKS["cpu"] else "elapsed"
    print(f"{len(messages)} messages x {rounds} rounds = {len(texts)} calls each ({clock} time)")
    print(f"{'':<30}{'p50 µs':>10}{'p99 µs':>10}{'p50/base':>12}{'p99/base':>12}")
    for name, samples in results.items():
        print(_row(name, samples, base_p50))
    if before is None:
        print(f"(no 'before' row: git or revision {rev} not available)")
    now_p99 = _percentile(results["find_place now"], 99)
    verdict = "met" if now_p99 < GOAL_P99_US else "MISSED"
    print(f"goal: find_place under {GOAL_P99_US:.0f} µs per message at p99: {verdict}")
    return now_p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="passes over the messages")
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    args = parser.parse_args()
    global _clock
    _clock = CLOCKS[args.clock]
    run(args.rounds, args.before)


if __name__ == "__main__":
    main()
