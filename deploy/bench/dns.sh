#!/usr/bin/env bash
# Cluster DNS from a pod (issue 18): lookups per second and p50/p99 of a Service's name through
# the pod's resolver, beside a name from the pod's /etc/hosts, with the same tool in the same run
# (deploy/bench/DnsLookups.java: getaddrinfo in a loop, Java's cache off). Against a running
# `deploy/nauta up --runtime docker` (KUBECONFIG set; as root): it creates the namespace dns-bench
# with a Service web (one busybox httpd behind it) and a pod client, then runs the tool in the
# client's network namespace with the client's own resolv.conf and hosts file bind-mounted over
# /etc's in a private mount namespace, so a lookup takes exactly the pod's path:
#   pod     the pod's resolv.conf as the agent had Docker write it (nameserver 127.0.0.11, Docker's
#           embedded resolver, which forwards to the kube-dns Service; search <ns>.svc.cluster.local
#           svc.cluster.local cluster.local; ndots:5)
#   direct  the same with the kube-dns Service's IP as the nameserver (what Kubernetes' kubelet
#           writes): the agent's DNAT to the cluster DNS without Docker's resolver in between
# Names: `web` (short: the search list's first suffix answers, one query) and `client` (the pod's
# own name, in its /etc/hosts: no query at all).
# Usage: deploy/bench/dns.sh [seconds per round, default 5] [threads, default 4] [rounds, default 3]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_PER_ROUND=${1:-5}
THREADS=${2:-4}
ROUNDS=${3:-3}
NS=dns-bench

[[ $(id -u) == 0 ]] || { echo "dns.sh: run as root (nsenter, unshare, mount)" >&2; exit 1; }
kubectl get --raw /readyz >/dev/null || { echo "dns.sh: no cluster (set KUBECONFIG)" >&2; exit 1; }

cleanup() { kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true; rm -rf "${WORK:-}"; }
trap cleanup EXIT
WORK=$(mktemp -d)

kubectl create namespace "$NS" >/dev/null
kubectl -n "$NS" apply -f - >/dev/null <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: web
        image: nauta/busybox:local
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 8080, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: sh, image: nauta/busybox:local, command: ["sleep", "3600"]}]
EOF
kubectl -n "$NS" wait --for=condition=Ready pod --all --timeout=120s >/dev/null

SANDBOX=$(docker ps -q --filter label=io.nauta.pod.name=client --filter label=io.nauta.pod.namespace="$NS" \
  --filter label=io.nauta.container.name=sh | head -1)
[[ -n $SANDBOX ]] || { echo "dns.sh: the client's container is not running" >&2; exit 1; }
PID=$(docker inspect -f '{{.State.Pid}}' "$SANDBOX")
RESOLV=$(docker inspect -f '{{.ResolvConfPath}}' "$SANDBOX")
HOSTS=$(docker inspect -f '{{.HostsPath}}' "$SANDBOX")
KUBE_DNS=$(kubectl -n kube-system get service kube-dns -o jsonpath='{.spec.clusterIP}')
sed "s/^nameserver .*/nameserver $KUBE_DNS/" "$RESOLV" >"$WORK/resolv.direct"
cp "$HOSTS" "$WORK/hosts"

echo "== the pod's resolv.conf"
cat "$RESOLV"
run() {
  local label=$1 resolv=$2
  echo "== $label"
  # shellcheck disable=SC2016  # expanded by the inner shell
  nsenter -t "$PID" -n unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts &&
    shift 2 && exec java -Djava.net.preferIPv4Stack=true "$@"' sh "$resolv" "$WORK/hosts" \
    "$ROOT/deploy/bench/DnsLookups.java" --seconds "$SECONDS_PER_ROUND" --threads "$THREADS" \
    --rounds "$ROUNDS" web client
}
run "pod (nameserver as the pod has it)" "$RESOLV"
run "direct (nameserver $KUBE_DNS)" "$WORK/resolv.direct"
