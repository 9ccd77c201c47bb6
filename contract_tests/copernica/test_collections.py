"""Collections of a database and their fields: every example of the Publisher/en/restv3 pages
rest-get-database-collections, rest-post-database-collections, rest-get-collection,
rest-put-collection, rest-get-collection-fields, rest-post-collection-fields,
rest-put-collection-field and rest-delete-collection-field (vendor-apis.md §4.10)."""
from __future__ import annotations

import pytest

from .answers import TOKEN, assert_error, get



def create_collection(api, body=None) -> str:
    # rest-post-database-collections, JSON example
    reply = api.post(f"/v3/database/1/collections?{TOKEN}",
                     json=body or {"name": "my_collection", "description": "example collection"})
    assert reply.status_code == 201 and reply.content == b"", reply.text
    assert reply.header("X-Created").isdigit()
    return reply.header("X-Created")


def test_post_then_get_database_collections(api):
    collection_id = create_collection(api)
    # PHP example of rest-post-database-collections, by database name this time
    reply = api.post(f"/v3/database/newsletter/collections?{TOKEN}",
                     json={"name": "some_collection", "description": "This is a new collection"})
    assert reply.status_code == 201
    # rest-get-database-collections: PHP example's parameters
    listing = get(api, "/v3/database/1/collections?limit=100")
    assert list(listing) == ["start", "limit", "count", "data", "total"]
    assert (listing["start"], listing["limit"], listing["count"], listing["total"]) == (0, 100, 2, 2)
    assert listing["data"][0] == {"ID": collection_id, "name": "my_collection", "database": "1",
                                  "fields": {"start": 0, "limit": 0, "count": 0, "data": [], "total": 0}}
    assert [c["name"] for c in get(api, "/v3/database/1")["collections"]["data"]] == ["my_collection", "some_collection"]


def test_get_collection_shape_of_the_example(api):
    collection_id = create_collection(api, {"name": "Orders"})
    for body in ({"name": "email", "type": "email", "value": "test@copernica.nl", "displayed": True},
                 {"name": "order_number", "type": "integer", "value": "0", "displayed": True}):
        assert api.post(f"/v3/collection/{collection_id}/fields?{TOKEN}", json=body).status_code == 201
    collection = get(api, f"/v3/collection/{collection_id}")
    assert list(collection) == ["ID", "name", "database", "fields"]
    assert (collection["ID"], collection["name"], collection["database"]) == (collection_id, "Orders", "1")
    fields = collection["fields"]
    assert (fields["start"], fields["count"], fields["total"]) == (0, 2, 2)
    assert [(f["name"], f["type"], f["value"], f["displayed"]) for f in fields["data"]] == [
        ("email", "email", "test@copernica.nl", True), ("order_number", "integer", "0", True)]
    assert get(api, "/v3/collection/orders") == collection  # an ID or a name (any case)


def test_put_collection_renames_it(api):
    collection_id = create_collection(api)
    reply = api.put(f"/v3/collection/{collection_id}?{TOKEN}", json={"name": "my_collection2"})
    assert reply.status_code == 204 and reply.content == b""
    assert get(api, f"/v3/collection/{collection_id}")["name"] == "my_collection2"
    # the page's JSON example has a trailing comma: not JSON, refused before anything changes
    reply = api.put(f"/v3/collection/{collection_id}?{TOKEN}", data=b'{\n  "name": "my_collection",\n}',
                    headers={"Content-Type": "application/json"})
    assert_error(reply, "Invalid JSON in request body")
    # the PHP example's 'new-collection-name': names are letters and underscores (rest-post-database-collections)
    assert_error(api.put(f"/v3/collection/{collection_id}?{TOKEN}", json={"name": "new-collection-name"}),
                 "Invalid collection name")
    assert get(api, f"/v3/collection/{collection_id}")["name"] == "my_collection2"


def test_collection_fields_post_get_put_delete(api):
    collection_id = create_collection(api)
    # rest-post-collection-fields: JSON example, then the PHP example
    example = {"name": "text_field", "type": "text", "value": "this is a text field", "displayed": True,
               "ordered": False, "length": 50, "textlines": 1, "hidden": False, "index": False}
    reply = api.post(f"/v3/collection/{collection_id}/fields?{TOKEN}", json=example)
    assert reply.status_code == 201
    field_id = reply.header("X-Created")
    reply = api.post(f"/v3/collection/{collection_id}/fields?{TOKEN}", json={"name": "extra_field", "type": "text"})
    assert reply.status_code == 201
    # rest-get-collection-fields, PHP example's parameters
    fields = get(api, f"/v3/collection/{collection_id}/fields?limit=100")
    assert (fields["count"], fields["total"]) == (2, 2)
    assert fields["data"][0] == {**example, "ID": field_id}
    assert set(fields["data"][0]) >= {"ID", "name", "type"}
    # rest-put-collection-field: the PHP example renames
    reply = api.put(f"/v3/collection/{collection_id}/field/{field_id}?{TOKEN}", json={"name": "new_name"})
    assert reply.status_code == 204
    assert get(api, f"/v3/collection/{collection_id}/fields")["data"][0]["name"] == "new_name"
    # ... and the JSON example sets every property
    reply = api.put(f"/v3/collection/{collection_id}/field/{field_id}?{TOKEN}", json=example)
    assert reply.status_code == 204
    assert get(api, f"/v3/collection/{collection_id}/fields")["data"][0] == {**example, "ID": field_id}
    # rest-delete-collection-field: by ID (or name)
    reply = api.delete(f"/v3/collection/{collection_id}/field/{field_id}?{TOKEN}")
    assert reply.status_code == 204 and reply.content == b""
    reply = api.delete(f"/v3/collection/{collection_id}/field/EXTRA_FIELD?{TOKEN}")
    assert reply.status_code == 204
    assert get(api, f"/v3/collection/{collection_id}/fields")["data"] == []


@pytest.mark.parametrize("body, message", [
    ({"description": "no name"}, "Invalid collection name"),
    ({"name": "my collection"}, "Invalid collection name"),
    ({"name": "MY_COLLECTION"}, "A collection with this name already exists"),
])
def test_collections_that_cannot_be_made(api, body, message):
    create_collection(api)
    assert_error(api.post(f"/v3/database/1/collections?{TOKEN}", json=body), message)
    assert get(api, "/v3/database/1/collections")["total"] == 1


@pytest.mark.parametrize("path", ["/v3/collection/99984", "/v3/collection/-1", "/v3/collection/bogus",
                                  "/v3/collection/99984/fields", "/v3/collection/0/subprofiles",
                                  "/v3/collection/99984/bogus/path"])
def test_unknown_collection(api, path):
    assert_error(api.get(f"{path}?{TOKEN}"), "No collection with given ID")


def test_another_accounts_token_never_sees_a_collection(api):
    collection_id = create_collection(api)
    assert_error(api.get(f"/v3/collection/{collection_id}?access_token=other-copernica-token"),
                 "No collection with given ID")
    assert_error(api.get("/v3/database/1/collections?access_token=other-copernica-token"),
                 "No database with supplied ID")
