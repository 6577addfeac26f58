"""``Page``: one HTML page of the site, its path and the template and context that make it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Page:
    """One HTML page: its path below the site root (``en/toilet/``) and how to make it."""

    path: str
    template: str
    context: dict[str, Any]
    locale: str
    key: tuple[str, ...]  # identifies "the same page" across locales
    in_sitemap: bool = True

    @cached_property
    def output(self) -> str:
        """The file written: ``en/toilet/`` is ``en/toilet/index.html``."""
        return self.path + "index.html" if self.path.endswith("/") else self.path
