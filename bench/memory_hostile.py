"""The server's memory under hostile load: huge headers, huge field values (issue 11).

Starts ``martech-emulator serve`` in a subprocess, reads its resident memory (VmRSS, from
/proc) before the load and after each round, and prints the growth of every round. Memory is
flat when the later rounds add (next to) nothing: the journal and the change history are bounded
in bytes, and Copernica cuts text at the field's declared length.

Loads (each round of each):
  headers   --requests GETs of a Copernica profile, each with a --header-kb KB header
            (the issue's reproduction: 1,100 requests with 200 KB headers)
  field     --puts PUTs of a --field-mib MiB Copernica field, spread over the demo's profiles
  acs       the same PUTs as Campaign PATCHes of a profile's lastName (no declared length)
After the rounds it also reports the size of ``GET /_emulator/requests``.

Usage: python bench/memory_hostile.py [--rounds 4] [--requests 1100] [--header-kb 200]
                                       [--puts 80] [--field-mib 5] [--threads 8]
Set PYTHONPATH to another checkout to measure that code instead (e.g. before the fix).
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

COP = "access_token=demo-copernica-token"
ACS = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(extra: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(500):
        try:
            if requests.get(f"{base}/_emulator/health", timeout=1).status_code == 200:
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.02)
    proc.kill()
    raise RuntimeError("serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1100)
    parser.add_argument("--header-kb", type=int, default=200)
    parser.add_argument("--puts", type=int, default=80)
    parser.add_argument("--field-mib", type=float, default=5)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--loads", default="headers,field,acs")
    parser.add_argument("serve_args", nargs="*", help="extra arguments for serve (after --)")
    args = parser.parse_args()

    header = "x" * (args.header_kb * 1024)
    field = "y" * int(args.field_mib * 1024 * 1024)
    proc, base = start(args.serve_args)
    session = requests.Session()
    pkeys = [p["PKey"] for p in session.get(f"{base}/demo-org/campaign/profileAndServices/profile?_lineCount=10",
                                            headers=ACS).json()["content"]]
    profile_ids = session.get(f"{base}/v3/database/1/profileids?{COP}").json()
    statuses: dict[int, int] = {}

    def note(reply: requests.Response) -> None:
        statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1

    def hostile_header(i: int) -> None:
        with requests.Session() as s:
            note(s.get(f"{base}/v3/profile/1?{COP}", headers={"X-Junk": header}))

    def large_field(i: int) -> None:
        with requests.Session() as s:
            note(s.put(f"{base}/v3/profile/{profile_ids[i % len(profile_ids)]}?{COP}", json={"fields": {"firstname": field + str(i)}}))

    def acs_field(i: int) -> None:
        with requests.Session() as s:
            pkey = pkeys[i % len(pkeys)]
            note(s.patch(f"{base}/demo-org/campaign/profileAndServices/profile/{pkey}", headers=ACS,
                         json={"lastName": field + str(i)}))

    loads = {"headers": (hostile_header, args.requests), "field": (large_field, args.puts),
             "acs": (acs_field, args.puts)}
    try:
        baseline = rss_mb(proc.pid)
        print(f"server RSS at start: {baseline:.1f} MB")
        for name in args.loads.split(","):
            work, count = loads[name]
            previous = rss_mb(proc.pid)
            print(f"\n{name}: {count} requests per round")
            print(f"{'round':>5} {'RSS MB':>9} {'growth MB':>10} {'seconds':>8}")
            for r in range(1, args.rounds + 1):
                started = time.perf_counter()
                with ThreadPoolExecutor(args.threads) as pool:
                    list(pool.map(work, range(count)))
                now = rss_mb(proc.pid)
                print(f"{r:>5} {now:>9.1f} {now - previous:>+10.1f} {time.perf_counter() - started:>8.1f}")
                previous = now
        started = time.perf_counter()
        listing = session.get(f"{base}/_emulator/requests")
        print(f"\nGET /_emulator/requests: {len(listing.content) / 1e6:.1f} MB, "
              f"{listing.json()['count']} entries, {time.perf_counter() - started:.2f} s")
        print(f"server RSS at end: {rss_mb(proc.pid):.1f} MB (start {baseline:.1f} MB); statuses {statuses}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
