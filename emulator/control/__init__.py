"""The emulator's own API under ``/_emulator``: health, reset, seed, state, drain, clock, and
realism's faults and settings (``realism.py``)."""
from . import realism as _realism_routes  # noqa: F401  (registers its routes on ``control``)
from .routes import control

__all__ = ["control"]
