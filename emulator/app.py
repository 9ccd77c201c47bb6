"""The application factory: one Flask app, the vendors' blueprints, one control plane.

Error handling lives here, registered once: an HTTP-level error (no route, wrong method, body
too large) on a vendor's path gets that vendor's own answer, anything else the emulator's JSON
error. No request ever gets Flask's HTML error page.
"""
from __future__ import annotations

import logging
import threading
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import RequestRedirect

from . import changelog, journal, seeding
from .clock import Clock
from .deferred import WorkQueue
from .errors import EMULATOR, EmulatorError, emulator_error
from .settings import Settings
from .store import Store
from .vendors import VENDORS, vendor_for_path
from .realism import hook as realism_hook
from .realism.core import Realism

log = logging.getLogger(__name__)


class Emulator:
    """The state behind one app: store, clock, deferred work and settings."""

    def __init__(self, settings: Settings, store: Store | None = None):
        self.settings = settings
        self.store = store if store is not None else Store(settings.data, settings.flush_interval)
        self.clock = Clock()
        self.work = WorkQueue(self.clock, batch_lock=self.store.lock)
        if settings.history_size > 0 and self.store.changes is None:
            self.store.changes = changelog.ChangeLog(settings.history_size, now=self.clock.now)
        self.journal = journal.Journal(settings.journal_size)
        self.vendors = VENDORS
        self.realism = Realism(self)  # per-tenant settings, faults, latency, quotas
        self.ready = threading.Event()
        self._closed = False

    def load_start_fixtures(self) -> None:
        """Demo and ``--fixtures`` documents, but only into an empty store: a data file that
        already holds state is never overwritten by the seeds it was made from."""
        if any(self.store.tenants(v.name) for v in self.vendors):
            return
        documents: list[Any] = []
        if self.settings.demo:
            documents.append(seeding.demo_fixtures())
        documents.extend(seeding.read_fixtures_file(path) for path in self.settings.fixtures)
        for document in documents:  # validate every file before applying any
            seeding.validate(document)
        token = changelog.change_origin.set({"label": "fixtures loaded at start"})
        try:
            for document in documents:
                seeding.apply(self, document)
        finally:
            changelog.change_origin.reset(token)

    def reset(self, vendor: str | None = None, tenant: str | None = None) -> None:
        self.work.clear()
        self.journal.clear(vendor, tenant)
        self.realism.reset(vendor, tenant)
        for v in self.vendors:
            if vendor is None or v.name == vendor:
                v.reset(self, tenant)

    def close(self) -> None:
        """Apply due deferred work, then write the data file. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.work.stop()
        self.store.close()


def current_emulator() -> Emulator:
    return current_app.extensions["emulator"]


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               load_fixtures: bool = True) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    emulator = Emulator(settings, store)
    app.extensions["emulator"] = emulator

    from .control import control, root

    app.register_blueprint(control)
    app.register_blueprint(root)
    for vendor in VENDORS:
        app.register_blueprint(vendor.blueprint())

    app.wsgi_app = _ReasonPhrases(_VendorPaths(app.wsgi_app))  # type: ignore[method-assign]
    _register_error_handlers(app)
    changelog.register_hooks(app)  # who changed what (before the journal's hooks: see changelog)
    journal.register_hooks(app)  # the request journal (emulator/journal.py)
    # after the journal's hooks: its after_request then runs after ours and records our notes
    realism_hook.register(app)  # faults, latency and quotas on vendor paths (emulator/realism/)
    if load_fixtures:
        emulator.load_start_fixtures()
    emulator.ready.set()
    return app


class _VendorPaths:
    """WSGI middleware: hands each vendor's router the path as that vendor reads it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        vendor = vendor_for_path(path)
        if vendor is not None:
            environ["PATH_INFO"] = vendor.canonical_path(path)
        return self.wsgi_app(environ, start_response)


class _ReasonPhrases:
    """WSGI middleware: the standard reason phrase on every status line (``204 No Content``).

    werkzeug spells a status it makes from a bare code in capitals (``204 NO CONTENT``), while
    the real services send the standard phrases, and some clients hand the raw status line to
    their caller. Done here, under every response of every vendor and of the control plane;
    a reason phrase a vendor chose itself is left alone."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status: str, headers, exc_info=None):
            return start_response(standard_status(status), headers, exc_info)

        return self.wsgi_app(environ, start)


def standard_status(status: str) -> str:
    """``"204 NO CONTENT"`` → ``"204 No Content"``; any other status line unchanged."""
    code, _, reason = status.partition(" ")
    if not code.isdigit() or reason != HTTP_STATUS_CODES.get(int(code), "").upper():
        return status
    try:
        return f"{code} {HTTPStatus(int(code)).phrase}"
    except ValueError:
        return f"{code} {HTTP_STATUS_CODES[int(code)]}"


def _register_error_handlers(app: Flask) -> None:
    @app.before_request
    def _json_redirect() -> Response | None:
        """werkzeug's slash redirect (``/_emulator`` → ``/_emulator/``) with a JSON body instead
        of its HTML "Redirecting..." page: the control plane always answers JSON. A vendor's
        paths are made canonical before routing (``Vendor.canonical_path``) and never get here."""
        exc = request.routing_exception
        if not isinstance(exc, RequestRedirect) or vendor_for_path(request.path) is not None:
            return None
        return json_redirect(exc.new_url, exc.code)

    @app.errorhandler(EmulatorError)
    def _emulator_error(exc: EmulatorError) -> Response:
        return emulator_error(exc.message, exc.status, **exc.details)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        vendor = vendor_for_path(request.path)
        if vendor is not None:
            return vendor.http_error(request, exc.code or 500, exc.description or "")
        return emulator_error(exc.description or exc.name, exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        vendor = vendor_for_path(request.path)
        if vendor is not None:
            return vendor.http_error(request, 500, f"emulator bug: {type(exc).__name__}: {exc}")
        return emulator_error(f"emulator bug: {type(exc).__name__}: {exc}", 500)



def json_redirect(location: str, status: int = 302) -> Response:
    """A redirect a browser follows, with a JSON body an API client can read."""
    response = jsonify({"emulator": EMULATOR, "status": status, "location": location})
    response.status_code = status
    response.headers["Location"] = location
    return response
