"""``GET …/resourceType/profile``: what a client reads to learn the resource (metadata-mechanism).

The top-level keys are the documented sample's; each field is described from its ``FieldSpec``,
so the metadata cannot disagree with what the resource accepts.
"""
from __future__ import annotations

from typing import Any

from .schemas import FieldSpec


def resource(fields: tuple[FieldSpec, ...], base: str, api: str) -> dict[str, Any]:
    return {
        "content": {spec.name: field_metadata(spec) for spec in fields},
        "data": f"/{api}/profile/",
        "filters": {"href": f"{base}/{api}/resourceType/profile/filters/"},
        "help": "Identified profiles",
        "href": f"{base}/{api}/profile/metadata",
        "label": "Profiles",
        "mandatory": False,
        "name": "profile",
        "pkgStatus": "never",
        "readOnly": False,
        "schema": "nms:recipient",
        "type": "item",
    }


def resources(base: str, api: str) -> dict[str, Any]:
    """``GET /profileAndServices[Ext]/``: the resources of the API, as the custom-resources page
    shows them (``{"apiName": "resourceType", "<name>": {data, href, name, type}}``). Only
    ``profile`` is emulated, so it is the only one listed."""
    return {"apiName": "resourceType",
            "profile": {"data": f"/{api}/profile/", "href": f"{base}/{api}/profile/metadata",
                        "label": "Profiles", "name": "profile", "type": "item"}}


def filters(api: str) -> dict[str, Any]:
    return {
        "byEmail": {"category": "99_none", "data": f"/{api}/profile/byEmail?email=$value",
                    "formType": "none", "fragmentName": "", "label": "By email",
                    "metadata": {"email": {"apiName": "email", "type": "string"}}},
        "byText": {"category": "99_none", "data": f"/{api}/profile/byText?text=$value",
                   "formType": "none", "fragmentName": "", "label": "By name or email",
                   "metadata": {"text": {"apiName": "text", "type": "string"},
                                "filterType": {"apiName": "filterType", "type": "string"}}},
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
