"""The pipeline's first stages, one direction: config -> load -> validate -> model.

``config`` reads site.yaml, ``load`` parses the content files with their positions,
``validate`` checks everything and collects every problem, ``model`` derives the ``Site``
that rendering needs. A stage imports only earlier stages and the foundations
(``sitegen.source``, ``sitegen.hours``, ``sitegen.geo``, ``sitegen.i18n``,
``sitegen.cache``, ``sitegen.errors``); never rendering, building or anything above.
"""
