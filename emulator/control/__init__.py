"""The emulator's own API under ``/_emulator``: health, reset, seed, state, drain, clock, the
request journal (``journal.py``), realism's faults and settings (``realism.py``), the dashboard
and its views (``dashboard.py``), and the OpenAPI document with its docs page (``apidocs.py``)."""
from . import apidocs as _apidocs_routes  # noqa: F401  (each registers its routes on ``control``)
from . import dashboard as _dashboard_routes  # noqa: F401
from . import guard as _guard  # noqa: F401  (the control plane's Host, Origin and token checks)
from . import journal as _journal_routes  # noqa: F401
from . import realism as _realism_routes  # noqa: F401
from .dashboard import root
from .routes import control

__all__ = ["control", "root"]
