"""Row checks: one source row becomes a draft card, or is skipped with a reason."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import ContentError, Mark, Problem
from sitegen.importer.locate import Box, locate
from sitegen.importer.mapping import ColumnRef, FieldSpec, Mapping
from sitegen.importer.paths import MISSING, available
from sitegen.importer.readers import Row
from sitegen.importer.report import Summary
from sitegen.importer.target import Target
from sitegen.importer.transforms import shown
from sitegen.importer.values import FieldFlag, RowReader, empty
from sitegen.source import schema as s

LText = str | dict[str, str]
LISTED = 30  # columns named in a "no column" message


@dataclass
class Draft:
    """A card in the making; ``rows`` lists the source rows merged into it."""

    name: LText
    lng: float
    lat: float
    data: dict[str, Any]
    rows: list[tuple[str, int]] = field(default_factory=list)
    written: str = ""  # the point as the source wrote it (its first row's)
    keys: dict[str, str] = field(default_factory=dict)  # id.key parts read from columns
    id: str = ""


def card_fields(mapping: Mapping) -> set[str]:
    """The card fields an id.key item may name: the name, the point and the mapped fields."""
    return {"name", "location", *(spec.name for spec in mapping.fields)}


def learn(rows: Sequence[Row], values: Sequence[dict[str, Any]], spec: FieldSpec) -> dict[str, Any]:
    """``learn_from`` column value -> field value, where at least two rows agree and none differ."""
    assert spec.learn_from is not None
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    value_of: dict[str, Any] = {}
    for row, found in zip(rows, values, strict=True):
        key = row.get(spec.learn_from)
        if not empty(key) and spec.name in found:
            text = shown(found[spec.name])
            value_of[text] = found[spec.name]
            seen[shown(key)][text] += 1
    return {
        key: value_of[next(iter(counts))]
        for key, counts in seen.items()
        if len(counts) == 1 and counts.total() >= 2
    }


def _rows_data(rows: Sequence[Row]) -> list[Any]:
    return [row.fields for row in rows] + [row.feature for row in rows[:1] if row.feature]


def _missing(ref: ColumnRef, rows: Sequence[Row], fields: Sequence[str] = ()) -> Problem:
    columns = available(_rows_data(rows))
    same = [c for c in columns if c.casefold() == ref.path.casefold()]
    hint = s.did_you_mean(ref.path, [*fields, *columns])
    hint = f'; did you mean "{same[0]}"?' if same else hint
    listed = ", ".join(columns[:LISTED])
    if len(columns) > LISTED:
        listed += f", … ({len(columns) - LISTED} more)"
    file = rows[0].file
    if fields:  # an id.key item may name either
        return Problem(
            ref.mark,
            f'{ref.where}: "{ref.path}" is neither a field the mapping fills '
            f"({', '.join(fields)}) nor a column of {file}{hint} (it has: {listed})",
        )
    return Problem(
        ref.mark, f'{ref.where}: no column "{ref.path}" in {file}{hint} (it has: {listed})'
    )


def check_columns(rows: Sequence[Row], mapping: Mapping, target: Target) -> None:
    """Stop when a column the mapping names is in no row, listing those that exist."""
    if not rows:
        return
    fields = card_fields(mapping)
    problems = []
    for ref in mapping.columns:
        if all(row.get(ref.path) is MISSING for row in rows):
            problems.append(_missing(ref, rows))
    filled = ["name", "location", *(spec.name for spec in mapping.fields if spec.name != "name")]
    for item, mark in zip(mapping.key, mapping.key_marks, strict=True):
        if item in fields or any(row.get(item) is not MISSING for row in rows):
            continue
        if item in target.types:
            problems.append(Problem(mark, f'id.key: the mapping does not fill the field "{item}"'))
        else:
            problems.append(_missing(ColumnRef(item, "id.key", mark), rows, filled))
    no_location = not (mapping.point_column or mapping.lng) and rows[0].feature is None
    if no_location:
        problems.append(
            Problem(
                Mark(mapping.path.as_posix()),
                f"location: {rows[0].file} is not GeoJSON, so the mapping needs a location: "
                '(give "lng" and "lat" columns, or one "column")',
            )
        )
    if problems:
        raise ContentError(problems)


def _skip_rule(row: Row, mapping: Mapping) -> tuple[dict[str, Any], str] | None:
    for rule in mapping.skips:
        value = row.get(rule["column"])
        text = "" if empty(value) else value if isinstance(value, str) else shown(value)
        if rule["pattern"].search(text):
            return rule, text
    return None


def _required(
    data: dict[str, Any], raised: list[FieldFlag], target: Target
) -> tuple[str, str, str] | None:
    """Why a row lacks a field its category requires: (field, reason, value), or None."""
    for name, ftype in target.types.items():
        if not ftype.required or name == "name" or name in data:
            continue
        flag = next((f.flag for f in raised if f.field.split(".")[0] == name), None)
        if flag is not None:
            return name, f"{name}: {flag.reason} (a required field: row skipped)", flag.detail
        return name, f"no {name} (a required field)", ""
    return None


class DraftMaker:
    """Turns the rows of one source file into draft cards, reporting every other row."""

    def __init__(self, mapping: Mapping, target: Target, summary: Summary) -> None:
        self.mapping, self.target, self.summary = mapping, target, summary
        self.reader = RowReader(mapping, target, summary)
        self.site: Box = target.box
        fields = card_fields(mapping)
        self.key_columns = [item for item in mapping.key if item not in fields]

    def drafts(self, rows: Sequence[Row]) -> list[Draft]:
        """Draft cards of the usable rows, in source order."""
        check_columns(rows, self.mapping, self.target)
        found = [self.reader.values(row) for row in rows]
        values = [v for v, _ in found]
        tables = {
            spec.name: learn(rows, values, spec) for spec in self.mapping.fields if spec.learn_from
        }
        out = []
        for row, (data, raised) in zip(rows, found, strict=True):
            draft = self._draft(row, data, raised, tables)
            if draft is not None:
                out.append(draft)
        return out

    def _draft(
        self,
        row: Row,
        data: dict[str, Any],
        raised: list[FieldFlag],
        tables: dict[str, dict[str, Any]],
    ) -> Draft | None:
        summary = self.summary
        skip = _skip_rule(row, self.mapping)
        if skip:
            summary.skip(row.file, row.number, skip[0]["reason"], skip[1])
            return None
        name = data.pop("name", None)
        if not name:
            bad = next((f.flag for f in raised if f.field.split(".")[0] == "name"), None)
            reason = f"name: {bad.reason} (a required field: row skipped)" if bad else "no name"
            summary.skip(row.file, row.number, reason, bad.detail if bad else "", "name")
            return None
        point = locate(row, self.mapping, self.site, summary)
        if point is None:
            return None
        for spec in self.mapping.fields:
            if spec.learn_from and spec.name not in data:
                learnt = tables[spec.name].get(shown(row.get(spec.learn_from)))
                if learnt is not None:
                    data[spec.name] = learnt
                    summary.notes[f"{spec.name} learnt from {spec.learn_from}"] += 1
        missing = _required(data, raised, self.target)
        if missing:
            field_name, reason, detail = missing
            summary.skip(row.file, row.number, reason, detail, field_name)
            return None
        for item in raised:
            reason = f"{item.field}: {item.flag.reason} (left out)"
            summary.flag(row.file, row.number, reason, item.flag.detail, item.field)
        keys = {item: _key_text(row.get(item)) for item in self.key_columns}
        return Draft(
            name, point.lng, point.lat, data, [(row.file, row.number)], point.written, keys
        )


def _key_text(value: Any) -> str:
    return "" if empty(value) else value if isinstance(value, str) else shown(value)
