"""Memory of an emulator holding 100,000 Copernica profiles.

Each measurement runs in a fresh Python process, which reports its resident set size (VmRSS)
after: the app with the demo fixtures only (the baseline), the same with ``--profiles`` more
profiles seeded, and after one selection on ``customerid`` (which builds that field's index).
Prints MB and the cost per profile, and the ratio to the baseline.

Usage: python bench/memory.py [--profiles 100000] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import gc, json, sys
sys.path.insert(0, {bench!r})
from bigdata import demo_with_profiles
from emulator import create_app, seeding
from emulator.settings import Settings

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

profiles = int(sys.argv[1])
document = demo_with_profiles(profiles) if profiles else None
app = create_app(Settings(demo=document is None))  # the document holds the demo already
out = {{}}
if document is not None:
    seeding.apply(app.extensions["emulator"], document)
    del document
gc.collect()
out["seeded"] = rss_mb()
client = app.test_client()
reply = client.get("/v3/database/1/profiles?access_token=demo-copernica-token&fields[]=customerid==100007")
assert reply.status_code == 200
gc.collect()
out["indexed"] = rss_mb()
print(json.dumps(out))
"""


def measure(profiles: int) -> dict[str, float]:
    code = CHILD.format(bench=str(Path(__file__).resolve().parent))
    result = subprocess.run([sys.executable, "-c", code, str(profiles)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = [measure(0) for _ in range(args.runs)]
    big = [measure(args.profiles) for _ in range(args.runs)]
    base_mb = statistics.median(b["seeded"] for b in base)
    print(f"resident memory, median of {args.runs} fresh processes")
    print(f"  demo fixtures only (baseline)          {base_mb:8.1f} MB")
    for key, label in (("seeded", f"{args.profiles:,} more profiles"), ("indexed", "… and a customerid index")):
        values = [b[key] for b in big]
        median = statistics.median(values)
        print(f"  {label:<38} {median:8.1f} MB  {median / base_mb:6.2f}× baseline, "
              f"{(median - base_mb) * 1024 * 1024 / args.profiles:7.0f} bytes per profile   "
              f"(runs: {', '.join(f'{v:.1f}' for v in values)})")


if __name__ == "__main__":
    main()
