#!/usr/bin/env bash
# A soak (docs/benchmarks.md): Nauta started with 'deploy/nauta up --runtime simulated' in a
# temporary NAUTA_HOME on free ports, then for a while a steady mix of creates, updates and
# deletes (config maps, pods, a deployment scaled up and down) and one watch per kind (see
# soak.py). Reports errors (must be 0: a failed request, a missed or doubled watch event, a watcher
# that differs from a fresh list at the end), p50/p99 latency per verb, and the API server's heap
# after a full GC at the start and the end (must be flat). Not part of CI.
# Usage: deploy/bench/soak.sh [--duration SECONDS] [soak.py options] (default 600 s).
# Needs java (with jcmd), curl, python3 and redis-server (the embedded Redis). Leaves nothing
# behind: Nauta is stopped and its NAUTA_HOME removed at the end (SOAK_KEEP=1 keeps the logs).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

log() { echo "soak: $(date +%T) $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

NAUTA_HOME=$(mktemp -d /tmp/nauta-soak-XXXXXX)
export NAUTA_HOME
PORT=$(free_port)
NAUTA_SCHEDULER_PORT=$(free_port)
NAUTA_CONTROLLERS_PORT=$(free_port)
NAUTA_AGENT_PORT=$(free_port)
export NAUTA_SCHEDULER_PORT NAUTA_CONTROLLERS_PORT NAUTA_AGENT_PORT NAUTA_NODE_NAME=soak-$$
# A loaded machine starts four JVMs slowly.
export NAUTA_READY_TIMEOUT=${NAUTA_READY_TIMEOUT:-300}

cleanup() {
  deploy/nauta down >/dev/null 2>&1 || true
  if [[ ${SOAK_KEEP:-0} == 1 ]]; then
    log "logs kept in $NAUTA_HOME/logs"
  else
    rm -rf "$NAUTA_HOME"
  fi
}
trap cleanup EXIT

log "starting Nauta in $NAUTA_HOME (API server on port $PORT)"
deploy/nauta up --runtime simulated --port "$PORT" >&2
# The pid file holds the supervisor; the API server's JVM is its child.
SUPERVISOR=$(<"$NAUTA_HOME/run/apiserver.pid")
JVM=$(pgrep -P "$SUPERVISOR" -x java | head -1)
[[ -n $JVM ]] || { log "API server JVM not found under pid $SUPERVISOR"; exit 1; }
log "API server JVM pid $JVM; load starts"
PKI=$NAUTA_HOME/pki
python3 "$ROOT/deploy/bench/soak.py" --server "https://127.0.0.1:$PORT" --pid "$JVM" \
  --cacert "$PKI/server-ca.crt" --cert "$PKI/admin-client.crt" --key "$PKI/admin-client.key" "$@"
