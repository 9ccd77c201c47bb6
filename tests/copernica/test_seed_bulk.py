"""Seeding Copernica in bulk (``fixtures._load_profiles``, ``schemas.plain_profile``) gives what
seeding one ``put`` per profile gave: the same validation errors, IDs, values, times, change
history, and the same answers afterwards."""
from __future__ import annotations

import copy
import itertools
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from emulator import create_app
from emulator.settings import Settings
from emulator.vendors.copernica import fixtures, model
from emulator.vendors.copernica.schemas import ProfileFixture, plain_profile

AT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
TOKEN = "access_token=bulk-token"
FIELDS = [
    {"ID": "1", "name": "customerid", "type": "integer", "value": "5"},
    {"ID": "2", "name": "Score", "type": "float"},
    {"ID": "3", "name": "name", "type": "text", "value": "Ab", "length": 4},
    {"ID": "4", "name": "email", "type": "email"},
    {"ID": "5", "name": "born", "type": "date"},
    {"ID": "6", "name": "seen", "type": "datetime"},
    {"ID": "7", "name": "maybe", "type": "empty_date"},
    {"ID": "8", "name": "country", "type": "select", "value": "nl\nDE\nbe"},
]
INTERESTS = [{"ID": "1", "name": "football", "group": "sports"}, {"ID": "2", "name": "Chess", "group": ""}]
VALUES = ["", "0", "1", "5", "-1", "1.5", "3abc", " 2", "abcdef", "ß", "nl", "DE", "de", "2026-01-02",
          "2026-01-02 10:00:00", "2026-02-30", "31.01.2024", "0000-00-00", "x@y.z", 7, 2.5, True, False, None,
          [], ["a"], {"a": 1}]
KEYS = [f["name"] for f in FIELDS] + ["CUSTOMERID", "score", "unknown"]

values = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=6)
interests = st.one_of(st.lists(st.sampled_from(["football", "chess", "CHESS", "golf", 3]), max_size=3),
                      st.dictionaries(st.sampled_from(["football", "Chess", "golf", "0", "1"]),
                                      st.sampled_from([0, 1, "1", "yes", "no", True, None]), max_size=3),
                      st.sampled_from([None, "football", 5]))


@settings(max_examples=400, deadline=None)
@given(values, interests)
def test_values_of_a_seeded_profile_are_what_apply_values_sets(given_values, given_interests):
    database = {"fields": [model.make_field(f) for f in FIELDS], "interests": INTERESTS}
    expected = {"fields": {}, "interests": []}
    model.apply_values(expected, database, given_values, given_interests)
    seeded = {"fields": {}, "interests": []}
    bulk = fixtures._Values(database)
    bulk.apply(seeded, given_values, given_interests)
    again = {"fields": {}, "interests": []}  # a second profile reads the memo of the first
    bulk.apply(again, given_values, given_interests)
    assert list(seeded["fields"].items()) == list(expected["fields"].items()) == list(again["fields"].items())
    assert seeded["interests"] == expected["interests"] == again["interests"]


items = st.dictionaries(
    st.sampled_from(["ID", "fields", "interests", "secret", "created", "modified", "removed", "subprofiles", "bogus"]),
    st.sampled_from([None, 0, 1, -3, 12, True, "", "7", "007", "0", "x", "²", "2026-01-02 10:00:00",
                     "2026-01-02 10:00:00\n", "0123456789abcdef0123456789ab", {}, {"a": "1"}, [], ["football"],
                     [1], {"Orders": []}, 1.5]), max_size=6)


@settings(max_examples=600, deadline=None)
@given(st.one_of(items, st.sampled_from([None, [], "x", 5])))
def test_a_plain_profile_loads_as_the_schema_loads_it(item):
    plain = plain_profile(copy.deepcopy(item))
    try:
        loaded = ProfileFixture().load(copy.deepcopy(item))
    except ValidationError:
        assert plain is None  # the schema words the errors
        return
    if plain is not None:
        assert list(plain.items()) == list(loaded.items())


def test_the_usual_profiles_take_the_plain_path():
    for item in ({"fields": {"a": "1"}, "interests": ["x"]}, {"ID": 5, "removed": False},
                 {"ID": "12", "secret": "0123456789abcdef0123456789ab", "created": "2026-01-02 10:00:00",
                  "modified": "2026-01-02 10:00:00", "interests": {"x": 1}, "subprofiles": {}}):
        assert plain_profile(item) == ProfileFixture().load(item)


def document(profiles: list[dict], **database) -> dict:
    return {"copernica": {"accounts": [{"name": "Bulk", "access_token": "bulk-token", "databases": [
        {"ID": "1", "name": "Newsletter", "fields": FIELDS, "interests": INTERESTS, **database,
         "profiles": profiles}]}]}}


def profiles_for(count: int) -> list[dict]:
    out = []
    for i in range(count):
        item: dict = {"fields": {"customerid": str(i % 17), "name": f"n{i}", "country": ["nl", "DE", "xx"][i % 3],
                                 "born": f"19{50 + i % 40}-0{1 + i % 9}-1{i % 10}", "Score": i / 4},
                      "interests": ["football"] if i % 2 else {"chess": 1}}
        if i % 5 == 0:
            item["ID"] = str(2 * i + 1)  # given IDs between generated ones
        if i % 11 == 0:
            item["removed"] = "2026-01-01 00:00:00"
        out.append(item)
    return out


def seeded_app(monkeypatch, documents: list[dict], history_bytes: int):
    secrets = itertools.count()
    monkeypatch.setattr(fixtures, "_new_secrets", lambda: (f"{next(secrets):028x}" for _ in itertools.count()))
    app = create_app(Settings(demo=False, history_bytes=history_bytes))
    app.extensions["emulator"].clock.freeze(AT)
    client = app.test_client()
    for doc in documents:
        reply = client.post("/_emulator/seed", json=doc)
        assert reply.status_code == 200, reply.get_json()
    return app, client


def what_a_reader_sees(client) -> dict:
    found = {"state": client.get("/_emulator/state").get_json(),
             "changes": client.get("/_emulator/changes?limit=200").get_json()}
    for key in ("1", "2", "11", "150", "290", "299", "330", "335", "4000"):
        found[key] = client.get(f"/_emulator/profile/history?vendor=copernica&tenant=Bulk&key={key}").get_json()
    for selection in ("customerid==3", "customerid>=15", "country==DE", "name==n7", "born<1960-01-01"):
        found[selection] = client.get(f"/v3/database/1/profiles?{TOKEN}&fields[]={selection}&limit=1000").get_json()
    assert all(isinstance(v, dict) and "error" not in v for v in found.values()), found
    return found


@pytest.mark.parametrize("history_bytes", [64 * 1024 * 1024, 150_000])
def test_a_bulk_seed_leaves_what_one_put_per_profile_left(monkeypatch, one_put_each, history_bytes):
    # seeded twice: the second document replaces the first database whole (deletes, then writes)
    documents = [document(profiles_for(300)), document(profiles_for(260), collections=[])]
    bulk_app, bulk = seeded_app(monkeypatch, documents, history_bytes)
    with monkeypatch.context() as patch:
        one_put_each(patch)
        one_app, one = seeded_app(patch, documents, history_bytes)
        expected = what_a_reader_sees(one)
    assert what_a_reader_sees(bulk) == expected
    if history_bytes < 1_000_000:  # the byte bound dropped the older entries, alike
        assert expected["1"]["history"] == []
        newest = expected["changes"]["changes"][-1]["key"]
        history = one.get(f"/_emulator/profile/history?vendor=copernica&tenant=Bulk&key={newest}").get_json()
        assert [h["action"] for h in history["history"]] == ["created"]
    else:
        assert [h["action"] for h in expected["1"]["history"]] == ["created", "deleted", "created"]
    for app in (bulk_app, one_app):
        app.extensions["emulator"].close()


def scanned(account, database_id, selection, monkeypatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(model, "lookup", lambda *a, **k: None)
        return [p["ID"] for p in account.select(account.database(database_id), selection)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(values, st.booleans()), min_size=1, max_size=40),
       st.lists(st.builds(lambda name, op, value: f"{name}{op}{value}", st.sampled_from(KEYS),
                          st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "=~", "!~"]),
                          st.sampled_from([v for v in VALUES if isinstance(v, str)])), min_size=1, max_size=6))
def test_a_bulk_seed_is_selected_alike_by_index_and_by_scan(monkeypatch, profiles, asked):
    app = create_app(Settings(demo=False))
    emulator = app.extensions["emulator"]
    from emulator import seeding
    seeding.apply(emulator, document([{"fields": v, **({"removed": "2026-01-01 00:00:00"} if r else {})}
                                      for v, r in profiles]))
    account = model.Account(emulator.store, emulator.clock, "Bulk")
    for selection in asked:
        indexed = [p["ID"] for p in account.select(account.database("1"), [selection])]
        assert indexed == scanned(account, "1", [selection], monkeypatch)
    app.extensions["emulator"].close()


def test_a_refused_document_leaves_the_store_and_the_history_unchanged(client):
    before = {"state": client.get("/_emulator/state").get_json(),
              "changes": client.get("/_emulator/changes?limit=200").get_json()}
    bad = document(profiles_for(500))
    bad["copernica"]["accounts"][0]["databases"][0]["profiles"][321]["ID"] = "x1"
    bad["copernica"]["accounts"][0]["databases"][0]["profiles"][400]["bogus"] = 1
    reply = client.post("/_emulator/seed", json=bad)
    assert reply.status_code == 400
    assert reply.get_json() == {
        "emulator": "martech-emulator", "status": 400,
        "error": "invalid fixtures: copernica.accounts[0].databases[0].profiles[321].ID: "
                 "Must be a positive integer or a string of digits.",
        "errors": {"copernica.accounts[0].databases[0].profiles[321].ID":
                   ["Must be a positive integer or a string of digits."],
                   "copernica.accounts[0].databases[0].profiles[400].bogus": ["Unknown field."]}}
    taken = document(profiles_for(500))  # valid, but its token is the demo account's
    taken["copernica"]["accounts"][0]["access_token"] = "demo-copernica-token"
    assert client.post("/_emulator/seed", json=taken).status_code == 400
    after = {"state": client.get("/_emulator/state").get_json(),
             "changes": client.get("/_emulator/changes?limit=200").get_json()}
    assert after == before


def test_a_bulk_seed_writes_in_document_order_a_profile_then_its_subprofiles():
    app = create_app(Settings(demo=False))
    emulator = app.extensions["emulator"]
    profiles = profiles_for(30)
    for i, item in enumerate(profiles):
        if i % 3 == 0:
            item["subprofiles"] = {"Orders": [{"fields": {"total": str(i)}}, {"ID": str(100 + i), "fields": {}}]}
    from emulator import seeding
    seeding.apply(emulator, document(profiles, collections=[
        {"ID": "7", "name": "Orders", "fields": [{"ID": "20", "name": "total", "type": "integer"}]}]))
    written = [(c.table.rpartition("/")[2], c.key) for c in emulator.store.changes._all.values()]
    expected, next_profile, next_sub = [], 1, 1
    for item in profiles:  # the IDs one next_id/bump_id per profile handed out, in that order
        profile_id = int(item.get("ID") or next_profile)
        next_profile = max(next_profile, profile_id + 1)
        expected.append(("profiles", str(profile_id)))
        for sub in item.get("subprofiles", {}).get("Orders", []):
            sub_id = int(sub.get("ID") or next_sub)
            next_sub = max(next_sub, sub_id + 1)
            expected.append(("subprofiles", str(sub_id)))
    assert written[-len(expected):] == expected
    assert written[:-len(expected)] == [("account", "account"), ("databases", "1"), ("collections", "7")]
    subs = emulator.store.search("copernica", "Bulk", "subprofiles")
    assert {s["ID"]: (s["profile"], s["fields"].get("total")) for s in subs}["1"] == ("1", "0")
    emulator.close()


def test_seeded_secrets_are_28_hex_characters_each_its_own():
    drawn = fixtures._new_secrets()
    secrets = [next(drawn) for _ in range(2500)]  # past the first draw of a thousand
    assert all(len(s) == 28 and set(s) <= set("0123456789abcdef") for s in secrets)
    assert len(set(secrets)) == len(secrets)
    assert model.new_secret() != secrets[0] and len(model.new_secret()) == 28
