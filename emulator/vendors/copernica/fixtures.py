"""Copernica's section of a fixtures document: apply it to the store, export the store as it.

Seeding adds or replaces what the document names: an account by name, a database by ID (or by
name when no ID is given) with all its profiles. Every server-made value (IDs, secrets, times)
is exported, so ``GET /_emulator/state`` → ``POST /_emulator/seed`` gives back the same state.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import EmulatorError
from .model import VENDOR, Account, apply_values, make_field, new_access_token, new_secret
from ...jsondoc import Doc

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


def _drop_database(account: Account, database_id: str) -> None:
    store = account.store
    store.delete(VENDOR, account.name, "databases", database_id)
    store.drop_indexes(VENDOR, account.name, "profiles", f"database/{database_id}/")  # see selection.lookup
    for profile in store.search(VENDOR, account.name, "profiles", lambda p: p["database"] == database_id):
        store.delete(VENDOR, account.name, "profiles", profile.doc_id)


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
    doc["fields"] = [{k: v for k, v in f.items() if k in ("ID", "name", "type") or FIELD_DEFAULTS.get(k) != v}
                     for f in database["fields"]]
    doc["interests"] = [dict(i) for i in database["interests"]]
    profiles = account.store.search(VENDOR, account.name, "profiles", lambda p: p["database"] == database["ID"])
    doc["profiles"] = [{"ID": p["ID"], "fields": dict(p["fields"]), "interests": list(p["interests"]),
                        "secret": p["secret"], "created": p["created"], "modified": p["modified"],
                        "removed": p["removed"]}
                       for p in sorted(profiles, key=lambda p: int(p["ID"]))]
    return doc

