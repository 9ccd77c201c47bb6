"""Two organizations never see each other's profiles, credentials or PKeys."""
from __future__ import annotations

from .acs import AMY, DEMO_COUNT, H, PROFILES, backend_error, create

OTHER = "other-org"
OH = {"Authorization": "Bearer other-token", "X-Api-Key": "other-key"}
OTHER_PROFILES = f"/{OTHER}/campaign/profileAndServices/profile"


def _seed_other(api):
    api.seed({"adobe_campaign": {"organizations": [{
        "id": OTHER, "access_token": "other-token", "api_key": "other-key",
        "profiles": [{"firstName": "Solo", "lastName": "Other", "email": "amy.dakota@mail.com"}]}]}})


def test_each_organization_sees_only_its_profiles(api):
    _seed_other(api)
    theirs = api.get(OTHER_PROFILES, headers=OH).json()
    assert [p["firstName"] for p in theirs["content"]] == ["Solo"]
    assert api.get(f"{PROFILES}/_count", headers=H).json() == {"count": DEMO_COUNT}
    same_email = api.get(f"{OTHER_PROFILES}/byEmail?email=amy.dakota@mail.com", headers=OH).json()
    assert [p["firstName"] for p in same_email["content"]] == ["Solo"]


def test_credentials_belong_to_one_organization(api):
    _seed_other(api)
    wrong_key = api.get(OTHER_PROFILES, headers=H)
    assert wrong_key.status_code == 403
    assert wrong_key.json() == {"error_code": "403003", "message": "Api Key is invalid"}
    wrong_token = api.get(OTHER_PROFILES, headers={**OH, "Authorization": H["Authorization"]})
    assert wrong_token.status_code == 401


def test_a_pkey_does_not_resolve_in_another_organization(api):
    _seed_other(api)
    made = create(api, {"email": "mine@example.com"})["PKey"]
    for pkey in (AMY, made):
        reply = api.get(f"{OTHER_PROFILES}/{pkey}", headers=OH)
        assert reply.status_code == 500
        bare = pkey[1:]
        assert reply.json() == backend_error(
            500, f"'{bare}' attribute unknown (see definition of 'Profiles (nms:recipient)' schema). "
                 f"XTK-170036 Unable to parse expression '@id = {pkey}'.")
    assert api.delete(f"{OTHER_PROFILES}/{made}", headers=OH).status_code == 500
    assert api.get(f"{PROFILES}/{made}", headers=H).status_code == 200
