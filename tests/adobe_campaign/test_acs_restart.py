"""PKeys keep resolving across a restart with a data file: every PKey ever issued for a profile
(at creation, in a PATCH href) still names it in the next process."""
from __future__ import annotations

import requests

AMY = "@2v1dr3ZKJveMDhAdh0MPnh9hNQQ93qb7AW6BNVVKknjwXvTZRBAgUqz1SNcB4ZndgjqOofx3BwBZYBftlmObISoM3rs"
H = {"Authorization": "Bearer demo-acs-token", "X-Api-Key": "demo-acs-key"}
P = "/demo-org/campaign/profileAndServices/profile"


def test_issued_pkeys_survive_a_restart(serve_process, tmp_path):
    data = str(tmp_path / "state.json")
    first = serve_process("--data", data)
    made = requests.post(first.base_url + P, json={"email": "kept@example.com"}, headers=H, timeout=10)
    assert made.status_code == 201
    href = requests.patch(f"{first.base_url}{P}/{AMY}", json={"phone": "3301020304"}, headers=H,
                          timeout=10).json()["href"]
    first.stop()

    second = serve_process("--data", data)
    fresh_pkey = href.rsplit("/", 1)[1]
    for pkey, email in ((made.json()["PKey"], "kept@example.com"), (fresh_pkey, "amy.dakota@mail.com"),
                        (AMY, "amy.dakota@mail.com")):
        reply = requests.get(f"{second.base_url}{P}/{pkey}", headers=H, timeout=10)
        assert reply.status_code == 200, pkey
        assert reply.json()["email"] == email
    assert requests.get(f"{second.base_url}{P}/{AMY}", headers=H, timeout=10).json()["phone"] == "3301020304"
    # the href of the new process points at the new process
    assert requests.get(f"{second.base_url}{P}/{AMY}", headers=H, timeout=10).json()["href"].startswith(
        second.base_url + P)
