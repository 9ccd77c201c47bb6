"""The Delivery API's part in profiles (vendor-apis.md §2.3): how a page view makes Target *see* a
visitor and how its ``profileParameters`` reach the profile. No activities, no offers: every mbox
is answered without content, exactly as Target answers one that no activity qualifies for.

Plain Python (no Flask). ``TargetModel`` keeps the store; this module decides which profile a
call belongs to, what it writes there, and what the answer says.

Which profile receives a call (the emulator's choice where the docs are silent, §2.3 and open
question 8): a thirdPartyId Target already knows wins (its profile keeps everything on a merge),
then a known tntId, then a known ECID; with none of them known the call creates the visitor, with
the tntId it sent (a made-up id "becomes that visitor's id") or a new one. A thirdPartyId or
ECID not yet linked is linked to that profile.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime

from ...jsondoc import Doc
from .model import MCIDS, PROFILES, VENDOR, TargetModel, stamp

#: the cluster of a new visitor's location hint (``.28_…`` ↔ ``mboxedge28``, as the docs' examples)
DEFAULT_CLUSTER = "28"
EDGE_HOST = "mboxedge{cluster}.tt.omtrdc.net"
_HINT = re.compile(r"\.(\d+)_\d+$")


def edge_host(tnt_id: str) -> str:
    """The cluster host of a tntId's location hint (``….28_7`` → ``mboxedge28.tt.omtrdc.net``)."""
    match = _HINT.search(tnt_id)
    return EDGE_HOST.format(cluster=match.group(1) if match else DEFAULT_CLUSTER)


def profile_parameters(body: Doc) -> dict[str, str]:
    """The profile attributes a call writes: ``execute.pageLoad``'s ``profileParameters``, then each
    ``execute.mboxes[]`` entry's in index order (a later one wins a name). ``prefetch`` ones are
    not stored: Target stores them only with the notification that reports the content shown."""
    execute = body.get("execute") or {}
    merged: dict[str, str] = {}
    merged.update((execute.get("pageLoad") or {}).get("profileParameters") or {})
    for mbox in sorted(execute.get("mboxes") or [], key=lambda m: m["index"]):
        merged.update(mbox.get("profileParameters") or {})
    return {name: value for name, value in merged.items() if value != ""}


def answer_sections(body: Doc) -> Doc:
    """``execute``/``prefetch`` as Target answers them when no activity qualifies: each mbox
    echoed as ``{index, name}`` (no ``options``) in the section it was asked in, a page load as
    ``{}``, views as an empty list."""
    out: Doc = {}
    for section in ("execute", "prefetch"):
        asked = body.get(section)
        if asked is None:
            continue
        answer: Doc = {}
        if "views" in asked:
            answer["views"] = []
        if "pageLoad" in asked:
            answer["pageLoad"] = {}
        if "mboxes" in asked:
            answer["mboxes"] = [{"index": m["index"], "name": m["name"]} for m in asked["mboxes"]]
        out[section] = answer
    return out


class Delivery:
    def __init__(self, model: TargetModel):
        self.model = model
        self.store = model.store

    def deliver(self, settings: Doc, body: Doc) -> tuple[Doc, str]:
        """Apply one delivery call; the response body and a note for the journal."""
        code = settings["code"]
        ids = dict(body.get("id") or {})
        attributes = profile_parameters(body)
        now = self.model.clock.now()
        with self.store.transaction():
            tnt_id, created = self._visitor(settings, ids, now)
            self.model.apply_values(settings, tnt_id, attributes, self._new_link(code, ids, tnt_id, now), now)
            self._link_ecid(code, ids.get("marketingCloudVisitorId"), tnt_id)
        answered = {"tntId": ids.get("tntId") or tnt_id}
        for key in ("thirdPartyId", "marketingCloudVisitorId", "customerIds"):
            if key in ids:
                answered[key] = ids[key]
        response: Doc = {"status": 200, "requestId": body.get("requestId") or str(uuid.uuid4()),
                         "client": code, "id": answered, "edgeHost": edge_host(answered["tntId"]),
                         **answer_sections(body)}
        note = f"visitor {tnt_id} {'new' if created else 'known'}"
        if attributes:
            note += "; profile attributes " + ", ".join(f"{k}={v}" for k, v in attributes.items())
        return response, note

    def _visitor(self, settings: Doc, ids: Doc, now: datetime) -> tuple[str, bool]:
        """The tntId of the profile that receives the call, creating the visitor if Target has not
        seen it; and whether it was created."""
        code = settings["code"]
        third, tnt, ecid = ids.get("thirdPartyId"), ids.get("tntId"), ids.get("marketingCloudVisitorId")
        if third:
            found = self.model.by_third_party_id(code, third, now)
            if found is not None:
                return found["tntId"], False
        if tnt and self.store.exists(VENDOR, code, PROFILES, tnt):
            return tnt, False
        if ecid:
            index = self.model.peek(code, MCIDS, ecid)
            if index and self.store.exists(VENDOR, code, PROFILES, index["tntId"]):
                return index["tntId"], False
        tnt_id = tnt or self.model.fresh_tnt_id(code)
        at = stamp(now)
        self.model.put(code, PROFILES, tnt_id, {
            "tntId": tnt_id, "thirdPartyId": None, "marketingCloudVisitorId": None, "modifiedAt": at,
            "profileAttributes": {}})
        return tnt_id, True

    def _new_link(self, code: str, ids: Doc, tnt_id: str, now: datetime) -> str | None:
        """The call's thirdPartyId, when it is not linked yet (``apply_values`` links it, on the clock)."""
        third = ids.get("thirdPartyId")
        if not third or self.model.by_third_party_id(code, third, now) is not None:
            return None
        return third

    def _link_ecid(self, code: str, ecid: str | None, tnt_id: str) -> None:
        """A new ECID is linked to the profile at once (the visitor service sends it on every call)."""
        if not ecid or self.model.peek(code, MCIDS, ecid) is not None:
            return
        profile = self.model.get(code, PROFILES, tnt_id)
        if profile is None:  # the receiving profile exists: _visitor found or made it in this transaction
            return
        if profile.get("marketingCloudVisitorId"):
            self.store.delete(VENDOR, code, MCIDS, profile["marketingCloudVisitorId"])
        profile["marketingCloudVisitorId"] = ecid
        self.model.put(code, PROFILES, tnt_id, profile)
        self.model.put(code, MCIDS, ecid, {"tntId": tnt_id})
