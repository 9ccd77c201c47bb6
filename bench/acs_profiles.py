"""Adobe Campaign Standard: request cost at 1k, 10k and 100k profiles in one organization.

GET and PATCH of one profile by PKey, and the first page of the plain collection, must cost the
same at any size (design principle 4: PKeys decode straight to a store key, and a plain page
reads only its own profiles by key). A ``byEmail`` page is found through the Store's index of
emails (built by the first one), so it must cost the same too. In-process through Flask's
test client, so the numbers are the emulator's own work.

Usage: python bench/acs_profiles.py [--sizes 1000,10000,100000] [--ops 300]
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
BASE = f"/{ORG}/campaign/profileAndServices/profile"


def measure(size: int, ops: int) -> dict[str, float]:
    app = create_app(Settings(demo=False))
    emulator = app.extensions["emulator"]
    fixtures.load_organization(emulator.store, emulator.clock, {
        "id": ORG, "access_token": "t", "api_key": "k",
        "profiles": [{"firstName": f"F{i}", "lastName": f"L{i}", "email": f"user{i}@example.com"}
                     for i in range(size)]})
    client = app.test_client()
    pkeys = [p["PKey"] for p in client.get(f"{BASE}?_lineCount={min(size, 1000)}", headers=H).get_json()["content"]]
    picks = [random.choice(pkeys) for _ in range(ops)]

    def ok(reply) -> None:
        assert reply.status_code == 200, reply.get_data(as_text=True)

    out = {
        "get": median_us(lambda k: ok(client.get(f"{BASE}/{k}", headers=H)), picks),
        "patch": median_us(lambda k: ok(client.patch(f"{BASE}/{k}", json={"phone": "3301020304"}, headers=H)), picks),
        "page": median_us(lambda _: ok(client.get(BASE, headers=H)), range(max(20, ops // 10))),
        "byEmail": median_us(lambda i: ok(client.get(f"{BASE}/byEmail?email=user{i}@example.com", headers=H)),
                             range(max(5, ops // (size // 500 or 1)))),
    }
    emulator.close()
    return out


def main() -> None:
    sizes, results = scaling_table(__doc__.splitlines()[0], measure, default_ops=300)
    base, largest = results[sizes[0]], results[sizes[-1]]
    print(f"at {sizes[-1]:,} vs {sizes[0]:,} profiles: GET {largest['get'] / base['get']:.2f}×, "
          f"PATCH {largest['patch'] / base['patch']:.2f}×, first page {largest['page'] / base['page']:.2f}× "
          f"byEmail {largest['byEmail'] / base['byEmail']:.2f}× (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
