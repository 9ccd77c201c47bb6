"""What Adobe's own SDK (``@adobe/aio-lib-campaign-standard``) sends (§1.14) works unchanged."""
from __future__ import annotations

from urllib.parse import quote

from .acs import AMY, DEMO_COUNT, KEY, PROFILES, TOKEN, get

SDK = {"Authorization": f"Bearer {TOKEN}", "X-Api-Key": KEY, "Content-Type": "text/plain;charset=UTF-8"}


def test_percent_encoded_pkey(api):
    encoded = quote(AMY, safe="")
    assert encoded.startswith("%40")
    got = api.get(f"{PROFILES}/{encoded}", headers=SDK)
    assert got.status_code == 200 and got.json()["PKey"] == AMY
    patched = api.patch(f"{PROFILES}/{encoded}", data='{"phone":"3301020304"}', headers=SDK)
    assert patched.status_code == 200
    assert patched.json()["PKey"] == AMY
    assert get(api, AMY)["phone"] == "3301020304"
    assert api.delete(f"{PROFILES}/{encoded}", headers=SDK).status_code == 200
    assert api.get(f"{PROFILES}/{AMY}", headers=SDK).status_code == 404


def test_list_and_create_with_a_trailing_slash(api):
    listed = api.get(f"{PROFILES}/?_lineCount=5", headers=SDK)
    assert listed.status_code == 200 and len(listed.json()["content"]) == 5
    created = api.post(f"{PROFILES}/", data='{"email":"toto@nospam.net","firstName":"clement","lastName":"del"}',
                       headers=SDK)
    assert created.status_code == 201
    assert created.json()["title"] == "clement del (toto@nospam.net)"
    assert api.get(f"{PROFILES}/_count", headers=SDK).json() == {"count": DEMO_COUNT + 1}


def test_double_encoded_descending_order(api):
    # the SDK appends "%20desc" to _order, and its HTTP client encodes that again
    body = api.get(f"{PROFILES}/?_lineCount=50&_order=email%2520desc", headers=SDK).json()
    emails = [p["email"] for p in body["content"]]
    assert emails == sorted(emails, reverse=True) and len(emails) == DEMO_COUNT


def test_filters_as_one_encoded_path_parameter(api):
    # the SDK joins filters with "/" into one path parameter, which it percent-encodes
    body = api.get(f"{PROFILES}/byEmail%2FbyText?email=johndoe%40mail.com&text=Do", headers=SDK).json()
    assert [p["lastName"] for p in body["content"]] == ["Doe"]


def test_a_json_body_sent_as_curl_d_sends_it(api):
    # curl -d without -H 'Content-Type' labels the JSON application/x-www-form-urlencoded
    reply = api.patch(f"{PROFILES}/{AMY}", data='{"phone":"3301020304"}',
                      headers={"Authorization": f"Bearer {TOKEN}", "X-Api-Key": KEY,
                               "Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status_code == 200
    assert get(api, AMY)["phone"] == "3301020304"
