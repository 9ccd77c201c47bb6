"""The waitress server the emulator runs on: one wiring for ``martech-emulator serve``, the
testing toolkit's ``ThreadServer`` and the benchmarks, so what is measured is what users run.

Why not a bare ``waitress.create_server``: waitress 3.0 closes the connection after every
response without a ``Content-Length``, including the bodiless ones (``204 No Content``,
``304``), which must not carry one (RFC 9110 §8.6). Copernica answers every PUT and DELETE with
a 204, so each of them cost the client a new TCP connection (and the server a new channel,
about 300 µs of its CPU per PUT). A bodiless response is framed by its header alone (RFC 9112 §6.3): the connection stays
open unless the client asked to close it. (Pylons/waitress#502 proposes the same fix upstream.)
"""
from __future__ import annotations

from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import WSGITask

from .deferred import WorkQueue, answer_first

IDENT = "martech-emulator"


class _KeepAliveTask(WSGITask):
    """waitress's WSGI task, except that a bodiless HTTP/1.1 response keeps the connection, and
    that work the request queued for later (``async=1``) is applied by this thread once the
    answer is sent, rather than by waking the deferred-work thread (``emulator.deferred``)."""

    _bodiless_keep_alive = False

    def service(self) -> None:
        queued: list[WorkQueue] = []
        token = answer_first.set(queued)
        try:
            super().service()  # the answer is on the wire when this returns (send_bytes=1)
        finally:
            answer_first.reset(token)
            for work in queued:
                work.apply_due()

    def build_response_header(self) -> bytes:
        # waitress's only reason to close a 1.1 connection here, besides the client's own
        # ``Connection: close`` (left alone), is a response with no Content-Length to frame it
        self._bodiless_keep_alive = (
            self.version == "1.1" and not self.has_body and not self.close_on_finish
            and self.request.headers.get("CONNECTION", "").lower() != "close")
        try:
            header: bytes = super().build_response_header()
        finally:
            self._bodiless_keep_alive = False
        return header

    def set_close_on_finish(self) -> None:
        if not self._bodiless_keep_alive:
            super().set_close_on_finish()


class _Channel(HTTPChannel):
    task_class = _KeepAliveTask


def make_server(app: Any, host: str = "127.0.0.1", port: int = 0, threads: int = 16,
                connection_limit: int = 1000, **adjustments: Any) -> Any:
    """A waitress server for ``app``, bound and listening (``server.run()`` serves it).

    ``connection_limit`` counts the clients' connections: waitress counts its listening socket
    and its wake-up pipe in its own limit, hence the + 2. poll(), not select(): select() cannot
    watch a socket numbered 1024 or more."""
    adjustments.setdefault("ident", IDENT)
    adjustments.setdefault("asyncore_use_poll", True)
    sockets: dict[int, Any] = {}
    server = create_server(app, map=sockets, host=host, port=port, threads=threads,
                           connection_limit=connection_limit + 2, **adjustments)
    for listener in sockets.values():  # one per address a host name resolves to
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = _Channel
    return server
