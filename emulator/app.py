"""The application factory: one Flask app, the vendors' blueprints, one control plane.

Error handling lives here, registered once: an HTTP-level error (no route, wrong method, body
too large) on a vendor's path gets that vendor's own answer, anything else the emulator's JSON
error. No request ever gets Flask's HTML error page.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from . import changelog, journal_hooks
from .control import control
from .errors import EmulatorError, emulator_error
from .realism import hook as realism_hook
from .settings import Settings
from .state import Emulator
from .store import Store
from .vendors import VENDORS, vendor_for_path

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               load_fixtures: bool = True) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]  # Flask's DefaultJSONProvider
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    emulator = Emulator(settings, VENDORS, store)
    app.extensions["emulator"] = emulator

    app.register_blueprint(control)
    for vendor in VENDORS:
        app.register_blueprint(vendor.blueprint())

    app.wsgi_app = _VendorPaths(app.wsgi_app)  # type: ignore[method-assign]
    _register_error_handlers(app)
    changelog.register_hooks(app)  # who changed what (before the journal's hooks: see changelog)
    journal_hooks.register(app)  # the request journal (emulator/journal.py, journal_hooks.py)
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


def _register_error_handlers(app: Flask) -> None:
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

