"""JSON that came from outside: the one parser every entry point uses, and what it refuses.

Python's ``json`` accepts more than JSON, and more than the emulator can keep:

* a lone surrogate escape (``"\\ud800"``) decodes to a ``str`` that cannot be encoded as UTF-8,
  so every later read of the document, the state export and the data file's flush would fail;
* ``NaN``, ``Infinity``, ``-Infinity`` are not JSON (RFC 8259), and a number too large for a
  double (``1e999``) silently becomes infinity, which no vendor stores and JSON cannot write;
* nesting thousands deep raises ``RecursionError`` in the parser, or later in code that walks
  the document.

The choice, made once here for every entry point (vendor bodies, the control plane, fixtures):
such input is *invalid JSON*, refused with ``JsonInputError`` before anything is changed; each
caller turns it into its vendor's own invalid-input error. ``check`` applies the same rules to
a value that was decoded elsewhere (a fixtures document handed over as Python objects).
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

__all__ = ["MAX_DEPTH", "JsonInputError", "check", "loads"]

#: deepest nesting of arrays and objects accepted: PHP's ``json_decode`` default (Copernica),
#: far beyond any real payload, and far from Python's recursion limit
MAX_DEPTH = 512


class JsonInputError(ValueError):
    """The input is not JSON the emulator accepts; ``reason`` says why, for the error message,
    and ``kind`` which rule it broke (``syntax``, ``encoding``, ``surrogate``, ``number``,
    ``depth``), for a vendor that words each differently."""

    def __init__(self, reason: str, kind: str = "syntax"):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


def _constant(name: str) -> Any:
    raise JsonInputError(f"{name} is not JSON", "number")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise JsonInputError(f"the number {text[:40]} is out of range", "number")
    return number


#: one decoder for every call: ``json.loads`` with hooks builds a new one each time (2 µs, a
#: tenth of reading a vendor's request body)
_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_finite)


def loads(raw: bytes | str) -> Any:
    """Decode ``raw`` (UTF-8 bytes or text) under the rules above."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw
    except UnicodeDecodeError as exc:
        raise JsonInputError(str(exc), "encoding") from None
    try:
        if text.startswith("\ufeff"):  # as ``json.loads`` refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except JsonInputError:
        raise
    except RecursionError:
        raise JsonInputError(f"arrays and objects are nested more than {MAX_DEPTH} deep", "depth") from None
    except ValueError as exc:  # JSONDecodeError, and ints past Python's digit limit
        raise JsonInputError(str(exc)) from None
    check(value)
    return value


def _bad_text(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check(value: Any) -> None:
    """Refuse a decoded value the emulator could not store or answer with (see module doc).

    Iterative, so a deep value cannot exhaust the stack while being checked. Depth first, each
    container's members from the last to the first (a member name when its object is reached):
    where a value breaks several rules, the first one met is the one named. Strings and numbers
    are checked as their container is read, not stacked one by one: a 100,000-profile fixtures
    document is a few million of them."""
    stack: list[tuple[Iterator[Any], int]] = [(iter((value,)), 0)]
    push, pop = stack.append, stack.pop
    while stack:
        members, depth = stack[-1]
        for node in members:
            kind = type(node)
            if kind is str:
                if not node.isascii() and _bad_text(node):
                    raise JsonInputError("a string holds a lone surrogate escape (\\ud800 to \\udfff "
                                         "without its pair), which is not Unicode text", "surrogate")
            elif kind is dict or kind is list:
                if depth >= MAX_DEPTH:
                    raise JsonInputError(f"arrays and objects are nested more than {MAX_DEPTH} deep", "depth")
                if kind is dict:
                    for key in node:
                        if isinstance(key, str) and not key.isascii() and _bad_text(key):
                            raise JsonInputError("a member name holds a lone surrogate escape (\\ud800 to "
                                                 "\\udfff without its pair), which is not Unicode text", "surrogate")
                    push((reversed(node.values()), depth + 1))
                else:
                    push((reversed(node), depth + 1))
                break  # the container's members first, then on with this one's
            elif kind is float:
                if not math.isfinite(node):
                    raise JsonInputError("NaN and infinite numbers are not JSON values", "number")
        else:
            pop()
