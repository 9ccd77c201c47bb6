"""The blueprint: ``/<ORG>/campaign/…`` on the emulator's one port, so a client swaps
``https://mc.adobe.io`` for the emulator's base URL and changes nothing else.

One catch-all rule, because Campaign's paths are a small grammar (``paths.parse``) rather than
a list of routes, and because the gateway checks credentials before any route is known: an
unknown route with a bad token is a 401, like on ``mc.adobe.io``. ``merge_slashes=False``
keeps the documented ``…/profile//_count`` from being redirected.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import BaseConverter, ValidationError

from ... import requestnotes
from ...state import current_emulator
from . import errors, model, paths
from .errors import CampaignError, json_response

METHODS = ["GET", "POST", "PATCH", "DELETE", "PUT"]


class OrganizationConverter(BaseConverter):
    """A path segment naming an organization; never the emulator's own ``/_emulator``."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        if value.startswith("_emulator"):
            raise ValidationError()
        return value


def _register_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("acs_org", OrganizationConverter)


def make_blueprint() -> Blueprint:
    bp = Blueprint("adobe_campaign", __name__)
    bp.record_once(_register_converter)
    bp.add_url_rule("/<acs_org:org>/campaign", view_func=handle, defaults={"rest": ""},
                    methods=METHODS, merge_slashes=False, strict_slashes=False)
    bp.add_url_rule("/<acs_org:org>/campaign/<path:rest>", view_func=handle,
                    methods=METHODS, merge_slashes=False)
    return bp


def handle(org: str, rest: str) -> Response:
    emulator = current_emulator()
    try:
        settings = model.authenticate(emulator.store, org, request.headers.get("X-Api-Key"),
                                      request.headers.get("Authorization"))
        target = paths.parse(rest)
        if target is None:
            raise errors.unknown_route()
        base = request.url_root.rstrip("/") + "/" + quote(org, safe="@") + "/campaign"
        campaign = model.Campaign(emulator.store, emulator.clock, org, base, settings)
        return _answer(campaign, target)
    except CampaignError as exc:
        if exc.unmatched:  # one catch-all route answers every path: tell the journal
            requestnotes.current().unmatched = True
        return exc.render()


def _answer(campaign: model.Campaign, target: paths.ResourcePath) -> Response:
    method = request.method
    if target.resource == "":
        if method != "GET":
            raise errors.unknown_route()
        return json_response(campaign.resources(target.api))
    if target.resource == "resourceType":
        if method != "GET":
            raise errors.unknown_route()
        if len(target.segments) == 1:
            return json_response(campaign.metadata(target.api, target.ext, target.segments[0]))
        if len(target.segments) == 2 and target.segments[1] == "filters":
            return json_response(campaign.filters_metadata(target.api, target.segments[0]))
        raise errors.unknown_route()
    if method == "GET":
        _kind, body = campaign.collection(target, request.args.to_dict(flat=True))
        return json_response(body)
    if method == "POST":
        return json_response(campaign.post(target, model.parse_body(request.get_data())), 201)
    if method == "PATCH":
        return json_response(campaign.patch(target, model.parse_body(request.get_data())))
    if method == "DELETE":
        status = campaign.remove(target)
        response = Response(b"", status=errors.status_line(status))
        del response.headers["Content-Type"]
        return response
    raise errors.unknown_route()


def http_error(status: int, description: str) -> Response:
    """Werkzeug-level errors on a Campaign path (wrong method, body too large, emulator bug)."""
    if status in (404, 405):
        return CampaignError(errors.unknown_route().message, status).render()
    if status == 413:
        return CampaignError("Request Entity Too Large", 413).render()
    return errors.generic(description, status).render()
