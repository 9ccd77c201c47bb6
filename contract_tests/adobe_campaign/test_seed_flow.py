"""The documented flow (seeds/000_…, "Actualización de perfiles"): GET the profile, PATCH its
phone, GET it again. Sent exactly as the documentation's curl examples send it."""
from __future__ import annotations

from .acs import AMY, FIELDS, H, JSON, PKEY_RE, PROFILES, STAMP_RE, get, local


def test_get_returns_the_profile_as_a_bare_object(api):
    reply = api.get(f"{PROFILES}/{AMY}", headers=H)
    assert reply.status_code == 200
    assert reply.header("Content-Type") == JSON
    body = reply.json()
    assert set(body) == FIELDS  # a bare object (§1.4), no "content" wrapper
    assert body["PKey"] == AMY
    assert (body["firstName"], body["lastName"], body["birthDate"]) == ("Amy", "Dakota", "1980-10-24")
    assert body["email"] == "amy.dakota@mail.com"
    assert body["domain"] == "mail.com"
    assert body["title"] == "Amy Dakota (amy.dakota@mail.com)"
    assert body["href"] == f"{api.base_url}{PROFILES}/{AMY}"
    assert body["subscriptions"] == {"href": f"{api.base_url}{PROFILES}/{AMY}/subscriptions/"}
    assert STAMP_RE.match(body["created"]) and STAMP_RE.match(body["lastModified"])
    assert body["phone"] == ""
    assert list(body) == sorted(body)  # Campaign's key order


def test_patch_phone_answers_pkey_and_href_and_changes_only_the_phone(clock):
    api = clock
    before = get(api, AMY)
    assert api.post("/_emulator/clock", json={"advance": 2}).status_code == 200

    reply = api.patch(f"{PROFILES}/{AMY}", data='{"phone":"3301020304"}', headers=H)

    assert reply.status_code == 200
    assert reply.header("Content-Type") == JSON
    body = reply.json()
    assert set(body) == {"PKey", "href"}
    assert body["PKey"] == AMY
    prefix = f"{api.base_url}{PROFILES}/"
    assert body["href"].startswith(prefix)
    assert PKEY_RE.match(body["href"][len(prefix):])

    after = get(api, AMY)
    assert after["phone"] == "3301020304"
    assert after["lastModified"] > before["lastModified"]
    changed = {k for k in FIELDS if after[k] != before[k]}
    assert changed == {"phone", "lastModified"}


def test_the_patch_href_is_a_fresh_pkey_that_resolves_to_the_same_profile(api):
    first = api.patch(f"{PROFILES}/{AMY}", json={"phone": "3301020304"}, headers=H).json()["href"]
    second = api.patch(f"{PROFILES}/{AMY}", json={"phone": "3301020305"}, headers=H).json()["href"]
    assert first != second != f"{api.base_url}{PROFILES}/{AMY}"  # encryption is not deterministic
    for href in (first, second):
        reply = api.get(local(api, href), headers=H)
        assert reply.status_code == 200
        assert reply.json()["PKey"] == AMY
        assert reply.json()["phone"] == "3301020305"
    # an issued PKey works for PATCH and keeps working afterwards
    again = api.patch(local(api, first), json={"mobilePhone": "0601020304"}, headers=H)
    assert again.status_code == 200
    assert again.json()["PKey"] == local(api, first).rsplit("/", 1)[1]
    assert get(api, AMY)["mobilePhone"] == "0601020304"
