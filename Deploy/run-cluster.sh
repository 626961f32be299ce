#!/usr/bin/env bash
# Starts a Colecionador cluster on loopback: PostgreSQL (started when it is local and down, or
# reused), the database, N instances of `colecionador serve --postgres …` on ports 8081…, and
# nginx in front on 127.0.0.1:8080 with Deploy/nginx/colecionador.conf (its upstream rewritten
# for the N instances). Everything it starts runs in its own session with pid and log files in
# the state directory; `stop` ends exactly those processes. See Docs/Deployment.md.
#
#   Deploy/run-cluster.sh start N     (or just: Deploy/run-cluster.sh N; default N = 2)
#   Deploy/run-cluster.sh status
#   Deploy/run-cluster.sh stop        (KEEP_POSTGRES=1: leave PostgreSQL running)
#
# Environment (all optional):
#   COLECIONADOR_BIN   the binary (default .build/release/colecionador of this checkout)
#   STATE_DIR          pid/log/config directory (default .build/deploy of this checkout)
#   POSTGRES_URL       default postgres://postgres:postgres@127.0.0.1:5432/colecionador
#   SERVICE_CONFIG     the service's JSON configuration (default: generated in STATE_DIR with
#                      index_snapshot = STATE_DIR/index.hnsw, shared by all instances)
#   FRONT_PORT=8080  FIRST_PORT=8081  READY_TIMEOUT=300 (seconds per wait)
#   RESET_DB=1         drop and recreate the database before starting
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="${STATE_DIR:-$root/.build/deploy}"
binary="${COLECIONADOR_BIN:-$root/.build/release/colecionador}"
url="${POSTGRES_URL:-postgres://postgres:postgres@127.0.0.1:5432/colecionador}"
front="${FRONT_PORT:-8080}"
first="${FIRST_PORT:-8081}"
ready_timeout="${READY_TIMEOUT:-300}"
database="${url##*/}"
database="${database%%\?*}"
admin_url="${url%/*}/postgres"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs Debian packages when their command is missing (as root, or through sudo), like the
# Makefile's `deps` target.
need() {
  local command="$1" package="$2"
  command -v "$command" > /dev/null 2>&1 && return 0
  echo "Installing $package (no $command found)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$package"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2> /dev/null; }

# Waits until URL answers 200 or the process in PIDFILE dies.
wait_ready() {
  local target="$1" pidfile="$2" deadline=$((SECONDS + ready_timeout))
  until curl -fsS -o /dev/null "$target" 2> /dev/null; do
    if ! alive "$pidfile"; then echo "process $(cat "$pidfile") died before $target was ready; see its log in $state" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "$target not ready after ${ready_timeout}s; see the logs in $state" >&2; return 1; fi
    sleep 0.3
  done
}

start_postgres() {
  need psql postgresql-client
  if psql "$admin_url" -qtAc 'SELECT 1' > /dev/null 2>&1; then
    echo "PostgreSQL: reusing the server at ${admin_url%/*}"
  else
    case "$url" in
      *@127.0.0.1:*|*@localhost:*|*@127.0.0.1/*|*@localhost/*) ;;
      *) echo "PostgreSQL at $admin_url does not answer and is not local; start it first." >&2; exit 1 ;;
    esac
    need pg_lsclusters postgresql
    local cluster
    cluster="$(pg_lsclusters -h | awk '$3 == 5432 { print $1 " " $2; exit }')"
    [ -n "$cluster" ] || { echo "No local PostgreSQL cluster on port 5432 (pg_lsclusters); create one with pg_createcluster." >&2; exit 1; }
    echo "PostgreSQL: starting cluster $cluster"
    # shellcheck disable=SC2086
    as_root pg_ctlcluster $cluster start
    echo "$cluster" > "$state/postgres.started"
    for _ in $(seq 1 50); do psql "$admin_url" -qtAc 'SELECT 1' > /dev/null 2>&1 && break; sleep 0.2; done
    psql "$admin_url" -qtAc 'SELECT 1' > /dev/null || {
      echo "PostgreSQL runs but refuses $admin_url; set the password: su postgres -c \"psql -qc \\\"ALTER USER postgres PASSWORD 'postgres'\\\"\"" >&2
      exit 1
    }
  fi
  if [ "${RESET_DB:-0}" = 1 ]; then
    echo "PostgreSQL: dropping database $database"
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)"
  fi
  if [ "$(psql "$admin_url" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
    echo "PostgreSQL: creating database $database"
    psql "$admin_url" -qc "CREATE DATABASE \"$database\""
  fi
}

# The nginx configuration: Deploy/nginx/colecionador.conf with its upstream servers replaced by
# the N local instances, its listen address set to 127.0.0.1:FRONT, a retry budget of one try
# per instance, and a response header naming the instance(s) tried (for the kill test).
write_nginx_config() {
  local n="$1" dir="$state/nginx"
  mkdir -p "$dir/logs" "$dir/temp"
  local servers=""
  for i in $(seq 0 $((n - 1))); do
    servers+="    server 127.0.0.1:$((first + i)) max_fails=3 fail_timeout=10s;\n"
  done
  awk -v servers="$servers" -v front="$front" -v tries="$n" '
    /^upstream colecionador/ { inside = 1 }
    inside && /^[[:space:]]*server[[:space:]]/ { if (!done) { printf "%s", servers; done = 1 } next }
    inside && /^}/ { inside = 0 }
    /^[[:space:]]*listen[[:space:]]/ { print "    listen 127.0.0.1:" front ";"; next }
    /proxy_next_upstream_tries/ { sub(/proxy_next_upstream_tries [0-9]+/, "proxy_next_upstream_tries " tries) }
    { print }
    /^[[:space:]]*server_name[[:space:]]/ { print "    add_header X-Upstream $upstream_addr always;" }
  ' "$root/Deploy/nginx/colecionador.conf" > "$dir/colecionador.conf"
  cat > "$dir/nginx.conf" << EOF
# Generated by Deploy/run-cluster.sh for $n instance(s); do not edit.
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    log_format upstream '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent '
                        'upstream=\$upstream_addr upstream_status=\$upstream_status time=\$request_time';
    access_log $dir/logs/access.log upstream;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    include $dir/colecionador.conf;
}
EOF
}

write_service_config() {
  if [ -n "${SERVICE_CONFIG:-}" ]; then config="$SERVICE_CONFIG"; return; fi
  config="$state/service.json"
  printf '{"index_snapshot": "%s"}\n' "$state/index.hnsw" > "$config"
}

start() {
  local n="${1:-2}"
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive integer (got $n)." >&2; exit 2; }
  [ -x "$binary" ] || { echo "No binary at $binary; build it (swift build -c release --product colecionador) or set COLECIONADOR_BIN." >&2; exit 1; }
  mkdir -p "$state"
  if compgen -G "$state/instance-*.pid" > /dev/null || [ -f "$state/nginx/nginx.pid" ]; then
    echo "A cluster from $state is still running (or left pid files); run: $0 stop" >&2
    exit 1
  fi
  need nginx nginx
  need curl curl
  start_postgres
  write_service_config

  for i in $(seq 0 $((n - 1))); do
    local port=$((first + i))
    # Weights are found through COLECIONADOR_WEIGHTS (the checkout's Weights/).
    ( cd "$state" && COLECIONADOR_WEIGHTS="$root/Weights" exec setsid "$binary" serve \
        --host 127.0.0.1 --port "$port" --postgres "$url" --config "$config" \
        >> "$state/instance-$port.log" 2>&1 < /dev/null ) &
    echo $! > "$state/instance-$port.pid"
    echo "instance on 127.0.0.1:$port: pid $(cat "$state/instance-$port.pid"), log $state/instance-$port.log"
  done
  for i in $(seq 0 $((n - 1))); do
    local port=$((first + i))
    wait_ready "http://127.0.0.1:$port/readyz" "$state/instance-$port.pid"
  done

  write_nginx_config "$n"
  nginx -t -q -p "$state/nginx" -c "$state/nginx/nginx.conf" -g 'daemon off;'
  ( exec setsid nginx -p "$state/nginx" -c "$state/nginx/nginx.conf" -g 'daemon off;' \
      >> "$state/nginx/logs/stderr.log" 2>&1 < /dev/null ) &
  echo $! > "$state/nginx/master.pid"
  wait_ready "http://127.0.0.1:$front/readyz" "$state/nginx/master.pid"
  echo "nginx on 127.0.0.1:$front: pid $(cat "$state/nginx/master.pid"), config $state/nginx/nginx.conf"
  echo "ready: $n instance(s) behind http://127.0.0.1:$front"
}

# SIGTERM, then SIGKILL after 30 s; removes the pid file.
stop_process() {
  local pidfile="$1" signal="$2" name="$3"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2> /dev/null; then
    kill "-$signal" "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2> /dev/null; then echo "$name (pid $pid) still running after 30 s: SIGKILL"; kill -KILL "$pid"; fi
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

stop() {
  # nginx first (QUIT: finish the requests in flight), then the instances (TERM: graceful,
  # each saves the index snapshot), then PostgreSQL if this script started it.
  stop_process "$state/nginx/master.pid" QUIT nginx
  for pidfile in "$state"/instance-*.pid; do
    [ -e "$pidfile" ] || continue
    stop_process "$pidfile" TERM "instance $(basename "$pidfile" .pid)" &
  done
  wait
  if [ -f "$state/postgres.started" ] && [ "${KEEP_POSTGRES:-0}" != 1 ]; then
    # shellcheck disable=SC2046
    as_root pg_ctlcluster $(cat "$state/postgres.started") stop
    echo "stopped PostgreSQL $(cat "$state/postgres.started")"
    rm -f "$state/postgres.started"
  fi
}

status() {
  for pidfile in "$state"/instance-*.pid "$state/nginx/master.pid"; do
    [ -e "$pidfile" ] || continue
    if alive "$pidfile"; then echo "$pidfile: pid $(cat "$pidfile") running"; else echo "$pidfile: pid $(cat "$pidfile") gone"; fi
  done
  curl -fsS -o /dev/null -w "front http://127.0.0.1:$front/readyz: %{http_code}\n" "http://127.0.0.1:$front/readyz" 2> /dev/null || echo "front http://127.0.0.1:$front: no answer"
}

case "${1:-}" in
  start) start "${2:-2}" ;;
  stop) stop ;;
  status) status ;;
  [0-9]*) start "$1" ;;
  *) echo "usage: $0 start N | N | status | stop" >&2; exit 2 ;;
esac
