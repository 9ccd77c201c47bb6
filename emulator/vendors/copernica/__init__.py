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
from marshmallow import fields as mf
from marshmallow import validate

from ...realism.settings import Setting
from ..base import Vendor
from . import errors, fixtures, views
from .model import VENDOR as NAME
from .model import account_for_token
from .schemas import MAX_LIMIT, CopernicaFixtures

if TYPE_CHECKING:
    from ...app import Emulator

#: resources whose first path element needs an ID after it
_NEEDS_ID = {"database", "profile", "collection", "subprofile", "field", "interest"}
_SLASHES = re.compile(r"/{2,}")

#: Copernica's own per-account settings (emulator/realism/settings.py has the generic ones)
SETTINGS = {
    "list_limit_max": Setting(
        mf.Integer(strict=True, validate=validate.Range(min=1)), MAX_LIMIT,
        "largest page of a list (`limit` above it is cut to it); the v3 docs say 1000"),
    "max_body_bytes": Setting(
        mf.Integer(strict=True, validate=validate.Range(min=1)), 10 * 1024 * 1024,
        "largest request body; a larger one gets 400 `Request body too large`"),
    "async_delay": Setting(
        mf.Float(validate=validate.Range(min=0, max=30 * 24 * 3600)), 0.0,
        "seconds on the emulator's clock before an `async=1` update is applied"),
}


class Copernica(Vendor):
    name = NAME
    title = "Copernica REST API v3"
    profile_key_name = "ID"
    #: Copernica writes its times in the Netherlands' local time (vendor-apis.md §4)
    wire_time_zone = "Europe/Amsterdam"
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

    def profile_read(self, emulator: Emulator, tenant: str, key: str, base_url: str) -> dict[str, Any] | None:
        return views.profile_read(emulator, tenant, key, base_url)

    def profile_detail(self, emulator: Emulator, tenant: str, key: str, base_url: str) -> dict[str, Any] | None:
        read = views.profile_read(emulator, tenant, key, base_url)
        return None if read is None else {"key": key, "title": views.profile_title(emulator, tenant, key), **read}

    def tenant_of(self, emulator: Emulator, request: Request) -> str | None:
        from flask import g

        from .routes import request_token

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
        from ...app import current_emulator

        if self.tenant_of(current_emulator(), request) is None:
            return errors.error_response(errors.INVALID_TOKEN)
        parts = [p for p in request.path.split("/") if p][1:]
        if len(parts) == 1 and parts[0] in _NEEDS_ID:
            return errors.error_response(errors.missing_path_element(1))
        return errors.error_response(errors.INVALID_METHOD)


VENDOR = Copernica()
