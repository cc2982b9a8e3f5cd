#!/usr/bin/env bash
# The Grafana dashboard against a real Prometheus scraping msb-metrics directly.
#
# Starts `msb-metrics demo --listen 127.0.0.1:9464` (5 simulated sandboxes), a stock Prometheus
# (Debian's `prometheus` package: apt-get install prometheus) scraping it every 2 s on loopback
# only, waits, then evaluates every query of samples/config/grafana/msb-metrics-dashboard.json
# (panels and variables; $__rate_interval -> 1m, $instance / $sandbox -> .*, $vcpus -> 2) through
# Prometheus's HTTP API and prints what each returned. Exit 0 when every query returned data.
#
#   bench/prometheus-dashboard.sh                     # build, run 40 s of scrapes, evaluate
#   PROM_DASHBOARD_NO_BUILD=1 WAIT_SECONDS=60 bench/prometheus-dashboard.sh
#
# Needs: a JDK and Maven (unless PROM_DASHBOARD_NO_BUILD=1), prometheus on the PATH (or
# PROMETHEUS=/path/to/prometheus), curl, python3. Ports: LISTEN_PORT (9464), PROM_PORT (19090),
# both on 127.0.0.1. Everything it starts is stopped, everything it writes removed, on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

LISTEN_PORT="${LISTEN_PORT:-9464}"
PROM_PORT="${PROM_PORT:-19090}"
WAIT_SECONDS="${WAIT_SECONDS:-40}"
PROMETHEUS="${PROMETHEUS:-$(command -v prometheus || true)}"
if [[ -z "$PROMETHEUS" ]]; then
  echo "prometheus not found: apt-get install prometheus, or set PROMETHEUS=..." >&2
  exit 2
fi

if [[ -z "${PROM_DASHBOARD_NO_BUILD:-}" ]]; then
  mvn -B -ntp -q package -DskipTests -pl cli -am >/dev/null
fi

work="$(mktemp -d /tmp/msb-prom-dashboard-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
cp cli/target/msb-metrics.jar "$work/msb-metrics.jar"

cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
  evaluation_interval: 2s
scrape_configs:
  - job_name: microsandbox
    static_configs:
      - targets: ["127.0.0.1:${LISTEN_PORT}"]
YAML

java -jar "$work/msb-metrics.jar" demo --listen "127.0.0.1:${LISTEN_PORT}" \
  >"$work/demo.out" 2>"$work/demo.err" &
pids+=("$!")
"$PROMETHEUS" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:${PROM_PORT}" >"$work/prometheus.log" 2>&1 &
pids+=("$!")

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${LISTEN_PORT}/-/ready" >/dev/null 2>&1 \
      && curl -fsS "http://127.0.0.1:${PROM_PORT}/-/ready" >/dev/null 2>&1; then
    break
  fi
  sleep 1
done
curl -fsS "http://127.0.0.1:${LISTEN_PORT}/-/ready" >/dev/null || {
  echo "msb-metrics did not become ready:" >&2; cat "$work/demo.err" >&2; exit 1; }
curl -fsS "http://127.0.0.1:${PROM_PORT}/-/ready" >/dev/null || {
  echo "prometheus did not become ready:" >&2; cat "$work/prometheus.log" >&2; exit 1; }
echo "prometheus $("$PROMETHEUS" --version 2>&1 | head -1 | awk '{print $3}') scraping msb-metrics demo; waiting ${WAIT_SECONDS}s" >&2
sleep "$WAIT_SECONDS"

python3 - "http://127.0.0.1:${PROM_PORT}" samples/config/grafana/msb-metrics-dashboard.json <<'PY'
import json, re, sys, urllib.parse, urllib.request

base, dashboard_file = sys.argv[1], sys.argv[2]
dashboard = json.load(open(dashboard_file))

def api(path, **params):
    url = base + path + "?" + urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)

def concrete(expr):
    return (expr.replace("$__rate_interval", "1m").replace("$instance", ".*")
            .replace("$sandbox", ".*").replace("$vcpus", "2"))

target = api("/api/v1/targets")["data"]["activeTargets"][0]
print(f"target {target['scrapeUrl']}: health={target['health']} lastError={target['lastError']!r}")
failures = 0
queries = []
for panel in dashboard["panels"]:
    for t in panel.get("targets", []):
        queries.append((f"{panel['title']} / {t['refId']}", t["expr"]))
for variable in dashboard["templating"]["list"]:
    if variable.get("type") == "query":
        m = re.match(r"label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)", variable["definition"])
        series, label = m.group(1), m.group(2)
        values = api(f"/api/v1/label/{label}/values", **{"match[]": concrete(series)})["data"]
        ok = len(values) > 0
        failures += not ok
        print(f"{'OK ' if ok else 'EMPTY'} variable {variable['name']}: label_values({series}, {label}) -> {values}")
for where, expr in queries:
    r = api("/api/v1/query", query=concrete(expr))
    result = r["data"]["result"]
    ok = r["status"] == "success" and len(result) > 0
    failures += not ok
    shown = ", ".join(
        (s["metric"].get("sandbox_name") or s["metric"].get("instance") or "-") + "="
        + format(float(s["value"][1]), ".4g") for s in result[:6])
    print(f"{'OK ' if ok else 'EMPTY'} {where}: {len(result)} series  {shown}")
print(f"{len(queries)} panel queries, {failures} empty or failed")
sys.exit(1 if failures else 0)
PY
