"""Copernica's databases and profiles: URL rules, reading the request, choosing the answer.

Everything Copernica decides lives in ``model``; this module only translates, and ``web`` picks
each version's status (vendor-apis.md §4.2, §4.11). Collections and subprofiles: ``subprofile_routes``.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Response, jsonify, request

from ... import requestnotes
from ...state import current_emulator
from . import errors
from .errors import CopernicaError
from .model import check_profile_body, list_wrapper
from .requestdata import read_body
from .schemas import ListParams, PagingParams, UpdateParams
from .selection import expressions_from_query
from .subprofiles import Collections
from .web import (
    account, completely_requested, created, deleted, list_params, posted, put_done, route, setting,
)

LIST_PARAMS, PAGING_PARAMS, UPDATE_PARAMS = ListParams(), PagingParams(), UpdateParams()


# -- identity and databases ------------------------------------------------------------------
@route("/identity", ["GET"])
def identity() -> Response:
    return jsonify(account().identity())


def render_database(database: dict) -> dict:
    model = Collections(account())
    collections = [model.render_collection(c) for c in model.of_database(database["ID"])]
    return {
        "ID": database["ID"], "name": database["name"], "description": database["description"],
        "archived": False,
        "fields": list_wrapper(database["fields"], 0, len(database["fields"]), len(database["fields"])),
        "interests": list_wrapper(database["interests"], 0, len(database["interests"]),
                                  len(database["interests"])),
        "collections": list_wrapper(collections, 0, len(collections), len(collections)),
    }


@route("/databases", ["GET"])
def databases() -> Response:
    params = list_params(PAGING_PARAMS)
    items = [render_database(d) for d in account().databases()]
    start, limit = params["start"], params["limit"]
    page = items[start:start + limit] if start >= 0 and limit >= 0 else []
    return jsonify(list_wrapper(page, start, limit, len(items) if params["total"] else None))


@route("/databases", ["POST", "PUT"])
def create_database() -> Response:
    body = read_body(request)
    return created("database", account().create_database(body if isinstance(body, dict) else {}))


@route("/database/<ref>", ["GET"])
def database(ref: str) -> Response:
    return jsonify(render_database(account().database(ref)))


@route("/database/<ref>", ["POST"])
def post_database(ref: str) -> Response:
    """An undocumented POST to a database: the live API answers 2xx without ``X-Created``
    (rmuit's ``testInconsequentialPost``)."""
    account().database(ref)
    return posted()


@route("/database/<ref>/<any(fields, interests):kind>", ["GET"])
def database_definitions(ref: str, kind: str) -> Response:
    """A database's field or interest definitions, in Copernica's list wrapper."""
    items = account().database(ref)[kind]
    return jsonify(list_wrapper(items, 0, len(items), len(items)))


@route("/database/<ref>/fields", ["POST", "PUT"])
def create_database_field(ref: str) -> Response:
    body = read_body(request)
    return created("field", account().create_field(ref, body if isinstance(body, dict) else {}))


@route("/database/<ref>/interests", ["POST", "PUT"])
def create_database_interest(ref: str) -> Response:
    body = read_body(request)
    return created("interest", account().create_interest(ref, body if isinstance(body, dict) else {}))


# -- profiles of a database ------------------------------------------------------------------
@route("/database/<ref>/profiles", ["GET"])
@route("/database/<ref>/profiles/<path:_ignored>", ["GET"])
def database_profiles(ref: str, _ignored: str = "") -> Response:
    """Path components after ``profiles`` are ignored, as on the live API (§4.6)."""
    expressions = expressions_from_query(request.args.items(multi=True))
    return jsonify(account().list_profiles(ref, list_params(LIST_PARAMS), expressions))


@route("/database/<ref>/profileids", ["GET"])
def database_profile_ids(ref: str) -> Response:
    return jsonify(account().profile_ids(ref, list_params(PAGING_PARAMS)))


@route("/database/<ref>/profiles", ["POST"])
@route("/database/<ref>/profiles/<path:_ignored>", ["POST"])
def create_profile(ref: str, _ignored: str = "") -> Response:
    """POST creates a profile, always: this URL is the one where PUT and POST differ."""
    return created("profile", account().create_profile(ref, read_body(request)))


@route("/database/<ref>/profiles", ["PUT"])
@route("/database/<ref>/profiles/<path:_ignored>", ["PUT"])
def update_profiles(ref: str, _ignored: str = "") -> Response:
    """The documented ``PUT database/$id/profiles``: update the selection, or create."""
    model = account()
    model.database(ref)  # checked first, then the body, then the selection (rmuit ApiBehaviorTest)
    body = read_body(request)
    check_profile_body(body)
    expressions = expressions_from_query(request.args.items(multi=True))
    if expressions is None:
        raise CopernicaError(errors.FIELDS_REQUIRED)  # refuse to update a whole database by accident
    params = list_params(UPDATE_PARAMS)
    if params["async_"]:
        emulator = current_emulator()
        delay = setting("async_delay")
        emulator.work.submit(
            lambda: model.update_profiles(ref, expressions, body, params["create"]),
            due=emulator.clock.now() + timedelta(seconds=delay) if delay else None,
            label=f"copernica {model.name}: PUT database/{ref}/profiles (async)")
        requestnotes.current().add("async update queued: applied in the background, in order of arrival" + (
            f", due in {delay:g} s on the emulator's clock" if delay else ""))
        return put_done()
    matched, new_id = model.update_profiles(ref, expressions, body, params["create"])
    if new_id is not None:
        requestnotes.current().add("selection matched nothing: profile created")
        return put_done(("profile", new_id))
    if matched == 0:
        requestnotes.current().add("selection matched nothing: nothing changed" + ("" if params["create"] else " (create=0)"))
    return put_done()


# -- one profile ---------------------------------------------------------------------------------
@route("/profile/<profile_id>", ["GET"])
def profile(profile_id: str) -> Response:
    model = account()
    return jsonify(model.render(model.profile(profile_id)))


@route("/profile/<profile_id>", ["PUT", "POST"])
def update_profile(profile_id: str) -> Response:
    account().update_profile(profile_id, read_body(request))
    return put_done() if request.method == "PUT" else posted()


@route("/profile/<profile_id>", ["DELETE"])
def delete_profile(profile_id: str) -> Response:
    account().delete_profile(profile_id, completely=completely_requested())
    return deleted("profile", profile_id)


@route("/profile/<profile_id>/fields", ["GET"])
@route("/profile/<profile_id>/fields/<path:_ignored>", ["GET"])
def profile_fields(profile_id: str, _ignored: str = "") -> Response:
    """Components after ``/fields`` are ignored (rmuit: ``profile/<id>/fields/bogus/path``)."""
    model = account()
    return jsonify(model.render(model.profile(profile_id))["fields"])


@route("/profile/<profile_id>/fields", ["PUT", "POST"])
def update_profile_fields(profile_id: str) -> Response:
    account().update_profile_fields(profile_id, read_body(request))
    return put_done() if request.method == "PUT" else posted()


@route("/profile/<profile_id>/interests", ["GET"])
def profile_interests(profile_id: str) -> Response:
    return jsonify(account().profile_interests(profile_id))


@route("/profile/<profile_id>/interests", ["PUT"])
def replace_profile_interests(profile_id: str) -> Response:
    account().set_profile_interests(profile_id, read_body(request), replace=True)
    return put_done()


@route("/profile/<profile_id>/interests", ["POST"])
def add_profile_interests(profile_id: str) -> Response:
    account().set_profile_interests(profile_id, read_body(request), replace=False)
    return posted()
