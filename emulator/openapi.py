"""The OpenAPI 3 document of everything the emulator serves, generated, never written by hand.

The list of operations comes from the Flask app's own URL map, so a route cannot be served
without being described; the schemas come from the marshmallow schemas the routes use (the
vendors' ``schemas.py`` and ``control/schemas.py``) through apispec. A vendor says what it knows
about its routes with ``Vendor.openapi_operations()`` (by endpoint name); a route it says
nothing about is still listed, with its path parameters and the vendor's error answers.

Each vendor's paths carry two servers: this emulator and the vendor's real API (``Vendor.servers``),
so the document shows where a client points in production and where it points in tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask
from werkzeug.routing.converters import AnyConverter
from marshmallow import Schema

from .version import __version__

if TYPE_CHECKING:
    from .vendors.base import Vendor

#: methods every Flask rule answers by itself; not operations of the API
IMPLICIT = {"HEAD", "OPTIONS"}
_VARIABLE = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")

SchemaRef = type[Schema] | Schema | dict[str, Any]


@dataclass
class Answer:
    """One documented response: a description, and a body schema in ``content_type`` (or no body)."""

    description: str
    schema: SchemaRef | None = None
    content_type: str | None = "application/json"
    headers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: OpenAPI links: by name, ``{"operationId": …, "parameters": {name: runtime expression}}``,
    #: the operations this answer's values feed (a reader's next call; the fuzzer's stateful phase)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Operation:
    """What a vendor (or the control plane) knows about one route, for its OpenAPI operation."""

    summary: str = ""
    description: str = ""
    #: a marshmallow schema whose fields are the query parameters
    query: type[Schema] | Schema | None = None
    #: the request body's schema, by content type
    body: dict[str, SchemaRef] = field(default_factory=dict)
    body_required: bool = False
    #: responses by status code (the vendor's error answers are added to every operation)
    responses: dict[int | str, Answer] = field(default_factory=dict)
    #: example values of path parameters, so a reader (and a fuzzer) sees one that exists
    path_examples: dict[str, str] = field(default_factory=dict)
    #: per method, when one endpoint serves several (``{"POST": Operation(...)}``)
    methods: dict[str, Operation] = field(default_factory=dict)

    def for_method(self, method: str) -> Operation:
        return self.methods.get(method, self)


def openapi_path(rule: str) -> str:
    """``/v3/profile/<profile_id>`` → ``/v3/profile/{profile_id}``."""
    return _VARIABLE.sub(r"{\1}", rule)


def expand(rule: Any) -> list[tuple[str, dict[str, str]]]:
    """A rule's OpenAPI paths: one per value of each ``any(…)`` part, which is a fixed word of
    the URL rather than a parameter (``/database/<ref>/<any(fields, interests):kind>`` is
    ``/database/{ref}/fields`` and ``/database/{ref}/interests``)."""
    variants: list[tuple[str, dict[str, str]]] = [(rule.rule, {})]
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            variants = [(re.sub(rf"<[^<>]*:{name}>", value, path), {**fixed, name: value})
                        for path, fixed in variants for value in sorted(converter.items)]
    return [(openapi_path(path), fixed) for path, fixed in variants]


def schema_name(schema: Any) -> str:
    """Component names say whose schema it is (``CopernicaProfileOut``, ``ControlErrorOut``),
    so two vendors' schemas of the same class name never collide."""
    cls = resolve_schema_cls(schema)
    cls = cls[0] if isinstance(cls, list) else cls
    parts = cls.__module__.split(".")
    owner = parts[2] if parts[:2] == ["emulator", "vendors"] and len(parts) > 2 else \
        "control" if parts[:2] == ["emulator", "control"] else ""
    prefix = "".join(p.capitalize() for p in owner.split("_"))
    return cls.__name__ if cls.__name__.startswith(prefix) else prefix + cls.__name__


def build(app: Flask, base_url: str, vendors: Iterable[Vendor], control_operations: dict[str, Operation],
          control_errors: dict[int | str, Answer]) -> dict[str, Any]:
    """The OpenAPI document of ``app``, with ``base_url`` as this emulator's server: the
    ``vendors``' routes, and the control plane's described by ``control_operations``."""
    VENDORS = tuple(vendors)

    ours = {"url": base_url.rstrip("/"), "description": "this emulator"}
    spec = APISpec(
        title="martech-emulator", version=__version__, openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=schema_name)], servers=[ours],
        info={"description": "Every route the emulator serves: the emulated vendors' APIs (each "
                             "with the real vendor's server beside ours) and the control plane "
                             "under /_emulator. Generated from the routes and their marshmallow schemas."},
    )
    by_blueprint = {v.blueprint().name: v for v in VENDORS}
    tags = [{"name": "control plane", "description": "the emulator's own API (/_emulator)"}]
    for each in VENDORS:
        tags.append({"name": each.name, "description": each.title})
        for name, scheme in each.security_schemes.items():
            spec.components.security_scheme(name, scheme)
    for tag in tags:
        spec.tag(tag)

    paths: dict[str, dict[str, Any]] = {}
    servers: dict[str, list[dict[str, Any]]] = {}
    used: set[str] = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        blueprint = rule.endpoint.partition(".")[0] if "." in rule.endpoint else None
        vendor = by_blueprint.get(blueprint) if blueprint else None
        if vendor is None and blueprint != "control":
            continue  # Flask's own /static route: not part of the API
        if vendor is not None and not vendor.openapi_documents(rule.rule):
            continue  # a route the vendor describes elsewhere (Copernica's /v2 twins)
        known = vendor.openapi_operations() if vendor else control_operations
        errors = vendor.openapi_errors() if vendor else control_errors
        for path, fixed in expand(rule):
            suffix = "".join(f"[{v}]" for v in fixed.values())
            for method in sorted((rule.methods or set()) - IMPLICIT):
                hint = known.get(rule.endpoint + suffix) or known.get(rule.endpoint, Operation())
                operation_id = f"{rule.endpoint}{suffix}.{method.lower()}"
                if operation_id in used:  # one view behind several rules
                    operation_id = f"{operation_id}:{path}"
                used.add(operation_id)
                paths.setdefault(path, {})[method.lower()] = _operation(
                    operation_id, method, set(rule._converters) - set(fixed), hint.for_method(method),
                    errors, tag=vendor.name if vendor else "control plane",
                    security=vendor.security if vendor else None)
            if vendor is not None and vendor.owns(re.sub(r"{[^{}]+}", "x", path)):
                servers[path] = [ours, *vendor.servers]  # not on a vendor's own control routes
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    for path, path_servers in servers.items():  # apispec has no argument for path-level servers
        document["paths"][path]["servers"] = path_servers
    return document


def _operation(operation_id: str, method: str, arguments: Any, hint: Operation,
               errors: dict[int | str, Answer], *, tag: str, security: list[dict[str, list]] | None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "tags": [tag],
        "summary": hint.summary or f"{method} ({operation_id.rpartition('.')[0]})",
        "parameters": [
            {"in": "path", "name": name, "required": True,
             "schema": {"type": "string", "minLength": 1, **({"example": hint.path_examples[name]}
                                                            if name in hint.path_examples else {})}}
            for name in sorted(arguments)
        ],
        "responses": {},
    }
    if hint.description:
        operation["description"] = hint.description
    if hint.query is not None:
        operation["parameters"].append({"in": "query", "schema": hint.query})
    if hint.body:
        operation["requestBody"] = {"required": hint.body_required,
                                    "content": {t: {"schema": s} for t, s in hint.body.items()}}
    if security is not None:
        operation["security"] = security
    answers = {**errors, **hint.responses}
    if not any(str(status).startswith("2") for status in answers) and "default" not in answers:
        answers["default"] = Answer("the vendor's answer (not described further)", content_type=None)
    for status, answer in sorted(answers.items(), key=lambda item: str(item[0])):
        response: dict[str, Any] = {"description": answer.description}
        if answer.content_type is not None:
            response["content"] = {answer.content_type: {"schema": answer.schema or {}}}
        headers = dict(answer.headers)
        if str(status) == "405":  # every 405 names the methods the path takes (app.py)
            headers.setdefault("Allow", {"description": "the methods this path takes",
                                         "schema": {"type": "string"}})
        if headers:
            response["headers"] = headers
        if answer.links:
            response["links"] = answer.links
        operation["responses"][str(status)] = response
    return operation
