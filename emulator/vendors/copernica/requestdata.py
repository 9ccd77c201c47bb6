"""Reading a Copernica request body the way Copernica's PHP front end does.

Bodies are JSON or form-encoded, chosen by Content-Type (vendor-apis.md §4.1). A form body
uses PHP's bracket syntax — ``fields[email]=a@b.c&interests[]=football`` — which PHP turns into
nested arrays before the API sees it; ``php_nested`` does the same, so both encodings reach the
model as the same dict.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Request

from ...jsoninput import JsonInputError, loads
from .errors import MALFORMED_JSON, UNSUPPORTED_TYPE, CopernicaError

_SEGMENT = re.compile(r"\[([^\]]*)\]")
_INT_KEY = re.compile(r"^(0|-?[1-9][0-9]*)$")  # the keys PHP turns into integers
#: PHP's ``max_input_nesting_level`` default: deeper form variables are dropped, not refused
MAX_INPUT_NESTING = 64


def php_nested(items: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """``[("fields[email]", "x"), ("interests[]", "a")]`` → ``{"fields": {"email": "x"}, "interests": {"0": "a"}}``.

    Like PHP, ``[]`` appends with the next integer key; the result keeps dicts throughout, and
    ``as_list`` turns a dict with keys 0..n-1 back into a list where a list is meant.
    """
    result: dict[str, Any] = {}
    for key, value in items:
        bracket = key.find("[")
        if bracket <= 0 or not key.endswith("]"):
            result[key] = value
            continue
        path = [key[:bracket]] + _SEGMENT.findall(key[bracket:])
        if len(path) - 1 > MAX_INPUT_NESTING:
            continue  # PHP drops a variable nested deeper than max_input_nesting_level
        node = result
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if part == "":  # PHP appends after the largest integer key: a[1]=x&a[]=y is {1: x, 2: y}
                part = str(max((int(k) for k in node if _INT_KEY.match(k)), default=-1) + 1)
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
    return result


def as_list(value: Any) -> Any:
    """A PHP-style array with keys 0..n-1 is a list."""
    if isinstance(value, dict) and value and all(k == str(i) for i, k in enumerate(value)):
        return list(value.values())
    return value


def read_body(request: Request) -> Any:
    """The decoded body: a dict for JSON objects and forms, or whatever JSON value was sent.

    An empty body is ``{}``. Malformed JSON (by ``emulator.jsoninput``'s rules: a lone surrogate,
    ``NaN``, an out-of-range number, nesting past 512, as PHP's ``json_decode`` refuses most of
    them) and content types Copernica does not read are refused with a Copernica 400 before
    anything is changed.
    """
    raw = request.get_data(cache=True)
    mimetype = request.mimetype
    if not raw.strip():
        return {}
    if mimetype == "application/json" or mimetype.endswith("+json"):
        try:
            return loads(raw)
        except JsonInputError:
            raise CopernicaError(MALFORMED_JSON) from None
    if mimetype == "application/x-www-form-urlencoded":
        return php_nested(request.form.items(multi=True))
    if mimetype == "":
        # curl without -H sends form-encoded; a client that labels nothing most likely sent JSON
        try:
            return loads(raw)
        except JsonInputError:
            raise CopernicaError(UNSUPPORTED_TYPE) from None
    raise CopernicaError(UNSUPPORTED_TYPE)

