#!/usr/bin/env bash
# Scheduler throughput (docs/benchmarks.md): N nodes, M pending pods, pods bound per second end to
# end through the API server. Usage: deploy/bench/scheduler.sh [nodes pods]...
# (default: 100 1000 1000 10000).
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-scheduler \
  io.nauta.scheduler.bench.SchedulerBenchmark "$@"
