"""The request journal: what the application under test sent to each emulated vendor.

Every request on a vendor's path is recorded with the vendor's answer, so a test (or a person
at the dashboard) can check what their code sent, including what a real vendor never shows:
a Target update to a visitor that does not exist, a Copernica selection that matched nothing,
an async update still queued. A vendor adds such a remark with ``requestnotes.current().add(…)``.

Memory is bounded in bytes however long the emulator runs, whatever is sent: each entry keeps
at most ``entry_bytes`` (``Settings.journal_entry_bytes``, 16 KiB by default) of the request
body, of the response body, of the request headers and of the query string, each marked
``*_truncated`` when cut; each (vendor, tenant) keeps its newest ``size`` entries
(``Settings.journal_size``, 1,000); and all entries together are kept under ``total_bytes``
(``Settings.journal_bytes``, 32 MiB), the oldest going first. Credentials are masked before
anything is shown, so a journal dumped into CI logs never shows a token.

Recording costs next to nothing: at the end of a request the hooks keep only the raw pieces
already in hand (a ``Pending``: bytes, the header strings, the status), sized by their lengths,
and the ``Entry`` (masked, cut, decoded) is built from them the first time anyone reads the
journal, then cached. Most entries are never read.

Matching (``Matcher``) is shared by the control plane (``POST /_emulator/requests/count``,
``…/find``) and the pytest plugin's ``assert_request_made``, so both agree on what "matches".
"""
from __future__ import annotations

import fnmatch
import itertools
import json
import logging
import re
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from . import jsoninput
from .errors import EmulatorError

log = logging.getLogger(__name__)

#: bytes of a request or response body (and of the headers, and of the query) kept per entry
#: by default; the rest is dropped (``*_truncated``)
BODY_LIMIT = 16 * 1024
#: bytes all entries together keep by default
TOTAL_LIMIT = 32 * 1024 * 1024
#: what an entry costs besides its texts (the object, its dicts, the time): an estimate
ENTRY_OVERHEAD = 1024
MASK = "***"
#: headers whose values are credentials (lower-case)
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "access_token"})
#: query (and form) parameters whose values are credentials (lower-case)
SECRET_PARAMS = frozenset({"access_token"})


# -- masking ---------------------------------------------------------------------------------
def mask_header(name: str, value: str) -> str:
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, sep, _ = value.partition(" ")
    # keep the scheme ("Bearer ***") so a wrong scheme is still visible
    return f"{scheme} {MASK}" if sep and scheme.isalpha() else MASK


def mask_query(raw: str) -> str:
    """The raw query string with credential values replaced, everything else byte for byte."""
    if not raw:
        return raw
    parts = []
    for part in raw.split("&"):
        key, sep, _ = part.partition("=")
        if "%" in key or "+" in key:  # decoding is the cost of masking: only where it changes the key
            key_text = unquote_plus(key)
        else:
            key_text = key
        if key_text.lower() in SECRET_PARAMS:
            part = f"{key}={MASK}"
        parts.append(part)
    return "&".join(parts)


def body_text(data: bytes, limit: int = BODY_LIMIT) -> tuple[str, bool]:
    cut = len(data) > limit
    return data[:limit].decode("utf-8", errors="replace"), cut


def cut_headers(items: Iterable[tuple[str, str]], limit: int) -> tuple[dict[str, str], bool]:
    """Headers (credentials masked) until their names and values add up to ``limit``
    characters: a value is cut where the budget ends, later headers are left out."""
    kept: dict[str, str] = {}
    room = limit
    for name, value in items:
        value = mask_header(name, value)
        if len(name) + len(value) > room:
            if room > len(name):
                kept[name] = value[:room - len(name)]
            return kept, True
        kept[name] = value
        room -= len(name) + len(value)
    return kept, False


def cut_query(query: str, limit: int) -> tuple[str, bool]:
    """A query string cut at ``limit`` on a parameter boundary, so what is kept still parses."""
    if len(query) <= limit:
        return query, False
    head = query[:limit]
    return head[:head.rfind("&")] if "&" in head else "", True


# -- entries -----------------------------------------------------------------------------------
@dataclass(slots=True, eq=False)
class Entry:
    """One recorded request and the answer it got. Never changed once recorded (not frozen:
    a frozen dataclass's ``__init__`` costs more than the rest of recording a request)."""

    id: int
    time: datetime
    vendor: str
    tenant: str | None
    operation: str | None
    matched: bool
    method: str
    url: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: str
    body_truncated: bool
    content_type: str
    status: int
    response_headers: dict[str, str]
    response_body: str
    response_truncated: bool
    note: str | None
    headers_truncated: bool = False
    query_truncated: bool = False
    _query: dict[str, list[str]] | None = field(default=None, init=False, repr=False)

    @property
    def size(self) -> int:
        """About how many bytes this entry keeps alive (what the journal's total counts)."""
        return (ENTRY_OVERHEAD + len(self.url) + len(self.path) + len(self.query_string) + len(self.body)
                + len(self.response_body) + len(self.note or "")
                + sum(len(k) + len(v) for k, v in self.headers.items())
                + sum(len(k) + len(v) for k, v in self.response_headers.items()))

    @property
    def query(self) -> dict[str, list[str]]:
        """The query string parsed, on first use: most entries are never queried, and parsing
        every request's query as it is recorded was the largest cost of recording it."""
        if self._query is None:
            parsed: dict[str, list[str]] = {}
            for key, value in parse_qsl(self.query_string, keep_blank_values=True):
                parsed.setdefault(key, []).append(value)
            self._query = parsed
        return self._query

    def json_body(self) -> Any:
        """The body parsed as JSON, or ``NOT_JSON``."""
        if self.body_truncated or not self.body.strip():
            return NOT_JSON
        try:  # the emulator's parser: a recorded body nested thousands deep is "not JSON"
            return jsoninput.loads(self.body)
        except jsoninput.JsonInputError:
            return NOT_JSON

    def form(self) -> dict[str, list[str]]:
        if "x-www-form-urlencoded" not in self.content_type or self.body_truncated:
            return {}
        parsed: dict[str, list[str]] = {}
        for key, value in parse_qsl(self.body, keep_blank_values=True):
            parsed.setdefault(key, []).append(value)
        return parsed

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "time": self.time.isoformat(), "vendor": self.vendor,
            "tenant": self.tenant, "operation": self.operation, "matched": self.matched,
            "method": self.method, "url": self.url, "path": self.path, "query": self.query,
            "query_truncated": self.query_truncated,
            "headers": self.headers, "headers_truncated": self.headers_truncated,
            "body": self.body, "body_truncated": self.body_truncated,
            "status": self.status, "response_headers": self.response_headers,
            "response_body": self.response_body, "response_truncated": self.response_truncated,
            "note": self.note,
        }

    def summary(self) -> str:
        """One line: ``PUT /v3/…?fields%5B0%5D=… → 204``, plus the note if any."""
        target = self.path + (f"?{self.query_string}" if self.query_string else "")
        line = f"{self.method} {target} → {self.status}"
        if not self.matched:
            line += " (no emulated route)"
        if self.note:
            line += f"  [{self.note}]"
        return line


class Pending:
    """A recorded request whose ``Entry`` is not built yet: the raw pieces the hooks had in
    hand at its end and the function that makes the entry's other fields of them
    (``journal_hooks._fields``).

    What must be decided when the request is made stays eager: the id, vendor and tenant
    (the journal's rings are kept by them; a tenant can be deleted later) and the ``size``
    the byte bounds count (of the raw pieces, each already within the per-entry limit).
    ``entry()`` builds the entry once and then drops the raw pieces, so a read entry is kept
    alive once, not twice. Credentials in the raw pieces are masked as the entry is built,
    before anyone can see them.
    """

    __slots__ = ("id", "vendor", "tenant", "size", "_build", "_raw", "_entry")

    def __init__(self, vendor: str, tenant: str | None, size: int,
                 build: Callable[..., dict[str, Any]], raw: tuple[Any, ...]):
        self.id = 0  # given by the journal
        self.vendor = vendor
        self.tenant = tenant
        self.size = size
        self._build = build
        self._raw: tuple[Any, ...] | None = raw
        self._entry: Entry | None = None

    def entry(self) -> Entry | None:
        """The entry, built on the first call (thread-safe without a lock: two readers racing
        may each build one, equal, and the second is kept). None if it could not be built: the
        failure is logged once, and the request is left out, as one that failed to record."""
        raw = self._raw
        if raw is None:  # built: ``_entry`` is set before ``_raw`` is dropped
            return self._entry
        try:
            entry: Entry | None = Entry(id=self.id, vendor=self.vendor, tenant=self.tenant, **self._build(*raw))
        except Exception:
            log.exception("could not build journal entry %s", self.id)
            entry = None
        self._entry = entry
        self._raw = None
        return entry

    def __repr__(self) -> str:  # never the raw pieces: they hold credentials unmasked
        return f"<Pending journal entry {self.id} {self.vendor} {self.tenant!r}>"


class _NotJson:
    def __repr__(self) -> str:
        return "<not JSON>"


NOT_JSON = _NotJson()


class Journal:
    """Thread-safe, per-tenant rings of ``Entry`` (or ``Pending``), bounded in count per tenant and in bytes in all.

    ``_all`` holds every entry by id, oldest first; each ring holds its tenant's entries in the
    same order. So the oldest entry of all is the oldest of its ring, and either bound drops an
    entry from both in O(1).
    """

    def __init__(self, size: int = 1000, total_bytes: int = TOTAL_LIMIT, entry_bytes: int = BODY_LIMIT):
        if size < 0:
            raise ValueError("journal size must be ≥ 0")
        if total_bytes < 1 or entry_bytes < 1:
            raise ValueError("the journal's byte limits must be ≥ 1")
        self.size = size
        self.total_bytes = total_bytes
        self.entry_bytes = entry_bytes
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._rings: dict[tuple[str, str | None], deque[Entry | Pending]] = {}
        self._all: OrderedDict[int, tuple[Entry | Pending, int]] = OrderedDict()  # id -> (entry, size)
        self.bytes = 0

    def record(self, **fields: Any) -> Entry | None:
        """Record an entry built now, from its fields."""
        if self.size == 0:
            return None
        with self._lock:
            entry = Entry(id=next(self._ids), **fields)
            self._add(entry, entry.size)
            return entry

    def keep(self, pending: Pending) -> Pending | None:
        """Record a request whose entry is built when first read (see ``Pending``). Paid by
        every request, so ``_add`` is written out here."""
        size = self.size
        if size == 0:
            return None
        with self._lock:
            pending.id = ident = next(self._ids)
            key = (pending.vendor, pending.tenant)
            ring = self._rings.get(key)
            if ring is None:
                ring = self._rings[key] = deque()
            elif len(ring) >= size:
                self._forget(ring.popleft())
            ring.append(pending)
            self._all[ident] = (pending, pending.size)
            self.bytes += pending.size
            if self.bytes > self.total_bytes:
                self._over_total()
            return pending

    def _add(self, item: Entry | Pending, size: int) -> None:
        key = (item.vendor, item.tenant)
        ring = self._rings.get(key)
        if ring is None:
            ring = self._rings[key] = deque()
        if len(ring) >= self.size:
            self._forget(ring.popleft())
        ring.append(item)
        self._all[item.id] = (item, size)
        self.bytes += size
        self._over_total()

    def _over_total(self) -> None:
        """Drop the oldest entries of all until the total is under ``total_bytes`` again."""
        while self.bytes > self.total_bytes and len(self._all) > 1:
            oldest, _ = self._all[next(iter(self._all))]
            ring_of = self._rings[(oldest.vendor, oldest.tenant)]
            ring_of.popleft()  # the oldest of all is the oldest of its ring
            self._forget(oldest)
            if not ring_of:
                del self._rings[(oldest.vendor, oldest.tenant)]

    def _forget(self, item: Entry | Pending) -> None:
        _, size = self._all.pop(item.id)
        self.bytes -= size

    def entries(self, matcher: Matcher | None = None, limit: int | None = None) -> list[Entry]:
        """Matching entries, oldest first; with ``limit``, only the newest ``limit`` of them.
        Entries not built yet are built here, outside the lock (see ``Pending``)."""
        with self._lock:
            items = [e for e, _ in self._all.values()]
        built = [e if e.__class__ is Entry else e.entry() for e in items]  # type: ignore[union-attr]
        everything = [e for e in built if e is not None]
        if matcher is not None:
            everything = [e for e in everything if matcher.matches(e)]
        if limit is not None:
            everything = everything[-limit:] if limit else []
        return everything

    def clear(self, vendor: str | None = None, tenant: str | None = None) -> int:
        """Forget everything, one vendor's entries, or one tenant's; return how many."""
        with self._lock:
            keys = [k for k in self._rings
                    if (vendor is None or k[0] == vendor) and (tenant is None or k[1] == tenant)]
            dropped = 0
            for k in keys:
                for entry in self._rings.pop(k):
                    self._forget(entry)
                    dropped += 1
        return dropped

    def resize(self, size: int) -> None:
        if size < 0:
            raise ValueError("journal size must be ≥ 0")
        with self._lock:
            self.size = size
            for key in list(self._rings):
                ring = self._rings[key]
                while len(ring) > size:
                    self._forget(ring.popleft())
                if not ring:
                    del self._rings[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._all)


# -- matching ----------------------------------------------------------------------------------
_INDEX = re.compile(r"\[\d*\]")


def _param_key(key: str) -> str:
    """PHP-style array keys compare alike: ``fields[0]``, ``fields[1]`` and ``fields[]``
    are all ``fields[]`` (Copernica's official helper sends the indexed form)."""
    return _INDEX.sub("[]", key)


def _params_missing(expected: dict[str, Any], got: dict[str, list[str]]) -> list[str]:
    normal: dict[str, list[str]] = {}
    for key, sent in got.items():
        normal.setdefault(_param_key(key), []).extend(sent)
    problems = []
    for key, want in expected.items():
        values = normal.get(_param_key(key))
        wanted = [str(w) for w in (want if isinstance(want, list) else [want])]
        if values is None:
            problems.append(f"{key}: missing")
        elif any(w not in values for w in wanted):
            shown = wanted[0] if len(wanted) == 1 else wanted
            problems.append(f"{key}: expected {shown!r}, got {values[0] if len(values) == 1 else values!r}")
    return problems


def json_subset(expected: Any, got: Any) -> bool:
    """``expected`` is contained in ``got``: objects may have more keys, everything else equal."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(k in got and json_subset(v, got[k]) for k, v in expected.items())
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    return expected == got


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Matcher:
    """A request pattern, as JSON. Every given key must hold; absent keys match anything.

    ``vendor``, ``tenant``, ``operation``: equal (``tenant`` and ``operation`` may be null: no
    tenant known, no emulated route). ``method``: equal, any case. ``path``: equal, or
    a glob when it contains ``*``. ``path_regex``: ``re.fullmatch``. ``query`` / ``form``:
    ``{name: value | [values]}``, each value among the request's values for that name
    (``fields[]`` also matches ``fields[0]``, ``fields[1]``…). ``headers``: ``{name: value}``,
    names in any case. ``json``: the body parsed as JSON contains this (objects may have more
    keys). ``body``: equal text. ``body_contains``: substring. ``status``: a code or a list.
    ``matched``: whether an emulated route answered. ``note``: substring of the vendor's note.
    ``since``: recorded at or after this ISO-8601 instant.
    """

    KEYS = ("vendor", "tenant", "operation", "method", "path", "path_regex", "query", "form",
            "headers", "json", "body", "body_contains", "status", "matched", "note", "since")

    def __init__(self, spec: dict[str, Any]):
        if not isinstance(spec, dict):
            raise EmulatorError("a request matcher must be a JSON object")
        unknown = sorted(set(spec) - set(self.KEYS))
        if unknown:
            raise EmulatorError(f"unknown matcher key {unknown[0]!r}; expected any of: {', '.join(self.KEYS)}")
        self.spec = dict(spec)
        for key in ("vendor", "tenant", "operation", "method", "path", "path_regex", "body",
                    "body_contains", "note"):
            # null only where an entry holds null: no tenant known, no emulated route answered
            nullable = key in ("tenant", "operation")
            if key in spec and not isinstance(spec[key], str) and not (nullable and spec[key] is None):
                raise EmulatorError(f"matcher key {key!r} takes a string" + (" or null" if nullable else ""))
        for key in ("query", "form", "headers"):
            if key in spec and not isinstance(spec[key], dict):
                raise EmulatorError(f"matcher key {key!r} takes an object of name: value")
        if "status" in spec:
            codes = spec["status"] if isinstance(spec["status"], list) else [spec["status"]]
            if not codes or any(isinstance(c, bool) or not isinstance(c, int) for c in codes):
                raise EmulatorError("matcher key 'status' takes a status code or a list of them")
            self.statuses = set(codes)
        if "matched" in spec and not isinstance(spec["matched"], bool):
            raise EmulatorError("matcher key 'matched' takes true or false")
        self.regex = None
        if spec.get("path_regex") is not None:
            try:
                self.regex = re.compile(spec["path_regex"])
            except re.error as exc:
                raise EmulatorError(f"matcher key 'path_regex' is not a valid regular expression: {exc}") from None
        self.since = None
        if "since" in spec:
            self.since = parse_instant(spec["since"], "since")

    def describe(self) -> str:
        """``PUT /v3/database/1/profiles query={"fields[]":"customerid==4567"}``."""
        head = [str(self.spec[k]).upper() if k == "method" else str(self.spec[k])
                for k in ("method", "path") if self.spec.get(k) is not None]
        rest = [f"{k}={v if isinstance(v, str) else _compact(v)}" for k, v in self.spec.items()
                if k not in ("method", "path")]
        return " ".join(head + rest) or "any request"

    def matches(self, entry: Entry) -> bool:
        return not self.mismatches(entry, first_only=True)

    def mismatches(self, entry: Entry, first_only: bool = False) -> list[str]:
        """Why ``entry`` does not match, one reason per failed key (empty when it matches)."""
        spec, reasons = self.spec, []

        def fail(reason: str) -> bool:
            reasons.append(reason)
            return first_only

        for key in ("vendor", "tenant", "operation"):
            if key in spec and spec[key] != getattr(entry, key):
                if fail(f"{key}: expected {spec[key]!r}, got {getattr(entry, key)!r}"):
                    return reasons
        if "method" in spec and spec["method"].upper() != entry.method:
            if fail(f"method: expected {spec['method'].upper()}, got {entry.method}"):
                return reasons
        if "path" in spec:
            want = spec["path"]
            ok = fnmatch.fnmatchcase(entry.path, want) if "*" in want else entry.path == want
            if not ok and fail(f"path: expected {want}, got {entry.path}"):
                return reasons
        if self.regex is not None and not self.regex.fullmatch(entry.path):
            if fail(f"path: expected to match /{self.regex.pattern}/, got {entry.path}"):
                return reasons
        if "query" in spec:
            for problem in _params_missing(spec["query"], entry.query):
                if fail(f"query {problem}"):
                    return reasons
        if "form" in spec:
            for problem in _params_missing(spec["form"], entry.form()):
                if fail(f"form {problem}"):
                    return reasons
        if "headers" in spec:
            lower = {k.lower(): v for k, v in entry.headers.items()}
            for name, want in spec["headers"].items():
                got = lower.get(name.lower())
                if got != want and fail(f"header {name}: expected {want!r}, got {got!r}"):
                    return reasons
        if "json" in spec:
            got = entry.json_body()
            if not json_subset(spec["json"], got):
                if got is not NOT_JSON:
                    shown = _compact(got)
                else:
                    shown = "a body that is not JSON" if entry.body else "no body"
                if fail(f"json: expected to contain {_compact(spec['json'])}, got {shown}"):
                    return reasons
        if "body" in spec and entry.body != spec["body"]:
            if fail(f"body: expected {spec['body']!r}, got {entry.body!r}"):
                return reasons
        if "body_contains" in spec and spec["body_contains"] not in entry.body:
            if fail(f"body: expected to contain {spec['body_contains']!r}, got {entry.body!r}"):
                return reasons
        if "status" in spec and entry.status not in self.statuses:
            if fail(f"status: expected {spec['status']}, got {entry.status}"):
                return reasons
        if "matched" in spec and spec["matched"] != entry.matched:
            if fail(f"matched: expected {spec['matched']}, got {entry.matched}"):
                return reasons
        if "note" in spec and spec["note"] not in (entry.note or ""):
            if fail(f"note: expected to contain {spec['note']!r}, got {entry.note!r}"):
                return reasons
        if self.since is not None and entry.time < self.since:
            fail(f"time: expected at or after {self.since.isoformat()}, got {entry.time.isoformat()}")
        return reasons


def parse_instant(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise EmulatorError(f"{key!r} takes an ISO-8601 instant")
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EmulatorError(f"{key!r} is not an ISO-8601 instant: {value!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def closest(entries: Iterable[Entry], matcher: Matcher, n: int = 3) -> list[tuple[Entry, list[str]]]:
    """The ``n`` entries that fail the fewest of the matcher's keys, newest first on ties."""
    scored = [(e, matcher.mismatches(e)) for e in entries]
    scored.sort(key=lambda pair: (len(pair[1]), -pair[0].id))
    return scored[:n]


# -- recording (Flask hooks) -------------------------------------------------------------------
