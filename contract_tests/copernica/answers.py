"""What every Copernica contract test reads the same way: the demo account's token, a 200 JSON
answer, and Copernica's one error shape (400 ``{"error":{"message":…}}``)."""
from __future__ import annotations

from typing import Any

TOKEN = "access_token=demo-copernica-token"


def get(api: Any, path: str) -> Any:
    reply = api.get(f"{path}{'&' if '?' in path else '?'}{TOKEN}")
    assert reply.status_code == 200, reply.text
    assert reply.header("Content-Type") == "application/json"
    return reply.json()


def assert_error(reply: Any, message: str) -> None:
    assert reply.status_code == 400, reply.text
    assert reply.json() == {"error": {"message": message}}
