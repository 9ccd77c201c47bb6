"""Copernica's section of a fixtures document: apply it to the store, export the store as it.

Seeding adds or replaces what the document names: an account by name, a database by ID (or by
name when no ID is given) with all its profiles. Every server-made value (IDs, secrets, times)
is exported, so ``GET /_emulator/state`` → ``POST /_emulator/seed`` gives back the same state.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import EmulatorError
from ...ids import is_digits
from ...jsondoc import Doc
from .model import Account, apply_values, make_field, new_access_token, new_secret
from .settings import VENDOR

if TYPE_CHECKING:
    from ...state import Emulator

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
    now = account.now()
    for item in spec["profiles"]:
        profile_id = item.get("ID") or account._next_id("profiles")
        store.bump_id(VENDOR, name, "profiles", int(profile_id))
        profile = {"ID": profile_id, "database": database_id, "fields": {}, "interests": [],
                   "secret": item.get("secret") or new_secret(),
                   "created": item.get("created") or now, "modified": item.get("modified") or now,
                   "removed": item["removed"]}
        if item["removed"] is False:
            apply_values(profile, database, item["fields"], item["interests"])
        store.put(VENDOR, name, "profiles", profile_id, profile)
        _load_subprofiles(account, profile, item["subprofiles"], collections, with_id, now)


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


def _load_subprofiles(account: Account, profile: Doc, subprofiles: dict[str, list[Doc]],
                      collections: dict[str, Doc], with_id, now: str) -> None:
    for key, items in subprofiles.items():
        collection = collections[key if is_digits(key) else key.lower()]
        for item in items:
            sub_id = with_id(item, "subprofiles")["ID"]
            sub = {"ID": sub_id, "collection": collection["ID"], "profile": profile["ID"], "fields": {},
                   "secret": item.get("secret") or new_secret(), "created": item.get("created") or now,
                   "modified": item.get("modified") or now, "removed": item["removed"]}
            if item["removed"] is False:
                apply_values(sub, collection, item["fields"], None)
            account.store.put(VENDOR, account.name, "subprofiles", sub_id, sub)


def _drop_database(account: Account, database_id: str) -> None:
    store = account.store
    store.delete(VENDOR, account.name, "databases", database_id)
    store.drop_indexes(VENDOR, account.name, "profiles", f"database/{database_id}/")  # see selection.lookup
    profile_ids = set()
    for profile in store.search(VENDOR, account.name, "profiles", lambda p: p["database"] == database_id):
        store.delete(VENDOR, account.name, "profiles", str(profile.doc_id))
        profile_ids.add(profile["ID"])
    collection_ids = set()
    for collection in store.search(VENDOR, account.name, "collections", lambda c: c["database"] == database_id):
        store.delete(VENDOR, account.name, "collections", str(collection.doc_id))
        store.drop_indexes(VENDOR, account.name, "subprofiles", f"collection/{collection['ID']}/")
        collection_ids.add(collection["ID"])
    for sub in store.search(VENDOR, account.name, "subprofiles", lambda s: (
            s["collection"] in collection_ids or s["profile"] in profile_ids)):
        store.delete(VENDOR, account.name, "subprofiles", str(sub.doc_id))


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
