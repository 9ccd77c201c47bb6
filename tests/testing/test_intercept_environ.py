"""The intercept's hand-built WSGI environ is the one werkzeug's ``EnvironBuilder`` makes.

``intercept.wsgi_environ`` replaces ``EnvironBuilder`` on the intercepted path for speed
(issue 13); whatever a client sends, the app must see the same request either way.
"""
from __future__ import annotations

import string
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder

from emulator.testing.intercept import _HOP_HEADERS, wsgi_environ

#: the streams differ by identity only; their contents are compared apart
_STREAMS = ("wsgi.input", "wsgi.errors")


def built_by_werkzeug(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> dict:
    """What ``dispatch`` did before: ``EnvironBuilder`` with the client's Host, hop headers left out."""
    parts = urlsplit(url)
    sent_host = next((v for k, v in headers if k.lower() == "host"), None) or parts.netloc
    return EnvironBuilder(parts.path or "/", base_url=f"{parts.scheme}://{sent_host}", query_string=parts.query,
                          method=method, data=body,
                          headers=[(k, v) for k, v in headers if k.lower() not in _HOP_HEADERS]).get_environ()


def assert_same(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> None:
    ours = wsgi_environ(method, urlsplit(url), headers, body)
    theirs = built_by_werkzeug(method, url, headers, body)
    assert {k: v for k, v in ours.items() if k not in _STREAMS} == \
        {k: v for k, v in theirs.items() if k not in _STREAMS}
    assert ours["wsgi.input"].read() == theirs["wsgi.input"].read()


@pytest.mark.parametrize(("method", "url", "headers", "body"), [
    ("GET", "https://api.copernica.com/v3/profile/1?access_token=t", [("Accept", "*/*")], b""),
    ("PUT", "https://api.copernica.com/v3/database/1/profiles?fields%5B%5D=customerid%3D%3D4567",
     [("Content-Type", "application/json"), ("Content-Length", "2"), ("Connection", "keep-alive")], b"{}"),
    ("GET", "https://api.copernica.com:8443/v3//profile/1/", [("X-A", "1"), ("x-a", "2")], b""),
    ("GET", "https://mc.adobe.io/org/campaign/profileAndServices/profile/%40ab%20c%ff", [], b""),
    ("GET", "https://mc.adobe.io/org/campaign/profile/caf\u00e9?q=caf\u00e9", [], b""),
    ("POST", "https://demo.tt.omtrdc.net/m2/demo/profile/update?mboxPC=1",
     [("Host", "other.tt.omtrdc.net:444"), ("Content-Type", "application/x-www-form-urlencoded")], b""),
    ("POST", "http://api.copernica.com/v3/profile/1", [("content-type", "text/plain"), ("Content-Type", "x/y")], b"abc"),
    ("DELETE", "https://api.copernica.com", [("Transfer-Encoding", "chunked")], b""),
])
def test_the_environ_of_each_kind_of_request_is_werkzeugs(method, url, headers, body):
    assert_same(method, url, headers, body)


_token = st.text(string.ascii_letters + string.digits + "-_.~%@+", min_size=1, max_size=12)
_header_names = st.sampled_from(["Accept", "X-Api-Key", "x-api-key", "Authorization", "Content-Type",
                                 "Content-Length", "Connection", "User-Agent", "X-Forwarded-For"])
_host_headers = st.tuples(st.just("Host"), st.sampled_from(["api.copernica.com", "a.b:8080", "x"]))


@settings(max_examples=300, deadline=None)
@given(method=st.sampled_from(["GET", "PUT", "POST", "PATCH", "DELETE"]),
       host=st.sampled_from(["api.copernica.com", "mc.adobe.io:443", "x.tt.omtrdc.net:8080"]),
       segments=st.lists(st.one_of(_token, st.text(max_size=6)), max_size=4),
       query=st.lists(st.tuples(_token, st.text(max_size=6)), max_size=3),
       headers=st.lists(st.one_of(_host_headers, st.tuples(_header_names, st.text(string.printable.strip(), max_size=20))),
                        max_size=5),
       body=st.binary(max_size=20))
def test_any_request_gets_werkzeugs_environ(method, host, segments, query, headers, body):
    url = f"https://{host}/" + "/".join(segments) + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
    parts = urlsplit(url)
    if "#" in url or parts.netloc != host:  # a fragment or a host-breaking segment is not a request target
        return
    if parts.path.startswith("//"):
        return  # EnvironBuilder reads "//x" as a host: see test_a_path_starting_with_two_slashes_is_kept
    if any(k.lower() == "content-type" and v.lower().startswith("multipart/") for k, v in headers):
        return  # EnvironBuilder would invent a multipart body for an empty one; a server would not
    assert_same(method, url, headers, body)


@pytest.mark.parametrize("host", [":", "a:b", "[::1", "x?y", ""])
def test_a_host_header_werkzeug_cannot_parse_reaches_the_app_as_sent(host):
    """``EnvironBuilder`` raised on these (the test client's URL parsing); a server passes the
    header through, and so does the intercept: the app gives its own answer."""
    environ = wsgi_environ("GET", urlsplit("https://api.copernica.com/v3/profile/1"), [("Host", host)], b"")
    assert environ["HTTP_HOST"] == (host or "api.copernica.com")


def test_a_path_starting_with_two_slashes_is_kept():
    """``EnvironBuilder`` split ``//v3/profile/1`` as a host and an empty path; a server keeps
    the path as sent, and each vendor makes it canonical (Copernica reads ``//v3`` as ``/v3``)."""
    environ = wsgi_environ("GET", urlsplit("https://api.copernica.com//v3/profile/1"), [], b"")
    assert (environ["PATH_INFO"], environ["REQUEST_URI"]) == ("//v3/profile/1", "//v3/profile/1")


def test_an_ipv6_host_keeps_its_brackets_and_port():
    """``EnvironBuilder`` took ``[`` for the name and dropped the port of ``[::1]:99``."""
    environ = wsgi_environ("GET", urlsplit("https://api.copernica.com/v3/profile/1"), [("Host", "[::1]:99")], b"")
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"], environ["HTTP_HOST"]) == ("[::1]", "99", "[::1]:99")
