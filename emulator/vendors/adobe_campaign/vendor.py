"""The ``Vendor`` of Adobe Campaign Standard: what the app, the control plane and the dashboard know of it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Request, Response
from marshmallow import Schema

from ..base import Vendor
from . import errors, fixtures, model, records, routes
from .services import title as service_title
from .openapi import ERRORS, OPERATIONS
from .fixtures_schema import FixturesSchema

if TYPE_CHECKING:
    from ...state import Emulator

#: subscribers named per service in the dashboard
SUBSCRIBERS_SHOWN = 20

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

    def check_fixtures(self, emulator: Emulator, data: dict[str, Any]) -> None:
        fixtures.check(emulator.store, data)

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
        store = emulator.store
        return {"tenants": len(tenants),
                "profiles": sum(store.count(self.name, t, records.PROFILES) for t in tenants),
                "services": sum(store.count(self.name, t, records.SERVICES) for t in tenants),
                "subscriptions": sum(store.count(self.name, t, records.SUBSCRIPTIONS) for t in tenants)}

    # -- dashboard --------------------------------------------------------------------------------
    def profile_detail(self, emulator: Emulator, tenant: str, key: str) -> dict[str, Any] | None:
        """The profile as ``profileAndServicesExt`` returns it (hrefs relative to the emulator),
        and its subscriptions."""
        doc = emulator.store.get(self.name, tenant, records.PROFILES, key)
        if doc is None:
            return None
        campaign = model.Campaign(emulator.store, emulator.clock, tenant, f"/{tenant}/campaign")
        items = []
        for _, sub in campaign.subscriptions.of("profile", key):
            service = emulator.store.peek(self.name, tenant, records.SERVICES, sub["service"]) or {}
            items.append(f"{service_title(service)} · since {sub['created']}")
        return {"key": key, "title": model.title(doc) or doc["PKey"],
                "document": campaign.view(doc, "profileAndServicesExt", ext=True),
                "related": [{"title": "Subscriptions", "items": items}]}

    def tenant_related(self, emulator: Emulator, tenant: str) -> list[dict[str, Any]]:
        """The organization's services, each with its subscribers (one pass over the
        subscriptions; at most ``SUBSCRIBERS_SHOWN`` names per service)."""
        store = emulator.store
        subscribers: dict[str, list[str]] = {}
        for sub in store.search(self.name, tenant, records.SUBSCRIPTIONS):
            subscribers.setdefault(sub["service"], []).append(sub["subscriber"])
        items = []
        for service in store.search(self.name, tenant, records.SERVICES):
            keys = subscribers.get(str(service.doc_id), [])
            names = [model.title(store.peek(self.name, tenant, records.PROFILES, k) or {}) or k
                     for k in keys[:SUBSCRIBERS_SHOWN]]
            if len(keys) > SUBSCRIBERS_SHOWN:
                names.append(f"… and {len(keys) - SUBSCRIBERS_SHOWN} more")
            items.append({"title": f"{service_title(service)} · {len(keys)} subscriber"
                                   f"{'' if len(keys) == 1 else 's'}", "details": names})
        return [{"title": "Services", "items": items}]

    def base_urls(self, base_url: str, emulator: Emulator) -> dict[str, str]:
        base = base_url.rstrip("/")
        orgs = self.tenants(emulator)
        if not orgs:
            return {"Adobe Campaign Standard": f"{base}/<ORGANIZATION>/campaign"}
        return {f"Adobe Campaign ({org})": f"{base}/{org}/campaign" for org in orgs}

    def tenant_of(self, emulator: Emulator, request: Request) -> str | None:
        match = _ORG_IN_PATH.match(request.path)
        if match and records.organization(emulator.store, match.group(1)) is not None:
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
