#!/usr/bin/env bash
# Scale (docs/benchmarks.md, issue 13): one 'deploy/nauta up --nodes N --runtime simulated', then
# DEPLOYMENTS deployments of REPLICAS replicas each in namespace 'scale' (N = 1000 nodes and
# 30 x 1000 = 30,000 pods by default), timed from the first create to every replica available.
# While it runs, a probe times a pod GET and a namespace list over one kept-alive HTTPS connection
# (the admin's client certificate) twice a second. At the end: each component's heap (after a full
# GC) and RSS. Usage: deploy/bench/scale.sh [nodes [deployments [replicas]]]
# Uses the default ports (6443, 10257, 10259, 10250): nothing else may hold them. BENCH_HOME
# (default /tmp/nauta-bench-scale) is its NAUTA_HOME; NAUTA_JAVA_HEAP sizes every component's heap
# as for 'up' (default 512m).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NODES=${1:-1000}
DEPLOYMENTS=${2:-30}
REPLICAS=${3:-1000}
export NAUTA_HOME=${BENCH_HOME:-/tmp/nauta-bench-scale}
export NAUTA_READY_TIMEOUT=${NAUTA_READY_TIMEOUT:-900}
export KUBECONFIG=$NAUTA_HOME/kubeconfig
COMPONENTS=(apiserver scheduler controllers agent)
WANT=$((DEPLOYMENTS * REPLICAS))
OUT=$(mktemp -d)

"$ROOT/deploy/nauta" down >/dev/null 2>&1 || true
rm -rf "$NAUTA_HOME"
echo "up: $NODES simulated nodes, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$ROOT/deploy/nauta" up --nodes "$NODES" --runtime simulated >"$OUT/up.log" 2>&1 \
  || { tail -20 "$OUT/up.log" >&2; exit 1; }
trap '"$ROOT/deploy/nauta" down >/dev/null 2>&1 || true' EXIT

# Every node Ready before the clock starts.
until [[ $(kubectl get nodes --no-headers 2>/dev/null | grep -cw Ready) -ge $NODES ]]; do sleep 2; done
kubectl create namespace scale >/dev/null
kubectl -n scale run probe-target --image=nauta/busybox:local --restart=Never >/dev/null

# The probe: pod GET and namespace list latencies (ms), one per line, until told to stop.
python3 - "$NAUTA_HOME/pki" "$OUT/probe" "$OUT/stop" <<'PY' &
import http.client, os, ssl, sys, time
pki, out, stop = sys.argv[1:]
ctx = ssl.create_default_context(cafile=os.path.join(pki, "server-ca.crt"))
ctx.load_cert_chain(os.path.join(pki, "admin-client.crt"), os.path.join(pki, "admin-client.key"))
conn = http.client.HTTPSConnection("127.0.0.1", 6443, context=ctx)
paths = {"pod_get": "/api/v1/namespaces/scale/pods/probe-target", "namespace_list": "/api/v1/namespaces"}
with open(out, "w") as f:
    while not os.path.exists(stop):
        for name, path in paths.items():
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except OSError:
                conn.close()
                ok = False
            f.write("%s %.2f %s\n" % (name, (time.perf_counter() - t) * 1000, "ok" if ok else "err"))
        f.flush()
        time.sleep(0.5)
PY
PROBE=$!

START=$(date +%s.%N)
for i in $(seq 1 "$DEPLOYMENTS"); do
  kubectl -n scale create deployment "d$i" --image=nauta/busybox:local --replicas="$REPLICAS" >/dev/null
done
CREATED=$(date +%s.%N)
# Sum of available replicas over the deployments (a list of DEPLOYMENTS objects, not of pods).
available() {
  kubectl -n scale get deployments -o jsonpath='{range .items[*]}{.status.availableReplicas}{"\n"}{end}' \
    | awk '{s += $1} END {print s + 0}'
}
last=-1
while true; do
  n=$(available)
  if [[ $n != "$last" ]]; then
    echo "$(awk -v s="$START" -v n="$(date +%s.%N)" 'BEGIN {printf "%.1f", n - s}') s: $n of $WANT available" >&2
    last=$n
  fi
  [[ $n -ge $WANT ]] && break
  sleep 2
done
DONE=$(date +%s.%N)
touch "$OUT/stop"
wait "$PROBE" || true

heap_mib() { # used heap after a full GC: the sum of the 'total …, used …' lines of GC.heap_info
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/total/ && /used/ && !/Metaspace|class space/ {
    for (i = 1; i < NF; i++) if ($i == "used") {v = $(i + 1); sub("K,?", "", v); s += v}
  } END {printf "%.0f", s / 1024}'
}
echo
echo "| figure | value |"
echo "|---|---|"
awk -v s="$START" -v c="$CREATED" -v d="$DONE" -v w="$WANT" -v n="$DEPLOYMENTS" 'BEGIN {
  printf "| creates of %d deployments (kubectl, one by one) | %.1f s |\n", n, c - s
  printf "| first create to all %d pods available | %.1f s (%.0f pods/s) |\n", w, d - s, w / (d - s) }'
for name in pod_get namespace_list; do
  grep "^$name " "$OUT/probe" | python3 -c '
import statistics, sys
name = sys.argv[1]
rows = [l.split() for l in sys.stdin]
ms = sorted(float(r[1]) for r in rows)
errors = sum(1 for r in rows if r[2] != "ok")
p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
print("| %s while it ran | p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests, %d errors) |" % (name.replace("_", " "), p(0.5), p(0.99), ms[-1], len(ms), errors))
' "$name"
done
for c in "${COMPONENTS[@]}"; do
  java=$(pgrep -P "$(<"$NAUTA_HOME/run/$c.pid")" java | head -1)
  rss=$(ps -o rss= -p "$java" | awk '{printf "%.0f", $1 / 1024}')
  echo "| $c at the end | heap $(heap_mib "$java") MiB after GC, RSS $rss MiB |"
done
echo "(nodes $NODES, load at the end $(cut -d' ' -f1-3 /proc/loadavg))"
rm -rf "$OUT"
