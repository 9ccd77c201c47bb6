"""The profile resource's fields (vendor-apis.md §1.3), and the marshmallow schemas that read
request bodies and fixtures with them.

``PROFILE_FIELDS`` is the one description of the resource: the write schemas, the defaults of
a new profile, the ``resourceType/profile`` metadata, ``_order`` and ``GET …/profile/<field>``
all read it, so they cannot disagree. Every field raises Campaign's own message (as
``ValidationError`` text), so the model only has to pick the first one in body order.
"""
from __future__ import annotations

import json
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, missing

from . import errors

DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_datetime(dt: datetime) -> str:
    """Campaign's timestamp form, ``2019-09-26 11:49:48.817Z``."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%d %H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class EnumValue:
    name: str   # what the API sends and returns
    label: str
    value: Any  # what Campaign stores (its sort order)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # string | boolean | date | datetime | enum | integer | number | item | collection | link
    length: int | None = None
    values: tuple[EnumValue, ...] = ()
    writable: bool = True
    sortable: bool = True
    label: str = ""
    data_policy: str | None = None
    ext_only: bool = False
    custom: bool = False
    sub: tuple[FieldSpec, ...] = ()
    res_type: str = ""
    #: the schema an enumeration's error names (``nms:recipient:gender``)
    schema: str = "nms:recipient"

    @property
    def empty(self) -> Any:
        """The value of an unset field: Campaign returns ``""`` for strings and dates."""
        if self.kind == "boolean":
            return False
        if self.kind in ("integer", "number"):
            return 0
        if self.kind == "enum":
            return self.values[0].name
        if self.kind == "item":
            return {s.name: s.empty for s in self.sub}
        if self.kind == "link":
            return None
        return ""


def _s(name: str, length: int, label: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, "string", length, label=label, res_type="string", **kw)


def _b(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, "boolean", label=label, res_type="boolean")


def _ro_dt(name: str, label: str, sortable: bool = False) -> FieldSpec:
    return FieldSpec(name, "datetime", writable=False, sortable=sortable, label=label, res_type="datetime")


GENDERS = (EnumValue("unknown", "Unspecified", 0), EnumValue("male", "Male", 1),
           EnumValue("female", "Female", 2))
EMAIL_FORMATS = (EnumValue("unknown", "Unknown", 0), EnumValue("text", "Text", 1),
                 EnumValue("html", "HTML", 2))
# Campaign's list is longer and not published; these are the common locales [I].
LANGUAGES = (EnumValue("none", "Default", "none"),) + tuple(
    EnumValue(code, code.replace("_", "-"), code) for code in (
        "ar_ae", "cs_cz", "da_dk", "de_at", "de_ch", "de_de", "el_gr", "en_au", "en_ca",
        "en_gb", "en_ie", "en_in", "en_nz", "en_us", "es_ar", "es_es", "es_mx", "fi_fi",
        "fr_be", "fr_ca", "fr_ch", "fr_fr", "he_il", "hu_hu", "it_it", "ja_jp", "ko_kr",
        "nb_no", "nl_be", "nl_nl", "pl_pl", "pt_br", "pt_pt", "ro_ro", "ru_ru", "sv_se",
        "th_th", "tr_tr", "uk_ua", "zh_cn", "zh_hk", "zh_tw"))


def _time_zones() -> tuple[EnumValue, ...]:
    """Campaign names a zone ``Europe_Paris`` in the API and stores ``Europe/Paris`` (§1.3)."""
    zones = sorted(z for z in zoneinfo.available_timezones()
                   if "/" in z and z.split("/")[0] in {
                       "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia",
                       "Europe", "Indian", "Pacific"})
    return (EnumValue("none", "Default", "none"),) + tuple(
        EnumValue(z.replace("/", "_"), z, z) for z in zones)


TIME_ZONES = _time_zones()

LOCATION = (
    _s("address1", 80, "Address 1"), _s("address2", 80, "Address 2"),
    _s("address3", 80, "Address 3"), _s("address4", 80, "Address 4"),
    _s("city", 50, "City"), _s("countryCode", 2, "Country code"),
    _s("stateCode", 16, "State code"), _s("zipCode", 20, "Zip code"),
)
POSTAL_ADDRESS = (
    FieldSpec("addrDefined", "boolean", writable=False, label="Address specified", res_type="boolean"),
    FieldSpec("addrErrorCount", "integer", writable=False, label="Error count", res_type="int16"),
    FieldSpec("addrLastCheck", "date", writable=False, label="Last check", res_type="date"),
    FieldSpec("addrQuality", "string", writable=False, label="Quality", res_type="string"),
) + tuple(FieldSpec(f"line{i}", "string", 80, writable=False, label=f"Line {i}", res_type="string")
          for i in range(1, 7)) + (
    FieldSpec("serialized", "string", writable=False, label="Serialized", res_type="string"),
)

BLACKLIST_FLAGS = {  # flag -> the timestamp Campaign keeps of its last change
    "blackList": "blackListLastModified",
    "blackListEmail": "blackListEmailLastModified",
    "blackListFax": "blackListFaxLastModified",
    "blackListMobile": "blackListMobileLastModified",
    "blackListPhone": "blackListPhoneLastModified",
    "blackListPostalMail": "blackListPostalMailLastModified",
    "blackListPushnotification": None,
    "ccpaOptOut": "ccpaOptOutLastModified",
}

PROFILE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("PKey", "string", writable=False, sortable=False, label="Primary key", res_type="string"),
    FieldSpec("age", "integer", writable=False, sortable=False, label="Age", res_type="int16"),
    FieldSpec("birthDate", "date", label="Birth date", res_type="date"),
    _b("blackList", "No longer contact (by any channel)"),
    _ro_dt("blackListAllLastModified", "No longer contact (all channels) last modified"),
    _b("blackListEmail", "No longer contact (email)"),
    _ro_dt("blackListEmailLastModified", "No longer contact (email) last modified"),
    _b("blackListFax", "No longer contact (fax)"),
    _ro_dt("blackListFaxLastModified", "No longer contact (fax) last modified"),
    _ro_dt("blackListLastModified", "No longer contact last modified"),
    _b("blackListMobile", "No longer contact (SMS)"),
    _ro_dt("blackListMobileLastModified", "No longer contact (SMS) last modified"),
    _b("blackListPhone", "No longer contact (phone)"),
    _ro_dt("blackListPhoneLastModified", "No longer contact (phone) last modified"),
    _b("blackListPostalMail", "No longer contact (direct mail)"),
    _ro_dt("blackListPostalMailLastModified", "No longer contact (direct mail) last modified"),
    _b("blackListPushnotification", "No longer contact (push notification)"),
    _b("ccpaOptOut", "CCPA opt-out"),
    _ro_dt("ccpaOptOutLastModified", "CCPA opt-out last modified"),
    _ro_dt("created", "Created", sortable=True),
    FieldSpec("cryptedId", "string", writable=False, sortable=False, label="Encrypted identifier",
              res_type="string"),
    FieldSpec("domain", "string", 255, writable=False, label="Email domain", res_type="string"),
    _s("email", 128, "Email", data_policy="email"),
    FieldSpec("emailFormat", "enum", values=EMAIL_FORMATS, label="Email format", res_type="byte"),
    _s("externalId", 100, "External ID"),
    _s("fax", 32, "Fax"),
    _s("firstName", 30, "First name"),
    FieldSpec("gender", "enum", values=GENDERS, label="Gender", res_type="byte"),
    FieldSpec("geoUnit", "link", writable=False, sortable=False, ext_only=True, label="Geographical unit",
              res_type="link"),
    FieldSpec("href", "string", writable=False, sortable=False, label="Self URL", res_type="string"),
    _b("isExternal", "External profile"),
    _ro_dt("lastModified", "Last modified", sortable=True),
    _s("lastName", 50, "Last name"),
    FieldSpec("location", "item", sub=LOCATION, sortable=False, label="Location", res_type="item"),
    _s("middleName", 30, "Middle name"),
    _s("mobilePhone", 32, "Mobile phone"),
    FieldSpec("orgUnit", "link", sortable=False, ext_only=True, label="Organizational unit",
              res_type="link"),
    _s("phone", 32, "Phone"),
    FieldSpec("postalAddress", "item", sub=POSTAL_ADDRESS, writable=False, sortable=False,
              label="Postal address", res_type="item"),
    FieldSpec("preferredLanguage", "enum", values=LANGUAGES, label="Preferred language", res_type="string"),
    _s("salutation", 20, "Salutation"),
    FieldSpec("subscriptions", "collection", writable=False, sortable=False, label="Subscriptions",
              res_type="collection"),
    _s("thumbnail", 255, "Thumbnail"),
    FieldSpec("timeZone", "enum", values=TIME_ZONES, label="Time zone", res_type="string"),
    FieldSpec("title", "string", 255, writable=False, sortable=False, label="Title", res_type="string"),
)

FIELDS_BY_NAME = {f.name: f for f in PROFILE_FIELDS}
#: fields the emulator makes and a fixtures document may carry (server-made values)
SERVER_MADE = ("PKey", "created", "lastModified", "cryptedId", "blackListAllLastModified") + tuple(
    ts for ts in BLACKLIST_FLAGS.values() if ts)
#: derived on every read; a fixtures document may carry them (pasted from a GET), they are ignored
DERIVED = ("age", "domain", "title", "href", "subscriptions", "postalAddress", "geoUnit")

DEFAULT_THUMBNAIL = "/nl/img/thumbnails/defaultProfil.png"

CUSTOM_TYPES = {"string": "string", "integer": "long", "number": "double", "boolean": "boolean",
                "date": "date", "datetime": "datetime"}


def custom_spec(name: str, kind: str, length: int | None = None, label: str | None = None) -> FieldSpec:
    return FieldSpec(name, kind, length if kind == "string" else None, label=label or name,
                     ext_only=True, custom=True, res_type=CUSTOM_TYPES[kind])


def resource_fields(custom: tuple[FieldSpec, ...], ext: bool) -> tuple[FieldSpec, ...]:
    """The fields a resource shows: ``profileAndServicesExt`` adds links and ``cus*`` fields."""
    if not ext:
        return tuple(f for f in PROFILE_FIELDS if not f.ext_only)
    return tuple(sorted(PROFILE_FIELDS + custom, key=lambda f: f.name))


# -- marshmallow fields raising Campaign's messages -------------------------------------------

def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def wrong_type(name: str, value: Any, expected: str) -> str:
    return (f"{errors.RST} The value {_shown(value)} of the '{name}' property is not {expected}.")


def too_long(name: str, value: str, length: int) -> str:
    return (f"{errors.RST} The value of the '{name}' property is {len(value)} characters long; "
            f"its definition allows at most {length}.")


class SpecField(fields.Field):
    """One field of the resource, typed strictly after its ``FieldSpec``. ``null`` is accepted
    and means "clear" (the model stores the field's empty value)."""

    def __init__(self, spec: FieldSpec, **kw: Any):
        super().__init__(allow_none=True, **kw)
        self.spec = spec

    def _deserialize(self, value: Any, attr: Any, data: Any, **kw: Any) -> Any:
        return check_value(self.spec, value)


class ReadOnlyField(fields.Field):
    def __init__(self, spec: FieldSpec, **kw: Any):
        super().__init__(allow_none=True, **kw)
        self.spec = spec

    def deserialize(self, value: Any, attr: Any = None, data: Any = None, **kw: Any) -> Any:
        if value is missing:
            return missing
        raise ValidationError(errors.read_only_property(self.spec.name).message)


def check_value(spec: FieldSpec, value: Any) -> Any:
    """``value`` as stored, or ``ValidationError`` with Campaign's message."""
    name, kind = spec.name, spec.kind
    if value is None:
        return spec.empty
    if kind == "string":
        if not isinstance(value, str):
            raise ValidationError(wrong_type(name, value, "a string"))
        if spec.length is not None and len(value) > spec.length:
            raise ValidationError(too_long(name, value, spec.length))
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValidationError(wrong_type(name, value, "a boolean (true or false)"))
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(wrong_type(name, value, "an integer"))
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(wrong_type(name, value, "a number"))
        return value
    if kind == "date":
        if not isinstance(value, str) or (value and not _is_date(value)):
            raise ValidationError(wrong_type(name, value, "a date ('YYYY-MM-DD', or \"\")"))
        return value
    if kind == "datetime":
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            raise ValidationError(wrong_type(name, value, "a date and time ('YYYY-MM-DD hh:mm:ss.fffZ', or \"\")"))
        return parsed
    if kind == "enum":
        if not isinstance(value, str) or value not in {v.name for v in spec.values}:
            raise ValidationError(errors.invalid_enum(value if isinstance(value, str) else _shown(value),
                                                      name, spec.schema).message)
        return value
    if kind == "item":
        if not isinstance(value, dict):
            raise ValidationError(wrong_type(name, value, "an object"))
        subs = {s.name: s for s in spec.sub}
        out = {}
        for key, sub_value in value.items():
            sub = subs.get(key)
            if sub is None:
                raise ValidationError(errors.unknown_property(key, name).message)
            out[key] = check_value(sub, sub_value)
        return out
    if kind == "link" and spec.writable:
        if not isinstance(value, dict) or not isinstance(value.get("PKey"), str):
            raise ValidationError(wrong_type(name, value, 'a link: {"PKey": "<PKEY>"}, or null'))
        return {"PKey": value["PKey"]}
    raise ValidationError(errors.read_only_property(name).message)  # links, collections


def is_date(text: str) -> bool:
    return _is_date(text)


def _is_date(text: str) -> bool:
    if not DATE_RE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_datetime(text: str) -> str | None:
    """Campaign's form, or ISO-8601 with a zone, normalised to Campaign's form; ``""`` stays."""
    if text == "":
        return ""
    if DATETIME_RE.match(text):
        try:
            datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%fZ")
        except ValueError:
            return None
        return text
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return format_datetime(parsed)


class _Body(Schema):
    class Meta:
        unknown = RAISE


@lru_cache(maxsize=256)
def write_schema(custom: tuple[FieldSpec, ...], ext: bool) -> Schema:
    """The schema of a POST/PATCH body on one resource. ``PKey`` is left to the model (sending
    the profile's own PKey back is allowed; another one is a key change)."""
    declared: dict[str, fields.Field] = {}
    for spec in resource_fields(custom, ext):
        if spec.name == "PKey":
            continue
        declared[spec.name] = SpecField(spec) if spec.writable else ReadOnlyField(spec)
    return _Body.from_dict(declared, name="ProfileBody")()


@lru_cache(maxsize=32)
def body_schema(specs: tuple[FieldSpec, ...], name: str) -> Schema:
    """The schema of a POST/PATCH body on a resource other than the profile; ``PKey`` is left
    to the model, as for profiles."""
    declared: dict[str, fields.Field] = {
        spec.name: SpecField(spec) if spec.writable else ReadOnlyField(spec)
        for spec in specs if spec.name != "PKey"}
    return _Body.from_dict(declared, name=name)()


def first_error(body: dict[str, Any], messages: dict[str, Any], resource: str = "profile") -> errors.CampaignError:
    """The error Campaign reports: the first bad property, in the order the client sent them."""
    for key in body:
        if key in messages:
            found = messages[key]
            text = found[0] if isinstance(found, list) else str(found)
            if text == "Unknown field.":
                return errors.unknown_property(key, resource)
            return errors.CampaignError(text, 500)
    return errors.generic("The request body is not valid.")  # pragma: no cover - defensive


def specs_of(custom_fields: list[dict[str, Any]]) -> tuple[FieldSpec, ...]:
    """The ``FieldSpec`` of an organization's declared ``cus*`` fields."""
    return tuple(custom_spec(c["name"], c["type"], c.get("length") or (255 if c["type"] == "string" else None),
                             c.get("label")) for c in custom_fields)
