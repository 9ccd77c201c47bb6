"""The ``adobe_campaign`` section of a fixtures document: check, apply and export one organization.

Validation of each record is ``fixtures_schema``'s (the whole document, before anything is
applied); ``check`` then resolves the references between records (a subscription's service and
subscriber, a profile's or a unit's unit) against the document and the state, so that a bad
reference is a 400 naming the entry and nothing changes. Export writes the stored values of
each record (the derived ones are made again on read), so ``GET /_emulator/state`` ->
``POST /_emulator/seed`` gives the same state back, and every PKey it carries still resolves.
"""
from __future__ import annotations

import secrets
from typing import Any

from ...clock import Clock
from ...errors import EmulatorError
from ...store import Store
from . import records
from .context import Context
from .model import new_profile
from .orgunits import ROOT, ensure_root
from .records import NS, ORG, ORG_KEY, ORG_UNIT, ORG_UNITS, PROFILE, PROFILES, SERVICE, SERVICES, SUBSCRIPTIONS
from .resources import SERVICE_STORED
from .schemas import DERIVED, check_value, format_datetime, resource_fields, specs_of
from .services import SPECS as SERVICE_SPECS
from .services import Services, new_service
from .subscriptions import Subscriptions


class _Index:
    """Who is who in one organization once its fixtures entry is applied: the stored records,
    replaced or added to by the entry's (by PKey, or a service's or unit's name)."""

    def __init__(self, store: Store, org: str, data: dict[str, Any]):
        self.store, self.org = store, org
        self.unit_names = {d.get("name") for d in store.search(NS, org, ORG_UNITS)} | {ROOT["name"]}
        self.unit_names |= {u["name"] for u in data.get("orgUnits") or []}
        self.unit_pkeys = {u["PKey"] for u in data.get("orgUnits") or [] if u.get("PKey")}
        self.profile_pkeys = {p["PKey"] for p in data.get("profiles") or [] if p.get("PKey")}
        self.services = [(s.get("PKey"), s.get("name")) for s in data.get("services") or []]

    def unit(self, ref: dict[str, Any]) -> bool:
        if "PKey" in ref:
            return ref["PKey"] in self.unit_pkeys or records.find(self.store, ORG_UNIT, self.org, ref["PKey"]) is not None
        return ref.get("name") in self.unit_names

    def profile(self, pkey: str) -> bool:
        return pkey in self.profile_pkeys or records.find(self.store, PROFILE, self.org, pkey) is not None

    def service(self, ref: dict[str, Any]) -> str | None:
        """The service's identity (its PKey, or its name for a service given without one), or None."""
        pkey, name = ref.get("PKey"), ref.get("name")
        for given_pkey, given_name in self.services:
            if (pkey and pkey == given_pkey) or (not pkey and name and name == given_name):
                if pkey and name and given_name and name != given_name:
                    return None
                return given_pkey or self._stored(given_name) or given_name
        if pkey:
            found = records.find(self.store, SERVICE, self.org, pkey)
            if found is None or (name and found[1].get("name") != name):
                return None
            return pkey
        if name is None:  # a reference with neither PKey nor name names no service
            return None
        return self._stored(name)

    def _stored(self, name: str) -> str | None:
        """The PKey of the stored service of that name (a document's service without PKey replaces it)."""
        hits = records.having(self.store, self.org, SERVICES, "name", name)
        return hits[0][1]["PKey"] if hits else None


def check(store: Store, section: dict[str, Any]) -> None:
    """Refuse a section whose references name no record, or that subscribes a profile twice to
    one service, before anything of the document is applied."""
    for i, data in enumerate(section.get("organizations") or []):
        index = _Index(store, data["id"], data)
        where = f"invalid fixtures: adobe_campaign.organizations[{i}]"
        for j, unit in enumerate(data.get("orgUnits") or []):
            if unit.get("parent") and unit["parent"] not in index.unit_names:
                raise EmulatorError(f"{where}.orgUnits[{j}].parent: no unit is named {unit['parent']!r}.")
        for j, profile in enumerate(data.get("profiles") or []):
            ref = profile.get("orgUnit")
            if ref is not None and not index.unit(ref):
                raise EmulatorError(f"{where}.profiles[{j}].orgUnit: no unit of the organization is "
                                    f"{ref.get('PKey') or ref.get('name')!r}.")
        pairs: dict[tuple[str, str], str | None] = {}
        for sub in store.search(NS, data["id"], SUBSCRIPTIONS):
            service = store.peek(NS, data["id"], SERVICES, sub["service"]) or {}
            profile = store.peek(NS, data["id"], PROFILES, sub["subscriber"]) or {}
            pairs[(service.get("PKey", ""), profile.get("PKey", ""))] = sub["PKey"]
        for j, sub in enumerate(data.get("subscriptions") or []):
            identity = index.service(sub["service"])
            if identity is None:
                raise EmulatorError(f"{where}.subscriptions[{j}].service: no service of the organization "
                                    f"is {sub['service'].get('PKey') or sub['service'].get('name')!r}.")
            if not index.profile(sub["subscriber"]["PKey"]):
                raise EmulatorError(f"{where}.subscriptions[{j}].subscriber: no profile of the organization "
                                    f"has the PKey {sub['subscriber']['PKey']!r}.")
            pair = (identity, sub["subscriber"]["PKey"])
            if pair in pairs and (pairs[pair] is None or pairs[pair] != sub.get("PKey")):
                raise EmulatorError(f"{where}.subscriptions[{j}]: the profile is already subscribed to "
                                    "this service (a profile has one subscription per service).")
            pairs[pair] = sub.get("PKey")


def load_organization(store: Store, clock: Clock, data: dict[str, Any]) -> None:
    """Apply one checked organization of a fixtures document: add or replace what it names."""
    org = data["id"]
    existing = records.organization(store, org) or {}
    settings = {
        "id": org,
        "access_token": data.get("access_token") or existing.get("access_token") or f"acs-token-{secrets.token_hex(12)}",
        "api_key": data.get("api_key") or existing.get("api_key") or f"acs-key-{secrets.token_hex(8)}",
        "custom_fields": (data["custom_fields"] if data.get("custom_fields") is not None
                          else existing.get("custom_fields", [])),
    }
    settings["custom_fields"] = [{k: v for k, v in c.items() if v is not None} for c in settings["custom_fields"]]
    store.put(NS, org, ORG, ORG_KEY, settings)
    ctx = Context(store, clock, org, "", settings)
    now = format_datetime(clock.now())
    _load_units(ctx, data.get("orgUnits") or [], now)
    custom = {s.name: s for s in specs_of(settings["custom_fields"])}
    specs = {f.name: f for f in resource_fields(tuple(custom.values()), ext=True)}
    # the profiles in one write of the store (seeding 100,000 of them one put each paid the lock
    # and a change-log entry each); a profile whose PKey lifts a tombstone writes what came
    # before it first, so the store sees the writes in the document's order
    writes: list[tuple[str, str, dict[str, Any]]] = []
    for given in data.get("profiles") or []:
        if given.get("PKey") and store.exists(NS, org, PROFILE.tombstones, records.key_of(PROFILE, org, given["PKey"])):
            store.put_many(NS, org, writes)
            writes = []
        key, pkey = records.make_key(store, PROFILE, org, given.get("PKey"))
        doc = new_profile(pkey, now)
        for name, value in given.items():
            if name in DERIVED or name == "PKey":
                continue
            spec = specs[name]
            if name == "cryptedId":
                doc[name] = value
            elif name == "orgUnit":
                if value is not None:
                    doc[name] = _unit_key(ctx, value)
            elif spec.kind == "item":
                doc[name] = {**spec.empty, **check_value(spec, value)}
            else:
                doc[name] = check_value(spec, value)
        writes.append((PROFILES, key, doc))
    store.put_many(NS, org, writes)  # copied: a value may be an object of the caller's document
    services = Services(ctx)
    for given in data.get("services") or []:
        found = None if given.get("PKey") else services.by_name(given.get("name") or "")
        if found:
            key, pkey = found[0], found[1]["PKey"]
        else:
            key, pkey = records.make_key(store, SERVICE, org, given.get("PKey"))
        doc = new_service(pkey, now)
        doc.update({k: check_value(SERVICE_SPECS[k], v) for k, v in given.items() if k in SERVICE_STORED and k != "PKey"})
        doc["name"] = doc.get("name") or services.free_name(key)
        store.put(NS, org, SERVICES, key, doc)
    subscriptions = Subscriptions(ctx, services)
    for given in data.get("subscriptions") or []:
        ref = given["service"]
        service_key = services.locate(ref["PKey"] if ref.get("PKey") else ref["name"])[0]
        profile_key = records.key_of(PROFILE, org, given["subscriber"]["PKey"])
        subscriptions.add(profile_key, service_key, given.get("created") or now, given.get("PKey"), checked=True)


def _load_units(ctx: Context, units: list[dict[str, Any]], now: str) -> None:
    store, org = ctx.store, ctx.org
    ensure_root(ctx)
    by_name = {d["name"]: str(d.doc_id) for d in store.search(NS, org, ORG_UNITS)}
    for given in units:
        if given.get("PKey"):
            key, pkey = records.make_key(store, ORG_UNIT, org, given["PKey"])
            if by_name.get(given["name"], key) != key:  # a name names one unit: the given one
                store.delete(NS, org, ORG_UNITS, by_name[given["name"]])
        elif given["name"] in by_name:
            key = by_name[given["name"]]
            pkey = _stored_unit(store, org, key)["PKey"]
        else:
            key, pkey = records.make_key(store, ORG_UNIT, org, None)
        old = store.get(NS, org, ORG_UNITS, key) or {}
        doc = {"PKey": pkey, "name": given["name"], "label": given.get("label", old.get("label", "")),
               "desc": given.get("desc", old.get("desc", "")), "parent": None,
               "created": given.get("created") or old.get("created") or now,
               "lastModified": given.get("lastModified") or old.get("lastModified") or now}
        store.put(NS, org, ORG_UNITS, key, doc)
        by_name[doc["name"]] = key
    root = by_name[ROOT["name"]] if ROOT["name"] in by_name else None
    for given in units:  # parents once every unit is there: "all" is everyone's by default
        key = by_name[given["name"]]
        if given["name"] == ROOT["name"]:
            continue
        doc = _stored_unit(store, org, key)
        doc["parent"] = by_name.get(given.get("parent") or ROOT["name"], root)
        store.put(NS, org, ORG_UNITS, key, doc)


def _stored_unit(store: Store, org: str, key: str) -> dict[str, Any]:
    """A copy of a unit this load has just seen or written."""
    doc = store.get(NS, org, ORG_UNITS, key)
    if doc is None:
        raise LookupError(f"org unit {key!r} of organization {org!r} is not stored")
    return doc


def _unit_key(ctx: Context, ref: dict[str, Any]) -> str:
    if ref.get("PKey"):
        return records.key_of(ORG_UNIT, ctx.org, ref["PKey"])
    return records.having(ctx.store, ctx.org, ORG_UNITS, "name", ref["name"])[0][0]


def export_organization(store: Store, org: str) -> dict[str, Any]:
    settings = records.organization(store, org) or {"id": org, "access_token": "", "api_key": "", "custom_fields": []}
    declared = {c["name"] for c in settings.get("custom_fields") or []}
    out: dict[str, Any] = {"id": org, "access_token": settings["access_token"], "api_key": settings["api_key"]}
    if settings.get("custom_fields"):
        out["custom_fields"] = settings["custom_fields"]
    units = {str(d.doc_id): d for d in store.search(NS, org, ORG_UNITS)}
    out["orgUnits"] = [{"PKey": d["PKey"], "name": d["name"], "label": d.get("label", ""), "desc": d.get("desc", ""),
                        **({"parent": units[d["parent"]]["name"]} if d.get("parent") in units else {}),
                        "created": d["created"], "lastModified": d["lastModified"]} for d in units.values()]
    out["profiles"] = []
    for doc in store.search(NS, org, PROFILES):
        profile = {k: doc[k] for k in sorted(doc) if (not k.startswith("cus") or k in declared) and k != "orgUnit"}
        if doc.get("orgUnit") in units:
            profile["orgUnit"] = {"PKey": units[doc["orgUnit"]]["PKey"]}
        out["profiles"].append(profile)
    services = {str(d.doc_id): d for d in store.search(NS, org, SERVICES)}
    out["services"] = [{k: d[k] for k in SERVICE_STORED if k in d} for d in services.values()]
    profiles_pkeys = {}
    out["subscriptions"] = []
    for sub in store.search(NS, org, SUBSCRIPTIONS):
        service = services.get(sub["service"])
        if sub["subscriber"] not in profiles_pkeys:
            subscriber = store.peek(NS, org, PROFILES, sub["subscriber"])
            profiles_pkeys[sub["subscriber"]] = subscriber["PKey"] if subscriber else None
        if service is None or profiles_pkeys[sub["subscriber"]] is None:
            continue
        out["subscriptions"].append({"PKey": sub["PKey"], "created": sub["created"],
                                     "service": {"PKey": service["PKey"], "name": service["name"]},
                                     "subscriber": {"PKey": profiles_pkeys[sub["subscriber"]]}})
    return out
