#!/usr/bin/env bash
# Load test of POST /v1/classify: requests/s and p50/p99 at concurrency 1, 8 and 32, for cache
# misses and cache hits, against one release-built instance on loopback with a fresh SQLite
# database. Needs wrk (apt-get install wrk) and the photo from make_photo.py (run with $PYTHON,
# default .venv/bin/python of the checkout, made by `make venv`: numpy, Pillow).
#   Benchmarks/load/run.sh [DURATION_SECONDS]   (default 20; run from the checkout root)
# PHOTO_SIZE=2304x1728 makes a smaller photo (4 MP, ≈ 1.05 MB; default 3024x4032, ≈ 3 MB);
# COLECIONADOR_BIN picks the binary (e.g. one built by `make build`, with this CPU's flag).
set -euo pipefail
duration="${1:-20}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
photo="$work/photo.jpg"
port="${PORT:-18080}"
binary="${COLECIONADOR_BIN:-$root/.build/release/colecionador}"

"${PYTHON:-$root/.venv/bin/python}" "$root/Benchmarks/load/make_photo.py" "$photo" ${PHOTO_SIZE:+"$PHOTO_SIZE"}
"$binary" serve --host 127.0.0.1 --port "$port" --database "$work/load.sqlite" > "$work/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && break
  sleep 0.2
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "photo: $(stat -c %s "$photo") bytes; duration ${duration}s per run"
for mode in miss hit; do
  # Warm-up (and, for hits, the one miss that fills the cache).
  PHOTO="$photo" MODE="$mode" wrk -t1 -c1 -d3s -s "$root/Benchmarks/load/classify.lua" "http://127.0.0.1:$port" > /dev/null
  for connections in 1 8 32; do
    threads=$(( connections < 2 ? 1 : 2 ))
    printf "concurrency=%-3s " "$connections"
    PHOTO="$photo" MODE="$mode" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 30s --latency \
      -s "$root/Benchmarks/load/classify.lua" "http://127.0.0.1:$port" | grep '^RESULT'
  done
done
curl -fsS "http://127.0.0.1:$port/metrics" | grep -E '^(classifier_shed_total|http_errors_total)' || true
