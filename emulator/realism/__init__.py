"""Realism on demand: per-tenant settings, fault and latency rules, call quotas.

Off by default and deterministic by default (``shared/design.md``, principle 2): nothing here
touches a request until a tenant's settings switch something on, through ``/_emulator/settings``,
``/_emulator/faults`` or the ``settings`` object of the tenant in the fixtures.

``core.Realism`` holds the state of one emulator; ``rules`` matches and draws; ``settings``
names the keys; ``quota`` counts calls on the clock; ``hook`` applies all of it to requests.
"""
# ``core`` and ``hook`` are imported by the app, not here: vendors import ``settings`` while the
# vendor registry is still being built, and ``core`` needs the finished registry.
from .quota import QuotaCheck, RollingCounter
from .settings import Setting

__all__ = ["QuotaCheck", "RollingCounter", "Setting"]
