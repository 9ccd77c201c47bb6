"""Single-profile read and write cost at 1k, 10k and 100k profiles.

The Store's keyed path must cost the same at any size (design principle 4). For contrast it
also times TinyDB's plain ``Table.update`` on the same data, which rewrites the whole table per
call — the reason the Store does not use it for single-document writes.

The store runs with the change log on (``--history``, the app's default of 20 changes per
document), as it does in the emulator; ``--history 0`` measures it switched off.

Usage: python bench/store_scaling.py [--sizes 1000,10000,100000] [--ops 2000] [--history 20]
Prints medians in microseconds and each one's ratio to the smallest size.
"""
from __future__ import annotations

import argparse
import random

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from emulator.changelog import ChangeLog
from emulator.store import Store
from timing import median_us

VENDOR, TENANT, COLLECTION = "copernica", "bench", "profiles"


def profile(i: int) -> dict:
    return {"ID": str(i), "database": "1", "fields": {"firstname": f"name{i}", "customerid": str(i),
            "email": f"user{i}@example.com"}, "interests": ["football"], "secret": "0" * 28,
            "created": "2026-01-01 00:00:00", "modified": "2026-01-01 00:00:00", "removed": False}


def measure(size: int, ops: int, history: int) -> dict[str, float]:
    store = Store()
    if history:
        store.changes = ChangeLog(history)
    for i in range(1, size + 1):
        store.put(VENDOR, TENANT, COLLECTION, str(i), profile(i))
    keys = [str(random.randint(1, size)) for _ in range(ops)]
    read = median_us(lambda k: store.get(VENDOR, TENANT, COLLECTION, k), keys)

    def write(key: str) -> None:
        with store.transaction():
            doc = store.get(VENDOR, TENANT, COLLECTION, key)
            doc["fields"]["firstname"] = "changed"
            store.put(VENDOR, TENANT, COLLECTION, key, doc)

    written = median_us(write, keys)

    plain = TinyDB(storage=MemoryStorage).table("profiles")
    plain.insert_multiple(profile(i) for i in range(1, size + 1))
    tinydb_ops = max(20, ops // (size // 1000))  # Table.update is slow at size: fewer samples
    tinydb_update = median_us(lambda k: plain.update({"modified": "x"}, doc_ids=[int(k)]), keys[:tinydb_ops])
    return {"read": read, "write": written, "tinydb_update": tinydb_update}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--history", type=int, default=20, help="change log entries per document (0: off)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: measure(size, args.ops, args.history) for size in sizes}
    base = results[sizes[0]]
    print(f"{'profiles':>9} {'read µs':>9} {'×':>6} {'write µs':>9} {'×':>6} {'TinyDB Table.update µs':>23} {'×':>7}")
    for size in sizes:
        r = results[size]
        print(f"{size:>9} {r['read']:>9.1f} {r['read'] / base['read']:>6.2f} {r['write']:>9.1f} "
              f"{r['write'] / base['write']:>6.2f} {r['tinydb_update']:>23.1f} "
              f"{r['tinydb_update'] / base['tinydb_update']:>7.1f}")
    largest = results[sizes[-1]]
    print(f"single-profile write at {sizes[-1]:,} vs {sizes[0]:,}: {largest['write'] / base['write']:.2f}× "
          f"(target ≤ 1.5×); read: {largest['read'] / base['read']:.2f}×")


if __name__ == "__main__":
    main()
