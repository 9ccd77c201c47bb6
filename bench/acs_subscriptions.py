"""Adobe Campaign Standard: subscription calls at 1k, 10k and 100k subscriptions in one organization.

A profile's subscriptions list, subscribing, unsubscribing and reading one service, with the
organization holding N profiles each subscribed to one of 10 services. Lookups of a profile's or a
service's subscriptions go through ``records.having`` (a scan of the subscriptions until the Store's
secondary indexes serve it), so the ratios show what an index would save. In-process through
Flask's test client, so the numbers are the emulator's own work.

Usage: python bench/acs_subscriptions.py [--sizes 1000,10000,100000] [--ops 100]
Prints medians in microseconds and each one's ratio to the smallest size.
"""
from __future__ import annotations

import random

from emulator import create_app
from emulator.settings import Settings
from emulator.vendors.adobe_campaign import fixtures
from timing import median_us, scaling_table

ORG = "bench-org"
H = {"Authorization": "Bearer t", "X-Api-Key": "k"}
BASE = f"/{ORG}/campaign/profileAndServices"
PKEY = "@bench{:06d}"


def measure(size: int, ops: int) -> dict[str, float]:
    app = create_app(Settings(demo=False))
    emulator = app.extensions["emulator"]
    with emulator.store.transaction():
        fixtures.load_organization(emulator.store, emulator.clock, {
            "id": ORG, "access_token": "t", "api_key": "k",
            "profiles": [{"PKey": PKEY.format(i), "email": f"user{i}@example.com"} for i in range(size)],
            "services": [{"name": f"SVC{n}", "label": f"News {n}"} for n in range(1, 11)],
            "subscriptions": [{"service": {"name": f"SVC{i % 10 + 1}"}, "subscriber": {"PKey": PKEY.format(i)}}
                              for i in range(size)]})
    client = app.test_client()
    svc = client.get(f"{BASE}/service/SVC1", headers=H).get_json()
    picks = [PKEY.format(random.randrange(size)) for _ in range(ops)]

    def ok(reply, status: int = 200) -> None:
        assert reply.status_code == status, reply.get_data(as_text=True)

    def round_trip(pkey: str) -> None:  # subscribe to SVC1 if not yet, then unsubscribe
        subs = f"{BASE}/profile/{pkey}/subscriptions/"
        made = client.post(subs, json={"service": {"PKey": svc["PKey"]}}, headers=H)
        if made.status_code == 201:
            ok(client.delete(made.get_json()["href"].split("localhost", 1)[1], headers=H), 204)

    out = {
        "profile subs": median_us(lambda k: ok(client.get(f"{BASE}/profile/{k}/subscriptions/", headers=H)), picks),
        "sub+unsub": median_us(round_trip, picks),
        "service": median_us(lambda _: ok(client.get(f"{BASE}/service/{svc['PKey']}", headers=H)), picks),
        "profile": median_us(lambda k: ok(client.get(f"{BASE}/profile/{k}", headers=H)), picks),
    }
    emulator.close()
    return out


def main() -> None:
    sizes, results = scaling_table(__doc__.splitlines()[0], measure, default_ops=100)
    base, largest = results[sizes[0]], results[sizes[-1]]
    print(f"at {sizes[-1]:,} vs {sizes[0]:,} subscriptions: a profile's list "
          f"{largest['profile subs'] / base['profile subs']:.1f}×, subscribe+unsubscribe "
          f"{largest['sub+unsub'] / base['sub+unsub']:.1f}×, GET service {largest['service'] / base['service']:.2f}×, "
          f"GET profile {largest['profile'] / base['profile']:.2f}× (scans until the Store indexes them)")


if __name__ == "__main__":
    main()
