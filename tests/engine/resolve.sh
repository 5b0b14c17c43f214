#!/usr/bin/env bash
# Resolve the test search engine (OpenSearch 2.19.x and its modules from Maven Central, cached in
# ~/.m2) and build the small launcher in src/. Offline once ~/.m2 holds everything.
# Used by `make engine` / `make test`; the pytest fixture (tests/fixtures/engine.py) runs it too
# when target/ is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")"
if ! mvn -B -q -o package -DskipTests >/dev/null 2>&1; then
  mvn -B -q package -DskipTests
fi
test -s target/classpath.txt
test -s target/engine-1.0.0.jar
echo "test search engine ready: tests/engine/target/engine-1.0.0.jar"
