"""Issue 11, data loss: text that is not Unicode never enters the store, and a data file that
cannot be written never stops later writes from being saved once it can be again."""
from __future__ import annotations

import json
import os
import shutil
import signal
import time

import pytest
import requests

from emulator import create_app
from emulator.settings import Settings
from emulator.store import FlushError, Store

COP = "access_token=demo-copernica-token"
ACS = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key",
       "Content-Type": "application/json"}
LONE = '"\\ud800x"'  # a JSON string holding a lone surrogate escape, as sent on the wire


@pytest.fixture
def app():
    app = create_app(Settings())
    yield app
    app.extensions["emulator"].close()


def _state(app):
    return app.test_client().get("/_emulator/state").get_json()


def test_copernica_put_refuses_a_lone_surrogate_with_its_invalid_json_error(app):
    c = app.test_client()
    before = c.get(f"/v3/profile/1?{COP}").get_json()
    reply = c.put(f"/v3/profile/1?{COP}", data='{"fields":{"firstname":%s}}' % LONE,
                  content_type="application/json")
    assert reply.status_code == 400
    assert reply.get_json() == {"error": {"message": "Invalid JSON in request body"}}
    assert c.get(f"/v3/profile/1?{COP}").get_json() == before


def test_copernica_post_refuses_a_lone_surrogate_and_creates_nothing(app):
    c = app.test_client()
    ids = c.get(f"/v3/database/1/profileids?{COP}").get_json()
    reply = c.post(f"/v3/database/1/profiles?{COP}", data='{"fields":{"firstname":%s}}' % LONE,
                   content_type="application/json")
    assert reply.status_code == 400
    assert reply.get_json() == {"error": {"message": "Invalid JSON in request body"}}
    assert c.get(f"/v3/database/1/profileids?{COP}").get_json() == ids


def test_a_lone_surrogate_in_a_member_name_is_refused_too(app):
    c = app.test_client()
    reply = c.put(f"/v3/profile/1/fields?{COP}", data='{"\\udc00":"x"}', content_type="application/json")
    assert reply.status_code == 400
    assert reply.get_json() == {"error": {"message": "Invalid JSON in request body"}}


def test_a_surrogate_pair_is_ordinary_text_and_is_kept(app):
    c = app.test_client()
    reply = c.put(f"/v3/profile/1?{COP}", data='{"fields":{"firstname":"\\ud83d\\ude00"}}',
                  content_type="application/json")
    assert reply.status_code == 204
    assert c.get(f"/v3/profile/1?{COP}").get_json()["fields"]["firstname"] == "\U0001F600"


def _acs_profiles(c):
    return c.get("/demo-org/campaign/profileAndServices/profile?_lineCount=100", headers=ACS).get_json()["content"]


def test_acs_post_refuses_a_lone_surrogate_and_creates_nothing(app):
    c = app.test_client()
    before = _acs_profiles(c)
    reply = c.post("/demo-org/campaign/profileAndServices/profile", headers=ACS,
                   data='{"lastName":%s,"email":"new@example.com"}' % LONE)
    assert reply.status_code == 500  # Campaign answers payload errors with its generic 500 (§1.11)
    body = reply.get_json()
    assert body["code"] == 500
    assert body["message"].startswith("RST-360011 An error has occurred - please contact your administrator. "
                                      "The request body is not valid JSON: a string holds a lone surrogate")
    assert _acs_profiles(c) == before


def test_acs_patch_refuses_a_lone_surrogate_and_changes_nothing(app):
    c = app.test_client()
    profile = _acs_profiles(c)[0]
    reply = c.patch(f"/demo-org/campaign/profileAndServices/profile/{profile['PKey']}", headers=ACS,
                    data='{"lastName":%s}' % LONE)
    assert reply.status_code == 500
    assert "RST-360011" in reply.get_json()["message"]
    assert "not valid JSON: a string holds a lone surrogate" in reply.get_json()["message"]
    assert _acs_profiles(c)[0] == profile


def test_target_visitor_route_refuses_a_lone_surrogate(app):
    c = app.test_client()
    before = _state(app)["adobe_target"]
    reply = c.post("/_emulator/adobe_target/demo/visitors", content_type="application/json",
                   data='{"thirdPartyId":"v-1","profileAttributes":{"a":%s}}' % LONE)
    assert reply.status_code == 400
    assert reply.get_json()["error"].startswith("the request body is not valid JSON: a string holds a lone surrogate")
    assert _state(app)["adobe_target"] == before


def test_target_update_query_keeps_undecodable_bytes_percent_encoded(app):
    # a query string is bytes: UTF-8-encoded surrogates (ED A0 80) are not UTF-8, and werkzeug
    # hands them over still percent-encoded: text that encodes, stored and answered as sent
    c = app.test_client()
    reply = c.get("/m2/demo/profile/update?mbox3rdPartyId=a1-mbox3rdPartyId&profile.city=%ED%A0%80x")
    assert reply.status_code == 200
    profile = c.get("/rest/v1/profiles/thirdPartyId/a1-mbox3rdPartyId?client=demo").get_json()
    assert profile["profileAttributes"]["city"]["value"] == "%ED%A0%80x"
    assert c.get("/_emulator/state").status_code == 200


def test_seed_refuses_a_lone_surrogate_and_applies_nothing(app):
    c = app.test_client()
    before = _state(app)
    document = ('{"copernica":{"accounts":[{"name":"X","access_token":"x-token",'
                '"databases":[{"name":"D","profiles":[{"fields":{"a":%s}}]}]}]}}' % LONE)
    reply = c.post("/_emulator/seed", data=document, content_type="application/json")
    assert reply.status_code == 400
    assert reply.get_json()["error"].startswith("the request body is not valid JSON: a string holds a lone surrogate")
    assert _state(app) == before


def test_seed_refuses_a_lone_surrogate_handed_over_as_python_objects(app):
    from emulator import seeding
    from emulator.errors import EmulatorError

    with pytest.raises(EmulatorError, match="lone surrogate"):
        seeding.apply(app.extensions["emulator"], {"copernica": {"accounts": [
            {"name": "X", "access_token": "x-token", "databases": [{"name": "D\ud800"}]}]}})


def test_over_http_a_poison_write_is_refused_and_every_later_write_survives_a_restart(serve_process, tmp_path):
    """The issue's reproduction: a lone surrogate, then acknowledged writes, then SIGTERM."""
    data = str(tmp_path / "s.json")
    server = serve_process("--data", data, "--flush-interval", "0.2")
    base = server.base_url
    poison = requests.put(f"{base}/v3/profile/1?{COP}", data='{"fields":{"firstname":%s}}' % LONE,
                          headers={"Content-Type": "application/json"})
    assert poison.status_code == 400
    for i in range(40):
        assert requests.put(f"{base}/v3/profile/2?{COP}", json={"fields": {"firstname": f"n{i}"}}).status_code == 204
    assert requests.get(f"{base}/v3/profile/1?{COP}").status_code == 200
    assert requests.get(f"{base}/_emulator/state").status_code == 200
    assert requests.get(f"{base}/_emulator/health").status_code == 200
    _, err = server.stop(signal.SIGTERM)
    assert f"state written to {data}" in err
    again = serve_process("--data", data)
    assert requests.get(f"{again.base_url}/v3/profile/2?{COP}").json()["fields"]["firstname"] == "n39"


# -- the flusher: a failed write is retried, reported, and loses nothing ----------------------
def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_health_says_503_while_the_data_file_cannot_be_written_and_nothing_is_lost(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = str(folder / "state.json")
    app = create_app(Settings(data=path, flush_interval=0.05))
    c = app.test_client()
    try:
        assert _wait(lambda: os.path.exists(path))
        health = c.get("/_emulator/health")
        assert health.status_code == 200
        assert health.get_json()["data_file"]["written"] is True

        shutil.rmtree(folder)  # the data file's directory disappears: every write fails
        assert c.put(f"/v3/profile/1?{COP}", json={"fields": {"firstname": "during"}}).status_code == 204
        assert _wait(lambda: c.get("/_emulator/health").status_code == 503)
        body = c.get("/_emulator/health").get_json()
        assert body["status"] == "data file not written"
        assert body["data_file"]["written"] is False
        assert "FileNotFoundError" in body["data_file"]["error"]
        assert body["data_file"]["failing_since"]
        assert _wait(lambda: c.get("/_emulator/health").get_json()["data_file"]["failed_attempts"] >= 3)

        folder.mkdir()  # writable again: the flusher is still alive and catches up
        assert c.put(f"/v3/profile/2?{COP}", json={"fields": {"firstname": "after"}}).status_code == 204
        assert _wait(lambda: c.get("/_emulator/health").status_code == 200)
        assert _wait(lambda: json.load(open(path))["copernica/Demo Company/profiles"]["2"]["fields"]["firstname"] == "after")
        saved = json.load(open(path))["copernica/Demo Company/profiles"]
        assert saved["1"]["fields"]["firstname"] == "during"
    finally:
        app.extensions["emulator"].close()


def test_the_flusher_survives_any_exception_and_retries(tmp_path, monkeypatch):
    path = str(tmp_path / "state.json")
    store = Store(path, flush_interval=0.02)
    real = store._storage.write_file
    calls = []

    def flaky(snapshot):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug in the writer")
        real(snapshot)

    monkeypatch.setattr(store._storage, "write_file", flaky)
    store.put("v", "t", "c", "k", {"n": 1})
    assert _wait(lambda: len(calls) >= 2 and store.flush_failure is None)
    store.put("v", "t", "c", "k", {"n": 2})
    assert _wait(lambda: os.path.exists(path) and json.load(open(path))["v/t/c"]["k"] == {"n": 2})
    store.close()


def test_text_that_got_past_the_entry_points_is_written_escaped_not_lost(tmp_path):
    path = str(tmp_path / "state.json")
    store = Store(path, flush_interval=0)
    store.put("v", "t", "c", "bad", {"name": "\ud800x"})
    store.put("v", "t", "c", "good", {"name": "kept"})
    assert store.flush() is True
    assert store.flush_failure is None
    saved = json.load(open(path, encoding="utf-8"))
    assert saved["v/t/c"] == {"bad": {"name": "\ud800x"}, "good": {"name": "kept"}}


def test_close_raises_flush_error_when_the_last_write_fails(tmp_path):
    folder = tmp_path / "gone"
    folder.mkdir()
    store = Store(str(folder / "state.json"), flush_interval=0)
    store.put("v", "t", "c", "k", {"n": 1})
    shutil.rmtree(folder)
    with pytest.raises(FlushError, match="could not write the data file"):
        store.close()
    assert store.flush_failure["attempts"] == 1


def test_serve_says_so_and_exits_1_when_the_last_write_fails(serve_process, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    data = str(folder / "state.json")
    server = serve_process("--data", data, "--flush-interval", "3600")
    assert requests.put(f"{server.base_url}/v3/profile/2?{COP}", json={"fields": {"firstname": "x"}}).status_code == 204
    shutil.rmtree(folder)
    _, err = server.stop(signal.SIGTERM)
    assert server.process.returncode == 1
    assert "martech-emulator stopped; the state was NOT written: could not write the data file" in err
    assert "FileNotFoundError" in err
