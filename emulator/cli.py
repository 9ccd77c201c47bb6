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
def serve(host: str, port: int, data: str | None, fixtures: tuple[str, ...], no_demo: bool,
          flush_interval: float, threads: int, journal_size: int) -> None:
    """Serve the emulated APIs and the control plane on one port."""
    import logging

    from waitress.server import create_server

    from .app import create_app

    # waitress warns "Task queue depth is N" whenever requests wait for a thread: normal under
    # load for an emulator, and noise in a developer's terminal.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    settings = Settings(host=host, port=port, data=data, fixtures=list(fixtures), demo=not no_demo,
                        flush_interval=flush_interval, journal_size=journal_size)
    try:
        app = create_app(settings)
    except (EmulatorError, StoreFileError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from None
    emulator = app.extensions["emulator"]
    server = create_server(app, host=host, port=port, threads=threads, ident="martech-emulator")
    bound_port = getattr(server, "effective_port", port)
    display_host = f"[{host}]" if ":" in host else host
    base = f"http://{display_host}:{bound_port}"

    click.echo(f"martech-emulator {__version__} listening on {base}")
    for vendor in emulator.vendors:
        for label, url in vendor.base_urls(base, emulator).items():
            click.echo(f"  {label:<28} {url}")
    click.echo(f"  {'Control plane':<28} {base}/_emulator/health")
    click.echo(f"  state: {'file ' + data if data else 'in memory (lost on exit)'}"
               f"{'' if settings.demo else ', no demo fixtures'}")
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


def _control(base_url: str, method: str, path: str, **kwargs):
    import requests  # only seed/export need it; serve starts faster without

    try:
        return requests.request(method, base_url.rstrip("/") + path, timeout=60, **kwargs)
    except requests.ConnectionError:
        raise click.ClickException(f"no emulator answers at {base_url}") from None


@cli.command()
@click.argument("fixtures_file", type=click.File("r", encoding="utf-8"))
@click.option("--url", envvar="EMULATOR_URL", default="http://127.0.0.1:8080", show_default=True,
              help="Base URL of a running emulator.")
@click.option("--reset", is_flag=True, help="Forget everything before seeding.")
def seed(fixtures_file, url: str, reset: bool) -> None:
    """Load a fixtures document into a running emulator."""
    try:
        document = json.load(fixtures_file)
    except ValueError as exc:
        raise click.ClickException(f"{fixtures_file.name} is not valid JSON: {exc}") from None
    if reset:
        _control(url, "POST", "/_emulator/reset")
    reply = _control(url, "POST", "/_emulator/seed", json=document)
    if reply.status_code != 200:
        raise click.ClickException(reply.json().get("error", reply.text))
    click.echo(json.dumps(reply.json()["vendors"]))


@cli.command()
@click.option("--url", envvar="EMULATOR_URL", default="http://127.0.0.1:8080", show_default=True,
              help="Base URL of a running emulator.")
def export(url: str) -> None:
    """Print the whole state of a running emulator as a fixtures document."""
    reply = _control(url, "GET", "/_emulator/state")
    click.echo(json.dumps(reply.json(), indent=2, ensure_ascii=False))


def main() -> None:
    cli(prog_name="martech-emulator")


if __name__ == "__main__":
    main()
