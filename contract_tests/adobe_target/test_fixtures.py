"""The adobe_target section of the fixtures format: seed, state, round trip, validation."""
from __future__ import annotations

import pytest

from .documented import SAMPLE_ATTRIBUTES, SAMPLE_THIRD_PARTY_ID, SAMPLE_TNT_ID


def target_state(api):
    reply = api.get("/_emulator/state")
    assert reply.status_code == 200
    return reply.json()["adobe_target"]


def client(state, code):
    return next(c for c in state["clients"] if c["code"] == code)


def test_demo_clients_in_state(api):
    state = target_state(api)
    demo = client(state, "demo")
    assert {k: demo[k] for k in ("profile_api_token", "daily_call_limit", "propagation_delay")} == {
        "profile_api_token": None, "daily_call_limit": None, "propagation_delay": 0}
    assert demo["profiles"][0] == {"tntId": SAMPLE_TNT_ID, "thirdPartyId": SAMPLE_THIRD_PARTY_ID,
                                   "modifiedAt": "2017-08-18T17:53:39.003-04:00",
                                   "profileAttributes": SAMPLE_ATTRIBUTES}
    assert client(state, "demoauth")["profile_api_token"] == "demo-target-profile-token"


def test_state_round_trips_through_seed_with_server_made_values(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "slow", "propagation_delay": 30, "daily_call_limit": 1000,
                                            "profiles": [{"tntId": SAMPLE_TNT_ID, "profileAttributes": {"a": "1"}},
                                                         {"tntId": "t-old", "thirdPartyId": "crm-1"}]}]}})
    assert api.get(f"/m2/slow/profile/update?mboxPC={SAMPLE_TNT_ID}&mbox3rdPartyId=crm-1&profile.b=2").status_code == 200
    assert api.post("/m2/slow/v2/profile/batchUpdate", data=b"batch=thirdPartyId,c\ncrm-new,3\n").status_code == 200
    assert api.post("/_emulator/adobe_target/demo/visitors", json={"thirdPartyId": "v-1"}).status_code == 201
    before = api.get("/_emulator/state").json()
    slow = client(before["adobe_target"], "slow")
    assert slow["profiles"][0]["pendingUpdates"] == [{"visibleAt": "2026-01-05T10:00:30.000+00:00",
                                                      "profileAttributes": {"b": {"value": "2", "modifiedAt":
                                                                                  "2026-01-05T10:00:30.000+00:00"}},
                                                      "thirdPartyId": "crm-1"}]
    assert slow["profiles"][1]["pendingUpdates"] == [{"visibleAt": "2026-01-05T10:00:30.000+00:00",
                                                      "profileAttributes": {}, "thirdPartyId": None}]
    assert slow["profiles"][2]["visibleAt"] == "2026-01-05T10:00:30.000+00:00"
    assert len(slow["batches"]) == 1

    assert api.post("/_emulator/reset").status_code == 200
    assert target_state(api) == {"clients": []}
    api.seed(before)
    assert api.get("/_emulator/state").json() == before
    assert api.get("/rest/v1/profiles/thirdPartyId/crm-1?client=slow").json()["profileAttributes"] == {}
    clock.advance(30)  # the restored pending update and link still show on time
    reply = api.get("/rest/v1/profiles/thirdPartyId/crm-1?client=slow")
    assert reply.status_code == 200
    assert reply.json()["profileAttributes"]["b"]["value"] == "2"


def test_bare_string_attributes_get_the_clock_time(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "c1", "profile_api_token": None,
                                            "profiles": [{"tntId": "t1", "profileAttributes": {"a": "1"}}]}]}})
    assert api.get("/rest/v1/profiles/t1?client=c1").json() == {
        "client": "c1", "visitorId": "t1", "modifiedAt": "2026-01-05T10:00:00.000+00:00",
        "profileAttributes": {"a": {"value": "1", "modifiedAt": "2026-01-05T10:00:00.000+00:00"}}}


@pytest.mark.parametrize("section, key", [
    ({"clients": [{"code": "x", "bogus": 1}]}, "adobe_target.clients[0].bogus"),
    ({"clients": [{"code": "x", "profiles": [{"tntId": "t", "extra": 1}]}]}, "adobe_target.clients[0].profiles[0].extra"),
    ({"clients": [{"code": "x", "profiles": [{"tntId": "t", "profileAttributes": {"a": {"value": "1"}}}]}]},
     "adobe_target.clients[0].profiles[0].profileAttributes.a.value.modifiedAt"),
    ({"clients": [{"code": "x", "profiles": [{"tntId": "t", "thirdPartyId": "a/b"}]}]},
     "adobe_target.clients[0].profiles[0].thirdPartyId"),
    ({"clients": [{"code": "x", "daily_call_limit": 0}]}, "adobe_target.clients[0].daily_call_limit"),
    ({"clients": [{"code": "x", "propagation_delay": -1}]}, "adobe_target.clients[0].propagation_delay"),
    ({"clients": [{"code": "x y"}]}, "adobe_target.clients[0].code"),
    ({"clients": [{"code": "x", "profiles": [{"tntId": "t"}, {"tntId": "t"}]}]}, "adobe_target.clients[0].profiles"),
    ({"clients": [{"code": "x", "profiles": [{"tntId": "t", "modifiedAt": "yesterday"}]}]},
     "adobe_target.clients[0].profiles[0].modifiedAt"),
    ({"clients": [{"profiles": []}]}, "adobe_target.clients[0].code"),
    ({"client": []}, "adobe_target.client"),
])
def test_invalid_fixtures_name_the_key_and_change_nothing(api, section, key):
    before = api.get("/_emulator/state").json()
    reply = api.post("/_emulator/seed", json={"adobe_target": section})
    assert reply.status_code == 400
    assert reply.json()["error"].startswith(f"invalid fixtures: {key}: ")
    assert api.get("/_emulator/state").json() == before


def test_seeding_replaces_what_it_names_and_keeps_the_rest(api):
    api.seed({"adobe_target": {"clients": [{"code": "demo", "profile_api_token": "t0k",
                                            "profiles": [{"tntId": SAMPLE_TNT_ID, "thirdPartyId": "moved",
                                                          "profileAttributes": {"only": "this"}}]}]}})
    demo = client(target_state(api), "demo")
    assert demo["profile_api_token"] == "t0k"
    assert len(demo["profiles"]) == 3
    auth = {"Authorization": "Bearer t0k"}
    assert api.get(f"/rest/v1/profiles/thirdPartyId/{SAMPLE_THIRD_PARTY_ID}?client=demo",
                   headers=auth).status_code == 404
    reply = api.get("/rest/v1/profiles/thirdPartyId/moved?client=demo", headers=auth)
    assert reply.json()["profileAttributes"] == {"only": {"value": "this", "modifiedAt": reply.json()["modifiedAt"]}}


def test_the_fixtures_format_example_seeds_as_written(api, clock):
    """shared/fixtures-format.md's adobe_target example, verbatim."""
    api.seed({"adobe_target": {"clients": [{
        "code": "demo", "profile_api_token": None,
        "profiles": [{"tntId": "1368007744041-575948.01_00", "thirdPartyId": "a1-mbox3rdPartyId",
                      "profileAttributes": {"insurance": "false",
                                            "param1": {"value": "value1",
                                                       "modifiedAt": "2017-08-09T18:18:04.659-04:00"}}}]}]}})
    reply = api.get("/rest/v1/profiles/thirdPartyId/a1-mbox3rdPartyId?client=demo")
    assert reply.json() == {"client": "demo", "visitorId": "a1-mbox3rdPartyId",
                            "modifiedAt": "2026-01-05T10:00:00.000+00:00",
                            "profileAttributes": {
                                "insurance": {"value": "false", "modifiedAt": "2026-01-05T10:00:00.000+00:00"},
                                "param1": {"value": "value1", "modifiedAt": "2017-08-09T18:18:04.659-04:00"}}}
