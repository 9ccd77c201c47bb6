"""The pytest plugin (entry point ``pytest11: martech_emulator``), in the pytest-httpserver style.

One server per test session (per pytest-xdist worker: each worker is its own process and asks
the OS for a free port, so workers never collide), and a function-scoped ``emulator`` fixture
that puts the fixtures back before every test. Override any of the session fixtures below in a
``conftest.py`` to change where the server listens, its settings, or what each test starts from::

    @pytest.fixture(scope="session")
    def emulator_fixtures():
        return "tests/emulator-fixtures.json"    # a path, a document, or None for an empty emulator
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def emulator_listen_address() -> tuple[str, int]:
    """(host, port) of the session's server; port 0 picks a free one."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def emulator_settings():
    """The ``Settings`` of the session's emulator (e.g. ``Settings(journal_size=10_000)``)."""
    from emulator.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def emulator_fixtures() -> Any:
    """What every test starts from: the demo fixtures by default."""
    from emulator.seeding import demo_fixtures

    return demo_fixtures()


@pytest.fixture(scope="session")
def emulator_server(emulator_listen_address, emulator_settings) -> Iterator[Any]:
    """The session's ``ThreadServer`` (waitress in a thread, loopback only by default)."""
    from emulator import create_app
    from emulator.testing.server import ThreadServer

    host, port = emulator_listen_address
    server = ThreadServer(create_app(emulator_settings, load_fixtures=False), host=host, port=port)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _emulator_session_handle(emulator_server, emulator_fixtures):
    from emulator import seeding
    from emulator.vendors import VENDORS
    from emulator.testing.handle import EmulatorHandle

    fixtures = emulator_fixtures
    if isinstance(fixtures, (str, Path)):
        fixtures = json.loads(Path(fixtures).read_text("utf-8"))
    if fixtures is not None:
        seeding.validate(fixtures, VENDORS)  # a bad fixtures file fails once, naming the bad key
    return EmulatorHandle(emulator_server.app, emulator_server.url, fixtures)


@pytest.fixture
def emulator(_emulator_session_handle):
    """A fresh emulator for this test: the session's fixtures, an empty journal, real time."""
    _emulator_session_handle.reset()
    return _emulator_session_handle


@pytest.fixture(scope="session")
def emulator_passthrough() -> Any:
    """What ``emulator_intercept`` lets through to other hosts: True (all), False (none), or a
    list of URL prefixes."""
    return True


@pytest.fixture
def emulator_intercept(emulator, emulator_passthrough):
    """``emulator`` with the vendors' real hostnames answered in-process for this test."""
    with emulator.intercept(passthrough=emulator_passthrough):
        yield emulator
