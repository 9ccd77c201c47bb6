"""The ``adobe_target`` fixtures section: apply a validated one, export the state as one.

Export folds pending updates that are due, so ``GET /_emulator/state`` shows what a fetch
shows; what is still pending is exported as ``pendingUpdates``/``visibleAt``, so
``state`` → ``seed`` round-trips unchanged.
"""
from __future__ import annotations

from datetime import datetime

from .model import (BATCHES, CLIENT_KEY, MCIDS, PROFILES, SETTINGS, THIRD_PARTY_IDS, VENDOR, Doc, TargetModel, fold,
                    parse_instant, stamp)


def load_client(model: TargetModel, client: Doc) -> None:
    """Add or replace one client's settings, profiles and batches (already validated)."""
    code = client["code"]
    now = model.clock.now()
    settings = {"code": code, "profile_api_token": client["profile_api_token"],
                "daily_call_limit": client["daily_call_limit"],
                "propagation_delay": client["propagation_delay"], "organization_id": client["organization_id"]}
    with model.store.transaction():
        holder = model.client_for_organization(client["organization_id"]) if client["organization_id"] else None
        if holder is not None and holder["code"] != code:  # an organization names one client: it moves here
            model.put(holder["code"], SETTINGS, CLIENT_KEY, {**holder, "organization_id": None})
        model.put(code, SETTINGS, CLIENT_KEY, settings)
        if _fresh(model, code, client["profiles"]):
            _load_fresh_profiles(model, code, client["profiles"], now)
        else:
            for item in client["profiles"]:
                _load_profile(model, code, item, now)
        for batch in client["batches"]:
            model.put(code, BATCHES, batch["batchId"], dict(batch))


def _fresh(model: TargetModel, code: str, items: list[Doc]) -> bool:
    """Whether the client holds no profile, ECID or thirdPartyId yet, and no thirdPartyId of the
    document (its pending updates' included) is named by two profiles: then no profile of the
    document takes an id from another, and each one's writes depend on itself alone."""
    store = model.store
    if any(store.count(VENDOR, code, collection) for collection in (PROFILES, MCIDS, THIRD_PARTY_IDS)):
        return False
    named: set[str] = set()
    for item in items:
        thirds = _thirds(item["thirdPartyId"], item["pendingUpdates"])
        if not named.isdisjoint(thirds):
            return False
        named |= thirds
    return True


def _thirds(third: str | None, pending: list[Doc]) -> set[str]:
    """The thirdPartyIds a profile names, now or in a pending update."""
    return {t for t in (third, *(e.get("thirdPartyId") for e in pending)) if t is not None}


def _load_fresh_profiles(model: TargetModel, code: str, items: list[Doc], now: datetime) -> None:
    """``_load_profile`` of each profile into a fresh client (``_fresh``), as one write of the
    store: every lookup of another holder finds none, so what is left are the profile, its ECID
    and its thirdPartyIds' index entries, written in the same order. Why: one put each cost the
    store's lock, a copy and a change-log entry three times a profile."""
    writes: list[tuple[str, str, Doc]] = []
    for item in items:
        profile, pending = _profile_doc(item, now)
        tnt_id = profile["tntId"]
        if profile["marketingCloudVisitorId"]:
            writes.append((MCIDS, profile["marketingCloudVisitorId"], {"tntId": tnt_id}))
        writes.append((PROFILES, tnt_id, profile))
        for third in _thirds(profile["thirdPartyId"], pending):
            writes.append((THIRD_PARTY_IDS, third, {"tntIds": [tnt_id]}))
    model.store.put_many(VENDOR, code, writes)


def _profile_doc(item: Doc, now: datetime) -> tuple[Doc, list[Doc]]:
    """The stored profile of a fixtures profile, and its pending updates."""
    loaded_at = stamp(now)

    def attrs(raw: Doc) -> Doc:
        return {k: {"value": a["value"], "modifiedAt": a["modifiedAt"] or loaded_at} for k, a in raw.items()}

    tnt_id = item["tntId"]
    attributes = attrs(item["profileAttributes"])
    modified = item.get("modifiedAt") or max(
        (a["modifiedAt"] for a in attributes.values()), key=parse_instant, default=loaded_at)
    profile: Doc = {"tntId": tnt_id, "thirdPartyId": item["thirdPartyId"],
                    "marketingCloudVisitorId": item["marketingCloudVisitorId"],
                    "modifiedAt": modified, "profileAttributes": attributes}
    pending = []
    for entry in item["pendingUpdates"]:
        loaded = {"visibleAt": entry["visibleAt"], "profileAttributes": attrs(entry["profileAttributes"])}
        if "thirdPartyId" in entry:
            loaded["thirdPartyId"] = entry["thirdPartyId"]
        pending.append(loaded)
    if pending:
        profile["pendingUpdates"] = pending
    if item.get("visibleAt"):
        profile["visibleAt"] = item["visibleAt"]
    return profile, pending


def _load_profile(model: TargetModel, code: str, item: Doc, now: datetime) -> None:
    profile, pending = _profile_doc(item, now)
    tnt_id = profile["tntId"]
    previous = model.get(code, PROFILES, tnt_id)
    if previous and previous.get("marketingCloudVisitorId") not in (None, profile["marketingCloudVisitorId"]):
        model.store.delete(VENDOR, code, MCIDS, previous["marketingCloudVisitorId"])
    # a thirdPartyId or ECID named here moves to this profile, away from any other holder
    if profile["thirdPartyId"]:
        holder = model.by_third_party_id(code, profile["thirdPartyId"], now)
        if holder is not None and holder["tntId"] != tnt_id:
            holder["thirdPartyId"] = None
            model.put(code, PROFILES, holder["tntId"], holder)
    ecid = profile["marketingCloudVisitorId"]
    if ecid:
        index = model.get(code, MCIDS, ecid)
        if index and index["tntId"] != tnt_id:
            other = model.get(code, PROFILES, index["tntId"])
            if other is not None:
                other["marketingCloudVisitorId"] = None
                model.put(code, PROFILES, index["tntId"], other)
        model.put(code, MCIDS, ecid, {"tntId": tnt_id})
    model.put(code, PROFILES, tnt_id, profile)
    for third in _thirds(profile["thirdPartyId"], pending):
        model.link_index(code, third, tnt_id)


def export_clients(model: TargetModel) -> list[Doc]:
    now = model.clock.now()
    clients = []
    with model.store.transaction():
        for code in model.store.tenants(VENDOR):
            settings = model.client(code)
            if settings is None:
                continue
            delay = settings["propagation_delay"]
            client: Doc = {
                "code": code,
                "profile_api_token": settings["profile_api_token"],
                "daily_call_limit": settings["daily_call_limit"],
                "propagation_delay": int(delay) if float(delay).is_integer() else delay,
            }
            if settings.get("organization_id"):  # declared in fixtures, or learned from a delivery call
                client["organization_id"] = settings["organization_id"]
            client["profiles"] = [export_profile(fold(doc, now)) for doc in model.store.search(VENDOR, code, PROFILES)]
            client["batches"] = [dict(doc) for doc in model.store.search(VENDOR, code, BATCHES)]
            clients.append(client)
    return clients


def export_profile(profile: Doc) -> Doc:
    out: Doc = {"tntId": profile["tntId"], "thirdPartyId": profile.get("thirdPartyId")}
    if profile.get("marketingCloudVisitorId"):
        out["marketingCloudVisitorId"] = profile["marketingCloudVisitorId"]
    out["modifiedAt"] = profile["modifiedAt"]
    out["profileAttributes"] = {k: dict(v) for k, v in profile["profileAttributes"].items()}
    if profile.get("pendingUpdates"):
        out["pendingUpdates"] = [dict(e) for e in profile["pendingUpdates"]]
    if profile.get("visibleAt"):
        out["visibleAt"] = profile["visibleAt"]
    return out
