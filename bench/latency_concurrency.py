"""50 concurrent calls delayed by a latency rule finish in about one delay.

One waitress server as ``martech-emulator serve`` runs it (16 worker threads by default) gets
a latency rule of DELAY seconds on the demo Copernica account. Each round fires CALLS
concurrent ``GET /v3/profile/1`` and measures the wall time until the last answer:

* baseline: the same calls with no rule (the cost of 50 concurrent calls by themselves);
* delayed: with the rule; ideal is one DELAY plus the baseline;
* delayed, no stand-in threads: the same with the hook's thread lending switched off, to show
  what a sleeping worker would cost (CALLS / threads rounds of DELAY).

Prints the median of each over the rounds, and the ratios wall/DELAY.

Usage: python bench/latency_concurrency.py [--delay 0.5] [--calls 50] [--threads 16] [--rounds 5]
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import statistics
import threading
import time

import requests
from waitress.server import create_server

from emulator import create_app
from emulator.realism import hook

TOKEN = "access_token=demo-copernica-token"


def wall_time(url: str, calls: int) -> float:
    barrier = threading.Barrier(calls + 1)
    statuses: list[int] = []
    lock = threading.Lock()

    def call() -> None:
        with requests.Session() as session:
            barrier.wait()
            status = session.get(url, timeout=60).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=call) for _ in range(calls)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert statuses == [200] * calls, statuses
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queue-depth warnings are the point

    app = create_app()
    server = create_server(app, host="127.0.0.1", port=0, threads=args.threads)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    url = f"{base}/v3/profile/1?{TOKEN}"
    rule = {"vendor": "copernica", "tenant": "Demo Company", "latency": {"fixed": args.delay}}
    lend = hook.stand_in_thread

    results: dict[str, list[float]] = {"baseline": [], "delayed": [], "delayed, no stand-in threads": []}
    for _ in range(args.rounds):
        requests.delete(f"{base}/_emulator/faults")
        results["baseline"].append(wall_time(url, args.calls))
        assert requests.post(f"{base}/_emulator/faults", json=rule).status_code == 201
        results["delayed"].append(wall_time(url, args.calls))
        hook.stand_in_thread = lambda environ: contextlib.nullcontext()
        try:
            results["delayed, no stand-in threads"].append(wall_time(url, args.calls))
        finally:
            hook.stand_in_thread = lend
    server.close()

    print(f"{args.calls} concurrent calls, latency rule {args.delay} s, waitress --threads {args.threads}, "
          f"median of {args.rounds} rounds")
    baseline = statistics.median(results["baseline"])
    for name, times in results.items():
        median = statistics.median(times)
        print(f"  {name:<30} {median:7.3f} s   = {median / args.delay:5.2f} × delay"
              f"   ({median / baseline:6.1f} × baseline)")


if __name__ == "__main__":
    main()
