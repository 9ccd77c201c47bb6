"""Adobe Campaign Standard's profile resource on the Store: what a read, a create, an update,
a delete, a filter and a page do. Plain Python (no Flask), so it is unit-tested directly.

Store layout, namespace ``adobe_campaign``, tenant = organization id:

* ``organization/settings``: ``{id, access_token, api_key, custom_fields}``;
* ``profiles/<key>``: one profile, as stored (the wire fields that are not derived on read);
  ``<key>`` is a number from ``next_id`` for profiles made here, or ``alias_key(PKey)`` for a
  profile whose PKey came from fixtures (see ``pkeys``);
* ``tombstones/<key>``: fixtures PKeys of deleted profiles, so they answer 404, not 500.

Seeding and export are in ``fixtures``, the ``resourceType`` answers in ``metadata``.
Derived on every read, never stored: ``age`` (from ``birthDate`` and the emulator's clock),
``domain``, ``title``, ``href``, ``subscriptions``, ``postalAddress`` and the Ext links.
"""
from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from marshmallow import ValidationError

from ...clock import Clock
from ...store import IndexSpec, Store
from . import errors, metadata, pkeys
from .errors import CampaignError
from .paths import FILTERS, Target
from .schemas import (BLACKLIST_FLAGS, DEFAULT_THUMBNAIL, FIELDS_BY_NAME, POSTAL_ADDRESS, FieldSpec,
                      first_error, format_datetime, resource_fields, specs_of, write_schema)

NS = "adobe_campaign"
ORG, ORG_KEY, PROFILES, TOMBSTONES = "organization", "settings", "profiles", "tombstones"

DEFAULT_LINE_COUNT = 25
#: Campaign's XtkBigTableThreshold: above it, ``next`` needs ``_forcePagination=true`` (§1.5)
BIG_TABLE_THRESHOLD = 100_000
BYTEXT_FIELDS = {"firstName", "lastName", "email"}


def _text_of(name: str) -> IndexSpec:
    """An index of one text property, as the filters compare it (exactly, or by its start)."""
    def key(doc: dict[str, Any]) -> str | None:
        value = doc.get(name, "")
        return value if isinstance(value, str) else None  # a non-text value matches no filter
    return IndexSpec(name, key)


#: the indexes that serve ``byEmail`` and ``byText`` (built on a profile collection's first filter)
BY = {name: _text_of(name) for name in sorted(BYTEXT_FIELDS)}
Lookup = tuple[IndexSpec, str, Any]


# -- credentials (Adobe I/O gateway) -------------------------------------------------------------

def organization(store: Store, org: str) -> dict[str, Any] | None:
    return store.get(NS, org, ORG, ORG_KEY)


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
        body = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError) as exc:
        raise errors.generic(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise errors.generic("The request body must be a JSON object of profile properties.")
    return body


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# -- the resource ------------------------------------------------------------------------------

class Campaign:
    """One organization's profiles, answering as ``base`` (the emulator's own URL of
    ``/<ORG>/campaign``, so that every ``href`` a client follows stays on the emulator)."""

    def __init__(self, store: Store, clock: Clock, org: str, base: str = "",
                 settings: dict[str, Any] | None = None):
        self.store, self.clock, self.org, self.base = store, clock, org, base.rstrip("/")
        self.settings = settings or organization(store, org) or {"custom_fields": []}
        self.custom = specs_of(self.settings.get("custom_fields") or [])

    # -- addressing ---------------------------------------------------------------------------
    def fields(self, ext: bool) -> tuple[FieldSpec, ...]:
        return resource_fields(self.custom, ext)

    def href(self, api: str, pkey: str) -> str:
        return f"{self.base}/{api}/profile/{pkey}"

    def locate(self, pkey: str) -> tuple[str, dict[str, Any]]:
        """The store key and stored profile a PKey names: 404 when it names no profile (any
        more), 500 when it is not a PKey at all (§1.11)."""
        key = pkeys.profile_key(self.org, pkey)
        if key is not None:
            doc = self.store.get(NS, self.org, PROFILES, key)
            if doc is None:
                raise errors.profile_not_found(pkey)
            return key, doc
        key = pkeys.alias_key(pkey)
        doc = self.store.get(NS, self.org, PROFILES, key)
        if doc is not None and doc.get("PKey") == pkey:
            return key, doc
        if self.store.get(NS, self.org, TOMBSTONES, key) == {"PKey": pkey}:
            raise errors.profile_not_found(pkey)
        raise errors.malformed_pkey(pkey)

    # -- reading --------------------------------------------------------------------------------
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
            raise first_error(body, exc.messages) from None
        specs = {f.name: f for f in self.fields(ext)}
        return {k: specs[k].empty if v is None else v for k, v in values.items()}  # null clears

    def create(self, body: dict[str, Any], api: str, ext: bool) -> dict[str, Any]:
        """POST: the new profile with every default filled in (201, §1.6)."""
        if "PKey" in body:
            raise errors.read_only_property("PKey")
        values = self._validate(body, ext)
        now = format_datetime(self.clock.now())
        with self.store.transaction():
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
        with self.store.transaction():
            key, doc = self.locate(pkey)
            self.store.delete(NS, self.org, PROFILES, key)
            if pkeys.profile_key(self.org, doc["PKey"]) is None:
                self.store.put(NS, self.org, TOMBSTONES, key, {"PKey": doc["PKey"]})

    # -- collections ------------------------------------------------------------------------
    def collection(self, target: Target, params: dict[str, str]) -> tuple[str, Any]:
        """The answer to a GET on ``profile[/…]``, with what it is: ``"profile"`` (one PKey),
        ``"list"`` (a page of profiles or of one field's values), ``"count"`` or ``"metadata"``.
        Raises Campaign's error for paths it does not have."""
        segs = target.segments
        if not segs:
            return self._listing(target, [], None, params)
        head = segs[0]
        if head.startswith("@"):
            if target.count:
                raise errors.unknown_route()
            if len(segs) == 1:
                return "profile", self.get(head, target.api, target.ext)
            if segs[1:] == ("subscriptions",):
                self.locate(head)
                return "list", {"content": [], "serverSidePagination": True}
            raise errors.unknown_route()
        if all(s in FILTERS for s in segs):
            return self._listing(target, list(segs), None, params)
        if len(segs) == 1 and head == "metadata" and not target.count:
            return "metadata", self.metadata(target.api, target.ext)
        if len(segs) == 1 and head in {f.name for f in self.fields(target.ext)}:
            if self._spec(head, target.ext).kind == "collection":
                raise errors.unknown_route()
            return self._listing(target, [], head, params)
        if head.startswith("by") or len(segs) > 1 or target.count:
            raise errors.unknown_route()
        raise errors.malformed_pkey(head)

    def pkey_of(self, target: Target) -> str:
        """The PKey a PATCH or DELETE addresses; anything else is a route Campaign has not."""
        segs = target.segments
        if len(segs) != 1 or target.count:
            raise errors.unknown_route()
        head = segs[0]
        if head.startswith("@"):
            return head
        if head in FILTERS or head.startswith("by") or head == "metadata" or head in {
                f.name for f in self.fields(target.ext)}:
            raise errors.unknown_route()
        raise errors.malformed_pkey(head)

    def _spec(self, name: str, ext: bool) -> FieldSpec:
        return next(f for f in self.fields(ext) if f.name == name)

    def _listing(self, target: Target, filters: list[str], field: str | None,
                 params: dict[str, str]) -> tuple[str, Any]:
        match, lookups = self._matcher(filters, params)
        order = self._order(params.get("_order"), target.ext)
        if target.count:
            total = (self.store.count(NS, self.org, PROFILES) if match is None
                     else len(self._filtered(match, lookups, ordered=False)))
            return "count", {"count": total}
        if match is None and not order:  # a plain page reads only its own profiles
            rows: Any = _KeyedRows(self.store, self.org)
        elif match is None:
            rows = self.store.search(NS, self.org, PROFILES)
        else:
            rows = self._filtered(match, lookups, ordered=True)
        line_count = _line_count(params.get("_lineCount"))
        start = 0
        if params.get("_lineStart"):
            start = pkeys.line_start_offset(self.org, params["_lineStart"])
            if start is None:
                raise errors.generic(f"The '_lineStart' value '{params['_lineStart']}' is not one "
                                     "this server returned; follow the 'next' href.")
        if order:
            rows = self._sorted(rows, order, target.api, target.ext)
        page = rows[start:start + line_count]
        content = [self.view(doc, target.api, target.ext) for doc in page]
        if field is not None:
            content = [row[field] for row in content]
        more = start + line_count < len(rows)
        big = (self.store.count(NS, self.org, PROFILES) > BIG_TABLE_THRESHOLD
               and params.get("_forcePagination") != "true")
        path = f"{self.base}/{target.api}/profile/" + "/".join(filters or ([field] if field else []))
        kept = [(k, params[k]) for k in _filter_params(filters) if k in params]
        if order:
            kept.append(("_order", ",".join(f"{n} desc" if d else n for n, d in order)))
        for k in ("_lineCount", "_forcePagination"):
            if k in params:
                kept.append((k, params[k]))
        token = [("_lineStart", pkeys.line_start(self.org, start + line_count))] if more else []
        body: dict[str, Any] = {"content": content,
                                "count": {"href": f"{path}/_count?{_query(kept + token)}".rstrip("?")}}
        if more and not big:
            body["next"] = {"href": f"{path}?{_query(kept + token)}"}
        body["serverSidePagination"] = True
        return "list", body

    def _filtered(self, match: Callable[[dict[str, Any]], bool], lookups: list[Lookup],
                  ordered: bool) -> list[Any]:
        """The profiles ``match`` accepts, found through the first filter's indexes."""
        return self.store.find_any(NS, self.org, PROFILES, lookups, match, ordered=ordered)

    def _matcher(self, filters: list[str], params: dict[str, str]
                 ) -> tuple[Callable[[dict[str, Any]], bool] | None, list[Lookup]]:
        """A predicate for the filters (None without filters), and the index lookups that find
        a superset of what it accepts: those of the first filter (every filter must match)."""
        tests = []
        lookups: list[Lookup] = []
        for name in filters:
            if name == "byEmail":
                email = params.get("email", "")
                tests.append(lambda d, e=email: d.get("email", "") == e)
                lookups = lookups or [(BY["email"], "==", email)]
            elif name == "byText":
                text = params.get("text", "")
                kind = params.get("filterType")
                if kind is not None and kind not in BYTEXT_FIELDS:
                    raise errors.generic(f"The value '{kind}' is not valid for the 'filterType' parameter "
                                         "of the 'byText' filter (firstName, lastName or email).")
                names = (kind,) if kind else ("email", "lastName")
                tests.append(lambda d, t=text, ns=names: any(d.get(n, "").startswith(t) for n in ns))
                lookups = lookups or [(BY[n], "prefix", text) for n in names]
        return ((lambda d: all(t(d) for t in tests)) if tests else None), lookups

    def _order(self, raw: str | None, ext: bool) -> list[tuple[str, bool]]:
        """``_order=email``, ``email desc`` (sent as ``email%20desc``), ``email asc``; also the
        SDK's double-encoded ``email%2520desc``, which arrives as ``email%20desc``."""
        if not raw:
            return []
        specs = {f.name: f for f in self.fields(ext)}
        out = []
        for part in raw.split(","):
            m = re.fullmatch(r"\s*([A-Za-z0-9_]+)(?:(?:\s+|%20)(asc|desc))?\s*", part)
            if not m:
                raise errors.generic(f"The '_order' value '{raw}' is not a sortable property "
                                     "optionally followed by ' desc'.")
            name, direction = m.group(1), m.group(2)
            spec = specs.get(name)
            if spec is None:
                raise errors.unknown_property(name)
            if not spec.sortable:
                raise errors.generic(f"The '{name}' property is not sortable (see 'sortable' in "
                                     "resourceType/profile).")
            out.append((name, direction == "desc"))
        return out

    def _sorted(self, rows: list[dict[str, Any]], order: list[tuple[str, bool]], api: str,
                ext: bool) -> list[dict[str, Any]]:
        for name, desc in reversed(order):  # stable sorts, last key first
            spec = self._spec(name, ext)
            rank = {v.name: i for i, v in enumerate(spec.values)}
            rows = sorted(rows, key=lambda d: _sort_key(self._value(d, spec, api), rank), reverse=desc)
        return rows

    # -- metadata ------------------------------------------------------------------------------
    def metadata(self, api: str, ext: bool) -> dict[str, Any]:
        return metadata.resource(self.fields(ext), self.base, api)

    def filters_metadata(self, api: str) -> dict[str, Any]:
        return metadata.filters(api)

    def resources(self, api: str) -> dict[str, Any]:
        return metadata.resources(self.base, api)


class _KeyedRows:
    """The profiles in store order, read by key only where a page slices them."""

    def __init__(self, store: Store, org: str):
        self.store, self.org = store, org

    def __len__(self) -> int:
        return self.store.count(NS, self.org, PROFILES)

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        keys = self.store.keys(NS, self.org, PROFILES, window.start or 0, window.stop)
        docs = (self.store.peek(NS, self.org, PROFILES, k) for k in keys)
        return [d for d in docs if d is not None]


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
            if BLACKLIST_FLAGS[name]:
                doc[BLACKLIST_FLAGS[name]] = now
            doc["blackListAllLastModified"] = now
        doc[name] = value


def _sort_key(value: Any, rank: dict[str, int]) -> Any:
    if rank and isinstance(value, str):
        return (0, rank.get(value, -1))
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    return (1, str(value))


def _filter_params(filters: list[str]) -> list[str]:
    out = []
    for name in filters:
        out += {"byEmail": ["email"], "byText": ["text", "filterType"]}[name]
    return out


def _query(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs, quote_via=quote, safe="@")


def _line_count(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LINE_COUNT
    if not re.fullmatch(r"\d{1,9}", raw) or int(raw) < 1:
        raise errors.generic(f"The '_lineCount' value '{raw}' is not a number of lines (an integer ≥ 1).")
    return int(raw)
