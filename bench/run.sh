#!/usr/bin/env bash
# Builds the server, starts it on a fresh work directory, runs the benchmark against it and
# prints the table. Usage: bench/run.sh [work directory (default: a new one under ./target)] [seconds]
# [warm-up seconds]. The warm-up (default: $BENCH_WARMUP_SECONDS, else 60) runs mixed work on scratch
# timelines before any measurement, so that the rows measure a server in steady state. The server's
# pid goes to the benchmark, which prints where each ingest row spent the server's CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(pwd)/bench/target/run-$(date +%s)}
seconds=${2:-10}
warmup=${3:-${BENCH_WARMUP_SECONDS:-60}}
port=${BENCH_PORT:-19898}
# The whole heap committed and touched at start: on this VM a first touch of memory is expensive,
# and with -Xmx4g alone G1 grows and shrinks the heap, so the server kept faulting memory in (about
# 2.0 million minor faults in a 60 s warm-up plus 5 s rows, against 1.15 million, most of them at
# start, with it) and spent 4.6 server CPU ms per ingested MB against 3.3 (means of the 4 page-image
# rows over two runs each, -Xmx4g against this; the MB/s were noisier: 120 against 142 on average).
# It costs 6 to 10 s more at start. BENCH_SERVER_HEAP overrides it.
heap=${BENCH_SERVER_HEAP:--Xms4g -Xmx4g -XX:+AlwaysPreTouch}
mvn -B -q -DskipTests package
mkdir -p "$work"
java $heap -Dpageserver.workdir="$work/server" -Dmicronaut.server.port="$port" \
     -jar bootstrap/target/bootstrap-0.1.0-SNAPSHOT.jar > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/v1/status" >/dev/null && break
  sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$work" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
java -cp bench/target/classes:domain/target/classes org.pageserver.bench.Bench "http://127.0.0.1:$port" "$work" "$seconds" \
     "$warmup" "$server"
