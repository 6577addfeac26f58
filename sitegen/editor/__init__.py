"""Tools for editors: JSON Schemas of every content file, and a new site that checks clean.

It imports the pipeline and the foundations; never the build, the servers or the CLI.
"""
