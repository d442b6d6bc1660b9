#!/usr/bin/env bash
# Runs the call view's tile benchmark (a main program of this test fragment, never a unit test) on a flat class path
# of the fragment, its host and everything they import, in the X server of $DISPLAY (e.g. a private Xvfb); see
# docs/benchmarks.md for what it measures.
#
#   DISPLAY=:NN bundles/org.felund.calls.ui.tests/benchmark.sh org.felund.calls.ui.internal.TileBenchmark 30 640 480 30 4
#
# JAVA_OPTS adds JVM options; MVN_OPTS adds Maven options (default -o, offline).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cpfile="$here/target/benchmark.classpath"
# shellcheck disable=SC2086
"$root/mvnw" -B -q ${MVN_OPTS--o} -f "$root/pom.xml" \
  -pl features/org.felund.core.feature,features/org.felund.ui.feature,features/org.felund.transport.relay.feature,features/org.felund.calls.feature,bundles/org.felund.calls.ui.tests -am -DskipTests \
  package org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cpfile"
cp="$here/target/classes:$(cat "$cpfile")"
java_home="$("$root/mvnw" -v | sed -n 's/^Java version: .*, runtime: //p')"
# shellcheck disable=SC2086
exec "${java_home:+$java_home/bin/}java" ${JAVA_OPTS:-} -cp "$cp" "$@"
