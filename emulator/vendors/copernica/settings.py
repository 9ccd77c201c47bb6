"""Copernica's name and its own per-account settings keys (``emulator/realism/settings.py``
has the generic ones), apart from the ``Vendor`` so that the fixtures schema can name them."""
from __future__ import annotations

from marshmallow import fields as mf
from marshmallow import validate

from ...realism.settings import Setting

VENDOR = "copernica"

#: the largest page of a list, as the v3 docs say
MAX_LIMIT = 1000

#: Copernica's own per-account settings
SETTINGS = {
    "list_limit_max": Setting(
        mf.Integer(strict=True, validate=validate.Range(min=1)), MAX_LIMIT,
        "largest page of a list (`limit` above it is cut to it); the v3 docs say 1000"),
    "max_body_bytes": Setting(
        mf.Integer(strict=True, validate=validate.Range(min=1)), 10 * 1024 * 1024,
        "largest request body; a larger one gets 400 `Request body too large`"),
    "async_delay": Setting(
        mf.Float(validate=validate.Range(min=0, max=30 * 24 * 3600)), 0.0,
        "seconds on the emulator's clock before an `async=1` update is applied"),
}
