"""The Store: tenant-scoped collections of JSON documents on TinyDB.

Every vendor keeps its state here, one TinyDB table per (vendor, tenant, collection), named
``"<vendor>/<tenant>/<collection>"``. The data file is TinyDB's own JSON layout, so a user can
open it with ``TinyDB(path)`` and read it.

Why not plain ``Table.insert``/``Table.update`` for every write: TinyDB's storage interface
reads and writes the *whole* database, so ``Table.update`` rebuilds and rewrites the table on
each call (about 50 ms at 100,000 documents against 0.4 ms at 1,000). A single-profile write
must cost the same at any size, so the keyed methods here (``get``/``put``/``delete``) go
straight to the document by its key in the storage's in-memory dict. Scans still use TinyDB's
``Table.search``, and bulk changes may use any TinyDB table method.

Documents are never changed in place: ``put`` stores a private deep copy and ``get`` hands out
one, so a flush can snapshot the tables with shallow copies under the lock and serialise them
outside it, and a reader never sees a half-made change.

Durability: with a path, the whole database is written in the background every
``flush_interval`` seconds when something changed, by atomic replace (temp file, fsync,
rename, fsync of the directory). ``close()`` writes whatever is left, so a clean shutdown loses
no acknowledged write, and a crash loses at most the writes of the last flush interval plus the
time one flush takes (flushes start at a fixed rate), never leaving a torn file. A failed write
never stops the flusher: it is logged, retried every interval, and reported through
``flush_failure`` (``/_emulator/health`` answers 503 while the file is not being written).
"""
from __future__ import annotations

import copy
import itertools
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from .changelog import ChangeLog
from .jsondoc import Doc

__all__ = ["FlushError", "Store", "StoreFileError"]

log = logging.getLogger(__name__)



class StoreFileError(Exception):
    """The data file exists but is not a TinyDB JSON database."""


class FlushError(Exception):
    """The data file could not be written (the store keeps the state and retries)."""


def clone(value: Any) -> Any:
    """A deep copy of a JSON-shaped value; several times faster than ``copy.deepcopy``, which
    matters because every keyed read and write copies its document."""
    kind = type(value)
    if kind is dict:
        return {k: clone(v) for k, v in value.items()}
    if kind is list:
        return [clone(v) for v in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    return copy.deepcopy(value)


class InMemoryFlushingStorage(Storage):
    """TinyDB storage that holds the database in memory and writes it to disk on ``flush``.

    TinyDB calls ``read``/``write`` with the whole database; here both are reference swaps,
    so TinyDB's own table operations stay cheap and the disk is touched only by ``flush``.
    """

    def __init__(self, path: str | None = None):
        super().__init__()
        self.path = path
        self.memory: dict[str, dict[str, Doc]] = {}
        if path and os.path.exists(path) and os.path.getsize(path) > 0:
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError) as exc:
                raise StoreFileError(f"{path} is not a readable TinyDB JSON file: {exc}") from exc
            if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
                raise StoreFileError(f"{path} is not a TinyDB JSON database (expected an object of tables)")
            self.memory = data

    def read(self) -> dict[str, dict[str, Doc]]:
        return self.memory

    def write(self, data: dict[str, dict[str, Doc]]) -> None:
        self.memory = data

    def write_file(self, snapshot: dict[str, dict[str, Doc]]) -> None:
        """Atomically replace the data file with ``snapshot``."""
        directory = os.path.dirname(os.path.abspath(self.path))
        try:
            text = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:
            # a string that is not Unicode text (a lone surrogate) got past the entry points:
            # written escaped (``\ud800``, which ``json.load`` reads back) rather than not at all
            log.error("the store holds text that is not valid Unicode; the data file gets it escaped")
            text = json.dumps(snapshot, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        try:  # make the rename itself durable
            dir_fd = os.open(directory, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)


class KeyedTable(Table):
    """A TinyDB table whose document ids are the vendor's own keys (strings)."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self):  # pragma: no cover - the Store always chooses keys itself
        raise TypeError("documents in the emulator's store are always put under an explicit key")


class KeyedTinyDB(TinyDB):
    table_class = KeyedTable


def table_name(vendor: str, tenant: str, collection: str) -> str:
    return f"{vendor}/{tenant}/{collection}"


class Store:
    """Tenant-scoped, thread-safe document store. See the module docstring for why it looks so."""

    COUNTERS = "_counters"

    def __init__(self, path: str | None = None, flush_interval: float = 1.0):
        self.path = path
        self.flush_interval = flush_interval
        self.lock = threading.RLock()
        self._flush_lock = threading.Lock()
        self._db = KeyedTinyDB(storage=InMemoryFlushingStorage, path=path)
        self._storage: InMemoryFlushingStorage = self._db.storage  # type: ignore[assignment]
        self._dirty = False
        self._generation = 0  # bumped on every change; lets the flusher skip idle periods
        #: why the last write of the data file failed, and since when (None while it succeeds)
        self.flush_failure: dict[str, Any] | None = None
        #: when the data file was last written, and how long that write took (seconds)
        self.last_flush_at: float | None = None
        self.last_flush_seconds: float | None = None
        self._stop = threading.Event()
        self._flusher: threading.Thread | None = None
        #: the change log (``emulator/changelog.py``), when the app switched it on
        self.changes: ChangeLog | None = None
        if path and flush_interval > 0:
            self._flusher = threading.Thread(target=self._flush_loop, name="store-flush", daemon=True)
            self._flusher.start()

    # -- keyed access: O(1) whatever the table size -------------------------------------------
    def get(self, vendor: str, tenant: str, collection: str, key: str) -> Doc | None:
        with self.lock:
            doc = self._storage.memory.get(table_name(vendor, tenant, collection), {}).get(str(key))
            return clone(doc) if doc is not None else None

    def peek(self, vendor: str, tenant: str, collection: str, key: str) -> Doc | None:
        """The stored document itself, not a copy: for hot read-only paths. Never mutate it;
        ``put`` replaces documents whole, so what a caller peeked at stays consistent."""
        with self.lock:
            return self._storage.memory.get(table_name(vendor, tenant, collection), {}).get(str(key))

    def put(self, vendor: str, tenant: str, collection: str, key: str, doc: Doc) -> None:
        stored = clone(doc)
        name = table_name(vendor, tenant, collection)
        with self.lock:
            table = self._storage.memory.setdefault(name, {})
            before = table.get(str(key))
            table[str(key)] = stored
            self._changed(name)
            if self.changes is not None:
                self.changes.record(name, str(key), before, stored)

    def delete(self, vendor: str, tenant: str, collection: str, key: str) -> bool:
        name = table_name(vendor, tenant, collection)
        with self.lock:
            removed = self._storage.memory.get(name, {}).pop(str(key), None)
            if removed is not None:
                self._changed(name)
                if self.changes is not None:
                    self.changes.record(name, str(key), removed, None)
            return removed is not None

    def exists(self, vendor: str, tenant: str, collection: str, key: str) -> bool:
        with self.lock:
            return str(key) in self._storage.memory.get(table_name(vendor, tenant, collection), {})

    def next_id(self, vendor: str, tenant: str, collection: str, start: int = 1) -> int:
        """The next integer id of a collection; persisted, so ids are never reused."""
        with self.lock:
            counters = self._storage.memory.setdefault(table_name(vendor, tenant, self.COUNTERS), {})
            value = max(int(counters.get(collection, {}).get("next", start)), start)
            counters[collection] = {"next": value + 1}
            self._changed(table_name(vendor, tenant, self.COUNTERS))
            return value

    def bump_id(self, vendor: str, tenant: str, collection: str, used: int) -> None:
        """Make sure ``next_id`` never hands out ``used`` (for ids that came from fixtures)."""
        with self.lock:
            counters = self._storage.memory.setdefault(table_name(vendor, tenant, self.COUNTERS), {})
            if int(counters.get(collection, {}).get("next", 1)) <= used:
                counters[collection] = {"next": used + 1}
                self._changed(table_name(vendor, tenant, self.COUNTERS))

    # -- scans -----------------------------------------------------------------------------------
    def search(self, vendor: str, tenant: str, collection: str,
               cond: Callable[[Doc], bool] | None = None) -> list[Document]:
        """Documents of a collection matching ``cond`` (all when None), in insertion order.

        The documents are TinyDB ``Document`` shallow copies: read them, never mutate nested
        values; ``put`` a changed copy instead. ``doc.doc_id`` is the document's key.
        """
        with self.lock:
            table = self._table(vendor, tenant, collection)
            return table.all() if cond is None else table.search(_Cond(cond))

    def keys(self, vendor: str, tenant: str, collection: str, start: int = 0,
             stop: int | None = None) -> list[str]:
        """Keys in insertion order; ``start``/``stop`` slice them without copying the rest, so
        the first page of a large collection costs the same as of a small one."""
        with self.lock:
            table = self._storage.memory.get(table_name(vendor, tenant, collection), {})
            if start == 0 and stop is None:
                return list(table)
            return list(itertools.islice(table, start, stop))

    def page(self, vendor: str, tenant: str, collection: str, offset: int,
             limit: int) -> tuple[int, list[tuple[str, Doc]]]:
        """How many documents there are, and ``limit`` of them from position ``offset`` (insertion
        order), without copying the collection's keys: the dashboard pages through 100,000
        profiles this way. The documents are the stored ones: never mutate them."""
        with self.lock:
            table = self._storage.memory.get(table_name(vendor, tenant, collection), {})
            return len(table), list(itertools.islice(table.items(), max(offset, 0), max(offset, 0) + max(limit, 0)))

    def count(self, vendor: str, tenant: str, collection: str) -> int:
        with self.lock:
            return len(self._storage.memory.get(table_name(vendor, tenant, collection), {}))

    # -- tenants -------------------------------------------------------------------------------
    def tenants(self, vendor: str) -> list[str]:
        with self.lock:
            found: dict[str, None] = {}
            for name, docs in self._storage.memory.items():
                v, _, rest = name.partition("/")
                tenant = rest.rpartition("/")[0]
                if v == vendor and docs and not name.endswith("/" + self.COUNTERS):
                    found[tenant] = None
            return list(found)

    def drop(self, vendor: str | None = None, tenant: str | None = None) -> None:
        """Forget everything, one vendor's state, or one tenant of a vendor."""
        with self.lock:
            for name in list(self._storage.memory):
                v, _, rest = name.partition("/")
                t = rest.rpartition("/")[0]
                if (vendor is None or v == vendor) and (tenant is None or t == tenant):
                    del self._storage.memory[name]
                    self._db.table(name).clear_cache()
            if self.changes is not None:
                self.changes.forget(lambda name: not _in_scope(name, vendor, tenant))
            self._dirty = True
            self._generation += 1

    @property
    def generation(self) -> int:
        """Bumped on every change, so a reader (the dashboard) can tell that something changed."""
        return self._generation

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the store's lock across a read-modify-write, so it applies whole or not at all."""
        with self.lock:
            yield self

    # -- snapshots: what lets a test suite go back to its fixtures without seeding again -------
    def snapshot(self) -> dict[str, dict[str, Doc]]:
        """Every table as it is now. Cheap (a dict copy per table): documents are never
        changed in place, so the snapshot can share them with the live tables."""
        with self.lock:
            return {name: dict(docs) for name, docs in self._storage.memory.items()}

    def restore(self, snapshot: dict[str, dict[str, Doc]]) -> None:
        """Put back exactly what ``snapshot`` held (counters included); the snapshot stays usable."""
        with self.lock:
            memory = self._storage.memory
            for name in set(memory) | set(snapshot):
                self._db.table(name).clear_cache()
            memory.clear()
            memory.update({name: dict(docs) for name, docs in snapshot.items()})
            if self.changes is not None:  # the history of a state that was put back is void
                self.changes.forget(lambda name: False)
            self._dirty = True
            self._generation += 1

    # -- persistence ---------------------------------------------------------------------------
    def flush(self) -> bool:
        """Write the database to the data file if anything changed; True if it wrote.

        A failed write leaves the store dirty (the next flush writes everything again), is
        remembered in ``flush_failure`` until a write succeeds, and raises ``FlushError``."""
        if not self.path:
            return False
        with self._flush_lock:
            with self.lock:
                if not self._dirty:
                    return False
                snapshot = {name: dict(docs) for name, docs in self._storage.memory.items()}
                self._dirty = False
            started = time.monotonic()
            try:
                self._storage.write_file(snapshot)
            except Exception as exc:
                with self.lock:
                    self._dirty = True
                reason = f"{type(exc).__name__}: {exc}"
                if self.flush_failure is None:
                    self.flush_failure = {"error": reason, "since": time.time(), "attempts": 1}
                else:
                    self.flush_failure.update(error=reason, attempts=self.flush_failure["attempts"] + 1)
                raise FlushError(f"could not write the data file {self.path}: {reason}") from exc
            except BaseException:
                with self.lock:
                    self._dirty = True
                raise
            self.last_flush_seconds = time.monotonic() - started
            self.last_flush_at = time.time()
            if self.flush_failure is not None:
                log.warning("the data file %s is written again, after %d failed attempts",
                            self.path, self.flush_failure["attempts"])
                self.flush_failure = None
            return True

    def close(self) -> None:
        """Stop the background flusher and write what is left. Safe to call twice; raises
        ``FlushError`` when the last write fails (the caller tells the user)."""
        self._stop.set()
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join(timeout=max(5.0, self.flush_interval * 2))
        self.flush()

    # -- internals -----------------------------------------------------------------------------
    def _table(self, vendor: str, tenant: str, collection: str) -> Table:
        return self._db.table(table_name(vendor, tenant, collection), cache_size=0)

    def _changed(self, name: str) -> None:
        self._dirty = True
        self._generation += 1

    def _flush_loop(self) -> None:
        """Flush at a fixed rate: a flush starts ``flush_interval`` after the previous one
        *started*, so an acknowledged write reaches the file within one interval plus the
        time one flush takes. Nothing stops the loop but ``close``: a failed write (a full
        disk, a removed directory, anything) is logged and retried at the next tick."""
        next_start = time.monotonic() + self.flush_interval
        while not self._stop.wait(max(0.0, next_start - time.monotonic())):
            next_start = time.monotonic() + self.flush_interval
            try:
                self.flush()
            except Exception as exc:
                failure = self.flush_failure or {}
                if failure.get("attempts", 1) == 1 or failure.get("attempts", 1) % 100 == 0:
                    log.error("%s; the state is kept in memory and the write retried every %gs",
                              exc, self.flush_interval)


def _in_scope(name: str, vendor: str | None, tenant: str | None) -> bool:
    v, _, rest = name.partition("/")
    return (vendor is None or v == vendor) and (tenant is None or rest.rpartition("/")[0] == tenant)


class _Cond:
    """Adapts a plain predicate to TinyDB's query protocol (callable and hashable, uncached)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Doc], bool]):
        self.fn = fn

    def __call__(self, doc: Doc) -> bool:
        return bool(self.fn(doc))

    def __hash__(self) -> int:
        return id(self)

    def is_cacheable(self) -> bool:
        return False
