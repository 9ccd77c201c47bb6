"""Adobe Target: single profile update, profile fetch and bulk profile update APIs
(vendor-apis.md §2, §3). One tenant is one client code."""
from .vendor import VENDOR

__all__ = ["VENDOR"]
