"""Copernica's field types, and how a value sent by a client is stored (vendor-apis.md §4.5).

Copernica is PHP on MySQL: a value is cast the way PHP casts it, never refused, and comes back
as a string. Integer ``"12abc"`` is stored as ``"12"``, a select value that is not one of the
choices as ``""``, an unparseable date as ``"0000-00-00"``. Clients rely on this leniency, so
the emulator copies it rather than validating.
"""
from __future__ import annotations

import math
import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from .phpdate import NegativeYear, strtotime

TYPES = ("text", "email", "integer", "float", "select", "date", "datetime", "empty_date", "empty_datetime")

_INT_PREFIX = re.compile(r"^\s*[+-]?\d+")
#: PHP 8's is_numeric(): surrounding whitespace allowed
_NUMERIC = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_FLOAT_PREFIX = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Copernica writes and reads times in its own local time (vendor-apis.md §4.6)
COPERNICA_TZ = ZoneInfo("Europe/Amsterdam")


#: PHP's integers are 64-bit: ``PHP_INT_MIN`` .. ``PHP_INT_MAX``
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1


def php_int(value: Any) -> int:
    """PHP's ``(int)`` cast (64-bit): leading digits of a string, saturated at ``PHP_INT_MAX``
    and ``PHP_INT_MIN`` as PHP's ``strtol`` does; truncation of a float, 0 for a float out of
    range, NaN or infinite (PHP 8); 0 otherwise. A JSON integer beyond 64 bits is a float to
    PHP's ``json_decode``, so it is cast as one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if INT_MIN <= value <= INT_MAX else 0
    if isinstance(value, float):
        return int(value) if value == value and -9.223372036854776e18 <= value < 9.223372036854776e18 else 0
    if isinstance(value, (list, dict)):
        return 1 if value else 0  # PHP: a non-empty array casts to 1, an empty one to 0
    if isinstance(value, str):
        if value.isascii() and value.isdigit() and len(value) < 19:
            return int(value)  # the stored form of every integer field: worth a fast path
        match = _FLOAT_PREFIX.match(value)
        if match and ("e" in match.group(0).lower() or "." in match.group(0)):
            return php_int(float(match.group(0)))
        match = _INT_PREFIX.match(value)
        if not match:
            return 0
        digits = match.group(0).strip()
        if len(digits.lstrip("+-").lstrip("0")) > 19:  # never hand int() thousands of digits
            return INT_MIN if digits.startswith("-") else INT_MAX
        return max(INT_MIN, min(INT_MAX, int(digits)))
    return 0


def php_float(value: Any) -> float:
    """PHP's ``(float)`` cast: the leading number of a string, 0 otherwise."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = _FLOAT_PREFIX.match(value)
        return float(match.group(0)) if match else 0.0
    if isinstance(value, (list, dict)):
        return 1.0 if value else 0.0
    return 0.0


def php_bool(value: Any) -> bool:
    """How Copernica reads a boolean URL parameter such as ``create``, ``async`` or ``total``
    (rmuit ``Helper::isBooleanTrue``, tested live on ``total``): ``true``/``yes`` (any case, not
    trimmed), a number whose absolute value is ≥ 1, or any array are true; anything else false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return abs(value) >= 1
    if isinstance(value, (list, dict)):
        return True  # rmuit Helper::isBooleanTrue: "All arrays"
    if not isinstance(value, str):
        return False
    if _NUMERIC.match(value):
        return abs(float(value)) >= 1
    return value.lower() in ("true", "yes")  # not trimmed: " true" is false (rmuit Helper)


def format_float(number: float) -> str:
    """PHP's float-to-string: ``2.0`` is ``"2"``, ``1.5`` is ``"1.5"``. A value a float field
    cannot hold (``"1e999"`` is ``INF`` to PHP) reaches MySQL as the string ``"INF"``, which a
    DOUBLE column stores as 0."""
    if not math.isfinite(number):
        return "0"
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    return ""  # arrays, objects and null become empty, as PHP's string conversion of them does


def parse_datetime(value: Any) -> datetime | None:
    """A date field value read like PHP's ``strtotime`` in Copernica's time zone (``phpdate``);
    None when it gives nothing. Only strings are read: a bare number is not a date (rmuit:
    "Timestamps don't work. (But they do when suffixed with '@'.)")."""
    if not isinstance(value, str):
        return None
    return strtotime(value, COPERNICA_TZ)


def normalize(field_type: str, value: Any, choices: list[str] | None = None,
              length: int | None = None) -> str:
    """The string Copernica stores for ``value`` in a field of ``field_type``: a text or email
    value is cut at the field's declared ``length`` (characters), as the MySQL column it is
    stored in cuts it (Copernica never refuses a value, §4.5)."""
    if field_type == "integer":
        return str(php_int(value))
    if field_type == "float":
        return format_float(php_float(value))
    if field_type == "select":
        text = _as_text(value)
        return text if text in (choices or []) else ""
    if field_type in ("date", "empty_date", "datetime", "empty_datetime"):
        with_time = "datetime" in field_type
        zero = "0000-00-00 00:00:00" if with_time else "0000-00-00"
        empty = "" if field_type.startswith("empty_") else zero
        if isinstance(value, str) and value.strip().startswith("0000-00-00"):
            return empty  # Copernica's own empty date, whatever time follows it
        try:
            parsed = parse_datetime(value)
        except NegativeYear:
            return zero  # before year 0: the zero date, even in an empty_ field (rmuit Helper)
        if parsed is None:
            return empty
        return parsed.strftime("%Y-%m-%d %H:%M:%S" if with_time else "%Y-%m-%d")
    text = _as_text(value)  # text, email: no validation, no trimming
    return text[:length] if length is not None and len(text) > length else text


def choices_of(field: dict[str, Any]) -> list[str]:
    """A select field's choices: its ``value`` holds them one per line."""
    return [c for c in str(field.get("value", "")).split("\n") if c != ""]


def default_value(field: dict[str, Any]) -> str:
    """The value a new profile gets in ``field``: its default, normalised; a select starts empty."""
    if field["type"] == "select":
        return ""
    return _default(field["type"], field.get("value", ""))


@lru_cache(maxsize=1024)
def _default(field_type: str, value: str) -> str:
    # read for every field of every profile a selection scans: worth remembering
    return normalize(field_type, value)
