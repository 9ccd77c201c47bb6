"""How Copernica stores a value, rule by rule (vendor-apis.md §4.1, §4.5, §4.6, §4.10), one
table per rule, each row citing its source:

* ``[rmuit]``: rmuit/copernica-api ``tests/HelperTest.php::provideDataForNormalizeInputValue``,
  the spec its author reverse-engineered from the live API;
* ``[php]``: PHP's own behaviour (Copernica is PHP), confirmed with ``php -r`` on PHP 8.2
  (``python tests/copernica/confirm_with_php.py`` reruns every ``[php]`` row through PHP);
* ``[issue 16]``: the misses the issue names.

Dates are read in Copernica's time zone, Europe/Amsterdam (UTC+1 in winter, +2 in summer).
"""
from __future__ import annotations

import pytest

from emulator.vendors.copernica.fieldtypes import normalize, php_bool, php_float, php_int
from emulator.vendors.copernica.model import secret_text
from emulator.vendors.copernica.requestdata import php_nested

# (input, datetime field, date field, source); "" means the type's empty value
DATES = [
    ("2020-01-02 03:04:05", "2020-01-02 03:04:05", "[rmuit]"),
    ("  2020-01-02t03:04:05  ", "2020-01-02 03:04:05", "[rmuit]"),
    ("2020-01-02t03:04:05.987654", "2020-01-02 03:04:05", "[rmuit]"),
    ("2020-01-02 03:4", "2020-01-02 03:04:00", "[rmuit]"),
    ("2020-01-02 03:", "", "[rmuit]"),
    ("2020-01-02 03:04 02:00", "", "[rmuit]"),
    ("2020-01-02tz03:04", "", "[rmuit]"),
    ("2020-2", "2020-02-01 00:00:00", "[rmuit]"),
    ("2020 2", "", "[rmuit]"),
    ("1900-01-001 00:00", "", "[rmuit]"),
    ("aa", "", "[rmuit]"),
    ("true", "", "[rmuit]"),
    ("", "", "[rmuit]"),
    ("@1577934245", "2020-01-02 04:04:05", "[rmuit] (2020-01-02 03:04:05Z)"),
    ("2020-01-02 03:04:05z", "2020-01-02 04:04:05", "[rmuit]"),
    ("2020-01-02 03:04:05utc", "2020-01-02 04:04:05", "[rmuit]"),
    ("2020-01-02 03:04:05+03:00", "2020-01-02 01:04:05", "[rmuit]"),
    ("01/31/2024", "2024-01-31 00:00:00", "[issue 16] [php]"),
    ("31.01.2024", "2024-01-31 00:00:00", "[issue 16] [php]"),
    ("2024-01-31T10:11:12+02:00", "2024-01-31 09:11:12", "[issue 16] [php]"),
    ("2024-06-30T10:11:12+02:00", "2024-06-30 10:11:12", "[php] (summer: +02:00 is Amsterdam's own)"),
    ("2024-02-30", "2024-03-01 00:00:00", "[php] (overflowing day rolls over)"),
    ("2024-00-00", "2023-11-30 00:00:00", "[php]"),
    ("2020-02-31 10:00", "2020-03-02 10:00:00", "[php]"),
    ("2020-01-02 24:01", "2020-01-03 00:01:00", "[php]"),
    ("2024-13-01", "", "[php]"),
    ("2024-01-32", "", "[php]"),
    ("2024-01-31 25:00:00", "", "[php]"),
    ("13/01/2024", "", "[php]"),
    ("2024-01", "2024-01-01 00:00:00", "[php]"),
    ("20240131", "2024-01-31 00:00:00", "[php]"),
    ("31-01-2024", "2024-01-31 00:00:00", "[php]"),
    ("1/2/24", "2024-01-02 00:00:00", "[php]"),
    ("2024/01/31", "2024-01-31 00:00:00", "[php]"),
    ("31.1.24", "2024-01-31 00:00:00", "[php]"),
    ("24-01-31", "2024-01-31 00:00:00", "[php]"),
    ("2024-1-5 3:04", "2024-01-05 03:04:00", "[php]"),
    ("2024-01-31Z", "2024-01-31 01:00:00", "[php]"),
    ("2020-01-02 03:04:05 +3", "2020-01-02 01:04:05", "[php]"),
    ("2020-01-02T0304", "2020-01-02 03:04:00", "[php]"),
    ("20200102T030405", "2020-01-02 03:04:05", "[php]"),
    ("@1700000000", "2023-11-14 23:13:20", "[php]"),
]

# Copernica's own empty date, and dates before year 0 (rmuit Helper::normalizeInputValue)
ZERO_DATES = [  # (input, datetime, empty_datetime, date, empty_date)
    ("0000-00-00 23:59:59", "0000-00-00 00:00:00", "", "0000-00-00", ""),
    ("0000-00-01 00:00", "0000-00-00 00:00:00", "0000-00-00 00:00:00", "0000-00-00", "0000-00-00"),
]

# non-strings: never a date, not even a number (rmuit: "Timestamps don't work")
NOT_DATES = [True, False, ["any-kind-of-array"], 1596979546, 999, 10000, None, 2.5, {"a": 1}]


@pytest.mark.parametrize("value, expected, source", DATES)
def test_date_and_datetime_fields_read_like_strtotime(value, expected, source):
    assert normalize("datetime", value) == (expected or "0000-00-00 00:00:00")
    assert normalize("empty_datetime", value) == expected
    assert normalize("date", value) == (expected[:10] or "0000-00-00")
    assert normalize("empty_date", value) == expected[:10]


@pytest.mark.parametrize("value, datetime_, empty_datetime, date, empty_date", ZERO_DATES)
def test_the_zero_date_and_negative_years(value, datetime_, empty_datetime, date, empty_date):
    assert [normalize(t, value) for t in ("datetime", "empty_datetime", "date", "empty_date")] == \
        [datetime_, empty_datetime, date, empty_date]


@pytest.mark.parametrize("value", NOT_DATES)
def test_values_that_are_not_strings_are_no_date(value):
    assert [normalize(t, value) for t in ("datetime", "empty_datetime", "date", "empty_date")] == \
        ["0000-00-00 00:00:00", "", "0000-00-00", ""]


# (type, input, stored, source)
SCALARS = [
    ("text", "value", "value", "[rmuit]"), ("text", "  value ", "  value ", "[rmuit]"),
    ("text", True, "1", "[rmuit]"), ("text", False, "", "[rmuit]"), ("text", 0, "0", "[rmuit]"),
    ("text", -2, "-2", "[rmuit]"), ("text", 2.99, "2.99", "[rmuit]"), ("text", -2.99, "-2.99", "[rmuit]"),
    ("text", ["any-kind-of-array"], "", "[rmuit]"), ("text", {"a": 1}, "", "[rmuit]"), ("text", None, "", "[php]"),
    ("email", "  value ", "  value ", "[rmuit]"), ("email", True, "1", "[rmuit]"),
    ("email", ["any-kind-of-array"], "", "[rmuit]"),
    ("integer", "value", "0", "[rmuit]"), ("integer", "   3 ", "3", "[rmuit]"), ("integer", "true", "0", "[rmuit]"),
    ("integer", True, "1", "[rmuit]"), ("integer", False, "0", "[rmuit]"), ("integer", -2, "-2", "[rmuit]"),
    ("integer", 2.99, "2", "[rmuit]"), ("integer", -2.99, "-2", "[rmuit]"), ("integer", [], "0", "[rmuit]"),
    ("integer", ["any-kind-of-nonempty-array"], "1", "[rmuit]"), ("integer", {"a": 1}, "1", "[php]"),
    ("integer", None, "0", "[php]"), ("integer", " 12abc", "12", "[php]"), ("integer", "0x1A", "0", "[php]"),
    ("integer", "1e3", "1000", "[php]"), ("integer", float("inf"), "0", "[php] ((int)INF)"),
    ("integer", float("nan"), "0", "[php]"),
    ("float", "value", "0", "[rmuit]"), ("float", " 2.99  ", "2.99", "[rmuit]"), ("float", "true", "0", "[rmuit]"),
    ("float", True, "1", "[rmuit]"), ("float", False, "0", "[rmuit]"), ("float", -2, "-2", "[rmuit]"),
    ("float", 2.99, "2.99", "[rmuit]"), ("float", -2.99, "-2.99", "[rmuit]"), ("float", [], "0", "[rmuit]"),
    ("float", ["any-kind-of-nonempty-array"], "1", "[rmuit]"), ("float", ".5e1x", "5", "[php]"),
    ("float", None, "0", "[php]"),
    ("float", float("inf"), "0", "[choice] PHP's INF has no MySQL float: stored as 0 (docs/copernica.md)"),
]


@pytest.mark.parametrize("field_type, value, stored, source", SCALARS)
def test_text_email_integer_float(field_type, value, stored, source):
    assert normalize(field_type, value) == stored


# (input, stored, choices, source): case-sensitive, choices right-trimmed, values never trimmed
SELECTS = [
    ("value1", "value1", "value1\r\nvalue2", "[rmuit]"), ("value1", "", "VALUE1\r\nvalue2", "[rmuit]"),
    ("value", "", "value1\r\nvalue2", "[rmuit]"), ("value ", "", "value \r\n value\r\n`value", "[rmuit]"),
    (" value", " value", "value \r\n value\r\n`value", "[rmuit]"), (True, "1", "value\r\n1", "[rmuit]"),
    (True, "", "value\r\n", "[rmuit]"), (["value"], "", "value", "[rmuit]"),
]


@pytest.mark.parametrize("value, stored, choices, source", SELECTS)
def test_select_fields(value, stored, choices, source):
    assert normalize("select", value, [c.rstrip() for c in choices.split("\r\n") if c.rstrip()]) == stored


@pytest.mark.parametrize("value, expected, source", [
    ("true", True, "[rmuit] isBooleanTrue"), ("TRue", True, "[rmuit] ApiBehaviorTest total=TRue"),
    ("trUE", True, "[rmuit]"), ("yes", True, "[rmuit]"), ("thisisfalse", False, "[rmuit]"),
    (" true", False, "[rmuit] (spaces falsify)"), ("1", True, "[rmuit]"), ("-2", True, "[rmuit] abs() >= 1"),
    ("0.5", False, "[rmuit]"), (" 1 ", True, "[php] is_numeric allows the spaces"), ("1abc", False, "[php]"),
    ({"0": "x"}, True, "[rmuit] all arrays"), (None, False, "[rmuit]"), (2, True, "[rmuit]"),
])
def test_boolean_parameters(value, expected, source):
    assert php_bool(value) is expected


@pytest.mark.parametrize("value, expected, source", [
    ({"0": "evaluate-to-one"}, 1, "[rmuit] ApiBehaviorTest limit[]=evaluate-to-one"),
    (True, 1, "[rmuit] limit=true (sent as 1)"), ("abc", 0, "[php]"), ("2.9", 2, "[php]"),
])
def test_integer_parameters(value, expected, source):
    assert php_int(value) == expected


@pytest.mark.parametrize("value, expected, source", [
    ("s`~\"{}'üCE", "s`~\"{}'?CE", "[rmuit] ApiBehaviorTest / Helper::normalizeSecretInput"),
    ("", "", "[rmuit] a secret can be emptied"), ("geheimecode", "geheimecode", "[V-doc] rest-put-subprofile"),
    (12, "12", "[rmuit]"), (True, "1", "[php]"), (["x"], "1", "[rmuit] non-scalar"), (None, "1", "[rmuit]"),
])
def test_secrets(value, expected, source):
    assert secret_text(value) == expected


@pytest.mark.parametrize("pairs, expected, source", [
    ([("a[1]", "x"), ("a[]", "y")], {"a": {"1": "x", "2": "y"}}, "[issue 16] [php] parse_str"),
    ([("a[]", "x"), ("a[]", "y")], {"a": {"0": "x", "1": "y"}}, "[php]"),
    ([("a[-3]", "x"), ("a[]", "y")], {"a": {"-3": "x", "-2": "y"}}, "[php] 8.2"),
    ([("a[x]", "x"), ("a[]", "y")], {"a": {"x": "x", "0": "y"}}, "[php]"),
    ([("a[5]", "x"), ("a[07]", "z"), ("a[]", "y")], {"a": {"5": "x", "07": "z", "6": "y"}},
     "[php] (\"07\" is a string key)"),
])
def test_php_form_brackets(pairs, expected, source):
    assert php_nested(pairs) == expected


def test_php_float_prefix():
    assert php_float(" 2.99  ") == 2.99 and php_float("1e999") == float("inf")
