"""The Store's bulk writes (``put_many``, ``delete_many``, ``take_ids``) and the change log's
``record_many``: each must leave exactly the state its single-write counterpart leaves when
called once per document, in order; only the cost differs."""
from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.changelog import ChangeLog, change_origin
from emulator.indexes import IndexSpec
from emulator.store import Store

AT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
BY_N = IndexSpec("n", lambda doc: doc.get("n"))


def log_state(log: ChangeLog) -> dict:
    """Everything a reader of the log can see, and its bookkeeping."""
    def entry(c):
        return (c.seq, c.table, c.key, c.action, c.size, c.after_size, c.truncated, c.in_doc, c.in_recent,
                c.before, c.after, c.time, c.origin.get("label"))
    return {
        "docs": [(slot, [entry(c) for c in entries]) for slot, entries in log._docs.items()],
        "recent": [entry(c) for c in log.recent],
        "all": [entry(c) for c in log._all.values()],
        "bytes": log.bytes,
        "next seq": next(log._seq),
    }


def doc(i: int, width: int) -> dict:
    return {"n": i % 7, "fields": {f"f{j}": "x" * (i % 13) for j in range(width)}}


writes = st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 30), st.integers(0, 40),
                            st.booleans()), max_size=60)


@settings(max_examples=300, deadline=None)
@given(per_document=st.integers(1, 4), documents=st.integers(1, 40), recent=st.integers(0, 12),
       total_bytes=st.integers(300, 40_000), entry_bytes=st.integers(300, 5_000),
       earlier=writes, batch=writes)
def test_record_many_leaves_the_log_as_one_record_per_write_does(per_document, documents, recent, total_bytes,
                                                                 entry_bytes, earlier, batch):
    logs = [ChangeLog(per_document=per_document, documents=documents, recent=recent, now=lambda: AT,
                      total_bytes=total_bytes, entry_bytes=entry_bytes) for _ in range(2)]
    stored: dict[tuple[str, str], dict] = {}

    def plan(items):
        out = []
        for table, key, width, delete in items:
            slot = (table, str(key))
            before = stored.get(slot)
            after = None if delete and before is not None else doc(key + width, width)
            if after is None:
                del stored[slot]
            else:
                stored[slot] = after
            out.append((table, str(key), before, after))
        return out

    for write in plan(earlier):
        for log in logs:
            log.record(*write)
    token = change_origin.set({"label": "seed"})
    try:
        planned = plan(batch)
        for write in planned:
            logs[0].record(*write)
        logs[1].record_many(planned)
    finally:
        change_origin.reset(token)
    assert log_state(logs[1]) == log_state(logs[0])


def test_record_many_of_a_batch_larger_than_the_bound_builds_only_what_stays():
    log = ChangeLog(per_document=20, documents=100_000, recent=5, total_bytes=50_000)
    log.record("t", "old", None, {"a": 1})
    batch = [("t", str(i), None, {"i": i, "text": "y" * 100}) for i in range(10_000)]
    log.record_many(batch)
    kept = list(log._all.values())
    assert log.bytes <= 50_000 and kept and len(kept) < 200
    assert [c.key for c in kept] == [str(i) for i in range(10_000 - len(kept), 10_000)]
    assert log.history("t", "old") == [] and log.history("t", "0") == []
    assert [c.key for c in log.recent] == [str(i) for i in range(9_995, 10_000)]
    assert [c.seq for c in kept][-1] == 10_001


def snapshot_of(store: Store) -> dict:
    return {name: dict(docs) for name, docs in store._storage.memory.items()}


@settings(max_examples=150, deadline=None)
@given(earlier=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 9)), max_size=30),
       batch=st.lists(st.tuples(st.sampled_from(["c", "d"]), st.integers(0, 20), st.integers(0, 9)), max_size=40),
       removed=st.lists(st.integers(0, 25), max_size=15), indexed=st.booleans(), ordered=st.booleans())
def test_put_many_and_delete_many_answer_as_put_and_delete_one_by_one(earlier, batch, removed, indexed, ordered):
    stores = [Store(), Store()]
    for store in stores:
        store.changes = ChangeLog(now=lambda: AT)
        for key, n in earlier:
            store.put("v", "t", "c", str(key), {"n": n})
        if indexed:  # built now, so the bulk write has to keep it (or forget it) rightly
            store.find("v", "t", "c", BY_N, "==", 1, ordered=ordered)
    one, bulk = stores
    for collection, key, n in batch:
        one.put("v", "t", collection, str(key), {"n": n})
    assert bulk.put_many("v", "t", [(c, str(k), {"n": n}) for c, k, n in batch]) == len(batch)
    for key in removed:
        one.delete("v", "t", "c", str(key))
    bulk.delete_many("v", "t", "c", [str(k) for k in removed])
    assert snapshot_of(bulk) == snapshot_of(one)
    for store in stores:
        assert list(store._storage.memory.get("v/t/c", {})) == list(one._storage.memory.get("v/t/c", {}))
    for n in range(10):
        for operator in ("==", "<=", ">"):
            assert ([d.doc_id for d in bulk.find("v", "t", "c", BY_N, operator, n, ordered=True)]
                    == [d.doc_id for d in one.find("v", "t", "c", BY_N, operator, n, ordered=True)])
    assert log_state(bulk.changes) == log_state(one.changes)


def test_put_many_stores_copies_unless_the_documents_are_handed_over():
    store = Store()
    mine = {"a": {"b": 1}}
    store.put_many("v", "t", [("c", "1", mine)])
    mine["a"]["b"] = 2
    assert store.peek("v", "t", "c", "1") == {"a": {"b": 1}}
    handed = {"a": 1}
    store.put_many("v", "t", [("c", "2", handed)], owned=True)
    assert store.peek("v", "t", "c", "2") is handed


@given(held=st.one_of(st.none(), st.integers(1, 30)),
       given_ids=st.lists(st.one_of(st.none(), st.integers(1, 40)), max_size=20), start=st.integers(1, 5))
def test_take_ids_hands_out_what_next_id_and_bump_id_would(held, given_ids, start):
    one, bulk = Store(), Store()
    for store in (one, bulk):
        if held is not None:
            store.bump_id("v", "t", "profiles", held)
    expected = []
    for used in given_ids:
        value = used if used is not None else one.next_id("v", "t", "profiles", start)
        one.bump_id("v", "t", "profiles", value)
        expected.append(value)
    assert bulk.take_ids("v", "t", "profiles", given_ids, start) == expected
    assert snapshot_of(bulk) == snapshot_of(one)


def test_a_bulk_write_after_a_snapshot_is_undone_by_restore_with_indexes_right():
    store = Store()
    store.put_many("v", "t", [("c", str(i), {"n": i % 3}) for i in range(100)])
    assert len(store.find("v", "t", "c", BY_N, "==", 1)) == 33
    snapshot = store.snapshot()
    store.put_many("v", "t", [("c", str(i), {"n": 1}) for i in range(10)])
    store.delete_many("v", "t", "c", [str(i) for i in range(50, 60)])
    assert len(store.find("v", "t", "c", BY_N, "==", 1)) == 33 + 7 - 3
    store.restore(snapshot)
    assert sorted(int(d.doc_id) for d in store.find("v", "t", "c", BY_N, "==", 1)) == list(range(1, 100, 3))

