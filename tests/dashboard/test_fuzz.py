"""schemathesis over every operation of /_emulator/openapi.json, against a live server.

What must hold for every generated request (valid and invalid alike): no 5xx unless the
operation documents it (a vendor's own 500s), no HTML error page, the status code is one the
operation documents, and the body and headers match the documented schema. The server's log
must show no unhandled error at the end (a Copernica path renders emulator bugs as a 400, so
the status alone would not show them).

Bounded: ``FUZZ_EXAMPLES`` examples per operation (default 20), derandomized, so CI is repeatable.
"""
from __future__ import annotations

import os
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from fuzz_checks import no_html_error_page, no_undocumented_server_error

from emulator import create_app
from emulator.seeding import demo_fixtures
from emulator.settings import Settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
#: credentials of the demo tenants, by vendor (the operation's tag)
AUTH = {"copernica": {"Authorization": "Bearer demo-copernica-token"},
        "adobe_campaign": {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}}
#: control operations that change the whole emulator: put the demo back after each
RESTORE_AFTER = {"/_emulator/reset", "/_emulator/seed", "/_emulator/clock"}

SEEN: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()


CHECKS = [no_undocumented_server_error, no_html_error_page, status_code_conformance,
          content_type_conformance, response_headers_conformance, response_schema_conformance]


def openapi_document() -> dict:
    """The document the live server serves (the same code builds it), made in-process so the
    operations are known when pytest collects; requests go to the live server."""
    app = create_app(Settings(), load_fixtures=False)
    try:
        return app.test_client().get("/_emulator/openapi.json").get_json()
    finally:
        app.extensions["emulator"].close()


schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.fixture(scope="module", autouse=True)
def server_log_is_clean(live_server):
    yield
    total = sum(SEEN.values())
    print(f"\nschemathesis: {len(SEEN)} operations, {total} requests, statuses {dict(sorted(STATUSES.items()))}")
    log = live_server.output()
    assert "unhandled error" not in log, log[-4000:]


def restore(base_url: str) -> None:
    assert requests.post(f"{base_url}/_emulator/clock", json={"resume": True}, timeout=10).status_code == 200
    assert requests.post(f"{base_url}/_emulator/reset", timeout=10).status_code == 200
    assert requests.post(f"{base_url}/_emulator/seed", json=demo_fixtures(), timeout=10).status_code == 200


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, live_server):
    headers = AUTH.get(case.operation.definition.raw["tags"][0], {})
    if case.headers:
        # framing headers belong to the HTTP client, not to any API: a garbled Content-Length is
        # refused by waitress before the emulator sees the request, as a vendor's front end would
        for name in [n for n in case.headers if n.lower() in ("content-length", "transfer-encoding")]:
            del case.headers[name]
    response = case.call(base_url=live_server.base_url, headers=headers, timeout=30)
    SEEN[case.operation.label] += 1
    STATUSES[response.status_code] += 1
    try:
        case.validate_response(response, checks=CHECKS)
    finally:
        if case.path in RESTORE_AFTER:
            restore(live_server.base_url)
