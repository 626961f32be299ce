"""Kill test of a cluster started by Deploy/run-cluster.sh N (N ≥ 2): clients register items
(POST /v1/items) and classify photos (POST /v1/classify, cache misses) through nginx; after
KILL_AFTER seconds one instance gets SIGKILL. Prints what the clients saw (status codes,
connection errors, requests nginx resent to another instance), then checks that no
acknowledged write was lost: every registration answered 201 with an id must be a row in
PostgreSQL and be served (GET /v1/items/{id}) through nginx and by every surviving instance
directly. Registrations that got no 201 are looked up by name: stored or not, the client
cannot tell, which is why they are not acknowledged writes. Finally it reports what each
surviving instance's similar-items index sees of items registered through the others.

Every photo is Samples/rocket.jpg with a unique suffix after the JPEG end-of-image marker:
a new SHA-256 (so classifications are cache misses) but the same pixels (so every item has the
same embedding, and an index that holds an item finds it at distance 0).

Usage (stdlib only): python3 Deploy/kill_test.py [--duration 40] [--kill-after 15]
    [--writers 3] [--classifiers 3] [--victim PORT] [--state .build/deploy]
    [--front http://127.0.0.1:8080] [--postgres postgres://postgres:postgres@127.0.0.1:5432/colecionador]"""
import argparse
import base64
import collections
import glob
import http.client
import json
import os
import signal
import subprocess
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


class Client:
    """One keep-alive HTTP connection; a new one after any connection error."""

    def __init__(self, host, port):
        self.host, self.port, self.connection = host, port, None

    def request(self, method, path, body=None, headers=None):
        """(status or None, headers dict, parsed JSON or None, error text or None)."""
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            data = response.read()
            try:
                payload = json.loads(data) if data else None
            except ValueError:
                payload = None
            return response.status, dict(response.getheaders()), payload, None
        except (OSError, http.client.HTTPException) as error:
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return None, {}, None, type(error).__name__


def host_port(url):
    hostport = url.split("://", 1)[1].rstrip("/")
    host, port = hostport.rsplit(":", 1)
    return host, int(port)


def psql(url, sql):
    out = subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=40)
    parser.add_argument("--kill-after", type=float, default=15)
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--classifiers", type=int, default=3)
    parser.add_argument("--victim", type=int, help="port of the instance to kill (default: the last)")
    parser.add_argument("--state", default=os.path.join(ROOT, ".build", "deploy"))
    parser.add_argument("--front", default="http://127.0.0.1:8080")
    parser.add_argument("--postgres", default=os.environ.get("POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/colecionador"))
    args = parser.parse_args()

    instances = {}
    for pidfile in glob.glob(os.path.join(args.state, "instance-*.pid")):
        port = int(os.path.basename(pidfile)[len("instance-"):-len(".pid")])
        instances[port] = int(open(pidfile).read())
    if len(instances) < 2:
        raise SystemExit("start at least 2 instances: Deploy/run-cluster.sh 3")
    victim = args.victim or max(instances)
    survivors = sorted(p for p in instances if p != victim)
    photo = open(os.path.join(ROOT, "Samples", "rocket.jpg"), "rb").read()
    front_host, front_port = host_port(args.front)
    run_id = f"kill-{int(time.time())}"

    records = []  # (kind, start, status, upstream, id, name, error)
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        client, n = Client(front_host, front_port), 0
        while not stop.is_set():
            n += 1
            name = f"{run_id}-w{worker}-{n}"
            suffix = f"{name}".encode()
            body = json.dumps({"name": name, "category": "kill-test", "image_base64": base64.b64encode(photo + suffix).decode()})
            start = time.monotonic()
            status, headers, payload, error = client.request("POST", "/v1/items", body, {"Content-Type": "application/json"})
            item_id = payload.get("id") if status == 201 and isinstance(payload, dict) else None
            with lock:
                records.append(("register", start, status, headers.get("X-Upstream", ""), item_id, name, error))

    def classifier(worker):
        client, n = Client(front_host, front_port), 0
        while not stop.is_set():
            n += 1
            start = time.monotonic()
            status, headers, _, error = client.request(
                "POST", "/v1/classify", photo + f"{run_id}-c{worker}-{n}".encode(), {"Content-Type": "image/jpeg"})
            with lock:
                records.append(("classify", start, status, headers.get("X-Upstream", ""), None, None, error))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    threads += [threading.Thread(target=classifier, args=(i,)) for i in range(args.classifiers)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.kill_after)
    killed_at = time.monotonic()
    os.kill(instances[victim], signal.SIGKILL)
    print(f"SIGKILL to instance :{victim} (pid {instances[victim]}) at t={killed_at - began:.1f}s; survivors {survivors}")
    time.sleep(max(0, args.duration - args.kill_after))
    stop.set()
    for thread in threads:
        thread.join()
    print(f"load: {len(records)} requests in {time.monotonic() - began:.1f}s "
          f"({args.writers} registering and {args.classifiers} classifying clients); load average {open('/proc/loadavg').read().split()[:3]}")

    # What the clients saw.
    for kind in ("register", "classify"):
        for phase, selected in (("before the kill", lambda r: r[1] < killed_at), ("after the kill", lambda r: r[1] >= killed_at)):
            rows = [r for r in records if r[0] == kind and selected(r)]
            statuses = collections.Counter(str(r[2]) if r[2] is not None else f"connection error {r[6]}" for r in rows)
            resent = sum(1 for r in rows if "," in r[3])
            via_victim = sum(1 for r in rows if r[3].split(",")[-1].strip().endswith(f":{victim}"))
            print(f"  {kind:8} {phase:15}: {len(rows):5} requests, statuses {dict(sorted(statuses.items()))}, "
                  f"resent by nginx to another instance {resent}, answered by :{victim} {via_victim}")
    for r in records:
        if r[2] not in (200, 201):
            print(f"    non-2xx: {r[0]} t={r[1] - began:.2f}s status={r[2]} upstream={r[3]!r} error={r[6]}")

    # No acknowledged write lost.
    acknowledged = {r[4]: r for r in records if r[0] == "register" and r[2] == 201 and r[4] is not None}
    ids = sorted(acknowledged)
    stored = {}
    for line in psql(args.postgres, f"SELECT id, name FROM items WHERE id IN ({','.join(map(str, ids)) or 'NULL'})"):
        item_id, name = line.split("|", 1)
        stored[int(item_id)] = name
    mismatched = [i for i in ids if stored.get(i) != acknowledged[i][5]]
    print(f"acknowledged registrations (201 with an id): {len(ids)}; in PostgreSQL with the same name: {len(ids) - len(mismatched)}; "
          f"missing or different: {len(mismatched)} {mismatched[:10]}")
    by_victim = [i for i in ids if acknowledged[i][3].split(",")[-1].strip().endswith(f":{victim}")]
    print(f"  of which registered through the killed instance :{victim}: {len(by_victim)}")

    targets = [("nginx", front_host, front_port)] + [(f":{p}", "127.0.0.1", p) for p in survivors]
    for label, host, port in targets:
        client, served = Client(host, port), 0
        for i in ids:
            status, _, payload, _ = client.request("GET", f"/v1/items/{i}")
            served += status == 200 and isinstance(payload, dict) and payload.get("name") == acknowledged[i][5]
        print(f"  GET /v1/items/{{id}} via {label:6}: {served}/{len(ids)} served with the acknowledged name")

    unacknowledged = [r for r in records if r[0] == "register" and r[2] != 201]
    if unacknowledged:
        names = ",".join("'" + r[5] + "'" for r in unacknowledged)
        found = psql(args.postgres, f"SELECT name FROM items WHERE name IN ({names})")
        print(f"registrations without a 201: {len(unacknowledged)}; of these stored anyway (committed, answer lost): {len(found)}")

    # Similar-items visibility across instances: register Samples/coffee.png (an embedding far
    # from the rocket's) once directly at each survivor; an instance whose index knew the
    # others' registrations would answer each copy's nearest neighbour with another copy at
    # distance ~0.
    coffee = base64.b64encode(open(os.path.join(ROOT, "Samples", "coffee.png"), "rb").read()).decode()
    copies = {}
    for port in survivors:
        body = json.dumps({"name": f"{run_id}-coffee-{port}", "category": "kill-test", "image_base64": coffee})
        status, _, payload, _ = Client("127.0.0.1", port).request("POST", "/v1/items", body, {"Content-Type": "application/json"})
        copies[port] = payload["id"] if status == 201 else None
    print(f"similar-items visibility: coffee.png registered at {', '.join(f':{p} as id {i}' for p, i in copies.items())}")
    for port in survivors:
        client = Client("127.0.0.1", port)
        for owner, item_id in copies.items():
            status, _, payload, _ = client.request("GET", f"/v1/items/{item_id}/similar?k=1")
            nearest = (payload or {}).get("similar_items", [])
            shown = f"id {nearest[0]['id']} ({nearest[0]['name']}) at distance {nearest[0]['distance']:.3f}" if nearest else "none"
            status_item, _, _, _ = client.request("GET", f"/v1/items/{item_id}")
            print(f"  at :{port}: GET /v1/items/{item_id} (registered at :{owner}) -> {status_item}; nearest other item -> {shown}")


if __name__ == "__main__":
    main()
