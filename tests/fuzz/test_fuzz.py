"""A full schemathesis run over every operation of ``/_emulator/openapi.json``, against a live server.

What a user would run by hand (docs/testing.md): ``st run`` with every check (the built-in ones,
enabled by default, and ours from ``fuzz_checks.py``) and every phase (examples, coverage, fuzzing,
and the stateful phase following the links the document declares). Nothing may fail but the
vendor-faithful answers listed, each with its reason, in ``expected_failures.toml``; the run must
test every operation the document lists (a route added later is covered by itself), and the
server must log no unhandled error.

Bounded for CI: ``FUZZ_EXAMPLES`` examples per operation (default 12), deterministic generation.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import requests

from emulator import create_app
from emulator.settings import Settings
from emulator.testing.server import ThreadServer

HERE = Path(__file__).parent
EXPECTED = HERE / "expected_failures.toml"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
#: the demo tenants' credentials, by the document's security scheme
AUTH = {"copernicaToken": {"api_key": "demo-copernica-token"},
        "copernicaBearer": {"bearer": "demo-copernica-token"},
        "adobeIoToken": {"bearer": "demo-acs-token"},
        "adobeIoApiKey": {"api_key": "demo-acs-key"}}
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
          "positive_data_acceptance", "missing_required_header", "unsupported_method",
          "allow_header_conformance", "use_after_free", "ensure_resource_availability", "ignored_auth",
          "object_level_authorization")


def openapi_document() -> dict:
    app = create_app(Settings(), load_fixtures=False)
    try:
        return app.test_client().get("/_emulator/openapi.json").get_json()
    finally:
        app.extensions["emulator"].close()


def operations(document: dict) -> set[str]:
    return {f"{method.upper()} {path}" for path, item in document["paths"].items()
            for method in item if method not in ("servers", "parameters")}


def expected_failures() -> list[dict]:
    return tomllib.loads(EXPECTED.read_text("utf-8"))["expected"]


def toml_value(value) -> str:
    return json.dumps(value)  # a JSON string or list of strings is valid TOML


def schemathesis_config() -> str:
    """``schemathesis.toml`` for the run: the demo credentials, and each expected failure as the
    check switched off (or given more statuses) for its operation, or every operation of its tag."""
    lines = [f"[auth.openapi.{name}]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items())
             for name, values in AUTH.items()]
    for entry in expected_failures():
        selector = (f"include-name = {toml_value(entry['operation'])}" if "operation" in entry
                    else f"include-tag = {toml_value(entry['tag'])}")
        lines.append(f"[[operations]]\n{selector}")
        if "expected-statuses" in entry:
            lines.append(f"checks.{entry['check']}.expected-statuses = "
                         f"{toml_value([str(s) for s in entry['expected-statuses']])}")
        else:
            lines.append(f"checks.{entry['check']}.enabled = false")
        lines.append("")
    return "\n".join(lines) + "\n"


def test_every_expected_failure_names_operations_a_check_and_a_reason():
    document = openapi_document()
    names = operations(document)
    tags = {tag["name"] for tag in document["tags"]}
    seen = set()
    for entry in expected_failures():
        assert set(entry) <= {"operation", "tag", "check", "reason", "expected-statuses"}, entry
        assert ("operation" in entry) != ("tag" in entry), f"name an operation or a tag: {entry}"
        if "operation" in entry:
            assert entry["operation"] in names, f"{entry['operation']} is not in the document"
        else:
            assert entry["tag"] in tags, f"{entry['tag']} is not a tag of the document"
        assert entry["check"] in CHECKS, entry
        assert len(entry["reason"].split()) >= 8, f"say why: {entry}"
        key = (entry.get("operation") or entry["tag"], entry["check"])
        assert key not in seen, f"listed twice: {entry}"
        seen.add(key)


class UnhandledErrors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(self.format(record))


@pytest.fixture
def fuzzed_server():
    handler = UnhandledErrors()
    logging.getLogger("emulator").addHandler(handler)
    server = ThreadServer(settings=Settings(), threads=4)
    try:
        yield server, handler
    finally:
        server.stop()
        logging.getLogger("emulator").removeHandler(handler)


def test_schemathesis_finds_nothing_unexplained(fuzzed_server, tmp_path):
    server, unhandled = fuzzed_server
    config = tmp_path / "schemathesis.toml"
    config.write_text(schemathesis_config(), "utf-8")
    report = tmp_path / "events.ndjson"
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "hooks", "FUZZ_BASE_URL": server.url,
           "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
               f"{server.url}/_emulator/openapi.json", "--workers", "1",
               "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", str(EXAMPLES),
               "--generation-deterministic", "--no-color", "--request-timeout", "30",
               "--report", "ndjson", "--report-ndjson-path", str(report)]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=280, cwd=tmp_path)  # inside the suite's 300 s
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]

    document = operations(requests.get(f"{server.url}/_emulator/openapi.json", timeout=10).json())
    tested: dict[str, set[str]] = {}
    checks_run: set[str] = set()
    for line in report.read_text("utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if finished:
            tested.setdefault(finished["phase"], set()).add(finished["recorder"]["label"])
            checks_run.update(c["name"]
                              for results in finished["recorder"].get("checks", {}).values() for c in results)
    # an operation with nothing to generate (no parameter, no body) may be done in one phase;
    # schemathesis leaves out the operation that serves the document it loaded
    generated = tested.get("coverage", set()) | tested.get("fuzzing", set())
    assert document - generated == {"GET /_emulator/openapi.json"}, f"not tested: {sorted(document - generated)}"
    assert tested.get("stateful"), "the stateful phase ran no scenario"
    assert set(CHECKS) | {"no_undocumented_server_error", "no_html_error_page"} <= checks_run, checks_run
    assert unhandled.records == [], "\n".join(unhandled.records)[-4000:]
    print(f"\nschemathesis: {len(document)} operations, checks {sorted(checks_run)}\n{output[-1500:]}")
