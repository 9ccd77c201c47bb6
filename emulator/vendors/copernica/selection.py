"""Copernica's ``fields`` selection parameter (vendor-apis.md §4.4).

``fields[]=customerid==4567&fields[]=firstname=~M%`` selects the profiles that match every
condition. The parsing follows what was observed on the live API: expressions are trimmed,
field names are case-insensitive, and an expression on an unknown field or one that cannot be
parsed is silently ignored (so a selection of only such expressions selects everything).
Comparisons follow MySQL's default collation: text compares case-insensitively.

A selection is answered from a Store index where one of its conditions can be (``lookup``):
the index files each profile under its value as the condition compares it (an integer field's
PHP int, a text field's case-folded text), so equality and ranges find their profiles without
reading the others. Every candidate is still checked against the whole selection, so an
indexed answer is the scan's answer; LIKE patterns (``=~``, ``!~``) are always scanned.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ...indexes import IndexSpec
from .definitions import fields_of
from .fieldtypes import normalize, php_float, php_int

EXPRESSION = re.compile(r"^(.+?)([=<>!~]{1,2})(.*)$", re.DOTALL)
OPERATORS = ("==", "!=", "<>", "<", ">", "<=", ">=", "=~", "!~")
FIELDS_KEY = re.compile(r"^fields\[(\d*)\]$")
NUMERIC_TYPES = ("integer", "float")
DATE_TYPES = ("date", "datetime", "empty_date", "empty_datetime")


@dataclass(frozen=True)
class Condition:
    """One parsed expression: ``target`` is a field name as defined, or ``#id``/``#code``/``#modified``."""

    target: str
    kind: str  # text, integer, float, date, datetime, ...
    operator: str
    value: str


def expressions_from_query(items: Iterable[tuple[str, str]]) -> list[str] | None:
    """The selection expressions of a query string, in order.

    Accepts ``fields[]=…`` and ``fields[0]=…`` (werkzeug has already decoded ``%5B``/``%5D``).
    None when the parameter is absent altogether; a plain ``fields=…`` (not an array) is
    present but ignored, as on the live API. The name is case-sensitive (``FIELDS[]`` is not it).
    """
    found: list[tuple[int, int, str]] = []
    present = False
    for position, (key, value) in enumerate(items):
        if key == "fields":
            present = True
            continue
        match = FIELDS_KEY.match(key)
        if match:
            present = True
            index = int(match.group(1)) if match.group(1) else position
            found.append((index, position, value))
    if not present:
        return None
    return [value for _, _, value in sorted(found)]


def parse(expressions: Iterable[str], fields: list[dict[str, Any]]) -> list[Condition]:
    """Conditions for the expressions that name a known field or a special name."""
    by_name = fields_of(fields).by_name
    conditions = []
    for expression in expressions:
        match = EXPRESSION.match(expression.strip())
        if not match:
            continue
        name, operator, value = match.groups()
        if operator not in OPERATORS:
            continue
        field = by_name.get(name.lower())
        if field is not None:  # a real field named id/code/modified wins over the special name
            conditions.append(Condition(field["name"], field["type"], operator, value))
        elif name.lower() == "id":
            conditions.append(Condition("#id", "integer", operator, value))
        elif name.lower() == "code":
            conditions.append(Condition("#code", "text", operator, value))
        elif name.lower() == "modified":
            conditions.append(Condition("#modified", "datetime", operator, value))
    return conditions


def _like(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(f"^{regex}$", re.IGNORECASE | re.DOTALL)


def _compare(left: Any, operator: str, right: Any) -> bool:
    if operator == "==":
        return left == right
    if operator in ("!=", "<>"):
        return left != right
    if operator == "<":
        return left < right
    if operator == ">":
        return left > right
    if operator == "<=":
        return left <= right
    return left >= right


def _comparable(condition: Condition) -> tuple[str, Callable[[str], Any], Any]:
    """How a comparison (not LIKE) reads both sides: the name of the conversion, the conversion
    of a stored value, and the expression's value converted. Scans and indexes both use it."""
    kind = condition.kind
    if kind in NUMERIC_TYPES:
        cast = php_int if kind == "integer" else php_float
        return kind, cast, cast(condition.value.strip())
    if kind in DATE_TYPES:
        raw = condition.value.strip()
        return "as-is", _as_is, normalize(kind, raw) if raw else ""
    return "casefold", str.casefold, condition.value.casefold()


def _as_is(stored: str) -> str:
    return stored


def _matcher(condition: Condition) -> Callable[[str], bool]:
    operator = condition.operator
    if operator in ("=~", "!~"):
        pattern = _like(condition.value)
        wanted = operator == "=~"
        return lambda stored: bool(pattern.match(stored)) is wanted
    _, convert, right = _comparable(condition)
    if convert is _as_is:
        return lambda stored: _compare(stored, operator, right)
    return lambda stored: _compare(convert(stored), operator, right)


def compile_selection(conditions: list[Condition],
                      defaults: dict[str, str]) -> Callable[[dict[str, Any]], bool]:
    """A predicate over a stored profile document.

    ``defaults`` holds each field's default value, read where a profile never had the field
    set. Only the fields a condition names are looked at: a selection scans every profile of a
    database, so this is the emulator's one hot loop whose cost grows with the data.
    """
    checks: list[Callable[[dict[str, Any]], bool]] = []
    for condition in conditions:
        match = _matcher(condition)
        if condition.target == "#id":
            checks.append(_check(match, lambda p: str(p["ID"])))
        elif condition.target == "#code":
            checks.append(_check(match, lambda p: p.get("secret", "")))
        elif condition.target == "#modified":
            checks.append(_check(match, lambda p: p.get("modified", "")))
        else:
            checks.append(_check(match, _field(condition.target, defaults.get(condition.target, ""))))
    return lambda profile: all(check(profile) for check in checks)


def _check(match: Callable[[Any], bool], value_of: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], bool]:
    return lambda profile: match(value_of(profile))


def _field(name: str, default: Any) -> Callable[[dict[str, Any]], Any]:
    """A field's value, or its default where the profile never had it set."""
    return lambda profile: profile["fields"].get(name, default)


@dataclass(frozen=True)
class Lookup:
    """Where a selection's candidates come from: ``Store.find(…, index, operator, value)``."""

    index: IndexSpec
    operator: str
    value: Any


#: which condition drives a lookup when several could: equality finds the fewest profiles
_PREFERENCE = {"==": 0, "<": 1, "<=": 1, ">": 1, ">=": 1, "!=": 2, "<>": 2}


def lookup(conditions: list[Condition], defaults: dict[str, str], scope: str,
           member: Callable[[dict[str, Any]], bool]) -> Lookup | None:
    """The index lookup that finds a superset of the selection's matches, or None when no
    condition can be served by an index (the selection then scans).

    ``scope`` names the documents ``member`` accepts (``"database/1"``: the profiles of
    database 1 that are not removed); it starts the index's name, so that indexes of one
    database can be dropped together. The name also carries what the key function depends on
    (the field, its conversion and its default), so that a field defined again differently
    gets a new index, never a stale one.
    """
    usable = [c for c in conditions if c.operator in _PREFERENCE]
    if not usable:
        return None
    condition = min(usable, key=lambda c: _PREFERENCE[c.operator])
    conversion, convert, right = _comparable(condition)
    read = _reader(condition, defaults)
    default = defaults.get(condition.target, "")

    def key(doc: dict[str, Any]) -> Any:
        return convert(read(doc)) if member(doc) else None

    name = f"{scope}/{condition.target}/{conversion}/{default}"
    operator = "!=" if condition.operator == "<>" else condition.operator
    return Lookup(IndexSpec(name, key), operator, right)


def _reader(condition: Condition, defaults: dict[str, str]) -> Callable[[dict[str, Any]], str]:
    """The stored value a condition looks at (``compile_selection`` reads the same, inline)."""
    if condition.target == "#id":
        return lambda p: str(p["ID"])
    if condition.target == "#code":
        return lambda p: p.get("secret", "")
    if condition.target == "#modified":
        return lambda p: p.get("modified", "")
    name, default = condition.target, defaults.get(condition.target, "")
    return lambda p: p["fields"].get(name, default)
