#!/usr/bin/env bash
# Builds the server, starts it on a fresh work directory, runs the benchmark against it and
# prints the table. Usage: bench/run.sh [work directory (default: a new one under ./target)] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(pwd)/bench/target/run-$(date +%s)}
seconds=${2:-10}
port=${BENCH_PORT:-19898}
mvn -B -q -DskipTests package
mkdir -p "$work"
java -Xmx4g -Dpageserver.workdir="$work/server" -Dmicronaut.server.port="$port" \
     -jar bootstrap/target/bootstrap-0.1.0-SNAPSHOT.jar > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/v1/status" >/dev/null && break
  sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$work" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
java -cp bench/target/classes:domain/target/classes org.pageserver.bench.Bench "http://127.0.0.1:$port" "$work" "$seconds"
