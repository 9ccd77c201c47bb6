"""The ``adobe_campaign`` section of the fixtures format: validation naming the bad key,
add-or-replace, and GET /_emulator/state -> POST /_emulator/seed round-tripping unchanged."""
from __future__ import annotations

import pytest


AMY = "@2v1dr3ZKJveMDhAdh0MPnh9hNQQ93qb7AW6BNVVKknjwXvTZRBAgUqz1SNcB4ZndgjqOofx3BwBZYBftlmObISoM3rs"
H = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}
P = "/demo-org/campaign/profileAndServices/profile"


def _seed(client, section):
    return client.post("/_emulator/seed", json={"adobe_campaign": section})


@pytest.mark.parametrize("section, key, message", [
    ({"organisations": []}, "adobe_campaign.organisations", "Unknown field."),
    ({"organizations": [{"access_token": "t"}]}, "adobe_campaign.organizations[0].id",
     "Missing data for required field."),
    ({"organizations": [{"id": "o", "token": "t"}]}, "adobe_campaign.organizations[0].token", "Unknown field."),
    ({"organizations": [{"id": "o", "profiles": [{"firstName": "A", "shoeSize": 42}]}]},
     "adobe_campaign.organizations[0].profiles[0].shoeSize", "Unknown field."),
    ({"organizations": [{"id": "o", "profiles": [{"cusTier": "x"}]}]},
     "adobe_campaign.organizations[0].profiles[0].cusTier",
     "Unknown field: declare it in the organization's custom_fields."),
    ({"organizations": [{"id": "o", "profiles": [{"gender": "robot"}]}]},
     "adobe_campaign.organizations[0].profiles[0].gender",
     "RST-360011 An error has occurred - please contact your administrator. The value 'robot' is not valid "
     "for the 'nms:recipient:gender' enumeration of the '@gender' field"),
    ({"organizations": [{"id": "o", "profiles": [{"PKey": "no-at-sign"}]}]},
     "adobe_campaign.organizations[0].profiles[0].PKey",
     "a PKey is '@' followed by letters, digits, '-' or '_'"),
    ({"organizations": [{"id": "o", "profiles": [{"created": "yesterday"}]}]},
     "adobe_campaign.organizations[0].profiles[0].created",
     "expected Campaign's timestamp form '2019-09-26 11:49:48.817Z', or \"\""),
    ({"organizations": [{"id": "o", "custom_fields": [{"name": "tier", "type": "string"}]}]},
     "adobe_campaign.organizations[0].custom_fields[0].name",
     "a custom field's name starts with 'cus' and has only letters, digits and '_'"),
    ({"organizations": [{"id": "o", "custom_fields": [{"name": "cusX", "type": "money"}]}]},
     "adobe_campaign.organizations[0].custom_fields[0].type",
     "one of: string, integer, number, boolean, date, datetime"),
    ({"organizations": [{"id": "_emulator"}]}, "adobe_campaign.organizations[0].id",
     "an organization id is a URL path segment: letters, digits, '@', '.', '_', '~', '-', not starting with '_'"),
    ({"organizations": [{"id": "o"}, {"id": "o"}]}, "adobe_campaign.organizations",
     "an organization appears twice"),
    ({"organizations": [{"id": "o", "profiles": [{"PKey": AMY}, {"PKey": AMY}]}]},
     "adobe_campaign.organizations[0].profiles[1].PKey", "this PKey appears twice in the organization"),
])
def test_invalid_fixtures_name_the_key_and_change_nothing(client, section, key, message):
    before = client.get("/_emulator/state").get_json()
    reply = _seed(client, section)
    assert reply.status_code == 400
    assert reply.get_json()["error"] == f"invalid fixtures: {key}: {message}"
    assert client.get("/_emulator/state").get_json() == before


def test_demo_state_is_the_documented_shape(client):
    state = client.get("/_emulator/state").get_json()["adobe_campaign"]
    (org,) = state["organizations"]
    assert (org["id"], org["access_token"], org["api_key"]) == ("demo-org", "demo-acs-token", "demo-acs-key")
    assert len(org["profiles"]) == 30
    amy = org["profiles"][0]
    assert (amy["PKey"], amy["firstName"], amy["lastName"], amy["email"], amy["birthDate"]) == (
        AMY, "Amy", "Dakota", "amy.dakota@mail.com", "1980-10-24")
    assert "href" not in amy and "age" not in amy  # derived on read, not state


def test_state_round_trips_with_made_profiles_and_custom_fields(client):
    _seed(client, {"organizations": [{"id": "acme", "access_token": "t", "api_key": "k",
                                      "custom_fields": [{"name": "cusTier", "type": "string", "length": 8},
                                                        {"name": "cusSince", "type": "datetime"}],
                                      "profiles": [{"firstName": "Ann", "cusTier": "gold",
                                                    "cusSince": "2020-01-02T03:04:05Z"}]}]})
    made = client.post(f"{P}/", json={"email": "made@x.org", "blackListEmail": True}, headers=H).get_json()
    client.patch(f"{P}/{AMY}", json={"phone": "3301020304", "location": {"city": "Paris"}}, headers=H)
    state = client.get("/_emulator/state").get_json()
    assert client.post("/_emulator/reset").status_code == 200
    assert client.get("/_emulator/state").get_json()["adobe_campaign"] == {"organizations": []}
    assert client.post("/_emulator/seed", json=state).status_code == 200
    assert client.get("/_emulator/state").get_json() == state
    # every PKey issued before still resolves after the round trip
    for pkey in (made["PKey"], AMY):
        assert client.get(f"{P}/{pkey}", headers=H).status_code == 200
    again = client.get(f"{P}/{made['PKey']}", headers=H).get_json()
    assert {k: again[k] for k in made if k != "href"} == {k: made[k] for k in made if k != "href"}
    ann = state["adobe_campaign"]["organizations"][1]["profiles"][0]
    assert (ann["cusTier"], ann["cusSince"]) == ("gold", "2020-01-02 03:04:05.000Z")
    # and ids made after the seed never collide with seeded ones
    newer = client.post(P, json={"email": "newer@x.org"}, headers=H).get_json()
    assert newer["PKey"] not in (made["PKey"], AMY)
    assert client.get(f"{P}/_count", headers=H).get_json() == {"count": 32}


def test_seed_adds_or_replaces_what_it_names(client):
    reply = _seed(client, {"organizations": [{"id": "demo-org", "profiles": [
        {"PKey": AMY, "firstName": "Amelia", "lastName": "Dakota"}, {"firstName": "Extra"}]}]})
    assert reply.status_code == 200
    amy = client.get(f"{P}/{AMY}", headers=H).get_json()  # credentials kept when omitted
    assert (amy["firstName"], amy["email"]) == ("Amelia", "")  # the named profile is replaced whole
    assert client.get(f"{P}/_count", headers=H).get_json() == {"count": 31}


def test_a_get_answer_pasted_into_fixtures_is_accepted(client):
    amy = client.get(f"{P}/{AMY}", headers=H).get_json()
    reply = _seed(client, {"organizations": [{"id": "copy-org", "access_token": "t", "api_key": "k",
                                              "profiles": [amy]}]})
    assert reply.status_code == 200, reply.get_json()
    copy = client.get(f"/copy-org/campaign/profileAndServices/profile/{AMY}",
                      headers={"Authorization": "Bearer t", "X-Api-Key": "k"}).get_json()
    assert {k: v for k, v in copy.items() if k not in ("href", "subscriptions")} == {
        k: v for k, v in amy.items() if k not in ("href", "subscriptions")}


def test_generated_credentials(client):
    _seed(client, {"organizations": [{"id": "bare"}]})
    (org,) = [o for o in client.get("/_emulator/state").get_json()["adobe_campaign"]["organizations"]
              if o["id"] == "bare"]
    assert org["access_token"] and org["api_key"] and org["profiles"] == []
    ok = client.get("/bare/campaign/profileAndServices/profile",
                    headers={"Authorization": f"Bearer {org['access_token']}", "X-Api-Key": org["api_key"]})
    assert ok.status_code == 200 and ok.get_json()["content"] == []


def test_health_counts(client):
    assert client.get("/_emulator/health").get_json()["vendors"]["adobe_campaign"] == {
        "tenants": 1, "profiles": 30, "services": 3, "subscriptions": 1}


def test_reset_one_organization(client):
    _seed(client, {"organizations": [{"id": "acme", "access_token": "t", "api_key": "k",
                                      "profiles": [{"firstName": "Ann"}]}]})
    assert client.post("/_emulator/reset", json={"vendor": "adobe_campaign", "tenant": "acme"}).status_code == 200
    assert client.get("/_emulator/health").get_json()["vendors"]["adobe_campaign"] == {
        "tenants": 1, "profiles": 30, "services": 3, "subscriptions": 1}


def test_reason_phrases_are_adobes(client):
    """Adobe's SDK quotes the reason phrase in its errors (``404 - Not Found (…)``)."""
    assert client.get(f"{P}/@O5iRp40EGA", headers=H).status == "500 Internal Server Error"
    assert client.get("/demo-org/campaign/nothing", headers=H).status == "404 Not Found"
    assert client.get(P, headers={**H, "Authorization": "Bearer x"}).status == "401 Unauthorized"
    assert client.get(P, headers={**H, "X-Api-Key": "x"}).status == "403 Forbidden"
    assert client.post(P, json={}, headers=H).status == "201 Created"
    assert client.get(f"{P}/{AMY}", headers=H).status == "200 OK"
    assert client.delete(f"{P}/{AMY}", headers=H).status == "200 OK"


S = "/demo-org/campaign/profileAndServices/service"


def test_services_subscriptions_and_units_round_trip_through_state(client):
    made = client.post(S, json={"label": "Weekly", "messageType": "sms"}, headers=H).get_json()
    sub = client.post(f"{S}/{made['PKey']}/subscriptions/", json={"subscriber": {"PKey": AMY}}, headers=H).get_json()
    units = client.get("/demo-org/campaign/profileAndServicesExt/orgUnitBase", headers=H).get_json()["content"]
    brand4 = next(u for u in units if u["name"] == "brand4")
    client.patch(f"/demo-org/campaign/profileAndServicesExt/profile/{AMY}", json={"orgUnit": {"PKey": brand4["PKey"]}},
                 headers=H)
    state = client.get("/_emulator/state").get_json()
    org = state["adobe_campaign"]["organizations"][0]
    assert [s["name"] for s in org["services"]] == ["SVC1", "SVC2", "SVC3", "SVC4"]
    assert "href" not in org["services"][0] and "title" not in org["services"][0]  # stored values only
    assert org["subscriptions"][1] == {"PKey": sub["PKey"], "created": sub["created"],
                                       "service": {"PKey": made["PKey"], "name": "SVC4"}, "subscriber": {"PKey": AMY}}
    assert [u["name"] for u in org["orgUnits"]] == ["all", "brand2", "brand4"]
    assert org["profiles"][0]["orgUnit"] == {"PKey": brand4["PKey"]}
    assert client.post("/_emulator/reset").status_code == 200
    assert client.post("/_emulator/seed", json=state).status_code == 200
    assert client.get("/_emulator/state").get_json() == state
    assert client.post("/_emulator/seed", json=state).status_code == 200  # over itself: no change
    assert client.get("/_emulator/state").get_json() == state
    # every PKey and href issued before still resolves
    item = client.get(f"{S}/{made['PKey']}/subscriptions/{sub['PKey']}", headers=H)
    assert item.status_code == 200 and item.get_json()["subscriber"]["PKey"] == AMY
    ext = client.get(f"/demo-org/campaign/profileAndServicesExt/profile/{AMY}", headers=H).get_json()
    assert ext["orgUnit"]["PKey"] == brand4["PKey"]
    # and a service made after the seed never takes a seeded number
    assert client.post(S, json={"label": "Later"}, headers=H).get_json()["name"] == "SVC5"


def test_seeded_services_and_subscriptions_by_name_and_pasted_answers(client):
    svc1 = client.get(f"{S}/SVC1", headers=H).get_json()
    reply = _seed(client, {"organizations": [{"id": "copy-org", "access_token": "t", "api_key": "k",
                                              "profiles": [{"PKey": AMY, "firstName": "Amy"}],
                                              "services": [svc1, {"label": "No name"}],
                                              "subscriptions": [{"service": {"name": "SVC1"},
                                                                 "subscriber": {"PKey": AMY}}]}]})
    assert reply.status_code == 200, reply.get_json()
    other = {"Authorization": "Bearer t", "X-Api-Key": "k"}
    copy = client.get(f"/copy-org/campaign/profileAndServices/service/{svc1['PKey']}", headers=other).get_json()
    assert {k: v for k, v in copy.items() if k not in ("href", "subscriptions")} == {
        k: v for k, v in svc1.items() if k not in ("href", "subscriptions")}
    names = [s["name"] for s in client.get("/copy-org/campaign/profileAndServices/service", headers=other)
             .get_json()["content"]]
    assert names[0] == "SVC1" and names[1].startswith("SVC") and names[1] != "SVC1"
    subs = client.get(f"/copy-org/campaign/profileAndServices/profile/{AMY}/subscriptions/", headers=other)
    assert [i["serviceName"] for i in subs.get_json()["content"]] == ["SVC1"]


@pytest.mark.parametrize("org, key, message", [
    ({"services": [{"label": "x", "mode": "weekly"}]}, "services[0].mode",
     "RST-360011 An error has occurred - please contact your administrator. The value 'weekly' is not valid "
     "for the 'nms:service:mode' enumeration of the '@mode' field"),
    ({"services": [{"name": "A"}, {"name": "A"}]}, "services[1].name", "this name appears twice in the organization"),
    ({"services": [{"nom": "A"}]}, "services[0].nom", "Unknown field."),
    ({"subscriptions": [{"service": {"name": "SVC1"}}]}, "subscriptions[0].subscriber",
     'a subscriber is named by {"PKey": …}'),
    ({"subscriptions": [{"service": "SVC1", "subscriber": {"PKey": AMY}}]}, "subscriptions[0].service",
     'a service is named by {"PKey": …} or {"name": …}'),
    ({"orgUnits": [{"label": "no name"}]}, "orgUnits[0].name", "Missing data for required field."),
    ({"profiles": [{"orgUnit": "brand4"}]}, "profiles[0].orgUnit", 'a unit is named by {"PKey": …} or {"name": …}'),
])
def test_invalid_service_fixtures_name_the_key(client, org, key, message):
    before = client.get("/_emulator/state").get_json()
    reply = _seed(client, {"organizations": [{"id": "demo-org", **org}]})
    assert reply.status_code == 400
    assert reply.get_json()["error"] == f"invalid fixtures: adobe_campaign.organizations[0].{key}: {message}"
    assert client.get("/_emulator/state").get_json() == before


@pytest.mark.parametrize("org, message", [
    ({"subscriptions": [{"service": {"name": "SVC9"}, "subscriber": {"PKey": AMY}}]},
     "subscriptions[0].service: no service of the organization is 'SVC9'."),
    ({"subscriptions": [{"service": {"name": "SVC2"}, "subscriber": {"PKey": "@nobody"}}]},
     "subscriptions[0].subscriber: no profile of the organization has the PKey '@nobody'."),
    ({"subscriptions": [{"service": {"name": "SVC1"}, "subscriber": {"PKey": AMY}}]},
     "subscriptions[0]: the profile is already subscribed to this service (a profile has one subscription "
     "per service)."),
    ({"profiles": [{"firstName": "X", "orgUnit": {"name": "brand9"}}]},
     "profiles[0].orgUnit: no unit of the organization is 'brand9'."),
    ({"orgUnits": [{"name": "b", "parent": "nowhere"}]}, "orgUnits[0].parent: no unit is named 'nowhere'."),
])
def test_references_that_name_nothing_are_refused_before_anything_changes(client, org, message):
    before = client.get("/_emulator/state").get_json()
    reply = _seed(client, {"organizations": [{"id": "demo-org", **org}]})
    assert reply.status_code == 400
    assert reply.get_json()["error"] == f"invalid fixtures: adobe_campaign.organizations[0].{message}"
    assert client.get("/_emulator/state").get_json() == before


def test_a_service_replaced_by_name_keeps_its_subscribers_and_refuses_a_second_one(client):
    reply = _seed(client, {"organizations": [{"id": "demo-org", "services": [{"name": "SVC1", "label": "Sports"}],
                                              "subscriptions": [{"service": {"name": "SVC1"},
                                                                 "subscriber": {"PKey": AMY}}]}]})
    assert reply.status_code == 400
    assert "subscriptions[0]: the profile is already subscribed" in reply.get_json()["error"]
    assert _seed(client, {"organizations": [{"id": "demo-org", "services": [{"name": "SVC1", "label": "Sports"}]}]}
                 ).status_code == 200
    svc1 = client.get(f"{S}/SVC1", headers=H).get_json()
    assert svc1["title"] == "Sports (SVC1)"
    subs = client.get(f"{S}/SVC1/subscriptions/", headers=H)
    assert subs.status_code == 404  # only the PKey addresses a service's collections
    items = client.get(svc1["subscriptions"]["href"].split("localhost", 1)[1], headers=H).get_json()["content"]
    assert [i["subscriber"]["PKey"] for i in items] == [AMY]
