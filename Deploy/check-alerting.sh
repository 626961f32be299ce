#!/usr/bin/env bash
# Static checks of the alerting and dashboard configuration (no service needed, a few seconds):
#   - promtool check rules / check config   Deploy/prometheus/alerts.yml, prometheus.yml
#   - promtool test rules                   Deploy/prometheus/alerts_test.yml (unit tests of every alert)
#   - amtool check-config                   Deploy/alertmanager/alertmanager.yml
#   - amtool config routes test             critical → critical-webhook, warning → warning-webhook
#   - Deploy/dashboard_queries.py --lint    Deploy/grafana/colecionador.json and its provisioning
# Runs every check, then exits non-zero if any failed. Needs the Debian packages `prometheus`
# (promtool) and `prometheus-alertmanager` (amtool), and python3.
set -uo pipefail
cd "$(dirname "$0")/.."

for tool in promtool amtool python3; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "check-alerting: $tool not found (apt-get install -y prometheus prometheus-alertmanager python3)" >&2
    exit 2
  fi
done

failed=()
check() {
  local name="$1"
  shift
  echo "== $name: $*"
  if "$@"; then
    echo "-- ok: $name"
  else
    echo "-- FAILED: $name" >&2
    failed+=("$name")
  fi
}

# The receiver an alert with these labels is routed to must be exactly `expected`.
route_is() {
  local expected="$1"
  shift
  amtool config routes test --config.file=Deploy/alertmanager/alertmanager.yml --verify.receivers="$expected" "$@" 2> /dev/null
}

check "rules syntax" promtool check rules Deploy/prometheus/alerts.yml
check "prometheus config" promtool check config Deploy/prometheus/prometheus.yml
check "rule unit tests" promtool test rules Deploy/prometheus/alerts_test.yml
check "alertmanager config" amtool check-config Deploy/alertmanager/alertmanager.yml
check "critical route" route_is critical-webhook alertname=ColecionadorErrorRateHigh severity=critical
check "warning route" route_is warning-webhook alertname=ColecionadorMeanConfidenceLow severity=warning model_version=v1
check "dashboard lint" python3 Deploy/dashboard_queries.py --lint

if [ ${#failed[@]} -gt 0 ]; then
  echo "check-alerting: ${#failed[@]} check(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "check-alerting: all checks passed"
