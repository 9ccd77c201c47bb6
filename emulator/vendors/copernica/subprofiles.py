"""Copernica's collections and their subprofiles (vendor-apis.md §4.10), on the store.

"Subprofiles are to a collection what regular profiles are to a database": a collection has
field definitions like a database, and each subprofile belongs to one profile. So this module
reuses the profile rules of ``model`` (value normalisation, the ``fields`` selection, ordering,
the removed-entity rules) with a collection where a profile has its database. Plain Python, no
Flask.

Store layout (vendor ``copernica``, tenant = account name), beside ``model``'s:
``collections/<ID>`` a collection (``ID``, ``name``, ``database``, ``description``, ``fields``);
``subprofiles/<ID>`` a subprofile (``ID``, ``collection``, ``profile``, ``fields`` that were set,
``secret``, ``created``, ``modified``, ``removed``). Subprofiles sit in one tenant-scoped store
collection, like profiles, so a selection over them goes through the same ``Store.search``
(and whatever index serves the profiles' selections serves theirs).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...ids import is_digits
from ...store import clone
from . import errors
from .errors import CopernicaError
from .fieldtypes import TYPES
from ...jsondoc import Doc
from .model import (
    Account, apply_values, field_values, list_wrapper, make_field, new_secret, order_profiles,
    update_entity,
)
from .schemas import FIELD_NAME
from .settings import VENDOR

#: the properties of a field definition a PUT may change (rest-put-collection-field)
FIELD_PROPERTIES = ("name", "type", "value", "displayed", "ordered", "length", "textlines", "hidden", "index")
#: what ``dataonly=true`` keeps of a subprofile: "the ID, fields, collection ID, profile ID and
#: modified date" (rest-get-collection-subprofiles)
DATAONLY = ("ID", "fields", "profile", "collection", "modified")


class Collections:
    """The collections of one account, and their subprofiles."""

    def __init__(self, account: Account):
        self.account = account
        self.store = account.store
        self.name = account.name

    # -- collections -------------------------------------------------------------------------
    def of_database(self, database_id: str) -> list[Doc]:
        found = self.store.search(VENDOR, self.name, "collections", lambda c: c["database"] == database_id)
        return sorted(found, key=lambda c: int(c["ID"]))

    def collection(self, ref: str, *, database_id: str | None = None, for_update: bool = False) -> Doc:
        """A collection by ID or by name (any case; within ``database_id`` when given)."""
        found = None
        if is_digits(ref):
            found = self.store.peek(VENDOR, self.name, "collections", str(int(ref)))
            if found is not None and database_id is not None and found["database"] != database_id:
                found = None
        elif ref:
            wanted = ref.lower()
            found = next((c for c in sorted(self.store.search(VENDOR, self.name, "collections", lambda c: (
                c["name"].lower() == wanted and database_id in (None, c["database"]))),
                key=lambda c: int(c["ID"]))), None)
        if found is None:
            raise CopernicaError(errors.NO_COLLECTION)
        return clone(found) if for_update else found

    def render_collection(self, collection: Doc) -> Doc:
        fields = collection["fields"]
        return {"ID": collection["ID"], "name": collection["name"], "database": collection["database"],
                "fields": list_wrapper(fields, 0, len(fields), len(fields))}

    def list_collections(self, database_ref: str, params: Doc) -> Doc:
        database = self.account.database(database_ref)
        items = [self.render_collection(c) for c in self.of_database(database["ID"])]
        start, limit = params["start"], params["limit"]
        page = items[start:start + limit] if start >= 0 and limit >= 0 else []
        return list_wrapper(page, start, limit, len(items) if params["total"] else None)

    def _check_name(self, name: Any, database_id: str, own_id: str | None = None) -> str:
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            raise CopernicaError(errors.INVALID_COLLECTION_NAME)
        if any(c["name"].lower() == name.lower() and c["ID"] != own_id for c in self.of_database(database_id)):
            raise CopernicaError(errors.COLLECTION_EXISTS)
        return name

    def create_collection(self, database_ref: str, body: Any) -> str:
        body = body if isinstance(body, dict) else {}
        with self.store.transaction():
            database = self.account.database(database_ref)
            name = self._check_name(body.get("name"), database["ID"])
            description = body.get("description", "")
            collection_id = self.account._next_id("collections")
            self.account._put("collections", collection_id, {
                "ID": collection_id, "name": name, "database": database["ID"],
                "description": description if isinstance(description, str) else "", "fields": []})
        return collection_id

    def update_collection(self, ref: str, body: Any) -> None:
        """``PUT collection/<id>``: only ``name`` is documented; other keys are ignored."""
        body = body if isinstance(body, dict) else {}
        with self.store.transaction():
            collection = self.collection(ref, for_update=True)
            if "name" not in body:
                return
            collection["name"] = self._check_name(body["name"], collection["database"], collection["ID"])
            self.account._put("collections", collection["ID"], collection)

    def list_fields(self, ref: str, params: Doc) -> Doc:
        fields = self.collection(ref)["fields"]
        start, limit = params["start"], params["limit"]
        page = fields[start:start + limit] if start >= 0 and limit >= 0 else []
        return list_wrapper(page, start, limit, len(fields) if params["total"] else None)

    def create_field(self, ref: str, body: Any) -> str:
        body = body if isinstance(body, dict) else {}
        self.collection(ref)  # the ID is checked before the body
        name, field_type = body.get("name"), body.get("type", "text")
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            raise CopernicaError(errors.INVALID_FIELD_NAME)
        if field_type not in TYPES:
            raise CopernicaError(errors.INVALID_FIELD_TYPE)
        with self.store.transaction():
            collection = self.collection(ref, for_update=True)
            if any(f["name"].lower() == name.lower() for f in collection["fields"]):
                raise CopernicaError(errors.FIELD_EXISTS)
            field_id = self.account._next_id("fields")
            collection["fields"].append(make_field({**body, "ID": field_id, "type": field_type}))
            self.account._put("collections", collection["ID"], collection)
        return field_id

    def _field_index(self, collection: Doc, field_ref: str) -> int:
        for index, field in enumerate(collection["fields"]):
            if field["ID"] == field_ref or field["name"].lower() == field_ref.lower():
                return index
        raise CopernicaError(errors.NO_FIELD)

    def update_field(self, ref: str, field_ref: str, body: Any) -> None:
        body = body if isinstance(body, dict) else {}
        with self.store.transaction():
            collection = self.collection(ref, for_update=True)
            index = self._field_index(collection, field_ref)
            old = collection["fields"][index]
            spec = {**old, **{k: body[k] for k in FIELD_PROPERTIES if k in body}}
            if not isinstance(spec["name"], str) or not FIELD_NAME.match(spec["name"]):
                raise CopernicaError(errors.INVALID_FIELD_NAME)
            if spec["type"] not in TYPES:
                raise CopernicaError(errors.INVALID_FIELD_TYPE)
            if any(f["name"].lower() == spec["name"].lower() and f["ID"] != old["ID"] for f in collection["fields"]):
                raise CopernicaError(errors.FIELD_EXISTS)
            collection["fields"][index] = make_field(spec)
            self._rename_values(collection, old["name"], spec["name"])
            self.account._put("collections", collection["ID"], collection)

    def _rename_values(self, collection: Doc, old: str, new: str) -> None:
        if old == new:
            return
        for sub in self.store.search(VENDOR, self.name, "subprofiles", lambda s: (
                s["collection"] == collection["ID"] and old in s["fields"])):
            sub = clone(sub)
            sub["fields"][new] = sub["fields"].pop(old)
            self.account._put("subprofiles", sub["ID"], sub)

    def delete_field(self, ref: str, field_ref: str) -> None:
        with self.store.transaction():
            collection = self.collection(ref, for_update=True)
            field = collection["fields"].pop(self._field_index(collection, field_ref))
            for sub in self.store.search(VENDOR, self.name, "subprofiles", lambda s: (
                    s["collection"] == collection["ID"] and field["name"] in s["fields"])):
                sub = clone(sub)
                del sub["fields"][field["name"]]
                self.account._put("subprofiles", sub["ID"], sub)
            self.account._put("collections", collection["ID"], collection)

    # -- subprofiles: reading ------------------------------------------------------------------
    def subprofile(self, subprofile_id: str) -> Doc:
        found = self.store.get(VENDOR, self.name, "subprofiles", str(int(subprofile_id))) \
            if is_digits(subprofile_id) else None
        if found is None:
            raise CopernicaError(errors.NO_SUBPROFILE)
        return found

    def render(self, sub: Doc, collection: Doc | None = None, *, in_list: bool = False) -> Doc:
        """Exactly the eight keys of rest-get-subprofile, every field of the collection as a string."""
        collection = collection or self.store.peek(VENDOR, self.name, "collections", sub["collection"])
        values = {} if collection is None else field_values(sub, collection)
        removed = sub["removed"] is not False and not in_list
        return {
            "ID": sub["ID"], "secret": sub["secret"],
            "fields": {name: "" for name in values} if removed else values,
            "profile": sub["profile"], "collection": sub["collection"],
            "created": sub["created"], "modified": sub["modified"],
            "removed": False if in_list else sub["removed"],
        }

    def select(self, collection: Doc, expressions: Iterable[str] | None, *,
               profile_id: str | None = None) -> list[Doc]:
        """Non-removed subprofiles of ``collection`` matching the selection, in ID order."""
        collection_id = collection["ID"]

        def member(s: Doc) -> bool:
            return s["collection"] == collection_id and s["removed"] is False

        def of_profile(s: Doc) -> bool:
            return s["profile"] == profile_id

        return self.account.selected("subprofiles", collection["fields"], expressions, f"collection/{collection_id}",
                                     member, None if profile_id is None else of_profile)

    def _page(self, collection: Doc, subs: list[Doc], params: Doc) -> Doc:
        start, limit = params["start"], params["limit"]
        subs = order_profiles(subs, collection, params["orderby"], params["descending"])
        page = subs[start:start + limit] if start >= 0 and limit >= 0 else []
        rendered = [self.render(s, collection, in_list=True) for s in page]
        if params["dataonly"]:
            rendered = [{k: r[k] for k in DATAONLY} for r in rendered]
        return list_wrapper(rendered, start, limit, len(subs) if params["total"] else None)

    def list_subprofiles(self, ref: str, params: Doc, expressions: list[str] | None) -> Doc:
        collection = self.collection(ref)
        return self._page(collection, self.select(collection, expressions), params)

    def subprofile_ids(self, ref: str) -> list[int]:
        return [int(s["ID"]) for s in self.select(self.collection(ref), None)]

    def _collection_of_profile(self, profile: Doc, collection_ref: str, error: str) -> Doc:
        try:
            return self.collection(collection_ref, database_id=profile["database"])
        except CopernicaError:
            raise CopernicaError(error) from None

    def profile_subprofiles(self, profile_id: str, collection_ref: str, params: Doc) -> Doc:
        profile = self.account.profile(profile_id)
        collection = self._collection_of_profile(profile, collection_ref, errors.NO_COLLECTION)
        return self._page(collection, self.select(collection, None, profile_id=profile["ID"]), params)

    # -- subprofiles: writing ------------------------------------------------------------------
    def _insert(self, profile: Doc, collection: Doc, values: Doc) -> str:
        now = self.account.now()
        sub = {"ID": self.account._next_id("subprofiles"), "collection": collection["ID"],
               "profile": profile["ID"], "fields": {}, "secret": new_secret(), "created": now,
               "modified": now, "removed": False}
        apply_values(sub, collection, values, None)
        self.account._put("subprofiles", sub["ID"], sub)
        return sub["ID"]

    def create_subprofile(self, profile_id: str, collection_ref: str, body: Any) -> str:
        """``POST profile/<id>/subprofiles/<collection>``: the body is the fields themselves.

        A removed profile still gets the subprofile, as on the live API (reported to Copernica
        as a probable bug, vendor-apis.md §4.10)."""
        with self.store.transaction():
            profile = self.account.profile(profile_id)
            collection = self._collection_of_profile(profile, collection_ref, errors.SUBPROFILE_NOT_CREATED)
            return self._insert(profile, collection, flat_values(body))

    def update_profile_subprofiles(self, profile_id: str, collection_ref: str, expressions: list[str],
                                   body: Any, create: bool) -> tuple[int, str | None]:
        """``PUT profile/<id>/subprofiles/<collection>``: update the profile's matches, or create one."""
        values = flat_values(body)
        with self.store.transaction():
            profile = self.account.profile(profile_id)
            collection = self._collection_of_profile(profile, collection_ref, errors.NO_COLLECTION)
            matched = self.select(collection, expressions, profile_id=profile["ID"])
            for sub in matched:
                self._update(sub, collection, values, None)
            if not matched and create:
                return 0, self._insert(profile, collection, values)
            return len(matched), None

    def update_collection_subprofiles(self, ref: str, expressions: list[str], body: Any) -> int:
        """``PUT collection/<id>/subprofiles`` (v3 only): update every match; never creates."""
        with self.store.transaction():
            collection = self.collection(ref)
            values = selection_update_values(body, collection)
            matched = self.select(collection, expressions)
            for sub in matched:
                self._update(sub, collection, values, None)
            return len(matched)

    def _update(self, sub: Doc, collection: Doc, values: Doc, secret: Any) -> None:
        changed = update_entity(sub, collection, values, None, secret, self.account.now())
        if changed is not None:
            self.account._put("subprofiles", changed["ID"], changed)

    def update_subprofile(self, subprofile_id: str, body: Any) -> None:
        """``PUT subprofile/<id>``: ``{"fields": {...}, "secret": "..."}``; a non-object ``fields``
        is ignored, as are unknown keys."""
        body = body if isinstance(body, dict) else {}
        values = body.get("fields")
        with self.store.transaction():
            sub = self.subprofile(subprofile_id)
            collection = self.collection(sub["collection"])
            self._update(sub, collection, values if isinstance(values, dict) else {}, body.get("secret"))

    def update_subprofile_fields(self, subprofile_id: str, body: Any) -> None:
        with self.store.transaction():
            sub = self.subprofile(subprofile_id)
            self._update(sub, self.collection(sub["collection"]), flat_values(body), None)

    def delete_subprofile(self, subprofile_id: str, completely: bool = False) -> None:
        with self.store.transaction():
            sub = self.subprofile(subprofile_id)
            if sub["removed"] is not False:
                raise CopernicaError(errors.SUBPROFILE_ALREADY_REMOVED)
            if completely:
                self.store.delete(VENDOR, self.name, "subprofiles", sub["ID"])
                return
            self.account._put("subprofiles", sub["ID"], {**sub, "fields": {}, "removed": self.account.now()})


def flat_values(body: Any) -> Doc:
    """A flat ``{"field": value}`` body (POST/PUT of subprofile fields); anything else is empty."""
    if isinstance(body, dict):
        return body
    return {}


def selection_update_values(body: Any, collection: Doc) -> Doc:
    """``PUT collection/<id>/subprofiles`` is documented with both a flat body (the JSON example)
    and ``{"fields": {...}}`` (the PHP example): a ``fields`` object that is not the value of a
    collection field named ``fields`` is the wrapper."""
    body = flat_values(body)
    wrapped = body.get("fields")
    if isinstance(wrapped, dict) and not any(f["name"].lower() == "fields" for f in collection["fields"]):
        return wrapped
    return body

