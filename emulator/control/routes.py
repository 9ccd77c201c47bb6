"""Control-plane routes. Every answer is JSON; errors name the emulator."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .. import jsoninput, seeding
from ..state import current_emulator
from ..version import __version__
from ..errors import EmulatorError
from ..vendors import VENDORS, vendor_named

control = Blueprint("control", __name__, url_prefix="/_emulator")


def _json_body(required: bool = True) -> dict:
    if not request.get_data():
        if required:
            raise EmulatorError("the request body must be a JSON object")
        return {}
    try:  # the emulator's own parser (not werkzeug's): the same rules as every vendor body
        body = jsoninput.loads(request.get_data())
    except jsoninput.JsonInputError as exc:
        raise EmulatorError(f"the request body is not valid JSON: {exc.reason}") from None
    if not isinstance(body, dict):
        raise EmulatorError("the request body must be a JSON object")
    return body


@control.get("/health")
def health() -> Response:
    emulator = current_emulator()
    if not emulator.ready.is_set():
        response = jsonify({"status": "starting", "version": __version__})
        response.status_code = 503
        return response
    store = emulator.store
    failure = store.flush_failure
    body = {
        "status": "ok" if failure is None else "data file not written",
        "version": __version__,
        "vendors": {v.name: v.counts(emulator) for v in VENDORS},
        "persistent": bool(emulator.settings.data),
        "clock": emulator.clock.describe(),
    }
    if store.path:
        data_file: dict[str, Any] = {
            "path": store.path,
            "written": failure is None,
            "last_written": _instant(store.last_flush_at),
            "last_flush_seconds": store.last_flush_seconds,
            "flush_interval": store.flush_interval,
        }
        if failure is not None:  # the state lives only in memory until a write succeeds again
            data_file.update(error=failure["error"], failing_since=_instant(failure["since"]),
                             failed_attempts=failure["attempts"])
        body["data_file"] = data_file
    response = jsonify(body)
    response.status_code = 200 if failure is None else 503
    return response


def _instant(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat() if epoch is not None else None


@control.post("/reset")
def reset() -> Response:
    """Forget everything, or one vendor (``{"vendor": …}``), or one tenant (``+ "tenant"``)."""
    body = _json_body(required=False)
    vendor, tenant = body.get("vendor"), body.get("tenant")
    unknown = set(body) - {"vendor", "tenant"}
    if unknown:
        raise EmulatorError(f"unknown key {sorted(unknown)[0]!r}; reset takes 'vendor' and 'tenant'")
    if any(key in body and not isinstance(body[key], str) for key in ("vendor", "tenant")):
        raise EmulatorError("'vendor' and 'tenant' take strings")
    owner = vendor_named(vendor) if vendor is not None else None
    if vendor is not None and owner is None:
        raise EmulatorError(f"unknown vendor {vendor!r}; expected one of: {', '.join(v.name for v in VENDORS)}")
    emulator = current_emulator()
    if tenant is not None:
        if owner is None:
            raise EmulatorError("'tenant' needs 'vendor' too")
        known = owner.tenants(emulator)
        if tenant not in known:  # a typo must not look like a reset that worked
            raise EmulatorError(f"unknown tenant {tenant!r} of {vendor}; known tenants: "
                                f"{', '.join(repr(t) for t in known) or 'none'}", 404)
    emulator.reset(vendor, tenant)
    return jsonify({"reset": {"vendor": vendor, "tenant": tenant}})


@control.post("/seed")
def seed() -> Response:
    emulator = current_emulator()
    loaded = seeding.apply(emulator, _json_body(), checked=True)  # jsoninput.loads checked it
    return jsonify({"seeded": sorted(loaded), "vendors": {v.name: v.counts(emulator) for v in VENDORS}})


@control.get("/state")
def state() -> Response:
    return jsonify(seeding.export(current_emulator()))


@control.post("/drain")
def drain() -> Response:
    """Apply all deferred work that is due now, and answer once it is done."""
    left = current_emulator().work.drain()
    return jsonify({"drained": True, "pending": left})


#: the clock stays where every vendor can still write its timestamps (in any time zone)
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(9999, 12, 30, tzinfo=timezone.utc)


#: the longest step the clock takes at once
MAX_ADVANCE = 100 * 365 * 86400


def _in_range(instant, what: str, status: int = 400) -> None:
    """Refuse, before anything changes, a clock the emulator could not tell the time with."""
    try:
        at = instant()
        at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
        ok = EARLIEST <= at <= LATEST
    except (OverflowError, ValueError):
        ok = False
    if not ok:
        raise EmulatorError(f"{what} would put the clock outside the years 1970 to 9999", status)


@control.get("/clock")
def get_clock() -> Response:
    return jsonify(current_emulator().clock.describe())


@control.post("/clock")
def set_clock() -> Response:
    """``{"freeze": true|"<ISO instant>"}``, ``{"advance": seconds}`` or ``{"resume": true}``."""
    body = _json_body()
    clock = current_emulator().clock
    if set(body) - {"freeze", "advance", "resume"} or len(body) != 1:
        raise EmulatorError("send exactly one of 'freeze', 'advance', 'resume'")
    if "advance" in body:
        seconds = body["advance"]
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= MAX_ADVANCE:
            raise EmulatorError(f"'advance' takes a number of seconds from 0 to {MAX_ADVANCE} (100 years)")
        # valid, but not from where the clock stands now: a conflict with its state
        _in_range(lambda: clock.now() + timedelta(seconds=seconds), "'advance'", status=409)
        clock.advance(seconds)
    elif "freeze" in body:
        at = body["freeze"]
        if at is True:
            clock.freeze()
        elif isinstance(at, str):
            try:
                instant = datetime.fromisoformat(at)
            except ValueError:
                raise EmulatorError(f"'freeze' is not an ISO-8601 instant: {at!r}") from None
            _in_range(lambda: instant.astimezone(timezone.utc) if instant.tzinfo else instant, "'freeze'")
            clock.freeze(instant)
        else:
            raise EmulatorError("'freeze' takes true or an ISO-8601 instant")
    elif body["resume"] is not True:
        raise EmulatorError("'resume' takes true")
    else:
        clock.resume()
    return jsonify(clock.describe())
