"""What the emulator says about one request beside the vendor's answer, for the request
journal: remarks (``Entry.note``: an injected fault, a queued async update, an update-only
visitor nobody created) and whether a vendor's catch-all route matched nothing.

One typed object per request on ``flask.g``, written and read only through ``current()`` (and ``peek()``), so
the realism hook, the vendors' routes and the journal share no loose ``g`` keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import g

_KEY = "emulator_request_notes"


@dataclass
class RequestNotes:
    #: remarks in the order they were made: the realism hook's first, then the route's
    notes: list[str] = field(default_factory=list)
    #: a vendor's catch-all route answered, but no resource of the vendor has that path
    unmatched: bool = False

    def add(self, note: str) -> None:
        self.notes.append(note)

    def text(self) -> str | None:
        return "; ".join(self.notes) if self.notes else None


def peek(context: Any = g) -> RequestNotes | None:
    """The notes of the request being handled, if anything made them (the journal reads them
    without making an empty one for every request). ``context``: ``flask.g``, or the object
    behind it, for a caller that already holds it."""
    return context.get(_KEY)


def current() -> RequestNotes:
    """The notes of the request being handled (made on first use)."""
    notes = g.get(_KEY)
    if notes is None:
        notes = RequestNotes()
        setattr(g, _KEY, notes)
    return notes
