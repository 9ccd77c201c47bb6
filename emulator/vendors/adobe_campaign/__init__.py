"""Adobe Campaign Standard: the profile resource (``profileAndServices[Ext]/profile``).

See vendor-apis.md §1 for the behaviour and docs/adobe-campaign.md's fidelity notes
for the choices made where Adobe's documentation is silent.
"""
from .vendor import VENDOR

__all__ = ["VENDOR"]
