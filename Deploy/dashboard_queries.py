#!/usr/bin/env python3
"""Checks the Grafana dashboard Deploy/grafana/colecionador.json without Grafana.

    python3 Deploy/dashboard_queries.py --lint
        Structure only (offline): the JSON model's panels, grid positions, datasource uid (must
        be the one provisioned in Deploy/grafana/provisioning/datasources/prometheus.yml),
        targets and template variables.

    python3 Deploy/dashboard_queries.py --prometheus http://127.0.0.1:9090 [--window 2m]
        Lint, then every PromQL expression of the dashboard (targets[].expr, with Grafana's
        $__rate_interval / $__interval / $__range replaced by --window and the template
        variables by their "All" value) through Prometheus's /api/v1/query, and every
        `label_values(...)` variable through /api/v1/label/<name>/values: each must parse and
        return at least one series with a finite value (a variable: at least one value).

Deploy/alert_e2e.py runs the second form against its Prometheus after its traffic. Exit status 0
when everything passed, 1 otherwise. Standard library only.
"""

import argparse
import json
import math
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
DASHBOARD = DEPLOY / "grafana" / "colecionador.json"
DATASOURCES = DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS = DEPLOY / "grafana" / "provisioning" / "dashboards" / "colecionador.yml"

# Grafana's global variables that stand for a duration in a range selector.
DURATION_VARIABLES = ("__rate_interval", "__interval", "__range")
VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")


def all_panels(dashboard):
    """Every panel, including those nested in collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def expressions(dashboard):
    """(panel title, refId, expr) of every Prometheus target."""
    for panel in all_panels(dashboard):
        for target in panel.get("targets", []):
            yield panel.get("title", "?"), target.get("refId", "?"), target.get("expr", "")


def variables(dashboard):
    return dashboard.get("templating", {}).get("list", [])


def variable_query(variable):
    query = variable.get("query", "")
    return query.get("query", "") if isinstance(query, dict) else query


def substitute(expr, window, dashboard):
    """The expression with Grafana's duration variables replaced by `window` and the template
    variables by their "All" value; raises ValueError for an unknown variable."""
    defined = {v["name"]: v for v in variables(dashboard)}

    def replace(match):
        name = match.group(1) or match.group(2)
        if name in DURATION_VARIABLES:
            return window
        variable = defined.get(name)
        if variable is None:
            raise ValueError(f"unknown variable ${name}")
        if variable.get("includeAll"):
            return variable.get("allValue") or ".*"
        current = variable.get("current", {}).get("value")
        if isinstance(current, str) and current:
            return current
        raise ValueError(f"variable ${name} has neither an All value nor a current value")

    return VARIABLE.sub(replace, expr)


def provisioned_datasource_uids():
    return set(re.findall(r"^\s*uid:\s*[\"']?([\w.-]+)", DATASOURCES.read_text(), re.MULTILINE))


def lint(dashboard):
    """Structural problems of the dashboard and its provisioning files (empty list: none)."""
    problems = []
    for key in ("uid", "title", "schemaVersion", "panels", "templating"):
        if key not in dashboard:
            problems.append(f"dashboard: no {key!r}")
    uids = provisioned_datasource_uids()
    if not uids:
        problems.append(f"{DATASOURCES}: no datasource uid")
    providers = PROVIDERS.read_text()
    if not re.search(r"^\s*type:\s*file\s*$", providers, re.MULTILINE) or "path:" not in providers:
        problems.append(f"{PROVIDERS}: no file provider with a path")
    ids = set()
    for panel in all_panels(dashboard):
        title = panel.get("title", "?")
        if not title or title == "?":
            problems.append(f"panel {panel.get('id')}: no title")
        if panel.get("id") in ids:
            problems.append(f"panel {title!r}: duplicate id {panel.get('id')}")
        ids.add(panel.get("id"))
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in "xywh"):
            problems.append(f"panel {title!r}: gridPos needs integer x, y, w, h")
        elif grid["x"] < 0 or grid["w"] <= 0 or grid["x"] + grid["w"] > 24 or grid["h"] <= 0:
            problems.append(f"panel {title!r}: gridPos {grid} outside the 24-column grid")
        if panel.get("type") == "row":
            continue
        if not panel.get("type"):
            problems.append(f"panel {title!r}: no type")
        targets = panel.get("targets", [])
        if not targets:
            problems.append(f"panel {title!r}: no targets")
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs) or None in refs:
            problems.append(f"panel {title!r}: refIds {refs} must be present and distinct")
        for source in [panel.get("datasource")] + [t.get("datasource") for t in targets]:
            if not isinstance(source, dict) or source.get("type") != "prometheus" or source.get("uid") not in uids:
                problems.append(f"panel {title!r}: datasource {source} is not the provisioned Prometheus {sorted(uids)}")
        for target in targets:
            if not target.get("expr", "").strip():
                problems.append(f"panel {title!r} {target.get('refId')}: empty expr")
    for variable in variables(dashboard):
        source = variable.get("datasource")
        if variable.get("type") == "query" and (not isinstance(source, dict) or source.get("uid") not in uids):
            problems.append(f"variable {variable.get('name')}: datasource {source} is not the provisioned Prometheus")
    for title, ref, expr in expressions(dashboard):
        try:
            substitute(expr, "1m", dashboard)
        except ValueError as error:
            problems.append(f"panel {title!r} {ref}: {error}")
    return problems


def get_json(url, data=None, timeout=10):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        # Prometheus answers a bad expression with 400 and a JSON body naming the error.
        try:
            return json.load(error)
        except ValueError:
            return {"status": "error", "error": f"HTTP {error.code}"}


def finite_series(result):
    data = result.get("data", {})
    kind, values = data.get("resultType"), data.get("result")
    if kind == "scalar":
        values = [{"value": values}]
    elif kind != "vector":
        return 0, 0
    finite = 0
    for series in values:
        try:
            if math.isfinite(float(series["value"][1])):
                finite += 1
        except (KeyError, IndexError, TypeError, ValueError):
            pass
    return len(values), finite


def label_values_query(query):
    """(label, match selector or None) of `label_values(metric, label)` / `label_values(label)`."""
    match = re.fullmatch(r"\s*label_values\(\s*(?:(.+?)\s*,\s*)?(\w+)\s*\)\s*", query)
    return (match.group(2), match.group(1)) if match else None


def check_queries(prometheus, dashboard, window, verbose=True):
    """Runs every expression and variable query; returns the problems (empty list: none)."""
    problems = []
    base = prometheus.rstrip("/")
    for title, ref, expr in expressions(dashboard):
        query = substitute(expr, window, dashboard)
        result = get_json(f"{base}/api/v1/query", {"query": query})
        if result.get("status") != "success":
            problems.append(f"{title} [{ref}]: {result.get('errorType', 'error')}: {result.get('error')}\n    {query}")
            continue
        total, finite = finite_series(result)
        if verbose:
            print(f"  {finite:3d}/{total:<3d} series  {title} [{ref}]")
        if finite == 0:
            problems.append(f"{title} [{ref}]: {total} series, none with a finite value\n    {query}")
    for variable in variables(dashboard):
        if variable.get("type") != "query":
            continue
        query = substitute(variable_query(variable), window, dashboard)
        parsed = label_values_query(query)
        if parsed is None:
            problems.append(f"variable {variable['name']}: not a label_values() query: {query}")
            continue
        label, match = parsed
        params = urllib.parse.urlencode({"match[]": match}) if match else ""
        result = get_json(f"{base}/api/v1/label/{label}/values?{params}")
        values = result.get("data") or []
        if verbose:
            print(f"  {len(values):3d} values   variable ${variable['name']}: {values}")
        if result.get("status") != "success" or not values:
            problems.append(f"variable {variable['name']}: {result.get('error') or 'no values'} ({query})")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dashboard", type=Path, default=DASHBOARD)
    parser.add_argument("--lint", action="store_true", help="structure only, no Prometheus")
    parser.add_argument("--prometheus", help="Prometheus base URL to run the expressions against")
    parser.add_argument("--window", default="2m", help="what $__rate_interval, $__interval and $__range become")
    args = parser.parse_args()
    if not args.lint and not args.prometheus:
        parser.error("give --lint or --prometheus URL")
    dashboard = json.loads(args.dashboard.read_text())
    problems = lint(dashboard)
    count = sum(1 for _ in expressions(dashboard))
    print(f"dashboard {args.dashboard.name}: {sum(1 for _ in all_panels(dashboard))} panels, {count} expressions")
    if args.prometheus and not problems:
        problems += check_queries(args.prometheus, dashboard, args.window)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    print("dashboard: ok" if not problems else f"dashboard: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
