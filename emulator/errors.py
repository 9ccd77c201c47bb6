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
