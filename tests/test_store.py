"""The Store: keyed access, isolation by tenant, thread safety, durable atomic flushes."""
from __future__ import annotations

import json
import os
import time
import threading

import pytest

from emulator.store import FlushError, Store, StoreFileError, json_pieces


def test_put_get_returns_private_copies():
    store = Store()
    doc = {"ID": "1", "fields": {"name": "Amy"}}
    store.put("copernica", "acme", "profiles", "1", doc)
    doc["fields"]["name"] = "changed by caller"
    got = store.get("copernica", "acme", "profiles", "1")
    assert got == {"ID": "1", "fields": {"name": "Amy"}}
    got["fields"]["name"] = "changed by reader"
    assert store.get("copernica", "acme", "profiles", "1")["fields"]["name"] == "Amy"


def test_tenants_are_isolated_and_dropped_separately():
    store = Store()
    store.put("copernica", "acme", "profiles", "1", {"a": 1})
    store.put("copernica", "other", "profiles", "1", {"a": 2})
    store.put("adobe_target", "acme", "profiles", "x", {"a": 3})
    assert store.get("copernica", "other", "profiles", "1") == {"a": 2}
    assert sorted(store.tenants("copernica")) == ["acme", "other"]
    store.drop("copernica", "acme")
    assert store.get("copernica", "acme", "profiles", "1") is None
    assert store.get("copernica", "other", "profiles", "1") == {"a": 2}
    assert store.get("adobe_target", "acme", "profiles", "x") == {"a": 3}
    store.drop()
    assert store.tenants("copernica") == [] and store.tenants("adobe_target") == []


def test_search_uses_a_predicate_and_keeps_keys():
    store = Store()
    for i in range(5):
        store.put("v", "t", "c", str(i), {"n": i})
    found = store.search("v", "t", "c", lambda d: d["n"] % 2 == 0)
    assert [(d.doc_id, d["n"]) for d in found] == [("0", 0), ("2", 2), ("4", 4)]
    assert store.count("v", "t", "c") == 5
    assert store.delete("v", "t", "c", "0") is True
    assert store.delete("v", "t", "c", "0") is False
    assert store.keys("v", "t", "c") == ["1", "2", "3", "4"]


def test_next_id_never_reuses_ids_and_respects_fixture_ids():
    store = Store()
    assert store.next_id("v", "t", "c") == 1
    store.bump_id("v", "t", "c", used=41)
    assert store.next_id("v", "t", "c") == 42
    store.bump_id("v", "t", "c", used=3)
    assert store.next_id("v", "t", "c") == 43


def test_concurrent_writers_lose_nothing():
    store = Store()

    def writer(n: int) -> None:
        for i in range(200):
            with store.transaction():
                current = store.get("v", "t", "counter", "c") or {"value": 0}
                store.put("v", "t", "counter", "c", {"value": current["value"] + 1})
            store.put("v", "t", "docs", f"{n}-{i}", {"n": n})

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.get("v", "t", "counter", "c") == {"value": 1600}
    assert store.count("v", "t", "docs") == 1600


def test_close_writes_everything_and_a_new_store_reads_it_back(tmp_path):
    path = str(tmp_path / "data.json")
    store = Store(path, flush_interval=60)  # the background flush will not run in this test
    store.put("copernica", "acme", "profiles", "7", {"ID": "7"})
    store.next_id("copernica", "acme", "profiles")
    assert not os.path.exists(path)
    store.close()
    on_disk = json.loads(open(path, encoding="utf-8").read())
    assert on_disk["copernica/acme/profiles"] == {"7": {"ID": "7"}}
    reopened = Store(path)
    assert reopened.get("copernica", "acme", "profiles", "7") == {"ID": "7"}
    assert reopened.next_id("copernica", "acme", "profiles") == 2


def test_background_flush_writes_within_the_interval(tmp_path):
    path = str(tmp_path / "data.json")
    store = Store(path, flush_interval=0.05)
    store.put("v", "t", "c", "k", {"x": 1})
    deadline = time.monotonic() + 30  # a bound for a hung flusher, not a speed claim
    while not os.path.exists(path):
        assert time.monotonic() < deadline, "the background flush never wrote the file"
        time.sleep(0.01)
    assert json.load(open(path))["v/t/c"] == {"k": {"x": 1}}
    store.close()


def test_a_failed_flush_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    path = str(tmp_path / "data.json")
    store = Store(path, flush_interval=0)
    store.put("v", "t", "c", "k", {"x": 1})
    store.flush()
    before = open(path, encoding="utf-8").read()
    store.put("v", "t", "c", "k", {"x": 2})

    def crash(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(FlushError, match="disk full"):
        store.flush()
    assert open(path, encoding="utf-8").read() == before
    assert [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")] == []
    monkeypatch.undo()
    assert store.flush() is True  # still dirty after the failure, so it is retried
    assert json.load(open(path))["v/t/c"]["k"] == {"x": 2}


@pytest.mark.parametrize("chunk", [1, 2, 3, 500])
def test_the_data_file_written_in_pieces_is_the_one_json_dumps_makes(chunk):
    """Written a few documents at a time (so a flush never holds the GIL for long), byte for byte
    the TinyDB file one ``json.dumps`` of the whole database made."""
    snapshot = {
        "copernica/acme/profiles": {str(i): {"ID": str(i), "fields": {"name": f"Zoë {i}", "n": i / 3}}
                                    for i in range(7)},
        "copernica/acme/_counters": {},
        "adobe_target/demo/profiles": {"tnt": {"attrs": ["a", None, True], "\u00e9\"quoted\"": {}}},
    }
    expected = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert b"".join(json_pieces(snapshot, chunk)) == expected
    assert b"".join(json_pieces({}, chunk)) == b"{}"


def test_text_that_is_not_unicode_is_written_escaped_and_read_back(tmp_path):
    path = str(tmp_path / "data.json")
    store = Store(path, flush_interval=60)
    store.put("v", "t", "c", "k", {"x": "a\ud800b", "y": "é"})
    store.put("v", "t", "c", "other", {"x": "fine"})
    store.close()
    assert Store(path).get("v", "t", "c", "k") == {"x": "a\ud800b", "y": "é"}
    assert Store(path).get("v", "t", "c", "other") == {"x": "fine"}


def test_a_corrupt_data_file_is_refused_not_overwritten(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('{"v/t/c": {"k": ', encoding="utf-8")
    with pytest.raises(StoreFileError):
        Store(str(path))
    assert path.read_text(encoding="utf-8") == '{"v/t/c": {"k": '
