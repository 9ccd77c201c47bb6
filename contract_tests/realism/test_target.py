"""Realism on Adobe Target: the propagation delay, quota and size limits as settings, and
injected faults in Target's own XML error styles."""
from __future__ import annotations

import time

from contract_tests.adobe_target.documented import (SAMPLE_TNT_ID, SEED_QUERY, UPDATE_SUCCESS, XML,
                                                    service_error, update_error)

from .knobs import add_rule, clock, put_settings

DEMO = "demo"
UPDATE = f"/m2/demo/profile/update?{SEED_QUERY}"
FETCH = f"/rest/v1/profiles/{SAMPLE_TNT_ID}?client=demo"
TARGET_DEFAULTS = {"daily_call_limit": None, "faults": [], "propagation_delay": 0.0,
                   "max_get_bytes": 8192, "max_post_bytes": 61440}


def target_settings(api, values: dict) -> dict:
    return put_settings(api, values, tenant=DEMO, vendor="adobe_target")


def test_a_target_client_starts_with_the_defaults(api):
    assert api.get("/_emulator/settings/adobe_target/demo").json() == TARGET_DEFAULTS


def test_an_update_is_invisible_until_the_clock_passes_the_propagation_delay(api):
    clock(api, freeze="2026-01-05T10:00:00+00:00")
    assert target_settings(api, {"propagation_delay": 3600}) == {**TARGET_DEFAULTS, "propagation_delay": 3600.0}
    before = api.get(FETCH).json()
    reply = api.get(UPDATE)
    assert reply.status_code == 200 and reply.text == UPDATE_SUCCESS
    assert api.get(FETCH).json() == before
    clock(api, advance=3599)
    assert api.get(FETCH).json() == before
    clock(api, advance=1)
    after = api.get(FETCH).json()
    assert after["profileAttributes"]["attr1"] == {"value": "0", "modifiedAt": "2026-01-05T11:00:00.000+00:00"}
    assert after["profileAttributes"]["attr2"] == {"value": "1", "modifiedAt": "2026-01-05T11:00:00.000+00:00"}


def test_the_propagation_delay_setting_is_the_clients_fixtures_key(api):
    target_settings(api, {"propagation_delay": 60})
    state = api.get("/_emulator/state").json()
    demo = next(c for c in state["adobe_target"]["clients"] if c["code"] == DEMO)
    assert demo["propagation_delay"] == 60 and "settings" not in demo
    target_settings(api, {"propagation_delay": None})
    assert api.get("/_emulator/settings/adobe_target/demo").json() == TARGET_DEFAULTS


def test_targets_quota_as_a_setting_is_counted_once_and_the_clock_gives_it_back(api):
    clock(api, freeze="2026-01-05T10:00:00+00:00")
    target_settings(api, {"daily_call_limit": 2})
    assert [api.get(UPDATE).status_code for _ in range(3)] == [200, 200, 429]
    assert api.get(FETCH).status_code == 200  # fetches have their own count
    clock(api, advance=24 * 3600)
    assert api.get(UPDATE).status_code == 200


def test_size_limits_are_per_client(api):
    target_settings(api, {"max_get_bytes": 100})
    reply = api.get(UPDATE + "&profile.long=" + "x" * 100)
    assert reply.status_code == 414
    assert reply.text == update_error(
        f"Request too large: {len('/m2/demo/profile/update?' + SEED_QUERY) + 114} bytes; "
        "a GET profile update is limited to 100 bytes, a POST to 60 KB")
    assert api.get(UPDATE).status_code == 200


def test_an_injected_fault_on_the_mbox_edge_is_its_response_xml(api):
    add_rule(api, vendor="adobe_target", tenant=DEMO, fault={"status": 503}, count=1)
    reply = api.get(UPDATE)
    assert reply.status_code == 503
    assert reply.header("Content-Type") == XML
    assert reply.text == update_error("Service Unavailable")


def test_an_injected_fault_on_the_profile_service_is_its_error_xml(api):
    add_rule(api, vendor="adobe_target", tenant=DEMO, path="/rest/v1/profiles/.+",
             fault={"status": 500, "message": "Profile store unavailable"})
    reply = api.get(FETCH)
    assert reply.status_code == 500
    assert reply.text == service_error(500, "Profile store unavailable")
    assert api.get(UPDATE).status_code == 200


def test_a_faulted_target_update_changes_nothing(api):
    before = api.get(FETCH).json()
    add_rule(api, vendor="adobe_target", tenant=DEMO, fault={"status": 503}, method="GET",
             path="/m2/demo/profile/update", count=1)
    assert api.get(UPDATE).status_code == 503
    assert api.get(FETCH).json() == before


def test_target_settings_round_trip_through_the_fixtures(api):
    api.seed({"adobe_target": {"clients": [{"code": DEMO, "propagation_delay": 5, "settings": {
        "max_post_bytes": 1024, "faults": [{"id": "edge-down", "fault": {"status": 503}, "count": 1}]}}]}})
    assert api.get("/_emulator/settings/adobe_target/demo").json() == {
        **TARGET_DEFAULTS, "propagation_delay": 5.0, "max_post_bytes": 1024,
        "faults": [{"id": "edge-down", "fault": {"status": 503}, "probability": 1.0, "seed": 0, "count": 1,
                    "matched": 0, "fired": 0}]}
    state = api.get("/_emulator/state").json()
    assert api.post("/_emulator/reset").status_code == 200
    api.seed(state)
    assert api.get("/_emulator/state").json() == state


def test_a_vendor_stored_key_in_the_settings_object_is_refused_by_name(api):
    reply = api.post("/_emulator/seed", json={"adobe_target": {"clients": [
        {"code": DEMO, "settings": {"propagation_delay": 5}}]}})
    assert reply.status_code == 400
    assert reply.json()["error"] == (
        "invalid fixtures: adobe_target.clients[0].settings.propagation_delay: Unknown field.")


# -- the Delivery API (§2.3) takes the same knobs ---------------------------------------------------
DELIVERY = "/rest/v1/delivery?client=demo&sessionId=s1"
SDK_DELIVERY = "/rest/v1/delivery?imsOrgId=DEMO0123456789ABCDEF01234@AdobeOrg&sessionId=s1"
PAGE_VIEW = {"id": {"tntId": SAMPLE_TNT_ID}, "context": {"channel": "web"},
             "execute": {"pageLoad": {"profileParameters": {"genre": "jazz"}}}}


def test_an_injected_fault_on_delivery_is_its_json_error_and_changes_nothing(api):
    before = api.get(FETCH).json()
    add_rule(api, vendor="adobe_target", tenant=DEMO, path="/rest/v1/delivery",
             fault={"status": 500, "message": "An internal server error during processing"}, count=1)
    reply = api.post(DELIVERY, json=PAGE_VIEW)
    assert reply.status_code == 500
    assert reply.header("Content-Type") == "application/json;charset=UTF-8"
    assert reply.json() == {"status": 500, "message": "An internal server error during processing"}
    assert api.get(FETCH).json() == before
    assert api.post(DELIVERY, json=PAGE_VIEW).status_code == 200
    assert api.get(FETCH).json()["profileAttributes"]["genre"]["value"] == "jazz"


def test_a_fault_rule_matches_the_sdks_calls_that_name_the_client_by_organization(api):
    add_rule(api, vendor="adobe_target", tenant=DEMO, fault={"status": 503}, count=1)
    reply = api.post(SDK_DELIVERY, json=PAGE_VIEW, headers={"Host": "mboxedge28.tt.omtrdc.net"})
    assert (reply.status_code, reply.json()) == (503, {"status": 503, "message": "Service Unavailable"})


def test_latency_applies_to_delivery(api):
    add_rule(api, vendor="adobe_target", tenant=DEMO, path="/rest/v1/delivery", latency={"fixed": 0.2})
    started = time.monotonic()
    assert api.post(DELIVERY, json=PAGE_VIEW).status_code == 200
    assert time.monotonic() - started >= 0.2


def test_delivery_calls_have_their_own_quota_count(api):
    clock(api, freeze="2026-01-05T10:00:00+00:00")
    target_settings(api, {"daily_call_limit": 2})
    assert [api.post(DELIVERY, json=PAGE_VIEW).status_code for _ in range(2)] == [200, 200]
    reply = api.post(DELIVERY, json=PAGE_VIEW)
    assert reply.status_code == 429
    assert reply.header("Retry-After") == str(24 * 3600)
    assert reply.json() == {"status": 429, "message": "Limit of 2 delivery API calls per 24 hours reached for "
                                                      "client demo; the next call will succeed in 86400 seconds"}
    assert api.get(UPDATE).status_code == 200 and api.get(FETCH).status_code == 200  # counted apart
    clock(api, advance=24 * 3600)
    assert api.post(DELIVERY, json=PAGE_VIEW).status_code == 200


def test_delivery_attributes_wait_for_the_propagation_delay_but_the_visitor_exists_at_once(api):
    clock(api, freeze="2026-01-05T10:00:00+00:00")
    target_settings(api, {"propagation_delay": 60})
    reply = api.post(DELIVERY, json={"context": {"channel": "web"},
                                     "execute": {"pageLoad": {"profileParameters": {"genre": "jazz"}}}})
    tnt_id = reply.json()["id"]["tntId"]
    fetch = f"/rest/v1/profiles/{tnt_id}?client=demo"
    assert api.get(fetch).json()["profileAttributes"] == {}
    clock(api, advance=60)
    assert api.get(fetch).json()["profileAttributes"] == {
        "genre": {"value": "jazz", "modifiedAt": "2026-01-05T10:01:00.000+00:00"}}
