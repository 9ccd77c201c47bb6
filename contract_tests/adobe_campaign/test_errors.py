"""Every error of §1.11, verbatim, plus the emulator's documented answers where Adobe is
silent (over-length values, wrong JSON types, malformed JSON, empty bodies). A refused
request changes nothing."""
from __future__ import annotations

import pytest

from .acs import AMY, H, JSON, KEY, ORG, PROFILES, RST, TOKEN, backend_error, create, get

BAD_TOKEN = {"error_code": "401013", "message": "Oauth token is not valid"}
BAD_KEY = {"error_code": "403003", "message": "Api Key is invalid"}
NO_TOKEN = {"error_code": "403010", "message": "Oauth token is missing."}
NO_KEY = {"error_code": "403000", "message": "Api Key is required"}


@pytest.mark.parametrize("headers, status, body", [
    ({"Authorization": "Bearer expired-token", "X-Api-Key": KEY}, 401, BAD_TOKEN),
    ({"Authorization": f"Basic {TOKEN}", "X-Api-Key": KEY}, 401, BAD_TOKEN),
    ({"Authorization": f"Bearer {TOKEN}", "X-Api-Key": "bad_api_key"}, 403, BAD_KEY),
    ({"X-Api-Key": KEY}, 403, NO_TOKEN),
    ({"Authorization": f"Bearer {TOKEN}"}, 403, NO_KEY),
    ({}, 403, NO_KEY),
])
def test_gateway_errors(api, headers, status, body):
    for method, path in (("GET", PROFILES), ("GET", f"{PROFILES}/{AMY}"), ("PATCH", f"{PROFILES}/{AMY}"),
                         ("POST", PROFILES), ("DELETE", f"{PROFILES}/{AMY}"),
                         ("GET", f"/{ORG}/campaign/profileAndServices/nothingHere")):
        reply = api.request(method, path, json={"phone": "1"} if method in ("PATCH", "POST") else None,
                            headers=headers)
        assert reply.status_code == status, (method, path)
        assert reply.header("Content-Type") == JSON
        assert reply.json() == body
    assert get(api, AMY)["phone"] == ""


def test_wrong_organization(api):
    reply = api.get("/no-such-org/campaign/profileAndServices/profile", headers=H)
    assert reply.status_code == 500
    assert reply.json() == {"code": 500, "message": "Oops. Something went wrong. Check your URI and try again."}
    bad = api.get("/no-such-org/campaign/profileAndServices/profile",
                  headers={**H, "Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json() == BAD_TOKEN


def test_unknown_property(api):
    reply = api.patch(f"{PROFILES}/{AMY}", json={"phone": "3301020304", "zipCode": "75001"}, headers=H)
    assert reply.status_code == 500
    assert reply.header("Content-Type") == JSON
    assert reply.json() == backend_error(500, "'zipCode' property is not valid for the 'profile' resource.")
    assert get(api, AMY)["phone"] == ""  # nothing half-applied


def test_read_only_property(api):
    before = get(api, AMY)
    for name, value in (("age", 3), ("created", "2020-01-01 00:00:00.000Z"), ("title", "x"),
                        ("domain", "x.com"), ("cryptedId", "x"), ("href", "x"), ("lastModified", ""),
                        ("subscriptions", {}), ("postalAddress", {}), ("blackListEmailLastModified", "")):
        reply = api.patch(f"{PROFILES}/{AMY}", json={"firstName": "Changed", name: value}, headers=H)
        assert reply.status_code == 500, name
        assert reply.json() == backend_error(500, f"Cannot update the '{name}' property that is read-only")
    assert get(api, AMY) == before


def test_pkey_in_the_body(api):
    other = create(api, {"email": "other@example.com"})["PKey"]
    reply = api.patch(f"{PROFILES}/{AMY}", json={"PKey": other, "phone": "1"}, headers=H)
    assert reply.status_code == 500
    assert reply.json() == backend_error(500, f"{RST} RST-360012 Inconsistent operation on resource 'profile' "
                                              f"– Cannot update key '{AMY}' to '{other}'.")
    assert get(api, AMY)["phone"] == ""
    bad = api.patch(f"{PROFILES}/{AMY}", json={"PKey": "@O5iRp40EGA", "phone": "1"}, headers=H)
    assert bad.status_code == 500
    assert bad.json() == backend_error(500, "'O5iRp40EGA' attribute unknown (see definition of 'Profiles "
                                            "(nms:recipient)' schema). XTK-170036 Unable to parse expression "
                                            "'@id = @O5iRp40EGA'.")
    assert get(api, AMY)["phone"] == ""
    same = api.patch(f"{PROFILES}/{AMY}", json={"PKey": AMY, "phone": "1"}, headers=H)
    assert same.status_code == 200
    assert get(api, AMY)["phone"] == "1"


def test_invalid_enumeration_value(api):
    reply = api.patch(f"{PROFILES}/{AMY}", json={"phone": "1", "gender": "invalid"}, headers=H)
    assert reply.status_code == 500
    assert reply.json() == backend_error(
        500, f"{RST} The value 'invalid' is not valid for the 'nms:recipient:gender' enumeration of the "
             "'@gender' field")
    assert get(api, AMY)["phone"] == ""
    for field, value in (("emailFormat", "pdf"), ("preferredLanguage", "klingon"), ("timeZone", "Europe/Paris")):
        bad = api.patch(f"{PROFILES}/{AMY}", json={field: value}, headers=H)
        assert bad.status_code == 500
        assert bad.json()["message"] == (f"{RST} The value '{value}' is not valid for the "
                                         f"'nms:recipient:{field}' enumeration of the '@{field}' field")


def test_unknown_pkey_of_a_valid_form_is_404(api):
    pkey = create(api, {"email": "x@example.com"})["PKey"]
    assert api.delete(f"{PROFILES}/{pkey}", headers=H).status_code == 200
    reply = api.get(f"{PROFILES}/{pkey}", headers=H)
    assert reply.status_code == 404
    assert reply.json() == backend_error(
        404, f"{RST} Unable to find document with path 'Profile' from key '{pkey}' "
             f"(document with schema 'profile' and name '{pkey}')")


def test_malformed_pkey_is_500(api):
    message = ("'O5iRp40EGA' attribute unknown (see definition of 'Profiles (nms:recipient)' schema). "
               "XTK-170036 Unable to parse expression '@id = @O5iRp40EGA'.")
    for method in ("GET", "PATCH", "DELETE"):
        reply = api.request(method, f"{PROFILES}/@O5iRp40EGA", json={"phone": "1"} if method == "PATCH" else None,
                            headers=H)
        assert reply.status_code == 500, method
        assert reply.json() == backend_error(500, message)
    tampered = AMY[:-3] + "xyz"
    assert api.get(f"{PROFILES}/{tampered}", headers=H).status_code == 500


def test_unknown_route(api):
    expected = backend_error(404, f"{RST} Error rc=-2003")
    for method, path in (("GET", f"/{ORG}/campaign/profileAndServices/cusNothing"),
                         ("GET", f"/{ORG}/campaign/nothing/profile"),
                         ("GET", f"{PROFILES}/byNothing?x=1"),
                         ("PUT", f"{PROFILES}/{AMY}"),
                         ("PATCH", PROFILES),
                         ("DELETE", f"{PROFILES}/byEmail"),
                         ("POST", f"{PROFILES}/{AMY}"),
                         ("GET", f"/{ORG}/campaign")):
        reply = api.request(method, path, json={} if method in ("PUT", "PATCH", "POST") else None, headers=H)
        assert reply.status_code == 404, (method, path)
        assert reply.json() == expected


def test_over_length_value(api):
    reply = api.patch(f"{PROFILES}/{AMY}", json={"phone": "1", "firstName": "A" * 31}, headers=H)
    assert reply.status_code == 500
    assert reply.json() == backend_error(500, f"{RST} The value of the 'firstName' property is 31 characters "
                                              "long; its definition allows at most 30.")
    assert get(api, AMY)["phone"] == ""
    assert api.patch(f"{PROFILES}/{AMY}", json={"firstName": "A" * 30}, headers=H).status_code == 200
    assert get(api, AMY)["firstName"] == "A" * 30
    long_city = api.patch(f"{PROFILES}/{AMY}", json={"location": {"city": "C" * 51}}, headers=H)
    assert long_city.status_code == 500
    assert long_city.json()["message"] == (f"{RST} The value of the 'city' property is 51 characters long; "
                                           "its definition allows at most 50.")


@pytest.mark.parametrize("body, message", [
    ({"phone": 3301020304}, "The value 3301020304 of the 'phone' property is not a string."),
    ({"blackList": "true"}, "The value \"true\" of the 'blackList' property is not a boolean (true or false)."),
    ({"birthDate": "24/10/1980"},
     "The value \"24/10/1980\" of the 'birthDate' property is not a date ('YYYY-MM-DD', or \"\")."),
    ({"birthDate": "1980-02-30"},
     "The value \"1980-02-30\" of the 'birthDate' property is not a date ('YYYY-MM-DD', or \"\")."),
    ({"location": "Paris"}, "The value \"Paris\" of the 'location' property is not an object."),
    ({"gender": 1}, "The value '1' is not valid for the 'nms:recipient:gender' enumeration of the '@gender' field"),
])
def test_wrong_json_types(api, body, message):
    before = get(api, AMY)
    reply = api.patch(f"{PROFILES}/{AMY}", json={"phone": "1", **body}, headers=H)
    assert reply.status_code == 500
    assert reply.json() == backend_error(500, f"{RST} {message}")
    assert get(api, AMY) == before


def test_unknown_location_property(api):
    reply = api.patch(f"{PROFILES}/{AMY}", json={"location": {"town": "Paris"}}, headers=H)
    assert reply.status_code == 500
    assert reply.json() == backend_error(500, "'town' property is not valid for the 'location' resource.")


def test_first_bad_property_in_body_order_is_reported(api):
    reply = api.patch(f"{PROFILES}/{AMY}", data='{"gender":"x","age":1,"zipCode":"1"}', headers=H)
    assert reply.json()["message"].endswith("'nms:recipient:gender' enumeration of the '@gender' field")
    reply = api.patch(f"{PROFILES}/{AMY}", data='{"zipCode":"1","gender":"x","age":1}', headers=H)
    assert reply.json()["message"] == "'zipCode' property is not valid for the 'profile' resource."


@pytest.mark.parametrize("raw, message", [
    (b'{"phone":"1"', "The request body is not valid JSON: Expecting ',' delimiter: line 1 column 13 (char 12)."),
    (b"phone=1", "The request body is not valid JSON: Expecting value: line 1 column 1 (char 0)."),
    (b'["phone"]', "The request body must be a JSON object of profile properties."),
    (b'"phone"', "The request body must be a JSON object of profile properties."),
    (b'{"phone": NaN}', "The request body is not valid JSON: NaN is not JSON."),
    (b'\xff\xfe{}', "The request body is not valid JSON: 'utf-8' codec can't decode byte 0xff in position 0: "
                    "invalid start byte."),
])
def test_malformed_bodies(api, raw, message):
    for method, path in (("PATCH", f"{PROFILES}/{AMY}"), ("POST", PROFILES)):
        reply = api.request(method, path, data=raw, headers=H)
        assert reply.status_code == 500, method
        assert reply.json() == backend_error(500, f"{RST} {message}")
    assert api.get(f"{PROFILES}/_count", headers=H).json() == {"count": 30}


def test_empty_patch_changes_nothing(clock):
    api = clock
    before = get(api, AMY)
    assert api.post("/_emulator/clock", json={"advance": 5}).status_code == 200
    for raw in (b"", b"{}", b"  "):
        reply = api.patch(f"{PROFILES}/{AMY}", data=raw, headers=H)
        assert reply.status_code == 200
        assert set(reply.json()) == {"PKey", "href"}
    assert get(api, AMY) == before


def test_null_clears_a_value(api):
    assert api.patch(f"{PROFILES}/{AMY}", json={"phone": "1", "gender": "female"}, headers=H).status_code == 200
    assert api.patch(f"{PROFILES}/{AMY}", json={"phone": None, "gender": None, "birthDate": None},
                     headers=H).status_code == 200
    amy = get(api, AMY)
    assert (amy["phone"], amy["gender"], amy["birthDate"], amy["age"]) == ("", "unknown", "", 0)


def test_location_is_patched_property_by_property(api):
    assert api.patch(f"{PROFILES}/{AMY}", json={"location": {"city": "Paris", "zipCode": "75002"}},
                     headers=H).status_code == 200
    assert api.patch(f"{PROFILES}/{AMY}", json={"location": {"address1": "1 rue de la Paix"}},
                     headers=H).status_code == 200
    location = get(api, AMY)["location"]
    assert (location["city"], location["zipCode"], location["address1"]) == ("Paris", "75002", "1 rue de la Paix")


def test_blacklist_flags_stamp_their_last_modified(clock):
    api = clock
    api.post("/_emulator/clock", json={"freeze": "2026-03-04T05:06:07.089Z"})
    assert api.patch(f"{PROFILES}/{AMY}", json={"blackListEmail": True, "ccpaOptOut": True},
                     headers=H).status_code == 200
    amy = get(api, AMY)
    stamp = "2026-03-04 05:06:07.089Z"
    assert amy["blackListEmailLastModified"] == amy["ccpaOptOutLastModified"] == stamp
    assert amy["blackListAllLastModified"] == amy["lastModified"] == stamp
    assert amy["blackListPhoneLastModified"] == ""
