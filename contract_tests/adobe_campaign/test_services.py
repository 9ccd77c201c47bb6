"""Services (§1.15): the documented create, read, filter and count samples, sent as documented."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from .acs import DEMO_SERVICES, H, JSON, ORG, PKEY_RE, RST, SERVICES, STAMP_RE, backend_error, local, service


def test_creating_a_service_example(api):
    reply = api.post(f"{SERVICES}/", data='{"label": "My newsletter", "messageType": "email", '
                                          '"name": "email_newsletter", "start": "2019-10-06"}', headers=H)
    assert reply.status_code == 201 and reply.header("Content-Type") == JSON
    body = reply.json()
    assert PKEY_RE.match(body["PKey"]) and STAMP_RE.match(body["created"])
    assert body["builtIn"] is False and body["label"] == "My newsletter"
    assert body["href"] == f"{api.base_url}/{ORG}/campaign/profileAndServices/service/{body['PKey']}"
    assert (body["name"], body["title"], body["messageType"], body["mode"], body["start"]) == (
        "email_newsletter", "My newsletter (email_newsletter)", "email", "newsletter", "2019-10-06")
    # "Otherwise, the new service will be created with default ones"
    assert (body["targetResource"], body["subScenarioEventType"], body["limitedDuration"], body["end"]) == (
        "profile", "subscriptionEvent", False, "")
    again = api.get(local(api, body["href"]), headers=H)
    assert again.status_code == 200 and again.json() == body


def test_a_service_created_without_a_name_is_svc_n(api):
    body = api.post(SERVICES, json={"label": "sport"}, headers=H).json()
    assert body["name"] == "SVC4" and body["title"] == "sport (SVC4)"  # the demo holds SVC1..SVC3
    assert api.post(SERVICES, json={"label": "more"}, headers=H).json()["name"] == "SVC5"


def test_reading_a_service_example(api):
    svc1 = service(api, "SVC1")
    body = api.get(local(api, svc1["href"]), headers=H).json()
    assert (body["messageType"], body["mode"], body["name"], body["subScenarioEventType"],
            body["targetResource"]) == ("email", "newsletter", "SVC1", "subscriptionEvent", "profile")
    assert body["subscriptions"] == {
        "href": f"{api.base_url}/{ORG}/campaign/profileAndServices/service/{body['PKey']}/subscriptions/"}
    assert body["title"] == "Sport Newsletter (SVC1)"


def test_filtering_by_channel_and_text_example(api):
    made = api.post(SERVICES, json={"label": "sport"}, headers=H).json()
    body = api.get(f"{SERVICES}/byChannel/byText?channel=email&text=sport", headers=H).json()
    assert [s["PKey"] for s in body["content"]] == [made["PKey"]]
    (found,) = body["content"]
    assert (found["label"], found["limitedDuration"], found["messageType"], found["mode"], found["name"]) == (
        "sport", False, "email", "newsletter", made["name"])
    assert found["href"] == f"{api.base_url}/{ORG}/campaign/profileAndServices/service/{made['PKey']}"
    assert body["serverSidePagination"] is True


def test_filtering_by_channel_sms_and_counting_example(api):
    for i in range(3):
        api.post(SERVICES, json={"label": f"Alert {i}", "messageType": "sms"}, headers=H)
    body = api.get(f"{SERVICES}/byChannel?channel=sms&_lineCount=2", headers=H).json()
    assert [s["messageType"] for s in body["content"]] == ["sms", "sms"]
    count = urlsplit(body["count"]["href"])
    assert count.path.endswith("/profileAndServices/service/byChannel/_count")
    assert parse_qs(count.query)["channel"] == ["sms"] and parse_qs(count.query)["_lineStart"][0].startswith("@")
    assert api.get(local(api, body["count"]["href"]), headers=H).json() == {"count": 4}
    rest = api.get(local(api, body["next"]["href"]), headers=H).json()
    assert len(rest["content"]) == 2 and "next" not in rest


def test_the_other_documented_filters(api):
    names = lambda path: sorted(s["name"] for s in api.get(path, headers=H).json()["content"])
    assert names(f"{SERVICES}/byText?text=Flash") == ["SVC2"]  # by label
    assert names(f"{SERVICES}/byText?text=SVC") == sorted(DEMO_SERVICES)  # by name
    assert names(f"{SERVICES}/byPlanning?startDate=2019-01-01&endDate=2019-12-31") == ["SVC1", "SVC3"]
    assert names(f"{SERVICES}/byPlanning?startDate=2031-01-01") == ["SVC1", "SVC3"]  # SVC2 ends in 2030
    assert names(f"{SERVICES}/byTargetResource?targetResource=profile") == sorted(DEMO_SERVICES)
    assert names(f"{SERVICES}/byTargetResource?targetResource=cusLead") == []
    assert api.get(f"{SERVICES}//_count", headers=H).json() == {"count": 3}
    assert api.get(f"{SERVICES}/byChannel/_count?channel=email", headers=H).json() == {"count": 2}
    labels = api.get(f"{SERVICES}/label?_order=label%20desc", headers=H).json()["content"]
    assert labels == ["Sport Newsletter", "Product updates", "Flash sales"]


def test_service_metadata_and_filters(api):
    meta = api.get(f"/{ORG}/campaign/profileAndServices/resourceType/service", headers=H).json()
    assert (meta["name"], meta["schema"], meta["data"]) == ("service", "nms:service", "/profileAndServices/service/")
    assert meta["content"]["messageType"]["values"]["sms"] == {"label": "Mobile (SMS)", "name": "sms", "value": 1}
    assert meta["content"]["name"]["length"] == 64 and meta["content"]["title"]["readOnly"] is True
    filters = api.get(local(api, meta["filters"]["href"]), headers=H).json()
    assert set(filters) == {"byChannel", "byPlanning", "byTargetResource", "byText"}
    assert api.get(local(api, meta["href"]), headers=H).json()["content"] == meta["content"]


def test_the_ext_forms(api):
    ext = f"/{ORG}/campaign/profileAndServicesExt/service"
    made = api.post(f"{ext}/", json={"label": "Ext news"}, headers=H)
    assert made.status_code == 201
    assert made.json()["href"] == f"{api.base_url}{ext}/{made.json()['PKey']}"
    assert api.get(f"{ext}/byText?text=Ext", headers=H).json()["content"][0]["name"] == made.json()["name"]
    assert api.get(f"/{ORG}/campaign/profileAndServicesExt/resourceType/service", headers=H).status_code == 200


def test_patch_and_the_documented_key_change_error(api):
    svc3 = service(api, "SVC3")
    reply = api.patch(local(api, svc3["href"]), json={"label": "Product news", "desc": "Monthly"}, headers=H)
    assert reply.status_code == 200 and set(reply.json()) == {"PKey", "href"}
    assert service(api, "SVC3")["title"] == "Product news (SVC3)"
    changed = api.patch(f"{SERVICES}/SVC3", json={"name": "SVC4"}, headers=H)
    assert changed.status_code == 500
    assert changed.json() == backend_error(500, f"{RST} RST-360012 Inconsistent operation on resource "
                                                "'service' – Cannot update key 'SVC3' to 'SVC4'.")


def test_service_errors(api):
    missing = api.get(f"{SERVICES}/adobe_nl", headers=H)  # the documented non-existent key
    assert missing.status_code == 404
    assert missing.json() == backend_error(404, f"{RST} Unable to find document with path 'Service' from key "
                                                "'adobe_nl:0' (document with schema 'service' and name 'adobe_nl')")
    bad = api.get(f"{SERVICES}/@O5iRp40EGA", headers=H)
    assert bad.status_code == 500 and "XTK-170036" in bad.json()["message"]
    unknown = api.post(SERVICES, json={"label": "x", "colour": "red"}, headers=H)
    assert unknown.json() == backend_error(500, "'colour' property is not valid for the 'service' resource.")
    enum = api.post(SERVICES, json={"messageType": "fax"}, headers=H)
    assert enum.status_code == 500 and "'nms:service:messageType'" in enum.json()["message"]
    twice = api.post(SERVICES, json={"name": "SVC1"}, headers=H)
    assert twice.status_code == 500 and "'SVC1' is already used" in twice.json()["message"]
    assert api.get(f"{SERVICES}//_count", headers=H).json() == {"count": 3}  # nothing was made


def test_deleting_a_service_removes_its_subscriptions(api):
    svc1 = service(api, "SVC1")
    subs = local(api, svc1["subscriptions"]["href"])
    assert len(api.get(subs, headers=H).json()["content"]) == 1
    assert api.delete(local(api, svc1["href"]), headers=H).status_code == 200
    assert api.get(local(api, svc1["href"]), headers=H).status_code == 404
    assert api.get(subs, headers=H).status_code == 404
    state = api.get("/_emulator/state").json()["adobe_campaign"]["organizations"][0]
    assert state["subscriptions"] == [] and "SVC1" not in [s["name"] for s in state["services"]]
