"""Requests/s of Copernica's GET profile and the documented PUT, and of an Adobe Target delivery
call (a known visitor's page view with profileParameters), against a bare Flask route.

One waitress server (the one ``martech-emulator serve`` uses) serves the emulator's app with one
extra bare route, ``/bench/bare``; each endpoint is loaded in turn, several rounds interleaved,
and reported as the median requests/s and its ratio to the bare route. The load comes from
``wrk`` when installed (``apt-get install wrk``), else from a thread pool of ``requests``.

Database 1 holds ``--profiles`` more profiles (1,000 by default), so the documented PUT's
selection runs at that size. ``--connections 1,8`` loads each endpoint with a sequential client
(one connection) and with eight, one after the other.

Usage: python bench/http_throughput.py [--seconds 4] [--rounds 3] [--connections 1,8] [--profiles 1000]
"""
from __future__ import annotations

import argparse
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

import requests
from waitress.server import create_server

from bigdata import demo_with_profiles
from emulator import create_app, seeding

TOKEN = "access_token=demo-copernica-token"
BODY = {"fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"},
        "interests": {"football": 1, "baseball": 0}}
ENDPOINTS = {
    "bare Flask route": ("GET", "/bench/bare", None),
    "GET /v3/profile/1": ("GET", f"/v3/profile/1?{TOKEN}", None),
    "documented PUT (async=1)": (
        "PUT", f"/v3/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D4567&async=1&create=0", BODY),
    "PUT, applied synchronously": (
        "PUT", f"/v3/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D4567&create=0", BODY),
    "Target delivery, known visitor": (
        "POST", "/rest/v1/delivery?client=demo&sessionId=bench",
        {"id": {"tntId": "1368007744041-575948.01_00"}, "context": {"channel": "web"},
         "execute": {"pageLoad": {"profileParameters": {"favouriteGenre": "jazz"}},
                     "mboxes": [{"index": 0, "name": "homepage"}]}}),
}


def start_server(threads: int, profiles: int):
    app = create_app()
    seeding.apply(app.extensions["emulator"], demo_with_profiles(profiles))
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, daemon=True).start()
    return app, server, f"http://127.0.0.1:{server.effective_port}"


def wrk_rps(url: str, method: str, body: dict | None, seconds: float, connections: int) -> float:
    script = None
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    if method != "GET":
        fd, script = tempfile.mkstemp(suffix=".lua")
        with os.fdopen(fd, "w") as fh:
            fh.write(f'wrk.method = "{method}"\nwrk.body = {json.dumps(json.dumps(body))}\n'
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
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def python_rps(url: str, method: str, body: dict | None, seconds: float, connections: int) -> float:
    deadline = time.perf_counter() + seconds

    def worker() -> int:
        done = 0
        with requests.Session() as session:
            while time.perf_counter() < deadline:
                reply = session.request(method, url, json=body)
                assert reply.status_code < 300, reply.text
                done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        total = sum(pool.map(lambda _: worker(), range(connections)))
    return total / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", default="1,8", help="comma-separated; each is a separate run")
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=16, help="waitress threads, as serve's default")
    args = parser.parse_args()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app, server, base = start_server(args.threads, args.profiles)
    load = wrk_rps if shutil.which("wrk") else python_rps
    for connections in (int(c) for c in args.connections.split(",")):
        print(f"server {base}, waitress threads={args.threads}, {args.profiles:,} more profiles in database 1, "
              f"load: {load.__name__.split('_')[0]}, {connections} connection(s), {args.rounds} rounds × {args.seconds}s")
        results: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
        for _ in range(args.rounds):
            for name, (method, path, body) in ENDPOINTS.items():
                results[name].append(load(base + path, method, body, args.seconds, connections))
                requests.post(f"{base}/_emulator/drain", timeout=120)  # async work must not pile into the next run
        bare = statistics.median(results["bare Flask route"])
        print(f"{'endpoint':<30} {'median req/s':>13} {'ratio to bare':>14}   rounds (ratio per round)")
        for name, values in results.items():
            median = statistics.median(values)
            per_round = ", ".join(f"{v:.0f} ({v / b:.2f})" for v, b in zip(values, results["bare Flask route"], strict=True))
            print(f"{name:<30} {median:>13.0f} {median / bare:>14.2f}   {per_round}")
    app.extensions["emulator"].close()  # the server thread is a daemon: it ends with the script


if __name__ == "__main__":
    main()
