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


@pytest.mark.parametrize("body, status, error", [
    ('{"advance": 1e308}', 400, "'advance' takes a number of seconds from 0 to 3153600000 (100 years)"),
    ('{"advance": 1e12}', 400, "'advance' takes a number of seconds from 0 to 3153600000 (100 years)"),
    ('{"advance": Infinity}', 400, "the request body is not valid JSON: Infinity is not JSON"),
    ('{"advance": NaN}', 400, "the request body is not valid JSON: NaN is not JSON"),
    ('{"freeze": "1969-12-31T23:59:59Z"}', 400, "'freeze' would put the clock outside the years 1970 to 9999"),
    ('{"freeze": "9999-12-31T23:00:00"}', 400, "'freeze' would put the clock outside the years 1970 to 9999"),
    ('{"resume": false}', 400, "'resume' takes true"),
])
def test_a_clock_the_emulator_could_not_tell_time_with_is_refused_and_nothing_changes(client, body, status, error):
    """These were 500s, and a huge advance was applied first, so every later request failed."""
    before = client.get("/_emulator/clock").get_json()
    response = client.post("/_emulator/clock", data=body, content_type="application/json")
    assert (response.status_code, response.get_json()["error"]) == (status, error)
    after = client.get("/_emulator/clock").get_json()
    assert (after["mode"], after["offset_seconds"]) == (before["mode"], before["offset_seconds"])
    assert client.get("/v3/profile/1", query_string={"access_token": TOKEN}).status_code == 200


def test_an_advance_past_the_year_9999_from_where_the_clock_stands_is_a_conflict(client):
    """A valid step (the document allows up to 100 years) that the clock's state cannot take: 409."""
    assert client.post("/_emulator/clock", json={"freeze": "9990-01-01T00:00:00Z"}).status_code == 200
    response = client.post("/_emulator/clock", json={"advance": 20 * 365 * 86400})
    assert (response.status_code, response.get_json()["error"]) == \
        (409, "'advance' would put the clock outside the years 1970 to 9999")
    assert client.get("/_emulator/clock").get_json()["now"].startswith("9990-01-01T00:00:00")


def test_every_405_names_the_methods_the_path_takes(client):
    """A vendor path and a control path alike (RFC 9110 §15.5.6)."""
    for method, path, allow in [("DELETE", "/_emulator/reset", "OPTIONS, POST"),
                                ("PUT", "/_emulator/state", "GET, HEAD, OPTIONS"),
                                ("TRACE", "/m2/demo/profile/batchStatus", "GET, HEAD, OPTIONS"),
                                ("DELETE", "/rest/v1/profiles/1?client=demo", "GET, HEAD, OPTIONS")]:
        response = client.open(path, method=method)
        assert (response.status_code, response.headers.get("Allow")) == (405, allow), (method, path)


def test_a_tenant_alone_narrows_faults_and_the_journal_to_that_tenant_of_every_vendor(client):
    assert client.get("/_emulator/faults?tenant=nobody").get_json() == {"faults": []}
    assert client.delete("/_emulator/faults?tenant=Demo+Company").get_json() == {"deleted": 0}


@pytest.mark.parametrize("query", ["status=abc", "status=99", "status=200,", "status=+200", "status= 200"])
def test_the_journal_status_filter_takes_exactly_what_the_document_says(client, query):
    response = client.get(f"/_emulator/requests?{query}")
    assert (response.status_code, response.get_json()["error"]) == \
        (400, "'status' takes a status code, or several separated by commas")
    assert client.get("/_emulator/requests?status=200,204").status_code == 200


@pytest.mark.parametrize("body", [{"tenant": None}, {"vendor": 1}, {"vendor": "copernica", "tenant": ["x"]}])
def test_reset_takes_strings_only(client, body):
    response = client.post("/_emulator/reset", json=body)
    assert (response.status_code, response.get_json()["error"]) == (400, "'vendor' and 'tenant' take strings")
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


def test_the_related_view_is_described_with_its_required_query():
    from emulator import create_app
    from emulator.settings import Settings

    app = create_app(Settings(), load_fixtures=False)
    try:
        parameters = app.test_client().get("/_emulator/openapi.json").get_json()["paths"]["/_emulator/related"]["get"]["parameters"]
    finally:
        app.extensions["emulator"].close()
    assert {(p["name"], p["in"], p["required"]) for p in parameters} == {("vendor", "query", True), ("tenant", "query", True)}
