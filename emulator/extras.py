"""Optional dependencies: imported where a feature needs them, with a one-line error naming the
extra that installs them.

A plain ``pip install martech-emulator`` serves the emulator and runs ``seed``/``export``; the
pytest plugin's interception needs ``responses``, ``respx`` and ``httpx``, which
``pip install 'martech-emulator[pytest]'`` brings. Without this, the user would read
``No module named 'responses'`` at the bottom of a long traceback and have to guess the fix.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType


class MissingExtra(ModuleNotFoundError):
    """An optional dependency is not installed; the message says which extra installs it."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """``import module``, or ``MissingExtra`` naming ``extra`` when it is not installed."""
    __tracebackhide__ = True  # pytest shows the caller's line and the message, not this frame
    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] != module.partition(".")[0]:
            raise  # the module is there but is itself broken: not a missing extra
        raise MissingExtra(f"{feature} needs the package {module!r}: "
                           f"pip install 'martech-emulator[{extra}]'", name=module) from None
