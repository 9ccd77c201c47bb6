"""Adobe Target's HTTP surface: the mbox edge (``/m2/<client>/…``), the profile fetch API
(``/rest/v1/profiles/…``), the Delivery API (``/rest/v1/delivery``) and the emulator's own
visitor call. Thin: each view resolves the
client, checks size and auth, reads the parameters and hands over to ``model.py``.
"""
from __future__ import annotations

import json
import logging
import re
from urllib.parse import quote
from xml.sax.saxutils import escape

from flask import Blueprint, Request, Response, jsonify, request
from marshmallow import ValidationError

from ... import jsoninput, requestnotes
from ...errors import EmulatorError, flatten_messages
from ...state import current_emulator
from .delivery import Delivery
from .errors import DELIVERY, JSON, XML, TargetError, style_for_path
from ...jsondoc import Doc
from .model import VENDOR, TargetModel
from .schemas import DeliveryQuerySchema, DeliveryRequestSchema, VisitorSchema, third_party_id_problem

log = logging.getLogger(__name__)

HOST_SUFFIX = ".tt.omtrdc.net"
#: cluster hosts (``mboxedge28.tt.omtrdc.net``) name no client
EDGE_HOST = re.compile(r"^mboxedge\d*$")

blueprint = Blueprint("adobe_target", __name__)
#: built once: a DeliveryRequestSchema costs as much to build as to load, and loading is reentrant
DELIVERY_QUERY, DELIVERY_REQUEST = DeliveryQuerySchema(), DeliveryRequestSchema()

UPDATE_SUCCESS = ("<response>\n"
                  "    <success>true</success>\n"
                  "    <pcId></pcId>\n"
                  "    <message>Request successfully submitted</message>\n"
                  "</response>")


def model() -> TargetModel:
    emulator = current_emulator()
    return TargetModel(emulator.store, emulator.clock)


def client_code(req: Request, path_client: str | None = None) -> str | None:
    """The client code a request addresses: the ``/m2/<client>/`` segment, else ``?client=``,
    else the Host ``<client>.tt.omtrdc.net`` (so a client only swaps its base URL), never a
    cluster host ``mboxedge<N>.tt.omtrdc.net``."""
    if path_client:
        return path_client
    if req.args.get("client"):
        return req.args["client"]
    host = req.host.rsplit(":", 1)[0].lower() if req.host else ""
    if host.endswith(HOST_SUFFIX) and len(host) > len(HOST_SUFFIX):
        sub = host[: -len(HOST_SUFFIX)]
        return None if EDGE_HOST.match(sub) else sub
    return None


def xml(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type=XML)


@blueprint.errorhandler(TargetError)
def _target_error(exc: TargetError) -> Response:
    return exc.response(request.path)


def _authorised_client(path_client: str | None = None) -> dict:
    settings = model().require_client(client_code(request, path_client))
    TargetModel.check_auth(settings, request.headers.get("Authorization"))
    return settings


def _size_limit(client: str, key: str) -> int:
    """The client's ``max_get_bytes``/``max_post_bytes`` setting (8 KB and 60 KB by default)."""
    return current_emulator().realism.setting(VENDOR, client, key)


def _size(limit: int, short: bool = False) -> str:
    if limit % 1024:
        return f"{limit} bytes"
    return f"{limit // 1024} KB" if short else f"{limit // 1024} KB ({limit} bytes)"


# -- single profile update (§2.1) -----------------------------------------------------------------
@blueprint.route("/m2/<client>/profile/update", methods=["GET", "POST"])
def update(client: str) -> Response:
    query_bytes = len(request.query_string)
    get_limit, post_limit = _size_limit(client, "max_get_bytes"), _size_limit(client, "max_post_bytes")
    if request.method == "GET":
        size = len(request.path.encode("utf-8")) + 1 + query_bytes
        if size > get_limit:
            raise TargetError(414, f"Request too large: {size} bytes; a GET profile update is limited to "
                                   f"{_size(get_limit)}, a POST to {_size(post_limit, short=True)}")
    else:
        # the bytes really sent (also without Content-Length); the form is parsed from this cache
        size = query_bytes + len(request.get_data(cache=True))
        if size > post_limit:
            raise TargetError(413, f"Request too large: {size} bytes; a POST profile update is limited to "
                                   f"{_size(post_limit)}")
    settings = _authorised_client(client)
    params = list(request.args.items(multi=True))
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        params += list(request.form.items(multi=True))
    mbox_pc = third = None
    attributes: dict[str, str] = {}
    for name, value in params:
        if name == "mboxPC":
            mbox_pc = value or None
        elif name == "mbox3rdPartyId":
            third = value or None
        elif name.startswith("profile."):
            if name == "profile.":
                raise TargetError(400, "A profile parameter needs a name: profile.<name>=<value>")
            attributes[name[len("profile."):]] = value
    if mbox_pc is None and third is None:
        raise TargetError(400, "The visitor must be identified with mboxPC or mbox3rdPartyId "
                               "(the Experience Cloud ID is not supported)")
    if third is not None and third_party_id_problem(third):
        raise TargetError(400, f"Invalid mbox3rdPartyId '{third}': it must not contain '+' or '/'")
    m = model()
    m.count_call(settings, "update")
    tnt_id = m.update_profile(settings, mbox_pc, third, attributes)
    if tnt_id is None:
        ident = mbox_pc or third
        note = f"visitor {ident} unknown to Target: nothing created (update-only)"
        requestnotes.current().add(note)
        log.warning("adobe_target client %s: %s", settings["code"], note)
    return xml(UPDATE_SUCCESS)


# -- bulk profile update (§2.2) -------------------------------------------------------------------
def _batch(client: str, version: int) -> Response:
    settings = _authorised_client(client)
    raw = request.get_data(cache=True)  # the raw file: never parsed as a form
    batch = model().submit_batch(settings, version, raw)
    url = f"{request.host_url}m2/{quote(settings['code'])}/profile/batchStatus?batchId={quote(batch['batchId'])}"
    return xml("<response>\n"
               "    <success>true</success>\n"
               f"    <batchStatus>{escape(url)}</batchStatus>\n"
               "    <message>Batch submitted for processing</message>\n"
               "</response>")


@blueprint.post("/m2/<client>/profile/batchUpdate")
def batch_update_v1(client: str) -> Response:
    return _batch(client, 1)


@blueprint.post("/m2/<client>/v2/profile/batchUpdate")
def batch_update_v2(client: str) -> Response:
    return _batch(client, 2)


@blueprint.get("/m2/<client>/profile/batchStatus")
@blueprint.get("/m2/<client>/v2/profile/batchStatus")
def batch_status(client: str) -> Response:
    settings = _authorised_client(client)
    batch_id = request.args.get("batchId")
    if not batch_id:
        raise TargetError(400, "Missing batchId parameter")
    status = model().batch_status(settings["code"], batch_id)
    details = request.args.get("showDetails", "").lower() == "true"
    keys = ["batchId", "status", "batchSize"]
    if details:
        keys += ["consumedCount", "successfulUpdates", "profilesNotFound", "failedUpdates"]
    lines = "".join(f"    <{k}>{escape(str(status[k]))}</{k}>\n" for k in keys)
    return xml(f"<response>\n{lines}</response>")


# -- profile fetch (§3) ----------------------------------------------------------------------------
def _fetch(by: str, ident: str) -> Response:
    settings = _authorised_client()
    m = model()
    m.count_call(settings, "fetch")
    body = m.fetch(settings["code"], by, ident)
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), content_type=JSON)


@blueprint.get("/rest/v1/profiles/<tnt_id>")
def fetch_by_tnt_id(tnt_id: str) -> Response:
    return _fetch("tntId", tnt_id)


@blueprint.get("/rest/v1/profiles/thirdPartyId/<third_party_id>")
def fetch_by_third_party_id(third_party_id: str) -> Response:
    return _fetch("thirdPartyId", third_party_id)


@blueprint.get("/rest/v1/profiles/marketingCloudVisitorId/<ecid>")
def fetch_by_marketing_cloud_visitor_id(ecid: str) -> Response:
    return _fetch("marketingCloudVisitorId", ecid)


# -- Delivery API (§2.3) -----------------------------------------------------------------------------
@blueprint.post("/rest/v1/delivery")
def deliver() -> Response:
    """A page or mbox request: Target sees the visitor, stores its profileParameters and answers
    every mbox without content. No token: "There is no authentication for Target Delivery APIs"."""
    m = model()
    settings = delivery_client(m, request, learn=True)
    try:
        DELIVERY_QUERY.load(request.args.to_dict())
    except ValidationError as exc:
        raise invalid(exc) from None
    body = _json_body()
    try:
        data = DELIVERY_REQUEST.load(body)
    except ValidationError as exc:
        raise invalid(exc) from None
    m.count_call(settings, "delivery")
    answer, note = Delivery(m).deliver(settings, data)
    requestnotes.current().add(note)
    if data["context"].get("beacon"):
        return Response(status=204)
    return Response(json.dumps(answer, ensure_ascii=False, separators=(",", ":")), content_type=JSON)


def _json_body() -> dict:
    try:  # the emulator's one parser (``emulator/jsoninput.py``): what it refuses, and why
        body = jsoninput.loads(request.get_data(cache=True) or b"null")
    except jsoninput.JsonInputError as exc:
        detail = {"syntax": "", "surrogate": " (a lone UTF-16 surrogate escape)"}.get(exc.kind, f" ({exc.reason})")
        raise TargetError(400, f"Invalid request: the body is not valid JSON{detail}", DELIVERY) from None
    if not isinstance(body, dict):
        raise TargetError(400, "Invalid request: the body must be a JSON object (a DeliveryRequest)", DELIVERY)
    return body


def invalid(exc: ValidationError) -> TargetError:
    """The first problem of a body or query, as one Delivery API validation message."""
    problems = flatten_messages(exc.messages)
    where = next(iter(problems))
    return TargetError(400, f"Invalid request: {where}: {' '.join(problems[where])}", DELIVERY)


def delivery_client(m: TargetModel, req: Request, learn: bool = False) -> Doc:
    """The client a delivery call names: ``client=``, else the Host ``<client>.tt.omtrdc.net``
    (never ``mboxedge<N>``), else the ``imsOrgId`` a client declares or has learned. With
    ``learn``, a call that names a client and an organization no client has teaches the client
    its organization (the SDKs' first call), so the SDKs' later calls, which name only the
    organization, find it."""
    code = client_code(req)
    org = req.args.get("imsOrgId") or None
    if code:
        settings = m.client(code)
        if settings is None:
            raise TargetError(400, f"Invalid request: Invalid client - {code}", DELIVERY)
        if learn and org:
            m.learn_organization(settings, org)
        return settings
    if org:
        settings = m.client_for_organization(org)
        if settings is None:
            raise TargetError(400, f"Invalid request: Invalid imsOrg -  {org}", DELIVERY)
        return settings
    raise TargetError(400, "Invalid request: no client: send ?client=<client>, the Host <client>.tt.omtrdc.net "
                           "or ?imsOrgId=<org>", DELIVERY)


# -- emulator only: Target sees a visitor on a page ------------------------------------------------
@blueprint.post("/_emulator/adobe_target/<client>/visitors")
def create_visitor(client: str) -> Response:
    """How a visitor comes to exist besides fixtures and v2 batches; answers the new tntId."""
    body: object = {}
    if request.get_data():
        try:
            body = jsoninput.loads(request.get_data())
        except jsoninput.JsonInputError as exc:
            raise EmulatorError(f"the request body is not valid JSON: {exc.reason}") from None
    if not isinstance(body, dict):
        raise EmulatorError("the request body must be a JSON object")
    try:
        data = VisitorSchema().load(body)
    except ValidationError as exc:

        errors = flatten_messages(exc.messages)
        first = next(iter(errors))
        raise EmulatorError(f"invalid visitor: {first}: {' '.join(errors[first])}", errors=errors) from None
    profile = model().create_visitor(client, data)
    response = jsonify({"client": client, **profile})
    response.status_code = 201
    return response


def http_error(req: Request, status: int, description: str) -> Response:
    """Target's answer where no view answered: unknown route, wrong method, body too large."""
    if status == 404:
        message = f"No such API: {req.method} {req.path}"
    elif status == 405:
        message = f"Method {req.method} is not supported for {req.path}"
    elif status == 413:
        message = "Request body too large"
    else:
        message = description
    return TargetError(status, message, style_for_path(req.path)).response(req.path)
