"""The fixtures format (``shared/fixtures-format.md``): validate, apply, export.

A fixtures document is one JSON object keyed by vendor name. The whole document is validated
before anything is applied, so a bad document changes nothing; the first bad key is named in
the error so a person editing fixtures by hand can fix it.
"""
from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from marshmallow import ValidationError

from . import jsoninput
from .errors import EmulatorError, flatten_messages

if TYPE_CHECKING:
    from .state import Emulator
    from .vendors.base import Registry


def demo_fixtures() -> dict[str, Any]:
    return json.loads(resources.files("emulator").joinpath("fixtures/demo.json").read_text("utf-8"))


def read_fixtures_file(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return jsoninput.loads(fh.read())
    except OSError as exc:
        raise EmulatorError(f"cannot read fixtures file {path}: {exc.strerror}") from exc
    except jsoninput.JsonInputError as exc:
        raise EmulatorError(f"fixtures file {path} is not valid JSON: {exc.reason}") from exc


def validate(document: Any, vendors: Registry, *, checked: bool = False) -> dict[str, Any]:
    """Validate a whole fixtures document; return it loaded, vendor by vendor. ``checked``: the
    document is what ``jsoninput.loads`` returned, which checked it already."""
    if not isinstance(document, dict):
        raise EmulatorError(f"a fixtures document must be a JSON object keyed by vendor ({vendors.names()})")
    try:  # also for documents handed over as Python objects (the pytest plugin, the handle)
        if not checked:
            jsoninput.check(document)
    except jsoninput.JsonInputError as exc:
        raise EmulatorError(f"invalid fixtures: {exc.reason}") from None
    loaded: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, section in document.items():
        vendor = vendors.named(key)
        if vendor is None:
            errors[key] = [f"Unknown vendor; expected one of: {vendors.names()}."]
            continue
        try:
            loaded[key] = vendor.fixtures_schema().load(section if section is not None else {})
        except ValidationError as exc:
            errors.update(flatten_messages(exc.messages, key))
    if errors:
        first = next(iter(errors))
        raise EmulatorError(f"invalid fixtures: {first}: {' '.join(errors[first])}", errors=errors)
    return loaded


def apply(emulator: Emulator, document: Any, *, checked: bool = False) -> dict[str, Any]:
    """Validate, then apply; adds or replaces what the document names (``checked``: see
    ``validate``)."""
    return apply_all(emulator, [(document, checked)])[0]


def apply_all(emulator: Emulator, documents: list[tuple[Any, bool]]) -> list[dict[str, Any]]:
    """``apply`` for several documents, each (document, checked): every one is validated before
    any is applied (``serve --demo --fixtures a.json``: a bad file changes nothing), and each
    once. Returns them loaded, in order."""
    vendors = emulator.vendors
    with _no_cycle_collection():
        everything = [validate(document, vendors, checked=checked) for document, checked in documents]
        for loaded in everything:
            with emulator.store.transaction():
                for key, section in loaded.items():
                    vendors[key].check_fixtures(emulator, section)
                for key, section in loaded.items():
                    vendors[key].load_fixtures(emulator, section)
    return everything


def export(emulator: Emulator) -> dict[str, Any]:
    with emulator.store.transaction():
        return {vendor.name: vendor.export_fixtures(emulator) for vendor in emulator.vendors}


_seeds_running = 0
_thresholds: tuple[int, int, int] = (0, 0, 0)
_collection_lock = threading.Lock()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """No full pass of Python's cycle collector while a document is validated and applied.

    Why: seeding 100,000 profiles makes a million small objects (none in a cycle: reference
    counting frees them), and while that many are made the collector runs several full passes,
    each walking every object the process holds: a third of the seed's time. The young
    generations are still collected; the oldest waits until the last seed in progress ends
    (it then runs once, at its own pace, as it would after any large allocation)."""
    global _seeds_running, _thresholds
    with _collection_lock:
        if _seeds_running == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(_thresholds[0], _thresholds[1], 1 << 30)
        _seeds_running += 1
    try:
        yield
    finally:
        with _collection_lock:
            _seeds_running -= 1
            if _seeds_running == 0:
                gc.set_threshold(*_thresholds)
