"""The ``adobe_campaign`` section of a fixtures document: apply and export one organization.

Validation is ``schemas.FixturesSchema``'s (the whole document, before anything is applied);
here the values are already known good. Export writes the stored fields of each profile (the
derived ones are made again on read), so ``GET /_emulator/state`` -> ``POST /_emulator/seed``
gives the same state back, and the PKeys it carries resolve to the same profiles.
"""
from __future__ import annotations

import secrets
from typing import Any

from ...clock import Clock
from ...ids import is_digits
from ...store import Store
from . import pkeys
from .model import NS, ORG, ORG_KEY, PROFILES, TOMBSTONES, new_profile, organization
from .schemas import DERIVED, check_value, format_datetime, resource_fields, specs_of


def load_organization(store: Store, clock: Clock, data: dict[str, Any]) -> None:
    """Apply one validated organization of a fixtures document: add or replace what it names."""
    org = data["id"]
    existing = organization(store, org) or {}
    settings = {
        "id": org,
        "access_token": data.get("access_token") or existing.get("access_token") or f"acs-token-{secrets.token_hex(12)}",
        "api_key": data.get("api_key") or existing.get("api_key") or f"acs-key-{secrets.token_hex(8)}",
        "custom_fields": (data["custom_fields"] if data.get("custom_fields") is not None
                          else existing.get("custom_fields", [])),
    }
    settings["custom_fields"] = [{k: v for k, v in c.items() if v is not None} for c in settings["custom_fields"]]
    store.put(NS, org, ORG, ORG_KEY, settings)
    custom = {s.name: s for s in specs_of(settings["custom_fields"])}
    now = format_datetime(clock.now())
    specs = {f.name: f for f in resource_fields(tuple(custom.values()), ext=True)}
    for given in data.get("profiles") or []:
        pkey = given.get("PKey")
        if pkey:
            key = pkeys.store_key_for(org, pkey)
            if is_digits(key):
                store.bump_id(NS, org, PROFILES, int(key))
        else:
            key = str(store.next_id(NS, org, PROFILES))
            pkey = pkeys.new_pkey(org, key)
        doc = new_profile(pkey, now)
        for name, value in given.items():
            if name in DERIVED or name == "PKey":
                continue
            spec = specs[name]
            if name == "cryptedId":
                doc[name] = value
            elif spec.kind == "item":
                doc[name] = {**spec.empty, **check_value(spec, value)}
            else:
                doc[name] = check_value(spec, value)
        store.put(NS, org, PROFILES, key, doc)
        store.delete(NS, org, TOMBSTONES, key)


def export_organization(store: Store, org: str) -> dict[str, Any]:
    settings = organization(store, org) or {"id": org, "access_token": "", "api_key": "", "custom_fields": []}
    declared = {c["name"] for c in settings.get("custom_fields") or []}
    out: dict[str, Any] = {"id": org, "access_token": settings["access_token"], "api_key": settings["api_key"]}
    if settings.get("custom_fields"):
        out["custom_fields"] = settings["custom_fields"]
    out["profiles"] = [
        {k: doc[k] for k in sorted(doc) if not k.startswith("cus") or k in declared}
        for doc in store.search(NS, org, PROFILES)
    ]
    return out
