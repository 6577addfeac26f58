"""``sitegen serve``: build, serve the output on loopback, rebuild when sources change.

It imports the build and below; nothing imports it but the CLI.
"""
