"""Copernica selections answered from the Store's indexes give exactly the scan's answer.

The property test builds a database with a field of every type, random profiles (some never
set a field and read its default, some removed), asks random selections with every operator,
changes profiles through the model (so indexes built by the first answers must follow), and
compares each answer with the same selection scanned.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.copernica import model
from emulator.vendors.copernica.model import Account
from emulator.vendors.copernica.selection import OPERATORS
from emulator.vendors.copernica.subprofiles import Collections

FIELDS = [
    {"name": "customerid", "type": "integer", "value": "5"},
    {"name": "Score", "type": "float"},
    {"name": "name", "type": "text", "value": "Ab"},
    {"name": "email", "type": "email"},
    {"name": "born", "type": "date"},
    {"name": "seen", "type": "datetime"},
    {"name": "maybe", "type": "empty_date"},
    {"name": "country", "type": "select", "value": "nl\nDE\nbe"},
]
VALUES = ["", "0", "1", "2", "5", "-1", "1.5", "2.0", "3abc", " 2", "1e1", "ab", "AB", "Ab", "abc", "ß", "SS",
          "nl", "DE", "de", "2026-01-02", "2026-01-02 10:00:00", "2025-12-31", "0000-00-00", "x@y.z", "%", "a%", "_b"]
NAMES = [f["name"] for f in FIELDS] + ["CUSTOMERID", "score", "id", "ID", "code", "modified", "unknown"]

profile_fields = st.dictionaries(st.sampled_from([f["name"] for f in FIELDS]), st.sampled_from(VALUES), max_size=4)
expressions = st.builds(lambda name, op, value: f"{name}{op}{value}",
                        st.sampled_from(NAMES), st.sampled_from(OPERATORS), st.sampled_from(VALUES))
selections = st.lists(expressions, min_size=1, max_size=3)


def make_account() -> tuple[Account, str]:
    clock = Clock()
    account = Account(Store(), clock, "acme")
    database_id = account.create_database({"name": "Newsletter"})
    for field in FIELDS:
        account.create_field(database_id, field)
    return account, database_id


def scanned(account: Account, database_id: str, selection: list[str], monkeypatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(model, "lookup", lambda *a, **k: None)
        return [p["ID"] for p in account.select(account.database(database_id), selection)]


def indexed(account: Account, database_id: str, selection: list[str]) -> list[str]:
    return [p["ID"] for p in account.select(account.database(database_id), selection)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(profile_fields, st.booleans()), max_size=12),
       st.lists(selections, min_size=1, max_size=5),
       st.lists(st.tuples(selections, profile_fields, st.booleans()), max_size=4))
def test_indexed_selections_answer_what_the_scan_answers(monkeypatch, profiles, asked, updates):
    account, database_id = make_account()
    other = account.create_database({"name": "Other"})  # profiles of another database never match
    account.create_field(other, {"name": "customerid", "type": "integer"})
    account.create_profile(other, {"fields": {"customerid": "1"}})
    for values, removed in profiles:
        profile_id = account.create_profile(database_id, {"fields": values})
        if removed:
            account.delete_profile(profile_id)
    for selection in asked:
        assert indexed(account, database_id, selection) == scanned(account, database_id, selection, monkeypatch)
    for selection, values, create in updates:  # writes after the indexes were built
        account.update_profiles(database_id, selection, {"fields": values}, create)
    for selection in asked:
        assert indexed(account, database_id, selection) == scanned(account, database_id, selection, monkeypatch)


def test_selections_after_the_first_are_answered_from_its_index(monkeypatch):
    account, database_id = make_account()
    for i in range(50):
        account.create_profile(database_id, {"fields": {"customerid": str(i), "name": f"N{i % 5}"}})
    assert indexed(account, database_id, ["customerid==7"]) == ["8"]  # builds the index
    assert account.store.indexes("copernica", "acme", "profiles") == ["database/1/customerid/integer/5"]
    monkeypatch.setattr(account.store, "search", lambda *a, **k: pytest.fail("scanned"))
    assert indexed(account, database_id, ["customerid==12", "name==n2"]) == ["13"]
    assert indexed(account, database_id, ["customerid>=47"]) == ["48", "49", "50"]
    assert indexed(account, database_id, [" CustomerID==3x "]) == ["4"]
    account.update_profiles(database_id, ["customerid==12"], {"fields": {"customerid": "1012"}}, False)
    assert indexed(account, database_id, ["customerid==12"]) == []
    assert indexed(account, database_id, ["customerid>1000"]) == ["13"]


def test_a_database_seeded_again_forgets_its_indexes():
    from emulator.vendors.copernica import fixtures

    account, database_id = make_account()
    account.create_profile(database_id, {"fields": {"customerid": "3"}})
    assert indexed(account, database_id, ["customerid==3"]) == ["1"]
    fixtures._drop_database(account, database_id)
    assert account.store.indexes("copernica", "acme", "profiles") == []


# -- subprofiles: the same indexes serve a collection's selection -----------------------------
def make_collection() -> tuple[Collections, str, list[str]]:
    account, database_id = make_account()
    profiles = [account.create_profile(database_id, {"fields": {}}) for _ in range(2)]
    collections = Collections(account)
    collection_id = collections.create_collection(database_id, {"name": "Orders"})
    for field in FIELDS:
        collections.create_field(collection_id, field)
    return collections, collection_id, profiles


def sub_ids(collections: Collections, collection_id: str, selection: list[str], profile_id: str | None = None) -> list[str]:
    return [s["ID"] for s in collections.select(collections.collection(collection_id), selection, profile_id=profile_id)]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(profile_fields, st.booleans()), max_size=12),
       st.lists(selections, min_size=1, max_size=4),
       st.lists(st.tuples(selections, profile_fields), max_size=3))
def test_indexed_subprofile_selections_answer_what_the_scan_answers(monkeypatch, subs, asked, updates):
    collections, collection_id, profiles = make_collection()

    def scanned(selection: list[str], profile_id: str | None = None) -> list[str]:
        with monkeypatch.context() as patch:
            patch.setattr(model, "lookup", lambda *a, **k: None)
            return sub_ids(collections, collection_id, selection, profile_id)

    for values, on_first in subs:
        collections.create_subprofile(profiles[0] if on_first else profiles[1], collection_id, values)
    for selection in asked:
        assert sub_ids(collections, collection_id, selection) == scanned(selection)
        assert sub_ids(collections, collection_id, selection, profiles[0]) == scanned(selection, profiles[0])
    for selection, values in updates:  # writes after the indexes were built
        collections.update_collection_subprofiles(collection_id, selection, {"fields": values})
    for selection in asked:
        assert sub_ids(collections, collection_id, selection) == scanned(selection)


def test_a_subprofile_selection_after_the_first_is_answered_from_its_index(monkeypatch):
    collections, collection_id, profiles = make_collection()
    for i in range(30):
        collections.create_subprofile(profiles[i % 2], collection_id, {"customerid": str(i)})
    first = sub_ids(collections, collection_id, ["customerid==7"])  # builds the index
    assert len(first) == 1
    assert collections.store.indexes("copernica", "acme", "subprofiles") == [
        f"collection/{collection_id}/customerid/integer/5"]
    monkeypatch.setattr(collections.store, "search", lambda *a, **k: pytest.fail("scanned"))
    assert sub_ids(collections, collection_id, ["customerid==7"]) == first
    assert len(sub_ids(collections, collection_id, ["customerid>=25"])) == 5
