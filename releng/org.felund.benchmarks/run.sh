#!/usr/bin/env bash
# Builds the benchmarks together with the bundles they measure, then runs JMH.
#
#   releng/org.felund.benchmarks/run.sh [filter] [more JMH options]
#
# filter     JMH regular expression over benchmark names (default: all), e.g. 'crypto.Envelope'
# JMH_OPTS   replaces the default run settings below (e.g. JMH_OPTS='-f 3 -wi 5 -i 10')
#            Every run also reports cpu.ns/op (see CpuTimeProfiler): the machine is shared, and CPU time per
#            operation stays comparable when wall-clock throughput does not.
# MVN_OPTS   extra Maven options (default: -o, offline; set MVN_OPTS= to let Maven download)
# Example:   run.sh crypto -rf json -rff /tmp/crypto.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
filter="${1:-.}"
[ $# -gt 0 ] && shift

# shellcheck disable=SC2086
"$root/mvnw" -B -q ${MVN_OPTS--o} -f "$root/pom.xml" -pl releng/org.felund.benchmarks -am -DskipTests package

# Run on the JDK that the project launcher picked for the build.
java_home="$("$root/mvnw" -v | sed -n 's/^Java version: .*, runtime: //p')"
java="${java_home:+$java_home/bin/}java"

# shellcheck disable=SC2086
exec "$java" -cp "$here/target/classes:$(cat "$here/target/benchmark.classpath")" org.openjdk.jmh.Main \
  ${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 2s} -prof org.felund.benchmarks.CpuTimeProfiler "$@" "$filter"
