"""The platform every service runs on alike: HTTP (errors, docs, auth, idempotency, body
limits), the database and its migrations, settings, clocks and the work calendar, audit,
logs, metrics and traces, and the app factory and runtime that put them together."""
