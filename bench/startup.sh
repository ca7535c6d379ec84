#!/usr/bin/env bash
# Builds the server and measures how fast it serves again after a restart (StartupBench): a fresh
# work directory is filled, the server stopped and started again, three times.
# Usage: bench/startup.sh tenants <count> [work directory] | bench/startup.sh large <GiB> [work directory]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?tenants or large}
size=${2:?how many tenants, or GiB}
work=${3:-$(pwd)/bench/target/startup-$(date +%s)}
mvn -B -q -DskipTests package
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$(dirname "$work")" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
java -cp bench/target/classes:domain/target/classes org.pageserver.bench.StartupBench \
     bootstrap/target/bootstrap-0.1.0-SNAPSHOT.jar "$work" "$mode" "$size"
