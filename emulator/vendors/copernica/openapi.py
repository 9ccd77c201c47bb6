"""Copernica's routes for the OpenAPI document (``emulator/openapi.py``), by endpoint, with the
schemas from ``schemas.py``. Answers follow vendor-apis.md §4.2: 200 + JSON for GET, 201 +
``X-Created`` when something was created, 204 with no body otherwise, 400 for every error."""
from __future__ import annotations

from ...openapi import Answer, Operation
from . import schemas as s

JSON = "application/json"
EXAMPLES = {"ref": "1", "profile_id": "1", "collection_ref": "1", "subprofile_id": "1", "field_ref": "1"}
CREATED_HEADERS = {"X-Created": {"description": "the new entity's ID", "schema": {"type": "string"}},
                   "X-location": {"description": "the new entity's URL", "schema": {"type": "string"}}}


def created(what: str, links: dict | None = None) -> Answer:
    return Answer(f"{what} created (no body)", content_type=None, headers=CREATED_HEADERS, links=links or {})


#: the operations a new profile's ID (``X-Created``) feeds
PROFILE_LINKS = {name: {"operationId": op, "parameters": {"profile_id": "$response.header.X-Created"}}
                 for name, op in (("GetProfile", "copernica.profile.get"),
                                  ("UpdateProfile", "copernica.update_profile.put"),
                                  ("ProfileFields", "copernica.profile_fields.get"),
                                  ("DeleteProfile", "copernica.delete_profile.delete"))}


NO_CONTENT = Answer("done (no body)", content_type=None)
#: /v3's answers; /v2 answers a PUT with 303 + Location, a DELETE with 200 (docs/copernica.md)
PUT_DONE = {204: NO_CONTENT}
DELETED = {204: Answer("removed (no body)", content_type=None, headers={
    "X-deleted": {"description": "<type> <id>", "schema": {"type": "string"}}})}
FLAT = {JSON: {"type": "object", "additionalProperties": True}}
ERRORS: dict[int | str, Answer] = {400: Answer("every Copernica error, with its message", s.ErrorOut)}


def _op(summary: str, responses: dict, **kwargs) -> Operation:
    return Operation(summary, responses=responses, path_examples=EXAMPLES, **kwargs)


OPERATIONS: dict[str, Operation] = {
    "copernica.identity": _op("The account the token belongs to", {200: Answer("identity", s.IdentityOut)}),
    "copernica.databases": _op("The account's databases", {200: Answer("databases", s.DatabaseList)},
                               query=s.PagingParams),
    "copernica.create_database": _op("Create a database", {201: created("database")}, body={JSON: s.DatabaseBody}),
    "copernica.database": _op("A database by ID or name (names match case-insensitively)",
                              {200: Answer("database", s.DatabaseOut)}),
    "copernica.database_definitions[fields]": _op("A database's fields", {200: Answer("fields", s.FieldList)}),
    "copernica.create_database_field": _op("Create a field", {201: created("field")}, body={JSON: s.FieldBody}),
    "copernica.database_definitions[interests]": _op("A database's interests", {200: Answer("interests", s.InterestList)}),
    "copernica.create_database_interest": _op("Create an interest", {201: created("interest")},
                                              body={JSON: s.InterestBody}),
    "copernica.database_profiles": _op("A database's profiles: selection, paging, ordering",
                                       {200: Answer("profiles", s.ProfileList)}, query=s.ProfilesQuery),
    "copernica.database_profile_ids": _op("IDs of a database's profiles",
                                          {200: Answer("IDs", {"type": "array", "items": {"type": "integer"}})},
                                          query=s.PagingParams),
    "copernica.create_profile": _op("Create a profile", {201: created("profile", PROFILE_LINKS)},
                                    body={JSON: s.ProfileBody}),
    "copernica.update_profiles": _op(
        "Update the profiles the selection matches, or create one (create=1)",
        {201: created("profile"), **PUT_DONE}, query=s.UpdateQuery, body={JSON: s.ProfileBody},
        description="With async=1 the update is applied in the background and the answer is 204."),
    "copernica.profile": _op("A profile (a removed one too: its fields empty, removed set)",
                             {200: Answer("profile", s.ProfileOut)}),
    "copernica.update_profile": _op("Update a profile's fields, interests, secret", PUT_DONE,
                                    body={JSON: s.ProfileBody}),
    "copernica.delete_profile": _op("Remove a profile", {204: Answer("removed (no body)", content_type=None, headers={
        "X-deleted": {"description": "profile <id>", "schema": {"type": "string"}}})},
        query=s.DeleteQuery, body={JSON: s.DeleteBody}),
    "copernica.profile_fields": _op("A profile's field values", {200: Answer("fields", {
        "type": "object", "additionalProperties": {"type": "string"}})}),
    "copernica.update_profile_fields": _op("Update a profile's fields (flat body)", PUT_DONE,
                                           body={JSON: {"type": "object", "additionalProperties": True}}),
    "copernica.profile_interests": _op("A profile's interests", {200: Answer("interests", {
        "type": "array", "items": {"$ref": "#/components/schemas/CopernicaInterestOut"}})}),
    "copernica.replace_profile_interests": _op("Replace a profile's interests", PUT_DONE,
                                               body={JSON: {}}),
    "copernica.add_profile_interests": _op("Add (or with 0, remove) interests", {204: NO_CONTENT},
                                           body={JSON: {}}),
    "copernica.post_database": _op("Does nothing (the live API answers 2xx, no X-Created)", {204: NO_CONTENT}),
    "copernica.database_collections": _op("A database's collections", {200: Answer("collections", s.CollectionList)},
                                          query=s.PagingParams),
    "copernica.create_collection": _op("Create a collection", {201: created("collection")}, body={JSON: s.CollectionBody}),
    "copernica.collection": _op("A collection by ID or name", {200: Answer("collection", s.CollectionOut)}),
    "copernica.update_collection": _op("Rename a collection", PUT_DONE, body={JSON: s.CollectionBody}),
    "copernica.collection_fields": _op("A collection's fields", {200: Answer("fields", s.FieldList)},
                                       query=s.PagingParams),
    "copernica.create_collection_field": _op("Create a collection field", {201: created("field")},
                                             body={JSON: s.FieldBody}),
    "copernica.update_collection_field": _op("Change a collection field", PUT_DONE, body={JSON: s.FieldBody}),
    "copernica.delete_collection_field": _op("Delete a collection field", DELETED),
    "copernica.collection_subprofiles": _op("A collection's subprofiles: selection, paging, ordering",
                                            {200: Answer("subprofiles", s.SubprofileList)}, query=s.ProfilesQuery),
    "copernica.collection_subprofile_ids": _op("IDs of a collection's subprofiles", {200: Answer("IDs", {
        "type": "array", "items": {"type": "integer"}})}),
    "copernica.update_collection_subprofiles": _op(
        "Update the subprofiles the selection matches (v3 only; never creates)", PUT_DONE,
        query=s.UpdateQuery, body=FLAT),
    "copernica.profile_subprofiles": _op("A profile's subprofiles in a collection",
                                         {200: Answer("subprofiles", s.SubprofileList)}),
    "copernica.create_subprofile": _op("Create a subprofile (the body is its fields)", {201: created("subprofile")},
                                       body=FLAT),
    "copernica.update_profile_subprofiles": _op(
        "Update the profile's subprofiles the selection matches, or create one (create=1)",
        {201: created("subprofile"), **PUT_DONE}, query=s.UpdateQuery, body=FLAT),
    "copernica.subprofile": _op("A subprofile (a removed one too: its fields empty, removed set)",
                                {200: Answer("subprofile", s.SubprofileOut)}),
    "copernica.update_subprofile": _op("Update a subprofile's fields and secret", PUT_DONE, body={JSON: {
        "type": "object", "properties": {"fields": {"type": "object"}, "secret": {"type": "string"}}}}),
    "copernica.delete_subprofile": _op("Remove a subprofile", DELETED, query=s.DeleteQuery),
    "copernica.subprofile_fields": _op("A subprofile's field values", {200: Answer("fields", {
        "type": "object", "additionalProperties": {"type": "string"}})}),
    "copernica.update_subprofile_fields": _op("Update a subprofile's fields (flat body)", PUT_DONE, body=FLAT),
}
