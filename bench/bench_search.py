"""Search latency at 1x and 50x the knowledge, against a plain one-token FTS5 query.

    python bench/bench_search.py [--copies 50] [--rounds 5] [--knowledge knowledge]

The 50x index holds synthetic copies of every unit (same text, perturbed ids), so every
posting list is 50 times longer. The queries are those of tests/cases/search_queries.yaml
plus a few hostile inputs. The baseline runs in the same process on the same connection:
`SELECT rowid ... MATCH '"<one token>"' LIMIT 5`, the least any FTS5 search can cost.
Goal: search p99 under 5 ms at 50x.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.guides import SearchUnit, load_knowledge  # noqa: E402
from bot.core.search import FTS_TABLE, SearchIndex, knowledge_hash, write_index  # noqa: E402

CASES = REPO / "tests" / "cases" / "search_queries.yaml"
HOSTILE = ['"', "NEAR(a b", "* OR -x", "a" * 4096, "😀😀😀", "\x00\x07", ""]
GOAL_P99_MS = 5.0


def synthetic_copies(units: Sequence[SearchUnit], copies: int) -> list[SearchUnit]:
    """`copies` copies of every unit; copy 0 keeps the real id."""
    return [
        dataclasses.replace(unit, doc_id=unit.doc_id if n == 0 else f"{unit.doc_id}~copy{n}")
        for n in range(copies)
        for unit in units
    ]


def load_queries() -> list[tuple[str, str]]:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8")) if CASES.exists() else []
    queries = [(case["query"], case["locale"]) for case in cases]
    return queries + [(text, "en") for text in HOSTILE]


def percentiles(samples_ns: list[int]) -> tuple[float, float]:
    ms = sorted(s / 1e6 for s in samples_ns)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return statistics.median(ms), p99


def time_calls(calls: Sequence[Callable[[], object]], rounds: int) -> tuple[list[int], list[int]]:
    """Wall-clock and CPU (this thread) nanoseconds per call. CPU time leaves out the time
    other processes took the core, which on a shared 2-core machine dominates wall p99."""
    for call in calls:  # warm caches (OpenCC, page cache, lru caches)
        call()
    wall, cpu = [], []
    for _ in range(rounds):
        for call in calls:
            start_wall, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
            call()
            cpu.append(time.thread_time_ns() - start_cpu)
            wall.append(time.perf_counter_ns() - start_wall)
    return wall, cpu


def bench(db_path: Path, queries: list[tuple[str, str]], rounds: int) -> dict[str, float]:
    index = SearchIndex(db_path)
    conn = index._conn  # the same connection the searches use
    assert conn is not None
    baseline_tokens = [t for t in ("节能", "voc", "废水", "compress") if t in index._vocabulary]
    baseline_sql = f"SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH ? LIMIT 5"
    search_calls = [(lambda q=q, loc=loc: index.search(q, loc, limit=5)) for q, loc in queries]
    baseline_calls = [
        (lambda t=t: conn.execute(baseline_sql, (f'"{t}"',)).fetchall()) for t in baseline_tokens
    ]
    search_wall, search_cpu = time_calls(search_calls, rounds)
    base_wall, base_cpu = time_calls(baseline_calls, rounds * 20)
    index.close()
    result: dict[str, float] = {"units": index.unit_count}
    for name, samples in [("wall", search_wall), ("cpu", search_cpu)]:
        result[f"{name}_p50"], result[f"{name}_p99"] = percentiles(samples)
    for name, samples in [("base_wall", base_wall), ("base_cpu", base_cpu)]:
        result[f"{name}_p50"], result[f"{name}_p99"] = percentiles(samples)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    args = parser.parse_args(argv)

    units = load_knowledge(args.knowledge).units()
    queries = load_queries()
    digest = knowledge_hash(args.knowledge)
    print(f"{len(units)} units, {len(queries)} queries x {args.rounds} rounds (milliseconds)")
    header = [
        "size",
        "units",
        "clock",
        "p50",
        "p99",
        "base p50",
        "base p99",
        "p50/base",
        "p99/base",
    ]
    print("".join(f"{h:>10}" for h in header))
    cpu_p99_at_max = wall_p99_at_max = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for copies in (1, args.copies):
            db_path = Path(tmp) / f"kb-{copies}.sqlite3"
            write_index(db_path, synthetic_copies(units, copies), digest, args.knowledge)
            r = bench(db_path, queries, args.rounds)
            for clock in ("wall", "cpu"):
                p50, p99 = r[f"{clock}_p50"], r[f"{clock}_p99"]
                b50, b99 = r[f"base_{clock}_p50"], r[f"base_{clock}_p99"]
                row = [f"{copies}x", f"{r['units']:.0f}", clock, f"{p50:.3f}", f"{p99:.3f}"]
                row += [f"{b50:.3f}", f"{b99:.3f}", f"{p50 / b50:.0f}", f"{p99 / b99:.0f}"]
                print("".join(f"{cell:>10}" for cell in row))
            cpu_p99_at_max, wall_p99_at_max = r["cpu_p99"], r["wall_p99"]
    verdict = "meets" if cpu_p99_at_max < GOAL_P99_MS else "MISSES"
    print(
        f"p99 at {args.copies}x: {cpu_p99_at_max:.3f} ms CPU ({wall_p99_at_max:.3f} ms wall, "
        f"with whatever else the machine ran) — {verdict} the {GOAL_P99_MS} ms goal"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
