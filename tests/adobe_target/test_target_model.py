"""Unit tests of emulator/vendors/adobe_target/model.py on a plain Store and Clock (no Flask)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from emulator.clock import Clock
from emulator.errors import EmulatorError
from emulator.store import Store
from emulator.vendors.adobe_target.errors import TargetError
from emulator.vendors.adobe_target.batchfile import parse_batch
from emulator.vendors.adobe_target.fixtures import export_clients, load_client
from emulator.vendors.adobe_target.model import PROFILES, THIRD_PARTY_IDS, VENDOR, TargetModel, fold, new_tnt_id, stamp
from emulator.vendors.adobe_target.schemas import FixturesSchema

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
S0 = "2026-01-05T10:00:00.000+00:00"


def seed(model, **client):
    section = FixturesSchema().load({"clients": [{"code": "c", **client}]})
    load_client(model, section["clients"][0])
    return model.client("c")


@pytest.fixture
def model():
    clock = Clock()
    clock.freeze(T0)
    return TargetModel(Store(), clock)


def attrs(model, ident, by="tntId"):
    return {k: v["value"] for k, v in model.fetch("c", by, ident)["profileAttributes"].items()}


def test_stamp_is_utc_with_milliseconds():
    assert stamp(datetime(2017, 8, 9, 22, 18, 4, 659000, tzinfo=timezone.utc)) == "2017-08-09T22:18:04.659+00:00"


def test_new_tnt_ids_are_target_shaped_and_distinct():
    ids = {new_tnt_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 37 and i.endswith(".28_0") and int(i[:32], 16) >= 0 for i in ids)


def test_update_known_visitor(model):
    settings = seed(model, profiles=[{"tntId": "t1", "profileAttributes": {"a": "1"}}])
    assert model.update_profile(settings, "t1", None, {"a": "2", "b": "x", "c": ""}) == "t1"
    assert model.fetch("c", "tntId", "t1") == {
        "client": "c", "visitorId": "t1", "modifiedAt": S0,
        "profileAttributes": {"a": {"value": "2", "modifiedAt": S0}, "b": {"value": "x", "modifiedAt": S0}}}


def test_update_unknown_visitor_creates_nothing(model):
    settings = seed(model)
    assert model.update_profile(settings, "nobody", "crm-x", {"a": "1"}) is None
    assert model.store.count(VENDOR, "c", PROFILES) == 0
    assert model.store.count(VENDOR, "c", THIRD_PARTY_IDS) == 0
    with pytest.raises(TargetError) as exc:
        model.fetch("c", "tntId", "nobody")
    assert (exc.value.status, exc.value.message) == (404, "No profile found for client c with mboxPC=nobody")


def test_unknown_mbox_pc_falls_back_to_the_third_party_id(model):
    settings = seed(model, profiles=[{"tntId": "t1", "thirdPartyId": "crm"}])
    assert model.update_profile(settings, "other", "crm", {"a": "1"}) == "t1"
    assert attrs(model, "crm", "thirdPartyId") == {"a": "1"}


def test_linking_moves_a_third_party_id(model):
    settings = seed(model, profiles=[{"tntId": "t1", "thirdPartyId": "crm"}, {"tntId": "t2"}])
    model.update_profile(settings, "t2", "crm", {})
    assert model.fetch("c", "thirdPartyId", "crm")["profileAttributes"] == {}
    assert model.store.get(VENDOR, "c", PROFILES, "t1")["thirdPartyId"] is None
    assert model.store.get(VENDOR, "c", PROFILES, "t2")["thirdPartyId"] == "crm"
    assert model.store.get(VENDOR, "c", THIRD_PARTY_IDS, "crm") == {"tntIds": ["t2"]}


def test_pending_update_and_pending_link_show_after_the_delay(model):
    settings = seed(model, propagation_delay=10,
                    profiles=[{"tntId": "t1", "thirdPartyId": "crm", "profileAttributes": {"a": "old"}},
                              {"tntId": "t2"}])
    model.update_profile(settings, "t2", "crm", {"a": "new"})
    assert attrs(model, "crm", "thirdPartyId") == {"a": "old"}  # still t1's until the link shows
    assert attrs(model, "t2") == {}
    model.clock.advance(10)
    assert attrs(model, "crm", "thirdPartyId") == {"a": "new"}
    assert model.fetch("c", "tntId", "t2")["modifiedAt"] == "2026-01-05T10:00:10.000+00:00"
    assert fold(model.store.get(VENDOR, "c", PROFILES, "t1"), model.clock.now())["thirdPartyId"] is None


def test_fold_applies_due_entries_in_visible_order():
    profile = {"tntId": "t", "thirdPartyId": None, "modifiedAt": S0, "profileAttributes": {},
               "pendingUpdates": [
                   {"visibleAt": "2026-01-05T10:00:20.000+00:00", "profileAttributes": {"a": {"value": "2", "modifiedAt": "x"}}},
                   {"visibleAt": "2026-01-05T10:00:10.000+00:00", "profileAttributes": {"a": {"value": "1", "modifiedAt": "y"}}},
                   {"visibleAt": "2026-01-05T10:00:30.000+00:00", "profileAttributes": {"a": {"value": "3", "modifiedAt": "z"}}}]}
    view = fold(profile, datetime(2026, 1, 5, 10, 0, 25, tzinfo=timezone.utc))
    assert view["profileAttributes"]["a"]["value"] == "2"
    assert view["modifiedAt"] == "2026-01-05T10:00:20.000+00:00"
    assert [e["visibleAt"] for e in view["pendingUpdates"]] == ["2026-01-05T10:00:30.000+00:00"]
    assert len(profile["pendingUpdates"]) == 3  # the stored document is not changed


def test_check_auth():
    TargetModel.check_auth({"code": "c", "profile_api_token": None}, None)
    settings = {"code": "c", "profile_api_token": "tok"}
    TargetModel.check_auth(settings, "Bearer tok")
    TargetModel.check_auth(settings, "bearer tok")
    for header in (None, "", "Bearer", "Basic tok", "Bearer tok2", "tok"):
        with pytest.raises(TargetError) as exc:
            TargetModel.check_auth(settings, header)
        assert exc.value.status == 403


def test_quota_rolls_over_24_hours(model):
    settings = seed(model, daily_call_limit=3)
    model.count_call(settings, "update")
    model.clock.advance(60 * 60)
    model.count_call(settings, "update")
    model.count_call(settings, "update")
    with pytest.raises(TargetError) as exc:
        model.count_call(settings, "update")
    assert exc.value.status == 429
    assert exc.value.headers == {"Retry-After": str(23 * 3600)}
    model.count_call(settings, "fetch")  # counted apart
    model.clock.advance(23 * 3600)
    model.count_call(settings, "update")
    with pytest.raises(TargetError):
        model.count_call(settings, "update")


def test_quota_off_counts_nothing(model):
    settings = seed(model)
    for _ in range(10):
        model.count_call(settings, "update")
    assert model.store.count(VENDOR, "c", "quota") == 0


def test_parse_batch():
    assert parse_batch(b"batch=pcId,profile.a,b\r\n1,x,y\r\n\r\n2,,\n") == ("pcId", ["a", "b"], ["1,x,y", "2,,"])
    for raw, status in [(b"x", 400), (b"batch=", 400), (b"batch=tntId,a\n1,x", 400), (b"batch=pcId,a\n", 400)]:
        with pytest.raises(TargetError) as exc:
            parse_batch(raw)
        assert exc.value.status == status


def test_batch_v1_and_v2_counts(model):
    settings = seed(model, profiles=[{"tntId": "t1", "thirdPartyId": "crm"}])
    raw = b"batch=thirdPartyId,a\ncrm,1\nnew,2\nempty,\nbad/id,3\n"
    v1 = model.submit_batch(settings, 1, raw)
    assert {k: v1[k] for k in ("batchSize", "consumedCount", "successfulUpdates", "profilesNotFound",
                               "failedUpdates")} == {"batchSize": 4, "consumedCount": 3, "successfulUpdates": 1,
                                                     "profilesNotFound": 1, "failedUpdates": 1}
    with pytest.raises(TargetError):
        model.fetch("c", "thirdPartyId", "new")
    v2 = model.submit_batch(settings, 2, raw)
    assert (v2["successfulUpdates"], v2["profilesNotFound"]) == (2, 0)
    assert attrs(model, "new", "thirdPartyId") == {"a": "2"}
    assert model.batch_status("c", v2["batchId"]) == {
        "batchId": v2["batchId"], "status": "complete", "batchSize": 4, "consumedCount": 3,
        "successfulUpdates": 2, "profilesNotFound": 0, "failedUpdates": 1}


def test_create_visitor(model):
    seed(model, profiles=[{"tntId": "t1", "thirdPartyId": "crm"}])
    created = model.create_visitor("c", {"marketingCloudVisitorId": "ecid", "profileAttributes": {"a": "1"}})
    assert created["tntId"].endswith(".28_0")
    assert attrs(model, "ecid", "marketingCloudVisitorId") == {"a": "1"}
    for data, status in [({"tntId": "t1"}, 409), ({"thirdPartyId": "crm"}, 409), ({"marketingCloudVisitorId": "ecid"}, 409)]:
        with pytest.raises(EmulatorError) as exc:
            model.create_visitor("c", data)
        assert exc.value.status == status
    with pytest.raises(EmulatorError) as exc:
        model.create_visitor("nope", {})
    assert exc.value.status == 404


def test_load_and_export_round_trip(model):
    document = {"clients": [{"code": "c", "profile_api_token": "tok", "daily_call_limit": 5, "propagation_delay": 2.5,
                             "profiles": [{"tntId": "t1", "thirdPartyId": "crm", "marketingCloudVisitorId": "e1",
                                           "modifiedAt": "2017-08-18T17:53:39.003-04:00",
                                           "profileAttributes": {"a": {"value": "1",
                                                                       "modifiedAt": "2017-08-18T17:53:39.003-04:00"}},
                                           "pendingUpdates": [{"visibleAt": "2026-01-05T10:00:02.500+00:00",
                                                               "profileAttributes": {}, "thirdPartyId": None}]}],
                             "batches": [{"batchId": "c-1-00000001", "version": 2, "submittedAt": S0, "visibleAt": S0,
                                          "batchSize": 1, "consumedCount": 1, "successfulUpdates": 1,
                                          "profilesNotFound": 0, "failedUpdates": 0}]}]}
    load_client(model, FixturesSchema().load(document)["clients"][0])
    assert export_clients(model) == document["clients"]
    model.clock.advance(3)  # the pending unlink shows, and export folds it
    assert export_clients(model)[0]["profiles"][0]["thirdPartyId"] is None
    with pytest.raises(TargetError):
        model.fetch("c", "thirdPartyId", "crm")


def test_reads_cost_the_same_at_any_size(model):
    """Lookups go through keyed indexes: a fetch by thirdPartyId touches a constant number of documents."""
    seed(model, profiles=[{"tntId": f"t{i}", "thirdPartyId": f"crm{i}"} for i in range(2000)])
    calls = []
    real_peek, real_get = model.store.peek, model.store.get
    model.store.peek = lambda *a: calls.append(a) or real_peek(*a)
    model.store.get = lambda *a: calls.append(a) or real_get(*a)
    model.fetch("c", "thirdPartyId", "crm1999")
    assert [c[2:] for c in calls] == [("thirdPartyIds", "crm1999"), ("profiles", "t1999")]
