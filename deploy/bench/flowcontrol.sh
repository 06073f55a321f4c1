#!/usr/bin/env bash
# API priority and fairness: the admin's GET p50/p99 on a quiet server and while one service account
# keeps 200 lists in flight (APF off beside APF on with small limits), and the filter's cost per
# request (service-account gets/s, APF off beside on, median of rounds). Three secure API servers
# in one JVM on one Redis. deploy/bench/flowcontrol.sh [gets [rounds [samples]]] (defaults 3000 5 400).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-api \
  io.nauta.api.bench.FlowControlBenchmark "$@"
