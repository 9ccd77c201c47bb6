from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import requests


class LiveServer:
    """``python -m emulator serve`` on a free port, stderr kept in a file (a pipe could fill up
    and stall the server) so a test can look for unhandled errors afterwards."""

    def __init__(self, *args: str):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="emulator-", suffix=".log", delete=False)
        self.process = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", str(self.port), *args],
                                        stdout=self.log, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.output()}")
            try:
                if requests.get(f"{self.base_url}/_emulator/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError("serve did not become healthy")

    def output(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def cleanup(self) -> None:
        os.unlink(self.log.name)


@pytest.fixture(scope="module")
def live_server():
    server = LiveServer()
    yield server
    server.stop()
    server.cleanup()
