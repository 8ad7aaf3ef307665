#!/usr/bin/env python3
"""The 问题台账 statistics page's FIRST answer over HTTP (issue 6 target:
the whole tree ≤ 100 ms at 500 000 items; docs/performance.md).

  python3 bench/problem_stats_http.py HOST PORT PASSWORD [ROUNDS]

Signs in as admin (PASSWORD; if the account must change it, it is changed
to Bench-Pass-2026! and that is used), finds one 待受理 item, then ROUNDS
times (default 10): edits that item's title (a write: the ledger's data
version moves, so no figure is cached), then asks
/api/v1/problems/stats?group=G for G in unit, category, month — over the
whole range (no from/to) and this year — each once, timed at the client
(localhost: the HTTP round trip included), and once more (the cached
answer). Prints min / median / max per query."""
import http.client
import json
import statistics
import sys
import time

from bench_session import NEW_PASSWORD, sign_in


def main(host, port, password, rounds):
    conn = http.client.HTTPConnection(host, port)

    def call(method, path, body=None, headers=None):
        conn.request(method, path, json.dumps(body) if body is not None else None, headers or {})
        r = conn.getresponse()
        return r, r.read()

    headers = sign_in(conn, password, change_to=NEW_PASSWORD)
    r, body = call("GET", "/api/v1/problems?status=pending&page_size=1", headers=headers)
    if r.status != 200 or not json.loads(body)["items"]:
        sys.exit(f"no pending item: {r.status} {body[:200]!r}")
    item_id = json.loads(body)["items"][0]["id"]
    queries = [f"group={g}{p}" for p in ("", "&from=2026-01-01&to=2026-12-31") for g in ("unit", "category", "month")]
    first = {q: [] for q in queries}
    cached = {q: [] for q in queries}
    for i in range(rounds):
        r, body = call("GET", f"/api/v1/problems/{item_id}", headers=headers)
        item = json.loads(body)
        r, body = call("PATCH", f"/api/v1/problems/{item_id}",
                       {"title": f"统计基准 {i} {time.time()}", "version": item["version"]}, headers)
        if r.status != 200:
            sys.exit(f"edit failed {r.status}: {body[:200]!r}")
        for q in queries:
            for sink in (first, cached):
                t0 = time.perf_counter()
                r, body = call("GET", "/api/v1/problems/stats?" + q, headers=headers)
                sink[q].append((time.perf_counter() - t0) * 1000)
                if r.status != 200:
                    sys.exit(f"stats failed {r.status}: {body[:200]!r}")
    print(f"{rounds} rounds; ms: min / median / max")
    for q in queries:
        f, c = first[q], cached[q]
        print(f"  {q:45s} first {min(f):6.1f} / {statistics.median(f):6.1f} / {max(f):6.1f}"
              f"   cached {min(c):5.1f} / {statistics.median(c):5.1f} / {max(c):5.1f}")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10)
