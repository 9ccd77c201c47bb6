"""Control-plane routes for realism: ``/_emulator/faults`` and ``/_emulator/settings``.

Rules and settings are per vendor and tenant; the tenant must exist (seed it first), so a typo
in a tenant name is a 404 rather than a rule that silently never fires.
"""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from marshmallow import ValidationError

from ..app import current_emulator
from ..errors import EmulatorError
from ..realism import settings as keys
from ..realism.rules import RuleSchema
from ..seeding import flatten_messages
from ..vendors import VENDORS
from .routes import _json_body, control


def _invalid(exc: ValidationError, prefix: str) -> EmulatorError:
    errors = flatten_messages(exc.messages, prefix)
    first = next(iter(errors))
    return EmulatorError(f"{first}: {' '.join(errors[first])}", errors=errors)


def _scope() -> tuple[str | None, str | None]:
    vendor, tenant = request.args.get("vendor"), request.args.get("tenant")
    unknown = set(request.args) - {"vendor", "tenant"}
    if unknown:
        raise EmulatorError(f"unknown parameter {sorted(unknown)[0]!r}; use 'vendor' and 'tenant'")
    if tenant is not None and vendor is None:
        raise EmulatorError("'tenant' needs 'vendor' too")
    if vendor is not None:
        current_emulator().realism.vendor(vendor)
    return vendor, tenant


# -- /_emulator/faults ---------------------------------------------------------------------------
@control.get("/faults")
def list_faults() -> Response:
    """Every rule (``?vendor=…&tenant=…`` narrows), with how often each matched and fired."""
    vendor, tenant = _scope()
    return jsonify({"faults": current_emulator().realism.rules(vendor, tenant)})


@control.post("/faults")
def add_fault() -> Response:
    """Add one rule: ``{"vendor", "tenant", ["method"], ["path"], "fault"|"latency", …}``."""
    body = _json_body()
    vendor, tenant = body.pop("vendor", None), body.pop("tenant", None)
    if not isinstance(vendor, str) or not isinstance(tenant, str):
        raise EmulatorError("a rule needs 'vendor' and 'tenant' (a rule is always scoped to one tenant)")
    realism = current_emulator().realism
    realism.require_tenant(vendor, tenant)
    try:
        rule = RuleSchema().load(body)
    except ValidationError as exc:
        raise _invalid(exc, "rule") from None
    response = jsonify({"fault": realism.add_rule(vendor, tenant, rule)})
    response.status_code = 201
    return response


@control.get("/faults/<rule_id>")
def get_fault(rule_id: str) -> Response:
    found = [r for r in current_emulator().realism.rules() if r["id"] == rule_id]
    if not found:
        raise EmulatorError(f"no rule with id {rule_id!r}", 404)
    return jsonify({"fault": found[0]})


@control.delete("/faults")
def delete_faults() -> Response:
    """Delete every rule (``?vendor=…&tenant=…`` narrows)."""
    vendor, tenant = _scope()
    return jsonify({"deleted": current_emulator().realism.delete_rules(vendor, tenant)})


@control.delete("/faults/<rule_id>")
def delete_fault(rule_id: str) -> Response:
    deleted = current_emulator().realism.delete_rules(rule_id=rule_id)
    if not deleted:
        raise EmulatorError(f"no rule with id {rule_id!r}", 404)
    return jsonify({"deleted": deleted})


# -- /_emulator/settings -------------------------------------------------------------------------
def _all_settings() -> dict[str, Any]:
    emulator = current_emulator()
    return {v.name: {t: emulator.realism.settings(v.name, t) for t in v.tenants(emulator)} for v in VENDORS}


@control.get("/settings")
def all_settings() -> Response:
    """Every tenant's settings, defaults included, keyed by vendor and tenant."""
    return jsonify(_all_settings())


@control.put("/settings")
def put_all_settings() -> Response:
    """``{"<vendor>": {"<tenant>": {key: value|null, …}}}``: checked whole, then applied."""
    body = _json_body()
    realism = current_emulator().realism
    checked: list[tuple[str, str, dict[str, Any]]] = []
    for vendor, tenants in body.items():
        if not isinstance(tenants, dict):
            raise EmulatorError(f"{vendor}: an object of tenant: settings")
        found = realism.vendor(vendor)
        for tenant, values in tenants.items():
            realism.require_tenant(vendor, tenant)
            checked.append((vendor, tenant, _load_settings(found, values, f"{vendor}.{tenant}")))
    with current_emulator().store.transaction():
        for vendor, tenant, values in checked:
            realism.update(vendor, tenant, values)
    return jsonify(_all_settings())


@control.get("/settings/<vendor>/<path:tenant>")
def tenant_settings(vendor: str, tenant: str) -> Response:
    realism = current_emulator().realism
    realism.require_tenant(vendor, tenant)
    return jsonify(realism.settings(vendor, tenant))


@control.put("/settings/<vendor>/<path:tenant>")
def put_tenant_settings(vendor: str, tenant: str) -> Response:
    """Set the keys given (``null``: back to the default); the others keep their values."""
    realism = current_emulator().realism
    found = realism.require_tenant(vendor, tenant)
    realism.update(vendor, tenant, _load_settings(found, _json_body(), "settings"))
    return jsonify(realism.settings(vendor, tenant))


def _load_settings(vendor, values: Any, prefix: str) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise EmulatorError(f"{prefix or 'settings'}: must be an object of settings keys")
    try:
        return keys.schema(vendor).load(values)
    except ValidationError as exc:
        raise _invalid(exc, prefix) from None
