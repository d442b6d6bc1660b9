#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on 127.0.0.1 (Debian's server binaries), exporting its URL as
# FELUND_BENCH_PG_URL, e.g.:
#   with-postgres.sh releng/org.felund.benchmarks/run.sh RelayFanoutBenchmark
# The server runs as nobody when started by root, with production durability (fsync on), and is stopped and
# deleted afterwards.
set -euo pipefail
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
work="$(mktemp -d "${TMPDIR:-/tmp}/felund-bench-pg.XXXXXX")"
chmod 755 "$work"; mkdir -m 700 "$work/data"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown nobody "$work" "$work/data"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_pg "$pgbin/initdb" -D "$work/data" -U felund --auth=trust -E UTF8 --no-locale >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300" start >/dev/null
trap 'as_pg "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
export FELUND_BENCH_PG_URL="postgresql://felund@127.0.0.1:$port/postgres"
"$@"
