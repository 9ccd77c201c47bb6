"""What a database or collection defines, looked up once per definition: its fields by name
(case-insensitively, as Copernica matches names) with the value each starts at, and its
interests by name.

Every PUT, selection and profile answer needs these lookups; made again for each request they
cost more than the work they serve (7 µs of a documented PUT at 10 fields, 22 µs at 50), and
grow with how wide a database is rather than with what the request touches. A definition in
the store is never changed in place (the store replaces documents whole, ``Store.peek``), so
its ``fields`` or ``interests`` list names it: the lookups are kept per list object, and a
definition changed since is a new list and gets lookups of its own. The length is checked too,
so a working copy grown after a lookup is never answered from a stale one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ...jsondoc import Doc
from .fieldtypes import default_value

T = TypeVar("T")

#: lookups kept (a definition's fields and its interests count one each); emptied when full
_KEPT = 512
_made: dict[int, tuple[list[Doc], int, Any]] = {}


@dataclass(frozen=True)
class Fields:
    by_name: dict[str, Doc]  # lower-cased name -> the field's definition
    defaults: dict[str, str]  # name -> the value a profile has there until one is written


def fields_of(field_list: list[Doc]) -> Fields:
    """The lookups of a database's or collection's ``fields``, in their order."""
    return _remembered(field_list, lambda fields: Fields(
        {f["name"].lower(): f for f in fields}, {f["name"]: default_value(f) for f in fields}))


def interests_of(interest_list: list[Doc]) -> dict[str, str]:
    """A database's ``interests``: lower-cased name -> name."""
    return _remembered(interest_list, lambda interests: {i["name"].lower(): i["name"] for i in interests})


def _remembered(items: list[Doc], make: Callable[[list[Doc]], T]) -> T:
    held = _made.get(id(items))
    if held is not None and held[0] is items and held[1] == len(items):
        return held[2]
    if len(_made) >= _KEPT:
        _made.clear()
    made = make(items)
    _made[id(items)] = (items, len(items), made)  # the list is held, so its id is not reused
    return made
