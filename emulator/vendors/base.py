"""What the app and the control plane know about a vendor, and nothing more.

Each vendor package (``emulator/vendors/<name>/``) exposes one ``Vendor`` subclass instance
as ``VENDOR``; ``emulator/vendors/__init__.py`` lists them. The control plane seeds, exports,
resets and counts through this interface only, so it never imports a vendor's internals.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Request, Response
from marshmallow import Schema

if TYPE_CHECKING:
    from ..app import Emulator


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
