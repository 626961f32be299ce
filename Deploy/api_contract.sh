#!/usr/bin/env bash
# The API contract against a live server: starts `colecionador serve` on a free port with a fresh
# SQLite database, then runs schemathesis on the document it serves (GET /openapi.json, written
# by hand in Sources/Server/OpenAPIDocument.swift) over every operation, with generated valid and
# malformed inputs (phases: the document's examples, coverage of boundary and negative values,
# fuzzing, stateful sequences through the document's links). It fails when
#   - any answer is a 5xx                                       (not_a_server_error)
#   - a status, content type, header or body is not documented  (status_code_, content_type_,
#                                                                response_headers_, response_schema_conformance)
# then stops the server and exits with schemathesis's status (1 also when the server logged an
# error). About one minute on 2 cores with the debug build (≈ 950 requests).
#
#   Deploy/api_contract.sh [extra `st run` options, e.g. --seed 1234]
#
# COLECIONADOR_BIN: the binary (default .build/debug/colecionador, built by `make test`).
# CONTRACT_VENV: where schemathesis is installed (default /tmp/colecionador-contract-venv;
# created from Deploy/requirements-contract.txt when missing or stale).
set -euo pipefail
binary="${COLECIONADOR_BIN:-.build/debug/colecionador}"
if [ -n "${COLECIONADOR_BIN:-}" ] && [ "${binary#/}" = "$binary" ]; then binary="$PWD/$binary"; fi
cd "$(dirname "$0")/.."  # the checkout's root: the server finds Weights/ from here

venv="${CONTRACT_VENV:-/tmp/colecionador-contract-venv}"
requirements="Deploy/requirements-contract.txt"
for tool in python3 curl; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "api_contract: $tool not found" >&2
    exit 2
  fi
done
if [ ! -x "$binary" ]; then
  echo "api_contract: no executable $binary (run \`make test\` or \`swift build --product colecionador\` first)" >&2
  exit 2
fi

# schemathesis, pinned, in its own venv (reinstalled when the pins change).
if ! cmp -s "$requirements" "$venv/requirements-contract.txt"; then
  if [ -e "$venv" ] && [ ! -f "$venv/pyvenv.cfg" ]; then
    echo "api_contract: $venv exists and is not a venv; set CONTRACT_VENV elsewhere" >&2
    exit 2
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements-contract.txt"
fi

work="$(mktemp -d /tmp/colecionador-contract.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    kill -TERM "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Port 0: the system picks a free port, which the server logs ("… port=N … serving").
"$binary" serve --host 127.0.0.1 --port 0 --database "$work/db.sqlite" > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 1200); do
  port="$(sed -n 's/.* port=\([0-9][0-9]*\) .*serving$/\1/p' "$work/server.log" | head -n 1)"
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2> /dev/null; then
    echo "api_contract: the server exited before serving:" >&2
    cat "$work/server.log" >&2
    exit 2
  fi
  sleep 0.1
done
base="http://127.0.0.1:${port:?the server did not report its port within 120 s}"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$base/healthz" && break
  sleep 0.1
done
curl -fsS -o /dev/null "$base/healthz"
echo "api_contract: $binary serving on $base"

# Examples per operation and phase: cheap routes get more. The classify and registration routes
# get fewer; generated bodies are rarely real photos, so they seldom reach the forward pass
# (1–2 s in a debug build), but the document's registration example does.
cat > "$work/schemathesis.toml" << 'EOF'
[generation]
max-examples = 40
database = "none"

[phases.stateful]
max-steps = 10

[[operations]]
include-path-regex = "^/v1/(classify|items$)"
generation.max-examples = 15
EOF

# `--include-path-regex '^/'` selects every operation: without a filter schemathesis leaves out
# the one that served the document (GET /openapi.json).
status=0
# One worker: with two, Hypothesis parses lambdas' source (ast) from two threads at once, and
# CPython 3.11's parser then fails now and then with "AST constructor recursion depth mismatch"
# — a crash of the tool, not an answer of ours.
(
  cd "$work"  # schemathesis's own state files stay out of the checkout
  "$venv/bin/st" --config-file "$work/schemathesis.toml" run "$base/openapi.json" \
    --include-path-regex '^/' \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing,stateful \
    --mode all \
    --workers 1 \
    --request-timeout 60 \
    --no-color \
    "$@"
) || status=$?

if grep -q ' error ' "$work/server.log"; then
  echo "api_contract: the server logged errors:" >&2
  grep ' error ' "$work/server.log" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
