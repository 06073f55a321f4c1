#!/usr/bin/env bash
# Pod start-up latency (docs/benchmarks.md): N pods of a deployment on Nauta's Docker runtime,
# beside 'docker run -d' of the same N containers and a Docker Swarm service of N replicas, in
# one run. Per pod or container: from its creation to Running and Ready (p50, p99), and from the
# create sent to the last one ready; a warm-up round, then R rounds; medians.
# Usage: deploy/bench/pod-startup.sh [pods [rounds]] (default: 50 3). Needs root (the egress
# guard, as 'deploy/nauta up --runtime docker'), a Docker engine not in a swarm, and the local
# image nauta/busybox:local (deploy/images/build.sh). Everything it creates is named nauta-bench-*
# or bench-<pid> and labelled io.nauta.bench=pod-startup-<pid>, and is removed at the end.
# Environment: BENCH_HOME (the Nauta's NAUTA_HOME, default /tmp/nauta-bench-pod-startup),
# BENCH_PORT (API server, default 16443), BENCH_PORTS ('scheduler controllers agent', default
# '16459 16457 16450'), BENCH_MODES (which of Docker's own figures each round takes beside Nauta's,
# default 'docker-run docker-pod docker-seq swarm'; e.g. 'docker-pod' alone for a quicker run).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
PODS=${1:-50}
ROUNDS=${2:-3}
read -r -a MODES <<<"${BENCH_MODES:-docker-run docker-pod docker-seq swarm}"
PY="python3 $ROOT/deploy/bench/pod_startup.py"
IMAGE=nauta/busybox:local
CMD=(httpd -f -p 8080)
TAG=pod-startup-$$
LABEL=io.nauta.bench=$TAG
PREFIX=nauta-bench-$$
NET=$PREFIX-net
SERVICE=$PREFIX-svc
NODE=bench-$$
NS=bench
export NAUTA_HOME=${BENCH_HOME:-/tmp/nauta-bench-pod-startup}
PORT=${BENCH_PORT:-16443}
read -r NAUTA_SCHEDULER_PORT NAUTA_CONTROLLERS_PORT NAUTA_AGENT_PORT <<<"${BENCH_PORTS:-16459 16457 16450}"
export NAUTA_SCHEDULER_PORT NAUTA_CONTROLLERS_PORT NAUTA_AGENT_PORT NAUTA_NODE_NAME=$NODE
export KUBECONFIG=$NAUTA_HOME/kubeconfig
RESULTS=$NAUTA_HOME/results-$(date +%Y%m%d-%H%M%S)
SWARM_MINE=0
GWBRIDGE_BEFORE=$(docker network ls -q --filter name='^docker_gwbridge$')

log() { echo "bench: $(date +%T) $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root: 'deploy/nauta up --runtime docker' installs the egress guard"
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "no $IMAGE: run deploy/images/build.sh"
SWARM_STATE=$(docker info --format '{{.Swarm.LocalNodeState}}')
[[ $SWARM_STATE == inactive ]] || die "the Docker engine is in a swarm already ($SWARM_STATE); this benchmark would have to leave it"

remove_containers() { # [keep the keeper]
  local ids
  ids=$(docker ps -aq --filter "label=$LABEL" | grep -v -F -x "${1:-none}" || true)
  # shellcheck disable=SC2086  # one id per word
  [[ -z $ids ]] || docker rm -f $ids >/dev/null
}

leave_swarm() {
  if [[ $SWARM_MINE == 1 ]]; then
    docker service rm "$SERVICE" >/dev/null 2>&1 || true
    docker swarm leave --force >/dev/null || true
    SWARM_MINE=0
  fi
}

cleanup() {
  set +e
  log "cleaning up"
  leave_swarm
  [[ -z ${KEEPER:-} ]] || docker network disconnect "nauta-$NODE" "$KEEPER" >/dev/null 2>&1
  remove_containers
  docker network rm "$NET" >/dev/null 2>&1
  # Swarm leaves docker_gwbridge behind; remove it if it was not there before and nothing uses it.
  if [[ -z $GWBRIDGE_BEFORE ]] && docker network inspect docker_gwbridge >/dev/null 2>&1 \
      && [[ $(docker network inspect docker_gwbridge --format '{{len .Containers}}') == 0 ]]; then
    docker network rm docker_gwbridge >/dev/null
  fi
  "$ROOT/deploy/nauta" down >&2
  local i
  for ((i = 0; i < 10; i++)); do
    docker network inspect "nauta-$NODE" >/dev/null 2>&1 || break
    sleep 1
    docker network rm "nauta-$NODE" >/dev/null 2>&1
  done
  docker network rm "$NET" >/dev/null 2>&1
  # Docker 20.10 under heavy load has refused to remove such a network, empty, with "has active
  # endpoints" (a stale endpoint; a restart of dockerd clears it): say so rather than hide it.
  local left
  left=$(docker network ls --format '{{.Name}}' | grep -x -e "nauta-$NODE" -e "$NET" || true)
  [[ -z $left ]] || log "warning: Docker would not remove the empty network(s) ${left//$'\n'/ }"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A /24 of 10.244.0.0/16 that no Docker network on this engine uses, for the node's pod range.
free_node_index() {
  local used i
  local -a nets
  mapfile -t nets < <(docker network ls -q)
  used=" $(docker network inspect "${nets[@]}" \
    --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null | tr '\n' ' ') "
  for ((i = 200; i < 255; i++)); do
    [[ $used == *" 10.244.$i.0/24 "* ]] || { echo "$i"; return; }
  done
  die "no free /24 in 10.244.200.0-10.244.254.0"
}

# --- Nauta: a deployment of PODS replicas, measured through a watch ---------------------------
start_nauta() {
  local index
  index=$(free_node_index)
  NODE_INDEX=$index
  log "starting Nauta (NAUTA_HOME=$NAUTA_HOME, port $PORT, node $NODE on 10.244.$index.0/24)"
  # A fresh store: no node, namespace or pod of an earlier run.
  "$ROOT/deploy/nauta" down >/dev/null
  rm -rf "${NAUTA_HOME:?}/data"
  NAUTA_JAVA_OPTS="${NAUTA_JAVA_OPTS:-} -Dnauta.agent.first-node-index=$index" \
    "$ROOT/deploy/nauta" up --port "$PORT" --runtime docker >&2
  kubectl create namespace "$NS" >/dev/null
  cat >"$NAUTA_HOME/deployment.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: startup
  namespace: $NS
spec:
  replicas: $PODS
  selector:
    matchLabels: {app: startup}
  template:
    metadata:
      labels: {app: startup}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: $IMAGE
        command: [$(printf '"%s", ' "${CMD[@]}" | sed 's/, $//')]
YAML
}

# The agent's containers' Docker events (create, start) of the round go beside the watch's
# record: they split the agent's time per pod into its steps.
# (Followed while the round runs: the engine keeps only its last 256 events, and other users of
# the engine make their own.)
nauta_round() {
  local out=$RESULTS/nauta-$1.json events
  docker events --filter type=container --filter "label=io.nauta.node=$NODE" \
    --format '{{json .}}' >"$out.events" &
  events=$!
  NAUTA_PKI=$NAUTA_HOME/pki $PY nauta "https://127.0.0.1:$PORT" "$NS" "$PODS" \
    "$NAUTA_HOME/deployment.yaml" "$out"
  sleep 1
  kill "$events"
  wait "$events" 2>/dev/null || true
  $PY nauta-events "$out" "$out.events"
  kubectl -n "$NS" delete deployment startup --wait=true >/dev/null
  kubectl -n "$NS" wait --for=delete pods --all --timeout=120s >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 120))
  while [[ -n $(docker ps -aq --filter "label=io.nauta.node=$NODE" --filter label=io.nauta.pod.uid) ]] \
      || [[ -n $(kubectl -n "$NS" get pods -o name) ]]; do
    ((SECONDS < deadline)) || die "Nauta's pods were not gone 120 s after the delete"
    sleep 0.5
  done
}

# --- docker run -d of the same containers ----------------------------------------------------
# run_one <i> <lines file> [pod]: one container (or with 'pod' a sandbox plus the container in its
# network namespace, as Nauta runs a pod); appends "start end" in ns.
run_one() {
  local i=$1 file=$2 start end
  start=$(date +%s%N)
  if [[ ${3:-} == pod ]]; then
    docker run -d --name "$PREFIX-s$i" --network "$NET" --label "$LABEL" \
      --entrypoint sleep "$IMAGE" 2147483647 >/dev/null
    docker run -d --name "$PREFIX-c$i" --network "container:$PREFIX-s$i" --label "$LABEL" \
      "$IMAGE" "${CMD[@]}" >/dev/null
  else
    docker run -d --name "$PREFIX-c$i" --network "$NET" --label "$LABEL" \
      "$IMAGE" "${CMD[@]}" >/dev/null
  fi
  end=$(date +%s%N)
  echo "$start $end" >>"$file"
}

docker_round() { # <mode> <round>: docker-run, docker-pod (parallel) or docker-seq
  local mode=$1 lines=$RESULTS/$1-$2.lines i
  : >"$lines"
  for ((i = 1; i <= PODS; i++)); do
    case $mode in
      docker-run) run_one "$i" "$lines" & ;;
      docker-pod) run_one "$i" "$lines" pod & ;;
      docker-seq) run_one "$i" "$lines" ;;
    esac
  done
  wait
  [[ $(wc -l <"$lines") == "$PODS" ]] || die "$mode: not every docker run succeeded"
  $PY lines "$lines" "$RESULTS/$mode-$2.json"
  remove_containers "$KEEPER"
}

# --- Docker Swarm: a service of PODS replicas ------------------------------------------------
# The swarm listens on loopback only, and its address pool (ingress) stays off 10.244.0.0/16 and
# 10.96.0.0/16. --no-resolve-image: the image is local, no registry is asked for its digest.
swarm_round() {
  local sent deadline tasks
  docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 \
    --default-addr-pool 10.231.0.0/16 >/dev/null
  SWARM_MINE=1
  sent=$(date +%s%N)
  docker service create --detach --no-resolve-image --quiet --name "$SERVICE" \
    --label "$LABEL" --container-label "$LABEL" --replicas "$PODS" --stop-grace-period 1s \
    "$IMAGE" "${CMD[@]}" >/dev/null
  deadline=$((SECONDS + 180))
  until [[ $(docker service ls --filter name="$SERVICE" --format '{{.Replicas}}') == "$PODS/$PODS" ]]; do
    ((SECONDS < deadline)) || die "swarm: $SERVICE not converged after 180 s"
    sleep 0.5
  done
  tasks=$(docker service ps -q --filter desired-state=running "$SERVICE")
  # shellcheck disable=SC2086  # one id per word
  docker inspect $tasks >"$RESULTS/swarm-$1.tasks.json"
  $PY swarm "$RESULTS/swarm-$1.tasks.json" "$sent" "$RESULTS/swarm-$1.json"
  docker service rm "$SERVICE" >/dev/null
  deadline=$((SECONDS + 120))
  while [[ -n $(docker ps -aq --filter "label=com.docker.swarm.service.name=$SERVICE") ]]; do
    ((SECONDS < deadline)) || die "swarm: the service's containers were not gone after 120 s"
    sleep 0.5
  done
  leave_swarm
}

mkdir -p "$RESULTS"
start_nauta
docker network create --label "$LABEL" "$NET" >/dev/null
# A container that holds both networks for the whole run: a network without containers between
# rounds would go to anyone's 'docker network prune' on this shared engine (and the agent does not
# re-create its node's network). It takes the pod range's last address, which the agent leaves.
docker run -d --name "$PREFIX-keeper" --network "$NET" --label "$LABEL" "$IMAGE" \
  sleep 2147483647 >/dev/null
docker network connect --ip "10.244.$NODE_INDEX.254" "nauta-$NODE" "$PREFIX-keeper"
KEEPER=$(docker ps -q --filter "name=^$PREFIX-keeper\$")
for ((r = 0; r <= ROUNDS; r++)); do
  if ((r == 0)); then log "warm-up round (not reported)"; else log "round $r of $ROUNDS"; fi
  log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/load-$r"
  nauta_round "$r"
  for mode in "${MODES[@]}"; do
    case $mode in
      docker-run | docker-pod | docker-seq) docker_round "$mode" "$r" ;;
      swarm) swarm_round "$r" ;;
      *) die "BENCH_MODES: unknown mode $mode" ;;
    esac
  done
done
cp "$NAUTA_HOME/logs/agent.log" "$RESULTS/agent.log"
{
  echo "pod start-up latency, $PODS pods, $(date -u +%F), $(nproc) cores," \
    "$(docker version --format 'Docker {{.Server.Version}}'), results in $RESULTS" \
    "${NAUTA_JAVA_OPTS:+(NAUTA_JAVA_OPTS=$NAUTA_JAVA_OPTS)}"
  $PY summary "$RESULTS" "$PODS" "$ROUNDS"
  echo
  echo "load average (1, 5, 15 min) as each round began, warm-up first:" \
    "$(for ((r = 0; r <= ROUNDS; r++)); do printf '[%s] ' "$(<"$RESULTS/load-$r")"; done)"
} | tee "$RESULTS/summary.md"
