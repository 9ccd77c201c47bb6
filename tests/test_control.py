"""The control plane under /_emulator: health, reset, seed, state, clock, drain — all JSON."""
from __future__ import annotations

import pytest

from emulator.seeding import demo_fixtures
from emulator.vendors import VENDORS

TOKEN = "access_token=demo-copernica-token"


def test_health_reports_version_vendors_and_counts(client):
    reply = client.get("/_emulator/health")
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["status"] == "ok" and body["version"]
    assert body["vendors"]["copernica"] == {"tenants": 2, "databases": 2, "profiles": 5}


def test_state_round_trips_through_seed_unchanged(client):
    client.put(f"/v3/profile/1?{TOKEN}", json={"fields": {"firstname": "Changed"}})
    client.delete(f"/v3/profile/2?{TOKEN}")
    state = client.get("/_emulator/state").get_json()
    assert client.post("/_emulator/reset").status_code == 200
    assert client.get("/_emulator/state").get_json()["copernica"] == {"accounts": []}
    assert client.post("/_emulator/seed", json=state).status_code == 200
    assert client.get("/_emulator/state").get_json() == state
    # and seeding the same state over itself changes nothing either
    assert client.post("/_emulator/seed", json=state).status_code == 200
    assert client.get("/_emulator/state").get_json() == state


def test_ids_made_after_a_seed_never_collide_with_seeded_ones(client):
    client.post("/_emulator/seed", json={"copernica": {"accounts": [{"name": "Demo Company", "databases": [
        {"ID": "1", "name": "Newsletter", "fields": [{"name": "email", "type": "email"}],
         "profiles": [{"ID": "40", "fields": {"email": "a@b"}}]}]}]}})
    reply = client.post(f"/v3/database/1/profiles?{TOKEN}", json={"fields": {"email": "c@d"}})
    assert reply.status_code == 201 and int(reply.headers["X-Created"]) > 40


@pytest.mark.parametrize("document, named", [
    ({"copernica": {"accounts": [{"name": "A", "databases": [{"name": "D", "bogus": 1}]}]}},
     "copernica.accounts[0].databases[0].bogus: Unknown field."),
    ({"nosuchvendor": {}}, "nosuchvendor: Unknown vendor"),
    ({"copernica": {"accounts": [{"name": "A", "databases": [{"name": "D", "fields": [
        {"name": "x", "type": "blob"}]}]}]}}, "copernica.accounts[0].databases[0].fields[0].type: Must be one of"),
    ({"copernica": {"accounts": [{"name": "A", "databases": [{"name": "D", "profiles": [
        {"secret": "XYZ"}]}]}]}}, "copernica.accounts[0].databases[0].profiles[0].secret: Must be 28 lowercase hex"),
    ({"copernica": {"accounts": [{"access_token": "t"}]}}, "copernica.accounts[0].name: Missing data"),
])
def test_a_bad_fixtures_document_is_a_400_naming_the_key_and_changes_nothing(client, document, named):
    before = client.get("/_emulator/state").get_json()
    reply = client.post("/_emulator/seed", json=document)
    assert reply.status_code == 400
    body = reply.get_json()
    assert body["emulator"] == "martech-emulator"
    assert named in body["error"]
    assert client.get("/_emulator/state").get_json() == before


def test_a_document_that_is_partly_good_applies_nothing(client):
    before = client.get("/_emulator/state").get_json()
    document = {"copernica": {"accounts": [
        {"name": "Fine", "databases": [{"name": "Ok"}]},
        {"name": "Broken", "databases": [{"name": "1numeric"}]}]}}
    assert client.post("/_emulator/seed", json=document).status_code == 400
    assert client.get("/_emulator/state").get_json() == before


def test_a_token_already_used_by_another_account_is_refused(client):
    reply = client.post("/_emulator/seed", json={"copernica": {"accounts": [
        {"name": "Thief", "access_token": "demo-copernica-token"}]}})
    assert reply.status_code == 400
    assert "already used by account 'Demo Company'" in reply.get_json()["error"]


@pytest.mark.parametrize("body", [b"", b"[1]", b"{oops"])
def test_seed_needs_a_json_object(client, body):
    reply = client.post("/_emulator/seed", data=body, content_type="application/json")
    assert reply.status_code == 400
    assert reply.is_json and "JSON" in reply.get_json()["error"]


def test_reset_one_tenant_leaves_the_others(client):
    reply = client.post("/_emulator/reset", json={"vendor": "copernica", "tenant": "Other Company"})
    assert reply.status_code == 200
    assert client.get("/v3/profile/5?access_token=other-copernica-token").status_code == 400
    assert client.get(f"/v3/profile/1?{TOKEN}").status_code == 200
    assert client.get("/_emulator/health").get_json()["vendors"]["copernica"]["tenants"] == 1


def test_reset_one_vendor_and_everything(client):
    assert client.post("/_emulator/reset", json={"vendor": "copernica"}).status_code == 200
    assert client.get("/_emulator/health").get_json()["vendors"]["copernica"]["tenants"] == 0
    client.post("/_emulator/seed", json=demo_fixtures())
    assert client.post("/_emulator/reset").status_code == 200
    assert client.get("/_emulator/health").get_json()["vendors"]["copernica"]["profiles"] == 0


def test_reset_of_a_tenant_that_does_not_exist_is_a_404_naming_it(client):
    before = client.get("/_emulator/state").get_json()
    reply = client.post("/_emulator/reset", json={"vendor": "copernica", "tenant": "Demo Compnay"})
    assert reply.status_code == 404
    assert reply.get_json() == {"emulator": "martech-emulator", "status": 404,
                                "error": "unknown tenant 'Demo Compnay' of copernica; known tenants: "
                                         "'Demo Company', 'Other Company'"}
    assert client.get("/_emulator/state").get_json() == before
    assert client.post("/_emulator/reset", json={"vendor": "copernica", "tenant": "Other Company"}).status_code == 200
    again = client.post("/_emulator/reset", json={"vendor": "copernica", "tenant": "Other Company"})
    assert again.status_code == 404  # reset, it is gone: a second reset names it unknown
    assert again.get_json()["error"] == "unknown tenant 'Other Company' of copernica; known tenants: 'Demo Company'"


@pytest.mark.parametrize("body, message", [
    ({"vendor": "nope"}, "unknown vendor 'nope'"),
    ({"tenant": "x"}, "'tenant' needs 'vendor' too"),
    ({"vendr": "copernica"}, "unknown key 'vendr'"),
])
def test_reset_refuses_what_it_cannot_do(client, body, message):
    reply = client.post("/_emulator/reset", json=body)
    assert reply.status_code == 400 and message in reply.get_json()["error"]


def test_unknown_control_routes_and_methods_answer_json(client):
    for reply in (client.get("/_emulator/nope"), client.delete("/_emulator/health"), client.get("/nowhere")):
        assert reply.status_code in (404, 405)
        assert reply.is_json and reply.get_json()["emulator"] == "martech-emulator"


def test_clock_freeze_advance_resume(client):
    frozen = client.post("/_emulator/clock", json={"freeze": "2030-05-01T10:00:00+00:00"}).get_json()
    assert frozen["mode"] == "frozen" and frozen["now"] == "2030-05-01T10:00:00+00:00"
    advanced = client.post("/_emulator/clock", json={"advance": 3600}).get_json()
    assert advanced["now"] == "2030-05-01T11:00:00+00:00"
    client.post(f"/v3/database/1/profiles?{TOKEN}", json={})
    created = client.get(f"/v3/database/1/profiles?{TOKEN}&orderby=id&order=desc&limit=1").get_json()
    assert created["data"][0]["created"] == "2030-05-01 13:00:00"  # Amsterdam summer time
    assert client.post("/_emulator/clock", json={"resume": True}).get_json()["mode"] == "real"
    assert client.post("/_emulator/clock", json={"advance": -1}).status_code == 400
    assert client.post("/_emulator/clock", json={"freeze": "yesterday"}).status_code == 400


def test_seed_then_fixtures_key_order_is_kept_in_state(client):
    state = client.get("/_emulator/state").get_json()
    assert list(state) == [v.name for v in VENDORS]
    assert [a["name"] for a in state["copernica"]["accounts"]] == ["Demo Company", "Other Company"]
