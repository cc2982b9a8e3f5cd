#!/usr/bin/env bash
# Footprint profile: one steady window of the sidecar footprint run (1000 sandboxes, collect 1 s,
# flush 10 s, OTLP/gRPC to a local receiver) recorded with JFR (settings=profile: execution and
# allocation samples, thread CPU, GC), then summarised: threads by CPU, hot methods, allocation
# sites, GC pauses. See docs/benchmarks.md, "Footprint profile".
#
#   bench/footprint-profile.sh [--seconds 120] [--variants launcher]   (any harness options)
#
# The recording starts after the warm-up (jcmd JFR.start) and stops at the end of the window, so
# it covers the steady state only. JFR adds its own threads (sampler, periodic tasks, ~0.5 % of a
# core): read shares within the profile, compare variants with the harness's own figures.
# The summary needs `jfr view` (JDK 21+; it reads JDK 17 recordings): $JFR, else Temurin 25's,
# else the jfr on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${FOOTPRINT_PROFILE_DIR:-target/footprint-profile}"
mkdir -p "$out"
bench/sidecar-footprint.sh --sandboxes 1000 --seconds 120 --warmup 15 --startup-runs 0 \
  --detail true --variants launcher --jfr "$out" "$@" | tee "$out/harness.txt"

jfr="${JFR:-}"
for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr "$(command -v jfr || true)"; do
  if [[ -z "$jfr" && -n "$candidate" && -x "$candidate" ]] && "$candidate" help view >/dev/null 2>&1; then
    jfr="$candidate"
  fi
done
for recording in "$out"/*.jfr; do
  [[ -f "$recording" ]] || continue
  echo "=== $recording"
  if [[ -z "$jfr" ]]; then
    echo "no 'jfr view' found (needs JDK 21+; set JFR=/path/to/jdk/bin/jfr): open the recording in JDK Mission Control"
    continue
  fi
  for view in thread-cpu-load hot-methods allocation-by-site allocation-by-class gc-pauses; do
    "$jfr" view --width 160 "$view" "$recording" | head -30
  done
done
