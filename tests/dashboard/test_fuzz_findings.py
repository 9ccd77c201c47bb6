"""What the schemathesis run found, pinned down as plain tests (in-process, exact answers)."""
from __future__ import annotations

import pytest

from emulator import create_app
from emulator.settings import Settings

TOKEN = "demo-copernica-token"


@pytest.fixture
def client():
    app = create_app(Settings())
    yield app.test_client()
    app.extensions["emulator"].close()


@pytest.mark.parametrize("method, path, message", [
    ("DELETE", "/v3/profile/²", "No entity with supplied ID"),
    ("GET", "/v3/profile/٣", "No entity with supplied ID"),
    ("PUT", "/v3/profile/²/fields", "No entity with supplied ID"),
    ("GET", "/v3/database/²", "No database with supplied ID"),
    ("GET", "/v3/database/²/profiles", "No database with supplied ID"),
])
def test_copernica_ids_that_are_digits_to_unicode_but_not_to_int_are_unknown_ids(client, method, path, message):
    """``"²".isdigit()`` is true but ``int("²")`` fails: these were unhandled errors."""
    response = client.open(path, method=method, query_string={"access_token": TOKEN}, json={})
    assert response.status_code == 400
    assert response.get_json() == {"error": {"message": message}}


def test_a_fixtures_id_in_other_digits_is_refused_naming_the_key(client):
    document = {"copernica": {"accounts": [{"name": "X", "databases": [{"ID": "²", "name": "db"}]}]}}
    response = client.post("/_emulator/seed", json=document)
    assert response.status_code == 400
    assert response.get_json()["error"] == \
        "invalid fixtures: copernica.accounts[0].databases[0].ID: Must be a positive integer or a string of digits."


@pytest.mark.parametrize("body", [
    '{"advance": 1e308}', '{"advance": 1e12}', '{"advance": Infinity}', '{"advance": NaN}',
    '{"freeze": "1969-12-31T23:59:59Z"}', '{"freeze": "9999-12-31T23:00:00"}',
])
def test_a_clock_the_emulator_could_not_tell_time_with_is_refused_and_nothing_changes(client, body):
    """These were 500s, and a huge advance was applied first, so every later request failed."""
    before = client.get("/_emulator/clock").get_json()
    response = client.post("/_emulator/clock", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] in ("'advance' would put the clock outside the years 1970 to 9999",
                                            "'freeze' would put the clock outside the years 1970 to 9999",
                                            "'advance' takes a number of seconds ≥ 0")
    after = client.get("/_emulator/clock").get_json()
    assert (after["mode"], after["offset_seconds"]) == (before["mode"], before["offset_seconds"])
    assert client.get("/v3/profile/1", query_string={"access_token": TOKEN}).status_code == 200
