"""The resources of ``profileAndServices[Ext]`` besides the profile's own fields (§1.15): what
each one is called, which fields it shows and accepts, and which filters it has.

A ``Resource`` is the one description the model, the listings, the ``resourceType`` metadata
and the fixtures all read, so they cannot disagree: services (``nms:service``), the marketing
history (``nms:history``, the profile seen through its events) and organizational units
(``orgUnitBase``, Ext only). Subscriptions are not a top-level resource: they are listed under
a profile or a service.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import errors
from .schemas import PROFILE_FIELDS, EnumValue, FieldSpec, is_date

Predicate = Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class Filter:
    """A built-in filter: ``<resource>/<name>?<param>=…``; ``make`` turns the request's
    parameters into a test of a stored record (raising Campaign's error for a bad value)."""

    name: str
    label: str
    params: tuple[str, ...]
    make: Callable[[dict[str, str]], Predicate]


@dataclass(frozen=True)
class Resource:
    name: str  # the path segment, e.g. "service"
    label: str
    help: str
    schema: str  # e.g. "nms:service"
    filters: tuple[Filter, ...] = ()
    ext_only: bool = False
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def filter(self, name: str) -> Filter | None:
        return next((f for f in self.filters if f.name == name), None)

    def filters_named(self, names: list[str]) -> list[Filter]:
        """The filters a path chains, in its order; a name this resource lacks is no route."""
        chosen = []
        for name in names:
            found = self.filter(name)
            if found is None:
                raise errors.unknown_route()
            chosen.append(found)
        return chosen


# -- filters -------------------------------------------------------------------------------------

BYTEXT_FIELDS = ("firstName", "lastName", "email")


def _by_email(params: dict[str, str]) -> Predicate:
    email = params.get("email", "")
    return lambda d: d.get("email", "") == email


def _profile_by_text(params: dict[str, str]) -> Predicate:
    """Case-sensitive prefix of the email or last name, or of the ``filterType`` field (§1.2)."""
    text, kind = params.get("text", ""), params.get("filterType")
    if kind is not None and kind not in BYTEXT_FIELDS:
        raise errors.generic(f"The value '{kind}' is not valid for the 'filterType' parameter "
                             "of the 'byText' filter (firstName, lastName or email).")
    names = (kind,) if kind else ("email", "lastName")
    return lambda d: any(d.get(n, "").startswith(text) for n in names)


def _by_channel(params: dict[str, str]) -> Predicate:
    channel = params.get("channel", "")
    if channel not in {"email", "sms"}:
        raise errors.invalid_enum(channel, "messageType", "nms:service")
    return lambda d: d.get("messageType", "email") == channel


def _service_by_text(params: dict[str, str]) -> Predicate:
    """"By name or label": a case-sensitive prefix of either, as the profile's byText [I]."""
    text = params.get("text", "")
    return lambda d: d.get("name", "").startswith(text) or d.get("label", "").startswith(text)


def _by_planning(params: dict[str, str]) -> Predicate:
    """Services running at some time between ``startDate`` and ``endDate`` (either may be
    omitted): started no later than ``endDate``, not ended before ``startDate`` [I]."""
    bounds = {}
    for name in ("startDate", "endDate"):
        value = params.get(name, "")
        if value and not is_date(value):
            raise errors.generic(f"The value '{value}' of the '{name}' parameter of the 'byPlanning' "
                                 "filter is not a date ('YYYY-MM-DD').")
        bounds[name] = value
    start, end = bounds["startDate"], bounds["endDate"]
    return lambda d: ((not end or not d.get("start") or d["start"] <= end)
                      and (not start or not d.get("end") or d["end"] >= start))


def _by_target_resource(params: dict[str, str]) -> Predicate:
    target = params.get("targetResource", "")
    return lambda d: d.get("targetResource", "profile") == target


PROFILE_FILTERS = (
    Filter("byEmail", "By email", ("email",), _by_email),
    Filter("byText", "By name or email", ("text", "filterType"), _profile_by_text),
)
SERVICE_FILTERS = (
    Filter("byChannel", "By channel", ("channel",), _by_channel),
    Filter("byPlanning", "By planning", ("startDate", "endDate"), _by_planning),
    Filter("byTargetResource", "By target resource", ("targetResource",), _by_target_resource),
    Filter("byText", "By name or label", ("text",), _service_by_text),
)


# -- fields ----------------------------------------------------------------------------------------

def _s(name: str, length: int, label: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, "string", length, label=label, res_type="string", **kw)


def _b(name: str, label: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, "boolean", label=label, res_type="boolean", **kw)


def _ro(name: str, kind: str, label: str, res_type: str | None = None, **kw: Any) -> FieldSpec:
    return FieldSpec(name, kind, writable=False, label=label, res_type=res_type or kind, **kw)


def _link(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, "link", writable=False, sortable=False, label=label, res_type="link")


MESSAGE_TYPES = (EnumValue("email", "Email", 0), EnumValue("sms", "Mobile (SMS)", 1))
MODES = (EnumValue("newsletter", "Newsletter", 0), EnumValue("viral", "Viral", 1))

SERVICE_FIELDS: tuple[FieldSpec, ...] = (
    _ro("PKey", "string", "Primary key", sortable=False),
    _ro("builtIn", "boolean", "Built-in"),
    _ro("created", "datetime", "Created"),
    _link("createdBy", "Created by"),
    _s("desc", 512, "Description"),
    FieldSpec("end", "date", label="End date", res_type="date"),
    _link("geoUnit", "Geographical unit"),
    _ro("href", "string", "Self URL", sortable=False),
    _b("isExternal", "External service"),
    _b("isTemplate", "Template"),
    _s("label", 128, "Label"),
    _ro("lastModified", "datetime", "Last modified"),
    _b("limitedDuration", "Limited duration"),
    _ro("mainDate", "date", "Main date"),
    FieldSpec("messageType", "enum", values=MESSAGE_TYPES, label="Channel", res_type="byte", schema="nms:service"),
    FieldSpec("mode", "enum", values=MODES, label="Mode", res_type="byte", schema="nms:service"),
    _link("modifiedBy", "Modified by"),
    _s("name", 64, "ID"),
    _link("orgUnit", "Organizational unit"),
    _s("publicLabel", 128, "Public label"),
    FieldSpec("start", "date", label="Start date", res_type="date"),
    _link("subLandingPage", "Subscription landing page"),
    _link("subScenario", "Subscription scenario"),
    _ro("subScenarioEventType", "string", "Subscription event type"),
    FieldSpec("subscriptions", "collection", writable=False, sortable=False, label="Subscriptions",
              res_type="collection"),
    _s("targetResource", 255, "Target resource"),
    _link("template", "Template"),
    _s("thumbnail", 255, "Thumbnail"),
    _ro("title", "string", "Title", sortable=False),
    _link("unsubLandingPage", "Unsubscription landing page"),
    _link("unsubScenario", "Unsubscription scenario"),
    _ro("unsubScenarioEventType", "string", "Unsubscription event type"),
    FieldSpec("validityDuration", "number", label="Validity duration", res_type="double"),
)
#: what a new service holds before the client's values, besides ``spec.empty``
SERVICE_DEFAULTS = {"targetResource": "profile", "subScenarioEventType": "subscriptionEvent",
                    "unsubScenarioEventType": "unsubscriptionEvent"}
#: stored (and exported) values of a service; the rest of its fields are derived or links
SERVICE_STORED = ("PKey", "name", "label", "messageType", "mode", "start", "end", "desc", "publicLabel",
                  "limitedDuration", "validityDuration", "targetResource", "builtIn", "isExternal",
                  "isTemplate", "thumbnail", "created", "lastModified")
SERVICE_DERIVED = tuple(f.name for f in SERVICE_FIELDS if f.name not in SERVICE_STORED)

ORG_UNIT_FIELDS: tuple[FieldSpec, ...] = (
    _ro("PKey", "string", "Primary key", sortable=False),
    _ro("created", "datetime", "Created"),
    _s("desc", 512, "Description"),
    _ro("href", "string", "Self URL", sortable=False),
    _s("label", 128, "Label"),
    _ro("lastModified", "datetime", "Last modified"),
    _s("name", 64, "Name"),
    _ro("parentTitle", "string", "Parent", sortable=False),
    _ro("title", "string", "Title", sortable=False),
)

HISTORY_EXTRA: tuple[FieldSpec, ...] = (
    _ro("countBroadLogEvents", "integer", "Number of delivery logs", res_type="long"),
    _ro("countSubHistoEvents", "integer", "Number of subscription logs", res_type="long"),
    _ro("countryIsoA2", "string", "Country code"),
    FieldSpec("events", "collection", writable=False, sortable=False, label="Events", res_type="collection"),
    _ro("minBroadLogEvents", "datetime", "First delivery log"),
    _ro("minSubHistoEvents", "datetime", "First subscription log"),
)
#: the history shows the profile's own fields, read-only, without its subscriptions link
HISTORY_FIELDS: tuple[FieldSpec, ...] = tuple(sorted(
    tuple(FieldSpec(**{**f.__dict__, "writable": False}) for f in PROFILE_FIELDS
          if not f.ext_only and f.name != "subscriptions") + HISTORY_EXTRA, key=lambda f: f.name))

PROFILE = Resource("profile", "Profiles", "Identified profiles", "nms:recipient", PROFILE_FILTERS)
SERVICE = Resource("service", "Services", "Subscription services", "nms:service", SERVICE_FILTERS,
                   fields=SERVICE_FIELDS)
HISTORY = Resource("history", "Marketing history", "Heterogeneous resource", "nms:history", PROFILE_FILTERS,
                   fields=HISTORY_FIELDS)
ORG_UNIT = Resource("orgUnitBase", "Organizational units", "Organizational units", "nms:orgUnitBase",
                    ext_only=True, fields=ORG_UNIT_FIELDS)
RESOURCES = {r.name: r for r in (PROFILE, SERVICE, HISTORY, ORG_UNIT)}
