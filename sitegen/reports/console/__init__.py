"""The staff console at ``/staff/``: server-rendered pages (Jinja, autoescaped) with a little
same-origin JavaScript, in zh-Hans, zh-Hant and en.

``routes`` lists the pages; ``auth`` signs staff in and checks sessions, roles per
jurisdiction and CSRF tokens; ``web`` renders pages with the console's CSP; ``queue``,
``case``, ``actions``, ``places``, ``audit`` and ``login`` are the pages themselves, with
``filters`` (the queue's query) and ``case_view`` (what a case page shows) beside them.
Templates, styles, scripts and strings are package data in ``templates/``, ``static/``
and ``strings/``. It may import the rest of ``sitegen.reports`` (its store, cases, context,
intake for photos, exports), the pipeline's config and the foundations; nothing imports it
but ``sitegen.reports.app``.
"""
