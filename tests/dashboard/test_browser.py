"""The dashboard in a real browser (Debian's chromium, driven by Playwright): a change made
through a vendor's API shows up in the open page without a reload."""
from __future__ import annotations

import json
import pathlib
import re

import pytest
import requests
from chromium import launched_browser  # noqa: F401  (the browser fixture)
from playwright.sync_api import expect

TOKEN = "demo-copernica-token"


@pytest.fixture
def page(browser, live_server):
    assert requests.post(f"{live_server.base_url}/_emulator/reset", timeout=10).status_code == 200
    from emulator.seeding import demo_fixtures

    assert requests.post(f"{live_server.base_url}/_emulator/seed", json=demo_fixtures(), timeout=10).status_code == 200
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.base_url}/_emulator/")
    yield page
    context.close()
    assert errors == []


def test_a_copernica_put_appears_live_in_table_detail_history_and_feed(page, live_server):
    page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
    row = page.locator("#profiles tbody tr[data-key='1']")
    expect(row).to_contain_text("John")
    row.click()
    expect(page.locator("#detail-document")).to_contain_text('"firstname": "John"')
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    response = requests.put(f"{live_server.base_url}/v3/database/1/profiles",
                            params={"access_token": TOKEN, "fields[0]": "customerid==4567"},
                            json={"fields": {"firstname": "Jane", "country": "germany"}}, timeout=10)
    assert response.status_code == 204

    expect(row).to_contain_text("Jane", timeout=5000)
    expect(page.locator("#detail-document")).to_contain_text('"firstname": "Jane"')
    newest = page.locator("#history > li").first
    expect(newest).to_contain_text("PUT /v3/database/1/profiles?access_token=***&fields[0]=customerid==4567 → 204")
    expect(newest).to_contain_text("fields.firstname: John → Jane")
    expect(newest).to_contain_text("fields.country: netherlands → germany")
    feed = page.locator("#feed li").first
    expect(feed).to_contain_text("PUT")
    expect(feed).to_contain_text("/v3/database/1/profiles")
    expect(feed).to_contain_text("204")
    expect(page.locator("#changes > li").first).to_contain_text("Copernica REST API v3 · Demo Company · 1 changed")
    assert navigations == []  # no reload


ACS = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}


def test_a_copernica_put_and_an_acs_patch_both_appear_without_a_reload(page, live_server):
    base = live_server.base_url
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    listing = requests.get(f"{base}/demo-org/campaign/profileAndServices/profile/byEmail",
                           params={"email": "amy.dakota@mail.com"}, headers=ACS, timeout=10).json()
    amy = listing["content"][0]
    page.click("nav button[data-vendor='adobe_campaign'][data-tenant='demo-org']")
    page.fill("#search", "amy.dakota")
    row = page.locator("#profiles tbody tr").first
    expect(row).to_contain_text("Amy")
    row.click()
    expect(page.locator("#detail-document")).to_contain_text('"firstName": "Amy"')

    put = requests.put(f"{base}/v3/database/1/profiles", params={"access_token": TOKEN, "fields[0]": "customerid==4567"},
                       json={"fields": {"firstname": "Jane"}}, timeout=10)
    assert put.status_code == 204
    patch = requests.patch(f"{base}/demo-org/campaign/profileAndServices/profile/{amy['PKey']}",
                           json={"firstName": "Amelia"}, headers=ACS, timeout=10)
    assert patch.status_code == 200

    expect(row).to_contain_text("Amelia", timeout=5000)
    expect(page.locator("#detail-document")).to_contain_text('"firstName": "Amelia"')
    expect(page.locator("#history > li").first).to_contain_text("firstName: Amy → Amelia")
    expect(page.locator("#history > li").first).to_contain_text(
        f"PATCH /demo-org/campaign/profileAndServices/profile/{amy['PKey']} → 200")
    feed = page.locator("#feed li")
    expect(feed.nth(0)).to_contain_text("PATCH")
    expect(feed.nth(0)).to_contain_text("200")
    expect(feed.nth(1)).to_contain_text("PUT")
    expect(feed.nth(1)).to_contain_text("204")
    changes = page.locator("#changes > li")
    expect(changes.nth(0)).to_contain_text(f"Adobe Campaign Standard · demo-org · {amy['PKey']} changed")
    expect(changes.nth(0)).to_contain_text("firstName: Amy → Amelia")
    expect(changes.nth(1)).to_contain_text("Copernica REST API v3 · Demo Company · 1 changed")
    expect(changes.nth(1)).to_contain_text("fields.firstname: John → Jane")
    assert navigations == []


def test_search_paging_and_the_clock_button(page, live_server):
    page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
    expect(page.locator("#page-info")).to_have_text("1–4 of 4")
    page.fill("#search", "jansen")
    expect(page.locator("#profiles tbody tr")).to_have_count(1)
    expect(page.locator("#page-info")).to_have_text("1–1 of 1")
    before = requests.get(f"{live_server.base_url}/_emulator/clock", timeout=10).json()["offset_seconds"]
    page.fill("#advance-seconds", "7200")
    page.click("#advance")
    expect(page.locator("#message")).to_contain_text("Clock advanced by 7200 s")
    after = requests.get(f"{live_server.base_url}/_emulator/clock", timeout=10).json()["offset_seconds"]
    assert after == pytest.approx(before + 7200)
    requests.post(f"{live_server.base_url}/_emulator/clock", json={"resume": True}, timeout=10)


def test_the_docs_page_renders_every_operation(page, live_server):
    page.goto(f"{live_server.base_url}/_emulator/docs")
    document = requests.get(f"{live_server.base_url}/_emulator/openapi.json", timeout=10).json()
    operations = sum(len([m for m in item if m != "servers"]) for item in document["paths"].values())
    expect(page.locator("details.op")).to_have_count(operations)
    expect(page.locator("#api h2").first).to_have_text(re.compile(rf"· {operations} operations$"))
    page.locator("details.op", has_text="/v3/profile/{profile_id}").first.click()
    expect(page.locator("details.op[open]")).to_contain_text("https://api.copernica.com")


def test_load_fixtures_export_state_and_reset_a_tenant(page, live_server, tmp_path):
    base = live_server.base_url
    extra = {"copernica": {"accounts": [{"name": "Loaded Company", "access_token": "loaded-token", "databases": [
        {"ID": "9", "name": "Loaded", "fields": [{"ID": "90", "name": "email", "type": "email"}],
         "profiles": [{"ID": "90", "fields": {"email": "loaded@example.com"}}]}]}]}}
    page.set_input_files("#fixtures-file", files=[{
        "name": "extra.json", "mimeType": "application/json", "buffer": json.dumps(extra).encode()}])
    expect(page.locator("#message")).to_have_text("Loaded extra.json: copernica")
    tenant = page.locator("nav button[data-vendor='copernica'][data-tenant='Loaded Company']")
    expect(tenant).to_contain_text("1")

    with page.expect_download() as download:
        page.click("#export")
    exported = json.loads(pathlib.Path(download.value.path()).read_text("utf-8"))
    assert exported == requests.get(f"{base}/_emulator/state", timeout=10).json()
    assert any(a["name"] == "Loaded Company" for a in exported["copernica"]["accounts"])

    tenant.click()
    expect(page.locator("#profiles tbody tr")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#reset-tenant")
    expect(page.locator("#message")).to_have_text("Reset copernica tenant Loaded Company")
    expect(tenant).to_have_count(0)
    assert requests.get(f"{base}/v3/identity", params={"access_token": "loaded-token"}, timeout=10).status_code == 400

    page.set_input_files("#fixtures-file", files=[{
        "name": "bad.json", "mimeType": "application/json", "buffer": b'{"copernica": {"acounts": []}}'}])
    expect(page.locator("#message")).to_have_text("bad.json: invalid fixtures: copernica.acounts: Unknown field.")


def test_a_target_visitor_appears_from_a_delivery_call_and_changes_through_the_update_api(page, live_server):
    """The flow a team ships: a page view makes Target see a visitor, a CRM job updates it."""
    base = live_server.base_url
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.click("nav button[data-vendor='adobe_target'][data-tenant='demo']")
    expect(page.locator("#profiles tbody tr")).to_have_count(3)

    delivery = requests.post(f"{base}/rest/v1/delivery", params={"client": "demo", "sessionId": "s1"},
                             json={"context": {"channel": "web"}, "id": {"thirdPartyId": "crm-browser"},
                                   "execute": {"pageLoad": {"profileParameters": {"favouriteGenre": "jazz"}}}},
                             timeout=10)
    assert delivery.status_code == 200
    tnt_id = delivery.json()["id"]["tntId"]
    row = page.locator(f"#profiles tbody tr[data-key='{tnt_id}']")
    expect(row).to_contain_text("crm-browser", timeout=5000)
    feed = page.locator("#feed li").first
    expect(feed).to_contain_text("POST")
    expect(feed).to_contain_text("/rest/v1/delivery")
    expect(feed).to_contain_text("200")
    row.click()
    expect(page.locator("#detail-document")).to_contain_text('"favouriteGenre"')
    expect(page.locator("#history > li").first).to_contain_text("POST /rest/v1/delivery?client=demo&sessionId=s1 → 200")

    update = requests.get(f"{base}/m2/demo/profile/update",
                          params={"mboxPC": tnt_id, "profile.favouriteGenre": "blues"}, timeout=10)
    assert update.status_code == 200
    expect(page.locator("#detail-document")).to_contain_text('"value": "blues"', timeout=5000)
    newest = page.locator("#history > li").first
    expect(newest).to_contain_text(f"GET /m2/demo/profile/update?mboxPC={tnt_id}")
    expect(newest).to_contain_text("jazz → blues")
    expect(page.locator("#feed li").first).to_contain_text("/m2/demo/profile/update")
    assert navigations == []


def test_campaign_subscriptions_and_a_services_subscribers_are_shown_live(page, live_server):
    base = live_server.base_url
    acs = f"{base}/demo-org/campaign/profileAndServices"
    page.click("nav button[data-vendor='adobe_campaign'][data-tenant='demo-org']")
    related = page.locator("#related")
    expect(related).to_contain_text("Sport Newsletter (SVC1) · 1 subscriber")
    expect(related).to_contain_text("Amy Dakota (amy.dakota@mail.com)")
    expect(related).to_contain_text("Flash sales (SVC2) · 0 subscribers")
    page.fill("#search", "amy.dakota")
    page.locator("#profiles tbody tr").first.click()
    expect(page.locator("#detail-related")).to_contain_text("Sport Newsletter (SVC1) · since 2019-03-26")

    svc2 = requests.get(f"{acs}/service/SVC2", headers=ACS, timeout=10).json()
    amy = requests.get(f"{acs}/profile/byEmail", params={"email": "amy.dakota@mail.com"}, headers=ACS,
                       timeout=10).json()["content"][0]
    made = requests.post(svc2["subscriptions"]["href"], json={"subscriber": {"PKey": amy["PKey"]}}, headers=ACS,
                         timeout=10)
    assert made.status_code == 201
    expect(related).to_contain_text("Flash sales (SVC2) · 1 subscriber", timeout=5000)
    expect(page.locator("#detail-related")).to_contain_text("Flash sales (SVC2)")


# -- an emulator started with a control token ------------------------------------------------------
CONTROL_TOKEN = "dashboard-test-token"


@pytest.fixture(scope="module")
def token_server():
    from conftest import LiveServer

    server = LiveServer("--control-token", CONTROL_TOKEN)
    yield server
    server.stop()
    server.cleanup()


def test_with_a_token_in_the_url_fragment_the_dashboard_works_and_forgets_the_fragment(browser, token_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{token_server.base_url}/_emulator/#token={CONTROL_TOKEN}")
    expect(page.locator("nav button[data-vendor='copernica'][data-tenant='Demo Company']")).to_be_visible()
    assert "#" not in page.url and CONTROL_TOKEN not in page.url
    page.fill("#advance-seconds", "60")
    page.click("#advance")  # a write: sent with the token and the page's own Origin
    expect(page.locator("#message")).to_contain_text("Clock advanced by 60 s")
    clock = requests.get(f"{token_server.base_url}/_emulator/clock", timeout=10,
                         headers={"Authorization": f"Bearer {CONTROL_TOKEN}"}).json()
    assert clock["offset_seconds"] >= 60
    context.close()


def test_without_the_token_the_dashboard_asks_for_it_once(browser, token_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{token_server.base_url}/_emulator/")
    form = page.locator("#token-form")
    expect(form).to_be_visible()
    expect(page.locator("#token-reason")).to_contain_text("control plane needs the control token")
    expect(page.locator("nav button")).to_have_count(0)
    page.fill("#token", CONTROL_TOKEN)
    page.click("#token-form button[type=submit]")
    expect(form).to_be_hidden()
    expect(page.locator("nav button[data-vendor='copernica'][data-tenant='Demo Company']")).to_be_visible()
    page.reload()  # kept for this tab
    expect(page.locator("nav button[data-vendor='copernica'][data-tenant='Demo Company']")).to_be_visible()
    expect(form).to_be_hidden()
    context.close()
