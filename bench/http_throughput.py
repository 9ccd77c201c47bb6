"""Requests/s over HTTP of Copernica's GET profile and documented PUT, and of an Adobe Target
delivery call, each against a bare Flask route that does the same exchange.

One server, wired as ``martech-emulator serve`` wires it (``emulator.serving.make_server``: same
waitress adjustments, same threads), serves the emulator's app and, under ``/bench/``, a bare
Flask app (same ``MAX_CONTENT_LENGTH``). Each emulator call has a bare twin there that takes the
same request (method, body, Content-Type, query string) and reads its body as the emulator
does (``get_data`` and a JSON parse), and answers what the emulator answered (status,
Content-Type, body bytes, taken from one call to the emulator at start): the only difference
left is the emulator's own work. Both are loaded by the same client with the same keep-alive
(checked at start: two requests on one connection), in rounds where the two take turns (which
goes first alternates), and each round's ratio is emulator / twin. The deferred work of
``async=1`` is drained after its run and before the twin's, so it never runs during another
measurement (its throughput is the rate of acknowledged PUTs while the worker applies them).

Besides requests/s, the server's CPU time per request (this process's, the client being
another): on a shared machine it moves much less than the rates do. ``--plain-waitress``
serves with ``waitress.create_server`` as ``serve`` did before ``emulator.serving`` (it closed
the connection after every 204), to measure what that wiring costs.

The load comes from ``wrk`` when installed (``apt-get install wrk``), else from a thread pool of
``requests``. Database 1 holds ``--profiles`` more profiles (1,000 by default), so the documented
PUT's selection runs at that size. ``--connections 1,8``: a sequential client (one connection),
then eight.

Usage: python bench/http_throughput.py [--seconds 3] [--rounds 5] [--connections 1,8] [--profiles 1000]
"""
from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests
from flask import Flask, Response, request
from waitress.server import create_server

from bigdata import demo_with_profiles
from emulator import create_app, seeding
from emulator.serving import make_server
from emulator.settings import Settings

TOKEN = "access_token=demo-copernica-token"
SELECTION = "fields%5B0%5D=customerid%3D%3D4567"


@dataclass
class Call:
    method: str
    path: str
    body: Any = None

    @property
    def data(self) -> bytes | None:
        return None if self.body is None else json.dumps(self.body).encode()


PUT_BODY = {"fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"},
            "interests": {"football": 1, "baseball": 0}}
CALLS = {
    "GET /v3/profile/1": Call("GET", f"/v3/profile/1?{TOKEN}"),
    "documented PUT (async=1)": Call("PUT", f"/v3/database/1/profiles?{TOKEN}&{SELECTION}&async=1&create=0", PUT_BODY),
    "documented PUT, applied at once": Call("PUT", f"/v3/database/1/profiles?{TOKEN}&{SELECTION}&create=0", PUT_BODY),
    "Target delivery, known visitor": Call(
        "POST", "/rest/v1/delivery?client=demo&sessionId=bench",
        {"id": {"tntId": "1368007744041-575948.01_00"}, "context": {"channel": "web"},
         "execute": {"pageLoad": {"profileParameters": {"favouriteGenre": "jazz"}},
                     "mboxes": [{"index": 0, "name": "homepage"}]}}),
}


def bare_app(settings: Settings) -> tuple[Flask, dict[str, tuple[int, str, bytes]]]:
    """A Flask app with one route that answers each twin with what it is told to."""
    app = Flask("bare")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    answers: dict[str, tuple[int, str, bytes]] = {}

    @app.route("/bench/<int:twin>", methods=["GET", "PUT", "POST"])
    def bare(twin: int) -> Response:
        raw = request.get_data(cache=True)  # the body read as Copernica's read_body reads it
        if raw.strip():
            json.loads(raw)
        status, content_type, body = answers[str(twin)]
        return Response(body, status=status, content_type=content_type or None)

    return app, answers


def start_server(threads: int, profiles: int, plain: bool = False) -> tuple[Flask, Any, str, dict[str, Call]]:
    settings = Settings(demo=False)
    app = create_app(settings)
    seeding.apply(app.extensions["emulator"], demo_with_profiles(profiles))
    bare, answers = bare_app(settings)

    def both(environ: dict[str, Any], start_response: Any) -> Any:
        target = bare if environ.get("PATH_INFO", "").startswith("/bench/") else app
        return target(environ, start_response)

    if plain:  # serve's wiring before emulator.serving: waitress's own task, which closes after a 204
        server = create_server(both, host="127.0.0.1", port=0, threads=threads, ident="martech-emulator",
                               connection_limit=settings.connection_limit + 2, asyncore_use_poll=True)
    else:
        server = make_server(both, threads=threads, connection_limit=settings.connection_limit)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    twins = {}
    for i, (name, call) in enumerate(CALLS.items()):
        reply = requests.request(call.method, base + call.path, data=call.data,
                                 headers={"Content-Type": "application/json"} if call.data else {})
        assert reply.status_code < 300, f"{name}: {reply.status_code} {reply.text}"
        answers[str(i)] = (reply.status_code, reply.headers.get("Content-Type", ""), reply.content)
        # the same query string, which waitress parses (werkzeug decodes it only when asked)
        twins[name] = Call(call.method, f"/bench/{i}?{call.path.partition('?')[2]}", call.body)
    requests.post(f"{base}/_emulator/drain", timeout=120)
    return app, server, base, twins


def cpu_seconds() -> float:
    """CPU time of this process (the server's threads; the client is another process)."""
    times = os.times()
    return times.user + times.system


def keeps_alive(base: str, call: Call) -> bool:
    """Whether two requests go over one connection (the server did not close it after the first)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for _ in range(2):
            connection.request(call.method, call.path, body=call.data,
                               headers={"Content-Type": "application/json"} if call.data else {})
            reply = connection.getresponse()
            reply.read()
            if reply.will_close:
                return False
        return True
    finally:
        connection.close()


def wrk_rps(url: str, call: Call, seconds: float, connections: int) -> float:
    script = None
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    if call.body is not None or call.method != "GET":
        fd, script = tempfile.mkstemp(suffix=".lua")
        with os.fdopen(fd, "w") as fh:
            fh.write(f'wrk.method = "{call.method}"\n')
            if call.data is not None:
                fh.write(f'wrk.body = {json.dumps(call.data.decode())}\n'
                         'wrk.headers["Content-Type"] = "application/json"\n')
        command += ["-s", script]
    try:
        out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    finally:
        if script:
            os.unlink(script)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    broken = re.search(r"Socket errors: (.*)", out)
    if broken:
        raise RuntimeError(f"{url}: socket errors: {broken.group(1)}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def python_rps(url: str, call: Call, seconds: float, connections: int) -> float:
    deadline = time.perf_counter() + seconds
    headers = {"Content-Type": "application/json"} if call.data else {}

    def worker() -> int:
        done = 0
        with requests.Session() as session:
            while time.perf_counter() < deadline:
                reply = session.request(call.method, url, data=call.data, headers=headers)
                assert reply.status_code < 300, reply.text
                done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        total = sum(pool.map(lambda _: worker(), range(connections)))
    return total / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", default="1,8", help="comma-separated; each is a separate run")
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=16, help="waitress threads, as serve's default")
    parser.add_argument("--only", help="run only the calls whose name contains this")
    parser.add_argument("--plain-waitress", action="store_true",
                        help="waitress.create_server as serve used it before emulator.serving (for comparison)")
    args = parser.parse_args()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app, server, base, twins = start_server(args.threads, args.profiles, args.plain_waitress)
    calls = {name: call for name, call in CALLS.items() if not args.only or args.only in name}
    load = wrk_rps if shutil.which("wrk") else python_rps

    def drain() -> None:
        requests.post(f"{base}/_emulator/drain", timeout=120)

    wiring = "waitress.create_server, as serve before" if args.plain_waitress else "emulator.serving, as serve"
    print(f"server {base} ({wiring}), waitress threads={args.threads}, "
          f"{args.profiles:,} more profiles in database 1, load: {load.__name__.split('_')[0]}, "
          f"{args.rounds} rounds × {args.seconds}s per call and twin")
    for name, call in calls.items():
        alive = keeps_alive(base, call), keeps_alive(base, twins[name])
        print(f"  keep-alive: {name}: {'yes' if alive[0] else 'NO'}; its bare twin: {'yes' if alive[1] else 'NO'}")
        drain()
    for connections in (int(c) for c in args.connections.split(",")):
        print(f"\n{connections} connection(s)")
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in calls}
        cpu_us: dict[str, dict[str, list[float]]] = {name: {"emulator": [], "bare": []} for name in calls}
        for r in range(args.rounds):
            for name, call in calls.items():
                cpu = cpu_us[name]
                pair = [(call, "emulator"), (twins[name], "bare")]
                measured = {}
                for c, who in pair if r % 2 == 0 else reversed(pair):
                    before = cpu_seconds()
                    measured[who] = load(base + c.path, c, args.seconds, connections)
                    drain()  # async work must not run into the next measurement (its CPU counts)
                    cpu[who].append((cpu_seconds() - before) / (measured[who] * args.seconds) * 1e6)
                figures[name].append((measured["emulator"], measured["bare"]))
        print(f"{'call':<34} {'emulator req/s':>14} {'bare twin req/s':>16} {'ratio':>6} "
              f"{'min-max':>10} {'CPU µs/req emulator, twin':>26}   ratio per round")
        for name, pairs in figures.items():
            ratios = [e / b for e, b in pairs]
            print(f"{name:<34} {statistics.median(e for e, _ in pairs):>14.0f} "
                  f"{statistics.median(b for _, b in pairs):>16.0f} {statistics.median(ratios):>6.2f} "
                  f"{min(ratios):>4.2f}-{max(ratios):<4.2f} "
                  f"{statistics.median(cpu_us[name]['emulator']):>19.0f}, {statistics.median(cpu_us[name]['bare']):>4.0f}"
                  f"   {', '.join(f'{x:.2f}' for x in ratios)}")
    app.extensions["emulator"].close()  # the server thread is a daemon: it ends with the script


if __name__ == "__main__":
    main()
