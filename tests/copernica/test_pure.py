"""Copernica's pure helpers: PHP casts, PHP form brackets, selection parsing."""
from __future__ import annotations

import pytest

from emulator.vendors.copernica.fieldtypes import normalize, php_bool, php_float, php_int
from emulator.vendors.copernica.requestdata import as_list, php_nested
from emulator.vendors.copernica.selection import Condition, expressions_from_query, parse

FIELDS = [{"name": "Email", "type": "email"}, {"name": "age", "type": "integer"},
          {"name": "modified", "type": "text"}]


@pytest.mark.parametrize("value, expected", [
    ("42", 42), ("  7x", 7), ("-3", -3), ("1e3", 1000), ("4.9", 4), ("", 0), ("abc", 0),
    (None, 0), (True, 1), (2.7, 2), ([1], 1), ([], 0), (float("nan"), 0)])  # PHP: (int)[1] is 1
def test_php_int(value, expected):
    assert php_int(value) == expected


@pytest.mark.parametrize("value, expected", [("1.5", 1.5), (".5", 0.5), ("3abc", 3.0), ("x", 0.0), (None, 0.0)])
def test_php_float(value, expected):
    assert php_float(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("2", True), ("0", False), ("", False), ("true", True), ("Yes", True),
    ("no", False), ("false", False), ("0.5", False), (1, True), (0, False), (None, False)])
def test_php_bool(value, expected):
    assert php_bool(value) is expected


def test_normalize_select_needs_an_exact_choice():
    assert normalize("select", "a", ["a", "b"]) == "a"
    assert normalize("select", "A", ["a", "b"]) == ""


def test_php_nested_builds_arrays_like_php():
    parsed = php_nested([("fields[email]", "a@b"), ("fields[name]", "N"), ("interests[]", "x"),
                         ("interests[]", "y"), ("plain", "1"), ("deep[a][b]", "c")])
    assert parsed == {"fields": {"email": "a@b", "name": "N"}, "interests": {"0": "x", "1": "y"},
                      "plain": "1", "deep": {"a": {"b": "c"}}}
    assert as_list(parsed["interests"]) == ["x", "y"]
    assert as_list({"football": "1"}) == {"football": "1"}


def test_expressions_from_query_accepts_both_encodings_and_notices_absence():
    assert expressions_from_query([("fields[]", "a==1"), ("fields[]", "b==2")]) == ["a==1", "b==2"]
    assert expressions_from_query([("fields[1]", "b==2"), ("fields[0]", "a==1")]) == ["a==1", "b==2"]
    assert expressions_from_query([("fields", "a==1")]) == []
    assert expressions_from_query([("access_token", "t")]) is None
    assert expressions_from_query([("FIELDS[]", "a==1")]) is None


def test_parse_knows_fields_case_insensitively_and_special_names():
    conditions = parse(["EMAIL==x", "age>=3", "id==9", "code==abc", "modified<2020", "nope==1", "age=1"], FIELDS)
    assert conditions == [
        Condition("Email", "email", "==", "x"),
        Condition("age", "integer", ">=", "3"),
        Condition("#id", "integer", "==", "9"),
        Condition("#code", "text", "==", "abc"),
        Condition("modified", "text", "<", "2020"),  # a real field named modified wins
    ]
