"""Copernica's ``fields`` selection (vendor-apis.md §4.4), through GET and PUT database/$id/profiles.

Demo database 1 holds: 1 John Smith (customerid 4567, score 7.5, netherlands), 2 Maria Jansen
(1001, 9, netherlands), 3 Max Muller (1002, 4.25, germany), 4 Lotte Peeters (1003, 6, belgium).
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

TOKEN = "access_token=demo-copernica-token"


def selected(api, *expressions: str, encoding: str = "literal") -> list[str]:
    if encoding == "literal":
        query = "&".join(f"fields[]={quote(e, safe='')}" for e in expressions)
    else:  # what PHP's http_build_query sends
        query = "&".join(f"fields%5B{i}%5D={quote(e, safe='')}" for i, e in enumerate(expressions))
    reply = api.get(f"/v3/database/1/profiles?{TOKEN}&{query}")
    assert reply.status_code == 200, reply.text
    return [p["ID"] for p in reply.json()["data"]]


@pytest.mark.parametrize("expression, expected", [
    ("customerid==4567", ["1"]),
    ("customerid!=4567", ["2", "3", "4"]),
    ("customerid<>4567", ["2", "3", "4"]),
    ("customerid<1002", ["2"]),
    ("customerid>1002", ["1", "4"]),
    ("customerid<=1002", ["2", "3"]),
    ("customerid>=1002", ["1", "3", "4"]),
    ("score>7", ["1", "2"]),
    ("firstname=~M%", ["2", "3"]),
    ("firstname=~M_x", ["3"]),
    ("firstname!~M%", ["1", "4"]),
    ("lastname==smith", ["1"]),          # text compares case-insensitively (MySQL collation)
    ("country==netherlands", ["1", "2"]),
    ("birthdate<1979-01-01", ["2", "3", "4"]),  # empty date 0000-00-00 sorts first
    ("id==3", ["3"]),
    ("ID>2", ["3", "4"]),
    ("modified>2000-01-01 00:00:00", ["1", "2", "3", "4"]),
    (" LASTNAME==jANSEN ", ["2"]),       # the whole expression is trimmed, names case-insensitive
    ("lastname ==Jansen", ["1", "2", "3", "4"]),  # 'lastname ' is no field: ignored
    ("lastname== Jansen", []),           # text values are not trimmed
    ("customerid== 1001", ["2"]),        # number values are
    ("nosuchfield==1", ["1", "2", "3", "4"]),
    ("customerid=4567", ["1", "2", "3", "4"]),  # '=' is no operator: ignored
    ("garbage", ["1", "2", "3", "4"]),
])
def test_each_operator(api, expression, expected):
    assert selected(api, expression) == expected


def test_conditions_are_anded_even_on_the_same_field(api):
    assert selected(api, "country==netherlands", "score>8") == ["2"]
    assert selected(api, "customerid>1000", "customerid<1003") == ["2", "3"]


def test_percent_encoded_php_indexes_select_the_same(api):
    assert selected(api, "country==netherlands", "score>8", encoding="php") == ["2"]


def test_code_selects_by_secret(api):
    secret = api.get(f"/v3/profile/3?{TOKEN}").json()["secret"]
    assert selected(api, f"code=={secret}") == ["3"]


def test_an_empty_value_matches_empty_fields(api):
    assert selected(api, "birthdate==") == []  # a date with no value reads 0000-00-00, not ''
    assert selected(api, "optin_date==") == ["1", "2", "3"]


def test_the_parameter_name_is_case_sensitive(api):
    reply = api.get(f"/v3/database/1/profiles?{TOKEN}&FIELDS[]=id==1")
    assert [p["ID"] for p in reply.json()["data"]] == ["1", "2", "3", "4"]
