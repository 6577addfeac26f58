"""The schema, as numbered migrations: each runs once, in order, recorded in schema_version.

``{serial}``, ``{real}`` and ``{time}`` are filled in per database. A migration only adds:
a newer server reads an older database after upgrading it, and nothing is ever rewritten.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: reports, their photos and their status changes.
    """
    CREATE TABLE reports (
        id {serial} PRIMARY KEY,
        ticket TEXT NOT NULL UNIQUE,
        idempotency_key TEXT UNIQUE,
        fingerprint TEXT NOT NULL,
        service_code TEXT NOT NULL,
        status TEXT NOT NULL,
        status_notes TEXT,
        description TEXT NOT NULL,
        lat {real},
        lng {real},
        address TEXT,
        facility_id TEXT,
        attributes TEXT NOT NULL,
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        phone TEXT,
        device_id TEXT,
        locale TEXT NOT NULL,
        requested_at {time} NOT NULL,
        updated_at {time} NOT NULL
    );
    CREATE INDEX reports_requested_at ON reports (requested_at);
    CREATE TABLE report_photos (
        report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL UNIQUE,
        PRIMARY KEY (report_id, seq)
    );
    CREATE TABLE status_changes (
        id {serial} PRIMARY KEY,
        report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        note TEXT NOT NULL,
        changed_by TEXT NOT NULL,
        changed_at {time} NOT NULL
    );
    CREATE INDEX status_changes_report ON status_changes (report_id);
    """,
    # 2: several jurisdictions, the case loop (departments, deadlines, merging, handlers,
    # internal notes, result photos), staff accounts and sessions, the audit log, ratings.
    """
    ALTER TABLE reports ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN department TEXT;
    ALTER TABLE reports ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
    ALTER TABLE reports ADD COLUMN area TEXT;
    ALTER TABLE reports ADD COLUMN due_at {time};
    ALTER TABLE reports ADD COLUMN merged_into BIGINT REFERENCES reports (id);
    ALTER TABLE reports ADD COLUMN handled_by TEXT;
    ALTER TABLE reports ADD COLUMN closures INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX reports_jurisdiction_status ON reports (jurisdiction, status);
    CREATE INDEX reports_jurisdiction_requested ON reports (jurisdiction, requested_at);
    CREATE INDEX reports_merged_into ON reports (merged_into);
    ALTER TABLE report_photos ADD COLUMN kind TEXT NOT NULL DEFAULT 'citizen';
    ALTER TABLE status_changes ADD COLUMN action TEXT;
    ALTER TABLE status_changes ADD COLUMN internal_note TEXT NOT NULL DEFAULT '';
    ALTER TABLE status_changes ADD COLUMN department TEXT;
    CREATE TABLE case_notes (
        id {serial} PRIMARY KEY,
        report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        author TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at {time} NOT NULL
    );
    CREATE INDEX case_notes_report ON case_notes (report_id);
    CREATE TABLE staff_users (
        id {serial} PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until {time},
        created_at {time} NOT NULL,
        password_changed_at {time} NOT NULL
    );
    CREATE TABLE staff_roles (
        user_id BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
        jurisdiction TEXT NOT NULL,
        role TEXT NOT NULL,
        department TEXT,
        PRIMARY KEY (user_id, jurisdiction)
    );
    CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at {time} NOT NULL,
        seen_at {time} NOT NULL,
        expires_at {time} NOT NULL,
        address TEXT
    );
    CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
    CREATE TABLE audit_log (
        id {serial} PRIMARY KEY,
        at {time} NOT NULL,
        actor TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        action TEXT NOT NULL,
        ticket TEXT,
        detail TEXT NOT NULL,
        address TEXT
    );
    CREATE INDEX audit_log_jurisdiction ON audit_log (jurisdiction, id);
    CREATE TABLE case_ratings (
        id {serial} PRIMARY KEY,
        report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        closure INTEGER NOT NULL,
        satisfaction TEXT NOT NULL,
        comment TEXT NOT NULL,
        rated_at {time} NOT NULL,
        UNIQUE (report_id, closure)
    );
    CREATE TABLE place_ratings (
        id {serial} PRIMARY KEY,
        jurisdiction TEXT NOT NULL,
        facility_id TEXT NOT NULL,
        device TEXT NOT NULL,
        cleanliness INTEGER,
        information TEXT,
        rated_at {time} NOT NULL,
        UNIQUE (jurisdiction, facility_id, device)
    );
    CREATE INDEX place_ratings_place ON place_ratings (jurisdiction, facility_id);
    """,
)
