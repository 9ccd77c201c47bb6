"""Selections, one-profile calls and seeding at 1k, 10k and 100k profiles (in-process).

Through Flask's test client, so the figures are the emulator's own work:

* Copernica, database 1 of the demo account with ``size`` more profiles: the documented
  ``PUT database/1/profiles?fields[]=customerid==N`` (an existing customer each time), the same
  selection as a ``GET database/1/profiles`` list, a range selection (``customerid>=N`` matching
  ten profiles), and one profile by ID (``GET profile/<id>``, ``PUT profile/<id>``);
* Adobe Campaign: ``GET profile/byEmail?email=…`` in an organization of ``size`` profiles;
* seeding: how long the fixtures document takes to validate and apply (µs per profile).

The baseline of every figure is the same figure at the smallest size, in the same run; the
first selection at each size (which builds the index) is reported apart.
Subprofiles are not measured: they are not on main yet.

Usage: python bench/selection_scaling.py [--sizes 1000,10000,100000] [--ops 300]
"""
from __future__ import annotations

import random
import time

from bigdata import demo_with_profiles
from emulator import seeding
from emulator.app import create_app
from emulator.settings import Settings
from emulator.vendors.adobe_campaign import fixtures as acs_fixtures
from timing import median_us, scaling_table

TOKEN = "access_token=demo-copernica-token"
BODY = {"fields": {"firstname": "John", "lastname": "Doe"}, "interests": {"football": 1}}
ACS = {"Authorization": "Bearer t", "X-Api-Key": "k"}


def ok(reply, status: int = 200) -> None:
    assert reply.status_code == status, (reply.status_code, reply.get_data(as_text=True)[:300])


def measure(size: int, ops: int) -> dict[str, float]:
    app = create_app(Settings(demo=False))
    emulator = app.extensions["emulator"]
    document = demo_with_profiles(size)
    started = time.perf_counter()
    seeding.apply(emulator, document)
    seed_us = (time.perf_counter() - started) * 1e6 / size
    client = app.test_client()
    customers = [100000 + random.randint(1, size) for _ in range(ops)]

    def selection(n: int) -> str:
        return f"fields%5B%5D=customerid%3D%3D{n}"

    started = time.perf_counter()
    ok(client.get(f"/v3/database/1/profiles?{TOKEN}&{selection(customers[0])}"))
    first = (time.perf_counter() - started) * 1e6
    out = {
        "seed per profile": seed_us,
        "first selection": first,
        "PUT selection": median_us(lambda n: ok(client.put(
            f"/v3/database/1/profiles?{TOKEN}&{selection(n)}&create=0", json=BODY), 204), customers),
        "GET selection": median_us(lambda n: ok(client.get(f"/v3/database/1/profiles?{TOKEN}&{selection(n)}")),
                                   customers),
        "GET range": median_us(lambda n: ok(client.get(
            f"/v3/database/1/profiles?{TOKEN}&fields%5B%5D=customerid%3E%3D{100000 + size - 9}")), customers),
        "GET profile": median_us(lambda n: ok(client.get(f"/v3/profile/{n - 100000 + 4}?{TOKEN}")), customers),
        "PUT profile": median_us(lambda n: ok(client.put(f"/v3/profile/{n - 100000 + 4}?{TOKEN}",
                                                         json={"fields": {"lastname": "X"}}), 204), customers),
    }
    acs_fixtures.load_organization(emulator.store, emulator.clock, {
        "id": "bench-org", "access_token": "t", "api_key": "k",
        "profiles": [{"firstName": f"F{i}", "lastName": f"L{i}", "email": f"user{i}@example.com"}
                     for i in range(size)]})
    base = "/bench-org/campaign/profileAndServices/profile/byEmail?email="
    out["ACS byEmail"] = median_us(lambda i: ok(client.get(f"{base}user{i}@example.com", headers=ACS)),
                                   [random.randrange(size) for _ in range(ops)])
    emulator.close()
    return out


def main() -> None:
    sizes, results = scaling_table(__doc__.splitlines()[0], measure, default_ops=300)
    base, largest = results[sizes[0]], results[sizes[-1]]
    print(f"at {sizes[-1]:,} vs {sizes[0]:,} profiles (goal ≤ 1.5× for selections, ~1× by ID): " + ", ".join(
        f"{name} {largest[name] / base[name]:.2f}×" for name in base if name != "first selection"))
    print(f"seeding {sizes[-1]:,} Copernica profiles: {largest['seed per profile'] * sizes[-1] / 1e6:.1f} s "
          f"(validation and apply)")


if __name__ == "__main__":
    main()
