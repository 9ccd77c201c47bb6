"""The emulator's clock.

Every timestamp the emulator writes (Copernica's ``modified``, Target's ``modifiedAt``, ACS's
``lastModified``) and every delay it waits out reads this clock, never ``datetime.now`` directly,
so a test can freeze or advance time instead of sleeping.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class Clock:
    """Real time by default; frozen at an instant, or shifted by an offset, on request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen_at: datetime | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return datetime.now(timezone.utc) + self._offset

    def freeze(self, at: datetime | None = None) -> datetime:
        with self._lock:
            if at is None:
                at = datetime.now(timezone.utc) + self._offset
            if at.tzinfo is None:
                at = at.replace(tzinfo=timezone.utc)
            self._frozen_at = at.astimezone(timezone.utc)
            return self._frozen_at

    def advance(self, seconds: float) -> datetime:
        """Move time forward (frozen or not) by ``seconds``."""
        with self._lock:
            step = timedelta(seconds=seconds)
            if self._frozen_at is not None:
                self._frozen_at += step
            else:
                self._offset += step
        return self.now()

    def resume(self) -> datetime:
        """Back to real time, with no offset."""
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta(0)
        return self.now()

    def describe(self) -> dict:
        now = self.now()
        with self._lock:
            mode = "frozen" if self._frozen_at is not None else ("offset" if self._offset else "real")
            offset = self._offset.total_seconds()
        return {"now": now.isoformat(), "mode": mode, "offset_seconds": offset}
