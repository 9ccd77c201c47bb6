"""Per-tenant settings through ``/_emulator/settings`` and the fixtures: Copernica's list cap,
body limit and async delay, the generic daily call limit, and the round trip through state."""
from __future__ import annotations

import time

from .knobs import DEMO, OTHER, OTHER_PROFILE, PROFILE, TOKEN, add_rule, clock, put_settings, rule_now

DEFAULTS = {"daily_call_limit": None, "faults": [], "list_limit_max": 1000,
            "max_body_bytes": 10 * 1024 * 1024, "async_delay": 0.0}


def test_every_tenant_starts_with_the_defaults(api):
    reply = api.get("/_emulator/settings/copernica/Demo%20Company")
    assert reply.status_code == 200 and reply.json() == DEFAULTS
    everything = api.get("/_emulator/settings").json()
    assert everything["copernica"] == {DEMO: DEFAULTS, OTHER: DEFAULTS}


def test_put_changes_the_keys_given_and_null_puts_a_default_back(api):
    assert put_settings(api, {"list_limit_max": 2, "async_delay": 5}) == {
        **DEFAULTS, "list_limit_max": 2, "async_delay": 5.0}
    assert put_settings(api, {"async_delay": None}) == {**DEFAULTS, "list_limit_max": 2}
    assert api.get("/_emulator/settings/copernica/Other%20Company").json() == DEFAULTS


def test_the_list_limit_cap_is_per_tenant(api):
    listing = f"/v3/database/1/profiles?{TOKEN}&limit=5000&total=false"
    assert api.get(listing).json()["limit"] == 1000
    put_settings(api, {"list_limit_max": 2})
    page = api.get(listing).json()
    assert (page["start"], page["limit"], page["count"]) == (0, 2, 2)
    assert [p["ID"] for p in page["data"]] == ["1", "2"]
    assert api.get(f"/v3/database/1/profileids?{TOKEN}&limit=10").json() == [1, 2]
    other = api.get("/v3/database/2/profiles?access_token=other-copernica-token&limit=5000").json()
    assert other["limit"] == 1000


def test_the_body_limit_is_per_tenant(api):
    put_settings(api, {"max_body_bytes": 64})
    big = {"fields": {"lastname": "x" * 100}}
    reply = api.put(PROFILE, json=big)
    assert reply.status_code == 400 and reply.json() == {"error": {"message": "Request body too large"}}
    assert api.get(PROFILE).json()["fields"]["lastname"] == "Smith"
    assert api.put(OTHER_PROFILE, json=big).status_code == 204


def test_async_work_waits_for_the_clock_and_drain_applies_it(api):
    clock(api, freeze=True)
    put_settings(api, {"async_delay": 60})
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567&async=1",
                    json={"fields": {"lastname": "Later"}})
    assert reply.status_code == 204
    assert api.post("/_emulator/drain").json() == {"drained": True, "pending": 1}
    assert api.get(PROFILE).json()["fields"]["lastname"] == "Smith"
    clock(api, advance=59)
    assert api.post("/_emulator/drain").json() == {"drained": True, "pending": 1}
    assert api.get(PROFILE).json()["fields"]["lastname"] == "Smith"
    clock(api, advance=1)
    assert api.post("/_emulator/drain").json() == {"drained": True, "pending": 0}
    assert api.get(PROFILE).json()["fields"]["lastname"] == "Later"


def test_without_a_delay_drain_applies_an_async_update_at_once(api):
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567&async=1",
                    json={"fields": {"lastname": "Drained"}})
    assert reply.status_code == 204
    assert api.post("/_emulator/drain").json() == {"drained": True, "pending": 0}
    assert api.get(PROFILE).json()["fields"]["lastname"] == "Drained"


def test_a_daily_call_limit_is_exhausted_and_the_clock_resets_it(api):
    clock(api, freeze="2026-11-23T10:00:00+00:00")
    put_settings(api, {"daily_call_limit": 3})
    assert [api.get(PROFILE).status_code for _ in range(3)] == [200, 200, 200]
    throttled = api.get(PROFILE)
    assert throttled.status_code == 503
    assert "too many requests to handle" in throttled.text
    assert api.get(OTHER_PROFILE).status_code == 200  # another tenant, another quota
    clock(api, advance=24 * 3600 - 1)
    assert api.get(PROFILE).status_code == 503  # the first calls are still in the last 24 hours
    clock(api, advance=1)
    assert [api.get(PROFILE).status_code for _ in range(4)] == [200, 200, 200, 503]


def test_a_throttled_write_changes_nothing(api):
    put_settings(api, {"daily_call_limit": 0})
    reply = api.put(PROFILE, json={"fields": {"lastname": "Nope"}})
    assert reply.status_code == 503
    put_settings(api, {"daily_call_limit": None})
    assert api.get(PROFILE).json()["fields"]["lastname"] == "Smith"


def test_a_latency_rule_delays_its_tenant_only(api):
    rule = add_rule(api, latency={"fixed": 0.2})
    started = time.perf_counter()
    assert api.get(PROFILE).status_code == 200
    assert time.perf_counter() - started >= 0.2
    assert api.get(OTHER_PROFILE).status_code == 200
    assert rule_now(api, rule["id"])["matched"] == 1  # the other tenant's call never matched


def test_latency_and_a_fault_in_one_rule_delay_then_answer(api):
    add_rule(api, latency={"fixed": 0.1}, fault={"status": 504})
    started = time.perf_counter()
    assert api.get(PROFILE).status_code == 504
    assert time.perf_counter() - started >= 0.1


def test_put_all_settings_is_checked_whole_before_anything_changes(api):
    reply = api.put("/_emulator/settings", json={"copernica": {DEMO: {"list_limit_max": 5},
                                                               OTHER: {"list_limit_max": 0}}})
    assert reply.status_code == 400
    assert reply.json()["error"] == (
        "copernica.Other Company.list_limit_max: Must be greater than or equal to 1.")
    assert api.get("/_emulator/settings/copernica/Demo%20Company").json() == DEFAULTS
    reply = api.put("/_emulator/settings", json={"copernica": {DEMO: {"list_limit_max": 5},
                                                               OTHER: {"daily_call_limit": 9}}})
    assert reply.status_code == 200
    assert reply.json()["copernica"] == {DEMO: {**DEFAULTS, "list_limit_max": 5},
                                         OTHER: {**DEFAULTS, "daily_call_limit": 9}}


def test_bad_settings_are_refused_naming_the_key(api):
    def refused(path: str, body) -> tuple[int, str]:
        reply = api.put(path, json=body)
        return reply.status_code, reply.json()["error"]

    demo = "/_emulator/settings/copernica/Demo%20Company"
    assert refused(demo, {"bogus": 1}) == (400, "settings.bogus: Unknown field.")
    assert refused(demo, {"daily_call_limit": "10"}) == (400, "settings.daily_call_limit: Not a valid integer.")
    assert refused(demo, {"faults": [{"fault": {}, "seed": "x"}]}) == (
        400, "settings.faults[0].seed: Not a valid integer.")
    assert refused(demo, []) == (400, "the request body must be a JSON object")
    assert refused("/_emulator/settings/copernica/Nobody", {}) == (
        404, "copernica has no tenant 'Nobody'; seed it first")
    assert refused("/_emulator/settings/nope/Demo%20Company", {})[0] == 404
    assert api.get("/_emulator/settings/copernica/Demo%20Company").json() == DEFAULTS


def test_faults_in_settings_replace_the_tenants_rules(api):
    add_rule(api, fault={"status": 503})
    settings = put_settings(api, {"faults": [{"id": "slow", "latency": {"uniform": [0, 0.01]}}]})
    assert settings["faults"] == [{"id": "slow", "latency": {"uniform": [0.0, 0.01]}, "probability": 1.0,
                                   "seed": 0, "count": None, "matched": 0, "fired": 0}]
    assert api.get(PROFILE).status_code == 200
    assert rule_now(api, "slow")["matched"] == 1


def test_settings_are_seeded_with_the_account_and_round_trip_through_state(api):
    settings = {"daily_call_limit": 100, "list_limit_max": 50, "async_delay": 30,
                "faults": [{"id": "flaky", "method": ["PUT"], "path": "/v3/database/.+/profiles",
                            "fault": {"status": 503}, "probability": 0.3, "seed": 7, "count": 5,
                            "matched": 3, "fired": 1},
                           {"id": "slow", "latency": {"lognormal": {"median": 0.01, "sigma": 0.5}, "max": 0.05}}]}
    api.seed({"copernica": {"accounts": [{"name": DEMO, "settings": settings}]}})
    seeded = api.get("/_emulator/settings/copernica/Demo%20Company").json()
    assert seeded["faults"][0] == settings["faults"][0]
    assert seeded["list_limit_max"] == 50 and seeded["async_delay"] == 30.0
    state = api.get("/_emulator/state").json()
    account = next(a for a in state["copernica"]["accounts"] if a["name"] == DEMO)
    assert account["settings"]["daily_call_limit"] == 100
    assert "settings" not in next(a for a in state["copernica"]["accounts"] if a["name"] == OTHER)
    assert api.post("/_emulator/reset").status_code == 200
    api.seed(state)
    assert api.get("/_emulator/state").json() == state
    assert api.get("/_emulator/settings/copernica/Demo%20Company").json() == seeded


def test_seeding_settings_replaces_them_and_seeding_without_keeps_them(api):
    api.seed({"copernica": {"accounts": [{"name": DEMO, "settings": {"list_limit_max": 5}}]}})
    api.seed({"copernica": {"accounts": [{"name": DEMO}]}})
    assert api.get("/_emulator/settings/copernica/Demo%20Company").json()["list_limit_max"] == 5
    api.seed({"copernica": {"accounts": [{"name": DEMO, "settings": {"async_delay": 1}}]}})
    assert api.get("/_emulator/settings/copernica/Demo%20Company").json() == {**DEFAULTS, "async_delay": 1.0}


def test_a_bad_settings_key_in_fixtures_is_named_and_nothing_changes(api):
    before = api.get("/_emulator/state").json()
    reply = api.post("/_emulator/seed", json={"copernica": {"accounts": [
        {"name": DEMO, "settings": {"list_limit_max": 5, "bogus": True}}]}})
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid fixtures: copernica.accounts[0].settings.bogus: Unknown field."
    assert api.get("/_emulator/state").json() == before
