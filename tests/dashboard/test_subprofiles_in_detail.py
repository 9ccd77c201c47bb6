"""The dashboard shows a profile's Copernica subprofiles, and changes to them live: through the
vendor interface (``profile_detail``'s ``related`` tables), in the control-plane API and in a
real browser."""
from __future__ import annotations

import requests
from playwright.sync_api import expect

from chromium import launched_browser  # noqa: F401  (the browser fixture)
from test_browser import page  # noqa: F401  (the page fixture)

TOKEN = "access_token=demo-copernica-token"
DEMO = {"vendor": "copernica", "tenant": "Demo Company"}


def make_orders(post) -> tuple[str, str]:
    collection = post(f"/v3/database/1/collections?{TOKEN}", {"name": "Orders"}).headers["X-Created"]
    post(f"/v3/collection/{collection}/fields?{TOKEN}", {"name": "status"})
    sub = post(f"/v3/profile/1/subprofiles/{collection}?{TOKEN}", {"status": "open"}).headers["X-Created"]
    return collection, sub


def test_profile_detail_lists_the_subprofiles_per_collection(client):
    collection, sub = make_orders(lambda path, body: client.post(path, json=body))
    detail = client.get("/_emulator/profile", query_string={**DEMO, "key": "1"}).get_json()
    assert detail["related"] == [{
        "title": f"Subprofiles in Orders (collection {collection})", "columns": ["ID", "status", "modified", "removed"],
        "rows": [{"key": sub, "cells": {"ID": sub, "status": "open", "modified": detail["related"][0]["rows"][0]["cells"]["modified"],
                                        "removed": ""}}]}]
    client.delete(f"/v3/subprofile/{sub}?{TOKEN}")
    cells = client.get("/_emulator/profile", query_string={**DEMO, "key": "1"}).get_json()["related"][0]["rows"][0]["cells"]
    assert cells["status"] == "" and cells["removed"]
    other = client.get("/_emulator/profile", query_string={**DEMO, "key": "2"}).get_json()
    assert other["related"][0]["rows"] == []


def test_a_subprofile_change_shows_up_live_in_the_open_detail(page, live_server):  # noqa: F811
    base = live_server.base_url
    collection, sub = make_orders(lambda path, body: requests.post(f"{base}{path}", json=body, timeout=10))
    page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
    page.locator("#profiles tbody tr[data-key='1']").click()
    table = page.locator("#detail-related [data-testid='related-table']")
    expect(page.locator("#detail-related h3")).to_contain_text("Subprofiles in Orders")
    expect(table.locator(f"tr[data-key='{sub}']")).to_contain_text("open")
    reply = requests.put(f"{base}/v2/subprofile/{sub}/fields?{TOKEN}", json={"status": "shipped"},
                         allow_redirects=False, timeout=10)
    assert reply.status_code == 303
    expect(table.locator(f"tr[data-key='{sub}']")).to_contain_text("shipped", timeout=5000)
    new = requests.post(f"{base}/v3/profile/1/subprofiles/Orders?{TOKEN}", json={"status": "new"}, timeout=10)
    expect(table.locator(f"tr[data-key='{new.headers['X-Created']}']")).to_contain_text("new", timeout=5000)
