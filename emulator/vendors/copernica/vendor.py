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
from .errors import CopernicaError
from .model import Account, account_for_token
from .openapi import ERRORS, OPERATIONS
from . import routes, subprofile_routes  # noqa: F401  (their views register on the blueprint)
from .web import copernica, request_token
from .settings import SETTINGS
from .settings import VENDOR as NAME
from .schemas import CopernicaFixtures
from .subprofiles import Collections

if TYPE_CHECKING:
    from ...state import Emulator

#: resources whose first path element needs an ID after it
_NEEDS_ID = {"database", "profile", "collection", "subprofile", "field", "interest"}  # and minicondition


class Copernica(Vendor):
    name = NAME
    title = "Copernica REST API v3"
    profile_key_name = "ID"
    #: Copernica writes its times in the Netherlands' local time (vendor-apis.md §4)
    wire_time_zone = "Europe/Amsterdam"
    hostnames = ("api.copernica.com",)
    path_pattern = re.compile(r"^/v[23](/|$)")
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
        """The path as Copernica reads it (vendor-apis.md §4.1, rmuit's ApiBehaviorTest):
        trailing slashes are ignored, and so are doubled slashes after an entity's ID
        (``profile/5/fields//bogus``); up to the ID an empty component counts, so
        ``database//1`` names the database "" (and fails), not database 1."""
        parts = path.rstrip("/").split("/")
        if len(parts) < 3:
            return "/".join(parts) or "/"
        rest = parts[2:]  # after "", "v3"
        while len(rest) > 1 and rest[0] == "":
            rest.pop(0)  # "/v3//profile/1" is "/v3/profile/1"
        return "/".join(parts[:2] + rest[:2] + [p for p in rest[2:] if p])

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
        return {"Copernica REST v3": f"{base_url}/v3", "Copernica REST v2": f"{base_url}/v2"}

    def openapi_operations(self) -> dict[str, Any]:
        return OPERATIONS

    def openapi_documents(self, rule: str) -> bool:
        """/v3 only: /v2 is the same routes with v2's success statuses (docs/copernica.md), and
        the ``<path:_ignored>`` rules only take the extra components the live API ignores."""
        return rule.startswith("/v3/") and "_ignored" not in rule

    def openapi_errors(self) -> dict[int | str, Any]:
        return ERRORS

    def profiles_page(self, emulator: Emulator, tenant: str, query: str, offset: int,
                      limit: int) -> dict[str, Any]:
        return views.profiles_page(emulator, tenant, query, offset, limit)

    def profile_read(self, emulator: Emulator, tenant: str, key: str, base_url: str) -> dict[str, Any] | None:
        return views.profile_read(emulator, tenant, key, base_url)

    def profile_detail(self, emulator: Emulator, tenant: str, key: str, base_url: str) -> dict[str, Any] | None:
        read = views.profile_read(emulator, tenant, key, base_url)
        return None if read is None else {"key": key, "title": views.profile_title(emulator, tenant, key), **read,
                                          "related": views.profile_related(emulator, tenant, key)}

    def tenant_of(self, emulator: Emulator, request: Request) -> str | None:
        account = g.get("copernica_account")  # already resolved by the route's authentication
        if account is not None:
            return account.name
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
        emulator = current_emulator()
        found = account_for_token(emulator.store, emulator.clock, request_token())
        if found is None:
            return errors.error_response(errors.INVALID_TOKEN)
        return errors.error_response(unrouted_message(found, request.method, request.path))


def unrouted_message(account: Account, method: str, path: str) -> str:
    """Copernica's message for a path no route takes, in the order the live API checks
    (rmuit's ApiBehaviorTest, §4.2, §4.10): a missing ID first, then the validity of the ID
    (whatever follows it), then a removed entity's DELETE, then the path itself."""
    parts = path.split("/")[2:]  # without the version; an empty ID is a component (canonical_path)
    if not parts:
        return errors.INVALID_METHOD
    head = parts[0]
    if len(parts) == 1:
        needs_id = head in _NEEDS_ID or (head == "minicondition" and method != "GET")
        return errors.missing_path_element(1) if needs_id else errors.INVALID_METHOD
    collections = Collections(account)
    try:
        if head == "database":
            account.database(parts[1])
        elif head == "collection":
            collections.collection(parts[1])
        elif head == "profile":
            if account.profile(parts[1])["removed"] is not False and method == "DELETE":
                return errors.ALREADY_REMOVED
            if parts[2:] == ["subprofiles"] and method != "DELETE":
                return errors.missing_path_element(3)
        elif head == "subprofile":
            if collections.subprofile(parts[1])["removed"] is not False and method == "DELETE":
                return errors.SUBPROFILE_ALREADY_REMOVED
    except CopernicaError as exc:
        return exc.message
    return errors.INVALID_METHOD


VENDOR = Copernica()
