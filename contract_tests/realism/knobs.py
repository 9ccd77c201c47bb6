"""Helpers shared by the realism contract tests: the control-plane calls, spelled once."""
from __future__ import annotations

from typing import Any

DEMO, OTHER = "Demo Company", "Other Company"
TOKEN = "access_token=demo-copernica-token"
OTHER_TOKEN = "access_token=other-copernica-token"
PROFILE = f"/v3/profile/1?{TOKEN}"
OTHER_PROFILE = f"/v3/profile/5?{OTHER_TOKEN}"


def add_rule(api, tenant: str = DEMO, vendor: str = "copernica", **rule: Any) -> dict:
    reply = api.post("/_emulator/faults", json={"vendor": vendor, "tenant": tenant, **rule})
    assert reply.status_code == 201, reply.text
    return reply.json()["fault"]


def rule_now(api, rule_id: str) -> dict:
    reply = api.get(f"/_emulator/faults/{rule_id}")
    assert reply.status_code == 200, reply.text
    return reply.json()["fault"]


def put_settings(api, values: dict, tenant: str = DEMO, vendor: str = "copernica") -> dict:
    reply = api.put(f"/_emulator/settings/{vendor}/{tenant.replace(' ', '%20')}", json=values)
    assert reply.status_code == 200, reply.text
    return reply.json()


def clock(api, **change: Any) -> dict:
    reply = api.post("/_emulator/clock", json=change)
    assert reply.status_code == 200, reply.text
    return reply.json()
