"""The Adobe Target contract tests' clock fixture (a shared server keeps its clock across tests)."""
from __future__ import annotations

import pytest

from .documented import FROZEN


class ClockControl:
    def __init__(self, api):
        self.api = api

    def freeze(self, at: str = FROZEN) -> None:
        assert self.api.post("/_emulator/clock", json={"freeze": at}).status_code == 200

    def advance(self, seconds: float) -> None:
        assert self.api.post("/_emulator/clock", json={"advance": seconds}).status_code == 200


@pytest.fixture
def clock(api):
    """The emulator's clock, frozen at FROZEN; back to real time afterwards (a shared server
    keeps its clock across tests)."""
    control = ClockControl(api)
    control.freeze()
    yield control
    assert api.post("/_emulator/clock", json={"resume": True}).status_code == 200
