"""Adobe Campaign Standard: the profile resource (``profileAndServices[Ext]/profile``).

See vendor-apis.md §1 for the behaviour and the README's "Adobe Campaign Standard" section
for the choices made where Adobe's documentation is silent.
"""
from .vendor import VENDOR

__all__ = ["VENDOR"]
