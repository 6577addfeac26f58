"""The load stage: find content files and parse them into located YAML values.

Nothing here judges the content; syntax errors are reported and the file is left out,
so that one broken file does not hide the problems of all the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.cache.keys import content_key
from sitegen.cache.store import BuildCache
from sitegen.errors import Mark, Report
from sitegen.source.located import (
    LocatedDict,
    YamlSyntaxError,
    parse_yaml,
    read_text,
    split_front_matter,
)


@dataclass
class SourceFile:
    """One content file: its display path and its located data.

    A name-card file is read at once but parsed only when it is checked (``parsed``): a
    build that kept the check of the same text from an earlier build never parses it.
    """

    path: str
    data: Any
    key: str = ""  # digest of the path and text: parsed and checked work is kept under it
    text: str | None = None  # not parsed yet


def parsed(source: SourceFile, report: Report) -> Any:
    """The file's located data, parsed now if the load left it for later.

    Problems of the parse go to ``report``; a file that cannot be parsed is "broken".
    """
    if source.text is not None:
        text, source.text = source.text, None
        try:
            source.data = parse_yaml(text, source.path, report)
        except YamlSyntaxError as exc:
            report.error(exc.mark, exc.message)
            source.data = _BROKEN
    return source.data


@dataclass
class GuideSource:
    """A guide: front matter and Markdown body, plus translated bodies by locale."""

    path: str
    stem: str
    front: Any
    body: str
    body_line: int
    translations: dict[str, GuideTranslation] = field(default_factory=dict)


@dataclass
class GuideTranslation:
    path: str
    front: Any
    body: str
    body_line: int = 0


@dataclass
class RawContent:
    categories: list[SourceFile]
    facilities: list[SourceFile]
    guides: list[GuideSource]


def load_content(
    content_dir: Path, locales: tuple[str, ...], report: Report, cache: BuildCache | None = None
) -> RawContent:
    """Read every category, facility and guide file below ``content_dir``.

    With a ``cache`` (cache/store.py), a category file whose text was parsed before is not
    parsed again; name-card files are parsed when they are checked (``parsed``).
    """
    root = content_dir.parent
    categories = _files(content_dir / "categories")
    facilities = _files(content_dir / "facilities")
    return RawContent(
        categories=[_yaml_file(p, root, report, cache) for p in categories],
        facilities=[_unparsed_file(p, root, report) for p in facilities],
        guides=_guides(content_dir / "guides", root, locales, report),
    )


def _files(folder: Path, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> list[Path]:
    # Sorted so that the build, and the order of reported problems, never depends on the disk.
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in suffixes and p.is_file() and not p.name.startswith(".")
    )


def display_path(path: Path, root: Path) -> str:
    """A path as shown in messages: relative to the project, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _yaml_file(path: Path, root: Path, report: Report, cache: BuildCache | None) -> SourceFile:
    display = display_path(path, root)
    try:
        text = read_text(path, display)
        key = content_key("yaml", display, text)  # marks name the file: part of the key
        if cache is None:
            return SourceFile(display, parse_yaml(text, display, report), key)
        found = cache.parsed(key)
        if found is None:
            own = Report()
            found = (parse_yaml(text, display, own), own.problems)
            cache.store_parsed(key, *found)
        data, problems = found
        report.problems.extend(problems)
        return SourceFile(display, data, key)
    except YamlSyntaxError as exc:
        report.error(exc.mark, exc.message)
        return SourceFile(display, _BROKEN)


def _unparsed_file(path: Path, root: Path, report: Report) -> SourceFile:
    display = display_path(path, root)
    try:
        text = read_text(path, display)
    except YamlSyntaxError as exc:  # not a text file
        report.error(exc.mark, exc.message)
        return SourceFile(display, _BROKEN)
    return SourceFile(display, None, content_key("yaml", display, text), text)


class _Broken:
    """Stands for a file that could not be parsed; later stages skip it silently."""


_BROKEN = _Broken()


def is_broken(data: Any) -> bool:
    return data is _BROKEN


def _guides(
    folder: Path, root: Path, locales: tuple[str, ...], report: Report
) -> list[GuideSource]:
    # By folder and name: guides/a/x.md and guides/b/x.md are two guides (whose ids clash).
    guides: dict[tuple[Path, str], GuideSource] = {}
    translations: list[tuple[tuple[Path, str], str, GuideTranslation]] = []
    for path in _files(folder, (".md",)):
        display = display_path(path, root)
        stem, _, locale = path.stem.partition(".")
        try:
            text = read_text(path, display)
            yaml_text, body, body_line = split_front_matter(text)
            front = parse_yaml(yaml_text, display, report, line_offset=1) if yaml_text else None
        except YamlSyntaxError as exc:
            report.error(exc.mark, exc.message)
            continue
        if locale:
            if locale not in locales:
                report.error(
                    Mark(display),
                    f'"{locale}" in the file name is not one of the '
                    f"site's locales ({', '.join(locales)})",
                )
                continue
            translations.append(
                ((path.parent, stem), locale, GuideTranslation(display, front, body))
            )
        else:
            if front is None or not isinstance(front, LocatedDict):
                report.error(
                    Mark(display),
                    "a guide starts with front matter between --- lines, with at least a title",
                )
                continue
            guides[(path.parent, stem)] = GuideSource(display, stem, front, body, body_line)
    for key, locale, translation in translations:
        if key not in guides:
            expected = display_path(key[0] / f"{key[1]}.md", root)
            report.error(
                Mark(translation.path),
                f"translation of a guide that does not exist: no {expected}",
            )
            continue
        guides[key].translations[locale] = translation
    return list(guides.values())
