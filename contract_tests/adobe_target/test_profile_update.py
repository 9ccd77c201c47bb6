"""Single Profile Update API (vendor-apis.md §2.1; seeds 001 and 002)."""
from __future__ import annotations

import re

import pytest

from .documented import (AUTH_CLIENT, AUTH_TOKEN, FROZEN_STAMP, SAMPLE_ATTRIBUTES, SAMPLE_MODIFIED_AT,
                         SAMPLE_THIRD_PARTY_ID, SAMPLE_TNT_ID, SEED_QUERY, UPDATE_SUCCESS, XML,
                         not_found_mbox_pc, not_found_third_party, update_error)


def fetch(api, ident, client="demo", by=None, headers=None):
    path = f"/rest/v1/profiles/{by + '/' if by else ''}{ident}?client={client}"
    return api.get(path, headers=headers)


def assert_success(reply):
    assert reply.status_code == 200
    assert reply.header("Content-Type") == XML
    assert reply.text == UPDATE_SUCCESS


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_seed_url_updates_a_known_visitor_and_the_next_fetch_shows_it(api, clock, method):
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"] == SAMPLE_ATTRIBUTES

    assert_success(api.request(method, f"/m2/demo/profile/update?{SEED_QUERY}"))

    reply = fetch(api, SAMPLE_TNT_ID)
    assert reply.status_code == 200
    assert reply.json() == {
        "client": "demo", "visitorId": SAMPLE_TNT_ID, "modifiedAt": FROZEN_STAMP,
        "profileAttributes": {**SAMPLE_ATTRIBUTES,
                              "attr1": {"value": "0", "modifiedAt": FROZEN_STAMP},
                              "attr2": {"value": "1", "modifiedAt": FROZEN_STAMP}}}


def test_seed_url_with_the_docs_client_placeholder_in_the_path_and_host(api):
    """The docs write https://CLIENT.tt.omtrdc.net/m2/client/…: the path segment names the client."""
    api.seed({"adobe_target": {"clients": [{"code": "client", "profiles": [{"tntId": SAMPLE_TNT_ID}]}]}})
    assert_success(api.get(f"/m2/client/profile/update?{SEED_QUERY}", headers={"Host": "CLIENT.tt.omtrdc.net"}))
    attrs = fetch(api, SAMPLE_TNT_ID, client="client").json()["profileAttributes"]
    assert {k: v["value"] for k, v in attrs.items()} == {"attr1": "0", "attr2": "1"}
    # the demo client's visitor of the same tntId is another tenant's and did not change
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"] == SAMPLE_ATTRIBUTES


def test_post_with_a_form_encoded_body(api, clock):
    reply = api.post(f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}", data="profile.attr1=0&profile.attr2=1",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_success(reply)
    attrs = fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]
    assert attrs["attr1"] == {"value": "0", "modifiedAt": FROZEN_STAMP}
    assert attrs["attr2"] == {"value": "1", "modifiedAt": FROZEN_STAMP}


def test_form_body_wins_over_the_query_for_the_same_parameter(api):
    reply = api.post(f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}&profile.attr1=query",
                     data="profile.attr1=body", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_success(reply)
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]["attr1"]["value"] == "body"


def test_update_by_mbox3rdPartyId_shows_in_the_thirdPartyId_fetch(api, clock):
    assert_success(api.get(f"/m2/demo/profile/update?mbox3rdPartyId={SAMPLE_THIRD_PARTY_ID}&profile.tier=gold"))
    reply = fetch(api, SAMPLE_THIRD_PARTY_ID, by="thirdPartyId")
    assert reply.json()["visitorId"] == SAMPLE_THIRD_PARTY_ID
    assert reply.json()["profileAttributes"]["tier"] == {"value": "gold", "modifiedAt": FROZEN_STAMP}
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]["tier"]["value"] == "gold"


def test_names_and_values_are_case_sensitive_utf8_strings(api):
    query = f"mboxPC={SAMPLE_TNT_ID}&profile.Colour=Gr%C3%BCn&profile.colour=blue&profile.city=S%C3%A3o+Paulo"
    assert_success(api.get(f"/m2/demo/profile/update?{query}"))
    attrs = fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]
    assert (attrs["Colour"]["value"], attrs["colour"]["value"], attrs["city"]["value"]) == ("Grün", "blue", "São Paulo")


def test_an_empty_value_is_ignored_and_never_clears(api):
    assert_success(api.get(f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}&profile.param1=&profile.attr1=0"))
    attrs = fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]
    assert attrs["param1"] == SAMPLE_ATTRIBUTES["param1"]
    assert attrs["attr1"]["value"] == "0"


def test_an_update_without_profile_parameters_changes_nothing(api):
    assert_success(api.get(f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}&mbox=ignored"))
    reply = fetch(api, SAMPLE_TNT_ID).json()
    assert (reply["modifiedAt"], reply["profileAttributes"]) == (SAMPLE_MODIFIED_AT, SAMPLE_ATTRIBUTES)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_mboxPC_gets_the_same_answer_and_nothing_is_created(api, method):
    unknown = "1389936436794-000000.19_36"
    assert fetch(api, unknown).status_code == 404
    assert_success(api.request(method, f"/m2/demo/profile/update?mboxPC={unknown}&profile.attr1=0&profile.attr2=1"))
    reply = fetch(api, unknown)
    assert reply.status_code == 404
    assert reply.content == not_found_mbox_pc("demo", unknown)


def test_unknown_mbox3rdPartyId_gets_the_same_answer_and_nothing_is_created(api):
    assert_success(api.get("/m2/demo/profile/update?mbox3rdPartyId=crm-404&profile.attr1=0"))
    reply = fetch(api, "crm-404", by="thirdPartyId")
    assert reply.status_code == 404
    assert reply.content == not_found_third_party("demo", "crm-404")
    state = api.get("/_emulator/state").json()["adobe_target"]["clients"]
    assert len(next(c for c in state if c["code"] == "demo")["profiles"]) == 3


def test_mboxPC_with_mbox3rdPartyId_links_the_thirdPartyId(api):
    tnt = "111492025094307-353046"
    assert fetch(api, "crm-42", by="thirdPartyId").status_code == 404
    assert_success(api.get(f"/m2/demo/profile/update?mboxPC={tnt}&mbox3rdPartyId=crm-42&profile.attr1=0"))
    reply = fetch(api, "crm-42", by="thirdPartyId")
    assert reply.status_code == 200
    assert reply.json()["profileAttributes"]["favouriteColour"]["value"] == "green"
    assert reply.json()["profileAttributes"]["attr1"]["value"] == "0"


def test_a_thirdPartyId_moves_when_linked_to_another_visitor(api):
    tnt = "111492025094307-353046"
    assert_success(api.get(f"/m2/demo/profile/update?mboxPC={tnt}&mbox3rdPartyId={SAMPLE_THIRD_PARTY_ID}"))
    reply = fetch(api, SAMPLE_THIRD_PARTY_ID, by="thirdPartyId")
    assert "favouriteColour" in reply.json()["profileAttributes"]
    assert fetch(api, SAMPLE_TNT_ID).status_code == 200  # the old holder still exists by tntId


def test_a_visitor_created_by_the_emulator_can_then_be_updated(api, clock):
    created = api.post("/_emulator/adobe_target/demo/visitors", json={"thirdPartyId": "crm-7"})
    assert created.status_code == 201
    tnt = created.json()["tntId"]
    assert re.fullmatch(r"[0-9a-f]{32}\.28_0", tnt)
    assert created.json() == {"client": "demo", "tntId": tnt, "thirdPartyId": "crm-7",
                              "modifiedAt": FROZEN_STAMP, "profileAttributes": {}}
    assert fetch(api, tnt).json() == {"client": "demo", "visitorId": tnt, "modifiedAt": FROZEN_STAMP,
                                      "profileAttributes": {}}
    assert_success(api.get(f"/m2/demo/profile/update?mboxPC={tnt}&profile.attr1=0&profile.attr2=1"))
    assert fetch(api, "crm-7", by="thirdPartyId").json()["profileAttributes"] == {
        "attr1": {"value": "0", "modifiedAt": FROZEN_STAMP}, "attr2": {"value": "1", "modifiedAt": FROZEN_STAMP}}


def test_visitor_creation_with_ids_and_attributes_and_its_errors(api):
    body = {"tntId": "1400000000000-123456.28_20", "marketingCloudVisitorId": "11111111111111111111111111111111111111",
            "profileAttributes": {"plan": "basic"}}
    created = api.post("/_emulator/adobe_target/demo/visitors", json=body)
    assert created.status_code == 201
    assert fetch(api, "11111111111111111111111111111111111111", by="marketingCloudVisitorId").json()[
        "profileAttributes"]["plan"]["value"] == "basic"

    again = api.post("/_emulator/adobe_target/demo/visitors", json={"tntId": "1400000000000-123456.28_20"})
    assert again.status_code == 409
    assert again.json()["error"] == "client demo already has a visitor with tntId 1400000000000-123456.28_20"
    taken = api.post("/_emulator/adobe_target/demo/visitors", json={"thirdPartyId": SAMPLE_THIRD_PARTY_ID})
    assert taken.status_code == 409
    unknown = api.post("/_emulator/adobe_target/nobody/visitors", json={})
    assert unknown.status_code == 404
    assert unknown.json()["emulator"] == "martech-emulator"
    bad = api.post("/_emulator/adobe_target/demo/visitors", json={"tntid": "x"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid visitor: tntid: Unknown field."
    slash = api.post("/_emulator/adobe_target/demo/visitors", json={"thirdPartyId": "a/b"})
    assert slash.status_code == 400


def test_missing_visitor_id(api):
    reply = api.get("/m2/demo/profile/update?profile.attr1=0")
    assert reply.status_code == 400
    assert reply.header("Content-Type") == XML
    assert reply.text == update_error("The visitor must be identified with mboxPC or mbox3rdPartyId "
                                      "(the Experience Cloud ID is not supported)")


@pytest.mark.parametrize("encoded, decoded", [("crm%2B1", "crm+1"), ("crm%2F1", "crm/1")])
def test_mbox3rdPartyId_may_not_contain_plus_or_slash(api, encoded, decoded):
    reply = api.get(f"/m2/demo/profile/update?mbox3rdPartyId={encoded}&profile.attr1=0")
    assert reply.status_code == 400
    assert reply.text == update_error(f"Invalid mbox3rdPartyId '{decoded}': it must not contain '+' or '/'")


def test_profile_parameter_without_a_name(api):
    reply = api.get(f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}&profile.=1")
    assert reply.status_code == 400
    assert reply.text == update_error("A profile parameter needs a name: profile.&lt;name&gt;=&lt;value&gt;")


def test_unknown_client_code(api):
    reply = api.get(f"/m2/nosuchclient/profile/update?{SEED_QUERY}")
    assert reply.status_code == 400
    assert reply.header("Content-Type") == XML
    assert reply.text == update_error("Invalid client code: nosuchclient")


def test_get_is_limited_to_8_kb(api):
    path = f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}&profile.big="
    at_limit = path + "x" * (8192 - len(path))
    assert_success(api.get(at_limit))
    assert len(fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]["big"]["value"]) == 8192 - len(path)
    reply = api.get(at_limit + "x")
    assert reply.status_code == 414
    assert reply.text == update_error("Request too large: 8193 bytes; a GET profile update is limited to 8 KB "
                                      "(8192 bytes), a POST to 60 KB")


def test_post_is_limited_to_60_kb(api):
    query = f"mboxPC={SAMPLE_TNT_ID}"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = "profile.big=" + "y" * (61440 - len(query) - len("profile.big="))
    assert_success(api.post(f"/m2/demo/profile/update?{query}", data=body, headers=form))
    reply = api.post(f"/m2/demo/profile/update?{query}", data=body + "y", headers=form)
    assert reply.status_code == 413
    assert reply.text == update_error("Request too large: 61441 bytes; a POST profile update is limited to 60 KB "
                                      "(61440 bytes)")
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]["big"]["value"] == body[len("profile.big="):]


def test_authentication_when_the_client_has_a_token(api):
    url = "/m2/demoauth/profile/update?mbox3rdPartyId=b2-mbox3rdPartyId&profile.plan=basic"
    missing = api.get(url)
    assert missing.status_code == 403
    assert missing.text == update_error(
        "Authentication is enabled for client demoauth: send the profile authentication token as "
        "'Authorization: Bearer &lt;token&gt;'")
    wrong = api.get(url, headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403
    assert wrong.text == update_error("Invalid profile authentication token for client demoauth")
    auth = {"Authorization": f"Bearer {AUTH_TOKEN}"}
    assert fetch(api, "b2-mbox3rdPartyId", client=AUTH_CLIENT, by="thirdPartyId",
                 headers=auth).json()["profileAttributes"]["plan"]["value"] == "premium"
    assert_success(api.get(url, headers=auth))
    assert fetch(api, "b2-mbox3rdPartyId", client=AUTH_CLIENT, by="thirdPartyId",
                 headers=auth).json()["profileAttributes"]["plan"]["value"] == "basic"


def test_authentication_is_off_without_a_token(api):
    assert_success(api.get(f"/m2/demo/profile/update?{SEED_QUERY}", headers={"Authorization": "Bearer anything"}))


def test_daily_call_limit(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "quota", "daily_call_limit": 2,
                                            "profiles": [{"tntId": SAMPLE_TNT_ID}]}]}})
    url = f"/m2/quota/profile/update?{SEED_QUERY}"
    assert_success(api.get(url))
    clock.advance(3600)
    assert_success(api.get(url))
    refused = api.get(url)
    assert refused.status_code == 429
    assert refused.header("Retry-After") == str(23 * 3600)
    assert refused.text == update_error("Limit of 2 profile update API calls per 24 hours reached for client "
                                        "quota; the next call will succeed in 82800 seconds")
    assert fetch(api, SAMPLE_TNT_ID, client="quota").status_code == 200  # fetches have their own count
    clock.advance(23 * 3600)  # the first call leaves the 24-hour window
    assert_success(api.get(url))
    assert api.get(url).status_code == 429


def test_the_quota_is_off_unless_switched_on(api, clock):
    for _ in range(5):
        assert_success(api.get(f"/m2/demo/profile/update?{SEED_QUERY}"))


def test_propagation_delay(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "slow", "propagation_delay": 3600, "profiles": [
        {"tntId": SAMPLE_TNT_ID, "thirdPartyId": SAMPLE_THIRD_PARTY_ID,
         "profileAttributes": {"attr1": {"value": "old", "modifiedAt": "2025-01-01T00:00:00.000+00:00"}}}]}]}})
    assert_success(api.get(f"/m2/slow/profile/update?{SEED_QUERY}"))
    before = fetch(api, SAMPLE_TNT_ID, client="slow").json()
    assert before["profileAttributes"] == {"attr1": {"value": "old", "modifiedAt": "2025-01-01T00:00:00.000+00:00"}}
    clock.advance(3599)
    assert fetch(api, SAMPLE_TNT_ID, client="slow").json() == before
    clock.advance(1)
    after = fetch(api, SAMPLE_THIRD_PARTY_ID, client="slow", by="thirdPartyId").json()
    assert after["modifiedAt"] == "2026-01-05T11:00:00.000+00:00"
    assert after["profileAttributes"] == {"attr1": {"value": "0", "modifiedAt": "2026-01-05T11:00:00.000+00:00"},
                                          "attr2": {"value": "1", "modifiedAt": "2026-01-05T11:00:00.000+00:00"}}


def test_a_thirdPartyId_link_waits_for_the_propagation_delay_too(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "slow", "propagation_delay": 60,
                                            "profiles": [{"tntId": SAMPLE_TNT_ID}]}]}})
    assert_success(api.get(f"/m2/slow/profile/update?mboxPC={SAMPLE_TNT_ID}&mbox3rdPartyId=crm-9"))
    assert fetch(api, "crm-9", client="slow", by="thirdPartyId").status_code == 404
    clock.advance(60)
    assert fetch(api, "crm-9", client="slow", by="thirdPartyId").status_code == 200


def test_unknown_route_and_method_on_the_mbox_edge(api):
    reply = api.get("/m2/demo/profile/nothing")
    assert reply.status_code == 404
    assert reply.text == update_error("No such API: GET /m2/demo/profile/nothing")
    reply = api.put(f"/m2/demo/profile/update?{SEED_QUERY}")
    assert reply.status_code == 405
    assert reply.text == update_error("Method PUT is not supported for /m2/demo/profile/update")


def test_doubled_and_trailing_slashes_are_ignored_never_redirected(api):
    assert_success(api.get(f"/m2/demo//profile/update/?{SEED_QUERY}"))
    reply = api.get(f"/rest/v1/profiles//{SAMPLE_TNT_ID}/?client=demo")
    assert reply.status_code == 200
    assert reply.json()["profileAttributes"]["attr2"]["value"] == "1"


def test_a_repeated_parameter_keeps_its_last_value(api):
    assert_success(api.get(f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}&profile.attr1=first&profile.attr1=last"))
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]["attr1"]["value"] == "last"


def test_a_json_body_is_not_read(api):
    reply = api.post(f"/m2/demo/profile/update?mboxPC={SAMPLE_TNT_ID}", json={"profile.attr1": "0"})
    assert_success(reply)
    assert "attr1" not in fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]


def test_the_path_names_the_client_before_the_query_and_host(api):
    url = f"/m2/demo/profile/update?{SEED_QUERY}&client={AUTH_CLIENT}"
    assert_success(api.get(url, headers={"Host": f"{AUTH_CLIENT}.tt.omtrdc.net"}))  # demo: no token needed
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"]["attr1"]["value"] == "0"


def test_whether_a_visitor_is_known_is_decided_when_the_update_arrives(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "slow", "propagation_delay": 60}]}})
    assert_success(api.get("/m2/slow/profile/update?mboxPC=1400000000000-000001.28_20&profile.attr1=0"))
    created = api.post("/_emulator/adobe_target/slow/visitors", json={"tntId": "1400000000000-000001.28_20"})
    assert created.status_code == 201
    clock.advance(60)
    assert fetch(api, "1400000000000-000001.28_20", client="slow").json()["profileAttributes"] == {}
