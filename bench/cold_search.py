#!/usr/bin/env python3
"""Cold keyword search (issue 4: keyword search p99 <= 50 ms): every keyword
asked ONCE of a freshly started server, so neither the list's cached
figures nor anything else in the process helps it.

Usage:
  bench/cold_search.py --binary build-rd/zhuanban --db sqlite:/tmp/x/p.db \\
      --password 'ADMIN-PASSWORD' [--runs 3] [--nice -10] [--wide] \\
      [--binary2 OTHER [--db2 sqlite:/tmp/x/p2.db]] [--after-write [--settle S]]

The database: `zhuanban init --db sqlite:FILE --demo` then
`zhuanban gen --db sqlite:FILE --projects 100000` (the keywords below are
pieces of the names that generator writes). The admin must be able to sign
in with --password (no password change pending): sign in once with the
password `init` printed and change it (bench/gen_org_units.py does), or copy
users.password_hash of a database whose admin password is known. Each run starts
`zhuanban serve` on a free port, waits for /healthz, signs in, asks
GET /api/v1/projects?q=KEYWORD (the list's first page with its facets and
counts, as the web app asks) for every keyword once, one at a time, and
stops the server. With --binary2 the runs alternate between the two
binaries (before/after in the same minutes), on the same database or, when
one binary migrates it (a newer schema), on --db2: a copy of --db.

With --after-write every keyword is asked right after a write (an edit of
project 1's 建设内容, untimed), so each search is the first of a new data
version: nothing the server keeps per version (the keyword search's table
of facet values, storage/project_repo.h) is ready for it. With --settle S
the keyword is asked S seconds after the edit (a user searching a moment
after someone saved).

Prints, per binary: each run's p50/p90/p99/max over the keywords (client
wall time, HTTP on loopback; asked once the server has idled 2 s after
start-up), the server's CPU (user+sys from /proc) over
the keywords, the slowest keywords, and the load average at the start.
"""
import argparse, http.client, json, os, socket, statistics, subprocess, sys, time, urllib.parse

from bench_session import sign_in

# The brief's set (docs/performance.md, issue 4): 40 three-character pieces
# of generated project names (ids = 11 mod 2477, a piece each, then 改造项 —
# 14 594 matches — and 新材料), the pinyin initials wsx, gf and xny, 產業 and
# 光伏 (under three characters: no trigram), and three searches of two terms.
PIECES = ['莱山区', '旧村改', '装备年', '经济产', ')道路', '率半导', '制学校', '代物流', '鲁海洋', '萄酒扩',
          '中心建', '综合体', '年产4', '科技年', '材料特', '生物医', '烟台达', '海路河', '烟台安', '烟台通',
          '滩片区', '烟台观', '路河综', '远电子', '零部件', '项目(', '烟台兴', '管网改', '料高性', '0万盒',
          '源储能', '(一期', '年产1', '供热管', '池模组', '海路棚', '葡萄酒', '2万吨', '改造项', '新材料']
KEYWORDS = PIECES + ['wsx', 'gf', 'xny', '產業', '光伏', '光伏 烟台', '新材料 年产', 'gf 项目']
# Reported apart (--wide), asked after the others: common and wide short
# terms — 产业 3 000 matches, 年产 34 000, 烟台 73 000, yt more.
WIDE = ['产业', '年产', '烟台', 'yt']

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def edit_project(conn, headers, n):
    """An edit of project 1 (its 建设内容), so the next request is the first
    after a write."""
    conn.request("GET", "/api/v1/projects/1", headers=headers)
    r = conn.getresponse()
    project = json.loads(r.read())
    body = {"version": project["version"], "construction_content": f"冷搜索测试 {n}"}
    conn.request("PATCH", "/api/v1/projects/1", json.dumps(body), headers)
    r = conn.getresponse()
    answer = r.read()
    if r.status != 200:
        sys.exit(f"edit failed {r.status}: {answer[:200]!r}")


def one_run(binary, db, password, nice, wide, after_write=False, settle=0.0):
    port = free_port()
    cmd = [binary, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--access-log", "off",
           "--log-level", "warn"]
    if nice:
        cmd = ["nice", "-n", str(nice)] + cmd
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("server did not start: " + server.stderr.read().decode(errors="replace")[:500])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = sign_in(conn, password)
        cookie = headers["Cookie"]
        # Start-up work (the background jobs' first pass: warnings, figures)
        # runs for seconds at 100 000 projects: wait until the server idles.
        idle_since, last = time.time(), cpu_seconds(server.pid)
        deadline = time.time() + 120
        while time.time() < deadline:
            time.sleep(0.5)
            now = cpu_seconds(server.pid)
            if now - last > 0.02:
                idle_since = time.time()
            last = now
            if time.time() - idle_since >= 2.0:
                break
        cpu0 = cpu_seconds(server.pid)
        times = {}
        for n, q in enumerate(KEYWORDS + (WIDE if wide else [])):
            if after_write:
                edit_project(conn, headers, n)
                time.sleep(settle)
            t0 = time.perf_counter()
            conn.request("GET", "/api/v1/projects?q=" + urllib.parse.quote(q), headers={"Cookie": cookie})
            r = conn.getresponse()
            body = r.read()
            times[q] = (time.perf_counter() - t0) * 1000
            if r.status != 200:
                sys.exit(f"{q}: {r.status} {body[:200]!r}")
        cpu = cpu_seconds(server.pid) - cpu0
        return times, cpu
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--binary2")
    ap.add_argument("--db2", help="--binary2's database (a copy migrated by it), if not --db")
    ap.add_argument("--db", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--nice", type=int, default=0)
    ap.add_argument("--wide", action="store_true", help="also ask the WIDE terms (reported apart)")
    ap.add_argument("--after-write", action="store_true", help="a write before each keyword (see above)")
    ap.add_argument("--settle", type=float, default=0.0, help="with --after-write: seconds between write and search")
    a = ap.parse_args()
    binaries = [a.binary] + ([a.binary2] if a.binary2 else [])
    dbs = {a.binary: a.db, a.binary2: a.db2 or a.db}
    results = {b: [] for b in binaries}
    for run in range(a.runs):
        for b in binaries:
            load = os.getloadavg()
            times, cpu = one_run(b, dbs[b], a.password, a.nice, a.wide, a.after_write, a.settle)
            results[b].append((times, cpu, load))
            v = [times[q] for q in KEYWORDS]
            print(f"{b} run {run + 1}: load {load[0]:.2f} {load[1]:.2f}  p50 {percentile(v, 50):6.1f} ms  "
                  f"p90 {percentile(v, 90):6.1f}  p99 {percentile(v, 99):6.1f}  max {max(v):6.1f}  "
                  f"server CPU {cpu * 1000:.0f} ms for {len(times)} keywords"
                  + ("  wide: " + " ".join(f"{q} {times[q]:.1f}" for q in WIDE) if a.wide else ""), flush=True)
    for b in binaries:
        print(f"\n== {b}: {len(KEYWORDS)} keywords x {a.runs} runs")
        per_kw = {q: [t[q] for t, _, _ in results[b]] for q in KEYWORDS}
        all_runs = [t[q] for t, _, _ in results[b] for q in KEYWORDS]
        print(f"   all {len(all_runs)} requests: p50 {percentile(all_runs, 50):.1f}  p90 {percentile(all_runs, 90):.1f}  "
              f"p99 {percentile(all_runs, 99):.1f}  max {max(all_runs):.1f} ms")
        med = {q: statistics.median(v) for q, v in per_kw.items()}
        for q in sorted(med, key=med.get, reverse=True)[:12]:
            print(f"   {q:12s} median {med[q]:6.1f} ms  runs " + " ".join(f"{x:.1f}" for x in per_kw[q]))
        meds = list(med.values())
        print(f"   per-keyword medians: p50 {percentile(meds, 50):.1f}  p90 {percentile(meds, 90):.1f}  "
              f"p99 {percentile(meds, 99):.1f}  max {max(meds):.1f} ms")


if __name__ == "__main__":
    main()
