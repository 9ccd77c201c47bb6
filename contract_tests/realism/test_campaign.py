"""Realism on Adobe Campaign Standard: Adobe I/O's throttling answer for a quota and a 429,
Campaign's and the gateway's bodies for 5xx, settings in the organization's fixtures."""
from __future__ import annotations

from contract_tests.adobe_campaign.acs import AMY, H, JSON, ORG, PROFILES

from .knobs import add_rule, clock, put_settings

PROFILE = f"{PROFILES}/{AMY}"


def test_a_quota_over_its_limit_is_adobe_ios_429050_and_the_clock_gives_it_back(api):
    clock(api, freeze="2026-11-23T10:00:00+00:00")
    put_settings(api, {"daily_call_limit": 2}, tenant=ORG, vendor="adobe_campaign")
    assert [api.get(PROFILE, headers=H).status_code for _ in range(2)] == [200, 200]
    throttled = api.get(PROFILE, headers=H)
    assert throttled.status_code == 429
    assert throttled.header("Content-Type") == JSON
    assert throttled.json() == {"error_code": "429050", "message": "Too many requests"}
    clock(api, advance=24 * 3600)
    assert api.get(PROFILE, headers=H).status_code == 200


def test_injected_5xx_are_campaigns_and_the_gateways_bodies(api):
    add_rule(api, vendor="adobe_campaign", tenant=ORG, fault={"status": 500}, count=1)
    add_rule(api, vendor="adobe_campaign", tenant=ORG, fault={}, count=1)
    add_rule(api, vendor="adobe_campaign", tenant=ORG, fault={"status": 429}, count=1)
    first, second, third = (api.get(PROFILE, headers=H) for _ in range(3))
    assert (first.status_code, first.json()) == (
        500, {"code": 500, "message": "RST-360011 An error has occurred - please contact your administrator."})
    assert (second.status_code, second.json()) == (503, {"code": 503, "message": "Service Unavailable"})
    assert (third.status_code, third.json()) == (429, {"error_code": "429050", "message": "Too many requests"})
    assert api.get(PROFILE, headers=H).status_code == 200


def test_a_faulted_patch_changes_nothing(api):
    before = api.get(PROFILE, headers=H).json()
    add_rule(api, vendor="adobe_campaign", tenant=ORG, method="PATCH", fault={"status": 503}, count=1)
    assert api.patch(PROFILE, headers=H, json={"firstName": "Faulted"}).status_code == 503
    assert api.get(PROFILE, headers=H).json() == before


def test_organization_settings_round_trip_through_the_fixtures(api):
    api.seed({"adobe_campaign": {"organizations": [{"id": ORG, "settings": {
        "daily_call_limit": 1000000, "faults": [{"id": "gw", "fault": {"status": 502}, "probability": 0.1}]}}]}})
    state = api.get("/_emulator/state").json()
    org = next(o for o in state["adobe_campaign"]["organizations"] if o["id"] == ORG)
    assert org["settings"]["daily_call_limit"] == 1000000
    assert api.post("/_emulator/reset").status_code == 200
    api.seed(state)
    assert api.get("/_emulator/state").json() == state
