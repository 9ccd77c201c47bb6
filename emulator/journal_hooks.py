"""The request journal's hooks: what the app does on each request so the journal
(``journal.py``) can record it: a tee on the body as the vendor reads it, the start time, and
after the answer (whatever produced it: a route or an error handler) the raw pieces of the
request and its answer, from which the entry is built when someone first reads it.

Recording is kept to references and bytes already in hand, because it is paid on every request
and most entries are never read: masking credentials, cutting headers and query, decoding the
bodies and rebuilding the URL (``_fields``) cost several times more, and are done lazily
(``journal.Pending``). A request with a piece over the per-entry limit (a hostile header, a
huge query or path) is built at once instead, so the journal never keeps more than that limit
of any piece.
"""
from __future__ import annotations

import logging
from datetime import datetime
from collections.abc import Callable
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlunsplit

from flask import Flask, Request, Response, g, request
from werkzeug.datastructures import EnvironHeaders

from . import requestnotes
from .journal import BODY_LIMIT, ENTRY_OVERHEAD, Journal, Pending, cut_headers, cut_query, mask_query

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

    __slots__ = ("_stream", "limit", "kept", "seen")

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
_STARTED = "martech_emulator.journal_started"
#: the environ keys werkzeug's ``EnvironHeaders`` reads the request headers from
_HEADER_KEYS = ("HTTP_", "CONTENT_")


def register(app: Flask) -> None:
    """Record every request on a vendor's path, whatever answered it (route or error handler).

    One WSGI wrapper and one ``after_request`` function: a ``before_request`` function would
    cost every request a few microseconds of Flask's own bookkeeping for one timestamp. With
    the journal off (size 0) both return at once."""
    inner = app.wsgi_app
    emulator: Emulator = app.extensions["emulator"]
    journal = emulator.journal
    clock = emulator.clock
    vendors = emulator.vendors

    def wsgi_app(environ: dict[str, Any], start_response: Any) -> Any:
        # every request: which vendor owns it is known only once its path is canonical
        if journal.size:
            environ[_STARTED] = clock.now()
            # a body werkzeug can read: a length, or a stream the server ended (chunked)
            if (environ.get("CONTENT_LENGTH") or "wsgi.input_terminated" in environ) and "wsgi.input" in environ:
                environ["wsgi.input"] = environ[_TEE] = _InputTee(environ["wsgi.input"], journal.entry_bytes)
        return inner(environ, start_response)

    app.wsgi_app = wsgi_app  # type: ignore[method-assign]

    @app.after_request
    def _journal_record(response: Response) -> Response:
        if journal.size == 0:
            return response
        req: Request = request._get_current_object()  # type: ignore[attr-defined]  # once, not per attribute
        vendor = vendors.for_request(req)
        if vendor is None:
            return response
        try:
            _record(emulator, journal, vendor, req, response)
        except Exception:  # the journal must never change an answer
            log.exception("could not record %s %s in the journal", req.method, req.path)
        return response


def _request_body(req: Request, environ: dict[str, Any], tee: _InputTee | None, limit: int) -> tuple[bytes, bool]:
    """The body as the vendor read it (at most ``limit`` bytes) and whether it was longer: the
    cases ``_record`` does not settle itself."""
    if tee is None:
        data = req.get_data(cache=True)
        return data[:limit], len(data) > limit
    length = req.content_length
    if tee.seen == 0 and length:
        try:  # the vendor answered without reading the body: read what the journal keeps
            req.stream.read(tee.limit)
        except Exception:  # e.g. over the size limit, refused unread
            pass
    size = max(tee.seen, length or 0)
    return bytes(tee.kept), size > len(tee.kept)


#: the environ's keys in a request's order -> its header keys, their length, and a getter of
#: their values (requests from one client mostly share a layout); bounded: emptied when full
_LAYOUTS: dict[tuple[str, ...], tuple[tuple[str, ...], int, Callable[[dict[str, Any]], tuple[str, ...]]]] = {}
_LAYOUTS_KEPT = 256


def _layout(layout: tuple[str, ...]) -> tuple[tuple[str, ...], int, Callable[[dict[str, Any]], tuple[str, ...]]]:
    """The header keys of an environ's layout, as werkzeug's ``EnvironHeaders`` reads them,
    their length, and ``itemgetter(*keys)`` (always giving a tuple)."""
    if len(_LAYOUTS) >= _LAYOUTS_KEPT:
        _LAYOUTS.clear()
    keys = tuple(k for k in layout if k.startswith(_HEADER_KEYS))
    values_of: Callable[[dict[str, Any]], tuple[str, ...]]
    if len(keys) > 1:
        values_of = itemgetter(*keys)
    elif keys:
        key = keys[0]
        values_of = lambda environ: (environ[key],)
    else:
        values_of = lambda environ: ()
    found = _LAYOUTS[layout] = (keys, sum(map(len, keys)), values_of)
    return found


def _record(emulator: Emulator, journal: Journal, vendor: Vendor, req: Request, response: Response) -> None:
    """Keep the request's raw pieces (``journal.Pending``); ``_fields`` makes the entry of them.

    Only references and bytes already in hand, each within the per-entry limit, sized by their
    lengths; what can change after the request stays eager: its tenant, time and notes. Paid by
    every request, so written for speed: the common cases inline, werkzeug's own calls where
    they are not."""
    try:
        tenant = vendor.tenant_of(emulator, req)
    except Exception:
        log.exception("%s.tenant_of failed", vendor.name)
        tenant = None
    limit = journal.entry_bytes
    environ = req.environ
    tee = environ.get(_TEE)
    if tee is None and "wsgi.input" in environ:  # no length and not ended: werkzeug reads nothing of it
        body, body_cut = b"", False
    elif tee is not None and tee.seen and environ.get("CONTENT_LENGTH") == str(tee.seen):
        body = bytes(tee.kept)  # the vendor read it all
        body_cut = tee.seen > len(body)
    else:
        body, body_cut = _request_body(req, environ, tee, limit)
    answer = response.response
    response_body: bytes | None
    if answer.__class__ is list:
        try:  # what ``get_data`` gives for a list of bytes, without its generator
            response_body = b"".join(answer)
        except TypeError:  # text in the list: werkzeug encodes it
            response_body = response.get_data()
    else:
        response_body = None if response.is_streamed else response.get_data()
    response_cut = response_body is not None and len(response_body) > limit
    if response_cut:
        response_body = response_body[:limit]  # type: ignore[index]
    layout = tuple(environ)
    header_keys, header_chars, values_of = _LAYOUTS.get(layout) or _layout(layout)
    header_values = values_of(environ)
    header_chars += sum(map(len, header_values))
    response_headers = tuple(response.headers)
    response_header_chars = sum(map(len, chain.from_iterable(response_headers)))
    context = g._get_current_object()
    notes = requestnotes.peek(context)
    rule = req.url_rule
    query = req.query_string
    path = req.path
    # the path as sent (``/v3//profile/1/``), where the routed one may have been made canonical
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if not target or target[:1] != "/":
        target = None
        routed = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    else:
        routed = target
    note = None if notes is None else notes.text()
    raw = (environ.get(_STARTED) or emulator.clock.now(), None if rule is None else rule.endpoint,
           rule is not None and (notes is None or not notes.unmatched), req.method,
           environ.get("wsgi.url_scheme", "http"),
           environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}",
           target, routed, path, query, header_keys, header_values, body, body_cut, response.status_code,
           response_headers, response_body, response_cut, note, limit)
    texts = len(query) + header_chars + response_header_chars + len(path) + len(routed)
    if texts > limit and max(len(query), header_chars, response_header_chars, len(path), len(routed)) > limit:
        # a hostile piece (a header, query or path over the limit): built now, only its cut part kept
        context.journal_entry = journal.record(vendor=vendor.name, tenant=tenant, **_fields(*raw))
        return
    size = ENTRY_OVERHEAD + texts + len(body) + (0 if response_body is None else len(response_body))
    if note is not None:
        size += len(note)
    # the change log (``changelog.py``) links a request's changes to its journal entry by its id
    context.journal_entry = journal.keep(Pending(vendor.name, tenant, size, _fields, raw))


def _fields(time: datetime, operation: str | None, matched: bool, method: str, scheme: str, netloc: str,
            target: str | None, routed: str, path: str, query_bytes: bytes, header_keys: tuple[str, ...],
            header_values: tuple[str, ...], body: bytes, body_cut: bool, status: int,
            response_headers: tuple[tuple[str, str], ...], response_body: bytes | None, response_cut: bool,
            note: str | None, limit: int) -> dict[str, Any]:
    """A journal entry's fields, from the raw pieces ``_record`` kept: credentials masked,
    headers and query cut at ``limit``, bodies decoded, the URL as the client sent it."""
    query, query_cut = cut_query(mask_query(query_bytes.decode("latin-1")), limit)
    header_environ = dict(zip(header_keys, header_values, strict=True))
    headers, headers_cut = cut_headers(EnvironHeaders(header_environ).items(), limit)
    # built from the WSGI environ: werkzeug's ``request.url`` costs more than the rest of the entry
    if target is not None:
        url_path = target.partition("?")[0]
    else:
        url_path = quote(routed, safe="/%@:+,;=!$&'()*~")
    return dict(
        time=time,
        operation=operation,
        matched=matched,
        method=method,
        url=urlunsplit((scheme, netloc, url_path, query, ""))[:2 * limit],  # a hostile Host or path is cut too
        path=path[:limit],
        query_string=query,
        headers=headers,
        headers_truncated=headers_cut,
        query_truncated=query_cut,
        body=body.decode("utf-8", errors="replace"),
        body_truncated=body_cut,
        content_type=header_environ.get("CONTENT_TYPE") or "",
        status=status,
        response_headers=cut_headers(response_headers, limit)[0],
        response_body="<streamed>" if response_body is None else response_body.decode("utf-8", errors="replace"),
        response_truncated=response_cut,
        note=note,
    )
