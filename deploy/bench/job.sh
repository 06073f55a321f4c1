#!/usr/bin/env bash
# Job at scale (docs/benchmarks.md): kubectl create of a Job of N completions and parallelism P on
# simulated nodes, whose pods succeed once they run, to the Job's Complete condition.
# Usage: deploy/bench/job.sh [completions [parallelism [nodes]]] (default: 1000 100 100).
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-controllers \
  io.nauta.controllers.bench.JobBenchmark "$@"
