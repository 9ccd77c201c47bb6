"""The Copernica v3 resources a client needs around the PUT (vendor-apis.md §4.1–§4.6)."""
from __future__ import annotations

import re

import pytest

TOKEN = "access_token=demo-copernica-token"


def get(api, path: str):
    sep = "&" if "?" in path else "?"
    reply = api.get(f"{path}{sep}{TOKEN}")
    assert reply.status_code == 200, reply.text
    assert reply.header("Content-Type") == "application/json"
    return reply.json()


def test_identity(api):
    body = get(api, "/v3/identity")
    assert body["name"] == "Demo Company"
    assert set(body) == {"id", "name", "description", "company", "customer", "usedBy", "license"}


def test_databases_and_one_database_by_id_or_name(api):
    listing = get(api, "/v3/databases")
    assert listing["start"] == 0 and listing["limit"] == 100 and listing["count"] == 1 and listing["total"] == 1
    database = listing["data"][0]
    assert database["ID"] == "1" and database["name"] == "Newsletter" and database["archived"] is False
    assert get(api, "/v3/database/1") == database == get(api, "/v3/database/NEWSLETTER")
    assert [f["name"] for f in database["fields"]["data"]][:4] == ["firstname", "lastname", "email", "customerid"]


def test_create_a_database_then_a_field_then_an_interest(api):
    reply = api.post(f"/v3/databases?{TOKEN}", json={"name": "Leads", "description": "from the web"})
    assert reply.status_code == 201 and reply.content == b""
    database_id = reply.header("X-Created")
    reply = api.post(f"/v3/database/{database_id}/fields?{TOKEN}",
                     json={"name": "age", "type": "integer", "value": "18"})
    assert reply.status_code == 201
    field_id = reply.header("X-Created")
    fields = get(api, f"/v3/database/{database_id}/fields")
    assert fields["data"] == [{"ID": field_id, "name": "age", "type": "integer", "value": "18",
                               "displayed": False, "ordered": False, "length": 255, "textlines": 1,
                               "hidden": False, "index": False}]
    reply = api.post(f"/v3/database/Leads/interests?{TOKEN}", json={"name": "tennis", "group": "sports"})
    assert reply.status_code == 201
    interests = get(api, "/v3/database/Leads/interests")["data"]
    assert interests == [{"ID": reply.header("X-Created"), "name": "tennis", "group": "sports"}]
    # a profile created now gets the field's default
    new = api.post(f"/v3/database/{database_id}/profiles?{TOKEN}", json={})
    assert get(api, f"/v3/profile/{new.header('X-Created')}")["fields"] == {"age": "18"}


@pytest.mark.parametrize("path, body, message", [
    ("/v3/databases", {"name": "Newsletter"}, "A database with this name already exists"),
    ("/v3/databases", {"name": "123"}, "Invalid database name"),
    ("/v3/database/1/fields", {"name": "EMAIL"}, "A field with this name already exists"),
    ("/v3/database/1/fields", {"name": "bad name"}, "Invalid field name"),
    ("/v3/database/1/fields", {"name": "x", "type": "blob"}, "Invalid field type"),
    ("/v3/database/1/interests", {"name": "Football"}, "An interest with this name already exists"),
])
def test_definitions_that_cannot_be_made(api, path, body, message):
    reply = api.post(f"{path}?{TOKEN}", json=body)
    assert reply.status_code == 400 and reply.json() == {"error": {"message": message}}


def test_a_field_added_later_reads_with_its_default_on_existing_profiles(api):
    api.post(f"/v3/database/1/fields?{TOKEN}", json={"name": "points", "type": "float", "value": "2.50"})
    assert get(api, "/v3/profile/1")["fields"]["points"] == "2.5"
    assert [p["ID"] for p in get(api, "/v3/database/1/profiles?fields[]=points==2.5")["data"]] == ["1", "2", "3", "4"]


def test_list_paging_wrapper(api):
    page = get(api, "/v3/database/1/profiles?start=1&limit=2")
    assert (page["start"], page["limit"], page["count"], page["total"]) == (1, 2, 2, 4)
    assert [p["ID"] for p in page["data"]] == ["2", "3"]
    assert all(p["removed"] is False for p in page["data"])
    # data before total, as in the docs' real JSON examples and rmuit's ApiBehaviorTest (model.list_wrapper)
    assert list(page) == ["start", "limit", "count", "data", "total"]


@pytest.mark.parametrize("query, expected_limit", [("limit=5000", 1000), ("limit=abc", 0), ("", 100)])
def test_limit_is_capped_at_1000_and_cast_like_php(api, query, expected_limit):
    page = get(api, f"/v3/database/1/profiles?{query}")
    assert page["limit"] == expected_limit
    assert page["count"] == min(4, expected_limit)


@pytest.mark.parametrize("value, present", [("false", False), ("no", False), ("0", False),
                                            ("true", True), ("YES", True), ("1", True)])
def test_total_can_be_switched_off(api, value, present):
    assert ("total" in get(api, f"/v3/database/1/profiles?total={value}")) is present


def test_negative_start_or_limit_gives_no_data(api):
    page = get(api, "/v3/database/1/profiles?start=-1&limit=-5")
    assert (page["start"], page["limit"], page["count"], page["data"]) == (-1, -5, 0, [])


@pytest.mark.parametrize("query, expected", [
    ("orderby=customerid", ["2", "3", "4", "1"]),
    ("orderby=customerid&order=desc", ["1", "4", "3", "2"]),
    ("orderby=4&order=descending", ["1", "4", "3", "2"]),  # a field's ID orders too
    ("orderby=score", ["3", "4", "1", "2"]),                # numbers order as numbers
    ("orderby=firstname", ["1", "4", "2", "3"]),
    ("orderby=id&order=DESC", ["4", "3", "2", "1"]),
    ("ORDERBY=customerid", ["1", "2", "3", "4"]),           # parameter names are case-sensitive
])
def test_orderby_and_order(api, query, expected):
    assert [p["ID"] for p in get(api, f"/v3/database/1/profiles?{query}")["data"]] == expected


def test_orderby_random_returns_every_profile_once(api):
    assert sorted(p["ID"] for p in get(api, "/v3/database/1/profiles?orderby=random")["data"]) == ["1", "2", "3", "4"]


def test_dataonly(api):
    item = get(api, "/v3/database/1/profiles?dataonly=true&limit=1")["data"][0]
    assert list(item) == ["ID", "fields", "interests", "modified"]


def test_profileids(api):
    assert get(api, "/v3/database/1/profileids") == [1, 2, 3, 4]
    api.delete(f"/v3/profile/3?{TOKEN}")
    assert get(api, "/v3/database/Newsletter/profileids") == [1, 2, 4]


def test_post_database_profiles_always_creates(api):
    body = {"fields": {"firstname": "Twin", "customerid": 4567}}
    first = api.post(f"/v3/database/1/profiles?{TOKEN}", json=body)
    second = api.post(f"/v3/database/1/profiles?{TOKEN}", json=body)
    assert first.status_code == second.status_code == 201
    assert first.header("X-Created") != second.header("X-Created")
    assert first.header("X-location").endswith(f"/v3/profile/{first.header('X-Created')}")
    assert len(get(api, "/v3/database/1/profiles?fields[]=customerid==4567")["data"]) == 3


def test_post_without_body_creates_an_empty_profile_with_defaults(api):
    reply = api.post(f"/v3/database/1/profiles?{TOKEN}")
    assert reply.status_code == 201
    created = get(api, f"/v3/profile/{reply.header('X-Created')}")
    assert created["fields"] == {"firstname": "", "lastname": "", "email": "", "customerid": "0", "score": "0",
                                 "country": "", "birthdate": "0000-00-00", "lastvisit": "0000-00-00 00:00:00",
                                 "optin_date": "", "lastorder": ""}
    assert created["interests"] == [] and created["created"] == created["modified"]


@pytest.mark.parametrize("field, sent, stored", [
    ("customerid", "12abc", "12"),
    ("customerid", -1, "-1"),
    ("customerid", 3.9, "3"),
    ("customerid", "", "0"),
    ("customerid", None, "0"),
    ("score", "2.50", "2.5"),
    ("score", 3, "3"),
    ("score", "x", "0"),
    ("country", "germany", "germany"),
    ("country", "france", ""),
    ("birthdate", "2001-02-03", "2001-02-03"),
    ("birthdate", "2001-02-03 10:11:12", "2001-02-03"),
    ("birthdate", "not a date", "0000-00-00"),
    ("lastvisit", "2001-02-03T10:11:12", "2001-02-03 10:11:12"),
    ("lastvisit", "", "0000-00-00 00:00:00"),
    ("optin_date", "", ""),
    ("firstname", 42, "42"),
    ("firstname", ["a"], ""),
    ("firstname", "  spaced  ", "  spaced  "),
    ("email", "not-an-email", "not-an-email"),
])
def test_values_are_normalised_by_field_type_and_returned_as_strings(api, field, sent, stored):
    reply = api.put(f"/v3/profile/1?{TOKEN}", json={"fields": {field: sent}})
    assert reply.status_code == 204
    assert get(api, "/v3/profile/1")["fields"][field] == stored


def test_field_names_in_a_body_are_case_insensitive_and_the_later_wins(api):
    api.put(f"/v3/profile/1/fields?{TOKEN}", json={"FirstName": "A", "firstname": "B", "nosuch": "x"})
    assert get(api, "/v3/profile/1/fields")["firstname"] == "B"


def test_put_profile_with_secret_and_ignored_non_object_fields(api):
    before = get(api, "/v3/profile/1")
    reply = api.put(f"/v3/profile/1?{TOKEN}", json={"fields": "nonsense", "secret": "a" * 28})
    assert reply.status_code == 204
    after = get(api, "/v3/profile/1")
    assert after["secret"] == "a" * 28
    assert after["fields"] == before["fields"] and after["modified"] == before["modified"]


def test_profile_fields_get_and_put(api):
    assert get(api, "/v3/profile/2/fields")["firstname"] == "Maria"
    assert api.put(f"/v3/profile/2/fields?{TOKEN}", data="lastname=Vries&score=8",
                   headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 204
    fields = get(api, "/v3/profile/2/fields")
    assert fields["lastname"] == "Vries" and fields["score"] == "8"


def test_profile_interests_get_post_put(api):
    assert [i["name"] for i in get(api, "/v3/profile/3/interests")] == []
    assert api.post(f"/v3/profile/3/interests?{TOKEN}", json=["baseball"]).status_code == 204
    assert get(api, "/v3/profile/3/interests") == [{"ID": "2", "name": "baseball", "group": "sports"}]
    assert api.post(f"/v3/profile/3/interests?{TOKEN}", json={"football": 1}).status_code == 204
    assert [i["name"] for i in get(api, "/v3/profile/3/interests")] == ["football", "baseball"]
    assert api.put(f"/v3/profile/3/interests?{TOKEN}", json=["football"]).status_code == 204
    assert [i["name"] for i in get(api, "/v3/profile/3/interests")] == ["football"]
    assert get(api, "/v3/profile/3")["interests"] == ["football"]


def test_a_removed_profile_reads_back_empty_with_its_removal_time(api):
    before = get(api, "/v3/profile/4")
    assert api.delete(f"/v3/profile/4?{TOKEN}", json=[]).status_code == 204  # the latest helper sends []
    removed = get(api, "/v3/profile/4")
    assert set(removed["fields"].values()) == {""} and set(removed["fields"]) == set(before["fields"])
    assert removed["interests"] == []
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", removed["removed"])
    assert removed["modified"] == before["modified"] and removed["secret"] == before["secret"]
    assert "4" not in [p["ID"] for p in get(api, "/v3/database/1/profiles")["data"]]
    # a PUT to a removed profile "succeeds": its fields stay empty, a new secret sticks, and
    # naming a field moves modified (rmuit's ApiBehaviorTest, reported to Copernica as a bug)
    assert api.put(f"/v3/profile/4?{TOKEN}", json={"fields": {}, "secret": "deletedd"}).status_code == 204
    assert get(api, "/v3/profile/4") == {**removed, "secret": "deletedd"}
    assert api.post("/_emulator/clock", json={"advance": 5}).status_code == 200
    assert api.put(f"/v3/profile/4?{TOKEN}", json={"fields": {"firstname": "Back"}}).status_code == 204
    after = get(api, "/v3/profile/4")
    assert after["modified"] > removed["modified"]
    assert after == {**removed, "secret": "deletedd", "modified": after["modified"]}


def test_delete_completely(api):
    assert api.delete(f"/v3/profile/4?{TOKEN}&completely=yes").status_code == 204
    reply = api.get(f"/v3/profile/4?{TOKEN}")
    assert reply.status_code == 400 and reply.json() == {"error": {"message": "No entity with supplied ID"}}
