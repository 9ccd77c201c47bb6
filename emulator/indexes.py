"""Secondary indexes of the Store: documents filed under a value their key function computes.

Why: a lookup by a field's value (Copernica's ``fields[]=customerid==4567``, Campaign's
``byEmail``) would otherwise read every document of a collection on every call. An index maps
the value each document is compared by, normalised once when the document is written, to the
keys of the documents that have it, in the value's order, so that equality, ranges and
prefixes are found without reading the other documents.

An index is declared by an ``IndexSpec``: a name and a key function. The key function turns a
stored document into the value it is compared by, or None to leave the document out. It must be
pure (the same document always gives the same value: the Store calls it again on the old
version of a document to take it out) and give values of one ordered type within an index
(ints and floats mix; str with int does not). The name identifies what the key function
computes: two specs with the same name on one collection are taken to be the same index, so a
name must carry everything the function depends on (a field's type and default value, say).

An index answers with *candidates*: a caller that needs an exact answer checks its whole
condition on each candidate. That is what keeps an indexed answer equal to a scan's even where
the index serves only one of several conditions.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from sortedcontainers import SortedDict

__all__ = ["IndexSpec", "Index", "OPERATORS"]

Doc = dict[str, Any]

#: what ``Index.keys`` can answer; "prefix" is ``str.startswith`` on string values
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "prefix")


@dataclass(frozen=True)
class IndexSpec:
    """An index to keep on a collection: ``key(doc)`` is the value ``doc`` is filed under."""

    name: str
    key: Callable[[Doc], Hashable | None]


class Index:
    """One collection's index: value -> the keys of the documents filed under it.

    A value held by one document stores that key alone (a ``str``), by several a ``set`` of
    keys: most indexed values (ids, emails) are unique, and a set per value would cost about
    200 bytes per document.
    """

    __slots__ = ("spec", "entries")

    def __init__(self, spec: IndexSpec, documents: Iterable[tuple[str, Doc]] = ()):
        self.spec = spec
        grouped: dict[Any, str | set[str]] = {}
        key = spec.key
        for doc_key, doc in documents:
            value = key(doc)
            if value is None:
                continue
            held = grouped.get(value)
            if held is None:
                grouped[value] = doc_key
            elif isinstance(held, str):
                grouped[value] = {held, doc_key}
            else:
                held.add(doc_key)
        self.entries: SortedDict = SortedDict(grouped)  # one sort, not one insertion per document

    def __len__(self) -> int:
        """How many distinct values are indexed."""
        return len(self.entries)

    # -- maintenance ------------------------------------------------------------------------------
    def replace(self, doc_key: str, before: Doc | None, after: Doc | None) -> None:
        """File ``doc_key`` under ``after``'s value instead of ``before``'s (None: absent)."""
        key = self.spec.key
        old = key(before) if before is not None else None
        new = key(after) if after is not None else None
        if old == new:
            return
        if old is not None:
            self._remove(old, doc_key)
        if new is not None:
            self._add(new, doc_key)

    def _add(self, value: Any, doc_key: str) -> None:
        entries = self.entries
        held = entries.get(value)
        if held is None:
            entries[value] = doc_key
        elif type(held) is str:
            if held != doc_key:
                entries[value] = {held, doc_key}
        else:
            held.add(doc_key)

    def _remove(self, value: Any, doc_key: str) -> None:
        entries = self.entries
        held = entries.get(value)
        if held is None:
            return
        if type(held) is str:
            if held == doc_key:
                del entries[value]
            return
        held.discard(doc_key)
        if len(held) == 1:
            entries[value] = next(iter(held))
        elif not held:
            del entries[value]

    # -- lookups ----------------------------------------------------------------------------------
    def keys(self, operator: str, value: Any) -> Iterator[str]:
        """The keys of the documents whose indexed value ``v`` satisfies ``v <operator> value``,
        in the order of their values."""
        entries = self.entries
        if operator == "==":
            held = entries.get(value)
            return _flatten(() if held is None else (held,))
        if operator == "<":
            values: Iterable[Any] = entries.irange(maximum=value, inclusive=(True, False))
        elif operator == "<=":
            values = entries.irange(maximum=value)
        elif operator == ">":
            values = entries.irange(minimum=value, inclusive=(False, True))
        elif operator == ">=":
            values = entries.irange(minimum=value)
        elif operator == "!=":
            values = (v for v in entries if v != value)
        elif operator == "prefix":
            values = takewhile(lambda v: v.startswith(value), entries.irange(minimum=value))
        else:
            raise ValueError(f"an index cannot answer {operator!r}")
        return _flatten(entries[v] for v in values)


def _flatten(held: Iterable[str | set[str]]) -> Iterator[str]:
    for keys in held:
        if type(keys) is str:
            yield keys
        else:
            yield from keys
