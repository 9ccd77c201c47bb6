"""Campaign's ``byEmail``/``byText`` filters answered from the Store's indexes give exactly the
scan's answer: the same profiles, in the same order, the same ``_count``, also after creates,
updates and deletes made once the indexes exist."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.adobe_campaign import fixtures
from emulator.vendors.adobe_campaign.model import NS, PROFILES, Campaign
from emulator.vendors.adobe_campaign.paths import Target

ORG = "acme"
TEXTS = ["", "a", "A", "ab", "amy@x.com", "Amy@x.com", "amy@y.com", "bo", "bob", "Bob", "ß", "ss"]
profiles = st.lists(st.fixed_dictionaries({}, optional={
    "email": st.sampled_from(TEXTS), "lastName": st.sampled_from(TEXTS), "firstName": st.sampled_from(TEXTS)}),
    max_size=10)
filters = st.sampled_from([("byEmail",), ("byText",), ("byEmail", "byText"), ("byText", "byEmail")])
params = st.fixed_dictionaries({"email": st.sampled_from(TEXTS), "text": st.sampled_from(TEXTS)},
                               optional={"filterType": st.sampled_from(["email", "lastName", "firstName"])})


def make(docs: list[dict]) -> Campaign:
    store, clock = Store(), Clock()
    fixtures.load_organization(store, clock, {"id": ORG, "access_token": "t", "api_key": "k", "profiles": docs})
    return Campaign(store, clock, ORG)


def answer(campaign: Campaign, segments: tuple[str, ...], query: dict, count: bool = False):
    kind, body = campaign.collection(Target("profileAndServices", "profile", segments, count), dict(query))
    return body["count"] if count else [row["PKey"] for row in body["content"]]


def scanning(campaign: Campaign, monkeypatch) -> None:
    monkeypatch.setattr(campaign, "_filtered", lambda match, lookups, ordered: campaign.store.search(
        NS, ORG, PROFILES, match))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profiles, st.lists(st.tuples(filters, params), min_size=1, max_size=4), profiles,
       st.lists(st.integers(0, 9), max_size=3, unique=True))
def test_indexed_filters_answer_what_the_scan_answers(monkeypatch, docs, asked, added, deleted):
    campaign = make(docs)
    scan = make(docs)
    scanning(scan, monkeypatch)
    query = [(segments, {**p, "_lineCount": "100"}) for segments, p in asked]
    for segments, q in query:
        pkeys = answer(campaign, segments, q)
        assert len(pkeys) == len(answer(scan, segments, q))
        assert answer(campaign, segments, q, count=True) == answer(scan, segments, q, count=True)
    for other in (campaign, scan):  # the same changes to both, after the indexes were built
        for doc in added:
            other.create(doc, "profileAndServices", ext=False)
        everyone = answer(other, (), {"_lineCount": "100"})
        for i in deleted:
            if i < len(everyone) and i % 2:
                other.delete(everyone[i])
            elif i < len(everyone):
                other.update(everyone[i], {"email": "bob"}, "profileAndServices", ext=False)
    for segments, q in query:
        assert answer(campaign, segments, q, count=True) == answer(scan, segments, q, count=True)
        mine, theirs = answer(campaign, segments, q), answer(scan, segments, q)
        assert [_key(campaign, p) for p in mine] == [_key(scan, p) for p in theirs]


def _key(campaign: Campaign, pkey: str) -> str:
    """A profile's store key: its PKey differs between the two stores (it is encrypted with a
    fresh nonce), the key it decodes to does not."""
    return campaign.locate(pkey)[0]


def test_by_email_after_the_first_is_answered_from_the_index(monkeypatch):
    campaign = make([{"email": f"user{i}@example.com"} for i in range(20)] + [{"email": "user3@example.com"}])
    first = answer(campaign, ("byEmail",), {"email": "user3@example.com"})
    assert [_key(campaign, p) for p in first] == ["4", "21"]
    assert campaign.store.indexes(NS, ORG, PROFILES) == ["email"]
    monkeypatch.setattr(campaign.store, "search", lambda *a, **k: pytest.fail("scanned"))
    assert answer(campaign, ("byEmail",), {"email": "user7@example.com"}, count=True) == 1
    assert answer(campaign, ("byEmail",), {"email": "USER7@example.com"}) == []  # exact, as the scan
    found = answer(campaign, ("byText",), {"text": "user1", "filterType": "email"})
    assert [_key(campaign, p) for p in found] == ["2", *(str(i) for i in range(11, 21))]
