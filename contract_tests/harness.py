"""One client interface over four transports, so every contract test runs every way:

- ``inprocess``: Flask's test client, no socket (the default);
- ``thread``: HTTP over loopback to the pytest plugin's in-thread server;
- ``intercept``: ``requests`` to the vendors' real URLs (``https://api.copernica.com/v3/…``,
  ``https://mc.adobe.io/<org>/campaign/…``, ``https://<client>.tt.omtrdc.net/…``), answered
  in-process by ``emulator.testing.intercept``;
- ``--base-url URL``: HTTP to any running ``martech-emulator serve``.
"""
from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass
from typing import Any

import re
from urllib.parse import parse_qs, urlsplit

import requests

from emulator.vendors import vendor_for_path


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]  # header names lower-cased
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def json(self) -> Any:
        return jsonlib.loads(self.content)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Api:
    """``api.request("PUT", "/v3/…?raw=query", json=…, data=…, headers=…)`` on either transport.

    Paths are sent as written, query string included, so a test can send the exact bytes a
    vendor client sends (``fields%5B0%5D=…``).
    """

    base_url: str

    def request(self, method: str, path: str, *, json: Any = None, data: Any = None,
                headers: dict[str, str] | None = None) -> Reply:
        raise NotImplementedError

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Reply:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Reply:
        return self.request("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> Reply:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> Reply:
        return self.request("DELETE", path, **kw)

    def drain(self) -> None:
        """Wait until the emulator has applied its deferred (async) work."""
        assert self.post("/_emulator/drain").status_code == 200

    def seed(self, document: dict) -> None:
        reply = self.post("/_emulator/seed", json=document)
        assert reply.status_code == 200, reply.text


class InProcessApi(Api):
    base_url = "http://localhost"

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def request(self, method, path, *, json=None, data=None, headers=None):
        kw: dict[str, Any] = {"headers": headers or {}}
        if json is not None:
            kw["json"] = json
        elif data is not None:
            kw["data"] = data
        response = self.client.open(path, method=method, **kw)
        return Reply(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                     response.get_data())


class HttpApi(Api):
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def request(self, method, path, *, json=None, data=None, headers=None):
        response = self.session.request(method, self.base_url + path, json=json, data=data,
                                        headers=headers or {}, allow_redirects=False, timeout=30)
        return Reply(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                     response.content)


#: hostnames that stand for ``<tenant>.<hostname>`` (Target: ``<client>.tt.omtrdc.net``)
TENANT_SUBDOMAIN_HOSTS = {"tt.omtrdc.net"}
#: the scheme of the vendor's own documented calls: Target's bulk API docs and batchStatus URLs
#: use ``http://<client>.tt.omtrdc.net``; everything else is https
SCHEMES = {"tt.omtrdc.net": "http"}
_TARGET_CLIENT = re.compile(r"^/m2/([^/]+)/")


def real_url(path: str) -> str:
    """The vendor's real URL for an emulator path: ``/v3/…`` → ``https://api.copernica.com/v3/…``,
    ``/m2/demo/…`` → ``http://demo.tt.omtrdc.net/m2/demo/…`` (a Target path that names no client
    goes to the bare ``tt.omtrdc.net``, so that the request names none)."""
    parts = urlsplit(path)
    vendor = vendor_for_path(parts.path)
    if vendor is None or not vendor.hostnames:
        raise ValueError(f"no vendor with a real hostname owns {path}")
    name = host = vendor.hostnames[0]
    if name in TENANT_SUBDOMAIN_HOSTS:
        match = _TARGET_CLIENT.match(parts.path)
        client = match.group(1) if match else parse_qs(parts.query).get("client", [None])[0]
        host = f"{client}.{name}" if client else name
    return f"{SCHEMES.get(name, 'https')}://{host}{path}"


def real_base_url(vendor) -> str:
    """``https://mc.adobe.io``: where the vendor's API really is (the hrefs the emulator builds
    start with it when it is reached there)."""
    host = vendor.hostnames[0]
    return f"{SCHEMES.get(host, 'https')}://{host}"


class InterceptApi(HttpApi):
    """Vendor paths go to the vendors' real URLs, which an active ``Intercept`` answers
    in-process; control-plane paths (``/_emulator/…``) go to the app directly.

    ``base_url`` is the real base URL of the vendor whose contract tests run (``home``), so a
    test that checks hrefs against ``api.base_url`` reads the same on every transport.
    """

    def __init__(self, app, home=None):
        self.session = requests.Session()
        self.control = InProcessApi(app)
        self.base_url = real_base_url(home) if home is not None and home.hostnames else "https://intercepted"

    def request(self, method, path, *, json=None, data=None, headers=None):
        if vendor_for_path(urlsplit(path).path) is None:
            return self.control.request(method, path, json=json, data=data, headers=headers)
        response = self.session.request(method, real_url(path), json=json, data=data,
                                        headers=headers or {}, allow_redirects=False, timeout=30)
        return Reply(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                     response.content)
