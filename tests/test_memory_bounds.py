"""Issue 11, memory bounded in bytes: the journal and the change history keep a bounded part of
each entry and a bounded total, however large what is sent; Copernica cuts text at the field's
declared length."""
from __future__ import annotations

import json

from emulator import create_app
from emulator.changelog import ChangeLog, doc_size
from emulator.journal import Journal
from emulator.settings import Settings
from emulator.store import Store

COP = "access_token=demo-copernica-token"
ACS = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}


def _app(**settings):
    return create_app(Settings(**settings))


def test_a_huge_header_is_cut_at_the_entry_limit_and_marked(client):
    reply = client.get(f"/v3/profile/1?{COP}", headers={"X-Junk": "x" * 200_000, "X-After": "later"})
    assert reply.status_code == 200
    [entry] = client.get("/_emulator/requests").get_json()["requests"]
    assert entry["headers_truncated"] is True
    assert sum(len(k) + len(v) for k, v in entry["headers"].items()) == 16 * 1024
    assert entry["headers"]["X-Junk"].startswith("xxx")
    assert "X-After" not in entry["headers"]  # left out: the budget was spent
    assert entry["query_truncated"] is False and entry["body_truncated"] is False


def test_a_huge_query_is_cut_on_a_parameter_boundary_and_marked():
    app = _app(journal_entry_bytes=1024)
    c = app.test_client()
    c.get(f"/v3/database/1/profiles?{COP}&" + "&".join(f"p{i}=" + "v" * 50 for i in range(100)))
    [entry] = c.get("/_emulator/requests").get_json()["requests"]
    assert entry["query_truncated"] is True
    assert entry["query"]["access_token"] == ["***"]
    assert all(v == ["v" * 50] for k, v in entry["query"].items() if k != "access_token")  # nothing half-cut
    assert 10 < len(entry["query"]) < 100
    assert len(entry["url"]) <= 2048
    app.extensions["emulator"].close()


def test_the_journal_keeps_its_total_under_the_byte_limit_oldest_first():
    app = _app(journal_bytes=100_000, journal_entry_bytes=4096)
    c = app.test_client()
    for i in range(300):
        c.get(f"/v3/profile/1?{COP}&n={i}", headers={"X-Junk": "x" * 10_000})
    journal = app.extensions["emulator"].journal
    assert journal.bytes <= 100_000
    listing = c.get("/_emulator/requests")
    entries = listing.get_json()["requests"]
    assert 5 < len(entries) < 300
    assert [e["query"]["n"] for e in entries] == [[str(i)] for i in range(300 - len(entries), 300)]
    assert len(listing.get_data()) < 200_000  # the listing is bounded with it
    assert c.post("/_emulator/requests/count", json={"vendor": "copernica"}).get_json() == {"count": len(entries)}
    app.extensions["emulator"].close()


def test_journal_bounds_in_count_and_bytes_keep_rings_and_total_consistent():
    journal = Journal(size=3, total_bytes=10_000, entry_bytes=1000)
    common = dict(time=None, operation=None, matched=True, method="GET", url="u", path="/p", query_string="",
                  headers={}, body_truncated=False, content_type="", status=200, response_headers={},
                  response_body="", response_truncated=False, note=None)
    for _ in range(10):
        journal.record(vendor="v", tenant="a", body="x" * 100, **common)
        journal.record(vendor="v", tenant="b", body="y" * 2000, **common)
    tenants = [e.tenant for e in journal.entries()]
    assert tenants.count("a") <= 3 and tenants[-2:] == ["a", "b"]  # the count bound per tenant; newest kept
    assert journal.bytes == sum(e.size for e in journal.entries()) <= 10_000
    of_b = len([e for e in journal.entries() if e.tenant == "b"])
    assert 0 < of_b < 3  # the byte bound dropped b's oldest before its count bound would have
    assert journal.clear("v", "b") == of_b
    assert journal.bytes == sum(e.size for e in journal.entries())
    journal.resize(1)
    assert len(journal) == 1 and journal.bytes == journal.entries()[0].size
    journal.clear()
    assert len(journal) == 0 and journal.bytes == 0


def test_the_change_history_keeps_its_total_under_the_byte_limit():
    store = Store()
    store.changes = ChangeLog(per_document=20, total_bytes=200_000, entry_bytes=100_000)
    for i in range(200):
        store.put("v", "t", "c", str(i % 10), {"text": f"{i}:" + "z" * 20_000})
    log = store.changes
    assert log.bytes <= 200_000
    kept = [c for k in range(10) for c in log.history("v/t/c", str(k))]
    assert 0 < len(kept) < 20
    assert max(c.seq for c in kept) == 200  # the newest stays
    assert log.bytes == sum(c.size for c in log._all.values())
    assert {c.seq for c in log.recent} <= set(log._all)


def test_a_change_larger_than_the_entry_limit_keeps_no_documents_but_says_so():
    app = _app(history_entry_bytes=300)
    c = app.test_client()
    assert c.put(f"/v3/profile/1?{COP}", json={"fields": {"firstname": "Big"}}).status_code == 204
    history = c.get("/_emulator/profile/history?vendor=copernica&tenant=Demo Company&key=1").get_json()
    last = history["history"][-1]
    assert last["action"] == "changed" and last["truncated"] is True and last["changes"] == []
    assert last["size"] > 300
    assert last["request"]["method"] == "PUT"
    app.extensions["emulator"].close()


def test_the_history_is_accounted_once_per_document_version():
    log = ChangeLog(total_bytes=10**9)
    doc1, doc2 = {"a": "x" * 1000}, {"a": "y" * 1000}
    log.record("v/t/c", "k", None, doc1)
    log.record("v/t/c", "k", doc1, doc2)
    first, second = log.history("v/t/c", "k")
    assert first.after_size == doc_size(doc1) and second.after_size == doc_size(doc2)
    origin = len(second.origin["label"])
    assert second.size - 256 - origin - second.after_size == doc_size(doc1)  # "before": the size already known


def test_a_hostile_url_is_cut_in_the_changes_origin(client):
    long_query = "&".join(f"p{i}=" + "v" * 100 for i in range(200))
    assert client.put(f"/v3/profile/1?{COP}&{long_query}", json={"fields": {"firstname": "Q"}}).status_code == 204
    history = client.get("/_emulator/profile/history?vendor=copernica&tenant=Demo Company&key=1").get_json()
    origin = history["history"][-1]["request"]
    assert len(origin["path"]) + len(origin["query"]) <= 2048


def test_copernica_cuts_text_at_the_fields_declared_length(client):
    assert client.put(f"/v3/profile/1?{COP}", json={"fields": {"firstname": "f" * (5 * 1024 * 1024)}}).status_code == 204
    assert client.get(f"/v3/profile/1?{COP}").get_json()["fields"]["firstname"] == "f" * 255
    assert client.post(f"/v3/database/1/fields?{COP}", json={"name": "code", "type": "text", "length": 10}).status_code == 201
    assert client.put(f"/v3/profile/1/fields?{COP}", data="code=%C3%A9" * 1 + "abcdefghijklmnop",
                      content_type="application/x-www-form-urlencoded").status_code == 204
    assert client.get(f"/v3/profile/1/fields?{COP}").get_json()["code"] == "éabcdefghi"  # characters, not bytes
    exported = json.dumps(client.get("/_emulator/state").get_json())
    assert "f" * 256 not in exported
