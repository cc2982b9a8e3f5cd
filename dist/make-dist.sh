#!/usr/bin/env bash
# Builds the self-contained distribution msb-metrics-<version>-linux-x64.tar.gz (run by this
# module's package phase; see docs/operations.md "Deployment"):
#
#   msb-metrics-<version>/
#     bin/msb-metrics          the launcher (it prefers ../runtime/bin/java)
#     lib/msb-metrics.jar      the bundled jar
#     runtime/                 a Java runtime trimmed by jlink to the modules the jar needs,
#                              with its class-data archive of the JDK's classes
#     systemd/                 the unit and its environment file
#
# usage: make-dist.sh JAVA_HOME VERSION JAR LAUNCHER SYSTEMD_DIR OUT_DIR
set -euo pipefail

java_home="$1" version="$2" jar="$3" launcher="$4" systemd="$5" out="$6"
for tool in jdeps jlink; do
  if [[ ! -x "$java_home/bin/$tool" ]]; then
    echo "make-dist: $java_home/bin/$tool is missing: building the distribution needs a full JDK 17+ (set JAVA_HOME), or skip it with -Dmsb.dist.skip" >&2
    exit 1
  fi
done
if [[ ! -f "$jar" ]]; then
  echo "make-dist: $jar is missing: build the cli module first (mvn package -pl dist -am)" >&2
  exit 1
fi

name="msb-metrics-$version"
work="$out/dist"
rm -rf "$work" && mkdir -p "$work/$name/bin" "$work/$name/lib" "$work/$name/systemd"

# The modules the jar refers to, less java.desktop: only JNA's optional AWT helpers (window
# handles) and JLine's unused builtins refer to it, and it is the largest module by far.
# jdk.crypto.ec is added: TLS with elliptic-curve key exchange, the usual kind, is a provider
# that jdeps cannot see (no class refers to it).
modules="$("$java_home/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar" \
  | tr ',' '\n' | grep -v '^java\.desktop$' | paste -sd, -)"
modules="$modules,jdk.crypto.ec"

# --generate-cds-archive: the runtime's own class-data archive of the JDK classes, made for this
# image, so it maps wherever the tarball is unpacked (the application's classes are archived by
# the launcher on the first run: see bin/msb-metrics). Only the archive for compressed pointers
# is kept: the launcher's heap is far below the 32 GiB where the other one would be used.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$work/$name/runtime" >/dev/null
rm -f "$work/$name/runtime/lib/server/classes_nocoops.jsa"

install -m 0755 "$launcher" "$work/$name/bin/msb-metrics"
install -m 0644 "$jar" "$work/$name/lib/msb-metrics.jar"
install -m 0644 "$systemd"/msb-metrics.service "$work/$name/systemd/"
install -m 0600 "$systemd"/msb-metrics.env "$work/$name/systemd/"

tarball="$out/$name-linux-x64.tar.gz"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$tarball.tmp" "$name"
mv -f "$tarball.tmp" "$tarball"
echo "make-dist: $tarball ($(du -h "$tarball" | cut -f1); modules $modules)"
