"""Collections (§1.5): pages of ``_lineCount`` (25 by default) chained by an opaque
``_lineStart`` in ``next.href``, ``_order``, ``count.href``; field values; the ``.json`` suffix."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from .acs import AMY, DEMO_COUNT, H, JSON, PROFILES, RST, backend_error, local


def _pages(api, path):
    """Every page, following ``next.href`` as a client must (§1.5)."""
    pages = []
    while path:
        reply = api.get(path, headers=H)
        assert reply.status_code == 200, reply.text
        assert reply.header("Content-Type") == JSON
        body = reply.json()
        pages.append(body)
        path = local(api, body["next"]["href"]) if "next" in body else None
    return pages


def test_default_page_is_25_and_next_leads_to_the_rest(api):
    first, last = _pages(api, PROFILES)
    assert list(first) == ["content", "count", "next", "serverSidePagination"]
    assert len(first["content"]) == 25
    assert first["serverSidePagination"] is True
    next_href = first["next"]["href"]
    assert next_href.startswith(f"{api.base_url}{PROFILES}/?")
    token = parse_qs(urlsplit(next_href).query)["_lineStart"][0]
    assert token.startswith("@") and len(token) > 20  # opaque, like the documented "@vnxw2…"
    assert first["count"]["href"].startswith(f"{api.base_url}{PROFILES}//_count?")
    assert len(last["content"]) == DEMO_COUNT - 25
    assert "next" not in last  # the last page has none
    pkeys = [p["PKey"] for page in (first, last) for p in page["content"]]
    assert len(set(pkeys)) == DEMO_COUNT and AMY in pkeys
    assert first["content"][0]["PKey"] == AMY  # in the order the profiles were made


def test_line_count_pages(api):
    pages = _pages(api, f"{PROFILES}?_lineCount=7")
    assert [len(p["content"]) for p in pages] == [7, 7, 7, 7, 2]
    assert all("_lineCount=7" in p["next"]["href"] for p in pages[:-1])
    assert len({p["PKey"] for page in pages for p in page["content"]}) == DEMO_COUNT


def test_count(api):
    first = api.get(f"{PROFILES}?_lineCount=1", headers=H).json()
    reply = api.get(local(api, first["count"]["href"]), headers=H)
    assert reply.status_code == 200
    assert reply.json() == {"count": DEMO_COUNT}
    assert api.get(f"{PROFILES}/_count", headers=H).json() == {"count": DEMO_COUNT}


def test_order_ascending_and_descending(api):
    emails = sorted(p["email"] for page in _pages(api, PROFILES) for p in page["content"])
    up = api.get(f"{PROFILES}?_order=email&_lineCount=50", headers=H).json()
    assert [p["email"] for p in up["content"]] == emails
    down = api.get(f"{PROFILES}?_order=email%20desc&_lineCount=50", headers=H).json()
    assert [p["email"] for p in down["content"]] == emails[::-1]
    asc = api.get(f"{PROFILES}?_order=email%20asc&_lineCount=50", headers=H).json()
    assert [p["email"] for p in asc["content"]] == emails


def test_order_is_kept_across_pages(api):
    pages = _pages(api, f"{PROFILES}?_order=lastName%20desc&_lineCount=12")
    names = [p["lastName"] for page in pages for p in page["content"]]
    assert len(names) == DEMO_COUNT
    assert names == sorted(names, reverse=True)
    assert "_order=lastName%20desc" in pages[0]["next"]["href"]


def test_field_values_documented_example(api):
    reply = api.get(f"{PROFILES}/email?_order=email%20asc&_lineCount=4", headers=H)
    assert reply.status_code == 200
    body = reply.json()
    assert body["content"] == ["adam@email.com", "allison.durance@example.com", "amy.dakota@mail.com",
                               "ana.silva@example.com.br"]
    assert body["next"]["href"].startswith(f"{api.base_url}{PROFILES}/email?")
    rest = _pages(api, local(api, body["next"]["href"]))
    values = body["content"] + [v for page in rest for v in page["content"]]
    assert len(values) == DEMO_COUNT and all(isinstance(v, str) for v in values)
    assert api.get(local(api, body["count"]["href"]), headers=H).json() == {"count": DEMO_COUNT}


def test_by_email(api):
    reply = api.get(f"{PROFILES}/byEmail?email=amy.dakota@mail.com", headers=H)
    assert reply.status_code == 200
    body = reply.json()
    assert [p["PKey"] for p in body["content"]] == [AMY]
    assert body["content"][0]["firstName"] == "Amy"
    assert "next" not in body
    assert body["count"]["href"] == f"{api.base_url}{PROFILES}/byEmail/_count?email=amy.dakota@mail.com"
    assert api.get(local(api, body["count"]["href"]), headers=H).json() == {"count": 1}
    none = api.get(f"{PROFILES}/byEmail?email=nobody@mail.com", headers=H).json()
    assert none["content"] == [] and "next" not in none


def _names(body):
    return sorted(f"{p['firstName']} {p['lastName']}" for p in body["content"])


def test_by_text_is_a_case_sensitive_prefix_on_email_and_last_name(api):
    body = api.get(f"{PROFILES}/byText?text=Do", headers=H).json()
    assert _names(body) == ["Daniel Dominguez", "Jane Doe", "John Doe", "Mark Doerr"]
    assert api.get(f"{PROFILES}/byText?text=do", headers=H).json()["content"] == []
    by_email = api.get(f"{PROFILES}/byText?text=john", headers=H).json()
    assert _names(by_email) == ["John Doe", "John Smith"]  # johndoe@…, john.smith@…
    assert api.get(f"{PROFILES}/byText?text=Dakota", headers=H).json()["content"][0]["PKey"] == AMY
    assert api.get(f"{PROFILES}/byText?text=akota", headers=H).json()["content"] == []  # prefix only


def test_by_text_with_filter_type(api):
    first = api.get(f"{PROFILES}/byText?text=Jo&filterType=firstName", headers=H).json()
    assert _names(first) == ["John Doe", "John Smith"]
    last = api.get(f"{PROFILES}/byText?text=Jo&filterType=lastName", headers=H).json()
    assert _names(last) == ["Andrea Johnson"]
    email = api.get(f"{PROFILES}/byText?text=o.&filterType=email", headers=H).json()
    assert _names(email) == ["Olivia Varney"]
    bad = api.get(f"{PROFILES}/byText?text=Jo&filterType=phone", headers=H)
    assert bad.status_code == 500
    assert bad.json() == backend_error(500, f"{RST} The value 'phone' is not valid for the 'filterType' "
                                            "parameter of the 'byText' filter (firstName, lastName or email).")


def test_filters_chain(api):
    both = api.get(f"{PROFILES}/byEmail/byText?email=johndoe@mail.com&text=Do", headers=H).json()
    assert _names(both) == ["John Doe"]
    assert api.get(f"{PROFILES}/byEmail/byText?email=johndoe@mail.com&text=Sm",
                   headers=H).json()["content"] == []
    counted = api.get(local(api, both["count"]["href"]), headers=H)
    assert counted.json() == {"count": 1}


def test_filtered_pages(api):
    pages = _pages(api, f"{PROFILES}/byText?text=D&_lineCount=2")
    names = sorted(f"{p['firstName']} {p['lastName']}" for page in pages for p in page["content"])
    assert [len(p["content"]) for p in pages] == [2, 2, 2, 1]
    assert names == ["Allison Durance", "Amy Dakota", "Daniel Dominguez", "Hugo Dubois", "Jane Doe",
                     "John Doe", "Mark Doerr"]  # not "Eva de Vries": the prefix is case-sensitive
    assert all("text=D" in p["next"]["href"] for p in pages[:-1])


def test_json_suffix(api):
    listed = api.get(f"{PROFILES}.json?_lineCount=2", headers=H)
    assert listed.status_code == 200 and len(listed.json()["content"]) == 2
    one = api.get(f"{PROFILES}/{AMY}.json", headers=H)
    assert one.status_code == 200 and one.json()["PKey"] == AMY
    filtered = api.get(f"{PROFILES}/byEmail.json?email=amy.dakota@mail.com", headers=H)
    assert [p["PKey"] for p in filtered.json()["content"]] == [AMY]


def test_a_new_profiles_subscriptions_href_answers_an_empty_collection(api):
    made = api.post(PROFILES, json={"email": "new@example.com"}, headers=H).json()
    reply = api.get(local(api, made["subscriptions"]["href"]), headers=H)
    assert reply.status_code == 200
    body = reply.json()
    assert (body["content"], body["serverSidePagination"]) == ([], True)
    assert api.get(local(api, body["count"]["href"]), headers=H).json() == {"count": 0}


def test_bad_paging_and_order_parameters(api):
    cases = {
        "_lineCount=abc": f"{RST} The '_lineCount' value 'abc' is not a number of lines (an integer ≥ 1).",
        "_lineCount=0": f"{RST} The '_lineCount' value '0' is not a number of lines (an integer ≥ 1).",
        "_lineStart=@nope": f"{RST} The '_lineStart' value '@nope' is not one this server returned; "
                            "follow the 'next' href.",
        "_order=shoeSize": "'shoeSize' property is not valid for the 'profile' resource.",
        "_order=age": f"{RST} The 'age' property is not sortable (see 'sortable' in resourceType/profile).",
    }
    for query, message in cases.items():
        reply = api.get(f"{PROFILES}?{query}", headers=H)
        assert reply.status_code == 500, query
        assert reply.json() == backend_error(500, message)


def test_unknown_query_parameters_are_ignored(api):
    body = api.get(f"{PROFILES}?limit=5&page=0", headers=H).json()  # what the SDK's e2e test sends
    assert len(body["content"]) == 25
