"""The demo dashboard (``/_emulator/``) and the vendor-agnostic views it reads.

``GET /_emulator/tenants``          every vendor's tenants with profile counts, the state's generation
``GET /_emulator/profiles``         one page of a tenant's profiles (``vendor``, ``tenant``, ``q``, ``offset``, ``limit``)
``GET /_emulator/profile``          one profile in its vendor's wire shape (``vendor``, ``tenant``, ``key``)
``GET /_emulator/profile/history``  which request changed which field, before → after
``GET /_emulator/related``          what a tenant holds besides profiles (``vendor``, ``tenant``)
``GET /_emulator/changes``          the newest changes to profiles, of all vendors (``after``, ``limit``)

Everything goes through the Vendor interface, so a vendor is shown as soon as it is registered.
The page itself is static HTML, CSS and JS shipped in the package (``static/``), no build step.
"""
from __future__ import annotations

from importlib import resources

from flask import Response, jsonify, request, send_from_directory

from ..state import current_emulator
from ..errors import EmulatorError
from ..vendors import VENDORS, Vendor, vendor_named
from . import schemas
from .routes import control

STATIC = str(resources.files("emulator.control").joinpath("static"))

PROFILES_QUERY, PROFILE_QUERY, CHANGES_QUERY = schemas.ProfilesQuery(), schemas.ProfileQuery(), schemas.ChangesQuery()
TENANT_QUERY = schemas.TenantQuery()


@control.get("/")
def dashboard() -> Response:
    return _static("index.html")


@control.get("/docs")
def docs() -> Response:
    return _static("docs.html")


@control.get("/assets/<path:name>")
def asset(name: str) -> Response:
    return _static(name)


def _static(name: str) -> Response:
    response = send_from_directory(STATIC, name, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _tenant(params: dict) -> Vendor:
    vendor = vendor_named(params["vendor"])
    if vendor is None:
        raise EmulatorError(f"unknown vendor {params['vendor']!r}; expected one of: "
                            f"{', '.join(v.name for v in VENDORS)}", 404)
    if params["tenant"] not in vendor.tenants(current_emulator()):
        raise EmulatorError(f"{vendor.name} has no tenant {params['tenant']!r}", 404)
    return vendor


@control.get("/tenants")
def tenants() -> Response:
    emulator = current_emulator()
    return jsonify({
        "generation": emulator.store.generation,
        "clock": emulator.clock.describe(),
        "vendors": [{"name": v.name, "title": v.title, "tenants": v.tenant_summaries(emulator)} for v in VENDORS],
    })


@control.get("/profiles")
def profiles() -> Response:
    params = schemas.load_args(PROFILES_QUERY, request.args)
    vendor = _tenant(params)
    page = vendor.profiles_page(current_emulator(), params["tenant"], params["q"].strip(),
                                params["offset"], params["limit"])
    return jsonify({"vendor": vendor.name, "tenant": params["tenant"], "q": params["q"],
                    "offset": params["offset"], "limit": params["limit"], **page})


@control.get("/profile")
def profile() -> Response:
    params = schemas.load_args(PROFILE_QUERY, request.args)
    vendor = _tenant(params)
    detail = vendor.profile_detail(current_emulator(), params["tenant"], params["key"])
    if detail is None:
        raise EmulatorError(f"{vendor.name} tenant {params['tenant']!r} has no profile {params['key']!r}", 404)
    return jsonify({"vendor": vendor.name, "tenant": params["tenant"], **detail})


@control.get("/related")
def related() -> Response:
    params = schemas.load_args(TENANT_QUERY, request.args)
    vendor = _tenant(params)
    return jsonify({"vendor": vendor.name, "tenant": params["tenant"],
                    "sections": vendor.tenant_related(current_emulator(), params["tenant"])})


@control.get("/profile/history")
def profile_history() -> Response:
    params = schemas.load_args(PROFILE_QUERY, request.args)
    vendor = _tenant(params)
    history = vendor.profile_history(current_emulator(), params["tenant"], params["key"])
    return jsonify({"vendor": vendor.name, "tenant": params["tenant"], "key": params["key"], "history": history})


@control.get("/changes")
def changes() -> Response:
    params = schemas.load_args(CHANGES_QUERY, request.args)
    log = current_emulator().store.changes
    # profiles only: an account's or a database's document is no news (and may hold credentials)
    profiles = {f"{v.name}/": "/" + v.profile_collection for v in VENDORS}

    def is_profiles(table: str) -> bool:
        vendor = table.partition("/")[0] + "/"
        return vendor in profiles and table.endswith(profiles[vendor])

    found = log.newest(params["limit"], params["after"], is_profiles) if log is not None else []
    last = found[-1].seq if found else params["after"]
    return jsonify({"changes": [c.to_json() for c in found], "last": last})
