"""A minimal request feed for the dashboard, until the request journal (``emulator/journal.py``)
is on this branch: ``GET /_emulator/requests?limit=N`` with the journal's answer shape
(``{"requests": [{"id","time","vendor","tenant","method","path","status"}, …], "count"}``),
so the dashboard reads the journal's endpoint unchanged once this module is deleted.
"""
from __future__ import annotations

import itertools
import threading
from collections import deque
from typing import Any

from flask import Response, current_app, jsonify, request

from ..app import current_emulator
from ..errors import EmulatorError
from ..vendors import vendor_for_path
from .routes import control

SIZE = 500


class Feed:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.entries: deque[dict[str, Any]] = deque(maxlen=SIZE)

    def add(self, **entry: Any) -> None:
        with self.lock:
            self.entries.append({"id": next(self.ids), **entry})

    def newest(self, limit: int) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.entries)[-limit:] if limit else []


def _feed() -> Feed:
    return current_app.extensions.setdefault("martech_emulator_feed", Feed())


@control.after_app_request
def _record(response: Response) -> Response:
    vendor = vendor_for_path(request.path)
    if vendor is not None:
        emulator = current_emulator()
        try:
            tenant = vendor.tenant_of(emulator, request)
        except Exception:
            tenant = None
        _feed().add(time=emulator.clock.now().isoformat(), vendor=vendor.name, tenant=tenant,
                    method=request.method, path=request.path, status=response.status_code)
    return response


@control.get("/requests")
def requests_feed() -> Response:
    try:
        limit = int(request.args.get("limit", SIZE))
    except ValueError:
        limit = -1
    if limit < 0 or set(request.args) - {"limit"}:
        raise EmulatorError("GET /_emulator/requests takes 'limit' (a whole number ≥ 0)")
    entries = _feed().newest(limit)
    return jsonify({"requests": entries, "count": len(entries)})
