"""``GET …/resourceType/profile``: what a client reads to learn the fields (§1.2, metadata-mechanism)."""
from __future__ import annotations

from .acs import FIELDS, H, JSON, ORG, PROFILES, local

META = f"/{ORG}/campaign/profileAndServices/resourceType/profile"


def test_metadata_describes_every_field(api):
    reply = api.get(META, headers=H)
    assert reply.status_code == 200
    assert reply.header("Content-Type") == JSON
    body = reply.json()
    for key, value in {"data": "/profileAndServices/profile/", "help": "Identified profiles",
                       "label": "Profiles", "mandatory": False, "name": "profile", "pkgStatus": "never",
                       "readOnly": False, "schema": "nms:recipient", "type": "item"}.items():
        assert body[key] == value, key
    assert body["href"] == f"{api.base_url}{PROFILES}/metadata"
    content = body["content"]
    assert set(content) == FIELDS
    assert content["email"] == {"apiName": "email", "category": "profile", "dataPolicy": "email",
                                "label": "Email", "length": 128, "readOnly": False, "resType": "string",
                                "sortable": True, "type": "string"}
    assert content["firstName"]["length"] == 30 and content["lastName"]["length"] == 50
    assert content["age"]["readOnly"] is True and content["age"]["sortable"] is False
    assert content["gender"]["type"] == "enumeration"
    assert list(content["gender"]["values"]) == ["unknown", "male", "female"]
    assert content["gender"]["values"]["female"] == {"label": "Female", "name": "female", "value": 2}
    assert list(content["emailFormat"]["values"]) == ["unknown", "text", "html"]
    assert "Europe_Paris" in content["timeZone"]["values"]
    assert content["preferredLanguage"]["values"]["none"]["name"] == "none"
    assert set(content["location"]["content"]) == {"address1", "address2", "address3", "address4", "city",
                                                   "countryCode", "stateCode", "zipCode"}


def test_metadata_links_resolve(api):
    body = api.get(f"{META}.json", headers=H).json()
    again = api.get(local(api, body["href"]), headers=H)
    assert again.status_code == 200 and again.json()["content"] == body["content"]
    filters = api.get(local(api, body["filters"]["href"]), headers=H)
    assert filters.status_code == 200
    assert filters.json()["byText"]["data"] == "/profileAndServices/profile/byText?text=$value"
    assert set(filters.json()) == {"byEmail", "byText"}


def test_the_api_lists_its_resources(api):
    for name in ("profileAndServices", "profileAndServicesExt"):
        reply = api.get(f"/{ORG}/campaign/{name}/", headers=H)
        assert reply.status_code == 200
        body = reply.json()
        assert body["apiName"] == "resourceType"
        assert body["profile"]["data"] == f"/{name}/profile/"
        meta = api.get(local(api, body["profile"]["href"]), headers=H)
        assert meta.status_code == 200 and meta.json()["name"] == "profile"
    assert api.post(f"/{ORG}/campaign/profileAndServices/", json={}, headers=H).status_code == 404
