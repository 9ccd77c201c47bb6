"""Unit tests of emulator/vendors/adobe_target/delivery.py on a plain Store and Clock (no Flask)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.adobe_target.delivery import Delivery, answer_sections, edge_host, profile_parameters
from emulator.vendors.adobe_target.fixtures import load_client
from emulator.vendors.adobe_target.model import TargetModel
from emulator.vendors.adobe_target.schemas import DeliveryRequestSchema, FixturesSchema

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
WEB = {"channel": "web"}


@pytest.fixture
def model():
    clock = Clock()
    clock.freeze(T0)
    m = TargetModel(Store(), clock)
    section = FixturesSchema().load({"clients": [{"code": "c", "profiles": [
        {"tntId": "known.19_36", "profileAttributes": {"a": "1"}},
        {"tntId": "crm.28_1", "thirdPartyId": "crm-1", "profileAttributes": {"b": "2"}}]}]})
    load_client(m, section["clients"][0])
    return m


def deliver(model, body):
    return Delivery(model).deliver(model.client("c"), DeliveryRequestSchema().load({"context": WEB, **body}))


def attrs(model, ident, by="tntId"):
    return {k: v["value"] for k, v in model.fetch("c", by, ident)["profileAttributes"].items()}


def test_edge_host_follows_the_location_hint():
    assert edge_host("d359234570e04f14e1faeeba02d6ab9914e.28_7") == "mboxedge28.tt.omtrdc.net"
    assert edge_host("1389936436794-710059.19_36") == "mboxedge19.tt.omtrdc.net"
    assert edge_host("111492025094307-353046") == "mboxedge28.tt.omtrdc.net"


def test_profile_parameters_page_load_then_mboxes_by_index_and_never_prefetch():
    body = {"execute": {"pageLoad": {"profileParameters": {"x": "page", "y": "page"}},
                        "mboxes": [{"index": 2, "name": "b", "profileParameters": {"x": "two"}},
                                   {"index": 1, "name": "a", "profileParameters": {"x": "one", "e": ""}}]},
            "prefetch": {"pageLoad": {"profileParameters": {"z": "prefetch"}}}}
    assert profile_parameters(body) == {"x": "two", "y": "page"}


def test_answer_sections_echo_what_was_asked_without_options():
    assert answer_sections({"execute": {"mboxes": [{"index": 3, "name": "m"}]}, "prefetch": {"views": [{}]}}) == {
        "execute": {"mboxes": [{"index": 3, "name": "m"}]}, "prefetch": {"views": []}}
    assert answer_sections({}) == {}


def test_a_new_visitor_is_created_with_its_attributes(model):
    answer, note = deliver(model, {"execute": {"pageLoad": {"profileParameters": {"g": "jazz"}}}})
    tnt_id = answer["id"]["tntId"]
    assert attrs(model, tnt_id) == {"g": "jazz"}
    assert note == f"visitor {tnt_id} new; profile attributes g=jazz"


def test_a_known_third_party_id_receives_the_call_before_the_tnt_id(model):
    answer, _ = deliver(model, {"id": {"tntId": "known.19_36", "thirdPartyId": "crm-1"},
                                "execute": {"pageLoad": {"profileParameters": {"c": "3"}}}})
    assert answer["id"] == {"tntId": "known.19_36", "thirdPartyId": "crm-1"}
    assert attrs(model, "crm.28_1") == {"b": "2", "c": "3"}
    assert attrs(model, "known.19_36") == {"a": "1"}


def test_only_a_known_third_party_id_answers_its_profiles_tnt_id(model):
    answer, note = deliver(model, {"id": {"thirdPartyId": "crm-1"}})
    assert answer["id"] == {"tntId": "crm.28_1", "thirdPartyId": "crm-1"} and note == "visitor crm.28_1 known"


def test_a_new_third_party_id_and_ecid_are_linked_to_the_known_tnt_id(model):
    deliver(model, {"id": {"tntId": "known.19_36", "thirdPartyId": "crm-2", "marketingCloudVisitorId": "e-1"}})
    assert attrs(model, "crm-2", "thirdPartyId") == {"a": "1"}
    assert attrs(model, "e-1", "marketingCloudVisitorId") == {"a": "1"}
    assert model.update_profile(model.client("c"), None, "crm-2", {"u": "v"}) == "known.19_36"


def test_the_propagation_delay_holds_the_attributes_and_the_link_but_not_the_visitor(model):
    settings = model.client("c")
    model.put("c", "settings", "client", {**settings, "propagation_delay": 30.0})
    answer, _ = deliver(model, {"id": {"thirdPartyId": "crm-3"},
                                "execute": {"pageLoad": {"profileParameters": {"g": "jazz"}}}})
    tnt_id = answer["id"]["tntId"]
    assert attrs(model, tnt_id) == {}
    assert model.by_third_party_id("c", "crm-3", T0) is None
    model.clock.freeze(T0 + timedelta(seconds=30))
    assert attrs(model, tnt_id) == {"g": "jazz"} and attrs(model, "crm-3", "thirdPartyId") == {"g": "jazz"}


def test_organizations_are_learned_once_and_never_taken_from_another_client(model):
    section = FixturesSchema().load({"clients": [{"code": "d", "organization_id": "D@AdobeOrg"}]})
    load_client(model, section["clients"][0])
    model.learn_organization(model.client("c"), "D@AdobeOrg")
    assert model.client("c")["organization_id"] is None
    model.learn_organization(model.client("c"), "C@AdobeOrg")
    model.learn_organization(model.client("c"), "C2@AdobeOrg")
    assert model.client("c")["organization_id"] == "C@AdobeOrg"
    assert model.client_for_organization("C@AdobeOrg")["code"] == "c"
    assert model.client_for_organization("nobody") is None
