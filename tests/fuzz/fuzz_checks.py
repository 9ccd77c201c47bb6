"""The schemathesis run's own checks (``test_fuzz.py``), beside the built-in conformance checks."""
from __future__ import annotations


class FuzzFailure(AssertionError):
    pass


def documented(case, status: int) -> bool:
    responses = case.operation.definition.raw.get("responses", {})
    return str(status) in responses or f"{str(status)[0]}XX" in responses


def no_undocumented_server_error(ctx, response, case):
    if response.status_code >= 500 and not documented(case, response.status_code):
        raise FuzzFailure(f"{case.method} {case.formatted_path}: undocumented {response.status_code}")
    return None


def no_html_error_page(ctx, response, case):
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    html_documented = any("text/html" in r.get("content", {})
                          for r in case.operation.definition.raw.get("responses", {}).values())
    # an empty body (Flask's automatic answer to OPTIONS) is no page
    if "text/html" in content_type and response.content and not (html_documented and response.status_code == 200):
        raise FuzzFailure(f"{case.method} {case.formatted_path}: an HTML page with {response.status_code}")
    return None
