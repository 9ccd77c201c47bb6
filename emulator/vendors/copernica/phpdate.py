"""Dates and times read the way PHP's ``strtotime`` reads them, for Copernica's date fields.

Copernica stores a date or datetime field value by running it through ``strtotime`` in its own
time zone (rmuit's ``Helper::normalizeInputValue``: "the live API must be using strtotime()
internally"). This covers the formats PHP documents for absolute dates and times
(https://www.php.net/manual/en/datetime.formats.php) — ISO ``2024-01-31``, American
``01/31/2024``, European ``31.01.2024`` and ``31-01-2024``, ``20240131``, ``2024-01`` — with a
time (``10:11``, ``10:11:12.5``, ``T`` or a space before it), a time zone (``Z``, ``UTC``, ``GMT``,
``+02``, ``+0200``, ``+02:00``) and ``@<unix time>``. Out-of-range days and months roll over as
PHP's do (``2024-02-30`` is March 1st, ``2024-00-00`` is 2023-11-30). Relative words (``now``,
``tomorrow``, ``+1 day``) are not read: they give the field's empty value.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

_TIME = r"(?:[ tT](?P<h>\d{1,2})(?::(?P<mi>\d{1,2})(?::(?P<s>\d{1,2})(?:[.,]\d+)?)?|(?P<mi2>\d{2})(?P<s2>\d{2})?))?"
_ZONE = r"(?:\s*(?P<z>[zZ]|[uU][tT][cC]|[gG][mM][tT]|[+-]\d{1,2}(?::?\d{2})?))?"
_DATES = (
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",      # ISO 8601 / GNU: 2024-01-31, 2024-1-5
    r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})",      # 2024/01/31
    r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})",  # American: 01/31/2024, 1/2/24
    r"(?P<d>\d{1,2})[.-](?P<m>\d{1,2})[.-](?P<y>\d{4})",  # European: 31.01.2024, 31-01-2024
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2})",     # 31.01.24
    r"(?P<y>\d{2})-(?P<m>\d{2})-(?P<d>\d{2})",           # 24-01-31
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",             # 20240131
    r"(?P<y>\d{4})-(?P<m>\d{1,2})",                      # 2024-01: the first of the month
)
_PATTERNS = [re.compile(f"^{date}{_TIME}{_ZONE}$") for date in _DATES]
_TIMESTAMP = re.compile(r"^@(-?\d+)$")


class NegativeYear(ValueError):
    """A date PHP reads, but before year 0 (``0000-00-01`` is -0001-12-01): Copernica stores
    ``0000-00-00`` for it, even in an ``empty_`` field."""


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # PHP: 00-69 is 2000-2069, 70-99 is 1970-1999
        year += 2000 if year < 70 else 1900
    return year


def strtotime(text: str, tz: ZoneInfo) -> datetime | None:
    """The local time (naive, in ``tz``) PHP's ``strtotime`` gives for ``text``, or None where it
    gives false (or reads something relative, which Copernica's users never mean to send)."""
    text = text.strip()
    stamp = _TIMESTAMP.match(text)
    if stamp:
        return datetime.fromtimestamp(int(stamp.group(1)), tz).replace(tzinfo=None)
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            break
    else:
        return None
    parts = match.groupdict()
    year, month, day = _year(parts["y"]), int(parts["m"]), int(parts.get("d") or 1)
    hour = int(parts["h"] or 0)
    minute = int(parts["mi"] or parts["mi2"] or 0)
    second = int(parts["s"] or parts["s2"] or 0)
    if month > 12 or day > 31 or hour > 24 or minute > 59 or second > 60:
        return None
    months = year * 12 + month - 1  # month 0 and day 0 roll back, day 31 of a short month on
    year, month0 = divmod(months, 12)
    if year < 1:
        raise NegativeYear(text)
    try:
        local = datetime(year, month0 + 1, 1) + timedelta(days=day - 1, hours=hour, minutes=minute,
                                                           seconds=second)
    except OverflowError:
        return None
    zone = parts["z"]
    if zone:
        zone = zone.lower()
        if zone in ("z", "utc", "gmt"):
            offset = timedelta(0)
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            hours, minutes = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
            offset = sign * timedelta(hours=hours, minutes=minutes)
        local = local.replace(tzinfo=timezone(offset)).astimezone(tz).replace(tzinfo=None)
    return local
