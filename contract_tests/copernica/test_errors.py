"""Copernica's error answers: HTTP 400, ``{"error":{"message":…}}``, verbatim messages (§4.2)."""
from __future__ import annotations

import pytest

TOKEN = "access_token=demo-copernica-token"


def assert_error(reply, message: str) -> None:
    assert reply.status_code == 400, reply.text
    assert reply.header("Content-Type") == "application/json"  # exactly: the PHP helper needs it
    assert reply.json() == {"error": {"message": message}}


@pytest.mark.parametrize("query", ["", "access_token=", "access_token=wrong"])
def test_bad_or_missing_token(api, query):
    assert_error(api.get(f"/v3/profile/1?{query}"), "Invalid access token")
    assert_error(api.put(f"/v3/database/1/profiles?{query}&fields[]=id==1", json={"fields": {}}),
                 "Invalid access token")


def test_a_bearer_header_is_accepted_too(api):
    reply = api.get("/v3/profile/1", headers={"Authorization": "Bearer demo-copernica-token"})
    assert reply.status_code == 200 and reply.json()["ID"] == "1"


def test_two_accounts_never_see_each_others_databases_or_profiles(api):
    other = "access_token=other-copernica-token"
    assert_error(api.get(f"/v3/database/1/profiles?{other}"), "No database with supplied ID")
    assert_error(api.get(f"/v3/profile/1?{other}"), "No entity with supplied ID")
    reply = api.put(f"/v3/database/Customers/profiles?{TOKEN}&fields[]=customerid==4567",
                    json={"fields": {"email": "x"}})
    assert_error(reply, "No database with supplied ID")
    assert api.get(f"/v3/profile/5?{other}").json()["fields"]["email"] == "someone@other.example"


@pytest.mark.parametrize("ref", ["999", "NoSuchDatabase"])
def test_unknown_database(api, ref):
    assert_error(api.get(f"/v3/database/{ref}/profiles?{TOKEN}"), "No database with supplied ID")
    assert_error(api.put(f"/v3/database/{ref}/profiles?{TOKEN}&fields[]=id==1", json={}),
                 "No database with supplied ID")


@pytest.mark.parametrize("profile_id", ["999", "abc", "0"])
def test_unknown_profile(api, profile_id):
    assert_error(api.get(f"/v3/profile/{profile_id}?{TOKEN}"), "No entity with supplied ID")
    assert_error(api.put(f"/v3/profile/{profile_id}?{TOKEN}", json={"fields": {}}), "No entity with supplied ID")
    assert_error(api.delete(f"/v3/profile/{profile_id}?{TOKEN}"), "No entity with supplied ID")


@pytest.mark.parametrize("method, path", [
    ("GET", "/v3/PROFILE/1"),
    ("GET", "/v3/profile/1/datarequest"),
    ("GET", "/v3/nosuchresource"),
    ("PATCH", "/v3/profile/1"),
    ("DELETE", "/v3/database/1/profiles"),
])
def test_unknown_path_or_verb_is_invalid_method(api, method, path):
    assert_error(api.request(method, f"{path}?{TOKEN}"), "Invalid method")


@pytest.mark.parametrize("path", ["/v3/profile", "/v3/database/", "/v3/database"])
def test_a_path_too_short(api, path):
    assert_error(api.get(f"{path}?{TOKEN}"), "Invalid request, element 1 is missing in 'directory' path")


def test_doubled_and_trailing_slashes_are_ignored(api):
    reply = api.get(f"/v3//profile/1//?{TOKEN}")
    assert reply.status_code == 200 and reply.json()["ID"] == "1"
    reply = api.get(f"/v3/profile/1/fields//bogus/path/?{TOKEN}")
    assert reply.status_code == 200 and reply.json()["firstname"] == "John"


def test_a_doubled_slash_before_the_id_is_an_empty_id(api):
    """rmuit's ApiBehaviorTest (live): ``profile//1`` names the profile "", not profile 1."""
    assert_error(api.get(f"/v3/profile//1?{TOKEN}"), "No entity with supplied ID")
    assert_error(api.delete(f"/v3/profile//1?{TOKEN}"), "No entity with supplied ID")
    assert_error(api.get(f"/v3/database//1?{TOKEN}"), "No database with supplied ID")
    assert api.get(f"/v3/profile/1?{TOKEN}").json()["removed"] is False


def test_second_delete_of_a_profile(api):
    first = api.delete(f"/v3/profile/2?{TOKEN}")
    assert first.status_code == 204 and first.header("X-deleted") == "profile 2"
    assert_error(api.delete(f"/v3/profile/2?{TOKEN}"), "This profile has already been removed")


def test_malformed_json_changes_nothing(api):
    state_before = api.get("/_emulator/state").json()
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1", data='{"fields": {"firstname": ',
                    headers={"Content-Type": "application/json"})
    assert_error(reply, "Invalid JSON in request body")
    assert api.get("/_emulator/state").json() == state_before


def test_an_unsupported_content_type(api):
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1", data="<fields/>",
                    headers={"Content-Type": "application/xml"})
    assert_error(reply, "Unsupported content type, use application/json or application/x-www-form-urlencoded")


def test_an_oversized_body_is_refused_and_changes_nothing(api):
    state_before = api.get("/_emulator/state").json()
    huge = '{"fields": {"firstname": "' + "x" * (10 * 1024 * 1024) + '"}}'
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1", data=huge,
                    headers={"Content-Type": "application/json"})
    assert_error(reply, "Request body too large")
    assert api.get("/_emulator/state").json() == state_before
