"""The build: the stage list (``stages.build``), the incremental planner and its dependency
model (``planner``, ``fingerprints``, ``snapshot``, ``record``), the runner that owns the
garbage collector and the render workers (``runner``), and the output folder (``output``,
``compress``), staged and swapped or updated in place, never half-written.

It imports the pipeline, the render stage and the foundations; never ``serve`` or ``cli``.
"""
