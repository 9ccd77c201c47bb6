"""The request journal through the app: what is recorded, and the /_emulator/requests API."""
from __future__ import annotations

import pytest

from emulator import create_app
from emulator.journal import BODY_LIMIT
from emulator.settings import Settings
from emulator.vendors import VENDORS

TOKEN = "access_token=demo-copernica-token"
OTHER = "access_token=other-copernica-token"


def requests_of(client, query: str = "") -> list[dict]:
    reply = client.get(f"/_emulator/requests{query}")
    assert reply.status_code == 200, reply.json
    return reply.json["requests"]


def test_a_vendor_request_is_recorded_whole_with_credentials_masked(client):
    client.post("/_emulator/clock", json={"freeze": "2026-03-04T05:06:07+00:00"})
    reply = client.put(f"/v3/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D4567&create=0",
                       json={"fields": {"lastname": "Doe"}},
                       headers={"X-Api-Key": "key-123", "Authorization": "Bearer tok-456"})
    assert reply.status_code == 204
    [entry] = requests_of(client)
    headers = entry.pop("headers")
    assert entry == {
        "id": entry["id"], "time": "2026-03-04T05:06:07+00:00", "vendor": "copernica",
        "tenant": "Demo Company", "operation": "copernica.update_profiles", "matched": True,
        "method": "PUT",
        "url": "http://localhost/v3/database/1/profiles?access_token=***&fields%5B0%5D=customerid%3D%3D4567&create=0",
        "path": "/v3/database/1/profiles",
        "query": {"access_token": ["***"], "fields[0]": ["customerid==4567"], "create": ["0"]},
        "query_truncated": False, "headers_truncated": False,
        "body": '{"fields": {"lastname": "Doe"}}', "body_truncated": False,
        "status": 204, "response_headers": {}, "response_body": "",
        "response_truncated": False, "note": None,
    }
    assert headers["X-Api-Key"] == "***" and headers["Authorization"] == "Bearer ***"
    assert headers["Content-Type"] == "application/json"
    assert "tok-456" not in str(requests_of(client)) and "demo-copernica-token" not in str(requests_of(client))


def test_the_vendors_notes_are_recorded(client):
    client.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==9999", json={"fields": {"lastname": "X"}})
    client.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==9999&create=1",
               json={"fields": {"lastname": "X"}})
    client.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==4567&async=1", json={"fields": {"lastname": "X"}})
    notes = [e["note"] for e in requests_of(client)]
    assert notes[0].startswith("selection matched nothing")
    assert notes[1].startswith("selection matched nothing") and "created" in notes[1]
    assert notes[2].startswith("async update queued")


def test_a_request_no_route_matched_is_answered_by_the_vendor_and_flagged_unmatched(client):
    assert client.get(f"/v3/profile/1/datarequest?{TOKEN}").json == {"error": {"message": "Invalid method"}}
    assert client.delete(f"/v3/identity?{TOKEN}").json == {"error": {"message": "Invalid method"}}
    client.get(f"/v3/profile/1?{TOKEN}")
    unmatched = client.get("/_emulator/requests/unmatched").json["requests"]
    assert [(e["method"], e["path"], e["matched"], e["operation"], e["status"]) for e in unmatched] == [
        ("GET", "/v3/profile/1/datarequest", False, None, 400),
        ("DELETE", "/v3/identity", False, None, 400)]
    assert unmatched[0]["response_body"] == '{"error": {"message": "Invalid method"}}'
    assert unmatched[0]["tenant"] == "Demo Company"
    assert len(requests_of(client)) == 3


def test_a_request_with_a_bad_token_is_recorded_without_a_tenant(client):
    client.get("/v3/profile/1?access_token=wrong")
    [entry] = requests_of(client)
    assert (entry["tenant"], entry["status"], entry["url"]) == (
        None, 400, "http://localhost/v3/profile/1?access_token=***")


def test_control_plane_requests_are_not_recorded(client):
    client.get("/_emulator/health")
    client.get("/_emulator/state")
    assert requests_of(client) == []


def test_a_form_body_is_recorded_as_sent_even_though_the_vendor_parsed_it(client):
    reply = client.post(f"/v3/database/1/profiles?{TOKEN}", data="fields%5Bfirstname%5D=Ann&interests%5B%5D=football",
                        content_type="application/x-www-form-urlencoded")
    assert reply.status_code == 201
    [entry] = requests_of(client)
    assert entry["body"] == "fields%5Bfirstname%5D=Ann&interests%5B%5D=football"
    found = client.post("/_emulator/requests/find", json={"form": {"fields[firstname]": "Ann"}}).json
    assert found["count"] == 1


def test_the_url_is_as_sent_and_the_path_as_routed(client):
    reply = client.post(f"/v3//database/1//profiles/?{TOKEN}", data="fields%5Bfirstname%5D=Ann",
                        content_type="application/x-www-form-urlencoded")
    assert reply.status_code == 201
    [entry] = requests_of(client)
    assert entry["url"] == "http://localhost/v3//database/1//profiles/?access_token=***"
    assert entry["path"] == "/v3/database/1/profiles"
    assert entry["body"] == "fields%5Bfirstname%5D=Ann"


def test_bodies_are_cut_at_the_limit_and_an_oversized_refused_body_is_still_recorded(client):
    big = '{"fields": {"firstname": "' + "x" * (2 * BODY_LIMIT) + '"}}'
    assert client.put(f"/v3/profile/1?{TOKEN}", data=big, content_type="application/json").status_code == 204
    huge = "x" * (10 * 1024 * 1024 + 1)
    reply = client.put(f"/v3/profile/1?{TOKEN}", data=huge, content_type="application/json")
    assert reply.json == {"error": {"message": "Request body too large"}}
    first, second = requests_of(client)
    assert len(first["body"]) == BODY_LIMIT and first["body_truncated"] is True
    assert (second["status"], second["body_truncated"]) == (400, True)
    assert len(second["body"]) <= BODY_LIMIT


def test_filters(client):
    client.get(f"/v3/profile/1?{TOKEN}")                           # 200
    client.get(f"/v3/profile/999?{TOKEN}")                         # 400
    client.put(f"/v3/profile/2?{TOKEN}", json={"fields": {}})      # 204
    client.get(f"/v3/database/2/profiles?{OTHER}")                 # 200, other tenant
    paths = lambda q: [e["path"] for e in requests_of(client, q)]
    assert paths("?method=put") == ["/v3/profile/2"]
    assert paths("?tenant=Other+Company") == ["/v3/database/2/profiles"]
    assert paths("?vendor=copernica&status=200") == ["/v3/profile/1", "/v3/database/2/profiles"]
    assert paths("?status=400,204") == ["/v3/profile/999", "/v3/profile/2"]
    assert paths("?path=/v3/profile/*") == ["/v3/profile/1", "/v3/profile/999", "/v3/profile/2"]
    assert paths("?path=/v3/profile/1") == ["/v3/profile/1"]
    assert paths("?limit=2") == ["/v3/profile/2", "/v3/database/2/profiles"]
    everything = requests_of(client)
    assert paths(f"?since={everything[2]['time'].replace('+', '%2B')}") == [
        e["path"] for e in everything if e["time"] >= everything[2]["time"]]
    assert client.get("/_emulator/requests?limit=1").json["journal_size"] == 1000


@pytest.mark.parametrize("query, message", [
    ("?bogus=1", "unknown filter 'bogus'; expected any of: vendor, tenant, method, path, status, since, limit"),
    ("?status=ok", "'status' takes a status code, or several separated by commas"),
    ("?limit=-1", "'limit' takes a whole number ≥ 0"),
    ("?limit=many", "'limit' takes a whole number ≥ 0"),
    ("?vendor=mailchimp", f"unknown vendor 'mailchimp'; expected one of: {', '.join(v.name for v in VENDORS)}"),
    ("?since=today", "'since' is not an ISO-8601 instant: 'today'"),
])
def test_bad_filters_are_refused_by_name(client, query, message):
    reply = client.get(f"/_emulator/requests{query}")
    assert (reply.status_code, reply.json) == (400, {"emulator": "martech-emulator", "status": 400, "error": message})


def test_count_and_find_take_a_matcher(client):
    client.put(f"/v3/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D4567",
               json={"fields": {"lastname": "Doe"}})
    client.put(f"/v3/database/1/profiles?{TOKEN}&fields[]=customerid==1001", json={"fields": {"lastname": "Doe"}})
    matcher = {"method": "PUT", "query": {"fields[]": "customerid==4567"}, "json": {"fields": {"lastname": "Doe"}}}
    assert client.post("/_emulator/requests/count", json=matcher).json == {"count": 1}
    found = client.post("/_emulator/requests/find", json=matcher).json
    assert [e["query"]["fields[0]"] for e in found["requests"]] == [["customerid==4567"]]
    assert client.post("/_emulator/requests/count").json == {"count": 2}  # no body: everything
    assert client.post("/_emulator/requests/count", json={"status": 201}).json == {"count": 0}


@pytest.mark.parametrize("body, message", [
    ('{"verb": "PUT"}', "unknown matcher key 'verb'; expected any of: vendor, tenant, operation, method, path, "
                        "path_regex, query, form, headers, json, body, body_contains, status, matched, note, since"),
    ("[1]", "the request body must be a JSON object"),
    ("{", "the request body is not valid JSON: Expecting property name enclosed in double quotes: "
          "line 1 column 2 (char 1)"),
    ('{"method": null}', "matcher key 'method' takes a string"),
    ('{"path": null}', "matcher key 'path' takes a string"),
    ('{"body_contains": 1}', "matcher key 'body_contains' takes a string"),
])
def test_a_bad_matcher_is_a_400_naming_the_problem(client, body, message):
    for path in ("/_emulator/requests/count", "/_emulator/requests/find"):
        reply = client.post(path, data=body, content_type="application/json")
        assert (reply.status_code, reply.json["error"]) == (400, message)


def test_delete_clears_all_or_one_tenant(client):
    client.get(f"/v3/profile/1?{TOKEN}")
    client.get(f"/v3/profile/2?{TOKEN}")
    client.get(f"/v3/database/2/profiles?{OTHER}")
    assert client.delete("/_emulator/requests?vendor=copernica&tenant=Demo+Company").json == {"deleted": 2}
    assert [e["tenant"] for e in requests_of(client)] == ["Other Company"]
    assert client.delete("/_emulator/requests").json == {"deleted": 1}
    assert requests_of(client) == []
    client.get(f"/v3/profile/1?{TOKEN}")
    client.get(f"/v3/database/2/profiles?{OTHER}")
    # a tenant alone: that tenant of every vendor, as the GET filters read it
    assert client.delete("/_emulator/requests?tenant=Demo+Company").json == {"deleted": 1}
    assert [e["tenant"] for e in requests_of(client)] == ["Other Company"]
    reply = client.delete("/_emulator/requests?all=1")
    assert reply.json["error"] == "unknown parameter 'all'; DELETE /_emulator/requests takes 'vendor' and 'tenant'"


def test_reset_clears_the_journal_of_what_it_resets(client):
    client.get(f"/v3/profile/1?{TOKEN}")
    client.get(f"/v3/database/2/profiles?{OTHER}")
    client.post("/_emulator/reset", json={"vendor": "copernica", "tenant": "Other Company"})
    assert [e["tenant"] for e in requests_of(client)] == ["Demo Company"]
    client.post("/_emulator/reset")
    assert requests_of(client) == []


def test_the_journal_size_setting_bounds_each_tenant():
    app = create_app(Settings(journal_size=2))
    client = app.test_client()
    for profile_id in ("1", "2", "3"):
        client.get(f"/v3/profile/{profile_id}?{TOKEN}")
    client.get(f"/v3/database/2/profiles?{OTHER}")
    assert [e["path"] for e in requests_of(client)] == ["/v3/profile/2", "/v3/profile/3", "/v3/database/2/profiles"]
    assert client.get("/_emulator/requests").json["journal_size"] == 2
    app.extensions["emulator"].close()


def test_journal_size_zero_records_nothing_and_answers_are_unchanged():
    app = create_app(Settings(journal_size=0))
    client = app.test_client()
    assert client.get(f"/v3/profile/1?{TOKEN}").json["ID"] == "1"
    assert requests_of(client) == []
    app.extensions["emulator"].close()


def test_an_adobe_campaign_path_no_route_answers_is_flagged_unmatched(client):
    headers = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}
    reply = client.get("/demo-org/campaign/profileAndServices/nosuchresource", headers=headers)
    assert reply.status_code == 404 and reply.json["message"].endswith("Error rc=-2003")
    client.get("/demo-org/campaign/profileAndServices/profile", headers=headers)
    unmatched = client.get("/_emulator/requests/unmatched").json["requests"]
    assert [(e["vendor"], e["path"], e["matched"], e["status"]) for e in unmatched] == [
        ("adobe_campaign", "/demo-org/campaign/profileAndServices/nosuchresource", False, 404)]
