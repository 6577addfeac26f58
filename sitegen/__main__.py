"""``python -m sitegen``: the ``sitegen`` command, for when the console script is not on PATH."""

from __future__ import annotations

from sitegen.cli.main import run

if __name__ == "__main__":
    run()
