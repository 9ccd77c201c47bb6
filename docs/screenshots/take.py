"""Retake the screenshots (shown in docs/dashboard.md) of the dashboard and the API docs page.

Starts an emulator with the demo fixtures (waitress, in-process), runs the README's examples
against it while the dashboard is open, and photographs the pages with Debian's chromium
(headless, through Playwright) at 1400 × 900 and at 800 px wide.

Usage: python docs/screenshots/take.py   (writes docs/screenshots/*.png)
"""
from __future__ import annotations

import pathlib
import socket
import threading
import time

import requests
from playwright.sync_api import sync_playwright
from waitress.server import create_server

from emulator import create_app

HERE = pathlib.Path(__file__).parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ACS = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}


def readme_examples(base: str) -> None:
    """The README's examples, top to bottom, as a reader runs them while the dashboard is open."""
    token = {"access_token": "demo-copernica-token"}
    ok = [
        requests.put(f"{base}/v3/database/1/profiles", params={**token, "fields[0]": "customerid==4567",
                                                               "async": "1", "create": "0"},
                     json={"fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"},
                           "interests": {"football": 1, "baseball": 0}}, timeout=10),
        requests.put(f"{base}/v3/database/Newsletter/profiles", params={**token, "fields[]": "customerid==9999",
                                                                        "create": "1"},
                     data="fields[customerid]=9999&fields[email]=new@example.com&interests[]=football",
                     headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10),
        requests.get(f"{base}/m2/demo/profile/update", params={"mboxPC": "1368007744041-575948.01_00",
                                                               "profile.attr1": "0", "profile.attr2": "1"}, timeout=10),
        requests.post(f"{base}/m2/demo/profile/update", params={"mbox3rdPartyId": "a1-mbox3rdPartyId"},
                      data="profile.tier=gold", headers={"Content-Type": "application/x-www-form-urlencoded"},
                      timeout=10),
        requests.post(f"{base}/_emulator/clock", json={"advance": 3600}, timeout=10),
        requests.post(f"{base}/_emulator/clock", json={"resume": True}, timeout=10),  # as the README now does
    ]
    requests.post(f"{base}/_emulator/drain", timeout=10)
    amy = requests.get(f"{base}/demo-org/campaign/profileAndServices/profile/byEmail",
                       params={"email": "amy.dakota@mail.com"}, headers=ACS, timeout=10).json()["content"][0]
    ok.append(requests.patch(f"{base}/demo-org/campaign/profileAndServices/profile/{amy['PKey']}",
                             json={"firstName": "Amelia", "phone": "3301020304"}, headers=ACS, timeout=10))
    ok.append(requests.put(f"{base}/v3/database/1/profiles",
                           params={**token, "fields[0]": "customerid==4567"},
                           json={"fields": {"firstname": "Jane", "country": "germany"}}, timeout=10))
    assert all(r.ok for r in ok), [(r.request.method, r.url, r.status_code) for r in ok if not r.ok]


def main() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/_emulator/")
            readme_examples(base)
            page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
            page.click("#profiles tbody tr[data-key='1']")
            page.wait_for_selector("#history > li >> text=John → Jane")
            time.sleep(0.6)
            page.screenshot(path=str(HERE / "dashboard.png"))
            page.click("nav button[data-vendor='adobe_campaign'][data-tenant='demo-org']")
            page.fill("#search", "amy.dakota")
            page.wait_for_selector("#profiles tbody tr >> text=Amelia")
            page.click("#profiles tbody tr >> nth=0")
            page.wait_for_selector("#detail-document >> text=Amelia")
            time.sleep(0.6)
            page.screenshot(path=str(HERE / "dashboard-campaign.png"))
            narrow = browser.new_page(viewport={"width": 800, "height": 900})
            narrow.goto(f"{base}/_emulator/")
            narrow.click("nav button[data-vendor='adobe_target'][data-tenant='demo']")
            narrow.click("#profiles tbody tr[data-key='1368007744041-575948.01_00']")
            narrow.wait_for_selector("#detail-document >> text=visitorId")
            time.sleep(0.6)
            narrow.screenshot(path=str(HERE / "dashboard-800.png"), full_page=True)
            docs = browser.new_page(viewport={"width": 1400, "height": 1000})
            docs.goto(f"{base}/_emulator/docs")
            docs.locator("details.op", has_text="/v3/database/{ref}/profiles").nth(2).click()
            docs.locator("details.op", has_text="/v3/database/{ref}/profiles").nth(2).scroll_into_view_if_needed()
            docs.screenshot(path=str(HERE / "api-docs.png"))
            browser.close()
    finally:
        server.close()
        app.extensions["emulator"].close()


if __name__ == "__main__":
    main()
