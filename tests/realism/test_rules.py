"""Rules and quotas as plain Python: matching, deterministic draws, counters, distributions."""
from __future__ import annotations

import math
import statistics

import pytest
from marshmallow import ValidationError

from emulator.realism.quota import RollingCounter
from emulator.realism.rules import RuleSchema, decide, delay_of, draw, matches


def rule(**spec) -> dict:
    return {"id": "r", **RuleSchema().load(spec)}


def test_a_loaded_rule_has_every_default():
    assert RuleSchema().load({"fault": {}}) == {"fault": {}, "probability": 1.0, "seed": 0, "count": None,
                                                "matched": 0, "fired": 0}


def test_matching_by_method_and_whole_path():
    r = rule(method="put", path=r"/v3/profile/\d+", fault={})
    assert matches(r, "PUT", "/v3/profile/12")
    assert not matches(r, "GET", "/v3/profile/12")
    assert not matches(r, "PUT", "/v3/profile/12/fields")  # the whole path must match
    assert not matches({**r, "count": 0}, "PUT", "/v3/profile/12")  # used up


def test_draws_depend_on_seed_and_number_only():
    assert draw(1, 5, "fire").random() == draw(1, 5, "fire").random()
    assert draw(1, 5, "fire").random() != draw(1, 6, "fire").random()
    assert draw(1, 5, "fire").random() != draw(2, 5, "fire").random()
    assert draw(1, 5, "fire").random() != draw(1, 5, "latency").random()


def test_a_rule_carries_on_where_its_counters_say():
    """Exported with ``matched`` and seeded back, a rule fires where the original would have."""
    original = [rule(id="r", fault={}, probability=0.5, seed=3)]
    fired = []
    for _ in range(20):
        original, decision, _ = decide(original, "GET", "/x")
        fired.append(decision.fault is not None)
    resumed = [rule(id="r", fault={}, probability=0.5, seed=3)]
    for _ in range(10):
        resumed, _, _ = decide(resumed, "GET", "/x")
    copy = [rule(**{k: v for k, v in resumed[0].items()})]
    tail = []
    for _ in range(10):
        copy, decision, _ = decide(copy, "GET", "/x")
        tail.append(decision.fault is not None)
    assert tail == fired[10:]
    assert original[0]["matched"] == 20 and original[0]["fired"] == sum(fired)


def test_a_fault_stops_evaluation_and_latencies_add_up():
    rules = [rule(id="a", latency={"fixed": 0.1}), rule(id="b", latency={"fixed": 0.2}, fault={"status": 503}),
             rule(id="c", fault={"status": 500})]
    updated, decision, touched = decide(rules, "GET", "/x")
    assert touched and decision.fault == {"status": 503} and decision.fault_rule == "b"
    assert decision.delay == pytest.approx(0.3)
    assert decision.notes == ["latency 0.100 s (rule a)", "latency 0.200 s (rule b)", "fault: HTTP 503 (rule b)"]
    assert [r["matched"] for r in updated] == [1, 1, 0]


def test_no_rule_matching_touches_nothing():
    rules = [rule(id="a", method="PUT", fault={})]
    updated, decision, touched = decide(rules, "GET", "/x")
    assert not touched and updated == rules and decision.fault is None and decision.delay == 0


def test_count_runs_down_only_when_the_rule_fires():
    rules = [rule(id="a", fault={}, probability=0.5, seed=1, count=2)]
    seen = 0
    while rules[0]["count"]:
        rules, _, _ = decide(rules, "GET", "/x")
        seen += 1
    assert rules[0]["fired"] == 2 and rules[0]["matched"] == seen >= 2


def test_uniform_and_lognormal_delays_stay_in_bounds_and_look_like_their_distribution():
    uniform = [delay_of({"uniform": [0.1, 0.3]}, draw(0, n, "latency")) for n in range(2000)]
    assert min(uniform) >= 0.1 and max(uniform) <= 0.3
    assert statistics.mean(uniform) == pytest.approx(0.2, abs=0.01)
    lognormal = [delay_of({"lognormal": {"median": 0.2, "sigma": 0.5}}, draw(0, n, "latency")) for n in range(2000)]
    assert statistics.median(lognormal) == pytest.approx(0.2, rel=0.1)
    assert max(lognormal) <= 60.0 and min(lognormal) > 0
    capped = [delay_of({"lognormal": {"median": 0.2, "sigma": 2}, "max": 0.5}, draw(0, n, "latency"))
              for n in range(500)]
    assert max(capped) == 0.5
    assert delay_of({"fixed": 2, "max": 1}, draw(0, 0, "latency")) == 1
    assert delay_of({"lognormal": {"median": 0, "sigma": 1}}, draw(0, 0, "latency")) == 0
    assert not any(math.isnan(x) for x in lognormal)


@pytest.mark.parametrize("spec, message", [
    ({}, {"_schema": ["A rule needs a 'fault', a 'latency', or both."]}),
    ({"fault": {"connection": "empty", "body": "x"}}, {"fault": {"_schema": [
        "A 'empty' connection fault sends no answer; drop 'body'."]}}),
    ({"fault": {"content_type": "text/plain"}}, {"fault": {"content_type": ["'content_type' goes with 'body'."]}}),
    ({"fault": {"headers": {"X-A": "a\nb"}}},
     {"fault": {"headers": ["Header values cannot hold control characters."]}}),
    ({"fault": {"headers": {"bad name": "x"}}}, {"fault": {"headers": {"bad name": {"key": [
        "String does not match expected pattern."]}}}}),
    ({"latency": {"lognormal": {"median": 1}}},
     {"latency": {"lognormal": ["Give both 'median' (seconds) and 'sigma'."]}}),
    ({"latency": {"fixed": 601}},
     {"latency": {"fixed": ["Must be greater than or equal to 0 and less than or equal to 600.0."]}}),
    ({"fault": {}, "count": -1}, {"count": ["Must be greater than or equal to 0."]}),
    ({"fault": {}, "id": "has space"}, {"id": ["String does not match expected pattern."]}),
])
def test_bad_rules_are_refused(spec, message):
    with pytest.raises(ValidationError) as caught:
        RuleSchema().load(spec)
    assert caught.value.messages == message


def test_the_rolling_counter_forgets_calls_24_hours_after_their_minute():
    counter = RollingCounter()
    start = 60 * 16667 + 20.0  # 20 s into a minute
    assert [counter.take(start, 2).allowed for _ in range(3)] == [True, True, False]
    refused = counter.take(start + 100, 2)
    assert (refused.allowed, refused.used, refused.limit) == (False, 2, 2)
    assert refused.retry_after == pytest.approx(86400 - 20 - 100)
    assert not counter.take(start + 86400 - 21, 2).allowed
    again = counter.take(start + 86400 - 20, 2)
    assert again.allowed and again.used == 1
    assert counter.used(start + 86400 - 20) == 1


def test_the_rolling_counter_keeps_a_bounded_number_of_buckets():
    counter = RollingCounter()
    for minute in range(3 * 1440):
        counter.take(minute * 60.0, 10**9)
    assert len(counter._buckets) <= 1441
    # at the start of minute 4320, the call of minute 2880 is exactly 24 hours old: gone
    assert counter.used(3 * 1440 * 60.0) == 1439
