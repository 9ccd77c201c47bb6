"""Adobe Campaign Standard's ``profileAndServices[Ext]`` on the Store: what a read, a create, an
update, a delete, a filter and a page do, for each resource. Plain Python (no Flask), so it is
unit-tested directly.

Store layout, namespace ``adobe_campaign``, tenant = organization id (``records``):

* ``organization/settings``: ``{id, access_token, api_key, custom_fields}``;
* ``profiles/<key>``: one profile, as stored (the wire fields that are not derived on read);
  ``<key>`` is a number from ``next_id`` for profiles made here, or ``alias_key(PKey)`` for a
  profile whose PKey came from fixtures (see ``pkeys``); an extended profile's ``orgUnit`` is
  stored as the unit's store key;
* ``services/<key>``, ``subscriptions/<key>``, ``orgUnits/<key>``, ``events/<key>``: see
  ``services``, ``subscriptions``, ``orgunits`` and ``history``;
* ``tombstones/<key>`` (and one per kind): fixtures PKeys of deleted records, so they answer
  404, not 500.

Seeding and export are in ``fixtures``, the ``resourceType`` answers in ``metadata``, the
paging of every collection in ``listing``.
Derived on every read, never stored: ``age`` (from ``birthDate`` and the emulator's clock),
``domain``, ``title``, ``href``, ``subscriptions``, ``postalAddress`` and the Ext links.
"""
from __future__ import annotations

import base64
import json
import os
from datetime import date
from typing import Any

from marshmallow import ValidationError

from ... import jsoninput
from ...clock import Clock
from ...store import Store
from . import errors, history, listing, metadata, pkeys, records, resources
from .context import Context
from .errors import CampaignError
from .listing import Query
from .orgunits import OrgUnits
from .paths import ResourcePath
from .records import NS, ORG, ORG_KEY, PROFILE, PROFILES, TOMBSTONES, organization
from .schemas import (BLACKLIST_FLAGS, DEFAULT_THUMBNAIL, FIELDS_BY_NAME, POSTAL_ADDRESS, FieldSpec,
                      first_error, format_datetime, resource_fields, specs_of, write_schema)
from .services import Services
from .subscriptions import Subscriptions

__all__ = ["NS", "ORG", "ORG_KEY", "PROFILES", "TOMBSTONES", "Campaign", "authenticate", "organization",
           "parse_body"]


# -- credentials (Adobe I/O gateway) -------------------------------------------------------------

def authenticate(store: Store, org: str, api_key: str | None, authorization: str | None) -> dict[str, Any]:
    """The organization's settings, or the gateway's error. The key is checked before the
    token, like Adobe I/O; a pair valid for *some* organization on an unknown one gets the
    documented "Oops" 500 of a wrong organization in the URI."""
    settings = organization(store, org)
    candidates = [settings] if settings else [organization(store, t) for t in store.tenants(NS)]
    candidates = [c for c in candidates if c]
    if not api_key:
        raise errors.missing_api_key()
    if not any(api_key == c["api_key"] for c in candidates):
        raise errors.invalid_api_key()
    if authorization is None or not authorization.strip():
        raise errors.missing_token()
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not any(token == c["access_token"] for c in candidates):
        raise errors.invalid_token()
    if settings is None:
        raise errors.unknown_organization()
    return settings


# -- request bodies --------------------------------------------------------------------------------

def parse_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a POST/PATCH, whatever the Content-Type says (Adobe's SDK labels its
    JSON ``text/plain;charset=UTF-8``, §1.14). An empty body is an empty object."""
    if not raw.strip():
        return {}
    try:
        body = jsoninput.loads(raw)
    except jsoninput.JsonInputError as exc:
        raise errors.generic(f"The request body is not valid JSON: {exc.reason}.") from None
    if not isinstance(body, dict):
        raise errors.generic("The request body must be a JSON object of profile properties.")
    return body


# -- the resources -------------------------------------------------------------------------------

class Campaign:
    """One organization's ``profileAndServices[Ext]``, answering as ``base`` (the emulator's own
    URL of ``/<ORG>/campaign``, so that every ``href`` a client follows stays on the emulator)."""

    def __init__(self, store: Store, clock: Clock, org: str, base: str = "",
                 settings: dict[str, Any] | None = None):
        self.store, self.clock, self.org, self.base = store, clock, org, base.rstrip("/")
        self.settings = settings or organization(store, org) or {"custom_fields": []}
        self.custom = specs_of(self.settings.get("custom_fields") or [])
        self.ctx = Context(store, clock, org, self.base, self.settings)
        self.services = Services(self.ctx)
        self.subscriptions = Subscriptions(self.ctx, self.services)
        self.units = OrgUnits(self.ctx)

    # -- addressing ---------------------------------------------------------------------------
    def fields(self, ext: bool) -> tuple[FieldSpec, ...]:
        return resource_fields(self.custom, ext)

    def href(self, api: str, pkey: str) -> str:
        return f"{self.base}/{api}/profile/{pkey}"

    def locate(self, pkey: str) -> tuple[str, dict[str, Any]]:
        """The store key and stored profile a PKey names: 404 when it names no profile (any
        more), 500 when it is not a PKey at all (§1.11)."""
        return records.locate(self.store, PROFILE, self.org, pkey)

    # -- reading ------------------------------------------------------------------------------
    def view(self, doc: dict[str, Any], api: str, ext: bool) -> dict[str, Any]:
        """A stored profile as the resource shows it: every field, keys in Campaign's order."""
        out: dict[str, Any] = {}
        for spec in self.fields(ext):
            out[spec.name] = self._value(doc, spec, api)
        return out

    def _value(self, doc: dict[str, Any], spec: FieldSpec, api: str) -> Any:
        name = spec.name
        if name == "age":
            return age(doc.get("birthDate", ""), self.clock.now().date())
        if name == "domain":
            email = doc.get("email", "")
            return email.rpartition("@")[2] if "@" in email else ""
        if name == "title":
            return title(doc)
        if name == "href":
            return self.href(api, doc["PKey"])
        if name == "subscriptions":
            return {"href": self.href(api, doc["PKey"]) + "/subscriptions/"}
        if name == "postalAddress":
            return postal_address()
        if name == "orgUnit":
            return self.units.link(doc.get("orgUnit"))
        if spec.kind == "item":
            return {**spec.empty, **doc.get(name, {})}
        return doc.get(name, spec.empty)

    def get(self, pkey: str, api: str, ext: bool) -> dict[str, Any]:
        return self.view(self.locate(pkey)[1], api, ext)

    # -- writing ----------------------------------------------------------------------------
    def _validate(self, body: dict[str, Any], ext: bool) -> dict[str, Any]:
        try:
            values = write_schema(self.custom, ext).load(body)
        except ValidationError as exc:
            raise first_error(body, exc.normalized_messages()) from None
        specs = {f.name: f for f in self.fields(ext)}
        values = {k: specs[k].empty if v is None else v for k, v in values.items()}
        if values.get("orgUnit") is not None:  # an extended profile's unit: stored by its key
            values["orgUnit"] = self.units.locate(values["orgUnit"]["PKey"])[0]
        return values

    def create(self, body: dict[str, Any], api: str, ext: bool) -> dict[str, Any]:
        """POST: the new profile with every default filled in (201, §1.6)."""
        if "PKey" in body:
            raise errors.read_only_property("PKey")
        with self.store.transaction():
            values = self._validate(body, ext)
            now = format_datetime(self.clock.now())
            key = str(self.store.next_id(NS, self.org, PROFILES))
            doc = new_profile(pkeys.new_pkey(self.org, key), now)
            apply_values(doc, values, now)
            self.store.put(NS, self.org, PROFILES, key, doc)
        return self.view(doc, api, ext)

    def update(self, pkey: str, body: dict[str, Any], api: str, ext: bool) -> dict[str, str]:
        """PATCH: validate everything, then write once; answers exactly ``{PKey, href}``, the
        href with a fresh encryption of the key, as the documentation shows (§1.7)."""
        with self.store.transaction():
            key, doc = self.locate(pkey)
            body = dict(body)
            if "PKey" in body:
                self._check_body_pkey(pkey, key, body.pop("PKey"))
            values = self._validate(body, ext)
            if values:
                now = format_datetime(self.clock.now())
                apply_values(doc, values, now)
                doc["lastModified"] = now
                self.store.put(NS, self.org, PROFILES, key, doc)
        return {"PKey": pkey, "href": self.href(api, pkeys.new_pkey(self.org, key))}

    def _check_body_pkey(self, pkey: str, key: str, sent: Any) -> None:
        """Any PKey of the profile itself is accepted; one that is not a PKey at all is the
        undecryptable-key 500 (§1.11 "in URI or body"); another profile's is a key change."""
        if not isinstance(sent, str) or not sent:
            raise errors.malformed_pkey(json.dumps(sent))
        try:
            found = self.locate(sent)[0]
        except CampaignError as exc:
            if exc.status != 404:
                raise
            found = None
        if found != key:
            raise errors.key_changed(pkey, sent)

    def delete(self, pkey: str) -> None:
        """DELETE: the profile, its subscriptions and its history go."""
        with self.store.transaction():
            key, doc = self.locate(pkey)
            records.forget(self.store, PROFILE, self.org, key, doc)
            self.subscriptions.remove_all("profile", key)
            history.forget(self.ctx, key)

    # -- GET on any path ------------------------------------------------------------------------
    def collection(self, target: ResourcePath, params: dict[str, str]) -> tuple[str, Any]:
        """The answer to a GET under ``profile``, ``service``, ``history`` or ``orgUnitBase``,
        with what it is: ``"profile"``/``"service"``/… (one record), ``"list"`` (a page),
        ``"count"`` or ``"metadata"``. Raises Campaign's error for paths it does not have."""
        resource = target.resource
        if resource == "profile":
            return self._profile_get(target, params)
        if resource == "service":
            return self._service_get(target, params)
        if resource == "history":
            return self._history_get(target, params)
        if resource == "orgUnitBase" and target.ext:
            return self._unit_get(target, params)
        raise errors.unknown_route()

    def _page(self, query: Query, target: ResourcePath, params: dict[str, str]) -> tuple[str, Any]:
        body = listing.answer(self.store, self.org, query, params, target.count)
        return ("count" if target.count else "list"), body

    def _profile_get(self, target: ResourcePath, params: dict[str, str]) -> tuple[str, Any]:
        segs, api = target.segments, target.api
        head = segs[0] if segs else ""
        if head.startswith("@"):
            if len(segs) == 1 and not target.count:
                return "profile", self.get(head, api, target.ext)
            if segs[1:2] == ("subscriptions",):
                key, doc = self.locate(head)
                return self._subscriptions_get("profile", key, head, segs[2:], target, params)
            raise errors.unknown_route()
        kind, found = self._common(resources.PROFILE, target, params, self.fields(target.ext))
        if kind:
            return kind, found
        raise errors.malformed_pkey(head)

    def _common(self, resource: resources.Resource, target: ResourcePath, params: dict[str, str],
                specs: tuple[FieldSpec, ...]) -> tuple[str, Any]:
        """A resource's list, filters, ``metadata`` and ``<field>`` forms; ``("", None)`` when
        the path is none of them (``by…``, several segments or ``_count`` are unknown routes)."""
        segs, api = target.segments, target.api
        names = {f.name: f for f in specs}
        if all(resource.filter(s) for s in segs):
            return self._page(self._query(resource, api, target.ext, list(segs), params, None), target, params)
        head = segs[0]
        if len(segs) == 1 and head == "metadata" and not target.count:
            return "metadata", self.metadata(api, target.ext, resource.name)
        if len(segs) == 1 and head in names:
            if names[head].kind == "collection":
                raise errors.unknown_route()
            return self._page(self._query(resource, api, target.ext, [], params, head), target, params)
        if head.startswith("by") or len(segs) > 1 or target.count:
            raise errors.unknown_route()
        return "", None

    def _query(self, resource: resources.Resource, api: str, ext: bool, filters: list[str],
               params: dict[str, str], field: str | None) -> Query:
        if resource is resources.SERVICE:
            return self.services.query(api, filters, params, field)
        if resource is resources.ORG_UNIT:
            return self.units.query(api, params, field)
        chosen = resource.filters_named(filters)
        tests = [f.make(params) for f in chosen]
        kept = [(p, params[p]) for f in chosen for p in f.params if p in params]
        path = f"{self.base}/{api}/{resource.name}/" + "/".join(filters or ([field] if field else []))
        if resource is resources.HISTORY:
            specs = {f.name: f for f in resources.HISTORY_FIELDS}
            view = lambda d: self.history_view(d, api)
            value = lambda d, spec: self.history_view(d, api)[spec.name]
        else:
            specs = {f.name: f for f in self.fields(ext)}
            view = lambda d: self.view(d, api, ext)
            value = lambda d, spec: self._value(d, spec, api)
        # byEmail is an equality: its profiles come from the Store's index of emails (records.having);
        # not for an empty email, which also matches the profiles that never had one
        email = params.get("email", "")
        lookup = ("email", email) if "byEmail" in filters and email else None
        return Query(PROFILES, path, view, specs, match=(lambda d: all(t(d) for t in tests)) if tests else None,
                     lookup=lookup, value=value, kept=kept, field=field, resource=resource.name)

    def _service_get(self, target: ResourcePath, params: dict[str, str]) -> tuple[str, Any]:
        segs, api = target.segments, target.api
        if not segs:
            return self._page(self.services.query(api, [], params, None), target, params)
        ref = segs[0]
        if not ref.startswith("@"):
            kind, found = self._common(resources.SERVICE, target, params, resources.SERVICE_FIELDS)
            if kind:
                return kind, found
        if len(segs) == 1 and not target.count:
            return "service", self.services.get(ref, api)  # by PKey, or by name ([I] §1.15)
        if ref.startswith("@") and segs[1:2] == ("subscriptions",):
            key, doc = self.services.locate(ref)
            return self._subscriptions_get("service", key, ref, segs[2:], target, params)
        raise errors.unknown_route()

    def _subscriptions_get(self, side: str, owner_key: str, owner_pkey: str, rest: tuple[str, ...],
                           target: ResourcePath, params: dict[str, str]) -> tuple[str, Any]:
        if not rest:
            return self._page(self.subscriptions.query(target.api, side, owner_key, owner_pkey, params),
                              target, params)
        if len(rest) == 1 and not target.count:
            _, doc = self.subscriptions.locate(side, owner_key, rest[0])
            return "subscription", self.subscriptions.view(doc, target.api, side, owner_pkey)
        raise errors.unknown_route()

    def _history_get(self, target: ResourcePath, params: dict[str, str]) -> tuple[str, Any]:
        segs, api = target.segments, target.api
        head = segs[0] if segs else ""
        if head.startswith("@"):
            key, doc = self.locate(head)
            if len(segs) == 1 and not target.count:
                return "history", self.history_view(doc, api)
            if segs[1:2] == ("events",):
                if len(segs) == 2:
                    return self._page(history.events_query(self.ctx, api, key, head), target, params)
                if len(segs) == 3 and not target.count:
                    return "event", history.event(self.ctx, key, segs[2], api, head)
            raise errors.unknown_route()
        if not segs:
            return self._page(self._query(resources.HISTORY, api, target.ext, [], params, None), target, params)
        kind, found = self._common(resources.HISTORY, target, params, resources.HISTORY_FIELDS)
        if kind:
            return kind, found
        raise errors.malformed_pkey(head)

    def history_view(self, doc: dict[str, Any], api: str) -> dict[str, Any]:
        """``history/<PKEY>``: the profile's own fields, its event counters and its ``events``
        link (interacting-with-marketing-history, datamodel-history)."""
        key = records.key_of(PROFILE, self.org, doc["PKey"])
        extra = history.counters(self.ctx, key)
        extra["countryIsoA2"] = doc.get("location", {}).get("countryCode", "")
        href = f"{self.base}/{api}/history/{doc['PKey']}"
        extra["events"] = {"href": f"{href}/events/", "metadata": "subHisto"}
        out: dict[str, Any] = {}
        for spec in resources.HISTORY_FIELDS:
            if spec.name in extra:
                out[spec.name] = extra[spec.name]
            elif spec.name == "href":
                out["href"] = href
            else:
                out[spec.name] = self._value(doc, spec, api)
        return out

    def _unit_get(self, target: ResourcePath, params: dict[str, str]) -> tuple[str, Any]:
        segs, api = target.segments, target.api
        if not segs:
            return self._page(self.units.query(api, params, None), target, params)
        head = segs[0]
        if head.startswith("@"):
            if len(segs) == 1 and not target.count:
                return "orgUnit", self.units.get(head, api)
            raise errors.unknown_route()
        kind, found = self._common(resources.ORG_UNIT, target, params, resources.ORG_UNIT_FIELDS)
        if kind:
            return kind, found
        raise errors.malformed_org_unit_pkey(head)

    # -- POST, PATCH, DELETE on any path ----------------------------------------------------------
    def post(self, target: ResourcePath, body: dict[str, Any]) -> dict[str, Any]:
        """Create a profile or a service, or subscribe (201 in every case, [I] §1.15)."""
        segs, api = target.segments, target.api
        if target.count:
            raise errors.unknown_route()
        if target.resource == "profile" and not segs:
            return self.create(body, api, target.ext)
        if target.resource == "service" and not segs:
            return self.services.create(body, api)
        if target.resource in ("profile", "service") and len(segs) == 2 and segs[1] == "subscriptions":
            return self.subscriptions.subscribe(target.resource, segs[0], body, api)
        raise errors.unknown_route()

    def patch(self, target: ResourcePath, body: dict[str, Any]) -> dict[str, str]:
        if target.resource == "profile":
            return self.update(self.pkey_of(target), body, target.api, target.ext)
        if target.count or len(target.segments) != 1:
            raise errors.unknown_route()
        ref = target.segments[0]
        if target.resource == "service" and not resources.SERVICE.filter(ref) and ref != "metadata":
            return self.services.update(ref, body, target.api)
        if target.resource == "orgUnitBase" and target.ext:
            return self.units.update(ref, body, target.api)
        raise errors.unknown_route()

    def remove(self, target: ResourcePath) -> int:
        """DELETE: a profile or a service (200), or a subscription by its item href (204)."""
        segs = target.segments
        if target.count:
            raise errors.unknown_route()
        if target.resource in ("profile", "service") and len(segs) == 3 and segs[1] == "subscriptions":
            if target.resource == "profile":
                owner_key = self.locate(segs[0])[0]
            else:
                owner_key = self.services.locate(segs[0])[0]
            self.subscriptions.unsubscribe(target.resource, owner_key, segs[2])
            return 204
        if target.resource == "profile":
            self.delete(self.pkey_of(target))
            return 200
        if target.resource == "service" and len(segs) == 1 and not resources.SERVICE.filter(segs[0]):
            with self.store.transaction():
                key, _ = self.services.delete(segs[0])
                self.subscriptions.remove_all("service", key)
            return 200
        raise errors.unknown_route()

    def pkey_of(self, target: ResourcePath) -> str:
        """The PKey a profile PATCH or DELETE addresses; anything else is a route Campaign has not."""
        segs = target.segments
        if len(segs) != 1 or target.count:
            raise errors.unknown_route()
        head = segs[0]
        if head.startswith("@"):
            return head
        if resources.PROFILE.filter(head) or head.startswith("by") or head == "metadata" or head in {
                f.name for f in self.fields(target.ext)}:
            raise errors.unknown_route()
        raise errors.malformed_pkey(head)

    # -- metadata ------------------------------------------------------------------------------
    def metadata(self, api: str, ext: bool, resource: str = "profile") -> dict[str, Any]:
        found = resources.RESOURCES.get(resource)
        if found is None or (found.ext_only and not ext):
            raise errors.unknown_route()
        specs = self.fields(ext) if found is resources.PROFILE else found.fields
        return metadata.resource(found, specs, self.base, api)

    def filters_metadata(self, api: str, resource: str = "profile") -> dict[str, Any]:
        found = resources.RESOURCES.get(resource)
        if found is None:
            raise errors.unknown_route()
        return metadata.filters(found, api)

    def resources(self, api: str) -> dict[str, Any]:
        return metadata.resources(self.base, api, ext=api.endswith("Ext"))


# -- pure helpers ------------------------------------------------------------------------------

def age(birth: str, today: date) -> int:
    if not birth:
        return 0
    born = date.fromisoformat(birth)
    return max(0, today.year - born.year - ((today.month, today.day) < (born.month, born.day)))


def title(doc: dict[str, Any]) -> str:
    """Campaign's computed title: ``Amy Dakota (amy.dakota@mail.com)``."""
    name = " ".join(p for p in (doc.get("firstName", ""), doc.get("lastName", "")) if p)
    email = doc.get("email", "")
    if name and email:
        return f"{name} ({email})"
    return name or email


def postal_address() -> dict[str, Any]:
    out = {s.name: s.empty for s in POSTAL_ADDRESS}
    out["addrQuality"] = "0"
    return out


def crypted_id() -> str:
    return base64.b64encode(os.urandom(64)).decode("ascii")


def new_profile(pkey: str, now: str) -> dict[str, Any]:
    """A stored profile with Campaign's defaults (§1.3)."""
    doc: dict[str, Any] = {"PKey": pkey, "created": now, "lastModified": now, "cryptedId": crypted_id(),
                           "thumbnail": DEFAULT_THUMBNAIL, "blackListAllLastModified": ""}
    for flag, stamp in BLACKLIST_FLAGS.items():
        doc[flag] = False
        if stamp:
            doc[stamp] = ""
    return doc


def apply_values(doc: dict[str, Any], values: dict[str, Any], now: str) -> None:
    """Write validated values; a changed opt-out flag stamps its ``…LastModified``."""
    for name, value in values.items():
        if name == "location":
            doc["location"] = {**FIELDS_BY_NAME["location"].empty, **doc.get("location", {}), **value}
            continue
        if name in BLACKLIST_FLAGS and bool(value) != bool(doc.get(name, False)):
            stamp_field = BLACKLIST_FLAGS[name]
            if stamp_field:
                doc[stamp_field] = now
            doc["blackListAllLastModified"] = now
        doc[name] = value


