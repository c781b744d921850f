#!/bin/sh
# kibana-setup: imports the index patterns, visualizations and dashboard (overwriting earlier imports of the
# same ids) and makes trace-features* the default index pattern.
set -eu

KIBANA_URL=${KIBANA_URL:-http://kibana:5601}
SAVED_OBJECTS=${SAVED_OBJECTS:-/kibana/saved-objects.ndjson}
DEFAULT_INDEX_PATTERN=${DEFAULT_INDEX_PATTERN:-tracefeatures-trace-features}

# _import answers 200 even when objects fail; "success":true means every one of them was imported
response=$(curl -fsS -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' --form "file=@$SAVED_OBJECTS")
echo "kibana-setup: $response"
if ! printf '%s' "$response" | grep -Eq '"success"[[:space:]]*:[[:space:]]*true'; then
  echo "kibana-setup: the import of $SAVED_OBJECTS failed" >&2
  exit 1
fi

curl -fsS -X POST "$KIBANA_URL/api/kibana/settings" -H 'kbn-xsrf: true' -H 'Content-Type: application/json' \
  --data "{\"changes\":{\"defaultIndex\":\"$DEFAULT_INDEX_PATTERN\"}}" >/dev/null
echo "kibana-setup: default index pattern $DEFAULT_INDEX_PATTERN; dashboard at $KIBANA_URL/app/dashboards#/view/tracefeatures-dashboard"
