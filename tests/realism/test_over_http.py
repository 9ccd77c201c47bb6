"""Connection faults and latency over real HTTP (waitress, as ``serve`` runs it), and the notes
the hook leaves for the request journal."""
from __future__ import annotations

import threading
import time

import pytest
import requests

from emulator import create_app, requestnotes
from emulator.settings import Settings
from emulator.testing.server import ThreadServer

DEMO, OTHER = "Demo Company", "Other Company"
TOKEN = "access_token=demo-copernica-token"
PROFILE = f"/v3/profile/1?{TOKEN}"
OTHER_PROFILE = "/v3/profile/5?access_token=other-copernica-token"


@pytest.fixture
def served():
    """The app on a waitress server with one worker thread, so a request that held it would
    block every other one."""
    server = ThreadServer(create_app(Settings()), threads=1)
    session = requests.Session()
    session.base = server.url
    session.server = server._server
    yield session
    session.close()
    server.stop()


def add_rule(http, **rule) -> dict:
    reply = http.post(http.base + "/_emulator/faults", json={"vendor": "copernica", "tenant": DEMO, **rule})
    assert reply.status_code == 201, reply.text
    return reply.json()["fault"]


def test_a_reset_breaks_the_connection_without_an_answer(served):
    add_rule(served, fault={"connection": "reset"}, count=1)
    with pytest.raises(requests.ConnectionError) as caught:
        served.get(served.base + PROFILE)
    assert "Connection reset by peer" in str(caught.value)
    assert served.get(served.base + PROFILE).status_code == 200  # the next call is fine


def test_an_empty_response_closes_the_connection_without_a_byte(served):
    add_rule(served, fault={"connection": "empty"}, count=1)
    with pytest.raises(requests.ConnectionError) as caught:
        served.get(served.base + PROFILE)
    assert "Remote end closed connection without response" in str(caught.value)
    assert served.get(served.base + PROFILE).status_code == 200


def test_a_truncated_body_sends_headers_and_half_the_vendors_page(served):
    add_rule(served, fault={"connection": "truncated"}, count=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError) as caught:
        served.get(served.base + PROFILE)
    assert "IncompleteRead" in str(caught.value)
    reply = served.get(served.base + PROFILE, stream=True)
    assert reply.status_code == 200 and reply.json()["ID"] == "1"


def test_a_truncated_body_keeps_the_status_asked_for(served):
    add_rule(served, fault={"connection": "truncated", "status": 504}, count=1)
    reply = served.get(served.base + PROFILE, stream=True)
    assert reply.status_code == 504
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _ = reply.content


def test_a_write_whose_connection_is_reset_changes_nothing(served):
    add_rule(served, method="PUT", fault={"connection": "reset"}, count=1)
    with pytest.raises(requests.ConnectionError):
        served.put(served.base + PROFILE, json={"fields": {"lastname": "Lost"}})
    assert served.get(served.base + PROFILE).json()["fields"]["lastname"] == "Smith"


def test_a_delayed_request_does_not_hold_the_only_worker(served):
    rule = add_rule(served, latency={"fixed": 4.0}, count=1)
    answers = []
    slow = threading.Thread(target=lambda: answers.append(requests.get(served.base + PROFILE, timeout=30).status_code))
    slow.start()
    deadline = time.monotonic() + 30
    while requests.get(f"{served.base}/_emulator/faults/{rule['id']}", timeout=10).json()["fault"]["matched"] == 0:
        assert time.monotonic() < deadline, "the delayed request never reached the server"
        time.sleep(0.01)  # the delayed request has been decided and is sleeping now
    other = requests.get(served.base + OTHER_PROFILE, timeout=10)
    assert other.status_code == 200 and other.json()["ID"] == "5"
    assert slow.is_alive()  # answered while the delayed request still waits, on a 1-thread server
    slow.join(timeout=30)
    assert answers == [200]
    dispatcher = served.server.task_dispatcher
    assert len(dispatcher.threads) - dispatcher.stop_count == 1  # the stand-in went away again


# -- in process --------------------------------------------------------------------------------
@pytest.fixture
def app():
    app = create_app(Settings())
    notes: list = []
    app.teardown_request(lambda exc: notes.append(requestnotes.current().text()))
    app.notes = notes
    yield app
    app.extensions["emulator"].close()


def in_process_rule(client, **rule) -> dict:
    reply = client.post("/_emulator/faults", json={"vendor": "copernica", "tenant": DEMO, **rule})
    assert reply.status_code == 201, reply.get_data(as_text=True)
    return reply.get_json()["fault"]


def test_in_process_a_connection_fault_raises_a_connection_error(app):
    client = app.test_client()
    in_process_rule(client, fault={"connection": "reset"}, count=1)
    with pytest.raises(ConnectionResetError):
        client.get(PROFILE).get_data()
    in_process_rule(client, fault={"connection": "empty"}, count=1)
    with pytest.raises(ConnectionAbortedError):
        client.get(PROFILE).get_data()


def test_the_journal_note_says_what_was_applied(app):
    client = app.test_client()
    fault = in_process_rule(client, id="outage", fault={"status": 503}, count=1)
    assert client.get(PROFILE).status_code == 503
    assert app.notes[-1] == f"fault: HTTP 503 (rule {fault['id']})"
    in_process_rule(client, id="slow", latency={"fixed": 0.01}, method="PUT")
    reply = client.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567&async=1",
                       json={"fields": {"lastname": "X"}})
    assert reply.status_code == 204
    assert app.notes[-1] == ("latency 0.010 s (rule slow); "
                             "async update queued: applied in the background, in order of arrival")
    client.put("/_emulator/settings/copernica/Demo%20Company", json={"daily_call_limit": 0})
    assert client.get(PROFILE).status_code == 503
    assert app.notes[-1] == "quota: daily_call_limit 0, no call is allowed"
    client.post("/_emulator/clock", json={"freeze": "2026-11-23T10:00:30+00:00"})
    client.put("/_emulator/settings/copernica/Demo%20Company", json={"daily_call_limit": 1})
    assert client.get(PROFILE).status_code == 200
    client.post("/_emulator/clock", json={"advance": 60})
    assert client.get(PROFILE).status_code == 503
    assert app.notes[-1] == ("quota: daily_call_limit 1 reached (1 calls in the last 24 h; "
                             "the next one is allowed in 86310 s)")
    in_process_rule(client, id="cut", fault={"connection": "truncated"}, count=1)
    with pytest.raises(ConnectionAbortedError):
        client.get(PROFILE).get_data()
    assert app.notes[-1] == "fault: truncated body (rule cut)"


def test_a_vendor_nobody_configured_is_not_even_looked_at(app):
    realism = app.extensions["emulator"].realism
    assert not realism.watched("copernica")
    client = app.test_client()
    client.put("/_emulator/settings/copernica/Demo%20Company", json={"list_limit_max": 10})
    assert realism.watched("copernica")
