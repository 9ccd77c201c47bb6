"""Contract tests: the vendors' documented examples, against a fresh demo-seeded emulator.

In-process by default; ``--base-url URL`` (or ``EMULATOR_BASE_URL``) runs the same tests
over HTTP against a running ``martech-emulator serve``, resetting it to the demo fixtures
before every test.
"""
from __future__ import annotations

import os

import pytest

from emulator import create_app
from emulator.seeding import demo_fixtures
from emulator.settings import Settings

from .harness import Api, HttpApi, InProcessApi


def pytest_addoption(parser):
    parser.addoption("--base-url", default=os.environ.get("EMULATOR_BASE_URL"),
                     help="run the contract tests against a running emulator at this URL")


@pytest.fixture(scope="session")
def base_url(request) -> str | None:
    return request.config.getoption("--base-url")


@pytest.fixture
def api(base_url) -> Api:
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
