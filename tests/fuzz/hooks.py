"""schemathesis hooks for the fuzz run (``test_fuzz.py`` loads them through ``SCHEMATHESIS_HOOKS``).

- our own checks (``fuzz_checks.py``) run beside all the built-in ones;
- framing headers are left to the HTTP client: a garbled Content-Length is refused by waitress
  before the emulator sees the request, as a vendor's front end would;
- a control operation that changes the whole emulator (reset, seed, clock, realism settings and
  faults) and succeeded is followed by putting the demo back, so the next operations find the
  demo tenants.
"""
from __future__ import annotations

import os

import requests
import schemathesis

from fuzz_checks import no_html_error_page, no_undocumented_server_error

BASE_URL = os.environ["FUZZ_BASE_URL"]
RESTORE_AFTER = ("/_emulator/reset", "/_emulator/seed", "/_emulator/clock", "/_emulator/settings",
                 "/_emulator/faults")

schemathesis.check(no_undocumented_server_error)
schemathesis.check(no_html_error_page)


@schemathesis.hook
def before_call(context, case, kwargs):
    for name in [n for n in (case.headers or {}) if n.lower() in ("content-length", "transfer-encoding")]:
        del case.headers[name]


@schemathesis.hook
def after_call(context, case, response):
    # a refused request changed nothing (the control plane applies all or nothing): only a
    # success needs the demo back, which keeps the coverage phase's many refused seeds cheap
    if case.method.upper() != "GET" and case.path.startswith(RESTORE_AFTER) and response.status_code < 300:
        restore()


def restore() -> None:
    from emulator.seeding import demo_fixtures

    for method, path, body in [("POST", "/_emulator/clock", {"resume": True}),
                               ("DELETE", "/_emulator/faults", None),
                               ("POST", "/_emulator/reset", None),
                               ("POST", "/_emulator/seed", demo_fixtures())]:
        reply = requests.request(method, BASE_URL + path, json=body, timeout=30)
        assert reply.status_code == 200, (method, path, reply.status_code, reply.text)
