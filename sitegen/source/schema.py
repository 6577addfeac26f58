"""The schema machinery in one import: ``from sitegen.source import schema as s``.

site.yaml, category definitions, name cards, guides and import mappings are all checked
with these fields (``sitegen.source.fields`` and ``sitegen.source.records``).
"""

from __future__ import annotations

from sitegen.source.fields import (
    JSON,
    Boolean,
    Context,
    Date,
    Enum,
    Field,
    Image,
    Integer,
    Invalid,
    LocalizedText,
    Number,
    Phone,
    Text,
    Url,
    describe,
    did_you_mean,
)
from sitegen.source.records import Custom, ListOf, LngLat, Record, swapped_message

__all__ = [
    "JSON",
    "Boolean",
    "Context",
    "Custom",
    "Date",
    "Enum",
    "Field",
    "Image",
    "Integer",
    "Invalid",
    "ListOf",
    "LngLat",
    "LocalizedText",
    "Number",
    "Phone",
    "Record",
    "Text",
    "Url",
    "describe",
    "did_you_mean",
    "swapped_message",
]
