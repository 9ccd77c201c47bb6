"""The emulator served by waitress in a background thread, for one test session.

The listening socket is bound and listening before ``ThreadServer`` returns (waitress does both
in its constructor), so the server is ready as soon as it exists: no polling, no sleep. Port 0
asks the OS for a free port, which is what keeps pytest-xdist workers (one process each, one
server each) from ever colliding.
"""
from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from ..app import create_app
from ..control.guard import is_loopback_bind
from ..serving import make_server
from ..state import Emulator
from ..settings import Settings


class ThreadServer:
    """``with ThreadServer() as server: requests.get(server.url + "/_emulator/health")``."""

    def __init__(self, app: Flask | None = None, host: str = "127.0.0.1", port: int = 0,
                 settings: Settings | None = None, threads: int = 4):
        if app is None:
            app = create_app(settings or Settings(host=host, port=port))
        if not is_loopback_bind(host) and not app.extensions["emulator"].settings.control_token:
            raise ValueError(f"host {host!r} makes the emulator's control plane reachable from other machines: "
                             f"give its Settings a control_token, or bind 127.0.0.1")
        self.app = app
        self._server: Any = make_server(app, host=host, port=port, threads=threads,
                                        clear_untrusted_proxy_headers=False)
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread = threading.Thread(target=self._server.run, name=f"martech-emulator:{self.port}",
                                        daemon=True)
        self._thread.start()

    @property
    def emulator(self) -> Emulator:
        return self.app.extensions["emulator"]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        """Stop accepting, finish the requests in flight, close every connection, join."""
        server = self._server
        if server is None:
            return
        self._server = None
        from waitress import wasyncore

        # Closing the sockets from inside the loop's own thread avoids racing its select().
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:  # the loop already closed its trigger and ended: close what is left here
            wasyncore.close_all(server._map)
        self._thread.join(timeout=5.0)
        server.task_dispatcher.shutdown(timeout=5)
        self.emulator.close()

    def __enter__(self) -> ThreadServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
