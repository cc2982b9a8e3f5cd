#!/usr/bin/env bash
# Sidecar footprint: runs the SidecarFootprint harness (cli test sources) against the bundled jar
# started through bin/msb-metrics. See docs/benchmarks.md, "Sidecar footprint (cli)".
#
#   bench/sidecar-footprint.sh --sandboxes 1000 --seconds 60 --startup-runs 5 --variants launcher,plain
#
# Variants (measured one after the other in the same run): launcher (bin/msb-metrics with the
# checkout's jar), launcher-nocds (the same with MSB_METRICS_CDS=off), launcher@JAR (another jar),
# launcher@DIR (DIR/bin/msb-metrics, e.g. a worktree of an older commit), dist (the unpacked
# tarball, no JAVA_HOME), plain (java -jar); any of them but plain takes :JAVA_OPTS.
#
# It builds, then runs from a private copy of the reactor's classes and of the bundled jar (not
# from ~/.m2 or target/), so that another build in the same tree cannot swap files under it.
set -euo pipefail
cd "$(dirname "$0")/.."

# One reactor build (also resolves the cli's test classpath in the reactor, so a fresh clone with
# an empty ~/.m2 works; the project's own modules are taken from their target/ directories below).
# SIDECAR_FOOTPRINT_NO_BUILD=1 reuses the last build (repeated runs of one build).
if [[ -z "${SIDECAR_FOOTPRINT_NO_BUILD:-}" ]]; then
  mkdir -p target
  if ! mvn -B -ntp -q package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/footprint.classpath >target/footprint-build.log 2>&1; then
    grep -E '^\[ERROR\]' target/footprint-build.log | head -5 >&2
    echo "sidecar-footprint: the build failed (target/footprint-build.log)" >&2
    exit 1
  fi
fi

work="$(mktemp -d /tmp/msb-footprint-XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp cli/target/msb-metrics.jar "$work/msb-metrics.jar"
classpath=""
for dir in cli/target/test-classes cli/target/classes exporter-otel/target/test-classes \
    exporter-otel/target/classes exporter-stdout/target/classes catalog/target/classes \
    core/target/classes simulator/target/classes registry-reader/target/classes \
    registry-reader/target/test-classes; do
  mkdir -p "$work/$dir" && cp -r "$dir/." "$work/$dir/"
  classpath+="$work/$dir:"
done
classpath+="$(tr ':' '\n' < cli/target/footprint.classpath | grep -v '/io/microsandbox/metrics/' | paste -sd: -)"

# The self-contained distribution, unpacked for the `dist` variant (when it was built).
for tarball in dist/target/msb-metrics-*-linux-x64.tar.gz; do
  if [[ -f "$tarball" ]]; then
    mkdir -p "$work/dist" && tar -xzf "$tarball" -C "$work/dist" --strip-components=1
    export MSB_FOOTPRINT_DIST="$work/dist"
  fi
done

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
MSB_METRICS_JAR="$work/msb-metrics.jar" "$java_bin" -cp "$classpath" \
  io.microsandbox.metrics.cli.bench.SidecarFootprint "$@"
