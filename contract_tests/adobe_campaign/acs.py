"""Shared names for the Adobe Campaign Standard contract tests: the demo organization's
credentials (fixtures/demo.json) and small helpers over the ``api`` fixture."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

ORG = "demo-org"
TOKEN = "demo-acs-token"
KEY = "demo-acs-key"
AMY = "@2v1dr3ZKJveMDhAdh0MPnh9hNQQ93qb7AW6BNVVKknjwXvTZRBAgUqz1SNcB4ZndgjqOofx3BwBZYBftlmObISoM3rs"
PROFILES = f"/{ORG}/campaign/profileAndServices/profile"
EXT = f"/{ORG}/campaign/profileAndServicesExt/profile"
JSON = "application/json;charset=utf-8"
DEMO_COUNT = 30

# the headers of every documented curl example
H = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}",
     "Cache-Control": "no-cache", "X-Api-Key": KEY}

PKEY_RE = re.compile(r"^@[A-Za-z0-9_-]{40,140}$")
STAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$")

FIELDS = {
    "PKey", "age", "birthDate", "blackList", "blackListAllLastModified", "blackListEmail",
    "blackListEmailLastModified", "blackListFax", "blackListFaxLastModified", "blackListLastModified",
    "blackListMobile", "blackListMobileLastModified", "blackListPhone", "blackListPhoneLastModified",
    "blackListPostalMail", "blackListPostalMailLastModified", "blackListPushnotification", "ccpaOptOut",
    "ccpaOptOutLastModified", "created", "cryptedId", "domain", "email", "emailFormat", "externalId",
    "fax", "firstName", "gender", "href", "isExternal", "lastModified", "lastName", "location",
    "middleName", "mobilePhone", "phone", "postalAddress", "preferredLanguage", "salutation",
    "subscriptions", "thumbnail", "timeZone", "title",
}


def local(api, href: str) -> str:
    """The path (and query) of an href the emulator returned, after checking that the href
    points back at the emulator itself."""
    assert href.startswith(api.base_url + "/"), href
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def backend_error(status: int, message: str) -> dict:
    return {"code": status, "message": message}


RST = "RST-360011 An error has occurred - please contact your administrator."


def create(api, body: dict, base: str = PROFILES) -> dict:
    reply = api.post(base, json=body, headers=H)
    assert reply.status_code == 201, reply.text
    return reply.json()


def get(api, pkey: str, base: str = PROFILES) -> dict:
    reply = api.get(f"{base}/{pkey}", headers=H)
    assert reply.status_code == 200, reply.text
    return reply.json()


def freeze(api, instant: str) -> None:
    assert api.post("/_emulator/clock", json={"freeze": instant}).status_code == 200


def resume(api) -> None:
    assert api.post("/_emulator/clock", json={"resume": True}).status_code == 200


# -- services, subscriptions, history, org units (§1.15) -----------------------------------------
SERVICES = f"/{ORG}/campaign/profileAndServices/service"
HISTORY = f"/{ORG}/campaign/profileAndServices/history"
UNITS = f"/{ORG}/campaign/profileAndServicesExt/orgUnitBase"
#: the demo organization's services (fixtures/demo.json): Amy is subscribed to SVC1
DEMO_SERVICES = {"SVC1": ("Sport Newsletter", "email"), "SVC2": ("Flash sales", "sms"),
                 "SVC3": ("Product updates", "email")}


def service(api, name: str) -> dict:
    """A demo service, found the way a client finds it: by its name (the Drupal module's way)."""
    reply = api.get(f"{SERVICES}/{name}", headers=H)
    assert reply.status_code == 200, reply.text
    return reply.json()
