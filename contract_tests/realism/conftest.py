from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _real_time_afterwards(api):
    """``/_emulator/reset`` leaves the clock alone: give the next test (maybe on the same
    server, with ``--base-url``) real time back."""
    yield
    assert api.post("/_emulator/clock", json={"resume": True}).status_code == 200
