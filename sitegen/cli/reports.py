"""``sitegen report-server`` and ``sitegen reports …``: run the endpoint, work the cases,
manage staff accounts (``reports_server``, ``reports_cases``, ``reports_users``, with what
they share in ``reports_common``).

Like the rest of sitegen: a bad project, setting or ticket gives a clear message and exit
status 1, never a traceback.
"""

from __future__ import annotations

import click

from sitegen.cli.reports_cases import export, list_reports, set_status, show
from sitegen.cli.reports_common import examples
from sitegen.cli.reports_server import report_server
from sitegen.cli.reports_users import audit, users


@click.group(
    epilog=examples(
        "sitegen reports list -C city-map --status open",
        "sitegen reports users add mei --role supervisor",
    )
)
def reports() -> None:
    """Staff tools for citizens' reports: list, show, set-status, export, users, audit."""


for command in (list_reports, show, set_status, export, users, audit):
    reports.add_command(command)

__all__ = ["report_server", "reports"]
