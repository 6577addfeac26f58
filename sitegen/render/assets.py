"""Theme assets: content-hashed file names, vendored libraries and the import map.

Our own CSS/JS/images get a content hash in their names (cache forever, change on edit).
Vendored libraries under ``static/vendor/NAME-VERSION/`` keep their paths, so the
relative references inside them (a stylesheet's images) keep working; the version in the
folder name is their cache key. ES modules import each other through an import map, so
hashed names never appear inside module code; a page preloads the modules its entry module
imports (``static_imports``), so that a phone fetches them all at once, not one level of
imports after another.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import rcssmin
import rjsmin

from sitegen.errors import ConfigError

HASHED_SUFFIXES = (".css", ".js", ".mjs", ".svg", ".png", ".webp", ".woff2")

# A static import or re-export of one of our modules in minified code (`import{a}from"app/b.js"`,
# `import "app/b.js"`); `import("app/b.js")` is loaded on demand and is not matched.
_STATIC_IMPORT = re.compile(
    r"""\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']app/([\w.-]+\.js)["']"""
)


@dataclass
class ThemeAssets:
    """Every asset file to publish, and the output path of each theme file by its name."""

    files: dict[str, bytes] = field(default_factory=dict)  # output path -> content
    paths: dict[str, str] = field(default_factory=dict)  # "css/main.css" -> output path
    imports: dict[str, str] = field(default_factory=dict)  # import map: specifier -> path

    def add_hashed(self, name: str, content: bytes) -> str:
        rel = PurePosixPath(name)
        digest = hashlib.sha256(content).hexdigest()[:10]
        path = str(PurePosixPath("assets", rel.parent, f"{rel.stem}.{digest}{rel.suffix}"))
        self.files[path] = content
        self.paths[name] = path
        return path

    def static_imports(self, name: str) -> list[str]:
        """Our modules that ``name`` (``js/NAME.js``) imports, directly or not, by name, sorted.

        Dynamic ``import()`` is left out: those modules are loaded only when needed.
        """
        found: set[str] = set()
        todo = [name]
        while todo:
            content = self.files.get(self.paths.get(todo.pop(), ""), b"")
            for match in _STATIC_IMPORT.finditer(content.decode("utf-8", "replace")):
                imported = f"js/{match[1]}"
                if imported != name and imported not in found and imported in self.paths:
                    found.add(imported)
                    todo.append(imported)
        return sorted(found)


def collect_assets(theme: Path, generated: dict[str, bytes]) -> ThemeAssets:
    """Read the theme's ``static/`` folder; ``generated`` adds build-made files by name."""
    assets = ThemeAssets()
    static = theme / "static"
    files = sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []
    for path in files:
        name = path.relative_to(static).as_posix()
        content = minify(path.suffix, path.read_bytes())
        if name.startswith("vendor/") or path.suffix not in HASHED_SUFFIXES:
            assets.files[f"assets/{name}"] = content
            assets.paths[name] = f"assets/{name}"
        else:
            assets.add_hashed(name, content)
    for name, content in sorted(generated.items()):
        assets.add_hashed(name, content)
    assets.imports = _import_map(theme, assets)
    return assets


def minify(suffix: str, content: bytes) -> bytes:
    """Strip comments and white space from JavaScript and CSS (licence ``/*!`` comments stay).

    The repository keeps readable and vendored files untouched; phones get the small ones
    (Leaflet's ES module: 425 KB -> 150 KB, 109 KB -> 50 KB gzipped).
    """
    if suffix in (".js", ".mjs"):
        return str(rjsmin.jsmin(content.decode("utf-8"), keep_bang_comments=True)).encode()
    if suffix == ".css":
        return str(rcssmin.cssmin(content.decode("utf-8"), keep_bang_comments=True)).encode()
    return content


def _import_map(theme: Path, assets: ThemeAssets) -> dict[str, str]:
    """Bare specifiers of the theme's ``importmap.json`` plus ``app/NAME.js`` for our modules."""
    imports: dict[str, str] = {}
    declared = theme / "importmap.json"
    if declared.is_file():
        try:
            data = json.loads(declared.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{declared}:{exc.lineno}:{exc.colno}: {exc.msg}") from None
        for specifier, name in sorted(data.get("imports", {}).items()):
            if name not in assets.paths:
                raise ConfigError(
                    f'{declared}: "{specifier}" points at static/{name}, which does not exist'
                )
            imports[specifier] = assets.paths[name]
    for name, path in sorted(assets.paths.items()):
        if name.startswith("js/") and name.endswith(".js") and "/" not in name[3:]:
            imports[f"app/{name[3:]}"] = path
    return imports


def import_map_script(imports: dict[str, str], base_path: str) -> tuple[str, str]:
    """The import map JSON for a page, and its CSP hash source (``'sha256-…'``).

    The text goes inside ``<script type="importmap">`` as it is: ``<``, ``>`` and ``&`` are
    written as JSON escapes, so a base path holding ``</script>`` cannot end the element.
    """
    text = json.dumps(
        {"imports": {k: base_path + v for k, v in imports.items()}},
        sort_keys=True,
        separators=(",", ":"),
    )
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return text, f"'sha256-{digest}'"
