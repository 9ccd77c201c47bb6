"""Contract tests: the vendors' documented examples, against a fresh demo-seeded emulator.

One suite, four transports (``harness.py``): ``--transport inprocess`` (the default),
``thread`` (the pytest plugin's in-thread server), ``intercept`` (the vendors' real URLs,
intercepted in-process); and ``--base-url URL`` (or ``EMULATOR_BASE_URL``) runs the same
tests over HTTP against a running ``martech-emulator serve``, resetting it to the demo
fixtures before every test.
"""
from __future__ import annotations

import os

import pytest

from emulator import create_app
from emulator.seeding import demo_fixtures
from emulator.settings import Settings
from emulator.vendors import vendor_named

from .harness import Api, HttpApi, InProcessApi, InterceptApi

TRANSPORTS = ("inprocess", "thread", "intercept")


def pytest_addoption(parser):
    parser.addoption("--base-url", default=os.environ.get("EMULATOR_BASE_URL"),
                     help="run the contract tests against a running emulator at this URL")
    parser.addoption("--transport", default=os.environ.get("EMULATOR_TRANSPORT", "inprocess"),
                     choices=TRANSPORTS,
                     help="how the contract tests reach the emulator: in-process (default), the "
                          "plugin's in-thread server, or interception of the vendors' real hostnames")


def pytest_configure(config):
    if config.getoption("--base-url") and config.getoption("--transport") != "inprocess":
        raise pytest.UsageError("--base-url and --transport are alternatives: give one")


def pytest_report_header(config):
    base_url = config.getoption("--base-url")
    return f"contract transport: {'http ' + base_url if base_url else config.getoption('--transport')}"


@pytest.fixture(scope="session")
def base_url(request) -> str | None:
    return request.config.getoption("--base-url")


@pytest.fixture
def api(request, base_url) -> Api:
    transport = request.config.getoption("--transport")
    if transport == "thread":
        emulator = request.getfixturevalue("emulator")  # the plugin: session server, reset per test
        client = HttpApi(emulator.url)
        yield client
        client.session.close()
        return
    if transport == "intercept":
        emulator = request.getfixturevalue("emulator")
        home = vendor_named(request.node.path.parent.name)  # contract_tests/<vendor>/test_*.py
        client = InterceptApi(emulator.app, home)
        with emulator.intercept(passthrough=False):
            yield client
        client.session.close()
        return
    if base_url:
        client = HttpApi(base_url)
        assert client.post("/_emulator/reset").status_code == 200
        client.seed(demo_fixtures())
        yield client
        client.session.close()
        return
    app = create_app(Settings())
    yield InProcessApi(app)
    app.extensions["emulator"].close()
