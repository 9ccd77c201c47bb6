"""Adobe Target: single-profile update, fetch and delivery cost at 1k, 10k and 100k profiles per client.

Updates by mboxPC, fetches by tntId and by thirdPartyId, and delivery calls (a known tntId, a
known thirdPartyId, a new visitor) go through keyed documents (the profile and the thirdPartyId
index), so they must cost the same at any size (design principle 4).
The baseline is the smallest size in the same run.

Usage: python bench/target_scaling.py [--sizes 1000,10000,100000] [--ops 2000]
Prints medians in microseconds and each one's ratio to the smallest size.
"""
from __future__ import annotations

import random

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.adobe_target.delivery import Delivery
from emulator.vendors.adobe_target.fixtures import load_client
from emulator.vendors.adobe_target.model import TargetModel
from emulator.vendors.adobe_target.schemas import DeliveryRequestSchema, FixturesSchema
from timing import median_us, scaling_table


def measure(size: int, ops: int) -> dict[str, float]:
    model = TargetModel(Store(), Clock())
    client = {"code": "bench", "profiles": [
        {"tntId": f"{1368007744041 + i}-575948.01_00", "thirdPartyId": f"crm-{i}",
         "profileAttributes": {"tier": "gold", "city": "Amsterdam", "score": str(i)}} for i in range(size)]}
    load_client(model, FixturesSchema().load({"clients": [client]})["clients"][0])
    settings = model.client("bench")
    picks = [random.randrange(size) for _ in range(ops)]
    update = median_us(lambda i: model.update_profile(settings, f"{1368007744041 + i}-575948.01_00", None,
                                                      {"attr1": "0", "attr2": "1"}), picks)
    by_tnt = median_us(lambda i: model.fetch("bench", "tntId", f"{1368007744041 + i}-575948.01_00"), picks)
    by_third = median_us(lambda i: model.fetch("bench", "thirdPartyId", f"crm-{i}"), picks)
    delivery, schema = Delivery(model), DeliveryRequestSchema()

    def page_view(ids: dict) -> dict:
        return schema.load({"id": ids, "context": {"channel": "web"}, "execute": {
            "pageLoad": {"profileParameters": {"genre": "jazz"}}, "mboxes": [{"index": 0, "name": "home"}]}})

    known_tnt = median_us(lambda i: delivery.deliver(
        settings, page_view({"tntId": f"{1368007744041 + i}-575948.01_00"})), picks)
    known_third = median_us(lambda i: delivery.deliver(settings, page_view({"thirdPartyId": f"crm-{i}"})), picks)
    new_visitor = median_us(lambda i: delivery.deliver(settings, page_view({})), picks)
    return {"update": update, "fetch tntId": by_tnt, "fetch thirdPartyId": by_third,
            "delivery tntId": known_tnt, "delivery thirdPartyId": known_third, "delivery new visitor": new_visitor}


def main() -> None:
    sizes, results = scaling_table(__doc__.splitlines()[0], measure, default_ops=2000)
    base = results[sizes[0]]
    worst = max(results[sizes[-1]][n] / base[n] for n in base)
    print(f"worst ratio at {sizes[-1]:,} vs {sizes[0]:,} profiles: {worst:.2f}× (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
