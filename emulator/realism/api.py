"""Realism's operations as plain calls, checked the same way wherever they come from: the
control plane (``emulator/control/realism.py``) and the pytest handle use these."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import ValidationError

from ..errors import EmulatorError, flatten_messages
from . import settings as keys
from .rules import RuleSchema

if TYPE_CHECKING:
    from ..state import Emulator


def invalid(exc: ValidationError, prefix: str) -> EmulatorError:
    """A 400 naming the first bad key (``rule.fault.status: …``), with all of them in ``errors``."""
    errors = flatten_messages(exc.messages, prefix)
    first = next(iter(errors))
    return EmulatorError(f"{first}: {' '.join(errors[first])}", errors=errors)


def add_rule(emulator: Emulator, vendor: Any, tenant: Any, spec: Any) -> dict[str, Any]:
    """Check and add one rule to a tenant; the rule as stored, with its vendor and tenant."""
    if not isinstance(vendor, str) or not isinstance(tenant, str):
        raise EmulatorError("a rule needs 'vendor' and 'tenant' (a rule is always scoped to one tenant)")
    if not isinstance(spec, dict):
        raise EmulatorError("a rule must be a JSON object")
    emulator.realism.require_tenant(vendor, tenant)
    try:
        rule = RuleSchema().load(spec)
    except ValidationError as exc:
        raise invalid(exc, "rule") from None
    return emulator.realism.add_rule(vendor, tenant, rule)


def check_scope(emulator: Emulator, vendor: str | None, tenant: str | None) -> None:
    if tenant is not None and vendor is None:
        raise EmulatorError("'tenant' needs 'vendor' too")
    if vendor is not None:
        emulator.realism.vendor(vendor)


def load_settings(emulator: Emulator, vendor: str, tenant: str, values: Any, prefix: str = "settings") -> dict:
    """Check a settings object for one tenant (which must exist); the values as loaded."""
    found = emulator.realism.require_tenant(vendor, tenant)
    if not isinstance(values, dict):
        raise EmulatorError(f"{prefix}: must be an object of settings keys")
    try:
        return keys.schema(found).load(values)
    except ValidationError as exc:
        raise invalid(exc, prefix) from None


def put_settings(emulator: Emulator, vendor: str, tenant: str, values: Any) -> dict[str, Any]:
    """Change the keys given (``None``: back to the default); every key of the tenant after."""
    emulator.realism.update(vendor, tenant, load_settings(emulator, vendor, tenant, values))
    return emulator.realism.settings(vendor, tenant)


def put_all_settings(emulator: Emulator, document: Any) -> None:
    """``{"<vendor>": {"<tenant>": {…}}}``: checked whole, then applied."""
    if not isinstance(document, dict):
        raise EmulatorError("settings must be an object of vendor: {tenant: settings}")
    checked: list[tuple[str, str, dict[str, Any]]] = []
    for vendor, tenants in document.items():
        emulator.realism.vendor(vendor)
        if not isinstance(tenants, dict):
            raise EmulatorError(f"{vendor}: an object of tenant: settings")
        for tenant, values in tenants.items():
            checked.append((vendor, tenant, load_settings(emulator, vendor, tenant, values, f"{vendor}.{tenant}")))
    with emulator.store.transaction():
        for vendor, tenant, values in checked:
            emulator.realism.update(vendor, tenant, values)


def all_settings(emulator: Emulator) -> dict[str, dict[str, Any]]:
    return {v.name: {t: emulator.realism.settings(v.name, t) for t in v.tenants(emulator)}
            for v in emulator.vendors}
