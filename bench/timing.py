"""What every benchmark here measures with: the median wall time of one call, in µs."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any


def median_us(fn: Callable[[Any], Any], args: Iterable[Any],
              clock: Callable[[], int] = time.perf_counter_ns) -> float:
    """Call ``fn(arg)`` for each arg; the median of the single-call times, in microseconds.

    ``clock``: wall time by default; ``time.thread_time_ns`` counts only the CPU time of the
    calling thread, which other processes on a shared machine do not inflate (for calls that
    never wait on another thread or the network)."""
    samples = []
    for arg in args:
        started = clock()
        fn(arg)
        samples.append(clock() - started)
    return statistics.median(samples) / 1000


def median_call_us(call: Callable[[], Any], calls: int, warmup: int = 20,
                   clock: Callable[[], int] = time.perf_counter_ns) -> float:
    """``median_us`` of a call that takes no argument, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    return median_us(lambda _: call(), range(calls), clock)


def scaling_table(description: str, measure: Callable[[int, int], dict[str, float]],
                  default_ops: int) -> tuple[list[int], dict[int, dict[str, float]]]:
    """Parse ``--sizes``/``--ops``, run ``measure(size, ops)`` for each size, and print each
    figure's median (µs) with its ratio to the smallest size. Returns (sizes, results)."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--ops", type=int, default=default_ops)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: measure(size, args.ops) for size in sizes}
    base = results[sizes[0]]
    width = max(12, *(len(n) + 4 for n in base))
    print(f"{'profiles':>9} " + " ".join(f"{n + ' µs':>{width}} {'×':>6}" for n in base))
    for size in sizes:
        print(f"{size:>9} " + " ".join(f"{results[size][n]:>{width}.1f} {results[size][n] / base[n]:>6.2f}"
                                       for n in base))
    return sizes, results
