"""The audit log of personal-data access: who read or changed what, never the values.

Each service declares its own append-only `audit_entry` table (`audit_table`), records into it
with an `AuditLog` (a change in its unit of work, a read in a short transaction of its own)
and serves it to admins at GET /api/v1/audit (`audit_router`).
"""
