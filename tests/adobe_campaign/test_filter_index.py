"""Campaign's lookups by a field's value (``records.having``: ``byEmail``, subscriptions,
events) answered from the Store's indexes give exactly the scan's answer: the same profiles in
the same order and the same ``_count``, also after creates, updates and deletes made once the
indexes exist."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.adobe_campaign import fixtures, listing, records
from emulator.vendors.adobe_campaign.model import NS, PROFILES, Campaign
from emulator.vendors.adobe_campaign.paths import parse

ORG = "acme"
API = "profileAndServices"
TEXTS = ["", "a", "A", "amy@x.com", "Amy@x.com", "amy@y.com", "bob", "Bob", "ß", "ss"]
profiles = st.lists(st.fixed_dictionaries({}, optional={
    "email": st.sampled_from(TEXTS), "lastName": st.sampled_from(TEXTS)}), max_size=10)
queries = st.tuples(st.sampled_from(["byEmail", "byEmail/byText", "byText/byEmail"]),
                    st.fixed_dictionaries({"email": st.sampled_from(TEXTS), "text": st.sampled_from(TEXTS)}))


def make(docs: list[dict]) -> Campaign:
    store, clock = Store(), Clock()
    fixtures.load_organization(store, clock, {"id": ORG, "access_token": "t", "api_key": "k", "profiles": docs})
    return Campaign(store, clock, ORG, "http://emu/acme/campaign")


def keys(campaign: Campaign, filters: str, params: dict) -> list[str]:
    _, body = campaign.collection(parse(f"{API}/profile/{filters}"), {**params, "_lineCount": "100"})
    return [campaign.locate(row["PKey"])[0] for row in body["content"]]


def count(campaign: Campaign, filters: str, params: dict) -> int:
    return campaign.collection(parse(f"{API}/profile/{filters}/_count"), dict(params))[1]["count"]


def scan(store: Store, org: str, collection: str, field: str, value) -> list:
    """What ``records.having`` answered before the indexes: every record read."""
    return [(str(hit.doc_id), hit) for hit in store.search(NS, org, collection, lambda d: d.get(field) == value)]


def scanned(monkeypatch, ask, *args):
    with monkeypatch.context() as patch:
        patch.setattr(records, "having", scan)
        patch.setattr(listing, "having", scan)
        return ask(*args)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profiles, st.lists(queries, min_size=1, max_size=4), profiles, st.lists(st.integers(0, 9), max_size=3, unique=True))
def test_indexed_lookups_answer_what_the_scan_answers(monkeypatch, docs, asked, added, changed):
    campaign = make(docs)
    for filters, params in asked:
        assert keys(campaign, filters, params) == scanned(monkeypatch, keys, campaign, filters, params)
    for doc in added:  # changes after the indexes were built
        campaign.create(doc, API, ext=False)
    _, body = campaign.collection(parse(f"{API}/profile"), {"_lineCount": "100"})
    everyone = [row["PKey"] for row in body["content"]]
    for i in changed:
        if i < len(everyone) and i % 2:
            campaign.delete(everyone[i])
        elif i < len(everyone):
            campaign.update(everyone[i], {"email": "bob"}, API, ext=False)
    for filters, params in asked:
        assert keys(campaign, filters, params) == scanned(monkeypatch, keys, campaign, filters, params)
        assert count(campaign, filters, params) == scanned(monkeypatch, count, campaign, filters, params)


def test_by_email_after_the_first_is_answered_from_the_index(monkeypatch):
    campaign = make([{"email": f"user{i}@example.com"} for i in range(20)] + [{"email": "user3@example.com"}])
    assert keys(campaign, "byEmail", {"email": "user3@example.com"}) == ["4", "21"]
    assert campaign.store.indexes(NS, ORG, PROFILES) == ["text/email"]
    monkeypatch.setattr(campaign.store, "search", lambda *a, **k: pytest.fail("scanned"))
    assert count(campaign, "byEmail", {"email": "user7@example.com"}) == 1
    assert keys(campaign, "byEmail", {"email": "USER7@example.com"}) == []  # exact, as the scan
    assert records.having(campaign.store, ORG, PROFILES, "email", "user9@example.com")[0][0] == "10"
