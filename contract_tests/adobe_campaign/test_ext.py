"""``profileAndServicesExt`` (§1.9): the same operations, plus the organization's ``cus*``
fields (declared in the fixtures' ``custom_fields``), which the plain resource refuses."""
from __future__ import annotations

import pytest

from .acs import FIELDS, JSON, RST, backend_error

ORG = "acme-org"
H = {"Authorization": "Bearer acme-token", "X-Api-Key": "acme-key", "Content-Type": "application/json"}
PLAIN = f"/{ORG}/campaign/profileAndServices/profile"
EXT = f"/{ORG}/campaign/profileAndServicesExt/profile"
ROSA = "@HHw_0GdbesPMwrYx0ifAu7MKedU-QS9O19IiwiFhBu6QznvCRyoLZe_vkLriTnRkFJueVs494FajCOy2oWVmYEf-7efmTpzGDTwK0kM_nDnL_sHP"


@pytest.fixture
def acme(api):
    api.seed({"adobe_campaign": {"organizations": [{
        "id": ORG, "access_token": "acme-token", "api_key": "acme-key",
        "custom_fields": [{"name": "cusCustomerId", "type": "string", "length": 12},
                          {"name": "cusLoyaltyPoints", "type": "integer"},
                          {"name": "cusVip", "type": "boolean"},
                          {"name": "cusLastTransactionDate", "type": "datetime"}],
        "profiles": [{"PKey": ROSA, "firstName": "Rosa", "lastName": "Parks", "email": "rosa@acme.test",
                      "cusCustomerId": "C-0001", "cusLoyaltyPoints": 120},
                     {"firstName": "Ben", "lastName": "Ode", "email": "ben@acme.test", "cusLoyaltyPoints": 40}],
    }]}})
    return api


CUSTOM = {"cusCustomerId", "cusLoyaltyPoints", "cusVip", "cusLastTransactionDate"}


def test_ext_shows_custom_fields_and_links(acme):
    reply = acme.get(f"{EXT}/{ROSA}", headers=H)
    assert reply.status_code == 200
    assert reply.header("Content-Type") == JSON
    body = reply.json()
    assert set(body) == FIELDS | CUSTOM | {"orgUnit", "geoUnit"}
    assert (body["cusCustomerId"], body["cusLoyaltyPoints"], body["cusVip"], body["cusLastTransactionDate"]) == (
        "C-0001", 120, False, "")
    assert body["orgUnit"] is None and body["geoUnit"] is None
    assert body["href"] == f"{acme.base_url}{EXT}/{ROSA}"
    assert list(body) == sorted(body)
    plain = acme.get(f"{PLAIN}/{ROSA}", headers=H).json()
    assert set(plain) == FIELDS  # "Extended fields are not accessible with this endpoint"
    assert plain["href"] == f"{acme.base_url}{PLAIN}/{ROSA}"


def test_patch_custom_fields_only_on_ext(acme):
    refused = acme.patch(f"{PLAIN}/{ROSA}", json={"cusLoyaltyPoints": 5}, headers=H)
    assert refused.status_code == 500
    assert refused.json() == backend_error(500, "'cusLoyaltyPoints' property is not valid for the 'profile' resource.")
    reply = acme.patch(f"{EXT}/{ROSA}", json={"cusLoyaltyPoints": 5, "cusVip": True,
                                              "cusLastTransactionDate": "2024-05-06T07:08:09.100Z"}, headers=H)
    assert reply.status_code == 200
    assert set(reply.json()) == {"PKey", "href"}
    assert reply.json()["href"].startswith(f"{acme.base_url}{EXT}/@")
    body = acme.get(f"{EXT}/{ROSA}", headers=H).json()
    assert (body["cusLoyaltyPoints"], body["cusVip"], body["cusLastTransactionDate"]) == (
        5, True, "2024-05-06 07:08:09.100Z")


def test_undeclared_custom_field_is_unknown_on_ext(acme):
    reply = acme.patch(f"{EXT}/{ROSA}", json={"cusHobby": "chess"}, headers=H)
    assert reply.status_code == 500
    assert reply.json() == backend_error(500, "'cusHobby' property is not valid for the 'profile' resource.")


@pytest.mark.parametrize("body, message", [
    ({"cusLoyaltyPoints": "5"}, "The value \"5\" of the 'cusLoyaltyPoints' property is not an integer."),
    ({"cusLoyaltyPoints": 1.5}, "The value 1.5 of the 'cusLoyaltyPoints' property is not an integer."),
    ({"cusCustomerId": "C-00000000001"},
     "The value of the 'cusCustomerId' property is 13 characters long; its definition allows at most 12."),
    ({"cusVip": 1}, "The value 1 of the 'cusVip' property is not a boolean (true or false)."),
])
def test_custom_field_types(acme, body, message):
    before = acme.get(f"{EXT}/{ROSA}", headers=H).json()
    reply = acme.patch(f"{EXT}/{ROSA}", json={"firstName": "X", **body}, headers=H)
    assert reply.status_code == 500
    assert reply.json() == backend_error(500, f"{RST} {message}")
    assert acme.get(f"{EXT}/{ROSA}", headers=H).json() == before


def test_create_on_ext(acme):
    reply = acme.post(f"{EXT}/", json={"email": "new@acme.test", "cusCustomerId": "C-0003"}, headers=H)
    assert reply.status_code == 201
    body = reply.json()
    assert body["cusCustomerId"] == "C-0003" and body["cusLoyaltyPoints"] == 0 and body["cusVip"] is False
    assert body["href"] == f"{acme.base_url}{EXT}/{body['PKey']}"
    refused = acme.post(PLAIN, json={"cusCustomerId": "C-0004"}, headers=H)
    assert refused.status_code == 500


def test_ext_collections_order_by_custom_field(acme):
    body = acme.get(f"{EXT}?_order=cusLoyaltyPoints%20desc", headers=H).json()
    assert [p["cusLoyaltyPoints"] for p in body["content"]] == [120, 40]
    values = acme.get(f"{EXT}/cusLoyaltyPoints?_order=cusLoyaltyPoints", headers=H).json()
    assert values["content"] == [40, 120]
    plain = acme.get(f"{PLAIN}?_order=cusLoyaltyPoints", headers=H)
    assert plain.status_code == 500
    assert plain.json()["message"] == "'cusLoyaltyPoints' property is not valid for the 'profile' resource."


def test_ext_metadata_lists_custom_fields(acme):
    ext = acme.get(f"/{ORG}/campaign/profileAndServicesExt/resourceType/profile", headers=H).json()
    assert ext["content"]["cusCustomerId"]["length"] == 12
    assert ext["content"]["cusCustomerId"]["type"] == "string"
    assert ext["content"]["cusLoyaltyPoints"]["sortable"] is True
    plain = acme.get(f"/{ORG}/campaign/profileAndServices/resourceType/profile", headers=H).json()
    assert not CUSTOM & set(plain["content"])
