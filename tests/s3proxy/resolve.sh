#!/usr/bin/env bash
# Resolve the test S3 server (S3Proxy from Maven Central, cached in ~/.m2) and write its classpath.
# Offline once ~/.m2 holds everything. Used by `make test`; the pytest fixture
# (tests/fixtures/s3.py) runs it too when target/classpath.txt is missing or older than pom.xml.
set -euo pipefail
cd "$(dirname "$0")"
if ! mvn -B -q -o package >/dev/null 2>&1; then
  mvn -B -q package
fi
test -s target/classpath.txt
echo "test S3 server ready: tests/s3proxy/target/classpath.txt"
