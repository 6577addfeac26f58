"""Staff roles, each a jurisdiction's grant, and what each may do.

Roles are ranked: a higher role may do everything a lower one may. Modelled on the split
city case systems and FixMyStreet make between reading, handling (the department's
inspector, who sees the citizen's contact) and deciding (the dispatcher or supervisor).
"""

from __future__ import annotations

ROLES = ("viewer", "handler", "supervisor", "admin")

# What each permission needs at least.
PERMISSIONS: dict[str, str] = {
    "view": "viewer",  # the queue, the map, a case without contact details, rated places
    "contact": "handler",  # the citizen's email, name, phone and device
    "note": "handler",  # internal notes
    "handle": "handler",  # start and mark handled (cases of one's own department)
    "export": "handler",  # CSV and GeoJSON of the queue (contact included)
    "decide": "supervisor",  # accept, reject, dispatch, verify, send back, close, reopen, merge
    "cases_export": "supervisor",  # the full case export with history and notes
    "audit": "admin",  # the audit log
}


def rank(role: str) -> int:
    """The position of a role (0 for viewer); an unknown role ranks below every role."""
    return ROLES.index(role) if role in ROLES else -1


def allows(role: str, permission: str) -> bool:
    """Whether ``role`` has ``permission``."""
    return rank(role) >= rank(PERMISSIONS[permission])


def check_role(role: str) -> str:
    """A role as given on the command line, checked."""
    if role not in ROLES:
        raise ValueError(f'unknown role "{role}"; use one of {", ".join(ROLES)}')
    return role
