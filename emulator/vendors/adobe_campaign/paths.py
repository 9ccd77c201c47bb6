"""What a path under ``/<ORG>/campaign/`` addresses, as Campaign reads it (§1.2, §1.14).

Plain string work, no Flask: the blueprint hands over the (already percent-decoded) rest of
the path. The grammar is small but has corners clients depend on:

* ``.json`` may end the path (``profile.json``, ``profile/<PKEY>.json``);
* a trailing slash is the same resource (Adobe's SDK lists and creates at ``profile/``);
* ``_count`` may follow one or two slashes: the documented ``count.href`` of a plain
  collection is ``…/profile//_count?…``, of a filtered one ``…/profile/byChannel/_count?…``;
* several filters chain: ``profile/byEmail/byText?email=…&text=…``;
* collections sit under records: ``profile/<PKEY>/subscriptions/``,
  ``service/<PKEY>/subscriptions/<PKEY>``, ``history/<PKEY>/events/``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

APIS = {"profileAndServices": False, "profileAndServicesExt": True}  # name -> is the Ext resource
#: the resources under each API (``orgUnitBase`` answers on the Ext API only, which the model checks)
RESOURCES = ("profile", "service", "history", "orgUnitBase", "resourceType")


@dataclass(frozen=True)
class ResourcePath:
    """Which resource a path under ``/campaign/`` names: the API, the resource, what follows it."""

    api: str = ""
    resource: str = ""  # one of RESOURCES, or "" (the API itself)
    segments: tuple[str, ...] = field(default_factory=tuple)  # after the resource, no empties
    count: bool = False

    @property
    def ext(self) -> bool:
        return APIS.get(self.api, False)


def parse(rest: str) -> ResourcePath | None:
    """The target of ``rest`` (the path after ``/campaign/``), or None for a path Campaign has
    no route for."""
    if rest.endswith(".json"):
        rest = rest[: -len(".json")]
    parts = rest.split("/")
    api = parts[0]
    if api not in APIS:
        return None
    rest_parts = parts[1:]
    count = False
    tail = [p for p in rest_parts if p != ""]
    if tail and tail[-1] == "_count":
        count = True
        tail = tail[:-1]
    if not tail:
        return None if count else ResourcePath(api, "", (), False)  # the API's list of resources
    resource, segments = tail[0], tuple(tail[1:])
    if resource.endswith(".json"):
        resource = resource[: -len(".json")]
    if resource not in RESOURCES:
        return None
    if resource == "resourceType" and count:
        return None
    if "_count" in segments:
        return None
    return ResourcePath(api, resource, segments, count)
