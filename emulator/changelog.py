"""The change log: which request changed which document, and how (before → after).

The dashboard shows a profile's history ("PUT /v3/database/1/profiles set firstname John →
Jane"), for every vendor alike, so the record is kept where every vendor's writes pass: the
Store's ``put`` and ``delete`` call ``ChangeLog.record`` with the document before and after.

Cost per write is O(1) and tiny, whatever the store's size: stored documents are never changed
in place (the Store's rule), so an entry keeps *references* to the old and new documents and
nothing is copied or compared at write time; the field-by-field diff is made only when someone
reads the history. Memory is bounded in count and in bytes: ``per_document`` entries per
document, ``documents`` documents tracked (the least recently changed are forgotten first), the
newest ``recent`` entries of all for the dashboard's "recent changes"; and all the documents
the kept entries hold alive add up to at most ``total_bytes`` (the oldest entries go first). An
entry whose documents are larger than ``entry_bytes`` keeps neither (``truncated``): its action,
origin and size are kept, its diff is not. Sizes are estimated by walking a document once, and
a document's size is remembered for the next change of the same document, whose "before" it is.

Who wrote: ``current_origin()``, the ``change_origin`` context variable where something set it
(fixtures loaded at start), else the request being served: its origin (method, path, query as
received, later its status and journal id) is made the first time the request writes, so a
request that changes nothing pays nothing (issue 13: 14 µs a request when it was made for every
one). What it shows of the request (the query with credentials masked, the label) is worked out
when someone reads a change. Deferred work runs with the origin of the request that queued it
(``WorkQueue.submit`` pins it with ``pin_origin``), so an ``async=1`` update is attributed to its
PUT even though it is applied later.
"""
from __future__ import annotations

import itertools
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from .journal import mask_query  # credentials are masked alike in the journal and the history
from .jsondoc import Doc


#: who is writing now, where something other than a request set it (see ``current_origin``)
change_origin: ContextVar[dict[str, Any] | None] = ContextVar("martech_emulator_change_origin", default=None)

#: characters of a request's path and query kept in its changes' origin
ORIGIN_LIMIT = 2048

#: an origin written when nothing set one (fixtures loaded at start, tests calling the model)
NO_REQUEST: dict[str, Any] = {"label": "emulator (no request)"}


def doc_size(doc: Any) -> int:
    """About how many bytes a JSON-shaped value keeps alive (iterative: any depth)."""
    total, stack = 0, [doc]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is str:
            total += 49 + len(node)
        elif kind is dict:
            total += 64 + 16 * len(node)
            for key, value in node.items():
                total += 49 + len(key) if type(key) is str else 28
                stack.append(value)
        elif kind is list:
            total += 56 + 8 * len(node)
            stack.extend(node)
        else:
            total += 28
    return total


class Change:
    """One write: the document before (None when created) and after (None when deleted)."""

    __slots__ = ("seq", "time", "origin", "table", "key", "before", "after", "action", "size",
                 "after_size", "truncated", "in_doc", "in_recent")

    def __init__(self, seq: int, time: datetime | None, origin: dict[str, Any], table: str, key: str,
                 before: Doc | None, after: Doc | None):
        self.seq, self.time, self.origin = seq, time, origin
        self.table, self.key, self.before, self.after = table, key, before, after
        self.action = "created" if before is None else "deleted" if after is None else "changed"
        self.size = self.after_size = 0
        self.truncated = False
        self.in_doc = self.in_recent = False

    @property
    def vendor_tenant_collection(self) -> tuple[str, str, str]:
        vendor, _, rest = self.table.partition("/")
        tenant, _, collection = rest.rpartition("/")
        return vendor, tenant, collection

    def to_json(self) -> dict[str, Any]:
        """The entry as the control plane shows it, with the field-by-field diff."""
        vendor, tenant, collection = self.vendor_tenant_collection
        body = {
            "seq": self.seq,
            "time": self.time.isoformat() if self.time else None,
            "vendor": vendor, "tenant": tenant, "collection": collection, "key": self.key,
            "action": self.action,
            "request": origin_json(self.origin),
            "changes": [] if self.truncated else diff(self.before, self.after),
        }
        if self.truncated:
            body["truncated"] = True
            body["size"] = self.size
        return body


class ChangeLog:
    def __init__(self, per_document: int = 20, documents: int = 100_000, recent: int = 200,
                 now: Callable[[], datetime] | None = None, total_bytes: int = 64 * 1024 * 1024,
                 entry_bytes: int = 1024 * 1024):
        if per_document < 1 or documents < 1:
            raise ValueError("a change log keeps at least one entry for one document")
        self.per_document = per_document
        self.documents = documents
        self.recent_size = recent
        self.total_bytes = total_bytes
        self.entry_bytes = entry_bytes
        self.now = now
        self._seq = itertools.count(1)
        self._docs: OrderedDict[tuple[str, str], list[Change]] = OrderedDict()
        self.recent: deque[Change] = deque()
        #: every change some list still holds, oldest first, and the bytes they keep alive
        self._all: OrderedDict[int, Change] = OrderedDict()
        self.bytes = 0
        # writers hold the Store's lock already; readers (the dashboard) need this one
        self._lock = threading.Lock()

    def record(self, table: str, key: str, before: Doc | None, after: Doc | None) -> None:
        """Called by the Store under its lock, for every keyed write. O(size of ``after``)."""
        change = Change(next(self._seq), self.now() if self.now else None,
                        current_origin(), table, key, before, after)
        with self._lock:
            self._append(change, *self._sizes(table, key, before, after))

    def record_many(self, writes: list[tuple[str, str, Doc | None, Doc | None]]) -> None:
        """``record`` of each ``(table, key, before, after)`` in turn, for the Store's bulk writes
        (seeding): the log ends exactly as those calls would leave it, but an entry that the
        bounds would drop before the batch ends is never built nor sized.

        Why that is the same: when the batch alone is larger than ``total_bytes`` and names each
        document once, its entries leave the log only by age (oldest first), so everything
        older than the batch goes, and of the batch the newest entries that fit stay, each its
        document's only entry; ``recent`` holds the newest of those. Any other batch is recorded
        entry by entry. The batch's entries share one time and one origin: they are one write."""
        if not writes:
            return
        time = self.now() if self.now else None
        origin = current_origin()
        count = len(writes)
        with self._lock:
            first = next(self._seq)
            self._seq = itertools.count(first + count)
            sizes = self._batch_sizes(writes, _origin_bytes(origin))
            if sizes is None:  # a document written twice: one at a time
                for i, (table, key, before, after) in enumerate(writes):
                    self._append(Change(first + i, time, origin, table, key, before, after),
                                 *self._sizes(table, key, before, after))
                return
            kept = count - len(sizes)  # the first entry that stays: sizes run from the newest back
            if kept == 0:  # the batch fits in the bound: one at a time, sized already
                for i, (table, key, before, after) in enumerate(writes):
                    self._append(Change(first + i, time, origin, table, key, before, after), *sizes[count - 1 - i])
                return
            for old in self._all.values():  # all older than the batch, so all gone
                old.in_doc = old.in_recent = False
            self._all.clear()
            self._docs.clear()
            self.recent.clear()
            self.bytes = 0
            in_recent = max(kept, count - self.recent_size)
            for i in range(kept, count):
                table, key, before, after = writes[i]
                change = Change(first + i, time, origin, table, key, before, after)
                before_size, change.after_size = sizes[count - 1 - i]
                change.size = before_size + change.after_size + _origin_bytes(origin)
                if change.size > self.entry_bytes:
                    change.truncated = True
                    change.before = change.after = None
                change.in_doc = True
                self._docs[(table, key)] = [change]
                self._all[change.seq] = change
                if i >= in_recent:
                    change.in_recent = True
                    self.recent.append(change)
                self.bytes += change.size

    def _batch_sizes(self, writes: list[tuple[str, str, Doc | None, Doc | None]],
                     extra: int) -> list[tuple[int, int]] | None:
        """For ``record_many``: the (before, after) sizes of the batch's entries from the newest
        back, as far as the entries that can stay reach (all of them when the batch fits in the
        bound); None when a document is written twice, or when the entries that may stay are
        more documents than the log tracks (then the batch is recorded one at a time)."""
        if len({(table, key) for table, key, _, _ in writes}) != len(writes):
            return None
        sizes: list[tuple[int, int]] = []
        total = 0
        for table, key, before, after in reversed(writes):
            size = self._sizes(table, key, before, after)
            sizes.append(size)
            total += size[0] + size[1] + extra
            if total > self.total_bytes:
                # this entry goes, with all older ones; the newest stays even when alone too large
                if len(sizes) > self.documents:
                    return None
                return sizes[:-1] if len(sizes) > 1 else sizes
        return sizes

    def _sizes(self, table: str, key: str, before: Doc | None, after: Doc | None) -> tuple[int, int]:
        """The sizes of a change's documents; the one before is the document's last entry's
        after, when it is that document, whose size is known already."""
        if before is None:
            before_size = 0
        else:
            entries = self._docs.get((table, key))
            previous = entries[-1] if entries else None
            before_size = previous.after_size if previous is not None and previous.after is before else doc_size(before)
        return before_size, doc_size(after) if after is not None else 0

    def _append(self, change: Change, before_size: int, after_size: int) -> None:
        """Add ``change`` (under ``_lock``), then drop what the bounds no longer keep."""
        slot = (change.table, change.key)
        entries = self._docs.get(slot)
        change.after_size = after_size
        change.size = before_size + after_size + _origin_bytes(change.origin)
        if change.size > self.entry_bytes:  # keep the fact, not the documents
            change.truncated = True
            change.before = change.after = None
        if entries is None:
            entries = self._docs[slot] = []
            if len(self._docs) > self.documents:
                _, dropped = self._docs.popitem(last=False)
                for old in dropped:
                    old.in_doc = False
                    self._release(old)
        else:
            self._docs.move_to_end(slot)
        entries.append(change)
        change.in_doc = change.in_recent = True
        self.recent.append(change)
        self._all[change.seq] = change
        self.bytes += change.size
        if len(entries) > self.per_document:
            old = entries.pop(0)
            old.in_doc = False
            self._release(old)
        if len(self.recent) > self.recent_size:
            old = self.recent.popleft()
            old.in_recent = False
            self._release(old)
        while self.bytes > self.total_bytes and len(self._all) > 1:
            self._evict_oldest()

    def _release(self, change: Change) -> None:
        """Forget ``change`` once no list holds it any more."""
        if not change.in_doc and not change.in_recent and self._all.pop(change.seq, None) is not None:
            self.bytes -= change.size

    def _evict_oldest(self) -> None:
        """Drop the oldest change of all: it is the first of its document's list and of
        ``recent`` wherever it is in them, since every list is in the order of ``seq``."""
        _, oldest = self._all.popitem(last=False)
        self.bytes -= oldest.size
        if oldest.in_doc:
            slot = (oldest.table, oldest.key)
            entries = self._docs[slot]
            entries.pop(0)
            if not entries:
                del self._docs[slot]
        if oldest.in_recent:
            self.recent.popleft()
        oldest.in_doc = oldest.in_recent = False

    def history(self, table: str, key: str) -> list[Change]:
        """A document's changes, oldest first (a copy of the list)."""
        with self._lock:
            return list(self._docs.get((table, key), ()))

    def newest(self, limit: int, after_seq: int = 0, table: Callable[[str], bool] | None = None) -> list[Change]:
        """The newest ``limit`` changes (with ``seq > after_seq``, of tables ``table`` accepts),
        oldest first."""
        with self._lock:
            found = [c for c in self.recent if c.seq > after_seq and (table is None or table(c.table))]
        return found[-limit:] if limit else []

    def forget(self, keep: Callable[[str], bool]) -> None:
        """Drop the history of every table for which ``keep(table)`` is false (reset, drop)."""
        with self._lock:
            for slot in [s for s in self._docs if not keep(s[0])]:
                for old in self._docs.pop(slot):
                    old.in_doc = False
                    self._release(old)
            kept = []
            for change in self.recent:
                if keep(change.table):
                    kept.append(change)
                else:
                    change.in_recent = False
                    self._release(change)
            self.recent.clear()
            self.recent.extend(kept)


def _origin_bytes(origin: dict[str, Any]) -> int:
    """What an entry's origin and bookkeeping count for in the byte bound."""
    return 256 + len(origin.get("label", "")) + len(origin.get("path", "")) + len(origin.get("query", ""))


# -- diffs -------------------------------------------------------------------------------------
def _flatten(doc: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested objects become dotted paths (``fields.firstname``); lists and scalars are leaves."""
    if isinstance(doc, dict) and (doc or not prefix):
        for key, value in doc.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, doc


def diff(before: Doc | None, after: Doc | None) -> list[dict[str, Any]]:
    """``[{"field", "before", "after"}]`` for every leaf that differs (absent is None)."""
    old = dict(_flatten(before)) if before is not None else {}
    new = dict(_flatten(after)) if after is not None else {}
    out = []
    for name in list(old) + [n for n in new if n not in old]:
        if old.get(name) != new.get(name) or (name in old) != (name in new):
            out.append({"field": name, "before": old.get(name), "after": new.get(name)})
    return out


# -- who is writing: one origin per request --------------------------------------------------
_RAW_QUERY = "_raw_query"  # in a request's origin: the query string as received (bytes)


def origin_json(origin: dict[str, Any]) -> dict[str, Any]:
    """An origin as the control plane shows it: a request's ``{method, path, query, label,
    status, journal_id}`` (query and label made here, from the raw query, credentials masked)."""
    out = dict(origin)  # one C-level copy: a request may be adding its status
    raw = out.pop(_RAW_QUERY, None)
    if raw is None:
        return out
    query = mask_query(raw.decode("latin-1"))
    method, path = out.pop("method"), out.pop("path")
    label = f"{method} {path}" + (f"?{unquote_plus(query)}" if query else "")
    return {"method": method, "path": path, "query": query, "label": label, **out}


def _no_request() -> dict[str, Any] | None:
    return None


#: the origin of the request being served, made on first use (``register_hooks`` installs it)
_request_origin: Callable[[], dict[str, Any] | None] = _no_request


def current_origin() -> dict[str, Any]:
    """Who is writing now: what set ``change_origin``, else the request being served, else nobody."""
    return change_origin.get() or _request_origin() or NO_REQUEST


def pin_origin() -> None:
    """Fix the current origin in this context (a copy that runs later, off the request)."""
    change_origin.set(current_origin())


def register_hooks(app: Any) -> None:
    """Make each request's origin when it first writes, and fill in its answer's status afterwards.

    Registered before the journal's hooks, so ``_finish`` runs after the journal has recorded
    the request (Flask runs ``after_request`` functions last-registered first) and can pick up
    its journal id.
    """
    from flask import g, has_request_context, request

    global _request_origin

    def request_origin() -> dict[str, Any] | None:
        if not has_request_context():
            return None
        origin = g.get("change_origin")
        if origin is None:
            # a hostile URL is not kept whole with every change; masked and labelled when read
            path = request.path
            origin = g.change_origin = {
                "method": request.method, "path": path[:ORIGIN_LIMIT],
                _RAW_QUERY: request.query_string[:max(0, ORIGIN_LIMIT - len(path))]}
        return origin

    _request_origin = request_origin

    @app.after_request
    def _finish(response: Any) -> Any:
        origin = g.get("change_origin")
        if origin is not None:
            origin["status"] = response.status_code
            entry = g.get("journal_entry")
            if entry is not None:
                origin["journal_id"] = entry.id
        return response
