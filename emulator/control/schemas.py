"""marshmallow schemas of the control plane: the dashboard's query parameters (validated here)
and every control answer and body (the OpenAPI document is generated from them)."""
from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, validate
from marshmallow import fields as mf

from ..errors import EmulatorError
from ..realism.rules import RuleSchema
from ..vendors import VENDORS

#: most rows one dashboard page asks for
MAX_PAGE = 200


def vendor_name(**kwargs: Any) -> mf.String:
    """A vendor's name: the control plane refuses any other (the document lists them)."""
    return mf.String(validate=validate.OneOf([v.name for v in VENDORS]), **kwargs)


def load_args(schema: Schema, args: Any) -> dict[str, Any]:
    """Query parameters through ``schema``; a bad one is a 400 naming it."""
    try:
        return schema.load(args.to_dict(flat=True))
    except ValidationError as exc:
        name, problems = next(iter(exc.normalized_messages().items()))
        detail = " ".join(problems) if isinstance(problems, list) else str(problems)
        raise EmulatorError(f"query parameter {name!r}: {detail}") from None


# -- query parameters ----------------------------------------------------------------------------
class TenantQuery(Schema):
    class Meta:
        unknown = RAISE

    vendor = mf.String(required=True, metadata={"description": "a vendor name, e.g. copernica", "example": "copernica"})
    tenant = mf.String(required=True, metadata={"description": "a tenant of that vendor (account, organization, client code)",
                                               "example": "Demo Company"})


class ProfilesQuery(TenantQuery):
    q = mf.String(load_default="", metadata={"description": "case-insensitive text to look for"})
    offset = mf.Integer(load_default=0, validate=validate.Range(min=0, max=10**9))
    limit = mf.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE))


class ProfileQuery(TenantQuery):
    key = mf.String(required=True, metadata={"description": "the profile's key in the store (Copernica: its ID)",
                                            "example": "1"})


class ChangesQuery(Schema):
    class Meta:
        unknown = RAISE

    after = mf.Integer(load_default=0, validate=validate.Range(min=0, max=2**53),
                       metadata={"description": "only changes with a greater seq"})
    limit = mf.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE))


# -- bodies --------------------------------------------------------------------------------------
class ClockFreeze(Schema):
    freeze = mf.Raw(required=True, metadata={
        "description": "true (freeze now) or an ISO-8601 instant",
        "oneOf": [{"type": "boolean", "enum": [True]}, {"type": "string", "format": "date-time"}]})


class ClockAdvance(Schema):
    advance = mf.Float(required=True, validate=validate.Range(min=0, max=100 * 365 * 86400),
                       metadata={"description": "seconds to move the clock forward"})


class ClockResume(Schema):
    resume = mf.Boolean(required=True, metadata={"description": "back to real time", "enum": [True]})


#: the clock takes exactly one of these bodies
CLOCK_BODIES = (ClockFreeze, ClockAdvance, ClockResume)


# -- answers -------------------------------------------------------------------------------------
class ErrorOut(Schema):
    emulator = mf.String(required=True, metadata={"example": "martech-emulator"})
    status = mf.Integer(required=True)
    error = mf.String(required=True)
    errors = mf.Dict(keys=mf.String(), values=mf.List(mf.String()))


class ClockOut(Schema):
    now = mf.String(required=True, metadata={"format": "date-time"})
    mode = mf.String(required=True, validate=validate.OneOf(["real", "frozen", "offset"]))
    offset_seconds = mf.Float(required=True)


class DataFileOut(Schema):
    path = mf.String(required=True)
    written = mf.Boolean(required=True, metadata={"description": "false while writes of the data file fail"})
    last_written = mf.String(required=True, allow_none=True)
    last_flush_seconds = mf.Float(required=True, allow_none=True,
                                  metadata={"description": "how long the last write took: a crash loses at most "
                                                           "the writes of one flush interval plus this"})
    flush_interval = mf.Float(required=True)
    error = mf.String(metadata={"description": "while not written: why the last write failed"})
    failing_since = mf.String()
    failed_attempts = mf.Integer()


class HealthOut(Schema):
    status = mf.String(required=True, validate=validate.OneOf(["ok", "starting", "data file not written"]))
    version = mf.String(required=True)
    vendors = mf.Dict(keys=mf.String(), values=mf.Dict(keys=mf.String(), values=mf.Integer()))
    persistent = mf.Boolean()
    clock = mf.Nested(ClockOut)
    data_file = mf.Nested(DataFileOut, metadata={"description": "with --data only"})


class ResetOut(Schema):
    reset = mf.Dict(required=True, keys=mf.String(), values=mf.String(allow_none=True))


class SeedOut(Schema):
    seeded = mf.List(mf.String(), required=True)
    vendors = mf.Dict(required=True, keys=mf.String(), values=mf.Dict(keys=mf.String(), values=mf.Integer()))


class DrainOut(Schema):
    drained = mf.Boolean(required=True)
    pending = mf.Integer(required=True)


class TenantSummary(Schema):
    tenant = mf.String(required=True)
    profiles = mf.Integer(required=True)


class VendorTenants(Schema):
    name = mf.String(required=True)
    title = mf.String(required=True)
    tenants = mf.List(mf.Nested(TenantSummary), required=True)


class TenantsOut(Schema):
    generation = mf.Integer(required=True, metadata={"description": "changes whenever the state changes"})
    clock = mf.Nested(ClockOut, required=True)
    vendors = mf.List(mf.Nested(VendorTenants), required=True)


class ProfileRow(Schema):
    key = mf.String(required=True)
    cells = mf.Dict(required=True, keys=mf.String(), values=mf.String())


class ProfilesPageOut(Schema):
    vendor = mf.String(required=True)
    tenant = mf.String(required=True)
    q = mf.String(required=True)
    offset = mf.Integer(required=True)
    limit = mf.Integer(required=True)
    total = mf.Integer(required=True)
    columns = mf.List(mf.String(), required=True)
    rows = mf.List(mf.Nested(ProfileRow), required=True)


class RelatedTable(Schema):
    title = mf.String(required=True)
    columns = mf.List(mf.String(), required=True)
    rows = mf.List(mf.Nested(ProfileRow), required=True)


class ProfileOut(Schema):
    vendor = mf.String(required=True)
    tenant = mf.String(required=True)
    key = mf.String(required=True)
    title = mf.String(required=True)
    document = mf.Dict(required=True, metadata={"description": "the profile in the vendor's own wire shape"})
    related = mf.List(mf.Nested(RelatedTable), metadata={
        "description": "records that belong to the profile, where the vendor has them (Copernica's subprofiles, "
                       "one table per collection)"})


class FieldChange(Schema):
    field = mf.String(required=True, metadata={"description": "dotted path in the stored document"})
    before = mf.Raw(required=True, allow_none=True)
    after = mf.Raw(required=True, allow_none=True)


class ChangeOut(Schema):
    seq = mf.Integer(required=True)
    time = mf.String(required=True, allow_none=True)
    vendor = mf.String(required=True)
    tenant = mf.String(required=True)
    collection = mf.String(required=True)
    key = mf.String(required=True)
    action = mf.String(required=True, validate=validate.OneOf(["created", "changed", "deleted"]))
    request = mf.Dict(required=True, metadata={"description": "the request that made the change: label, "
                                                              "method, path, query (credentials masked), status"})
    changes = mf.List(mf.Nested(FieldChange), required=True)
    truncated = mf.Boolean(metadata={"description": "present (true) when the documents were larger than the "
                                                    "history keeps per entry: no field-by-field changes"})
    size = mf.Integer(metadata={"description": "with truncated: the estimated bytes of the documents"})


class HistoryOut(Schema):
    vendor = mf.String(required=True)
    tenant = mf.String(required=True)
    key = mf.String(required=True)
    history = mf.List(mf.Nested(ChangeOut), required=True)


class ChangesOut(Schema):
    changes = mf.List(mf.Nested(ChangeOut), required=True)
    last = mf.Integer(required=True, metadata={"description": "the newest seq; pass it as 'after' next time"})


# -- the request journal (``control/journal.py``) ------------------------------------------------
class RequestFilters(Schema):
    vendor = vendor_name()
    tenant = mf.String()
    method = mf.String(metadata={"example": "PUT"})
    path = mf.String(metadata={"description": "equal, or a glob with *", "example": "/v3/*"})
    status = mf.String(validate=validate.Regexp(r"^[1-5][0-9][0-9](,[1-5][0-9][0-9])*$"),
                       metadata={"description": "a status code, or several separated by commas", "example": "200,204"})
    since = mf.String(metadata={"format": "date-time"})
    limit = mf.Integer(validate=validate.Range(min=0), metadata={"description": "keep only the newest"})


class RequestMatcher(Schema):
    """A request pattern (``emulator.journal.Matcher``): every key given must hold. ``null`` only
    for tenant and operation, which a journal entry holds as null (no tenant known, no route)."""

    vendor = mf.String()
    tenant = mf.String(allow_none=True)
    operation = mf.String(allow_none=True)
    method = mf.String()
    path = mf.String()
    path_regex = mf.String(metadata={"format": "regex"})
    query = mf.Dict(keys=mf.String(), values=mf.Raw())
    form = mf.Dict(keys=mf.String(), values=mf.Raw())
    headers = mf.Dict(keys=mf.String(), values=mf.Raw())
    json = mf.Raw(allow_none=True)
    body = mf.String()
    body_contains = mf.String()
    status = mf.Raw(metadata={"description": "a status code or a list of them", "oneOf": [
        {"type": "integer"}, {"type": "array", "items": {"type": "integer"}, "minItems": 1}]})
    matched = mf.Boolean()
    note = mf.String()
    since = mf.String(metadata={"format": "date-time"})


class JournalEntry(Schema):
    id = mf.Integer(required=True)
    time = mf.String(required=True)
    vendor = mf.String(required=True)
    tenant = mf.String(required=True, allow_none=True)
    operation = mf.String(required=True, allow_none=True)
    matched = mf.Boolean(required=True)
    method = mf.String(required=True)
    url = mf.String(required=True)
    path = mf.String(required=True)
    query = mf.Dict(required=True, keys=mf.String(), values=mf.List(mf.String()))
    query_truncated = mf.Boolean(required=True, metadata={"description": "the query string was cut at the "
                                                                        "journal's per-entry limit"})
    headers = mf.Dict(required=True, keys=mf.String(), values=mf.String())
    headers_truncated = mf.Boolean(required=True, metadata={"description": "headers were cut at the journal's "
                                                                          "per-entry limit"})
    body = mf.String(required=True)
    body_truncated = mf.Boolean(required=True)
    status = mf.Integer(required=True)
    response_headers = mf.Dict(required=True, keys=mf.String(), values=mf.String())
    response_body = mf.String(required=True)
    response_truncated = mf.Boolean(required=True)
    note = mf.String(required=True, allow_none=True)


class RequestsOut(Schema):
    requests = mf.List(mf.Nested(JournalEntry), required=True)
    count = mf.Integer(required=True)
    journal_size = mf.Integer(required=True)


class CountOut(Schema):
    count = mf.Integer(required=True)


class DeletedOut(Schema):
    deleted = mf.Integer(required=True)


class ClearQuery(Schema):
    vendor = vendor_name()
    tenant = mf.String()


# -- realism (``control/realism.py``) ------------------------------------------------------------
class FaultBody(RuleSchema):
    """``POST /_emulator/faults``: one rule, scoped to one existing tenant."""

    vendor = vendor_name(required=True)
    tenant = mf.String(required=True, metadata={"example": "Demo Company"})


class ScopeQuery(Schema):
    vendor = vendor_name(metadata={"description": "only this vendor's rules"})
    tenant = mf.String(metadata={"description": "only this tenant's (needs vendor)"})
