"""Adobe Campaign Standard's routes for the OpenAPI document (``emulator/openapi.py``).

The vendor serves every ``/<ORGANIZATION>/campaign/…`` path through one view (its resource
paths, filters and ``.json`` suffixes are parsed by ``paths.py``), so the document has one
operation per method on that pattern, with the answers vendor-apis.md §1.7–§1.11 documents:
gateway errors 401/403, backend errors 404/500 (ACS answers payload errors with 500).
"""
from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields as mf

from ...openapi import Answer, Operation

JSON = "application/json"
EXAMPLES = {"org": "demo-org", "rest": "profileAndServices/profile"}


class GatewayErrorOut(Schema):
    """Adobe I/O's answer to missing or bad credentials."""

    error_code = mf.String(required=True, metadata={"example": "401013"})
    message = mf.String(required=True, metadata={"example": "Oauth token is not valid"})


class BackendErrorOut(Schema):
    """Campaign's own errors (the emulator's choice of shape: README fidelity notes)."""

    code = mf.Integer(required=True)
    message = mf.String(required=True)


ERRORS: dict[int | str, Answer] = {
    401: Answer("bad or expired token (gateway)", GatewayErrorOut),
    403: Answer("missing token, missing or bad API key (gateway)", GatewayErrorOut),
    404: Answer("unknown resource, profile or route (backend, RST-360011)", BackendErrorOut),
    405: Answer("a method the resource does not take (backend)", BackendErrorOut),
    413: Answer("a body over the size limit (backend)", BackendErrorOut),
    500: Answer("documented backend errors: unknown or read-only property, bad enum value, "
                "undecryptable PKey, wrong organization", BackendErrorOut),
}
ANY_JSON = {"type": "object", "additionalProperties": True}
DESCRIPTION = ("Resources after /campaign: profileAndServices/profile[/<PKEY>] (also profileAndServicesExt), "
               "service[/<PKEY>], profile/<PKEY>/subscriptions/ and service/<PKEY>/subscriptions/[<PKEY>], "
               "history/<PKEY>[/events/], profileAndServicesExt/orgUnitBase[/<PKEY>]; filters such as "
               "profile/byEmail?email=…, service/byChannel?channel=…, _count, _lineCount/_lineStart paging, "
               "_order sorting, resourceType/<resource> metadata, a .json suffix (docs/adobe-campaign.md).")


def _op(summary: str, responses: dict) -> Operation:
    return Operation(summary, description=DESCRIPTION, responses=responses, path_examples=EXAMPLES)


HANDLE = Operation(path_examples=EXAMPLES, methods={
    "GET": _op("A profile, service, subscription, history or unit (bare object), or a collection/filter "
               "({content, count, next, serverSidePagination})",
               {200: Answer("the resource", ANY_JSON)}),
    "POST": Operation("Create a profile or a service (201 + the full record); subscribe (POST <PKEY>/subscriptions: "
                      "201 + the subscription)",
                      description=DESCRIPTION, body={JSON: ANY_JSON}, path_examples=EXAMPLES,
                      responses={200: Answer("done", ANY_JSON), 201: Answer("created: the full record", ANY_JSON)}),
    "PATCH": Operation("Update a profile's, a service's or a unit's fields: 200 {PKey, href}",
                       description=DESCRIPTION, body={JSON: ANY_JSON},
                       path_examples=EXAMPLES, responses={200: Answer("updated", ANY_JSON)}),
    "PUT": Operation("PUT on a resource", description=DESCRIPTION, body={JSON: ANY_JSON}, path_examples=EXAMPLES,
                     responses={200: Answer("updated", ANY_JSON)}),
    "DELETE": _op("Delete a profile or a service (200), or a subscription by its item href (204)",
                  {200: Answer("deleted", ANY_JSON), 204: Answer("subscription deleted", content_type=None)}),
})
OPERATIONS = {"adobe_campaign.handle": HANDLE}
