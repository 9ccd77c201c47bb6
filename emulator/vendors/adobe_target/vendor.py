"""The ``Vendor`` of Adobe Target: what the app, the control plane and the dashboard know of it."""
from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Request, Response
from marshmallow import Schema

from ...realism.settings import Setting
from ..base import Vendor
from . import errors, fixtures, routes
from .model import CLIENT_KEY, PROFILES, SETTINGS, TargetModel
from .openapi import OPERATIONS
from .schemas import FixturesSchema
from .settings import SETTINGS_FIELDS
from .settings import VENDOR as NAME


_SLASHES = re.compile(r"/{2,}")



class AdobeTargetVendor(Vendor):
    name = NAME
    title = "Adobe Target"
    #: suffix of the real hosts ``<client>.tt.omtrdc.net`` (and ``mboxedgeNN.tt.omtrdc.net``)
    hostnames = ("tt.omtrdc.net",)
    path_pattern = re.compile(r"^/(m2|rest/v1/profiles|rest/v1/delivery)(/|$)")
    servers = ({"url": "https://{clientCode}.tt.omtrdc.net", "description": "Adobe Target (the real API)",
                "variables": {"clientCode": {"default": "demo", "description": "your Target client code"}}},)
    security_schemes = {"targetProfileToken": {
        "type": "http", "scheme": "bearer",
        "description": "only when the client requires authentication for the profile APIs"}}
    security = [{}, {"targetProfileToken": []}]
    profile_columns = ("thirdPartyId", "marketingCloudVisitorId", "modifiedAt", "profileAttributes")

    def openapi_operations(self) -> dict:
        return OPERATIONS

    def openapi_errors(self) -> dict:
        return {}  # each operation lists its own: the edge answers XML, the profile service JSON

    def blueprint(self) -> Blueprint:
        return routes.blueprint

    def canonical_path(self, path: str) -> str:
        """Doubled slashes are merged and a trailing slash is dropped, as Target's Java front
        end matches paths, so werkzeug never answers with a redirect Target does not send."""
        collapsed = _SLASHES.sub("/", path)
        return collapsed.rstrip("/") if len(collapsed) > 1 else collapsed

    def fixtures_schema(self) -> Schema:
        return FixturesSchema()

    def load_fixtures(self, emulator, data: dict[str, Any]) -> None:
        model = TargetModel(emulator.store, emulator.clock)
        for client in data.get("clients", []):
            fixtures.load_client(model, client)
            if "settings" in client:
                emulator.realism.update(NAME, client["code"], client["settings"], replace=True)

    def export_fixtures(self, emulator) -> dict[str, Any]:
        clients = fixtures.export_clients(TargetModel(emulator.store, emulator.clock))
        for client in clients:
            settings = emulator.realism.stored(NAME, client["code"])
            if settings:
                client["settings"] = settings
        return {"clients": clients}

    # -- realism: settings and injected faults ------------------------------------------------------
    def settings_fields(self) -> dict[str, Setting]:
        return SETTINGS_FIELDS

    def read_settings(self, emulator, tenant: str) -> dict[str, Any]:
        client = emulator.store.peek(NAME, tenant, SETTINGS, CLIENT_KEY) or {}
        return {"daily_call_limit": client.get("daily_call_limit"),
                "propagation_delay": float(client.get("propagation_delay") or 0)}

    def write_settings(self, emulator, tenant: str, values: dict[str, Any]) -> None:
        with emulator.store.transaction():
            client = emulator.store.get(NAME, tenant, SETTINGS, CLIENT_KEY)
            for key, value in values.items():
                client[key] = SETTINGS_FIELDS[key].default if value is None else value
            emulator.store.put(NAME, tenant, SETTINGS, CLIENT_KEY, client)

    def fault_response(self, request: Request, kind: str, status: int | None = None,
                       message: str | None = None) -> Response:
        """Target's error in the style of the endpoint asked (the mbox edge's ``<response>``
        XML, the profile service's error XML, the Delivery API's JSON), with the status's reason phrase as the message
        unless the rule gives one; 503 by default, 429 for a quota."""
        code = status or (429 if kind == "quota" else 503)
        if message is None:
            try:
                message = HTTPStatus(code).phrase
            except ValueError:
                message = "Error"
        return errors.render(code, message, errors.style_for_path(request.path))

    def counts(self, emulator) -> dict[str, int]:
        tenants = self.tenants(emulator)
        return {"tenants": len(tenants),
                "profiles": sum(emulator.store.count(NAME, t, PROFILES) for t in tenants)}

    def base_urls(self, base_url: str, emulator) -> dict[str, str]:
        base = base_url.rstrip("/")
        code = next(iter(self.tenants(emulator)), "<client>")
        return {"Adobe Target delivery": f"{base}/rest/v1/delivery?client={code}&sessionId=<sessionId>",
                "Adobe Target profile update": f"{base}/m2/{code}/profile/update",
                "Adobe Target profile fetch": f"{base}/rest/v1/profiles/<tntId>?client={code}"}

    def tenant_of(self, emulator, request: Request) -> str | None:
        match = re.match(r"^/(?:m2|_emulator/adobe_target)/([^/]+)/", request.path)
        code = routes.client_code(request, match.group(1) if match else None)
        m = TargetModel(emulator.store, emulator.clock)
        if code is None and request.path.rstrip("/") == "/rest/v1/delivery" and request.args.get("imsOrgId"):
            settings = m.client_for_organization(request.args["imsOrgId"])  # the SDKs' later calls
            return settings["code"] if settings else None
        return code if m.client(code) is not None else None

    def http_error(self, request: Request, status: int, description: str) -> Response:
        return routes.http_error(request, status, description)


VENDOR = AdobeTargetVendor()
