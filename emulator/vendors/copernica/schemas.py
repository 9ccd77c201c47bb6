"""marshmallow schemas for Copernica: the fixtures section, request parameters, responses.

The fixtures schemas reject unknown keys (so ``POST /_emulator/seed`` can name them); the
request-parameter schemas never reject anything, because Copernica never does: they apply
PHP's casts (``limit=abc`` is 0, ``total=yes`` is true), see ``fieldtypes``.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, post_load, validate, validates_schema
from marshmallow import fields as mf

from ...ids import is_digits
from ...plainlist import PlainFirstList
from ...realism.settings import settings_schema
from .fieldtypes import TYPES, php_bool, php_int
from .settings import SETTINGS, VENDOR

FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
SECRET = re.compile(r"^[0-9a-f]{28}$")
#: the v3 docs' largest page (vendor-apis.md §4.6); per tenant: the ``list_limit_max`` setting
#: how the OpenAPI document shows parameters that Copernica reads with PHP's casts (it accepts
#: anything: "abc" is 0, "yes" is true)
INTEGER = {"type": "integer", "description": "read with PHP's (int) cast: anything is accepted"}
BOOLEAN = {"type": "boolean", "description": "true/yes or a number ≥ 1 is true; anything else false"}


class CopernicaId(mf.Field):
    """An ID as Copernica writes it: a string of digits (a JSON number is accepted too)."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        text = str(value)
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not is_digits(text) \
                or int(value) < 1:
            raise ValidationError("Must be a positive integer or a string of digits.")
        return str(int(value))

    def _serialize(self, value: Any, attr, obj, **kwargs) -> str | None:
        return None if value is None else str(value)


class PhpInt(mf.Field):
    """A URL parameter read with PHP's ``(int)`` cast; never an error."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> int:
        return php_int(value)


class PhpString(mf.Field):
    """A URL parameter that should be text (``order``, ``orderby``): an array (``order[]=desc``)
    is not, and counts as empty, never an error."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        return value if isinstance(value, str) else ""


class PhpBool(mf.Field):
    """A URL parameter read as Copernica reads booleans; never an error."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> bool:
        return php_bool(value)


# -- fixtures -----------------------------------------------------------------------------------
class FieldFixture(Schema):
    class Meta:
        unknown = RAISE

    ID = CopernicaId()
    name = mf.String(required=True, validate=validate.Regexp(FIELD_NAME, error="Not a valid Copernica field name."))
    type = mf.String(load_default="text", validate=validate.OneOf(TYPES))
    value = mf.String(load_default="")  # default value; a select field's choices, one per line
    displayed = mf.Boolean(load_default=False)
    ordered = mf.Boolean(load_default=False)
    length = mf.Integer(load_default=255, validate=validate.Range(min=1, max=65535))
    textlines = mf.Integer(load_default=1, validate=validate.Range(min=1))
    hidden = mf.Boolean(load_default=False)
    index = mf.Boolean(load_default=False)


class InterestFixture(Schema):
    class Meta:
        unknown = RAISE

    ID = CopernicaId()
    name = mf.String(required=True, validate=validate.Regexp(FIELD_NAME, error="Not a valid interest name."))
    group = mf.String(load_default="")


class RemovedField(mf.Field):
    def _deserialize(self, value: Any, attr, data, **kwargs) -> bool | str:
        if value is False or (isinstance(value, str) and DATETIME_TEXT.match(value)):
            return value
        raise ValidationError("Must be false or a 'YYYY-MM-DD hh:mm:ss' time.")


class SubprofileFixture(Schema):
    """A subprofile as ``GET profile/<id>/subprofiles/<cid>`` lists it; ``profile`` and
    ``collection`` may be given and must match where it sits (checked by the database)."""

    class Meta:
        unknown = RAISE

    ID = CopernicaId()
    field_values = mf.Dict(keys=mf.String(), values=mf.Raw(allow_none=True), load_default=dict,
                           data_key="fields", attribute="fields")
    secret = mf.String(validate=validate.Regexp(SECRET, error="Must be 28 lowercase hex characters."))
    created = mf.String(validate=validate.Regexp(DATETIME_TEXT, error="Must be 'YYYY-MM-DD hh:mm:ss'."))
    modified = mf.String(validate=validate.Regexp(DATETIME_TEXT, error="Must be 'YYYY-MM-DD hh:mm:ss'."))
    removed = RemovedField(load_default=False)
    profile = CopernicaId()
    collection = CopernicaId()


class CollectionFixture(Schema):
    """A collection: ``fields`` in the shape of a database's (the embedded list wrapper of
    ``GET collection/<id>`` written as the plain array)."""

    class Meta:
        unknown = RAISE

    ID = CopernicaId()
    name = mf.String(required=True, validate=validate.Regexp(FIELD_NAME, error="Not a valid collection name."))
    description = mf.String(load_default="")
    database = CopernicaId()
    field_list = mf.List(mf.Nested(FieldFixture), load_default=list, data_key="fields", attribute="fields")

    @validates_schema
    def _unique_fields(self, data: dict, **kwargs) -> None:
        names = [f["name"].lower() for f in data.get("fields", [])]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValidationError(f"Duplicate name {dupes[0]!r}.", "fields")


class ProfileFixture(Schema):
    class Meta:
        unknown = RAISE

    ID = CopernicaId()
    # any values (each is cast as its field's type says); no key or value fields: JSON keys are
    # strings already, and checking each value of 100,000 profiles would triple a seed's time
    field_values = mf.Dict(load_default=dict, data_key="fields", attribute="fields")
    interests = mf.Raw(load_default=list)  # ["football"] or {"football": 1, "baseball": 0}
    secret = mf.String(validate=validate.Regexp(SECRET, error="Must be 28 lowercase hex characters."))
    created = mf.String(validate=validate.Regexp(DATETIME_TEXT, error="Must be 'YYYY-MM-DD hh:mm:ss'."))
    modified = mf.String(validate=validate.Regexp(DATETIME_TEXT, error="Must be 'YYYY-MM-DD hh:mm:ss'."))
    removed = RemovedField(load_default=False)
    #: by collection: all digits = its ID, otherwise its name (any case)
    subprofiles = mf.Dict(keys=mf.String(), values=mf.List(mf.Nested(SubprofileFixture)), load_default=dict)

    @validates_schema
    def _interests_shape(self, data: dict, **kwargs) -> None:
        interests = data.get("interests")
        if isinstance(interests, list) and all(isinstance(i, str) for i in interests):
            return
        if isinstance(interests, dict):
            return
        raise ValidationError("Must be a list of interest names or an object of name: 0/1.", "interests")


#: the keys ``ProfileFixture`` takes, by their names in the document
_PROFILE_KEYS = frozenset({"ID", "fields", "interests", "secret", "created", "modified", "removed", "subprofiles"})


def plain_profile(item: Any) -> dict | None:
    """What ``ProfileFixture().load(item)`` gives for a profile written the plain way (every
    value of the type the schema wants, no subprofiles), in the same key order; None for
    anything else, which the schema then loads (and words the errors of) itself.

    Why: marshmallow costs about 10 µs a profile, a third of seeding 100,000 of them; this
    check costs a tenth of that. tests/copernica/test_seed_bulk.py holds it to the schema."""
    if type(item) is not dict or not _PROFILE_KEYS.issuperset(item):
        return None
    out: dict[str, Any] = {}
    if "ID" in item:
        given = item["ID"]
        kind = type(given)
        if kind is str:
            if not (given.isascii() and given.isdigit()) or int(given) < 1:
                return None
        elif kind is not int or given < 1:
            return None
        out["ID"] = str(int(given))
    values = item.get("fields", _MISSING)
    if values is _MISSING:
        out["fields"] = {}
    elif type(values) is dict:
        out["fields"] = dict(values)
    else:
        return None
    interests = item.get("interests", _MISSING)
    if interests is _MISSING:
        out["interests"] = []
    elif type(interests) is list:
        if not all(type(i) is str for i in interests):
            return None
        out["interests"] = interests
    elif type(interests) is dict:
        out["interests"] = interests
    else:
        return None
    for key, pattern in (("secret", SECRET), ("created", DATETIME_TEXT), ("modified", DATETIME_TEXT)):
        if key in item:
            text = item[key]
            if type(text) is not str or not pattern.match(text):
                return None
            out[key] = text
    removed = item.get("removed", False)
    if removed is not False and (type(removed) is not str or not DATETIME_TEXT.match(removed)):
        return None
    out["removed"] = removed
    subprofiles = item.get("subprofiles", _MISSING)
    if subprofiles is not _MISSING and (type(subprofiles) is not dict or subprofiles):
        return None
    out["subprofiles"] = {}
    return out


_MISSING = object()



class DatabaseFixture(Schema):
    class Meta:
        unknown = RAISE

    ID = CopernicaId()
    name = mf.String(required=True, validate=validate.Regexp(FIELD_NAME, error="Not a valid database name."))
    description = mf.String(load_default="")
    field_list = mf.List(mf.Nested(FieldFixture), load_default=list, data_key="fields", attribute="fields")
    interests = mf.List(mf.Nested(InterestFixture), load_default=list)
    profiles = PlainFirstList(mf.Nested(ProfileFixture), plain_profile, load_default=list)
    collections = mf.List(mf.Nested(CollectionFixture), load_default=list)

    @validates_schema
    def _collections_and_subprofiles(self, data: dict, **kwargs) -> None:
        """Every subprofile key names a collection of this database; given ``database``,
        ``profile`` and ``collection`` values match where they sit."""
        problems: dict[str, Any] = {}
        by_key: dict[str, dict] = {}
        for i, collection in enumerate(data.get("collections", [])):
            if "database" in collection and collection["database"] != data.get("ID"):
                problems.setdefault("collections", {})[i] = {"database": ["Must be the ID of the database it is in."]}
            by_key[collection["name"].lower()] = collection
            if "ID" in collection:
                by_key[collection["ID"]] = collection
        names = [c["name"].lower() for c in data.get("collections", [])]
        ids = [c["ID"] for c in data.get("collections", []) if "ID" in c]
        if len(names) != len(set(names)) or len(ids) != len(set(ids)):
            problems["collections"] = ["Collection names and IDs must be unique within a database."]
        sub_ids: list[str] = []
        for i, profile in enumerate(data.get("profiles", [])):
            for key, items in profile.get("subprofiles", {}).items():
                collection = by_key.get(key if is_digits(key) else key.lower())
                where = problems.setdefault("profiles", {}).setdefault(i, {}).setdefault("subprofiles", {})
                if collection is None:
                    where[key] = ["Unknown collection."]
                    continue
                for j, item in enumerate(items):
                    sub_ids.extend([item["ID"]] if "ID" in item else [])
                    if "collection" in item and item["collection"] != collection.get("ID"):
                        where.setdefault(key, {})[j] = {"collection": ["Must be the ID of the collection it is in."]}
                    if "profile" in item and item["profile"] != profile.get("ID"):
                        where.setdefault(key, {})[j] = {"profile": ["Must be the ID of the profile it is in."]}
                if not where:
                    del problems["profiles"][i]
            if not problems.get("profiles", True):
                del problems["profiles"]
        if len(sub_ids) != len(set(sub_ids)):
            problems["profiles"] = ["Duplicate subprofile ID."]
        if problems:
            raise ValidationError(problems)

    @validates_schema
    def _unique_names(self, data: dict, **kwargs) -> None:
        for kind in ("fields", "interests"):
            names = [item["name"].lower() for item in data.get(kind, [])]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValidationError(f"Duplicate name {dupes[0]!r}.", kind)
        ids = [p["ID"] for p in data.get("profiles", []) if "ID" in p]
        if len(ids) != len(set(ids)):
            raise ValidationError("Duplicate profile ID.", "profiles")


class AccountFixture(Schema):
    class Meta:
        unknown = RAISE

    name = mf.String(required=True, validate=validate.Length(min=1))
    access_token = mf.String(validate=validate.Length(min=1))
    description = mf.String(load_default="")
    company = mf.String(load_default="")
    databases = mf.List(mf.Nested(DatabaseFixture), load_default=list)
    #: per-account realism settings (emulator/realism/settings.py); replaces them when given
    settings = mf.Nested(lambda: _settings_schema())

    @validates_schema
    def _unique_databases(self, data: dict, **kwargs) -> None:
        names = [d["name"].lower() for d in data.get("databases", [])]
        ids = [d["ID"] for d in data.get("databases", []) if "ID" in d]
        if len(names) != len(set(names)) or len(ids) != len(set(ids)):
            raise ValidationError("Database names and IDs must be unique within an account.", "databases")


class CopernicaFixtures(Schema):
    """The ``copernica`` section of a fixtures document."""

    class Meta:
        unknown = RAISE

    accounts = mf.List(mf.Nested(AccountFixture), load_default=list)

    @validates_schema
    def _unique_accounts(self, data: dict, **kwargs) -> None:
        names = [a["name"] for a in data.get("accounts", [])]
        tokens = [a["access_token"] for a in data.get("accounts", []) if "access_token" in a]
        if len(names) != len(set(names)):
            raise ValidationError("Account names must be unique.", "accounts")
        if len(tokens) != len(set(tokens)):
            raise ValidationError("Two accounts cannot share an access_token.", "accounts")


def _settings_schema() -> Schema:
    return settings_schema(VENDOR, SETTINGS, fixtures=True)


# -- request parameters -----------------------------------------------------------------------
class ListParams(Schema):
    """Paging and ordering of ``GET database/<id>/profiles`` (vendor-apis.md §4.6).

    Parameter names are case-sensitive and unknown ones are ignored, as on the live API.
    """

    class Meta:
        unknown = "exclude"

    start = PhpInt(load_default=0, metadata=INTEGER)
    limit = PhpInt(load_default=100, metadata=INTEGER)
    total = PhpBool(load_default=True, metadata=BOOLEAN)
    orderby = PhpString(load_default="id", metadata={"type": "string", "description": "a field name or ID, id, modified or random"})
    order = PhpString(load_default="asc", metadata={"type": "string", "description": "desc or descending sorts descending"})
    dataonly = PhpBool(load_default=False, metadata=BOOLEAN)

    @post_load
    def _normalise(self, data: dict, **kwargs) -> dict:
        data["descending"] = data.pop("order").strip().lower() in ("desc", "descending")
        return data


class PagingParams(Schema):
    class Meta:
        unknown = "exclude"

    start = PhpInt(load_default=0, metadata=INTEGER)
    limit = PhpInt(load_default=100, metadata=INTEGER)
    total = PhpBool(load_default=True, metadata=BOOLEAN)


class UpdateParams(Schema):
    """``create`` and ``async`` of ``PUT database/<id>/profiles``."""

    class Meta:
        unknown = "exclude"

    create = PhpBool(load_default=False, metadata=BOOLEAN)
    async_ = PhpBool(data_key="async", load_default=False, metadata=BOOLEAN)


class SelectionParams(Schema):
    """The ``fields`` selection (vendor-apis.md §4.4); ``fields[0]``, ``fields[1]``… work too."""

    class Meta:
        unknown = "exclude"

    selection = mf.List(mf.String(), data_key="fields[]", metadata={
        "description": "conditions <field><op><value>, ANDed: == != <> < > <= >= =~ (LIKE) !~ (NOT LIKE)",
        "example": ["customerid==4567"]})


class ProfilesQuery(ListParams, SelectionParams):
    """``GET database/<id>/profiles``: paging, ordering and a selection."""

    class Meta:
        unknown = "exclude"


class UpdateQuery(UpdateParams):
    class Meta:
        unknown = "exclude"

    selection = mf.List(mf.String(), data_key="fields[]", required=True, metadata={
        "description": "which profiles to update; conditions naming no known field select them all",
        "example": ["customerid==4567"]})


class DeleteQuery(Schema):
    class Meta:
        unknown = "exclude"

    completely = PhpBool(metadata=BOOLEAN)


# -- request bodies (for the OpenAPI description; Copernica reads bodies leniently) ------------
class ProfileBody(Schema):
    """A profile create/update body. Unknown fields and keys are ignored, as Copernica does."""

    class Meta:
        unknown = "include"

    field_values = mf.Dict(keys=mf.String(), values=mf.Raw(), data_key="fields", attribute="fields",
                           metadata={"example": {"firstname": "John"}})
    interests = mf.Raw(metadata={"description": "[\"football\"] or {\"football\": 1, \"baseball\": 0}"})
    secret = mf.String(metadata={"description": "PUT profile/<id> only"})


class DatabaseBody(Schema):
    class Meta:
        unknown = "include"

    name = mf.String(required=True, metadata={"example": "Newsletter"})
    description = mf.String()


class FieldBody(Schema):
    class Meta:
        unknown = "include"

    name = mf.String(required=True, metadata={"example": "firstname"})
    type = mf.String(validate=validate.OneOf(TYPES))
    value = mf.String()


class InterestBody(Schema):
    class Meta:
        unknown = "include"

    name = mf.String(required=True, metadata={"example": "football"})
    group = mf.String()


class DeleteBody(Schema):
    class Meta:
        unknown = "include"

    completely = mf.Raw(metadata={"description": "Yes/No (default No): remove the profile for good"})


# -- responses (what the API returns; also the OpenAPI description) ---------------------------
class ErrorMessage(Schema):
    message = mf.String(required=True)


class ErrorOut(Schema):
    """Every Copernica error: HTTP 400 with this body."""

    error = mf.Nested(ErrorMessage, required=True)

class ProfileOut(Schema):
    ID = mf.String(required=True)
    field_values = mf.Dict(keys=mf.String(), values=mf.String(), data_key="fields", attribute="fields",
                           required=True)
    interests = mf.List(mf.String(), required=True)
    database = mf.String()
    secret = mf.String()
    created = mf.String()
    modified = mf.String(required=True)
    removed = mf.Raw(metadata={"description": "false, or the time it was removed",
                               "oneOf": [{"type": "boolean", "enum": [False]}, {"type": "string"}]})


class FieldOut(Schema):
    ID = mf.String()
    name = mf.String()
    type = mf.String()
    value = mf.String()
    displayed = mf.Boolean()
    ordered = mf.Boolean()
    length = mf.Integer()
    textlines = mf.Integer()
    hidden = mf.Boolean()
    index = mf.Boolean()


class InterestOut(Schema):
    ID = mf.String()
    name = mf.String()
    group = mf.String()


class ListOut(Schema):
    """Copernica's paged list wrapper; ``total`` is left out with ``total=false``."""

    start = mf.Integer(required=True)
    limit = mf.Integer(required=True)
    count = mf.Integer(required=True)
    total = mf.Integer()


class SubprofileOut(Schema):
    """Exactly the eight keys of rest-get-subprofile, in this order."""

    ID = mf.String(required=True)
    secret = mf.String()
    field_values = mf.Dict(keys=mf.String(), values=mf.String(), data_key="fields", attribute="fields",
                           required=True)
    profile = mf.String(required=True)
    collection = mf.String(required=True)
    created = mf.String()
    modified = mf.String(required=True)
    removed = mf.Raw(metadata={"description": "false, or the time it was removed",
                               "oneOf": [{"type": "boolean", "enum": [False]}, {"type": "string"}]})


class SubprofileList(ListOut):
    data = mf.List(mf.Nested(SubprofileOut), required=True)


class CollectionBody(Schema):
    class Meta:
        unknown = "include"

    name = mf.String(required=True, metadata={"example": "my_collection"})
    description = mf.String(metadata={"example": "example collection"})


class ProfileList(ListOut):
    data = mf.List(mf.Nested(ProfileOut), required=True)


class FieldList(ListOut):
    data = mf.List(mf.Nested(FieldOut), required=True)


class InterestList(ListOut):
    data = mf.List(mf.Nested(InterestOut), required=True)


class CollectionList(ListOut):
    data = mf.List(mf.Dict(), required=True)


class CollectionOut(Schema):
    ID = mf.String(required=True)
    name = mf.String(required=True)
    database = mf.String(required=True)
    field_list = mf.Nested(FieldList, data_key="fields", attribute="fields", required=True)


class DatabaseOut(Schema):
    ID = mf.String(required=True)
    name = mf.String(required=True)
    description = mf.String(required=True)
    archived = mf.Boolean(required=True)
    field_list = mf.Nested(FieldList, data_key="fields", attribute="fields", required=True)
    interests = mf.Nested(InterestList, required=True)
    collections = mf.Nested(CollectionList, required=True)


class DatabaseList(ListOut):
    data = mf.List(mf.Nested(DatabaseOut), required=True)


class IdentityOut(Schema):
    id = mf.String(required=True)
    name = mf.String(required=True)
    description = mf.String(required=True)
    company = mf.String(required=True)
    customer = mf.Dict(required=True)
    usedBy = mf.List(mf.Raw(), required=True)
    license = mf.Dict(required=True)
