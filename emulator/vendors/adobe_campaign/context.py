"""What every Campaign request works with: one organization's store, the clock, and the URL
the emulator answers as (so every ``href`` a client follows stays on the emulator)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...clock import Clock
from ...store import Store
from .schemas import format_datetime


@dataclass
class Context:
    store: Store
    clock: Clock
    org: str
    base: str = ""  # the emulator's own URL of ``/<ORG>/campaign``, no trailing slash
    settings: dict[str, Any] = field(default_factory=dict)

    def href(self, api: str, resource: str, pkey: str) -> str:
        return f"{self.base}/{api}/{resource}/{pkey}"

    def now(self) -> str:
        return format_datetime(self.clock.now())
