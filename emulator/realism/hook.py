"""The request hook that applies a tenant's rules and quota to each vendor request.

It runs before the vendor's routes (and before their authentication), on vendor paths only:
a faulted or throttled request is answered here, so the view never runs and a faulted write
changes nothing. What it did is left in ``requestnotes.current()`` for the request journal.

Two things need care under waitress, where the emulator is served:

* **Latency never blocks the others.** A delayed request sleeps in its worker thread; while it
  sleeps, the server's pool is given one more thread (``set_thread_count``), and takes it back
  afterwards, so ``--threads`` workers stay free for everyone else however many requests wait.
* **Connection faults** are a response body that breaks off: it raises waitress's
  ``ClientDisconnected`` before anything (reset, empty) or after part of the body (truncated)
  was written, which makes waitress close the connection without an error page; for a reset
  the socket is first set to linger 0, so the close is a TCP RST. Any other WSGI server gets a
  ``ConnectionError`` raised from the body, which breaks the connection too.
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

from .. import requestnotes
from .rules import Decision

if TYPE_CHECKING:
    from ..state import Emulator
    from ..vendors.base import Vendor

_lent_lock = threading.Lock()


def register(app: Flask) -> None:
    """One ``before_request`` function, which returns at once unless a rule or setting watches
    the request's vendor."""
    emulator: Emulator = app.extensions["emulator"]
    realism = emulator.realism

    @app.before_request
    def _realism() -> Response | None:
        vendor = emulator.vendors.for_request(request)
        if vendor is None or not realism.watched(vendor.name):
            return None
        tenant = vendor.tenant_of(emulator, request)
        if tenant is None:
            return None
        decision = realism.decide(vendor.name, tenant, request.method, request.path)
        notes = list(decision.notes)
        if decision.delay > 0:
            with stand_in_thread(request.environ):
                time.sleep(decision.delay)
        answer = fault_answer(vendor, decision) if decision.fault is not None else None
        if answer is None and "daily_call_limit" not in vendor.settings_fields():
            limit = realism.setting(vendor.name, tenant, "daily_call_limit")
            if limit is not None:
                check = realism.take_call(vendor.name, tenant, limit)
                if not check.allowed:
                    notes.append(f"quota: daily_call_limit {limit} reached ({check.used} calls in the "
                                 f"last 24 h; the next one is allowed in {check.retry_after:.0f} s)"
                                 if limit else "quota: daily_call_limit 0, no call is allowed")
                    answer = vendor.fault_response(request, "quota")
        for note in notes:  # before the view's own notes, which it adds after this hook
            requestnotes.current().add(note)
        return answer


def fault_answer(vendor: Vendor, decision: Decision) -> Response:
    fault = decision.fault or {}
    status = fault.get("status")
    if "body" in fault:
        answer = Response(fault["body"], status=status or 503,
                          content_type=fault.get("content_type", "text/plain; charset=utf-8"))
    elif fault.get("connection") in ("reset", "empty"):
        answer = Response(status=status or 503)
    else:
        answer = vendor.fault_response(request, "error", status, fault.get("message"))
    for name, value in fault.get("headers", {}).items():
        answer.headers[name] = value
    connection = fault.get("connection")
    if connection is None:
        return answer
    body = answer.get_data()
    broken = Response(BrokenBody(body[: len(body) // 2] if connection == "truncated" else b"",
                                 request.environ, reset=connection == "reset"),
                      status=answer.status_code, headers=list(answer.headers.items()))
    broken.headers["Content-Length"] = str(len(body))
    return broken


class InjectedConnectionFault(ConnectionError):
    """Raised from a broken body where no waitress channel is there to close (the test client,
    interception): ``kind`` says which fault, so interception can raise its client's own error."""

    kind = ""


class InjectedReset(InjectedConnectionFault, ConnectionResetError):
    kind = "reset"


class InjectedEmpty(InjectedConnectionFault, ConnectionAbortedError):
    kind = "empty"


class InjectedTruncation(InjectedConnectionFault, ConnectionAbortedError):
    kind = "truncated"


class BrokenBody:
    """A WSGI body that breaks the connection after ``prefix`` (nothing at all when empty)."""

    def __init__(self, prefix: bytes, environ: dict[str, Any], reset: bool):
        self.prefix = prefix
        self.environ = environ
        self.reset = reset

    def __iter__(self) -> Iterator[bytes]:
        if self.prefix:
            yield self.prefix
        abort_connection(self.environ, "reset" if self.reset else "truncated" if self.prefix else "empty")


def _waitress_channel(environ: dict[str, Any]) -> Any:
    """waitress's channel of this request: the one environ key that leads to it is the bound
    ``check_client_disconnected`` method it puts in every environ."""
    return getattr(environ.get("waitress.client_disconnected"), "__self__", None)


def abort_connection(environ: dict[str, Any], kind: str) -> None:
    channel = _waitress_channel(environ)
    if channel is not None:
        from waitress.channel import ClientDisconnected

        if kind == "reset":
            channel.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raise ClientDisconnected("martech-emulator: injected connection fault")
    error = {"reset": InjectedReset, "empty": InjectedEmpty, "truncated": InjectedTruncation}[kind]
    raise error(f"martech-emulator: injected connection fault ({kind})")


@contextmanager
def stand_in_thread(environ: dict[str, Any]) -> Iterator[None]:
    """While a request sleeps, waitress's pool has one thread more (none once it is shut down)."""
    channel = _waitress_channel(environ)
    dispatcher = getattr(getattr(channel, "server", None), "task_dispatcher", None)
    if dispatcher is None or not hasattr(dispatcher, "set_thread_count"):
        yield
        return
    lent = _resize(dispatcher, +1)
    try:
        yield
    finally:
        if lent:
            _resize(dispatcher, -1)


def _resize(dispatcher: Any, step: int) -> bool:
    """Grow or shrink the pool by one thread, relative to what it runs now (threads that are
    stopping do not count), unless it runs none: a server shutting down stays shut down."""
    with _lent_lock:
        with dispatcher.lock:
            running = len(dispatcher.threads) - dispatcher.stop_count
        if running <= 0:
            return False
        dispatcher.set_thread_count(running + step)
        return True
