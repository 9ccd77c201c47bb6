"""Where each Campaign record lives in the Store, and how a PKey finds it (§1.10, §1.11).

Namespace ``adobe_campaign``, tenant = organization id. Every kind of record (profile,
service, subscription, organizational unit) is one tenant-scoped collection keyed by a stable
store key: a number from ``next_id`` for records made here, or ``alias_key(PKey)`` for a record
whose PKey came from fixtures. A PKey is a fresh encryption of that key for the kind's purpose
(``pkeys``), so a profile's PKey never names a service, and another organization's PKeys do
not decode at all. Deleted fixtures PKeys leave a tombstone, so they answer 404, not 500.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...ids import is_digits
from ...store import IndexSpec, Store
from . import errors, pkeys
from .errors import CampaignError

NS = "adobe_campaign"
ORG, ORG_KEY = "organization", "settings"
PROFILES, TOMBSTONES = "profiles", "tombstones"
SERVICES, SUBSCRIPTIONS, ORG_UNITS = "services", "subscriptions", "orgUnits"


@dataclass(frozen=True)
class Kind:
    """One kind of record: its collection, the purpose its PKeys are encrypted for, where its
    deleted fixtures PKeys are remembered, and Campaign's two errors for a PKey that names none."""

    collection: str
    purpose: str
    tombstones: str
    not_found: Callable[[str], CampaignError]
    malformed: Callable[[str], CampaignError]


PROFILE = Kind(PROFILES, "profile", TOMBSTONES, errors.profile_not_found, errors.malformed_pkey)
SERVICE = Kind(SERVICES, "service", "serviceTombstones", errors.service_not_found, errors.malformed_service_pkey)
SUBSCRIPTION = Kind(SUBSCRIPTIONS, "subscription", "subscriptionTombstones", errors.subscription_not_found,
                    errors.malformed_subscription_pkey)
ORG_UNIT = Kind(ORG_UNITS, "orgUnit", "orgUnitTombstones", errors.org_unit_not_found,
                errors.malformed_org_unit_pkey)


def organization(store: Store, org: str) -> dict[str, Any] | None:
    return store.get(NS, org, ORG, ORG_KEY)


def new_pkey(kind: Kind, org: str, key: str) -> str:
    return pkeys.encode(kind.purpose, org, key)


def key_of(kind: Kind, org: str, pkey: str) -> str:
    """The store key a PKey would name (whether or not a record is stored there)."""
    return pkeys.decode(kind.purpose, org, pkey) or pkeys.alias_key(pkey)


def find(store: Store, kind: Kind, org: str, pkey: str) -> tuple[str, dict[str, Any]] | None:
    """The store key and record a PKey names, None for a PKey that names none (any more)."""
    try:
        return locate(store, kind, org, pkey)
    except CampaignError:
        return None


def pop_own_pkey(store: Store, kind: Kind, org: str, body: dict[str, Any], key: str, shown: str,
                 resource: str) -> None:
    """A PATCH body may carry the record's own PKey back (as a GET gave it): take it out of
    ``body``. Any other value is the key change Campaign refuses (``RST-360012``, §1.11)."""
    if "PKey" not in body:
        return
    sent = body.pop("PKey")
    found = find(store, kind, org, sent) if isinstance(sent, str) else None
    if found is None or found[0] != key:
        raise errors.key_changed(shown, str(sent), resource)


def locate(store: Store, kind: Kind, org: str, pkey: str) -> tuple[str, dict[str, Any]]:
    """The store key and record a PKey names: 404 when it names no record (any more), 500 when
    it is not a PKey of this kind and organization at all (§1.11)."""
    key = pkeys.decode(kind.purpose, org, pkey)
    if key is not None:
        doc = store.get(NS, org, kind.collection, key)
        if doc is None:
            raise kind.not_found(pkey)
        return key, doc
    key = pkeys.alias_key(pkey)
    doc = store.get(NS, org, kind.collection, key)
    if doc is not None and doc.get("PKey") == pkey:
        return key, doc
    if store.get(NS, org, kind.tombstones, key) == {"PKey": pkey}:
        raise kind.not_found(pkey)
    raise kind.malformed(pkey)


def make_key(store: Store, kind: Kind, org: str, pkey: str | None) -> tuple[str, str]:
    """The store key and PKey of a record being added: a fresh pair, or the ones a given PKey
    (from fixtures) implies, with the id counter moved past it so no later record collides."""
    if not pkey:
        key = str(store.next_id(NS, org, kind.collection))
        return key, new_pkey(kind, org, key)
    key = key_of(kind, org, pkey)
    if is_digits(key):
        store.bump_id(NS, org, kind.collection, int(key))
    store.delete(NS, org, kind.tombstones, key)
    return key, pkey


def forget(store: Store, kind: Kind, org: str, key: str, doc: dict[str, Any]) -> None:
    """Delete a record; a fixtures PKey is remembered so that it answers 404 from now on."""
    store.delete(NS, org, kind.collection, key)
    if pkeys.decode(kind.purpose, org, doc["PKey"]) is None:
        store.put(NS, org, kind.tombstones, key, {"PKey": doc["PKey"]})


def having(store: Store, org: str, collection: str, field: str, value: Any) -> list[tuple[str, dict[str, Any]]]:
    """``(key, record)`` of the records whose ``field`` equals ``value``, in insertion order: a
    service by name, a profile's or a service's subscriptions, a profile's events. The one place
    that looks records up by a field: a text value is found through the Store's index of that
    field (built on first use), anything else (``None``, a number) by a scan."""
    if isinstance(value, str):
        hits = store.find(NS, org, collection, _text_index(field), "==", value, ordered=True)
    else:
        hits = store.search(NS, org, collection, lambda d: d.get(field) == value)
    return [(str(hit.doc_id), hit) for hit in hits]


def _text_index(field: str) -> IndexSpec:
    """The index of one field's text values (records whose value is not text are left out: they
    never equal a text, and an index's values must all compare with each other)."""
    spec = _TEXT_INDEXES.get(field)
    if spec is None:
        def key(doc: dict[str, Any]) -> str | None:
            found = doc.get(field)
            return found if isinstance(found, str) else None
        spec = _TEXT_INDEXES[field] = IndexSpec(f"text/{field}", key)
    return spec


_TEXT_INDEXES: dict[str, IndexSpec] = {}  # field name -> its spec: the same key function each time
