"""Control-plane routes for realism: ``/_emulator/faults`` and ``/_emulator/settings``.

Rules and settings are per vendor and tenant; the tenant must exist (seed it first), so a typo
in a tenant name is a 404 rather than a rule that silently never fires. The checks themselves
live in ``emulator/realism/api.py``, shared with the pytest handle.
"""
from __future__ import annotations

from flask import Response, jsonify, request

from ..state import current_emulator
from ..errors import EmulatorError
from ..realism import api
from .routes import _json_body, control


def _scope() -> tuple[str | None, str | None]:
    vendor, tenant = request.args.get("vendor"), request.args.get("tenant")
    unknown = set(request.args) - {"vendor", "tenant"}
    if unknown:
        raise EmulatorError(f"unknown parameter {sorted(unknown)[0]!r}; use 'vendor' and 'tenant'")
    api.check_scope(current_emulator(), vendor, tenant)
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
    response = jsonify({"fault": api.add_rule(current_emulator(), vendor, tenant, body)})
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
@control.get("/settings")
def all_settings() -> Response:
    """Every tenant's settings, defaults included, keyed by vendor and tenant."""
    return jsonify(api.all_settings(current_emulator()))


@control.put("/settings")
def put_all_settings() -> Response:
    """``{"<vendor>": {"<tenant>": {key: value|null, …}}}``: checked whole, then applied."""
    emulator = current_emulator()
    api.put_all_settings(emulator, _json_body())
    return jsonify(api.all_settings(emulator))


@control.get("/settings/<vendor>/<path:tenant>")
def tenant_settings(vendor: str, tenant: str) -> Response:
    realism = current_emulator().realism
    realism.require_tenant(vendor, tenant)
    return jsonify(realism.settings(vendor, tenant))


@control.put("/settings/<vendor>/<path:tenant>")
def put_tenant_settings(vendor: str, tenant: str) -> Response:
    """Set the keys given (``null``: back to the default); the others keep their values."""
    return jsonify(api.put_settings(current_emulator(), vendor, tenant, _json_body()))
