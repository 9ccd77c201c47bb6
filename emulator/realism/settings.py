"""Per-tenant settings: the keys, their defaults, and the schema that checks them.

Every tenant of every vendor has the generic keys (``daily_call_limit``, ``faults``); a vendor
adds its own through ``Vendor.settings_fields()`` (Copernica: ``list_limit_max``,
``max_body_bytes``, ``async_delay``). The same schema checks ``PUT /_emulator/settings/…``
and the ``settings`` object a vendor accepts in its fixtures, so both name a bad key the same
way. ``null`` sets a key back to its default; only keys that differ from their default are
stored and exported, so a tenant nobody configured exports no settings at all.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from .rules import RuleSchema

if TYPE_CHECKING:
    from ..vendors.base import Vendor


@dataclass(frozen=True)
class Setting:
    """One per-tenant settings key: how it is checked, its default, and what it does."""

    field: fields.Field
    default: Any
    doc: str
    #: kept by the vendor in its own state (``Vendor.read_settings``/``write_settings``) and
    #: written in its fixtures its own way, e.g. Adobe Target's client-level ``propagation_delay``
    vendor_stored: bool = False


def _unique_ids(rules: list[dict[str, Any]] | None) -> None:
    ids = [r["id"] for r in rules or []]
    if len(ids) != len(set(ids)):
        raise ValidationError("Two rules cannot share an id.")


GENERIC: dict[str, Setting] = {
    "daily_call_limit": Setting(
        fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0)), None,
        "calls the tenant may make per rolling 24 hours on the emulator's clock (null: no limit); "
        "a call over it gets the vendor's throttling answer"),
    "faults": Setting(
        fields.List(fields.Nested(RuleSchema), allow_none=True, validate=_unique_ids), [],
        "fault and latency rules of the tenant (see /_emulator/faults)"),
}


def keys_of(vendor: Vendor) -> dict[str, Setting]:
    return {**GENERIC, **vendor.settings_fields()}


def defaults(vendor: Vendor) -> dict[str, Any]:
    return {name: copy.deepcopy(s.default) for name, s in keys_of(vendor).items()}


_schema_classes: dict[tuple[str, bool], type[Schema]] = {}


def settings_schema(vendor_name: str, own: dict[str, Setting], fixtures: bool = False) -> Schema:
    """Checks a settings object of a vendor whose own keys are ``own`` (every key optional;
    unknown keys refused, by name). In ``fixtures`` the keys the vendor stores itself are left
    out: its fixtures have them already. Vendors call this from their fixtures schemas with
    their own keys, so they need no ``Vendor`` object (which imports their schemas)."""
    cls = _schema_classes.get((vendor_name, fixtures))
    if cls is None:
        declared = {name: copy.deepcopy(s.field) for name, s in {**GENERIC, **own}.items()
                    if not (fixtures and s.vendor_stored)}
        for item in declared.values():
            item.allow_none = True
        cls = Schema.from_dict(declared, name=f"{vendor_name.title().replace('_', '')}Settings")
        _schema_classes[(vendor_name, fixtures)] = cls
    return cls(unknown=RAISE)


def schema(vendor: Vendor, fixtures: bool = False) -> Schema:
    """``settings_schema`` of a registered vendor."""
    return settings_schema(vendor.name, vendor.settings_fields(), fixtures)


def vendor_stored(vendor: Vendor) -> set[str]:
    return {name for name, s in vendor.settings_fields().items() if s.vendor_stored}


def explicit(vendor: Vendor, values: dict[str, Any]) -> dict[str, Any]:
    """Only the keys that differ from their defaults (``null`` counts as the default)."""
    base = defaults(vendor)
    return {k: v for k, v in values.items() if v is not None and v != base.get(k)}
