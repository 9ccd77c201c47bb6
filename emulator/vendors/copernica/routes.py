"""Copernica REST v3 routes: URL rules, reading the request, choosing the status code.

Everything Copernica decides lives in ``model``; this module only translates. Answers follow
the v3 docs (vendor-apis.md §4.2): 200 + JSON for GET, 201 + ``X-Created`` when something was
created, 204 with no body otherwise, 400 + ``{"error":{"message":…}}`` for every error.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from ... import requestnotes
from ...state import current_emulator
from . import errors
from .errors import CopernicaError, error_response
from .fieldtypes import php_bool
from .model import VENDOR, Account, account_for_token, check_profile_body, list_wrapper
from .requestdata import read_body
from .schemas import ListParams, PagingParams, UpdateParams
from .selection import expressions_from_query

copernica = Blueprint("copernica", __name__, url_prefix="/v3")


def request_token() -> str | None:
    """``access_token`` from the query string (v1–v3's way), or a Bearer header (v4's)."""
    token = request.args.get("access_token")
    if token:
        return token
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def account() -> Account:
    return g.copernica_account


def setting(key: str) -> Any:
    """One of the account's settings (``list_limit_max``, ``max_body_bytes``, ``async_delay``)."""
    return current_emulator().realism.setting(VENDOR, account().name, key)


@copernica.before_request
def _authenticate() -> None:
    emulator = current_emulator()
    found = account_for_token(emulator.store, emulator.clock, request_token())
    if found is None:
        raise CopernicaError(errors.INVALID_TOKEN)
    g.copernica_account = found
    request.max_content_length = setting("max_body_bytes")  # the token is never in the body


@copernica.errorhandler(CopernicaError)
def _copernica_error(exc: CopernicaError) -> Response:
    return error_response(exc.message)


def empty(status: int) -> Response:
    """POST, PUT and DELETE answer with no body (and so no Content-Type) unless they fail."""
    response = Response(status=status)
    del response.headers["Content-Type"]
    return response


def no_content() -> Response:
    return empty(204)


def created(entity: str, entity_id: str) -> Response:
    response = empty(201)
    response.headers["X-Created"] = entity_id
    response.headers["X-location"] = f"{request.host_url}v3/{entity}/{entity_id}"
    return response


LIST_PARAMS, PAGING_PARAMS, UPDATE_PARAMS = ListParams(), PagingParams(), UpdateParams()


def list_params(schema) -> dict:
    params = schema.load(request.args.to_dict(flat=True))
    if "limit" in params:
        params["limit"] = min(params["limit"], setting("list_limit_max"))
    return params


# -- identity and databases ------------------------------------------------------------------
@copernica.get("/identity")
def identity() -> Response:
    return jsonify(account().identity())


def render_database(database: dict) -> dict:
    return {
        "ID": database["ID"], "name": database["name"], "description": database["description"],
        "archived": False,
        "fields": list_wrapper(database["fields"], 0, len(database["fields"]), len(database["fields"])),
        "interests": list_wrapper(database["interests"], 0, len(database["interests"]),
                                  len(database["interests"])),
        "collections": list_wrapper([], 0, 0, 0),
    }


@copernica.get("/databases")
def databases() -> Response:
    params = list_params(PAGING_PARAMS)
    items = [render_database(d) for d in account().databases()]
    start, limit = params["start"], params["limit"]
    page = items[start:start + limit] if start >= 0 and limit >= 0 else []
    return jsonify(list_wrapper(page, start, limit, len(items) if params["total"] else None))


@copernica.route("/databases", methods=["POST", "PUT"])
def create_database() -> Response:
    body = read_body(request)
    return created("database", account().create_database(body if isinstance(body, dict) else {}))


@copernica.get("/database/<ref>")
def database(ref: str) -> Response:
    return jsonify(render_database(account().database(ref)))


@copernica.get("/database/<ref>/<any(fields, interests):kind>")
def database_definitions(ref: str, kind: str) -> Response:
    """A database's field or interest definitions, in Copernica's list wrapper."""
    items = account().database(ref)[kind]
    return jsonify(list_wrapper(items, 0, len(items), len(items)))


@copernica.route("/database/<ref>/fields", methods=["POST", "PUT"])
def create_database_field(ref: str) -> Response:
    body = read_body(request)
    return created("field", account().create_field(ref, body if isinstance(body, dict) else {}))


@copernica.route("/database/<ref>/interests", methods=["POST", "PUT"])
def create_database_interest(ref: str) -> Response:
    body = read_body(request)
    return created("interest", account().create_interest(ref, body if isinstance(body, dict) else {}))


# -- profiles of a database ------------------------------------------------------------------
@copernica.get("/database/<ref>/profiles")
def database_profiles(ref: str) -> Response:
    expressions = expressions_from_query(request.args.items(multi=True))
    return jsonify(account().list_profiles(ref, list_params(LIST_PARAMS), expressions))


@copernica.get("/database/<ref>/profileids")
def database_profile_ids(ref: str) -> Response:
    return jsonify(account().profile_ids(ref, list_params(PAGING_PARAMS)))


@copernica.post("/database/<ref>/profiles")
def create_profile(ref: str) -> Response:
    """POST creates a profile, always: this URL is the one where PUT and POST differ."""
    return created("profile", account().create_profile(ref, read_body(request)))


@copernica.put("/database/<ref>/profiles")
def update_profiles(ref: str) -> Response:
    """The documented ``PUT database/$id/profiles``: update the selection, or create."""
    expressions = expressions_from_query(request.args.items(multi=True))
    if expressions is None:
        raise CopernicaError(errors.FIELDS_REQUIRED)  # refuse to update a whole database by accident
    params = list_params(UPDATE_PARAMS)
    body = read_body(request)
    model = account()
    model.database(ref)  # an unknown database is refused now, async or not
    if params["async_"]:
        check_profile_body(body)
        emulator = current_emulator()
        delay = setting("async_delay")
        emulator.work.submit(
            lambda: model.update_profiles(ref, expressions, body, params["create"]),
            due=emulator.clock.now() + timedelta(seconds=delay) if delay else None,
            label=f"copernica {model.name}: PUT database/{ref}/profiles (async)")
        requestnotes.current().add("async update queued: applied in the background, in order of arrival" + (
            f", due in {delay:g} s on the emulator's clock" if delay else ""))
        return no_content()
    matched, new_id = model.update_profiles(ref, expressions, body, params["create"])
    if new_id is not None:
        requestnotes.current().add("selection matched nothing: profile created")
        return created("profile", new_id)
    if matched == 0:
        requestnotes.current().add("selection matched nothing: nothing changed" + ("" if params["create"] else " (create=0)"))
    return no_content()


# -- one profile ---------------------------------------------------------------------------------
@copernica.get("/profile/<profile_id>")
def profile(profile_id: str) -> Response:
    model = account()
    return jsonify(model.render(model.profile(profile_id)))


@copernica.route("/profile/<profile_id>", methods=["PUT", "POST"])
def update_profile(profile_id: str) -> Response:
    account().update_profile(profile_id, read_body(request))
    return no_content()


@copernica.delete("/profile/<profile_id>")
def delete_profile(profile_id: str) -> Response:
    body = read_body(request)
    completely = request.args.get("completely") or (body.get("completely") if isinstance(body, dict) else None)
    account().delete_profile(profile_id, completely=php_bool(completely or False))
    response = no_content()
    response.headers["X-deleted"] = f"profile {profile_id}"
    return response


@copernica.get("/profile/<profile_id>/fields")
def profile_fields(profile_id: str) -> Response:
    model = account()
    return jsonify(model.render(model.profile(profile_id))["fields"])


@copernica.route("/profile/<profile_id>/fields", methods=["PUT", "POST"])
def update_profile_fields(profile_id: str) -> Response:
    account().update_profile_fields(profile_id, read_body(request))
    return no_content()


@copernica.get("/profile/<profile_id>/interests")
def profile_interests(profile_id: str) -> Response:
    return jsonify(account().profile_interests(profile_id))


@copernica.put("/profile/<profile_id>/interests")
def replace_profile_interests(profile_id: str) -> Response:
    account().set_profile_interests(profile_id, read_body(request), replace=True)
    return no_content()


@copernica.post("/profile/<profile_id>/interests")
def add_profile_interests(profile_id: str) -> Response:
    account().set_profile_interests(profile_id, read_body(request), replace=False)
    return no_content()
