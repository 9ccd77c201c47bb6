"""The pytest plugin: the ``emulator`` fixture in this suite, and in new projects run as a user would."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

from emulator.errors import EmulatorError
from emulator.vendors import VENDORS
from emulator.testing import EmulatorHandle, RequestAssertionError

TOKEN = "access_token=demo-copernica-token"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def put_customer(emulator, customer: str, body: dict) -> requests.Response:
    return requests.put(f"{emulator.url}/v3/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D{customer}",
                        json=body, timeout=10)


def lastname(emulator, profile_id: str = "1") -> str:
    return requests.get(f"{emulator.url}/v3/profile/{profile_id}?{TOKEN}", timeout=10).json()["fields"]["lastname"]


def test_the_fixture_is_a_demo_seeded_server_on_loopback(emulator):
    assert isinstance(emulator, EmulatorHandle)
    assert emulator.url.startswith("http://127.0.0.1:") and not emulator.url.endswith(":0")
    assert emulator.base_urls["copernica"] == {"Copernica REST v3": f"{emulator.url}/v3",
                                               "Copernica REST v2": f"{emulator.url}/v2"}
    assert set(emulator.base_urls) == {v.name for v in VENDORS}
    assert requests.get(f"{emulator.url}/_emulator/health", timeout=10).json()["status"] == "ok"
    assert lastname(emulator) == "Smith"


def test_reset_puts_back_state_journal_and_clock(emulator):
    assert put_customer(emulator, "4567", {"fields": {"lastname": "Doe"}}).status_code == 204
    emulator.seed({"copernica": {"accounts": [{"name": "Extra", "access_token": "extra-token"}]}})
    emulator.clock.freeze("2030-01-01T00:00:00+00:00")
    assert lastname(emulator) == "Doe" and len(emulator.requests()) == 2
    emulator.reset()
    assert lastname(emulator) == "Smith"
    assert [a["name"] for a in emulator.state()["copernica"]["accounts"]] == ["Demo Company", "Other Company"]
    assert len(emulator.requests()) == 1  # the GET just made
    assert emulator.clock.now().year != 2030


def test_a_reset_gives_back_the_same_state_every_time(emulator):
    first = emulator.state()
    put_customer(emulator, "4567", {"fields": {"lastname": "Doe"}, "interests": ["baseball"]})
    requests.delete(f"{emulator.url}/v3/profile/2?{TOKEN}", timeout=10)
    emulator.reset()
    assert emulator.state() == first


def test_seed_and_state(emulator):
    emulator.seed({"copernica": {"accounts": [{"name": "Acme", "access_token": "acme-token",
                                               "databases": [{"ID": "7", "name": "Shop"}]}]}})
    reply = requests.get(f"{emulator.url}/v3/databases?access_token=acme-token", timeout=10)
    assert [d["name"] for d in reply.json()["data"]] == ["Shop"]
    assert "Acme" in [a["name"] for a in emulator.state()["copernica"]["accounts"]]
    with pytest.raises(EmulatorError) as caught:
        emulator.seed({"copernica": {"acounts": []}})
    assert caught.value.message.startswith("invalid fixtures: copernica.acounts:")


def test_assert_request_made_returns_the_newest_match(emulator):
    put_customer(emulator, "4567", {"fields": {"lastname": "Doe"}})
    put_customer(emulator, "4567", {"fields": {"lastname": "Roe"}})
    entry = emulator.assert_request_made("PUT", "/v3/database/1/profiles", query={"fields[]": "customerid==4567"})
    assert json.loads(entry.body) == {"fields": {"lastname": "Roe"}}
    assert entry.tenant == "Demo Company" and entry.status == 204
    emulator.assert_request_made("PUT", times=2, vendor="copernica", tenant="Demo Company")
    assert emulator.count("PUT", json={"fields": {"lastname": "Doe"}}) == 1


def test_a_failed_assertion_shows_the_closest_requests_and_why_they_differ(emulator):
    put_customer(emulator, "4568", {"fields": {"email": "john@new.example"}})
    requests.get(f"{emulator.url}/v3/profile/1?{TOKEN}", timeout=10)
    with pytest.raises(RequestAssertionError) as caught:
        emulator.assert_request_made("PUT", "/v3/database/1/profiles", query={"fields[]": "customerid==4567"},
                                     json={"fields": {"email": "john@new.example"}})
    assert str(caught.value) == "\n".join([
        'Expected a request matching: PUT /v3/database/1/profiles query={"fields[]":"customerid==4567"} '
        'json={"fields":{"email":"john@new.example"}}',
        "but none of the 2 request(s) made matched. Closest:",
        "  1. PUT /v3/database/1/profiles?access_token=***&fields%5B0%5D=customerid%3D%3D4568 → 204"
        "  [selection matched nothing: nothing changed (create=0)]",
        "      ✗ query fields[]: expected 'customerid==4567', got 'customerid==4568'",
        '      body: {"fields": {"email": "john@new.example"}}',
        "  2. GET /v3/profile/1?access_token=*** → 200",
        "      ✗ method: expected PUT, got GET",
        "      ✗ path: expected /v3/database/1/profiles, got /v3/profile/1",
        "      ✗ query fields[]: missing",
        "      ✗ json: expected to contain {\"fields\":{\"email\":\"john@new.example\"}}, got no body",
    ])


def test_assertion_messages_for_times_for_nothing_sent_and_for_no_request(emulator):
    with pytest.raises(RequestAssertionError) as caught:
        emulator.assert_request_made("PUT")
    assert str(caught.value) == "Expected a request matching: PUT\nbut no request reached the emulator at all."
    put_customer(emulator, "4567", {"fields": {}})
    put_customer(emulator, "4567", {"fields": {}})
    with pytest.raises(RequestAssertionError) as caught:
        emulator.assert_request_made("PUT", times=1)
    assert str(caught.value).splitlines()[:3] == [
        "Expected 1 request(s) matching: PUT", "but 2 matched:",
        "  1. PUT /v3/database/1/profiles?access_token=***&fields%5B0%5D=customerid%3D%3D4567 → 204"]
    emulator.assert_no_request_made("DELETE")
    with pytest.raises(RequestAssertionError) as caught:
        emulator.assert_no_request_made("PUT", "/v3/database/*/profiles")
    assert str(caught.value).splitlines()[:2] == [
        "Expected no request matching: PUT /v3/database/*/profiles", "but 2 were made:"]


def test_an_error_answer_is_shown_in_the_failure(emulator):
    requests.get(f"{emulator.url}/v3/profile/999?{TOKEN}", timeout=10)
    with pytest.raises(RequestAssertionError) as caught:
        emulator.assert_request_made("GET", status=200)
    assert str(caught.value).splitlines()[2:] == [
        "  1. GET /v3/profile/999?access_token=*** → 400",
        "      ✗ status: expected 200, got 400",
        '      answer: {"error": {"message": "No entity with supplied ID"}}']


def test_unmatched_and_clear_requests(emulator):
    requests.get(f"{emulator.url}/v3/nothing/here?{TOKEN}", timeout=10)
    requests.get(f"{emulator.url}/v3/profile/1?{TOKEN}", timeout=10)
    assert [e.path for e in emulator.unmatched()] == ["/v3/nothing/here"]
    emulator.clear_requests()
    assert emulator.requests() == []


def test_drain_applies_async_work(emulator):
    put_customer(emulator, "4567", {"fields": {"lastname": "Later"}}).raise_for_status()
    reply = requests.put(f"{emulator.url}/v3/database/1/profiles?{TOKEN}&fields[]=customerid==1001&async=1",
                         json={"fields": {"lastname": "Async"}}, timeout=10)
    assert reply.status_code == 204
    assert emulator.drain() == 0
    assert lastname(emulator, "2") == "Async"
    emulator.assert_request_made("PUT", note="async update queued")


def test_clock_control_reaches_the_journal(emulator):
    frozen = emulator.clock.freeze(datetime(2031, 5, 6, 7, 8, 9, tzinfo=timezone.utc))
    requests.get(f"{emulator.url}/v3/profile/1?{TOKEN}", timeout=10)
    assert emulator.requests()[0].time == frozen
    assert emulator.clock.advance(60) == datetime(2031, 5, 6, 7, 9, 9, tzinfo=timezone.utc)
    emulator.assert_request_made(since="2031-05-06T07:08:09Z")
    emulator.assert_no_request_made(since="2031-05-06T07:09:00Z")
    assert emulator.clock.resume().year != 2031


def test_in_process_handle_has_no_url(emulator):
    handle = EmulatorHandle.in_process()
    try:
        with pytest.raises(RuntimeError):
            _ = handle.base_urls
        assert handle.url is None
        names = lambda h: [a["name"] for a in h.state()["copernica"]["accounts"]]
        assert names(handle) == names(emulator) == ["Demo Company", "Other Company"]
    finally:
        handle.close()


# -- a new project, run the way its developer runs it ----------------------------------------------
def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=project, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("newsletter.py", "test_newsletter.py"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def test_the_readme_example_passes_in_a_new_project(project):
    result = run_pytest(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_readme_example_fails_with_the_closest_request_when_the_code_is_wrong(project):
    code = (project / "newsletter.py").read_text()
    wrong = code.replace('f"customerid=={customer_id}"', 'f"customerid=={customer_id + 1}"')
    assert wrong != code
    (project / "newsletter.py").write_text(wrong)
    result = run_pytest(project)
    assert result.returncode == 1
    assert ("E       emulator.testing.handle.RequestAssertionError: Expected a request matching: "
            'PUT /v3/database/1/profiles query={"fields[]":"customerid==4567"} '
            'json={"fields":{"email":"john@new.example"}}'
            in result.stdout)
    assert ("E         1. PUT /v3/database/1/profiles?access_token=***&fields%5B%5D=customerid%3D%3D4568 → 204"
            in result.stdout)
    assert "E             ✗ query fields[]: expected 'customerid==4567', got 'customerid==4568'" in result.stdout
    assert "test_newsletter.py:7: RequestAssertionError" in result.stdout


def test_fixtures_are_overridable_the_pytest_httpserver_way(tmp_path):
    (tmp_path / "mine.json").write_text(json.dumps({"copernica": {"accounts": [
        {"name": "Mine", "access_token": "mine-token", "databases": [{"ID": "5", "name": "Only"}]}]}}))
    (tmp_path / "conftest.py").write_text(
        "import pytest\n"
        "from emulator.settings import Settings\n\n"
        "@pytest.fixture(scope='session')\n"
        "def emulator_fixtures():\n    return 'mine.json'\n\n"
        "@pytest.fixture(scope='session')\n"
        "def emulator_settings():\n    return Settings(journal_size=1)\n")
    (tmp_path / "test_mine.py").write_text(
        "import requests\n\n"
        "def test_only_my_fixtures(emulator):\n"
        "    assert [a['name'] for a in emulator.state()['copernica']['accounts']] == ['Mine']\n"
        "    for _ in range(3):\n"
        "        requests.get(emulator.url + '/v3/databases?access_token=mine-token')\n"
        "    assert len(emulator.requests()) == 1\n")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_passthrough_of_the_intercept_fixture_is_overridable(tmp_path):
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n@pytest.fixture(scope='session')\ndef emulator_passthrough():\n    return False\n")
    (tmp_path / "test_p.py").write_text(
        "import pytest, requests\n\n"
        "def test_p(emulator_intercept):\n"
        "    assert requests.get('https://api.copernica.com/v3/identity?access_token=demo-copernica-token')"
        ".status_code == 200\n"
        "    with pytest.raises(requests.ConnectionError, match='Connection refused by Responses'):\n"
        "        requests.get(emulator_intercept.url + '/_emulator/health')\n")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_fixtures_file_fails_naming_the_key(tmp_path):
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n@pytest.fixture(scope='session')\ndef emulator_fixtures():\n"
        "    return {'copernica': {'accounts': [{'nme': 'x'}]}}\n")
    (tmp_path / "test_x.py").write_text("def test_x(emulator):\n    pass\n")
    result = run_pytest(tmp_path)
    assert result.returncode == 1
    assert "EmulatorError: invalid fixtures: copernica.accounts[0]" in result.stdout


def test_xdist_workers_each_get_their_own_server(tmp_path):
    (tmp_path / "test_ports.py").write_text(
        "import os, time, requests, pytest\n\n"
        "@pytest.mark.parametrize('n', range(4))\n"
        "def test_port(emulator, n):\n"
        "    r = requests.put(emulator.url + '/v3/database/1/profiles?access_token=demo-copernica-token'\n"
        "                     '&fields[]=customerid==4567', json={'fields': {'lastname': str(n)}})\n"
        "    assert r.status_code == 204\n"
        "    time.sleep(0.02)\n"
        "    assert len(emulator.requests()) == 1\n"
        "    assert requests.get(emulator.url + '/v3/profile/1?access_token=demo-copernica-token')"
        ".json()['fields']['lastname'] == str(n)\n"
        "    with open(f'port-{n}', 'w') as fh:\n"
        "        fh.write(emulator.url + ' ' + os.environ['PYTEST_XDIST_WORKER'])\n")
    result = run_pytest(tmp_path, "-n", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    seen = {(tmp_path / f"port-{n}").read_text() for n in range(4)}
    urls = {line.split()[0] for line in seen}
    workers = {line.split()[1] for line in seen}
    assert len(workers) == 2 and len(urls) == 2


def test_no_fixtures_means_an_empty_emulator_after_every_reset():
    from emulator import create_app

    handle = EmulatorHandle(create_app(load_fixtures=False), None, None)
    try:
        handle.reset()
        handle.seed({"copernica": {"accounts": [{"name": "Solo", "access_token": "solo"}]}})
        assert [a["name"] for a in handle.state()["copernica"]["accounts"]] == ["Solo"]
        handle.reset()
        assert handle.state()["copernica"] == {"accounts": []}
    finally:
        handle.close()
