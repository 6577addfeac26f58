"""The console's routes under ``/staff/`` (the machine API's two routes come first in
``sitegen.reports.app``, so ``/staff/requests/…`` stays theirs).
"""

from __future__ import annotations

from starlette.routing import Route

from sitegen.reports.console import actions, audit, case, login, places, queue
from sitegen.reports.console.web import static_file


def console_routes(prefix: str = "/staff/") -> list[Route]:
    """Every page and form of the console."""
    j = prefix + "{jurisdiction}/"
    case_path = j + "requests/{ticket}"
    return [
        Route(prefix, login.home, methods=["GET"]),
        Route(prefix + "login", login.login_form, methods=["GET"]),
        Route(prefix + "login", login.login, methods=["POST"]),
        Route(prefix + "logout", login.logout, methods=["POST"]),
        Route(prefix + "static/{path:path}", static_file, methods=["GET"]),
        Route(j, queue.queue_page, methods=["GET"]),
        Route(j + "map.geojson", queue.queue_map, methods=["GET"]),
        Route(j + "export.csv", queue.export_csv, methods=["GET"]),
        Route(j + "export.geojson", queue.export_geojson, methods=["GET"]),
        Route(j + "cases.json", queue.cases_export_json, methods=["GET"]),
        Route(j + "cases.csv", queue.cases_export_csv, methods=["GET"]),
        Route(j + "places", places.places_page, methods=["GET"]),
        Route(j + "audit", audit.audit_page, methods=["GET"]),
        Route(case_path, case.case_detail, methods=["GET"]),
        Route(case_path + "/act/{action}", actions.act, methods=["POST"]),
        Route(case_path + "/merge", actions.merge, methods=["POST"]),
        Route(case_path + "/note", actions.note, methods=["POST"]),
        Route(case_path + "/priority", actions.priority, methods=["POST"]),
    ]
