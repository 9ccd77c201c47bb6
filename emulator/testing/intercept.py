"""In-process interception of the vendors' real hostnames, for ``requests`` and ``httpx``.

Inside ``with Intercept(app):`` a call to ``https://api.copernica.com/v3/…``,
``https://mc.adobe.io/<org>/campaign/…`` or ``https://<client>.tt.omtrdc.net/…`` is answered by
the emulator's Flask app directly — no socket, no server — with the real URL (host included),
so tenancy, the request journal and every answer are exactly what the server would give.

The patching is done by the libraries made for it: ``responses`` for ``requests`` and ``respx``
for ``httpx`` (sync and async). The hostnames come from the registry (``Vendor.hostnames``); a
name there matches itself and any subdomain, so Target's ``tt.omtrdc.net`` covers
``<client>.tt.omtrdc.net``. Any other host in those vendors' domains (``platform.adobe.io``,
``www.copernica.com``, Adobe IMS at ``adobelogin.com``: ``VENDOR_DOMAINS``) gets
``HostNotEmulated``, a connection error that says so; such a request never reaches the
network. Other hosts pass through to the network unless ``passthrough`` says otherwise.
"""
from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import SplitResult, unquote, urlsplit

import requests
from flask import Flask
from werkzeug.urls import iri_to_uri

from ..extras import require
from ..realism.hook import InjectedConnectionFault
from ..vendors import VENDORS, vendor_for_path
from ..vendors.base import Vendor

# the pytest extra's packages; a plain install gets a one-line error naming the extra
if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse

    import httpx
    import respx
    import responses
else:
    responses = require("responses", "pytest", "emulator.intercept()")
    httpx = require("httpx", "pytest", "emulator.intercept()")
    respx = require("respx", "pytest", "emulator.intercept()")

#: the vendors' domains, never let through even before their vendor is registered, plus Adobe IMS
#: (``adobelogin.com``), where an ACS client fetches its bearer token; the registered vendors'
#: hostnames add their own domains to these
VENDOR_DOMAINS = ("adobe.io", "adobelogin.com", "omtrdc.net", "copernica.com")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
#: request headers the WSGI layer sets itself
_HOP_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


class HostNotEmulated(requests.exceptions.ConnectionError):
    """A request to a vendor's host that the emulator does not emulate; it was not sent."""


class HttpxHostNotEmulated(httpx.ConnectError):
    """``HostNotEmulated`` for httpx clients."""


def _matches(host: str, name: str) -> bool:
    return host == name or host.endswith("." + name)


def _registered_domain(hostname: str) -> str:
    return ".".join(hostname.split(".")[-2:])


class HostMap:
    """Which vendor, if any, answers a host; and which hosts belong to a vendor but are not emulated."""

    def __init__(self, vendors: Iterable[Vendor] = VENDORS):
        self.vendors = [v for v in vendors if v.hostnames]
        self.domains = sorted({_registered_domain(h.lower()) for v in self.vendors for h in v.hostnames}
                              | set(VENDOR_DOMAINS))
        hosts = "|".join(re.escape(d) for d in self.domains)
        #: every URL in a vendor's domains, emulated or not
        self.url_pattern = re.compile(rf"^https?://(?:[^/?#@]*\.)?(?:{hosts})(?::\d+)?(?:[/?#]|$)", re.I)

    def vendor_for_host(self, host: str) -> Vendor | None:
        host = host.lower().rstrip(".")
        return next((v for v in self.vendors if any(_matches(host, h.lower()) for h in v.hostnames)), None)

    def emulated(self) -> str:
        names = ", ".join(h for v in self.vendors for h in v.hostnames)
        return f"{names} and their subdomains" if names else "none (no vendor declares a hostname)"


def dispatch(app: Flask, hosts: HostMap, method: str, url: str, headers: Iterable[tuple[str, str]],
             body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """Answer one request through the app; raise ``LookupError`` with a message if not emulated."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    vendor = hosts.vendor_for_host(host)
    if vendor is None:
        raise LookupError(
            f"martech-emulator does not emulate {parts.scheme}://{parts.netloc}/ (a vendor host it does "
            f"not answer for); the request {method} {url} was not sent. Emulated hosts: {hosts.emulated()}")
    owner = vendor_for_path(parts.path or "/")
    if owner is not None and owner.name != vendor.name:
        raise LookupError(
            f"martech-emulator does not emulate {method} {url}: {parts.path} belongs to {owner.title}, "
            f"which it answers at {', '.join(owner.hostnames)}, not at {host}; the request was not sent")
    environ = wsgi_environ(method, parts, headers, body)
    # straight through WSGI: Flask's test client would add a cookie jar and a response wrapper
    # that cost more than the emulator's own work on the call
    answer: list[Any] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer[:] = [int(status.split(" ", 1)[0]), response_headers]

    app_iter = app(environ, cast("StartResponse", start_response))
    try:
        content = b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
    return answer[0], list(answer[1]), content


def wsgi_environ(method: str, parts: SplitResult, headers: Iterable[tuple[str, str]], body: bytes) -> dict[str, Any]:
    """The WSGI environ of one request, as werkzeug's ``EnvironBuilder`` makes it.

    Built here rather than by ``EnvironBuilder``, whose generality (forms, files, JSON, auth,
    stream sizing) cost 25 µs per call: about a tenth of an intercepted call, where the
    emulator's budget is half of what a hand-written ``responses`` stub costs (issue 13).
    ``tests/testing/test_intercept_environ.py`` holds the two to the same environ.
    """
    # the Host header the server would get: the client's own if it set one, else the URL's
    kept: dict[str, list[str]] = {}
    sent_host = content_type = None
    for name, value in headers:
        lowered = name.lower()
        if lowered == "host":
            sent_host = sent_host or value
        elif lowered == "content-type":
            content_type = value if content_type is None else content_type
        elif lowered not in _HOP_HEADERS:
            kept.setdefault(f"HTTP_{name.upper().replace('-', '_')}", []).append(value)
    scheme = parts.scheme
    host = sent_host or parts.netloc
    if not host.isascii():
        host = iri_to_uri(f"{scheme}://{host}").partition("://")[2]
    server_name, _, port = host.rpartition(":") if ":" in host and not host.endswith("]") else (host, "", "")
    path = raw_uri = parts.path or "/"
    if not path.isascii() or "%" in path:  # as werkzeug decodes it: UTF-8, errors replaced, as latin-1
        raw_uri = path.encode("utf-8").decode("latin-1")
        path = unquote(iri_to_uri(path)).encode("utf-8").decode("latin-1")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path,
        "QUERY_STRING": parts.query.encode("utf-8").decode("latin-1"),
        "REQUEST_URI": raw_uri, "RAW_URI": raw_uri,
        "SERVER_NAME": server_name, "SERVER_PORT": port or _DEFAULT_PORTS.get(scheme, "80"),
        "HTTP_HOST": host, "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": scheme, "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    elif content_type is not None and content_type.partition(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        environ["CONTENT_LENGTH"] = "0"
    for key, values in kept.items():
        environ[key] = ", ".join(values)
    return environ


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    return b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in body)


class Intercept:
    """Answer ``requests`` and ``httpx`` calls to the vendors' real hostnames through ``app``.

    ``passthrough``: True lets every other host reach the network; False refuses them (a
    connection error); a list of URL prefixes lets only those through.
    """

    def __init__(self, app: Flask, passthrough: bool | Iterable[str] = True,
                 vendors: Iterable[Vendor] = VENDORS):
        self.app = app
        self.hosts = HostMap(vendors)
        self.passthrough = passthrough if isinstance(passthrough, bool) else tuple(passthrough)
        self._responses: responses.RequestsMock | None = None
        self._respx: respx.MockRouter | None = None

    # -- requests --------------------------------------------------------------------------------
    def _answer_requests(self, prepared: requests.PreparedRequest) -> Any:
        try:
            headers = [(k, v if isinstance(v, str) else v.decode("latin-1")) for k, v in prepared.headers.items()]
            return dispatch(self.app, self.hosts, prepared.method or "GET", prepared.url or "", headers,
                            _body_bytes(prepared.body))
        except LookupError as exc:
            return HostNotEmulated(str(exc), request=prepared)
        except InjectedConnectionFault as exc:  # a realism rule broke the connection: as requests says it
            if exc.kind == "truncated":
                return requests.exceptions.ChunkedEncodingError(str(exc), request=prepared)
            return requests.ConnectionError(str(exc), request=prepared)

    # -- httpx -----------------------------------------------------------------------------------
    def _answer_httpx(self, request: httpx.Request) -> httpx.Response:
        try:
            status, headers, content = dispatch(self.app, self.hosts, request.method, str(request.url),
                                                request.headers.multi_items(), request.read())
        except LookupError as exc:
            raise HttpxHostNotEmulated(str(exc), request=request) from None
        except InjectedConnectionFault as exc:  # a realism rule broke the connection: as httpx says it
            error = httpx.ReadError if exc.kind == "reset" else httpx.RemoteProtocolError
            raise error(str(exc), request=request) from None
        # httpx would decode a Content-Encoding again; the app's body is already what was sent
        return httpx.Response(status, headers=headers, content=content)

    def _refuse_httpx(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"{request.method} {request.url} is not allowed through: passthrough is off "
                                 f"for this host (martech-emulator intercept)", request=request)

    # -- context manager -------------------------------------------------------------------------
    def start(self) -> Intercept:
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for method in METHODS:
            mock.add_callback(method, self.hosts.url_pattern, callback=self._answer_requests,
                              content_type=None)
        router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        router.route(url__regex=self.hosts.url_pattern.pattern).mock(side_effect=self._answer_httpx)
        if self.passthrough is True:
            mock.add_passthru(re.compile(r".*"))
            router.route().pass_through()
        elif self.passthrough:
            for prefix in self.passthrough:
                mock.add_passthru(prefix)
                router.route(url__startswith=prefix).pass_through()
        if self.passthrough is not True:
            router.route().mock(side_effect=self._refuse_httpx)
        mock.start()
        try:
            router.start()
        except BaseException:
            mock.stop()
            raise
        self._responses, self._respx = mock, router
        return self

    def stop(self) -> None:
        if self._responses is not None:
            self._responses.stop()
            self._responses.reset()
            self._responses = None
        if self._respx is not None:
            self._respx.stop()
            self._respx = None

    def __enter__(self) -> Intercept:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
