"""Copernica's errors: HTTP 400 with ``{"error":{"message":…}}`` for essentially everything.

The official PHP helper treats only a 400 (or no answer) as failure, so every error the
emulator gives on a Copernica path is a 400 with one of the verbatim messages below
(vendor-apis.md §4.2), even where another status would be more RESTful.
"""
from __future__ import annotations

import json

from flask import Response

INVALID_TOKEN = "Invalid access token"
INVALID_METHOD = "Invalid method"
NO_DATABASE = "No database with supplied ID"
NO_ENTITY = "No entity with supplied ID"
INVALID_DATA = "Invalid data provided"
FIELDS_REQUIRED = "URL parameter fields is required"
ALREADY_REMOVED = "This profile has already been removed"
NO_COLLECTION = "No collection with given ID"  # "given", not "supplied": verbatim (§4.10)
NO_SUBPROFILE = "No subprofile with supplied ID"
SUBPROFILE_NOT_CREATED = "Subprofile could not be created"
SUBPROFILE_ALREADY_REMOVED = "This subprofile has already been removed"
# Our own wording, in the same style, where Copernica documents no message (README fidelity notes).
MALFORMED_JSON = "Invalid JSON in request body"
UNSUPPORTED_TYPE = "Unsupported content type, use application/json or application/x-www-form-urlencoded"
BODY_TOO_LARGE = "Request body too large"
FIELD_EXISTS = "A field with this name already exists"
INVALID_FIELD_NAME = "Invalid field name"
INVALID_FIELD_TYPE = "Invalid field type"
DATABASE_EXISTS = "A database with this name already exists"
INVALID_DATABASE_NAME = "Invalid database name"
INTEREST_EXISTS = "An interest with this name already exists"
INVALID_INTEREST_NAME = "Invalid interest name"
COLLECTION_EXISTS = "A collection with this name already exists"
INVALID_COLLECTION_NAME = "Invalid collection name"
NO_FIELD = "No field with supplied ID"
INTERNAL = "Internal error"


class CopernicaError(Exception):
    """A request Copernica refuses. Raised anywhere below a Copernica route; nothing is changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def missing_path_element(index: int) -> str:
    return f"Invalid request, element {index} is missing in 'directory' path"


def error_response(message: str) -> Response:
    # Exactly "application/json": the PHP helper decodes only that Content-Type.
    return Response(json.dumps({"error": {"message": message}}), status=400, mimetype="application/json")


#: The page Copernica's load balancer answers with when it is overloaded (503/504, sometimes 502):
#: HTML, not the API's JSON (vendor-apis.md §4.2). Its exact text is not recorded anywhere; this
#: wording keeps the two things that were: the title and "too many requests to handle".
LOADBALANCER_PAGE = """<!DOCTYPE html>
<html>
<head><title>Loadbalancer Error</title></head>
<body>
<h1>Loadbalancer Error</h1>
<p>The loadbalancer received too many requests to handle. Please try again later.</p>
</body>
</html>
"""


def loadbalancer_error(status: int = 503) -> Response:
    return Response(LOADBALANCER_PAGE, status=status, mimetype="text/html")
