#!/usr/bin/env bash
# The cost of the agent's iptables service proxy (docs/benchmarks.md): the same pod directly vs
# through its cluster IP, Service created → first connection, iptables-restore for 100 and 1,000
# services. Runs as root (it programs iptables) with the egress guard installed.
# Usage: deploy/bench/service-proxy.sh [rounds] (default 5).
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" node-agent \
  io.nauta.agent.bench.ServiceProxyBenchmark "$@"
