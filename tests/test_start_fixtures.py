"""Fixtures loaded at start (``serve --fixtures``, the demo): every document is validated
before any is applied, and each is validated once (a 100,000-profile file spent a third of a
second in a second validation)."""
from __future__ import annotations

import json

import pytest

from emulator import seeding
from emulator.app import create_app
from emulator.errors import EmulatorError
from emulator.settings import Settings
from emulator.store import Store

GOOD = {"copernica": {"accounts": [{"name": "Start Co", "access_token": "start-token",
                                    "databases": [{"name": "Leads", "fields": [{"name": "email"}],
                                                   "profiles": [{"fields": {"email": "a@example.com"}}]}]}]}}
BAD = {"copernica": {"accounts": [{"name": "Bad Co", "tokn": "y"}]}}


def _file(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return str(path)


def test_a_bad_second_file_applies_nothing_not_even_the_demo_or_the_first_file(tmp_path):
    store = Store()
    with pytest.raises(EmulatorError, match=r"copernica\.accounts\[0\]\.tokn: Unknown field\."):
        create_app(Settings(demo=True, fixtures=[_file(tmp_path, "good.json", GOOD), _file(tmp_path, "bad.json", BAD)]),
                   store=store)
    assert [store.tenants(vendor) for vendor in ("copernica", "adobe_campaign", "adobe_target")] == [[], [], []]


def test_each_document_is_validated_once_and_all_are_applied(tmp_path, monkeypatch):
    validated: list[tuple[str, bool]] = []
    real = seeding.validate

    def counting(document, vendors, *, checked=False):
        validated.append((",".join(sorted(document)), checked))
        return real(document, vendors, checked=checked)

    monkeypatch.setattr(seeding, "validate", counting)
    app = create_app(Settings(demo=True, fixtures=[_file(tmp_path, "good.json", GOOD)]))
    # the demo (package data, read by json.loads: checked here) and the file (jsoninput.loads checked it)
    assert validated == [("adobe_campaign,adobe_target,copernica", False), ("copernica", True)]
    state = seeding.export(app.extensions["emulator"])
    names = [a["name"] for a in state["copernica"]["accounts"]]
    assert names == ["Demo Company", "Other Company", "Start Co"]  # the demo's two accounts, then the file's
    leads = next(a for a in state["copernica"]["accounts"] if a["name"] == "Start Co")["databases"][0]
    assert [p["fields"]["email"] for p in leads["profiles"]] == ["a@example.com"]
