"""Campaign's profiles are seeded in one bulk store write: what a reader sees afterwards is what
one put per profile left, also where a fixture PKey lifts the tombstone of a deleted profile."""
from __future__ import annotations

import hashlib
import itertools
from datetime import datetime, timezone

import pytest

from emulator import create_app, seeding
from emulator.settings import Settings
from emulator.vendors.adobe_campaign import pkeys

AT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
AMY = "@2v1dr3ZKJveMDhAdh0MPnh9hNQQ93qb7AW6BNVVKknjwXvTZRBAgUqz1SNcB4ZndgjqOofx3BwBZYBftlmObISoM3rs"
H = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}
P = "/demo-org/campaign/profileAndServices/profile"


def seeded(monkeypatch, history_bytes: int) -> dict:
    draws = itertools.count()  # PKeys' salts and cryptedIds the same in both runs
    monkeypatch.setattr(pkeys.os, "urandom", lambda n: (hashlib.sha512(str(next(draws)).encode()).digest() * 2)[:n])
    app = create_app(Settings(demo=False, history_bytes=history_bytes))
    app.extensions["emulator"].clock.freeze(AT)
    client = app.test_client()
    assert client.post("/_emulator/seed", json={"adobe_campaign": seeding.demo_fixtures()["adobe_campaign"]}).status_code == 200
    assert client.delete(f"{P}/{AMY}", headers=H).status_code == 200  # leaves a tombstone
    profiles = [{"firstName": f"F{i}", "email": f"user{i}@example.com"} for i in range(300)]
    profiles.insert(150, {"PKey": AMY, "firstName": "Amy", "email": "amy@example.com"})
    reply = client.post("/_emulator/seed", json={"adobe_campaign": {"organizations": [
        {"id": "demo-org", "profiles": profiles}]}})
    assert reply.status_code == 200, reply.get_json()
    seen = {"state": client.get("/_emulator/state").get_json(),
            "changes": client.get("/_emulator/changes?limit=200").get_json(),
            "amy": client.get(f"{P}/{AMY}", headers=H).get_json(),
            "by email": client.get(f"{P}/byEmail?email=user7@example.com", headers=H).get_json()}
    for key in (AMY, seen["changes"]["changes"][-1]["key"], seen["changes"]["changes"][0]["key"]):
        seen[key] = client.get(f"/_emulator/profile/history?vendor=adobe_campaign&tenant=demo-org&key={key}").get_json()
    log = app.extensions["emulator"].store.changes
    seen["order"] = [(c.table.rpartition("/")[2], c.action, (c.after or c.before or {}).get("firstName"))
                     for c in log._all.values()]
    app.extensions["emulator"].close()
    return seen


@pytest.mark.parametrize("history_bytes", [64 * 1024 * 1024, 200_000])
def test_a_bulk_campaign_seed_leaves_what_one_put_per_profile_left(monkeypatch, one_put_each, history_bytes):
    bulk = seeded(monkeypatch, history_bytes)
    with monkeypatch.context() as patch:
        one_put_each(patch)
        one = seeded(patch, history_bytes)
    assert bulk == one
    assert bulk["amy"]["firstName"] == "Amy" and bulk["by email"]["content"][0]["firstName"] == "F7"
    newest = bulk["changes"]["changes"][-1]
    assert newest["action"] == "created" and {"field": "firstName", "before": None, "after": "F299"} in newest["changes"]
    if history_bytes > 1_000_000:  # AMY: seeded, deleted (a tombstone), seeded again, in the document's order
        at = len(bulk["order"]) - 1 - bulk["order"][::-1].index(("profiles", "created", "Amy"))
        assert bulk["order"][at - 2:at + 2] == [("profiles", "created", "F149"), ("tombstones", "deleted", None),
                                                ("profiles", "created", "Amy"), ("profiles", "created", "F150")]
        assert [h["action"] for h in bulk[AMY]["history"]] == ["created", "deleted", "created"]
