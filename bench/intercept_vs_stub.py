"""Inside a test: a call answered by the intercepting emulator vs a hand-written ``responses`` stub.

What a user writes instead of the emulator is a ``responses`` stub returning a canned answer;
this measures what the emulator costs on top of that, for the documented Copernica calls made
with ``requests`` to ``https://api.copernica.com``:

* ``PUT /v3/database/1/profiles?fields[]=customerid==4567`` (the seed's call, 1,000 profiles);
* ``GET /v3/database/1/profiles?fields[]=customerid==4567`` (the same selection as a list);
* ``GET /v3/profile/1``.

Each runs interleaved in several rounds; prints the median µs of each and the ratio
emulator / stub (goal ≤ 1.5×). A third column is the floor of any Flask app behind the same
intercept: a bare Flask route (no hooks, no emulator code) that returns the stub's canned answer
on the same path, intercepted exactly as the emulator is. Its ratio to the stub is what the
emulator's goal leaves for everything the emulator does; ``emulator / bare`` is what that work
costs on top of Flask.

Usage: python bench/intercept_vs_stub.py [--calls 500] [--rounds 3] [--profiles 1000]
"""
from __future__ import annotations

import argparse
import re
import statistics
from collections.abc import Callable

import requests
import responses
from flask import Flask, Response

from bigdata import demo_with_profiles
from emulator.testing import EmulatorHandle
from emulator.testing.intercept import Intercept
from timing import median_call_us

BASE = "https://api.copernica.com/v3"
TOKEN = "access_token=demo-copernica-token"
SELECTION = "fields%5B%5D=customerid%3D%3D4567"
BODY = {"fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"},
        "interests": {"football": 1, "baseball": 0}}
CALLS: dict[str, tuple[str, str, dict | None, int]] = {
    "PUT database/1/profiles?fields[]=customerid==4567": (
        "PUT", f"{BASE}/database/1/profiles?{TOKEN}&{SELECTION}", BODY, 204),
    "GET database/1/profiles?fields[]=customerid==4567": (
        "GET", f"{BASE}/database/1/profiles?{TOKEN}&{SELECTION}", None, 200),
    "GET profile/1": ("GET", f"{BASE}/profile/1?{TOKEN}", None, 200),
}


def stubbed(session: requests.Session, method: str, url: str, body: dict | None, status: int) -> Callable[[], None]:
    """What a user hand-writes: the canned answer the emulator gives to the same call."""
    def call() -> None:
        reply = session.request(method, url, json=body)
        assert reply.status_code == status
    return call


def bare_flask(canned: dict[str, tuple[int, bytes, str | None]]) -> Flask:
    """A Flask app with one plain route per call, answering the canned reply: the floor."""
    app = Flask("bare")
    for name, (method, url, _, _) in CALLS.items():
        status, content, ctype = canned[name]
        path = url.split("?")[0].removeprefix("https://api.copernica.com")

        def view(status: int = status, content: bytes = content, ctype: str | None = ctype) -> Response:
            reply = Response(content, status=status, content_type=ctype)
            if ctype is None:
                del reply.headers["Content-Type"]
            return reply
        app.add_url_rule(path, endpoint=name, view_func=view, methods=[method])
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profiles", type=int, default=1000)
    args = parser.parse_args()
    handle = EmulatorHandle.in_process(demo_with_profiles(args.profiles))
    session = requests.Session()
    canned = {}
    with handle.intercept():  # the emulator's own answers become the stubs' canned answers
        for name, (method, url, body, status) in CALLS.items():
            reply = session.request(method, url, json=body)
            assert reply.status_code == status, reply.text
            canned[name] = (reply.status_code, reply.content, reply.headers.get("Content-Type"))
    floor = Intercept(bare_flask(canned))
    results: dict[str, dict[str, list[float]]] = {name: {"emulator": [], "stub": [], "bare": []} for name in CALLS}
    for _ in range(args.rounds):
        for name, (method, url, body, status) in CALLS.items():
            with handle.intercept():
                results[name]["emulator"].append(median_call_us(stubbed(session, method, url, body, status), args.calls))
            with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
                code, content, ctype = canned[name]
                mock.add(method, re.compile(re.escape(url.split("?")[0]) + r"(\?.*)?$"), body=content,
                         status=code, content_type=ctype)
                results[name]["stub"].append(median_call_us(stubbed(session, method, url, body, status), args.calls))
            with floor:
                results[name]["bare"].append(median_call_us(stubbed(session, method, url, body, status), args.calls))
    print(f"{args.profiles:,} profiles in database 1; median µs over {args.rounds} rounds of {args.calls} calls")
    print(f"{'call':<52} {'emulator':>9} {'stub':>6} {'bare':>6} {'ratio':>6} {'floor':>6} {'e/bare':>6}"
          "   ratio per round (goal ≤ 1.5×)")
    for name, got in results.items():
        emulator, stub, bare = (statistics.median(got[k]) for k in ("emulator", "stub", "bare"))
        per_round = ", ".join(f"{e / s:.2f}" for e, s in zip(got["emulator"], got["stub"], strict=True))
        print(f"{name:<52} {emulator:>9.0f} {stub:>6.0f} {bare:>6.0f} {emulator / stub:>6.2f} "
              f"{bare / stub:>6.2f} {emulator / bare:>6.2f}   {per_round}")
    print("floor: a bare Flask route behind the same intercept, over the stub; e/bare: the emulator over it")
    handle.close()


if __name__ == "__main__":
    main()
