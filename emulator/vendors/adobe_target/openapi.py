"""Adobe Target's routes for the OpenAPI document (``emulator/openapi.py``): the mbox edge
(``/m2/<client>/…``) answers ``<response>`` XML, errors included; the profile service
(``/rest/v1/profiles/…``) answers JSON, its 404s as documented JSON and its other errors as
XStream-style XML (``errors.py``); the Delivery API (``/rest/v1/delivery``) answers JSON, its
errors as ``{"status", "message"}``."""
from __future__ import annotations

from ...openapi import Answer, Operation
from .schemas import DeliveryQuerySchema, DeliveryRequestSchema, VisitorSchema

XML = "application/xml"
JSON = "application/json"
EXAMPLES = {"client": "demo", "tnt_id": "1368007744041-575948.01_00", "third_party_id": "a1-mbox3rdPartyId",
            "ecid": "12345678901234567890123456789012345678"}
XML_BODY = {"type": "string", "description": "XML"}


def xml(description: str) -> Answer:
    return Answer(description, XML_BODY, content_type=XML)


EDGE_ERRORS: dict[int | str, Answer] = {
    400: xml("<response><success>false</success>… with the reason"),
    403: xml("the profile API token is missing or wrong"),
    413: xml("over the size limit (8 KB GET, 60 KB POST, 50 MB batch)"),
    414: xml("a URL over the GET size limit"),
    429: xml("over the daily quota"),
}
PROFILE_JSON = {"type": "object", "required": ["client", "profileAttributes"], "properties": {
    "client": {"type": "string"}, "visitorId": {"type": "string"}, "modifiedAt": {"type": "string"},
    "profileAttributes": {"type": "object", "additionalProperties": {
        "type": "object", "properties": {"value": {"type": "string"}, "modifiedAt": {"type": "string"}}}}},
    "additionalProperties": True}
NOT_FOUND = {"type": "object", "required": ["status", "message"],
             "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}
FETCH_ERRORS: dict[int | str, Answer] = {
    200: Answer("the profile", PROFILE_JSON),
    400: xml("bad client code (ResponseErrorBody XML)"),
    403: xml("the profile API token is missing or wrong (ResponseErrorBody XML)"),
    404: Answer("no such profile (the documented JSON body)", NOT_FOUND),
    429: xml("over the daily quota (ResponseErrorBody XML)"),
}
UNEXPECTED_ERROR = {"type": "object", "required": ["status", "message"],
                    "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}
MBOX_ANSWER = {"type": "object", "properties": {"index": {"type": "integer"}, "name": {"type": "string"}}}
SECTION_ANSWER = {"type": "object", "properties": {
    "pageLoad": {"type": "object"}, "views": {"type": "array", "items": {"type": "object"}},
    "mboxes": {"type": "array", "items": MBOX_ANSWER}}}
DELIVERY_RESPONSE = {"type": "object", "required": ["status", "requestId", "client", "id", "edgeHost"], "properties": {
    "status": {"type": "integer", "example": 200}, "requestId": {"type": "string"},
    "client": {"type": "string", "example": "demo"},
    "id": {"type": "object", "properties": {
        "tntId": {"type": "string", "example": "d359234570e04f14e1faeeba02d6ab9914e.28_7"},
        "thirdPartyId": {"type": "string"}, "marketingCloudVisitorId": {"type": "string"},
        "customerIds": {"type": "array", "items": {"type": "object"}}}},
    "edgeHost": {"type": "string", "example": "mboxedge28.tt.omtrdc.net"},
    "execute": SECTION_ANSWER, "prefetch": SECTION_ANSWER}}
DELIVERY = Operation(
    "Delivery API: Target sees the visitor and stores its profileParameters (no activities: mboxes "
    "come back without content)",
    description="The client is named by ?client=, else the Host <client>.tt.omtrdc.net, else ?imsOrgId= "
                "(a client's organization_id). No authentication.",
    query=DeliveryQuerySchema, body={JSON: DeliveryRequestSchema}, body_required=True,
    responses={200: Answer("the visitor's ids, its edge host and every mbox without content", DELIVERY_RESPONSE),
               204: Answer("context.beacon was true", None, content_type=None),
               400: Answer("a validation error, an unknown client or organization", UNEXPECTED_ERROR),
               405: Answer("a method other than POST", UNEXPECTED_ERROR),
               429: Answer("over the client's daily_call_limit (Retry-After)", UNEXPECTED_ERROR)})
FORM = "application/x-www-form-urlencoded"
PROFILE_PARAMS = {"type": "object", "additionalProperties": {"type": "string"},
                  "description": "mboxPC or mbox3rdPartyId, and profile.<name>=<value> parameters"}


def edge(summary: str, ok: str, **kwargs) -> Operation:
    return Operation(summary, responses={**EDGE_ERRORS, 200: xml(ok)}, path_examples=EXAMPLES, **kwargs)


OPERATIONS: dict[str, Operation] = {
    "adobe_target.update": edge("Single profile update (profile.<name>=<value>; asynchronous, update-only)",
                                "<response><success>true</success>… Request successfully submitted",
                                body={FORM: PROFILE_PARAMS}),
    "adobe_target.batch_update_v1": edge("Bulk profile update v1 (updates existing profiles)",
                                         "Batch submitted for processing", body={"text/plain": XML_BODY}),
    "adobe_target.batch_update_v2": edge("Bulk profile update v2 (creates profiles not found)",
                                         "Batch submitted for processing", body={"text/plain": XML_BODY}),
    "adobe_target.batch_status": edge("A batch's status (complete, incomplete, stuck)", "the status"),
    "adobe_target.fetch_by_tnt_id": Operation("Fetch a profile by tntId (mboxPC)", responses=FETCH_ERRORS,
                                              path_examples=EXAMPLES),
    "adobe_target.fetch_by_third_party_id": Operation("Fetch a profile by thirdPartyId", responses=FETCH_ERRORS,
                                                      path_examples=EXAMPLES),
    "adobe_target.fetch_by_marketing_cloud_visitor_id": Operation(
        "Fetch a profile by marketingCloudVisitorId (ECID)", responses=FETCH_ERRORS, path_examples=EXAMPLES),
    "adobe_target.deliver": DELIVERY,
    "adobe_target.create_visitor": Operation(
        "Emulator only: Target sees a new visitor (answers its tntId)", body={JSON: VisitorSchema},
        path_examples=EXAMPLES, responses={201: Answer("the new visitor", {"type": "object"}),
                                           400: Answer("a bad body", {"$ref": "#/components/schemas/ControlErrorOut"}),
                                           404: Answer("no such client", {"$ref": "#/components/schemas/ControlErrorOut"}),
                                           409: Answer("a visitor with that id exists", {"$ref": "#/components/schemas/ControlErrorOut"})}),
}
