"""The ``Vendor`` of Copernica: what the app, the control plane and the dashboard know of it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Request, Response, g
from marshmallow import Schema

from ...realism.settings import Setting
from ...state import current_emulator
from ..base import Vendor
from . import errors, fixtures, views
from .model import account_for_token
from .openapi import ERRORS, OPERATIONS
from .routes import copernica, request_token
from .settings import SETTINGS
from .settings import VENDOR as NAME
from .schemas import CopernicaFixtures

if TYPE_CHECKING:
    from ...state import Emulator

#: resources whose first path element needs an ID after it
_NEEDS_ID = {"database", "profile", "collection", "subprofile", "field", "interest"}
_SLASHES = re.compile(r"/{2,}")


class Copernica(Vendor):
    name = NAME
    title = "Copernica REST API v3"
    hostnames = ("api.copernica.com",)
    path_pattern = re.compile(r"^/v3(/|$)")
    servers = ({"url": "https://api.copernica.com", "description": "Copernica (the real API)"},)
    security_schemes = {
        "copernicaToken": {"type": "apiKey", "in": "query", "name": "access_token"},
        "copernicaBearer": {"type": "http", "scheme": "bearer",
                            "description": "accepted too (v4's way); v3 documents only access_token"},
    }
    security = [{"copernicaToken": []}, {"copernicaBearer": []}]

    def blueprint(self) -> Blueprint:
        return copernica

    def canonical_path(self, path: str) -> str:
        """Copernica ignores doubled and trailing slashes (vendor-apis.md §4.1)."""
        collapsed = _SLASHES.sub("/", path)
        return collapsed.rstrip("/") if len(collapsed) > 1 else collapsed

    def fixtures_schema(self) -> Schema:
        return CopernicaFixtures()

    def check_fixtures(self, emulator: Emulator, data: dict[str, Any]) -> None:
        fixtures.check(emulator, data)

    def load_fixtures(self, emulator: Emulator, data: dict[str, Any]) -> None:
        fixtures.load(emulator, data)

    def export_fixtures(self, emulator: Emulator) -> dict[str, Any]:
        return fixtures.export(emulator)

    def counts(self, emulator: Emulator) -> dict[str, int]:
        store = emulator.store
        tenants = self.tenants(emulator)
        return {"tenants": len(tenants),
                "databases": sum(store.count(NAME, t, "databases") for t in tenants),
                "profiles": sum(store.count(NAME, t, "profiles") for t in tenants)}

    def base_urls(self, base_url: str, emulator: Emulator) -> dict[str, str]:
        return {"Copernica REST v3": f"{base_url}/v3"}

    def openapi_operations(self) -> dict[str, Any]:
        return OPERATIONS

    def openapi_errors(self) -> dict[int | str, Any]:
        return ERRORS

    def profiles_page(self, emulator: Emulator, tenant: str, query: str, offset: int,
                      limit: int) -> dict[str, Any]:
        return views.profiles_page(emulator, tenant, query, offset, limit)

    def profile_detail(self, emulator: Emulator, tenant: str, key: str) -> dict[str, Any] | None:
        return views.profile_detail(emulator, tenant, key)

    def tenant_of(self, emulator: Emulator, request: Request) -> str | None:
        if "copernica_account" in g:  # already resolved by the route's authentication
            return g.copernica_account.name
        found = account_for_token(emulator.store, emulator.clock, request_token())
        return found.name if found else None

    def settings_fields(self) -> dict[str, Setting]:
        return SETTINGS

    def fault_response(self, request: Request, kind: str, status: int | None = None,
                       message: str | None = None) -> Response:
        """An overloaded Copernica answers with its load balancer's HTML page (503 by default,
        also 429 and any 5xx asked for); any other error is the API's JSON error body, with
        the status asked for (Copernica itself only ever uses 400)."""
        if kind == "quota" or status is None or status == 429 or status >= 500:
            return errors.loadbalancer_error(503 if status is None else status)
        response = errors.error_response(message or errors.INTERNAL)
        response.status_code = status
        return response

    def http_error(self, request: Request, status: int, description: str) -> Response:
        if status == 413:
            return errors.error_response(errors.BODY_TOO_LARGE)
        if status >= 500:
            return errors.error_response(errors.INTERNAL)
        if self.tenant_of(current_emulator(), request) is None:
            return errors.error_response(errors.INVALID_TOKEN)
        parts = [p for p in request.path.split("/") if p][1:]
        if len(parts) == 1 and parts[0] in _NEEDS_ID:
            return errors.error_response(errors.missing_path_element(1))
        return errors.error_response(errors.INVALID_METHOD)


VENDOR = Copernica()
