"""Services (``nms:service``): the subscription lists of Campaign, e.g. newsletters (§1.15).

Stored in ``services/<key>`` (``SERVICE_STORED`` values only); ``title``, ``href``,
``subscriptions`` and the links are derived on every read. A service is addressed by its PKey,
or by its ``name`` (the "ID"), which is unique in the organization.
"""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from . import errors, records
from .context import Context
from .listing import Query
from .records import NS, SERVICE, SERVICES
from .resources import SERVICE as RESOURCE
from .resources import SERVICE_DEFAULTS, SERVICE_FIELDS, SERVICE_STORED
from .schemas import body_schema, first_error

SPECS = {f.name: f for f in SERVICE_FIELDS}


def title(doc: dict[str, Any]) -> str:
    """``Sport Newsletter (SVC1)``: the label, then the name in brackets (§1.15)."""
    return f"{doc.get('label', '')} ({doc.get('name', '')})"


def new_service(pkey: str, now: str) -> dict[str, Any]:
    doc: dict[str, Any] = {name: SPECS[name].empty for name in SERVICE_STORED}
    doc.update(SERVICE_DEFAULTS)
    doc.update({"PKey": pkey, "created": now, "lastModified": now})
    return {k: v for k, v in doc.items() if k in SERVICE_STORED or k in SERVICE_DEFAULTS}


class Services:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    # -- reading ------------------------------------------------------------------------------
    def view(self, doc: dict[str, Any], api: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in SERVICE_FIELDS:
            out[spec.name] = self.value(doc, spec.name, api)
        return out

    def value(self, doc: dict[str, Any], name: str, api: str) -> Any:
        if name == "title":
            return title(doc)
        if name == "href":
            return self.ctx.href(api, "service", doc["PKey"])
        if name == "subscriptions":
            return {"href": self.ctx.href(api, "service", doc["PKey"]) + "/subscriptions/"}
        if name in SERVICE_DEFAULTS and name not in doc:
            return SERVICE_DEFAULTS[name]
        return doc.get(name, SPECS[name].empty)

    def link(self, doc: dict[str, Any], api: str) -> dict[str, Any]:
        """A service as a subscription shows it (retrieving-subscriptions)."""
        return {"PKey": doc["PKey"], "href": self.ctx.href(api, "service", doc["PKey"]),
                "label": doc.get("label", ""), "name": doc.get("name", ""), "title": title(doc)}

    def locate(self, ref: str) -> tuple[str, dict[str, Any]]:
        """A PKey, or a service's name ([I, medium] §1.15: the Drupal module reads
        ``service/<name>``); an unknown name is the documented 404 of a non-existent key."""
        if ref.startswith("@"):
            return records.locate(self.ctx.store, SERVICE, self.ctx.org, ref)
        found = self.by_name(ref)
        if found is None:
            raise errors.service_name_not_found(ref)
        return found

    def by_name(self, name: str) -> tuple[str, dict[str, Any]] | None:
        hits = records.having(self.ctx.store, self.ctx.org, SERVICES, "name", name)
        return (hits[0][0], dict(hits[0][1])) if hits else None

    def get(self, ref: str, api: str) -> dict[str, Any]:
        return self.view(self.locate(ref)[1], api)

    def query(self, api: str, filters: list[str], params: dict[str, str], field: str | None) -> Query:
        chosen = RESOURCE.filters_named(filters)
        tests = [f.make(params) for f in chosen]
        kept = [(p, params[p]) for f in chosen for p in f.params if p in params]
        path = f"{self.ctx.base}/{api}/service/" + "/".join(filters or ([field] if field else []))
        return Query(SERVICES, path, lambda d: self.view(d, api), SPECS,
                     match=(lambda d: all(t(d) for t in tests)) if tests else None,
                     value=lambda d, spec: self.value(d, spec.name, api), kept=kept, field=field,
                     resource="service")

    def free_name(self, key: str) -> str:
        """``SVC<n>``, the name of every documented service created without one [I]: the
        service's own number, or the next free one."""
        number = int(key) if key.isdigit() else self.ctx.store.next_id(NS, self.ctx.org, SERVICES)
        while self.by_name(f"SVC{number}") is not None:
            number = self.ctx.store.next_id(NS, self.ctx.org, SERVICES)
        return f"SVC{number}"

    # -- writing ------------------------------------------------------------------------------
    def _validate(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            values = body_schema(SERVICE_FIELDS, "ServiceBody").load(body)
        except ValidationError as exc:
            raise first_error(body, exc.normalized_messages(), "service") from None
        return {k: SPECS[k].empty if v is None else v for k, v in values.items()}

    def create(self, body: dict[str, Any], api: str) -> dict[str, Any]:
        """POST: the new service with its defaults ("Otherwise, the new service will be created
        with default ones"); a missing name is ``SVC<n>`` like every documented sample."""
        if "PKey" in body:
            raise errors.read_only_property("PKey")
        values = self._validate(body)
        store, org = self.ctx.store, self.ctx.org
        with store.transaction():
            name = values.get("name") or ""
            if name and self.by_name(name) is not None:
                raise errors.duplicate_name("service", name)
            key, pkey = records.make_key(store, SERVICE, org, None)
            name = name or self.free_name(key)
            doc = new_service(pkey, self.ctx.now())
            doc.update(values)
            doc["name"] = name
            store.put(NS, org, SERVICES, key, doc)
        return self.view(doc, api)

    def update(self, ref: str, body: dict[str, Any], api: str) -> dict[str, str]:
        """PATCH: as a profile's, ``{PKey, href}``; the name is the service's key, and changing
        it is the documented ``RST-360012`` key change (§1.11)."""
        store, org = self.ctx.store, self.ctx.org
        with store.transaction():
            key, doc = self.locate(ref)
            body = dict(body)
            records.pop_own_pkey(store, SERVICE, org, body, key, doc["PKey"], "service")
            if "name" in body and body["name"] != doc.get("name"):
                raise errors.key_changed(doc.get("name", ""), str(body["name"]), "service")
            values = self._validate(body)
            if values:
                doc.update(values)
                doc["lastModified"] = self.ctx.now()
                store.put(NS, org, SERVICES, key, doc)
        return {"PKey": ref, "href": self.ctx.href(api, "service", records.new_pkey(SERVICE, org, key))}

    def delete(self, ref: str) -> tuple[str, dict[str, Any]]:
        """Remove the service; the caller removes its subscriptions in the same transaction."""
        key, doc = self.locate(ref)
        records.forget(self.ctx.store, SERVICE, self.ctx.org, key, doc)
        return key, doc
