"""GET /_emulator/openapi.json: a valid OpenAPI 3 document of every route the app serves."""
from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from emulator import create_app
from emulator.settings import Settings
from emulator.vendors import VENDORS


@pytest.fixture(scope="module")
def app():
    app = create_app(Settings())
    yield app
    app.extensions["emulator"].close()


@pytest.fixture(scope="module")
def document(app):
    response = app.test_client().get("/_emulator/openapi.json", base_url="http://127.0.0.1:9999")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3(document):
    validate(document)
    assert document["openapi"] == "3.0.3"
    assert document["servers"] == [{"url": "http://127.0.0.1:9999", "description": "this emulator"}]


def test_every_route_and_method_of_the_app_is_described(app, document):
    described = {(path, method.upper()) for path, item in document["paths"].items()
                 for method in item if method != "servers"}
    documented_endpoints = {op["operationId"].split(".", 2)[1].split("[")[0]
                            for item in document["paths"].values() for m, op in item.items() if m != "servers"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        owner = next((v for v in VENDORS if rule.endpoint.startswith(v.blueprint().name + ".")), None)
        if owner is not None and not owner.openapi_documents(rule.rule):
            # a twin (Copernica's /v2, a rule for ignored extra components): its view is documented
            assert rule.endpoint.split(".", 1)[1] in documented_endpoints, rule.rule
            continue
        words = re.findall(r"<any\(([^)]*)\):\w+>", rule.rule)
        paths = [re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)]
        if words:  # an any(...) part is a fixed word: one path per word
            paths = [re.sub(r"<any\([^)]*\):\w+>", w.strip(), rule.rule) for w in words[0].split(",")]
            paths = [re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", p) for p in paths]
        for path in paths:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in described, f"{method} {path} ({rule.endpoint}) is missing"
    operation_ids = [op["operationId"] for item in document["paths"].values()
                     for method, op in item.items() if method != "servers"]
    assert len(operation_ids) == len(set(operation_ids)) == len(described)


def test_vendor_paths_carry_our_server_and_the_real_vendors(document):
    servers = document["paths"]["/v3/profile/{profile_id}"]["servers"]
    assert servers == [{"url": "http://127.0.0.1:9999", "description": "this emulator"},
                       {"url": "https://api.copernica.com", "description": "Copernica (the real API)"}]
    assert "servers" not in document["paths"]["/_emulator/health"]


def test_operations_carry_the_marshmallow_schemas(document):
    schemas = document["components"]["schemas"]
    get_profile = document["paths"]["/v3/profile/{profile_id}"]["get"]
    assert get_profile["responses"]["200"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/CopernicaProfileOut"}
    assert get_profile["responses"]["400"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/CopernicaErrorOut"}
    assert get_profile["security"] == [{"copernicaToken": []}, {"copernicaBearer": []}]
    assert set(schemas["CopernicaProfileOut"]["properties"]) == {
        "ID", "fields", "interests", "database", "secret", "created", "modified", "removed"}
    put = document["paths"]["/v3/database/{ref}/profiles"]["put"]
    assert {p["name"]: p["required"] for p in put["parameters"]} == {
        "ref": True, "create": False, "async": False, "fields[]": True}
    assert set(put["responses"]) == {"201", "204", "400"}
    assert set(put["responses"]["201"]["headers"]) == {"X-Created", "X-location"}
    seed = document["paths"]["/_emulator/seed"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert seed == {"$ref": "#/components/schemas/FixturesDocument"}
    # a vendor's section may be null (nothing for that vendor), and no other key is taken
    assert schemas["FixturesDocument"]["properties"]["copernica"] == {
        "anyOf": [{"nullable": True, "type": "object"}, {"$ref": "#/components/schemas/CopernicaFixtures"}]}
    assert schemas["FixturesDocument"]["additionalProperties"] is False
    assert schemas["CopernicaFixtures"]["additionalProperties"] is False
    profiles = document["paths"]["/_emulator/profiles"]["get"]
    assert {p["name"] for p in profiles["parameters"]} == {"vendor", "tenant", "q", "offset", "limit"}
    assert document["paths"]["/v3/database/{ref}/fields"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"] == {"$ref": "#/components/schemas/CopernicaFieldList"}
