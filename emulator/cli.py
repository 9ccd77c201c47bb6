"""``martech-emulator serve | seed | export`` (also ``python -m emulator``).

Every flag of ``serve`` has an ``EMULATOR_*`` environment variable, so a CI job or a container
can configure the emulator without changing its command line.
"""
from __future__ import annotations

import json
import signal
import sys

import click

from . import __version__
from .errors import EmulatorError
from .settings import Settings
from .store import FlushError, StoreFileError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="martech-emulator")
def cli() -> None:
    """A stateful, faithful emulator of Adobe Campaign Standard, Adobe Target and Copernica's
    profile REST APIs, for local development, CI and demos."""


@cli.command()
@click.option("--host", envvar="EMULATOR_HOST", default="127.0.0.1", show_default=True,
              help="Address to bind (loopback by default: nothing outside this machine can reach it).")
@click.option("--port", envvar="EMULATOR_PORT", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--data", envvar="EMULATOR_DATA", type=click.Path(dir_okay=False),
              help="TinyDB JSON file that keeps the state across restarts (default: in memory).")
@click.option("--fixtures", "fixtures", envvar="EMULATOR_FIXTURES", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Fixtures document(s) to load at start, after the demo (repeatable; the "
                   "environment variable takes a space-separated list).")
@click.option("--no-demo", "no_demo", envvar="EMULATOR_NO_DEMO", is_flag=True,
              help="Start without the demo fixtures.")
@click.option("--flush-interval", envvar="EMULATOR_FLUSH_INTERVAL", default=1.0, show_default=True,
              type=click.FloatRange(min=0.01), help="Seconds between background writes of --data.")
@click.option("--threads", envvar="EMULATOR_THREADS", default=16, show_default=True,
              type=click.IntRange(1, 256), help="waitress worker threads.")
@click.option("--journal-size", envvar="EMULATOR_JOURNAL_SIZE", default=1000, show_default=True,
              type=click.IntRange(1, 1_000_000), help="Requests the journal keeps per vendor and tenant.")
@click.option("--journal-bytes", envvar="EMULATOR_JOURNAL_BYTES", default=Settings.journal_bytes,
              show_default=True, type=click.IntRange(1024),
              help="Bytes the whole journal keeps; the oldest requests go first.")
@click.option("--journal-entry-bytes", envvar="EMULATOR_JOURNAL_ENTRY_BYTES", default=Settings.journal_entry_bytes,
              show_default=True, type=click.IntRange(256),
              help="Bytes one journal entry keeps of its request body, response body, headers and query "
                   "(each; the rest is cut and marked truncated).")
@click.option("--history-bytes", envvar="EMULATOR_HISTORY_BYTES", default=Settings.history_bytes,
              show_default=True, type=click.IntRange(1024),
              help="Bytes the change history keeps; the oldest changes go first.")
@click.option("--history-entry-bytes", envvar="EMULATOR_HISTORY_ENTRY_BYTES", default=Settings.history_entry_bytes,
              show_default=True, type=click.IntRange(256),
              help="A change whose documents are larger is recorded without them (marked truncated).")
@click.option("--connection-limit", envvar="EMULATOR_CONNECTION_LIMIT", default=Settings.connection_limit,
              show_default=True, type=click.IntRange(1, 100_000),
              help="Connections served at once (waitress's connection_limit); beyond it, new "
                   "connections wait in the listen backlog until one closes.")
@click.option("--control-token", envvar="EMULATOR_CONTROL_TOKEN",
              help="Token every control-plane request must send as 'Authorization: Bearer <token>' "
                   "(required when --host is not a loopback address).")
@click.option("--allowed-host", "allowed_hosts", envvar="EMULATOR_ALLOWED_HOSTS", multiple=True,
              help="A Host name the control plane answers besides loopback ('.example.com': its "
                   "subdomains too; repeatable; the environment variable takes a space- or "
                   "comma-separated list).")
def serve(host: str, port: int, data: str | None, fixtures: tuple[str, ...], no_demo: bool,
          flush_interval: float, threads: int, journal_size: int, journal_bytes: int,
          journal_entry_bytes: int, history_bytes: int, history_entry_bytes: int,
          connection_limit: int, control_token: str | None, allowed_hosts: tuple[str, ...]) -> None:
    """Serve the emulated APIs and the control plane on one port."""
    import logging

    from .control.guard import is_loopback_bind

    exposed = not is_loopback_bind(host)
    if exposed and not control_token:
        raise click.UsageError(
            f"--host {host} makes the emulator reachable from other machines, and its control plane "
            f"(/_emulator: reset, seed, and the state with every tenant's credentials) with it; "
            f"set a control token with --control-token or EMULATOR_CONTROL_TOKEN, or bind 127.0.0.1")

    from .app import create_app
    from .serving import make_server

    # waitress warns "Task queue depth is N" whenever requests wait for a thread: normal under
    # load for an emulator, and noise in a developer's terminal.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    settings = Settings(host=host, port=port, data=data, fixtures=list(fixtures), demo=not no_demo,
                        flush_interval=flush_interval, journal_size=journal_size, journal_bytes=journal_bytes,
                        journal_entry_bytes=journal_entry_bytes, history_bytes=history_bytes,
                        history_entry_bytes=history_entry_bytes, connection_limit=connection_limit,
                        control_token=control_token or None,
                        allowed_hosts=[h for value in allowed_hosts for h in value.split(",") if h.strip()])
    try:
        app = create_app(settings)
    except (EmulatorError, StoreFileError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from None
    emulator = app.extensions["emulator"]
    _allow_open_files(connection_limit + threads + 64)
    server = make_server(app, host=host, port=port, threads=threads, connection_limit=connection_limit)
    bound_port = getattr(server, "effective_port", port)
    display_host = f"[{host}]" if ":" in host else host
    base = f"http://{display_host}:{bound_port}"

    click.echo(f"martech-emulator {__version__} listening on {base}")
    for vendor in emulator.vendors:
        for label, url in vendor.base_urls(base, emulator).items():
            click.echo(f"  {label:<28} {url}")
    click.echo(f"  {'Dashboard':<28} {base}/_emulator/")
    click.echo(f"  {'Control plane':<28} {base}/_emulator/health")
    click.echo(f"  state: {'file ' + data if data else 'in memory (lost on exit)'}"
               f"{'' if settings.demo else ', no demo fixtures'}")
    if control_token:
        click.echo(f"  control plane requests need 'Authorization: Bearer <token>'; open the dashboard "
                   f"as {base}/_emulator/#token=<token>")
    if exposed:
        click.echo(f"WARNING: listening on {host}: other machines can reach the emulated APIs (which take "
                   f"the fixtures' credentials) and the control plane (which takes the control token). "
                   f"Bind 127.0.0.1 unless that is what you want.", err=True)
    click.echo("Press Ctrl+C to stop.", err=True)
    sys.stdout.flush()

    def stop(signum, _frame) -> None:
        raise KeyboardInterrupt  # SIGTERM ends the server the way Ctrl+C does: data file written

    # Both explicitly: a server started in the background (``&``, nohup, some CI runners)
    # inherits SIGINT ignored, and would otherwise ignore Ctrl+C and ``kill -INT``.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        try:
            emulator.close()
        except FlushError as exc:
            click.echo(f"martech-emulator stopped; the state was NOT written: {exc}", err=True)
            sys.exit(1)
        click.echo("martech-emulator stopped" + (f"; state written to {data}" if data else ""), err=True)


def _allow_open_files(needed: int) -> None:
    """Raise this process's soft limit of open files towards ``needed`` (never past the hard
    limit), so the connection limit, not the file limit, decides how many clients are served."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def _control(base_url: str, method: str, path: str, token: str | None = None, **kwargs):
    import requests  # only seed/export need it; serve starts faster without

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        reply = requests.request(method, base_url.rstrip("/") + path, timeout=60, headers=headers, **kwargs)
    except requests.ConnectionError:
        raise click.ClickException(f"no emulator answers at {base_url}") from None
    if reply.status_code in (401, 403):
        raise click.ClickException(_error_of(reply))
    return reply


def _error_of(reply) -> str:
    try:
        return reply.json().get("error", reply.text)
    except ValueError:
        return reply.text


TOKEN_OPTION = click.option("--control-token", envvar="EMULATOR_CONTROL_TOKEN",
                            help="The emulator's control token, if it was started with one.")


@cli.command()
@click.argument("fixtures_file", type=click.File("r", encoding="utf-8"))
@click.option("--url", envvar="EMULATOR_URL", default="http://127.0.0.1:8080", show_default=True,
              help="Base URL of a running emulator.")
@click.option("--reset", is_flag=True, help="Forget everything before seeding.")
@TOKEN_OPTION
def seed(fixtures_file, url: str, reset: bool, control_token: str | None) -> None:
    """Load a fixtures document into a running emulator."""
    try:
        document = json.load(fixtures_file)
    except ValueError as exc:
        raise click.ClickException(f"{fixtures_file.name} is not valid JSON: {exc}") from None
    if reset:
        _control(url, "POST", "/_emulator/reset", control_token)
    reply = _control(url, "POST", "/_emulator/seed", control_token, json=document)
    if reply.status_code != 200:
        raise click.ClickException(_error_of(reply))
    click.echo(json.dumps(reply.json()["vendors"]))


@cli.command()
@click.option("--url", envvar="EMULATOR_URL", default="http://127.0.0.1:8080", show_default=True,
              help="Base URL of a running emulator.")
@TOKEN_OPTION
def export(url: str, control_token: str | None) -> None:
    """Print the whole state of a running emulator as a fixtures document."""
    reply = _control(url, "GET", "/_emulator/state", control_token)
    click.echo(json.dumps(reply.json(), indent=2, ensure_ascii=False))


def main() -> None:
    cli(prog_name="martech-emulator")


if __name__ == "__main__":
    main()
