"""Who may use the control plane (``/_emulator``): the checks a browser attack would have to pass.

The control plane can wipe the state and reads every seeded credential, so a web page open in
the developer's browser must not reach it, while curl, the CLI, the pytest plugin and the
dashboard (served from the emulator itself) keep working with no extra step on loopback. Three
rules, applied before any control route runs, in this order (docs/control-plane.md):

1. **Host**: the ``Host`` header must name loopback (``127.0.0.0/8``, ``[::1]``, ``localhost``
   and its subdomains), the address ``serve`` was bound to, or a host allowed by configuration
   (``--allowed-host``, ``EMULATOR_ALLOWED_HOSTS``). A DNS-rebinding page reaches the emulator
   under its own name, so its requests fail here (403).
2. **Origin** of a write (any method but GET, HEAD, OPTIONS): when the browser says where the
   request comes from (``Origin``, else ``Referer``), it must be the emulator's own origin or a
   loopback one. A cross-site form or ``fetch`` with ``text/plain`` (which needs no CORS
   preflight) fails here (403). Requests with neither header (curl, scripts) are not browsers'.
3. **Token**: when a control token is configured (``--control-token``,
   ``EMULATOR_CONTROL_TOKEN``; ``serve`` refuses a non-loopback address without one), every
   request must send ``Authorization: Bearer <token>`` (401 otherwise), except the pages and
   documents that are the same in every emulator and hold no state: the dashboard and docs
   pages, their assets, the OpenAPI document and ``GET /_emulator/health``.

The vendors' routes are not touched: they answer as the vendors do.
"""
from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Request, Response, request
from werkzeug.sansio.utils import host_is_trusted

from ..state import current_emulator
from ..errors import emulator_error
from .routes import control

PREFIX = "/_emulator"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: control endpoints open without the token: static pages and documents, and the health check
#: that container orchestrators poll
OPEN_ENDPOINTS = frozenset({"control.dashboard", "control.docs", "control.asset", "control.openapi_json",
                            "control.health"})
TOKEN_HEADER = "Authorization"
#: addresses that mean "every interface": not a name a client can send as its Host
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def is_control_path(path: str) -> bool:
    path = "/" + path.lstrip("/")  # ``//_emulator`` is redirected to ``/_emulator``: the same area
    return path == PREFIX or path.startswith(PREFIX + "/")


def is_loopback_name(host: str) -> bool:
    """``localhost`` (and ``*.localhost``, which browsers resolve to loopback themselves), or an
    address in 127.0.0.0/8 or ::1."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_loopback_bind(host: str) -> bool:
    """Whether serving on ``host`` keeps the server unreachable from other machines."""
    return host not in WILDCARDS and is_loopback_name(host)


def split_host(host: str) -> str:
    """``name:port``, ``[v6]:port`` → the name (``[v6]`` keeps its brackets)."""
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def allowed_hosts(settings) -> list[str]:
    """The configured hosts, plus the address serve is bound to when it names one interface."""
    hosts = [h.strip().lower() for h in settings.allowed_hosts if h.strip()]
    if settings.host not in WILDCARDS and not is_loopback_name(settings.host):
        hosts.append(f"[{settings.host}]" if ":" in settings.host else settings.host.lower())
    return hosts


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    allowed = list(allowed)
    if "*" in allowed:
        return True
    host = host.lower()
    if is_loopback_name(split_host(host)):
        return True
    return bool(allowed) and host_is_trusted(host, allowed)


def same_origin_or_loopback(origin: str, host: str) -> bool:
    """``origin`` (``scheme://host[:port]``) is this emulator's own (the Host it was reached at)
    or a page on loopback."""
    try:
        parts = urlsplit(origin)
        hostname = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not hostname:
        return False
    return parts.netloc.lower() == host.lower() or is_loopback_name(hostname)


def refusal(req: Request, settings) -> Response | None:
    """The control plane's answer to a request that breaks a rule, or None to let it through."""
    host = req.host  # the Host header (werkzeug falls back to the server's name and port)
    if not host_allowed(host, allowed_hosts(settings)):
        return emulator_error(
            f"control plane refused: Host {host!r} is not a loopback name (127.0.0.1, localhost, [::1]) "
            f"nor an allowed host; if this emulator is meant to be reached under that name, start it with "
            f"--allowed-host {split_host(host)} (or EMULATOR_ALLOWED_HOSTS)", 403)
    if req.method not in SAFE_METHODS:
        origin, source = req.headers.get("Origin"), "Origin"
        if origin is None and req.headers.get("Referer"):
            origin, source = req.headers["Referer"], "Referer"
        if origin is not None and not same_origin_or_loopback(origin, host):
            return emulator_error(
                f"control plane refused: a {req.method} from {source} {origin!r}, a page that is neither "
                f"this emulator nor on loopback; the control plane takes writes only from its own "
                f"dashboard, loopback pages and non-browser clients", 403)
    token = settings.control_token
    if token and req.endpoint not in OPEN_ENDPOINTS:
        scheme, _, sent = req.headers.get(TOKEN_HEADER, "").partition(" ")
        if scheme.lower() != "bearer" or not sent.strip():
            problem = "needs the control token: send it as 'Authorization: Bearer <token>'"
        elif not hmac.compare_digest(sent.strip().encode(), token.encode()):
            problem = "refused: the control token sent is not this emulator's"
        else:
            return None
        response = emulator_error(f"control plane {problem} (the token set with --control-token or "
                                  f"EMULATOR_CONTROL_TOKEN)", 401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="martech-emulator control plane"'
        return response
    return None


@control.before_app_request
def check() -> Response | None:
    """``before_app_request`` hook: only the control plane's paths are checked."""
    if not is_control_path(request.path):
        return None
    return refusal(request, current_emulator().settings)
