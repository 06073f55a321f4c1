#!/usr/bin/env bash
# Scheduler throughput benchmark (docs/benchmarks.md): N nodes, M pending pods, pods bound per
# second end to end through the API server. Usage: deploy/bench/scheduler.sh [nodes pods]...
# (default: 100 1000 1000 10000). Needs what the tests need: a Docker engine and the local images
# (deploy/images/build.sh), because the API server's Redis runs in a container.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
API_VERSION=$(docker version --format '{{.Server.APIVersion}}')
mvn -B -q -DskipTests install
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -pl platform-scheduler dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE"
CP="platform-scheduler/target/test-classes:platform-scheduler/target/classes:$(<"$CP_FILE")"
rm -f "$CP_FILE"
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is a list of options
TESTCONTAINERS_RYUK_DISABLED=true exec java -Xmx${BENCH_HEAP:-6g} ${BENCH_JAVA_OPTS:-} -Dapi.version="$API_VERSION" \
  -cp "$CP" io.nauta.scheduler.bench.SchedulerBenchmark "$@"
