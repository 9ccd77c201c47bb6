"""Retake the screenshots (shown in docs/dashboard.md) of the dashboard and the API docs page.

Starts an emulator with the demo fixtures in-process, sends a Copernica PUT and an ACS PATCH,
and photographs the pages with Debian's chromium (headless, through Playwright).

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
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"{base}/_emulator/")
            page.click("nav button[data-vendor='copernica'][data-tenant='Demo Company']")
            page.click("#profiles tbody tr[data-key='1']")
            amy = requests.get(f"{base}/demo-org/campaign/profileAndServices/profile/byEmail",
                               params={"email": "amy.dakota@mail.com"}, headers=ACS, timeout=10).json()["content"][0]
            requests.patch(f"{base}/demo-org/campaign/profileAndServices/profile/{amy['PKey']}",
                           json={"firstName": "Amelia"}, headers=ACS, timeout=10)
            requests.put(f"{base}/v3/database/1/profiles",
                         params={"access_token": "demo-copernica-token", "fields[0]": "customerid==4567"},
                         json={"fields": {"firstname": "Jane", "country": "germany"}, "interests": {"baseball": 1}},
                         timeout=10)
            page.wait_for_selector("#history > li >> text=John → Jane")
            time.sleep(0.3)
            page.screenshot(path=str(HERE / "dashboard.png"))
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
