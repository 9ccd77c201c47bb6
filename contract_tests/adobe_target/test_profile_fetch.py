"""Profile fetch API (vendor-apis.md §3; seed 003)."""
from __future__ import annotations

import pytest

from .documented import (AUTH_CLIENT, AUTH_TOKEN, JSON, SAMPLE_ATTRIBUTES, SAMPLE_MODIFIED_AT,
                         SAMPLE_THIRD_PARTY_ID, SAMPLE_TNT_ID, XML, not_found_mbox_pc, not_found_third_party,
                         service_error)


def test_fetch_by_thirdPartyId_the_documented_example(api):
    reply = api.get(f"/rest/v1/profiles/thirdPartyId/{SAMPLE_THIRD_PARTY_ID}?client=demo")
    assert reply.status_code == 200
    assert reply.header("Content-Type") == JSON
    assert reply.json() == {"client": "demo", "visitorId": SAMPLE_THIRD_PARTY_ID,
                            "modifiedAt": SAMPLE_MODIFIED_AT, "profileAttributes": SAMPLE_ATTRIBUTES}
    assert list(reply.json()) == ["client", "visitorId", "modifiedAt", "profileAttributes"]


def test_fetch_by_tntId_the_documented_example(api):
    reply = api.get("/rest/v1/profiles/111492025094307-353046?client=demo")
    assert reply.status_code == 200
    assert reply.json() == {"client": "demo", "visitorId": "111492025094307-353046",
                            "modifiedAt": "2024-03-04T09:15:27.318+00:00",
                            "profileAttributes": {"favouriteColour": {"value": "green",
                                                                      "modifiedAt": "2024-03-04T09:15:27.318+00:00"}}}


def test_fetch_by_mboxPC_shaped_tntId(api):
    reply = api.get(f"/rest/v1/profiles/{SAMPLE_TNT_ID}?client=demo")
    assert reply.json() == {"client": "demo", "visitorId": SAMPLE_TNT_ID, "modifiedAt": SAMPLE_MODIFIED_AT,
                            "profileAttributes": SAMPLE_ATTRIBUTES}


def test_fetch_by_marketingCloudVisitorId(api):
    reply = api.get("/rest/v1/profiles/marketingCloudVisitorId/58471230944716345602093854166312007141?client=demo")
    assert reply.status_code == 200
    assert reply.json()["visitorId"] == "58471230944716345602093854166312007141"
    assert reply.json()["profileAttributes"]["favouriteColour"]["value"] == "green"
    missing = api.get("/rest/v1/profiles/marketingCloudVisitorId/0000?client=demo")
    assert missing.status_code == 404
    assert missing.json() == {"status": 404,
                              "message": "No profile found for client demo with marketingCloudVisitorId=0000"}


def test_the_client_may_come_from_the_host(api):
    reply = api.get(f"/rest/v1/profiles/thirdPartyId/{SAMPLE_THIRD_PARTY_ID}", headers={"Host": "demo.tt.omtrdc.net"})
    assert reply.status_code == 200
    assert reply.json()["client"] == "demo"


def test_unknown_thirdPartyId_404_verbatim(api):
    reply = api.get("/rest/v1/profiles/thirdPartyId/your-thirdpartyid?client=demo")
    assert reply.status_code == 404
    assert reply.header("Content-Type") == JSON
    assert reply.content == not_found_third_party("demo", "your-thirdpartyid")
    assert reply.json() == {"status": 404,
                            "message": "No profile found for client demo with third party id=your-thirdpartyid"}


def test_unknown_tntId_404_verbatim(api):
    reply = api.get("/rest/v1/profiles/your-tnt-id?client=demo")
    assert reply.status_code == 404
    assert reply.header("Content-Type") == JSON
    assert reply.content == not_found_mbox_pc("demo", "your-tnt-id")


def test_profiles_of_one_client_are_invisible_to_another(api):
    reply = api.get("/rest/v1/profiles/1383918368404-663054.17_05?client=demo")
    assert reply.content == not_found_mbox_pc("demo", "1383918368404-663054.17_05")


def test_unknown_client_code(api):
    reply = api.get(f"/rest/v1/profiles/{SAMPLE_TNT_ID}?client=bogus")
    assert reply.status_code == 400
    assert reply.header("Content-Type") == XML
    assert reply.text == service_error(400, "Invalid client code: bogus")


def test_missing_client_code(api):
    reply = api.get(f"/rest/v1/profiles/{SAMPLE_TNT_ID}")
    assert reply.status_code == 400
    assert reply.text == service_error(400, "Missing client code: send it in the path (/m2/&lt;client&gt;/…), "
                                            "as ?client=&lt;client&gt;, or in the Host &lt;client&gt;.tt.omtrdc.net")


@pytest.mark.parametrize("path", ["1383918368404-663054.17_05", "thirdPartyId/b2-mbox3rdPartyId"])
def test_authentication(api, path):
    url = f"/rest/v1/profiles/{path}?client={AUTH_CLIENT}"
    missing = api.get(url)
    assert missing.status_code == 403
    assert missing.header("Content-Type") == XML
    assert missing.text == service_error(403, "Authentication is enabled for client demoauth: send the profile "
                                              "authentication token as 'Authorization: Bearer &lt;token&gt;'")
    wrong = api.get(url, headers={"Authorization": f"Bearer {AUTH_TOKEN}x"})
    assert wrong.status_code == 403
    assert wrong.text == service_error(403, "Invalid profile authentication token for client demoauth")
    not_bearer = api.get(url, headers={"Authorization": AUTH_TOKEN})
    assert not_bearer.status_code == 403
    ok = api.get(url, headers={"Authorization": f"Bearer {AUTH_TOKEN}"})
    assert ok.status_code == 200
    assert ok.json()["profileAttributes"] == {"plan": {"value": "premium",
                                                       "modifiedAt": "2024-03-06T08:30:00.000+00:00"}}


def test_an_unknown_profile_needs_the_token_before_it_gets_a_404(api):
    assert api.get(f"/rest/v1/profiles/none?client={AUTH_CLIENT}").status_code == 403
    reply = api.get(f"/rest/v1/profiles/none?client={AUTH_CLIENT}", headers={"Authorization": f"Bearer {AUTH_TOKEN}"})
    assert reply.content == not_found_mbox_pc(AUTH_CLIENT, "none")


def test_fetch_quota(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "quota", "daily_call_limit": 1,
                                            "profiles": [{"tntId": SAMPLE_TNT_ID}]}]}})
    assert api.get(f"/rest/v1/profiles/{SAMPLE_TNT_ID}?client=quota").status_code == 200
    refused = api.get(f"/rest/v1/profiles/{SAMPLE_TNT_ID}?client=quota")
    assert refused.status_code == 429
    assert refused.header("Retry-After") == "86400"
    assert refused.text == service_error(429, "Limit of 1 profile fetch API calls per 24 hours reached for client "
                                              "quota; the next call will succeed in 86400 seconds")
    clock.advance(86400)
    assert api.get(f"/rest/v1/profiles/{SAMPLE_TNT_ID}?client=quota").status_code == 200


def test_wrong_method(api):
    reply = api.post(f"/rest/v1/profiles/{SAMPLE_TNT_ID}?client=demo")
    assert reply.status_code == 405
    assert reply.text == service_error(405, f"Method POST is not supported for /rest/v1/profiles/{SAMPLE_TNT_ID}")


def test_unknown_route(api):
    reply = api.get("/rest/v1/profiles/a/b/c?client=demo")
    assert reply.status_code == 404
    assert reply.text == service_error(404, "No such API: GET /rest/v1/profiles/a/b/c")
