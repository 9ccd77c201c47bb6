"""What the emulator costs a test suite: server start, per-test reset, one call.

    python bench/fixture_overhead.py [--quick]

Prints medians and ratios against baselines measured in the same run:
- thread-server start: ``ThreadServer`` around a demo app (app creation included, imports not)
  against waitress serving a one-line WSGI app;
- per-test reset (what the ``emulator`` fixture does before each test) at demo size and at
  10,000 Copernica profiles, against seeding the same fixtures again through the vendors;
- one ``GET /v3/profile/1`` through interception of ``https://api.copernica.com`` against the same
  call over loopback to the in-thread server (keep-alive session, and a new connection each time),
  and against Flask's test client (the in-process floor).
"""
from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
from waitress.server import create_server

from emulator import create_app, seeding
from emulator.settings import Settings
from emulator.testing import EmulatorHandle, ThreadServer

TOKEN = "access_token=demo-copernica-token"


def median_ms(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def row(label: str, ms: float, baseline: float | None = None, base_label: str = "") -> None:
    ratio = f"{ms / baseline:10.3g}×  {base_label}" if baseline else ""
    print(f"  {label:<58} {ms:10.3f} ms  {ratio}")


def bench_server_start(repeat: int) -> None:
    print("thread-server start (median of %d)" % repeat)

    def hello(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    def bare() -> None:
        server = create_server(hello, host="127.0.0.1", port=0)
        server.close()
        server.task_dispatcher.shutdown()

    started: list[ThreadServer] = []
    apps = [create_app(Settings(), load_fixtures=False) for _ in range(repeat)]
    base = median_ms(bare, repeat)
    around_app = median_ms(lambda: started.append(ThreadServer(apps[len(started)])), repeat)
    for server in started:
        server.stop()
    app_only = median_ms(lambda: create_app(Settings(), load_fixtures=False), repeat)

    def session_start() -> None:  # what the plugin does once per session (per xdist worker)
        server = ThreadServer(create_app(Settings(), load_fixtures=False))
        EmulatorHandle(server.app, server.url, seeding.demo_fixtures()).reset()
        requests.get(f"{server.url}/_emulator/health", timeout=10)
        started.append(server)

    started.clear()
    whole = median_ms(session_start, repeat)
    for server in started:
        server.stop()
    row("waitress + one-line WSGI app, listening (baseline)", base)
    row("ThreadServer around a made app, listening", around_app, base, "baseline")
    row("create_app() alone (Flask compiles the URL rules)", app_only, base, "baseline")
    row("session start: app + server + demo seed + first answer", whole, base, "baseline")
    print(f"  server within the 50 ms budget: {'yes' if around_app <= 50.0 else 'NO'}; "
          f"with app creation and seeding: {'yes' if whole <= 50.0 else 'NO'}")


def big_fixtures(profiles: int) -> dict:
    document = seeding.demo_fixtures()
    database = document["copernica"]["accounts"][0]["databases"][0]
    database["profiles"] = [
        {"ID": str(i), "fields": {"firstname": f"First{i}", "lastname": f"Last{i}", "email": f"p{i}@example.com",
                                  "customerid": str(100000 + i), "country": "netherlands",
                                  "birthdate": "1980-01-01", "lastvisit": "2026-01-01 10:00:00",
                                  "optin_date": "2025-05-05", "lastorder": "2026-02-02 12:00:00"},
         "interests": ["football"]}
        for i in range(1, profiles + 1)]
    return document


def bench_reset(repeat: int, profiles: int) -> None:
    print(f"per-test reset (the emulator fixture; median of {repeat})")
    demo = EmulatorHandle.in_process()
    demo_reset = median_ms(demo.reset, repeat)
    fixtures = seeding.demo_fixtures()
    reseed = median_ms(lambda: seeding.apply(demo.emulator, copy.deepcopy(fixtures)), max(5, repeat // 10),
                       setup=lambda: demo.emulator.reset())
    row("demo size: re-seed through the vendors (baseline)", reseed)
    row("demo size: reset (store snapshot restore)", demo_reset, reseed, "baseline")
    print(f"  within budget (2 ms): {'yes' if demo_reset <= 2.0 else 'NO'}")
    demo.close()

    document = big_fixtures(profiles)
    start = time.perf_counter()
    big = EmulatorHandle.in_process(document)  # seeds once, through the vendors
    first_seed = (time.perf_counter() - start) * 1000
    big_reset = median_ms(big.reset, repeat)
    count = big.emulator.store.count("copernica", "Demo Company", "profiles")
    row(f"{count:,} profiles: first seed through the vendors (baseline)", first_seed)
    row(f"{count:,} profiles: reset (store snapshot restore)", big_reset, first_seed, "baseline")
    row(f"{count:,} profiles: reset vs demo-size reset", big_reset, demo_reset, "demo-size reset")
    big.close()


def bench_call(repeat: int) -> None:
    print(f"one GET /v3/profile/1 (median of {repeat})")
    server = ThreadServer(create_app(Settings()))
    handle = EmulatorHandle(server.app, server.url, None)
    client = server.app.test_client()
    session = requests.Session()
    url = f"{server.url}/v3/profile/1?{TOKEN}"
    for _ in range(20):  # warm up every path
        session.get(url)
        client.get(f"/v3/profile/1?{TOKEN}")
    flask_ms = median_ms(lambda: client.get(f"/v3/profile/1?{TOKEN}"), repeat)
    keepalive = median_ms(lambda: session.get(url), repeat)
    fresh = median_ms(lambda: requests.get(url), repeat)
    with handle.intercept():
        real = requests.Session()
        real_url = f"https://api.copernica.com/v3/profile/1?{TOKEN}"
        for _ in range(20):
            real.get(real_url)
        intercepted = median_ms(lambda: real.get(real_url), repeat)
        import httpx

        with httpx.Client() as hx:
            for _ in range(20):
                hx.get(real_url)
            intercepted_httpx = median_ms(lambda: hx.get(real_url), repeat)
    row("loopback, requests.Session keep-alive (baseline)", keepalive)
    row("loopback, requests.get new connection", fresh, keepalive, "baseline")
    row("intercepted https://api.copernica.com, requests", intercepted, keepalive, "baseline")
    row("intercepted https://api.copernica.com, httpx.Client", intercepted_httpx, keepalive, "baseline")
    row("Flask test client (in-process floor)", flask_ms, keepalive, "baseline")
    server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 1,000 profiles")
    args = parser.parse_args()
    quick = args.quick
    bench_server_start(10 if quick else 30)
    bench_reset(50 if quick else 200, 1000 if quick else 10000)
    bench_call(100 if quick else 500)


if __name__ == "__main__":
    main()
