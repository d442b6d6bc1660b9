#!/usr/bin/env bash
# Runs a WebRTC benchmark harness (a main program of the test fragments, never a unit test) on a flat class path
# of the fragments, their hosts and everything they import; see docs/benchmarks.md for what each one measures.
#
#   bundles/org.felund.transport.webrtc.tests/benchmark.sh org.felund.webrtc.RtcBenchmark churn 1000
#   bundles/org.felund.transport.webrtc.tests/benchmark.sh org.felund.webrtc.RtcBenchmark memory 50
#   bundles/org.felund.transport.webrtc.tests/benchmark.sh org.felund.transport.webrtc.WebRtcBenchmark latency 1000
#   bundles/org.felund.transport.webrtc.tests/benchmark.sh org.felund.transport.webrtc.WebRtcBenchmark establish 10
#
# JAVA_OPTS adds JVM options (e.g. -Dfelund.webrtc.noReleaseWorkaround=true); MVN_OPTS adds Maven options
# (default -o, offline).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cpfile="$here/target/benchmark.classpath"
# shellcheck disable=SC2086
"$root/mvnw" -B -q ${MVN_OPTS--o} -f "$root/pom.xml" \
  -pl bundles/org.felund.webrtc.tests,bundles/org.felund.transport.webrtc.tests -am -DskipTests \
  package org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cpfile"
cp="$here/target/classes:$root/bundles/org.felund.webrtc.tests/target/classes:$(cat "$cpfile")"
java_home="$("$root/mvnw" -v | sed -n 's/^Java version: .*, runtime: //p')"
# shellcheck disable=SC2086
exec "${java_home:+$java_home/bin/}java" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} -cp "$cp" "$@"
