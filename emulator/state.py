"""The emulator's state: one ``Emulator`` per app, and ``current_emulator()`` to reach it.

This layer sits between the core (store, clock, journal, change log, deferred work) and the
vendors: a vendor's routes import ``current_emulator`` from here, and the ``Emulator`` is handed
the vendor registry by the app factory instead of importing it, so imports run one way.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from flask import current_app

from . import changelog, journal, seeding
from .clock import Clock
from .deferred import WorkQueue
from .realism.core import Realism
from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    from .vendors.base import Registry


class Emulator:
    """The state behind one app: store, clock, deferred work and settings."""

    def __init__(self, settings: Settings, vendors: Registry, store: Store | None = None):
        self.settings = settings
        self.store = store if store is not None else Store(settings.data, settings.flush_interval)
        self.clock = Clock()
        self.work = WorkQueue(self.clock, batch_lock=self.store.lock)
        if settings.history_size > 0 and self.store.changes is None:
            self.store.changes = changelog.ChangeLog(settings.history_size, now=self.clock.now,
                                                     total_bytes=settings.history_bytes,
                                                     entry_bytes=settings.history_entry_bytes)
        self.journal = journal.Journal(settings.journal_size, settings.journal_bytes, settings.journal_entry_bytes)
        self.vendors = vendors
        self.realism = Realism(self)  # per-tenant settings, faults, latency, quotas
        self.ready = threading.Event()
        self._closed = False

    def load_start_fixtures(self) -> None:
        """Demo and ``--fixtures`` documents, but only into an empty store: a data file that
        already holds state is never overwritten by the seeds it was made from."""
        if any(self.store.tenants(v.name) for v in self.vendors):
            return
        documents: list[tuple[Any, bool]] = []  # (document, checked by jsoninput.loads)
        if self.settings.demo:
            documents.append((seeding.demo_fixtures(), False))
        documents.extend((seeding.read_fixtures_file(path), True) for path in self.settings.fixtures)
        token = changelog.change_origin.set({"label": "fixtures loaded at start"})
        try:
            seeding.apply_all(self, documents)  # every file validated before any is applied
        finally:
            changelog.change_origin.reset(token)

    def reset(self, vendor: str | None = None, tenant: str | None = None) -> None:
        self.work.clear()
        self.journal.clear(vendor, tenant)
        self.realism.reset(vendor, tenant)
        for v in self.vendors:
            if vendor is None or v.name == vendor:
                v.reset(self, tenant)

    def close(self) -> None:
        """Apply due deferred work, then write the data file. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.work.stop()
        self.store.close()


def current_emulator() -> Emulator:
    """The ``Emulator`` of the app handling the current request."""
    emulator: Emulator = current_app.extensions["emulator"]
    return emulator
