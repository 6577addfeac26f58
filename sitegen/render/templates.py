"""The theme's Jinja templates (autoescaped, strict): loading, rendering, and theme errors
reported as ``template:line: message`` naming the page being rendered."""

from __future__ import annotations

import contextlib
import traceback
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
from markupsafe import Markup

from sitegen.cache.store import cache_dir
from sitegen.errors import BuildError


def theme_key(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the files below ``root``: a theme's key."""
    entries = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            st = path.stat()
            entries.append((path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(entries)


def make_environment(theme: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.context_class = _Context
    return env


# What a template may call with nothing passed in front of its arguments: Python functions,
# bound methods and built-ins that are not marked ``pass_context`` and the like.
_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType)


class _Context(jinja2.runtime.Context):
    """Jinja's context with a short way through ``call`` for plain functions.

    A name card calls some seventy functions; Jinja's ``call`` asks each whether it wants
    the context passed (four attribute lookups) before calling it: a tenth of the render.
    Plain functions are called at once, with the same result; anything else (macros,
    callable objects, functions marked ``pass_context``) goes Jinja's own way.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates in the build cache's folder: a new process does not compile the
    theme again (a third of a second). Jinja checks each against its template's source; a
    cache that cannot be written is only slower."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry (any way a file can be): compiled again
            bucket.reset()


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    root = cache_dir()
    if root is None:
        return None
    folder = root / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _KeptTemplates(str(folder))


class Templates:
    """Renders templates of one environment, each loaded once, with errors made readable."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._loaded: dict[str, jinja2.Template] = {}
        self._fragments: dict[tuple[Any, ...], Markup] = {}

    def render(self, name: str, context: dict[str, Any], page: str) -> bytes:
        """The template ``name`` filled with ``context``, as UTF-8; ``page`` names it in errors."""
        template = self._loaded.get(name)
        if template is None:
            template = self._loaded[name] = self.get(name)
        try:
            return template.render(context).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise template_error(exc, page) from None

    def get(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateError as exc:
            raise template_error(exc, name) from None

    def once(self, *key: Any, caller: Callable[[], str]) -> Markup:
        """``{% call once(name, locale) %}...{% endcall %}``: the body, rendered once per key.

        For the parts of a page that are the same on every page of a locale (the links in
        the head, the footer): 90,000 name cards render them once instead of 90,000 times.
        The body must depend on nothing but the key and the site; output is the same.
        """
        fragment = self._fragments.get(key)
        if fragment is None:
            fragment = self._fragments[key] = Markup(caller())
        return fragment


def template_error(exc: jinja2.TemplateError, page: str) -> BuildError:
    """A theme error as ``template:line: message``, naming the page being rendered."""
    where = ""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name}:{exc.lineno}: "
    else:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")
        ]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}: "
    return BuildError(f"{where}theme error while rendering {page}: {exc.message or exc}")
