from __future__ import annotations

import pytest

from .acs import resume


@pytest.fixture
def clock(api):
    """Lets a test freeze or advance the emulator's clock; real time again afterwards (the
    server may be shared with later tests in ``--base-url`` mode)."""
    yield api
    resume(api)
