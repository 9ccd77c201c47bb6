"""The ``Vendor`` of Adobe Campaign Standard: what the app, the control plane and the dashboard know of it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Request, Response
from marshmallow import Schema

from ..base import Vendor
from . import errors, fixtures, model, routes
from .openapi import ERRORS, OPERATIONS
from .schemas import FixturesSchema

if TYPE_CHECKING:
    from ...state import Emulator

_ORG_IN_PATH = re.compile(r"^/(?!_emulator(?:/|$))([^/]+)/campaign(?:/|$)")


class AdobeCampaign(Vendor):
    name = "adobe_campaign"
    title = "Adobe Campaign Standard"
    hostnames = ("mc.adobe.io",)
    path_pattern = _ORG_IN_PATH
    servers = ({"url": "https://mc.adobe.io", "description": "Adobe Campaign Standard (the real API)"},)
    security_schemes = {"adobeIoToken": {"type": "http", "scheme": "bearer", "description": "an IMS access token"},
                        "adobeIoApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}
    security = [{"adobeIoToken": [], "adobeIoApiKey": []}]
    profile_columns = ("firstName", "lastName", "email", "lastModified", "PKey")

    def openapi_operations(self) -> dict:
        return OPERATIONS

    def openapi_errors(self) -> dict:
        return ERRORS

    def blueprint(self) -> Blueprint:
        return routes.make_blueprint()

    def fixtures_schema(self) -> Schema:
        return FixturesSchema()

    def load_fixtures(self, emulator: Emulator, data: dict[str, Any]) -> None:
        with emulator.store.transaction():
            for organization in data.get("organizations") or []:
                fixtures.load_organization(emulator.store, emulator.clock, organization)
                if "settings" in organization:
                    emulator.realism.update(self.name, organization["id"], organization["settings"], replace=True)

    def export_fixtures(self, emulator: Emulator) -> dict[str, Any]:
        organizations = [fixtures.export_organization(emulator.store, org) for org in self.tenants(emulator)]
        for organization in organizations:
            settings = emulator.realism.stored(self.name, organization["id"])
            if settings:
                organization["settings"] = settings
        return {"organizations": organizations}

    def counts(self, emulator: Emulator) -> dict[str, int]:
        tenants = self.tenants(emulator)
        return {"tenants": len(tenants),
                "profiles": sum(emulator.store.count(self.name, t, model.PROFILES) for t in tenants)}

    def base_urls(self, base_url: str, emulator: Emulator) -> dict[str, str]:
        base = base_url.rstrip("/")
        orgs = self.tenants(emulator)
        if not orgs:
            return {"Adobe Campaign Standard": f"{base}/<ORGANIZATION>/campaign"}
        return {f"Adobe Campaign ({org})": f"{base}/{org}/campaign" for org in orgs}

    def tenant_of(self, emulator: Emulator, request: Request) -> str | None:
        match = _ORG_IN_PATH.match(request.path)
        if match and model.organization(emulator.store, match.group(1)) is not None:
            return match.group(1)
        return None

    def fault_response(self, request: Request, kind: str, status: int | None = None,
                       message: str | None = None) -> Response:
        """Adobe I/O's throttling answer (429 ``429050``) for a quota or a 429; its credential
        errors for a bare 401 or 403; Campaign's generic ``RST-360011`` for a 500; otherwise the
        ``{"code", "message"}`` body of the Adobe gateway's 5xx (503 by default), with the
        status's reason phrase unless the rule gives a message."""
        code = 429 if kind == "quota" else (status or 503)
        if code == 429:
            return errors.GatewayError(429, "429050", message or "Too many requests").render()
        if message is None and code == 401:
            return errors.invalid_token().render()
        if message is None and code == 403:
            return errors.invalid_api_key().render()
        if message is None:
            message = errors.RST if code == 500 else errors.status_line(code).partition(" ")[2] or "Error"
        return errors.CampaignError(message, code).render()

    def http_error(self, request: Request, status: int, description: str) -> Response:
        return routes.http_error(status, description)


VENDOR = AdobeCampaign()
