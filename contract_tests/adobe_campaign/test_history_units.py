"""Marketing history and organizational units (§1.15), as documented."""
from __future__ import annotations

from .acs import AMY, EXT, H, HISTORY, ORG, PKEY_RE, STAMP_RE, UNITS, backend_error, get, local, service


def test_marketing_history_example(api):
    reply = api.get(f"{HISTORY}/{AMY}", headers=H)
    assert reply.status_code == 200
    body = reply.json()
    assert (body["PKey"], body["firstName"], body["lastName"], body["birthDate"]) == (AMY, "Amy", "Dakota",
                                                                                       "1980-10-24")
    assert body["events"] == {"href": f"{api.base_url}{HISTORY}/{AMY}/events/", "metadata": "subHisto"}
    assert (body["countBroadLogEvents"], body["countSubHistoEvents"]) == (0, 0)
    events = api.get(local(api, body["events"]["href"]), headers=H)
    assert events.status_code == 200 and events.json()["content"] == []


def test_subscribing_and_unsubscribing_are_events_of_the_history(api):
    svc3 = service(api, "SVC3")
    made = api.post(local(api, svc3["subscriptions"]["href"]), json={"subscriber": {"PKey": AMY}}, headers=H).json()
    assert api.delete(local(api, made["href"]), headers=H).status_code == 204
    history = api.get(f"{HISTORY}/{AMY}", headers=H).json()
    assert history["countSubHistoEvents"] == 2 and STAMP_RE.match(history["minSubHistoEvents"])
    events = api.get(local(api, history["events"]["href"]), headers=H).json()["content"]
    assert [(e["label"], e["type"], e["category"]) for e in events] == [
        ("Subscription to Product updates (SVC3)", "subscription", "subscription"),
        ("Unsubscription from Product updates (SVC3)", "unsubscription", "subscription")]
    assert PKEY_RE.match(events[0]["PKey"])
    assert api.get(local(api, events[0]["href"]), headers=H).json() == events[0]


def test_history_metadata_and_errors(api):
    meta = api.get(f"/{ORG}/campaign/profileAndServices/resourceType/history", headers=H).json()
    assert (meta["name"], meta["schema"]) == ("history", "nms:history")
    assert {"countBroadLogEvents", "countSubHistoEvents", "events", "email", "firstName"} <= set(meta["content"])
    assert api.get(f"{HISTORY}/@O5iRp40EGA", headers=H).status_code == 500
    listed = api.get(f"{HISTORY}/byEmail?email=amy.dakota@mail.com", headers=H).json()["content"]
    assert [h["PKey"] for h in listed] == [AMY]


def test_listing_organizational_units(api):
    reply = api.get(f"{UNITS}/", headers=H)
    assert reply.status_code == 200
    units = {u["name"]: u for u in reply.json()["content"]}
    assert set(units) == {"all", "brand2", "brand4"}
    assert (units["all"]["title"], units["all"]["parentTitle"]) == ("All (all)", "")
    brand4 = units["brand4"]
    assert set(brand4) == {"PKey", "created", "desc", "href", "label", "lastModified", "name", "parentTitle", "title"}
    assert (brand4["label"], brand4["parentTitle"], brand4["title"]) == ("Brand 4", "All (all)", "Brand 4 (brand4)")
    assert brand4["href"] == f"{api.base_url}{UNITS}/{brand4['PKey']}"
    assert api.get(local(api, brand4["href"]), headers=H).json() == brand4
    assert api.get(f"/{ORG}/campaign/profileAndServices/orgUnitBase/", headers=H).status_code == 404  # Ext only


def test_updating_an_organizational_unit_example(api):
    brand4 = next(u for u in api.get(UNITS, headers=H).json()["content"] if u["name"] == "brand4")
    reply = api.patch(local(api, brand4["href"]), data='{"label":"brand1","name":"brand1"}', headers=H)
    assert reply.status_code == 200 and reply.json()["PKey"] == brand4["PKey"]
    after = api.get(local(api, reply.json()["href"]), headers=H).json()
    assert (after["label"], after["name"], after["title"]) == ("brand1", "brand1", "brand1 (brand1)")
    taken = api.patch(local(api, brand4["href"]), json={"name": "brand2"}, headers=H)
    assert taken.status_code == 500 and "'brand2' is already used" in taken.json()["message"]
    bad = api.patch(local(api, brand4["href"]), json={"colour": "red"}, headers=H)
    assert bad.json() == backend_error(500, "'colour' property is not valid for the 'orgUnitBase' resource.")


def test_updating_a_profiles_organizational_unit_example(api):
    assert get(api, AMY, EXT)["orgUnit"] is None
    brand4 = next(u for u in api.get(UNITS, headers=H).json()["content"] if u["name"] == "brand4")
    reply = api.patch(f"{EXT}/{AMY}", data=f'{{"orgUnit":{{"PKey":"{brand4["PKey"]}"}}}}', headers=H)
    assert reply.status_code == 200 and set(reply.json()) == {"PKey", "href"}
    assert get(api, AMY, EXT)["orgUnit"] == {"PKey": brand4["PKey"], "href": brand4["href"],
                                            "title": "Brand 4 (brand4)"}
    assert api.get(local(api, get(api, AMY, EXT)["orgUnit"]["href"]), headers=H).json()["name"] == "brand4"
    # "remember to always use the profileAndServicesExt endpoint"
    plain = api.patch(f"/{ORG}/campaign/profileAndServices/profile/{AMY}", json={"orgUnit": None}, headers=H)
    assert plain.json() == backend_error(500, "'orgUnit' property is not valid for the 'profile' resource.")
    unknown = api.patch(f"{EXT}/{AMY}", json={"orgUnit": {"PKey": "@O5iRp40EGA"}}, headers=H)
    assert unknown.status_code == 500 and get(api, AMY, EXT)["orgUnit"]["title"] == "Brand 4 (brand4)"
    cleared = api.patch(f"{EXT}/{AMY}", json={"orgUnit": None}, headers=H)
    assert cleared.status_code == 200 and get(api, AMY, EXT)["orgUnit"] is None
    made = api.post(EXT, json={"email": "unit@example.com", "orgUnit": {"PKey": brand4["PKey"]}}, headers=H)
    assert made.status_code == 201 and made.json()["orgUnit"]["title"] == "Brand 4 (brand4)"


def test_the_apis_list_their_new_resources(api):
    plain = api.get(f"/{ORG}/campaign/profileAndServices/", headers=H).json()
    ext = api.get(f"/{ORG}/campaign/profileAndServicesExt/", headers=H).json()
    assert {"profile", "service", "history"} <= set(plain) and "orgUnitBase" not in plain
    assert "orgUnitBase" in ext
    for name in ("service", "history"):
        assert api.get(local(api, plain[name]["href"]), headers=H).json()["name"] == name
    assert api.get(local(api, ext["orgUnitBase"]["href"]), headers=H).json()["name"] == "orgUnitBase"
