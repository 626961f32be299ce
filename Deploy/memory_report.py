"""Per-instance memory of a running cluster: RSS vs PSS from /proc/PID/smaps_rollup, and the
RSS/PSS of the mappings that can be shared between instances, from /proc/PID/smaps: the
weights file (*.safetensors), the index snapshot (*.hnsw), the executable and the shared
libraries; the rest is anonymous (heap, stacks) and private to each process.

PSS charges each resident page to the processes mapping it in equal parts, so a page shared
by 3 instances counts 1/3 in each: sum(PSS) is what the cluster really occupies, sum(RSS)
counts shared pages once per process.

Usage: python3 Deploy/memory_report.py [STATE_DIR=.build/deploy]   (stdlib only; as root:
another user's smaps are not readable)"""
import glob
import os
import sys

GROUPS = ["weights", "index", "binary", "libraries", "anonymous", "other"]


def group_of(path, executable):
    if path.endswith(".safetensors"):
        return "weights"
    if ".hnsw" in path:
        return "index"
    if path == executable:
        return "binary"
    if ".so" in path:
        return "libraries"
    if path == "" or path.startswith("["):
        return "anonymous"
    return "other"


def mappings(pid):
    """Sums Rss and Pss (kB) per group over /proc/PID/smaps."""
    executable = os.readlink(f"/proc/{pid}/exe")
    totals = {g: {"Rss": 0, "Pss": 0} for g in GROUPS}
    group = "other"
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            head = line.split(None, 5)
            if "-" in head[0] and not head[0].endswith(":"):
                path = head[5].strip() if len(head) > 5 else ""
                group = group_of(path.replace(" (deleted)", ""), executable)
            elif head[0] in ("Rss:", "Pss:"):
                totals[group][head[0][:-1]] += int(head[1])
    return totals


def rollup(pid):
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if parts[0].endswith(":") and len(parts) >= 2 and parts[1].isdigit():
                fields[parts[0][:-1]] = int(parts[1])
    return fields


def mib(kb):
    return f"{kb / 1024:.1f}"


def main(state):
    instances = []
    for pidfile in sorted(glob.glob(os.path.join(state, "instance-*.pid"))):
        pid = int(open(pidfile).read())
        if os.path.exists(f"/proc/{pid}"):
            port = os.path.basename(pidfile)[len("instance-"):-len(".pid")]
            instances.append((port, pid, rollup(pid), mappings(pid)))
    if not instances:
        sys.exit(f"no running instance has a pid file in {state}")
    print(f"{len(instances)} instance(s); MiB")
    print("| instance | RSS | PSS | Pss_Anon | Pss_File | weights RSS / PSS | index snapshot RSS / PSS | binary RSS / PSS | libraries RSS / PSS | anonymous RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    sums = {"Rss": 0, "Pss": 0}
    for port, pid, r, m in instances:
        sums["Rss"] += r["Rss"]
        sums["Pss"] += r["Pss"]
        cells = [f"{mib(m[g]['Rss'])} / {mib(m[g]['Pss'])}" for g in ("weights", "index", "binary", "libraries")]
        print(f"| :{port} (pid {pid}) | {mib(r['Rss'])} | {mib(r['Pss'])} | {mib(r.get('Pss_Anon', 0))} | {mib(r.get('Pss_File', 0))} | "
              + " | ".join(cells) + f" | {mib(m['anonymous']['Rss'])} |")
    print(f"| sum | {mib(sums['Rss'])} | {mib(sums['Pss'])} | | | | | | | |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "deploy"))
