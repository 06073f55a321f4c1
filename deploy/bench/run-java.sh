#!/usr/bin/env bash
# Runs a benchmark's main class from a module's test classes: deploy/bench/run-java.sh <module>
# <main class> [args...]. Builds the reactor first. Needs what the tests need: a Docker engine and
# the local images (deploy/images/build.sh), because the API server's Redis runs in a container.
# BENCH_HEAP (default 6g) and BENCH_JAVA_OPTS (e.g. -Dbench.repeats=5) tune the JVM.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
MODULE=$1 MAIN=$2
shift 2
API_VERSION=$(docker version --format '{{.Server.APIVersion}}')
CP_FILE=$(mktemp)
# One reactor build: the sibling modules come from their target/ directories, not from ~/.m2, so a
# benchmark runs the code of this checkout even when another checkout built other code meanwhile
# (no install). The last module written to CP_FILE is MODULE itself (-am builds it last).
mvn -B -q -DskipTests -pl "$MODULE" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(<"$CP_FILE")"
rm -f "$CP_FILE"
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is a list of options
TESTCONTAINERS_RYUK_DISABLED=true exec java -Xmx${BENCH_HEAP:-6g} ${BENCH_JAVA_OPTS:-} \
  -Dapi.version="$API_VERSION" -cp "$CP" "$MAIN" "$@"
