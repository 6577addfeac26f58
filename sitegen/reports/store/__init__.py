"""Storage of reports and of the staff's work, in SQLite or PostgreSQL with the same SQL.

``base`` holds the reports themselves and the schema's migrations (``migrations``); each
other module is one book kept in the same database: the case work (``casework``), the
queue's queries (``queue``), staff accounts (``accounts``) and sessions (``sessions``), the
audit log (``audit``) and citizens' ratings (``ratings``). ``factory`` picks the database.
It may import ``sitegen.reports.records``, ``settings`` and ``cases``, the floor and the
foundations; never the web parts (the API, the console) nor the pipeline.
"""
