"""What a client sees on the wire: status lines, and where ``/`` and ``/_emulator`` lead."""
from __future__ import annotations

import json
import socket
import threading

import pytest

from emulator.app import standard_status
from emulator.serving import make_server
from emulator.testing.server import ThreadServer

TOKEN = "access_token=demo-copernica-token"


@pytest.fixture(scope="module")
def server():
    with ThreadServer() as running:
        yield running


def raw(server: ThreadServer, method: str, target: str, body: bytes = b"",
        headers: dict[str, str] | None = None) -> tuple[str, dict[str, str], bytes]:
    """One request over a real socket; the status line exactly as sent, headers, body."""
    head = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Connection: close",
            f"Content-Length: {len(body)}", *[f"{k}: {v}" for k, v in (headers or {}).items()]]
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head_bytes, _, payload = data.partition(b"\r\n\r\n")
    status, *lines = head_bytes.decode("latin-1").split("\r\n")
    return status, {k.lower(): v for k, v in (line.split(": ", 1) for line in lines)}, payload


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(("method", "target", "body", "headers", "status_line"), [
    ("PUT", f"/v3/profile/1?{TOKEN}", b'{"fields":{"firstname":"Ann"}}', JSON, "HTTP/1.1 204 No Content"),
    ("POST", f"/v3/database/1/profiles?{TOKEN}", b'{"fields":{"email":"a@b.test"}}', JSON, "HTTP/1.1 201 Created"),
    ("GET", "/v3/profile/1?access_token=wrong", b"", {}, "HTTP/1.1 400 Bad Request"),
    ("GET", f"/v3/profile/1?{TOKEN}", b"", {}, "HTTP/1.1 200 OK"),
    ("GET", "/rest/v1/profiles/nobody-here?client=demo", b"", {}, "HTTP/1.1 404 Not Found"),
    ("POST", "/_emulator/adobe_target/demo/visitors", b"{}", JSON, "HTTP/1.1 201 Created"),
    ("GET", "/m2/demo/profile/update", b"", {}, "HTTP/1.1 400 Bad Request"),
    ("GET", "/demo-org/campaign/profileAndServices/profile", b"", {}, "HTTP/1.1 403 Forbidden"),
    ("POST", "/_emulator/seed", b"[]", JSON, "HTTP/1.1 400 Bad Request"),
    ("DELETE", "/_emulator/health", b"", {}, "HTTP/1.1 405 Method Not Allowed"),
    ("GET", "/_emulator/no-such-call", b"", {}, "HTTP/1.1 404 Not Found"),
])
def test_every_status_line_has_the_standard_reason_phrase(server, method, target, body, headers, status_line):
    status, _, _ = raw(server, method, target, body, headers)
    assert status == status_line


def test_root_sends_a_browser_to_the_dashboard(server):
    status, headers, body = raw(server, "GET", "/")
    assert status == "HTTP/1.1 302 Found"
    assert headers["location"] == "/_emulator/"
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"emulator": "martech-emulator", "status": 302, "location": "/_emulator/"}
    page, page_headers, html = raw(server, "GET", headers["location"])
    assert page == "HTTP/1.1 200 OK" and page_headers["content-type"].startswith("text/html")
    assert b"martech-emulator" in html


def test_the_control_plane_without_its_slash_redirects_in_json(server):
    status, headers, body = raw(server, "GET", "/_emulator")
    assert status == "HTTP/1.1 308 Permanent Redirect"
    assert headers["location"] == f"http://127.0.0.1:{server.port}/_emulator/"
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["location"] == headers["location"]
    assert b"Redirecting" not in body


def test_a_reason_phrase_a_vendor_chose_is_kept():
    assert standard_status("204 NO CONTENT") == "204 No Content"
    assert standard_status("413 REQUEST ENTITY TOO LARGE") == "413 Request Entity Too Large"
    assert standard_status("200 Whatever The Vendor Says") == "200 Whatever The Vendor Says"
    assert standard_status("599 NETWORK CONNECT TIMEOUT") == "599 NETWORK CONNECT TIMEOUT"


def exchange(sock: socket.socket, method: str, target: str, body: bytes = b"", version: str = "1.1",
             headers: dict[str, str] | None = None) -> tuple[str, dict[str, str], bytes]:
    """One request on an open connection, and its response read by its framing (Content-Length,
    or none for a bodiless status), so the connection can carry the next one."""
    head = [f"{method} {target} HTTP/{version}", "Host: 127.0.0.1", f"Content-Length: {len(body)}",
            *[f"{k}: {v}" for k, v in (headers or {}).items()]]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the server closed the connection before answering {method} {target}"
        data += chunk
    head_bytes, _, payload = data.partition(b"\r\n\r\n")
    status, *lines = head_bytes.decode("latin-1").split("\r\n")
    fields = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines)}
    while len(payload) < int(fields.get("content-length", 0)):
        payload += sock.recv(65536)
    return status, fields, payload


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(0.5)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False


def test_a_204_keeps_the_connection_for_the_next_request(server):
    """waitress 3.0 alone closes after every response without a Content-Length, a 204 too
    (which must not carry one): each Copernica PUT would cost the client a new connection."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        for name in ("Ann", "Bea"):
            status, headers, body = exchange(sock, "PUT", f"/v3/profile/1?{TOKEN}",
                                             json.dumps({"fields": {"firstname": name}}).encode(), headers=JSON)
            assert status == "HTTP/1.1 204 No Content" and body == b""
            assert "connection" not in headers and "content-length" not in headers
            assert "transfer-encoding" not in headers
        status, _, body = exchange(sock, "GET", f"/v3/profile/1?{TOKEN}")
        assert status == "HTTP/1.1 200 OK" and json.loads(body)["fields"]["firstname"] == "Bea"
        assert not closed_by_server(sock)


def test_a_204_still_closes_when_the_client_asks_or_speaks_http_1_0(server):
    body = b'{"fields":{"firstname":"Ann"}}'
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        status, headers, _ = exchange(sock, "PUT", f"/v3/profile/1?{TOKEN}", body,
                                      headers={**JSON, "Connection": "close"})
        assert status == "HTTP/1.1 204 No Content" and headers["connection"] == "close"
        assert closed_by_server(sock)
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        status, headers, _ = exchange(sock, "PUT", f"/v3/profile/1?{TOKEN}", body, version="1.0", headers=JSON)
        assert status == "HTTP/1.0 204 No Content" and headers["connection"] == "close"
        assert closed_by_server(sock)


def test_a_response_with_a_body_but_no_length_is_still_chunked_and_closed(server):
    """Only bodiless responses changed: one whose length is unknown is framed as waitress did."""
    def unsized(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return iter([b"a", b"b"])

    other = make_server(unsized)
    thread = threading.Thread(target=other.run, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", other.effective_port), timeout=10) as sock:
            status, headers, _ = exchange(sock, "GET", "/")
            assert status == "HTTP/1.1 200 OK"
            assert headers["transfer-encoding"] == "chunked" and headers["connection"] == "close"
    finally:
        other.close()
        other.task_dispatcher.shutdown(timeout=5)
        thread.join(timeout=5)
    assert not thread.is_alive()
