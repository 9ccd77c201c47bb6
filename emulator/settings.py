"""One Settings object, filled from CLI flags or ``EMULATOR_*`` environment variables."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    #: a TinyDB JSON file that survives restarts; None keeps everything in memory
    data: str | None = None
    #: fixtures documents loaded at start, after the demo fixtures
    fixtures: list[str] = field(default_factory=list)
    #: load the demo fixtures shipped in the package
    demo: bool = True
    #: seconds between background flushes of the data file
    flush_interval: float = 1.0
    #: largest request body any vendor route accepts (vendors apply their own, smaller limits)
    max_body_bytes: int = 64 * 1024 * 1024
    #: changes kept per document for the dashboard's history (0 switches the change log off)
    history_size: int = 20
    #: requests kept in the request journal per vendor and tenant (the oldest go first); 0 keeps none
    journal_size: int = 1000
    #: the control plane's token (``Authorization: Bearer <token>``); None: no token asked
    control_token: str | None = None
    #: Host names the control plane answers besides loopback (``.example.com``: its subdomains too;
    #: ``*``: any)
    allowed_hosts: list[str] = field(default_factory=list)
    #: bytes the whole request journal keeps (the oldest entries go first)
    journal_bytes: int = 32 * 1024 * 1024
    #: bytes one journal entry keeps of each of: request body, response body, headers, query
    journal_entry_bytes: int = 16 * 1024
    #: bytes the change history keeps in all (the oldest changes go first)
    history_bytes: int = 64 * 1024 * 1024
    #: a change whose documents are larger than this is recorded without them (marked truncated)
    history_entry_bytes: int = 1024 * 1024
    #: connections waitress serves at once (more wait in the listen backlog)
    connection_limit: int = 1000
