"""Adobe Campaign Standard's errors, and how each one reaches the client.

Two families, as a client of ``mc.adobe.io`` meets them (vendor-apis.md §1.11, §1.14):

* **Gateway** errors (Adobe I/O, before the request reaches Campaign): credentials.
  Body ``{"error_code": "401013", "message": "Oauth token is not valid"}``.
* **Backend** errors (Campaign itself): validation, unknown keys, unknown routes. The real
  body format is not documented (§5 question 1). We answer ``{"code": <status>, "message":
  "<verbatim Campaign message>"}`` as ``application/json``: the same shape as the one ACS
  body that is documented (the "Oops" 500 of a wrong organization), and JSON because
  Adobe's SDK shows a JSON body in full, while a ``text/plain`` body that starts with a quote
  (``'zipCode' property is not valid…``) cannot be parsed by it and is lost (§1.14).
"""
from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flask import Response

#: every JSON answer of the vendor carries this Content-Type
JSON_TYPE = "application/json;charset=utf-8"

RST = "RST-360011 An error has occurred - please contact your administrator."


def status_line(status: int) -> str:
    """``404 Not Found``, as Adobe sends it (werkzeug would say ``404 NOT FOUND``); the SDK puts
    this reason phrase in its error messages (aio issue #51: ``404 - Not Found (…)``)."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                    status=status_line(status), content_type=JSON_TYPE)


class CampaignError(Exception):
    """An answer that is not a success. ``render()`` gives the vendor's exact bytes."""

    status = 500
    #: no emulated route answers this request (the request journal lists it as unmatched)
    unmatched = False

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message}

    def render(self) -> Response:
        return json_response(self.body(), self.status)


class GatewayError(CampaignError):
    """Adobe I/O's own answer: credentials, before Campaign sees the request."""

    def __init__(self, status: int, error_code: str, message: str):
        super().__init__(message, status)
        self.error_code = error_code

    def body(self) -> dict[str, Any]:
        return {"error_code": self.error_code, "message": self.message}


def missing_api_key() -> GatewayError:
    return GatewayError(403, "403000", "Api Key is required")


def invalid_api_key() -> GatewayError:
    return GatewayError(403, "403003", "Api Key is invalid")


def missing_token() -> GatewayError:
    return GatewayError(403, "403010", "Oauth token is missing.")


def invalid_token() -> GatewayError:
    return GatewayError(401, "401013", "Oauth token is not valid")


def unknown_organization() -> CampaignError:
    return CampaignError("Oops. Something went wrong. Check your URI and try again.", 500)


# -- backend errors (Campaign's own messages, verbatim where §1.11 quotes them) ----------------

def unknown_route() -> CampaignError:
    error = CampaignError(f"{RST} Error rc=-2003", 404)
    error.unmatched = True
    return error


def unknown_property(name: str, resource: str = "profile") -> CampaignError:
    return CampaignError(f"'{name}' property is not valid for the '{resource}' resource.", 500)


def read_only_property(name: str) -> CampaignError:
    return CampaignError(f"Cannot update the '{name}' property that is read-only", 500)


def key_changed(old: str, new: str, resource: str = "profile") -> CampaignError:
    return CampaignError(f"{RST} RST-360012 Inconsistent operation on resource '{resource}' – "
                         f"Cannot update key '{old}' to '{new}'.", 500)


def invalid_enum(value: Any, field: str, schema: str = "nms:recipient") -> CampaignError:
    return CampaignError(f"{RST} The value '{value}' is not valid for the '{schema}:{field}' "
                         f"enumeration of the '@{field}' field", 500)


def malformed_pkey(pkey: str) -> CampaignError:
    bare = pkey[1:] if pkey.startswith("@") else pkey
    return CampaignError(f"'{bare}' attribute unknown (see definition of 'Profiles (nms:recipient)' "
                         f"schema). XTK-170036 Unable to parse expression '@id = {pkey}'.", 500)


def profile_not_found(pkey: str) -> CampaignError:
    return CampaignError(f"{RST} Unable to find document with path 'Profile' from key '{pkey}' "
                         f"(document with schema 'profile' and name '{pkey}')", 404)


def generic(detail: str, status: int = 500) -> CampaignError:
    """Campaign's generic error, followed by what the emulator knows went wrong (the real
    service often says no more than the first sentence)."""
    return CampaignError(f"{RST} {detail}", status)


def _not_found(path: str, schema: str, key: str, name: str | None = None) -> CampaignError:
    return CampaignError(f"{RST} Unable to find document with path '{path}' from key '{key}' "
                         f"(document with schema '{schema}' and name '{name or key}')", 404)


def _malformed(schema: str, pkey: str) -> CampaignError:
    bare = pkey[1:] if pkey.startswith("@") else pkey
    return CampaignError(f"'{bare}' attribute unknown (see definition of '{schema}' schema). "
                         f"XTK-170036 Unable to parse expression '@id = {pkey}'.", 500)


def service_not_found(pkey: str) -> CampaignError:
    return _not_found("Service", "service", pkey)


def service_name_not_found(name: str) -> CampaignError:
    """The documented example of a non-existent key is a service addressed by its name (§1.11)."""
    return _not_found("Service", "service", f"{name}:0", name)


def malformed_service_pkey(pkey: str) -> CampaignError:
    return _malformed("Services (nms:service)", pkey)


def subscription_not_found(pkey: str) -> CampaignError:
    return _not_found("Subscription", "subscription", pkey)


def malformed_subscription_pkey(pkey: str) -> CampaignError:
    return _malformed("Subscriptions (nms:subscription)", pkey)


def org_unit_not_found(pkey: str) -> CampaignError:
    return _not_found("OrgUnitBase", "orgUnitBase", pkey)


def malformed_org_unit_pkey(pkey: str) -> CampaignError:
    return _malformed("Organizational units (nms:orgUnitBase)", pkey)


def already_subscribed(profile: str, service: str) -> CampaignError:
    return generic(f"The profile '{profile}' is already subscribed to the service '{service}': "
                   "a profile has one subscription per service.")


def duplicate_name(resource: str, name: str) -> CampaignError:
    return generic(f"The name '{name}' is already used by another {resource}: the 'name' (ID) "
                   f"of a {resource} is unique in the organization.")


def missing_link(resource: str, link: str, example: str) -> CampaignError:
    return generic(f"The '{link}' property is required to create a {resource}, e.g. {example}.")


def event_not_found(pkey: str) -> CampaignError:
    return _not_found("Event", "history", pkey)


def org_unit_name_taken(name: str) -> CampaignError:
    return duplicate_name("organizational unit", name)
