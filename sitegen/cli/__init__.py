"""The ``sitegen`` command line: the only place that decides what a user sees.

One module per group of commands (``main``: check, build, serve; ``editor``: new, schema;
``importer``: import; ``reports``: report-server and the staff commands), with the options
they share in ``options``. It may import anything below it; nothing imports it.
"""
