"""martech-emulator: a stateful, faithful emulator of marketing vendors' profile REST APIs."""
from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "create_app"]


def __getattr__(name: str):
    # Imported lazily so that ``import emulator`` (e.g. for the version) stays cheap.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
