"""Copernica's section of a fixtures document: apply it to the store, export the store as it.

Seeding adds or replaces what the document names: an account by name, a database by ID (or by
name when no ID is given) with all its profiles. Every server-made value (IDs, secrets, times)
is exported, so ``GET /_emulator/state`` → ``POST /_emulator/seed`` gives back the same state.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...errors import EmulatorError
from ...ids import is_digits
from ...jsondoc import Doc
from .definitions import interests_of
from .fieldtypes import choices_of, normalize
from .model import Account, make_field, new_access_token, wanted_interests
from .settings import VENDOR

if TYPE_CHECKING:
    from ...state import Emulator

#: random bytes in a profile's secret (28 hex characters, as ``model.new_secret`` makes)
SECRET_BYTES = 14

FIELD_DEFAULTS = {"value": "", "displayed": False, "ordered": False, "length": 255, "textlines": 1,
                  "hidden": False, "index": False}


def check(emulator: Emulator, section: Doc) -> None:
    """Conflicts with the state already there, found before anything is applied."""
    store = emulator.store
    for account in section["accounts"]:
        token = account.get("access_token")
        for tenant in store.tenants(VENDOR):
            other = store.get(VENDOR, tenant, "account", "account")
            if tenant != account["name"] and other and token and other["access_token"] == token:
                raise EmulatorError(f"invalid fixtures: copernica.accounts: access_token of "
                                    f"{account['name']!r} is already used by account {tenant!r}")


def load(emulator: Emulator, section: Doc) -> None:
    store = emulator.store
    for spec in section["accounts"]:
        name = spec["name"]
        existing = store.get(VENDOR, name, "account", "account") or {}
        store.put(VENDOR, name, "account", "account", {
            "name": name,
            "access_token": spec.get("access_token") or existing.get("access_token") or new_access_token(),
            "description": spec.get("description") or existing.get("description", ""),
            "company": spec.get("company") or existing.get("company", ""),
        })
        account = Account(store, emulator.clock, name)
        for database in spec["databases"]:
            _load_database(account, database)
        if "settings" in spec:
            emulator.realism.update(VENDOR, name, spec["settings"], replace=True)


def _load_database(account: Account, spec: Doc) -> None:
    store, name = account.store, account.name
    database_id = spec.get("ID") or next(
        (d["ID"] for d in account.databases() if d["name"].lower() == spec["name"].lower()), None)
    if database_id is None:
        database_id = account._next_id("databases")
    store.bump_id(VENDOR, name, "databases", int(database_id))
    for old in account.databases():  # a database named like another one replaces it
        if old["ID"] != database_id and old["name"].lower() == spec["name"].lower():
            _drop_database(account, old["ID"])
    _drop_database(account, database_id)

    def with_id(item: Doc, counter: str) -> Doc:
        item_id = item.get("ID") or account._next_id(counter)
        store.bump_id(VENDOR, name, counter, int(item_id))
        return {**item, "ID": item_id}

    database = {
        "ID": database_id, "name": spec["name"], "description": spec["description"],
        "fields": [make_field(with_id(f, "fields")) for f in spec["fields"]],
        "interests": [{"ID": i["ID"], "name": i["name"], "group": i["group"]}
                      for i in (with_id(i, "interests") for i in spec["interests"])],
    }
    store.put(VENDOR, name, "databases", database_id, database)
    collections = _load_collections(account, database, spec["collections"], with_id)
    _load_profiles(account, database, spec["profiles"], collections)


def _load_profiles(account: Account, database: Doc, items: list[Doc], collections: dict[str, Doc]) -> None:
    """Every profile of a database, and their subprofiles, in one write of the store.

    Why not one ``put`` each: seeding 100,000 profiles would pay the store's lock, copy, index
    upkeep and a change-log entry 100,000 times, and rebuild the database's field lookup for
    each. IDs, secrets, times and values are what one ``put`` per profile would store, and the
    writes go in the same order (a profile, then its subprofiles)."""
    store, name, now = account.store, account.name, account.now()
    profile_ids = iter(store.take_ids(VENDOR, name, "profiles", [_given_id(item) for item in items]))
    sub_ids = iter(store.take_ids(VENDOR, name, "subprofiles", [
        _given_id(sub) for item in items for subs in item["subprofiles"].values() for sub in subs]))
    fresh = _new_secrets()
    values = {database["ID"]: _Values(database)}
    values.update((c["ID"], _Values(c)) for c in collections.values())
    writes: list[tuple[str, str, Doc]] = []
    for item in items:
        profile_id = str(next(profile_ids))
        profile = {"ID": profile_id, "database": database["ID"], "fields": {}, "interests": [],
                   "secret": item.get("secret") or next(fresh),
                   "created": item.get("created") or now, "modified": item.get("modified") or now,
                   "removed": item["removed"]}
        if item["removed"] is False:
            values[database["ID"]].apply(profile, item["fields"], item["interests"])
        writes.append(("profiles", profile_id, profile))
        for key, subs in item["subprofiles"].items():
            collection = collections[key if is_digits(key) else key.lower()]
            for sub_item in subs:
                sub_id = str(next(sub_ids))
                sub = {"ID": sub_id, "collection": collection["ID"], "profile": profile_id, "fields": {},
                       "secret": sub_item.get("secret") or next(fresh), "created": sub_item.get("created") or now,
                       "modified": sub_item.get("modified") or now, "removed": sub_item["removed"]}
                if sub_item["removed"] is False:
                    values[collection["ID"]].apply(sub, sub_item["fields"], None)
                writes.append(("subprofiles", sub_id, sub))
    store.put_many(VENDOR, name, writes, owned=True)


def _new_secrets() -> Iterator[str]:
    """``model.new_secret()`` after ``model.new_secret()``, drawn from the system's random source
    a thousand at a time rather than one call each."""
    while True:
        drawn = secrets.token_hex(SECRET_BYTES * 1024)
        step = 2 * SECRET_BYTES
        for start in range(0, len(drawn), step):
            yield drawn[start:start + step]


def _given_id(item: Doc) -> int | None:
    return int(item["ID"]) if item.get("ID") else None


class _Values:
    """``model.apply_values`` for many records of one database or collection: its field and
    interest lookups built once, not once per record. Only for new records (no stored values),
    which is what seeding writes; tests/copernica/test_seed_bulk.py holds it to apply_values.

    A text value is cut to its field's length here; any other string value is normalised once
    per distinct value and field (dates, choices and numbers repeat across profiles), up to
    ``MEMO`` values a field."""

    MEMO = 4096

    def __init__(self, definition: Doc):
        #: lower-cased name -> (name, type, a select's choices, length, memo of normalised values)
        self.fields: dict[str, tuple[str, str, list[str] | None, int | None, dict[str, str]]] = {
            f["name"].lower(): (f["name"], f["type"], choices_of(f) if f["type"] == "select" else None, f.get("length"), {})
            for f in definition["fields"]}
        self.interests: list[Doc] = definition.get("interests") or []
        self.interest_names = interests_of(self.interests)

    def apply(self, record: Doc, values: Doc, interests: Any) -> None:
        stored = record["fields"]
        fields = self.fields
        for key, value in values.items():  # a later key wins, even one differing only in case
            field = fields.get(key.lower() if type(key) is str else str(key).lower())
            if field is None:
                continue  # unknown fields are silently ignored
            name, kind, choices, length, memo = field
            if type(value) is not str:
                stored[name] = normalize(kind, value, choices, length)
            elif kind == "text" or kind == "email":
                stored[name] = value if length is None or len(value) <= length else value[:length]
            else:
                new = memo.get(value)
                if new is None:
                    new = normalize(kind, value, choices, length)
                    if len(memo) < self.MEMO:
                        memo[value] = new
                stored[name] = new
        if "interests" not in record:
            return  # a subprofile: its collection has fields only
        wanted = self._wanted(interests)
        if wanted:
            record["interests"] = [i["name"] for i in self.interests if wanted.get(i["name"])]

    def _wanted(self, interests: Any) -> dict[str, bool]:
        """What ``model.interest_changes`` answers, from the lookup built once."""
        names = self.interest_names
        if type(interests) is list:  # the usual shape: names
            found = {}
            for given in interests:
                if isinstance(given, str):
                    name = names.get(given.lower())
                    if name is not None:
                        found[name] = True
            return found
        return wanted_interests(names, interests)


def _load_collections(account: Account, database: Doc, specs: list[Doc], with_id) -> dict[str, Doc]:
    """Store a database's collections; returns them by ID and by lower-cased name."""
    found: dict[str, Doc] = {}
    for spec in specs:
        collection_id = with_id(spec, "collections")["ID"]
        collection = {"ID": collection_id, "name": spec["name"], "database": database["ID"],
                      "description": spec["description"],
                      "fields": [make_field(with_id(f, "fields")) for f in spec["fields"]]}
        account.store.put(VENDOR, account.name, "collections", collection_id, collection)
        found[collection_id] = found[spec["name"].lower()] = collection
    return found


def _drop_database(account: Account, database_id: str) -> None:
    store = account.store
    store.delete(VENDOR, account.name, "databases", database_id)
    store.drop_indexes(VENDOR, account.name, "profiles", f"database/{database_id}/")  # see selection.lookup
    profiles = store.search(VENDOR, account.name, "profiles", lambda p: p["database"] == database_id)
    store.delete_many(VENDOR, account.name, "profiles", [str(p.doc_id) for p in profiles])
    profile_ids = {p["ID"] for p in profiles}
    collections = store.search(VENDOR, account.name, "collections", lambda c: c["database"] == database_id)
    for collection in collections:
        store.delete(VENDOR, account.name, "collections", str(collection.doc_id))
        store.drop_indexes(VENDOR, account.name, "subprofiles", f"collection/{collection['ID']}/")
    collection_ids = {c["ID"] for c in collections}
    subs = store.search(VENDOR, account.name, "subprofiles", lambda s: (
        s["collection"] in collection_ids or s["profile"] in profile_ids))
    store.delete_many(VENDOR, account.name, "subprofiles", [str(s.doc_id) for s in subs])


def export(emulator: Emulator) -> Doc:
    store = emulator.store
    accounts = []
    for tenant in store.tenants(VENDOR):
        stored = store.get(VENDOR, tenant, "account", "account")
        if stored is None:
            continue
        account = Account(store, emulator.clock, tenant)
        doc: Doc = {"name": tenant, "access_token": stored["access_token"]}
        for key in ("description", "company"):
            if stored.get(key):
                doc[key] = stored[key]
        doc["databases"] = [_export_database(account, d) for d in account.databases()]
        settings = emulator.realism.stored(VENDOR, tenant)
        if settings:
            doc["settings"] = settings
        accounts.append(doc)
    return {"accounts": accounts}


def _export_database(account: Account, database: Doc) -> Doc:
    doc: Doc = {"ID": database["ID"], "name": database["name"]}
    if database["description"]:
        doc["description"] = database["description"]
    doc["fields"] = _export_fields(database["fields"])
    doc["interests"] = [dict(i) for i in database["interests"]]
    collections = sorted(account.store.search(VENDOR, account.name, "collections",
                                              lambda c: c["database"] == database["ID"]), key=lambda c: int(c["ID"]))
    if collections:
        doc["collections"] = [_export_collection(c) for c in collections]
    names = {c["ID"]: c["name"] for c in collections}
    subprofiles: dict[str, dict[str, list[Doc]]] = {}
    found = account.store.search(VENDOR, account.name, "subprofiles", lambda s: s["collection"] in names)
    for sub in sorted(found, key=lambda s: int(s["ID"])):
        subprofiles.setdefault(sub["profile"], {}).setdefault(names[sub["collection"]], []).append({
            "ID": sub["ID"], "fields": dict(sub["fields"]), "secret": sub["secret"],
            "created": sub["created"], "modified": sub["modified"], "removed": sub["removed"]})
    profiles = account.store.search(VENDOR, account.name, "profiles", lambda p: p["database"] == database["ID"])
    doc["profiles"] = []
    for p in sorted(profiles, key=lambda p: int(p["ID"])):
        item = {"ID": p["ID"], "fields": dict(p["fields"]), "interests": list(p["interests"]),
                "secret": p["secret"], "created": p["created"], "modified": p["modified"],
                "removed": p["removed"]}
        if p["ID"] in subprofiles:
            item["subprofiles"] = subprofiles[p["ID"]]
        doc["profiles"].append(item)
    return doc


def _export_fields(fields: list[Doc]) -> list[Doc]:
    """Field definitions without the properties that have their default."""
    return [{k: v for k, v in f.items() if k in ("ID", "name", "type") or FIELD_DEFAULTS.get(k) != v}
            for f in fields]


def _export_collection(collection: Doc) -> Doc:
    doc: Doc = {"ID": collection["ID"], "name": collection["name"]}
    if collection["description"]:
        doc["description"] = collection["description"]
    doc["fields"] = _export_fields(collection["fields"])
    return doc
