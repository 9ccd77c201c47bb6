"""Call quotas on the emulator's clock: how many calls a tenant made in the last 24 hours.

Vendors count "per rolling 24 hours" (Adobe Target: 1,000,000 profile API calls). The counter
keeps one bucket per minute, so its memory is bounded (at most 1,440 buckets) whatever the
limit, and a call leaves the window 24 hours after the start of its minute.
Advancing the clock by a day empties it, so a test never waits for a quota to come back.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass

DAY = 24 * 3600.0


@dataclass(frozen=True)
class QuotaCheck:
    allowed: bool
    used: int  # calls in the window, this one included when it was allowed
    limit: int
    retry_after: float  # seconds until a call leaves the window (0 when allowed, inf for a limit of 0)


class RollingCounter:
    """Calls in the last ``window`` seconds, in ``bucket``-second buckets; thread-safe."""

    def __init__(self, window: float = DAY, bucket: float = 60.0):
        self.window = window
        self.bucket = bucket
        self._buckets: dict[int, int] = {}
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        oldest = math.floor((now - self.window) / self.bucket)
        for key in [k for k in self._buckets if k <= oldest]:
            del self._buckets[key]

    def used(self, now: float) -> int:
        with self._lock:
            self._prune(now)
            return sum(self._buckets.values())

    def take(self, now: float, limit: int) -> QuotaCheck:
        """Count one call if the window has room for it."""
        with self._lock:
            self._prune(now)
            used = sum(self._buckets.values())
            if used >= limit:
                if not self._buckets:  # a limit of 0: no call is ever allowed
                    return QuotaCheck(False, 0, limit, math.inf)
                retry = min(self._buckets) * self.bucket + self.window - now
                return QuotaCheck(False, used, limit, max(retry, 0.0))
            key = math.floor(now / self.bucket)
            self._buckets[key] = self._buckets.get(key, 0) + 1
            return QuotaCheck(True, used + 1, limit, 0.0)
