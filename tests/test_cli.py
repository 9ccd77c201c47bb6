"""``martech-emulator serve`` as a user runs it: banner, readiness, persistence, signals, env vars."""
from __future__ import annotations

import json
import signal

import pytest
import requests

TOKEN = "access_token=demo-copernica-token"
DOCUMENTED_PUT = (f"/v3/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D4567&async=1&create=0")
BODY = {"fields": {"firstname": "John", "lastname": "Doe", "email": "johndoe@example.com"},
        "interests": {"football": 1, "baseball": 0}}


def test_serve_prints_paste_ready_base_urls(serve_process):
    server = serve_process()
    out, _ = server.stop()
    assert f"listening on {server.base_url}" in out
    assert f"{server.base_url}/v3" in out
    assert f"{server.base_url}/_emulator/health" in out


def test_python_dash_m_emulator_is_the_same_command(serve_process):
    server = serve_process(module=True)
    assert requests.get(f"{server.base_url}/v3/profile/1?{TOKEN}").json()["ID"] == "1"


def test_the_documented_put_survives_a_restart_with_a_data_file(serve_process, tmp_path):
    data = str(tmp_path / "state.json")
    first = serve_process("--data", data)
    assert requests.put(first.base_url + DOCUMENTED_PUT, json=BODY).status_code == 204
    requests.post(f"{first.base_url}/_emulator/drain")
    _, err = first.stop(signal.SIGTERM)
    assert f"state written to {data}" in err
    stored = json.load(open(data, encoding="utf-8"))
    assert stored["copernica/Demo Company/profiles"]["1"]["fields"]["lastname"] == "Doe"

    second = serve_process("--data", data)
    profile = requests.get(f"{second.base_url}/v3/profile/1?{TOKEN}").json()
    assert profile["fields"]["lastname"] == "Doe"  # the demo did not overwrite the saved state


def test_sigint_writes_the_data_file_too(serve_process, tmp_path):
    data = str(tmp_path / "state.json")
    server = serve_process("--data", data, "--flush-interval", "3600")
    requests.put(f"{server.base_url}/v3/profile/2?{TOKEN}", json={"fields": {"firstname": "Saved"}})
    server.stop(signal.SIGINT)
    assert json.load(open(data))["copernica/Demo Company/profiles"]["2"]["fields"]["firstname"] == "Saved"


def test_environment_variables_configure_every_flag(serve_process, tmp_path):
    fixtures = tmp_path / "extra.json"
    fixtures.write_text(json.dumps({"copernica": {"accounts": [
        {"name": "Env Co", "access_token": "env-token", "databases": [{"name": "Leads"}]}]}}))
    server = serve_process(env={"EMULATOR_NO_DEMO": "1", "EMULATOR_FIXTURES": str(fixtures)})
    health = requests.get(f"{server.base_url}/_emulator/health").json()
    assert health["vendors"]["copernica"]["tenants"] == 1
    assert requests.get(f"{server.base_url}/v3/database/Leads?access_token=env-token").json()["name"] == "Leads"
    assert requests.get(f"{server.base_url}/v3/identity?{TOKEN}").status_code == 400


def test_a_bad_fixtures_file_stops_serve_with_a_message_naming_the_key(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"copernica": {"accounts": [{"name": "X", "tokn": "y"}]}}))
    result = subprocess.run([sys.executable, "-m", "emulator", "serve", "--port", "0", "--fixtures", str(bad)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "copernica.accounts[0].tokn: Unknown field." in result.stderr


def test_a_corrupt_data_file_is_reported_not_overwritten(tmp_path):
    import subprocess
    import sys

    data = tmp_path / "state.json"
    data.write_text("{not json")
    result = subprocess.run([sys.executable, "-m", "emulator", "serve", "--port", "0", "--data", str(data)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "is not a readable TinyDB JSON file" in result.stderr
    assert data.read_text() == "{not json"


def test_the_installed_package_carries_the_demo_fixtures(tmp_path):
    """``pip install .`` (not only -e): the demo must load from site-packages, not this checkout."""
    import subprocess
    import sys

    code = ("import emulator, emulator.seeding as s; d = s.demo_fixtures(); "
            "print(len(d['copernica']['accounts']))")
    result = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 1


def test_journal_size_bounds_the_journal_per_tenant(serve_process):
    server = serve_process("--journal-size", "3")
    for _ in range(5):
        requests.get(f"{server.base_url}/v3/profile/1?{TOKEN}")
    journal = requests.get(f"{server.base_url}/_emulator/requests").json()["requests"]
    assert len(journal) == 3


def test_sigint_stops_a_server_started_with_sigint_ignored(serve_process, tmp_path):
    """A background job (``serve &``, nohup, some CI runners) inherits SIGINT ignored."""
    data = str(tmp_path / "state.json")
    server = serve_process("--data", data, "--flush-interval", "3600", ignore_sigint=True)
    requests.put(f"{server.base_url}/v3/profile/2?{TOKEN}", json={"fields": {"firstname": "Background"}})
    _, err = server.stop(signal.SIGINT)
    assert server.process.returncode == 0
    assert f"state written to {data}" in err
    assert json.load(open(data))["copernica/Demo Company/profiles"]["2"]["fields"]["firstname"] == "Background"


def _slow_clients(base_url: str, count: int) -> list:
    """Connections that send half a request and then nothing (one header line every 2 s would
    do the same: waitress waits for the end of the headers)."""
    import socket
    from urllib.parse import urlsplit

    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((host, port))
        sock.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
        sockets.append(sock)
    return sockets


def test_a_hundred_slow_clients_do_not_block_new_connections(serve_process):
    server = serve_process()
    slow = _slow_clients(server.base_url, 150)
    try:
        reply = requests.get(f"{server.base_url}/v3/profile/1?{TOKEN}", timeout=10)
        assert reply.status_code == 200
    finally:
        for sock in slow:
            sock.close()


def test_the_connection_limit_comes_from_its_environment_variable(serve_process):
    server = serve_process(env={"EMULATOR_CONNECTION_LIMIT": "3"})
    slow = _slow_clients(server.base_url, 3)
    try:
        with pytest.raises(requests.Timeout):
            requests.get(f"{server.base_url}/_emulator/health", timeout=1.5)  # waits in the backlog
        slow.pop().close()
        assert requests.get(f"{server.base_url}/_emulator/health", timeout=10).status_code == 200
    finally:
        for sock in slow:
            sock.close()


def test_after_kill_9_only_the_last_interval_plus_one_flush_is_lost(serve_process, tmp_path):
    """The promise of docs/control-plane.md: a write acknowledged more than one flush interval
    plus the duration of one flush (``last_flush_seconds`` in health) before a crash is on disk."""
    import threading
    import time

    data = str(tmp_path / "state.json")
    interval = 0.2
    server = serve_process("--data", data, "--flush-interval", str(interval))
    acked: list[tuple[int, float]] = []
    stop = threading.Event()

    def write() -> None:
        with requests.Session() as session:
            i = 0
            while not stop.is_set():
                try:
                    reply = session.put(f"{server.base_url}/v3/profile/2?{TOKEN}",
                                        json={"fields": {"customerid": str(i)}})
                except requests.ConnectionError:
                    return  # the server was killed under this request: it was never acknowledged
                assert reply.status_code == 204
                acked.append((i, time.monotonic()))
                i += 1

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(1.5)
    flush_seconds = requests.get(f"{server.base_url}/_emulator/health").json()["data_file"]["last_flush_seconds"]
    server.process.kill()  # SIGKILL: no chance to write anything more
    killed = time.monotonic()
    server.process.communicate()
    stop.set()
    writer.join()
    saved = int(json.load(open(data))["copernica/Demo Company/profiles"]["2"]["fields"]["customerid"])
    # scheduling slack on a shared CI machine: the bound is what a user can count on, plus 0.3 s
    promised = [i for i, at in acked if at <= killed - (interval + flush_seconds + 0.3)]
    assert promised, "the writer made no progress"
    assert saved >= promised[-1]
