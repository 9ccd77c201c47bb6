"""The emulator's clock.

Every timestamp the emulator writes (Copernica's ``modified``, Target's ``modifiedAt``, ACS's
``lastModified``) and every delay it waits out reads this clock, never ``datetime.now`` directly,
so a test can freeze or advance time instead of sleeping.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class Clock:
    """Real time by default; frozen at an instant, or shifted by an offset, on request.

    Its state is one immutable pair, ``(frozen_at, offset)``, replaced whole under the lock, so
    ``now()`` (paid by every request: the journal stamps each) reads it without the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[datetime | None, timedelta] = (None, timedelta(0))

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        frozen_at, offset = self._state
        if frozen_at is not None:
            return frozen_at
        return datetime.now(timezone.utc) + offset if offset else datetime.now(timezone.utc)

    def freeze(self, at: datetime | None = None) -> datetime:
        with self._lock:
            _, offset = self._state
            if at is None:
                at = datetime.now(timezone.utc) + offset
            if at.tzinfo is None:
                at = at.replace(tzinfo=timezone.utc)
            frozen_at = at.astimezone(timezone.utc)
            self._state = (frozen_at, offset)
            return frozen_at

    def advance(self, seconds: float) -> datetime:
        """Move time forward (frozen or not) by ``seconds``."""
        with self._lock:
            step = timedelta(seconds=seconds)
            frozen_at, offset = self._state
            if frozen_at is not None:
                self._state = (frozen_at + step, offset)
            else:
                self._state = (None, offset + step)
        return self.now()

    def resume(self) -> datetime:
        """Back to real time, with no offset."""
        with self._lock:
            self._state = (None, timedelta(0))
        return self.now()

    def describe(self) -> dict:
        frozen_at, offset = self._state
        now = frozen_at if frozen_at is not None else datetime.now(timezone.utc) + offset
        mode = "frozen" if frozen_at is not None else ("offset" if offset else "real")
        return {"now": now.isoformat(), "mode": mode, "offset_seconds": offset.total_seconds()}
