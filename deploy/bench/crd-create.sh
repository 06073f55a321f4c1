#!/usr/bin/env bash
# Custom resources (issue 15), TLS and RBAC on: the time from a CRD's create to the first create of
# its kind (p50, p90 over CRDS definitions), and creates/s of a custom resource with a schema
# (pruning, defaults, validation, one CEL rule) beside a ConfigMap with the same data, alternating
# in one run, medians of rounds. deploy/bench/crd-create.sh [objects [rounds [crds]]] (defaults
# 5000 5 20).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" platform-api \
  io.nauta.api.bench.CustomResourceBenchmark "$@"
