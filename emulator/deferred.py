"""Work the vendors do after they have answered: Copernica's ``async=1`` updates, and
anything else a vendor acknowledges first and applies later.

One worker thread applies the work strictly in order of arrival, each item once the emulator's
clock has reached its due time (an item that is not due yet holds back the ones behind it, as
a vendor's queue would). ``drain()`` lets a test wait until everything due has been applied,
so tests never poll.
"""
from __future__ import annotations

import contextlib
import contextvars
import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import changelog
from .clock import Clock

log = logging.getLogger(__name__)


@dataclass(order=True)
class _Item:
    seq: int
    due: datetime | None = field(compare=False)
    fn: Callable[[], object] = field(compare=False)
    label: str = field(compare=False, default="")


class WorkQueue:
    POLL_SECONDS = 0.05  # how often a not-yet-due item is looked at again
    BATCH = 64  # items applied under one hold of ``batch_lock``

    def __init__(self, clock: Clock, batch_lock: Any = None):
        """``batch_lock`` (the store's lock) is taken once for a run of due items: under load,
        handing the store's lock back and forth between the worker and the request threads
        for every item costs more than the items themselves."""
        self.clock = clock
        self._batch_lock = batch_lock if batch_lock is not None else contextlib.nullcontext()
        self._cond = threading.Condition()
        self._items: deque[_Item] = deque()
        self._running = 0
        self._seq = itertools.count()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="deferred-work", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], object], due: datetime | None = None, label: str = "") -> None:
        """Queue ``fn``; it runs in a copy of the caller's context, so what it writes is
        attributed to the request that queued it (``changelog.pin_origin``)."""
        context = contextvars.copy_context()
        context.run(changelog.pin_origin)
        with self._cond:
            self._items.append(_Item(next(self._seq), due, lambda: context.run(fn), label))
            self._cond.notify_all()

    def pending(self) -> list[dict]:
        with self._cond:
            return [{"label": i.label, "due": i.due.isoformat() if i.due else None} for i in self._items]

    def drain(self, timeout: float = 30.0) -> int:
        """Wait until no item that is due now is left or running; return how many are left (not due)."""
        with self._cond:
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._running == 0 and self._next_due() is None, timeout=timeout)
            return len(self._items)

    def clear(self) -> None:
        with self._cond:
            self._items.clear()
            self._cond.notify_all()

    def stop(self) -> None:
        """Apply what is due, then stop the worker."""
        self.drain(timeout=5.0)
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=5.0)

    def _next_due(self) -> _Item | None:
        if not self._items:
            return None
        head = self._items[0]
        return head if head.due is None or head.due <= self.clock.now() else None

    def _run(self) -> None:
        while True:
            with self._cond:
                item = self._next_due()
                while item is None and not self._stopped:
                    self._cond.wait(timeout=self.POLL_SECONDS if self._items else None)
                    item = self._next_due()
                if item is None:
                    return
                batch = [self._items.popleft()]
                while len(batch) < self.BATCH and self._next_due() is not None:
                    batch.append(self._items.popleft())
                self._running += len(batch)
            with self._batch_lock:
                for item in batch:
                    try:
                        item.fn()
                    except Exception:  # deferred work must never kill the worker
                        log.exception("deferred work %r failed", item.label)
            with self._cond:
                self._running -= len(batch)
                self._cond.notify_all()
