"""Every realism knob through the pytest handle (the ``emulator`` fixture of the plugin), over
the handle's real HTTP server and through interception."""
from __future__ import annotations

import httpx
import pytest
import requests

from emulator.errors import EmulatorError

DEMO, OTHER = "Demo Company", "Other Company"
TOKEN = "access_token=demo-copernica-token"


def profile(emulator, profile_id: str = "1", token: str = TOKEN) -> requests.Response:
    return requests.get(f"{emulator.url}/v3/profile/{profile_id}?{token}", timeout=10)


def test_a_copernica_async_update_waits_for_the_clock_and_drain_applies_it(emulator):
    emulator.clock.freeze("2026-11-23T10:00:00+00:00")
    assert emulator.set_tenant_settings("copernica", DEMO, async_delay=30)["async_delay"] == 30.0
    reply = requests.put(f"{emulator.url}/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567&async=1",
                         json={"fields": {"lastname": "Later"}}, timeout=10)
    assert reply.status_code == 204
    assert emulator.drain() == 1
    assert profile(emulator).json()["fields"]["lastname"] == "Smith"
    emulator.clock.advance(30)
    assert emulator.drain() == 0
    assert profile(emulator).json()["fields"]["lastname"] == "Later"
    entry = emulator.assert_request_made("PUT", "/v3/database/1/profiles")
    assert entry.note == ("async update queued: applied in the background, in order of arrival, "
                          "due in 30 s on the emulator's clock")


def test_a_seeded_30_percent_fault_rate_repeats_the_same_sequence_twice(emulator):
    runs = []
    for _ in range(2):
        rule = emulator.add_fault("copernica", DEMO, fault={"status": 503}, probability=0.3, seed=2026)
        runs.append([profile(emulator).status_code for _ in range(30)])
        assert emulator.fault(rule["id"])["fired"] == runs[-1].count(503)
        assert emulator.clear_faults("copernica", DEMO) == 1
    assert runs[0] == runs[1]
    assert [n for n, status in enumerate(runs[0]) if status == 503] == [2, 10, 17, 19, 20, 22, 23, 27]
    assert 200 in runs[0] and 503 in runs[0]


def test_a_quota_is_exhausted_and_the_clock_resets_it(emulator):
    emulator.clock.freeze("2026-11-23T10:00:00+00:00")
    emulator.set_tenant_settings("copernica", DEMO, daily_call_limit=2)
    assert [profile(emulator).status_code for _ in range(3)] == [200, 200, 503]
    assert emulator.requests(status=503)[-1].note.startswith("quota: daily_call_limit 2 reached")
    emulator.clock.advance(24 * 3600)
    assert profile(emulator).status_code == 200


def test_faults_and_latency_are_scoped_to_a_tenant_and_noted_in_the_journal(emulator):
    slow = emulator.add_fault("copernica", DEMO, latency={"uniform": [0.01, 0.02]}, seed=5)
    down = emulator.add_fault("copernica", DEMO, method="PUT", fault={"status": 502})
    assert profile(emulator).status_code == 200
    assert requests.put(f"{emulator.url}/v3/profile/1?{TOKEN}", json={"fields": {"lastname": "X"}},
                        timeout=10).status_code == 502
    other = profile(emulator, "5", "access_token=other-copernica-token")
    assert other.status_code == 200
    assert [f["matched"] for f in emulator.faults("copernica", DEMO)] == [2, 1]
    notes = [e.note for e in emulator.requests(tenant=DEMO)]
    assert notes == [f"latency 0.018 s (rule {slow['id']})",  # seed 5's first two draws in [0.01, 0.02]
                     f"latency 0.016 s (rule {slow['id']}); fault: HTTP 502 (rule {down['id']})"]
    assert emulator.requests(tenant=OTHER)[0].note is None
    assert profile(emulator).json()["fields"]["lastname"] == "Smith"


def test_a_target_update_is_invisible_until_the_clock_passes_the_delay(emulator):
    emulator.clock.freeze("2026-01-05T10:00:00+00:00")
    emulator.set_tenant_settings("adobe_target", "demo", propagation_delay=600)
    fetch = f"{emulator.url}/rest/v1/profiles/1368007744041-575948.01_00?client=demo"
    before = requests.get(fetch, timeout=10).json()
    update = f"{emulator.url}/m2/demo/profile/update?mboxPC=1368007744041-575948.01_00&profile.tier=gold"
    assert requests.get(update, timeout=10).status_code == 200
    emulator.clock.advance(599)
    assert requests.get(fetch, timeout=10).json() == before
    emulator.clock.advance(1)
    assert requests.get(fetch, timeout=10).json()["profileAttributes"]["tier"]["value"] == "gold"


def test_connection_faults_through_interception_are_the_clients_own_errors(emulator):
    emulator.add_fault("copernica", DEMO, fault={"connection": "reset"}, count=1)
    emulator.add_fault("copernica", DEMO, fault={"connection": "truncated"}, count=1)
    emulator.add_fault("copernica", DEMO, fault={"connection": "empty"}, count=1)
    emulator.add_fault("copernica", DEMO, fault={"connection": "reset"}, count=1)
    url = f"https://api.copernica.com/v3/profile/1?{TOKEN}"
    with emulator.intercept():
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=10)
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(url, timeout=10)
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(url)
        with pytest.raises(httpx.ReadError):
            httpx.get(url)
        assert requests.get(url, timeout=10).status_code == 200
    assert [(e.status, e.note) for e in emulator.requests()] == [
        (503, "fault: connection reset (rule r1)"), (503, "fault: truncated body (rule r2)"),
        (503, "fault: empty response (rule r3)"), (503, "fault: connection reset (rule r4)"), (200, None)]


def test_bad_rules_and_settings_fail_at_once_with_the_control_planes_message(emulator):
    with pytest.raises(EmulatorError, match=r"^rule.fault.status: Must be greater than or equal to 200"):
        emulator.add_fault("copernica", DEMO, fault={"status": 42})
    with pytest.raises(EmulatorError, match=r"^copernica has no tenant 'Nobody'; seed it first$"):
        emulator.add_fault("copernica", "Nobody", fault={})
    with pytest.raises(EmulatorError, match=r"^settings.bogus: Unknown field.$"):
        emulator.set_tenant_settings("copernica", DEMO, bogus=1)
    assert emulator.faults() == []


def test_a_reset_puts_the_fixtures_settings_back(emulator):
    emulator.add_fault("copernica", DEMO, fault={})
    emulator.set_tenant_settings("copernica", DEMO, list_limit_max=3)
    emulator.reset()
    assert emulator.faults() == []
    assert emulator.tenant_settings("copernica", DEMO)["list_limit_max"] == 1000
    assert profile(emulator).status_code == 200
