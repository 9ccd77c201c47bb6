"""What the dashboard shows of Copernica: an account's profiles as a table, one profile as the
API returns it. Read-only, and paged before anything is rendered (vendor-agnostic shape:
``Vendor.profiles_page`` / ``profile_detail``)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import CopernicaError
from .model import Account, field_values
from .settings import VENDOR
from .subprofiles import Collections

if TYPE_CHECKING:
    from ...state import Emulator

#: field columns shown in the table (the database's first fields); the detail shows them all
FIELD_COLUMNS = 5


def _matches(profile: dict[str, Any], needle: str) -> bool:
    if needle in profile["ID"]:
        return True
    return any(needle in str(v).casefold() for v in profile["fields"].values()) or \
        any(needle in i.casefold() for i in profile["interests"])


def profiles_page(emulator: Emulator, tenant: str, query: str, offset: int, limit: int) -> dict[str, Any]:
    store = emulator.store
    page: Sequence[dict[str, Any]]
    if query:
        needle = query.casefold()
        found = store.search(VENDOR, tenant, "profiles", lambda p: _matches(p, needle))
        total, page = len(found), found[offset:offset + limit]
    else:
        total, items = store.page(VENDOR, tenant, "profiles", offset, limit)
        page = [doc for _, doc in items]
    databases = {d["ID"]: d for d in (store.peek(VENDOR, tenant, "databases", p["database"])
                                      for p in page if p is not None) if d is not None}
    field_names: list[str] = []
    for shown in databases.values():
        for field in shown["fields"][:FIELD_COLUMNS]:
            if field["name"] not in field_names:
                field_names.append(field["name"])
    rows = []
    for profile in page:
        if profile is None:
            continue
        database = databases.get(profile["database"])
        values = field_values(profile, database) if database else {}
        removed = profile["removed"] is not False
        cells = {"ID": profile["ID"], "database": database["name"] if database else profile["database"]}
        cells.update({name: "" if removed else values.get(name, "") for name in field_names})
        cells.update({"interests": ", ".join(profile["interests"]), "modified": profile["modified"],
                      "removed": profile["removed"] or ""})
        rows.append({"key": profile["ID"], "cells": cells})
    columns = ["ID", "database", *field_names, "interests", "modified", "removed"]
    return {"total": total, "columns": columns, "rows": rows}


def profile_read(emulator: Emulator, tenant: str, key: str, base_url: str) -> dict[str, Any] | None:
    """``GET /v3/profile/<ID>`` and its answer, through the same model call as the route."""
    if emulator.store.peek(VENDOR, tenant, "profiles", key) is None:
        return None
    account = Account(emulator.store, emulator.clock, tenant)
    try:
        document, status = account.render(account.profile(key)), 200
    except CopernicaError as exc:
        document, status = {"error": {"message": exc.message}}, 400
    return {"request": f"GET {base_url.rstrip('/')}/v3/profile/{key}?access_token=***",
            "status": status, "document": document}


def profile_title(emulator: Emulator, tenant: str, key: str) -> str:
    profile = emulator.store.peek(VENDOR, tenant, "profiles", key)
    database = emulator.store.peek(VENDOR, tenant, "databases", profile["database"]) if profile else None
    return f"Profile {key} · database {database['name'] if database else '?'}"


def profile_related(emulator: Emulator, tenant: str, key: str) -> list[dict[str, Any]]:
    """The profile's subprofiles, one table per collection of its database."""
    profile = emulator.store.peek(VENDOR, tenant, "profiles", key)
    if profile is None:
        return []
    return subprofile_tables(Collections(Account(emulator.store, emulator.clock, tenant)), profile)


def subprofile_tables(collections: Collections, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """One table per collection of the profile's database: its subprofiles (removed ones too,
    marked), each row as ``GET subprofile/<id>`` shows it. Read on every poll of the detail,
    so a change to a subprofile shows up live."""
    mine = collections.store.search(VENDOR, collections.name, "subprofiles", lambda s: s["profile"] == profile["ID"])
    tables = []
    for collection in collections.of_database(profile["database"]):
        names = [f["name"] for f in collection["fields"]]
        rows = []
        for sub in sorted((s for s in mine if s["collection"] == collection["ID"]), key=lambda s: int(s["ID"])):
            shown = collections.render(sub, collection)
            rows.append({"key": sub["ID"], "cells": {"ID": sub["ID"], **shown["fields"],
                                                     "modified": sub["modified"], "removed": sub["removed"] or ""}})
        tables.append({"title": f"Subprofiles in {collection['name']} (collection {collection['ID']})",
                       "columns": ["ID", *names, "modified", "removed"], "rows": rows})
    return tables
