"""In-process interception of the vendors' real hostnames, for requests and httpx."""
from __future__ import annotations

import asyncio
import socket
from types import SimpleNamespace

import httpx
import pytest
import requests

from emulator.testing.intercept import HostMap, HostNotEmulated, HttpxHostNotEmulated, Intercept

COPERNICA = "https://api.copernica.com/v3"
TOKEN = "access_token=demo-copernica-token"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve or connect to somewhere other than loopback fails the test."""
    real, resolve = socket.socket.connect, socket.getaddrinfo
    loopback = ("127.0.0.1", "::1", "localhost")

    def getaddrinfo(host, *args, **kwargs):
        if host not in loopback:
            raise AssertionError(f"a test tried to resolve {host}")
        return resolve(host, *args, **kwargs)

    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in loopback:
            raise AssertionError(f"a test tried to reach the network: {address}")
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_requests_to_copernica_are_answered_in_process_with_the_real_url(emulator, no_network):
    with emulator.intercept():
        reply = requests.put(f"{COPERNICA}/database/1/profiles?{TOKEN}&fields%5B0%5D=customerid%3D%3D4567",
                             json={"fields": {"lastname": "Doe"}}, timeout=10)
        assert (reply.status_code, reply.content, reply.headers.get("Content-Type")) == (204, b"", None)
        reply = requests.get(f"{COPERNICA}/profile/1?{TOKEN}", timeout=10)
        assert reply.headers["Content-Type"] == "application/json"
        assert reply.json()["fields"]["lastname"] == "Doe"
    put, get = emulator.requests()
    assert put.url == f"{COPERNICA}/database/1/profiles?access_token=***&fields%5B0%5D=customerid%3D%3D4567"
    assert put.headers["Host"] == "api.copernica.com" and put.tenant == "Demo Company"
    assert (put.operation, get.operation) == ("copernica.update_profiles", "copernica.profile")
    # the same emulator also answers over loopback: the server saw the change
    assert requests.get(f"{emulator.url}/v3/profile/1?{TOKEN}", timeout=10).json()["fields"]["lastname"] == "Doe"


def test_plain_http_is_intercepted_too_as_the_php_helper_sends_it(emulator, no_network):
    with emulator.intercept():
        reply = requests.post(f"http://api.copernica.com/v3/database/1/profiles?{TOKEN}",
                              json={"fields": {"firstname": "Ann"}}, timeout=10)
    assert reply.status_code == 201 and reply.headers["X-Created"].isdigit()
    assert emulator.requests()[0].url.startswith("http://api.copernica.com/v3/")



def test_target_delivery_at_the_client_host_then_at_the_cluster_host_as_the_sdks_call(emulator, no_network):
    """The Node SDK's flow over the real hostnames: ``<client>.tt.omtrdc.net`` first, then
    ``mboxedge<N>.tt.omtrdc.net`` naming the client only by ``imsOrgId``."""
    org = "DEMO0123456789ABCDEF01234@AdobeOrg"
    body = {"context": {"channel": "web"}, "execute": {"pageLoad": {"profileParameters": {"genre": "jazz"}}}}
    with emulator.intercept():
        first = requests.post(f"https://demo.tt.omtrdc.net/rest/v1/delivery?imsOrgId={org}&sessionId=s1",
                              json=body, timeout=10).json()
        tnt_id, edge = first["id"]["tntId"], first["edgeHost"]
        assert edge == "mboxedge28.tt.omtrdc.net" and first["client"] == "demo"
        second = requests.post(f"https://{edge}/rest/v1/delivery?imsOrgId={org}&sessionId=s1",
                               json={**body, "id": {"tntId": tnt_id}}, timeout=10)
        assert second.status_code == 200 and second.json()["id"] == {"tntId": tnt_id}
        profile = requests.get(f"https://demo.tt.omtrdc.net/rest/v1/profiles/{tnt_id}?client=demo", timeout=10).json()
        assert profile["profileAttributes"]["genre"]["value"] == "jazz"
    calls = emulator.requests()
    assert [(c.headers["Host"], c.tenant, c.operation, c.status) for c in calls] == [
        ("demo.tt.omtrdc.net", "demo", "adobe_target.deliver", 200),
        ("mboxedge28.tt.omtrdc.net", "demo", "adobe_target.deliver", 200),
        ("demo.tt.omtrdc.net", "demo", "adobe_target.fetch_by_tnt_id", 200)]

def test_errors_and_unmatched_paths_get_the_vendors_answer(emulator, no_network):
    with emulator.intercept():
        assert requests.get(f"{COPERNICA}/profile/1?access_token=wrong", timeout=10).json() == {
            "error": {"message": "Invalid access token"}}
        reply = requests.get(f"{COPERNICA}/no/such/thing?{TOKEN}", timeout=10)
    assert (reply.status_code, reply.json()) == (400, {"error": {"message": "Invalid method"}})
    assert [e.path for e in emulator.unmatched()] == ["/v3/no/such/thing"]


def test_httpx_sync_and_async(emulator, no_network):
    with emulator.intercept():
        with httpx.Client() as client:
            reply = client.put(f"{COPERNICA}/database/1/profiles?{TOKEN}&fields[]=customerid==4567",
                               json={"fields": {"lastname": "Sync"}})
            assert reply.status_code == 204

        async def fetch() -> dict:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"{COPERNICA}/profile/1?{TOKEN}")).json()

        assert asyncio.run(fetch())["fields"]["lastname"] == "Sync"
    emulator.assert_request_made("PUT", json={"fields": {"lastname": "Sync"}}, query={"fields[]": "customerid==4567"})


@pytest.mark.parametrize("url", ["https://www.copernica.com/en", "https://rest.copernica.com/v4/x",
                                 "https://ims-na1.adobelogin.com/ims/token/v3", "https://platform.adobe.io/data"])
def test_other_hosts_of_the_vendors_are_refused_and_never_sent(emulator, no_network, url):
    with emulator.intercept():
        with pytest.raises(HostNotEmulated) as caught:
            requests.get(url, timeout=10)
        with pytest.raises(HttpxHostNotEmulated) as caught_httpx:
            httpx.get(url)
    host = url.split("/")[2]
    assert str(caught.value).startswith(f"martech-emulator does not emulate https://{host}/ ")
    assert "was not sent" in str(caught.value) and "api.copernica.com" in str(caught.value)
    assert str(caught_httpx.value) == str(caught.value)
    assert isinstance(caught.value, requests.ConnectionError) and isinstance(caught_httpx.value, httpx.ConnectError)
    assert emulator.requests() == []


def test_other_hosts_pass_through_by_default(emulator):
    with emulator.intercept():
        assert requests.get(f"{emulator.url}/_emulator/health", timeout=10).status_code == 200
        assert httpx.get(f"{emulator.url}/_emulator/health").status_code == 200


def test_passthrough_can_be_refused_or_limited(emulator):
    health = f"{emulator.url}/_emulator/health"
    with emulator.intercept(passthrough=False):
        with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
            requests.get(health, timeout=10)
        with pytest.raises(httpx.ConnectError, match="not allowed through: passthrough is off"):
            httpx.get(health)
        assert requests.get(f"{COPERNICA}/identity?{TOKEN}", timeout=10).status_code == 200
    with emulator.intercept(passthrough=[f"{emulator.url}/_emulator/"]):
        assert requests.get(health, timeout=10).status_code == 200
        assert httpx.get(health).status_code == 200
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{emulator.url}/v3/identity", timeout=10)
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{emulator.url}/v3/identity")


def test_leaving_the_block_removes_the_patches(emulator):
    send, transport = requests.adapters.HTTPAdapter.send, httpx.HTTPTransport.handle_request
    with emulator.intercept():
        assert requests.adapters.HTTPAdapter.send is not send
    assert requests.adapters.HTTPAdapter.send is send
    assert httpx.HTTPTransport.handle_request is transport


def test_the_fixture_intercepts_for_the_whole_test(emulator_intercept, no_network):
    assert requests.get(f"{COPERNICA}/identity?{TOKEN}", timeout=10).json()["name"] == "Demo Company"
    emulator_intercept.assert_request_made("GET", "/v3/identity", tenant="Demo Company")


def test_a_body_sent_as_a_generator_or_file_arrives_whole(emulator, tmp_path):
    path = tmp_path / "body.json"
    path.write_bytes(b'{"fields": {"lastname": "File"}}')
    with emulator.intercept():
        with path.open("rb") as fh:
            requests.put(f"{COPERNICA}/profile/1?{TOKEN}", data=fh, headers={"Content-Type": "application/json"},
                         timeout=10)
        requests.put(f"{COPERNICA}/profile/2?{TOKEN}", data=(c for c in [b'{"fields": ', b'{"lastname": "Gen"}}']),
                     headers={"Content-Type": "application/json"}, timeout=10)
        assert requests.get(f"{COPERNICA}/profile/1?{TOKEN}", timeout=10).json()["fields"]["lastname"] == "File"
        assert requests.get(f"{COPERNICA}/profile/2?{TOKEN}", timeout=10).json()["fields"]["lastname"] == "Gen"


def vendor(name: str, *hostnames: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, hostnames=hostnames)


def test_host_map_matches_subdomains_and_knows_the_vendors_domains():
    target, acs, cop = vendor("adobe_target", "tt.omtrdc.net"), vendor("adobe_campaign", "mc.adobe.io"), \
        vendor("copernica", "api.copernica.com")
    hosts = HostMap([target, acs, cop, vendor("nohost")])
    assert hosts.vendor_for_host("demo.tt.omtrdc.net") is target
    assert hosts.vendor_for_host("DEMO.TT.OMTRDC.NET.") is target
    assert hosts.vendor_for_host("mc.adobe.io") is acs
    assert hosts.vendor_for_host("api.copernica.com") is cop
    for host in ("platform.adobe.io", "www.copernica.com", "omtrdc.net", "x.adobelogin.com", "example.com"):
        assert hosts.vendor_for_host(host) is None
    assert hosts.domains == ["adobe.io", "adobelogin.com", "copernica.com", "omtrdc.net"]
    inside = ["https://demo.tt.omtrdc.net/m2/demo/profile/update", "http://mc.adobe.io:443/x", "https://adobe.io",
              "https://platform.adobe.io?x=1", "https://www.copernica.com#top"]
    outside = ["https://evil-adobe.io/", "https://adobe.io.example.com/", "https://example.com/?u=https://adobe.io/",
               "https://user@example.com/", "https://copernica.com.evil/"]
    assert [bool(hosts.url_pattern.match(u)) for u in inside] == [True] * len(inside)
    assert [bool(hosts.url_pattern.match(u)) for u in outside] == [False] * len(outside)


def test_intercept_without_a_server(no_network):
    from emulator.testing import EmulatorHandle

    handle = EmulatorHandle.in_process()
    try:
        with Intercept(handle.app, passthrough=False):
            assert requests.get(f"{COPERNICA}/identity?{TOKEN}", timeout=10).status_code == 200
        assert handle.count("GET", "/v3/identity") == 1
    finally:
        handle.close()


def test_a_path_of_another_vendor_on_a_vendors_host_is_refused(emulator, monkeypatch, no_network):
    from emulator.testing import intercept as module

    fake = SimpleNamespace(name="adobe_campaign", title="Adobe Campaign Standard", hostnames=("mc.adobe.io",))
    real_owner = module.vendor_for_path
    monkeypatch.setattr(module, "vendor_for_path", lambda path: real_owner(path) or (
        fake if "/campaign/" in path else None))
    with emulator.intercept():
        with pytest.raises(HostNotEmulated) as caught:
            requests.get("https://api.copernica.com/demo-org/campaign/profileAndServices/profile", timeout=10)
        reply = requests.get(f"https://api.copernica.com/elsewhere?{TOKEN}", timeout=10)
    assert str(caught.value) == (
        "martech-emulator does not emulate GET https://api.copernica.com/demo-org/campaign/profileAndServices/profile: "
        "/demo-org/campaign/profileAndServices/profile belongs to Adobe Campaign Standard, which it answers at "
        "mc.adobe.io, not at api.copernica.com; the request was not sent")
    assert (reply.status_code, reply.json()["emulator"]) == (404, "martech-emulator")  # as the server answers
    assert emulator.requests() == []
