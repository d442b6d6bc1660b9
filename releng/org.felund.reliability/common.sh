# Helpers shared by the fault-campaign scripts (sourced, not run). Everything listens on 127.0.0.1 only.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# FELUND_NODE_PRODUCT / FELUND_RELAY_PRODUCT: run copies of the materialized products (e.g. while a build in this
# clone rebuilds releng/org.felund.products/target), through felund-launch's FELUND_PRODUCT_DIR.
node() { FELUND_PRODUCT_DIR="${FELUND_NODE_PRODUCT:-}" "$repo/felund-node" "$@"; }
relay() { FELUND_PRODUCT_DIR="${FELUND_RELAY_PRODUCT:-}" "$repo/felund-relay" "$@"; }
# For background jobs and pipeline stages (`node_exec … &`): the job's shell becomes felund-launch, so $! is the
# launcher and the JVM is its child (jvm_of), and killing $! reaches the launcher, not a shell around it.
node_exec() { FELUND_PRODUCT_DIR="${FELUND_NODE_PRODUCT:-}" exec "$repo/felund-node" "$@"; }
relay_exec() { FELUND_PRODUCT_DIR="${FELUND_RELAY_PRODUCT:-}" exec "$repo/felund-relay" "$@"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# The JVM behind a felund-launch script started in the background (the script waits for it).
jvm_of() {
  local launcher="$1" pid=""
  for _ in $(seq 1 200); do
    pid="$(pgrep -P "$launcher" java || true)"
    [ -n "$pid" ] && { echo "$pid"; return 0; }
    kill -0 "$launcher" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# Msg ids stored in a home (read-only, as another tool would).
stored_ids() { sqlite3 -readonly "$1/felund.db" "SELECT msg_id FROM messages" | sort -u; }

# Rows that repeat a (circle, message id): the schema forbids them, so anything but 0 is a defect.
duplicate_rows() {
  sqlite3 -readonly "$1/felund.db" "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT circle_id, msg_id FROM messages)) FROM messages"
}

# Seconds since a `date +%s.%N` value, to a tenth.
since() { python3 -c "import sys,time; print(round(time.time() - float(sys.argv[1]), 1))" "$1"; }

integrity() { sqlite3 "$1/felund.db" "PRAGMA integrity_check" | tr -d '\n'; }

# Builds the node product when it is missing (felund-launch would too, but quietly and slower to notice).
ensure_product() {
  [ -n "${FELUND_NODE_PRODUCT:-}" ] && { command -v sqlite3 >/dev/null || { echo "needs sqlite3" >&2; exit 2; }; return 0; }
  if ! ls "$repo"/releng/org.felund.products/target/products/org.felund.node/linux/gtk/x86_64/plugins/org.eclipse.equinox.launcher_*.jar >/dev/null 2>&1; then
    echo "building the node product…" >&2
    (cd "$repo" && ./mvnw -B -q -DskipTests package -pl releng/org.felund.products -am) >&2
  fi
  command -v sqlite3 >/dev/null || { echo "needs sqlite3 (apt-get install sqlite3)" >&2; exit 2; }
}
