"""Delivery API: visitors and profile parameters (vendor-apis.md §2.3). Every documented example
about visitors and profile parameters, then "vice versa" end to end."""
from __future__ import annotations

import re
import uuid

import pytest

from .documented import (AUTH_CLIENT, AUTH_TOKEN, FROZEN_STAMP, SAMPLE_ATTRIBUTES, SAMPLE_THIRD_PARTY_ID,
                         SAMPLE_TNT_ID, UPDATE_SUCCESS)

#: the docs' curl form: client code and session in the query string
DELIVERY = "/rest/v1/delivery?client=demo&sessionId=d359234570e04f14e1faeeba02d6ab9914e"
DEMO_ORG = "DEMO0123456789ABCDEF01234@AdobeOrg"
#: a tntId as Target hands them out: 32 lowercase hex digits and a location hint
NEW_TNT_ID = re.compile(r"^[0-9a-f]{32}\.(\d+)_\d+$")
WEB = {"channel": "web"}
JSON = "application/json;charset=UTF-8"


def deliver(api, body, path=DELIVERY, headers=None):
    return api.post(path, json=body, headers=headers)


def fetch(api, ident, by=None, client="demo", headers=None):
    return api.get(f"/rest/v1/profiles/{by + '/' if by else ''}{ident}?client={client}", headers=headers)


def attributes(api, ident, by=None):
    reply = fetch(api, ident, by)
    assert reply.status_code == 200, reply.text
    return {name: a["value"] for name, a in reply.json()["profileAttributes"].items()}


def assert_error(reply, message):
    assert reply.status_code == 400
    assert reply.header("Content-Type") == JSON
    assert reply.json() == {"status": 400, "message": message}


# -- the documented answer ------------------------------------------------------------------------
def test_the_docs_first_call_without_an_id_sees_a_new_visitor(api):
    """getting-started: no ``id``; the answer is the documented 200 with a new tntId and its edge."""
    reply = deliver(api, {"context": WEB, "execute": {"mboxes": [{"index": 1, "name": "homepage"}]}})
    assert reply.status_code == 200
    assert reply.header("Content-Type") == JSON
    body = reply.json()
    assert set(body) == {"status", "requestId", "client", "id", "edgeHost", "execute"}
    assert body["status"] == 200 and body["client"] == "demo"
    uuid.UUID(body["requestId"])
    cluster = NEW_TNT_ID.match(body["id"]["tntId"]).group(1)
    assert body["id"] == {"tntId": body["id"]["tntId"]}
    assert body["edgeHost"] == f"mboxedge{cluster}.tt.omtrdc.net"
    # user-permissions example: no activity qualifies, so the mbox comes back without options
    assert body["execute"] == {"mboxes": [{"index": 1, "name": "homepage"}]}
    # Target has seen the visitor: the fetch API knows it
    assert fetch(api, body["id"]["tntId"]).json()["profileAttributes"] == {}


def test_the_request_id_comes_back_and_each_section_is_answered_where_it_was_asked(api):
    reply = deliver(api, {"requestId": "07ce783d-58b9-461c-9f4c-6873aeb00c01", "context": WEB,
                          "execute": {"pageLoad": {}, "mboxes": [{"index": 0, "name": "a"}, {"index": 2, "name": "b"}]},
                          "prefetch": {"views": [{}], "pageLoad": {}, "mboxes": [{"index": 0, "name": "c"}]}})
    body = reply.json()
    assert body["requestId"] == "07ce783d-58b9-461c-9f4c-6873aeb00c01"
    assert body["execute"] == {"pageLoad": {}, "mboxes": [{"index": 0, "name": "a"}, {"index": 2, "name": "b"}]}
    assert body["prefetch"] == {"views": [], "pageLoad": {}, "mboxes": [{"index": 0, "name": "c"}]}


def test_a_cluster_host_answers_the_same_call(api):
    """"http://mboxedge28.tt.omtrdc.net/rest/v1/delivery?client=myClientCode&sessionId=…"."""
    reply = deliver(api, {"context": WEB}, headers={"Host": "mboxedge28.tt.omtrdc.net"})
    assert reply.status_code == 200 and reply.json()["client"] == "demo"


def test_the_client_named_by_the_host_only(api):
    reply = deliver(api, {"context": WEB}, "/rest/v1/delivery?sessionId=s1", headers={"Host": "demo.tt.omtrdc.net"})
    assert reply.status_code == 200 and reply.json()["client"] == "demo"


def test_the_sdks_form_names_the_client_by_its_organization_on_a_cluster_host(api):
    """The Node SDK's later calls: ``mboxedge<N>.tt.omtrdc.net?imsOrgId=…&sessionId=…``, no client."""
    reply = deliver(api, {"context": WEB}, f"/rest/v1/delivery?imsOrgId={DEMO_ORG}&sessionId=s1",
                    headers={"Host": "mboxedge28.tt.omtrdc.net"})
    assert reply.status_code == 200 and reply.json()["client"] == "demo"


def test_an_organization_is_learned_from_a_call_that_names_both(api):
    api.seed({"adobe_target": {"clients": [{"code": "shop"}]}})
    org = "0123SHOP@AdobeOrg"
    path = f"/rest/v1/delivery?imsOrgId={org}&sessionId=s1"
    assert_error(deliver(api, {"context": WEB}, path, headers={"Host": "mboxedge28.tt.omtrdc.net"}),
                 f"Invalid request: Invalid imsOrg -  {org}")
    assert deliver(api, {"context": WEB}, path, headers={"Host": "shop.tt.omtrdc.net"}).status_code == 200
    reply = deliver(api, {"context": WEB}, path, headers={"Host": "mboxedge28.tt.omtrdc.net"})
    assert reply.status_code == 200 and reply.json()["client"] == "shop"
    state = api.get("/_emulator/state").json()["adobe_target"]["clients"]
    assert next(c for c in state if c["code"] == "shop")["organization_id"] == org


def test_a_session_id_with_a_hash_is_cut_at_the_fragment(api):
    """Doc examples put ``#`` in a sessionId; sent unescaped, the server sees the part before it."""
    reply = deliver(api, {"context": WEB}, "/rest/v1/delivery?client=demo&sessionId=10abf6304b2714215b1fd39a870f01afc#1555632114")
    assert reply.status_code == 200


# -- visitor ids -----------------------------------------------------------------------------------
def test_a_known_tnt_id_keeps_its_profile_and_comes_back_as_sent(api):
    reply = deliver(api, {"id": {"tntId": SAMPLE_TNT_ID}, "context": WEB,
                          "prefetch": {"mboxes": [{"index": 0, "name": "SummerOffer"}]}})
    body = reply.json()
    assert body["id"] == {"tntId": SAMPLE_TNT_ID}
    assert body["edgeHost"] == "mboxedge01.tt.omtrdc.net"
    assert body["prefetch"] == {"mboxes": [{"index": 0, "name": "SummerOffer"}]}
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"] == SAMPLE_ATTRIBUTES


def test_a_made_up_tnt_id_becomes_the_visitors_id(api):
    """The batched example sends ``abcdefghijkl00023.1_1``: accepted, not refused."""
    assert fetch(api, "abcdefghijkl00023.1_1").status_code == 404
    reply = deliver(api, {"id": {"tntId": "abcdefghijkl00023.1_1"}, "context": WEB})
    assert reply.json()["id"] == {"tntId": "abcdefghijkl00023.1_1"}
    assert fetch(api, "abcdefghijkl00023.1_1").status_code == 200


def test_only_a_third_party_id_gets_a_generated_tnt_id_mapped_to_it(api):
    reply = deliver(api, {"id": {"thirdPartyId": "crm-2001"}, "context": WEB,
                          "execute": {"pageLoad": {"profileParameters": {"tier": "silver"}}}})
    ids = reply.json()["id"]
    assert NEW_TNT_ID.match(ids["tntId"]) and ids["thirdPartyId"] == "crm-2001"
    assert attributes(api, "crm-2001", "thirdPartyId") == {"tier": "silver"}
    assert attributes(api, ids["tntId"]) == {"tier": "silver"}
    # the next call naming only that thirdPartyId is the same visitor
    again = deliver(api, {"id": {"thirdPartyId": "crm-2001"}, "context": WEB}).json()["id"]
    assert again == ids


def test_only_an_ecid_gets_a_generated_tnt_id_mapped_to_it(api):
    ecid = "20998734213491205437413284891385802745"
    ids = deliver(api, {"id": {"marketingCloudVisitorId": ecid}, "context": WEB}).json()["id"]
    assert NEW_TNT_ID.match(ids["tntId"]) and ids["marketingCloudVisitorId"] == ecid
    assert fetch(api, ecid, "marketingCloudVisitorId").status_code == 200


def test_the_merged_profile_example_returns_all_three_ids(api):
    """"All 3 IDs are also returned in the response"; a known thirdPartyId's profile gets the call."""
    ecid = "45478582567849485638927475289857346787"
    sent = {"tntId": "10abf6304b2714215b1fd39a870f01afc.28_20", "thirdPartyId": SAMPLE_THIRD_PARTY_ID,
            "marketingCloudVisitorId": ecid}
    reply = deliver(api, {"id": sent, "context": WEB,
                          "execute": {"mboxes": [{"index": 1, "name": "homepage",
                                                  "profileParameters": {"merged": "yes"}}]}})
    assert reply.json()["id"] == sent
    assert reply.json()["edgeHost"] == "mboxedge28.tt.omtrdc.net"
    third = attributes(api, SAMPLE_THIRD_PARTY_ID, "thirdPartyId")
    assert third["merged"] == "yes" and third["insurance"] == "false"
    assert attributes(api, ecid, "marketingCloudVisitorId")["merged"] == "yes"


def test_customer_ids_come_back_and_need_an_ecid(api):
    customer = [{"id": "c-1", "integrationCode": "crm", "authenticatedState": "authenticated"}]
    ecid = "11111111111111111111111111111111111111"
    reply = deliver(api, {"id": {"marketingCloudVisitorId": ecid, "customerIds": customer}, "context": WEB})
    assert reply.json()["id"]["customerIds"] == customer
    assert_error(deliver(api, {"id": {"customerIds": customer}, "context": WEB}),
                 "Invalid request: id.customerIds: customerIds need a marketingCloudVisitorId.")


# -- profileParameters → profile attributes ----------------------------------------------------------
def test_page_load_and_mbox_profile_parameters_become_attributes_and_parameters_never_do(api, clock):
    """web-sdk-atjs-comparison Example 2: ``profileParameters: {"name": "test", "gender": "female"}``."""
    body = {"id": {"tntId": SAMPLE_TNT_ID}, "context": WEB, "execute": {
        "pageLoad": {"parameters": {"pageType": "home"}, "profileParameters": {"name": "test"}},
        "mboxes": [{"index": 0, "name": "homepage", "parameters": {"mboxParam": "x"},
                    "profileParameters": {"gender": "female"}}]}}
    assert deliver(api, body).status_code == 200
    reply = fetch(api, SAMPLE_TNT_ID).json()
    assert reply["profileAttributes"] == {**SAMPLE_ATTRIBUTES,
                                          "name": {"value": "test", "modifiedAt": FROZEN_STAMP},
                                          "gender": {"value": "female", "modifiedAt": FROZEN_STAMP}}
    assert reply["modifiedAt"] == FROZEN_STAMP


def test_prefetch_profile_parameters_wait_for_the_notification(api):
    tnt = deliver(api, {"context": WEB, "prefetch": {"pageLoad": {"profileParameters": {"later": "1"}}}}).json()
    assert attributes(api, tnt["id"]["tntId"]) == {}


@pytest.mark.parametrize("where", ["execute.pageLoad", "execute.mboxes[0]"])
@pytest.mark.parametrize("kind", ["profileParameters", "parameters"])
def test_a_profile_prefixed_name_is_a_validation_error(api, where, kind):
    details = {kind: {"profile.gender": "female"}}
    execute = {"pageLoad": details} if where == "execute.pageLoad" else {"mboxes": [{"index": 0, "name": "m", **details}]}
    reply = deliver(api, {"id": {"tntId": SAMPLE_TNT_ID}, "context": WEB, "execute": execute})
    assert_error(reply, f"Invalid request: {where}.{kind}.profile.gender.key: A parameter name should not start "
                        "with 'profile.': send 'gender' in profileParameters.")
    assert fetch(api, SAMPLE_TNT_ID).json()["profileAttributes"] == SAMPLE_ATTRIBUTES


def test_the_parameter_limits(api):
    too_many = {f"p{i}": "v" for i in range(51)}
    assert_error(deliver(api, {"context": WEB, "execute": {"pageLoad": {"profileParameters": too_many}}}),
                 "Invalid request: execute.pageLoad.profileParameters: At most 50 entries.")
    long_value = {"p": "x" * 5001}
    assert deliver(api, {"context": WEB, "execute": {"pageLoad": {"profileParameters": long_value}}}).status_code == 400
    assert_error(deliver(api, {"context": WEB, "execute": {"mboxes": [{"index": 0, "name": "m",
                                                                       "parameters": {"orderId": "1"}}]}}),
                 "Invalid request: execute.mboxes[0].parameters.orderId.key: 'orderId' is not allowed as an "
                 "mbox parameter name: send it in 'order'.")


def test_mbox_rules(api):
    assert_error(deliver(api, {"context": WEB, "execute": {"mboxes": [{"index": 0, "name": "a"},
                                                                      {"index": 0, "name": "b"}]}}),
                 "Invalid request: execute.mboxes: Each mbox index must be unique in its list.")
    assert_error(deliver(api, {"context": WEB, "execute": {"mboxes": [{"index": 0, "name": "buy-clicked"}]}}),
                 "Invalid request: execute.mboxes[0].name: An mbox name must not end with '-clicked'.")
    assert deliver(api, {"context": WEB, "execute": {"mboxes": [{"name": "a"}]}}).status_code == 400


# -- beacon, auth ---------------------------------------------------------------------------------------
def test_a_beacon_call_is_204_without_a_body(api):
    reply = deliver(api, {"id": {"tntId": SAMPLE_TNT_ID}, "context": {"channel": "web", "beacon": True},
                          "execute": {"pageLoad": {"profileParameters": {"beacon": "1"}}}})
    assert reply.status_code == 204 and reply.content == b""
    assert attributes(api, SAMPLE_TNT_ID)["beacon"] == "1"


def test_delivery_needs_no_token_while_the_profile_api_keeps_its_rule(api):
    reply = deliver(api, {"context": WEB, "execute": {"pageLoad": {"profileParameters": {"a": "1"}}}},
                    f"/rest/v1/delivery?client={AUTH_CLIENT}&sessionId=s1")
    assert reply.status_code == 200
    tnt_id = reply.json()["id"]["tntId"]
    assert fetch(api, tnt_id, client=AUTH_CLIENT).status_code == 403
    ok = fetch(api, tnt_id, client=AUTH_CLIENT, headers={"Authorization": f"Bearer {AUTH_TOKEN}"})
    assert ok.status_code == 200 and ok.json()["profileAttributes"]["a"]["value"] == "1"


# -- errors --------------------------------------------------------------------------------------------
def test_errors_are_400_in_the_documented_shape(api):
    assert_error(deliver(api, {}), "Invalid request: context: Missing data for required field.")
    assert_error(deliver(api, {"context": {}}), "Invalid request: context.channel: Missing data for required field.")
    assert_error(deliver(api, {"context": {"channel": "tv"}}),
                 "Invalid request: context.channel: Must be one of: web, mobile.")
    assert_error(api.post(DELIVERY, data="{not json", headers={"Content-Type": "application/json"}),
                 "Invalid request: the body is not valid JSON")
    assert_error(deliver(api, []), "Invalid request: the body must be a JSON object (a DeliveryRequest)")
    assert_error(deliver(api, {"context": WEB}, "/rest/v1/delivery?client=nosuch&sessionId=s1"),
                 "Invalid request: Invalid client - nosuch")
    assert_error(deliver(api, {"context": WEB}, "/rest/v1/delivery?imsOrgId=bad&sessionId=s1"),
                 "Invalid request: Invalid imsOrg -  bad")
    assert_error(deliver(api, {"context": WEB}, "/rest/v1/delivery?sessionId=s1"),
                 "Invalid request: no client: send ?client=<client>, the Host <client>.tt.omtrdc.net or ?imsOrgId=<org>")
    assert_error(deliver(api, {"context": WEB, "id": {"tntId": "a.b.c"}}),
                 "Invalid request: id.tntId: A tntId is 1-128 characters with no '.' except the one before its "
                 "location hint (<id>.<cluster>_<n>).")
    assert_error(deliver(api, {"context": WEB}, "/rest/v1/delivery?client=demo&sessionId=a%20b"),
                 "Invalid request: sessionId: 1-128 printable characters, no space, '?' or '/'.")


def test_a_wrong_method_is_answered_in_the_same_shape(api):
    reply = api.get(DELIVERY)
    assert reply.status_code == 405
    assert reply.json() == {"status": 405, "message": "Method GET is not supported for /rest/v1/delivery"}


# -- "and vice versa" -----------------------------------------------------------------------------------
def test_vice_versa_delivery_then_single_update_then_fetch_then_delivery(api, clock):
    """A page view makes Target see a visitor, a CRM job updates that profile through the
    update-only single profile update API, the fetch API shows both, and the next page view is
    the same visitor and adds to the same profile."""
    # before the visitor is seen, the single update cannot create it
    assert api.get("/m2/demo/profile/update?mbox3rdPartyId=crm-77&profile.tier=gold").text == UPDATE_SUCCESS
    assert fetch(api, "crm-77", "thirdPartyId").status_code == 404

    first = deliver(api, {"id": {"thirdPartyId": "crm-77"}, "context": WEB,
                          "execute": {"pageLoad": {"profileParameters": {"favouriteGenre": "jazz"}}}})
    tnt_id = first.json()["id"]["tntId"]
    assert attributes(api, tnt_id) == {"favouriteGenre": "jazz"}

    update = api.get(f"/m2/demo/profile/update?mboxPC={tnt_id}&profile.tier=gold&profile.favouriteGenre=blues")
    assert update.text == UPDATE_SUCCESS
    clock.advance(60)
    reply = fetch(api, "crm-77", "thirdPartyId").json()
    assert reply["profileAttributes"] == {"favouriteGenre": {"value": "blues", "modifiedAt": FROZEN_STAMP},
                                          "tier": {"value": "gold", "modifiedAt": FROZEN_STAMP}}

    second = deliver(api, {"id": {"tntId": tnt_id}, "context": WEB,
                           "execute": {"mboxes": [{"index": 0, "name": "home", "profileParameters": {"visits": "2"}}]}})
    assert second.json()["id"] == {"tntId": tnt_id}
    assert attributes(api, tnt_id) == {"favouriteGenre": "blues", "tier": "gold", "visits": "2"}


def test_a_lone_surrogate_escape_is_refused_and_nothing_is_stored(api):
    before = api.get("/_emulator/state").json()["adobe_target"]
    reply = api.post(DELIVERY, data=b'{"context":{"channel":"web"},"execute":{"pageLoad":'
                                    b'{"profileParameters":{"a":"\\ud800"}}}}', headers={"Content-Type": "application/json"})
    assert_error(reply, "Invalid request: the body is not valid JSON (a lone UTF-16 surrogate escape)")
    assert api.get("/_emulator/state").json()["adobe_target"] == before


# -- the client's organization in the fixtures ------------------------------------------------------------
def test_the_organization_id_round_trips_and_names_one_client(api):
    state = api.get("/_emulator/state").json()
    demo = next(c for c in state["adobe_target"]["clients"] if c["code"] == "demo")
    assert demo["organization_id"] == DEMO_ORG
    assert api.post("/_emulator/reset").status_code == 200
    api.seed(state)
    assert api.get("/_emulator/state").json() == state
    # seeding another client with the same organization moves it there
    api.seed({"adobe_target": {"clients": [{"code": "newshop", "organization_id": DEMO_ORG}]}})
    clients = {c["code"]: c.get("organization_id") for c in api.get("/_emulator/state").json()["adobe_target"]["clients"]}
    assert clients["newshop"] == DEMO_ORG and clients["demo"] is None
    reply = deliver(api, {"context": WEB}, f"/rest/v1/delivery?imsOrgId={DEMO_ORG}&sessionId=s1",
                    headers={"Host": "mboxedge28.tt.omtrdc.net"})
    assert reply.json()["client"] == "newshop"


def test_two_clients_of_one_document_cannot_share_an_organization(api):
    reply = api.post("/_emulator/seed", json={"adobe_target": {"clients": [
        {"code": "a", "organization_id": "X@AdobeOrg"}, {"code": "b", "organization_id": "X@AdobeOrg"}]}})
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid fixtures: adobe_target.clients: Two clients have the same organization_id."
