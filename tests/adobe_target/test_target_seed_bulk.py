"""Target's profiles are seeded into a fresh client in one bulk store write, and plain profiles
are validated without marshmallow's per-field work: the loaded profiles, the errors, and what a
reader sees afterwards are what the schema and one put per write gave."""
from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from emulator import create_app
from emulator.settings import Settings
from emulator.vendors.adobe_target import fixtures as target_fixtures
from emulator.vendors.adobe_target.schemas import ProfileSchema, plain_profile

AT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)

items = st.dictionaries(
    st.sampled_from(["tntId", "thirdPartyId", "marketingCloudVisitorId", "modifiedAt", "profileAttributes",
                     "pendingUpdates", "visibleAt", "bogus"]),
    st.sampled_from([None, "", "t-1", "a+b", "x" * 129, 5, "2017-08-09T18:18:04.659-04:00", "2017-08-09T18:18:04",
                     "nope", {}, {"a": "1"}, {"": "1"}, {"a": 1}, {"a": {"value": "v", "modifiedAt": None}}, [],
                     [{"visibleAt": "2017-08-09T18:18:04+00:00"}], True]), max_size=6)


@settings(max_examples=800, deadline=None)
@given(items)
def test_a_plain_target_profile_loads_as_the_schema_loads_it(item):
    plain = plain_profile(copy.deepcopy(item))
    try:
        loaded = ProfileSchema().load(copy.deepcopy(item))
    except ValidationError:
        assert plain is None
        return
    if plain is not None:
        assert list(plain.items()) == list(loaded.items())


def test_the_usual_target_profiles_take_the_plain_path():
    for item in ({"tntId": "1-0.01_00"}, {"tntId": "a", "thirdPartyId": "crm-1", "marketingCloudVisitorId": "m",
                                          "profileAttributes": {"tier": "gold"}, "pendingUpdates": [],
                                          "modifiedAt": "2017-08-09T18:18:04.659-04:00"}):
        assert plain_profile(item) == ProfileSchema().load(item)


def profiles(count: int) -> list[dict]:
    out: list[dict] = []
    for i in range(count):
        item: dict = {"tntId": f"{i}-575948.01_00", "profileAttributes": {"tier": "gold", "n": str(i)}}
        if i % 2:
            item["thirdPartyId"] = f"crm-{i}"
        if i % 3 == 0:
            item["marketingCloudVisitorId"] = f"ecid-{i}"
        if i % 7 == 0:
            item["profileAttributes"]["seen"] = {"value": "yes", "modifiedAt": "2017-08-09T18:18:04.659-04:00"}
        if i % 11 == 0:
            item["pendingUpdates"] = [{"visibleAt": "2030-01-01T00:00:00+00:00", "thirdPartyId": f"later-{i}",
                                       "profileAttributes": {"tier": "silver"}}]
        out.append(item)
    return out


def seeded(monkeypatch, documents: list[dict], history_bytes: int) -> dict:
    app = create_app(Settings(demo=False, history_bytes=history_bytes))
    emulator = app.extensions["emulator"]
    emulator.clock.freeze(AT)
    client = app.test_client()
    for document in documents:
        assert client.post("/_emulator/seed", json=document).status_code == 200
    seen = {"state": client.get("/_emulator/state").get_json(),
            "changes": client.get("/_emulator/changes?limit=200").get_json(),
            "log": [(c.seq, c.table, c.key, c.action, c.after) for c in emulator.store.changes._all.values()]}
    for third in ("crm-1", "crm-99", "later-0", "later-77"):
        seen[third] = client.get(f"/rest/v1/profiles/thirdPartyId/{third}?client=bench").get_json()
    emulator.close()
    return seen


def one_by_one(patch, one_put_each) -> None:
    """The reference: every profile through ``_load_profile`` (its lookups of other holders and
    all), one put per write."""
    patch.setattr(target_fixtures, "_fresh", lambda *args: False)
    one_put_each(patch)


def document(items: list[dict]) -> dict:
    return {"adobe_target": {"clients": [{"code": "bench", "profile_api_token": None, "profiles": items}]}}


@pytest.mark.parametrize("history_bytes", [64 * 1024 * 1024, 100_000])
def test_a_bulk_target_seed_leaves_what_one_put_per_write_left(monkeypatch, one_put_each, history_bytes):
    # the first document seeds a fresh client (the bulk write); the second reseeds it (one at a time)
    documents = [document(profiles(200)), document(profiles(120)[::-1])]
    bulk = seeded(monkeypatch, documents, history_bytes)
    with monkeypatch.context() as patch:
        one_by_one(patch, one_put_each)
        one = seeded(patch, documents, history_bytes)
    assert bulk == one
    assert bulk["crm-1"]["profileAttributes"]["n"]["value"] == "1"


def test_a_shared_pending_third_party_id_is_seeded_one_profile_at_a_time(monkeypatch, one_put_each):
    items = profiles(30)
    items[4]["pendingUpdates"] = [{"visibleAt": "2020-01-01T00:00:00+00:00", "thirdPartyId": "crm-1"}]
    bulk = seeded(monkeypatch, [document(items)], 64 * 1024 * 1024)
    with monkeypatch.context() as patch:
        one_by_one(patch, one_put_each)
        one = seeded(patch, [document(items)], 64 * 1024 * 1024)
    assert bulk == one
    assert bulk["crm-1"]["profileAttributes"]["n"]["value"] == "4"  # profile 4's due pending update took it
