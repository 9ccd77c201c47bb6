"""The emulator's own API under ``/_emulator``: health, reset, seed, state, drain, clock, and
the request journal (``journal.py``), realism's faults and settings (``realism.py``)."""
from . import journal as _journal_routes  # noqa: F401  (registers its routes on ``control``)
from . import realism as _realism_routes  # noqa: F401  (registers its routes on ``control``)
from .routes import control

__all__ = ["control"]
