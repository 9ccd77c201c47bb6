"""What the schemathesis run found, pinned down as plain tests (in-process, exact answers)."""
from __future__ import annotations

import pytest


TOKEN = "demo-copernica-token"


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
                                            "'advance' takes a number of seconds ≥ 0",
                                            "the request body is not valid JSON: Infinity is not JSON",
                                            "the request body is not valid JSON: NaN is not JSON")
    after = client.get("/_emulator/clock").get_json()
    assert (after["mode"], after["offset_seconds"]) == (before["mode"], before["offset_seconds"])
    assert client.get("/v3/profile/1", query_string={"access_token": TOKEN}).status_code == 200


# -- the fuzz run's own checks can fail ----------------------------------------------------------
def fake(status: int, content_type: str, body: bytes, responses: dict):
    from types import SimpleNamespace

    case = SimpleNamespace(method="GET", formatted_path="/x",
                           operation=SimpleNamespace(definition=SimpleNamespace(raw={"responses": responses})))
    return SimpleNamespace(status_code=status, headers={"content-type": [content_type]}, content=body), case


def test_an_undocumented_500_fails_and_a_documented_one_passes():
    from fuzz_checks import FuzzFailure, no_undocumented_server_error

    response, case = fake(500, "application/json", b"{}", {"200": {}})
    with pytest.raises(FuzzFailure, match="undocumented 500"):
        no_undocumented_server_error(None, response, case)
    response, case = fake(500, "application/json", b"{}", {"200": {}, "500": {}})
    assert no_undocumented_server_error(None, response, case) is None


def test_an_html_page_fails_unless_the_operation_serves_html():
    from fuzz_checks import FuzzFailure, no_html_error_page

    response, case = fake(404, "text/html; charset=utf-8", b"<h1>Not Found</h1>", {"200": {}})
    with pytest.raises(FuzzFailure, match="an HTML page with 404"):
        no_html_error_page(None, response, case)
    page = {"200": {"content": {"text/html": {}}}}
    response, case = fake(200, "text/html; charset=utf-8", b"<html>", page)
    assert no_html_error_page(None, response, case) is None
    response, case = fake(200, "text/html; charset=utf-8", b"", {"200": {}})  # Flask's OPTIONS answer
    assert no_html_error_page(None, response, case) is None
