#!/bin/sh
# es-templates: every sql/index-templates/NAME.json becomes the composable index template NAME
# (PUT /_index_template/NAME), as the local stack installs them.
set -eu

ES_URL=${ES_URL:-http://elasticsearch:9200}
TEMPLATE_DIR=${TEMPLATE_DIR:-/templates}

found=0
for file in "$TEMPLATE_DIR"/*.json; do
  [ -e "$file" ] || continue
  found=1
  name=$(basename "$file" .json)
  echo "es-templates: PUT $ES_URL/_index_template/$name"
  curl -fsS -X PUT "$ES_URL/_index_template/$name" -H 'Content-Type: application/json' --data-binary "@$file"
  echo
done

if [ "$found" -eq 0 ]; then
  echo "es-templates: no *.json in $TEMPLATE_DIR" >&2
  exit 1
fi
