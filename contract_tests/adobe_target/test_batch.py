"""Bulk Profile Update API v1/v2 and batchStatus (vendor-apis.md §2.2)."""
from __future__ import annotations

import re

import pytest

from .documented import (AUTH_CLIENT, AUTH_TOKEN, FROZEN_STAMP, SAMPLE_ATTRIBUTES, SAMPLE_TNT_ID, XML, batch_error,
                         local, not_found_mbox_pc, status_error)

# the docs' example file, as sent with curl -X POST --data-binary @BATCH.TXT
DOCS_BATCH = (b"batch=pcId,param1,param2,param3,param4\n"
              b"123,value1\n"
              b"124,value1,,,value4\n"
              b"125,,value2\n"
              b"126,value1,value2,value3,value4\n")
CURL = {"Content-Type": "application/x-www-form-urlencoded"}


def submit(api, body, version=1, client="demo", headers=None):
    prefix = "/v2" if version == 2 else ""
    return api.post(f"/m2/{client}{prefix}/profile/batchUpdate", data=body, headers={**CURL, **(headers or {})})


def status_url(reply) -> str:
    assert reply.status_code == 200, reply.text
    assert reply.header("Content-Type") == XML
    match = re.fullmatch(r"<response>\n    <success>true</success>\n    <batchStatus>(.+)</batchStatus>\n"
                         r"    <message>Batch submitted for processing</message>\n</response>", reply.text)
    assert match, reply.text
    url = match.group(1)
    assert re.fullmatch(r"http://[^/]+/m2/demo/profile/batchStatus\?batchId=demo-\d{13}-\d{8}", url), url
    return local(url)


def status_xml(batch_id, status, size, details=None):
    lines = [f"    <batchId>{batch_id}</batchId>", f"    <status>{status}</status>", f"    <batchSize>{size}</batchSize>"]
    for key, value in (details or {}).items():
        lines.append(f"    <{key}>{value}</{key}>")
    return "<response>\n" + "\n".join(lines) + "\n</response>"


def attributes(api, ident, by=""):
    reply = api.get(f"/rest/v1/profiles/{by + '/' if by else ''}{ident}?client=demo")
    return {k: v["value"] for k, v in reply.json()["profileAttributes"].items()} if reply.status_code == 200 else None


def test_v1_docs_example_updates_only_known_profiles(api):
    url = status_url(submit(api, DOCS_BATCH))
    batch_id = url.split("batchId=")[1]
    plain = api.get(url)
    assert plain.status_code == 200
    assert plain.header("Content-Type") == XML
    assert plain.text == status_xml(batch_id, "complete", 4)
    detailed = api.get(url + "&showDetails=true")
    assert detailed.text == status_xml(batch_id, "complete", 4, {
        "consumedCount": 4, "successfulUpdates": 0, "profilesNotFound": 4, "failedUpdates": 0})
    for pc_id in ("123", "124", "125", "126"):
        reply = api.get(f"/rest/v1/profiles/{pc_id}?client=demo")
        assert reply.content == not_found_mbox_pc("demo", pc_id)


def test_v2_docs_example_creates_missing_profiles_and_ignores_empty_values(api, clock):
    url = status_url(submit(api, DOCS_BATCH, version=2))
    assert api.get(url + "&showDetails=true").text == status_xml(url.split("batchId=")[1], "complete", 4, {
        "consumedCount": 4, "successfulUpdates": 4, "profilesNotFound": 0, "failedUpdates": 0})
    assert attributes(api, "123") == {"param1": "value1"}
    assert attributes(api, "124") == {"param1": "value1", "param4": "value4"}
    assert attributes(api, "125") == {"param2": "value2"}
    assert attributes(api, "126") == {"param1": "value1", "param2": "value2", "param3": "value3", "param4": "value4"}
    assert api.get("/rest/v1/profiles/124?client=demo").json() == {
        "client": "demo", "visitorId": "124", "modifiedAt": FROZEN_STAMP,
        "profileAttributes": {"param1": {"value": "value1", "modifiedAt": FROZEN_STAMP},
                              "param4": {"value": "value4", "modifiedAt": FROZEN_STAMP}}}


def test_v1_updates_known_profiles_by_pcId_and_thirdPartyId(api):
    body = (f"batch=pcId,param1,attr1\n{SAMPLE_TNT_ID},,0\n111492025094307-353046,changed,\n").encode()
    url = status_url(submit(api, body))
    assert api.get(url + "&showDetails=true").text.count("<successfulUpdates>2</successfulUpdates>") == 1
    assert attributes(api, SAMPLE_TNT_ID) == {**{k: v["value"] for k, v in SAMPLE_ATTRIBUTES.items()}, "attr1": "0"}
    assert attributes(api, "111492025094307-353046")["param1"] == "changed"

    body = b"batch=thirdPartyId,tier\na1-mbox3rdPartyId,gold\ncrm-unknown,silver\n"
    url = status_url(submit(api, body))
    assert api.get(url + "&showDetails=true").text == status_xml(url.split("batchId=")[1], "complete", 2, {
        "consumedCount": 2, "successfulUpdates": 1, "profilesNotFound": 1, "failedUpdates": 0})
    assert attributes(api, "a1-mbox3rdPartyId", by="thirdPartyId")["tier"] == "gold"
    assert attributes(api, "crm-unknown", by="thirdPartyId") is None


def test_v2_creates_by_thirdPartyId_with_a_target_shaped_tntId(api):
    url = status_url(submit(api, b"batch=thirdPartyId,tier,city\ncrm-1,gold,S%C3%A3o+Paulo\r\ncrm-2,,\r\n", version=2))
    assert api.get(url + "&showDetails=true").text == status_xml(url.split("batchId=")[1], "complete", 2, {
        "consumedCount": 2, "successfulUpdates": 1, "profilesNotFound": 0, "failedUpdates": 0})
    assert attributes(api, "crm-1", by="thirdPartyId") == {"tier": "gold", "city": "São Paulo"}
    assert attributes(api, "crm-2", by="thirdPartyId") is None  # a row of only empty values is skipped
    state = api.get("/_emulator/state").json()["adobe_target"]["clients"]
    created = [p for p in next(c for c in state if c["code"] == "demo")["profiles"] if p["thirdPartyId"] == "crm-1"]
    assert re.fullmatch(r"[0-9a-f]{32}\.28_0", created[0]["tntId"])


def test_rows_that_cannot_be_read_fail_alone(api):
    body = (b"batch=thirdPartyId,tier\n"
            b"a1-mbox3rdPartyId,gold,extra\n"   # more cells than columns
            b",gold\n"                          # no id
            b"crm%2B1,gold\n"                   # '+' in a thirdPartyId
            b"a1-mbox3rdPartyId,platinum\n")
    url = status_url(submit(api, body, version=2))
    assert api.get(url + "&showDetails=true").text == status_xml(url.split("batchId=")[1], "complete", 4, {
        "consumedCount": 1, "successfulUpdates": 1, "profilesNotFound": 0, "failedUpdates": 3})
    assert attributes(api, "a1-mbox3rdPartyId", by="thirdPartyId")["tier"] == "platinum"


def test_status_path_under_v2_and_unknown_batch(api):
    url = status_url(submit(api, DOCS_BATCH, version=2))
    assert api.get(url.replace("/profile/", "/v2/profile/")).text == api.get(url).text
    missing = api.get("/m2/demo/profile/batchStatus?batchId=demo-1701473848678-13029383")
    assert missing.status_code == 404
    assert missing.text == status_error("No batch found with batchId=demo-1701473848678-13029383 for client demo")
    no_id = api.get("/m2/demo/profile/batchStatus")
    assert no_id.status_code == 400
    assert no_id.text == status_error("Missing batchId parameter")


def test_batch_statuses_are_kept_24_hours(api, clock):
    url = status_url(submit(api, DOCS_BATCH))
    clock.advance(24 * 3600 - 1)
    assert api.get(url).status_code == 200
    clock.advance(1)
    assert api.get(url).status_code == 404


def test_batch_with_propagation_delay_is_incomplete_until_it_shows(api, clock):
    api.seed({"adobe_target": {"clients": [{"code": "demo", "propagation_delay": 600, "profiles": []}]}})
    url = status_url(submit(api, b"batch=pcId,param1\n" + SAMPLE_TNT_ID.encode() + b",later\n999,new\n", version=2))
    batch_id = url.split("batchId=")[1]
    assert api.get(url + "&showDetails=true").text == status_xml(batch_id, "incomplete", 2, {
        "consumedCount": 0, "successfulUpdates": 0, "profilesNotFound": 0, "failedUpdates": 0})
    assert attributes(api, SAMPLE_TNT_ID)["param1"] == "value1"
    assert attributes(api, "999") is None
    clock.advance(600)
    assert api.get(url + "&showDetails=true").text == status_xml(batch_id, "complete", 2, {
        "consumedCount": 2, "successfulUpdates": 2, "profilesNotFound": 0, "failedUpdates": 0})
    assert attributes(api, SAMPLE_TNT_ID)["param1"] == "later"
    assert attributes(api, "999") == {"param1": "new"}


@pytest.mark.parametrize("body, message", [
    (b"pcId,param1\n123,a\n", "The request body must be the batch file, starting with 'batch=' followed by the "
                              "header row (e.g. batch=pcId,param1,param2)"),
    (b"batch=", "The batch file has no header row (e.g. batch=pcId,param1,param2)"),
    (b"batch=marketingCloudVisitorId,param1\n1,a\n", "The first column of a batch file must be pcId or "
                                                      "thirdPartyId, not 'marketingCloudVisitorId' (the Experience "
                                                      "Cloud ID is not supported)"),
    (b"batch=pcId,param1,,param2\n1,a\n", "The batch file's header row has an empty column name"),
    (b"batch=pcId,param1,param1\n1,a,b\n", "The batch file's header row names 'param1' twice"),
    (b"batch=pcId,param1\n\n", "The batch file has no data rows"),
    (b"batch=pcId,param1\n1,\xff\n", "The batch file is not valid UTF-8"),
    (b"batch=pcId%2Cparam1%0A123%2Cvalue1%0A", "The batch file arrived form-encoded; send the file as it is, "
                                               "e.g. curl -X POST --data-binary @BATCH.TXT &lt;url&gt;"),
])
def test_malformed_batch_files(api, body, message):
    reply = submit(api, body)
    assert reply.status_code == 400
    assert reply.header("Content-Type") == XML
    assert reply.text == batch_error(message)


def test_row_limit(api):
    body = b"batch=pcId,param1\n" + b"1,a\n" * 500_001
    reply = submit(api, body, version=2)
    assert reply.status_code == 400
    assert reply.text == batch_error("The batch file has 500001 rows; the limit is 500000 rows per upload")
    assert api.get("/rest/v1/profiles/1?client=demo").status_code == 404  # nothing applied


def test_file_size_limit(api):
    header = b"batch=pcId,param1\n"
    body = header + b"1," + b"a" * (50 * 1024 * 1024 - len(header) - 3) + b"\n"
    reply = submit(api, body, version=2)
    assert reply.status_code == 413
    assert reply.text == batch_error(f"Batch file too large: {len(body)} bytes; a batch file must be smaller than 50 MB")
    assert api.get("/rest/v1/profiles/1?client=demo").status_code == 404


def test_batch_authentication(api):
    body = b"batch=thirdPartyId,plan\nb2-mbox3rdPartyId,basic\n"
    reply = submit(api, body, client=AUTH_CLIENT)
    assert reply.status_code == 403
    assert reply.text == batch_error("Authentication is enabled for client demoauth: send the profile "
                                     "authentication token as 'Authorization: Bearer &lt;token&gt;'")
    auth = {"Authorization": f"Bearer {AUTH_TOKEN}"}
    ok = submit(api, body, client=AUTH_CLIENT, headers=auth)
    assert ok.status_code == 200
    url = local(re.search(r"<batchStatus>(.+)</batchStatus>", ok.text).group(1))
    refused = api.get(url)
    assert refused.status_code == 403
    assert refused.text == status_error("Authentication is enabled for client demoauth: send the profile "
                                        "authentication token as 'Authorization: Bearer &lt;token&gt;'")
    assert "<status>complete</status>" in api.get(url, headers=auth).text


def test_unknown_client_and_wrong_method(api):
    reply = submit(api, DOCS_BATCH, client="bogus")
    assert reply.status_code == 400
    assert reply.text == batch_error("Invalid client code: bogus")
    wrong = api.get("/m2/demo/profile/batchUpdate")
    assert wrong.status_code == 405
    assert wrong.text == batch_error("Method GET is not supported for /m2/demo/profile/batchUpdate")


def test_column_names_may_carry_the_profile_prefix(api):
    url = status_url(submit(api, f"batch=pcId,profile.tier\n{SAMPLE_TNT_ID},gold\n".encode()))
    assert "<successfulUpdates>1</successfulUpdates>" in api.get(url + "&showDetails=true").text
    assert attributes(api, SAMPLE_TNT_ID)["tier"] == "gold"
