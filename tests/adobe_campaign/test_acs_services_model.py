"""Services, subscriptions, history and units on the Store, without Flask (services.py,
subscriptions.py, history.py, orgunits.py, records.py, resources.py)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.adobe_campaign import fixtures, history, model, records, resources
from emulator.vendors.adobe_campaign.errors import CampaignError

ORG = "org"
AMY = "@2v1dr3ZKJveMDhAdh0MPnh9hNQQ93qb7AW6BNVVKknjwXvTZRBAgUqz1SNcB4ZndgjqOofx3BwBZYBftlmObISoM3rs"
API = "profileAndServices"


@pytest.fixture
def campaign():
    store, clock = Store(), Clock()
    clock.freeze(datetime(2026, 5, 1, 8, 30, 0, 123000, tzinfo=timezone.utc))
    fixtures.load_organization(store, clock, {
        "id": ORG, "access_token": "tok", "api_key": "key",
        "profiles": [{"PKey": AMY, "firstName": "Amy", "email": "amy@example.com"}],
        "services": [{"name": "SVC1", "label": "Sport Newsletter"},
                     {"name": "SVC2", "label": "Alerts", "messageType": "sms", "start": "2020-01-01", "end": "2020-12-31"}]})
    return model.Campaign(store, clock, ORG, "http://emu/org/campaign")


def test_a_new_service_gets_campaigns_defaults_and_the_next_free_svc_name(campaign):
    made = campaign.services.create({"label": "Sport"}, API)
    assert (made["name"], made["title"], made["targetResource"], made["created"]) == (
        "SVC3", "Sport (SVC3)", "profile", "2026-05-01 08:30:00.123Z")
    campaign.services.create({"label": "Taken", "name": "SVC4"}, API)
    assert campaign.services.create({"label": "Next"}, API)["name"] == "SVC5"  # SVC4 is taken


def test_a_pkey_names_one_kind_of_record_only(campaign):
    svc1 = campaign.services.locate("SVC1")[1]
    assert campaign.services.locate(svc1["PKey"])[1]["name"] == "SVC1"
    with pytest.raises(CampaignError) as caught:
        campaign.locate(svc1["PKey"])  # a service's PKey is no profile's
    assert caught.value.status == 500 and "'Profiles (nms:recipient)'" in caught.value.message
    with pytest.raises(CampaignError) as caught:
        campaign.services.locate(AMY)
    assert caught.value.status == 500 and "'Services (nms:service)'" in caught.value.message


def test_subscribe_logs_history_and_deleting_the_profile_takes_both(campaign):
    svc1 = campaign.services.locate("SVC1")[1]
    sub = campaign.subscriptions.subscribe("profile", AMY, {"service": {"PKey": svc1["PKey"]}}, API)
    assert sub["serviceName"] == "" and sub["subscriber"]["PKey"] == AMY
    key = records.key_of(records.PROFILE, ORG, AMY)
    assert [e["type"] for e in history.events_of(campaign.ctx, key)] == ["subscription"]
    assert campaign.history_view(campaign.locate(AMY)[1], API)["countSubHistoEvents"] == 1
    with pytest.raises(CampaignError) as caught:
        campaign.subscriptions.subscribe("profile", AMY, {"service": {"name": "SVC1"}}, API)
    assert caught.value.status == 500 and "already subscribed" in caught.value.message
    campaign.delete(AMY)
    assert campaign.subscriptions.of("service", campaign.services.locate("SVC1")[0]) == []
    assert history.events_of(campaign.ctx, key) == []


@pytest.mark.parametrize("params, names", [
    ({"startDate": "2020-06-01", "endDate": "2020-06-30"}, ["SVC1", "SVC2"]),
    ({"startDate": "2021-01-01"}, ["SVC1"]),
    ({"endDate": "2019-12-31"}, ["SVC1"]),
    ({}, ["SVC1", "SVC2"]),
])
def test_by_planning_keeps_services_running_in_the_window(campaign, params, names):
    test = resources.SERVICE.filter("byPlanning").make(params)
    assert [d["name"] for _, d in records.having(campaign.store, ORG, records.SERVICES, "builtIn", False)
            if test(d)] == names


def test_filter_parameters_are_checked(campaign):
    with pytest.raises(CampaignError) as caught:
        resources.SERVICE.filter("byChannel").make({"channel": "fax"})
    assert "'nms:service:messageType'" in caught.value.message
    with pytest.raises(CampaignError) as caught:
        resources.SERVICE.filter("byPlanning").make({"startDate": "June"})
    assert "'startDate'" in caught.value.message


def test_every_organization_has_the_root_unit_once(campaign):
    fixtures.load_organization(campaign.store, campaign.clock, {"id": ORG, "orgUnits": [{"name": "b1", "label": "B1"}]})
    units = {d["name"]: d for _, d in records.having(campaign.store, ORG, records.ORG_UNITS, "desc", "")}
    assert sorted(units) == ["all", "b1"]
    view = campaign.units.view(units["b1"], "profileAndServicesExt")
    assert (view["title"], view["parentTitle"]) == ("B1 (b1)", "All (all)")
