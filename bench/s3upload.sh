#!/usr/bin/env bash
# Builds the server's modules and measures uploads to an S3 server (S3UploadBench): 10 files of
# 64 MiB uploaded through the S3 adapter to S3Proxy in the bench's JVM, which keeps the objects as
# files on the same disk, 8 at a time and 1 at a time, beside copying the same files on that disk
# and a dd of as many bytes. Usage: bench/s3upload.sh [work directory]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(pwd)/bench/target/s3upload-$(date +%s)}
# The bench's runtime classpath (the adapter, the AWS SDK, S3Proxy), written in the same build, so
# that the reactor's freshly built modules are on it rather than copies in the local repository.
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    -Dmdep.includeScope=runtime
mkdir -p "$work"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(df -h "$work" | awk 'NR==2{print $1}'), $(java -version 2>&1 | head -1)"
java -Xms1g -Xmx1g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.pageserver.bench.S3UploadBench "$work"
