"""The registry: every emulated vendor, in the order the CLI banner lists them."""
from __future__ import annotations

from .adobe_campaign import VENDOR as ADOBE_CAMPAIGN
from .adobe_target import VENDOR as ADOBE_TARGET
from .base import Vendor
from .copernica import VENDOR as COPERNICA

VENDORS: tuple[Vendor, ...] = (ADOBE_CAMPAIGN, ADOBE_TARGET, COPERNICA)


def vendor_named(name: str) -> Vendor | None:
    return next((v for v in VENDORS if v.name == name), None)


def vendor_for_path(path: str) -> Vendor | None:
    return next((v for v in VENDORS if v.owns(path)), None)
