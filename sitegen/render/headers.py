"""The HTTP headers each file of the site needs, as data.

``_headers`` is the file Netlify and Cloudflare Pages read: a URL pattern, then its headers.
Every file gets the security headers (CSP with ``frame-ancestors``, ``nosniff``, the referrer
and permissions policies, HSTS on https); content-hashed files are cached for a year and the
rest (pages, ``sw.js``, manifests, GeoJSON) revalidated; web manifests and GeoJSON get the
content types hosts do not know. The same rules go to ``_headers.nginx`` and
``_headers.caddy``, which deploy/nginx.conf and deploy/Caddyfile include, so every host
sends the same headers. The first rule is always the base path's ``/*``.

A request that matches several patterns gets the headers of each (the Netlify and Cloudflare
rule), so the rules never give one header twice for a path: each header's patterns are made
from the file tree, one folder pattern where every file below it agrees, exact paths where
they do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from sitegen.cache.keys import content_key
from sitegen.cache.memo import Memo
from sitegen.errors import BuildError
from sitegen.pipeline.config import SiteConfig

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Content-hashed names (assets.add_hashed, appdata.hashed_name) and versioned vendor folders.
_HASHED = re.compile(r"(?:^|/)[^/]+\.[0-9a-f]{10}\.[A-Za-z0-9]+$|^assets/vendor/[^/]+-[0-9][^/]*/")

# The type of every kind of file a site holds; hosts serve these (deploy/ says how).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".woff2": "font/woff2",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}
# Types that hosts get wrong unless told (application/octet-stream): written in _headers.
_UNCOMMON_TYPES = (".webmanifest", ".geojson")
# Every header the rules may give, in the order they are written; nginx.conf names each.
HEADER_NAMES = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cache-Control",
    "Content-Type",
)
HEADER_FILES = ("_headers", "_headers.nginx", "_headers.caddy")


@dataclass(frozen=True)
class Rule:
    """A URL pattern (``*`` at the end matches everything below) and its headers."""

    pattern: str
    headers: tuple[tuple[str, str], ...]


def site_headers(config: SiteConfig, csp: str) -> dict[str, str]:
    """What every file of the site is sent with."""
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        # Origin only to other hosts: tile servers check it (OpenStreetMap's policy, and
        # Tianditu's key is bound to the site's domain), paths stay private.
        "Referrer-Policy": "strict-origin-when-cross-origin",
        # "Nearest to me" asks for the position; nothing else is wanted, by no frame.
        "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
    }
    if config.base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


def content_type(rel: str) -> str | None:
    """The type a file is served with, by its suffix (None: the host's default)."""
    dot = rel.rfind(".")
    return CONTENT_TYPES.get(rel[dot:]) if dot > rel.rfind("/") else None


def cache_control(rel: str) -> str:
    """A year for content-hashed files; anything else is asked for again each time."""
    return IMMUTABLE if _HASHED.search(rel) else REVALIDATE


def header_rules(
    files: Iterable[str], base_path: str, common: dict[str, str], memo: Memo | None = None
) -> list[Rule]:
    """The rules for every file of the output (``.gz``/``.br`` copies left out).

    With a ``memo``, the patterns of each top folder (a locale's 30,000 pages) are kept by
    the digest of the files in it: a build that changed none of its names reuses them.
    """
    names = sorted(f for f in files if not f.endswith((".gz", ".br")) and f not in HEADER_FILES)
    tree = _tree(names)
    digests = _folder_digests(names) if memo is not None else {}
    per_pattern: dict[str, dict[str, str]] = {"*": {}}
    values: dict[str, Callable[[str], str | None]] = {
        "Cache-Control": cache_control,
        "Content-Type": _uncommon_type,
    }
    for name in HEADER_NAMES:
        if name in common and name not in values:  # the same for every file: one rule
            if names:
                per_pattern["*"][name] = common[name]
            continue
        if name not in values:
            continue
        walk_top = _remembered(memo, name, digests) if memo is not None else _walk
        for pattern, value in _patterns(tree, values[name], walk_top):
            per_pattern.setdefault(pattern, {})[name] = value
    rules = []
    for pattern in sorted(per_pattern, key=lambda p: (p != "*", p)):
        headers = per_pattern[pattern]
        ordered = tuple((n, headers[n]) for n in HEADER_NAMES if n in headers)
        rules.append(Rule(base_path + pattern, ordered))
    return rules


def _uncommon_type(rel: str) -> str | None:
    return content_type(rel) if rel.endswith(_UNCOMMON_TYPES) else None


_Tree = dict[str, "_Tree | None"]  # folder name -> its tree; file name -> None


def _tree(files: list[str]) -> _Tree:
    root: _Tree = {}
    for rel in files:
        node = root
        *folders, name = rel.split("/")
        for folder in folders:
            child = node.setdefault(folder, {})
            assert child is not None
            node = child
        node[name] = None
    return root


_MIXED = object()


_Walked = tuple[object, list[tuple[str, str]]]
_Walk = Callable[[_Tree, str, Callable[[str], str | None]], _Walked]


def _patterns(
    tree: _Tree, value_of: Callable[[str], str | None], walk_top: _Walk
) -> list[tuple[str, str]]:
    """``(pattern, value)`` pairs giving each file its value, fewest first."""
    uniform, found = _walk(tree, "", value_of, walk_top)
    if uniform is not _MIXED:
        return [("*", str(uniform))] if uniform is not None else []
    return found


def _folder_digests(names: list[str]) -> dict[str, str]:
    """Each top folder's digest of the names of the files in it."""
    inside: dict[str, list[str]] = {}
    for rel in names:
        top, slash, _ = rel.partition("/")
        if slash:
            inside.setdefault(top, []).append(rel)
    return {top: content_key(*rels) for top, rels in inside.items()}


def _remembered(memo: Memo, header: str, digests: dict[str, str]) -> _Walk:
    """``_walk`` for the top folders, each result for ``header`` kept by the folder's
    digest (``_folder_digests``)."""

    def walk(tree: _Tree, prefix: str, value_of: Callable[[str], str | None]) -> _Walked:
        def made() -> tuple[bool, object, list[tuple[str, str]]]:
            uniform, found = _walk(tree, prefix, value_of)
            return uniform is _MIXED, None if uniform is _MIXED else uniform, found

        mixed, uniform, found = memo.get(
            "header-patterns", (header, prefix, digests[prefix[:-1]]), made, lasting=True
        )
        return (_MIXED if mixed else uniform), found

    return walk


def _walk(
    tree: _Tree,
    prefix: str,
    value_of: Callable[[str], str | None],
    walk_folder: _Walk | None = None,
) -> _Walked:
    """The value every file below shares (or ``_MIXED``), and the patterns if they differ.

    ``walk_folder`` walks the folders right below (by default this function again).
    """
    seen: set[object] = set()
    found: list[tuple[str, str]] = []
    for name, child in sorted(tree.items()):
        path = prefix + name
        if child is None:
            value = value_of(path)
            seen.add(value)
            if value is not None:
                found.append((path, value))
                if name == "index.html":  # the folder's own address serves it
                    found.append((prefix, value))
            continue
        uniform, inner = (walk_folder or _walk)(child, path + "/", value_of)
        seen.add(uniform)
        if uniform is _MIXED:
            found.extend(inner)
        elif uniform is not None:
            found.append((path + "/*", str(uniform)))
    if len(seen) == 1:
        return seen.pop(), found
    return _MIXED, found


def headers_file(rules: list[Rule]) -> bytes:
    """``_headers`` for Netlify and Cloudflare Pages."""
    lines = ["# The headers of every file, made by sitegen build (docs/hosting.md)."]
    for rule in rules:
        lines.append(quote(rule.pattern, safe="/*:@!$&'()+,;=-._~"))
        lines.extend(f"  {name}: {value}" for name, value in rule.headers)
    return ("\n".join(lines) + "\n").encode()


def nginx_variable(name: str) -> str:
    """The nginx variable that holds a header's value (``$sitegen_cache_control``)."""
    return "$sitegen_" + name.lower().replace("-", "_")


def nginx_maps(rules: list[Rule], base_path: str) -> bytes:
    """``_headers.nginx``: one ``map`` per header from the request's path to its value."""
    lines = [
        "# The headers of _headers for nginx, made by sitegen build: include this file in the",
        "# http block (deploy/nginx.conf). The content type comes from nginx.conf's types.",
    ]
    for name in HEADER_NAMES:
        if name == "Content-Type":
            continue
        lines.append(f"map $uri {nginx_variable(name)} {{")
        lines.append('    default "";')
        for rule in rules:
            for header, value in rule.headers:
                if header == name:
                    lines.append(f"    {_nginx_key(rule.pattern)} {_quoted(value)};")
        lines.append("}")
    lines.append(f"map $uri $sitegen_not_found {{ default {_quoted(base_path + '404.html')}; }}")
    return ("\n".join(lines) + "\n").encode()


def _nginx_key(pattern: str) -> str:
    if pattern.endswith("*"):
        # Regular-expression characters in brackets: no backslashes for nginx to read.
        prefix = re.sub(r"[.+?()|*]", lambda m: f"[{m[0]}]", _checked(pattern[:-1], "[]^"))
        return _quoted("~^" + prefix)
    return _quoted(pattern)


def caddy_headers(rules: list[Rule], base_path: str) -> bytes:
    """``_headers.caddy``: a ``header`` directive per rule, imported in the site's block."""
    lines = [
        "# The headers of _headers for Caddy, made by sitegen build: import this file in the",
        "# site's block and in its handle_errors block (deploy/Caddyfile).",
        f"vars sitegen_not_found {_quoted(base_path + '404.html')}",
    ]
    for rule in rules:
        headers = [(n, v) for n, v in rule.headers if n != "Content-Type"]
        if not headers:
            continue
        lines.append(f"header {_quoted(rule.pattern)} {{")
        lines.extend(f"    {name} {_quoted(value)}" for name, value in headers)
        lines.append("}")
    return ("\n".join(lines) + "\n").encode()


def _quoted(text: str) -> str:
    """A double-quoted string for nginx and Caddy files; values are checked to need no escape."""
    return f'"{_checked(text)}"'


def _checked(text: str, also: str = "") -> str:
    if re.search(r'["\\${}\x00-\x1f\x7f]', text) or any(c in text for c in also):
        raise BuildError(f"cannot write {text!r} into a server configuration (_headers.nginx)")
    return text


def parse_headers_file(text: str) -> list[Rule]:
    """The rules of a ``_headers`` file (as ``headers_file`` writes them)."""
    rules: list[Rule] = []
    pattern: str | None = None
    headers: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            if pattern is not None:
                rules.append(Rule(pattern, tuple(headers)))
            pattern, headers = unquote(line.strip()), []
            continue
        name, _, value = line.strip().partition(":")
        headers.append((name.strip(), value.strip()))
    if pattern is not None:
        rules.append(Rule(pattern, tuple(headers)))
    return rules


def headers_for(rules: list[Rule], path: str) -> dict[str, str]:
    """The headers of a request path under Netlify's and Cloudflare's rule: every matching
    rule's headers, a header given by two rules joined with ", "."""
    found: dict[str, str] = {}
    for rule in rules:
        star = rule.pattern.endswith("*")
        if path.startswith(rule.pattern[:-1]) if star else path == rule.pattern:
            for name, value in rule.headers:
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found
