"""Target state in a data file survives a restart, pending updates and batches included."""
from __future__ import annotations

from datetime import datetime, timezone

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.adobe_target.fixtures import export_clients, load_client
from emulator.vendors.adobe_target.model import TargetModel
from emulator.vendors.adobe_target.schemas import FixturesSchema


def test_state_survives_a_restart(tmp_path):
    path = str(tmp_path / "data.json")
    clock = Clock()
    clock.freeze(datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc))
    model = TargetModel(Store(path, flush_interval=0), clock)
    section = FixturesSchema().load({"clients": [{"code": "c", "propagation_delay": 60,
                                                  "profiles": [{"tntId": "t1", "thirdPartyId": "crm"}]}]})
    load_client(model, section["clients"][0])
    settings = model.client("c")
    model.update_profile(settings, "t1", None, {"a": "1"})
    model.submit_batch(settings, 2, b"batch=thirdPartyId,b\ncrm-2,2\n")
    before = export_clients(model)
    model.store.close()

    reopened = TargetModel(Store(path, flush_interval=0), clock)
    assert export_clients(reopened) == before
    clock.advance(60)
    assert reopened.fetch("c", "thirdPartyId", "crm")["profileAttributes"]["a"]["value"] == "1"
    assert reopened.fetch("c", "thirdPartyId", "crm-2")["profileAttributes"]["b"]["value"] == "2"
    reopened.store.close()
