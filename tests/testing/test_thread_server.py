"""ThreadServer: waitress in a thread, ready when constructed, stopped cleanly; Store snapshots."""
from __future__ import annotations

import threading

import pytest
import requests

from emulator import create_app
from emulator.settings import Settings
from emulator.store import Store
from emulator.testing import ThreadServer


def test_ready_as_soon_as_it_exists_and_gone_after_stop():
    server = ThreadServer(create_app(Settings()))
    assert server.url == f"http://127.0.0.1:{server.port}" and server.port > 0
    reply = requests.get(f"{server.url}/v3/identity?access_token=demo-copernica-token", timeout=10)
    assert reply.json()["name"] == "Demo Company"
    thread = server._thread
    server.stop()
    assert not thread.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/_emulator/health", timeout=2)
    server.stop()  # twice is fine


def test_two_servers_never_share_a_port_and_serve_their_own_state():
    with ThreadServer() as a, ThreadServer() as b:
        assert a.port != b.port
        requests.put(f"{a.url}/v3/profile/1?access_token=demo-copernica-token",
                     json={"fields": {"lastname": "OnlyInA"}}, timeout=10).raise_for_status()
        last = lambda s: requests.get(f"{s.url}/v3/profile/1?access_token=demo-copernica-token",
                                      timeout=10).json()["fields"]["lastname"]
        assert (last(a), last(b)) == ("OnlyInA", "Smith")


def test_concurrent_requests_are_all_answered_and_journaled():
    with ThreadServer() as server:
        def hit(n: int) -> None:
            requests.get(f"{server.url}/v3/profile/{1 + n % 4}?access_token=demo-copernica-token",
                         timeout=10).raise_for_status()

        threads = [threading.Thread(target=hit, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(server.emulator.journal) == 20


def test_store_snapshot_restore_puts_back_every_table_and_counter():
    store = Store()
    store.put("copernica", "a", "profiles", "1", {"fields": {"x": "1"}})
    assert store.next_id("copernica", "a", "profiles") == 1
    snapshot = store.snapshot()
    store.put("copernica", "a", "profiles", "1", {"fields": {"x": "changed"}})
    store.put("copernica", "b", "profiles", "9", {"fields": {}})
    store.delete("copernica", "a", "profiles", "1")
    assert store.next_id("copernica", "a", "profiles") == 2
    store.restore(snapshot)
    assert store.get("copernica", "a", "profiles", "1") == {"fields": {"x": "1"}}
    assert store.tenants("copernica") == ["a"]
    assert [d.doc_id for d in store.search("copernica", "a", "profiles")] == ["1"]
    assert store.next_id("copernica", "a", "profiles") == 2
    store.put("copernica", "a", "profiles", "2", {})
    store.restore(snapshot)  # a snapshot can be restored again and again
    assert store.keys("copernica", "a", "profiles") == ["1"]
