#!/usr/bin/env bash
# Builds the server, starts it on a fresh work directory and measures what history costs a read
# (HistoryBench): GetPage at 1 and at 2,000 layer files, a page changed in each of 1,000 layer
# files, and layer map lookups per second. Usage: bench/history.sh [work directory]. BENCH_JAR runs
# another build's server (for a before-and-after comparison) with this build's client.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(pwd)/bench/target/history-$(date +%s)}
port=${BENCH_PORT:-19899}
mvn -B -q -DskipTests package
mkdir -p "$work"
java -Xms1g -Xmx1g -Dpageserver.workdir="$work/server" -Dmicronaut.server.port="$port" \
     -jar "${BENCH_JAR:-bootstrap/target/bootstrap-0.1.0-SNAPSHOT.jar}" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/v1/status" >/dev/null && break
  sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$work" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
java -cp bench/target/classes:domain/target/classes org.pageserver.bench.HistoryBench "http://127.0.0.1:$port" "$work/server"
