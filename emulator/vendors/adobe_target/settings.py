"""Target's name and its own per-client settings keys (``emulator/realism/settings.py`` has the
generic ones), apart from the ``Vendor`` so that the fixtures schema can name them."""
from __future__ import annotations

from marshmallow import fields as mf
from marshmallow import validate

from ...realism.settings import Setting

VENDOR = "adobe_target"

GET_LIMIT = 8 * 1024          # bytes of request line (path and query) on GET (§2.1)
POST_LIMIT = 60 * 1024        # bytes of query plus body on POST (§2.1)

#: Target's per-client settings (emulator/realism/settings.py has the generic ones). The quota
#: and the propagation delay are the client's own fixtures keys, kept in its settings document.
SETTINGS_FIELDS = {
    "daily_call_limit": Setting(
        mf.Integer(strict=True, allow_none=True, validate=validate.Range(min=1)), None,
        "profile update, profile fetch and delivery calls per rolling 24 hours, each (Adobe: 1,000,000 "
        "updates); "
        "over it: 429 with Retry-After", vendor_stored=True),
    "propagation_delay": Setting(
        mf.Float(validate=validate.Range(min=0, max=7 * 24 * 3600)), 0.0,
        "seconds on the emulator's clock before an update shows in fetches", vendor_stored=True),
    "max_get_bytes": Setting(
        mf.Integer(strict=True, validate=validate.Range(min=1)), GET_LIMIT,
        "largest GET profile update (path and query), 8 KB documented; over it: 414"),
    "max_post_bytes": Setting(
        mf.Integer(strict=True, validate=validate.Range(min=1)), POST_LIMIT,
        "largest POST profile update (query and body), 60 KB documented; over it: 413"),
}
