#!/usr/bin/env python3
"""End-to-end alerting test: real service → Prometheus → Alertmanager → webhook, on loopback.

    python3 Deploy/alert_e2e.py

Starts, on free loopback ports, in a temporary directory (all removed at the end, also on
failure or Ctrl-C):

  1. the service, `$COLECIONADOR_BIN serve` (default .build/debug/colecionador of this checkout)
     with the repository root as working directory, an SQLite database, two model versions of
     the bundled EfficientNet-Lite0 (an A/B pair) and a small inference capacity
     (limits.max_concurrent_inferences 1, max_queued 1), so that a few concurrent uploads
     saturate it the way a traffic peak saturates a production instance;
  2. a small webhook receiver (a thread of this script) that records every alert it gets;
  3. Alertmanager with Deploy/alertmanager/alertmanager.yml, its webhook URLs pointed at the
     receiver and its group_wait / group_interval shortened to seconds;
  4. Prometheus scraping the service every second with a *test profile* of
     Deploy/prometheus/alerts.yml: the same expressions, labels and annotations, with every
     range window (`[5m]`, `[15m]`, `[1h]`) replaced by E2E_WINDOW (default 15s) and every
     `for:` by E2E_FOR (default 5s), evaluated every second.

Then:

  - baseline: in-domain photos (Samples/coffee.png, 0.93 confidence) from ten clients; no alert
    may reach the receiver and every rule must evaluate without error;
  - fault: out-of-domain photos (fresh random-noise images, confidence about 0.1, each a cache
    miss and so a forward pass) from four concurrent clients. The inference queue fills, the
    service refuses the excess with 503 `overloaded` (load shedding; the clients honour
    Retry-After), and the accepted photos lower the mean confidence. ColecionadorErrorRateHigh
    (critical, 5xx > 5 %) and ColecionadorMeanConfidenceLow (warning, mean < 0.6) must both
    reach the receiver, each on its severity's webhook path, within E2E_DEADLINE seconds
    (default 120); the time from the start of the fault traffic to each arrival is printed;
  - dashboard: every PromQL expression of Deploy/grafana/colecionador.json must return at least
    one series with a finite value from this Prometheus (Deploy/dashboard_queries.py);
  - instance down: the service is stopped; ColecionadorDown (critical) must arrive.

Exit status 0 when every check passed, 1 otherwise. Standard library only (python3 of the
machine, no virtualenv). Needs `prometheus` and `prometheus-alertmanager` (Debian packages),
and the service binary (`swift build --product colecionador`). E2E_KEEP=1 keeps the temporary
directory (configurations and logs).
"""

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Deploy"))
import dashboard_queries  # noqa: E402  (Deploy/dashboard_queries.py)

WINDOW = os.environ.get("E2E_WINDOW", "15s")
FOR = os.environ.get("E2E_FOR", "5s")
DEADLINE = float(os.environ.get("E2E_DEADLINE", "120"))
BASELINE_SECONDS = float(os.environ.get("E2E_BASELINE", "10"))
FAULT_CLIENTS = 4
REQUIRED = {"ColecionadorErrorRateHigh": "critical", "ColecionadorMeanConfidenceLow": "warning"}
VERSIONS = ("lite0-a", "lite0-b")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Failure(Exception):
    pass


def free_ports(count):
    """`count` distinct free loopback ports (all held open while choosing)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def wait_until(what, predicate, timeout, process=None, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise Failure(f"{what}: the process exited with status {process.returncode}")
        try:
            if predicate():
                return
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(interval)
    raise Failure(f"{what}: not within {timeout:.0f} s")


def ready(url):
    return lambda: http_get(url)[0] == 200


def noise_png(side=224):
    """A fresh random-noise RGB PNG: nothing the model knows, and never in the cache."""
    row = side * 3
    pixels = os.urandom(row * side)
    raw = b"".join(b"\x00" + pixels[y * row:(y + 1) * row] for y in range(side))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")


def classify(port, body, client=None, version=None, timeout=120):
    """(status, JSON body or None, Retry-After seconds) of POST /v1/classify."""
    path = "/v1/classify" + (f"?model_version={version}" if version else "")
    headers = {"Content-Type": "image/png"}
    if client:
        headers["X-Client-ID"] = client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = None
        return response.status, parsed, float(response.getheader("Retry-After") or 0)
    finally:
        connection.close()


# --- the webhook receiver ----------------------------------------------------------------------

class Receiver:
    """Records every firing alert Alertmanager posts: (arrival, path, labels, annotations)."""

    def __init__(self):
        self.alerts = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                arrival = time.monotonic()
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = {}
                with receiver.lock:
                    for alert in payload.get("alerts", []):
                        if alert.get("status") == "firing":
                            receiver.alerts.append((arrival, self.path, alert.get("labels", {}), alert.get("annotations", {})))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def first(self, alertname, since=0.0):
        with self.lock:
            for record in self.alerts:
                if record[2].get("alertname") == alertname and record[0] >= since:
                    return record
        return None

    def names(self):
        with self.lock:
            return sorted({record[2].get("alertname") for record in self.alerts})


# --- configuration of the stack -----------------------------------------------------------------

def rules_test_profile(source):
    """alerts.yml with seconds-scale windows and `for:` durations, otherwise identical."""
    windows = re.compile(r"\[(\d+[smhdw])\]")
    fors = re.compile(r"^(\s*for:\s*)\S+\s*$", re.MULTILINE)
    profile = fors.sub(lambda m: m.group(1) + FOR, windows.sub(f"[{WINDOW}]", source))
    # The expressions must be the real ones: only the durations may differ.
    def skeleton(text):
        return fors.sub(r"\1D", windows.sub("[W]", text))
    if skeleton(profile) != skeleton(source) or not windows.search(source) or not fors.search(source):
        raise Failure("could not derive the rules' test profile from alerts.yml")
    return profile


def alertmanager_test_config(source, receiver_port):
    """alertmanager.yml with the webhooks on the receiver's port and second-scale timers."""
    text, webhooks = re.subn(r"url:\s*http://127\.0\.0\.1:\d+/", f"url: http://127.0.0.1:{receiver_port}/", source)
    if webhooks == 0:
        raise Failure("alertmanager.yml has no webhook on http://127.0.0.1:PORT/ to redirect")
    text = re.sub(r"^(\s*group_wait:\s*)\S+", r"\g<1>1s", text, flags=re.MULTILINE)
    text = re.sub(r"^(\s*group_interval:\s*)\S+", r"\g<1>2s", text, flags=re.MULTILINE)
    return text


def prometheus_config(rules, service_port, alertmanager_port):
    return f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - {rules}
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:{alertmanager_port}"]
scrape_configs:
  - job_name: colecionador
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:{service_port}"]
"""


def service_config():
    weights = ROOT / "Weights" / "efficientnet-lite0.safetensors"
    labels = ROOT / "Weights" / "imagenet-labels.txt"
    return {
        "models": [{"id": v, "architecture": "efficientnet-lite0", "weights": str(weights), "labels": str(labels), "traffic": 50}
                   for v in VERSIONS],
        "limits": {"max_concurrent_inferences": 1, "max_queued": 1, "request_timeout_seconds": 30},
    }


# --- processes ----------------------------------------------------------------------------------

class Stack:
    """The processes this script started; `stop` ends exactly those (SIGTERM, then SIGKILL)."""

    def __init__(self, directory):
        self.directory = directory
        self.processes = {}
        self.prometheus = None  # the test Prometheus's URL once started

    def start(self, name, command, cwd=None):
        log_file = open(self.directory / f"{name}.log", "wb")
        process = subprocess.Popen(command, cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        log_file.close()
        self.processes[name] = process
        return process

    def stop_one(self, name, timeout=15):
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self):
        for name in reversed(list(self.processes)):
            self.stop_one(name)

    def tail(self, name, lines=15):
        path = self.directory / f"{name}.log"
        if path.exists():
            text = path.read_text(errors="replace").splitlines()[-lines:]
            print(f"--- last lines of {name}.log", file=sys.stderr)
            for line in text:
                print(f"    {line}", file=sys.stderr)


def find_alertmanager():
    for name in ("alertmanager", "prometheus-alertmanager"):
        path = shutil.which(name)
        if path:
            return path
    raise Failure("no alertmanager binary (apt-get install -y prometheus-alertmanager)")


def query(prometheus, expr):
    body = urllib.parse.urlencode({"query": expr}).encode()
    with urllib.request.urlopen(f"{prometheus}/api/v1/query", data=body, timeout=5) as response:
        return json.load(response)["data"]["result"]


def prometheus_alerts(prometheus):
    with urllib.request.urlopen(f"{prometheus}/api/v1/alerts", timeout=5) as response:
        return json.load(response)["data"]["alerts"]


def rule_health(prometheus):
    """(rule name, health, last error, evaluated) of every alerting rule."""
    with urllib.request.urlopen(f"{prometheus}/api/v1/rules", timeout=5) as response:
        groups = json.load(response)["data"]["groups"]
    return [(r["name"], r.get("health"), r.get("lastError", ""), not r.get("lastEvaluation", "").startswith("0001"))
            for g in groups for r in g["rules"]]


# --- traffic ------------------------------------------------------------------------------------

class Traffic:
    """Client threads sending requests until stopped; counts the answers by status."""

    def __init__(self):
        self.stop_event = threading.Event()
        self.threads = []
        self.lock = threading.Lock()
        self.statuses = {}
        self.confidences = []
        self.errors = []

    def count(self, status, answer):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200 and answer and "confidence" in answer:
                self.confidences.append(answer["confidence"])

    def run(self, body):
        def loop():
            while not self.stop_event.is_set():
                try:
                    body()
                except Exception as error:  # a refused connection or a timeout is worth reporting, not fatal
                    with self.lock:
                        self.errors.append(repr(error))
                    self.stop_event.wait(0.5)
        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        self.threads.append(thread)

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(150)

    def summary(self):
        with self.lock:
            mean = sum(self.confidences) / len(self.confidences) if self.confidences else float("nan")
            return f"statuses {dict(sorted(self.statuses.items()))}, mean confidence of the 200s {mean:.3f}" + (
                f", {len(self.errors)} client errors (first: {self.errors[0]})" if self.errors else "")


# --- the test -----------------------------------------------------------------------------------

def check_no_alerts(receiver, prometheus):
    if receiver.names():
        raise Failure(f"alerts reached the receiver during the healthy baseline: {receiver.names()}")
    firing = [a["labels"]["alertname"] for a in prometheus_alerts(prometheus) if a["state"] == "firing"]
    if firing:
        raise Failure(f"alerts firing during the healthy baseline: {firing}")
    health = rule_health(prometheus)
    bad = [f"{name}: {health} {error}" for name, health, error, evaluated in health if health != "ok" or not evaluated]
    if bad or len(health) == 0:
        raise Failure(f"rules not evaluated cleanly: {bad or 'no rules loaded'}")
    log(f"baseline: {len(health)} rules evaluated, all healthy; no alert firing or received")


def wait_for_alerts(receiver, names, since, deadline, stack, watch, what):
    """Waits until every alert in `names` has reached the receiver after `since`, logging each
    alert name as it first arrives; fails at the deadline or when a watched process exits."""
    end = time.monotonic() + deadline
    announced = set()
    while True:
        for name in receiver.names():
            record = receiver.first(name, since)
            if record and name not in announced:
                announced.add(name)
                log(f"  received {name} at +{record[0] - since:.1f} s")
        if all(receiver.first(name, since) for name in names):
            return
        if time.monotonic() >= end:
            break
        for name in watch:
            process = stack.processes[name]
            if process.poll() is not None:
                raise Failure(f"{name} exited with status {process.returncode} while waiting for {what}")
        time.sleep(0.2)
    missing = [name for name in names if not receiver.first(name, since)]
    raise Failure(f"{what}: {missing} did not reach the receiver within {deadline:.0f} s (received: {receiver.names()})")


def report_arrival(receiver, name, since, expected_severity, origin):
    arrival, path, labels, annotations = receiver.first(name, since)
    severity = labels.get("severity")
    expected_path = f"/alerts/{expected_severity}"
    log(f"ALERT {name} ({severity}) arrived {arrival - since:5.1f} s after {origin} on {path}; "
        f"labels {{{', '.join(f'{k}={v}' for k, v in sorted(labels.items()) if k not in ('alertname', 'severity'))}}}")
    log(f"      summary: {annotations.get('summary')}")
    if severity != expected_severity or path != expected_path:
        raise Failure(f"{name}: severity {severity} on {path}, expected {expected_severity} on {expected_path}")
    if any("{{" in value for value in annotations.values()):
        raise Failure(f"{name}: annotations not rendered: {annotations}")
    return arrival - since


def run(directory, stack, receiver):
    binary = Path(os.environ.get("COLECIONADOR_BIN", ".build/debug/colecionador"))
    if not binary.is_absolute():
        binary = ROOT / binary
    if not binary.exists():
        raise Failure(f"no service binary at {binary} (swift build --product colecionador, or set COLECIONADOR_BIN)")
    for tool in ("prometheus", "promtool"):
        if not shutil.which(tool):
            raise Failure(f"no {tool} (apt-get install -y prometheus)")
    alertmanager = find_alertmanager()

    # The rule profile and the configurations.
    rules = directory / "alerts.yml"
    rules.write_text(rules_test_profile((ROOT / "Deploy/prometheus/alerts.yml").read_text()))
    checked = subprocess.run(["promtool", "check", "rules", str(rules)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise Failure(f"the rules' test profile does not load:\n{checked.stdout}{checked.stderr}")
    service_port, alertmanager_port, prometheus_port = free_ports(3)
    (directory / "alertmanager.yml").write_text(
        alertmanager_test_config((ROOT / "Deploy/alertmanager/alertmanager.yml").read_text(), receiver.port))
    (directory / "prometheus.yml").write_text(prometheus_config(rules, service_port, alertmanager_port))
    (directory / "service.json").write_text(json.dumps(service_config(), indent=2))
    log(f"rules test profile: windows [{WINDOW}], for: {FOR}; files in {directory}")

    # The service (working directory: the repository root, where Weights/ is).
    service = stack.start("service", [str(binary), "serve", "--host", "127.0.0.1", "--port", str(service_port),
                                      "--database", str(directory / "db.sqlite"), "--config", str(directory / "service.json"),
                                      "--prepared-cache", str(directory / "prepared")], cwd=ROOT)
    wait_until("service /readyz", ready(f"http://127.0.0.1:{service_port}/readyz"), 180, service)
    log(f"service ready on 127.0.0.1:{service_port} ({binary.relative_to(ROOT) if binary.is_relative_to(ROOT) else binary})")

    receiver.start()
    am = stack.start("alertmanager", [alertmanager, f"--config.file={directory / 'alertmanager.yml'}",
                                      f"--storage.path={directory / 'alertmanager-data'}",
                                      f"--web.listen-address=127.0.0.1:{alertmanager_port}", "--cluster.listen-address="])
    wait_until("alertmanager /-/ready", ready(f"http://127.0.0.1:{alertmanager_port}/-/ready"), 60, am)
    log(f"alertmanager ready on 127.0.0.1:{alertmanager_port}, webhook receiver on 127.0.0.1:{receiver.port}")

    # Warm up before Prometheus starts: each version classifies the in-domain photo once (a
    # forward pass), so that the baseline below is answered from the cache.
    coffee = (ROOT / "Samples/coffee.png").read_bytes()
    for version in VERSIONS:
        status, answer, _ = classify(service_port, coffee, version=version)
        if status != 200:
            raise Failure(f"warm-up classification with {version}: HTTP {status} {answer}")
    log(f"warm-up: Samples/coffee.png is {answer['class']} at {answer['confidence']:.2f} confidence")

    prom = stack.start("prometheus", ["prometheus", f"--config.file={directory / 'prometheus.yml'}",
                                      f"--storage.tsdb.path={directory / 'prometheus-data'}",
                                      f"--web.listen-address=127.0.0.1:{prometheus_port}"])
    prometheus = stack.prometheus = f"http://127.0.0.1:{prometheus_port}"
    wait_until("prometheus /-/ready", ready(f"{prometheus}/-/ready"), 60, prom)
    wait_until("prometheus scraping the service",
               lambda: any(s["value"][1] == "1" for s in query(prometheus, 'up{job="colecionador"}')), 60, prom)
    log(f"prometheus ready on 127.0.0.1:{prometheus_port}, scraping the service")

    # Baseline: healthy, in-domain traffic.
    baseline = Traffic()

    def in_domain():
        status, answer, _ = classify(service_port, coffee, client=f"client-{random.randrange(10)}")
        baseline.count(status, answer)
        baseline.stop_event.wait(0.2)
    for _ in range(4):
        baseline.run(in_domain)
    time.sleep(BASELINE_SECONDS)
    baseline.stop()
    log(f"baseline traffic ({BASELINE_SECONDS:.0f} s): {baseline.summary()}")
    time.sleep(2)
    check_no_alerts(receiver, prometheus)

    # The fault: out-of-domain uploads from concurrent clients, more than one inference slot
    # and one queue place can take.
    fault = Traffic()

    def out_of_domain():
        status, answer, retry_after = classify(service_port, noise_png(), client=f"client-{random.randrange(1000)}")
        fault.count(status, answer)
        if status == 503:
            fault.stop_event.wait(retry_after or 1)
    fault_start = time.monotonic()
    log(f"fault traffic starts: {FAULT_CLIENTS} concurrent clients uploading random-noise photos")
    for _ in range(FAULT_CLIENTS):
        fault.run(out_of_domain)
    try:
        wait_for_alerts(receiver, REQUIRED, fault_start, DEADLINE, stack, ("service", "alertmanager", "prometheus"),
                        "the fault's alerts")
    finally:
        fault.stop()
        log(f"fault traffic ({time.monotonic() - fault_start:.0f} s): {fault.summary()}")
    times = {name: report_arrival(receiver, name, fault_start, severity, "the start of the fault traffic")
             for name, severity in REQUIRED.items()}
    others = [n for n in receiver.names() if n not in REQUIRED]
    for name in others:
        arrival, path, labels, _ = receiver.first(name, fault_start)
        log(f"also received {name} ({labels.get('severity')}) at +{arrival - fault_start:.1f} s on {path}")
        if path != f"/alerts/{labels.get('severity')}":
            raise Failure(f"{name}: severity {labels.get('severity')} routed to {path}")

    # The dashboard's expressions against this Prometheus, after the traffic.
    log("dashboard expressions against the test's Prometheus (window 2m):")
    dashboard = json.loads(dashboard_queries.DASHBOARD.read_text())
    problems = dashboard_queries.lint(dashboard) or dashboard_queries.check_queries(prometheus, dashboard, "2m")
    if problems:
        raise Failure("dashboard:\n  " + "\n  ".join(problems))
    log(f"dashboard: all {sum(1 for _ in dashboard_queries.expressions(dashboard))} expressions returned data")

    # Instance down: stop the service; ColecionadorDown must follow.
    down_start = time.monotonic()
    stack.stop_one("service")
    log("service stopped")
    wait_for_alerts(receiver, ["ColecionadorDown"], down_start, 60, stack, ("alertmanager", "prometheus"), "instance down")
    times["ColecionadorDown"] = report_arrival(receiver, "ColecionadorDown", down_start, "critical", "the service stopped")
    return times


def main():
    def terminate(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, terminate)
    started = time.monotonic()
    directory = Path(tempfile.mkdtemp(prefix="colecionador-alert-e2e-"))
    stack = Stack(directory)
    receiver = Receiver()
    status = 1
    try:
        times = run(directory, stack, receiver)
        log("PASS: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in times.items()))
        status = 0
    except Failure as failure:
        log(f"FAIL: {failure}")
        try:
            for alert in prometheus_alerts_safe(stack):
                print(f"    prometheus: {alert}", file=sys.stderr)
        finally:
            for name in stack.processes:
                stack.tail(name)
    except KeyboardInterrupt:
        log("interrupted")
        status = 130
    finally:
        stack.stop()
        receiver.stop()
        if os.environ.get("E2E_KEEP") == "1":
            log(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
        log(f"finished in {time.monotonic() - started:.0f} s, everything started was stopped")
    return status


def prometheus_alerts_safe(stack):
    """The test Prometheus's alert states, for a failure report (empty when unreachable)."""
    try:
        return [f"{a['labels']['alertname']} {a['state']} {a.get('value')}" for a in prometheus_alerts(stack.prometheus)]
    except Exception:
        return []


if __name__ == "__main__":
    sys.exit(main())
