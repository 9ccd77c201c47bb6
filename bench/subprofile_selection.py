"""A Copernica subprofile selection costs what the profile selection costs, at 1k, 10k and 100k.

``GET collection/<id>/subprofiles?fields[]=ordernumber==<n>`` and
``GET database/<id>/profiles?fields[]=customerid==<n>`` on a database with N profiles and a
collection with N subprofiles (one per profile), through the model (no HTTP): subprofiles sit
in the store as profiles do (tenant-scoped, one document per record) and are selected through
the same ``Store.search`` and the same compiled ``fields`` predicate, so whatever serves the
profile selection (the Store's ordered index of the field, built on first use) serves theirs.

Usage: python bench/subprofile_selection.py [--sizes 1000,10000,100000] [--ops 20]
Prints medians in µs, each with its ratio to the smallest size, then subprofile ÷ profile.
"""
from __future__ import annotations

import random

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.copernica.model import Account, make_field
from emulator.vendors.copernica.schemas import ListParams
from emulator.vendors.copernica.subprofiles import Collections
from timing import median_us, scaling_table

VENDOR, TENANT = "copernica", "bench"
PARAMS = ListParams().load({})


def build(size: int) -> tuple[Account, Collections]:
    store = Store()
    account = Account(store, Clock(), TENANT)
    store.put(VENDOR, TENANT, "databases", "1", {
        "ID": "1", "name": "Shop", "description": "", "interests": [],
        "fields": [make_field({"ID": "1", "name": "email"}), make_field({"ID": "2", "name": "customerid", "type": "integer"})]})
    store.put(VENDOR, TENANT, "collections", "2", {
        "ID": "2", "name": "Orders", "database": "1", "description": "",
        "fields": [make_field({"ID": "3", "name": "status"}), make_field({"ID": "4", "name": "ordernumber", "type": "integer"})]})
    times = {"created": "2026-01-01 00:00:00", "modified": "2026-01-01 00:00:00", "removed": False, "secret": "0" * 28}
    for i in range(1, size + 1):
        store.put(VENDOR, TENANT, "profiles", str(i), {
            "ID": str(i), "database": "1", "fields": {"email": f"u{i}@example.com", "customerid": str(i)},
            "interests": [], **times})
        store.put(VENDOR, TENANT, "subprofiles", str(size + i), {
            "ID": str(size + i), "collection": "2", "profile": str(i),
            "fields": {"status": "open", "ordernumber": str(i)}, **times})
    return account, Collections(account)


def measure(size: int, ops: int) -> dict[str, float]:
    account, collections = build(size)
    wanted = [random.randint(1, size) for _ in range(ops)]
    profiles = median_us(lambda n: account.list_profiles("1", PARAMS, [f"customerid=={n}"]), wanted)
    subprofiles = median_us(lambda n: collections.list_subprofiles("2", PARAMS, [f"ordernumber=={n}"]), wanted)
    assert collections.list_subprofiles("2", PARAMS, ["ordernumber==1"])["total"] == 1
    return {"profile selection": profiles, "subprofile selection": subprofiles}


def main() -> None:
    sizes, results = scaling_table(__doc__.splitlines()[0], measure, default_ops=20)
    for size in sizes:
        r = results[size]
        print(f"{size:>9} subprofile ÷ profile selection: {r['subprofile selection'] / r['profile selection']:.2f}×")


if __name__ == "__main__":
    main()
