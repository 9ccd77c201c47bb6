"""Marshmallow schemas: the ``adobe_target`` fixtures section, the emulator's visitor call and
the Delivery API's request (vendor-apis.md §2.3).

Every fixtures schema raises on unknown keys, so ``POST /_emulator/seed`` names a misspelt key.
The delivery schemas let unknown keys through unread (telemetry, analytics, trace: what only
activities use). The other wire formats of Target (query parameters, batch files, XML answers)
are not JSON documents and are parsed and written in ``model.py`` and ``routes.py``.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from ...plainlist import PlainFirstList
from ...realism.settings import settings_schema
from .settings import SETTINGS_FIELDS, VENDOR

#: Target client codes are short tokens that appear in hostnames and URL paths
CLIENT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def third_party_id_problem(value: str) -> str | None:
    """Why a thirdPartyId is refused, or None. Target forbids '+' and '/' (§2.1)."""
    if value == "":
        return "must not be empty"
    if "+" in value or "/" in value:
        return "must not contain '+' or '/'"
    return None


class IsoInstant(fields.String):
    """An ISO-8601 instant with an offset (``2017-08-09T18:18:04.659-04:00``), kept as written so
    that fixtures round-trip byte for byte."""

    def __init__(self, **kwargs: Any):
        kwargs["metadata"] = {"format": "date-time", **kwargs.get("metadata", {})}  # for the OpenAPI document
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError("Not an ISO-8601 instant, e.g. 2017-08-09T18:18:04.659-04:00.") from None
        if parsed.tzinfo is None:
            raise ValidationError("The instant needs an offset, e.g. 2017-08-09T18:18:04.659-04:00.")
        return text


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class AttributeValueSchema(_Strict):
    value = fields.String(required=True)
    modifiedAt = IsoInstant(required=True)


class AttributeField(fields.Field):
    """A profile attribute: a bare string, or ``{"value": …, "modifiedAt": …}`` as Target
    returns it. Always loaded as the object form; a bare string has ``modifiedAt`` None (the
    loader stamps it with the emulator's clock)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict:
        if isinstance(value, str):
            return {"value": value, "modifiedAt": None}
        if isinstance(value, dict):
            return AttributeValueSchema().load(value)
        raise ValidationError("A profile attribute is a string or {\"value\": string, \"modifiedAt\": instant}.")


def _attribute_name(value: str) -> None:
    if value == "":
        raise ValidationError("A profile attribute name must not be empty.")


def Attributes() -> fields.Dict:
    """``profileAttributes``: attribute name → bare string or ``{value, modifiedAt}``."""
    return fields.Dict(keys=fields.String(validate=_attribute_name), values=AttributeField(), load_default=dict)


def _third_party_id(value: str) -> None:
    problem = third_party_id_problem(value)
    if problem:
        raise ValidationError(f"A thirdPartyId {problem}.")


class PendingUpdateSchema(_Strict):
    """An update Target has accepted but not yet applied (the client's propagation delay)."""

    visibleAt = IsoInstant(required=True)
    #: a thirdPartyId this update links to the profile; null: the update unlinks it
    thirdPartyId = fields.String(allow_none=True, validate=_third_party_id)
    profileAttributes = Attributes()


class ProfileSchema(_Strict):
    tntId = fields.String(required=True, validate=validate.Length(min=1, max=128))
    thirdPartyId = fields.String(allow_none=True, load_default=None, validate=_third_party_id)
    marketingCloudVisitorId = fields.String(allow_none=True, load_default=None,
                                            validate=validate.Length(min=1, max=128))
    modifiedAt = IsoInstant()
    profileAttributes = Attributes()
    pendingUpdates = fields.List(fields.Nested(PendingUpdateSchema), load_default=list)
    visibleAt = IsoInstant()


_PROFILE_KEYS = frozenset({"tntId", "thirdPartyId", "marketingCloudVisitorId", "modifiedAt", "profileAttributes",
                           "pendingUpdates", "visibleAt"})


def _instant(value: Any) -> bool:
    """Whether ``IsoInstant`` takes ``value`` as it is."""
    if type(value) is not str:
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def plain_profile(item: Any) -> dict | None:
    """What ``ProfileSchema().load(item)`` gives for a profile written the plain way (bare string
    attributes, no pending updates), in the same key order; None for anything else, which the
    schema then loads (and words the errors of) itself. Why: marshmallow's per-field work was
    half of seeding 100,000 Target profiles. tests/adobe_target/test_target_seed_bulk.py holds
    it to the schema."""
    if type(item) is not dict or not _PROFILE_KEYS.issuperset(item):
        return None
    tnt_id = item.get("tntId")
    if type(tnt_id) is not str or not 1 <= len(tnt_id) <= 128:
        return None
    out: dict[str, Any] = {"tntId": tnt_id}
    third = item.get("thirdPartyId")
    if third is not None and (type(third) is not str or third_party_id_problem(third)):
        return None
    out["thirdPartyId"] = third
    ecid = item.get("marketingCloudVisitorId")
    if ecid is not None and (type(ecid) is not str or not 1 <= len(ecid) <= 128):
        return None
    out["marketingCloudVisitorId"] = ecid
    if "modifiedAt" in item:
        if not _instant(item["modifiedAt"]):
            return None
        out["modifiedAt"] = item["modifiedAt"]
    attributes = item.get("profileAttributes", {})
    if type(attributes) is not dict:
        return None
    loaded = {}
    for name, value in attributes.items():
        if type(value) is not str or type(name) is not str or not name:
            return None
        loaded[name] = {"value": value, "modifiedAt": None}
    out["profileAttributes"] = loaded
    pending = item.get("pendingUpdates", [])
    if type(pending) is not list or pending:
        return None
    out["pendingUpdates"] = []
    if "visibleAt" in item:
        if not _instant(item["visibleAt"]):
            return None
        out["visibleAt"] = item["visibleAt"]
    return out



class BatchSchema(_Strict):
    """A batch Target has taken, as ``batchStatus`` reports it (kept 24 hours)."""

    batchId = fields.String(required=True, validate=validate.Length(min=1))
    version = fields.Integer(required=True, validate=validate.OneOf([1, 2]))
    submittedAt = IsoInstant(required=True)
    visibleAt = IsoInstant(required=True)
    batchSize = fields.Integer(required=True, validate=validate.Range(min=0), strict=True)
    consumedCount = fields.Integer(required=True, validate=validate.Range(min=0), strict=True)
    successfulUpdates = fields.Integer(required=True, validate=validate.Range(min=0), strict=True)
    profilesNotFound = fields.Integer(required=True, validate=validate.Range(min=0), strict=True)
    failedUpdates = fields.Integer(required=True, validate=validate.Range(min=0), strict=True)


class ClientSchema(_Strict):
    code = fields.String(required=True, validate=validate.Regexp(
        CLIENT_CODE, error="A client code is 1-64 letters, digits, '-' or '_', starting with a letter or digit."))
    profile_api_token = fields.String(allow_none=True, load_default=None, validate=validate.Length(min=1))
    #: optional: the 1,000,000-calls-per-24-hours quota, off (None) unless set
    daily_call_limit = fields.Integer(allow_none=True, load_default=None, strict=True,
                                      validate=validate.Range(min=1))
    #: optional: seconds before an update shows in fetches (default 0: at once)
    propagation_delay = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=7 * 24 * 3600))
    #: optional: the IMS organization (``…@AdobeOrg``) that names this client in delivery calls
    #: sent with ``imsOrgId`` only (the SDKs' calls to ``mboxedge<N>.tt.omtrdc.net``)
    organization_id = fields.String(allow_none=True, load_default=None, validate=validate.Length(min=1, max=128))
    profiles = PlainFirstList(fields.Nested(ProfileSchema), plain_profile, load_default=list)
    batches = fields.List(fields.Nested(BatchSchema), load_default=list)
    #: optional realism settings (faults, size limits; emulator/realism/settings.py)
    settings = fields.Nested(lambda: _settings_schema())

    @validates_schema
    def _unique(self, data: dict, **kwargs: Any) -> None:
        for key in ("tntId", "thirdPartyId", "marketingCloudVisitorId"):
            seen: set[str] = set()
            for profile in data.get("profiles", []):
                value = profile.get(key)
                if value is None:
                    continue
                if value in seen:
                    raise ValidationError(f"Two profiles have {key} {value!r}.", "profiles")
                seen.add(value)
        ids = [b["batchId"] for b in data.get("batches", [])]
        if len(ids) != len(set(ids)):
            raise ValidationError("Two batches have the same batchId.", "batches")


class FixturesSchema(_Strict):
    clients = fields.List(fields.Nested(ClientSchema), load_default=list)

    @validates_schema
    def _unique(self, data: dict, **kwargs: Any) -> None:
        codes = [c["code"] for c in data.get("clients", [])]
        if len(codes) != len(set(codes)):
            raise ValidationError("Two clients have the same code.", "clients")
        orgs = [c["organization_id"] for c in data.get("clients", []) if c.get("organization_id")]
        if len(orgs) != len(set(orgs)):
            raise ValidationError("Two clients have the same organization_id.", "clients")


class VisitorSchema(_Strict):
    """Body of ``POST /_emulator/adobe_target/<client>/visitors``: Target sees a new visitor."""

    tntId = fields.String(validate=validate.Length(min=1, max=128))
    thirdPartyId = fields.String(validate=_third_party_id)
    marketingCloudVisitorId = fields.String(validate=validate.Length(min=1, max=128))
    profileAttributes = fields.Dict(keys=fields.String(validate=_attribute_name), values=fields.String(),
                                    load_default=dict)


# -- the Delivery API request (§2.3; Adobe's OpenAPI spec, DeliveryRequest and its parts) ---------------
class _Lenient(Schema):
    """Delivery bodies carry many keys only activities use (telemetry, analytics, trace, …): the
    emulator reads the ones it needs and lets the others through unread."""

    class Meta:
        unknown = EXCLUDE


#: ``tntId``: "should not contain a '.' (dot) unless the dot delimits the location hint"
TNT_ID = re.compile(r"^[^.]{1,128}$|^[^.]+\.\d+_\d+$")
#: ``sessionId``: "any printable string except a space, ?, or /", 1-128 characters
SESSION_ID = re.compile(r"^[^\s?/\x00-\x1f\x7f]{1,128}$")
RESERVED_MBOX_PARAMETERS = ("orderId", "orderTotal", "productPurchasedIds")
MAX_ENTRIES = 50


def _parameters(reserved: tuple[str, ...] = ()) -> fields.Dict:
    """``parameters``/``profileParameters``: at most 50 names, each not blank, ≤128 characters and
    not starting with ``profile.``; each value a string of ≤5000 characters."""

    def name(value: str) -> None:
        if not value.strip():
            raise ValidationError("A parameter name must not be blank.")
        if len(value) > 128:
            raise ValidationError("A parameter name is at most 128 characters.")
        if value.startswith("profile."):
            raise ValidationError(f"A parameter name should not start with 'profile.': send '{value[8:]}' "
                                  "in profileParameters.")
        if value in reserved:
            raise ValidationError(f"'{value}' is not allowed as an mbox parameter name: send it in 'order'.")

    return fields.Dict(keys=fields.String(validate=name),
                       values=fields.String(validate=validate.Length(max=5000)),
                       validate=validate.Length(max=MAX_ENTRIES, error="At most 50 entries."))


class CustomerIdSchema(_Lenient):
    id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    integrationCode = fields.String(required=True, validate=validate.Length(min=1, max=128))
    authenticatedState = fields.String(required=True,
                                       validate=validate.OneOf(["unknown", "authenticated", "logged_out"]))


class VisitorIdSchema(_Lenient):
    tntId = fields.String(validate=validate.Regexp(
        TNT_ID, error="A tntId is 1-128 characters with no '.' except the one before its location hint "
                      "(<id>.<cluster>_<n>)."))
    thirdPartyId = fields.String(validate=[validate.Length(max=128), _third_party_id])
    marketingCloudVisitorId = fields.String(validate=validate.Length(min=1, max=128))
    customerIds = fields.List(fields.Nested(CustomerIdSchema), validate=validate.Length(max=MAX_ENTRIES))

    @validates_schema
    def _customer_ids_need_ecid(self, data: dict, **kwargs: Any) -> None:
        if data.get("customerIds") and not data.get("marketingCloudVisitorId"):
            raise ValidationError("customerIds need a marketingCloudVisitorId.", "customerIds")


class AddressSchema(_Lenient):
    url = fields.String()
    referringUrl = fields.String()


class ContextSchema(_Lenient):
    channel = fields.String(required=True, validate=validate.OneOf(["web", "mobile"]))
    address = fields.Nested(AddressSchema)
    userAgent = fields.String()
    timeOffsetInMinutes = fields.Float()
    beacon = fields.Boolean()


class RequestDetailsSchema(_Lenient):
    """``RequestDetails``: a page load; the base of an mbox."""

    address = fields.Nested(AddressSchema)
    parameters = _parameters()
    profileParameters = _parameters()
    order = fields.Dict()
    product = fields.Dict()


def _mbox_name(value: str) -> None:
    if not value.strip():
        raise ValidationError("An mbox name must not be blank.")
    if value.endswith("-clicked"):
        raise ValidationError("An mbox name must not end with '-clicked'.")


class MboxRequestSchema(RequestDetailsSchema):
    index = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    name = fields.String(required=True, validate=[validate.Length(max=250), _mbox_name])
    parameters = _parameters(RESERVED_MBOX_PARAMETERS)


def _mboxes() -> fields.List:
    return fields.List(fields.Nested(MboxRequestSchema), validate=validate.Length(
        max=MAX_ENTRIES, error="At most 50 mboxes."))


class _Mboxes(_Lenient):
    @validates_schema
    def _unique_indexes(self, data: dict, **kwargs: Any) -> None:
        indexes = [m["index"] for m in data.get("mboxes") or []]
        if len(indexes) != len(set(indexes)):
            raise ValidationError("Each mbox index must be unique in its list.", "mboxes")


class ExecuteSchema(_Mboxes):
    pageLoad = fields.Nested(RequestDetailsSchema)
    mboxes = _mboxes()


class ViewRequestSchema(RequestDetailsSchema):
    name = fields.String(validate=validate.Length(max=128))
    key = fields.String(validate=validate.Length(max=512))


class PrefetchSchema(_Mboxes):
    views = fields.List(fields.Nested(ViewRequestSchema))
    pageLoad = fields.Nested(RequestDetailsSchema)
    mboxes = _mboxes()


class PropertySchema(_Lenient):
    token = fields.String()


class DeliveryRequestSchema(_Lenient):
    """The body of ``POST /rest/v1/delivery``: only ``context`` is required."""

    requestId = fields.String(validate=validate.Length(min=1, max=128))
    impressionId = fields.String()
    id = fields.Nested(VisitorIdSchema)
    environmentId = fields.Integer(strict=True)  # int64 in the spec: a float is a 400
    property = fields.Nested(PropertySchema)
    context = fields.Nested(ContextSchema, required=True)
    execute = fields.Nested(ExecuteSchema)
    prefetch = fields.Nested(PrefetchSchema)
    notifications = fields.List(fields.Dict())
    experienceCloud = fields.Dict()
    trace = fields.Dict()
    telemetry = fields.Dict()
    qaMode = fields.Dict()
    preview = fields.Dict()


class DeliveryQuerySchema(_Lenient):
    """The query string: ``client`` as the docs and at.js send it, ``imsOrgId`` as the OpenAPI spec
    and the SDKs send it; ``sessionId`` routes the visitor to its edge node; ``version`` is at.js's."""

    client = fields.String(metadata={"description": "the client code (docs, at.js)", "example": "demo"})
    imsOrgId = fields.String(metadata={"description": "the IMS organization (spec, SDKs)"})
    sessionId = fields.String(validate=validate.Regexp(
        SESSION_ID, error="1-128 printable characters, no space, '?' or '/'."),
        metadata={"description": "1-128 printable characters, no space, ? or /", "example": "s1"})
    version = fields.String(metadata={"description": "the version of at.js"})


def _settings_schema() -> Any:
    return settings_schema(VENDOR, SETTINGS_FIELDS, fixtures=True)


# -- query parameters, for the OpenAPI document (the routes read them as Target does) -------------
class BatchStatusQuery(Schema):
    batchId = fields.String(required=True, validate=validate.Length(min=1),
                            metadata={"description": "the batch's id, from the batchUpdate answer"})
    showDetails = fields.Boolean(metadata={"description": "true adds the update counts"})


class FetchQuery(Schema):
    client = fields.String(required=True, validate=validate.Regexp(CLIENT_CODE.pattern), metadata={
        "description": "the client code; Target reads it from the Host <client>.tt.omtrdc.net, the "
                       "emulator from this parameter when the Host does not name it", "example": "demo"})


class UpdateQuery(Schema):
    mboxPC = fields.String(metadata={"description": "the visitor's tntId (this or mbox3rdPartyId is required)",
                                     "example": "1368007744041-575948.01_00"})
    mbox3rdPartyId = fields.String(metadata={"description": "the visitor's thirdPartyId, without '+' or '/'"})
