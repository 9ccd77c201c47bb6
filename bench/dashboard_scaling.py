"""The dashboard at 1k, 10k and 100k Copernica profiles: its API, and the page in a real browser.

1. ``GET /_emulator/profiles`` (first, middle and last page of 25; a search) and
   ``GET /_emulator/tenants``, in-process: medians in ms and each one's ratio to the smallest
   size. Paging is done on the server before anything is rendered, so a page should cost about
   the same at any size; a search scans every profile once.
2. With ``--browser``, at the smallest and the largest size: Debian's chromium (Playwright) opens
   ``/_emulator/`` on a live waitress server, and the script reports the page load (navigation
   start → tenants listed, by the page's own ``performance`` marks) and the time from clicking the tenant to its first page of profiles
   in the table, and from a search to its results (medians of ``--loads`` runs).

Usage: python bench/dashboard_scaling.py [--sizes 1000,10000,100000] [--ops 30] [--browser] [--loads 5]
"""
from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time

from waitress.server import create_server

from emulator import create_app
from emulator.settings import Settings

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TENANT = "Bench Company"


def fixtures(size: int) -> dict:
    profiles = [{"ID": str(i), "fields": {"firstname": f"First{i}", "lastname": f"Last{i}",
                                          "email": f"user{i}@example.com", "customerid": str(i)}}
                for i in range(1, size + 1)]
    return {"copernica": {"accounts": [{"name": TENANT, "access_token": "bench-token", "databases": [{
        "ID": "1", "name": "Big", "fields": [
            {"ID": "1", "name": "firstname"}, {"ID": "2", "name": "lastname"},
            {"ID": "3", "name": "email", "type": "email"}, {"ID": "4", "name": "customerid", "type": "integer"}],
        "profiles": profiles}]}]}}


def make_app(size: int):
    from emulator import seeding

    app = create_app(Settings(demo=False))
    seeding.apply(app.extensions["emulator"], fixtures(size))
    return app


def median_ms(fn, ops: int) -> float:
    samples = []
    for _ in range(ops):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def measure_api(size: int, ops: int) -> dict[str, float]:
    app = make_app(size)
    client = app.test_client()
    base = {"vendor": "copernica", "tenant": TENANT, "limit": 25}

    def get(**params):
        response = client.get("/_emulator/profiles", query_string={**base, **params})
        assert response.status_code == 200, response.data
        return response

    results = {
        "first page": median_ms(lambda: get(offset=0), ops),
        "middle page": median_ms(lambda: get(offset=size // 2), ops),
        "last page": median_ms(lambda: get(offset=size - 25), ops),
        "search": median_ms(lambda: get(q=f"user{size // 3}@"), max(3, ops // 5)),
        "tenants": median_ms(lambda: client.get("/_emulator/tenants"), ops),
    }
    app.extensions["emulator"].close()
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_browser(size: int, loads: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    app = make_app(size)
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}/_emulator/"
    page_load, to_table, to_search = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(loads):
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.goto(url, wait_until="commit")
                page.wait_for_selector(f"nav button[data-tenant='{TENANT}']")
                # the page's own clock: from the start of the navigation to the tenants listed
                page_load.append(page.evaluate(
                    "performance.getEntriesByName('tenants-rendered')[0].startTime") / 1000)
                started = time.perf_counter()
                page.click(f"nav button[data-tenant='{TENANT}']")
                page.wait_for_function(f"document.getElementById('page-info').textContent.endsWith('of {size:,}')")
                page.wait_for_selector("#profiles tbody tr[data-key='1']")
                to_table.append(time.perf_counter() - started)
                started = time.perf_counter()
                page.fill("#search", f"user{size // 3}@")
                page.wait_for_function("document.getElementById('page-info').textContent.endsWith('of 1')")
                to_search.append(time.perf_counter() - started)
                page.close()
            browser.close()
    finally:
        server.close()
        app.extensions["emulator"].close()
    return {"page load (to tenants listed)": statistics.median(page_load) * 1000,
            "click tenant → 25 rows shown": statistics.median(to_table) * 1000,
            "search typed → result shown (incl. 250 ms debounce)": statistics.median(to_search) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--ops", type=int, default=30)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: measure_api(size, args.ops) for size in sizes}
    names = list(results[sizes[0]])
    print(f"{'profiles':>9} " + " ".join(f"{n + ' ms':>15} {'×':>5}" for n in names))
    for size in sizes:
        print(f"{size:>9} " + " ".join(f"{results[size][n]:>15.2f} {results[size][n] / results[sizes[0]][n]:>5.2f}"
                                       for n in names))
    largest = results[sizes[-1]]
    print(f"a page at {sizes[-1]:,} vs {sizes[0]:,} profiles: first {largest['first page'] / results[sizes[0]]['first page']:.2f}×, "
          f"last {largest['last page'] / results[sizes[0]]['last page']:.2f}×")
    if args.browser:
        small, large = measure_browser(sizes[0], args.loads), measure_browser(sizes[-1], args.loads)
        for name, ms in large.items():
            print(f"chromium, {name}: {ms:.0f} ms at {sizes[-1]:,} profiles, {small[name]:.0f} ms at "
                  f"{sizes[0]:,} ({ms / small[name]:.2f}×; medians of {args.loads})")


if __name__ == "__main__":
    main()
