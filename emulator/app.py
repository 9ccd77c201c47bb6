"""The application factory: one Flask app, the vendors' blueprints, one control plane.

Error handling lives here, registered once: an HTTP-level error (no route, wrong method, body
too large) on a vendor's path gets that vendor's own answer, anything else the emulator's JSON
error. No request ever gets Flask's HTML error page.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, NoReturn

from flask import Flask, Request, Response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import RequestRedirect

from . import changelog, journal_hooks
from .control import control, root
from .errors import EmulatorError, emulator_error, json_redirect
from .realism import hook as realism_hook
from .settings import Settings
from .state import Emulator
from .store import Store
from .vendors import VENDORS, vendor_for_path

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               load_fixtures: bool = True) -> Flask:
    settings = settings or Settings()
    app = EmulatorFlask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]  # Flask's DefaultJSONProvider
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    emulator = Emulator(settings, VENDORS, store)
    app.extensions["emulator"] = emulator

    app.register_blueprint(control)
    app.register_blueprint(root)
    for vendor in VENDORS:
        app.register_blueprint(vendor.blueprint())

    app.wsgi_app = _ReasonPhrases(_VendorPaths(app.wsgi_app))  # type: ignore[method-assign]
    _register_error_handlers(app)
    changelog.register_hooks(app)  # who changed what (before the journal's hooks: see changelog)
    journal_hooks.register(app)  # the request journal (emulator/journal.py, journal_hooks.py)
    # after the journal's hooks: its after_request then runs after ours and records our notes
    realism_hook.register(app)  # faults, latency and quotas on vendor paths (emulator/realism/)
    if load_fixtures:
        emulator.load_start_fixtures()
    emulator.ready.set()
    return app


class EmulatorFlask(Flask):
    """Flask, with two of its per-request steps done once or only when needed (issue 13)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._sync: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask asks, for every hook and view of every request, whether it is a coroutine
        function; the answer never changes, so it is asked once per function."""
        try:
            return self._sync[func]
        except KeyError:
            sync = self._sync[func] = super().ensure_sync(func)
            return sync
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)

    def raise_routing_exception(self, request: Request) -> NoReturn:
        """werkzeug's slash redirect (``/_emulator`` → ``/_emulator/``) with a JSON body instead
        of its HTML "Redirecting..." page: the control plane always answers JSON. A vendor's
        paths are made canonical before routing (``Vendor.canonical_path``) and never get here.
        (Flask's hook for it: a ``before_request`` function would run on every request.)"""
        exc = request.routing_exception
        if isinstance(exc, RequestRedirect) and vendor_for_path(request.path) is None:
            raise HTTPException(response=json_redirect(exc.new_url, exc.code))
        super().raise_routing_exception(request)


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
    @app.errorhandler(EmulatorError)
    def _emulator_error(exc: EmulatorError) -> Response:
        return emulator_error(exc.message, exc.status, **exc.details)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        vendor = vendor_for_path(request.path)
        if vendor is not None:
            response = vendor.http_error(request, exc.code or 500, exc.description or "")
        else:
            response = emulator_error(exc.description or exc.name, exc.code or 500)
        if response.status_code == 405 and isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            # RFC 9110 §15.5.6: a 405 names the methods the resource takes (a vendor that answers
            # a wrong method with another status, as Copernica's 400 "Invalid method", sends none)
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        vendor = vendor_for_path(request.path)
        if vendor is not None:
            return vendor.http_error(request, 500, f"emulator bug: {type(exc).__name__}: {exc}")
        return emulator_error(f"emulator bug: {type(exc).__name__}: {exc}", 500)


