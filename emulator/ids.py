"""Numeric ids in text, checked the way ``int`` will read them."""
from __future__ import annotations


def is_digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` is true for "²" and "٣" too, which ``int`` refuses
    (found by the schemathesis run: ``DELETE /v3/profile/²`` was an unhandled error)."""
    return text.isascii() and text.isdigit()
