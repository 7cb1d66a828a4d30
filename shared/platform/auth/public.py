"""Every endpoint served WITHOUT a token, in one place, each with the reason.

Everything else answers 401 without a valid token; tests/integration/test_authentication.py
checks every route of every service against this table, so a new public route must be added
here, with its reason, or the suite fails.
"""

from __future__ import annotations

_HEALTH = "probes of the orchestrator and load balancer; no data"
_DOCS = "the API's own description; no data"
_OPEN311 = "public by the GeoReport v2 standard; POSTs need an api_key and are rate-limited"
_TRACK = "the tracking code is the reporter's bearer secret; rate-limited"
_STATIONS = "the riders' station map and feed: public places, no personal data"
_METRICS = "scraped by Prometheus inside the deployment; counts only, no personal data"

_EVERY_SERVICE = {
    ("GET", "/healthz"): _HEALTH,
    ("GET", "/readyz"): _HEALTH,
    ("GET", "/openapi.json"): _DOCS,
    ("GET", "/docs"): _DOCS,
    ("GET", "/docs/oauth2-redirect"): _DOCS,
    ("GET", "/redoc"): _DOCS,
    ("GET", "/metrics"): _METRICS,
}

PUBLIC: dict[str, dict[tuple[str, str], str]] = {
    "intake": _EVERY_SERVICE
    | {
        ("POST", "/api/v1/auth/token"): "the login itself; rate-limited per address and user",
        ("GET", "/api/v1/jurisdictions"): "town boundaries are public geography; no case data",
        ("GET", "/open311/v2/discovery.{fmt}"): _OPEN311,
        ("GET", "/open311/v2/services.{fmt}"): _OPEN311,
        ("GET", "/open311/v2/services/{service_code}.{fmt}"): _OPEN311,
        ("GET", "/open311/v2/requests.{fmt}"): _OPEN311,
        ("POST", "/open311/v2/requests.{fmt}"): _OPEN311,
        ("GET", "/open311/v2/requests/{service_request_id}.{fmt}"): _OPEN311,
        ("GET", "/open311/v2/tokens/{token}.{fmt}"): _OPEN311,
        ("GET", "/open311/v2/servicerequestupdates.{fmt}"): _OPEN311,
        ("POST", "/open311/v2/servicerequestupdates.{fmt}"): _OPEN311 + " bound to a department",
        ("GET", "/open311/v2/media/{attachment_id}"): _OPEN311 + " (a hazard's public photo)",
        ("POST", "/api/v1/rider/code"): "a rider asks for a one-time sign-in code; the same"
        " answer for a known or unknown phone/e-mail; rate-limited",
        ("POST", "/api/v1/rider/login"): "the rider's sign-in with that code; a code dies after"
        " 5 tries or 10 minutes; rate-limited",
        ("GET", "/me"): "the rider's own page: the sign-in form, or their own tickets and points"
        " with the HttpOnly session cookie a one-time code gave (its own check, not a bearer)",
        ("POST", "/me/code"): "the rider pages' form asking for a code; as POST /api/v1/rider/code",
        ("POST", "/me/login"): "the rider pages' sign-in form; as POST /api/v1/rider/login",
        ("POST", "/me/logout"): "clears the rider's session cookie; changes nothing stored",
        ("POST", "/me/redeem"): "the rider pages' booking form: with the session cookie (its own"
        " check, not a bearer), forwarded to dispatch's redeem as the rider's own token",
        ("GET", "/track/{code}"): _TRACK,
        ("POST", "/track/{code}/answer"): _TRACK,
        ("POST", "/track/{code}/answer-form"): _TRACK + " (the HTML form's post)",
        ("POST", "/track/{code}/attachments"): _TRACK,
        ("GET", "/track/{code}/attachments/{attachment_id}"): _TRACK,
    },
    "mediation": dict(_EVERY_SERVICE),
    "dispatch": _EVERY_SERVICE
    | {
        ("GET", "/stations"): _STATIONS,
        ("GET", "/stations.geojson"): _STATIONS,
        ("GET", "/stations/nearest.json"): _STATIONS,
        ("GET", "/stations/{station_id}"): _STATIONS,
        ("GET", "/stations/{station_id}.json"): _STATIONS,
    },
    "notify": dict(_EVERY_SERVICE),
    # The console's pages check the session themselves (tests/integration/authz_table.py
    # CONSOLE); only its probes are open.
    "console": {
        ("GET", "/healthz"): _HEALTH,
        ("GET", "/readyz"): _HEALTH,
        ("GET", "/"): "a redirect to the login page; no data",
    },
}
