"""``build()``: the whole pipeline as a readable list of stages.

config -> load -> validate -> model -> render -> write. Nothing is written until the
model is complete, and the output folder is swapped in only when every file is written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .config import SiteConfig, load_config, normalize_base_url
from .errors import ConfigError, ContentError, Problem, Report
from .load import load_content
from .model import Site, build_site
from .render import Renderer, theme_dir
from .schema import Invalid
from .validate import validate
from .write import StagedOutput, WriteStats

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    site: Site
    pages: int
    files: int
    stats: WriteStats
    seconds: float
    warnings: list[Problem]
    precache_bytes: dict[str, int]  # per locale: what a phone downloads for offline use


def load_site(project_dir: Path, base_url: str | None = None) -> tuple[Site, list[Problem]]:
    """Config, load, validate and model: the checked site, or a ContentError with every problem."""
    config = load_config(project_dir)
    if base_url is not None:
        try:
            config = replace(config, base_url=normalize_base_url(base_url))
        except Invalid as exc:
            raise ConfigError(f"--base-url: {exc.message}") from None
    report = Report()
    raw = load_content(config.content_dir, config.locales, report)
    checked = validate(raw, config, report)
    if report.errors:
        raise ContentError(report.sorted())
    return build_site(checked, config), report.warnings


def check(project_dir: Path) -> list[Problem]:
    """Run every check without writing anything; returns the warnings."""
    return load_site(project_dir)[1]


def build(
    project_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the site into ``out_dir``; on any failure the previous output stays as it was."""
    started = time.perf_counter()
    site, warnings = load_site(project_dir, base_url)
    renderer = Renderer(
        site, theme_dir(project_dir, site.config.theme), site.config.precache_budget_mb
    )
    total = len(renderer.pages)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    files = 0
    with StagedOutput(out_dir) as output:
        for rel, content in renderer.render(advance):
            output.write(rel, content)
            files += 1
        output.commit()
    seconds = time.perf_counter() - started
    log.info("built %d pages (%d files) in %.2f s", total, files, seconds)
    return BuildResult(
        site, total, files, output.stats, seconds, warnings, dict(renderer.precache_sizes)
    )


__all__ = ["BuildResult", "SiteConfig", "build", "check", "load_site"]
