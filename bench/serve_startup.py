"""How long ``martech-emulator serve`` takes until ``/_emulator/health`` answers 200.

Starts the real command several times (in memory with the demo, and with a fresh data file)
and prints the median and worst time to ready, against the bare cost of starting the same
Python interpreter (``python -c pass``) measured in the same run.

Usage: python bench/serve_startup.py [--runs 7]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def time_to_ready(*extra: str) -> float:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", str(port), *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=0.5).status_code == 200:
                    return time.perf_counter() - started
            except requests.ConnectionError:
                time.sleep(0.005)
            if time.perf_counter() - started > 30:
                raise TimeoutError("serve did not become ready in 30 s")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


def interpreter_start() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    baseline = statistics.median(interpreter_start() for _ in range(args.runs))
    rows = {"in memory, demo fixtures": lambda: time_to_ready()}
    with tempfile.TemporaryDirectory() as tmp:
        rows["--data (new file)"] = lambda: time_to_ready("--data", os.path.join(tmp, f"{time.time_ns()}.json"))
        print(f"python -c pass: median {baseline * 1000:.0f} ms")
        for name, run in rows.items():
            samples = [run() for _ in range(args.runs)]
            median = statistics.median(samples)
            print(f"{name:<26} ready in median {median * 1000:.0f} ms, worst {max(samples) * 1000:.0f} ms "
                  f"({median / baseline:.1f}× interpreter start; target < 1000 ms)")


if __name__ == "__main__":
    main()
