"""Typed fields made of others: lists, ``[lng, lat]`` pairs, checks by function, and
``Record``, which checks a whole mapping: unknown keys (with "did you mean"), required
keys and every field, reporting all problems rather than stopping at the first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import Mark
from sitegen.source.fields import JSON, Context, Field, Invalid, describe, did_you_mean
from sitegen.source.located import LocatedDict, LocatedList


class ListOf(Field):
    type_name = "list"

    def __init__(
        self, item: Field, *, min_items: int = 0, max_items: int | None = None, **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.item, self.min_items, self.max_items = item, min_items, max_items

    def parse(self, value: Any, mark: Mark, ctx: Context) -> list[Any]:
        if not isinstance(value, LocatedList):
            if self.min_items <= 1 and not isinstance(value, dict) and value is not None:
                value_list = LocatedList(mark)  # a single item may be written without a list
                value_list.append(value)
                value_list.item_marks.append(mark)
                value = value_list
            else:
                raise Invalid(f"expected a list, got {describe(value)}")
        if len(value) < self.min_items:
            raise Invalid(f"expected at least {self.min_items} items, got {len(value)}")
        if self.max_items is not None and len(value) > self.max_items:
            raise Invalid(f"expected at most {self.max_items} items, got {len(value)}")
        result = []
        for index, item in enumerate(value):
            item_mark = value.item_mark(index)
            try:
                result.append(self.item.parse(item, item_mark, ctx))
            except Invalid as exc:
                raise Invalid(f"item {index + 1}: {exc.message}", exc.mark or item_mark) from None
        return result

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return self._schema(schema)


class LngLat(Field):
    """A ``[lng, lat]`` pair of numbers (checked against the globe; bounds come later)."""

    type_name = "location"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> tuple[float, float]:
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise Invalid(f"expected [longitude, latitude] as two numbers, got {describe(value)}")
        lng, lat = float(value[0]), float(value[1])
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            if -180 <= lat <= 180 and -90 <= lng <= 90:
                raise Invalid(swapped_message(value[0], value[1]))
            raise Invalid(f"[{value[0]}, {value[1]}] is not a longitude and latitude")
        return lng, lat

    def json_schema(self) -> JSON:
        return self._schema(
            {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": [
                    {"type": "number", "minimum": -180, "maximum": 180},
                    {"type": "number", "minimum": -90, "maximum": 90},
                ],
            }
        )


def swapped_message(first: object, second: object) -> str:
    """The message for a ``[lat, lng]`` pair written where ``[lng, lat]`` belongs."""
    return (
        f"[{first}, {second}] has longitude and latitude swapped; "
        f"write [{second}, {first}] (longitude first)"
    )


class Custom(Field):
    """A field checked by a plain function ``(value) -> parsed`` that raises ``Invalid``."""

    def __init__(
        self, check: Callable[[Any], Any], schema: JSON, type_name: str, **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.check, self.schema, self.type_name = check, schema, type_name

    def parse(self, value: Any, mark: Mark, ctx: Context) -> Any:
        return self.check(value)

    def json_schema(self) -> JSON:
        return self._schema(dict(self.schema))


@dataclass
class Record(Field):
    """A mapping with named fields; every problem inside it goes to the report."""

    fields: Mapping[str, Field] = field(default_factory=dict)
    what: str = "field"
    extra: Field | None = None  # type of keys not in ``fields``; None = unknown keys are errors
    required: bool = False
    default: Any = None
    doc: str = ""
    prefix: str = ""  # e.g. "map." so nested problems read "map.zoom: ..."
    list_choices: bool = False  # an unknown key's message lists the valid ones

    type_name = "mapping"

    def unknown_key(self, key: Any, prefix: str = "", context: str = "") -> str:
        """The message for a key this record does not have."""
        message = f'unknown {self.what} "{prefix}{key}"{context}'
        message += did_you_mean(str(key), list(self.fields))
        if self.list_choices:
            message += f" (valid: {', '.join(self.fields)})"
        return message

    def parse(self, value: Any, mark: Mark, ctx: Context) -> dict[str, Any] | None:
        if not isinstance(value, LocatedDict):
            raise Invalid(f"expected a mapping, got {describe(value)}")
        return self.parse_items(value, ctx, prefix=self.prefix)

    def parse_items(
        self,
        data: LocatedDict,
        ctx: Context,
        prefix: str = "",
        context: str = "",
        skip: frozenset[str] = frozenset(),
    ) -> dict[str, Any] | None:
        """Check every key; returns the parsed values, or None if anything was wrong."""
        before = len(ctx.report.errors)
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key in skip:
                continue
            fld = self.fields.get(key) if isinstance(key, str) else None
            if fld is None and self.extra is None:
                ctx.report.error(data.key_mark(key), self.unknown_key(key, prefix, context))
                continue
            fld = fld or self.extra
            assert fld is not None
            vmark = data.value_mark(key)
            try:
                out[key] = fld.parse(value, vmark, ctx)
            except Invalid as exc:
                ctx.report.error(exc.mark or vmark, f"{prefix}{key}: {exc.message}")
        for key, fld in self.fields.items():
            if key in data or key in skip:
                continue
            if fld.required:
                ctx.report.error(
                    data.mark, f'missing required {self.what} "{prefix}{key}"{context}'
                )
            elif fld.default is not None:
                out[key] = fld.default
        return out if len(ctx.report.errors) == before else None

    def json_schema(self) -> JSON:
        schema: JSON = {
            "type": "object",
            "properties": {k: f.json_schema() for k, f in self.fields.items()},
            "additionalProperties": self.extra.json_schema() if self.extra else False,
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            schema["required"] = required
        return self._schema(schema)
