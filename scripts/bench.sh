#!/usr/bin/env bash
# Runs one benchmark file against the test profile's servers, starting them if they are not up
# (they are left running: a benchmark is usually run more than once).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
node_modules/.bin/tsc -b
scripts/infra.sh up test
set -a
. .local/test/env
set +a
exec node_modules/.bin/tsx "$@"
