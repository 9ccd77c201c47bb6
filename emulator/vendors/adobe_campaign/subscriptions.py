"""Subscriptions: a profile (the *subscriber*) on a service's list (§1.15).

Stored at organization level in ``subscriptions/<key>`` as ``{PKey, created, service,
subscriber}``, the last two being the store keys of the service and the profile, so a profile's
or a service's subscriptions are one lookup on a field of the collection. Both sides list the
same items: ``profile/<PKEY>/subscriptions/`` and ``service/<PKEY>/subscriptions/``, each item
with its own ``href`` under the side it was read from. Every subscribe and unsubscribe is also
written to the profile's marketing history (``history.record``), as Campaign's subscription
log (``subHisto``) does.
"""
from __future__ import annotations

from typing import Any

from . import errors, history, records
from .context import Context
from .listing import Query
from .records import NS, PROFILE, SUBSCRIPTION, SUBSCRIPTIONS
from .schemas import FieldSpec
from .services import Services, title

#: the keys a subscription POST may carry besides the link it names: a pasted list item's
DERIVED = ("PKey", "created", "email", "expirationDate", "href", "metadata", "serviceName")
_CREATED = FieldSpec("created", "datetime", writable=False, label="Created", res_type="datetime")
SIDES = {"profile": "subscriber", "service": "service"}  # the path's resource -> the stored link


class Subscriptions:
    def __init__(self, ctx: Context, services: Services):
        self.ctx, self.services = ctx, services

    # -- reading ------------------------------------------------------------------------------
    def view(self, doc: dict[str, Any], api: str, side: str, owner_pkey: str,
             service_name: bool = True) -> dict[str, Any]:
        """One item, as both documented lists show it, ``href`` under ``side``'s own URL."""
        store, org = self.ctx.store, self.ctx.org
        service = store.peek(NS, org, "services", doc["service"]) or {}
        profile = store.peek(NS, org, "profiles", doc["subscriber"]) or {}
        return {
            "PKey": doc["PKey"],
            "created": doc["created"],
            "email": "",
            "expirationDate": "",
            "href": f"{self.ctx.href(api, side, owner_pkey)}/subscriptions/{doc['PKey']}",
            "metadata": "subscriptionRcp",
            "service": self.services.link(service, api) if service else None,
            "serviceName": service.get("name", "") if service_name else "",
            "subscriber": _subscriber(self.ctx, profile, api) if profile else None,
        }

    def query(self, api: str, side: str, owner_key: str, owner_pkey: str, params: dict[str, str]) -> Query:
        link = SIDES[side]
        return Query(SUBSCRIPTIONS, f"{self.ctx.href(api, side, owner_pkey)}/subscriptions/",
                     lambda d: self.view(d, api, side, owner_pkey), {"created": _CREATED},
                     lookup=(link, owner_key), resource="subscriptions")

    def locate(self, side: str, owner_key: str, pkey: str) -> tuple[str, dict[str, Any]]:
        """A subscription of this profile or service: one of another owner is not found here."""
        key, doc = records.locate(self.ctx.store, SUBSCRIPTION, self.ctx.org, pkey)
        if doc.get(SIDES[side]) != owner_key:
            raise errors.subscription_not_found(pkey)
        return key, doc

    def of(self, side: str, owner_key: str) -> list[tuple[str, dict[str, Any]]]:
        return [(key, dict(doc)) for key, doc in records.having(self.ctx.store, self.ctx.org, SUBSCRIPTIONS,
                                                                 SIDES[side], owner_key)]

    # -- writing ------------------------------------------------------------------------------
    def subscribe(self, side: str, owner_pkey: str, body: dict[str, Any], api: str) -> dict[str, Any]:
        """POST to a profile's subscriptions with ``{"service": {"PKey"}}`` ("Method 1") or to a
        service's with ``{"subscriber": {"PKey"}}`` ("Method 2"). The answer is the new
        subscription; its ``serviceName`` is ``""`` as in both documented answers ([C] §1.15)."""
        store, org = self.ctx.store, self.ctx.org
        other = "service" if side == "profile" else "subscriber"
        for name in body:
            if name != other and name not in DERIVED:
                raise errors.unknown_property(name, "subscriptions")
        with store.transaction():
            if side == "profile":
                profile_key, profile = records.locate(store, PROFILE, org, owner_pkey)
                service_key, service = self._service_of(body.get("service"))
            else:
                service_key, service = self.services.locate(owner_pkey)
                profile_key, profile = self._subscriber_of(body.get("subscriber"))
            doc = self.add(profile_key, service_key, self.ctx.now())
            history.record(self.ctx, profile_key, "subscription", self.ctx.now(),
                           f"Subscription to {title(service)}")
        return self.view(doc, api, side, owner_pkey, service_name=False)

    def add(self, profile_key: str, service_key: str, created: str, pkey: str | None = None,
            checked: bool = False) -> dict[str, Any]:
        """Store one subscription (the caller holds the transaction); a second one of the same
        profile to the same service is refused, whatever its PKey, unless the caller has
        ``checked`` that already (fixtures check a whole document first)."""
        store, org = self.ctx.store, self.ctx.org
        key, pkey = records.make_key(store, SUBSCRIPTION, org, pkey)
        same = [] if checked else records.having(store, org, SUBSCRIPTIONS, "subscriber", profile_key)
        if any(k != key and d.get("service") == service_key for k, d in same):
            profile = store.peek(NS, org, "profiles", profile_key) or {}
            service = store.peek(NS, org, "services", service_key) or {}
            raise errors.already_subscribed(profile.get("PKey", ""), service.get("name", ""))
        doc = {"PKey": pkey, "created": created, "service": service_key, "subscriber": profile_key}
        store.put(NS, org, SUBSCRIPTIONS, key, doc)
        return doc

    def unsubscribe(self, side: str, owner_key: str, pkey: str) -> None:
        """DELETE of an item's href: 204 No Content (deleting-subscriptions)."""
        store, org = self.ctx.store, self.ctx.org
        with store.transaction():
            key, doc = self.locate(side, owner_key, pkey)
            records.forget(store, SUBSCRIPTION, org, key, doc)
            service = store.peek(NS, org, "services", doc["service"]) or {}
            history.record(self.ctx, doc["subscriber"], "unsubscription", self.ctx.now(),
                           f"Unsubscription from {title(service)}")

    def remove_all(self, side: str, owner_key: str) -> None:
        """A deleted profile or service takes its subscriptions with it."""
        for key, doc in self.of(side, owner_key):
            records.forget(self.ctx.store, SUBSCRIPTION, self.ctx.org, key, doc)

    def _service_of(self, ref: Any) -> tuple[str, dict[str, Any]]:
        if not isinstance(ref, dict) or not isinstance(ref.get("PKey", ref.get("name")), str):
            raise errors.missing_link("subscription", "service", '{"service":{"PKey":"<PKEY>"}}')
        return self.services.locate(ref["PKey"] if "PKey" in ref else ref["name"])

    def _subscriber_of(self, ref: Any) -> tuple[str, dict[str, Any]]:
        if not isinstance(ref, dict) or not isinstance(ref.get("PKey"), str):
            raise errors.missing_link("subscription", "subscriber", '{"subscriber":{"PKey":"<PKEY>"}}')
        return records.locate(self.ctx.store, PROFILE, self.ctx.org, ref["PKey"])


def _subscriber(ctx: Context, profile: dict[str, Any], api: str) -> dict[str, Any]:
    """A profile as a subscription shows it (retrieving-subscriptions)."""
    return {"PKey": profile["PKey"], "email": profile.get("email", ""), "firstName": profile.get("firstName", ""),
            "href": ctx.href(api, "profile", profile["PKey"]), "lastName": profile.get("lastName", "")}

