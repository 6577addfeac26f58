"""The theme's UI strings: ``strings/LOCALE.yaml``, one table per locale, all with the same keys."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import ConfigError, Report
from sitegen.source.located import LocatedDict, YamlSyntaxError, parse_yaml

UiStrings = dict[str, dict[str, str]]  # locale -> key -> text


def load_strings(theme: Path, locales: tuple[str, ...]) -> UiStrings:
    """Every locale's strings; a missing file or key is a ConfigError naming it."""
    strings: UiStrings = {}
    for locale in locales:
        path = theme / "strings" / f"{locale}.yaml"
        if not path.is_file():
            raise ConfigError(f"{path}: the theme has no UI strings for {locale}")
        try:
            data = parse_yaml(path.read_text("utf-8"), str(path), Report())
        except YamlSyntaxError as exc:
            raise ConfigError(f"{exc.mark}: {exc.message}") from None
        if not isinstance(data, LocatedDict):
            raise ConfigError(f"{path}: UI strings must be a mapping of key to text")
        strings[locale] = {str(k): str(v) for k, v in data.items()}
    reference = set(strings[locales[0]])
    for locale, table in strings.items():
        missing = reference - set(table)
        if missing:
            raise ConfigError(f"theme strings/{locale}.yaml lacks {', '.join(sorted(missing))}")
    return strings
