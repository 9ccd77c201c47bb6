"""POST creates (201, the full profile with defaults, §1.6); DELETE removes (200, §1.8)."""
from __future__ import annotations

import base64
import re

from .acs import (AMY, DEMO_COUNT, FIELDS, H, JSON, PKEY_RE, PROFILES, RST, backend_error,
                  create, freeze, get, local)


def _count(api) -> int:
    reply = api.get(f"{PROFILES}//_count", headers=H)
    assert reply.status_code == 200
    return reply.json()["count"]


def test_create_answers_201_with_every_default(clock):
    api = clock
    freeze(api, "2026-06-15T12:00:00.250+00:00")
    reply = api.post(PROFILES, json={"firstName": "Nina", "lastName": "Kowalski",
                                     "email": "nina.k@example.pl", "birthDate": "2000-06-16"}, headers=H)
    assert reply.status_code == 201
    assert reply.header("Content-Type") == JSON
    body = reply.json()
    assert set(body) == FIELDS
    assert PKEY_RE.match(body["PKey"])
    assert body["created"] == body["lastModified"] == "2026-06-15 12:00:00.250Z"
    assert re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", body["cryptedId"])
    assert len(base64.b64decode(body["cryptedId"])) >= 32
    assert body["domain"] == "example.pl"
    assert body["age"] == 25  # 26 tomorrow
    assert body["title"] == "Nina Kowalski (nina.k@example.pl)"
    assert (body["gender"], body["emailFormat"], body["preferredLanguage"], body["timeZone"]) == (
        "unknown", "unknown", "none", "none")
    flags = [k for k in FIELDS if k.startswith(("blackList", "ccpaOptOut"))]
    for k in flags:
        assert body[k] == ("" if k.endswith("LastModified") else False), k
    assert body["thumbnail"] == "/nl/img/thumbnails/defaultProfil.png"
    assert body["isExternal"] is False
    assert body["href"] == f"{api.base_url}{PROFILES}/{body['PKey']}"
    assert body["subscriptions"] == {"href": f"{api.base_url}{PROFILES}/{body['PKey']}/subscriptions/"}
    assert body["location"] == {"address1": "", "address2": "", "address3": "", "address4": "",
                                "city": "", "countryCode": "", "stateCode": "", "zipCode": ""}
    assert get(api, body["PKey"]) == body
    assert _count(api) == DEMO_COUNT + 1


def test_documented_create_example(api):
    body = create(api, {"lastName": "Doe"})
    assert body["lastName"] == "Doe"
    assert body["firstName"] == "" and body["email"] == "" and body["birthDate"] == ""
    assert body["age"] == 0 and body["domain"] == "" and body["title"] == "Doe"


def test_create_with_options(clock):
    api = clock
    freeze(api, "2026-01-02T03:04:05.006Z")
    body = create(api, {"email": "opt@example.com", "gender": "female", "emailFormat": "html",
                        "preferredLanguage": "fr_fr", "timeZone": "Europe_Paris", "blackListEmail": True,
                        "location": {"city": "Lyon", "zipCode": "69001"}})
    assert (body["gender"], body["emailFormat"], body["preferredLanguage"], body["timeZone"]) == (
        "female", "html", "fr_fr", "Europe_Paris")
    assert body["blackListEmail"] is True
    assert body["blackListEmailLastModified"] == body["blackListAllLastModified"] == "2026-01-02 03:04:05.006Z"
    assert body["blackListLastModified"] == ""
    assert body["location"]["city"] == "Lyon" and body["location"]["zipCode"] == "69001"
    assert body["location"]["address1"] == ""


def test_create_at_the_sdk_path_with_a_text_plain_body(api):
    reply = api.post(f"{PROFILES}/", data='{"email":"sdk@example.com"}',
                     headers={**H, "Content-Type": "text/plain;charset=UTF-8"})
    assert reply.status_code == 201
    assert get(api, reply.json()["PKey"])["email"] == "sdk@example.com"


def test_create_with_an_empty_body_makes_a_profile_of_defaults(api):
    reply = api.post(PROFILES, data=b"", headers=H)
    assert reply.status_code == 201
    assert reply.json()["title"] == "" and reply.json()["email"] == ""
    assert _count(api) == DEMO_COUNT + 1


def test_create_refuses_what_it_would_refuse_on_patch_and_creates_nothing(api):
    cases = [
        ({"email": "x@example.com", "zipCode": "75001"},
         "'zipCode' property is not valid for the 'profile' resource."),
        ({"email": "x@example.com", "age": 3}, "Cannot update the 'age' property that is read-only"),
        ({"PKey": AMY}, "Cannot update the 'PKey' property that is read-only"),
        ({"gender": "invalid"}, f"{RST} The value 'invalid' is not valid for the 'nms:recipient:gender' "
                                "enumeration of the '@gender' field"),
    ]
    for body, message in cases:
        reply = api.post(PROFILES, json=body, headers=H)
        assert reply.status_code == 500
        assert reply.json() == backend_error(500, message)
    assert _count(api) == DEMO_COUNT


def test_delete_answers_200_and_the_profile_is_gone(api):
    made = create(api, {"email": "gone@example.com"})
    pkey = made["PKey"]
    reply = api.delete(f"{PROFILES}/{pkey}", headers=H)
    assert reply.status_code == 200
    assert reply.content == b""
    assert _count(api) == DEMO_COUNT
    missing = backend_error(404, f"{RST} Unable to find document with path 'Profile' from key '{pkey}' "
                                 f"(document with schema 'profile' and name '{pkey}')")
    for method in ("GET", "PATCH", "DELETE"):
        again = api.request(method, f"{PROFILES}/{pkey}", json={"phone": "1"} if method == "PATCH" else None,
                            headers=H)
        assert again.status_code == 404, method
        assert again.json() == missing
    listed = api.get(f"{PROFILES}/byEmail?email=gone@example.com", headers=H).json()
    assert listed["content"] == []


def test_deleting_a_fixtures_profile_leaves_its_pkey_a_404(api):
    href = api.patch(f"{PROFILES}/{AMY}", json={}, headers=H).json()["href"]
    assert api.delete(f"{PROFILES}/{AMY}", headers=H).status_code == 200
    for path in (f"{PROFILES}/{AMY}", local(api, href)):
        reply = api.get(path, headers=H)
        assert reply.status_code == 404
        assert reply.json()["message"].startswith(f"{RST} Unable to find document with path 'Profile'")
