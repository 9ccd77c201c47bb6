"""Organizational units (``profileAndServicesExt/orgUnitBase``, §1.15).

A tree of units rooted at "All (all)"; an extended profile's ``orgUnit`` links one. Stored in
``orgUnits/<key>`` as ``{PKey, name, label, desc, parent, created, lastModified}`` (``parent``:
the parent's store key, None for the root); ``title`` ("<label> (<name>)"), ``parentTitle`` and
``href`` are derived. Every organization has the root; more units come from fixtures.
"""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from . import errors, records
from .context import Context
from .listing import Query
from .records import NS, ORG_UNIT, ORG_UNITS
from .resources import ORG_UNIT_FIELDS
from .schemas import body_schema, first_error

SPECS = {f.name: f for f in ORG_UNIT_FIELDS}
ROOT = {"name": "all", "label": "All", "desc": ""}
RESOURCE = "orgUnitBase"


def title(doc: dict[str, Any]) -> str:
    return f"{doc.get('label', '')} ({doc.get('name', '')})"


def ensure_root(ctx: Context) -> None:
    """The hierarchy's root "All (all)", made once per organization."""
    if not records.having(ctx.store, ctx.org, ORG_UNITS, "parent", None):
        key, pkey = records.make_key(ctx.store, ORG_UNIT, ctx.org, None)
        now = ctx.now()
        ctx.store.put(NS, ctx.org, ORG_UNITS, key, {"PKey": pkey, **ROOT, "parent": None,
                                                   "created": now, "lastModified": now})


class OrgUnits:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def view(self, doc: dict[str, Any], api: str) -> dict[str, Any]:
        parent = self.ctx.store.peek(NS, self.ctx.org, ORG_UNITS, doc["parent"]) if doc.get("parent") else None
        return {"PKey": doc["PKey"], "created": doc["created"], "desc": doc.get("desc", ""),
                "href": self.ctx.href(api, RESOURCE, doc["PKey"]), "label": doc.get("label", ""),
                "lastModified": doc["lastModified"], "name": doc.get("name", ""),
                "parentTitle": title(parent) if parent else "", "title": title(doc)}

    def link(self, key: str | None) -> dict[str, Any] | None:
        """An extended profile's ``orgUnit``: ``{PKey, href, title}``, null when unset (§1.15)."""
        doc = self.ctx.store.peek(NS, self.ctx.org, ORG_UNITS, key) if key else None
        if doc is None:
            return None
        return {"PKey": doc["PKey"], "href": self.ctx.href("profileAndServicesExt", RESOURCE, doc["PKey"]),
                "title": title(doc)}

    def locate(self, pkey: str) -> tuple[str, dict[str, Any]]:
        return records.locate(self.ctx.store, ORG_UNIT, self.ctx.org, pkey)

    def get(self, pkey: str, api: str) -> dict[str, Any]:
        return self.view(self.locate(pkey)[1], api)

    def query(self, api: str, params: dict[str, str], field: str | None) -> Query:
        path = f"{self.ctx.base}/{api}/{RESOURCE}/" + (field or "")
        return Query(ORG_UNITS, path, lambda d: self.view(d, api), SPECS,
                     value=lambda d, spec: self.view(d, api)[spec.name], field=field, resource=RESOURCE)

    def update(self, pkey: str, body: dict[str, Any], api: str) -> dict[str, str]:
        """PATCH ``{"label": "brand1", "name": "brand1"}``: answered like a profile's PATCH,
        ``{PKey, href}`` ([I] §1.15)."""
        store, org = self.ctx.store, self.ctx.org
        with store.transaction():
            key, doc = self.locate(pkey)
            body = dict(body)
            records.pop_own_pkey(store, ORG_UNIT, org, body, key, pkey, RESOURCE)
            try:
                values = body_schema(ORG_UNIT_FIELDS, "OrgUnitBody").load(body)
            except ValidationError as exc:
                raise first_error(body, exc.normalized_messages(), RESOURCE) from None
            values = {k: SPECS[k].empty if v is None else v for k, v in values.items()}
            name = values.get("name")
            if name is not None and name != doc.get("name"):
                if not name:
                    raise errors.generic("The 'name' of an organizational unit cannot be empty.")
                if records.having(store, org, ORG_UNITS, "name", name):
                    raise errors.org_unit_name_taken(name)
            if values:
                doc.update(values)
                doc["lastModified"] = self.ctx.now()
                store.put(NS, org, ORG_UNITS, key, doc)
        return {"PKey": pkey, "href": self.ctx.href(api, RESOURCE, records.new_pkey(ORG_UNIT, org, key))}
