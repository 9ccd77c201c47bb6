"""``jsoninput.check`` reads a container's strings in place (a 100,000-profile fixtures document
holds millions); it must refuse exactly what it refused, naming the same problem first."""
from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.jsoninput import MAX_DEPTH, JsonInputError, _bad_text, check

def _check_as_before(value) -> None:
    """``jsoninput.check`` as it was, one stacked node at a time: the reference."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        kind = type(node)
        if kind is str:
            if _bad_text(node):
                raise JsonInputError("a string holds a lone surrogate escape (\\ud800 to \\udfff "
                                     "without its pair), which is not Unicode text", "surrogate")
        elif kind is float:
            if not math.isfinite(node):
                raise JsonInputError("NaN and infinite numbers are not JSON values", "number")
        elif kind is dict or kind is list:
            if depth >= MAX_DEPTH:
                raise JsonInputError(f"arrays and objects are nested more than {MAX_DEPTH} deep", "depth")
            if kind is dict:
                for key, item in node.items():
                    if isinstance(key, str) and _bad_text(key):
                        raise JsonInputError("a member name holds a lone surrogate escape (\\ud800 to "
                                             "\\udfff without its pair), which is not Unicode text", "surrogate")
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in node)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.sampled_from(["a", "é", "\ud800", "x\udfff"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(["k", "é", "\ud801", 3]), st.text(max_size=3)), inner, max_size=4)),
    max_leaves=30)


def _outcome(checker, value):
    try:
        checker(value)
    except JsonInputError as exc:
        return (exc.kind, exc.reason)
    return None


@settings(max_examples=1500, deadline=None)
@given(json_values)
def test_jsoninput_check_refuses_what_it_refused_naming_the_same_problem(value):
    assert _outcome(check, value) == _outcome(_check_as_before, value)


def test_jsoninput_check_depth_limit_is_where_it_was():
    for depth in (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 5000):
        value: object = "x"
        for i in range(depth):
            value = [value] if i % 2 else {"k": value}
        assert _outcome(check, value) == _outcome(_check_as_before, value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.sampled_from(["\ufeff{}", "\ufeff", "{}", "[1.5, 2]", "NaN", '{"a": 1e999}',
                                                        '{"a": [1, {"b": null}]}', "[", '"\\ud800"'])))
def test_loads_decodes_and_refuses_as_json_loads_does(text):
    """``loads`` keeps one decoder for every call; it reads exactly what ``json.loads`` with the
    same hooks reads (a byte-order mark included), then applies ``check``."""
    from emulator.jsoninput import _constant, _finite, loads
    try:
        expected = json.loads(text, parse_constant=_constant, parse_float=_finite)
        check(expected)
    except JsonInputError as exc:
        expected = ("refused", exc.kind, exc.reason)
    except (ValueError, RecursionError) as exc:
        expected = ("refused", "syntax", str(exc))
    try:
        got = loads(text)
    except JsonInputError as exc:
        got = ("refused", exc.kind, exc.reason)
    assert got == expected
