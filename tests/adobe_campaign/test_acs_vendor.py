"""The Vendor interface of Adobe Campaign: which paths it owns, and which tenant a request names."""
from __future__ import annotations

from emulator import create_app
from emulator.settings import Settings
from emulator.vendors import vendor_for_path
from emulator.vendors.adobe_campaign import VENDOR


def test_owns_organization_paths_but_never_the_control_plane():
    for path in ("/demo-org/campaign", "/demo-org/campaign/", "/x/campaign/profileAndServices/profile",
                 "/ORG-mkt-stage/campaign/profileAndServicesExt/profile/@abc"):
        assert VENDOR.owns(path), path
        assert vendor_for_path(path) is VENDOR
    for path in ("/_emulator/health", "/_emulator/campaign/x", "/_emulator", "/v3/profile/1",
                 "/demo-org/campaigns", "/demo-org", "/a/b/campaign/x"):
        assert not VENDOR.owns(path), path


def test_tenant_of_is_an_existing_organization():
    app = create_app(Settings())
    emulator = app.extensions["emulator"]
    for path, tenant in (("/demo-org/campaign/profileAndServices/profile", "demo-org"),
                         ("/nobody/campaign/profileAndServices/profile", None),
                         ("/_emulator/state", None)):
        with app.test_request_context(path):
            from flask import request

            assert VENDOR.tenant_of(emulator, request) == tenant
    emulator.close()


def test_unrouted_emulator_paths_stay_the_emulators():
    app = create_app(Settings())
    reply = app.test_client().get("/_emulator/campaign/profileAndServices/profile")
    assert reply.status_code == 404
    assert reply.get_json()["emulator"] == "martech-emulator"
    app.extensions["emulator"].close()
