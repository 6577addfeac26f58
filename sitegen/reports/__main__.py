"""``python -m sitegen.reports``: the report commands on their own (benchmarks, ops scripts)."""

from __future__ import annotations

import logging

import click

from .cli import report_server, reports


@click.group()
def main() -> None:
    """The citizen-report endpoint of sitegen and its staff tools."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


main.add_command(report_server)
main.add_command(reports)

if __name__ == "__main__":
    main()
