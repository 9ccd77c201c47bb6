"""What the app and the control plane know about a vendor, and nothing more.

Each vendor package (``emulator/vendors/<name>/``) exposes one ``Vendor`` subclass instance
as ``VENDOR``; ``emulator/vendors/__init__.py`` lists them. The control plane seeds, exports,
resets and counts through this interface only, so it never imports a vendor's internals.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Request, Response
from marshmallow import Schema
from werkzeug.http import HTTP_STATUS_CODES

from ..openapi import Answer, Operation

if TYPE_CHECKING:
    from ..realism.settings import Setting
    from ..state import Emulator

#: characters of a document's JSON shown in the dashboard's default profile table
SUMMARY_CHARS = 160


class Vendor:
    #: the fixtures key and the store namespace, e.g. ``"copernica"``
    name: str = ""
    #: shown in the CLI banner and health
    title: str = ""
    #: the real hostnames of the emulated APIs (for in-process interception)
    hostnames: tuple[str, ...] = ()
    #: request paths that belong to this vendor, even when no route of it matches
    path_pattern: re.Pattern[str] = re.compile(r"(?!)")

    def blueprint(self) -> Blueprint:
        raise NotImplementedError

    # -- fixtures ----------------------------------------------------------------------------
    def fixtures_schema(self) -> Schema:
        """A marshmallow schema for this vendor's section of a fixtures document.

        It must reject unknown keys (``unknown=RAISE``) so that ``seed`` can name them.
        """
        raise NotImplementedError

    def check_fixtures(self, emulator: Emulator, data: dict[str, Any]) -> None:
        """Refuse (``EmulatorError``) a validated section that conflicts with the current state,
        before any section of the document is applied."""

    def load_fixtures(self, emulator: Emulator, data: dict[str, Any]) -> None:
        """Apply an already validated section (adds or replaces what it names)."""
        raise NotImplementedError

    def export_fixtures(self, emulator: Emulator) -> dict[str, Any]:
        """The vendor's whole state as a fixtures section that ``load_fixtures`` takes back."""
        raise NotImplementedError

    # -- control plane -----------------------------------------------------------------------
    def reset(self, emulator: Emulator, tenant: str | None = None) -> None:
        emulator.store.drop(self.name, tenant)

    def tenants(self, emulator: Emulator) -> list[str]:
        return emulator.store.tenants(self.name)

    def counts(self, emulator: Emulator) -> dict[str, int]:
        return {"tenants": len(self.tenants(emulator))}

    def base_urls(self, base_url: str, emulator: Emulator) -> dict[str, str]:
        """Ready-to-paste base URLs of the emulated API, for the CLI banner."""
        return {}

    # -- dashboard: any vendor's profiles, vendor-agnostically -------------------------------
    #: the store collection that holds the vendor's profiles, keyed by the vendor's profile key
    profile_collection: str = "profiles"

    def tenant_summaries(self, emulator: Emulator) -> list[dict[str, Any]]:
        """``[{"tenant", "profiles"}]``: what the dashboard lists per vendor. Counting is O(1)
        per tenant, so the dashboard can poll it."""
        store = emulator.store
        return [{"tenant": t, "profiles": store.count(self.name, t, self.profile_collection)}
                for t in self.tenants(emulator)]

    #: the fields (dotted paths into the stored document) the default profile table shows and
    #: searches; empty: the whole document as compact JSON
    profile_columns: tuple[str, ...] = ()

    def profiles_page(self, emulator: Emulator, tenant: str, query: str, offset: int,
                      limit: int) -> dict[str, Any]:
        """One page of a tenant's profiles: ``{"total", "columns", "rows": [{"key", "cells"}]}``.

        Server-side paging: only the page's rows are rendered, so a page costs the same at
        100,000 profiles as at 100 (a ``query`` scans them all, once). The default shows
        ``profile_columns`` (or each stored document as compact JSON) and searches that text
        case-insensitively; a vendor overrides it to show what its users know."""
        store, collection = emulator.store, self.profile_collection
        columns = list(self.profile_columns) or ["document"]

        def cells(key: str, doc: Any) -> dict[str, str]:
            if not self.profile_columns:
                return {"key": key, "document": _json(doc)[:SUMMARY_CHARS]}
            return {"key": key, **{c: _text(_dig(doc, c)) for c in columns}}

        if query:
            needle = query.casefold()
            found = store.search(self.name, tenant, collection, lambda d: any(
                needle in v.casefold() for v in cells("", d).values()))
            page: list[tuple[Any, Any]] = [(d.doc_id, d) for d in found[offset:offset + limit]]
            total, docs = len(found), page
        else:
            total, docs = store.page(self.name, tenant, collection, offset, limit)
        rows = [{"key": str(k), "cells": cells(str(k), d)} for k, d in docs if d is not None]
        return {"total": total, "columns": ["key", *columns], "rows": rows}

    def profile_detail(self, emulator: Emulator, tenant: str, key: str) -> dict[str, Any] | None:
        """``{"key", "title", "document"}`` for one profile, ``document`` in the vendor's wire
        shape where the vendor can render it; None when there is no such profile. A vendor may
        add ``"related"``: what belongs to the profile, shown under the document, each either a
        short list ``{"title", "items": [str]}`` (a Campaign profile's subscriptions) or a table
        ``{"title", "columns", "rows": [{"key", "cells"}]}`` like a page (Copernica's subprofiles)."""
        doc = emulator.store.get(self.name, tenant, self.profile_collection, key)
        return None if doc is None else {"key": key, "title": key, "document": doc}

    def tenant_related(self, emulator: Emulator, tenant: str) -> list[dict[str, Any]]:
        """What a tenant holds besides profiles, for the dashboard: ``[{"title", "items":
        [{"title", "details": [str]}]}]`` (Campaign's services, each with its subscribers).
        Empty for a vendor with nothing more to show."""
        return []

    def profile_history(self, emulator: Emulator, tenant: str, key: str) -> list[dict[str, Any]]:
        """The profile's changes, oldest first: which request changed which field, before →
        after (``changelog.Change.to_json``). Empty when the change log is off."""
        changes = emulator.store.changes
        if changes is None:
            return []
        table = f"{self.name}/{tenant}/{self.profile_collection}"
        return [c.to_json() for c in changes.history(table, str(key))]

    # -- OpenAPI -------------------------------------------------------------------------------
    #: the real vendor's servers, as OpenAPI server objects (``emulator/openapi.py``)
    servers: tuple[dict[str, Any], ...] = ()

    #: OpenAPI security schemes by name, and the requirement every operation of the vendor has
    security_schemes: dict[str, dict[str, Any]] = {}
    security: list[dict[str, list[str]]] | None = None

    def openapi_errors(self) -> dict[int | str, Any]:
        """The answers any route of the vendor may give besides its own (``openapi.Answer`` by
        status): its error bodies. The default promises nothing about them."""
        return {"default": Answer("any other answer of the vendor", content_type=None)}

    def openapi_documents(self, rule: str) -> bool:
        """Whether the OpenAPI document lists this URL rule; False for twins of documented
        routes (another API version with other statuses, a rule that only swallows extra path
        components), which the vendor's docs page describes instead."""
        return True

    def openapi_operations(self) -> dict[str, Operation]:
        """Descriptions of the vendor's routes by Flask endpoint name (``"copernica.profile"``),
        with the marshmallow schemas of their parameters, bodies and answers. A route left out
        is still described (the generator walks ``app.url_map``), just without schemas."""
        return {}

    # -- requests ------------------------------------------------------------------------------
    def tenant_of(self, emulator: Emulator, request: Request) -> str | None:
        """The tenant a request addresses (an account, organization or client code), as the
        vendor would resolve it, or None when it names none that exists. Used by the request
        journal and the realism rules, which are scoped by vendor and tenant."""
        return None

    # -- answers for requests no route of the vendor handled ---------------------------------
    def canonical_path(self, path: str) -> str:
        """The path the vendor's router sees (e.g. with doubled slashes merged), applied
        before routing so that werkzeug never answers with a redirect the vendor doesn't send."""
        return path

    def owns(self, path: str) -> bool:
        return bool(self.path_pattern.match(path))

    def http_error(self, request: Request, status: int, description: str) -> Response:
        """The vendor's answer to an HTTP-level error: no such route (404), wrong method (405),
        a body over the size limit (413), or a bug in the emulator (500)."""
        raise NotImplementedError

    # -- realism (emulator/realism/): per-tenant settings, injected faults, quotas ---------------
    def settings_fields(self) -> dict[str, Setting]:
        """The vendor's own per-tenant settings keys, beside the generic ``daily_call_limit``
        and ``faults``. A vendor that lists ``daily_call_limit`` here enforces it itself (with
        ``emulator.realism.take_call``) and the realism hook leaves its calls uncounted."""
        return {}

    def read_settings(self, emulator: Emulator, tenant: str) -> dict[str, Any]:
        """The current values of the settings keys the vendor stores itself (``vendor_stored``)."""
        return {}

    def write_settings(self, emulator: Emulator, tenant: str, values: dict[str, Any]) -> None:
        """Change settings keys the vendor stores itself (already checked; None: the default)."""
        raise NotImplementedError

    def fault_response(self, request: Request, kind: str, status: int | None = None,
                       message: str | None = None) -> Response:
        """The vendor's own answer for an injected fault.

        ``kind`` is ``"error"`` (an HTTP error with ``status``, or the vendor's usual transient
        error when ``status`` is None; ``message`` where the vendor's error body has one) or
        ``"quota"`` (the vendor's answer to a client over its call quota). This default, for a
        vendor that documents neither, is the status line as plain text (503, or 429 for a quota).
        """
        code = status or (429 if kind == "quota" else 503)
        text = message or f"{code} {HTTP_STATUS_CODES.get(code, 'Error')}"
        return Response(text + "\n", status=code, mimetype="text/plain")

class Registry:
    """The vendors one emulator serves, in the order the CLI banner lists them.

    Handed to the ``Emulator`` (``state.py``) by the app factory, so the layers below the
    vendors (seeding, realism, the journal's hooks) reach them without importing them."""

    def __init__(self, vendors: Iterable[Vendor]):
        self._vendors = tuple(vendors)
        self._by_name = {v.name: v for v in self._vendors}

    def __iter__(self) -> Iterator[Vendor]:
        return iter(self._vendors)

    def __len__(self) -> int:
        return len(self._vendors)

    def __getitem__(self, name: str) -> Vendor:
        return self._by_name[name]

    def named(self, name: object) -> Vendor | None:
        """The vendor of that name; None for any other value (a request may send anything)."""
        return self._by_name.get(name) if isinstance(name, str) else None

    def for_path(self, path: str) -> Vendor | None:
        """The vendor that owns a request path, if any."""
        for vendor in self._vendors:
            if vendor.owns(path):
                return vendor
        return None

    def names(self) -> str:
        """``"adobe_campaign, adobe_target, copernica"``, for error messages."""
        return ", ".join(self._by_name)


def _json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str)


def _dig(doc: Any, path: str) -> Any:
    for part in path.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else _json(value)
