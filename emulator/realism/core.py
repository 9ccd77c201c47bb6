"""``Realism``: one emulator's realism state — per-tenant settings and rules in the Store,
quota counters in memory — and the decision it takes for each vendor request.

Settings and rules live in the Store under the tenant (``<vendor>/<tenant>/realism``), so they
are reset with the tenant, persisted with ``--data``, and snapshot and restored with the rest of
the state. Quota counters are usage, not configuration: they live in memory and are forgotten
when their tenant is reset.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ..errors import EmulatorError
from ..ids import is_digits
from . import settings as keys
from .quota import QuotaCheck, RollingCounter
from .rules import Decision, decide, export_rule

if TYPE_CHECKING:
    from ..state import Emulator
    from ..vendors.base import Vendor

COLLECTION, KEY = "realism", "settings"


class Realism:
    def __init__(self, emulator: Emulator):
        self.emulator = emulator
        self.store = emulator.store
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, str, str], RollingCounter] = {}
        self._last_id = 0  # the highest r<n> rule id handed out since the last full reset
        # Vendors whose requests must be looked at. Only ever grows (a snapshot restored later
        # may bring settings back), so a vendor pays nothing until realism is first used on it.
        self._watched: set[str] = {v.name for v in emulator.vendors if any(
            self.store.exists(v.name, t, COLLECTION, KEY) for t in self.store.tenants(v.name))}

    # -- settings ----------------------------------------------------------------------------
    def watched(self, vendor: str) -> bool:
        return vendor in self._watched

    def vendor(self, name: str) -> Vendor:
        vendor = self.emulator.vendors.named(name)
        if vendor is None:
            raise EmulatorError(f"unknown vendor {name!r}; expected one of: {self.emulator.vendors.names()}", 404)
        return vendor

    def require_tenant(self, vendor: str, tenant: str) -> Vendor:
        found = self.vendor(vendor)
        if tenant not in found.tenants(self.emulator):
            raise EmulatorError(f"{vendor} has no tenant {tenant!r}; seed it first", 404)
        return found

    def stored(self, vendor: str, tenant: str) -> dict[str, Any]:
        """The keys set for a tenant (those that differ from the defaults), for export."""
        doc = self.store.get(vendor, tenant, COLLECTION, KEY) or {}
        if doc.get("faults"):
            doc["faults"] = [export_rule(r) for r in doc["faults"]]
        return doc

    def settings(self, vendor: str, tenant: str) -> dict[str, Any]:
        """Every key of a tenant, defaults included."""
        found = self.vendor(vendor)
        return {**keys.defaults(found), **self.stored(vendor, tenant), **found.read_settings(self.emulator, tenant)}

    def setting(self, vendor: str, tenant: str, key: str) -> Any:
        """One key, for a vendor's hot path (no copy: never mutate what it returns)."""
        doc = self.store.peek(vendor, tenant, COLLECTION, KEY)
        if doc is not None and key in doc:
            return doc[key]
        return keys.keys_of(self.vendor(vendor))[key].default

    def update(self, vendor: str, tenant: str, changes: dict[str, Any], *, replace: bool = False) -> None:
        """Set the keys given (already checked by ``settings.schema``); ``null`` is the default.
        With ``replace`` every key not given goes back to its default (except the keys the
        vendor stores itself, which only change when given)."""
        found = self.vendor(vendor)
        own = keys.vendor_stored(found)
        with self.store.transaction():
            if own & set(changes):
                found.write_settings(self.emulator, tenant, {k: v for k, v in changes.items() if k in own})
            changes = {k: v for k, v in changes.items() if k not in own}
            if changes.get("faults"):
                changes["faults"] = self._with_ids(changes["faults"])
            current = {} if replace else (self.store.get(vendor, tenant, COLLECTION, KEY) or {})
            merged = keys.explicit(found, {**current, **changes})
            if merged:
                self.store.put(vendor, tenant, COLLECTION, KEY, merged)
                self._watched.add(vendor)
            else:
                self.store.delete(vendor, tenant, COLLECTION, KEY)

    # -- rules -------------------------------------------------------------------------------
    def rules(self, vendor: str | None = None, tenant: str | None = None) -> list[dict[str, Any]]:
        return [{"vendor": v, "tenant": t, **r}
                for v, t in self._tenants(vendor, tenant) for r in self.stored(v, t).get("faults", [])]

    def _tenants(self, vendor: str | None, tenant: str | None) -> list[tuple[str, str]]:
        """(vendor, tenant) pairs that exist, narrowed to one vendor and/or one tenant."""
        return [(v.name, t) for v in self.emulator.vendors if vendor is None or v.name == vendor
                for t in v.tenants(self.emulator) if tenant is None or t == tenant]

    def add_rule(self, vendor: str, tenant: str, rule: dict[str, Any]) -> dict[str, Any]:
        self.require_tenant(vendor, tenant)
        with self.store.transaction():
            if "id" in rule and any(r["id"] == rule["id"] for r in self.rules()):
                raise EmulatorError(f"a rule with id {rule['id']!r} exists already", 409)
            current = self.stored(vendor, tenant).get("faults", [])
            self.update(vendor, tenant, {"faults": [*current, rule]})
            added = self.stored(vendor, tenant)["faults"][-1]
        return {"vendor": vendor, "tenant": tenant, **added}

    def _with_ids(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rules without an id get the next ``r<n>``: deterministic (1 + the highest number in
        use, or handed out since the last full reset), so ids repeat from run to run."""
        if all("id" in r for r in rules):
            return rules
        numbers = [int(r["id"][1:]) for r in self.rules() + rules
                   if "id" in r and r["id"][:1] == "r" and is_digits(r["id"][1:])]
        with self._lock:
            self._last_id = max([self._last_id, *numbers])
            named = []
            for rule in rules:
                if "id" not in rule:
                    self._last_id += 1
                    rule = {"id": f"r{self._last_id}", **rule}
                named.append(rule)
        return named

    def delete_rules(self, vendor: str | None = None, tenant: str | None = None,
                     rule_id: str | None = None) -> int:
        deleted = 0
        with self.store.transaction():
            for v, t in self._tenants(vendor, tenant):
                current = self.stored(v, t).get("faults", [])
                kept = [r for r in current if rule_id is not None and r["id"] != rule_id]
                if len(kept) != len(current):
                    deleted += len(current) - len(kept)
                    self.update(v, t, {"faults": kept})
        return deleted

    # -- requests ------------------------------------------------------------------------------
    def decide(self, vendor: str, tenant: str, method: str, path: str) -> Decision:
        """Run one request through the tenant's rules, moving their counters on."""
        with self.store.transaction():
            doc = self.store.peek(vendor, tenant, COLLECTION, KEY)
            if not doc or not doc.get("faults"):
                return Decision()
            rules, decision, touched = decide(doc["faults"], method, path)
            if touched:
                self.store.put(vendor, tenant, COLLECTION, KEY, {**doc, "faults": rules})
            return decision

    def take_call(self, vendor: str, tenant: str, limit: int, name: str = "calls") -> QuotaCheck:
        """Count one call against a per-tenant quota on the clock's rolling 24 hours; vendors
        with a documented quota use this with their own name and limit."""
        with self._lock:
            counter = self._counters.setdefault((vendor, tenant, name), RollingCounter())
        return counter.take(self.emulator.clock.now().timestamp(), limit)

    def calls_used(self, vendor: str, tenant: str, name: str = "calls") -> int:
        with self._lock:
            counter = self._counters.get((vendor, tenant, name))
        return counter.used(self.emulator.clock.now().timestamp()) if counter else 0

    def reset(self, vendor: str | None = None, tenant: str | None = None) -> None:
        """Forget quota usage (the settings go with the tenant's state in the Store)."""
        with self._lock:
            if vendor is None and tenant is None:
                self._last_id = 0
            for key in [k for k in self._counters
                        if (vendor is None or k[0] == vendor) and (tenant is None or k[1] == tenant)]:
                del self._counters[key]
