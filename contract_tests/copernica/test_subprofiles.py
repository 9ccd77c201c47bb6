"""Subprofiles: every example of the Publisher/en/restv3 pages rest-post-profile-subprofiles,
rest-get-profile-subprofiles, rest-put-profile-subprofiles, rest-get-collection-subprofiles,
rest-get-collection-subprofileids, rest-put-collection-subprofiles, rest-get-subprofile,
rest-get-subprofile-fields, rest-put-subprofile, rest-put-subprofile-fields and
rest-delete-subprofile, with the live behaviour rmuit recorded (vendor-apis.md §4.10)."""
from __future__ import annotations

import re

import pytest

from .answers import TOKEN, assert_error, get

KEYS = ["ID", "secret", "fields", "profile", "collection", "created", "modified", "removed"]
TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@pytest.fixture
def orders(api) -> str:
    """A collection "Orders" in database 1, with the fields the pages' examples use."""
    reply = api.post(f"/v3/database/1/collections?{TOKEN}", json={"name": "Orders"})
    collection_id = reply.header("X-Created")
    for name, kind, value in [("firstname", "text", ""), ("lastname", "text", ""), ("email", "email", ""),
                              ("customerid", "integer", "0"), ("age", "integer", "-1"),
                              ("country", "text", ""), ("order_id", "text", ""),
                              ("order_date", "date", ""), ("order_status", "text", "")]:
        reply = api.post(f"/v3/collection/{collection_id}/fields?{TOKEN}",
                         json={"name": name, "type": kind, "value": value})
        assert reply.status_code == 201
    return collection_id


def post_subprofile(api, collection: str, body, profile: str = "1") -> str:
    reply = api.post(f"/v3/profile/{profile}/subprofiles/{collection}?{TOKEN}", json=body)
    assert reply.status_code == 201 and reply.content == b"", reply.text
    assert reply.header("X-Created").isdigit()
    return reply.header("X-Created")


def test_post_profile_subprofiles_example_then_read_it_back(api, orders):
    # rest-post-profile-subprofiles: the JSON example (note "Lastname": names match in any case)
    sub_id = post_subprofile(api, orders, {"firstname": "John", "Lastname": "Doe", "email": "johndoe@example.com"})
    # rest-get-subprofile: exactly the eight keys of the example, every collection field a string
    sub = get(api, f"/v3/subprofile/{sub_id}")
    assert list(sub) == KEYS
    assert re.match(r"^[0-9a-f]{28}$", sub["secret"])
    assert TIME.match(sub["created"]) and sub["modified"] == sub["created"]
    assert (sub["ID"], sub["profile"], sub["collection"], sub["removed"]) == (sub_id, "1", orders, False)
    assert sub["fields"] == {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com",
                             "customerid": "0", "age": "-1", "country": "", "order_id": "",
                             "order_date": "0000-00-00", "order_status": ""}
    # rest-get-subprofile-fields: the bare fields object
    assert get(api, f"/v3/subprofile/{sub_id}/fields") == sub["fields"]
    # rest-get-profile-subprofiles: "a JSON object with the subprofiles under the data property"
    listing = get(api, f"/v3/profile/1/subprofiles/{orders}")
    assert listing == {"start": 0, "limit": 100, "count": 1, "data": [sub], "total": 1}
    # the collection may be named instead (any case), and components after it are ignored
    assert get(api, "/v3/profile/1/subprofiles/ORDERS") == listing
    post_subprofile(api, "orders/bogus/path", {"firstname": "Jane"})
    assert get(api, f"/v3/profile/2/subprofiles/{orders}")["data"] == []


def test_the_later_of_two_spellings_wins_and_values_are_cast(api, orders):
    sub_id = post_subprofile(api, orders, {"Age": 3, "age": "6.9", "order_date": "01/31/2024",
                                           "customerid": ["x"], "wonky": "ignored"})
    fields = get(api, f"/v3/subprofile/{sub_id}/fields")
    assert (fields["age"], fields["order_date"], fields["customerid"]) == ("6", "2024-01-31", "1")


def test_get_collection_subprofiles_php_example(api, orders):
    ids = [post_subprofile(api, orders, {"firstname": name, "age": age, "country": country})
           for name, age, country in [("Old", 70, "nl"), ("Kid", 12, "be"), ("Ann", 30, "de"), ("Bob", 40, "at")]]
    # rest-get-collection-subprofiles, the PHP example's parameters
    page = get(api, f"/v3/collection/{orders}/subprofiles?limit=100&orderby=country"
                    "&fields%5B0%5D=age%3E16&fields%5B1%5D=age%3C%3D65")
    assert (page["start"], page["limit"], page["count"], page["total"]) == (0, 100, 2, 2)
    assert [s["ID"] for s in page["data"]] == [ids[3], ids[2]]  # ordered by country: at, de
    assert all(list(s) == KEYS for s in page["data"])
    # dataonly: "the ID, fields, collection ID, profile ID and modified date"
    page = get(api, f"/v3/collection/{orders}/subprofiles?dataonly=true&order=desc&limit=1&total=false")
    assert page == {"start": 0, "limit": 1, "count": 1, "data": [{
        "ID": ids[3], "fields": page["data"][0]["fields"], "profile": "1", "collection": orders,
        "modified": page["data"][0]["modified"]}]}
    # rest-get-collection-subprofileids: every ID, "doesn't support any parameters"
    assert get(api, f"/v3/collection/{orders}/subprofileids?limit=1") == [int(i) for i in ids]


def test_list_parameters_follow_the_profile_rules(api, orders):
    """rmuit's ApiBehaviorTest, phase 2: names case-sensitive, unknown ones and extra path
    components ignored, number values trimmed, a space before the operator ignored."""
    one = post_subprofile(api, orders, {"age": 6})
    post_subprofile(api, orders, {"age": 7})
    everything = get(api, f"/v3/collection/{orders}/subprofiles")
    assert everything["total"] == 2
    assert get(api, f"/v3/collection/{orders}/subprofiles/{one}?fields=false&2=4&bogus=345&total=TRue") == everything
    assert get(api, f"/v3/collection/{orders}/subprofiles/?FIELds[]=age==6&LIMIT=1&starT=2&TOTAL=false") == everything
    assert get(api, f"/v3/collection/{orders}/subprofiles?fields[]=age%20==6&order[]=desc") == everything
    page = get(api, f"/v3/collection/{orders}/subprofiles?fields[]=age==%206&limit=1&total=thisisfalse")
    assert page == {"start": 0, "limit": 1, "count": 1, "data": [everything["data"][0]]}
    page = get(api, f"/v3/collection/{orders}/subprofiles?limit[]=evaluate-to-one&order=descendING")
    assert [s["ID"] for s in page["data"]] == [everything["data"][1]["ID"]] and page["limit"] == 1


def test_put_profile_subprofiles_url_example_creates_then_updates(api, orders):
    # rest-put-profile-subprofiles: the URL example (an integer field reads "4567@example.com" as 4567)
    path = f"/v3/profile/1/subprofiles/{orders}?fields[]=customerid==4567@example.com&create=1&{TOKEN}"
    reply = api.put(path, json={"firstname": "John", "lastname": "Doe"})
    assert reply.status_code == 201 and reply.header("X-Created").isdigit()
    new_id = reply.header("X-Created")
    assert get(api, f"/v3/subprofile/{new_id}/fields")["firstname"] == "John"
    # the PHP example: create=0, a match is updated (the body is the fields themselves)
    reply = api.put(f"/v3/profile/1/subprofiles/{orders}?fields%5B0%5D=customerid%3D%3D0&create=0&{TOKEN}",
                    json={"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"})
    assert reply.status_code == 204 and reply.content == b""
    assert get(api, f"/v3/subprofile/{new_id}/fields")["email"] == "johndoe@example.com"
    # no match and create=0: nothing changes
    reply = api.put(f"/v3/profile/1/subprofiles/{orders}?fields[]=customerid==9&create=0&{TOKEN}", json={"age": 1})
    assert reply.status_code == 204
    assert get(api, f"/v3/collection/{orders}/subprofiles")["total"] == 1
    # the selection is required here, an array; only this profile's subprofiles are matched
    assert_error(api.put(f"/v3/profile/1/subprofiles/{orders}?{TOKEN}", json={"age": 1}),
                 "URL parameter fields is required")
    assert_error(api.put(f"/v3/profile/1/subprofiles/{orders}?fields=x&{TOKEN}", json={"age": 1}),
                 "URL parameter fields is required")
    reply = api.put(f"/v3/profile/2/subprofiles/{orders}?fields[]=customerid==0&{TOKEN}", json={"age": 99})
    assert reply.status_code == 204
    assert get(api, f"/v3/subprofile/{new_id}/fields")["age"] == "-1"


@pytest.mark.parametrize("body", [
    {"order_id": "12345", "order_date": "2023-01-01", "order_status": "completed"},  # the JSON example
    {"fields": {"order_id": "12345", "order_date": "2023-01-01", "order_status": "completed"}},  # the PHP example's shape
])
def test_put_collection_subprofiles_examples(api, orders, body):
    match = post_subprofile(api, orders, {"customerid": 4567})
    other = post_subprofile(api, orders, {"customerid": 1}, profile="2")
    reply = api.put(f"/v3/collection/{orders}/subprofiles?fields[]=customerid==4567&{TOKEN}", json=body)
    assert reply.status_code == 204 and reply.content == b""
    fields = get(api, f"/v3/subprofile/{match}/fields")
    assert (fields["order_id"], fields["order_date"], fields["order_status"]) == ("12345", "2023-01-01", "completed")
    assert get(api, f"/v3/subprofile/{other}/fields")["order_id"] == ""
    # never creates, and the selection is required
    reply = api.put(f"/v3/collection/{orders}/subprofiles?fields[]=customerid==1234&create=1&{TOKEN}", json=body)
    assert reply.status_code == 204
    assert get(api, f"/v3/collection/{orders}/subprofiles")["total"] == 2
    assert_error(api.put(f"/v3/collection/{orders}/subprofiles?{TOKEN}", json=body), "URL parameter fields is required")


def test_put_subprofile_examples_and_the_modified_rules(api, orders):
    sub_id = post_subprofile(api, orders, {"age": -1})
    before = get(api, f"/v3/subprofile/{sub_id}")
    # rest-put-subprofile: the PHP example (fields and a secret)
    reply = api.put(f"/v3/subprofile/{sub_id}?{TOKEN}", json={
        "fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"}, "secret": "geheimecode"})
    assert reply.status_code == 204 and reply.content == b""
    after = get(api, f"/v3/subprofile/{sub_id}")
    assert after["secret"] == "geheimecode" and after["fields"]["firstname"] == "John"
    # a secret alone, or -1 -> -1.9 on an integer (still -1), does not move modified
    assert api.post("/_emulator/clock", json={"advance": 5}).status_code == 200
    api.put(f"/v3/subprofile/{sub_id}?{TOKEN}", json={"fields": {"age": -1.9, "notafield": 1}, "secret": "s`~ü"})
    again = get(api, f"/v3/subprofile/{sub_id}")
    assert again["modified"] == after["modified"] and again["secret"] == "s`~?"
    # a non-object fields is ignored, and the PUT still succeeds
    assert api.put(f"/v3/subprofile/{sub_id}/?{TOKEN}", json={"fields": "bogus"}).status_code == 204
    # rest-put-subprofile-fields: the JSON example, then form-encoded
    reply = api.put(f"/v3/subprofile/{sub_id}/fields?{TOKEN}", json={"firstname": "Johnny", "lastname": "Doe"})
    assert reply.status_code == 204
    reply = api.put(f"/v3/subprofile/{sub_id}/fields?{TOKEN}", data="firstname=Jo&lastname=D%C3%B6e",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status_code == 204
    final = get(api, f"/v3/subprofile/{sub_id}")
    assert (final["fields"]["firstname"], final["fields"]["lastname"]) == ("Jo", "Döe")
    assert final["modified"] != before["modified"]


def test_delete_subprofile_and_what_a_removed_one_looks_like(api, orders):
    sub_id = post_subprofile(api, orders, {"firstname": "John"})
    before = get(api, f"/v3/subprofile/{sub_id}")
    reply = api.delete(f"/v3/subprofile/{sub_id}?{TOKEN}")
    assert reply.status_code == 204 and reply.content == b""
    assert reply.header("X-deleted") == f"subprofile {sub_id}"
    removed = get(api, f"/v3/subprofile/{sub_id}")
    assert TIME.match(removed["removed"])
    assert removed == {**before, "fields": {k: "" for k in before["fields"]}, "removed": removed["removed"]}
    assert get(api, f"/v3/collection/{orders}/subprofiles")["total"] == 0
    assert get(api, f"/v3/profile/1/subprofiles/{orders}")["data"] == []
    # a second DELETE, also with a bogus path after it (the removed check comes first)
    assert_error(api.delete(f"/v3/subprofile/{sub_id}?{TOKEN}"), "This subprofile has already been removed")
    assert_error(api.delete(f"/v3/subprofile/{sub_id}/bogus?{TOKEN}"), "This subprofile has already been removed")
    # a PUT on it succeeds: the secret sticks, fields stay empty
    assert api.put(f"/v3/subprofile/{sub_id}?{TOKEN}", json={"secret": "deletedd"}).status_code == 204
    assert get(api, f"/v3/subprofile/{sub_id}") == {**removed, "secret": "deletedd"}


def test_deleting_a_profile_removes_its_subprofiles(api, orders):
    mine = post_subprofile(api, orders, {"firstname": "a"})
    theirs = post_subprofile(api, orders, {"firstname": "b"}, profile="2")
    assert api.delete(f"/v3/profile/1?{TOKEN}").status_code == 204
    assert TIME.match(get(api, f"/v3/subprofile/{mine}")["removed"])
    assert get(api, f"/v3/subprofile/{theirs}")["removed"] is False
    assert [s["ID"] for s in get(api, f"/v3/collection/{orders}/subprofiles")["data"]] == [theirs]


@pytest.mark.parametrize("method, path, message", [
    ("GET", "/v3/subprofile/99984", "No subprofile with supplied ID"),
    ("GET", "/v3/subprofile/-1/fields", "No subprofile with supplied ID"),
    ("PUT", "/v3/subprofile/0", "No subprofile with supplied ID"),
    ("DELETE", "/v3/subprofile/bogus", "No subprofile with supplied ID"),
    ("GET", "/v3/subprofile", "Invalid request, element 1 is missing in 'directory' path"),
    ("GET", "/v3/collection/", "Invalid request, element 1 is missing in 'directory' path"),
    ("GET", "/v3/profile/1/subprofiles", "Invalid request, element 3 is missing in 'directory' path"),
    ("POST", "/v3/profile/1/subprofiles", "Invalid request, element 3 is missing in 'directory' path"),
    ("DELETE", "/v3/profile/1/subprofiles", "Invalid method"),
    ("POST", "/v3/profile/1/subprofiles/99984", "Subprofile could not be created"),
    ("POST", "/v3/profile/1/subprofiles/bogus/path", "Subprofile could not be created"),
    ("POST", "/v3/profile/99984/subprofiles/Orders", "No entity with supplied ID"),
    ("GET", "/v3/collection/{orders}/field", "Invalid method"),
    ("GET", "/v3/collection/{orders}/0", "Invalid method"),
    ("POST", "/v3/collection/{orders}/subprofiles", "Invalid method"),
    ("PUT", "/v3/collection/{orders}/subprofileids", "Invalid method"),
    ("DELETE", "/v3/collection/{orders}/subprofiles", "Invalid method"),
    ("GET", "/v3/subprofile/{sub}/datarequest", "Invalid method"),
    ("DELETE", "/v3/subprofile/{sub}/fields", "Invalid method"),
])
def test_errors(api, orders, method, path, message):
    sub = post_subprofile(api, orders, {})
    assert_error(api.request(method, f"{path.format(orders=orders, sub=sub)}?{TOKEN}"), message)


def test_a_post_to_a_collection_is_inconsequential(api, orders):
    reply = api.post(f"/v3/collection/{orders}?{TOKEN}")
    assert reply.status_code == 204 and reply.header("X-Created") is None


def test_another_accounts_token_never_sees_subprofiles(api, orders):
    sub_id = post_subprofile(api, orders, {"firstname": "John"})
    other = "access_token=other-copernica-token"
    assert_error(api.get(f"/v3/subprofile/{sub_id}?{other}"), "No subprofile with supplied ID")
    assert_error(api.delete(f"/v3/subprofile/{sub_id}?{other}"), "No subprofile with supplied ID")
    assert_error(api.get(f"/v3/collection/{orders}/subprofiles?{other}"), "No collection with given ID")
    assert get(api, f"/v3/subprofile/{sub_id}")["removed"] is False
