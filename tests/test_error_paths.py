"""The paths that run only when something goes wrong inside the emulator: they must still
answer in the right shape and keep the emulator working for the next request."""
from __future__ import annotations

import logging

import pytest

from emulator import create_app
from emulator.clock import Clock
from emulator.deferred import WorkQueue
from emulator.settings import Settings


def test_a_failing_deferred_item_is_logged_and_the_next_one_still_runs(caplog):
    work = WorkQueue(Clock())
    done: list[str] = []

    def boom() -> None:
        raise RuntimeError("disk on fire")

    with caplog.at_level(logging.ERROR, logger="emulator.deferred"):
        work.submit(boom, label="the failing one")
        work.submit(lambda: done.append("after"), label="the next one")
        assert work.drain(timeout=10) == 0
    work.stop()
    assert done == ["after"]
    assert "deferred work 'the failing one' failed" in caplog.text
    assert "RuntimeError: disk on fire" in caplog.text


@pytest.fixture
def app():
    app = create_app(Settings())
    yield app
    app.extensions["emulator"].close()


def test_a_bug_on_a_vendor_path_gets_the_vendors_own_500_and_the_next_request_works(app, monkeypatch):
    from emulator.vendors.copernica import model

    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(model.Account, "profile", broken, raising=True)
    client = app.test_client()
    reply = client.get("/v3/profile/1?access_token=demo-copernica-token")
    assert reply.status_code == 400  # Copernica answers its own errors with 400
    assert reply.get_json() == {"error": {"message": "Internal error"}}
    monkeypatch.undo()
    assert client.get("/v3/profile/1?access_token=demo-copernica-token").status_code == 200


def test_a_bug_on_the_control_plane_is_emulator_json_naming_the_bug(app, monkeypatch):
    from emulator import seeding

    def broken(emulator):
        raise ValueError("cannot export")

    monkeypatch.setattr(seeding, "export", broken)
    reply = app.test_client().get("/_emulator/state")
    assert reply.status_code == 500
    assert reply.get_json() == {"emulator": "martech-emulator", "status": 500,
                                "error": "emulator bug: ValueError: cannot export"}
