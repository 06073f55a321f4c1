#!/usr/bin/env bash
# Resource metrics' cost (issue 19): one 'deploy/nauta up --nodes N --runtime simulated' with
# PODS_PER_NODE pods a node (100 x 30 = 3,000 by default), measured over WINDOW seconds of a
# settled cluster twice in one run: with metrics (the API server scraping every node's
# /stats/summary each 15 s, the agent sampling each 10 s: the defaults) and without
# (-Dnauta.metrics.enabled=false, the agent's sampling every hour). For each: CPU seconds of every
# component over the window (utime + stime from /proc), the Redis commands processed and the
# writes among them (so "no extra store writes" is a number), and with metrics the scraper's own
# figures from /actuator/prometheus (rounds, requests per node, round duration) and the latency of
# `kubectl top pods -A` and `kubectl top nodes` (median of 5).
# Usage: deploy/bench/metrics.sh [nodes [pods per node [window seconds]]]
# Uses the default ports (6443, 10257, 10259, 10250) and Redis on 127.0.0.1:6391 (its own
# redis-server, no persistence): nothing else may hold them.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NODES=${1:-100}
PER_NODE=${2:-30}
WINDOW=${3:-60}
PODS=$((NODES * PER_NODE))
REDIS_PORT=6391
COMPONENTS=(apiserver scheduler controllers agent)
OUT=$(mktemp -d)

redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
  --logfile "$OUT/redis.log" --pidfile "$OUT/redis.pid" >/dev/null
cleanup() {
  "$ROOT/deploy/nauta" down >/dev/null 2>&1 || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$OUT"
}
trap cleanup EXIT

cpu_ticks() { # utime + stime of a process, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
java_of() { pgrep -P "$(<"$NAUTA_HOME/run/$1.pid")" java | head -1; }
redis_stat() { redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | awk -F: -v k="$1" '$1 == k {print $2}'; }
# Write commands: every call of the commands that change keys (the store's scripts included).
redis_writes() {
  redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' | awk -F'[_:,=]' '
    /^cmdstat_/ {
      cmd = $2
      calls = ($3 == "calls") ? $4 : 0  # the first field; rejected_calls and failed_calls follow
      if (cmd ~ /^(set|del|unlink|hset|hdel|xadd|xtrim|evalsha|eval|fcall|expire|pexpire|incr|incrby|zadd|zrem|multi|exec)$/) s += calls
    } END {print s + 0}'
}
median_ms() { # runs "$@" 5 times, prints the median wall time in ms
  local t=()
  for _ in 1 2 3 4 5; do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    t+=($(((e - s) / 1000000)))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p
}
prom() { # the API server's Prometheus text, as the admin
  curl -s --cacert "$NAUTA_HOME/pki/server-ca.crt" --cert "$NAUTA_HOME/pki/admin-client.crt" \
    --key "$NAUTA_HOME/pki/admin-client.key" https://127.0.0.1:6443/actuator/prometheus
}
# prom_value <metric> [label filter]: the first sample of that metric whose labels contain the filter
prom_value() {
  prom >"$OUT/prom"
  awk -v m="$1" -v f="${2:-}" '$0 !~ /^#/ && (index($0, m "{") == 1 || index($0, m " ") == 1) && index($0, f) {print $NF; exit}' "$OUT/prom"
}

run() { # run <label> [NAUTA_JAVA_OPTS]
  local label=$1 opts=${2:-}
  export NAUTA_HOME=/tmp/nauta-bench-metrics-$label KUBECONFIG=/tmp/nauta-bench-metrics-$label/kubeconfig
  "$ROOT/deploy/nauta" down >/dev/null 2>&1 || true
  rm -rf "$NAUTA_HOME"
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  echo "[$label] up: $NODES simulated nodes, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  NAUTA_JAVA_OPTS="$opts" NAUTA_READY_TIMEOUT=600 "$ROOT/deploy/nauta" up --nodes "$NODES" \
    --runtime simulated --redis "redis://127.0.0.1:$REDIS_PORT" >"$OUT/up-$label.log" 2>&1 \
    || { tail -20 "$OUT/up-$label.log" >&2; exit 1; }
  until [[ $(kubectl get nodes --no-headers 2>/dev/null | grep -cw Ready) -ge $NODES ]]; do sleep 2; done
  kubectl create namespace metrics-bench >/dev/null
  kubectl -n metrics-bench create deployment load --image=nauta/busybox:local --replicas="$PODS" >/dev/null
  until [[ $(kubectl -n metrics-bench get deployment load -o jsonpath='{.status.availableReplicas}') == "$PODS" ]]; do
    sleep 3
  done
  echo "[$label] $PODS pods available; settling 30 s" >&2
  sleep 30

  local -A before
  for c in "${COMPONENTS[@]}"; do before[$c]=$(cpu_ticks "$(java_of "$c")"); done
  local cmds0 writes0 rounds0 requests0
  cmds0=$(redis_stat total_commands_processed)
  writes0=$(redis_writes)
  if [[ -z $opts ]]; then
    rounds0=$(prom_value nauta_resourcemetrics_tick_duration_seconds_count)
    requests0=$(prom_value nauta_resourcemetrics_kubelet_requests_total 'success="true"')
  fi
  sleep "$WINDOW"
  local hz
  hz=$(getconf CLK_TCK)
  for c in "${COMPONENTS[@]}"; do
    local after
    after=$(cpu_ticks "$(java_of "$c")")
    echo "$label $c $(awk -v a="$after" -v b="${before[$c]}" -v hz="$hz" 'BEGIN {printf "%.2f", (a - b) / hz}')" >>"$OUT/cpu"
  done
  echo "$label commands $(($(redis_stat total_commands_processed) - cmds0))" >>"$OUT/redis"
  echo "$label writes $(($(redis_writes) - writes0))" >>"$OUT/redis"
  if [[ -z $opts ]]; then
    local rounds requests sum
    rounds=$(prom_value nauta_resourcemetrics_tick_duration_seconds_count)
    requests=$(prom_value nauta_resourcemetrics_kubelet_requests_total 'success="true"')
    sum=$(prom_value nauta_resourcemetrics_tick_duration_seconds_sum)
    awk -v r0="$rounds0" -v r="$rounds" -v q0="$requests0" -v q="$requests" -v s="$sum" -v w="$WINDOW" -v n="$NODES" 'BEGIN {
      printf "| scrape rounds in the window | %d (one each 15 s: %d expected) |\n", r - r0, w / 15
      printf "| /stats/summary requests per node and round | %.2f |\n", (q - q0) / (r - r0) / n
      printf "| mean round (all %d nodes, since start) | %.0f ms |\n", n, s / r * 1000 }' >>"$OUT/scraper"
    echo "| kubectl top pods -A ($PODS pods), median of 5 | $(median_ms kubectl top pods -A) ms |" >>"$OUT/scraper"
    echo "| kubectl top nodes ($NODES nodes), median of 5 | $(median_ms kubectl top nodes) ms |" >>"$OUT/scraper"
    echo "| kubectl get pods -A ($PODS pods, for scale), median of 5 | $(median_ms kubectl get pods -A) ms |" >>"$OUT/scraper"
  fi
  "$ROOT/deploy/nauta" down >/dev/null 2>&1 || true
}

run with
run without "-Dnauta.metrics.enabled=false -Dnauta.agent.stats.interval=1h"

echo
echo "$NODES simulated nodes, $PODS pods, a ${WINDOW} s window of a settled cluster:"
echo
echo "| CPU seconds in the window | with metrics | without | difference |"
echo "|---|---|---|---|"
for c in "${COMPONENTS[@]}"; do
  awk -v c="$c" '$2 == c {v[$1] = $3} END {printf "| %s | %.2f | %.2f | %+.2f |\n", c, v["with"], v["without"], v["with"] - v["without"]}' "$OUT/cpu"
done
awk '{v[$1 " " $2] = $3} END {
  printf "| Redis commands | %d | %d | %+d |\n", v["with commands"], v["without commands"], v["with commands"] - v["without commands"]
  printf "| Redis write commands | %d | %d | %+d |\n", v["with writes"], v["without writes"], v["with writes"] - v["without writes"] }' "$OUT/redis"
echo
echo "| the scraper, with metrics | value |"
echo "|---|---|"
cat "$OUT/scraper"
echo "(load at the end $(cut -d' ' -f1-3 /proc/loadavg))"
