#!/usr/bin/env bash
# The one command of bench/README.md: builds this checkout with -Pbench, then runs the throughput table
# (and, with --latency, the end-to-end latency) on a stack of its own (Kafka 24092/24093, Elasticsearch
# 24200/24300, data in bench/target/stack), then the JMH micro-benchmarks. Options go to BenchMain,
# e.g. bench/run.sh --traces 40000 --repetitions 3 --latency
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -pl bench -am package -DskipTests
classpath="$(cat bench/target/classpath.txt):bench/target/classes"
java -cp "$classpath" -Dtracefeatures.home="$PWD" org.tracefeatures.bench.BenchMain "$@"
java -cp "$classpath" org.openjdk.jmh.Main FunctionsBenchmark
