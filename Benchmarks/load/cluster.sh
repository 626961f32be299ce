#!/usr/bin/env bash
# Load test of a cluster behind nginx (Deploy/run-cluster.sh): for each round and each instance
# count N, starts N instances + nginx, drives POST /v1/classify through nginx with wrk
# (classify.lua) — cache misses at concurrency MISS_C, then cache hits at HIT_C — and records
# the load averages (`uptime`) next to every number; with N = 1 also straight to the instance
# (no nginx), with the CPU time the instances and nginx spent per request. Rounds alternate the instance counts (1 2 3 1 2 3 …) so that a burst of load
# from elsewhere on the machine does not land on one N only. Memory per instance
# (Deploy/memory_report.py) is printed after the warm-up and after the runs of the first round.
#   Benchmarks/load/cluster.sh [DURATION_SECONDS=20] [ROUNDS=2] [COUNTS="1 2 3"]
# Needs wrk, PostgreSQL (run-cluster.sh starts a local one) and the photo from make_photo.py
# (run with $PYTHON, default .venv/bin/python of the checkout, made by `make venv`).
set -euo pipefail
duration="${1:-20}"
rounds="${2:-2}"
counts="${3:-1 2 3}"
miss_c="${MISS_C:-8}"
hit_c="${HIT_C:-16}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
front="http://127.0.0.1:${FRONT_PORT:-8080}"
work="$(mktemp -d)"
photo="$work/photo.jpg"
lua="$root/Benchmarks/load/classify.lua"
trap 'KEEP_POSTGRES=1 "$root/Deploy/run-cluster.sh" stop > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

"$python" "$root/Benchmarks/load/make_photo.py" "$photo" > /dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "photo: $(stat -c %s "$photo") bytes; ${duration}s per run; miss concurrency $miss_c, hit concurrency $hit_c"

load() { cut -d' ' -f1-3 /proc/loadavg; }

state="${STATE_DIR:-$root/.build/deploy}"
ticks_per_second="$(getconf CLK_TCK)"
# CPU time (utime + stime, clock ticks) used so far by the processes in the pid files given
# (and by their child processes' threads: nginx's workers are listed with the master).
cpu_ticks() {
  local total=0 pid
  for pidfile in "$@"; do
    [ -f "$pidfile" ] || continue
    for pid in $(cat "$pidfile") $(pgrep -P "$(cat "$pidfile")" || true); do
      [ -r "/proc/$pid/stat" ] || continue
      # Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
      total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
    done
  done
  echo "$total"
}

# run N TARGET MODE CONNECTIONS LABEL: one wrk run; besides wrk's RESULT line it prints the
# CPU the instances and nginx used per request (contention on the machine stretches the wall
# clock, not the CPU a request needs) and the share of the 2 cores the instances got.
run() {
  local n="$1" target="$2" mode="$3" connections="$4" label="$5" before result cpu0 nginx0 cpu1 nginx1 requests
  before="$(load)"
  cpu0="$(cpu_ticks "$state"/instance-*.pid)"; nginx0="$(cpu_ticks "$state/nginx/master.pid")"
  result="$(PHOTO="$photo" MODE="$mode" wrk -t2 -c"$connections" -d"${duration}s" --timeout 30s --latency -s "$lua" "$target" | grep '^RESULT')"
  cpu1="$(cpu_ticks "$state"/instance-*.pid)"; nginx1="$(cpu_ticks "$state/nginx/master.pid")"
  requests="$(sed 's/.*requests=\([0-9]*\).*/\1/' <<< "$result")"
  echo "N=$n via=$label c=$connections $result" \
    "instances_cpu_ms_per_request=$(awk -v t=$((cpu1 - cpu0)) -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.1f", 1000 * t / hz / r }')" \
    "nginx_cpu_ms_per_request=$(awk -v t=$((nginx1 - nginx0)) -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.2f", 1000 * t / hz / r }')" \
    "instances_cores=$(awk -v t=$((cpu1 - cpu0)) -v d="$duration" -v hz="$ticks_per_second" 'BEGIN { printf "%.2f", t / hz / d }')" \
    "load_before=[$before] load_after=[$(load)]"
}

for round in $(seq 1 "$rounds"); do
  for n in $counts; do
    "$root/Deploy/run-cluster.sh" start "$n" > /dev/null
    # Warm-up: every instance runs a few forward passes (kernel calibration, workspaces).
    PHOTO="$photo" MODE=miss wrk -t2 -c$((2 * n)) -d5s -s "$lua" "$front" > /dev/null
    if [ "$round" = 1 ]; then echo "memory, N=$n, after warm-up:"; "$python" "$root/Deploy/memory_report.py"; fi
    run "$n" "$front" miss "$miss_c" nginx
    if [ "$n" = 1 ]; then run 1 "http://127.0.0.1:${FIRST_PORT:-8081}" miss "$miss_c" direct; fi
    # Fill every instance's cache with the hit photo, then measure hits.
    PHOTO="$photo" MODE=hit wrk -t2 -c$((2 * n)) -d3s -s "$lua" "$front" > /dev/null
    run "$n" "$front" hit "$hit_c" nginx
    if [ "$n" = 1 ]; then run 1 "http://127.0.0.1:${FIRST_PORT:-8081}" hit "$hit_c" direct; fi
    if [ "$round" = 1 ]; then echo "memory, N=$n, after the runs:"; "$python" "$root/Deploy/memory_report.py"; fi
    KEEP_POSTGRES=1 "$root/Deploy/run-cluster.sh" stop > /dev/null
  done
done
