"""The request journal's hooks: what the app does on each request so the journal
(``journal.py``) can record it: a tee on the body as the vendor reads it, the start time, and
the entry, built after the answer whatever produced it (a route or an error handler).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlunsplit

from flask import Flask, Response, g, request

from . import requestnotes
from .journal import BODY_LIMIT, Journal, body_text, cut_headers, cut_query, request_query_masked
from .state import current_emulator

if TYPE_CHECKING:
    from .state import Emulator
    from .vendors.base import Vendor

log = logging.getLogger(__name__)


class _InputTee:
    """``wsgi.input`` that keeps the first ``limit`` bytes the app reads.

    The body is recorded as the vendor read it, without reading it ahead of the vendor: an
    early read would bypass the vendor's own body size limit, and a vendor that parses a form
    leaves nothing for a later ``get_data``.
    """

    def __init__(self, stream: Any, limit: int = BODY_LIMIT):
        self._stream = stream
        self.limit = limit
        self.kept = bytearray()
        self.seen = 0

    def _keep(self, data: bytes) -> bytes:
        self.seen += len(data)
        room = self.limit - len(self.kept)
        if room > 0:
            self.kept += data[:room]
        return data

    def read(self, *args: Any) -> bytes:
        return self._keep(self._stream.read(*args))

    def readline(self, *args: Any) -> bytes:
        return self._keep(self._stream.readline(*args))

    def readlines(self, *args: Any) -> list[bytes]:
        return [self._keep(line) for line in self._stream.readlines(*args)]

    def __iter__(self) -> Any:
        for line in self._stream:
            yield self._keep(line)

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


_TEE = "martech_emulator.journal_input"


def register(app: Flask) -> None:
    """Record every request on a vendor's path, whatever answered it (route or error handler)."""
    inner = app.wsgi_app

    def wsgi_app(environ: dict[str, Any], start_response: Any) -> Any:
        # every request: which vendor owns it is known only once its path is canonical
        if "wsgi.input" in environ:
            limit = app.extensions["emulator"].journal.entry_bytes
            environ["wsgi.input"] = environ[_TEE] = _InputTee(environ["wsgi.input"], limit)
        return inner(environ, start_response)

    app.wsgi_app = wsgi_app  # type: ignore[method-assign]

    @app.before_request
    def _journal_start() -> None:
        emulator = current_emulator()
        if emulator.vendors.for_path(request.path) is not None:
            g.journal_started = emulator.clock.now()

    @app.after_request
    def _journal_record(response: Response) -> Response:
        emulator = current_emulator()
        vendor = emulator.vendors.for_path(request.path)
        if vendor is None:
            return response
        try:
            _record(emulator, vendor, response)
        except Exception:  # the journal must never change an answer
            log.exception("could not record %s %s in the journal", request.method, request.path)
        return response


def _request_body(limit: int) -> tuple[str, bool]:
    tee = request.environ.get(_TEE)
    if tee is None:
        return body_text(request.get_data(cache=True), limit)
    if tee.seen == 0 and request.content_length:
        try:  # the vendor answered without reading the body: read what the journal keeps
            request.stream.read(tee.limit)
        except Exception:  # e.g. over the size limit, refused unread
            pass
    size = max(tee.seen, request.content_length or 0)
    return bytes(tee.kept).decode("utf-8", errors="replace"), size > len(tee.kept)


def _record(emulator: Emulator, vendor: Vendor, response: Response) -> None:
    journal: Journal = emulator.journal
    if journal.size == 0:
        return
    try:
        tenant = vendor.tenant_of(emulator, request)
    except Exception:
        log.exception("%s.tenant_of failed", vendor.name)
        tenant = None
    limit = journal.entry_bytes
    body, body_cut = _request_body(limit)
    if response.is_streamed:
        response_body, response_cut = "<streamed>", False
    else:
        response_body, response_cut = body_text(response.get_data(), limit)
    query, query_cut = cut_query(request_query_masked(), limit)
    headers, headers_cut = cut_headers(request.headers.items(), limit)
    environ = request.environ
    # built from the WSGI environ: werkzeug's ``request.url`` costs more than the rest of the entry
    scheme = environ.get("wsgi.url_scheme", "http")
    netloc = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    # the path as sent (``/v3//profile/1/``), where the routed one may have been made canonical
    raw_target = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if raw_target and raw_target.startswith("/"):
        path = raw_target.partition("?")[0]
    else:
        path = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/%@:+,;=!$&'()*~")
    notes = requestnotes.current()
    # the change log (``changelog.py``) links a request's changes to its journal entry
    g.journal_entry = journal.record(
        time=g.get("journal_started") or emulator.clock.now(),
        vendor=vendor.name,
        tenant=tenant,
        operation=request.endpoint if request.url_rule is not None else None,
        matched=request.url_rule is not None and not notes.unmatched,
        method=request.method,
        url=urlunsplit((scheme, netloc, path, query, ""))[:2 * limit],  # a hostile Host or path is cut too
        path=request.path[:limit],
        query_string=query,
        headers=headers,
        headers_truncated=headers_cut,
        query_truncated=query_cut,
        body=body,
        body_truncated=body_cut,
        content_type=request.content_type or "",
        status=response.status_code,
        response_headers=cut_headers(response.headers.items(), limit)[0],
        response_body=response_body,
        response_truncated=response_cut,
        note=notes.text(),
    )
