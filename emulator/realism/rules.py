"""Fault and latency rules: what they look like, which requests they match, when they fire.

A rule belongs to one vendor and one tenant (it is kept in that tenant's settings, so resetting
the tenant forgets it) and may narrow itself to a method and a path pattern. Each matching
request is one *draw*: the rule fires when ``probability`` says so and its ``count`` is not used
up. Draws are a pure function of ``(seed, draw number)``, never of a shared random generator, so
the same rule seen by the same sequence of requests fires on the same requests every time, in
every process, and a rule exported with its counters and seeded back carries on where it was.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from ..jsondoc import Doc

CONNECTION_FAULTS = ("reset", "empty", "truncated")
#: longest delay a rule may ask for (seconds): a test that wants more wants the clock instead
MAX_DELAY = 600.0
#: the ceiling of a log-normal draw when the rule names none
DEFAULT_LOGNORMAL_MAX = 60.0


class LatencySchema(Schema):
    """Exactly one of ``fixed`` (seconds), ``uniform`` ([low, high] seconds) or ``lognormal``
    (``{"median": s, "sigma": σ}``), and an optional ceiling ``max`` (seconds)."""

    class Meta:
        unknown = RAISE

    fixed = fields.Float(validate=validate.Range(min=0, max=MAX_DELAY))
    uniform = fields.List(fields.Float(validate=validate.Range(min=0, max=MAX_DELAY)),
                          validate=validate.Length(equal=2))
    lognormal = fields.Dict(keys=fields.String(validate=validate.OneOf(["median", "sigma"])),
                            values=fields.Float(validate=validate.Range(min=0, max=MAX_DELAY)))
    max = fields.Float(validate=validate.Range(min=0, max=MAX_DELAY))

    @validates_schema
    def _one_distribution(self, data: Doc, **kwargs) -> None:
        given = [k for k in ("fixed", "uniform", "lognormal") if k in data]
        if len(given) != 1:
            raise ValidationError("Give exactly one of 'fixed', 'uniform', 'lognormal'.")
        if "uniform" in data and data["uniform"][0] > data["uniform"][1]:
            raise ValidationError("[low, high] with low ≤ high.", "uniform")
        if "lognormal" in data and set(data["lognormal"]) != {"median", "sigma"}:
            raise ValidationError("Give both 'median' (seconds) and 'sigma'.", "lognormal")


class FaultSchema(Schema):
    """An answer in place of the vendor's: an HTTP status (the vendor's own body for it unless
    ``body`` is given), or a broken connection (``connection``: reset, empty, truncated)."""

    class Meta:
        unknown = RAISE

    status = fields.Integer(validate=validate.Range(min=200, max=599))
    message = fields.String()
    body = fields.String()
    content_type = fields.String(validate=validate.Length(min=1))
    headers = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")),
                          values=fields.String())
    connection = fields.String(validate=validate.OneOf(CONNECTION_FAULTS))

    @validates_schema
    def _consistent(self, data: Doc, **kwargs) -> None:
        if data.get("connection") in ("reset", "empty"):
            extra = sorted(set(data) - {"connection"})
            if extra:
                raise ValidationError(f"A '{data['connection']}' connection fault sends no answer; drop {extra[0]!r}.")
        if "content_type" in data and "body" not in data:
            raise ValidationError("'content_type' goes with 'body'.", "content_type")
        for name in data.get("headers", {}):
            if any(ord(c) < 32 for c in data["headers"][name]):
                raise ValidationError("Header values cannot hold control characters.", "headers")


def _path_pattern(value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(f"Not a regular expression: {exc}.") from None


class Methods(fields.Field):
    """``"PUT"`` or ``["GET", "PUT"]``, stored upper-case as a list."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> list[str]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(
                isinstance(m, str) and re.fullmatch(r"[A-Za-z]+", m) for m in items):
            raise ValidationError("A method name or a list of them.")
        return sorted({m.upper() for m in items})

    def _serialize(self, value: Any, attr, obj, **kwargs) -> Any:
        return value


class RuleSchema(Schema):
    """One rule as the control plane and the fixtures write it (vendor and tenant aside)."""

    class Meta:
        unknown = RAISE

    id = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,64}$"))
    method = Methods()
    path = fields.String(validate=_path_pattern)
    fault = fields.Nested(FaultSchema)
    latency = fields.Nested(LatencySchema)
    probability = fields.Float(load_default=1.0, validate=validate.Range(min=0, max=1))
    seed = fields.Integer(load_default=0, strict=True)
    count = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0))
    matched = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))
    fired = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))

    @validates_schema
    def _does_something(self, data: Doc, **kwargs) -> None:
        if "fault" not in data and "latency" not in data:
            raise ValidationError("A rule needs a 'fault', a 'latency', or both.")



def export_rule(rule: Doc) -> Doc:
    """The rule as the fixtures and the control plane show it (every key, in a stable order)."""
    keys = ("id", "method", "path", "fault", "latency", "probability", "seed", "count", "matched", "fired")
    return {k: rule[k] for k in keys if k in rule}


# -- deciding ----------------------------------------------------------------------------------
def draw(seed: int, n: int, purpose: str) -> random.Random:
    """The random source of draw ``n`` of a rule: the same for the same seed and n, always."""
    return random.Random(f"{seed}:{n}:{purpose}")


def matches(rule: Doc, method: str, path: str) -> bool:
    if rule.get("count") == 0:
        return False
    if "method" in rule and method.upper() not in rule["method"]:
        return False
    return "path" not in rule or re.fullmatch(rule["path"], path) is not None


def delay_of(latency: Doc, rng: random.Random) -> float:
    if "fixed" in latency:
        seconds = latency["fixed"]
        ceiling = latency.get("max", MAX_DELAY)
    elif "uniform" in latency:
        low, high = latency["uniform"]
        seconds = rng.uniform(low, high)
        ceiling = latency.get("max", MAX_DELAY)
    else:
        params = latency["lognormal"]
        median = params["median"]
        seconds = rng.lognormvariate(math.log(median), params["sigma"]) if median > 0 else 0.0
        ceiling = latency.get("max", DEFAULT_LOGNORMAL_MAX)
    return max(0.0, min(seconds, ceiling))


@dataclass
class Decision:
    """What the rules of one tenant do to one request."""

    delay: float = 0.0
    fault: Doc | None = None
    fault_rule: str | None = None
    notes: list[str] = field(default_factory=list)


def decide(rules: list[Doc], method: str, path: str) -> tuple[list[Doc], Decision, bool]:
    """Apply one request to a tenant's rules, in order; return the rules with their counters
    moved on, the decision, and whether any rule matched (so the caller knows to save).

    Every firing rule adds its delay; the first firing rule with a fault answers, and the rules
    after it are not consulted (their draws are not used up).
    """
    decision = Decision()
    touched = False
    updated: list[Doc] = []
    for rule in rules:
        if decision.fault is not None or not matches(rule, method, path):
            updated.append(rule)
            continue
        touched = True
        n = rule.get("matched", 0)
        rule = {**rule, "matched": n + 1}
        probability = rule.get("probability", 1.0)
        fires = probability >= 1.0 or draw(rule.get("seed", 0), n, "fire").random() < probability
        if fires:
            rule["fired"] = rule.get("fired", 0) + 1
            if rule.get("count") is not None:
                rule["count"] -= 1
            if "latency" in rule:
                seconds = delay_of(rule["latency"], draw(rule.get("seed", 0), n, "latency"))
                decision.delay += seconds
                decision.notes.append(f"latency {seconds:.3f} s (rule {rule['id']})")
            if "fault" in rule:
                decision.fault = rule["fault"]
                decision.fault_rule = rule["id"]
                decision.notes.append(f"fault: {describe_fault(rule['fault'])} (rule {rule['id']})")
        updated.append(rule)
    return updated, decision, touched


def describe_fault(fault: Doc) -> str:
    if "connection" in fault:
        return {"reset": "connection reset", "empty": "empty response",
                "truncated": "truncated body"}[fault["connection"]] + (
            f" of a {fault['status']}" if "status" in fault else "")
    return f"HTTP {fault['status']}" if "status" in fault else "the vendor's default error"
