"""Copernica's behaviour on the store: accounts, databases, fields, interests and profiles.

Plain Python, no Flask: ``routes`` turns requests into these calls and the results into
answers. Everything a method changes is validated first and written under the store's lock,
so a refused request changes nothing and concurrent requests never interleave half-way.

Store layout (vendor ``copernica``, tenant = account name):
``account/account`` the account (name, access token), ``databases/<ID>`` a database with its
field and interest definitions, ``profiles/<ID>`` a profile with the field values that were
set on it (values of fields it never had come from the field's default when read).
"""
from __future__ import annotations

import hmac
import random
import secrets
from collections.abc import Callable, Iterable
from hashlib import sha1
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from ...ids import is_digits
from ...store import Store, clone
from . import errors
from .errors import CopernicaError
from .definitions import fields_of, interests_of
from .fieldtypes import COPERNICA_TZ, TYPES, choices_of, normalize, php_bool, php_float, php_int
from .requestdata import as_list
from .schemas import FIELD_NAME
from .selection import compile_selection, lookup, parse
from .settings import VENDOR
from ...jsondoc import Doc

if TYPE_CHECKING:
    from ...clock import Clock

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"



def new_secret() -> str:
    """28 lowercase hex characters, like the live API's profile secrets."""
    return secrets.token_hex(14)


def new_access_token() -> str:
    return secrets.token_hex(16)


class Account:
    """One Copernica account (the tenant an access token selects)."""

    def __init__(self, store: Store, clock: Clock, name: str):
        self.store = store
        self.clock = clock
        self.name = name

    # -- helpers ---------------------------------------------------------------------------------
    def now(self) -> str:
        return self.clock.now().astimezone(COPERNICA_TZ).strftime(TIME_FORMAT)

    def _get(self, collection: str, key: str) -> Doc | None:
        return self.store.get(VENDOR, self.name, collection, key)

    def _put(self, collection: str, key: str, doc: Doc) -> None:
        self.store.put(VENDOR, self.name, collection, key, doc)

    def _next_id(self, collection: str) -> str:
        return str(self.store.next_id(VENDOR, self.name, collection))

    # -- identity ----------------------------------------------------------------------------
    def identity(self) -> Doc:
        account = self._get("account", "account") or {}
        number = int(sha1(self.name.encode()).hexdigest()[:6], 16)
        return {
            "id": str(number),
            "name": self.name,
            "description": account.get("description", ""),
            "company": account.get("company", ""),
            "customer": {"id": str(number), "name": account.get("company") or self.name},
            "usedBy": [],
            "license": {"name": "emulated", "features": ["rest"]},
        }

    # -- databases ---------------------------------------------------------------------------
    def databases(self) -> list[Doc]:
        docs = self.store.search(VENDOR, self.name, "databases")
        return sorted((dict(d) for d in docs), key=lambda d: int(d["ID"]))

    def database(self, ref: str, *, for_update: bool = False) -> Doc:
        """A database by numeric ID or by name (names match case-insensitively).

        Read-only unless ``for_update``: most requests only read a database's definitions, and
        copying them on every request would cost more than the request itself.
        """
        if is_digits(ref):
            found = self.store.peek(VENDOR, self.name, "databases", str(int(ref)))
        else:
            found = next((d for d in self.databases() if d["name"].lower() == ref.lower()), None)
        if found is None:
            raise CopernicaError(errors.NO_DATABASE)
        return clone(found) if for_update else found

    def create_database(self, body: Doc) -> str:
        name = body.get("name")
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            raise CopernicaError(errors.INVALID_DATABASE_NAME)
        with self.store.transaction():
            if any(d["name"].lower() == name.lower() for d in self.databases()):
                raise CopernicaError(errors.DATABASE_EXISTS)
            database_id = self._next_id("databases")
            description = body.get("description", "")
            self._put("databases", database_id, {
                "ID": database_id, "name": name,
                "description": description if isinstance(description, str) else "",
                "fields": [], "interests": [],
            })
        return database_id

    # -- fields and interests ----------------------------------------------------------------
    def create_field(self, database_ref: str, body: Doc) -> str:
        self.database(database_ref)  # the ID is checked before the body, as on the live API
        name, field_type = body.get("name"), body.get("type", "text")
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            raise CopernicaError(errors.INVALID_FIELD_NAME)
        if field_type not in TYPES:
            raise CopernicaError(errors.INVALID_FIELD_TYPE)
        return self._define(database_ref, "fields", errors.FIELD_EXISTS,
                            lambda field_id: make_field({**body, "ID": field_id, "type": field_type}))

    def create_interest(self, database_ref: str, body: Doc) -> str:
        self.database(database_ref)
        name, group = body.get("name"), body.get("group", "")
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            raise CopernicaError(errors.INVALID_INTEREST_NAME)
        return self._define(database_ref, "interests", errors.INTEREST_EXISTS, lambda interest_id: {
            "ID": interest_id, "name": name, "group": group if isinstance(group, str) else ""})

    def _define(self, database_ref: str, kind: str, exists: str, make: Callable[[str], Doc]) -> str:
        """Add a field or interest definition to a database; names are unique case-insensitively."""
        with self.store.transaction():
            database = self.database(database_ref, for_update=True)
            new = make("0")
            if any(item["name"].lower() == new["name"].lower() for item in database[kind]):
                raise CopernicaError(exists)
            new["ID"] = self._next_id(kind)
            database[kind].append(new)
            self._put("databases", database["ID"], database)
        return new["ID"]

    # -- profiles: reading -----------------------------------------------------------------------
    def profile(self, profile_id: str) -> Doc:
        found = self._get("profiles", str(int(profile_id))) if is_digits(profile_id) else None
        if found is None:
            raise CopernicaError(errors.NO_ENTITY)
        return found

    def render(self, profile: Doc, database: Doc | None = None, *, in_list: bool = False) -> Doc:
        """A profile as the API shows it: every field of its database, values as strings."""
        database = database or self.store.peek(VENDOR, self.name, "databases", profile["database"])
        removed = profile["removed"] and not in_list
        values = {} if database is None else field_values(profile, database)
        return {
            "ID": profile["ID"],
            "fields": {name: "" for name in values} if removed else values,
            "interests": [] if removed else list(profile["interests"]),
            "database": profile["database"],
            "secret": profile["secret"],
            "created": profile["created"],
            "modified": profile["modified"],
            "removed": False if in_list else profile["removed"],
        }

    def select(self, database: Doc, expressions: Iterable[str] | None) -> list[Doc]:
        """Non-removed profiles of ``database`` matching the selection, in ID order."""
        database_id = database["ID"]

        def member(p: Doc) -> bool:
            return p["database"] == database_id and p["removed"] is False

        return self.selected("profiles", database["fields"], expressions, f"database/{database_id}", member)

    def selected(self, collection: str, field_list: list[Doc], expressions: Iterable[str] | None, scope: str,
                 member: Callable[[Doc], bool], narrower: Callable[[Doc], bool] | None = None) -> list[Doc]:
        """The ``member`` documents of ``collection`` (profiles or subprofiles, whose fields are
        ``field_list``) that the selection and ``narrower`` accept, in ID order: from an ordered
        index of ``scope``'s members where one serves the selection (``selection.lookup``), else
        by scanning."""
        defaults = fields_of(field_list).defaults
        conditions = parse(expressions or [], field_list)
        matches = compile_selection(conditions, defaults)

        def wanted(d: Doc) -> bool:
            return member(d) and (narrower is None or narrower(d)) and matches(d)

        via = lookup(conditions, defaults, scope, member)
        if via is None:
            found = self.store.search(VENDOR, self.name, collection, wanted)
        else:
            found = self.store.find(VENDOR, self.name, collection, via.index, via.operator, via.value, wanted)
        return sorted(found, key=lambda d: int(d["ID"]))

    def list_profiles(self, database_ref: str, params: Doc, expressions: list[str] | None) -> Doc:
        database = self.database(database_ref)
        start, limit = params["start"], params["limit"]
        profiles = self.select(database, expressions)
        profiles = order_profiles(profiles, database, params["orderby"], params["descending"])
        page = profiles[start:start + limit] if start >= 0 and limit >= 0 else []
        rendered = [self.render(p, database, in_list=True) for p in page]
        if params["dataonly"]:
            rendered = [{k: r[k] for k in ("ID", "fields", "interests", "modified")} for r in rendered]
        return list_wrapper(rendered, start, limit, len(profiles) if params["total"] else None)

    def profile_ids(self, database_ref: str, params: Doc) -> list[int]:
        database = self.database(database_ref)
        ids = [int(p["ID"]) for p in self.select(database, None)]
        start, limit = params["start"], params["limit"]
        return ids[start:start + limit] if start >= 0 and limit >= 0 else []

    # -- profiles: writing -----------------------------------------------------------------------
    def create_profile(self, database_ref: str, body: Any) -> str:
        profile_fields, interests = check_profile_body(body)
        with self.store.transaction():
            database = self.database(database_ref)
            return self._insert(database, profile_fields, interests)

    def _insert(self, database: Doc, profile_fields: Doc, interests: Any) -> str:
        now = self.now()
        profile = {"ID": self._next_id("profiles"), "database": database["ID"], "fields": {},
                   "interests": [], "secret": new_secret(), "created": now, "modified": now,
                   "removed": False}
        apply_values(profile, database, profile_fields, interests)
        self._put("profiles", profile["ID"], profile)
        return profile["ID"]

    def update_profiles(self, database_ref: str, expressions: list[str], body: Any,
                        create: bool) -> tuple[int, str | None]:
        """``PUT database/<id>/profiles``: update every match, or create when none matched.

        Returns (profiles matched, ID of the created profile or None).
        """
        profile_fields, interests = check_profile_body(body)
        with self.store.transaction():
            database = self.database(database_ref)
            matched = self.select(database, expressions)
            for profile in matched:
                self._update(dict(profile), database, profile_fields, interests)
            if not matched and create:
                return 0, self._insert(database, profile_fields, interests)
            return len(matched), None

    def _update(self, profile: Doc, database: Doc, profile_fields: Doc, interests: Any,
                secret: Any = None) -> None:
        changed = update_entity(profile, database, profile_fields, interests, secret, self.now())
        if changed is not None:
            self._put("profiles", changed["ID"], changed)

    def update_profile(self, profile_id: str, body: Any) -> None:
        """``PUT profile/<id>``: a non-object ``fields`` is ignored here, not refused."""
        if not isinstance(body, dict):
            body = {}
        profile_fields = body.get("fields")
        profile_fields = profile_fields if isinstance(profile_fields, dict) else {}
        with self.store.transaction():
            profile = self.profile(profile_id)
            database = self.database(profile["database"])
            self._update(profile, database, profile_fields, body.get("interests"), body.get("secret"))

    def update_profile_fields(self, profile_id: str, body: Any) -> None:
        """``PUT profile/<id>/fields``: a flat ``{"field": "value"}`` body."""
        with self.store.transaction():
            profile = self.profile(profile_id)
            database = self.database(profile["database"])
            self._update(profile, database, body if isinstance(body, dict) else {}, None)

    def profile_interests(self, profile_id: str) -> list[Doc]:
        profile = self.profile(profile_id)
        database = self.database(profile["database"])
        if profile["removed"] is not False:
            return []
        return [dict(i) for i in database["interests"] if i["name"] in profile["interests"]]

    def set_profile_interests(self, profile_id: str, body: Any, *, replace: bool) -> None:
        """POST adds (and, with ``{"name": 0}``, removes) interests; PUT replaces the whole set."""
        with self.store.transaction():
            profile = self.profile(profile_id)
            database = self.database(profile["database"])
            if replace:
                wanted = interest_changes(database, body)
                body = {i["name"]: 1 if wanted.get(i["name"]) else 0 for i in database["interests"]}
            self._update(profile, database, {}, body)

    def delete_profile(self, profile_id: str, completely: bool = False) -> None:
        """Remove a profile, and with it every subprofile it has (vendor-apis.md §4.10)."""
        with self.store.transaction():
            profile = self.profile(profile_id)
            if profile["removed"] is not False:
                raise CopernicaError(errors.ALREADY_REMOVED)
            now = self.now()
            for sub in self.store.search(VENDOR, self.name, "subprofiles", lambda s: (
                    s["profile"] == profile["ID"] and (completely or s["removed"] is False))):
                if completely:
                    self.store.delete(VENDOR, self.name, "subprofiles", sub["ID"])
                else:
                    self._put("subprofiles", sub["ID"], {**sub, "fields": {}, "removed": now})
            if completely:
                self.store.delete(VENDOR, self.name, "profiles", profile["ID"])
                return
            profile.update(fields={}, interests=[], removed=now)
            self._put("profiles", profile["ID"], profile)


# -- pure helpers ------------------------------------------------------------------------------
def make_field(spec: Doc) -> Doc:
    """A field definition with every property the API reports, defaults filled in."""
    def flag(name: str) -> bool:
        return php_bool(spec.get(name, False))

    value = spec.get("value", "")
    return {
        "ID": str(spec["ID"]), "name": spec["name"], "type": spec.get("type", "text"),
        "value": value if isinstance(value, str) else str(value),
        "displayed": flag("displayed"), "ordered": flag("ordered"),
        "length": max(1, php_int(spec.get("length", 255))),
        "textlines": max(1, php_int(spec.get("textlines", 1))),
        "hidden": flag("hidden"), "index": flag("index"),
    }


def secret_text(value: Any) -> str:
    """A ``secret`` as Copernica stores it: a scalar as text with every non-ASCII character a
    ``?`` (``"üCE"`` is ``"?CE"``), anything else ``"1"`` (rmuit ``Helper::normalizeSecretInput``)."""
    if isinstance(value, bool):
        text = "1" if value else ""
    elif isinstance(value, (int, float, str)):
        text = value if isinstance(value, str) else str(normalize("text", value))
    else:
        return "1"
    return "".join(c if ord(c) < 128 else "?" for c in text)


def update_entity(entity: Doc, definition: Doc, values: Doc, interests: Any, secret: Any,
                  now: str) -> Doc | None:
    """A profile or subprofile after a PUT, or None when nothing it stores changed.

    ``definition`` is the database (or collection) whose fields the values are for. ``modified``
    moves only when a stored value changes; a new ``secret`` alone never moves it. A removed
    entity keeps its empty fields, yet a write naming one of its fields moves ``modified`` and
    a new secret sticks, as rmuit saw on the live API (reported to Copernica as a bug, §4.10).
    """
    new_secret_given = secret is not None and secret_text(secret) != entity["secret"]
    if entity["removed"] is not False:
        names = {f["name"].lower() for f in definition["fields"]}
        touched = any(str(k).lower() in names for k in values)
        if not touched and not new_secret_given:
            return None
        updated = dict(entity)
        if touched:
            updated["modified"] = now
        if new_secret_given:
            updated["secret"] = secret_text(secret)
        return updated
    updated = {**entity, "fields": dict(entity["fields"])}
    if "interests" in entity:
        updated["interests"] = list(entity["interests"])
    changed = apply_values(updated, definition, values, interests)
    if new_secret_given:
        updated["secret"] = secret_text(secret)
    if changed:
        updated["modified"] = now
    return updated if changed or new_secret_given else None


def field_values(profile: Doc, database: Doc) -> dict[str, str]:
    stored = profile["fields"]
    return {name: stored[name] if name in stored else default
            for name, default in fields_of(database["fields"]).defaults.items()}


def check_profile_body(body: Any) -> tuple[Doc, Any]:
    """The ``fields`` and ``interests`` of a create/update body; ``fields`` must be an object."""
    if isinstance(body, list) and not body:
        body = {}  # PHP cannot tell an empty JSON array from an empty object
    if not isinstance(body, dict):
        raise CopernicaError(errors.INVALID_DATA)
    profile_fields = body.get("fields", {})
    if isinstance(profile_fields, list) and not profile_fields:
        profile_fields = {}
    if not isinstance(profile_fields, dict):
        raise CopernicaError(errors.INVALID_DATA)
    return profile_fields, body.get("interests")


def interest_changes(database: Doc, interests: Any) -> dict[str, bool]:
    """``["football"]`` or ``{"Football": 1, "baseball": 0}`` → {defined name: wanted}; unknown names ignored."""
    return wanted_interests(interests_of(database["interests"]), interests)


def wanted_interests(by_name: dict[str, str], interests: Any) -> dict[str, bool]:
    """``interest_changes`` with the database's interests looked up already (lower-cased name → name)."""
    interests = as_list(interests)
    if isinstance(interests, list):
        pairs = [(name, True) for name in interests if isinstance(name, str)]
    elif isinstance(interests, dict):
        pairs = [(name, php_bool(value)) for name, value in interests.items()]
    else:
        pairs = []
    return {by_name[name.lower()]: wanted for name, wanted in pairs if name.lower() in by_name}


def apply_values(profile: Doc, database: Doc, profile_fields: Doc, interests: Any) -> bool:
    """Set normalised field values and interests on ``profile`` (in place); True if anything changed."""
    changed = False
    lookups = fields_of(database["fields"])
    by_name, defaults = lookups.by_name, lookups.defaults
    stored = profile["fields"]
    for key, value in profile_fields.items():  # a later key wins, even one differing only in case
        field = by_name.get(str(key).lower())
        if field is None:
            continue  # unknown fields are silently ignored
        name, kind = field["name"], field["type"]
        new = normalize(kind, value, choices_of(field) if kind == "select" else None, field.get("length"))
        if new != (stored[name] if name in stored else defaults[name]):
            changed = True
        stored[name] = new
    if "interests" not in profile:
        return changed  # a subprofile: its collection has fields only
    have = set(profile["interests"])
    for name, wanted in interest_changes(database, interests).items():
        if wanted and name not in have:
            have.add(name)
            changed = True
        elif not wanted and name in have:
            have.discard(name)
            changed = True
    profile["interests"] = [i["name"] for i in database["interests"] if i["name"] in have]
    return changed


def order_profiles(profiles: list[Doc], database: Doc, orderby: str, descending: bool) -> list[Doc]:
    key: Callable[[Doc], Any]
    orderby = orderby.strip().lower()
    field = next((f for f in database["fields"] if orderby in (f["name"].lower(), f["ID"])), None)
    if field is not None:
        cast = {"integer": php_int, "float": php_float}.get(field["type"], str.casefold)
        key = lambda p: (cast(field_values(p, database)[field["name"]]), int(p["ID"]))
    elif orderby == "modified":
        key = lambda p: (p["modified"], int(p["ID"]))
    elif orderby == "random":
        shuffled = list(profiles)
        random.shuffle(shuffled)
        return shuffled
    else:
        key = lambda p: int(p["ID"])
    return sorted(profiles, key=key, reverse=descending)


def list_wrapper(data: list[Any], start: int, limit: int, total: int | None) -> Doc:
    """Copernica's paged list: ``{"start","limit","count","data","total"}`` (``total`` optional).

    ``data`` comes before ``total``, as in the docs' JSON examples of real answers (the embedded
    ``fields`` of rest-get-collection) and in rmuit's ApiBehaviorTest, which compares whole
    answers key order included (``assertSame``); only the paging page's sketch puts it last."""
    wrapper: Doc = {"start": start, "limit": limit, "count": len(data), "data": data}
    if total is not None:
        wrapper["total"] = total
    return wrapper


#: per store, the tenant each token last opened: every call is authenticated, and walking all
#: tenants cost 5 µs of each. A remembered tenant is checked against its account's token before
#: use, so a changed or reset token is never honoured; only tokens that opened an account get in.
_tenant_of_token: WeakKeyDictionary[Store, dict[str, str]] = WeakKeyDictionary()
_REMEMBERED_TOKENS = 256


def account_for_token(store: Store, clock: Clock, token: str | None) -> Account | None:
    if not token:
        return None
    remembered = _tenant_of_token.get(store)
    if remembered is None:
        remembered = _tenant_of_token.setdefault(store, {})
    tenant = remembered.get(token)
    if tenant is not None and _opens(store, tenant, token):
        return Account(store, clock, tenant)
    for tenant in store.tenants(VENDOR):
        if _opens(store, tenant, token):
            if len(remembered) >= _REMEMBERED_TOKENS:
                remembered.clear()
            remembered[token] = tenant
            return Account(store, clock, tenant)
    return None


def _opens(store: Store, tenant: str, token: str) -> bool:
    account = store.peek(VENDOR, tenant, "account", "account")
    return account is not None and hmac.compare_digest(account["access_token"].encode(), token.encode())
