"""Subscriptions (§1.15): subscribe both ways, list both ways, unsubscribe, as documented."""
from __future__ import annotations

from .acs import AMY, H, ORG, PKEY_RE, PROFILES, RST, SERVICES, STAMP_RE, backend_error, create, get, local, service

BASE = f"/{ORG}/campaign/profileAndServices"


def _items(api, href: str) -> list[dict]:
    reply = api.get(local(api, href), headers=H)
    assert reply.status_code == 200, reply.text
    return reply.json()["content"]


def test_retrieving_a_profiles_subscriptions_example(api):
    amy = get(api, AMY)
    (item,) = _items(api, amy["subscriptions"]["href"])  # the demo subscribes Amy to SVC1
    svc1 = service(api, "SVC1")
    assert PKEY_RE.match(item["PKey"]) and item["created"] == "2019-03-26 08:58:04.764Z"
    assert item["service"] == {"PKey": svc1["PKey"], "href": f"{api.base_url}{BASE}/service/{svc1['PKey']}",
                               "label": "Sport Newsletter", "name": "SVC1", "title": "Sport Newsletter (SVC1)"}
    assert item["serviceName"] == "SVC1"
    assert item["href"] == f"{amy['subscriptions']['href']}{item['PKey']}"
    assert api.get(local(api, item["href"]), headers=H).json() == item


def test_retrieving_a_services_subscriptions_example(api):
    svc1 = service(api, "SVC1")
    (item,) = _items(api, svc1["subscriptions"]["href"])
    assert set(item) == {"PKey", "created", "email", "expirationDate", "href", "metadata", "service",
                         "serviceName", "subscriber"}
    assert (item["email"], item["expirationDate"], item["metadata"], item["serviceName"]) == (
        "", "", "subscriptionRcp", "SVC1")
    assert item["href"] == f"{api.base_url}{BASE}/service/{svc1['PKey']}/subscriptions/{item['PKey']}"
    assert item["subscriber"] == {"PKey": AMY, "email": "amy.dakota@mail.com", "firstName": "Amy",
                                  "href": f"{api.base_url}{PROFILES}/{AMY}", "lastName": "Dakota"}
    assert api.get(local(api, item["subscriber"]["href"]), headers=H).json()["PKey"] == AMY


def test_subscribing_from_the_profile_method_1_example(api):
    john = create(api, {"firstName": "John", "lastName": "Doe", "email": ""})
    svc2 = service(api, "SVC2")
    reply = api.post(local(api, john["subscriptions"]["href"]),
                     data=f'{{"service":{{"PKey":"{svc2["PKey"]}"}}}}', headers=H)
    assert reply.status_code == 201
    body = reply.json()
    assert body["service"]["PKey"] == svc2["PKey"] and body["service"]["title"] == "Flash sales (SVC2)"
    assert body["serviceName"] == ""  # as both documented POST answers show it
    assert body["subscriber"]["PKey"] == john["PKey"] and STAMP_RE.match(body["created"])
    (listed,) = _items(api, john["subscriptions"]["href"])
    assert listed["PKey"] == body["PKey"] and listed["serviceName"] == "SVC2"
    assert [i["subscriber"]["PKey"] for i in _items(api, svc2["subscriptions"]["href"])] == [john["PKey"]]


def test_subscribing_from_the_service_method_2_example(api):
    svc3 = service(api, "SVC3")
    reply = api.post(local(api, svc3["subscriptions"]["href"]), data=f'{{"subscriber":{{"PKey":"{AMY}"}}}}',
                     headers=H)
    assert reply.status_code == 201
    body = reply.json()
    assert (body["service"]["PKey"], body["serviceName"], body["subscriber"]["PKey"]) == (svc3["PKey"], "", AMY)
    assert sorted(i["serviceName"] for i in _items(api, get(api, AMY)["subscriptions"]["href"])) == ["SVC1", "SVC3"]


def test_deleting_a_subscription_example(api):
    svc1 = service(api, "SVC1")
    (item,) = _items(api, svc1["subscriptions"]["href"])
    reply = api.delete(local(api, item["href"]), headers=H)
    assert reply.status_code == 204 and reply.content == b""
    assert _items(api, svc1["subscriptions"]["href"]) == []
    assert _items(api, get(api, AMY)["subscriptions"]["href"]) == []
    again = api.delete(local(api, item["href"]), headers=H)
    assert again.status_code == 404 and "path 'Subscription'" in again.json()["message"]


def test_a_profile_side_item_href_deletes_too(api):
    (item,) = _items(api, get(api, AMY)["subscriptions"]["href"])
    assert api.delete(local(api, item["href"]), headers=H).status_code == 204
    assert _items(api, service(api, "SVC1")["subscriptions"]["href"]) == []


def test_counting_and_paging_a_subscription_list(api):
    svc2 = service(api, "SVC2")
    made = [create(api, {"email": f"p{i}@example.com"}) for i in range(3)]
    for profile in made:
        api.post(local(api, svc2["subscriptions"]["href"]), json={"subscriber": {"PKey": profile["PKey"]}},
                 headers=H)
    page = api.get(f"{local(api, svc2['subscriptions']['href'])}?_lineCount=2", headers=H).json()
    assert len(page["content"]) == 2
    assert api.get(local(api, page["count"]["href"]), headers=H).json() == {"count": 3}
    rest = api.get(local(api, page["next"]["href"]), headers=H).json()["content"]
    assert [i["subscriber"]["email"] for i in page["content"] + rest] == [p["email"] for p in made]


def test_subscribing_twice_and_unknown_records_are_refused(api):
    amy_subs = local(api, get(api, AMY)["subscriptions"]["href"])
    svc1 = service(api, "SVC1")
    twice = api.post(amy_subs, json={"service": {"PKey": svc1["PKey"]}}, headers=H)
    assert twice.status_code == 500
    assert twice.json() == backend_error(500, f"{RST} The profile '{AMY}' is already subscribed to the service "
                                              "'SVC1': a profile has one subscription per service.")
    gone = create(api, {"email": "gone@example.com"})
    api.delete(local(api, gone["href"]), headers=H)
    unknown_profile = api.post(local(api, svc1["subscriptions"]["href"]), json={"subscriber": {"PKey": gone["PKey"]}},
                               headers=H)
    assert unknown_profile.status_code == 404 and "path 'Profile'" in unknown_profile.json()["message"]
    made = api.post(SERVICES, json={"label": "Temp"}, headers=H).json()
    api.delete(local(api, made["href"]), headers=H)
    unknown_service = api.post(amy_subs, json={"service": {"PKey": made["PKey"]}}, headers=H)
    assert unknown_service.status_code == 404
    assert unknown_service.json()["message"] == (f"{RST} Unable to find document with path 'Service' from key "
                                                 f"'{made['PKey']}' (document with schema 'service' and name "
                                                 f"'{made['PKey']}')")
    as_service = api.post(amy_subs, json={"service": {"PKey": AMY}}, headers=H)  # a profile's PKey
    assert as_service.status_code == 500 and "'Services (nms:service)'" in as_service.json()["message"]
    missing = api.post(amy_subs, json={}, headers=H)
    assert missing.status_code == 500 and "'service' property is required" in missing.json()["message"]
    extra = api.post(amy_subs, json={"service": {"PKey": svc1["PKey"]}, "colour": "red"}, headers=H)
    assert extra.json() == backend_error(500, "'colour' property is not valid for the 'subscriptions' resource.")
    assert len(api.get(amy_subs, headers=H).json()["content"]) == 1  # nothing was added


def test_another_organizations_pkeys_do_not_resolve(api):
    api.seed({"adobe_campaign": {"organizations": [{
        "id": "other-org", "access_token": "other-token", "api_key": "other-key",
        "profiles": [{"firstName": "Ola"}], "services": [{"name": "SVC1", "label": "Other news"}]}]}})
    other = {"Authorization": "Bearer other-token", "X-Api-Key": "other-key"}
    theirs = api.get("/other-org/campaign/profileAndServices/service/SVC1", headers=other).json()
    ola = api.get("/other-org/campaign/profileAndServices/profile", headers=other).json()["content"][0]
    amy_subs = local(api, get(api, AMY)["subscriptions"]["href"])
    foreign = api.post(amy_subs, json={"service": {"PKey": theirs["PKey"]}}, headers=H)
    assert foreign.status_code == 500 and "XTK-170036" in foreign.json()["message"]
    svc1 = local(api, service(api, "SVC1")["subscriptions"]["href"])
    foreign = api.post(svc1, json={"subscriber": {"PKey": ola["PKey"]}}, headers=H)
    assert foreign.status_code == 500 and "'Profiles (nms:recipient)'" in foreign.json()["message"]
    assert api.get(f"/other-org/campaign/profileAndServices/service/{service(api, 'SVC1')['PKey']}",
                   headers=other).status_code == 500


def test_deleting_a_profile_removes_its_subscriptions(api):
    svc1 = service(api, "SVC1")
    assert api.delete(f"{PROFILES}/{AMY}", headers=H).status_code == 200
    assert _items(api, svc1["subscriptions"]["href"]) == []
    assert api.get(f"{PROFILES}/{AMY}/subscriptions/", headers=H).status_code == 404
