"""The control plane's guard over HTTP (emulator/control/guard.py): Host, Origin and token rules,
and ``serve`` refusing a non-loopback address without a token. Vendor routes are untouched."""
from __future__ import annotations

import pytest
import requests
from click.testing import CliRunner

from emulator import create_app
from emulator.cli import cli
from emulator.settings import Settings
from emulator.testing.server import ThreadServer

COPERNICA = "access_token=demo-copernica-token"
SECRET = "s3cret-token"


@pytest.fixture(scope="module")
def server():
    with ThreadServer(settings=Settings(allowed_hosts=["emulator.internal", ".svc.example"])) as srv:
        yield srv


@pytest.fixture(scope="module")
def token_server():
    with ThreadServer(settings=Settings(control_token=SECRET)) as srv:
        yield srv


def profile_count(base: str) -> int:
    return requests.get(f"{base}/_emulator/health", timeout=10).json()["vendors"]["copernica"]["profiles"]


def firstname(base: str) -> str:
    return requests.get(f"{base}/v3/profile/1?{COPERNICA}", timeout=10).json()["fields"]["firstname"]


# -- Origin / Referer on writes ------------------------------------------------------------------
def test_a_cross_origin_text_plain_reset_is_refused_and_nothing_changes(server):
    """The CSRF of the issue: a page elsewhere posts text/plain (no CORS preflight)."""
    before = profile_count(server.url)
    assert before > 0
    reply = requests.post(f"{server.url}/_emulator/reset", data="{}", timeout=10,
                          headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert reply.status_code == 403
    assert reply.headers["Content-Type"] == "application/json"
    body = reply.json()
    assert body["emulator"] == "martech-emulator" and body["status"] == 403
    assert body["error"].startswith("control plane refused: a POST from Origin 'https://evil.example'")
    assert profile_count(server.url) == before


def test_a_cross_origin_seed_is_refused_and_the_profile_is_unchanged(server):
    document = {"copernica": {"accounts": [{"name": "Demo Company", "databases": []}]}}
    reply = requests.post(f"{server.url}/_emulator/seed", json=document, timeout=10,
                          headers={"Origin": "http://attacker.test:8080"})
    assert reply.status_code == 403
    assert firstname(server.url) == "John"


@pytest.mark.parametrize("referer", ["https://evil.example/page", "null", "file:///tmp/x.html"])
def test_a_write_with_a_foreign_referer_and_no_origin_is_refused(server, referer):
    before = requests.get(f"{server.url}/_emulator/clock", timeout=10).json()["mode"]
    reply = requests.post(f"{server.url}/_emulator/clock", json={"freeze": True}, timeout=10,
                          headers={"Referer": referer})
    assert reply.status_code == 403
    assert f"Referer {referer!r}" in reply.json()["error"]
    assert requests.get(f"{server.url}/_emulator/clock", timeout=10).json()["mode"] == before


def test_origin_null_is_refused(server):
    reply = requests.delete(f"{server.url}/_emulator/requests", headers={"Origin": "null"}, timeout=10)
    assert reply.status_code == 403


@pytest.mark.parametrize("origin", ["own", "http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8000"])
def test_writes_from_the_emulator_itself_or_a_loopback_page_pass(server, origin):
    origin = server.url if origin == "own" else origin
    reply = requests.post(f"{server.url}/_emulator/drain", headers={"Origin": origin}, timeout=10)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"drained": True, "pending": 0}


def test_a_write_with_neither_header_passes_as_from_curl_or_a_script(server):
    reply = requests.post(f"{server.url}/_emulator/drain", timeout=10)
    assert reply.status_code == 200


def test_a_cross_origin_read_is_left_to_the_browsers_same_origin_policy(server):
    """No CORS header is sent, so the page cannot read the answer; the request itself is harmless."""
    reply = requests.get(f"{server.url}/_emulator/clock", headers={"Origin": "https://evil.example"}, timeout=10)
    assert reply.status_code == 200
    assert "Access-Control-Allow-Origin" not in reply.headers


def test_vendor_routes_take_any_origin_as_the_vendors_do(server):
    reply = requests.put(f"{server.url}/v3/profile/1?{COPERNICA}", json={"fields": {"firstname": "Jo"}},
                         headers={"Origin": "https://evil.example", "Host": "evil.example"}, timeout=10)
    assert reply.status_code == 204
    assert firstname(server.url) == "Jo"
    requests.put(f"{server.url}/v3/profile/1?{COPERNICA}", json={"fields": {"firstname": "John"}}, timeout=10)


# -- Host ------------------------------------------------------------------------------------------
def test_a_foreign_host_cannot_read_the_state(server):
    """The DNS-rebinding read of the issue: the page reaches the emulator under its own name."""
    reply = requests.get(f"{server.url}/_emulator/state", headers={"Host": "evil.example"}, timeout=10)
    assert reply.status_code == 403
    body = reply.json()
    assert body["emulator"] == "martech-emulator"
    assert body["error"] == ("control plane refused: Host 'evil.example' is not a loopback name (127.0.0.1, "
                             "localhost, [::1]) nor an allowed host; if this emulator is meant to be reached "
                             "under that name, start it with --allowed-host evil.example (or "
                             "EMULATOR_ALLOWED_HOSTS)")
    assert "demo-copernica-token" not in reply.text


@pytest.mark.parametrize("host", ["evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io", "10.0.0.5"])
def test_every_control_path_refuses_a_foreign_host_even_unknown_ones(server, host):
    for method, path in [("GET", "/_emulator/health"), ("GET", "/_emulator/"), ("POST", "/_emulator/reset"),
                         ("GET", "/_emulator/no-such-route"), ("POST", "/_emulator/adobe_target/demo/visitors")]:
        reply = requests.request(method, f"{server.url}{path}", headers={"Host": host}, timeout=10)
        assert reply.status_code == 403, (method, path, reply.text)
        assert reply.json()["error"].startswith(f"control plane refused: Host {host!r}")


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:9", "app.localhost:80", "127.0.0.1", "127.8.9.10:1",
                                  "[::1]:8080", "emulator.internal:8080", "api.svc.example"])
def test_loopback_names_and_allowed_hosts_are_answered(server, host):
    reply = requests.get(f"{server.url}/_emulator/clock", headers={"Host": host}, timeout=10)
    assert reply.status_code == 200, reply.text


def test_allowed_hosts_come_from_the_environment_and_the_flag(serve_process):
    process = serve_process("--allowed-host", "one.example", env={"EMULATOR_ALLOWED_HOSTS": "two.example,three.example"})
    # a flag given on the command line wins over the environment variable, as for every flag
    assert requests.get(f"{process.base_url}/_emulator/clock", headers={"Host": "one.example"}).status_code == 200
    assert requests.get(f"{process.base_url}/_emulator/clock", headers={"Host": "two.example"}).status_code == 403
    other = serve_process(env={"EMULATOR_ALLOWED_HOSTS": "two.example,three.example"})
    for host, status in [("two.example", 200), ("three.example:80", 200), ("four.example", 403)]:
        assert requests.get(f"{other.base_url}/_emulator/clock", headers={"Host": host}).status_code == status


# -- token -----------------------------------------------------------------------------------------
def test_with_a_token_a_control_request_without_it_is_refused(token_server):
    reply = requests.get(f"{token_server.url}/_emulator/state", timeout=10)
    assert reply.status_code == 401
    assert reply.headers["WWW-Authenticate"] == 'Bearer realm="martech-emulator control plane"'
    assert reply.json()["error"] == ("control plane needs the control token: send it as 'Authorization: "
                                     "Bearer <token>' (the token set with --control-token or "
                                     "EMULATOR_CONTROL_TOKEN)")


def test_with_a_token_a_wrong_one_is_refused_and_nothing_changes(token_server):
    headers = {"Authorization": f"Bearer {SECRET}"}
    before = requests.get(f"{token_server.url}/_emulator/state", headers=headers, timeout=10).json()
    for sent in ["Bearer wrong", f"Basic {SECRET}", SECRET, "Bearer "]:
        reply = requests.post(f"{token_server.url}/_emulator/reset", headers={"Authorization": sent}, timeout=10)
        assert reply.status_code == 401, sent
    assert requests.get(f"{token_server.url}/_emulator/state", headers=headers, timeout=10).json() == before


def test_with_the_token_the_control_plane_answers(token_server):
    headers = {"Authorization": f"Bearer {SECRET}"}
    assert requests.post(f"{token_server.url}/_emulator/drain", headers=headers, timeout=10).status_code == 200
    assert requests.get(f"{token_server.url}/_emulator/tenants", headers=headers, timeout=10).status_code == 200


@pytest.mark.parametrize("path", ["/_emulator/", "/_emulator/docs", "/_emulator/assets/dashboard.js",
                                  "/_emulator/openapi.json", "/_emulator/health"])
def test_with_a_token_the_pages_documents_and_health_stay_open(token_server, path):
    assert requests.get(f"{token_server.url}{path}", timeout=10).status_code == 200


def test_with_a_token_vendor_routes_need_only_the_vendors_credentials(token_server):
    assert requests.get(f"{token_server.url}/v3/profile/1?{COPERNICA}", timeout=10).status_code == 200


def test_the_token_does_not_excuse_a_foreign_host_or_origin(token_server):
    headers = {"Authorization": f"Bearer {SECRET}"}
    assert requests.get(f"{token_server.url}/_emulator/state", timeout=10,
                        headers={**headers, "Host": "evil.example"}).status_code == 403
    assert requests.post(f"{token_server.url}/_emulator/drain", timeout=10,
                         headers={**headers, "Origin": "https://evil.example"}).status_code == 403


# -- serve ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_serve_on_a_non_loopback_address_refuses_to_start_without_a_token(host, monkeypatch):
    monkeypatch.delenv("EMULATOR_CONTROL_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--port", "0"])
    assert result.exit_code == 2
    assert (f"--host {host} makes the emulator reachable from other machines, and its control plane "
            f"(/_emulator: reset, seed, and the state with every tenant's credentials) with it; set a "
            f"control token with --control-token or EMULATOR_CONTROL_TOKEN, or bind 127.0.0.1") in result.output


def test_serve_on_a_non_loopback_address_with_a_token_starts_and_warns(monkeypatch):
    """Started for real but never bound: waitress's server is replaced by one that stops at once."""
    made = {}

    class Bound:
        effective_port = 8080

        def run(self):
            made["ran"] = True

        def close(self):
            pass

    def create_server(app, **kwargs):
        made.update(kwargs, app=app)
        return Bound()

    monkeypatch.setattr("emulator.serving.create_server", create_server)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"], env={"EMULATOR_CONTROL_TOKEN": SECRET})
    assert result.exit_code == 0, result.output
    assert made["ran"] and made["host"] == "0.0.0.0"
    settings = made["app"].extensions["emulator"].settings
    assert settings.control_token == SECRET
    assert "WARNING: listening on 0.0.0.0: other machines can reach" in result.output
    assert "#token=<token>" in result.output
    assert SECRET not in result.output


def test_a_thread_server_on_a_non_loopback_address_needs_a_token():
    with pytest.raises(ValueError, match="give its Settings a control_token"):
        ThreadServer(create_app(Settings()), host="0.0.0.0")


def test_seed_and_export_send_the_token(token_server, tmp_path):
    fixtures = tmp_path / "f.json"
    fixtures.write_text('{"copernica": {"accounts": []}}')
    refused = CliRunner().invoke(cli, ["export", "--url", token_server.url])
    assert refused.exit_code == 1
    assert "control plane needs the control token" in refused.output
    exported = CliRunner().invoke(cli, ["export", "--url", token_server.url, "--control-token", SECRET])
    assert exported.exit_code == 0 and '"copernica"' in exported.output
    seeded = CliRunner().invoke(cli, ["seed", str(fixtures), "--url", token_server.url],
                                env={"EMULATOR_CONTROL_TOKEN": SECRET})
    assert seeded.exit_code == 0, seeded.output


def test_with_a_token_the_openapi_document_says_which_operations_need_it(token_server, server):
    document = requests.get(f"{token_server.url}/_emulator/openapi.json", timeout=10).json()
    assert document["components"]["securitySchemes"]["controlToken"] == {
        "type": "http", "scheme": "bearer", "description": "the token given with --control-token"}
    paths = document["paths"]
    assert paths["/_emulator/state"]["get"]["security"] == [{"controlToken": []}]
    assert paths["/_emulator/reset"]["post"]["security"] == [{"controlToken": []}]
    assert paths["/_emulator/adobe_target/{client}/visitors"]["post"]["security"] == [{"controlToken": []}]
    assert "security" not in paths["/_emulator/health"]["get"]
    assert paths["/v3/profile/{profile_id}"]["get"]["security"] == [{"copernicaToken": []}, {"copernicaBearer": []}]
    plain = requests.get(f"{server.url}/_emulator/openapi.json", timeout=10).json()
    assert "controlToken" not in plain["components"]["securitySchemes"]
    assert "security" not in plain["paths"]["/_emulator/state"]["get"]
