"""Large fixtures for the benchmarks: the demo document with many more Copernica profiles.

Database 1 ("Newsletter") of the demo account keeps its own four profiles (the documented
examples select ``customerid==4567``) and gets ``profiles`` more, customer ids 100001 on.
"""
from __future__ import annotations

from typing import Any

from emulator import seeding

ACCOUNT = "Demo Company"


def copernica_profile(i: int) -> dict[str, Any]:
    return {"fields": {"firstname": f"First{i}", "lastname": f"Last{i}", "email": f"p{i}@example.com",
                       "customerid": str(100000 + i), "country": "netherlands", "birthdate": "1980-01-01",
                       "lastvisit": "2026-01-01 10:00:00", "optin_date": "2025-05-05",
                       "lastorder": "2026-02-02 12:00:00"},
            "interests": ["football"]}


def demo_with_profiles(profiles: int) -> dict[str, Any]:
    """The demo fixtures with ``profiles`` extra profiles in Copernica database 1."""
    document = seeding.demo_fixtures()
    database = document["copernica"]["accounts"][0]["databases"][0]
    database["profiles"] = database["profiles"] + [copernica_profile(i) for i in range(1, profiles + 1)]
    return document
