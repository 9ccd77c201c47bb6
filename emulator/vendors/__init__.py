"""The registry: every emulated vendor, in the order the CLI banner lists them.

Only the app factory and the layers above it (control plane, testing toolkit, CLI) import it;
everything below gets the registry from ``Emulator.vendors``.
"""
from __future__ import annotations

from .adobe_campaign import VENDOR as ADOBE_CAMPAIGN
from .adobe_target import VENDOR as ADOBE_TARGET
from .base import Registry, Vendor
from .copernica import VENDOR as COPERNICA

VENDORS = Registry((ADOBE_CAMPAIGN, ADOBE_TARGET, COPERNICA))
vendor_named = VENDORS.named
vendor_for_path = VENDORS.for_path

__all__ = ["VENDORS", "Registry", "Vendor", "vendor_for_path", "vendor_named"]
