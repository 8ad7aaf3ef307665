"""Signing in to a running zhuanban from the bench scripts (gen_org_units,
problem_stats_http, cold_search)."""
import json
import sys

NEW_PASSWORD = "Bench-Pass-2026!"


def sign_in(conn, password, change_to=None):
    """Signs in as admin over `conn` (an http.client connection) and returns
    the headers of a signed-in JSON request (cookie, CSRF token). If the
    account must change its password first: with `change_to`, changes it to
    that; without, exits saying so."""
    conn.request("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": password}),
                 {"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"sign-in failed {r.status}: {body[:200]!r}")
    me = json.loads(body)
    headers = {"Content-Type": "application/json", "Cookie": r.getheader("Set-Cookie").split(";")[0],
               "X-CSRF-Token": me["csrf_token"]}
    if me.get("must_change_password"):
        if change_to is None:
            sys.exit("the admin must change the password first")
        conn.request("POST", "/api/v1/auth/password",
                     json.dumps({"old_password": password, "new_password": change_to}), headers)
        r = conn.getresponse()
        body = r.read()
        if r.status != 204:
            sys.exit(f"password change failed {r.status}: {body[:200]!r}")
    return headers
