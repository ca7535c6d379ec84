#!/usr/bin/env bash
# Builds the server and measures remote storage (RemoteBench) on server processes that share one
# remote storage directory: uploads beside a local copy, attaching a tenant of 1,000 layers on
# another node, and the first read of a remote-only page. Usage: bench/remote.sh [work directory]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(pwd)/bench/target/remote-$(date +%s)}
mvn -B -q -DskipTests package
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$(dirname "$work")" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
java -cp bench/target/classes:domain/target/classes org.pageserver.bench.RemoteBench \
     bootstrap/target/bootstrap-0.1.0-SNAPSHOT.jar "$work"
