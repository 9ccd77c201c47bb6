"""The documented Adobe Target bodies and values the contract tests compare against."""
from __future__ import annotations

from urllib.parse import urlsplit

XML = "application/xml;charset=UTF-8"
JSON = "application/json;charset=UTF-8"

SAMPLE_TNT_ID = "1368007744041-575948.01_00"
SAMPLE_THIRD_PARTY_ID = "a1-mbox3rdPartyId"
SEED_QUERY = f"mboxPC={SAMPLE_TNT_ID}&profile.attr1=0&profile.attr2=1"
AUTH_CLIENT, AUTH_TOKEN = "demoauth", "demo-target-profile-token"
FROZEN = "2026-01-05T10:00:00+00:00"
FROZEN_STAMP = "2026-01-05T10:00:00.000+00:00"

# §2.1, byte for byte
UPDATE_SUCCESS = ("<response>\n"
                  "    <success>true</success>\n"
                  "    <pcId></pcId>\n"
                  "    <message>Request successfully submitted</message>\n"
                  "</response>")

# §3.2's sample, as the demo fixtures hold it for client "demo"
SAMPLE_ATTRIBUTES = {
    "insurance": {"value": "false", "modifiedAt": "2017-07-31T20:34:55.625-04:00"},
    "user.memberlevel": {"value": "0.0", "modifiedAt": "2017-08-09T18:18:04.661-04:00"},
    "param1": {"value": "value1", "modifiedAt": "2017-08-09T18:18:04.659-04:00"},
    "firstSessionStart": {"value": "1500648715286", "modifiedAt": "2017-07-21T10:51:55.286-04:00"},
    "entity.id": {"value": "my-entityId", "modifiedAt": "2017-08-09T18:18:04.659-04:00"},
}
SAMPLE_MODIFIED_AT = "2017-08-18T17:53:39.003-04:00"


def update_error(message: str) -> str:
    return ("<response>\n    <success>false</success>\n    <pcId></pcId>\n"
            f"    <message>{message}</message>\n</response>")


def batch_error(message: str) -> str:
    return ("<response>\n    <success>false</success>\n    <batchStatus></batchStatus>\n"
            f"    <message>{message}</message>\n</response>")


def status_error(message: str) -> str:
    return f"<response>\n    <success>false</success>\n    <message>{message}</message>\n</response>"


def service_error(status: int, message: str) -> str:
    root = "com.adobe.tnt.profileservice.crud.ResponseErrorBody"
    return f"<{root}>\n  <httpStatus>{status}</httpStatus>\n  <message>{message}</message>\n</{root}>"


def not_found_mbox_pc(client: str, ident: str) -> bytes:
    return f'{{"status":404,"message":"No profile found for client {client} with mboxPC={ident}"}}'.encode()


def not_found_third_party(client: str, ident: str) -> bytes:
    return f'{{"status":404,"message":"No profile found for client {client} with third party id={ident}"}}'.encode()


def local(url: str) -> str:
    """The path and query of a URL the emulator handed out (it names the emulator's own host)."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
