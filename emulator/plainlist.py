"""A marshmallow ``List`` that takes the items written the plain way without the item schema.

Seeding 100,000 records through ``List(Nested(schema))`` spent about 10 µs a record in
marshmallow's per-field work, a third of the whole seed. A vendor gives a ``plain`` function
that returns exactly what its schema would load for an item written the plain way (the vendor's
tests hold the two to the same result), or None for anything else; anything else is loaded, and
its errors are worded, by the schema, so a bad document gets exactly ``List``'s errors.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError, fields


class PlainFirstList(fields.List):
    """``List(inner)`` that asks ``plain(item)`` first and loads an item through ``inner`` only
    when it answers None."""

    def __init__(self, inner: fields.Field, plain: Callable[[Any], Any | None], **kwargs: Any):
        super().__init__(inner, **kwargs)
        self.plain = plain

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list):
            return super()._deserialize(value, attr, data, **kwargs)
        result: list[Any] = []
        errors: dict[int, Any] = {}
        plain, inner = self.plain, self.inner
        for idx, each in enumerate(value):
            loaded = plain(each)
            if loaded is not None:
                result.append(loaded)
                continue
            try:
                result.append(inner.deserialize(each, **kwargs))
            except ValidationError as error:
                if error.valid_data is not None:
                    result.append(error.valid_data)
                errors[idx] = error.messages
        if errors:
            raise ValidationError(errors, valid_data=result)
        return result
