"""The vendor's behaviour on the Store, without Flask (model.py, schemas.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.adobe_campaign import errors, fixtures, listing, model, pkeys
from emulator.vendors.adobe_campaign.errors import CampaignError, GatewayError
from emulator.vendors.adobe_campaign.paths import parse

ORG = "org"
AMY = "@2v1dr3ZKJveMDhAdh0MPnh9hNQQ93qb7AW6BNVVKknjwXvTZRBAgUqz1SNcB4ZndgjqOofx3BwBZYBftlmObISoM3rs"
API = "profileAndServices"


@pytest.fixture
def env():
    store, clock = Store(), Clock()
    clock.freeze(datetime(2026, 5, 1, 8, 30, 0, 123000, tzinfo=timezone.utc))
    fixtures.load_organization(store, clock, {
        "id": ORG, "access_token": "tok", "api_key": "key",
        "custom_fields": [{"name": "cusTier", "type": "string", "length": 5}],
        "profiles": [{"PKey": AMY, "firstName": "Amy", "lastName": "Dakota", "email": "amy.dakota@mail.com",
                      "birthDate": "1980-10-24"}]})
    return store, clock, model.Campaign(store, clock, ORG, "http://emu/org/campaign")


def test_authenticate_checks_key_then_token_then_organization(env):
    store, _, _ = env
    assert model.authenticate(store, ORG, "key", "Bearer tok")["id"] == ORG
    assert model.authenticate(store, ORG, "key", "bearer  tok ")["id"] == ORG
    cases = [(None, "Bearer tok", "403000"), ("nope", "Bearer tok", "403003"), ("key", None, "403010"),
             ("key", "", "403010"), ("key", "Bearer nope", "401013"), ("key", "tok", "401013"),
             ("nope", None, "403003")]
    for key, auth, code in cases:
        with pytest.raises(GatewayError) as caught:
            model.authenticate(store, ORG, key, auth)
        assert caught.value.error_code == code, (key, auth)
    with pytest.raises(CampaignError) as caught:
        model.authenticate(store, "elsewhere", "key", "Bearer tok")
    assert (caught.value.status, caught.value.message) == (
        500, "Oops. Something went wrong. Check your URI and try again.")
    with pytest.raises(GatewayError):
        model.authenticate(store, "elsewhere", "key", "Bearer other")


def test_parse_body():
    assert model.parse_body(b"") == {} == model.parse_body(b"  \n")
    assert model.parse_body('{"firstName":"Zoë"}'.encode()) == {"firstName": "Zoë"}
    for raw in (b"{", b"[]", b"1", b"null", b'{"a": Infinity}', b"\xff"):
        with pytest.raises(CampaignError) as caught:
            model.parse_body(raw)
        assert caught.value.status == 500 and caught.value.message.startswith(errors.RST)


def test_view_derives_computed_fields(env):
    _, _, campaign = env
    amy = campaign.get(AMY, API, ext=False)
    assert amy["age"] == 45  # 46 on 2026-10-24
    assert (amy["domain"], amy["title"]) == ("mail.com", "Amy Dakota (amy.dakota@mail.com)")
    assert amy["href"] == f"http://emu/org/campaign/{API}/profile/{AMY}"
    assert amy["created"] == amy["lastModified"] == "2026-05-01 08:30:00.123Z"
    assert "cusTier" not in amy
    ext = campaign.get(AMY, "profileAndServicesExt", ext=True)
    assert ext["cusTier"] == "" and ext["orgUnit"] is None
    assert ext["href"] == f"http://emu/org/campaign/profileAndServicesExt/profile/{AMY}"


def test_age_and_title():
    assert model.age("", date(2026, 1, 1)) == 0
    assert model.age("2000-02-29", date(2026, 2, 28)) == 25
    assert model.age("2000-02-29", date(2026, 3, 1)) == 26
    assert model.title({"firstName": "A", "lastName": "B", "email": "e@x"}) == "A B (e@x)"
    assert model.title({"lastName": "Doe"}) == "Doe"
    assert model.title({"email": "e@x"}) == "e@x"
    assert model.title({}) == ""


def test_create_update_delete(env):
    store, clock, campaign = env
    made = campaign.create({"email": "n@x.org", "cusTier": "gold"}, "profileAndServicesExt", ext=True)
    key = pkeys.profile_key(ORG, made["PKey"])
    assert key is not None and store.get(model.NS, ORG, model.PROFILES, key)["cusTier"] == "gold"
    clock.advance(1)
    answer = campaign.update(made["PKey"], {"phone": "123"}, API, ext=False)
    assert set(answer) == {"PKey", "href"} and answer["PKey"] == made["PKey"]
    fresh = answer["href"].rsplit("/", 1)[1]
    assert fresh != made["PKey"] and pkeys.profile_key(ORG, fresh) == key
    after = campaign.get(fresh, API, ext=False)
    assert after["phone"] == "123" and after["lastModified"] == "2026-05-01 08:30:01.123Z"
    assert after["created"] == "2026-05-01 08:30:00.123Z"
    campaign.delete(fresh)
    with pytest.raises(CampaignError) as caught:
        campaign.get(made["PKey"], API, ext=False)
    assert caught.value.status == 404
    assert store.next_id(model.NS, ORG, model.PROFILES) == int(key) + 1  # keys are never reused


def test_a_refused_update_changes_nothing(env):
    store, _, campaign = env
    before = store.get(model.NS, ORG, model.PROFILES, pkeys.alias_key(AMY))
    for body in ({"phone": "1", "gender": "x"}, {"phone": "1", "age": 2}, {"phone": "1", "bogus": 1},
                 {"phone": "1", "cusTier": "x"}, {"phone": "1", "firstName": "F" * 31}, {"PKey": "@x", "phone": "1"}):
        with pytest.raises(CampaignError):
            campaign.update(AMY, body, API, ext=False)
    with pytest.raises(CampaignError):
        campaign.update(AMY, {"phone": "1", "cusTier": "platinum"}, "profileAndServicesExt", ext=True)
    assert store.get(model.NS, ORG, model.PROFILES, pkeys.alias_key(AMY)) == before


def test_locate_tells_unknown_from_malformed(env):
    _, _, campaign = env
    gone = pkeys.new_pkey(ORG, "999")
    with pytest.raises(CampaignError) as caught:
        campaign.locate(gone)
    assert caught.value.status == 404
    for bad in ("@gibberish", AMY + "x", pkeys.new_pkey("other", "1"), "abc"):
        with pytest.raises(CampaignError) as caught:
            campaign.locate(bad)
        assert caught.value.status == 500, bad
    campaign.delete(AMY)
    with pytest.raises(CampaignError) as caught:
        campaign.locate(AMY)
    assert caught.value.status == 404  # a fixtures PKey that existed stays a 404


def test_blacklist_stamps(env):
    _, clock, campaign = env
    clock.advance(60)
    campaign.update(AMY, {"blackListPhone": True, "blackListPushnotification": True}, API, ext=False)
    amy = campaign.get(AMY, API, ext=False)
    assert amy["blackListPhoneLastModified"] == amy["blackListAllLastModified"] == "2026-05-01 08:31:00.123Z"
    clock.advance(60)
    campaign.update(AMY, {"blackListPhone": True}, API, ext=False)  # no change: no new stamp
    assert campaign.get(AMY, API, ext=False)["blackListPhoneLastModified"] == "2026-05-01 08:31:00.123Z"


def test_listing_pages_and_counts(env):
    _, _, campaign = env
    for i in range(6):
        campaign.create({"lastName": f"L{i}", "email": f"p{i}@x.org"}, API, ext=False)
    kind, first = campaign.collection(parse(f"{API}/profile"), {"_lineCount": "4"})
    assert kind == "list" and len(first["content"]) == 4
    token = first["next"]["href"].split("_lineStart=")[1]
    assert pkeys.line_start_offset(ORG, token) == 4
    _, second = campaign.collection(parse(f"{API}/profile"), {"_lineCount": "4", "_lineStart": token})
    assert len(second["content"]) == 3 and "next" not in second
    assert campaign.collection(parse(f"{API}/profile//_count"), {}) == ("count", {"count": 7})
    _, values = campaign.collection(parse(f"{API}/profile/lastName"), {"_order": "lastName desc"})
    assert values["content"] == ["L5", "L4", "L3", "L2", "L1", "L0", "Dakota"]


def test_big_tables_need_force_pagination(env, monkeypatch):
    _, _, campaign = env
    for i in range(3):
        campaign.create({"lastName": f"L{i}"}, API, ext=False)
    monkeypatch.setattr(listing, "BIG_TABLE_THRESHOLD", 2)
    _, page = campaign.collection(parse(f"{API}/profile"), {"_lineCount": "1"})
    assert "next" not in page and "count" in page
    _, forced = campaign.collection(parse(f"{API}/profile"), {"_lineCount": "1", "_forcePagination": "true"})
    assert "_forcePagination=true" in forced["next"]["href"]


def test_order_by_enumeration_uses_stored_values(env):
    _, _, campaign = env
    campaign.create({"lastName": "F", "gender": "female"}, API, ext=False)
    campaign.create({"lastName": "M", "gender": "male"}, API, ext=False)
    _, page = campaign.collection(parse(f"{API}/profile/gender"), {"_order": "gender"})
    assert page["content"] == ["unknown", "male", "female"]  # 0, 1, 2, not alphabetical


def test_metadata_matches_the_fields(env):
    _, _, campaign = env
    meta = campaign.metadata(API, ext=False)
    assert list(meta["content"]) == sorted(meta["content"])
    assert meta["content"]["timeZone"]["values"]["Europe_Paris"]["value"] == "Europe/Paris"
    assert "cusTier" in campaign.metadata("profileAndServicesExt", ext=True)["content"]


def test_store_key_slices_keep_insertion_order():
    store = Store()
    for i in range(10):
        store.put("v", "t", "c", f"k{i}", {"i": i})
    assert store.keys("v", "t", "c", 3, 6) == ["k3", "k4", "k5"]
    assert store.keys("v", "t", "c", 8) == ["k8", "k9"]
    assert store.keys("v", "t", "c") == [f"k{i}" for i in range(10)]
    assert store.keys("v", "t", "other", 0, 5) == []
