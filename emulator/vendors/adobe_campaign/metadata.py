"""``GET …/resourceType/<resource>``: what a client reads to learn a resource (metadata-mechanism).

The top-level keys are the documented sample's; each field is described from its ``FieldSpec``,
so the metadata cannot disagree with what the resource accepts.
"""
from __future__ import annotations

from typing import Any

from .resources import RESOURCES, Resource
from .schemas import FieldSpec


def resource(res: Resource, fields: tuple[FieldSpec, ...], base: str, api: str) -> dict[str, Any]:
    return {
        "content": {spec.name: field_metadata(spec) for spec in fields},
        "data": f"/{api}/{res.name}/",
        "filters": {"href": f"{base}/{api}/resourceType/{res.name}/filters/"},
        "help": res.help,
        "href": f"{base}/{api}/{res.name}/metadata",
        "label": res.label,
        "mandatory": False,
        "name": res.name,
        "pkgStatus": "never",
        "readOnly": False,
        "schema": res.schema,
        "type": "item",
    }


def resources(base: str, api: str, ext: bool) -> dict[str, Any]:
    """``GET /profileAndServices[Ext]/``: the resources of the API, as the custom-resources page
    shows them (``{"apiName": "resourceType", "<name>": {data, href, name, type}}``)."""
    out: dict[str, Any] = {"apiName": "resourceType"}
    for res in RESOURCES.values():
        if res.ext_only and not ext:
            continue
        out[res.name] = {"data": f"/{api}/{res.name}/", "href": f"{base}/{api}/{res.name}/metadata",
                         "label": res.label, "name": res.name, "type": "item"}
    return out


def filters(res: Resource, api: str) -> dict[str, Any]:
    return {
        f.name: {"category": "99_none", "data": f"/{api}/{res.name}/{f.name}?{f.params[0]}=$value",
                 "formType": "none", "fragmentName": "", "label": f.label,
                 "metadata": {p: {"apiName": p, "type": "date" if p.endswith("Date") else "string"}
                              for p in f.params}}
        for f in res.filters
    }


def field_metadata(spec: FieldSpec) -> dict[str, Any]:
    kind = {"enum": "enumeration", "integer": "number", "number": "number"}.get(spec.kind, spec.kind)
    out: dict[str, Any] = {"apiName": spec.name, "category": "profile" if not spec.custom else "custom",
                           "label": spec.label or spec.name, "readOnly": not spec.writable,
                           "resType": spec.res_type, "sortable": spec.sortable, "type": kind}
    if spec.length is not None:
        out["length"] = spec.length
    if spec.data_policy:
        out["dataPolicy"] = spec.data_policy
    if spec.kind == "enum":
        out["values"] = {v.name: {"label": v.label, "name": v.name, "value": v.value} for v in spec.values}
    if spec.kind == "item":
        out["content"] = {s.name: field_metadata(s) for s in spec.sub}
    if spec.kind in ("link", "collection"):
        out["resTarget"] = {"orgUnit": "orgUnitBase", "geoUnit": "geoUnitBase",
                            "subscriptions": "subscriptions"}.get(spec.name, spec.name)
    return out
