"""Issue 13, a journal that costs next to nothing per request: a request's entry is built from
its raw pieces the first time someone reads the journal. What was true when the request was made
(its time, its tenant) is kept as it was, the bounds hold before anyone reads, and an entry is
built once."""
from __future__ import annotations

import io
import json

from emulator import create_app
from emulator.journal import ENTRY_OVERHEAD, Entry, Pending
from emulator.settings import Settings

TOKEN = "access_token=demo-copernica-token"


def _app(**settings):
    return create_app(Settings(**settings))


def test_an_entry_read_later_keeps_the_time_and_tenant_of_its_request_and_is_built_once():
    app = _app()
    c = app.test_client()
    emulator = app.extensions["emulator"]
    c.post("/_emulator/clock", json={"freeze": "2026-03-04T05:06:07+00:00"})
    assert c.get(f"/v3/profile/1?{TOKEN}").status_code == 200
    [kept] = [item for item, _ in emulator.journal._all.values()]
    assert isinstance(kept, Pending)  # nothing built yet
    emulator.clock.advance(3600)
    emulator.store.drop("copernica")  # the token names no account any more
    first = emulator.journal.entries()
    assert [(e.time.isoformat(), e.tenant, e.operation, e.status) for e in first] == [
        ("2026-03-04T05:06:07+00:00", "Demo Company", "copernica.profile", 200)]
    assert emulator.journal.entries()[0] is first[0]  # built once, then the same entry
    app.extensions["emulator"].close()


def test_before_anyone_reads_the_journal_it_keeps_at_most_the_limit_of_each_body():
    limit = 512
    app = _app(journal_entry_bytes=limit)
    c = app.test_client()
    emulator = app.extensions["emulator"]
    body = json.dumps({"fields": {"lastname": "x" * 50_000}})
    assert c.put(f"/v3/profile/1?{TOKEN}", data=body, content_type="application/json").status_code == 204
    listing = c.get(f"/v3/database/1/profiles?{TOKEN}")
    assert listing.status_code == 200 and len(listing.data) > limit
    items = [item for item, _ in emulator.journal._all.values()]
    assert [type(i) for i in items] == [Pending, Pending]
    # each kept piece within the limit: two bodies of at most ``limit`` bytes, short headers and paths
    assert all(size < ENTRY_OVERHEAD + 4 * limit for _, size in emulator.journal._all.values())
    assert emulator.journal.bytes == sum(size for _, size in emulator.journal._all.values())
    put, get = c.get("/_emulator/requests").get_json()["requests"]
    assert put["body_truncated"] is True and put["body"] == body[:limit]
    assert get["response_truncated"] is True and get["response_body"] == listing.get_data(as_text=True)[:limit]
    app.extensions["emulator"].close()


def test_a_request_with_a_piece_over_the_limit_is_built_at_once_and_only_its_cut_part_kept():
    app = _app(journal_entry_bytes=1024)
    c = app.test_client()
    emulator = app.extensions["emulator"]
    assert c.get(f"/v3/profile/1?{TOKEN}", headers={"X-Junk": "x" * 100_000}).status_code == 200
    [(item, size)] = emulator.journal._all.values()
    assert isinstance(item, Entry) and size == item.size < ENTRY_OVERHEAD + 4 * 1024
    assert item.headers_truncated is True
    app.extensions["emulator"].close()


def test_a_kept_request_never_shows_its_credentials():
    app = _app()
    c = app.test_client()
    c.get(f"/v3/profile/1?{TOKEN}", headers={"Authorization": "Bearer tok-456"})
    [(item, _)] = app.extensions["emulator"].journal._all.values()
    assert "demo-copernica-token" not in repr(item) and "tok-456" not in repr(item)
    [entry] = app.extensions["emulator"].journal.entries()
    assert entry.query["access_token"] == ["***"] and entry.headers["Authorization"] == "Bearer ***"
    app.extensions["emulator"].close()


def _call(app, **extra):
    """One request straight through WSGI, with only the environ keys given (no test client)."""
    environ = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/v3/profile/1", "QUERY_STRING": TOKEN,
               "SERVER_NAME": "emulator.test", "SERVER_PORT": "8080", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(),
               "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
               **extra}
    statuses = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    assert statuses == ["200 OK"], body


def test_requests_with_no_header_one_header_or_several_are_recorded_alike():
    app = _app()
    _call(app)
    _call(app, HTTP_HOST="api.copernica.com")
    _call(app, HTTP_HOST="api.copernica.com", HTTP_X_TRACE="t-1", CONTENT_TYPE="", HTTP_AUTHORIZATION="Bearer x")
    entries = app.extensions["emulator"].journal.entries()
    assert [(e.url, e.headers, e.content_type) for e in entries] == [
        ("http://emulator.test:8080/v3/profile/1?access_token=***", {}, ""),
        ("http://api.copernica.com/v3/profile/1?access_token=***", {"Host": "api.copernica.com"}, ""),
        ("http://api.copernica.com/v3/profile/1?access_token=***",
         {"Host": "api.copernica.com", "X-Trace": "t-1", "Authorization": "Bearer ***"}, ""),
    ]
    app.extensions["emulator"].close()
