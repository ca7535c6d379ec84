#!/usr/bin/env bash
# Builds the server and measures eviction and on-demand download (EvictionBench) on server
# processes it starts itself, remote storage in a directory of the same disk: the first read of a
# page whose layer was evicted, beside reads of a resident one; on a node of 10,000 small layers, a
# pass of disk_usage_eviction/run, the background disk-usage task under a ballast file, and starts
# with the layers resident and with most of them evicted. The ballast (fallocate) and the layers
# take a few GB of the work directory's disk for a while. Usage: bench/eviction.sh [work directory]
# BENCH_MVN_FLAGS (such as -o) go to Maven; BENCH_JAVA_OPTS (such as -Dbench.tenants=2
# -Dbench.layers=100 for a short try) to the bench's JVM; BENCH_SERVER_HEAP (-Xms1g -Xmx1g) to the servers'.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(pwd)/bench/target/eviction-$(date +%s)}
mvn -B -q ${BENCH_MVN_FLAGS:-} -DskipTests package
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$(dirname "$work")" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
# Other work on the machine shows in the load averages (1, 5, 15 min) around the run.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java ${BENCH_JAVA_OPTS:-} -cp bench/target/classes:domain/target/classes org.pageserver.bench.EvictionBench \
     bootstrap/target/bootstrap-0.1.0-SNAPSHOT.jar "$work"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
