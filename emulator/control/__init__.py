"""The emulator's own API under ``/_emulator``: health, reset, seed, state, drain, clock, the
dashboard and its views (``dashboard.py``), the OpenAPI document and its docs page
(``apidocs.py``), and the request feed (``feed.py``)."""
from . import apidocs as _apidocs_routes  # noqa: F401
from . import dashboard as _dashboard_routes  # noqa: F401  (registers its routes on ``control``)
from . import feed as _feed_routes  # noqa: F401
from .routes import control

__all__ = ["control"]
