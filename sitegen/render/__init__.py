"""The render stage: from the ``Site`` model to the bytes of every output file.

One module per output kind (pages and their helpers, JSON-LD, sitemap, GeoJSON, the
front-end's data and config, the offline app and its precache, the CSP, UI strings, theme
assets), put together by ``renderer.Renderer``. Pure: no clock, no disk outside the theme.
It imports the pipeline and the foundations; never the build, the servers or the CLI.
"""
