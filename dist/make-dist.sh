#!/usr/bin/env bash
# Builds the self-contained distribution msb-metrics-<version>-linux-x64.tar.gz (run by this
# module's package phase; see docs/operations.md "Deployment"):
#
#   msb-metrics-<version>/
#     README.md, LICENSE       the repository's
#     bin/msb-metrics          the launcher (it prefers ../runtime/bin/java)
#     lib/msb-metrics.jar      the bundled jar, with linux-x64's native libraries only
#     runtime/                 a Java runtime trimmed by jlink to the modules the jar needs,
#                              with its class-data archive of the JDK's classes
#     systemd/                 the unit and its environment file
#     man/man1/msb-metrics.1   the man page (docs/cli/, generated from the command line)
#     docs/                    the documentation the README links to
#
# usage: make-dist.sh JAVA_HOME VERSION JAR LAUNCHER SYSTEMD_DIR OUT_DIR REPO_ROOT
set -euo pipefail

java_home="$1" version="$2" jar="$3" launcher="$4" systemd="$5" out="$6" repo="$7"
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
rm -rf "$work" && mkdir -p "$work/$name/bin" "$work/$name/lib" "$work/$name/systemd" \
  "$work/$name/man/man1" "$work/$name/docs"

# The modules the jar refers to, less java.desktop: only JNA's optional AWT helpers (window
# handles) and JLine's unused builtins refer to it, and it is the largest module by far.
# jdk.crypto.ec is added: TLS with elliptic-curve key exchange, the usual kind, is a provider
# that jdeps cannot see (no class refers to it).
modules="$("$java_home/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar" \
  | tr ',' '\n' | grep -v '^java\.desktop$' | paste -sd, -)"
modules="$modules,jdk.crypto.ec"

# --compress=1 shares the constant strings of the modules' classes: 68 -> 58 MB unpacked and
# 21.6 -> 20.9 MB packed for the runtime, at no cost in start-up worth measuring. --compress=2 (zip)
# was measured too and left out: 51 MB unpacked but 25.6 MB packed (gzip cannot squeeze zipped
# classes again), and every class read from the image is inflated first.
# --generate-cds-archive: the runtime's own class-data archive of the JDK classes, made for this
# image, so it maps wherever the tarball is unpacked (the application's classes are archived by
# the launcher on the first run: see bin/msb-metrics). Only the archive for compressed pointers
# is kept: the launcher's heap is far below the 32 GiB where the other one would be used.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=1 --generate-cds-archive --output "$work/$name/runtime" >/dev/null
rm -f "$work/$name/runtime/lib/server/classes_nocoops.jsa"

install -m 0755 "$launcher" "$work/$name/bin/msb-metrics"
# The tarball is for linux-x64: its jar keeps that platform's native libraries (JNA, SQLite, JLine)
# and drops the other platforms' (23 MB -> 10 MB). cli/target/msb-metrics.jar keeps them all.
slim="$work/jar"
mkdir -p "$slim" && (cd "$slim" && "$java_home/bin/jar" -xf "$jar")
find "$slim" -type f \( -name '*.so' -o -name '*.dylib' -o -name '*.dll' -o -name '*.jnilib' -o -name '*.a' \) \
  ! -path "$slim/com/sun/jna/linux-x86-64/*" ! -path "$slim/org/sqlite/native/Linux/x86_64/*" \
  ! -path "$slim/org/jline/nativ/Linux/x86_64/*" -delete
find "$slim" -type d -empty -delete
"$java_home/bin/jar" --create --file "$work/$name/lib/msb-metrics.jar" \
  --manifest "$slim/META-INF/MANIFEST.MF" --date=1980-02-01T00:00:00Z -C "$slim" .
rm -rf "$slim"
install -m 0644 "$systemd"/msb-metrics.service "$work/$name/systemd/"
install -m 0600 "$systemd"/msb-metrics.env "$work/$name/systemd/"
install -m 0644 "$repo/README.md" "$repo/LICENSE" "$work/$name/"
install -m 0644 "$repo/docs/cli/msb-metrics.1" "$work/$name/man/man1/"
cp -R "$repo/docs/." "$work/$name/docs/"

tarball="$out/$name-linux-x64.tar.gz"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$tarball.tmp" "$name"
mv -f "$tarball.tmp" "$tarball"
echo "make-dist: $tarball ($(du -h "$tarball" | cut -f1); modules $modules)"
