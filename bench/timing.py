"""What every benchmark here measures with: the median wall time of one call, in µs."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any


def median_us(fn: Callable[[Any], Any], args: Iterable[Any]) -> float:
    """Call ``fn(arg)`` for each arg; the median of the single-call times, in microseconds."""
    samples = []
    for arg in args:
        started = time.perf_counter_ns()
        fn(arg)
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1000
