"""What a test holds: ``EmulatorHandle``, a small typed front to one emulator.

It talks to the emulator in-process (the server thread and the test share the app), so seeding,
state, journal queries and clock changes cost microseconds, not a round trip. The assertions
read the request journal (``emulator.journal``); a failed one prints what was expected and the
requests that came closest, with the reason each did not match, so the test shows what the
code under test sent instead.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Flask

from .. import seeding
from ..app import create_app
from ..state import Emulator
from ..journal import Entry, Matcher, closest
from ..settings import Settings
from ..vendors import VENDORS
from .realism import RealismMixin

if TYPE_CHECKING:
    from .intercept import Intercept

_SHOWN = 240  # characters of a body shown in a failure message


class RequestAssertionError(AssertionError):
    """``assert_request_made`` / ``assert_no_request_made`` failed; the message says why."""


class Clock:
    """The emulator's clock, for tests: freeze, advance, resume instead of sleeping."""

    def __init__(self, emulator: Emulator):
        self._clock = emulator.clock

    def now(self) -> datetime:
        return self._clock.now()

    def freeze(self, at: datetime | str | None = None) -> datetime:
        return self._clock.freeze(datetime.fromisoformat(at) if isinstance(at, str) else at)

    def advance(self, seconds: float) -> datetime:
        return self._clock.advance(seconds)

    def resume(self) -> datetime:
        return self._clock.resume()


def _matcher(method: str | None, path: str | None, spec: dict[str, Any]) -> Matcher:
    full = {k: v for k, v in (("method", method), ("path", path)) if v is not None}
    full.update(spec)
    return Matcher(full)


def _clip(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + f"… ({len(text)} characters)"


def describe(entry: Entry, reasons: Iterable[str] = ()) -> list[str]:
    lines = [entry.summary()]
    lines += [f"    ✗ {reason}" for reason in reasons]
    if entry.body:
        lines.append(f"    body: {_clip(entry.body)}")
    if entry.response_body and entry.status >= 400:
        lines.append(f"    answer: {_clip(entry.response_body)}")
    return lines


class EmulatorHandle(RealismMixin):
    """One emulator, as a test sees it. ``url`` is set when it is served over HTTP. The realism
    knobs (``add_fault``, ``set_tenant_settings``…) come from ``RealismMixin``."""

    def __init__(self, app: Flask, url: str | None = None, fixtures: dict[str, Any] | None = None):
        self.app = app
        self.url = url
        #: what ``reset()`` puts back (None: an empty emulator)
        self.fixtures = fixtures
        self.clock = Clock(self.emulator)
        self._snapshot: dict[str, Any] | None = None

    @classmethod
    def in_process(cls, fixtures: dict[str, Any] | None = None, settings: Settings | None = None) -> EmulatorHandle:
        """An emulator with no server, for ``intercept()`` alone; demo fixtures unless given others."""
        app = create_app(settings or Settings(), load_fixtures=False)
        handle = cls(app, None, seeding.demo_fixtures() if fixtures is None else fixtures)
        handle.reset()
        return handle

    @property
    def emulator(self) -> Emulator:
        return self.app.extensions["emulator"]

    @property
    def base_urls(self) -> dict[str, dict[str, str]]:
        """Ready-to-use base URLs of each vendor's emulated API on this server."""
        if self.url is None:
            raise RuntimeError("this emulator is not served over HTTP; use intercept() and the real URLs")
        return {v.name: v.base_urls(self.url, self.emulator) for v in VENDORS}

    # -- state -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the session's fixtures: state, journal, deferred work and clock.

        The fixtures are seeded through the vendors once; every later reset puts back a store
        snapshot of the result, so its cost does not depend on how slow seeding is (values the
        seeding generated, such as secrets and timestamps, are the same in every test).
        """
        emulator = self.emulator
        emulator.reset()
        emulator.clock.resume()
        if self._snapshot is not None:
            emulator.store.restore(self._snapshot)
            return
        if self.fixtures:
            seeding.apply(emulator, self.fixtures)
        self._snapshot = emulator.store.snapshot()

    def seed(self, document: dict[str, Any]) -> None:
        """Add or replace what a fixtures document names (``EmulatorError`` names a bad key)."""
        seeding.apply(self.emulator, document)

    def state(self) -> dict[str, Any]:
        return seeding.export(self.emulator)

    def drain(self) -> int:
        """Apply all deferred work that is due (Copernica's ``async=1``…); return how much is left."""
        return self.emulator.work.drain()

    # -- journal ------------------------------------------------------------------------------
    def requests(self, method: str | None = None, path: str | None = None, **match: Any) -> list[Entry]:
        """Recorded requests, oldest first, filtered by any matcher keys (see ``Matcher``)."""
        return self.emulator.journal.entries(_matcher(method, path, match))

    def count(self, method: str | None = None, path: str | None = None, **match: Any) -> int:
        return len(self.requests(method, path, **match))

    def unmatched(self) -> list[Entry]:
        """Requests on a vendor's path that no emulated route answered."""
        return self.requests(matched=False)

    def clear_requests(self) -> None:
        self.emulator.journal.clear()

    def assert_request_made(self, method: str | None = None, path: str | None = None, *,
                            times: int | None = None, **match: Any) -> Entry:
        """At least one request (or exactly ``times``) matched; returns the newest match.

        ``match`` takes the matcher keys: ``vendor``, ``tenant``, ``query={"fields[]": "id==1"}``,
        ``json={...}`` (contained in the body), ``form``, ``headers``, ``body``, ``status``…
        """
        __tracebackhide__ = True  # pytest shows the test's line, not ours
        matcher = _matcher(method, path, match)
        everything = self.emulator.journal.entries()
        found = [e for e in everything if matcher.matches(e)]
        if found and (times is None or len(found) == times):
            return found[-1]
        if found:
            raise RequestAssertionError(_listing([f"Expected {times} request(s) matching: {matcher.describe()}",
                                                  f"but {len(found)} matched:"], found))
        raise RequestAssertionError(self._no_match_message(matcher, everything))

    def assert_no_request_made(self, method: str | None = None, path: str | None = None, **match: Any) -> None:
        __tracebackhide__ = True
        matcher = _matcher(method, path, match)
        found = [e for e in self.emulator.journal.entries() if matcher.matches(e)]
        if found:
            raise RequestAssertionError(_listing([f"Expected no request matching: {matcher.describe()}",
                                                  f"but {len(found)} {'was' if len(found) == 1 else 'were'} made:"],
                                                 found))

    @staticmethod
    def _no_match_message(matcher: Matcher, everything: list[Entry]) -> str:
        lines = [f"Expected a request matching: {matcher.describe()}"]
        if not everything:
            lines.append("but no request reached the emulator at all.")
            return "\n".join(lines)
        lines.append(f"but none of the {len(everything)} request(s) made matched. Closest:")
        for i, (entry, reasons) in enumerate(closest(everything, matcher), 1):
            lines += _numbered(i, describe(entry, reasons))
        return "\n".join(lines)

    # -- interception ---------------------------------------------------------------------------
    def intercept(self, passthrough: bool | Iterable[str] = True) -> Intercept:
        """``with emulator.intercept():`` — requests/httpx calls to the vendors' real hosts are
        answered by this emulator in-process; other hosts pass through (see ``Intercept``)."""
        from .intercept import Intercept  # responses, respx and httpx only when asked for

        return Intercept(self.app, passthrough)

    def close(self) -> None:
        self.emulator.close()

    def __repr__(self) -> str:
        return f"<EmulatorHandle {self.url or 'in-process'}>"


def _listing(header: list[str], entries: list[Any]) -> str:
    """``header`` followed by each entry, numbered, as an assertion message."""
    lines = list(header)
    for i, entry in enumerate(entries, 1):
        lines += _numbered(i, describe(entry))
    return "\n".join(lines)


def _numbered(i: int, lines: list[str]) -> list[str]:
    return [f"  {i}. {lines[0]}"] + [f"  {line}" for line in lines[1:]]

