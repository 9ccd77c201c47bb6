"""The emulator as a test dependency: a pytest plugin (``plugin.py``), a server in a thread
(``server.py``), a handle with journal assertions (``handle.py``), and in-process interception
of the vendors' real hostnames (``intercept.py``).

The names below are imported on first use, so that merely having the plugin installed (pytest
loads it in every run) costs nothing: Flask, requests, httpx, responses and respx are imported
only by a test that asks for the ``emulator`` fixture.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "EmulatorHandle": "handle", "RequestAssertionError": "handle",
    "HostNotEmulated": "intercept", "HttpxHostNotEmulated": "intercept", "Intercept": "intercept",
    "ThreadServer": "server",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(name)
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
