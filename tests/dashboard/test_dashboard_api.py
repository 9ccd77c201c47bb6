"""The dashboard's control-plane views, in-process: tenants, paged profiles, detail, history."""
from __future__ import annotations

import pytest

from emulator import create_app
from emulator.settings import Settings
from emulator.vendors.base import Vendor

TOKEN = "demo-copernica-token"
DEMO = {"vendor": "copernica", "tenant": "Demo Company"}


@pytest.fixture
def app():
    app = create_app(Settings())
    yield app
    app.extensions["emulator"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def put_selection(client, selection: str, body: dict, **params):
    return client.put("/v3/database/1/profiles", query_string={"access_token": TOKEN, "fields[0]": selection, **params},
                      json=body)


def test_dashboard_and_docs_pages_are_served_from_the_package(client):
    page = client.get("/_emulator/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert b'<script src="assets/dashboard.js"></script>' in page.data
    assert client.get("/_emulator/assets/dashboard.js").mimetype in ("text/javascript", "application/javascript")
    assert client.get("/_emulator/assets/dashboard.css").mimetype == "text/css"
    docs = client.get("/_emulator/docs")
    assert docs.status_code == 200 and b"assets/docs.js" in docs.data
    missing = client.get("/_emulator/assets/nope.js")
    assert missing.status_code == 404 and missing.get_json()["emulator"] == "martech-emulator"
    assert client.get("/_emulator").status_code == 308  # to /_emulator/, where relative links work


def test_tenants_lists_every_vendor_with_counts_and_a_generation_that_moves(client):
    first = client.get("/_emulator/tenants").get_json()
    copernica = next(v for v in first["vendors"] if v["name"] == "copernica")
    assert copernica == {"name": "copernica", "title": "Copernica REST API v3",
                         "tenants": [{"tenant": "Demo Company", "profiles": 4},
                                     {"tenant": "Other Company", "profiles": 1}]}
    assert set(first["clock"]) == {"now", "mode", "offset_seconds"}
    assert put_selection(client, "customerid==4567", {"fields": {"firstname": "Jane"}}).status_code == 204
    assert client.get("/_emulator/tenants").get_json()["generation"] > first["generation"]


def test_profiles_are_paged_on_the_server_and_searched(client):
    page = client.get("/_emulator/profiles", query_string={**DEMO, "offset": 2, "limit": 2}).get_json()
    assert page["total"] == 4 and page["offset"] == 2 and page["limit"] == 2
    assert [r["key"] for r in page["rows"]] == ["3", "4"]
    assert page["columns"] == ["ID", "database", "firstname", "lastname", "email", "customerid", "score",
                               "interests", "modified", "removed"]
    assert page["rows"][0]["cells"]["firstname"] == "Max"
    assert page["rows"][0]["cells"]["database"] == "Newsletter"
    found = client.get("/_emulator/profiles", query_string={**DEMO, "q": "JANSEN"}).get_json()
    assert found["total"] == 1 and [r["key"] for r in found["rows"]] == ["2"]
    by_interest = client.get("/_emulator/profiles", query_string={**DEMO, "q": "baseball"}).get_json()
    assert [r["key"] for r in by_interest["rows"]] == ["2", "4"]
    none = client.get("/_emulator/profiles", query_string={**DEMO, "q": "zzz"}).get_json()
    assert none["total"] == 0 and none["rows"] == []


@pytest.mark.parametrize("params, status, message", [
    ({**DEMO, "limit": 0}, 400, "query parameter 'limit': Must be greater than or equal to 1 and less than or equal to 200."),
    ({**DEMO, "offset": "x"}, 400, "query parameter 'offset': Not a valid integer."),
    ({**DEMO, "color": "red"}, 400, "query parameter 'color': Unknown field."),
    ({"vendor": "copernica"}, 400, "query parameter 'tenant': Missing data for required field."),
    ({"vendor": "nope", "tenant": "x"}, 404, "unknown vendor 'nope'; expected one of: adobe_campaign, adobe_target, copernica"),
    ({"vendor": "copernica", "tenant": "Nobody"}, 404, "copernica has no tenant 'Nobody'"),
])
def test_bad_profile_queries_are_answered_with_what_to_fix(client, params, status, message):
    response = client.get("/_emulator/profiles", query_string=params)
    assert response.status_code == status
    assert response.get_json() == {"emulator": "martech-emulator", "status": status, "error": message}


def test_profile_detail_is_the_vendors_own_answer(client):
    detail = client.get("/_emulator/profile", query_string={**DEMO, "key": "1"}).get_json()
    assert detail["title"] == "Profile 1 · database Newsletter"
    assert detail["document"] == client.get("/v3/profile/1", query_string={"access_token": TOKEN}).get_json()
    missing = client.get("/_emulator/profile", query_string={**DEMO, "key": "99"})
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "copernica tenant 'Demo Company' has no profile '99'"


def test_history_says_which_request_changed_which_field(client):
    assert client.post("/_emulator/clock", json={"advance": 60}).status_code == 200  # ``modified`` moves
    assert put_selection(client, "customerid==4567", {"fields": {"firstname": "Jane", "country": "germany"}}).status_code == 204
    history = client.get("/_emulator/profile/history", query_string={**DEMO, "key": "1"}).get_json()["history"]
    assert [h["action"] for h in history] == ["created", "changed"]
    assert history[0]["request"] == {"label": "fixtures loaded at start"}
    change = history[1]
    assert change["request"] == {
        "method": "PUT", "path": "/v3/database/1/profiles",
        "query": "access_token=***&fields%5B0%5D=customerid%3D%3D4567",
        "label": "PUT /v3/database/1/profiles?access_token=***&fields[0]=customerid==4567", "status": 204,
        "journal_id": 1}
    journaled = client.get("/_emulator/requests").get_json()["requests"]
    assert [(e["id"], e["method"], e["path"]) for e in journaled] == [(1, "PUT", "/v3/database/1/profiles")]
    assert [c["field"] for c in change["changes"]] == ["fields.firstname", "fields.country", "modified"]
    assert change["changes"][:2] == [{"field": "fields.firstname", "before": "John", "after": "Jane"},
                                     {"field": "fields.country", "before": "netherlands", "after": "germany"}]


def test_deferred_work_is_attributed_to_the_request_that_queued_it(client):
    assert put_selection(client, "customerid==1001", {"fields": {"lastname": "Later"}}, **{"async": 1}).status_code == 204
    assert client.post("/_emulator/drain").status_code == 200
    change = client.get("/_emulator/profile/history", query_string={**DEMO, "key": "2"}).get_json()["history"][-1]
    assert change["request"]["label"] == "PUT /v3/database/1/profiles?access_token=***&fields[0]=customerid==1001&async=1"
    assert change["changes"][0] == {"field": "fields.lastname", "before": "Jansen", "after": "Later"}


def test_recent_changes_across_vendors_and_after_a_seq(client):
    everything = client.get("/_emulator/changes").get_json()
    last = everything["last"]
    assert last == everything["changes"][-1]["seq"]
    assert put_selection(client, "customerid==4567", {"fields": {"firstname": "Jane"}}).status_code == 204
    assert {c["collection"] for c in everything["changes"]} == {"profiles"}  # no accounts, no tokens
    newer = client.get("/_emulator/changes", query_string={"after": last}).get_json()
    assert [(c["key"], c["action"]) for c in newer["changes"]] == [("1", "changed")]
    assert newer["last"] == newer["changes"][0]["seq"]
    assert client.get("/_emulator/changes", query_string={"after": newer["last"]}).get_json() == \
        {"changes": [], "last": newer["last"]}


def test_reset_of_a_tenant_forgets_its_history_too(client):
    assert put_selection(client, "customerid==4567", {"fields": {"firstname": "Jane"}}).status_code == 204
    assert client.post("/_emulator/reset", json=DEMO).status_code == 200
    history = client.get("/_emulator/profile/history", query_string={**DEMO, "key": "1"})
    assert history.status_code == 404  # the tenant is gone
    assert all(c["tenant"] != "Demo Company" for c in client.get("/_emulator/changes").get_json()["changes"])


def test_request_feed_lists_vendor_requests_newest_last(client):
    client.get("/v3/profile/1", query_string={"access_token": TOKEN})
    put_selection(client, "customerid==4567", {"fields": {"firstname": "Jane"}})
    feed = client.get("/_emulator/requests", query_string={"limit": 2}).get_json()["requests"]
    assert [(e["method"], e["path"], e["status"], e["tenant"], e["vendor"]) for e in feed] == [
        ("GET", "/v3/profile/1", 200, "Demo Company", "copernica"),
        ("PUT", "/v3/database/1/profiles", 204, "Demo Company", "copernica")]


class Plain(Vendor):
    """A vendor with none of the dashboard methods: the base class's defaults must still work."""

    name = "plain"


def test_a_vendor_without_dashboard_methods_gets_the_generic_views(app):
    emulator = app.extensions["emulator"]
    store, vendor = emulator.store, Plain()
    for i in range(1, 6):
        store.put("plain", "t1", "profiles", str(i), {"id": i, "name": f"Person {i}", "tags": ["x"]})
    assert vendor.tenant_summaries(emulator) == [{"tenant": "t1", "profiles": 5}]
    page = vendor.profiles_page(emulator, "t1", "", 3, 10)
    assert page == {"total": 5, "columns": ["key", "document"], "rows": [
        {"key": "4", "cells": {"key": "4", "document": '{"id":4,"name":"Person 4","tags":["x"]}'}},
        {"key": "5", "cells": {"key": "5", "document": '{"id":5,"name":"Person 5","tags":["x"]}'}}]}
    assert [r["key"] for r in vendor.profiles_page(emulator, "t1", "PERSON 2", 0, 10)["rows"]] == ["2"]
    assert vendor.profile_detail(emulator, "t1", "2") == {"key": "2", "title": "2", "document": {
        "id": 2, "name": "Person 2", "tags": ["x"]}}
    assert vendor.profile_detail(emulator, "t1", "9") is None
    store.put("plain", "t1", "profiles", "2", {"id": 2, "name": "Renamed", "tags": ["x"]})
    history = vendor.profile_history(emulator, "t1", "2")
    assert [h["action"] for h in history] == ["created", "changed"]
    assert history[1]["changes"] == [{"field": "name", "before": "Person 2", "after": "Renamed"}]



class Columns(Plain):
    profile_columns = ("name", "address.city")


def test_generic_views_show_and_search_the_columns_a_vendor_names(app):
    emulator = app.extensions["emulator"]
    emulator.store.put("plain", "t1", "profiles", "a", {"name": "Ann", "address": {"city": "Utrecht"}, "x": "zz"})
    emulator.store.put("plain", "t1", "profiles", "b", {"name": "Bob", "address": {}, "tags": [1]})
    page = Columns().profiles_page(emulator, "t1", "", 0, 10)
    assert page == {"total": 2, "columns": ["key", "name", "address.city"], "rows": [
        {"key": "a", "cells": {"key": "a", "name": "Ann", "address.city": "Utrecht"}},
        {"key": "b", "cells": {"key": "b", "name": "Bob", "address.city": ""}}]}
    assert [r["key"] for r in Columns().profiles_page(emulator, "t1", "utrecht", 0, 10)["rows"]] == ["a"]
    assert Columns().profiles_page(emulator, "t1", "zz", 0, 10)["total"] == 0  # only the named columns


def test_a_campaign_profile_shows_its_subscriptions_and_a_service_its_subscribers(client):
    acs = {"vendor": "adobe_campaign", "tenant": "demo-org"}
    amy = client.get("/_emulator/profiles", query_string={**acs, "q": "amy.dakota"}).get_json()["rows"][0]
    detail = client.get("/_emulator/profile", query_string={**acs, "key": amy["key"]}).get_json()
    assert detail["title"] == "Amy Dakota (amy.dakota@mail.com)"
    assert detail["document"]["orgUnit"] is None  # the Ext wire shape, hrefs on the emulator
    assert detail["document"]["subscriptions"]["href"] == (
        f"/demo-org/campaign/profileAndServicesExt/profile/{amy['cells']['PKey']}/subscriptions/")
    assert detail["related"] == [{"title": "Subscriptions",
                                  "items": ["Sport Newsletter (SVC1) · since 2019-03-26 08:58:04.764Z"]}]
    sections = client.get("/_emulator/related", query_string=acs).get_json()["sections"]
    assert sections == [{"title": "Services", "items": [
        {"title": "Sport Newsletter (SVC1) · 1 subscriber", "details": ["Amy Dakota (amy.dakota@mail.com)"]},
        {"title": "Flash sales (SVC2) · 0 subscribers", "details": []},
        {"title": "Product updates (SVC3) · 0 subscribers", "details": []}]}]
    assert client.get("/_emulator/related", query_string=DEMO).get_json()["sections"] == []
    missing = client.get("/_emulator/related", query_string={"vendor": "adobe_campaign", "tenant": "nope"})
    assert missing.status_code == 404
