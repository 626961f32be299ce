#!/usr/bin/env bash
# Runs a command (the test suite) with a PostgreSQL server for the PostgreSQL cases of
# Tests/ServerTests:
#   - COLECIONADOR_TEST_POSTGRES_URL already set: that server, as is;
#   - else, when PostgreSQL's binaries are installed (Debian: apt-get install postgresql): a
#     throwaway cluster — initdb in a temporary directory, on a free loopback port, trust
#     authentication, as the `postgres` user when run as root — stopped and deleted afterwards;
#   - else: the command runs without, and this says so loudly (the PostgreSQL cases are left out;
#     under CI=true the suite fails instead).
set -euo pipefail

if [ -n "${COLECIONADOR_TEST_POSTGRES_URL:-}" ]; then
    echo "with-postgres: using COLECIONADOR_TEST_POSTGRES_URL as given"
    exec "$@"
fi

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bin="$candidate"
done
if [ -z "$bin" ] && command -v initdb >/dev/null 2>&1; then bin="$(dirname "$(command -v initdb)")"; fi
if [ -z "$bin" ]; then
    echo "with-postgres: ************************************************************************"
    echo "with-postgres: no PostgreSQL binaries (initdb) found: the PostgreSQL cases of the service"
    echo "with-postgres: suites are NOT run. Install them (apt-get install postgresql) or set"
    echo "with-postgres: COLECIONADOR_TEST_POSTGRES_URL to a server that may create databases."
    echo "with-postgres: ************************************************************************"
    exec "$@"
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "with-postgres: running as root and there is no 'postgres' user to own the cluster" >&2; exit 1; }
    as_owner=(runuser -u postgres --)
fi

dir="$(mktemp -d /tmp/colecionador-pg.XXXXXX)"
[ ${#as_owner[@]} -gt 0 ] && chown postgres "$dir"
# A free port: ask the kernel for one, then let PostgreSQL bind it.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop() {
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; exit 1; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log"; exit 1; }
export COLECIONADOR_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: throwaway PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
"$@"
