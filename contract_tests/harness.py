"""One client interface over two transports, so every contract test runs both ways:
in-process through Flask's test client (no socket), or over HTTP against any running
emulator (``pytest contract_tests --base-url http://127.0.0.1:8080``).
"""
from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass
from typing import Any

import requests


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
