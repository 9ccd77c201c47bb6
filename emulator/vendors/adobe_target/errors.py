"""Adobe Target's error answers, and how each renders.

Target has two front doors with two error styles (vendor-apis.md §2, §3.3, §5.3):

* the mbox edge (``/m2/<client>/…``: single update, batch update, batch status) answers in the
  same ``<response>`` XML as its successes, with ``<success>false</success>`` and a message
  (the legacy batch docs: "success=false with a detailed message, and batchStatus empty");
* the Delivery API (``/rest/v1/delivery``) answers every error in its spec's ``UnexpectedError``
  JSON, ``{"status": <int>, "message": "<text>"}`` (§2.3);
* the profile service (``/rest/v1/profiles/…``) answers an unknown profile with the documented
  JSON 404 bodies, verbatim, and everything else (bad client code, auth, quota) with an
  XStream-style XML body whose root is ``com.adobe.tnt.profileservice.crud.ResponseErrorBody``
  (Segment's PR #848 saw that root; the inner element names are our choice).

All of them are raised as ``TargetError`` anywhere below a Target route; nothing is changed by
a request that ends in one.
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape

from flask import Response

XML = "application/xml;charset=UTF-8"
JSON = "application/json;charset=UTF-8"

#: the styles a TargetError can render in
UPDATE = "update"          # <response><success>false</success><pcId></pcId><message>…
BATCH_SUBMIT = "batch"     # <response><success>false</success><batchStatus></batchStatus><message>…
BATCH_STATUS = "status"    # <response><success>false</success><message>…
PROFILE_SERVICE = "profile_service"  # <com.adobe.tnt.profileservice.crud.ResponseErrorBody>
NOT_FOUND_JSON = "not_found_json"    # {"status":404,"message":…}
DELIVERY = "delivery"                # {"status":…,"message":…}, every status

ERROR_BODY_ROOT = "com.adobe.tnt.profileservice.crud.ResponseErrorBody"


class TargetError(Exception):
    """A request Target refuses."""

    def __init__(self, status: int, message: str, style: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.style = style
        self.headers = headers or {}

    def response(self, path: str) -> Response:
        """Rendered in ``style``, or else in the style of the endpoint at ``path``."""
        return render(self.status, self.message, self.style or style_for_path(path), self.headers)


def style_for_path(path: str) -> str:
    if path == "/rest/v1/delivery":
        return DELIVERY
    if path.startswith("/rest/"):
        return PROFILE_SERVICE
    if path.endswith("/batchUpdate"):
        return BATCH_SUBMIT
    if path.endswith("/batchStatus"):
        return BATCH_STATUS
    return UPDATE


def not_found_third_party(client: str, third_party_id: str) -> TargetError:
    return TargetError(404, f"No profile found for client {client} with third party id={third_party_id}",
                       NOT_FOUND_JSON)


def not_found_mbox_pc(client: str, mbox_pc: str) -> TargetError:
    return TargetError(404, f"No profile found for client {client} with mboxPC={mbox_pc}", NOT_FOUND_JSON)


def not_found_marketing_cloud_visitor(client: str, ecid: str) -> TargetError:
    # Undocumented: the same sentence as its two siblings.
    return TargetError(404, f"No profile found for client {client} with marketingCloudVisitorId={ecid}",
                       NOT_FOUND_JSON)


def render(status: int, message: str, style: str, headers: dict | None = None) -> Response:
    if style in (NOT_FOUND_JSON, DELIVERY):
        body = json.dumps({"status": status, "message": message}, ensure_ascii=False, separators=(",", ":"))
        response = Response(body, status=status, content_type=JSON)
    elif style == PROFILE_SERVICE:
        body = (f"<{ERROR_BODY_ROOT}>\n"
                f"  <httpStatus>{status}</httpStatus>\n"
                f"  <message>{escape(message)}</message>\n"
                f"</{ERROR_BODY_ROOT}>")
        response = Response(body, status=status, content_type=XML)
    else:
        middle = {UPDATE: "    <pcId></pcId>\n", BATCH_SUBMIT: "    <batchStatus></batchStatus>\n",
                  BATCH_STATUS: ""}[style]
        body = ("<response>\n"
                "    <success>false</success>\n"
                f"{middle}"
                f"    <message>{escape(message)}</message>\n"
                "</response>")
        response = Response(body, status=status, content_type=XML)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
