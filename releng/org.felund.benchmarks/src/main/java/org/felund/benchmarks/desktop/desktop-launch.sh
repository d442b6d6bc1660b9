#!/usr/bin/env bash
# Desktop benchmarks by scripted launch of the built product under a private Xvfb (docs/benchmarks.md):
#   warm start to first painted history, idle RSS 10 s after that, and channel switches in a channel of 10,000
#   messages. One home is seeded with ./felund-node (a circle; #general and #archive with N messages each), launched
#   once to warm the caches (and, on a fresh product, to write its class data sharing archive when it exits), then RUNS
#   more times; each run switches between the two channels SWITCHES times by typing `/channel switch` into the
#   composer (xdotool). The workbench logs its paints (felund.bench.log, PaintProbe). Besides wall time, each start
#   reports the CPU time the JVM had used when the history was painted: unlike wall time it hardly depends on the
#   other processes on the machine. The load average is printed at the start and the end.
# Usage: desktop-launch.sh [RUNS=5] [MESSAGES=10000] [SWITCHES=10]
set -euo pipefail
runs="${1:-5}"; messages="${2:-10000}"; switches="${3:-10}"
repo="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
work="$(mktemp -d "${TMPDIR:-/tmp}/felund-desktop-bench.XXXXXX")"
home="$work/home"
display_no=$((300 + RANDOM % 100))
while [ -e "/tmp/.X11-unix/X$display_no" ] || [ -e "/tmp/.X$display_no-lock" ]; do display_no=$((display_no + 1)); done
Xvfb ":$display_no" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY=":$display_no"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "seeding $home: 2 channels x $messages messages" >&2
"$repo/felund-node" --home "$home" init --name bench >/dev/null
"$repo/felund-node" --home "$home" invite --name Bench >/dev/null
"$repo/felund-node" --home "$home" channel create archive >/dev/null
seq 1 "$messages" | sed 's/^/general message /' | "$repo/felund-node" --home "$home" send --channel general --stdin >/dev/null
seq 1 "$messages" | sed 's/^/archive message /' | "$repo/felund-node" --home "$home" send --channel archive --stdin >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }

launch() { # $1: log file; sets app_pid and start_ms (launch to first painted history); not in a subshell
  local log="$1" start
  : >"$log"
  start=$(date +%s%3N)
  FELUND_VMARGS="-Dfelund.bench.log=$log" "$repo/felund" --home "$home" >"$work/app.out" 2>&1 &
  app_pid=$!
  for _ in $(seq 600); do grep -q '^history-painted' "$log" && break; sleep 0.05; done
  grep -q '^history-painted' "$log" || { echo "no history painted; see $work/app.out" >&2; cat "$work/app.out" >&2; exit 1; }
  start_ms=$(( $(awk '/^history-painted/ {print $2; exit}' "$log") - start ))
  # felund-launch runs the workbench's JVM as its child (it restarts it on request): measure the JVM
  java_pid=$(pgrep -P "$app_pid" java | head -1)
  cpu_ms=$(sed 's/.*) //' "/proc/${java_pid:-$app_pid}/stat" | awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($12 + $13) * 1000 / hz}')
}

stop() { # waits up to 60 s for a clean exit: the first exit on a fresh product writes its class archive
  kill -TERM "$app_pid" 2>/dev/null || true
  for _ in $(seq 1200); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

echo "warm-up launch" >&2
launch "$work/warmup.log"; sleep 3; stop

starts=(); cpus=(); rss=(); all_switches="$work/switches"
: >"$all_switches"
for i in $(seq "$runs"); do
  launch "$work/run$i.log"; ms=$start_ms
  starts+=("$ms"); cpus+=("$cpu_ms")
  sleep 10
  rss+=("$(awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/${java_pid:-$app_pid}/status")")
  # Channel switches: the composer has the focus (no window manager: the pointer gives the window the X focus).
  xdotool mousemove 640 400
  for s in $(seq "$switches"); do
    if [ $((s % 2)) -eq 1 ]; then ch=archive; else ch=general; fi
    xdotool type --delay 1 "/channel switch $ch"; xdotool key Escape Return # Escape: close the completion popup
    sleep 0.7
  done
  grep '^switch' "$work/run$i.log" | awk '{print $2}' >>"$all_switches"
  echo "run $i: start ${ms} ms (JVM CPU ${cpu_ms} ms), idle RSS ${rss[-1]} MB, switches: $(grep -c '^switch' "$work/run$i.log")" >&2
  stop
done
echo "warm start to first painted history (ms), median of $runs: $(printf '%s\n' "${starts[@]}" | median)  [${starts[*]}]"
echo "JVM CPU time at first painted history (ms), median of $runs: $(printf '%s\n' "${cpus[@]}" | median)  [${cpus[*]}]"
echo "idle RSS 10 s after (MB), median of $runs: $(printf '%s\n' "${rss[@]}" | median)  [${rss[*]}]"
echo "channel switch, $messages messages each (ms), median of $(wc -l <"$all_switches"): $(median <"$all_switches"), max $(sort -n "$all_switches" | tail -1)"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
