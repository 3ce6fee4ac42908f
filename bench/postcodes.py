"""Benchmark postcode lookups: warm per-lookup time and the first lookup in a fresh process.

Run: .venv/bin/python bench/postcodes.py [--index PATH]
Prints figures for people, then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from surgery.geo import PostcodeIndex, ensure_index  # noqa: E402

WARM_TARGET_US = 20.0
FIRST_TARGET_S = 0.5

# Timed inside the child from before the import to after the lookup, so interpreter
# start-up is excluded; the parent's wall-clock time is reported alongside.
CHILD = """
import time
start = time.perf_counter()
import resource, sys
from surgery.geo import PostcodeIndex
PostcodeIndex(sys.argv[1]).locate(sys.argv[2])
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def parse_args() -> argparse.Namespace:
    """Return the command-line options."""
    default = os.environ.get("GEO_INDEX_PATH") or REPO / ".cache" / "postcodes.sqlite3"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path(default), help="index file")
    parser.add_argument("--count", type=int, default=20_000, help="postcodes to draw")
    parser.add_argument("--repeats", type=int, default=5, help="warm passes over them")
    parser.add_argument("--fresh", type=int, default=5, help="fresh processes to start")
    parser.add_argument("--seed", type=int, default=20_240_601)
    return parser.parse_args()


def ensure(path: Path) -> float | None:
    """Build the index if needed; return the build time in seconds, or None if it existed."""
    before = path.stat().st_ino if path.exists() else None
    start = time.perf_counter()
    ensure_index(path)
    elapsed = time.perf_counter() - start
    return None if path.stat().st_ino == before else elapsed


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which the given fraction of values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def warm_lookups(index: PostcodeIndex, postcodes: list[str], repeats: int) -> list[float]:
    """Return the time of every lookup in microseconds, after one untimed warm-up pass."""
    locate, clock = index.locate, time.perf_counter_ns
    for text in postcodes:
        locate(text)
    times = []
    for _ in range(repeats):
        for text in postcodes:
            start = clock()
            locate(text)
            times.append((clock() - start) / 1000)
    return times


def fresh_lookup(path: Path, postcode: str) -> tuple[float, float, float]:
    """Return (in-process seconds, wall seconds, peak RSS MB) of a lookup in a new process."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), postcode],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=env,
    )
    wall = time.perf_counter() - start
    elapsed, rss_kb = out.stdout.split()
    return float(elapsed), wall, int(rss_kb) / 1024


def main() -> None:
    """Run the benchmark and print the results."""
    args = parse_args()
    build_s = ensure(args.index)
    index = PostcodeIndex(args.index)
    postcodes = index.random_postcodes(args.count, seed=args.seed)
    warm = warm_lookups(index, postcodes, args.repeats)
    fresh = [fresh_lookup(args.index, text) for text in postcodes[: args.fresh]]
    firsts, walls, rss = zip(*fresh, strict=True)
    result = {
        "warm_lookup_us": round(statistics.median(warm), 2),
        "warm_lookup_p99_us": round(percentile(warm, 0.99), 2),
        "warm_lookup_mean_us": round(statistics.fmean(warm), 2),
        "first_lookup_s": round(statistics.median(firsts), 4),
        "first_lookup_max_s": round(max(firsts), 4),
        "first_lookup_wall_s": round(statistics.median(walls), 4),
        "rss_mb": round(max(rss), 1),
        "index_mb": round(args.index.stat().st_size / 1024**2, 1),
        "build_s": None if build_s is None else round(build_s, 2),
        "postcodes": len(postcodes),
        "lookups": len(warm),
    }
    report(result)
    print(json.dumps(result))


def report(r: dict[str, float | int | None]) -> None:
    """Print the figures for people, with the targets they are judged against."""
    built = "already existed" if r["build_s"] is None else f"built in {r['build_s']} s"
    print(f"Index: {r['index_mb']} MB, {built}")
    print(f"Warm lookup over {r['lookups']:,} lookups of {r['postcodes']:,} random postcodes:")
    print(
        f"  median {r['warm_lookup_us']} µs, p99 {r['warm_lookup_p99_us']} µs, "
        f"mean {r['warm_lookup_mean_us']} µs (target ≤ {WARM_TARGET_US} µs)"
    )
    print("First lookup in a fresh process (import + open + lookup):")
    print(
        f"  median {r['first_lookup_s']} s, max {r['first_lookup_max_s']} s "
        f"(target ≤ {FIRST_TARGET_S} s); wall incl. interpreter start {r['first_lookup_wall_s']} s"
    )
    print(f"  peak RSS of that process: {r['rss_mb']} MB")


if __name__ == "__main__":
    main()
