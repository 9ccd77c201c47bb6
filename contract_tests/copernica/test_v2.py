"""REST v2 (vendor-apis.md §4.11): the same resources and data as v3, with the success statuses
v2 answers with. The pages are word for word the v3 ones (restv2/rest-*.md), so the examples are
the v3 pages' examples; what differs is the answer: every successful PUT is 303 See Other with a
``Location`` (rmuit, live 2019-2022), DELETE is 200 with ``X-deleted``, POST is 201 + ``X-Created``,
and ``PUT collection/<id>/subprofiles`` (v3 only) is ``Invalid method``."""
from __future__ import annotations

import pytest

from .answers import TOKEN, assert_error, get



def location(reply) -> str:
    """The path of a 303's Location, as rmuit's RestClient reads it."""
    assert reply.status_code == 303 and reply.content == b"", reply.text
    value = reply.header("Location")
    assert value.startswith("http")
    return value.split("/", 3)[3]


def test_v2_reads_the_same_data_as_v3(api):
    assert get(api, "/v2/profile/1") == get(api, "/v3/profile/1")
    assert get(api, "/v2/database/1/profiles?fields[]=customerid==4567") == \
        get(api, "/v3/database/1/profiles?fields[]=customerid==4567")
    assert get(api, "/v2/identity")["name"] == "Demo Company"


def test_v2_put_answers_303_with_the_requested_location(api):
    assert location(api.put(f"/v2/profile/1?{TOKEN}", json={"fields": {"firstname": "Jon"}})) == "profile/1"
    assert location(api.put(f"/v2/profile/1/fields/?{TOKEN}", json={"lastname": "Doe"})) == "profile/1"
    assert get(api, "/v3/profile/1/fields")["firstname"] == "Jon"
    # the seed's example: an update points at the requested URL...
    reply = api.put(f"/v2/database/1/profiles?fields%5B0%5D=customerid%3D%3D4567&create=1&{TOKEN}",
                    json={"fields": {"firstname": "John"}})
    assert location(reply) == "database/1/profiles" and reply.header("X-Created") is None
    # ...a create at the new profile, with X-Created
    reply = api.put(f"/v2/database/1/profiles?fields[]=customerid==9999&create=1&{TOKEN}",
                    json={"fields": {"customerid": 9999}})
    new_id = reply.header("X-Created")
    assert location(reply) == f"profile/{new_id}"
    assert get(api, f"/v2/profile/{new_id}/fields")["customerid"] == "9999"


def test_v2_post_creates_with_201_and_x_created(api):
    reply = api.post(f"/v2/database/1/profiles?{TOKEN}", json={"fields": {"email": "rm@wyz.biz"}})
    assert reply.status_code == 201 and reply.header("X-Created").isdigit()
    reply = api.post(f"/v2/database/1/collections?{TOKEN}", json={"name": "Orders"})
    assert reply.status_code == 201
    collection = reply.header("X-Created")
    reply = api.post(f"/v2/profile/1/subprofiles/{collection}?{TOKEN}", json={})
    assert reply.status_code == 201 and reply.header("X-Created").isdigit()
    # a POST that creates nothing: 2xx without X-Created (rmuit testInconsequentialPost)
    reply = api.post(f"/v2/database/1?{TOKEN}")
    assert reply.status_code == 200 and reply.header("X-Created") is None


def test_v2_subprofile_put_and_delete(api):
    collection = api.post(f"/v2/database/1/collections?{TOKEN}", json={"name": "Orders"}).header("X-Created")
    api.post(f"/v2/collection/{collection}/fields?{TOKEN}", json={"name": "status"})
    sub = api.post(f"/v2/profile/1/subprofiles/{collection}?{TOKEN}", json={"status": "open"}).header("X-Created")
    assert location(api.put(f"/v2/subprofile/{sub}/?{TOKEN}", json={"fields": {"status": "paid"}})) == f"subprofile/{sub}"
    assert location(api.put(f"/v2/subprofile/{sub}/fields?{TOKEN}", json={"status": "sent"})) == f"subprofile/{sub}"
    assert get(api, f"/v2/subprofile/{sub}/fields") == {"status": "sent"}
    # PUT profile/<id>/subprofiles/<cid> that creates: the live v2 gave no X-Created (§4.10)
    reply = api.put(f"/v2/profile/1/subprofiles/{collection}?fields[]=status==none&create=1&{TOKEN}",
                    json={"status": "new"})
    assert location(reply) == f"profile/1/subprofiles/{collection}" and reply.header("X-Created") is None
    assert get(api, f"/v2/profile/1/subprofiles/{collection}")["count"] == 2
    # PUT collection/<id>/subprofiles is v3 only
    assert_error(api.put(f"/v2/collection/{collection}/subprofiles?fields[]=status==sent&{TOKEN}",
                         json={"status": "x"}), "Invalid method")
    reply = api.delete(f"/v2/subprofile/{sub}?{TOKEN}")
    assert reply.status_code == 200 and reply.header("X-deleted") == f"subprofile {sub}" and reply.content == b""
    assert_error(api.delete(f"/v2/subprofile/{sub}?{TOKEN}"), "This subprofile has already been removed")


def test_v2_delete_profile_answers_200(api):
    reply = api.delete(f"/v2/profile/2?{TOKEN}")
    assert reply.status_code == 200 and reply.header("X-deleted") == "profile 2"
    assert_error(api.delete(f"/v2/profile/2?{TOKEN}"), "This profile has already been removed")


@pytest.mark.parametrize("method, path, message", [
    ("GET", "/v2/profile/1?access_token=wrong", "Invalid access token"),
    ("GET", f"/v2/PROFILE/1?{TOKEN}", "Invalid method"),
    ("GET", f"/v2/database/?{TOKEN}", "Invalid request, element 1 is missing in 'directory' path"),
    ("GET", f"/v2/database/999/profiles?{TOKEN}", "No database with supplied ID"),
    ("PUT", f"/v2/database/1/profiles?{TOKEN}", "URL parameter fields is required"),
    ("GET", f"/v2/collection/99984?{TOKEN}", "No collection with given ID"),
])
def test_v2_errors_are_v3_errors(api, method, path, message):
    assert_error(api.request(method, path), message)
    assert_error(api.request(method, path.replace("/v2/", "/v3/", 1)), message)
