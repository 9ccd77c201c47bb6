"""Copernica REST API v3 (``https://api.copernica.com/v3/…``), vendor-apis.md §4.

Where things live: ``routes`` (URLs and status codes), ``model`` (what a PUT, POST or DELETE
does to the store), ``selection`` (the ``fields`` selection parameter), ``fieldtypes`` (how a
value is stored per field type), ``requestdata`` (JSON and PHP form bodies), ``schemas``
(marshmallow: fixtures, parameters, responses), ``fixtures`` (seed and export), ``errors``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Request, Response
from marshmallow import Schema

from ..base import Vendor
from . import errors, fixtures, views
from .model import VENDOR as NAME
from .model import account_for_token
from .schemas import CopernicaFixtures

if TYPE_CHECKING:
    from ...app import Emulator

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
        from .routes import copernica

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
        from .openapi import OPERATIONS

        return OPERATIONS

    def openapi_errors(self) -> dict[int | str, Any]:
        from .openapi import ERRORS

        return ERRORS

    def profiles_page(self, emulator: Emulator, tenant: str, query: str, offset: int,
                      limit: int) -> dict[str, Any]:
        return views.profiles_page(emulator, tenant, query, offset, limit)

    def profile_detail(self, emulator: Emulator, tenant: str, key: str) -> dict[str, Any] | None:
        return views.profile_detail(emulator, tenant, key)

    def tenant_of(self, emulator: Emulator, request: Request) -> str | None:
        from flask import g

        from .routes import request_token

        if "copernica_account" in g:  # already resolved by the route's authentication
            return g.copernica_account.name
        found = account_for_token(emulator.store, emulator.clock, request_token())
        return found.name if found else None

    def http_error(self, request: Request, status: int, description: str) -> Response:
        if status == 413:
            return errors.error_response(errors.BODY_TOO_LARGE)
        if status >= 500:
            return errors.error_response(errors.INTERNAL)
        from ...app import current_emulator

        if self.tenant_of(current_emulator(), request) is None:
            return errors.error_response(errors.INVALID_TOKEN)
        parts = [p for p in request.path.split("/") if p][1:]
        if len(parts) == 1 and parts[0] in _NEEDS_ID:
            return errors.error_response(errors.missing_path_element(1))
        return errors.error_response(errors.INVALID_METHOD)


VENDOR = Copernica()
