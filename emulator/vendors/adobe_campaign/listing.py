"""Campaign's collections (§1.5): a page of ``content``, the ``count`` and ``next`` hrefs,
``_lineCount``, ``_lineStart`` (an opaque token), ``_order``, ``_forcePagination`` and
``…/_count``, the same for every resource: profiles, services, a profile's or a service's
subscriptions, units, history.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from ...store import Store
from . import errors, pkeys
from .records import NS, having
from .schemas import FieldSpec

DEFAULT_LINE_COUNT = 25
#: Campaign's XtkBigTableThreshold: above it, ``next`` needs ``_forcePagination=true`` (§1.5)
BIG_TABLE_THRESHOLD = 100_000


@dataclass
class Query:
    """What to list: the records of ``collection`` that pass ``match`` (all when None), shown
    by ``view``; ``path`` is the collection's own URL (the ``count``/``next`` hrefs extend it),
    ``kept`` the filter parameters those hrefs carry, ``field`` the one field a
    ``GET …/<field>`` lists the values of."""

    collection: str
    path: str
    view: Callable[[dict[str, Any]], dict[str, Any]]
    specs: dict[str, FieldSpec]
    match: Callable[[dict[str, Any]], bool] | None = None
    #: ``(field, value)``: only the records whose field equals value (``records.having``)
    lookup: tuple[str, Any] | None = None
    #: one field's value of a stored record, as shown (sorting needs no whole view)
    value: Callable[[dict[str, Any], FieldSpec], Any] | None = None
    kept: list[tuple[str, str]] = field(default_factory=list)
    field: str | None = None
    resource: str = "profile"


def answer(store: Store, org: str, query: Query, params: dict[str, str], count: bool) -> dict[str, Any]:
    order = parse_order(params.get("_order"), query.specs, query.resource)
    if query.lookup is not None:
        rows: Any = [doc for _, doc in having(store, org, query.collection, *query.lookup)
                     if query.match is None or query.match(doc)]
    elif query.match is None and not order:  # a plain page reads only its own records
        rows = _KeyedRows(store, org, query.collection)
    else:
        rows = store.search(NS, org, query.collection, query.match)
    if count:
        return {"count": len(rows)}
    line_count = _line_count(params.get("_lineCount"))
    start = 0
    if params.get("_lineStart"):
        offset = pkeys.line_start_offset(org, params["_lineStart"])
        if offset is None:
            raise errors.generic(f"The '_lineStart' value '{params['_lineStart']}' is not one "
                                 "this server returned; follow the 'next' href.")
        start = offset
    if order:
        rows = _sorted(rows, order, query)
    page = rows[start:start + line_count]
    content: list[Any] = [query.view(doc) for doc in page]
    if query.field is not None:
        content = [row[query.field] for row in content]
    more = start + line_count < len(rows)
    big = (store.count(NS, org, query.collection) > BIG_TABLE_THRESHOLD
           and params.get("_forcePagination") != "true")
    kept = list(query.kept)
    if order:
        kept.append(("_order", ",".join(f"{n} desc" if d else n for n, d in order)))
    for k in ("_lineCount", "_forcePagination"):
        if k in params:
            kept.append((k, params[k]))
    token = [("_lineStart", pkeys.line_start(org, start + line_count))] if more else []
    body: dict[str, Any] = {"content": content,
                            "count": {"href": f"{query.path}/_count?{_query(kept + token)}".rstrip("?")}}
    if more and not big:
        body["next"] = {"href": f"{query.path}?{_query(kept + token)}"}
    body["serverSidePagination"] = True
    return body


def parse_order(raw: str | None, specs: dict[str, FieldSpec], resource: str) -> list[tuple[str, bool]]:
    """``_order=email``, ``email desc`` (sent as ``email%20desc``), ``email asc``; also the
    SDK's double-encoded ``email%2520desc``, which arrives as ``email%20desc``."""
    if not raw:
        return []
    out = []
    for part in raw.split(","):
        m = re.fullmatch(r"\s*([A-Za-z0-9_]+)(?:(?:\s+|%20)(asc|desc))?\s*", part)
        if not m:
            raise errors.generic(f"The '_order' value '{raw}' is not a sortable property "
                                 "optionally followed by ' desc'.")
        name, direction = m.group(1), m.group(2)
        spec = specs.get(name)
        if spec is None:
            raise errors.unknown_property(name, resource)
        if not spec.sortable:
            raise errors.generic(f"The '{name}' property is not sortable (see 'sortable' in "
                                 f"resourceType/{resource}).")
        out.append((name, direction == "desc"))
    return out


def _sorted(rows: list[dict[str, Any]], order: list[tuple[str, bool]], query: Query) -> list[dict[str, Any]]:
    for name, desc in reversed(order):  # stable sorts, last key first
        spec = query.specs[name]
        rank = {v.name: i for i, v in enumerate(spec.values)}
        shown = query.value or (lambda d, s: query.view(d).get(s.name))
        rows = sorted(rows, key=lambda d: _sort_key(shown(d, spec), rank), reverse=desc)
    return rows


class _KeyedRows:
    """A collection in store order, read by key only where a page slices it."""

    def __init__(self, store: Store, org: str, collection: str):
        self.store, self.org, self.collection = store, org, collection

    def __len__(self) -> int:
        return self.store.count(NS, self.org, self.collection)

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        keys = self.store.keys(NS, self.org, self.collection, window.start or 0, window.stop)
        docs = (self.store.peek(NS, self.org, self.collection, k) for k in keys)
        return [d for d in docs if d is not None]


def _sort_key(value: Any, rank: dict[str, int]) -> Any:
    if rank and isinstance(value, str):
        return (0, rank.get(value, -1))
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    return (1, str(value))


def _query(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs, quote_via=quote, safe="@")


def _line_count(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LINE_COUNT
    if not re.fullmatch(r"\d{1,9}", raw) or int(raw) < 1:
        raise errors.generic(f"The '_lineCount' value '{raw}' is not a number of lines (an integer ≥ 1).")
    return int(raw)
