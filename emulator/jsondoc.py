"""``Doc``: one JSON object as the store keeps it and the vendors' models read and write it.

One name for the whole package, so a reader sees at a glance that a function takes or returns
a stored document rather than some other mapping."""
from __future__ import annotations

from typing import Any

Doc = dict[str, Any]
