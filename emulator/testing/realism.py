"""The realism knobs on the pytest handle: fault and latency rules, per-tenant settings.

The same checks as ``/_emulator/faults`` and ``/_emulator/settings`` (``emulator/realism/api.py``),
called in-process, so a bad rule fails the test at once with the control plane's message::

    def test_retries(emulator):
        emulator.add_fault("copernica", "Demo Company", method="PUT", fault={"status": 503}, count=2)
        ...
        emulator.set_tenant_settings("copernica", "Demo Company", daily_call_limit=3)
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import EmulatorError
from ..realism import api

if TYPE_CHECKING:
    from ..state import Emulator


class RealismMixin:
    """Mixed into ``EmulatorHandle``; ``emulator`` is the handle's ``Emulator``."""

    @property
    def emulator(self) -> Emulator:
        raise NotImplementedError

    def add_fault(self, vendor: str, tenant: str, **rule: Any) -> dict[str, Any]:
        """Add a rule (``fault=``, ``latency=``, ``method=``, ``path=``, ``probability=``,
        ``seed=``, ``count=``, ``id=``); returns it as ``GET /_emulator/faults`` shows it."""
        return api.add_rule(self.emulator, vendor, tenant, rule)

    def faults(self, vendor: str | None = None, tenant: str | None = None) -> list[dict[str, Any]]:
        """The rules, with their ``matched`` and ``fired`` counters."""
        api.check_scope(self.emulator, vendor, tenant)
        return self.emulator.realism.rules(vendor, tenant)

    def fault(self, rule_id: str) -> dict[str, Any]:
        found = [r for r in self.emulator.realism.rules() if r["id"] == rule_id]
        if not found:
            raise EmulatorError(f"no rule with id {rule_id!r}", 404)
        return found[0]

    def clear_faults(self, vendor: str | None = None, tenant: str | None = None) -> int:
        api.check_scope(self.emulator, vendor, tenant)
        return self.emulator.realism.delete_rules(vendor, tenant)

    def tenant_settings(self, vendor: str, tenant: str) -> dict[str, Any]:
        """Every settings key of a tenant, defaults included."""
        self.emulator.realism.require_tenant(vendor, tenant)
        return self.emulator.realism.settings(vendor, tenant)

    def set_tenant_settings(self, vendor: str, tenant: str, **values: Any) -> dict[str, Any]:
        """Change the keys given (``None``: the default); returns every key after."""
        return api.put_settings(self.emulator, vendor, tenant, values)
