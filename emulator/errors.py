"""The emulator's own errors (control plane, and faults of the emulator itself).

They are always JSON naming the emulator, so nobody mistakes them for a vendor's answer.
"""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify

EMULATOR = "martech-emulator"


class EmulatorError(Exception):
    """A bad request to the control plane."""

    def __init__(self, message: str, status: int = 400, **details: Any):
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details


def emulator_error(message: str, status: int = 400, **details: Any) -> Response:
    body = {"emulator": EMULATOR, "status": status, "error": message}
    body.update(details)
    response = jsonify(body)
    response.status_code = status
    return response


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"accounts": {0: {"bogus": ["Unknown field."]}}}`` -> ``{"accounts[0].bogus": [...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "(document)"] = messages
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            flat.update(flatten_messages(value, f"{prefix}[{i}]"))
    else:
        flat[prefix or "(document)"] = [str(messages)]
    return flat
