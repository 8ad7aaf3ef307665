#!/usr/bin/env python3
"""Data generator: fills a running zhuanban with a realistic organisation
tree through the public API (so it works on either engine): N districts,
each with departments, a development zone and subdistricts, each of those
with villages/communities. Signs in as admin with the one-time password
from `zhuanban init` (and sets a new one, as the first sign-in must).
Writes the ids it created, one per line, to IDS_FILE and the session
cookie to IDS_FILE.cookie (for wrk)."""
import http.client, json, random, sys

from bench_session import NEW_PASSWORD, sign_in

def main(host, port, count, ids_file, initial_password):
    conn = http.client.HTTPConnection(host, port)
    headers = sign_in(conn, initial_password, change_to=NEW_PASSWORD)
    cookie = headers["Cookie"]
    rng = random.Random(20261123)
    made = []

    def create(body):
        conn.request("POST", "/api/v1/org-units", json.dumps(body), headers)
        r = conn.getresponse()
        data = r.read()
        if r.status != 201:
            sys.exit(f"create failed {r.status}: {data[:200]!r}")
        u = json.loads(data)
        made.append(u["id"])
        return u["id"]

    depts = ["发展和改革局", "自然资源局", "行政审批服务局", "住房和城乡建设局", "生态环境分局", "工业和信息化局", "财政局", "供电中心"]
    d = 0
    while len(made) < count:
        d += 1
        root = create({"name": f"示范区{d}", "code": f"D{d}", "kind": "county"})
        for i, name in enumerate(depts):
            create({"name": name, "code": f"D{d}-B{i}", "kind": "department", "parent_id": root, "sort_order": i})
        for t in range(rng.randint(5, 12)):
            town = create({"name": f"第{t + 1}街道", "code": f"D{d}-T{t}", "kind": "town", "parent_id": root})
            for v in range(rng.randint(3, 15)):
                if len(made) >= count:
                    break
                create({"name": f"第{v + 1}社区", "code": f"D{d}-T{t}-V{v}", "kind": "village", "parent_id": town})
            if len(made) >= count:
                break
    with open(ids_file, "w") as f:
        f.write("\n".join(str(i) for i in made) + "\n")
    with open(ids_file + ".cookie", "w") as f:
        f.write(cookie)
    print(f"generated {len(made)} org units in {d} districts")

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
