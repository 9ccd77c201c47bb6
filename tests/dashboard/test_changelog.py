"""The Store's change log: who changed which field of which document, bounded and O(1)."""
from __future__ import annotations

from datetime import datetime, timezone

from emulator.changelog import NO_REQUEST, ChangeLog, change_origin, diff
from emulator.journal import mask_query
from emulator.store import Store

AT = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def logged_store(**kwargs) -> Store:
    store = Store()
    store.changes = ChangeLog(now=lambda: AT, **kwargs)
    return store


def test_put_and_delete_record_before_and_after_with_the_origin():
    store = logged_store()
    token = change_origin.set({"label": "PUT /v3/profile/1", "method": "PUT"})
    try:
        store.put("v", "t", "profiles", "1", {"fields": {"name": "John"}, "n": 1})
        store.put("v", "t", "profiles", "1", {"fields": {"name": "Jane"}, "n": 1})
    finally:
        change_origin.reset(token)
    store.delete("v", "t", "profiles", "1")
    history = [c.to_json() for c in store.changes.history("v/t/profiles", "1")]
    assert [h["action"] for h in history] == ["created", "changed", "deleted"]
    assert history[1] == {
        "seq": 2, "time": AT.isoformat(), "vendor": "v", "tenant": "t", "collection": "profiles",
        "key": "1", "action": "changed", "request": {"label": "PUT /v3/profile/1", "method": "PUT"},
        "changes": [{"field": "fields.name", "before": "John", "after": "Jane"}],
    }
    assert history[0]["changes"] == [{"field": "fields.name", "before": None, "after": "John"},
                                     {"field": "n", "before": None, "after": 1}]
    assert history[2]["request"] == NO_REQUEST
    assert history[2]["changes"] == [{"field": "fields.name", "before": "Jane", "after": None},
                                     {"field": "n", "before": 1, "after": None}]


def test_the_log_keeps_references_not_copies_so_a_write_costs_no_diff():
    store = logged_store()
    store.put("v", "t", "c", "k", {"a": 1})
    change = store.changes.history("v/t/c", "k")[0]
    assert change.after is store.peek("v", "t", "c", "k")


def test_bounded_per_document_and_in_documents_tracked():
    store = logged_store(per_document=3, documents=2, recent=4)
    for i in range(5):
        store.put("v", "t", "c", "a", {"i": i})
    assert [c.after["i"] for c in store.changes.history("v/t/c", "a")] == [2, 3, 4]
    store.put("v", "t", "c", "b", {"i": 0})
    store.put("v", "t", "c", "a", {"i": 5})  # "a" is now the most recently changed
    store.put("v", "t", "c", "c", {"i": 0})  # a third document: the least recent ("b") goes
    assert store.changes.history("v/t/c", "b") == []
    assert [c.after["i"] for c in store.changes.history("v/t/c", "a")] == [3, 4, 5]
    assert [(c.key, c.after["i"]) for c in store.changes.recent] == [("a", 4), ("b", 0), ("a", 5), ("c", 0)]
    assert [c.key for c in store.changes.newest(2)] == ["a", "c"]
    assert [c.key for c in store.changes.newest(10, after_seq=6)] == ["a", "c"]


def test_drop_forgets_the_dropped_tenants_history_only():
    store = logged_store()
    store.put("v", "one", "c", "k", {"a": 1})
    store.put("v", "two", "c", "k", {"a": 1})
    store.put("w", "one", "c", "k", {"a": 1})
    store.drop("v", "one")
    assert store.changes.history("v/one/c", "k") == []
    assert len(store.changes.history("v/two/c", "k")) == 1
    assert len(store.changes.history("w/one/c", "k")) == 1
    assert [c.table for c in store.changes.recent] == ["v/two/c", "w/one/c"]
    store.drop()
    assert list(store.changes.recent) == []


def test_no_change_log_unless_switched_on():
    store = Store()
    store.put("v", "t", "c", "k", {"a": 1})
    assert store.changes is None


def test_diff_flattens_objects_and_compares_lists_whole():
    assert diff({"f": {"a": "1", "b": "2"}, "tags": ["x"]}, {"f": {"a": "1", "b": "3"}, "tags": ["x", "y"]}) == [
        {"field": "f.b", "before": "2", "after": "3"},
        {"field": "tags", "before": ["x"], "after": ["x", "y"]},
    ]
    assert diff({"a": None}, {}) == [{"field": "a", "before": None, "after": None}]
    assert diff({"a": {}}, {"a": {"b": 1}}) == [{"field": "a", "before": {}, "after": None},
                                                {"field": "a.b", "before": None, "after": 1}]


def test_mask_query_hides_credentials_and_keeps_the_rest_byte_for_byte():
    assert mask_query("access_token=s3cret&fields%5B0%5D=a%3D%3Db&ACCESS_TOKEN=x") == \
        "access_token=***&fields%5B0%5D=a%3D%3Db&ACCESS_TOKEN=***"
    assert mask_query("") == ""


def test_page_slices_a_collection_in_insertion_order_without_copying_it():
    store = Store()
    for i in range(10):
        store.put("v", "t", "c", f"k{i}", {"i": i})
    total, items = store.page("v", "t", "c", 8, 5)
    assert total == 10 and [(k, d["i"]) for k, d in items] == [("k8", 8), ("k9", 9)]
    assert items[0][1] is store.peek("v", "t", "c", "k8")
    assert store.page("v", "t", "c", 20, 5) == (10, [])
    assert store.page("v", "t", "nothing", 0, 5) == (0, [])


def test_readers_and_writers_on_many_threads_never_see_a_half_made_log():
    import threading

    store = logged_store(per_document=5, documents=50, recent=100)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(2000):
                store.put("v", "t", "c", str(i % 80), {"n": n, "i": i})
        except BaseException as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    def read() -> None:
        try:
            for _ in range(2000):
                [c.to_json() for c in store.changes.newest(20)]
                store.changes.history("v/t/c", "1")
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)] + [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.changes.recent) == 100
    assert all(len(store.changes.history("v/t/c", str(k))) <= 5 for k in range(80))
