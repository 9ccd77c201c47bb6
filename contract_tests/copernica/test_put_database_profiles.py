"""Copernica REST v3 ``PUT database/$id/profiles`` (seed 004, vendor-apis.md §4.7, §4.9)."""
from __future__ import annotations

import re

import pytest

TOKEN = "access_token=demo-copernica-token"
DOCUMENTED_BODY = {"fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"},
                   "interests": {"football": 1, "baseball": 0}}


def profile(api, profile_id: str) -> dict:
    reply = api.get(f"/v3/profile/{profile_id}?{TOKEN}")
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_the_documented_php_call_updates_customer_4567_in_the_background(api):
    """What the official PHP helper sends for the docs' example, byte for byte (§4.9)."""
    before = profile(api, "1")
    assert before["fields"]["lastname"] == "Smith" and before["interests"] == ["football"]
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D4567&async=1&create=0",
                    json=DOCUMENTED_BODY, headers={"Accept": "*/*"})
    assert reply.status_code == 204
    assert reply.content == b""
    assert reply.header("X-Created") is None
    api.drain()
    after = profile(api, "1")
    assert after["fields"] == {**before["fields"], "firstname": "John", "lastname": "Doe",
                               "email": "johndoe@example.com"}
    assert after["interests"] == ["football"]  # baseball: 0 on a profile without it changes nothing
    assert after["secret"] == before["secret"] and after["created"] == before["created"]


def test_a_synchronous_update_is_visible_at_once_and_answers_204(api):
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567",
                    json={"fields": {"lastname": "Doe"}, "interests": ["baseball"]})
    assert reply.status_code == 204 and reply.content == b""
    after = profile(api, "1")
    assert after["fields"]["lastname"] == "Doe"
    assert after["interests"] == ["football", "baseball"]


def test_create_1_creates_from_the_body_when_nothing_matches(api):
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==9999&create=1",
                    json={"fields": {"firstname": "New", "customerid": 9999}, "interests": ["football"]})
    assert reply.status_code == 201
    new_id = reply.header("X-Created")
    assert re.fullmatch(r"\d+", new_id)
    assert reply.content == b""
    created = profile(api, new_id)
    assert created["fields"]["firstname"] == "New"
    assert created["fields"]["customerid"] == "9999"
    assert created["interests"] == ["football"]
    assert created["database"] == "1" and created["removed"] is False
    assert re.fullmatch(r"[0-9a-f]{28}", created["secret"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", created["created"])


def test_create_is_ignored_when_the_selection_matches(api):
    total_before = api.get(f"/v3/database/1/profiles?{TOKEN}").json()["total"]
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567&create=1",
                    json={"fields": {"firstname": "Johnny"}})
    assert reply.status_code == 204 and reply.header("X-Created") is None
    assert api.get(f"/v3/database/1/profiles?{TOKEN}").json()["total"] == total_before
    assert profile(api, "1")["fields"]["firstname"] == "Johnny"


def test_no_match_without_create_changes_nothing_and_still_succeeds(api):
    state_before = api.get("/_emulator/state").json()
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==31337",
                    json={"fields": {"firstname": "Nobody"}})
    assert reply.status_code == 204
    assert api.get("/_emulator/state").json() == state_before


def test_async_create_answers_204_without_x_created_and_creates_later(api):
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==777&create=1&async=1",
                    json={"fields": {"customerid": "777"}})
    assert reply.status_code == 204 and reply.header("X-Created") is None
    api.drain()
    found = api.get(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==777").json()
    assert found["count"] == 1 and found["data"][0]["fields"]["customerid"] == "777"


def test_async_updates_apply_in_order_of_arrival(api):
    for name in ("first", "second", "third"):
        assert api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1&async=1",
                       json={"fields": {"firstname": name}}).status_code == 204
    api.drain()
    assert profile(api, "1")["fields"]["firstname"] == "third"


def test_selection_naming_only_unknown_fields_updates_every_profile(api):
    """Observed on the live API (§4.7): the filter is a no-op, so every profile is updated."""
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=nosuchfield==1",
                    json={"fields": {"score": "1"}})
    assert reply.status_code == 204
    data = api.get(f"/v3/database/1/profiles?{TOKEN}").json()["data"]
    assert data and all(p["fields"]["score"] == "1" for p in data)


def test_a_put_without_the_fields_parameter_is_refused_and_changes_nothing(api):
    state_before = api.get("/_emulator/state").json()
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&create=1", json={"fields": {"score": "1"}})
    assert reply.status_code == 400
    assert reply.json() == {"error": {"message": "URL parameter fields is required"}}
    assert reply.header("Content-Type") == "application/json"
    assert api.get("/_emulator/state").json() == state_before


def test_a_removed_profile_is_never_matched(api):
    assert api.delete(f"/v3/profile/1?{TOKEN}").status_code == 204
    removed_before = profile(api, "1")
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1", json={"fields": {"firstname": "X"}})
    assert reply.status_code == 204
    assert profile(api, "1") == removed_before


def test_modified_moves_only_when_a_value_really_changes(api):
    api.post("/_emulator/clock", json={"freeze": "2030-01-01T12:00:00+00:00"})
    try:
        same = profile(api, "1")["fields"]["firstname"]
        api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1", json={"fields": {"firstname": same}})
        assert profile(api, "1")["modified"] != "2030-01-01 13:00:00"
        api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1", json={"fields": {"firstname": "Other"}})
        assert profile(api, "1")["modified"] == "2030-01-01 13:00:00"  # Copernica local time
    finally:
        api.post("/_emulator/clock", json={"resume": True})


@pytest.mark.parametrize("body, content_type", [
    ({"fields": "not an object"}, None),
    ({"fields": ["a", "b"]}, None),
    ("just a string", None),
])
def test_non_object_fields_is_invalid_data(api, body, content_type):
    state_before = api.get("/_emulator/state").json()
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=id==1", json=body)
    assert reply.status_code == 400
    assert reply.json() == {"error": {"message": "Invalid data provided"}}
    assert api.get("/_emulator/state").json() == state_before


def test_form_encoded_body_with_php_brackets(api):
    reply = api.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567",
                    data="fields[firstname]=Jan&fields[email]=jan%40example.nl&interests[]=baseball",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status_code == 204
    after = profile(api, "1")
    assert after["fields"]["firstname"] == "Jan" and after["fields"]["email"] == "jan@example.nl"
    assert after["interests"] == ["football", "baseball"]


def test_database_may_be_named_case_insensitively(api):
    reply = api.put(f"/v3/database/newsLETTER/profiles?{TOKEN}&fields[]=id==1", json={"fields": {"firstname": "N"}})
    assert reply.status_code == 204
    assert profile(api, "1")["fields"]["firstname"] == "N"
