"""``sitegen import``: turn a city's open-data export into name cards, driven by a mapping file.

It imports the pipeline and the foundations; never the render stage, the build, the
servers or the CLI (the command itself is in ``sitegen.cli.importer``).
"""
