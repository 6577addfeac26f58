"""What the report form and a name card's quick form need: the Open311 endpoint and the
problems citizens can report, in each locale (docs/reports.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitegen.pipeline.config import SiteConfig
from sitegen.pipeline.model import Category
from sitegen.pipeline.services import build_catalog


class ReportForm:
    """The report pages' settings of one site and theme."""

    def __init__(self, config: SiteConfig, theme: Path) -> None:
        self.config = config
        # The report and "My reports" pages exist when site.yaml names an endpoint and the
        # theme has their templates (a project's own theme may leave reporting out).
        templates = theme / "templates"
        self.enabled = bool(config.report_endpoint) and all(
            (templates / name).is_file() for name in ("report.html", "my-reports.html")
        )
        self._catalog = build_catalog(config)
        self._configs: dict[str, dict[str, Any]] = {}
        self._quick: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def settings(self, locale: str) -> dict[str, Any]:
        """What the report form needs: the Open311 endpoint and the problem categories."""
        found = self._configs.get(locale)
        if found is None:
            found = self._configs[locale] = self._settings(locale)
        return found

    def quick_services(self, category: Category, locale: str) -> list[dict[str, Any]]:
        """The problems a name card's short form offers: those of its category (or of any)
        that ask no required question, since the short form asks none."""
        key = (category.id, locale)
        services = self._quick.get(key)
        if services is None:
            services = self._quick[key] = [
                service
                for service in self.settings(locale)["services"]
                if (not service["categories"] or category.id in service["categories"])
                and not any(a["required"] for a in service["attributes"])
            ]
        return services

    def _settings(self, locale: str) -> dict[str, Any]:
        return {
            "endpoint": self.config.report_endpoint,
            "jurisdiction": self.config.report_jurisdiction,
            "locale": locale,
            "services": [
                {
                    "code": s.code,
                    "name": s.name[locale],
                    "description": s.description[locale] if s.description else None,
                    "group": s.group[locale] if s.group else None,
                    "categories": list(s.categories),
                    "attributes": [
                        {
                            "code": a.code,
                            "datatype": a.datatype,
                            "required": a.required,
                            "description": a.description[locale],
                            "values": [[v.key, v.name[locale]] for v in a.values],
                        }
                        for a in s.attributes
                    ],
                }
                for s in self._catalog.services
            ],
        }
