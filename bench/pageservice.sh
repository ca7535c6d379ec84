#!/usr/bin/env bash
# Builds the server, starts it on a fresh work directory with the page service on its own port, and
# measures the page service (PageServiceBench): a bare loopback TCP baseline, GetPage one in flight
# and pipelined, HTTP GetPage, and both again with ingest beside. Usage: bench/pageservice.sh [work
# directory (default: a new one under bench/target)]. Environment: BENCH_REQUESTS, BENCH_SECONDS,
# BENCH_WARMUP_SECONDS, BENCH_DELTAS (see PageServiceBench); BENCH_PROFILE=1 records the server with JFR (and
# perf, when it is installed) during one-in-flight reads after the pipelined rows (pipelined ones with
# BENCH_PROFILE_PIPELINED=<connections>x<depth>) and prints the top frames;
# BENCH_SERVER_OPTS adds settings to the server (such as -Dpageserver.page-cache-size=32768);
# BENCH_BUILD=0 skips the build, BENCH_MVN_FLAGS (such as -o) go to Maven; BENCH_KEEP=1 keeps the server's work directory (else only
# server.log and the profiles stay).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(pwd)/bench/target/pageservice-$(date +%s)}
port=${BENCH_PORT:-19897}
pg_port=${BENCH_PG_PORT:-19964}
# The whole heap committed and touched at start, as bench/run.sh (a first touch of memory is
# expensive on this VM); 2 GiB is plenty for reads of 160 MiB of layer files and the ingest beside.
heap=${BENCH_SERVER_HEAP:--Xms2g -Xmx2g -XX:+AlwaysPreTouch}
[ "${BENCH_BUILD:-1}" = 0 ] || mvn -B -q ${BENCH_MVN_FLAGS:-} -DskipTests package
mkdir -p "$work"
# shellcheck disable=SC2086 # BENCH_SERVER_OPTS holds several -D settings
java $heap -Dpageserver.workdir="$work/server" -Dmicronaut.server.port="$port" \
     -Dpageserver.listen-pg-addr="127.0.0.1:$pg_port" ${BENCH_SERVER_OPTS:-} \
     -jar bootstrap/target/bootstrap-0.1.0-SNAPSHOT.jar > "$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$work/server"
  rm -f "/tmp/perf-$server.map"
}
trap cleanup EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/v1/status" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "the server died at start:"; tail -20 "$work/server.log"; exit 1; }
  sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$work" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
echo "load before the run: $(uptime | sed 's/.*load average/load average/')"
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  export BENCH_JFR="$work/pageservice.jfr"
  command -v perf >/dev/null && export BENCH_PERF="$work/perf.data"
fi
java -cp bench/target/classes:domain/target/classes org.pageserver.bench.PageServiceBench \
     "http://127.0.0.1:$port" "$pg_port" "$server"
echo "load after the run: $(uptime | sed 's/.*load average/load average/')"
echo "server settings: ${BENCH_SERVER_OPTS:-defaults}; its page cache, and where page service requests were answered, over the whole run:"
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^pageserver_page_cache|^pageserver_page_service_requests_total' \
  || echo "  (no page cache or page service metrics)"
if [ -n "${BENCH_PERF:-}" ] && [ -f "$BENCH_PERF" ]; then
  echo
  echo "perf (server, all threads, self time, by thread and library, then by symbol; JIT symbols from /tmp/perf-$server.map):"
  { perf report -i "$BENCH_PERF" -g none --no-children --sort comm,dso --stdio 2>/dev/null | grep '%' | head -12
    echo
    perf report -i "$BENCH_PERF" -g none --no-children --sort comm,dso,sym --stdio 2>/dev/null | grep '%' | head -40
  } || true
fi
