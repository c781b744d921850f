#!/usr/bin/env bash
# sql-submit: runs every job script sql/*.sql with Flink's SQL client against the session cluster, once.
#
# The SQL client takes one -i file, so the init parts are put together here in the order the jobs expect:
# functions, settings, environment (docker.sql: kafka:9092, http://elasticsearch:9200), span topic, input, trace
# assembly, sinks.
# Each job gets pipeline.name 'tracefeatures <script name>' (the name the packaged runner gives it too), and a
# job of that name that is still active on the cluster is not submitted again.
set -euo pipefail

SQL_DIR=${SQL_DIR:-/opt/tracefeatures/sql}
FLINK_REST_URL=${FLINK_REST_URL:-http://jobmanager:8081}
SQL_CLIENT=${SQL_CLIENT:-sql-client.sh}
WAIT_SECONDS=${WAIT_SECONDS:-300}

INIT_PARTS=(init/functions.sql init/settings.sql init/docker.sql init/span-topic.sql init/input/jaeger-proto.sql init/spans.sql init/traces.sql init/sinks.sql)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cat, with a line break after each part: a part that ends in a comment without one would swallow the next
for part in "${INIT_PARTS[@]}"; do
  cat "$SQL_DIR/$part"
  echo
done > "$work/init.sql"

# A job submitted before any TaskManager has registered would wait for slots and might time out.
deadline=$((SECONDS + WAIT_SECONDS))
# (grep without -q throughout: with pipefail, a grep that stops reading early could fail the pipeline)
until curl -fsS "$FLINK_REST_URL/overview" 2>/dev/null | grep -E '"taskmanagers"[[:space:]]*:[[:space:]]*[1-9]' >/dev/null; do
  if ((SECONDS >= deadline)); then
    echo "sql-submit: no TaskManager registered at $FLINK_REST_URL within ${WAIT_SECONDS}s" >&2
    exit 1
  fi
  echo "sql-submit: waiting for a TaskManager at $FLINK_REST_URL"
  sleep 5
done

# Whether a job of this name is on the cluster in a state that is not terminal. /jobs/overview lists each job
# as {"jid":...,"name":...,...,"state":...,"tasks":{...}}: split at '{', a job's name and state share a line.
job_active() {
  curl -fsS "$FLINK_REST_URL/jobs/overview" | tr '{' '\n' \
    | grep -E "\"name\"[[:space:]]*:[[:space:]]*\"$1\"" \
    | grep -E '"state"[[:space:]]*:[[:space:]]*"(CREATED|INITIALIZING|RUNNING|RESTARTING|RECONCILING|FAILING|CANCELLING|SUSPENDED)"' >/dev/null
}

shopt -s nullglob
jobs=("$SQL_DIR"/*.sql)
if ((${#jobs[@]} == 0)); then
  echo "sql-submit: no job scripts in $SQL_DIR" >&2
  exit 1
fi

for job in "${jobs[@]}"; do
  script=$(basename "$job" .sql)
  name="tracefeatures $script"
  if job_active "$name"; then
    echo "sql-submit: '$name' is already running, not submitted again"
    continue
  fi
  { cat "$work/init.sql"; printf "SET 'pipeline.name' = '%s';\n" "$name"; } > "$work/init-$script.sql"
  echo "sql-submit: submitting $job as '$name'"
  "$SQL_CLIENT" -i "$work/init-$script.sql" -f "$job"
done

echo "sql-submit: done; jobs at $FLINK_REST_URL/#/job/running"
