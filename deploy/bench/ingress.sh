#!/usr/bin/env bash
# The ingress controller's proxy (issue 21): requests per second and p50/p99 of small responses
# through the ingress beside the same requests straight to the backend, with the same load tool in
# the same run (deploy/bench/HttpLoad.java: keep-alive HTTP/1.1 connections, one thread each,
# requests back to back; rounds alternate the targets). Against a running `deploy/nauta up` (any
# runtime; KUBECONFIG set). The backend is deploy/bench/HttpEcho.java (the JDK's HTTP server, with
# keep-alive: the busybox image's httpd closes every connection) on this host's address on its
# default route, standing in for a pod: the namespace ingress-bench gets a Service web without a
# selector, its Endpoints naming that address, and an Ingress for the host bench.example.
#   ingress     127.0.0.1:$NAUTA_INGRESS_HTTP_PORT (default 8080) with Host: bench.example
#   direct      the backend's address and port, as the ingress reaches it
#   cluster-ip  the Service's cluster IP, port 80 (the node agent's iptables rules DNAT it to the
#               backend); only where it answers from this host (the Docker runtime's node)
# BENCH_ALSO="name=port ..." adds other ingress controllers of the same cluster as targets (same
# Host), e.g. a build before a change beside the one after it, in the same run. Each controller's
# CPU time per request is shown beside it (the backend's beside direct).
# Usage: deploy/bench/ingress.sh [seconds per round, default 5] [connections, default 16]
#        [rounds, default 3]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_PER_ROUND=${1:-5}
CONNECTIONS=${2:-16}
ROUNDS=${3:-3}
INGRESS_PORT=${NAUTA_INGRESS_HTTP_PORT:-8080}
BACKEND_PORT=${BENCH_BACKEND_PORT:-18080}
NS=ingress-bench

kubectl get --raw /readyz >/dev/null || { echo "ingress.sh: no cluster (set KUBECONFIG)" >&2; exit 1; }
ADDRESS=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
[[ -n $ADDRESS ]] || { echo "ingress.sh: no IPv4 address on the default route" >&2; exit 1; }

cleanup() {
  kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
  [[ -z ${ECHO_PID:-} ]] || kill "$ECHO_PID" 2>/dev/null || true
}
trap cleanup EXIT

java "$ROOT/deploy/bench/HttpEcho.java" "$ADDRESS" "$BACKEND_PORT" &
ECHO_PID=$!
kubectl create namespace "$NS" >/dev/null
kubectl -n "$NS" apply -f - >/dev/null <<EOF2
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{name: http, port: 80, targetPort: $BACKEND_PORT}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: web}
subsets:
- addresses: [{ip: $ADDRESS}]
  ports: [{name: http, port: $BACKEND_PORT}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: bench.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
EOF2
for _ in $(seq 100); do
  curl -sf -o /dev/null -H 'Host: bench.example' "http://127.0.0.1:$INGRESS_PORT/" && break
  sleep 0.2
done
curl -sf -H 'Host: bench.example' "http://127.0.0.1:$INGRESS_PORT/" >/dev/null ||
  { echo "ingress.sh: the ingress does not route bench.example" >&2; exit 1; }

TARGETS=("ingress=127.0.0.1:$INGRESS_PORT/@bench.example")
for also in ${BENCH_ALSO:-}; do
  TARGETS+=("${also%%=*}=127.0.0.1:${also#*=}/@bench.example")
done
TARGETS+=("direct=$ADDRESS:$BACKEND_PORT/")
CLUSTER_IP=$(kubectl -n "$NS" get service web -o jsonpath='{.spec.clusterIP}')
for _ in $(seq 25); do
  curl -sf -m 1 -o /dev/null "http://$CLUSTER_IP/" && break
  sleep 0.2
done
if curl -sf -m 1 -o /dev/null "http://$CLUSTER_IP/"; then
  TARGETS+=("cluster-ip=$CLUSTER_IP:80/")
else
  echo "ingress.sh: the cluster IP $CLUSTER_IP does not answer from this host (no service proxy" \
    "here: the simulated runtime?); measuring ingress and direct only" >&2
fi

# The CPU each process spends per request: the controllers (whoever listens on their ports) and the
# backend (for direct).
CPU=(--cpu "direct=$ECHO_PID")
listener() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
for target in "ingress=$INGRESS_PORT" ${BENCH_ALSO:-}; do
  pid=$(listener "${target#*=}")
  [[ -z $pid ]] || CPU+=(--cpu "${target%%=*}=$pid")
done

java "$ROOT/deploy/bench/HttpLoad.java" --seconds "$SECONDS_PER_ROUND" --connections "$CONNECTIONS" \
  --rounds "$ROUNDS" "${CPU[@]}" "${TARGETS[@]}"
