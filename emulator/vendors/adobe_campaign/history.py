"""The marketing history (``nms:history``): a profile seen through its events (§1.15).

``history/<PKEY>`` is the profile (same PKey) with its event counters and an ``events`` link;
``history/<PKEY>/events/`` lists the events. The emulator sends no deliveries, so the only
events are the subscription log Campaign keeps (``subHisto``, the ``events`` metadata): every
subscribe and unsubscribe, stored in ``events/<key>`` with the profile's store key.
"""
from __future__ import annotations

from typing import Any

from . import errors, pkeys, records
from .context import Context
from .listing import Query
from .records import NS
from .schemas import FieldSpec

EVENTS = "events"
EVENT_PURPOSE = "event"


def record(ctx: Context, profile_key: str, kind: str, when: str, label: str) -> None:
    """Log a subscription change of a profile (the caller holds the transaction)."""
    key = str(ctx.store.next_id(NS, ctx.org, EVENTS))
    ctx.store.put(NS, ctx.org, EVENTS, key, {"PKey": pkeys.encode(EVENT_PURPOSE, ctx.org, key),
                                             "profile": profile_key, "category": "subscription",
                                             "date": when, "label": label, "type": kind})


def forget(ctx: Context, profile_key: str) -> None:
    """A deleted profile's history goes with it."""
    for key, _ in records.having(ctx.store, ctx.org, EVENTS, "profile", profile_key):
        ctx.store.delete(NS, ctx.org, EVENTS, key)


def events_of(ctx: Context, profile_key: str) -> list[dict[str, Any]]:
    return [dict(doc) for _, doc in records.having(ctx.store, ctx.org, EVENTS, "profile", profile_key)]


def event_view(ctx: Context, doc: dict[str, Any], api: str, profile_pkey: str) -> dict[str, Any]:
    return {"PKey": doc["PKey"], "category": doc["category"], "date": doc["date"],
            "href": f"{ctx.href(api, 'history', profile_pkey)}/events/{doc['PKey']}",
            "label": doc["label"], "type": doc["type"]}


def counters(ctx: Context, profile_key: str) -> dict[str, Any]:
    events = events_of(ctx, profile_key)
    return {"countBroadLogEvents": 0, "countSubHistoEvents": len(events), "minBroadLogEvents": "",
            "minSubHistoEvents": min((e["date"] for e in events), default="")}


def events_query(ctx: Context, api: str, profile_key: str, profile_pkey: str) -> Query:
    return Query(EVENTS, f"{ctx.href(api, 'history', profile_pkey)}/events/",
                 lambda d: event_view(ctx, d, api, profile_pkey),
                 {"date": FieldSpec("date", "datetime", writable=False, res_type="datetime")},
                 lookup=("profile", profile_key), resource="events")


def event(ctx: Context, profile_key: str, pkey: str, api: str, profile_pkey: str) -> dict[str, Any]:
    key = pkeys.decode(EVENT_PURPOSE, ctx.org, pkey)
    doc = ctx.store.get(NS, ctx.org, EVENTS, key) if key is not None else None
    if doc is None or doc.get("profile") != profile_key:
        raise errors.event_not_found(pkey)
    return event_view(ctx, doc, api, profile_pkey)
