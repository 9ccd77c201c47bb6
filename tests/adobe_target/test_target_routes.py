"""What the Target routes leave on the request for the request journal (``requestnotes``)."""
from __future__ import annotations

from emulator import create_app, requestnotes
from emulator.settings import Settings
from emulator.vendors import vendor_named


def test_unknown_visitor_note_is_left_for_the_journal():
    app = create_app(Settings())
    with app.test_client() as client:
        reply = client.get("/m2/demo/profile/update?mboxPC=1389936436794-000000.19_36&profile.attr1=0")
        assert reply.status_code == 200
        assert requestnotes.current().text() == ("visitor 1389936436794-000000.19_36 unknown to Target: "
                                   "nothing created (update-only)")
        reply = client.get("/m2/demo/profile/update?mboxPC=1368007744041-575948.01_00&profile.attr1=0")
        assert reply.status_code == 200
        assert requestnotes.current().notes == []
    app.extensions["emulator"].close()


def test_tenant_of_reads_path_query_and_host():
    app = create_app(Settings())
    vendor = vendor_named("adobe_target")
    emulator = app.extensions["emulator"]
    cases = [("/m2/demo/profile/update", {}, "demo"),
             ("/m2/bogus/profile/update", {}, None),
             ("/rest/v1/profiles/x?client=demoauth", {}, "demoauth"),
             ("/rest/v1/profiles/x", {"Host": "demo.tt.omtrdc.net"}, "demo"),
             ("/rest/v1/profiles/x", {}, None),
             ("/_emulator/adobe_target/demo/visitors", {}, "demo")]
    for path, headers, expected in cases:
        with app.test_request_context(path, headers=headers) as ctx:
            assert vendor.tenant_of(emulator, ctx.request) == expected, path
    emulator.close()
