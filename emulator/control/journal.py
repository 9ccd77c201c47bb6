"""The request journal's API, WireMock-style: list, count, find, clear, and what nothing matched.

``GET /_emulator/requests``            filters: vendor, tenant, method, path, status, since, limit
``POST /_emulator/requests/count``     body: a matcher (``emulator.journal.Matcher``) → ``{"count": n}``
``POST /_emulator/requests/find``      body: a matcher → ``{"requests": [...]}``
``DELETE /_emulator/requests``         all, or ``?vendor=`` (and ``&tenant=``) → ``{"deleted": n}``
``GET /_emulator/requests/unmatched``  requests no emulated route answered (same filters)

Lists are oldest first; ``limit`` keeps the newest ``limit``.
"""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from ..state import current_emulator
from ..errors import EmulatorError
from ..journal import Entry, Matcher
from ..vendors import VENDORS, vendor_named
from .routes import _json_body, control

FILTERS = ("vendor", "tenant", "method", "path", "status", "since", "limit")


def _filters(extra: dict[str, Any] | None = None) -> tuple[Matcher, int | None]:
    unknown = sorted(set(request.args) - set(FILTERS))
    if unknown:
        raise EmulatorError(f"unknown filter {unknown[0]!r}; expected any of: {', '.join(FILTERS)}")
    spec: dict[str, Any] = {k: request.args[k] for k in ("vendor", "tenant", "method", "path", "since")
                            if k in request.args}
    if "vendor" in spec:
        _known_vendor(spec["vendor"])
    if "status" in request.args:
        try:
            spec["status"] = [int(code) for code in request.args["status"].split(",")]
        except ValueError:
            raise EmulatorError("'status' takes a status code, or several separated by commas") from None
    limit = None
    if "limit" in request.args:
        try:
            limit = int(request.args["limit"])
        except ValueError:
            limit = -1
        if limit < 0:
            raise EmulatorError("'limit' takes a whole number ≥ 0")
    spec.update(extra or {})
    return Matcher(spec), limit


def _known_vendor(name: str) -> None:
    if vendor_named(name) is None:
        raise EmulatorError(f"unknown vendor {name!r}; expected one of: {', '.join(v.name for v in VENDORS)}")


def _listing(entries: list[Entry]) -> Response:
    return jsonify({"requests": [e.to_json() for e in entries], "count": len(entries),
                    "journal_size": current_emulator().journal.size})


@control.get("/requests")
def list_requests() -> Response:
    matcher, limit = _filters()
    return _listing(current_emulator().journal.entries(matcher, limit))


@control.get("/requests/unmatched")
def unmatched_requests() -> Response:
    matcher, limit = _filters({"matched": False})
    return _listing(current_emulator().journal.entries(matcher, limit))


@control.post("/requests/count")
def count_requests() -> Response:
    matcher = Matcher(_json_body(required=False))
    return jsonify({"count": len(current_emulator().journal.entries(matcher))})


@control.post("/requests/find")
def find_requests() -> Response:
    matcher = Matcher(_json_body(required=False))
    return _listing(current_emulator().journal.entries(matcher))


@control.delete("/requests")
def clear_requests() -> Response:
    unknown = sorted(set(request.args) - {"vendor", "tenant"})
    if unknown:
        raise EmulatorError(f"unknown parameter {unknown[0]!r}; DELETE /_emulator/requests takes 'vendor' and 'tenant'")
    vendor, tenant = request.args.get("vendor"), request.args.get("tenant")
    if vendor is not None:
        _known_vendor(vendor)
    if tenant is not None and vendor is None:
        raise EmulatorError("'tenant' needs 'vendor' too")
    deleted = current_emulator().journal.clear(vendor, tenant)
    return jsonify({"deleted": deleted})
