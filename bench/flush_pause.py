"""How long a write of the data file stops the other threads (the requests) of a server
holding many profiles, against writing the same file with one ``json.dumps`` (how the store
wrote it before it wrote it in pieces).

A probe thread asks for the GIL every millisecond (``time.sleep(0.001)``) while the store's
flush runs in another thread, and records how late it got it back: the longest of those is what
a request in flight waits, at most, for a flush. Each way is measured ``--rounds`` times,
interleaved; the database is Copernica's demo with ``--profiles`` more profiles.

Usage: python bench/flush_pause.py [--profiles 100000] [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time

from bigdata import demo_with_profiles
from emulator import create_app, seeding
from emulator.settings import Settings
from emulator.store import InMemoryFlushingStorage


def one_dumps(storage: InMemoryFlushingStorage, snapshot: dict) -> None:
    """The store's write before this change: the whole file from one json.dumps, then written."""
    text = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=os.path.dirname(storage.path or "."))
    with os.fdopen(fd, "wb") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, storage.path or "")


def probe(write) -> tuple[float, float]:
    """Seconds the write took, and the longest a thread waited for the GIL meanwhile."""
    done = threading.Event()
    worst = [0.0]

    def watch() -> None:
        while not done.is_set():
            started = time.perf_counter()
            time.sleep(0.001)
            worst[0] = max(worst[0], time.perf_counter() - started - 0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    time.sleep(0.05)
    started = time.perf_counter()
    write()
    took = time.perf_counter() - started
    done.set()
    watcher.join()
    return took, worst[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "state.json")
        app = create_app(Settings(demo=False, data=path, flush_interval=3600))
        emulator = app.extensions["emulator"]
        seeding.apply(emulator, demo_with_profiles(args.profiles))
        store = emulator.store
        storage = store._storage

        def in_pieces() -> None:
            store._dirty = True
            store.flush()

        def whole() -> None:
            one_dumps(storage, {name: dict(docs) for name, docs in storage.memory.items()})

        results: dict[str, list[tuple[float, float]]] = {"in pieces (now)": [], "one json.dumps (before)": []}
        for _ in range(args.rounds):
            results["in pieces (now)"].append(probe(in_pieces))
            results["one json.dumps (before)"].append(probe(whole))
        size = os.path.getsize(path)
        print(f"{args.profiles:,} more profiles, data file {size / 1e6:.1f} MB, {args.rounds} rounds")
        print(f"{'write':<26} {'took (median s)':>16} {'longest GIL wait (median ms)':>30}   per round (ms)")
        for name, values in results.items():
            print(f"{name:<26} {statistics.median(t for t, _ in values):>16.3f} "
                  f"{statistics.median(w for _, w in values) * 1000:>30.1f}   "
                  f"{', '.join(f'{w * 1000:.1f}' for _, w in values)}")
        emulator.close()


if __name__ == "__main__":
    main()
