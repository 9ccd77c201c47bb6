"""Adobe Target's behaviour on the Store: profiles, updates, fetches, batches, quota.

Plain Python (no Flask), so it is unit-tested directly. One tenant is one client code.

Collections under ``("adobe_target", <client code>, …)``:

* ``settings``/``client``: the client's fixtures settings (token, quota, propagation delay);
  its presence is what makes a client code valid.
* ``profiles``/<tntId>: ``{tntId, thirdPartyId, marketingCloudVisitorId, modifiedAt,
  profileAttributes: {name: {value, modifiedAt}}, pendingUpdates?: […], visibleAt?}``.
* ``thirdPartyIds``/<id>: ``{"tntIds": […]}``, the profiles that hold or are about to hold that
  thirdPartyId, newest link first. A lookup takes the first whose *current* view really has
  the id, so a link that is still pending (propagation delay) resolves to the old holder until
  it shows. Keyed, so a lookup costs the same at any size.
* ``marketingCloudVisitorIds``/<ECID>: ``{"tntId": …}``.
* ``batches``/<batchId>: what ``batchStatus`` reports.
* ``quota``/``update``|``fetch``: calls per minute over the last 24 hours (only while a
  ``daily_call_limit`` is set).

Propagation delay: an update is stored as a pending entry with a ``visibleAt`` instant; every
read folds in the entries whose instant the emulator's clock has passed, so tests advance the
clock instead of sleeping. Writes fold due entries for good.
"""
from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote_plus

from ...clock import Clock
from ...errors import EmulatorError
from ...store import Store
from .batchfile import parse_batch
from .errors import (TargetError, not_found_marketing_cloud_visitor, not_found_mbox_pc,
                     not_found_third_party)
from .schemas import third_party_id_problem
from .settings import VENDOR
from ...jsondoc import Doc

SETTINGS, CLIENT_KEY = "settings", "client"
PROFILES = "profiles"
THIRD_PARTY_IDS = "thirdPartyIds"
MCIDS = "marketingCloudVisitorIds"
BATCHES = "batches"
QUOTA = "quota"

BATCH_RETENTION = timedelta(hours=24)  # legacy docs: statuses kept at most 24 hours
QUOTA_WINDOW_MINUTES = 24 * 60



def stamp(instant: datetime) -> str:
    """Target's timestamp shape (``2017-08-09T18:18:04.659-04:00``), in UTC."""
    return instant.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def new_tnt_id() -> str:
    """A tntId as Target hands them out today: 32 hex digits and a location hint
    (``10abf6304b2714215b1fd39a870f01afc.28_20`` in the Delivery API docs)."""
    return f"{secrets.token_hex(16)}.28_0"


# -- the view of a profile at an instant ---------------------------------------------------------
def visible(profile: Doc, now: datetime) -> bool:
    return "visibleAt" not in profile or parse_instant(profile["visibleAt"]) <= now


def fold(profile: Doc, now: datetime) -> Doc:
    """The profile as Target shows it at ``now``: pending updates that are due applied, in order."""
    pending = profile.get("pendingUpdates") or []
    result = dict(profile)
    result["profileAttributes"] = dict(profile.get("profileAttributes") or {})
    if "visibleAt" in result and parse_instant(result["visibleAt"]) <= now:
        del result["visibleAt"]
    if not pending:
        result.pop("pendingUpdates", None)
        return result
    due: list[Doc] = []
    later: list[Doc] = []
    for entry in sorted(pending, key=lambda e: parse_instant(e["visibleAt"])):
        (due if parse_instant(entry["visibleAt"]) <= now else later).append(entry)
    for entry in due:
        result["profileAttributes"].update(entry.get("profileAttributes") or {})
        if "thirdPartyId" in entry:
            result["thirdPartyId"] = entry["thirdPartyId"]
        if parse_instant(entry["visibleAt"]) > parse_instant(result["modifiedAt"]):
            result["modifiedAt"] = entry["visibleAt"]
    if later:
        result["pendingUpdates"] = later
    else:
        result.pop("pendingUpdates", None)
    return result


class TargetModel:
    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock

    # -- store shorthands ----------------------------------------------------------------------
    def get(self, code: str, collection: str, key: str) -> Doc | None:
        return self.store.get(VENDOR, code, collection, key)

    def existing(self, code: str, collection: str, key: str) -> Doc:
        """A document the caller has just seen exists (inside the same transaction)."""
        doc = self.get(code, collection, key)
        if doc is None:
            raise LookupError(f"{collection} {key!r} of client {code!r} is not stored")
        return doc

    def peek(self, code: str, collection: str, key: str) -> Doc | None:
        """The stored document itself, for reads that never change it (``fold`` copies)."""
        return self.store.peek(VENDOR, code, collection, key)

    def put(self, code: str, collection: str, key: str, doc: Doc) -> None:
        self.store.put(VENDOR, code, collection, key, doc)

    # -- clients ---------------------------------------------------------------------------------
    def client(self, code: str | None) -> Doc | None:
        if not code:
            return None
        return self.get(code, SETTINGS, CLIENT_KEY)

    def require_client(self, code: str | None) -> Doc:
        settings = self.client(code)
        if settings is None:
            if not code:
                raise TargetError(400, "Missing client code: send it in the path (/m2/<client>/…), "
                                       "as ?client=<client>, or in the Host <client>.tt.omtrdc.net")
            raise TargetError(400, f"Invalid client code: {code}")
        return settings

    def client_for_organization(self, org: str) -> Doc | None:
        """The client whose ``organization_id`` is ``org`` (a scan of the clients: there are few)."""
        for code in self.store.tenants(VENDOR):
            settings = self.peek(code, SETTINGS, CLIENT_KEY)
            if settings is not None and settings.get("organization_id") == org:
                return settings
        return None

    def learn_organization(self, settings: Doc, org: str) -> None:
        """A client that declares no organization takes the one a delivery call names beside it,
        unless another client has it: the SDKs' later calls name only the organization."""
        if settings.get("organization_id") or self.client_for_organization(org) is not None:
            return
        with self.store.transaction():
            self.put(settings["code"], SETTINGS, CLIENT_KEY, {**settings, "organization_id": org})

    @staticmethod
    def check_auth(settings: Doc, authorization: str | None) -> None:
        """Profile API authentication (§3.4): off unless the client has a token."""
        token = settings.get("profile_api_token")
        if token is None:
            return
        scheme, _, given = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise TargetError(403, f"Authentication is enabled for client {settings['code']}: send the profile "
                                   "authentication token as 'Authorization: Bearer <token>'")
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise TargetError(403, f"Invalid profile authentication token for client {settings['code']}")

    def count_call(self, settings: Doc, kind: str) -> None:
        """The per-client quota (1,000,000 calls per rolling 24 hours at Adobe), when switched on.

        ``kind`` is ``update`` (single profile update API), ``fetch`` (profile fetch API) or
        ``delivery`` (Delivery API); each has its own count. Refused calls are not counted.
        """
        limit = settings.get("daily_call_limit")
        if not limit:
            return
        code = settings["code"]
        now = self.clock.now().timestamp()
        minute = int(now // 60)
        with self.store.transaction():
            doc = self.get(code, QUOTA, kind) or {"buckets": {}}
            buckets = {int(k): v for k, v in doc["buckets"].items() if int(k) > minute - QUOTA_WINDOW_MINUTES}
            if sum(buckets.values()) >= limit:
                retry = max(1, math.ceil((min(buckets) + QUOTA_WINDOW_MINUTES) * 60 - now))
                api = {"update": "profile update", "fetch": "profile fetch", "delivery": "delivery"}[kind]
                raise TargetError(429, f"Limit of {limit} {api} API calls per 24 hours reached for client {code}; "
                                       f"the next call will succeed in {retry} seconds",
                                  headers={"Retry-After": str(retry)})
            buckets[minute] = buckets.get(minute, 0) + 1
            self.put(code, QUOTA, kind, {"buckets": {str(k): v for k, v in buckets.items()}})

    # -- lookups ---------------------------------------------------------------------------------
    def by_third_party_id(self, code: str, third_party_id: str, now: datetime) -> Doc | None:
        """The profile that holds ``third_party_id`` now (pending links not yet), folded."""
        index = self.peek(code, THIRD_PARTY_IDS, third_party_id)
        for tnt_id in (index or {}).get("tntIds", []):
            profile = self.peek(code, PROFILES, tnt_id)
            if profile is not None:
                view = fold(profile, now)
                if view.get("thirdPartyId") == third_party_id:
                    return view
        return None

    def link_index(self, code: str, third_party_id: str, tnt_id: str) -> None:
        index = self.get(code, THIRD_PARTY_IDS, third_party_id) or {"tntIds": []}
        others = [t for t in index["tntIds"] if t != tnt_id and self._may_hold(code, t, third_party_id)]
        self.put(code, THIRD_PARTY_IDS, third_party_id, {"tntIds": [tnt_id] + others})

    def _may_hold(self, code: str, tnt_id: str, third_party_id: str) -> bool:
        """Whether a profile holds the id now or in one of its pending updates."""
        profile = self.peek(code, PROFILES, tnt_id)
        if profile is None:
            return False
        return profile.get("thirdPartyId") == third_party_id or any(
            e.get("thirdPartyId") == third_party_id for e in profile.get("pendingUpdates") or [])

    # -- fetch (§3) ------------------------------------------------------------------------------
    def fetch(self, code: str, by: str, ident: str) -> Doc:
        """The profile fetch API's JSON (current shape, §3.2); raises the documented 404s."""
        now = self.clock.now()
        with self.store.transaction():
            view: Doc | None = None
            missing: Callable[[str, str], TargetError]
            if by == "tntId":
                profile = self.peek(code, PROFILES, ident)
                view = fold(profile, now) if profile is not None else None
                missing = not_found_mbox_pc
            elif by == "thirdPartyId":
                view = self.by_third_party_id(code, ident, now)
                missing = not_found_third_party
            else:
                index = self.peek(code, MCIDS, ident)
                profile = self.peek(code, PROFILES, index["tntId"]) if index else None
                view = fold(profile, now) if profile is not None else None
                if view is not None and view.get("marketingCloudVisitorId") != ident:
                    view = None
                missing = not_found_marketing_cloud_visitor
        if view is None or not visible(view, now):
            raise missing(code, ident)
        return {"client": code, "visitorId": ident, "modifiedAt": view["modifiedAt"],
                "profileAttributes": {name: {"value": a["value"], "modifiedAt": a["modifiedAt"]}
                                      for name, a in view["profileAttributes"].items()}}

    # -- single profile update (§2.1) -------------------------------------------------------------
    def update_profile(self, settings: Doc, mbox_pc: str | None, third_party_id: str | None,
                       attributes: dict[str, str]) -> str | None:
        """Apply one update; the tntId it went to, or None when Target does not know the visitor
        (update-only: nothing is created). Empty values are ignored, as in batches.

        With both ids, the mboxPC's profile is updated and the thirdPartyId is linked to it (moved
        from any profile that held it); an unknown mboxPC falls back to the thirdPartyId.
        """
        code = settings["code"]
        now = self.clock.now()
        with self.store.transaction():
            tnt_id = None
            if mbox_pc and self.store.exists(VENDOR, code, PROFILES, mbox_pc):
                tnt_id = mbox_pc
            elif third_party_id:
                found = self.by_third_party_id(code, third_party_id, now)
                tnt_id = found["tntId"] if found else None
            if tnt_id is None:
                return None
            self.apply_values(settings, tnt_id, {k: v for k, v in attributes.items() if v != ""},
                        third_party_id, now)
            return tnt_id

    def apply_values(self, settings: Doc, tnt_id: str, attributes: dict[str, str], third_party_id: str | None,
                     now: datetime) -> None:
        """Write attribute values (and a thirdPartyId link) to a known profile, at once or pending."""
        code = settings["code"]
        profile = fold(self.existing(code, PROFILES, tnt_id), now)
        pending_link = next((e["thirdPartyId"] for e in reversed(profile.get("pendingUpdates") or [])
                             if "thirdPartyId" in e), profile.get("thirdPartyId"))
        link = third_party_id if third_party_id and pending_link != third_party_id else None
        if not attributes and link is None:
            return
        delay = float(settings.get("propagation_delay") or 0)
        at = stamp(now + timedelta(seconds=delay))
        values = {name: {"value": value, "modifiedAt": at} for name, value in attributes.items()}
        holder = self.by_third_party_id(code, link, now) if link else None
        if delay == 0:
            profile["profileAttributes"].update(values)
            profile["modifiedAt"] = at
            if link is not None:
                profile["thirdPartyId"] = link
        else:
            entry: Doc = {"visibleAt": at, "profileAttributes": values}
            if link is not None:
                entry["thirdPartyId"] = link
            profile.setdefault("pendingUpdates", []).append(entry)
        self.put(code, PROFILES, tnt_id, profile)
        if link is not None:
            if holder is not None and holder["tntId"] != tnt_id:
                self._unlink(settings, holder["tntId"], at, delay, now)
            self.link_index(code, link, tnt_id)

    def _unlink(self, settings: Doc, tnt_id: str, at: str, delay: float, now: datetime) -> None:
        code = settings["code"]
        profile = fold(self.existing(code, PROFILES, tnt_id), now)
        if delay == 0:
            profile["thirdPartyId"] = None
        else:
            profile.setdefault("pendingUpdates", []).append(
                {"visibleAt": at, "thirdPartyId": None, "profileAttributes": {}})
        self.put(code, PROFILES, tnt_id, profile)

    # -- emulator-only: Target sees a new visitor ----------------------------------------------------
    def create_visitor(self, code: str, data: Doc) -> Doc:
        settings = self.client(code)
        if settings is None:
            raise EmulatorError(f"no Adobe Target client with code {code!r} (seed it under adobe_target.clients)", 404)
        now = self.clock.now()
        with self.store.transaction():
            tnt_id = data.get("tntId") or self.fresh_tnt_id(code)
            if self.store.exists(VENDOR, code, PROFILES, tnt_id):
                raise EmulatorError(f"client {code} already has a visitor with tntId {tnt_id}", 409)
            third = data.get("thirdPartyId")
            if third and self.by_third_party_id(code, third, now) is not None:
                raise EmulatorError(f"client {code} already has a visitor with thirdPartyId {third}", 409)
            ecid = data.get("marketingCloudVisitorId")
            if ecid and self.get(code, MCIDS, ecid) is not None:
                raise EmulatorError(f"client {code} already has a visitor with marketingCloudVisitorId {ecid}", 409)
            at = stamp(now)
            profile = {"tntId": tnt_id, "thirdPartyId": third, "marketingCloudVisitorId": ecid, "modifiedAt": at,
                       "profileAttributes": {k: {"value": v, "modifiedAt": at}
                                             for k, v in data.get("profileAttributes", {}).items()}}
            self.put(code, PROFILES, tnt_id, profile)
            if third:
                self.link_index(code, third, tnt_id)
            if ecid:
                self.put(code, MCIDS, ecid, {"tntId": tnt_id})
        return {k: v for k, v in profile.items() if v is not None or k == "thirdPartyId"}

    def fresh_tnt_id(self, code: str) -> str:
        while True:
            tnt_id = new_tnt_id()
            if not self.store.exists(VENDOR, code, PROFILES, tnt_id):
                return tnt_id

    # -- bulk profile update (§2.2) ------------------------------------------------------------------
    def submit_batch(self, settings: Doc, version: int, raw: bytes) -> Doc:
        """Validate a whole batch file, then apply it row by row; the batch's status record.

        v1 updates known profiles only (``profilesNotFound``); v2 creates the missing ones.
        A row with only empty values is consumed and skipped; a row that cannot be read (more
        cells than columns, an empty or invalid id) counts as a failed update.
        """
        code = settings["code"]
        id_column, names, rows = parse_batch(raw)
        now = self.clock.now()
        delay = float(settings.get("propagation_delay") or 0)
        visible_at = now + timedelta(seconds=delay)
        counts = {"consumedCount": 0, "successfulUpdates": 0, "profilesNotFound": 0, "failedUpdates": 0}
        with self.store.transaction():
            for row in rows:
                cells = row.split(",")
                ident = unquote_plus(cells[0])
                if len(cells) > len(names) + 1 or ident == "" or (
                        id_column == "thirdPartyId" and third_party_id_problem(ident)):
                    counts["failedUpdates"] += 1
                    continue
                counts["consumedCount"] += 1
                values = {}
                for name, cell in zip(names, cells[1:], strict=False):  # a row may be short
                    value = unquote_plus(cell)
                    if value != "":
                        values[name] = value
                if not values:
                    continue
                if id_column == "pcId":
                    tnt_id = ident if self.store.exists(VENDOR, code, PROFILES, ident) else None
                else:
                    found = self.by_third_party_id(code, ident, now)
                    tnt_id = found["tntId"] if found else None
                if tnt_id is not None:
                    self.apply_values(settings, tnt_id, values, None, now)
                elif version == 1:
                    counts["profilesNotFound"] += 1
                    continue
                else:
                    self._create_from_batch(code, id_column, ident, values, visible_at, delay)
                counts["successfulUpdates"] += 1
            batch: Doc = {"batchId": self._fresh_batch_id(code, now), "version": version, "submittedAt": stamp(now),
                     "visibleAt": stamp(visible_at), "batchSize": len(rows), **counts}
            self.put(code, BATCHES, batch["batchId"], batch)
        return batch

    def _create_from_batch(self, code: str, id_column: str, ident: str, values: dict[str, str],
                           visible_at: datetime, delay: float) -> None:
        at = stamp(visible_at)
        tnt_id = ident if id_column == "pcId" else self.fresh_tnt_id(code)
        profile: Doc = {"tntId": tnt_id, "thirdPartyId": ident if id_column == "thirdPartyId" else None,
                        "marketingCloudVisitorId": None, "modifiedAt": at,
                        "profileAttributes": {k: {"value": v, "modifiedAt": at} for k, v in values.items()}}
        if delay:
            profile["visibleAt"] = at
        self.put(code, PROFILES, tnt_id, profile)
        if id_column == "thirdPartyId":
            self.link_index(code, ident, tnt_id)

    def _fresh_batch_id(self, code: str, now: datetime) -> str:
        while True:
            batch_id = f"{code}-{int(now.timestamp() * 1000)}-{secrets.randbelow(10 ** 8):08d}"
            if not self.store.exists(VENDOR, code, BATCHES, batch_id):
                return batch_id

    def batch_status(self, code: str, batch_id: str) -> Doc:
        """The status record, with ``status`` computed: ``complete`` once the batch's updates show
        (at once without a propagation delay), ``incomplete`` before; counts are zero until then."""
        now = self.clock.now()
        batch = self.get(code, BATCHES, batch_id)
        if batch is None or now >= parse_instant(batch["submittedAt"]) + BATCH_RETENTION:
            raise TargetError(404, f"No batch found with batchId={batch_id} for client {code}")
        complete = now >= parse_instant(batch["visibleAt"])
        status = {"batchId": batch_id, "status": "complete" if complete else "incomplete",
                  "batchSize": batch["batchSize"]}
        for key in ("consumedCount", "successfulUpdates", "profilesNotFound", "failedUpdates"):
            status[key] = batch[key] if complete else 0
        return status
