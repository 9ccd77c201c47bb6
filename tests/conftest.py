from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from emulator import create_app
from emulator.settings import Settings
from emulator.store import Store


@pytest.fixture
def client():
    """A fresh in-process emulator with the demo fixtures, through Flask's test client."""
    app = create_app(Settings())
    yield app.test_client()
    app.extensions["emulator"].close()


@pytest.fixture(scope="session")
def all_contract_tests_passed():
    """Checks the closing line of a contract run: every test the suite holds passed, and
    nothing else happened (no skip, no failure), so a transport cannot pass with a few."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EMULATOR_"))}
    result = subprocess.run([sys.executable, "-m", "pytest", "contract_tests", "--collect-only", "-q",
                             "-p", "no:cacheprovider"], cwd=root, capture_output=True, text=True,
                            timeout=120, env=env)
    found = re.search(r"^(\d+) tests? collected", result.stdout, re.M)
    assert found, result.stdout[-2000:] + result.stderr[-2000:]
    count = int(found.group(1))

    def check(summary: str) -> None:
        assert re.fullmatch(rf"=* ?{count} passed in [\d.]+s(?: \([\d:]+\))? ?=*", summary.strip()), (count, summary)

    return check


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``martech-emulator serve`` in a subprocess, as a user runs it."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, module: bool = False,
                 ignore_sigint: bool = False):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "emulator"] if module else [sys.executable, "-c",
                                                                   "from emulator.cli import main; main()"]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {})},
            # what a shell does to a background job (``serve &``): SIGINT ignored from the start
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None)
        self.ready_after = self.wait_healthy()

    def wait_healthy(self, timeout: float = 10.0) -> float:
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.process.communicate()}")
            try:
                if requests.get(f"{self.base_url}/_emulator/health", timeout=0.5).status_code == 200:
                    return time.perf_counter() - self.started
            except requests.ConnectionError:
                time.sleep(0.01)
        raise TimeoutError("serve did not become healthy")

    def stop(self, sig: int = signal.SIGTERM) -> tuple[str, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=15)
        return out, err


@pytest.fixture
def serve_process():
    started: list[ServerProcess] = []

    def start(*args: str, **kwargs) -> ServerProcess:
        server = ServerProcess(*args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.communicate()


@pytest.fixture
def one_put_each():
    """A function that replaces, on a monkeypatch, the Store's bulk writes (``put_many``,
    ``delete_many``, ``take_ids``) by what they stand for: one put, delete, next_id each. What
    a bulk seed leaves is compared with what that leaves."""
    def patch(monkeypatch) -> None:
        def put_many(self, vendor, tenant, writes, *, owned=False):
            writes = list(writes)
            for collection, key, doc in writes:
                self.put(vendor, tenant, collection, key, doc)
            return len(writes)

        def delete_many(self, vendor, tenant, collection, keys):
            return sum(self.delete(vendor, tenant, collection, key) for key in list(keys))

        def take_ids(self, vendor, tenant, collection, given_ids, start=1):
            out = []
            for used in given_ids:
                used = used if used is not None else self.next_id(vendor, tenant, collection, start)
                self.bump_id(vendor, tenant, collection, used)
                out.append(used)
            return out

        monkeypatch.setattr(Store, "put_many", put_many)
        monkeypatch.setattr(Store, "delete_many", delete_many)
        monkeypatch.setattr(Store, "take_ids", take_ids)

    return patch
