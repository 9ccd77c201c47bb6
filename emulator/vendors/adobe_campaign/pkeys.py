"""Opaque ``@…`` tokens: profile PKeys and ``_lineStart`` paging cursors (§1.10, §1.5).

Campaign's PKeys are encrypted row ids: ``@`` then URL-safe base64 characters, a different
string each time the same row is encrypted, and clients must never compare or build them.
The emulator does the same: a token carries the profile's internal key (a stable store key)
and a random salt, masked and signed with an HMAC bound to the organization and the token's
purpose. So every PKey ever issued for a profile keeps resolving to it, in any process that
shares this secret (a restarted server, an export seeded elsewhere), and a PKey from another
organization, a cursor used as a PKey, or an edited string does not decode at all: that is
the "malformed PKey" 500, while a PKey that decodes to a deleted profile is the 404.

PKeys that did not come from here (written by hand in fixtures, like the documented
``@2v1dr3ZK…``) cannot be decoded; their profile is stored under ``alias_key(pkey)``, a
digest of the string, so they too resolve in O(1) without a separate alias table.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from ...ids import is_digits

# Not a security boundary: an emulator's PKeys only need to be opaque and stable.
_SECRET = b"martech-emulator/adobe_campaign/v1"
_SALT = 16
_TAG = 24
_MAX_KEY = 31

PKEY_RE = re.compile(r"^@[A-Za-z0-9_-]+$")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        return None


def _mac(purpose: str, org: str, data: bytes) -> bytes:
    return hmac.new(_SECRET, purpose.encode() + b"\0" + org.encode() + b"\0" + data,
                    hashlib.sha256).digest()


def _mask(salt: bytes, n: int) -> bytes:
    return hashlib.sha256(_SECRET + b"mask" + salt).digest()[:n]


def encode(purpose: str, org: str, key: str) -> str:
    """A fresh token for ``key`` (a different string on every call)."""
    plain = key.encode("utf-8")
    if len(plain) > _MAX_KEY:
        raise ValueError("token key too long")
    plain = bytes([len(plain)]) + plain
    salt = os.urandom(_SALT)
    body = bytes(a ^ b for a, b in zip(plain, _mask(salt, len(plain)), strict=False))
    return "@" + _b64(salt + body + _mac(purpose, org, salt + plain)[:_TAG])


def decode(purpose: str, org: str, token: str) -> str | None:
    """The key a token of ours carries, or None when the token is not one of ours."""
    if not PKEY_RE.match(token or ""):
        return None
    raw = _unb64(token[1:])
    if raw is None or len(raw) < _SALT + 1 + _TAG:
        return None
    salt, body, tag = raw[:_SALT], raw[_SALT:-_TAG], raw[-_TAG:]
    plain = bytes(a ^ b for a, b in zip(body, _mask(salt, len(body)), strict=False))
    if len(body) > _MAX_KEY + 1 or plain[0] != len(plain) - 1:
        return None
    if not hmac.compare_digest(tag, _mac(purpose, org, salt + plain)[:_TAG]):
        return None
    try:
        return plain[1:].decode("utf-8")
    except UnicodeDecodeError:
        return None


def new_pkey(org: str, key: str) -> str:
    return encode("profile", org, key)


def profile_key(org: str, pkey: str) -> str | None:
    """The store key of a PKey issued here, or None."""
    return decode("profile", org, pkey)


def alias_key(pkey: str) -> str:
    """The store key of a profile whose PKey was given from outside (fixtures)."""
    return "x" + hashlib.sha256(pkey.encode("utf-8")).hexdigest()[:24]


def store_key_for(org: str, pkey: str) -> str:
    return profile_key(org, pkey) or alias_key(pkey)


def line_start(org: str, offset: int) -> str:
    return encode("lineStart", org, str(offset))


def line_start_offset(org: str, token: str) -> int | None:
    key = decode("lineStart", org, token)
    return int(key) if key is not None and is_digits(key) else None
