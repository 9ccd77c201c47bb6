"""What each layer of the request path costs: werkzeug and Flask, the journal, the change
history, the realism hook, and the vendor's own work.

Each variant is a fresh app (demo fixtures) called straight through WSGI (no socket, no test
client: the driver itself costs about a microsecond), and each is measured in several
interleaved rounds:

* a one-line WSGI callable (the driver's floor), a bare Flask app with one route (werkzeug and
  Flask), and the same bare route added to the emulator's app (its middleware and hooks, which
  return early on non-vendor paths);
* ``GET /v3/profile/1`` and the documented ``PUT database/1/profiles?fields[]=customerid==4567``
  with everything on (the defaults), then with the journal off (``journal_size=0``), the change
  history off (``history_size=0``), the realism hook left out, and all three off.

Prints the median µs of each and its ratio to the bare Flask app; a layer's cost is the
difference between "all on" and the row without it, given as the difference of the medians and
as each round's own difference (the two rows of a round are measured one after the other, so a
round's difference is less moved by the load of a shared machine).

``--clock cpu`` times with the thread's CPU time instead of wall time: on a shared machine the
wall time of a call also counts the time other processes held the core.

Usage: python bench/request_path.py [--calls 2000] [--rounds 3] [--clock wall|cpu]
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.test import EnvironBuilder

from emulator.app import create_app
from emulator.settings import Settings
from timing import median_call_us

TOKEN = "access_token=demo-copernica-token"
PUT_BODY = json.dumps({"fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"},
                       "interests": {"football": 1, "baseball": 0}}).encode()
REQUESTS = {
    "GET": ("GET", "/v3/profile/1", TOKEN, b""),
    "PUT": ("PUT", "/v3/database/1/profiles", f"{TOKEN}&fields%5B0%5D=customerid%3D%3D4567&create=0", PUT_BODY),
}


def environ_for(method: str, path: str, query: str, body: bytes) -> dict[str, Any]:
    builder = EnvironBuilder(path=path, method=method, query_string=query, data=body,
                             content_type="application/json" if body else None,
                             base_url="http://127.0.0.1:8080")
    environ = builder.get_environ()
    environ["wsgi.input"] = None
    return environ


def caller(app: Callable, environ: dict[str, Any], body: bytes) -> Callable[[], None]:
    def start_response(status: str, headers: list, exc_info: Any = None) -> None:
        if not status.startswith("2"):
            raise AssertionError(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}: {status}")

    def call() -> None:
        env = dict(environ)
        env["wsgi.input"] = io.BytesIO(body)
        result = app(env, start_response)
        for _ in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return call


def emulator_app(realism: bool = True, **settings: Any) -> Flask:
    app = create_app(Settings(**settings))
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    if not realism:  # leave the realism hook's functions out, as if it were never registered
        for funcs in (app.before_request_funcs, app.after_request_funcs):
            for key, hooks in funcs.items():
                funcs[key] = [f for f in hooks if f.__module__ != "emulator.realism.hook"]
    return app


def variants() -> dict[str, Callable[[], None]]:
    def one_line(environ: dict, start_response: Callable) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    bare = Flask("bare")
    bare.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    out = {
        "one-line WSGI callable (driver floor)": caller(one_line, environ_for("GET", "/bench/bare", "", b""), b""),
        "bare Flask app, one route (baseline)": caller(bare, environ_for("GET", "/bench/bare", "", b""), b""),
        "bare route on the emulator's app": caller(emulator_app(), environ_for("GET", "/bench/bare", "", b""), b""),
    }
    apps = {
        "all on": emulator_app(),
        "journal off": emulator_app(journal_size=0),
        "history off": emulator_app(history_size=0),
        "realism hook left out": emulator_app(realism=False),
        "all three off": emulator_app(realism=False, journal_size=0, history_size=0),
    }
    for label, (method, path, query, body) in REQUESTS.items():
        for name, app in apps.items():
            out[f"{label}, {name}"] = caller(app, environ_for(method, path, query, body), body)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    clock = time.perf_counter_ns if args.clock == "wall" else time.thread_time_ns
    calls = variants()
    results: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(args.rounds):
        for name, call in calls.items():
            results[name].append(median_call_us(call, args.calls, warmup=50, clock=clock))
    base = statistics.median(results["bare Flask app, one route (baseline)"])
    print(f"median µs per call ({args.clock} time) over {args.rounds} rounds of {args.calls} calls "
          f"(each round's median), ratio to the bare Flask app")
    print(f"{'':<44} {'µs':>8} {'×':>6}   rounds")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:<44} {median:>8.1f} {median / base:>6.2f}   {', '.join(f'{v:.1f}' for v in values)}")
    for label in REQUESTS:
        full = results[f"{label}, all on"]
        parts = []
        for what, name in (("journal", "journal off"), ("history", "history off"),
                           ("realism hook", "realism hook left out")):
            without = results[f"{label}, {name}"]
            rounds = ", ".join(f"{a - b:.1f}" for a, b in zip(full, without, strict=True))
            parts.append(f"{what} {statistics.median(full) - statistics.median(without):.1f} µs (rounds: {rounds})")
        print(f"{label}: cost of each layer (all on minus without it): {'; '.join(parts)}")


if __name__ == "__main__":
    main()
