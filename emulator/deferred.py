"""Work the vendors do after they have answered: Copernica's ``async=1`` updates, and
anything else a vendor acknowledges first and applies later.

The work is applied strictly in order of arrival, each item once the emulator's clock has
reached its due time (an item that is not due yet holds back the ones behind it, as a vendor's
queue would), one batch at a time. ``drain()`` lets a test wait until everything due has been
applied, so tests never poll.

Who applies it: a worker thread, woken for each item; or, for an item queued while a server
thread serves a request (``answer_first``: the waitress server sets it), that thread itself,
once its answer is on the wire and unless a batch is being applied already. Waking the worker
for each ``async=1`` PUT of a sequential client cost the server about 130 µs of CPU per PUT
(two threads handing the GIL back and forth, against 4 µs per item in a batch), more than the
update itself; the client had its 204 before the work began either way.
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

#: set by a server around each request it serves (``serving.py``): the queues that had work
#: submitted during it, which the serving thread applies after answering (``apply_due``);
#: None outside a server's request (in process, in tests): the worker is woken at once
answer_first: contextvars.ContextVar[list[WorkQueue] | None] = contextvars.ContextVar(
    "martech_emulator_answer_first", default=None)


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
        self._running = 0  # items being applied; a batch is taken only when none is
        self._draining = 0  # threads waiting in drain()
        self._seq = itertools.count()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="deferred-work", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], object], due: datetime | None = None, label: str = "") -> None:
        """Queue ``fn``; it runs in a copy of the caller's context, so what it writes is
        attributed to the request that queued it (``changelog.pin_origin``)."""
        context = contextvars.copy_context()
        context.run(changelog.pin_origin)
        context.run(answer_first.set, None)  # the work itself runs outside any request
        helpers = answer_first.get()
        with self._cond:
            self._items.append(_Item(next(self._seq), due, lambda: context.run(fn), label))
            if due is not None or helpers is None:
                self._cond.notify_all()
            elif self not in helpers:
                helpers.append(self)  # the serving thread applies it once it has answered

    def apply_due(self) -> None:
        """Apply what is due in the calling thread (a server's, its answer sent), batch after
        batch; if a batch is being applied already, that one's applier takes the rest."""
        while True:
            with self._cond:
                if self._running:  # its applier takes ours after its batch (``_apply``, ``_run``)
                    return
                batch = self._take_due()
                if not batch:
                    return
            self._apply(batch)

    def pending(self) -> list[dict]:
        with self._cond:
            return [{"label": i.label, "due": i.due.isoformat() if i.due else None} for i in self._items]

    def drain(self, timeout: float = 30.0) -> int:
        """Wait until no item that is due now is left or running; return how many are left (not due)."""
        with self._cond:
            self._cond.notify_all()
            self._draining += 1
            try:
                self._cond.wait_for(lambda: self._running == 0 and self._next_due() is None, timeout=timeout)
            finally:
                self._draining -= 1
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

    def _take_due(self) -> list[_Item]:
        """The next batch of due items, counted as running (under ``_cond``, none running)."""
        batch: list[_Item] = []
        while len(batch) < self.BATCH and self._next_due() is not None:
            batch.append(self._items.popleft())
        self._running += len(batch)
        return batch

    def _apply(self, batch: list[_Item]) -> None:
        try:
            with self._batch_lock:
                for item in batch:
                    try:
                        item.fn()
                    except Exception:  # deferred work must never kill the worker
                        log.exception("deferred work %r failed", item.label)
        finally:
            with self._cond:
                self._running -= len(batch)
                if self._draining or self._next_due() is not None:
                    self._cond.notify_all()  # not for nothing: a woken worker costs the GIL twice

    def _run(self) -> None:
        while True:
            with self._cond:
                while (self._running or self._next_due() is None) and not self._stopped:
                    self._cond.wait(timeout=self.POLL_SECONDS if self._items else None)
                if self._running or self._next_due() is None:
                    return  # stopped
                batch = self._take_due()
            self._apply(batch)
