"""Copernica's collections and subprofiles (vendor-apis.md §4.10): URL rules and answers.

The behaviour lives in ``subprofiles``; ``web`` picks each version's status. Where the live API
ignores path components after a resource (``collection/<id>/subprofiles/<anything>``,
``profile/<id>/subprofiles/<collection>/<anything>``, ``subprofile/<id>/fields/<anything>``) a
second rule with a trailing ``<path:_ignored>`` takes them.
"""
from __future__ import annotations

from flask import Response, jsonify, request

from ... import requestnotes

from . import errors
from .errors import CopernicaError
from .requestdata import read_body
from .schemas import ListParams, PagingParams, UpdateParams
from .selection import expressions_from_query
from .subprofiles import Collections
from .web import (
    account, completely_requested, created, deleted, list_params, posted, put_done, route, version,
)

LIST_PARAMS, PAGING_PARAMS, UPDATE_PARAMS = ListParams(), PagingParams(), UpdateParams()


# -- collections ---------------------------------------------------------------------------------
def collections() -> Collections:
    return Collections(account())


@route("/database/<ref>/collections", ["GET"])
def database_collections(ref: str) -> Response:
    return jsonify(collections().list_collections(ref, list_params(PAGING_PARAMS)))


@route("/database/<ref>/collections", ["POST", "PUT"])
def create_collection(ref: str) -> Response:
    return created("collection", collections().create_collection(ref, read_body(request)))


@route("/collection/<ref>", ["GET"])
def collection(ref: str) -> Response:
    model = collections()
    return jsonify(model.render_collection(model.collection(ref)))


@route("/collection/<ref>", ["PUT", "POST"])
def update_collection(ref: str) -> Response:
    collections().update_collection(ref, read_body(request))
    return put_done() if request.method == "PUT" else posted()


@route("/collection/<ref>/fields", ["GET"])
def collection_fields(ref: str) -> Response:
    return jsonify(collections().list_fields(ref, list_params(PAGING_PARAMS)))


@route("/collection/<ref>/fields", ["POST", "PUT"])
def create_collection_field(ref: str) -> Response:
    return created("field", collections().create_field(ref, read_body(request)))


@route("/collection/<ref>/field/<field_ref>", ["PUT", "POST"])
def update_collection_field(ref: str, field_ref: str) -> Response:
    collections().update_field(ref, field_ref, read_body(request))
    return put_done() if request.method == "PUT" else posted()


@route("/collection/<ref>/field/<field_ref>", ["DELETE"])
def delete_collection_field(ref: str, field_ref: str) -> Response:
    collections().delete_field(ref, field_ref)
    return deleted("field", field_ref)


# -- subprofiles ---------------------------------------------------------------------------------
@route("/collection/<ref>/subprofiles", ["GET"])
@route("/collection/<ref>/subprofiles/<path:_ignored>", ["GET"])
def collection_subprofiles(ref: str, _ignored: str = "") -> Response:
    """Path components after ``subprofiles`` are ignored, as on the live API (§4.10)."""
    expressions = expressions_from_query(request.args.items(multi=True))
    return jsonify(collections().list_subprofiles(ref, list_params(LIST_PARAMS), expressions))


@route("/collection/<ref>/subprofileids", ["GET"])
def collection_subprofile_ids(ref: str) -> Response:
    """"This method doesn't support any parameters": every subprofile ID, no paging."""
    return jsonify(collections().subprofile_ids(ref))


@route("/collection/<ref>/subprofiles", ["PUT"], versions=("v3",))
def update_collection_subprofiles(ref: str) -> Response:
    """v3 only (the page was added in 2022; v2 answered ``Invalid method``): update the matches,
    never create."""
    expressions = expressions_from_query(request.args.items(multi=True))
    if expressions is None:
        raise CopernicaError(errors.FIELDS_REQUIRED)
    matched = collections().update_collection_subprofiles(ref, expressions, read_body(request))
    if matched == 0:
        requestnotes.current().add("selection matched nothing: nothing changed")
    return put_done()


@route("/profile/<profile_id>/subprofiles/<collection_ref>", ["GET"])
@route("/profile/<profile_id>/subprofiles/<collection_ref>/<path:_ignored>", ["GET"])
def profile_subprofiles(profile_id: str, collection_ref: str, _ignored: str = "") -> Response:
    return jsonify(collections().profile_subprofiles(profile_id, collection_ref, list_params(LIST_PARAMS)))


@route("/profile/<profile_id>/subprofiles/<collection_ref>", ["POST"])
@route("/profile/<profile_id>/subprofiles/<collection_ref>/<path:_ignored>", ["POST"])
def create_subprofile(profile_id: str, collection_ref: str, _ignored: str = "") -> Response:
    return created("subprofile", collections().create_subprofile(profile_id, collection_ref, read_body(request)))


@route("/profile/<profile_id>/subprofiles/<collection_ref>", ["PUT"])
@route("/profile/<profile_id>/subprofiles/<collection_ref>/<path:_ignored>", ["PUT"])
def update_profile_subprofiles(profile_id: str, collection_ref: str, _ignored: str = "") -> Response:
    """Update the profile's subprofiles the selection matches, or (``create=1``) create one.

    Unlike ``database/<id>/profiles``, a ``fields`` parameter that is not an array is refused
    here (rmuit's TestApi notes; the message is not recorded, so ours is the missing one's)."""
    expressions = expressions_from_query(request.args.items(multi=True))
    if not expressions:
        raise CopernicaError(errors.FIELDS_REQUIRED)
    params = list_params(UPDATE_PARAMS)
    model = collections()
    matched, new_id = model.update_profile_subprofiles(profile_id, collection_ref, expressions or [],
                                                      read_body(request), params["create"])
    if new_id is not None:
        requestnotes.current().add("selection matched nothing: subprofile created")
        if version() == 2:  # the live v2 gave no X-Created and no canonical Location here (§4.10)
            return put_done()
        return put_done(("subprofile", new_id))
    if matched == 0:
        requestnotes.current().add("selection matched nothing: nothing changed" + ("" if params["create"] else " (create=0)"))
    return put_done()


@route("/subprofile/<subprofile_id>", ["GET"])
def subprofile(subprofile_id: str) -> Response:
    model = collections()
    return jsonify(model.render(model.subprofile(subprofile_id)))


@route("/subprofile/<subprofile_id>", ["PUT", "POST"])
def update_subprofile(subprofile_id: str) -> Response:
    collections().update_subprofile(subprofile_id, read_body(request))
    return put_done() if request.method == "PUT" else posted()


@route("/subprofile/<subprofile_id>", ["DELETE"])
def delete_subprofile(subprofile_id: str) -> Response:
    collections().delete_subprofile(subprofile_id, completely=completely_requested())
    return deleted("subprofile", subprofile_id)


@route("/subprofile/<subprofile_id>/fields", ["GET"])
@route("/subprofile/<subprofile_id>/fields/<path:_ignored>", ["GET"])
def subprofile_fields(subprofile_id: str, _ignored: str = "") -> Response:
    model = collections()
    return jsonify(model.render(model.subprofile(subprofile_id))["fields"])


@route("/subprofile/<subprofile_id>/fields", ["PUT", "POST"])
def update_subprofile_fields(subprofile_id: str) -> Response:
    collections().update_subprofile_fields(subprofile_id, read_body(request))
    return put_done() if request.method == "PUT" else posted()
