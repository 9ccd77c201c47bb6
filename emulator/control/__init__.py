"""The emulator's own API under ``/_emulator``: health, reset, seed, state, drain, clock."""
from .routes import control

__all__ = ["control"]
