"""PKeys and ``_lineStart`` tokens (pkeys.py), and the path grammar (paths.py)."""
from __future__ import annotations

import re

from emulator.vendors.adobe_campaign import paths, pkeys

AMY = "@2v1dr3ZKJveMDhAdh0MPnh9hNQQ93qb7AW6BNVVKknjwXvTZRBAgUqz1SNcB4ZndgjqOofx3BwBZYBftlmObISoM3rs"


def test_a_pkey_is_opaque_url_safe_and_fresh_each_time():
    first, second = pkeys.new_pkey("org", "17"), pkeys.new_pkey("org", "17")
    assert first != second
    for pkey in (first, second):
        assert re.fullmatch(r"@[A-Za-z0-9_-]{50,140}", pkey)
        assert pkeys.profile_key("org", pkey) == "17"


def test_a_pkey_is_bound_to_its_organization_and_purpose():
    pkey = pkeys.new_pkey("org-a", "17")
    assert pkeys.profile_key("org-b", pkey) is None
    token = pkeys.line_start("org-a", 25)
    assert pkeys.profile_key("org-a", token) is None  # a cursor is not a PKey
    assert pkeys.line_start_offset("org-a", token) == 25
    assert pkeys.line_start_offset("org-a", pkey) is None


def test_tampered_and_foreign_strings_do_not_decode():
    pkey = pkeys.new_pkey("org", "17")
    flipped = pkey[:10] + ("A" if pkey[10] != "A" else "B") + pkey[11:]
    for text in (flipped, pkey[:-1], AMY, "@", "", "17", "@gibberish", "@@@@", pkey + "A"):
        assert pkeys.profile_key("org", text) is None, text


def test_store_keys_of_outside_pkeys_are_stable_digests():
    assert pkeys.store_key_for("org", AMY) == pkeys.alias_key(AMY)
    assert pkeys.alias_key(AMY) == pkeys.alias_key(AMY) != pkeys.alias_key(AMY + "x")
    assert re.fullmatch(r"x[0-9a-f]{24}", pkeys.alias_key(AMY))
    made = pkeys.new_pkey("org", pkeys.alias_key(AMY))  # the fresh href of a fixtures profile
    assert pkeys.store_key_for("org", made) == pkeys.alias_key(AMY)


def test_paths():
    parse = paths.parse
    assert parse("profileAndServices/profile") == paths.ResourcePath("profileAndServices", "profile", (), False)
    assert parse("profileAndServices/profile/") == parse("profileAndServices/profile")
    assert parse("profileAndServices/profile.json") == parse("profileAndServices/profile")
    assert parse("profileAndServices/profile//_count").count is True
    assert parse("profileAndServices/profile/_count").segments == ()
    target = parse("profileAndServicesExt/profile/byEmail/byText/_count")
    assert (target.ext, target.segments, target.count) == (True, ("byEmail", "byText"), True)
    assert parse(f"profileAndServices/profile/{AMY}.json").segments == (AMY,)
    assert parse("profileAndServices/resourceType/profile").resource == "resourceType"
    assert parse("profileAndServicesExt/") == paths.ResourcePath("profileAndServicesExt", "", (), False)
    for bad in ("", "profileAndServices/_count", "profileAndServices/delivery", "nope/profile",
                "profileAndServices/resourceType/profile/_count", "profileAndServices/profile/_count/x"):
        assert parse(bad) is None, bad
