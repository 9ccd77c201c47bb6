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

Seeding writes whole collections at once: ``put_many``/``delete_many`` are the keyed writes of
many documents as one operation (one lock, one dirty mark, the indexes refiled in bulk or built
again on first use, the change log told once), and ``take_ids`` hands out a run of ids.

Documents are never changed in place: ``put`` stores a private deep copy and ``get`` hands out
one, so a flush can snapshot the tables with shallow copies under the lock and serialise them
outside it, and a reader never sees a half-made change.

Secondary indexes (``emulator/indexes.py``): ``find`` answers a lookup by value (equality, a
range, a prefix) from an index declared by the caller, built from the collection on first use
and then kept up to date by every ``put``, ``delete``, ``drop`` and ``restore``; so every write
must go through those methods, never through a TinyDB table. Indexes live beside the data, never
in the data file: a store read from a file builds them again when they are first used. A
``restore`` of the snapshot taken or restored last repairs them from the keys written since,
so a test suite that resets to its fixtures before each test keeps its indexes warm.

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
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from .changelog import ChangeLog
from .indexes import Index, IndexSpec
from .jsondoc import Doc

__all__ = ["FlushError", "IndexSpec", "Store", "StoreFileError"]

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
        path = self.path
        if path is None:
            raise FlushError("there is no data file to write (the store was made without one)")
        directory = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.writelines(json_pieces(snapshot))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
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


#: documents encoded at a time when the data file is written: one ``json.dumps`` of 100,000
#: profiles held the GIL for half a second, every flush interval, while every request waited
FILE_CHUNK = 500


def json_pieces(snapshot: Mapping[str, Mapping[str, Doc]], chunk: int = FILE_CHUNK) -> Iterator[bytes]:
    """The data file's bytes, as ``json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))``
    encoded in UTF-8 would make them, in pieces of ``chunk`` documents: between two pieces the
    interpreter can hand the GIL to a request thread, and the whole text is never in memory."""
    yield b"{"
    for t, (name, docs) in enumerate(snapshot.items()):
        yield (b"," if t else b"") + _encoded(name) + b":{"
        items = iter(docs.items())
        first = True
        while piece := dict(itertools.islice(items, chunk)):
            yield (b"" if first else b",") + _encoded(piece)[1:-1]
            first = False
        yield b"}"
    yield b"}"


def _encoded(value: Any) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        # a string that is not Unicode text (a lone surrogate) got past the entry points:
        # written escaped (``\ud800``, which ``json.load`` reads back) rather than not at all
        log.error("the store holds text that is not valid Unicode; the data file gets it escaped")
        return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii")


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
    #: past this many keys written to one table since the last snapshot, ``restore`` builds its
    #: indexes again instead of repairing them key by key (and stops counting them)
    TRACKED_KEYS = 50_000

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
        self._indexes: dict[str, dict[str, Index]] = {}  # table name -> index name -> index
        self._positions: dict[str, _Positions] = {}  # table name -> insertion order, once asked
        # what restore() needs to repair indexes instead of building them again: the snapshot
        # the live state was last equal to, and which keys of which tables were written since
        self._baseline: dict[str, dict[str, Doc]] | None = None
        self._touched: dict[str, set[str]] = {}
        self._untracked: set[str] = set()  # tables changed since the baseline in untracked ways
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
            self._refile(name, str(key), before, stored)
            if self.changes is not None:
                self.changes.record(name, str(key), before, stored)

    def delete(self, vendor: str, tenant: str, collection: str, key: str) -> bool:
        name = table_name(vendor, tenant, collection)
        with self.lock:
            removed = self._storage.memory.get(name, {}).pop(str(key), None)
            if removed is not None:
                self._changed(name)
                self._refile(name, str(key), removed, None)
                if self.changes is not None:
                    self.changes.record(name, str(key), removed, None)
            return removed is not None

    # -- bulk writes: what seeding uses, one operation for a whole collection ---------------------
    def put_many(self, vendor: str, tenant: str, writes: Iterable[tuple[str, str, Doc]], *,
                 owned: bool = False) -> int:
        """``put`` of each ``(collection, key, doc)`` in turn, as one operation: one lock, one
        dirty mark, the indexes refiled in bulk (or forgotten, to be built again on first use,
        when the write is large against its collection), the change log told once.

        Why: seeding 100,000 profiles one ``put`` at a time pays the lock, the copy, the index
        maintenance and a change-log entry 100,000 times. ``owned``: the caller made the
        documents for this call and never touches them again, so they are stored as they are,
        without the copy ``put`` makes. Returns how many documents were written."""
        memory = self._storage.memory
        with self.lock:
            done: list[tuple[str, str, Doc | None, Doc | None]] = []
            for collection, key, doc in writes:
                name = table_name(vendor, tenant, collection)
                stored = doc if owned else clone(doc)
                table = memory.get(name)
                if table is None:
                    table = memory[name] = {}
                key = str(key)
                done.append((name, key, table.get(key), stored))
                table[key] = stored
            self._wrote(done)
            return len(done)

    def delete_many(self, vendor: str, tenant: str, collection: str, keys: Iterable[str]) -> int:
        """``delete`` of each key in turn, as one operation (see ``put_many``); keys that are not
        there are skipped. Returns how many documents were removed."""
        name = table_name(vendor, tenant, collection)
        with self.lock:
            table = self._storage.memory.get(name, {})
            done: list[tuple[str, str, Doc | None, Doc | None]] = []
            for key in keys:
                key = str(key)
                removed = table.pop(key, None)
                if removed is not None:
                    done.append((name, key, removed, None))
            self._wrote(done)
            return len(done)

    def take_ids(self, vendor: str, tenant: str, collection: str, given: Iterable[int | None],
                 start: int = 1) -> list[int]:
        """Ids for a run of documents, as ``next_id`` (for each None) and ``bump_id`` (for each
        given id, kept as it is) called one after the other would hand them out, under one lock."""
        with self.lock:
            name = table_name(vendor, tenant, self.COUNTERS)
            counters = self._storage.memory.get(name, {})
            held = counters.get(collection)
            current = int(held.get("next", start)) if held is not None else None
            bumped = int(held.get("next", 1)) if held is not None else 1
            out = []
            for used in given:
                if used is None:
                    used = max(current if current is not None else start, start)
                    current = bumped = used + 1
                elif bumped <= used:
                    current = bumped = used + 1
                out.append(used)
            if current is not None and (held is None or int(held.get("next", start)) != current):
                self._storage.memory.setdefault(name, counters)[collection] = {"next": current}
                self._changed(name)
            return out

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

    def find(self, vendor: str, tenant: str, collection: str, index: IndexSpec, operator: str,
             value: Any, cond: Callable[[Doc], bool] | None = None, *,
             ordered: bool = False) -> list[Document]:
        """Documents whose value in ``index`` satisfies ``<value in index> <operator> value``
        (an operator of ``indexes.OPERATORS``) and that ``cond`` accepts, without reading the
        others: what ``search`` answers with a predicate, at the cost of the matches only.

        The index is built from the collection the first time it is asked for, and kept up to
        date from then on. In the index's value order, or in insertion order (as ``search``)
        when ``ordered``. The documents are ``Document`` shallow copies, as ``search``'s.
        """
        return self.find_any(vendor, tenant, collection, [(index, operator, value)], cond, ordered=ordered)

    def find_any(self, vendor: str, tenant: str, collection: str,
                 lookups: Iterable[tuple[IndexSpec, str, Any]],
                 cond: Callable[[Doc], bool] | None = None, *, ordered: bool = False) -> list[Document]:
        """``find`` with several lookups: the documents any of them finds, each once."""
        name = table_name(vendor, tenant, collection)
        with self.lock:
            table = self._storage.memory.get(name, {})
            keys = [self._index(name, index).keys(operator, value) for index, operator, value in lookups]
            unique = keys[0] if len(keys) == 1 else iter(dict.fromkeys(itertools.chain(*keys)))
            found = [(key, table[key]) for key in unique]
            if cond is not None:
                found = [(key, doc) for key, doc in found if cond(doc)]
            if ordered and len(found) > 1:
                position = self._order_of(name)
                found.sort(key=lambda item: position[item[0]])
            # str ids, as KeyedTable's own documents have (TinyDB's annotation says int)
            return [Document(doc, doc_id=key) for key, doc in found]  # type: ignore[arg-type]

    def drop_indexes(self, vendor: str, tenant: str, collection: str, prefix: str = "") -> None:
        """Forget a collection's indexes whose name starts with ``prefix``: for a caller whose
        key functions changed meaning (a field defined again with another type or default)."""
        with self.lock:
            indexes = self._indexes.get(table_name(vendor, tenant, collection), {})
            for index_name in [n for n in indexes if n.startswith(prefix)]:
                del indexes[index_name]

    def indexes(self, vendor: str, tenant: str, collection: str) -> list[str]:
        """The names of the indexes a collection has now (built ones only)."""
        with self.lock:
            return list(self._indexes.get(table_name(vendor, tenant, collection), {}))

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
                    self._forget_table(name)
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
            snapshot = {name: dict(docs) for name, docs in self._storage.memory.items()}
            self._baseline = snapshot
            self._touched.clear()
            self._untracked.clear()
            return snapshot

    def restore(self, snapshot: dict[str, dict[str, Doc]]) -> None:
        """Put back exactly what ``snapshot`` held (counters included); the snapshot stays usable."""
        with self.lock:
            memory = self._storage.memory
            for name in set(memory) | set(snapshot):
                self._db.table(name).clear_cache()
            before = dict(memory)
            memory.clear()
            memory.update({name: dict(docs) for name, docs in snapshot.items()})
            self._repair_indexes(before, repairable=snapshot is self._baseline)
            self._baseline = snapshot
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

    def _index(self, name: str, spec: IndexSpec) -> Index:
        indexes = self._indexes.setdefault(name, {})
        index = indexes.get(spec.name)
        if index is None:
            index = indexes[spec.name] = Index(spec, self._storage.memory.get(name, {}).items())
        return index

    def _order_of(self, name: str) -> dict[str, int]:
        order = self._positions.get(name)
        if order is None:
            order = self._positions[name] = _Positions(self._storage.memory.get(name, {}))
        return order.of

    def _refile(self, name: str, key: str, before: Doc | None, after: Doc | None) -> None:
        """Keep indexes, insertion order and the keys written since the baseline up to date."""
        indexes = self._indexes.get(name)
        if indexes:
            for index in indexes.values():
                index.replace(key, before, after)
        order = self._positions.get(name)
        if order is not None:
            if after is None:
                order.of.pop(key, None)
            elif before is None:  # a new key goes to the end, as in the table's dict
                order.of[key] = order.next
                order.next += 1
        if self._baseline is not None and name not in self._untracked:
            touched = self._touched.setdefault(name, set())
            touched.add(key)
            if len(touched) > self.TRACKED_KEYS:
                del self._touched[name]
                self._untracked.add(name)

    def _wrote(self, done: list[tuple[str, str, Doc | None, Doc | None]]) -> None:
        """After a bulk write (``put_many``, ``delete_many``): ``_refile`` and the change log for
        each write. A table whose write touched a quarter of it or more loses its indexes first
        (one sort when next asked beats as many single refilings)."""
        if not done:
            return
        per_table: dict[str, list[tuple[str, Doc | None, Doc | None]]] = {}
        for name, key, before, after in done:
            per_table.setdefault(name, []).append((key, before, after))
        memory = self._storage.memory
        for name, writes in per_table.items():
            self._changed(name)
            if self._indexes.get(name) and 4 * len(writes) >= len(memory.get(name, {})):
                del self._indexes[name]
            for key, before, after in writes:
                self._refile(name, key, before, after)
        if self.changes is not None:
            self.changes.record_many(done)

    def _forget_table(self, name: str) -> None:
        """A table that went away whole: its indexes and order are built again when asked."""
        self._indexes.pop(name, None)
        self._positions.pop(name, None)
        self._touched.pop(name, None)
        if self._baseline is not None:
            self._untracked.add(name)

    def _repair_indexes(self, before: dict[str, dict[str, Doc]], repairable: bool) -> None:
        """After ``restore``: refile the keys written since the baseline, or, where that is not
        known, forget the indexes so that they are built again from the restored tables."""
        memory = self._storage.memory
        for name, indexes in list(self._indexes.items()):
            table = memory.get(name)
            if not repairable or table is None or name in self._untracked:
                del self._indexes[name]
                continue
            old = before.get(name, {})
            for key in self._touched.get(name, ()):
                was, now = old.get(key), table.get(key)
                if was is not now:
                    for index in indexes.values():
                        index.replace(key, was, now)
        if repairable:
            for name in set(self._touched) | self._untracked:
                self._positions.pop(name, None)
        else:
            self._positions.clear()
        self._touched.clear()
        self._untracked.clear()

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


class _Positions:
    """Where each key of a table stands in its insertion order, for ``find(ordered=True)``.
    Kept up to date by writes once built: a new key goes last, a deleted one leaves no gap that
    matters, since only the relative order is read."""

    __slots__ = ("of", "next")

    def __init__(self, table: dict[str, Doc]):
        self.of = {key: i for i, key in enumerate(table)}
        self.next = len(self.of)


class _Cond:
    """Adapts a plain predicate to TinyDB's query protocol (callable and hashable, uncached)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Doc], bool]):
        self.fn = fn

    def __call__(self, value: Mapping[Any, Any]) -> bool:
        return bool(self.fn(value))  # type: ignore[arg-type]  # TinyDB hands us its Document, a dict

    def __hash__(self) -> int:
        return id(self)

    def is_cacheable(self) -> bool:
        return False
