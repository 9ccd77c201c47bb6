"""The Store's secondary indexes: ``find`` answers what a scan answers, through every way the
data can change (put, delete, drop, snapshot restore, a data file read back)."""
from __future__ import annotations

import operator

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.indexes import Index, IndexSpec
from emulator.store import Store

V, T, C = "v", "t", "c"
BY_N = IndexSpec("n", lambda d: d.get("n"))
BY_NAME = IndexSpec("name", lambda d: d["name"].casefold() if "name" in d else None)
COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge}


def scan(store: Store, spec: IndexSpec, op: str, value, collection: str = C) -> list[str]:
    def matches(doc) -> bool:
        v = spec.key(doc)
        if v is None:
            return False
        return v.startswith(value) if op == "prefix" else COMPARE[op](v, value)
    return [d.doc_id for d in store.search(V, T, collection, matches)]


def found(store: Store, spec: IndexSpec, op: str, value, collection: str = C) -> list[str]:
    return [d.doc_id for d in store.find(V, T, collection, spec, op, value, ordered=True)]


def test_find_answers_equality_ranges_and_prefixes_in_insertion_order():
    store = Store()
    for key, n, name in [("a", 3, "Amy"), ("b", 1, "bob"), ("c", 3, "AMBER"), ("d", 2, "carl"), ("e", None, "x")]:
        store.put(V, T, C, key, {"n": n, "name": name} if n is not None else {"name": name})
    assert found(store, BY_N, "==", 3) == ["a", "c"]
    assert found(store, BY_N, "<", 3) == ["b", "d"]
    assert found(store, BY_N, "<=", 2) == ["b", "d"]
    assert found(store, BY_N, ">", 1) == ["a", "c", "d"]
    assert found(store, BY_N, ">=", 3) == ["a", "c"]
    assert found(store, BY_N, "!=", 3) == ["b", "d"]  # "e" has no value: not indexed, not found
    assert found(store, BY_NAME, "prefix", "am") == ["a", "c"]
    assert found(store, BY_NAME, "prefix", "") == ["a", "b", "c", "d", "e"]
    assert found(store, BY_N, "==", 99) == []
    docs = store.find(V, T, C, BY_N, "==", 3, lambda d: d["name"] == "Amy")
    assert [(d.doc_id, dict(d)) for d in docs] == [("a", {"n": 3, "name": "Amy"})]


def test_writes_keep_an_index_up_to_date_once_built():
    store = Store()
    store.put(V, T, C, "1", {"n": 1})
    assert found(store, BY_N, "==", 1) == ["1"]  # built here, from the table
    assert store.indexes(V, T, C) == ["n"]
    store.put(V, T, C, "2", {"n": 1})
    store.put(V, T, C, "1", {"n": 5})
    assert found(store, BY_N, "==", 1) == ["2"]
    assert found(store, BY_N, "==", 5) == ["1"]
    store.delete(V, T, C, "2")
    assert found(store, BY_N, "==", 1) == []
    store.put(V, T, C, "2", {"n": 5})  # put back after a delete: last in insertion order
    store.put(V, T, C, "0", {"n": 5})
    assert found(store, BY_N, "==", 5) == ["1", "2", "0"]
    assert store.keys(V, T, C) == ["1", "2", "0"]


def test_indexes_are_per_tenant_and_collection():
    store = Store()
    store.put(V, "acme", C, "1", {"n": 1})
    store.put(V, "other", C, "1", {"n": 1})
    store.put(V, "acme", "d", "1", {"n": 1})
    assert [d.doc_id for d in store.find(V, "acme", C, BY_N, "==", 1)] == ["1"]
    store.delete(V, "other", C, "1")
    assert [d.doc_id for d in store.find(V, "acme", C, BY_N, "==", 1)] == ["1"]
    assert store.find(V, "other", C, BY_N, "==", 1) == []
    store.drop(V, "acme")
    assert store.find(V, "acme", C, BY_N, "==", 1) == []
    assert store.indexes(V, "acme", "d") == []


def test_restore_of_the_last_snapshot_repairs_indexes_from_the_keys_written_since():
    store = Store()
    for i in range(10):
        store.put(V, T, C, str(i), {"n": i % 3})
    assert found(store, BY_N, "==", 0) == ["0", "3", "6", "9"]
    snapshot = store.snapshot()
    index = store._indexes["v/t/c"]["n"]
    store.put(V, T, C, "3", {"n": 1})
    store.delete(V, T, C, "6")
    store.put(V, T, C, "10", {"n": 0})
    assert found(store, BY_N, "==", 0) == ["0", "9", "10"]
    store.restore(snapshot)
    assert store._indexes["v/t/c"]["n"] is index  # repaired in place, not built again
    assert found(store, BY_N, "==", 0) == ["0", "3", "6", "9"]
    assert found(store, BY_N, "==", 1) == ["1", "4", "7"]
    store.put(V, T, C, "4", {"n": 0})
    store.restore(snapshot)  # a second time: only what changed since the first restore
    assert found(store, BY_N, "==", 0) == ["0", "3", "6", "9"]


def test_restore_after_a_drop_or_of_another_snapshot_builds_indexes_again():
    store = Store()
    store.put(V, T, C, "1", {"n": 1})
    first = store.snapshot()
    store.put(V, T, C, "2", {"n": 1})
    second = store.snapshot()
    assert found(store, BY_N, "==", 1) == ["1", "2"]
    store.restore(first)  # not the last snapshot: the keys written since are not known
    assert found(store, BY_N, "==", 1) == ["1"]
    store.restore(second)
    assert found(store, BY_N, "==", 1) == ["1", "2"]
    store.drop(V, T)
    store.put(V, T, C, "3", {"n": 1})
    assert found(store, BY_N, "==", 1) == ["3"]
    store.restore(second)
    assert found(store, BY_N, "==", 1) == ["1", "2"]


def test_restore_past_the_tracking_limit_builds_indexes_again():
    store = Store()
    store.TRACKED_KEYS = 3
    store.put(V, T, C, "1", {"n": 1})
    snapshot = store.snapshot()
    assert found(store, BY_N, "==", 1) == ["1"]
    for i in range(2, 8):
        store.put(V, T, C, str(i), {"n": 1})
    store.put(V, T, C, "1", {"n": 2})
    store.restore(snapshot)
    assert found(store, BY_N, "==", 1) == ["1"]
    assert found(store, BY_N, "==", 2) == []


def test_indexes_are_never_written_to_the_data_file_and_are_built_again_on_load(tmp_path):
    path = str(tmp_path / "data.json")
    store = Store(path, flush_interval=0)
    store.put(V, T, C, "1", {"n": 7})
    assert found(store, BY_N, "==", 7) == ["1"]
    store.close()
    assert open(path, encoding="utf-8").read() == '{"v/t/c":{"1":{"n":7}}}'
    reopened = Store(path, flush_interval=0)
    assert reopened.indexes(V, T, C) == []
    assert found(reopened, BY_N, "==", 7) == ["1"]


def test_drop_indexes_forgets_by_name_prefix():
    store = Store()
    store.put(V, T, C, "1", {"n": 1, "name": "a"})
    found(store, BY_N, "==", 1)
    found(store, BY_NAME, "==", "a")
    store.drop_indexes(V, T, C, "na")
    assert store.indexes(V, T, C) == ["n"]


def test_an_index_keeps_one_key_as_a_string_and_several_as_a_set():
    index = Index(BY_N, [("a", {"n": 1}), ("b", {"n": 1}), ("c", {"n": 2})])
    assert index.entries[2] == "c" and index.entries[1] == {"a", "b"}
    index.replace("a", {"n": 1}, None)
    assert index.entries[1] == "b"
    index.replace("b", {"n": 1}, {"n": 2})
    assert 1 not in index.entries and index.entries[2] == {"b", "c"}
    assert len(index) == 1


# -- property: whatever happens to the data, find answers what a scan answers --------------------
NAMES = ["amy", "Amy", "AMBER", "bob", "", "ß", "SS", "b"]
#: every question asked after each restore and at the end: each operator on each value
QUESTIONS = ([(BY_N, op, v) for op in COMPARE for v in range(-3, 4)]
             + [(BY_NAME, op, name.casefold()) for op in [*COMPARE, "prefix"] for name in NAMES])
docs = st.builds(lambda n, name: {k: v for k, v in (("n", n), ("name", name)) if v is not None},
                 st.one_of(st.none(), st.integers(-2, 2)), st.one_of(st.none(), st.sampled_from(NAMES)))
keys = st.sampled_from([str(i) for i in range(8)])
actions = st.lists(st.one_of(
    st.tuples(st.just("put"), keys, docs),
    st.tuples(st.just("delete"), keys, st.none()),
    st.tuples(st.just("snapshot"), st.none(), st.none()),
    st.tuples(st.just("restore"), st.none(), st.none()),
    st.tuples(st.just("drop"), st.none(), st.none()),
    st.tuples(st.just("find"), st.sampled_from(["n", "name"]), st.none()),
), max_size=40)


@settings(max_examples=300, deadline=None)
@given(actions)
def test_find_answers_what_a_scan_answers_after_any_history(history):
    store = Store()
    store.put(V, T, C, "0", {"n": 0, "name": "amy"})
    store.put(V, T, C, "1", {"n": 0, "name": "amy"})
    history = [("find", "n", None), ("find", "name", None), *history, ("end", None, None)]
    snapshots = []
    for action, key, doc in history:
        if action == "put":
            store.put(V, T, C, key, doc)
        elif action == "delete":
            store.delete(V, T, C, key)
        elif action == "snapshot":
            snapshots.append(store.snapshot())
        elif action == "restore" and snapshots:  # the last snapshot (repaired) or the first
            store.restore(snapshots[-1 if len(snapshots) % 2 else 0])
        elif action == "drop":
            store.drop(V, T)
        elif action == "find":  # builds an index (and the insertion order) mid-history, so
            # that the changes after it must keep them up to date
            found(store, BY_N, ">=", -9) if key == "n" else found(store, BY_NAME, "prefix", "")
        if action in ("restore", "drop", "end"):
            for spec, op, value in QUESTIONS:
                assert found(store, spec, op, value) == scan(store, spec, op, value), (spec.name, op, value)
