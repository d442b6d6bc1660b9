#!/usr/bin/env bash
# Side-by-side ingest benchmark of the relay with wrk: the reference relay_ws.py, ./felund-relay on SQLite, and
# ./felund-relay on PostgreSQL with one and with two instances, one after the other in one run, with the same
# load generator and the same request (one new ~330-byte envelope per POST /v1/messages, wrk-post-message.lua).
#
#   ingest-side-by-side.sh [REFERENCE_RELAY_WS_PY]
#
# Needs wrk, Debian's postgresql (server binaries under /usr/lib/postgresql/*/bin), and for the reference
# python3 with aiohttp and aiosqlite (Debian: python3-aiohttp python3-aiosqlite); without the argument the
# reference is skipped. Environment: DURATION (default 20s), CONNECTIONS (default 16), THREADS (default 2),
# ROUNDS (default 2), PYTHON (default /usr/bin/python3). Everything listens on 127.0.0.1 and is stopped at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../../../../../../.." && pwd)"
reference="${1:-}"
duration="${DURATION:-20s}"; conns="${CONNECTIONS:-16}"; threads="${THREADS:-2}"; rounds="${ROUNDS:-2}"
python="${PYTHON:-/usr/bin/python3}"
lua="$here/wrk-post-message.lua"
work="$(mktemp -d "${TMPDIR:-/tmp}/felund-ingest.XXXXXX")"
chmod 755 "$work"
pids=()
pgbin=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$pgbin" ] && [ -d "$work/pg" ]; then as_pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/v1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no relay on port $1" >&2; return 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
run_wrk() { # name port [port2]: warm up, then ROUNDS measured runs; prints req/s per round
  local name="$1"; shift
  for p in "$@"; do wrk -t1 -c4 -d3s -s "$lua" "http://127.0.0.1:$p" >/dev/null; done
  for r in $(seq 1 "$rounds"); do
    local before; before="$(load)"
    local total=0 outs=() wpids=()
    local per=$((conns / $#))
    for p in "$@"; do
      out="$work/wrk-$p-$r.txt"; outs+=("$out")
      wrk -t"$threads" -c"$per" -d"$duration" -s "$lua" "http://127.0.0.1:$p" >"$out" & wpids+=($!)
    done
    for w in "${wpids[@]}"; do wait "$w"; done
    for out in "${outs[@]}"; do
      rps=$(awk '/Requests\/sec/ {print $2}' "$out"); errs=$(awk '/non-2xx/ {print $4}' "$out" | tr -d ,)
      total=$(awk -v a="$total" -v b="$rps" 'BEGIN {printf "%.0f", a + b}')
      [ "${errs:-0}" = "0" ] || echo "  ($out: $errs non-2xx)" >&2
    done
    printf '%-34s round %d: %8s req/s   (load before %s, after %s)\n' "$name" "$r" "$total" "$before" "$(load)"
  done
}

echo "felund relay ingest, $(date -u +%FT%TZ), wrk -t$threads -c$conns -d$duration, $(nproc) CPUs"
"$root/felund-relay" --help >/dev/null  # builds the product on first use

if [ -n "$reference" ]; then
  port=$(free_port)
  "$python" "$reference" --host 127.0.0.1 --port "$port" --db "$work/ref.sqlite" >"$work/ref.log" 2>&1 & pids+=($!)
  wait_http "$port"
  run_wrk "reference relay_ws.py (SQLite)" "$port"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
fi

port=$(free_port)
# One circle takes every post: its quota is not what is measured.
quota=(--circle-quota-messages 2000000000 --circle-quota-mb 1000000)
"$root/felund-relay" --home "$work/home" --port "$port" --db "$work/relay.db" "${quota[@]}" >"$work/sqlite.log" 2>&1 & pids+=($!)
wait_http "$port"
run_wrk "felund-relay, SQLite" "$port"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
mkdir -m 700 "$work/pg"; [ "$(id -u)" -eq 0 ] && chown nobody "$work/pg" "$work"
pgport=$(free_port)
as_pg "$pgbin/initdb" -D "$work/pg" -U felund --auth=trust -E UTF8 --no-locale >/dev/null
# Durable commits as in production (fsync on, synchronous_commit on); the group commit shares each fsync.
as_pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -o "-p $pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null
url="postgresql://felund@127.0.0.1:$pgport/postgres"
port1=$(free_port); port2=$(free_port)
# Instances of one database share its key file.
"$root/felund-relay" --home "$work/home1" --port "$port1" --db "$url" --key-file "$work/relay.key" "${quota[@]}" >"$work/pg1.log" 2>&1 & pids+=($!)
wait_http "$port1"
run_wrk "felund-relay, PostgreSQL, 1 instance" "$port1"
"$root/felund-relay" --home "$work/home2" --port "$port2" --db "$url" --key-file "$work/relay.key" "${quota[@]}" >"$work/pg2.log" 2>&1 & pids+=($!)
wait_http "$port2"
run_wrk "felund-relay, PostgreSQL, 2 instances" "$port1" "$port2"
