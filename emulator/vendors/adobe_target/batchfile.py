"""Bulk profile update files (vendor-apis.md §2.2): the checks that apply to a file as a whole.

A file that fails them is refused before any row is applied.
"""
from __future__ import annotations

from .errors import TargetError

BATCH_FILE_LIMIT = 50 * 1024 * 1024   # "file < 50 MB"
BATCH_ROW_LIMIT = 500_000             # "≤ 500,000 rows per upload"


def parse_batch(raw: bytes) -> tuple[str, list[str], list[str]]:
    """Check a batch file as a whole (§2.2): ``(id column, attribute names, data rows)``."""
    if len(raw) >= BATCH_FILE_LIMIT:
        raise TargetError(413, f"Batch file too large: {len(raw)} bytes; a batch file must be smaller than 50 MB")
    if not raw.startswith(b"batch="):
        raise TargetError(400, "The request body must be the batch file, starting with 'batch=' "
                               "followed by the header row (e.g. batch=pcId,param1,param2)")
    try:
        text = raw[len(b"batch="):].decode("utf-8")
    except UnicodeDecodeError:
        raise TargetError(400, "The batch file is not valid UTF-8") from None
    lines = text.splitlines()
    header = lines[0].strip() if lines else ""
    if not header:
        raise TargetError(400, "The batch file has no header row (e.g. batch=pcId,param1,param2)")
    if len(lines) == 1 and "%0A" in header.upper():
        raise TargetError(400, "The batch file arrived form-encoded; send the file as it is, "
                               "e.g. curl -X POST --data-binary @BATCH.TXT <url>")
    columns = [c.strip() for c in header.split(",")]
    if columns[0] not in ("pcId", "thirdPartyId"):
        raise TargetError(400, f"The first column of a batch file must be pcId or thirdPartyId, not "
                               f"'{columns[0]}' (the Experience Cloud ID is not supported)")
    names = [c[len("profile."):] if c.startswith("profile.") else c for c in columns[1:]]
    if any(n == "" for n in names):
        raise TargetError(400, "The batch file's header row has an empty column name")
    duplicate = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if duplicate is not None:
        raise TargetError(400, f"The batch file's header row names '{duplicate}' twice")
    rows = [line for line in lines[1:] if line.strip() != ""]
    if not rows:
        raise TargetError(400, "The batch file has no data rows")
    if len(rows) > BATCH_ROW_LIMIT:
        raise TargetError(400, f"The batch file has {len(rows)} rows; the limit is 500000 rows per upload")
    return columns[0], names, rows
