"""A token opens the account that holds it now: remembering which tenant a token opened
(``model.account_for_token``) never honours a token its account no longer holds."""
from __future__ import annotations


def account(name: str, token: str) -> dict:
    return {"copernica": {"accounts": [{"name": name, "access_token": token,
                                        "databases": [{"ID": "1", "name": "Main", "fields": []}]}]}}


def database_names(client, token: str) -> tuple[int, object]:
    reply = client.get(f"/v3/databases?access_token={token}")
    body = reply.get_json()
    return reply.status_code, [d["name"] for d in body["data"]] if reply.status_code == 200 else body


def test_a_replaced_token_is_refused_and_its_successor_opens_the_account(client):
    assert client.post("/_emulator/seed", json=account("Other", "first-token")).status_code == 200
    assert database_names(client, "first-token") == (200, ["Main"])
    assert client.post("/_emulator/seed", json=account("Other", "second-token")).status_code == 200
    assert database_names(client, "first-token") == (400, {"error": {"message": "Invalid access token"}})
    assert database_names(client, "second-token") == (200, ["Main"])
    assert database_names(client, "demo-copernica-token")[0] == 200  # the other tenant is untouched


def test_the_token_of_a_tenant_that_was_reset_opens_nothing(client):
    assert client.post("/_emulator/seed", json=account("Other", "other-token")).status_code == 200
    assert database_names(client, "other-token") == (200, ["Main"])
    assert client.post("/_emulator/reset", json={"vendor": "copernica", "tenant": "Other"}).status_code == 200
    assert database_names(client, "other-token") == (400, {"error": {"message": "Invalid access token"}})


def test_a_token_moved_to_another_tenant_opens_that_tenant(client):
    assert client.post("/_emulator/seed", json=account("Old", "moving-token")).status_code == 200
    assert database_names(client, "moving-token") == (200, ["Main"])
    moved = account("New", "moving-token")
    moved["copernica"]["accounts"][0]["databases"][0]["name"] = "Elsewhere"
    assert client.post("/_emulator/seed", json=account("Old", "old-token")).status_code == 200
    assert client.post("/_emulator/seed", json=moved).status_code == 200
    assert database_names(client, "moving-token") == (200, ["Elsewhere"])
