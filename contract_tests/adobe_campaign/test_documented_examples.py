"""The remaining samples of Adobe's API pages (verbs, filtering, sorting, pagination,
must-read), sent as documented."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from .acs import AMY, H, PROFILES, get, local


def test_verbs_patch_example(api):
    reply = api.patch(f"{PROFILES}/{AMY}", data='{"firstName":"Mark","lastName":"Smith"}', headers=H)
    assert reply.status_code == 200
    assert set(reply.json()) == {"PKey", "href"}
    amy = get(api, AMY)
    assert (amy["firstName"], amy["lastName"], amy["title"]) == ("Mark", "Smith", "Mark Smith (amy.dakota@mail.com)")


def test_verbs_list_example_returns_an_array_of_profiles(api):
    body = api.get(PROFILES, headers=H).json()
    olivia = next(p for p in body["content"] if p["email"] == "o.varney@mail.com")
    john = next(p for p in body["content"] if p["email"] == "johndoe@mail.com")
    assert (olivia["firstName"], olivia["lastName"], olivia["birthDate"]) == ("Olivia", "Varney", "1977-09-04")
    assert (john["firstName"], john["lastName"], john["birthDate"]) == ("John", "Doe", "1985-08-17")


def test_filtering_by_text_doe_example(api):
    body = api.get(f"{PROFILES}/byText?text=Doe", headers=H).json()
    assert sorted((p["firstName"], p["lastName"]) for p in body["content"]) == [
        ("Jane", "Doe"), ("John", "Doe"), ("Mark", "Doerr")]


def test_sorting_examples(api):
    up = api.get(f"{PROFILES}/email?_order=email%20asc", headers=H).json()["content"]
    assert up[:4] == ["adam@email.com", "allison.durance@example.com", "amy.dakota@mail.com",
                      "ana.silva@example.com.br"]
    down = api.get(f"{PROFILES}/email?_order=email%20desc", headers=H).json()["content"]
    assert down[:3] == ["zoe.clark@example.co.uk", "tombinder@example.com", "timross@example.com"]


def test_pagination_example(api):
    body = api.get(f"{PROFILES}?_lineCount=1", headers=H).json()
    assert [p["PKey"] for p in body["content"]] == [AMY]
    query = parse_qs(urlsplit(body["next"]["href"]).query)
    assert query["_lineCount"] == ["1"] and query["_lineStart"][0].startswith("@")
    second = api.get(local(api, body["next"]["href"]), headers=H).json()
    assert len(second["content"]) == 1 and second["content"][0]["PKey"] != AMY


def test_force_pagination_is_accepted(api):
    body = api.get(f"{PROFILES}?_forcePagination=true", headers=H).json()
    assert len(body["content"]) == 25
    assert "_forcePagination=true" in body["next"]["href"]


def test_json_representation_example(api):
    reply = api.get(f"{PROFILES}.json", headers=H)
    assert reply.status_code == 200
    assert reply.json() == api.get(PROFILES, headers=H).json() | {
        "count": reply.json()["count"], "next": reply.json()["next"]}  # tokens are fresh each time
