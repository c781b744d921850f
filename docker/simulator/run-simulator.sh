#!/usr/bin/env bash
# simulator: hotrod-original as test "original", then hotrod-reduced as test "reduced", and again, for as long as
# the container runs; the book's chart (average spanCounts.route::/GetShortestRoute split by testName) compares them.
#
# Short runs of --traces with pauses rather than one long --duration run: --duration writes as fast as it can,
# and a run's trace k starts k ms after the run's start, so a long fast run would put start times (the documents'
# @timestamp) far ahead of the clock. Each run here starts at the current time.
set -uo pipefail

JAR=${JAR:-/opt/simulator/tracefeatures-simulator.jar}
KAFKA=${KAFKA:-kafka:9092}
BATCH_TRACES=${BATCH_TRACES:-50}
PAUSE_SECONDS=${PAUSE_SECONDS:-5}
RUNS_PER_TEST=${RUNS_PER_TEST:-60}
# touched after every successful run; the healthcheck looks at its age
LAST_OK=${LAST_OK:-/tmp/simulator-last-ok}

if [ ! -f "$JAR" ]; then
  echo "simulator: $JAR is missing; build it with 'mvn -B package -DskipTests' at the repository root" >&2
  exit 1
fi

while true; do
  for test in original reduced; do
    for ((run = 1; run <= RUNS_PER_TEST; run++)); do
      if java -jar "$JAR" --config "hotrod-$test" --test-name "$test" --traces "$BATCH_TRACES" --kafka "$KAFKA"; then
        touch "$LAST_OK"
      else
        echo "simulator: run $run of hotrod-$test failed; trying again after the pause" >&2
      fi
      sleep "$PAUSE_SECONDS"
    done
  done
done
