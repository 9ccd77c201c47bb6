"""The dashboard as a demo, in chromium at 1400 × 900 and at 800 px wide (issue 17): a bounded
live feed that keeps the recent changes in view, nothing clipped, the vendor's own read answer
under keys its users know, one labelled time zone, the vendors' titles, and a clock that says
when it is not real time."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
import requests
from chromium import launched_browser  # noqa: F401  (the browser fixture)
from playwright.sync_api import expect

COPERNICA = {"access_token": "demo-copernica-token"}
ACS = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}


@pytest.fixture
def dashboard(browser, live_server):
    """``dashboard(width, height)``: the demo state, real time, a fresh page of that size."""
    base = live_server.base_url
    from emulator.seeding import demo_fixtures

    assert requests.post(f"{base}/_emulator/reset", timeout=10).status_code == 200
    assert requests.post(f"{base}/_emulator/seed", json=demo_fixtures(), timeout=10).status_code == 200
    assert requests.post(f"{base}/_emulator/clock", json={"resume": True}, timeout=10).status_code == 200
    contexts, errors = [], []

    def open_at(width: int = 1400, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/_emulator/")
        expect(page.locator("nav button").first).to_be_visible()
        return page

    yield open_at
    for context in contexts:
        context.close()
    requests.post(f"{base}/_emulator/clock", json={"resume": True}, timeout=10)
    assert errors == []


def _overflow(page, selector: str) -> list[int]:
    """[scrollWidth, clientWidth] of the element: equal when nothing is cut off at the right."""
    return page.eval_on_selector(selector, "e => [e.scrollWidth, e.clientWidth]")


def _box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_the_feed_is_bounded_newest_first_and_recent_changes_stay_in_view(dashboard, live_server):
    base = live_server.base_url
    for n in range(30):
        requests.put(f"{base}/v3/profile/1", params=COPERNICA, json={"fields": {"firstname": f"N{n}"}}, timeout=10)
    page = dashboard(1400, 900)

    feed = page.locator("#feed > li")
    expect(feed).to_have_count(8)
    ids = [int(i) for i in feed.evaluate_all("items => items.map(li => li.dataset.id)")]
    assert ids == sorted(ids, reverse=True)  # newest first
    expect(page.locator("#changes > li").first).to_contain_text("fields.firstname: N28 → N29")
    assert _box(page, "#changes > li >> nth=0")["y"] + 40 < 900  # the newest change is on screen

    expect(feed.first).to_contain_text("Copernica REST API v3 · Demo Company")  # the title, not "copernica"
    page.click("#feed-more")
    expect(feed).to_have_count(28)
    assert _box(page, "#changes-title")["y"] + _box(page, "#changes-title")["height"] < 900
    assert _box(page, "#changes > li >> nth=0")["y"] + 40 < 900  # still in view: the feed scrolls in its box


@pytest.mark.parametrize("vendor,tenant", [("copernica", "Demo Company"), ("adobe_campaign", "demo-org"),
                                           ("adobe_target", "demo")])
def test_nothing_is_clipped_at_1400_px(dashboard, vendor, tenant):
    page = dashboard(1400, 900)
    page.click(f"nav button[data-vendor='{vendor}'][data-tenant='{tenant}']")
    page.locator("#profiles tbody tr").first.click()
    expect(page.locator("#detail-document")).not_to_be_empty()

    table, json_panel = _overflow(page, ".table-wrap"), _overflow(page, "#detail-document")
    assert table[0] <= table[1], f"the profile table is cut off: {table}"
    assert json_panel[0] <= json_panel[1], f"the JSON panel is cut off: {json_panel}"
    last_th, wrap = _box(page, "#profiles th:last-child"), _box(page, ".table-wrap")
    assert last_th["x"] + last_th["width"] <= wrap["x"] + wrap["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400


def test_usable_at_800_px(dashboard, live_server):
    base = live_server.base_url
    requests.post(f"{base}/_emulator/adobe_target/demo/visitors", json={"thirdPartyId": "crm-800"}, timeout=10)
    requests.put(f"{base}/v3/profile/1", params=COPERNICA, json={"fields": {"firstname": "Narrow"}}, timeout=10)
    page = dashboard(800, 900)
    page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
    page.locator("#profiles tbody tr[data-key='1']").click()
    expect(page.locator("#detail-document")).to_contain_text("Narrow")

    assert page.evaluate("document.documentElement.scrollWidth") <= 800  # no sideways scrolling
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    for selector in ["h1", "#tenant-title", "#feed .method", "nav button[data-tenant='Demo Company']"]:
        for box in page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
            assert box["height"] < 2 * line, f"{selector} wraps word by word: {box}"
            assert box["width"] > box["height"], f"{selector} is set vertically: {box}"
    for selector in [".table-wrap", "#detail-document"]:
        scroll, client = _overflow(page, selector)
        assert scroll <= client, f"{selector} is cut off at 800 px"
    assert _box(page, "#profiles")["width"] > 600  # the table has the page's width, not a sliver


def test_the_detail_is_exactly_the_vendors_get_under_keys_users_know(dashboard, live_server):
    base = live_server.base_url
    page = dashboard(1400, 900)

    page.click("nav button[data-vendor='adobe_campaign'][data-tenant='demo-org']")
    # the click empties the table at once and the tenant's page arrives later: wait for it
    expect(page.locator("#profiles tbody tr").first).to_have_attribute("data-key", re.compile(r"^@"))
    keys = page.locator("#profiles tbody tr").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys and all(k.startswith("@") for k in keys)  # PKeys, not internal row keys
    expect(page.locator("#profiles thead th").first).to_have_text("PKey")
    page.locator("#profiles tbody tr").first.click()
    url = f"{base}/demo-org/campaign/profileAndServicesExt/profile/{keys[0]}"
    expect(page.locator("#detail-request")).to_have_text(f"GET {url} → 200")
    shown = json.loads(page.locator("#detail-document").text_content())
    assert shown == requests.get(url, headers=ACS, timeout=10).json()
    assert not re.search(r"\bx[0-9a-f]{24}\b", page.locator("main").text_content())

    page.click("nav button[data-vendor='adobe_target'][data-tenant='demo']")
    expect(page.locator("#profiles thead th").first).to_have_text("tntId")
    page.locator("#profiles tbody tr[data-key='1368007744041-575948.01_00']").click()
    fetch = f"{base}/rest/v1/profiles/1368007744041-575948.01_00?client=demo"
    expect(page.locator("#detail-request")).to_have_text(f"GET {fetch} → 200")
    shown = json.loads(page.locator("#detail-document").text_content())
    assert shown == requests.get(fetch, timeout=10).json()
    assert set(shown) == {"client", "visitorId", "modifiedAt", "profileAttributes"}

    changed = requests.patch(url, json={"firstName": "Renamed"}, headers=ACS, timeout=10)
    assert changed.status_code == 200
    expect(page.locator("#changes > li").first).to_contain_text(f"Adobe Campaign Standard · demo-org · {keys[0]} changed")


def test_every_time_is_labelled_with_its_zone(dashboard, live_server):
    base = live_server.base_url
    requests.put(f"{base}/v3/profile/1", params=COPERNICA, json={"fields": {"firstname": "Zoned"}}, timeout=10)
    page = dashboard(1400, 900)
    utc = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^emulator clock {utc}$"))
    shown = datetime.strptime(page.locator("#clock").text_content()[15:34], "%Y-%m-%d %H:%M:%S")
    assert abs((shown.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)).total_seconds()) < 60
    expect(page.locator("#feed .meta").first).to_contain_text(re.compile(r"\d\d:\d\d:\d\d UTC"))
    expect(page.locator("#changes .when").first).to_contain_text(re.compile(r"\d\d:\d\d:\d\d UTC"))

    page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
    page.locator("#profiles tbody tr[data-key='1']").click()
    expect(page.locator("#detail-zone")).to_have_text("times as the vendor sends them: Europe/Amsterdam")
    expect(page.locator("#history .when").first).to_contain_text(" UTC")
    page.click("nav button[data-vendor='adobe_campaign'][data-tenant='demo-org']")
    page.locator("#profiles tbody tr").first.click()
    expect(page.locator("#detail-zone")).to_have_text("times as the vendor sends them: UTC")


def test_the_header_names_the_vendor_by_its_title(dashboard):
    page = dashboard(1400, 900)
    page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
    expect(page.locator("#tenant-title")).to_have_text("Demo Company · Copernica REST API v3")
    page.click("nav button[data-vendor='adobe_target'][data-tenant='demo']")
    expect(page.locator("#tenant-title")).to_have_text("demo · Adobe Target")
    assert "adobe_target" not in page.locator("#tenant-title").text_content()


def test_a_clock_left_ahead_says_so_and_goes_back_to_real_time(dashboard, live_server):
    base = live_server.base_url
    page = dashboard(1400, 900)
    expect(page.locator("#clock-state")).to_be_hidden()
    expect(page.locator("#resume")).to_be_hidden()

    requests.post(f"{base}/_emulator/clock", json={"advance": 3600}, timeout=10)  # as the README's example does
    requests.put(f"{base}/v3/profile/1", params=COPERNICA, json={"fields": {"firstname": "Later"}}, timeout=10)
    expect(page.locator("#clock-state")).to_have_text("1 h ahead of real time")

    page.click("#resume")
    expect(page.locator("#clock-state")).to_be_hidden()
    assert requests.get(f"{base}/_emulator/clock", timeout=10).json()["mode"] == "real"
    requests.post(f"{base}/_emulator/clock", json={"freeze": True}, timeout=10)
    expect(page.locator("#clock-state")).to_have_text("frozen")
