"""The journal's pieces without Flask: masking, bounds per tenant, matching, closest requests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from emulator.errors import EmulatorError
from emulator.journal import Entry, Journal, Matcher, closest, mask_header, mask_query

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def record(journal: Journal, **overrides) -> Entry:
    fields = dict(time=T0, vendor="copernica", tenant="Demo Company", operation="copernica.update_profiles",
                  matched=True, method="PUT", url="https://api.copernica.com/v3/database/1/profiles",
                  path="/v3/database/1/profiles", query_string="access_token=***&fields%5B0%5D=customerid%3D%3D4567",
                  headers={"Content-Type": "application/json"}, body='{"fields":{"email":"a@b.nl"}}',
                  body_truncated=False, content_type="application/json", status=204, response_headers={},
                  response_body="", response_truncated=False, note=None)
    fields.update(overrides)
    return journal.record(**fields)


@pytest.mark.parametrize("name, value, masked", [
    ("Authorization", "Bearer demo-acs-token", "Bearer ***"),
    ("authorization", "demo-token-without-scheme", "***"),
    ("X-Api-Key", "demo-acs-key", "***"),
    ("access_token", "abc", "***"),
    ("Proxy-Authorization", "Basic dXNlcjpwdw==", "Basic ***"),
    ("Content-Type", "application/json", "application/json"),
    ("X-Gw-Ims-Org-Id", "demo-org", "demo-org"),
])
def test_credential_headers_are_masked_and_others_kept(name, value, masked):
    assert mask_header(name, value) == masked


@pytest.mark.parametrize("raw, masked", [
    ("access_token=secret&fields%5B0%5D=customerid%3D%3D4567",
     "access_token=***&fields%5B0%5D=customerid%3D%3D4567"),
    ("fields[]=a==1&access_token=secret&async=1", "fields[]=a==1&access_token=***&async=1"),
    ("access%5Ftoken=secret", "access%5Ftoken=***"),
    ("ACCESS_TOKEN=secret", "ACCESS_TOKEN=***"),
    ("access_token", "access_token=***"),
    ("client=demo&profile.a=1", "client=demo&profile.a=1"),
    ("", ""),
])
def test_access_tokens_in_the_query_are_masked_byte_for_byte_otherwise(raw, masked):
    assert mask_query(raw) == masked


def test_each_tenant_keeps_its_newest_entries_only():
    journal = Journal(size=3)
    a = [record(journal, tenant="a", body=str(i)) for i in range(5)]
    b = [record(journal, tenant="b", body=str(i)) for i in range(2)]
    assert [e.id for e in journal.entries()] == [a[2].id, a[3].id, a[4].id, b[0].id, b[1].id]
    assert len(journal) == 5
    assert [e.body for e in journal.entries(Matcher({"tenant": "a"}))] == ["2", "3", "4"]
    assert [e.id for e in journal.entries(limit=2)] == [b[0].id, b[1].id]
    assert journal.entries(limit=0) == []


def test_entries_without_a_tenant_are_bounded_too():
    journal = Journal(size=2)
    for i in range(10):
        record(journal, tenant=None, body=str(i))
    assert [e.body for e in journal.entries()] == ["8", "9"]


def test_clear_forgets_all_one_vendor_or_one_tenant():
    journal = Journal()
    record(journal, tenant="a")
    record(journal, tenant="a")
    record(journal, tenant="b")
    record(journal, vendor="adobe_target", tenant="a")
    assert journal.clear("copernica", "a") == 2
    assert [(e.vendor, e.tenant) for e in journal.entries()] == [("copernica", "b"), ("adobe_target", "a")]
    assert journal.clear("copernica") == 1
    assert journal.clear() == 1
    assert journal.entries() == []


def test_size_zero_records_nothing_and_resize_keeps_the_newest():
    assert record(Journal(size=0)) is None
    journal = Journal(size=5)
    for i in range(5):
        record(journal, body=str(i))
    journal.resize(2)
    assert [e.body for e in journal.entries()] == ["3", "4"]
    record(journal, body="5")
    assert [e.body for e in journal.entries()] == ["4", "5"]
    journal.resize(0)
    assert journal.entries() == [] and record(journal) is None
    with pytest.raises(ValueError):
        Journal(size=-1)


def test_an_entry_parses_its_query_and_form():
    journal = Journal()
    entry = record(journal, query_string="access_token=***&fields%5B0%5D=customerid%3D%3D4567&fields%5B1%5D=a%3E1",
                   body="profile.tier=gold&x=", content_type="application/x-www-form-urlencoded")
    assert entry.query == {"access_token": ["***"], "fields[0]": ["customerid==4567"], "fields[1]": ["a>1"]}
    assert entry.form() == {"profile.tier": ["gold"], "x": [""]}
    assert entry.to_json()["query"] == entry.query


@pytest.mark.parametrize("spec, matches", [
    ({}, True),
    ({"method": "put", "path": "/v3/database/1/profiles"}, True),
    ({"method": "GET"}, False),
    ({"path": "/v3/database/*/profiles"}, True),
    ({"path": "/v3/database/2/*"}, False),
    ({"path_regex": r"/v3/database/\d+/profiles"}, True),
    ({"path_regex": r"/v3/database"}, False),
    ({"query": {"fields[]": "customerid==4567"}}, True),
    ({"query": {"fields[0]": "customerid==4567"}}, True),
    ({"query": {"fields[]": "customerid==4568"}}, False),
    ({"query": {"fields[]": ["customerid==4567", "x==1"]}}, False),
    ({"query": {"async": "1"}}, False),
    ({"json": {"fields": {"email": "a@b.nl"}}}, True),
    ({"json": {"fields": {"email": "a@b.nl", "firstname": "x"}}}, False),
    ({"json": {"fields": {}}}, True),
    ({"body_contains": "a@b.nl"}, True),
    ({"body": '{"fields":{"email":"a@b.nl"}}'}, True),
    ({"status": 204}, True),
    ({"status": [200, 201]}, False),
    ({"vendor": "copernica", "tenant": "Demo Company", "operation": "copernica.update_profiles"}, True),
    ({"tenant": "Other"}, False),
    ({"matched": False}, False),
    ({"headers": {"content-type": "application/json"}}, True),
    ({"headers": {"Content-Type": "text/plain"}}, False),
    ({"since": "2026-01-02T03:04:05Z"}, True),
    ({"since": "2026-01-02T03:04:06+00:00"}, False),
    ({"note": "matched"}, False),
])
def test_matcher(spec, matches):
    entry = record(Journal())
    assert Matcher(spec).matches(entry) is matches


def test_json_subset_tells_true_from_1():
    entry = record(Journal(), body='{"interests":{"football":1}}')
    assert Matcher({"json": {"interests": {"football": 1}}}).matches(entry)
    assert not Matcher({"json": {"interests": {"football": True}}}).matches(entry)


@pytest.mark.parametrize("spec, message", [
    ({"bogus": 1}, "unknown matcher key 'bogus'; expected any of: vendor, tenant, operation, method, path, "
                   "path_regex, query, form, headers, json, body, body_contains, status, matched, note, since"),
    ({"status": "204"}, "matcher key 'status' takes a status code or a list of them"),
    ({"status": []}, "matcher key 'status' takes a status code or a list of them"),
    ({"status": True}, "matcher key 'status' takes a status code or a list of them"),
    ({"query": "fields[]=a"}, "matcher key 'query' takes an object of name: value"),
    ({"method": 1}, "matcher key 'method' takes a string"),
    ({"matched": "no"}, "matcher key 'matched' takes true or false"),
    ({"path_regex": "("}, "matcher key 'path_regex' is not a valid regular expression: "
                          "missing ), unterminated subpattern at position 0"),
    ({"since": "yesterday"}, "'since' is not an ISO-8601 instant: 'yesterday'"),
])
def test_a_bad_matcher_is_refused_with_a_message_naming_the_key(spec, message):
    with pytest.raises(EmulatorError) as caught:
        Matcher(spec)
    assert caught.value.message == message


def test_mismatches_name_every_failed_key():
    entry = record(Journal())
    reasons = Matcher({"method": "PUT", "path": "/v3/profile/1", "query": {"fields[]": "customerid==1"},
                       "json": {"fields": {"email": "c@d.nl"}}, "status": 201}).mismatches(entry)
    assert reasons == [
        "path: expected /v3/profile/1, got /v3/database/1/profiles",
        "query fields[]: expected 'customerid==1', got 'customerid==4567'",
        'json: expected to contain {"fields":{"email":"c@d.nl"}}, got {"fields":{"email":"a@b.nl"}}',
        "status: expected 201, got 204",
    ]


def test_closest_puts_the_fewest_mismatches_first_and_newest_on_ties():
    journal = Journal()
    far = record(journal, method="GET", path="/v3/profile/1")
    near_old = record(journal, status=400)
    near_new = record(journal, status=400, time=T0 + timedelta(seconds=1))
    matcher = Matcher({"method": "PUT", "path": "/v3/database/1/profiles", "status": 204})
    assert [(e.id, len(r)) for e, r in closest(journal.entries(), matcher, n=3)] == [
        (near_new.id, 1), (near_old.id, 1), (far.id, 2)]


def test_summary_is_one_line_with_status_and_note():
    entry = record(Journal(), note="selection matched nothing", matched=False, status=400)
    assert entry.summary() == ("PUT /v3/database/1/profiles?access_token=***&fields%5B0%5D=customerid%3D%3D4567"
                               " → 400 (no emulated route)  [selection matched nothing]")

