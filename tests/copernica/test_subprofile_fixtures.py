"""The fixtures extension for Copernica (shared fixtures-format.md, "Collections, subprofiles,
services"): a database's ``collections``, a profile's ``subprofiles``, seeded and exported."""
from __future__ import annotations

import copy

import pytest

TOKEN = "access_token=demo-copernica-token"

DOCUMENT = {"copernica": {"accounts": [{"name": "Demo Company", "access_token": "demo-copernica-token",
    "databases": [{"ID": "1", "name": "Newsletter",
        "fields": [{"ID": "1", "name": "firstname", "type": "text"}],
        "collections": [
            {"ID": "11", "name": "Orders",
             "fields": [{"ID": "31", "name": "ordernumber", "type": "integer", "value": "0"},
                        {"ID": "32", "name": "status", "type": "text"}]}],
        "profiles": [
            {"ID": "1", "fields": {"firstname": "John"},
             "subprofiles": {
                 "Orders": [
                     {"ID": "501", "fields": {"ordernumber": "1001", "status": "paid"},
                      "secret": "0123456789abcdef0123456789ab",
                      "created": "2024-01-02 10:00:00", "modified": "2024-01-02 10:00:00", "removed": False}]}},
            {"ID": "2", "fields": {"firstname": "Jane"}}]}]}]}}


def test_the_documented_example_seeds_collections_and_subprofiles(client):
    reply = client.post("/_emulator/seed", json=DOCUMENT)
    assert reply.status_code == 200, reply.get_json()
    assert client.get(f"/v3/subprofile/501?{TOKEN}").get_json() == {
        "ID": "501", "secret": "0123456789abcdef0123456789ab",
        "fields": {"ordernumber": "1001", "status": "paid"}, "profile": "1", "collection": "11",
        "created": "2024-01-02 10:00:00", "modified": "2024-01-02 10:00:00", "removed": False}
    collection = client.get(f"/v3/collection/orders?{TOKEN}").get_json()
    assert (collection["ID"], collection["database"]) == ("11", "1")
    assert [f["ID"] for f in collection["fields"]["data"]] == ["31", "32"]
    # IDs made afterwards never collide with seeded ones
    reply = client.post(f"/v3/profile/1/subprofiles/11?{TOKEN}", json={"status": "new"})
    assert int(reply.headers["X-Created"]) > 501
    reply = client.post(f"/v3/collection/11/fields?{TOKEN}", json={"name": "total", "type": "float"})
    assert int(reply.headers["X-Created"]) > 32


def test_state_exports_them_and_seeding_the_export_gives_the_same_state(client):
    client.post("/_emulator/seed", json=DOCUMENT)
    client.post(f"/v3/profile/1/subprofiles/Orders?{TOKEN}", json={"ordernumber": 7, "status": "open"})
    client.delete(f"/v3/subprofile/501?{TOKEN}")
    state = client.get("/_emulator/state").get_json()
    database = state["copernica"]["accounts"][0]["databases"][0]
    assert database["collections"] == [{"ID": "11", "name": "Orders", "fields": [
        {"ID": "31", "name": "ordernumber", "type": "integer", "value": "0"},
        {"ID": "32", "name": "status", "type": "text"}]}]
    orders = database["profiles"][0]["subprofiles"]["Orders"]
    assert [s["ID"] for s in orders] == ["501", orders[1]["ID"]]  # ID order, the removed one included
    assert orders[0]["removed"] and orders[0]["fields"] == {}
    assert orders[1]["fields"] == {"ordernumber": "7", "status": "open"}
    assert "subprofiles" not in database["profiles"][1]  # only on profiles that have any
    assert client.post("/_emulator/reset").status_code == 200
    assert client.post("/_emulator/seed", json=state).status_code == 200
    assert client.get("/_emulator/state").get_json() == state
    assert client.get(f"/v3/subprofile/501?{TOKEN}").get_json()["removed"] == orders[0]["removed"]


def test_seeding_a_database_again_replaces_its_collections_and_subprofiles(client):
    client.post("/_emulator/seed", json=DOCUMENT)
    again = copy.deepcopy(DOCUMENT)
    database = again["copernica"]["accounts"][0]["databases"][0]
    del database["collections"]
    for profile in database["profiles"]:
        profile.pop("subprofiles", None)
    assert client.post("/_emulator/seed", json=again).status_code == 200
    assert client.get(f"/v3/subprofile/501?{TOKEN}").get_json() == {"error": {"message": "No subprofile with supplied ID"}}
    assert client.get(f"/v3/collection/11?{TOKEN}").get_json() == {"error": {"message": "No collection with given ID"}}


def test_subprofiles_keyed_by_id_with_generated_values(client):
    document = copy.deepcopy(DOCUMENT)
    profile = document["copernica"]["accounts"][0]["databases"][0]["profiles"][0]
    profile["subprofiles"] = {"11": [{"fields": {"ordernumber": "12abc", "bogus": "x"}, "profile": "1"}]}
    assert client.post("/_emulator/seed", json=document).status_code == 200
    listing = client.get(f"/v3/profile/1/subprofiles/11?{TOKEN}").get_json()["data"]
    assert len(listing) == 1 and listing[0]["fields"] == {"ordernumber": "12", "status": ""}
    assert len(listing[0]["secret"]) == 28 and listing[0]["created"]


@pytest.mark.parametrize("change, path, message", [
    (lambda d: d["profiles"][0].update(subprofiles={"Ordrs": []}),
     "copernica.accounts[0].databases[0].profiles[0].subprofiles.Ordrs", "Unknown collection."),
    (lambda d: d["profiles"][0].update(subprofiles={"12": []}),
     "copernica.accounts[0].databases[0].profiles[0].subprofiles.12", "Unknown collection."),
    (lambda d: d["profiles"][0]["subprofiles"]["Orders"][0].update(collection="12"),
     "copernica.accounts[0].databases[0].profiles[0].subprofiles.Orders[0].collection",
     "Must be the ID of the collection it is in."),
    (lambda d: d["profiles"][0]["subprofiles"]["Orders"][0].update(profile="2"),
     "copernica.accounts[0].databases[0].profiles[0].subprofiles.Orders[0].profile",
     "Must be the ID of the profile it is in."),
    (lambda d: d["collections"][0].update(database="2"),
     "copernica.accounts[0].databases[0].collections[0].database", "Must be the ID of the database it is in."),
    (lambda d: d["collections"].append({"name": "ORDERS"}),
     "copernica.accounts[0].databases[0].collections",
     "Collection names and IDs must be unique within a database."),
    (lambda d: d["collections"][0].update(name="my orders"),
     "copernica.accounts[0].databases[0].collections[0].name", "Not a valid collection name."),
    (lambda d: d["profiles"][0]["subprofiles"]["Orders"][0].update(secret="x"),
     "copernica.accounts[0].databases[0].profiles[0].subprofiles.Orders.value[0].secret",  # marshmallow's Dict path
     "Must be 28 lowercase hex characters."),
])
def test_bad_documents_are_refused_naming_the_key_and_change_nothing(client, change, path, message):
    before = client.get("/_emulator/state").get_json()
    document = copy.deepcopy(DOCUMENT)
    change(document["copernica"]["accounts"][0]["databases"][0])
    reply = client.post("/_emulator/seed", json=document)
    assert reply.status_code == 400
    assert reply.get_json()["error"] == f"invalid fixtures: {path}: {message}", reply.get_json()
    assert client.get("/_emulator/state").get_json() == before
