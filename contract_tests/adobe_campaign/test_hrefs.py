"""Every ``href`` the emulator writes resolves on the emulator (§1.10: clients follow hrefs and
never build URLs), over whichever transport the suite runs."""
from __future__ import annotations

from typing import Any

from .acs import AMY, EXT, H, HISTORY, ORG, PROFILES, SERVICES, UNITS, local, service


def _hrefs(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "href" and isinstance(v, str)] + [
            h for k, v in value.items() for h in _hrefs(v)]
    if isinstance(value, list):
        return [h for v in value for h in _hrefs(v)]
    return []


def test_every_href_in_every_answer_resolves(api):
    svc1 = service(api, "SVC1")
    made = api.post(local(api, svc1["subscriptions"]["href"]).replace(svc1["PKey"], service(api, "SVC2")["PKey"]),
                    json={"subscriber": {"PKey": AMY}}, headers=H).json()
    unit = api.get(UNITS, headers=H).json()["content"][1]
    api.patch(f"{EXT}/{AMY}", json={"orgUnit": {"PKey": unit["PKey"]}}, headers=H)
    starts = [f"{PROFILES}?_lineCount=2", f"{PROFILES}/{AMY}", f"{EXT}/{AMY}", f"{SERVICES}?_lineCount=2",
              f"{SERVICES}/byChannel?channel=email&_lineCount=1", f"{HISTORY}/{AMY}", f"{UNITS}?_lineCount=2",
              f"/{ORG}/campaign/profileAndServices/", f"/{ORG}/campaign/profileAndServicesExt/",
              f"/{ORG}/campaign/profileAndServices/resourceType/service"]
    seen: set[str] = set()
    queue = [local(api, h) for h in _hrefs(made)] + starts
    while queue and len(seen) < 200:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        reply = api.get(path, headers=H)
        assert reply.status_code == 200, (path, reply.text)
        queue += [local(api, h) for h in _hrefs(reply.json())]
    followed = {p.split("?")[0].split(f"/{ORG}/campaign/")[1].split("/@")[0].rstrip("/") for p in seen}
    assert {"profileAndServices/profile", "profileAndServices/service", "profileAndServices/history",
            "profileAndServicesExt/orgUnitBase", "profileAndServices/resourceType/service/filters"} <= followed
    assert any("/subscriptions/@" in p for p in seen) and any(p.endswith("/events/") for p in seen)
    assert any("/_count" in p for p in seen) and any("_lineStart=" in p for p in seen)
