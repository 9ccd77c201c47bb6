"""The ``adobe_campaign`` section of a fixtures document (fixtures-format.md): its marshmallow
schemas. Records are in the vendor's wire shape, server-made values may be given or are made,
derived ones (``href``, ``title``, ``age``…) are accepted and ignored, so a GET answer can be
pasted in. References between records (a subscription's service and subscriber, a profile's
unit) are checked against the state in ``fixtures.check``, before anything is applied.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

from ...realism.settings import settings_schema
from .pkeys import PKEY_RE
from .resources import ORG_UNIT_FIELDS, SERVICE_FIELDS, SERVICE_STORED
from .schemas import (CUSTOM_TYPES, DERIVED, SERVER_MADE, FieldSpec, check_value, parse_datetime,
                      resource_fields, specs_of)

PKEY_MESSAGE = "a PKey is '@' followed by letters, digits, '-' or '_'"
STAMP_MESSAGE = "expected Campaign's timestamp form '2019-09-26 11:49:48.817Z', or \"\""


class CustomFieldSchema(Schema):
    """A ``cus*`` field of an organization's extended profile (the documented optional key)."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True)
    type = fields.String(required=True)
    length = fields.Integer(load_default=None)
    label = fields.String(load_default=None)

    @validates_schema
    def _check(self, data: dict[str, Any], **kw: Any) -> None:
        if not re.fullmatch(r"cus[A-Za-z0-9_]+", data["name"]):
            raise ValidationError("a custom field's name starts with 'cus' and has only letters, "
                                  "digits and '_'", "name")
        if data["type"] not in CUSTOM_TYPES:
            raise ValidationError(f"one of: {', '.join(CUSTOM_TYPES)}", "type")
        if data.get("length") is not None and (data["type"] != "string" or data["length"] < 1):
            raise ValidationError("only a string field has a length (≥ 1)", "length")


def _pkey_problem(value: Any) -> list[str] | None:
    return None if isinstance(value, str) and PKEY_RE.match(value) else [PKEY_MESSAGE]


def _link_problem(value: Any, keys: tuple[str, ...], what: str) -> list[str] | None:
    """A link to another record: ``{"PKey": …}`` (or ``{"name": …}`` where ``keys`` allows),
    other keys of a pasted link (``href``, ``title``…) ignored."""
    if not isinstance(value, dict) or not any(isinstance(value.get(k), str) for k in keys):
        return [f"a {what} is named by " + " or ".join(f'{{"{k}": …}}' for k in keys)]
    if "PKey" in value:
        return _pkey_problem(value["PKey"])
    return None


def check_fixture_profile(profile: Any, custom: tuple[FieldSpec, ...]) -> dict[str, list[str]]:
    """Errors of one fixtures profile, by key: the wire shape, with server-made values allowed
    and derived ones (``age``, ``href``…) accepted and ignored."""
    if not isinstance(profile, dict):
        return {"_schema": ["a profile is a JSON object in the vendor's wire shape"]}
    specs = {s.name: s for s in resource_fields(custom, ext=True)}
    problems: dict[str, list[str]] = {}
    for key, value in profile.items():
        spec = specs.get(key)
        found: list[str] | None = None
        if spec is None:
            found = ["Unknown field." if not key.startswith("cus") else
                     "Unknown field: declare it in the organization's custom_fields."]
        elif key == "PKey":
            found = _pkey_problem(value)
        elif key in DERIVED:
            continue
        elif key == "orgUnit":
            found = None if value is None else _link_problem(value, ("PKey", "name"), "unit")
        elif key == "cryptedId":
            found = None if isinstance(value, str) else ["a cryptedId is a string"]
        elif key in SERVER_MADE:
            if not isinstance(value, str) or parse_datetime(value) is None:
                found = [STAMP_MESSAGE]
        else:
            found = _value_problem(spec, value)
        if found:
            problems[key] = found
    return problems


def _value_problem(spec: FieldSpec, value: Any) -> list[str] | None:
    try:
        check_value(spec, value)
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return None


def _record_problems(record: Any, what: str, specs: dict[str, FieldSpec], stored: tuple[str, ...],
                     required: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """A service or unit: stored values checked as the API checks them (``created`` and
    ``lastModified`` as timestamps), derived ones ignored, unknown keys named."""
    if not isinstance(record, dict):
        return {"_schema": [f"a {what} is a JSON object in the vendor's wire shape"]}
    problems: dict[str, list[str]] = {}
    for name in required:
        if not isinstance(record.get(name), str) or not record[name]:
            problems[name] = ["Missing data for required field."]
    for key, value in record.items():
        spec = specs.get(key)
        found: list[str] | None = None
        if spec is None:
            found = ["Unknown field."]
        elif key == "PKey":
            found = _pkey_problem(value)
        elif key not in stored:
            continue
        elif key in ("created", "lastModified"):
            found = None if isinstance(value, str) and parse_datetime(value) else [STAMP_MESSAGE]
        else:
            found = _value_problem(FieldSpec(**{**spec.__dict__, "writable": True}), value)
        if found:
            problems[key] = found
    return problems


SERVICE_SPECS = {f.name: f for f in SERVICE_FIELDS}
UNIT_SPECS = {**{f.name: f for f in ORG_UNIT_FIELDS},
              "parent": FieldSpec("parent", "string", 64, label="Parent")}
UNIT_STORED = ("PKey", "name", "label", "desc", "parent", "created", "lastModified")
SUBSCRIPTION_KEYS = ("PKey", "created", "service", "subscriber", "href", "serviceName", "email",
                     "expirationDate", "metadata")


def check_subscription(record: Any) -> dict[str, list[str]]:
    if not isinstance(record, dict):
        return {"_schema": ['a subscription is {"service": {…}, "subscriber": {"PKey": …}}']}
    problems: dict[str, list[str]] = {}
    for key in record:
        if key not in SUBSCRIPTION_KEYS:
            problems[key] = ["Unknown field."]
    found = _link_problem(record.get("service"), ("PKey", "name"), "service")
    if found:
        problems["service"] = found
    found = _link_problem(record.get("subscriber"), ("PKey",), "subscriber")
    if found:
        problems["subscriber"] = found
    if "PKey" in record and _pkey_problem(record["PKey"]):
        problems["PKey"] = [PKEY_MESSAGE]
    if "created" in record and not (isinstance(record["created"], str) and parse_datetime(record["created"])):
        problems["created"] = [STAMP_MESSAGE]
    return problems


class OrganizationSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(required=True)
    access_token = fields.String(load_default=None)
    api_key = fields.String(load_default=None)
    custom_fields = fields.List(fields.Nested(CustomFieldSchema), load_default=None)
    orgUnits = fields.List(fields.Raw(), load_default=list)
    profiles = fields.List(fields.Raw(), load_default=list)
    services = fields.List(fields.Raw(), load_default=list)
    subscriptions = fields.List(fields.Raw(), load_default=list)
    #: optional realism settings (faults, daily_call_limit; emulator/realism/settings.py)
    settings = fields.Nested(lambda: settings_schema("adobe_campaign", {}, fixtures=True))

    @validates_schema
    def _check(self, data: dict[str, Any], **kw: Any) -> None:
        if not re.fullmatch(r"[A-Za-z0-9@._~-]+", data["id"]) or data["id"].startswith("_"):
            raise ValidationError("an organization id is a URL path segment: letters, digits, "
                                  "'@', '.', '_', '~', '-', not starting with '_'", "id")
        names = [c["name"] for c in data.get("custom_fields") or []]
        if len(set(names)) != len(names):
            raise ValidationError("custom field names must be unique", "custom_fields")
        custom = specs_of(data.get("custom_fields") or [])
        problems: dict[str, Any] = {}
        checks = (("orgUnits", lambda r: _record_problems(r, "unit", UNIT_SPECS, UNIT_STORED, ("name",)), "name"),
                  ("profiles", lambda r: check_fixture_profile(r, custom), None),
                  ("services", lambda r: _record_problems(r, "service", SERVICE_SPECS, SERVICE_STORED), "name"),
                  ("subscriptions", check_subscription, None))
        for key, check, unique in checks:
            found: dict[Any, Any] = {}
            distinct = ("PKey", unique) if unique else ("PKey",)
            seen: dict[str, set[str]] = {name: set() for name in distinct}
            for i, record in enumerate(data.get(key) or []):
                errors = check(record)
                for name in distinct:
                    value = record.get(name) if isinstance(record, dict) else None
                    if isinstance(value, str) and value:
                        if value in seen[name]:
                            errors.setdefault(name, []).append(f"this {name} appears twice in the organization")
                        seen[name].add(value)
                if errors:
                    found[i] = errors
            if found:
                problems[key] = found
        if problems:
            raise ValidationError(problems)


class FixturesSchema(Schema):
    class Meta:
        unknown = RAISE

    organizations = fields.List(fields.Nested(OrganizationSchema), load_default=list)

    @validates_schema
    def _unique(self, data: dict[str, Any], **kw: Any) -> None:
        ids = [o["id"] for o in data.get("organizations") or []]
        if len(set(ids)) != len(ids):
            raise ValidationError("an organization appears twice", "organizations")
