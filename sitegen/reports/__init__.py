"""The citizen-report endpoint: an Open311 GeoReport v2 service that loses nothing, the city
staff's case console at ``/staff/``, and citizens' ratings; one server for one or several
jurisdictions.

``create_app`` (in ``app``) builds the ASGI application. At the top: the public API (``api``
reads, ``intake`` takes reports, ``feedback`` takes ratings), the machine API
(``staff_api``), settings, records, jurisdictions and the server config, exports. Below:
``cases`` (the case loop's rules, pure), ``store`` (SQLite and PostgreSQL) and ``console``
(the staff's pages); the commands are in ``sitegen.cli.reports``. It imports the pipeline
(the sites' config, facilities and services) and the foundations; never the render stage,
the build, the dev server or the CLI. The rules between its sub-folders are data in
tests/test_architecture.py.
"""
