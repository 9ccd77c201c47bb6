"""Adobe Target: single profile update, profile fetch and bulk profile update APIs
(vendor-apis.md §2, §3). One tenant is one client code."""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Request, Response
from marshmallow import Schema

from ..base import Vendor
from . import fixtures, routes
from .model import PROFILES, TargetModel
from .model import VENDOR as NAME
from .schemas import FixturesSchema


_SLASHES = re.compile(r"/{2,}")


class AdobeTargetVendor(Vendor):
    name = NAME
    title = "Adobe Target"
    #: suffix of the real hosts ``<client>.tt.omtrdc.net`` (and ``mboxedgeNN.tt.omtrdc.net``)
    hostnames = ("tt.omtrdc.net",)
    path_pattern = re.compile(r"^/(m2|rest/v1/profiles)(/|$)")
    servers = ({"url": "https://{clientCode}.tt.omtrdc.net", "description": "Adobe Target (the real API)",
                "variables": {"clientCode": {"default": "demo", "description": "your Target client code"}}},)
    security_schemes = {"targetProfileToken": {
        "type": "http", "scheme": "bearer",
        "description": "only when the client requires authentication for the profile APIs"}}
    security = [{}, {"targetProfileToken": []}]
    profile_columns = ("thirdPartyId", "marketingCloudVisitorId", "modifiedAt", "profileAttributes")

    def openapi_operations(self) -> dict:
        from .openapi import OPERATIONS

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

    def export_fixtures(self, emulator) -> dict[str, Any]:
        return {"clients": fixtures.export_clients(TargetModel(emulator.store, emulator.clock))}

    def counts(self, emulator) -> dict[str, int]:
        tenants = self.tenants(emulator)
        return {"tenants": len(tenants),
                "profiles": sum(emulator.store.count(NAME, t, PROFILES) for t in tenants)}

    def base_urls(self, base_url: str, emulator) -> dict[str, str]:
        base = base_url.rstrip("/")
        code = next(iter(self.tenants(emulator)), "<client>")
        return {"Adobe Target profile update": f"{base}/m2/{code}/profile/update",
                "Adobe Target profile fetch": f"{base}/rest/v1/profiles/<tntId>?client={code}"}

    def tenant_of(self, emulator, request: Request) -> str | None:
        match = re.match(r"^/(?:m2|_emulator/adobe_target)/([^/]+)/", request.path)
        code = routes.client_code(request, match.group(1) if match else None)
        m = TargetModel(emulator.store, emulator.clock)
        return code if m.client(code) is not None else None

    def http_error(self, request: Request, status: int, description: str) -> Response:
        return routes.http_error(request, status, description)


VENDOR = AdobeTargetVendor()
