"""Seeding: how long a fixtures document takes to validate and apply, per profile, by vendor.

``seeding.apply`` is what ``POST /_emulator/seed``, ``serve --fixtures`` and
``EmulatorHandle.in_process(fixtures)`` use. Each vendor's document holds ``size`` profiles in
one tenant: Copernica's is the demo document with ``size`` more profiles in database 1
(``bigdata.py``), Campaign's and Target's one organization or client with ``size`` profiles of
a few fields. Each figure is seeded into a fresh emulator (history on, as served), ``--runs``
times; the table shows the median and the spread (min–max) of the µs per profile, and the total
at the largest size. ``--http`` also posts Copernica's largest document to
``POST /_emulator/seed`` of a waitress server on 127.0.0.1 (what a client that seeds over HTTP
waits for: encoding, the request, decoding, the seed and its answer).

Usage: python bench/seed_scaling.py [--sizes 1000,10000,100000] [--runs 3] [--vendors copernica,adobe_campaign,adobe_target] [--http]
"""
from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from waitress.server import create_server

from bigdata import demo_with_profiles
from emulator import seeding
from emulator.app import create_app
from emulator.settings import Settings


def campaign(size: int) -> dict[str, Any]:
    return {"adobe_campaign": {"organizations": [{"id": "bench-org", "access_token": "t", "api_key": "k", "profiles": [
        {"firstName": f"F{i}", "lastName": f"L{i}", "email": f"user{i}@example.com", "birthDate": "1980-10-24"}
        for i in range(size)]}]}}


def target(size: int) -> dict[str, Any]:
    return {"adobe_target": {"clients": [{"code": "bench", "profile_api_token": None, "profiles": [
        {"tntId": f"{1368007744041 + i}-575948.01_00", "thirdPartyId": f"crm-{i}",
         "profileAttributes": {"tier": "gold", "city": "Amsterdam", "score": str(i)}} for i in range(size)]}]}}


DOCUMENTS: dict[str, Callable[[int], dict[str, Any]]] = {
    "copernica": demo_with_profiles, "adobe_campaign": campaign, "adobe_target": target}


def seed_seconds(document: dict[str, Any]) -> float:
    app = create_app(Settings(demo=False))
    emulator = app.extensions["emulator"]
    started = time.perf_counter()
    seeding.apply(emulator, document)
    elapsed = time.perf_counter() - started
    emulator.close()
    return elapsed


def http_seconds(document: dict[str, Any]) -> tuple[float, float]:
    """(wall time of the POST, of which the client's encoding), against a fresh server."""
    app = create_app(Settings(demo=False))
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        started = time.perf_counter()
        body = json.dumps(document).encode()
        encoded = time.perf_counter() - started
        reply = requests.post(f"http://127.0.0.1:{server.effective_port}/_emulator/seed", data=body,
                              headers={"Content-Type": "application/json"}, timeout=600)
        elapsed = time.perf_counter() - started
        assert reply.status_code == 200, reply.text[:300]
        return elapsed, encoded
    finally:
        server.task_dispatcher.shutdown()  # the answered request's task ends before the server closes
        server.close()
        app.extensions["emulator"].close()


def spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):8.1f} ({min(samples):.1f}–{max(samples):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vendors", default=",".join(DOCUMENTS))
    parser.add_argument("--http", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    vendors = args.vendors.split(",")
    print(f"{'profiles':>9} " + " ".join(f"{v + ' µs/profile (min–max)':>36}" for v in vendors))
    totals: dict[str, list[float]] = {}
    for size in sizes:
        row = []
        for vendor in vendors:
            document = DOCUMENTS[vendor](size)
            samples = [seed_seconds(document) for _ in range(args.runs)]
            row.append(spread([s * 1e6 / size for s in samples]))
            totals[vendor] = samples
        print(f"{size:>9} " + " ".join(f"{cell:>36}" for cell in row))
    for vendor in vendors:
        samples = totals[vendor]
        print(f"seeding {sizes[-1]:,} {vendor} profiles: {statistics.median(samples):.2f} s median "
              f"({min(samples):.2f}–{max(samples):.2f} s over {len(samples)} runs; validation and apply)")
    if args.http:
        document = demo_with_profiles(sizes[-1])
        runs = [http_seconds(document) for _ in range(args.runs)]
        walls = [wall for wall, _ in runs]
        print(f"POST /_emulator/seed over HTTP, {sizes[-1]:,} Copernica profiles: {statistics.median(walls):.2f} s "
              f"median ({min(walls):.2f}–{max(walls):.2f} s; of which the client's json.dumps "
              f"{statistics.median(e for _, e in runs):.2f} s)")


if __name__ == "__main__":
    main()
